"""Finding documents and facts: filtered, keyset-paged listings and word search.

A query is its words (runs of letters and digits); a text matches when every word starts a
word of it, case ignored: "loan guar" finds "loan guarantees". The database narrows the
candidates — SQLite's FTS5 index when the build has one, else LIKE, and ILIKE on PostgreSQL —
and every candidate is then checked here against that one definition, so all backends give
the same answer. Only the latest version of each source is searched, as resolution sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from aidtracker.records import Mention
from aidtracker.store import view
from aidtracker.store.tables import FACT_TABLES, SEARCH_INDEX, documents
from aidtracker.store.view import ArticleRow

_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 12  # a longer query is more likely a pasted paragraph than a search
_SNIPPET = 90  # characters of context on each side of the first match

# Columns of each fact table a fact search reads, besides its evidence sentence.
_FACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "commitments": ("donor", "recipient", "channel", "purpose", "item"),
    "agreements": ("subject",),
    "events": ("name", "location"),
    "people": ("name", "role", "affiliation"),
}

_fts = sa.table(SEARCH_INDEX, sa.column("doc_id"))


def query_words(q: str) -> list[str]:
    """The words of a query, lower-cased, each once, at most `MAX_WORDS`."""
    found: list[str] = []
    for word in _WORD.findall(q.lower()):
        if word not in found:
            found.append(word)
    return found[:MAX_WORDS]


def matcher(words: list[str]) -> Callable[[str], bool]:
    """True for a text in which every word starts a word (the one definition of a match)."""
    patterns = [re.compile(r"(?<![^\W_])" + re.escape(w), re.IGNORECASE) for w in words]
    return lambda text: all(p.search(text) for p in patterns)


def snippet(text: str, words: list[str]) -> str:
    """A stretch of `text` around the first place a word of the query starts a word."""
    starts = [m.start() for w in words if (m := re.search(r"(?<![^\W_])" + re.escape(w), text, re.IGNORECASE))]
    at = min(starts, default=0)
    lo, hi = max(0, at - _SNIPPET), min(len(text), at + _SNIPPET)
    return ("…" if lo else "") + " ".join(text[lo:hi].split()) + ("…" if hi < len(text) else "")


@dataclass(frozen=True, slots=True)
class DocumentHit:
    """A document a search found, with the passage around its first match."""

    document: ArticleRow
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    documents: list[DocumentHit]
    facts: list[Mention]


DocumentKey = tuple[date | None, str]  # (published, id): where a page of documents ends


def has_index(conn: sa.Connection) -> bool:
    """True where migration 0003 built the FTS5 index (SQLite with FTS5)."""
    if conn.dialect.name != "sqlite":
        return False
    found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH_INDEX,))
    return found.first() is not None


def _latest() -> sa.ColumnElement[bool]:
    newer = documents.alias("newer")
    d = documents.c
    return ~sa.exists().where(newer.c.source == d.source, newer.c.version > d.version)


def _text_condition(conn: sa.Connection, words: list[str]) -> sa.ColumnElement[bool]:
    """Documents that may match: a superset of the matches, narrowed by the index if there is one."""
    d = documents.c
    if has_index(conn):
        # Words are letters and digits only, so quoting them makes a safe FTS5 query of prefixes.
        expression = " AND ".join(f'"{w}"*' for w in words)
        hits = sa.select(_fts.c.doc_id).where(sa.literal_column(SEARCH_INDEX).op("MATCH")(expression))
        return d.id.in_(hits)
    return sa.and_(
        *(sa.or_(d.title.icontains(w, autoescape=True), d.text.icontains(w, autoescape=True)) for w in words)
    )


def document_page(
    conn: sa.Connection,
    *,
    publisher: str | None,
    start: date | None,
    end: date | None,
    q: str | None,
    after: DocumentKey | None,
    limit: int,
) -> list[DocumentHit]:
    """Latest-version documents matching every filter, newest first (undated last), then by id.

    Paging is by key, not offset: `after` is the (published, id) of the previous page's last
    document, so no document is skipped or repeated when others are added between pages.
    """
    d = documents.c
    conditions: list[sa.ColumnElement[bool]] = [_latest()]
    if publisher is not None:
        conditions.append(sa.func.lower(d.publisher) == publisher.lower())
    if start is not None:
        conditions.append(d.published >= start)
    if end is not None:
        conditions.append(d.published <= end)
    words = query_words(q) if q is not None else []
    if words:
        conditions.append(_text_condition(conn, words))
    if after is not None:
        published, doc_id = after
        if published is None:
            conditions.append(sa.and_(d.published.is_(None), d.id > doc_id))
        else:
            conditions.append(
                sa.or_(
                    d.published < published,
                    sa.and_(d.published == published, d.id > doc_id),
                    d.published.is_(None),
                )
            )
    query = (
        sa.select(d.id, d.title, d.text if words else sa.null().label("text"))
        .where(*conditions)
        .order_by(d.published.desc().nulls_last(), d.id)
    )
    check = matcher(words)
    chosen: list[tuple[str, str]] = []
    for row in _batches(conn, query, size=max(limit, 50)):
        if not words:
            chosen.append((row.id, ""))
        elif check(f"{row.title or ''}\n{row.text}"):
            chosen.append((row.id, snippet(row.text, words)))
        if len(chosen) >= limit:
            break
    listed = {r.id: r for r in _article_rows(conn, [doc_id for doc_id, _ in chosen])}
    return [DocumentHit(listed[doc_id], text) for doc_id, text in chosen]


def _batches(conn: sa.Connection, query: sa.Select[Any], *, size: int) -> Iterator[Any]:
    """The rows of `query` a batch at a time, so a search that checks few candidates reads few."""
    offset = 0
    while True:
        page = conn.execute(query.limit(size).offset(offset)).all()
        yield from page
        if len(page) < size:
            return
        offset += size


def _article_rows(conn: sa.Connection, ids: list[str]) -> list[ArticleRow]:
    if not ids:
        return []
    d = documents.c
    counts = {
        name: sa.select(table.c.doc_id, sa.func.count().label("n"))
        .where(table.c.doc_id.in_(ids))
        .group_by(table.c.doc_id)
        .subquery(f"n_{name}")
        for name, table in FACT_TABLES.items()
    }
    joined: sa.FromClause = documents
    for sub in counts.values():
        joined = joined.outerjoin(sub, sub.c.doc_id == d.id)
    query = (
        sa.select(
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
        .select_from(joined)
        .where(d.id.in_(ids))
    )
    return [ArticleRow(**row) for row in conn.execute(query).mappings()]


def fact_hits(conn: sa.Connection, words: list[str], *, limit: int) -> list[Mention]:
    """Facts of latest-version documents whose sentence or named fields match every word.

    Fact tables hold one short sentence per row, so LIKE over them is cheap on every backend;
    the same check as for documents then decides.
    """
    if not words:
        return []
    check = matcher(words)
    found: list[Mention] = []
    latest = sa.select(documents.c.id).where(_latest())
    for name, table in FACT_TABLES.items():
        columns = [table.c.evidence_text, *(table.c[c] for c in _FACT_COLUMNS[name])]
        conditions = [sa.or_(*(col.icontains(w, autoescape=True) for col in columns)) for w in words]
        query = (
            sa.select(table.c.id, *columns)
            .where(table.c.doc_id.in_(latest), *conditions)
            .order_by(table.c.doc_id, table.c.ordinal)
        )
        ids = []
        for row in _batches(conn, query, size=max(limit, 50)):
            if check("\n".join(str(v) for v in row[1:] if v is not None)):
                ids.append(row.id)
            if len(found) + len(ids) >= limit:
                break
        if ids:
            by_id = view.mentions_by_id(conn, ids)
            found += [by_id[i] for i in ids if i in by_id]
        if len(found) >= limit:
            break
    return found[:limit]


def search(conn: sa.Connection, q: str, *, limit: int) -> SearchResult:
    """Up to `limit` documents and up to `limit` facts matching every word of `q`."""
    words = query_words(q)
    if not words:
        return SearchResult([], [])
    hits = document_page(conn, publisher=None, start=None, end=None, q=q, after=None, limit=limit)
    return SearchResult(hits, fact_hits(conn, words, limit=limit))
