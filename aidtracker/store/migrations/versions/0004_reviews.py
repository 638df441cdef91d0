"""Review and access: the append-only audit trail of reviews, and API users with token hashes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Only new tables, so an upgrade keeps every document, fact and resolution. The trail is made
append-only in the database itself, by triggers that refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL): an audit trail that the application merely promises not to edit is not one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What aidtracker.store.tables' UTCDateTime and Json were at this revision.
TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

MESSAGE = "the review trail is append-only"
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
)
PG_TRIGGERS = (
    "CREATE FUNCTION reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
    "CREATE TRIGGER reviews_no_change BEFORE UPDATE OR DELETE ON reviews "
    "FOR EACH ROW EXECUTE FUNCTION reviews_append_only()",
    "CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews "
    "FOR EACH STATEMENT EXECUTE FUNCTION reviews_append_only()",
)


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("targets", JSON, nullable=False),
        sa.Column("keys", JSON, nullable=False),
        sa.Column("before", JSON, nullable=False),
        sa.Column("after", JSON, nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        sa.CheckConstraint(
            "action IN ('confirm', 'correct', 'reject', 'merge', 'split')", name="ck_reviews_action_known"
        ),
    )
    op.create_index("ix_reviews_by", "reviews", ["by"])

    op.create_table(
        "users",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_users"),
        sa.UniqueConstraint("token_hash", name="uq_users_token_hash"),
        sa.CheckConstraint("role IN ('reviewer', 'admin')", name="ck_users_role_known"),
        sa.CheckConstraint("(token_hash IS NULL) = (revoked_at IS NOT NULL)", name="ck_users_token_while_active"),
    )

    conn = op.get_bind()
    for statement in SQLITE_TRIGGERS if conn.dialect.name == "sqlite" else PG_TRIGGERS:
        conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in ("reviews_no_update", "reviews_no_delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("users")
    op.drop_table("reviews")  # on PostgreSQL its triggers go with it
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS reviews_append_only()")
