"""The writing half of the store: documents and extractions in, within one transaction each.

Every function takes a connection that is already inside a transaction (the `Store` opens
it), so a failure anywhere rolls back everything the call wrote. Records are checked before
any SQL runs, so a bad extraction is reported by what is wrong with it rather than by which
constraint the database tripped over.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from itertools import islice

import sqlalchemy as sa

from aidtracker.dedupe.totals import GROUPINGS, totals
from aidtracker.errors import StorageError
from aidtracker.records import Article, Extraction, Fact, Judgement, Resolution
from aidtracker.store import rows, view
from aidtracker.store.tables import (
    FACT_TABLES,
    RESOLUTION_TABLES,
    actor_aliases,
    actor_roles,
    actors,
    cluster_members,
    clusters,
    commitments,
    conflicts,
    documents,
    extractions,
    judgements,
    links,
    stored_totals,
    totals_stamp,
)
from aidtracker.types import ActorType

MACHINE = "machine"  # the `by` of the resolver's own judgements; any other `by` is a reviewer

# Arbitrary but fixed, and not the migration lock's: PostgreSQL runs writers concurrently, and two
# replacements interleaving their deletes and inserts would collide on the same keys. SQLite
# needs nothing, since its writing transactions take the database's write lock up front.
_PG_RESOLUTION_LOCK = 0x41_49_44_52  # "AIDR"


class AddOutcome(StrEnum):
    """What `add_article` did; compares equal to its plain string value."""

    ADDED = "added"  # a source seen for the first time
    UNCHANGED = "unchanged"  # this exact text is already stored (from any source)
    NEW_VERSION = "new_version"  # a changed text from a source already stored


def add_article(conn: sa.Connection, article: Article, *, now: datetime, at: datetime | None = None) -> AddOutcome:
    """Store `article` unless its text is already stored; a changed text becomes a new version.

    A text identical to one already stored is "unchanged" even when it came from another
    source or reverts a source to an earlier text: the id is the text's hash, and one text is
    one document. `at` is when the text was read (a page's fetch time), else `now`: the new
    version's `known_from`, and so the moment its predecessor stopped being asserted.
    """
    d = documents.c
    if conn.execute(sa.select(d.id).where(d.id == article.id)).first() is not None:
        return AddOutcome.UNCHANGED
    latest = conn.execute(
        sa.select(d.id, d.version).where(d.source == article.source).order_by(d.version.desc()).limit(1)
    ).first()
    version, supersedes = (latest.version + 1, latest.id) if latest else (1, None)
    row = rows.article_row(article, version=version, supersedes=supersedes, now=now, known_from=at)
    conn.execute(sa.insert(documents), [row])
    return AddOutcome.NEW_VERSION if latest else AddOutcome.ADDED


def replace_extraction(conn: sa.Connection, extraction: Extraction, *, extractor: str, now: datetime) -> None:
    """Replace every fact stored for the extraction's document with the ones it holds."""
    doc_id = extraction.doc_id
    n_chars = conn.execute(sa.select(documents.c.n_chars).where(documents.c.id == doc_id)).scalar_one_or_none()
    if n_chars is None:
        raise StorageError(f"cannot store facts for {doc_id}: no such document is stored")
    _check(extraction, extractor=extractor, n_chars=n_chars)

    for table in FACT_TABLES.values():
        conn.execute(sa.delete(table).where(table.c.doc_id == doc_id))
    conn.execute(sa.delete(extractions).where(extractions.c.doc_id == doc_id))

    table_rows = rows.fact_rows(extraction, extractor=extractor)
    # A package may be listed after its parts, so `part_of` is set once every row exists
    # rather than inserting in an order the foreign key would accept.
    cmt = table_rows["commitments"]
    links = [{"b_id": r["id"], "b_part_of": cmt[r["part_of"]]["id"]} for r in cmt if r["part_of"] is not None]
    for r in cmt:
        r["part_of"] = None
    for name, table in FACT_TABLES.items():
        if table_rows[name]:
            conn.execute(sa.insert(table), table_rows[name])
    if links:
        conn.execute(
            sa.update(commitments)
            .where(commitments.c.id == sa.bindparam("b_id"))
            .values(part_of=sa.bindparam("b_part_of")),
            links,
        )
    conn.execute(
        sa.insert(extractions),
        [{"doc_id": doc_id, "extractor": extractor, "notes": list(extraction.notes), "extracted_at": now}],
    )


def _check(extraction: Extraction, *, extractor: str, n_chars: int) -> None:
    """Refuse an extraction whose facts point outside its own document or commitment list."""
    doc_id = extraction.doc_id
    if not extractor:
        raise StorageError(f"facts for {doc_id} need the versioned name of their extractor")
    facts: tuple[Fact, ...] = (*extraction.commitments, *extraction.agreements, *extraction.events, *extraction.people)
    for fact in facts:
        name = type(fact).__name__.lower()
        if fact.doc_id != doc_id or fact.evidence.doc_id != doc_id:
            raise StorageError(
                f"a {name} from {fact.doc_id} (evidence in {fact.evidence.doc_id}) cannot be "
                f"stored with the extraction of {doc_id}"
            )
        if fact.evidence.span.end > n_chars:
            raise StorageError(
                f"a {name} in {doc_id} cites characters {fact.evidence.span.start}.."
                f"{fact.evidence.span.end}, past the end of its {n_chars}-character text"
            )
    n = len(extraction.commitments)
    for i, c in enumerate(extraction.commitments):
        if c.part_of is not None and not (0 <= c.part_of < n and c.part_of != i):
            raise StorageError(
                f"commitment {i} of {doc_id} is part_of {c.part_of}, which is not another of its {n} commitments"
            )


# ------------------------------------------------------------------------------- resolution


def replace_resolution(conn: sa.Connection, resolution: Resolution, *, now: datetime) -> None:
    """Make `resolution` the stored one; reviewers' judgements stay exactly as they were.

    Resolution is recomputed whole from the mentions, so replacing every row is both simpler
    and truer than merging. Judgements not made by the machine are a person's decisions: they
    are never deleted or changed here, and one the resolution repeats is not inserted twice.
    """
    _check_resolution(resolution)
    _lock_resolution(conn)
    for table in RESOLUTION_TABLES:
        conn.execute(sa.delete(table))
    conn.execute(sa.delete(judgements).where(judgements.c.by == MACHINE))

    # The first `part_of` link from a cluster, as a column, so that a query can skip parts.
    part_of: dict[str, str] = {}
    for link in resolution.links:
        if link.kind == "part_of":
            part_of.setdefault(link.source, link.target)
    _insert(conn, clusters, (rows.cluster_row(c, ordinal=i, part_of=None) for i, c in enumerate(resolution.clusters)))
    if part_of:
        # Set once every cluster exists: a part may be listed before its package.
        conn.execute(
            sa.update(clusters).where(clusters.c.id == sa.bindparam("b_id")).values(part_of=sa.bindparam("b_part_of")),
            [{"b_id": source, "b_part_of": target} for source, target in part_of.items()],
        )
    _insert(conn, cluster_members, (r for c in resolution.clusters for r in rows.member_rows(c)))
    _insert(conn, links, (rows.link_row(link, ordinal=i) for i, link in enumerate(resolution.links)))
    _insert(conn, conflicts, (rows.conflict_row(c, ordinal=i) for i, c in enumerate(resolution.conflicts)))
    _insert(conn, actors, (rows.actor_row(a, ordinal=i) for i, a in enumerate(resolution.actors)))
    _insert(conn, actor_aliases, (r for a in resolution.actors for r in rows.alias_rows(a)))
    _insert(conn, actor_roles, (r for a in resolution.actors for r in rows.role_rows(a)))

    _store_totals(conn, resolution)

    j = judgements.c
    kept = {(left, right, by) for left, right, by in conn.execute(sa.select(j.left, j.right, j.by))}
    _insert(
        conn,
        judgements,
        (
            rows.judgement_row(x, ordinal=i, now=now)
            for i, x in enumerate(resolution.judgements)
            if (x.left, x.right, x.by) not in kept
        ),
    )


def restore_totals(conn: sa.Connection) -> None:
    """Store the totals of the resolution already stored (after a bulk load that wrote its rows directly)."""
    _store_totals(conn, view.resolution(conn))


def _store_totals(conn: sa.Connection, resolution: Resolution) -> None:
    """The resolution's unfiltered totals for every grouping, kept beside it (see `stored_totals`).

    Written in the same transaction as the clusters they sum, so they are never stale; the
    cumulative claims quote their representative mentions, read here as `query.totals_of` reads them.
    """
    if not sa.inspect(conn).has_table(stored_totals.name):
        return  # a schema from before migration 0006 (written to by tests of upgrades): nothing to keep
    conn.execute(sa.delete(stored_totals))
    # A digest of what was stored, not a random token: the same record gives the same database.
    # One grouping is built, stored and hashed at a time: each lists every cluster it sums.
    # The claims, conflicts and left-out parts of unfiltered totals are the same in every grouping
    # (160,698 conflicts, 83 MB of JSON at 10k generated articles): they are stored once.
    digest = hashlib.sha256()
    if resolution.clusters:  # nothing to sum: an empty layer stays empty, and totals of nothing are quick
        quoted = [c.representative for c in resolution.clusters if c.fields.get("scope") == "cumulative"]
        mentions = view.mentions_by_id(conn, quoted) if quoted else {}
        for k, by in enumerate(GROUPINGS):
            body = totals(resolution, mentions, by=by).as_dict(conflict_mentions=True, shared=k == 0)
            found = [{"by": by, "body": {key: body[key] for key in ("by", "groups")}}]
            if k == 0:
                found.append({"by": view.SHARED_TOTALS, "body": {key: body[key] for key in view.SHARED_PARTS}})
            for row in found:
                conn.execute(sa.insert(stored_totals), [row])
                digest.update(json.dumps(row, sort_keys=True).encode() + b"\n")
    if sa.inspect(conn).has_table(totals_stamp.name):  # from migration 0007 on
        conn.execute(sa.delete(totals_stamp))
        conn.execute(sa.insert(totals_stamp).values(id=1, stamp=digest.hexdigest()[:32]))


def add_judgement(conn: sa.Connection, judgement: Judgement, *, now: datetime) -> None:
    """Record a reviewer's judgement of a pair, replacing that reviewer's earlier one."""
    if judgement.by == MACHINE or not judgement.by:
        raise StorageError(
            f"a judgement of {judgement.left} and {judgement.right} needs the reviewer's name as `by`; "
            f"{MACHINE!r} judgements come from resolution and are replaced by each run"
        )
    _lock_resolution(conn)
    j = judgements.c
    conn.execute(
        sa.delete(judgements).where(j.left == judgement.left, j.right == judgement.right, j.by == judgement.by)
    )
    conn.execute(sa.insert(judgements), [rows.judgement_row(judgement, ordinal=None, now=now)])


def _lock_resolution(conn: sa.Connection) -> None:
    """Queue behind any other transaction writing the resolution layer, until this one ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_RESOLUTION_LOCK})


def _insert(conn: sa.Connection, table: sa.Table, table_rows: Iterable[rows.Row]) -> None:
    """Insert rows a slice at a time: a resolution's rows are never all built at once."""
    pending = iter(table_rows)
    while chunk := list(islice(pending, _INSERT_CHUNK)):
        conn.execute(sa.insert(table), chunk)


_INSERT_CHUNK = 5_000


def _check_resolution(resolution: Resolution) -> None:
    """Refuse a resolution that contradicts itself, naming the record at fault.

    Mention ids are not checked against the fact tables: a resolution is only ever computed
    from stored mentions, and the layer must stay readable when facts are re-extracted.
    """
    cluster_ids = _unique("cluster", [c.id for c in resolution.clusters])
    for c in resolution.clusters:
        if not c.members:
            raise StorageError(f"cluster {c.id} has no members")
        _unique(f"member of cluster {c.id}", list(c.members))
        if c.representative not in c.members:
            raise StorageError(f"cluster {c.id} is represented by {c.representative}, which is not one of its members")
    for link in resolution.links:
        for end in (link.source, link.target):
            if end not in cluster_ids:
                raise StorageError(f"{link.kind} link {link.source} → {link.target}: {end} is not a cluster")
    _unique("link", [(x.kind, x.source, x.target) for x in resolution.links])
    _unique("conflict", [c.id for c in resolution.conflicts])
    _unique("actor", [a.id for a in resolution.actors])
    for a in resolution.actors:
        if a.type not in set(ActorType):
            raise StorageError(f"actor {a.id} ({a.name}) has type {a.type!r}, not one of {', '.join(ActorType)}")
        _unique(f"alias of actor {a.id}", list(a.aliases))
    _unique("judgement", [(x.left, x.right, x.by) for x in resolution.judgements])


def _unique(what: str, keys: Sequence[Hashable]) -> set[Hashable]:
    seen: set[Hashable] = set()
    for key in keys:
        if key in seen:
            raise StorageError(f"{what} {key} appears twice in the resolution")
        seen.add(key)
    return seen
