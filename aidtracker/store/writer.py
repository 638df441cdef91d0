"""The writing half of the store: documents and extractions in, within one transaction each.

Every function takes a connection that is already inside a transaction (the `Store` opens
it), so a failure anywhere rolls back everything the call wrote. Records are checked before
any SQL runs, so a bad extraction is reported by what is wrong with it rather than by which
constraint the database tripped over.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa

from aidtracker.errors import StorageError
from aidtracker.records import Article, Extraction, Fact
from aidtracker.store import rows
from aidtracker.store.tables import FACT_TABLES, commitments, documents, extractions


class AddOutcome(StrEnum):
    """What `add_article` did; compares equal to its plain string value."""

    ADDED = "added"  # a source seen for the first time
    UNCHANGED = "unchanged"  # this exact text is already stored (from any source)
    NEW_VERSION = "new_version"  # a changed text from a source already stored


def add_article(conn: sa.Connection, article: Article, *, now: datetime) -> AddOutcome:
    """Store `article` unless its text is already stored; a changed text becomes a new version.

    A text identical to one already stored is "unchanged" even when it came from another
    source or reverts a source to an earlier text: the id is the text's hash, and one text is
    one document.
    """
    d = documents.c
    if conn.execute(sa.select(d.id).where(d.id == article.id)).first() is not None:
        return AddOutcome.UNCHANGED
    latest = conn.execute(
        sa.select(d.id, d.version).where(d.source == article.source).order_by(d.version.desc()).limit(1)
    ).first()
    version, supersedes = (latest.version + 1, latest.id) if latest else (1, None)
    row = rows.article_row(article, version=version, supersedes=supersedes, now=now)
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
