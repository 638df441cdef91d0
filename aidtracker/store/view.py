"""The reading half of the store: stored rows back out as records and summaries.

Like the writer, each function takes a connection inside a transaction, so a multi-query
answer (a page of articles with their fact counts, the statistics) is one consistent
snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from aidtracker.errors import StorageError
from aidtracker.records import (
    Agreement,
    Article,
    CanonicalActor,
    Cluster,
    Commitment,
    Conflict,
    Event,
    Extraction,
    Fact,
    Judgement,
    Link,
    Mention,
    Person,
    Resolution,
    Role,
)
from aidtracker.store import rows
from aidtracker.store.tables import (
    FACT_TABLES,
    actor_aliases,
    actor_roles,
    actors,
    agreements,
    cluster_members,
    clusters,
    commitments,
    conflicts,
    documents,
    events,
    extractions,
    judgements,
    links,
    people,
    totals_stamp,
)
from aidtracker.store.tables import stored_totals as stored_totals_table

IN_CHUNK = 10_000  # ids per IN list (see `_chunks`)
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


def is_extracted(conn: sa.Connection, doc_id: str) -> bool:
    """True if an extraction of the document is stored (even one that found no facts)."""
    found = conn.execute(sa.select(extractions.c.doc_id).where(extractions.c.doc_id == doc_id)).first()
    return found is not None


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


# ----------------------------------------------------------------------------------- mentions

_TABLE_OF_KIND = {kind: table for table, kind in rows.MENTION_KINDS.items()}
_TABLE_ORDER = {table: i for i, table in enumerate(FACT_TABLES)}


def mention_tables(kind: str | None) -> list[str]:
    """The fact tables holding mentions of `kind` (all four for None), in the order facts are listed."""
    if kind is None:
        return list(FACT_TABLES)
    if kind not in _TABLE_OF_KIND:
        raise ValueError(f"no mentions of kind {kind!r}; choose one of {', '.join(_TABLE_OF_KIND)}")
    return [_TABLE_OF_KIND[kind]]


def latest_doc_ids(conn: sa.Connection, *, after: str | None, size: int) -> list[str]:
    """Up to `size` ids, after `after` in id order, of documents no later version replaces."""
    d = documents.c
    newer = documents.alias("newer")
    query = sa.select(d.id).where(~sa.exists().where(newer.c.source == d.source, newer.c.version > d.version))
    if after is not None:
        query = query.where(d.id > after)
    return list(conn.scalars(query.order_by(d.id).limit(size)))


def mentions_of_documents(conn: sa.Connection, doc_ids: Collection[str], tables: Iterable[str]) -> list[Mention]:
    """The facts of these documents as mentions: by document id, then fact table, then ordinal."""
    found: list[tuple[str, int, int, Mention]] = []
    for name in tables:
        table = FACT_TABLES[name]
        for doc_id, ordinal, m in _mentions(conn, name, table.c.doc_id.in_(doc_ids)):
            found.append((doc_id, _TABLE_ORDER[name], ordinal, m))
    found.sort(key=lambda x: x[:3])
    return [m for *_, m in found]


def mentions_by_id(conn: sa.Connection, ids: Collection[str]) -> dict[str, Mention]:
    """The stored facts with these ids (of any version of their document), as mentions."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for mention_id in ids:
        kind = rows.mention_kind(mention_id, "")
        for name in [_TABLE_OF_KIND[kind]] if kind else FACT_TABLES:
            wanted[name].add(mention_id)
    found: dict[str, Mention] = {}
    for name, names_ids in wanted.items():
        for chunk in _chunks(sorted(names_ids)):
            for _, _, m in _mentions(conn, name, FACT_TABLES[name].c.id.in_(chunk)):
                found[m.id] = m
    return found


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    """`ids` in lists short enough for one IN: PostgreSQL takes at most 65,535 parameters a
    statement, and the stored totals of a million-mention record quote more mentions than that."""
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def _mentions(conn: sa.Connection, name: str, condition: sa.ColumnElement[bool]) -> list[tuple[str, int, Mention]]:
    """(document id, ordinal, mention) for the facts of one table that meet `condition`."""
    table = FACT_TABLES[name]
    d = documents.c
    doc_columns = (d.published, d.publisher, d.source, d.title)
    query = (
        sa.select(table, *(c.label(f"doc_{c.name}") for c in doc_columns))
        .join(documents, d.id == table.c.doc_id)
        .where(condition)
        .order_by(table.c.doc_id, table.c.ordinal)
    )
    found = list(conn.execute(query).mappings())
    ordinals = {r["id"]: r["ordinal"] for r in found}
    if name == "commitments":
        # `part_of` is stored as a row id and handed back as the position the extraction used.
        parents = {r["part_of"] for r in found if r["part_of"] is not None} - ordinals.keys()
        if parents:
            c = commitments.c
            ordinals |= {i: o for i, o in conn.execute(sa.select(c.id, c.ordinal).where(c.id.in_(parents)))}
    result = []
    for r in found:
        doc = {c.name: r[f"doc_{c.name}"] for c in doc_columns}
        result.append((r["doc_id"], r["ordinal"], rows.mention(_fact(name, r, ordinals), r["id"], doc)))
    return result


def _fact(name: str, row: sa.RowMapping, ordinals: dict[str, int]) -> Fact:
    if name == "commitments":
        return rows.commitment_from_row(row, ordinals[row["part_of"]] if row["part_of"] is not None else None)
    if name == "agreements":
        return rows.agreement_from_row(row)
    if name == "events":
        return rows.event_from_row(row)
    return rows.person_from_row(row)


# --------------------------------------------------------------------------------- resolution


@dataclass(frozen=True, slots=True)
class Explanation:
    """A cluster with everything needed to say why it is one: its mentions, judgements, relations.

    `missing` lists members whose facts are no longer stored (re-extracted since resolution
    last ran); `judgements` are every judgement naming a member, reviewers' included.
    """

    cluster: Cluster
    mentions: tuple[Mention, ...]
    missing: tuple[str, ...]
    judgements: tuple[Judgement, ...]
    links: tuple[Link, ...]
    conflicts: tuple[Conflict, ...]


def resolution(conn: sa.Connection) -> Resolution:
    """Everything stored by the last `replace_resolution`, plus reviewers' judgements."""
    return Resolution(
        clusters=tuple(_clusters(conn, sa.true())),
        judgements=tuple(_judgements(conn, sa.true())),
        links=tuple(rows.link_from_row(r) for r in conn.execute(sa.select(links).order_by(links.c.ordinal)).mappings()),
        conflicts=tuple(conflict_list(conn)),
        actors=tuple(actor_list(conn)),
    )


def cluster(conn: sa.Connection, ref: str) -> Cluster | None:
    """The cluster `ref` names: its id, a member mention's id, or a unique prefix of either."""
    c = clusters.c
    m = cluster_members.c
    if conn.execute(sa.select(c.id).where(c.id == ref)).first() is not None:
        return _one_cluster(conn, ref)
    holding = list(conn.scalars(sa.select(m.cluster_id).where(m.mention_id == ref).order_by(m.cluster_id)))
    if holding:
        return _one_cluster(conn, _only(ref, holding, what="mention"))
    if not _long_enough(ref):
        return None
    by_prefix = list(conn.scalars(sa.select(c.id).where(c.id.startswith(ref, autoescape=True)).order_by(c.id).limit(6)))
    if by_prefix:
        return _one_cluster(conn, _only(ref, by_prefix, what="prefix"))
    by_mention = list(
        conn.scalars(
            sa.select(m.cluster_id)
            .distinct()
            .where(m.mention_id.startswith(ref, autoescape=True))
            .order_by(m.cluster_id)
            .limit(6)
        )
    )
    return _one_cluster(conn, _only(ref, by_mention, what="prefix")) if by_mention else None


def clusters_of(conn: sa.Connection, mention_ids: Collection[str]) -> dict[str, str]:
    """Mention id → the id of the cluster holding it; a mention in several keeps the first by id."""
    m = cluster_members.c
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(set(mention_ids))):
        query = sa.select(m.mention_id, m.cluster_id).where(m.mention_id.in_(chunk)).order_by(m.cluster_id)
        for mention_id, cluster_id in conn.execute(query):
            found.setdefault(mention_id, cluster_id)
    return found


def _long_enough(ref: str) -> bool:
    """A prefix needs MIN_PREFIX characters after its type tag ("c_", "cmt_"): shorter ones are ambiguous."""
    return len(ref.split("_", 1)[-1]) >= MIN_PREFIX


def _only(ref: str, ids: list[str], *, what: str) -> str:
    if len(ids) == 1:
        return ids[0]
    shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
    if what == "mention":
        raise StorageError(f"mention {ref} is in several clusters ({shown}); give the cluster's id")
    raise StorageError(f"{ref!r} is ambiguous: it starts {shown}; give more of the id")


def _one_cluster(conn: sa.Connection, cluster_id: str) -> Cluster:
    return _clusters(conn, clusters.c.id == cluster_id)[0]


def cluster_list(
    conn: sa.Connection,
    *,
    kind: str | None,
    donor: str | None,
    recipient: str | None,
    scope: str | None,
    currency: str | None,
    status: str | None,
    instrument: str | None,
    sector: str | None,
    start: date | None,
    end: date | None,
) -> list[Cluster]:
    """Clusters whose stored columns match every filter given, in resolution order."""
    c = clusters.c
    conditions = [
        column == value
        for column, value in (
            (c.kind, kind),
            (c.donor, donor),
            (c.recipient, recipient),
            (c.scope, scope),
            (c.currency, currency),
            (c.status, status),
            (c.instrument, instrument),
        )
        if value is not None
    ]
    if start is not None:
        conditions.append(c.date >= start)
    if end is not None:
        conditions.append(c.date <= end)
    found = _clusters(conn, sa.and_(sa.true(), *conditions))
    if sector is None:
        return found
    # Sectors are a JSON list, which SQLite cannot index; the other filters have narrowed the rows.
    return [x for x in found if sector in _sectors(x)]


_SEEKABLE = ("donor", "recipient")  # cluster columns indexed after `kind` (see tables.py)


def distinct_values(conn: sa.Connection, column: str, *, kind: str) -> list[str]:
    """Every distinct non-null value of a cluster column among clusters of `kind`, sorted.

    Few values (donors, recipients) over many clusters: callers match names against these in
    Python (through the actor registry) and then filter on the column with an index.
    """
    if column not in _SEEKABLE:
        raise ValueError(f"cannot list the values of cluster column {column!r}")
    # A loose index scan: each step seeks the next value through the (kind, column, ...) index,
    # so the cost grows with the number of values, not of clusters (a plain DISTINCT reads all).
    # `column` is one of _SEEKABLE, never text from a request.
    query = sa.text(
        f"WITH RECURSIVE seen(v) AS ("
        f" SELECT min({column}) FROM clusters WHERE kind = :kind"
        f" UNION ALL SELECT (SELECT min({column}) FROM clusters WHERE kind = :kind AND {column} > seen.v)"
        f" FROM seen WHERE seen.v IS NOT NULL"
        f") SELECT v FROM seen WHERE v IS NOT NULL"
    )
    return [str(v) for v in conn.execute(query, {"kind": kind}).scalars()]


def effective_date_column() -> sa.ColumnElement[Any]:
    """A cluster's date as `query.effective_date` reads it: the stated one, else first reported."""
    return sa.func.coalesce(clusters.c.date, clusters.c.first_reported)


def commitment_page(
    conn: sa.Connection,
    *,
    donors: Collection[str] | None,
    recipients: Collection[str] | None,
    scope: str | None,
    status: str | None,
    currency: str | None,
    instrument: str | None,
    start: date | None,
    end: date | None,
    after: tuple[date | None, str] | None,
    descending: bool,
    limit: int,
) -> tuple[list[Cluster], int]:
    """One page of commitment clusters by effective date, and how many match in all.

    The order is the API's: dates descending (or ascending), missing dates last either way,
    ties by id ascending; `after` is the (date, id) of the last cluster of the previous page.
    Everything is done in SQL (see migration 0006's indexes), so a page costs the same
    whether the store holds a thousand clusters or a million. `donors` and `recipients` are
    the stored spellings to accept (None: any).
    """
    c = clusters.c
    when = effective_date_column()
    conditions: list[sa.ColumnElement[bool]] = [c.kind == "commitment"]
    for column, wanted in ((c.scope, scope), (c.status, status), (c.currency, currency), (c.instrument, instrument)):
        if wanted is not None:
            conditions.append(column == wanted)
    for column, names in ((c.donor, donors), (c.recipient, recipients)):
        if names is not None:
            conditions.append(column.in_(sorted(names)))
    if start is not None:
        conditions.append(when >= start)
    if end is not None:
        conditions.append(when <= end)
    total = conn.execute(sa.select(sa.func.count()).select_from(clusters).where(*conditions)).scalar_one()
    if after is not None:
        value, last_id = after
        if value is None:
            conditions.append(sa.and_(when.is_(None), c.id > last_id))
        else:
            beyond = when < value if descending else when > value
            conditions.append(sa.or_(beyond, sa.and_(when == value, c.id > last_id), when.is_(None)))
    order = [when.is_(None), when.desc() if descending else when.asc(), c.id]
    # The page's ids first (from the index alone when it covers the filter), then their rows.
    ids = list(conn.execute(sa.select(c.id).where(*conditions).order_by(*order).limit(limit)).scalars())
    if not ids:
        return [], total
    by_id = {r["id"]: r for r in conn.execute(sa.select(clusters).where(c.id.in_(ids))).mappings()}
    found = [by_id[i] for i in ids]
    m = cluster_members.c
    members: dict[str, list[str]] = defaultdict(list)
    query = sa.select(m.cluster_id, m.mention_id).where(m.cluster_id.in_([r["id"] for r in found]))
    for cluster_id, mention_id in conn.execute(query.order_by(m.cluster_id, m.ordinal)):
        members[cluster_id].append(mention_id)
    return [rows.cluster_from_row(r, members[r["id"]]) for r in found], total


# The `stored_totals` row that holds what every grouping's unfiltered totals share.
SHARED_TOTALS = "*shared"
SHARED_PARTS = ("cumulative", "conflicts", "excluded_parts")


def stored_totals(conn: sa.Connection, by: str) -> dict[str, Any] | None:
    """The unfiltered totals the last resolution stored for a grouping, as `Totals.as_dict` wrote them.

    Each grouping's row holds its groups; the parts they all share are one row of their own
    (a database written before that keeps them in every grouping's row, and reads the same).
    """
    t = stored_totals_table.c
    body = conn.execute(sa.select(t.body).where(t.by == by)).scalar_one_or_none()
    if body is None or by == SHARED_TOTALS:
        return None
    out = dict(body)
    if not all(key in out for key in SHARED_PARTS):
        shared = conn.execute(sa.select(t.body).where(t.by == SHARED_TOTALS)).scalar_one_or_none()
        if shared is None:
            return None
        out.update(shared)
    return out


def stored_totals_stamp(conn: sa.Connection) -> str | None:
    """The token written with the stored totals; None until a resolution has stored some."""
    return conn.execute(sa.select(totals_stamp.c.stamp).where(totals_stamp.c.id == 1)).scalar_one_or_none()


def _sectors(c: Cluster) -> list[str]:
    value = c.fields.get("sectors")
    return [str(s) for s in value] if isinstance(value, list | tuple) else []


def _clusters(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[Cluster]:
    found = list(conn.execute(sa.select(clusters).where(condition).order_by(clusters.c.ordinal)).mappings())
    if not found:
        return []
    m = cluster_members.c
    query = sa.select(m.cluster_id, m.mention_id).order_by(m.cluster_id, m.ordinal)
    if len(found) < 500:  # otherwise fetching every member is cheaper than a long IN list
        query = query.where(m.cluster_id.in_([r["id"] for r in found]))
    members: dict[str, list[str]] = defaultdict(list)
    for cluster_id, mention_id in conn.execute(query):
        members[cluster_id].append(mention_id)
    return [rows.cluster_from_row(r, members[r["id"]]) for r in found]


def _judgements(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[Judgement]:
    """Judgements in the order resolution gave them; reviewers' added later come after, oldest first."""
    j = judgements.c
    query = (
        sa.select(judgements)
        .where(condition)
        .order_by(j.ordinal.is_(None), j.ordinal, j.created_at, j.left, j.right, j.by)
    )
    return [rows.judgement_from_row(r) for r in conn.execute(query).mappings()]


def conflict_list(conn: sa.Connection) -> list[Conflict]:
    query = sa.select(conflicts).order_by(conflicts.c.ordinal)
    return [rows.conflict_from_row(r) for r in conn.execute(query).mappings()]


def actor_list(conn: sa.Connection, *, type: str | None = None, name: str | None = None) -> list[CanonicalActor]:
    """Canonical actors, in resolution order, of one type and going by `name` if given.

    A name is compared folded (case and accents ignored) against every alias and canonical
    name; if none equals it, those containing it are returned ("Kishida" finds "Fumio Kishida").
    """
    a = actors.c
    query = sa.select(actors).order_by(a.ordinal)
    if type is not None:
        query = query.where(a.type == type)
    al = actor_aliases.c
    if name is not None:
        folded = rows.fold(name)
        named = query.where(a.id.in_(sa.select(al.actor_id).where(al.folded == folded)))
        if conn.execute(named.limit(1)).first() is None:
            named = query.where(a.id.in_(sa.select(al.actor_id).where(al.folded.contains(folded, autoescape=True))))
        query = named
    found = list(conn.execute(query).mappings())
    if not found:
        return []
    ids = [r["id"] for r in found]
    aliases: dict[str, list[str]] = defaultdict(list)
    alias_query = sa.select(al.actor_id, al.alias).where(al.ordinal.is_not(None), al.actor_id.in_(ids))
    for actor_id, alias in conn.execute(alias_query.order_by(al.actor_id, al.ordinal)):
        aliases[actor_id].append(alias)
    roles: dict[str, list[Role]] = defaultdict(list)
    ro = actor_roles.c
    role_query = sa.select(actor_roles).where(ro.actor_id.in_(ids)).order_by(ro.actor_id, ro.ordinal)
    for r in conn.execute(role_query).mappings():
        roles[r["actor_id"]].append(rows.role_from_row(r))
    return [rows.actor_from_rows(r, aliases[r["id"]], roles[r["id"]]) for r in found]


def explanation(conn: sa.Connection, ref: str) -> Explanation | None:
    """The cluster `ref` names (see `cluster`) with its mentions, judgements, links and conflicts."""
    found = cluster(conn, ref)
    if found is None:
        return None
    members = found.members
    stored = mentions_by_id(conn, members)
    j = judgements.c
    touching = _judgements(conn, sa.or_(j.left.in_(members), j.right.in_(members)))
    li = links.c
    link_query = sa.select(links).where(sa.or_(li.source == found.id, li.target == found.id)).order_by(li.ordinal)
    return Explanation(
        cluster=found,
        mentions=tuple(stored[m] for m in members if m in stored),
        missing=tuple(m for m in members if m not in stored),
        judgements=tuple(touching),
        links=tuple(rows.link_from_row(r) for r in conn.execute(link_query).mappings()),
        conflicts=tuple(x for x in conflict_list(conn) if found.id in x.clusters),
    )
