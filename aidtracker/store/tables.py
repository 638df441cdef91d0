"""The database schema as SQLAlchemy Core tables: one table per record type.

This module is the schema's single description. The Alembic migrations under `migrations/`
spell out the same tables by hand (so that an old migration never changes when this file
does), and a test compares the two.

Money and rates are exact decimals on every backend: PostgreSQL gets `NUMERIC`, SQLite (which
has no decimal type and would silently round through `float`) gets the canonical decimal
string. Nothing sorts or sums amounts in SQL on SQLite, so text storage costs nothing there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

# Names every constraint deterministically, so a later migration can drop one by name on any
# backend (SQLite's anonymous constraints cannot be addressed otherwise).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class ExactDecimal(sa.types.TypeDecorator[Decimal]):
    """A `Decimal` that round-trips exactly: NUMERIC(p, s) on PostgreSQL, text on SQLite.

    Values are rounded half-even to `scale` places on the way in on every backend, so that both
    backends return the same number; trailing zeros are dropped on the way out, so
    `Decimal("12100000000")` comes back as written rather than as `12100000000.0000`.
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int = 38, scale: int = 4) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.Text())
        return dialect.type_descriptor(self.impl_instance)

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"not a finite Decimal: {value!r}")
        # The default context holds 28 digits; NUMERIC(38, 4) holds 38.
        context = Context(prec=self.precision, rounding=ROUND_HALF_EVEN)
        try:
            rounded = value.quantize(Decimal(1).scaleb(-self.scale), context=context)
        except InvalidOperation:
            raise ValueError(f"{value} has more than {self.precision} digits") from None
        return plain(rounded) if dialect.name == "sqlite" else rounded

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(plain(Decimal(value)))


def plain(value: Decimal) -> str:
    """The shortest positional form of a decimal: `1.50` → `1.5`, `1E+3` → `1000`.

    Used wherever a decimal becomes text (SQLite columns, JSON, ids), so one amount has one
    spelling however the extractor happened to build it.
    """
    text = format(value, "f")  # not normalize(): it rounds to the context's 28 digits
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, although SQLite stores no zone at all."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; the store keeps UTC timestamps only")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSONB on PostgreSQL for indexability later; plain JSON (text) elsewhere.
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

AMOUNT = ExactDecimal(38, 4)
RATE = ExactDecimal(38, 12)  # USD per unit: a rupiah is worth about 0.00006 dollars

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("supersedes", sa.String(64), sa.ForeignKey("documents.id"), nullable=True, index=True),
    sa.Column("title", sa.Text),
    sa.Column("title_start", sa.Integer),
    sa.Column("title_end", sa.Integer),
    sa.Column("published", sa.Date, index=True),
    sa.Column("published_how", sa.String(16), nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("publisher", sa.Text),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("furniture", Json, nullable=False),
    sa.Column("ingested_at", UTCDateTime, nullable=False),
    sa.Column("n_chars", sa.Integer, nullable=False),
    # When this text was first known: its fetch time for a page read from the web (taken from the
    # snapshot, so a replay gives the same), else its ingest time. The next version's `known_from`
    # is when this one stopped being asserted. Nullable only so that migration 0005 could add it
    # without rebuilding the table on SQLite; every row has it.
    sa.Column("known_from", UTCDateTime, index=True),
    sa.UniqueConstraint("source", "version"),
    sa.CheckConstraint("version >= 1", name="version_positive"),
    sa.CheckConstraint("(title_start IS NULL) = (title_end IS NULL)", name="title_span_whole"),
)


def _fact_columns() -> list[sa.schema.SchemaItem]:
    """Columns every fact table shares: identity, document, position, evidence and provenance.

    `ordinal` is the fact's position in its extraction, so facts come back in the order the
    text states them and `part_of` indices can be rebuilt.
    """
    return [
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "doc_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("evidence_start", sa.Integer, nullable=False),
        sa.Column("evidence_end", sa.Integer, nullable=False),
        sa.Column("evidence_text", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.UniqueConstraint("doc_id", "ordinal"),
        sa.CheckConstraint("evidence_start >= 0 AND evidence_end >= evidence_start", name="evidence_span"),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
    ]


commitments = sa.Table(
    "commitments",
    metadata,
    *_fact_columns(),
    sa.Column("donor", sa.Text, nullable=False, index=True),
    sa.Column("recipient", sa.Text),
    sa.Column("amount", AMOUNT),
    sa.Column("currency", sa.String(8), index=True),
    sa.Column("money_text", sa.Text),
    sa.Column("money", Json),  # the whole Money as read: span, range end, qualifier
    sa.Column("usd", AMOUNT),
    sa.Column("fx_rate", RATE),
    sa.Column("fx_date", sa.Date),
    sa.Column("fx_source", sa.Text),
    sa.Column("quantity", AMOUNT),
    sa.Column("item", sa.Text),
    sa.Column("scope", sa.String(16), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("instrument", sa.String(16), nullable=False),
    sa.Column("channel", sa.Text),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("purpose", sa.Text),
    sa.Column("sectors", Json, nullable=False),
    sa.Column("date", sa.Date, index=True),
    sa.Column("alt_evidence", Json, nullable=False),
    sa.Column("equivalents", Json, nullable=False),
    # Indexed: deleting a commitment looks up the parts that point at it (migration 0009).
    sa.Column("part_of", sa.String(64), sa.ForeignKey("commitments.id"), nullable=True, index=True),
    sa.Column("figure_start", sa.Integer),  # where the figure itself is written
    sa.Column("figure_end", sa.Integer),
    sa.CheckConstraint("(figure_start IS NULL) = (figure_end IS NULL)", name="figure_span_whole"),
    sa.CheckConstraint(
        "(usd IS NULL) = (fx_rate IS NULL) AND (usd IS NULL) = (fx_date IS NULL)",
        name="conversion_whole",
    ),
)

agreements = sa.Table(
    "agreements",
    metadata,
    *_fact_columns(),
    sa.Column("parties", Json, nullable=False),
    sa.Column("agreement_type", sa.String(32), nullable=False),
    sa.Column("subject", sa.Text),
    sa.Column("sectors", Json, nullable=False),
    sa.Column("count", sa.Integer),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("date", sa.Date, index=True),
)

events = sa.Table(
    "events",
    metadata,
    *_fact_columns(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("event_type", sa.String(16), nullable=False),
    sa.Column("date", sa.Date, index=True),
    sa.Column("end_date", sa.Date),
    sa.Column("location", sa.Text),
    sa.Column("participants", Json, nullable=False),
)

people = sa.Table(
    "people",
    metadata,
    *_fact_columns(),
    sa.Column("name", sa.Text, nullable=False, index=True),
    sa.Column("aliases", Json, nullable=False),
    sa.Column("role", sa.Text),
    sa.Column("affiliation", sa.Text),
)

# One row per document that has been through extraction, so "extracted, found nothing" differs
# from "never extracted".
extractions = sa.Table(
    "extractions",
    metadata,
    sa.Column(
        "doc_id",
        sa.String(64),
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("notes", Json, nullable=False),
    sa.Column("extracted_at", UTCDateTime, nullable=False),
)

FACT_TABLES: dict[str, sa.Table] = {
    "commitments": commitments,
    "agreements": agreements,
    "events": events,
    "people": people,
}

# -- resolution: a derived layer over the facts, rebuilt whole by each run ---------------------
# Mention ids point into the four fact tables without foreign keys: a re-extraction replaces a
# document's facts, and the clusters that named the old ones stay readable (and explainable)
# until resolution runs again. Every table keeps the record order in `ordinal`, so what is read
# back equals what was written.

clusters = sa.Table(
    "clusters",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False, index=True),
    sa.Column("representative", sa.String(64), nullable=False),
    sa.Column("fields", Json, nullable=False),
    sa.Column("disagreements", Json, nullable=False),
    sa.Column("publishers", Json, nullable=False),
    sa.Column("n_publishers", sa.Integer, nullable=False),
    sa.Column("first_reported", sa.Date),
    sa.Column("last_reported", sa.Date),
    # Copied out of `fields` for the queries and sums on commitment clusters.
    sa.Column("donor", sa.Text, index=True),
    sa.Column("recipient", sa.Text),
    sa.Column("currency", sa.String(8), index=True),
    sa.Column("amount", AMOUNT),
    sa.Column("usd", AMOUNT),
    sa.Column("scope", sa.String(16), index=True),
    sa.Column("status", sa.String(16)),
    sa.Column("instrument", sa.String(16)),
    sa.Column("channel", sa.Text),
    sa.Column("date", sa.Date, index=True),
    sa.Column("sectors", Json, nullable=False),
    # Indexed: deleting a cluster looks up the parts that point at it (migration 0009).
    sa.Column("part_of", sa.String(64), sa.ForeignKey("clusters.id"), nullable=True, index=True),
)

# For a page of commitments filtered by donor (or recipient) and scope, sorted by date
# (`view.commitment_page`). The first holds the page's whole query in the page's own order
# (undated last, newest first, ties by id: `view.effective_date_column`), so the newest page
# of a donor with fifty thousand clusters reads fifty index entries instead of sorting them
# all, and the count is read from it too; the donor spellings are listed by seeking through it
# (`view.distinct_values`).
_effective_date = sa.func.coalesce(clusters.c.date, clusters.c.first_reported)
sa.Index(
    "ix_clusters_commitment_page",
    clusters.c.kind,
    clusters.c.donor,
    clusters.c.scope,
    _effective_date.is_(None),
    _effective_date.desc(),
    clusters.c.id,
)
sa.Index("ix_clusters_kind_recipient", clusters.c.kind, clusters.c.recipient)

cluster_members = sa.Table(
    "cluster_members",
    metadata,
    sa.Column("cluster_id", sa.String(64), sa.ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("mention_id", sa.String(64), primary_key=True, index=True),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),  # the mention's own: commitment, agreement, event, person
)

# Machine judgements are replaced by every run; anyone else's (a reviewer's) are kept.
judgements = sa.Table(
    "judgements",
    metadata,
    sa.Column("left", sa.String(64), primary_key=True),  # the key's prefix serves lookups by left
    sa.Column("right", sa.String(64), primary_key=True, index=True),
    sa.Column("by", sa.String(64), primary_key=True),
    sa.Column("ordinal", sa.Integer),  # NULL for a judgement added outside a resolution run
    sa.Column("same", sa.Boolean, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", Json, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

links = sa.Table(
    "links",
    metadata,
    sa.Column("kind", sa.String(32), primary_key=True),
    sa.Column(
        "source", sa.String(64), sa.ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
    sa.Column("target", sa.String(64), sa.ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True, index=True),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

conflicts = sa.Table(
    "conflicts",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("clusters", Json, nullable=False),
    sa.Column("mentions", Json, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
)

actors = sa.Table(
    "actors",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.String(32), nullable=False, index=True),
    sa.Column("country", sa.Text),
    sa.Column("mentions", Json, nullable=False),
)

# Every alias, and the canonical name too (with a NULL ordinal), folded for case- and
# accent-blind lookup: "Shmyhal", "SHMYHAL" and "Šmyhal" find the same person.
actor_aliases = sa.Table(
    "actor_aliases",
    metadata,
    sa.Column("actor_id", sa.String(64), sa.ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("alias", sa.Text, primary_key=True),
    sa.Column("ordinal", sa.Integer),
    sa.Column("folded", sa.Text, nullable=False, index=True),
)

actor_roles = sa.Table(
    "actor_roles",
    metadata,
    sa.Column("actor_id", sa.String(64), sa.ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("ordinal", sa.Integer, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("affiliation", sa.Text),
    sa.Column("attested", sa.Date),
    sa.Column("doc_id", sa.String(64), nullable=False),
)

# Made by migration 0003 on SQLite, outside this metadata: the full-text index of documents (an
# FTS5 virtual table, and the shadow tables SQLite keeps for it). Schema comparisons skip them.
SEARCH_INDEX = "documents_fts"


def in_metadata(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name` hook: False for the search index, which this module does not describe."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_INDEX))


# `dedupe.totals` of the whole stored resolution, one row per grouping, written with it by
# `replace_resolution`: unfiltered totals are read rather than recomputed from every cluster.
stored_totals = sa.Table(
    "stored_totals",
    metadata,
    sa.Column("by", sa.String(16), primary_key=True),
    sa.Column("body", Json, nullable=False),  # `Totals.as_dict()`
)

# One row, given a fresh token whenever `stored_totals` is written (migration 0007): a reader
# that keeps parsed totals in memory reads this, not megabytes of bodies, to know they still hold.
totals_stamp = sa.Table(
    "totals_stamp",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("stamp", sa.String(32), nullable=False),
)

# In the order a replacement deletes them: children before the rows they point at.
RESOLUTION_TABLES: tuple[sa.Table, ...] = (
    actor_roles,
    actor_aliases,
    actors,
    conflicts,
    links,
    cluster_members,
    clusters,
)

# -- review and access: people's decisions, which no run of the pipeline replaces ---------------

# The audit trail, one row per action, never updated or deleted (triggers made by migration 0004
# refuse both). A review names the evidence it applies to in `keys` (document, fact type, spans),
# not fact or cluster ids, so that it outlives re-extraction; `targets` keeps the ids named.
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("by", sa.String(64), nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("targets", Json, nullable=False),
    sa.Column("keys", Json, nullable=False),
    sa.Column("before", Json, nullable=False),
    sa.Column("after", Json, nullable=False),
    sa.Column("comment", sa.Text),
    sa.CheckConstraint("action IN ('confirm', 'correct', 'reject', 'merge', 'split')", name="action_known"),
)

# Who may write over the API. Only a hash of each token is kept (see aidtracker.auth); a revoked
# user keeps its row, without a token, so that the names in the audit trail stay explained.
users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_hash", sa.String(64), unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
    sa.CheckConstraint("role IN ('reviewer', 'admin')", name="role_known"),
    sa.CheckConstraint("(token_hash IS NULL) = (revoked_at IS NOT NULL)", name="token_while_active"),
)

# -- sources and snapshots: what is followed on the web, and every copy of it that was read ------

# Feeds, sitemaps and pages that `aidtracker watch` polls. The snapshot archive also records each
# addition and removal, so that a replay restores this list.
sources = sa.Table(
    "sources",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("checked_at", UTCDateTime),
    sa.Column("outcome", sa.Text),  # the last poll's one-line summary
    sa.Column("error", sa.Text),  # the last poll's failure, if it failed
    sa.CheckConstraint("kind IN ('feed', 'sitemap', 'page')", name="kind_known"),
)

# The manifest of the snapshot archive: one row per response kept (the bytes are in the WARC
# files), with what the conditional GET of the next poll needs and the document it gave.
snapshots = sa.Table(
    "snapshots",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # the WARC record id
    sa.Column("url", sa.Text, nullable=False, index=True),  # as requested
    sa.Column("final_url", sa.Text, nullable=False),  # after redirects
    sa.Column("source", sa.Text, nullable=False),  # the followed source that led here
    sa.Column("role", sa.String(16), nullable=False),  # feed, sitemap, page or article
    sa.Column("fetched_at", UTCDateTime, nullable=False, index=True),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("content_type", sa.Text),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("digest", sa.String(80), nullable=False),  # of the body, as WARC-Payload-Digest
    sa.Column("length", sa.Integer, nullable=False),
    sa.Column("file", sa.Text, nullable=False),  # the WARC file, relative to the archive
    sa.Column("offset", sa.BigInteger, nullable=False),  # of the record in that file
    sa.Column("doc_id", sa.String(64), index=True),  # the document this response was read as
)
