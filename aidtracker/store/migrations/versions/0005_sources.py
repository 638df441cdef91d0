"""Sources and history: when each document version became known, followed sources, snapshots.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

`documents.known_from` is added as a nullable column and filled from `ingested_at`, which is
when every earlier version became known; adding it as NOT NULL would make SQLite rebuild the
table in batch mode and drop the full-text triggers of 0003 with it. The writer always sets it.
The two new tables hold the followed sources and the manifest of the snapshot archive.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What aidtracker.store.tables' UTCDateTime was at this revision.
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("documents", sa.Column("known_from", TIMESTAMP, nullable=True))
    op.execute("UPDATE documents SET known_from = ingested_at")
    op.create_index("ix_documents_known_from", "documents", ["known_from"])

    op.create_table(
        "sources",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("added_at", TIMESTAMP, nullable=False),
        sa.Column("checked_at", TIMESTAMP, nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("url", name="pk_sources"),
        sa.CheckConstraint("kind IN ('feed', 'sitemap', 'page')", name="ck_sources_kind_known"),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("fetched_at", TIMESTAMP, nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("digest", sa.String(80), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("doc_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
    )
    op.create_index("ix_snapshots_url", "snapshots", ["url"])
    op.create_index("ix_snapshots_fetched_at", "snapshots", ["fetched_at"])
    op.create_index("ix_snapshots_doc_id", "snapshots", ["doc_id"])


def downgrade() -> None:
    op.drop_table("snapshots")
    op.drop_table("sources")
    op.drop_index("ix_documents_known_from", table_name="documents")
    # Not in batch mode, which would rebuild `documents` without 0003's triggers; SQLite has
    # dropped columns in place since 3.35.
    op.drop_column("documents", "known_from")
