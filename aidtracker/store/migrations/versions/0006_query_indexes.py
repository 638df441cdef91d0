"""Query speed: indexes for a filtered page of commitments, and totals stored with the resolution.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Reading a million commitment mentions stays fast when a page is filtered and sorted in the
database (`view.commitment_page`): the composite indexes narrow clusters by kind and donor (or
recipient) and scope, and the first also holds the dates and id the page is sorted by, so that
a page is sorted and counted from the index alone. Unfiltered totals are written with each
resolution (`stored_totals`) instead of being summed from every cluster on each request; the
table starts empty and is filled by the next resolution, and until then totals are computed as
before. Only additions, so a downgrade drops them and loses nothing stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What aidtracker.store.tables' Json was at this revision.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_index(
        "ix_clusters_kind_donor_scope", "clusters", ["kind", "donor", "scope", "date", "first_reported", "id"]
    )
    op.create_index("ix_clusters_kind_recipient", "clusters", ["kind", "recipient"])
    op.create_table(
        "stored_totals",
        sa.Column("by", sa.String(16), primary_key=True),
        sa.Column("body", JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stored_totals")
    op.drop_index("ix_clusters_kind_recipient", "clusters")
    op.drop_index("ix_clusters_kind_donor_scope", "clusters")
