"""Page order index: the commitment page's index holds the page's own order.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

0006's index on (kind, donor, scope, date, first_reported, id) narrowed a page to one donor's
clusters but left the database to sort them all by their effective date (the stated date, else
the day first reported) before taking fifty: on a million-mention record the top donor's
fifty thousand clusters were sorted for every page. This index keys on that expression, in
the page's order (undated last, newest first, ties by id), so a page is the first entries of
an index range. It serves the same filters and the same count as the one it replaces; only
an index changes, so a downgrade restores 0006's and loses nothing stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EFFECTIVE_DATE = "coalesce(date, first_reported)"


def upgrade() -> None:
    op.drop_index("ix_clusters_kind_donor_scope", "clusters")
    op.create_index(
        "ix_clusters_commitment_page",
        "clusters",
        ["kind", "donor", "scope", sa.text(f"({EFFECTIVE_DATE} IS NULL)"), sa.text(f"{EFFECTIVE_DATE} DESC"), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_clusters_commitment_page", "clusters")
    op.create_index(
        "ix_clusters_kind_donor_scope", "clusters", ["kind", "donor", "scope", "date", "first_reported", "id"]
    )
