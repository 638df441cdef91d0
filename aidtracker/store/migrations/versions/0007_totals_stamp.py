"""Totals stamp: one short row that changes whenever the stored totals do.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

The stored totals of a large record are megabytes of JSON (every counted package id, every
running total with its evidence). A long-lived reader such as the API keeps them parsed in
memory, and needs a cheap way to know whether its copy is still the stored one: this row,
rewritten with a fresh token in the same transaction as the totals. A store from before this
revision has no stamp, and its readers parse the stored totals on every request, as before.
Only an addition, so a downgrade drops it and loses nothing stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "totals_stamp",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("stamp", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("totals_stamp")
