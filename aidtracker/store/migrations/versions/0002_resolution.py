"""Resolution: clusters of mentions, judgements, links, conflicts and canonical actors.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Only new tables: nothing stored at 0001 is touched, so an upgrade keeps every document and
fact. Written out in full like 0001, for the same reason: a migration must keep meaning what it
meant when it was written.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What aidtracker.store.tables' ExactDecimal, UTCDateTime and Json were at this revision.
AMOUNT = sa.Numeric(38, 4).with_variant(sa.Text(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "clusters",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("representative", sa.String(64), nullable=False),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("disagreements", JSON, nullable=False),
        sa.Column("publishers", JSON, nullable=False),
        sa.Column("n_publishers", sa.Integer(), nullable=False),
        sa.Column("first_reported", sa.Date(), nullable=True),
        sa.Column("last_reported", sa.Date(), nullable=True),
        sa.Column("donor", sa.Text(), nullable=True),
        sa.Column("recipient", sa.Text(), nullable=True),
        sa.Column("currency", sa.String(8), nullable=True),
        sa.Column("amount", AMOUNT, nullable=True),
        sa.Column("usd", AMOUNT, nullable=True),
        sa.Column("scope", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("instrument", sa.String(16), nullable=True),
        sa.Column("channel", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("sectors", JSON, nullable=False),
        sa.Column("part_of", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_clusters"),
        sa.ForeignKeyConstraint(["part_of"], ["clusters.id"], name="fk_clusters_part_of_clusters"),
    )
    for column in ("kind", "donor", "currency", "scope", "date"):
        op.create_index(f"ix_clusters_{column}", "clusters", [column])

    op.create_table(
        "cluster_members",
        sa.Column("cluster_id", sa.String(64), nullable=False),
        sa.Column("mention_id", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("cluster_id", "mention_id", name="pk_cluster_members"),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name="fk_cluster_members_cluster_id_clusters", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_cluster_members_mention_id", "cluster_members", ["mention_id"])

    op.create_table(
        "judgements",
        sa.Column("left", sa.String(64), nullable=False),
        sa.Column("right", sa.String(64), nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=True),
        sa.Column("same", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("left", "right", "by", name="pk_judgements"),
    )
    op.create_index("ix_judgements_right", "judgements", ["right"])

    op.create_table(
        "links",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "source", "target", name="pk_links"),
        sa.ForeignKeyConstraint(["source"], ["clusters.id"], name="fk_links_source_clusters", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target"], ["clusters.id"], name="fk_links_target_clusters", ondelete="CASCADE"),
    )
    op.create_index("ix_links_target", "links", ["target"])

    op.create_table(
        "conflicts",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("clusters", JSON, nullable=False),
        sa.Column("mentions", JSON, nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conflicts"),
    )

    op.create_table(
        "actors",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("mentions", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_actors"),
    )
    op.create_index("ix_actors_type", "actors", ["type"])

    op.create_table(
        "actor_aliases",
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=True),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("actor_id", "alias", name="pk_actor_aliases"),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name="fk_actor_aliases_actor_id_actors", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_actor_aliases_folded", "actor_aliases", ["folded"])

    op.create_table(
        "actor_roles",
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("affiliation", sa.Text(), nullable=True),
        sa.Column("attested", sa.Date(), nullable=True),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("actor_id", "ordinal", name="pk_actor_roles"),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], name="fk_actor_roles_actor_id_actors", ondelete="CASCADE"),
    )


def downgrade() -> None:
    # Children first; indexes go with their tables on both backends.
    for name in ("actor_roles", "actor_aliases", "actors", "conflicts", "links", "judgements", "cluster_members"):
        op.drop_table(name)
    op.drop_table("clusters")
