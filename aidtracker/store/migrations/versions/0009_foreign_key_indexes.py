"""Foreign key indexes: deleting a cluster or a commitment no longer reads the whole table.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

`clusters.part_of` and `commitments.part_of` point into their own tables. Deleting a row makes
the database look for rows that still point at it, and without an index on the pointing column
that is a scan of the whole table for every row deleted: replacing a resolution of 3,606
clusters spent 1.0 s of its 2.2 s deleting them (0.02 s with the index), and re-extracting a
document scanned every stored commitment once per commitment of it. `links.source` (second in
its key) and `documents.supersedes` get one for the same reason, so that every foreign key now
leads an index (a test keeps it so). Only indexes change, so a downgrade loses nothing stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_clusters_part_of", "clusters", ["part_of"])
    op.create_index("ix_commitments_part_of", "commitments", ["part_of"])
    op.create_index("ix_links_source", "links", ["source"])
    op.create_index("ix_documents_supersedes", "documents", ["supersedes"])


def downgrade() -> None:
    op.drop_index("ix_documents_supersedes", "documents")
    op.drop_index("ix_links_source", "links")
    op.drop_index("ix_commitments_part_of", "commitments")
    op.drop_index("ix_clusters_part_of", "clusters")
