"""The reading half of the store: stored rows back out as records and summaries.

Like the writer, each function takes a connection inside a transaction, so a multi-query
answer (a page of articles with their fact counts, the statistics) is one consistent
snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from aidtracker.errors import StorageError
from aidtracker.records import Agreement, Article, Commitment, Event, Extraction, Fact, Person
from aidtracker.store import rows
from aidtracker.store.tables import (
    FACT_TABLES,
    agreements,
    commitments,
    documents,
    events,
    extractions,
    people,
)

MIN_PREFIX = 6  # hex digits after "doc_": shorter prefixes are ambiguous in any real corpus
_DOC_PREFIX = "doc_"


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One stored document version in a listing: what it is, and how many facts it gave."""

    id: str
    source: str
    version: int
    title: str | None
    published: date | None
    publisher: str | None
    n_chars: int
    ingested_at: datetime
    commitments: int
    agreements: int
    events: int
    people: int


def articles(conn: sa.Connection, *, limit: int | None, offset: int) -> list[ArticleRow]:
    """Every stored version, by source then version, with its fact counts."""
    d = documents.c
    counts = {
        name: sa.select(table.c.doc_id, sa.func.count().label("n")).group_by(table.c.doc_id).subquery(f"n_{name}")
        for name, table in FACT_TABLES.items()
    }
    query = sa.select(
        d.id,
        d.source,
        d.version,
        d.title,
        d.published,
        d.publisher,
        d.n_chars,
        d.ingested_at,
        *(sa.func.coalesce(sub.c.n, 0).label(name) for name, sub in counts.items()),
    )
    joined: sa.FromClause = documents
    for sub in counts.values():
        joined = joined.outerjoin(sub, sub.c.doc_id == d.id)
    query = query.select_from(joined).order_by(d.source, d.version).limit(limit).offset(offset)
    return [ArticleRow(**row) for row in conn.execute(query).mappings()]


def article(conn: sa.Connection, ref: str) -> Article | None:
    """The document `ref` names: a full id, a source (its latest version) or an id prefix."""
    d = documents.c
    row = conn.execute(sa.select(documents).where(d.id == ref)).mappings().first()
    if row is None:
        row = (
            conn.execute(sa.select(documents).where(d.source == ref).order_by(d.version.desc()).limit(1))
            .mappings()
            .first()
        )
    if row is None:
        row = _by_prefix(conn, ref)
    return rows.article_from_row(row) if row is not None else None


def _by_prefix(conn: sa.Connection, ref: str) -> sa.RowMapping | None:
    prefix = ref if ref.startswith(_DOC_PREFIX) else _DOC_PREFIX + ref
    if len(prefix) - len(_DOC_PREFIX) < MIN_PREFIX:
        return None
    found = (
        conn.execute(
            sa.select(documents)
            .where(documents.c.id.startswith(prefix, autoescape=True))
            .order_by(documents.c.id)
            .limit(6)
        )
        .mappings()
        .all()
    )
    if len(found) > 1:
        shown = ", ".join(r["id"] for r in found[:5])
        more = ", ..." if len(found) > 5 else ""
        raise StorageError(f"{ref!r} is ambiguous: it starts {shown}{more}; give more of the id")
    return found[0] if found else None


def latest_page(conn: sa.Connection, *, after: str | None, size: int) -> list[Article]:
    """Up to `size` latest-version documents whose sources sort after `after`.

    Paging by source (keyset, not offset) means each page is a cheap index range and no
    source is skipped or repeated even if documents are added between pages.
    """
    d = documents.c
    newer = documents.alias("newer")
    query = sa.select(documents).where(~sa.exists().where(newer.c.source == d.source, newer.c.version > d.version))
    if after is not None:
        query = query.where(d.source > after)
    query = query.order_by(d.source).limit(size)
    return [rows.article_from_row(row) for row in conn.execute(query).mappings()]


def facts(conn: sa.Connection, doc_id: str | None) -> list[Fact]:
    """Stored facts as records: commitments, agreements, events, people, each in text order."""

    def select(table: sa.Table) -> list[sa.RowMapping]:
        query = sa.select(table).order_by(table.c.doc_id, table.c.ordinal)
        if doc_id is not None:
            query = query.where(table.c.doc_id == doc_id)
        return list(conn.execute(query).mappings())

    cmt_rows = select(commitments)
    # `part_of` is stored as a row id and handed back as the position the extraction used.
    ordinal = {r["id"]: r["ordinal"] for r in cmt_rows}
    result: list[Fact] = [
        rows.commitment_from_row(r, ordinal[r["part_of"]] if r["part_of"] else None) for r in cmt_rows
    ]
    result += [rows.agreement_from_row(r) for r in select(agreements)]
    result += [rows.event_from_row(r) for r in select(events)]
    result += [rows.person_from_row(r) for r in select(people)]
    return result


def extraction(conn: sa.Connection, doc_id: str) -> Extraction | None:
    """The last extraction stored for a document, or None if it was never extracted."""
    run = conn.execute(sa.select(extractions).where(extractions.c.doc_id == doc_id)).mappings().first()
    if run is None:
        return None
    found = facts(conn, doc_id)
    return Extraction(
        doc_id=doc_id,
        commitments=tuple(f for f in found if isinstance(f, Commitment)),
        agreements=tuple(f for f in found if isinstance(f, Agreement)),
        events=tuple(f for f in found if isinstance(f, Event)),
        people=tuple(f for f in found if isinstance(f, Person)),
        extractor=run["extractor"],
        notes=tuple(run["notes"]),
    )


def stats(conn: sa.Connection) -> dict[str, Any]:
    """Counts for a status line: see `Store.stats` for the keys."""
    d = documents.c

    def scalar(query: sa.Select[Any]) -> Any:
        return conn.execute(query).scalar_one()

    per_currency = conn.execute(
        sa.select(commitments.c.currency, sa.func.count())
        .where(commitments.c.currency.is_not(None))
        .group_by(commitments.c.currency)
        .order_by(commitments.c.currency)
    ).all()
    first, last = conn.execute(sa.select(sa.func.min(d.published), sa.func.max(d.published))).one()
    return {
        "documents": scalar(sa.select(sa.func.count()).select_from(documents)),
        "versions": scalar(sa.select(sa.func.count()).where(d.version > 1)),
        "sources": scalar(sa.select(sa.func.count(sa.distinct(d.source)))),
        "extracted": scalar(sa.select(sa.func.count()).select_from(extractions)),
        "facts": {name: scalar(sa.select(sa.func.count()).select_from(table)) for name, table in FACT_TABLES.items()},
        "commitments_per_currency": {currency: n for currency, n in per_currency},
        "published": {"first": first, "last": last},
    }
