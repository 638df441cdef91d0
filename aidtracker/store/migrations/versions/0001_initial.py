"""Initial schema: documents with versions, the four fact tables, and extraction runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Written out in full, with plain SQLAlchemy types and explicit constraint names, rather than
importing `aidtracker.store.tables`: a migration must keep meaning what it meant when it was
written, whatever the tables module later becomes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What aidtracker.store.tables' ExactDecimal, UTCDateTime and Json were at this revision.
AMOUNT = sa.Numeric(38, 4).with_variant(sa.Text(), "sqlite")
RATE = sa.Numeric(38, 12).with_variant(sa.Text(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

FACT_TABLES = ("commitments", "agreements", "events", "people")


def _fact_table(name: str, *columns: sa.Column[object], constraints: Sequence[sa.Constraint] = ()) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], name=f"fk_{name}_doc_id_documents", ondelete="CASCADE"),
        sa.UniqueConstraint("doc_id", "ordinal", name=f"uq_{name}_doc_id_ordinal"),
        sa.CheckConstraint(
            "evidence_start >= 0 AND evidence_end >= evidence_start",
            name=f"ck_{name}_evidence_span",
        ),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name=f"ck_{name}_confidence_range"),
        *constraints,
    )
    op.create_index(f"ix_{name}_doc_id", name, ["doc_id"])


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes", sa.String(64), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("title_start", sa.Integer(), nullable=True),
        sa.Column("title_end", sa.Integer(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_how", sa.String(16), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("furniture", JSON, nullable=False),
        sa.Column("ingested_at", TIMESTAMP, nullable=False),
        sa.Column("n_chars", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.ForeignKeyConstraint(["supersedes"], ["documents.id"], name="fk_documents_supersedes_documents"),
        sa.UniqueConstraint("source", "version", name="uq_documents_source_version"),
        sa.CheckConstraint("version >= 1", name="ck_documents_version_positive"),
        sa.CheckConstraint("(title_start IS NULL) = (title_end IS NULL)", name="ck_documents_title_span_whole"),
    )
    op.create_index("ix_documents_published", "documents", ["published"])

    _fact_table(
        "commitments",
        sa.Column("donor", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=True),
        sa.Column("amount", AMOUNT, nullable=True),
        sa.Column("currency", sa.String(8), nullable=True),
        sa.Column("money_text", sa.Text(), nullable=True),
        sa.Column("money", JSON, nullable=True),
        sa.Column("usd", AMOUNT, nullable=True),
        sa.Column("fx_rate", RATE, nullable=True),
        sa.Column("fx_date", sa.Date(), nullable=True),
        sa.Column("fx_source", sa.Text(), nullable=True),
        sa.Column("quantity", AMOUNT, nullable=True),
        sa.Column("item", sa.Text(), nullable=True),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("instrument", sa.String(16), nullable=False),
        sa.Column("channel", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("sectors", JSON, nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("alt_evidence", JSON, nullable=False),
        sa.Column("equivalents", JSON, nullable=False),
        sa.Column("part_of", sa.String(64), nullable=True),
        sa.Column("figure_start", sa.Integer(), nullable=True),
        sa.Column("figure_end", sa.Integer(), nullable=True),
        constraints=[
            sa.CheckConstraint(
                "(figure_start IS NULL) = (figure_end IS NULL)",
                name="ck_commitments_figure_span_whole",
            ),
            sa.ForeignKeyConstraint(["part_of"], ["commitments.id"], name="fk_commitments_part_of_commitments"),
            sa.CheckConstraint(
                "(usd IS NULL) = (fx_rate IS NULL) AND (usd IS NULL) = (fx_date IS NULL)",
                name="ck_commitments_conversion_whole",
            ),
        ],
    )
    for column in ("donor", "currency", "scope", "status", "date"):
        op.create_index(f"ix_commitments_{column}", "commitments", [column])

    _fact_table(
        "agreements",
        sa.Column("parties", JSON, nullable=False),
        sa.Column("agreement_type", sa.String(32), nullable=False),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("sectors", JSON, nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
    )
    op.create_index("ix_agreements_status", "agreements", ["status"])
    op.create_index("ix_agreements_date", "agreements", ["date"])

    _fact_table(
        "events",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("event_type", sa.String(16), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("participants", JSON, nullable=False),
    )
    op.create_index("ix_events_date", "events", ["date"])

    _fact_table(
        "people",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("affiliation", sa.Text(), nullable=True),
    )
    op.create_index("ix_people_name", "people", ["name"])

    op.create_table(
        "extractions",
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("notes", JSON, nullable=False),
        sa.Column("extracted_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("doc_id", name="pk_extractions"),
        sa.ForeignKeyConstraint(
            ["doc_id"],
            ["documents.id"],
            name="fk_extractions_doc_id_documents",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    # Indexes go with their tables on both backends.
    op.drop_table("extractions")
    for name in reversed(FACT_TABLES):
        op.drop_table(name)
    op.drop_table("documents")
