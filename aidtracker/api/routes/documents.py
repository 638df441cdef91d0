"""Documents: a filtered, paged listing, and one document with its text, furniture and facts."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from aidtracker.api import paging, present
from aidtracker.api.deps import StoreDep
from aidtracker.api.models import DocumentDetail, DocumentSummary, Page
from aidtracker.api.routes.params import (
    DEFAULT_LIMIT,
    Cursor,
    DocumentId,
    End,
    Limit,
    Publisher,
    Start,
    Words,
    check_dates,
    check_words,
)
from aidtracker.errors import InvalidFilter, NotFound
from aidtracker.review import states_of
from aidtracker.store import DocumentKey

router = APIRouter(tags=["documents"])
_SORT = "published:desc"


def _after(cursor: str | None) -> DocumentKey | None:
    if cursor is None:
        return None
    value, doc_id = paging.decode(cursor, _SORT)
    try:
        published = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        raise InvalidFilter("query parameter 'cursor': not a cursor this listing handed out") from None
    return published, doc_id


@router.get("/documents", response_model=Page[DocumentSummary])
def list_documents(
    store: StoreDep,
    publisher: Publisher = None,
    start: Start = None,
    end: End = None,
    q: Words = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[DocumentSummary]:
    """The latest version of each document, newest first (undated last), with its fact counts."""
    check_dates(start, end)
    check_words(q)
    hits = store.documents(publisher=publisher, start=start, end=end, q=q, after=_after(cursor), limit=limit + 1)
    shown = hits[:limit]
    following = None
    if len(hits) > limit:
        last = shown[-1].document
        following = paging.encode(_SORT, paging.date_key(last.published), last.id)
    return Page(items=[present.document_summary(h.document) for h in shown], next=following)


@router.get("/documents/{doc_id}", response_model=DocumentDetail)
def get_document(doc_id: DocumentId, store: StoreDep) -> DocumentDetail:
    """One document: its stored text, the furniture spans in it, and every fact with its evidence span."""
    article = store.article(doc_id)
    if article is None or article.id != doc_id:
        raise NotFound(f"no document {doc_id}")
    mentions = store.mentions_of(article.id)
    clusters = store.clusters_of([x.id for x in mentions])
    states = states_of(store, (), {x.id: x for x in mentions})
    return present.document_detail(article, mentions, clusters, states)
