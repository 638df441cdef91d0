"""Sources, snapshots and document versions in time: the SQL behind following the web and time travel.

Like the writer and the view, each function takes a connection already inside a transaction.
Three things live here:

- the followed sources (`sources` table) and the manifest of the snapshot archive (`snapshots`),
  which the watcher reads for its conditional GETs;
- the timeline of a source's versions: each version is asserted from its `known_from` until the
  next version's, so "known until" is derived, never stored, and cannot disagree with the versions;
- `copy_as_of`, which copies into another store exactly the rows that existed at a moment:
  the document versions known by then, their facts, and the reviews made by then. Resolving that
  copy with the ordinary code gives the record as it stood, with nothing forked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from aidtracker.errors import StorageError
from aidtracker.store.tables import (
    FACT_TABLES,
    documents,
    extractions,
    judgements,
    reviews,
    snapshots,
    sources,
)
from aidtracker.store.writer import MACHINE

SOURCE_KINDS = ("feed", "sitemap", "page")


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A followed source and how its last poll went."""

    url: str
    kind: str
    added_at: datetime
    checked_at: datetime | None
    outcome: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """One kept response: where its bytes are, what the next conditional GET needs, what it gave."""

    id: str
    url: str
    final_url: str
    source: str
    role: str
    fetched_at: datetime
    status: int
    content_type: str | None
    etag: str | None
    last_modified: str | None
    digest: str
    length: int
    file: str
    offset: int
    doc_id: str | None


@dataclass(frozen=True, slots=True)
class VersionRow:
    """One stored version of a source, with the interval in which it was the one asserted."""

    id: str
    source: str
    version: int
    title: str | None
    published: Any
    known_from: datetime
    known_until: datetime | None  # when the next version became known; None while current
    n_chars: int


# ------------------------------------------------------------------------------------ sources


def add_source(conn: sa.Connection, url: str, kind: str, *, now: datetime) -> bool:
    """Follow `url`; False (and nothing changed) if it is followed already, under any kind."""
    if kind not in SOURCE_KINDS:
        raise StorageError(f"a source is a {', '.join(SOURCE_KINDS)}, not {kind!r}")
    if conn.execute(sa.select(sources.c.url).where(sources.c.url == url)).first() is not None:
        return False
    conn.execute(sa.insert(sources), [{"url": url, "kind": kind, "added_at": now}])
    return True


def remove_source(conn: sa.Connection, url: str) -> bool:
    """Stop following `url`; what was read from it stays. False if it was not followed."""
    return conn.execute(sa.delete(sources).where(sources.c.url == url)).rowcount > 0


def list_sources(conn: sa.Connection) -> list[SourceRow]:
    return [SourceRow(**r) for r in conn.execute(sa.select(sources).order_by(sources.c.url)).mappings()]


def record_check(conn: sa.Connection, url: str, *, at: datetime, outcome: str, error: str | None) -> None:
    conn.execute(sa.update(sources).where(sources.c.url == url).values(checked_at=at, outcome=outcome, error=error))


# ---------------------------------------------------------------------------------- snapshots


def add_snapshot(conn: sa.Connection, row: SnapshotRow) -> None:
    """Add a response to the manifest; the same record twice (a replay over itself) changes nothing."""
    if conn.execute(sa.select(snapshots.c.id).where(snapshots.c.id == row.id)).first() is None:
        conn.execute(sa.insert(snapshots), [_as_dict(row)])


def last_snapshot(conn: sa.Connection, url: str) -> SnapshotRow | None:
    """The latest response kept for `url`, for the validators of a conditional GET."""
    s = snapshots.c
    found = (
        conn.execute(sa.select(snapshots).where(s.url == url).order_by(s.fetched_at.desc(), s.id.desc()).limit(1))
        .mappings()
        .first()
    )
    return SnapshotRow(**found) if found is not None else None


def snapshots_of(conn: sa.Connection, doc_id: str) -> list[SnapshotRow]:
    """Every response that was read as this document, oldest first."""
    s = snapshots.c
    query = sa.select(snapshots).where(s.doc_id == doc_id).order_by(s.fetched_at, s.id)
    return [SnapshotRow(**r) for r in conn.execute(query).mappings()]


def _as_dict(row: SnapshotRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in SnapshotRow.__slots__}


# ----------------------------------------------------------------------------------- versions


def versions(conn: sa.Connection, source: str) -> list[VersionRow]:
    """Every stored version of `source`, oldest first, each with the interval it was asserted in."""
    d = documents.c
    found = conn.execute(
        sa.select(d.id, d.source, d.version, d.title, d.published, d.known_from, d.ingested_at, d.n_chars)
        .where(d.source == source)
        .order_by(d.version)
    ).all()
    result: list[VersionRow] = []
    for i, r in enumerate(found):
        after = found[i + 1] if i + 1 < len(found) else None
        result.append(
            VersionRow(
                id=r.id,
                source=r.source,
                version=r.version,
                title=r.title,
                published=r.published,
                known_from=r.known_from or r.ingested_at,
                known_until=(after.known_from or after.ingested_at) if after is not None else None,
                n_chars=r.n_chars,
            )
        )
    return result


def change_points(
    conn: sa.Connection, *, after: tuple[datetime, str] | None, limit: int, newest: bool = False
) -> list[tuple[datetime, str]]:
    """(known_from, document id) of versions that became known after `after`, oldest first.

    With `newest`, the last `limit` of them (still oldest first), for a feed of recent changes.
    """
    d = documents.c
    known = sa.func.coalesce(d.known_from, d.ingested_at)
    query = sa.select(known.label("at"), d.id)
    if after is not None:
        at, doc_id = after
        query = query.where(sa.or_(known > at, sa.and_(known == at, d.id > doc_id)))
    if newest:
        found = [(r.at, r.id) for r in conn.execute(query.order_by(known.desc(), d.id.desc()).limit(limit))]
        return found[::-1]
    return [(r.at, r.id) for r in conn.execute(query.order_by(known, d.id).limit(limit))]


def last_change(conn: sa.Connection, until: datetime | None = None) -> datetime | None:
    """The last moment, up to `until`, at which the record changed: a version became known or a review was made."""
    d, r, j = documents.c, reviews.c, judgements.c
    known = sa.func.coalesce(d.known_from, d.ingested_at)
    moments = [
        (known, sa.select(sa.func.max(known))),
        (r.at, sa.select(sa.func.max(r.at))),
        (j.created_at, sa.select(sa.func.max(j.created_at)).where(j.by != MACHINE)),
    ]
    found = []
    for column, query in moments:
        if until is not None:
            query = query.where(column <= until)
        value = conn.execute(query).scalar_one_or_none()
        if value is not None:
            found.append(value if value.tzinfo else value.replace(tzinfo=UTC))
    return max(found, default=None)


def data_stamp(conn: sa.Connection) -> tuple[object, ...]:
    """A cheap summary that changes whenever the stored record does (for caching derived views)."""
    d, e, r = documents.c, extractions.c, reviews.c
    return (
        *conn.execute(sa.select(sa.func.count(), sa.func.max(d.ingested_at))).one(),
        *conn.execute(sa.select(sa.func.count(), sa.func.max(e.extracted_at))).one(),
        *conn.execute(sa.select(sa.func.count(), sa.func.max(r.id))).one(),
    )


def known_span(conn: sa.Connection) -> tuple[datetime | None, datetime | None]:
    """The first and last moment anything stored became known."""
    d = documents.c
    known = sa.func.coalesce(d.known_from, d.ingested_at)
    first, last = conn.execute(sa.select(sa.func.min(known), sa.func.max(known))).one()
    return first, last


def is_empty(conn: sa.Connection) -> bool:
    """True for a store holding no documents, sources or snapshots (a replay's target)."""
    return all(
        conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first() is None
        for t in (documents, sources, snapshots)
    )


# ------------------------------------------------------------------------------------- as of


def copy_as_of(source: sa.Connection, target: sa.Connection, when: datetime, *, batch: int = 200) -> int:
    """Copy into `target` (an empty store) the documents, facts and reviews that existed at `when`.

    A document version is copied if it was known by then, with its facts and extraction; every
    earlier version of its source is too, so the copy's latest versions are the ones asserted at
    `when`. Reviews made by then come along (with reviewers' judgements), since the record as it
    stood had them applied. The resolution is not copied: the caller resolves the copy. Returns
    the number of document versions copied.
    """
    d = documents.c
    known = sa.func.coalesce(d.known_from, d.ingested_at)
    ids = list(source.scalars(sa.select(d.id).where(known <= when).order_by(d.source, d.version)))
    # Versions go in source-then-version order, so a version's predecessor is always there first.
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        _copy(source, target, documents, d.id.in_(chunk), order=(d.source, d.version))
        for table in FACT_TABLES.values():
            _copy(
                source,
                target,
                table,
                table.c.doc_id.in_(chunk),
                order=(table.c.doc_id, table.c.ordinal),
                defer_part_of=table.name == "commitments",
            )
        _copy(source, target, extractions, extractions.c.doc_id.in_(chunk), order=(extractions.c.doc_id,))
    _copy(source, target, reviews, reviews.c.at <= when, order=(reviews.c.id,))
    j = judgements.c
    _copy(source, target, judgements, sa.and_(j.by != MACHINE, j.created_at <= when), order=(j.left, j.right, j.by))
    return len(ids)


def _copy(
    source: sa.Connection,
    target: sa.Connection,
    table: sa.Table,
    condition: sa.ColumnElement[bool],
    *,
    order: Iterable[sa.ColumnElement[Any]],
    defer_part_of: bool = False,
) -> None:
    found = [dict(r) for r in source.execute(sa.select(table).where(condition).order_by(*order)).mappings()]
    if not found:
        return
    links: list[dict[str, Any]] = []
    if defer_part_of:
        # A package may come after its parts; link them once every row of the batch exists.
        links = [{"b_id": r["id"], "b_part_of": r["part_of"]} for r in found if r["part_of"] is not None]
        for r in found:
            r["part_of"] = None
    target.execute(sa.insert(table), found)
    if links:
        target.execute(
            sa.update(table).where(table.c.id == sa.bindparam("b_id")).values(part_of=sa.bindparam("b_part_of")),
            links,
        )
