"""Time and change: the record as of a moment, a feed of changed commitments, a document's versions.

`RecordDep` is the store a read route should answer from: the live one, or with `as_of` the
record as it stood then (`aidtracker.history.SnapshotCache`, one per app). `/api/changes` pages
through commitments added, changed or withdrawn, version by version, with a cursor a follower
keeps; `/api/changes.atom` is the same as an Atom feed of the latest versions.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Annotated
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from pydantic import Field

from aidtracker.api.deps import StoreDep
from aidtracker.api.models import Model
from aidtracker.api.routes.params import Cursor, DocumentId
from aidtracker.errors import NotFound
from aidtracker.history import FactChange, SnapshotCache, changes, moment, version_diff
from aidtracker.records import Commitment, Mention
from aidtracker.store import Store
from aidtracker.store.tables import plain

router = APIRouter(tags=["history"])

AS_OF_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
AsOf = Annotated[
    str | None,
    Query(
        pattern=AS_OF_PATTERN,
        max_length=40,
        description="The record as it stood then: a date (the end of that day, UTC) or a date and time.",
    ),
]
ATOM = "http://www.w3.org/2005/Atom"
_cache_lock = threading.Lock()


def snapshot_cache(app: FastAPI) -> SnapshotCache:
    """The app's cache of past records, made on first use and closed with the app's store."""
    with _cache_lock:
        cache = getattr(app.state, "snapshot_cache", None)
        if not isinstance(cache, SnapshotCache):
            cache = SnapshotCache()
            app.state.snapshot_cache = cache
        return cache


def record_store(request: Request, store: StoreDep, as_of: AsOf = None) -> Store:
    """The store to answer from: the live one, or the record as it stood at `as_of`."""
    if as_of is None:
        return store
    return snapshot_cache(request.app).at(store, moment(as_of))


RecordDep = Annotated[Store, Depends(record_store)]


# ------------------------------------------------------------------------------- change feed


class CommitmentState(Model):
    """A commitment as one version of a document states it."""

    mention: str
    donor: str
    recipient: str | None
    amount: str | None
    currency: str | None
    usd: str | None
    quantity: str | None
    item: str | None
    scope: str
    status: str
    date: dt.date | None
    evidence: str


class ChangeOut(Model):
    """A commitment that a new version of a document added, changed or withdrew."""

    id: str
    at: dt.datetime = Field(description="When the version that made the change became known.")
    change: str
    source: str
    doc_id: str
    version: int
    title: str | None
    cluster: str | None
    commitment: CommitmentState
    before: CommitmentState | None


class ChangePageOut(Model):
    """Changes after a cursor; keep `next` and pass it as `since` to get only what is newer."""

    items: list[ChangeOut]
    next: str | None


def _state(m: Mention) -> CommitmentState:
    c = m.fact
    assert isinstance(c, Commitment)
    return CommitmentState(
        mention=m.id,
        donor=c.donor,
        recipient=c.recipient,
        amount=plain(c.amount) if c.amount is not None else None,
        currency=c.currency,
        usd=plain(c.usd.usd) if c.usd else None,
        quantity=plain(c.quantity) if c.quantity is not None else None,
        item=c.item,
        scope=str(c.scope),
        status=str(c.status),
        date=c.date,
        evidence=c.evidence.text,
    )


def _change(x: FactChange) -> ChangeOut:
    return ChangeOut(
        id=x.id,
        at=x.at,
        change=x.change,
        source=x.source,
        doc_id=x.doc_id,
        version=x.version,
        title=x.title,
        cluster=x.cluster,
        commitment=_state(x.mention),
        before=_state(x.before) if x.before else None,
    )


@router.get("/changes", response_model=ChangePageOut)
def list_changes(
    store: StoreDep,
    since: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Document versions read (not entries).")] = 50,
) -> ChangePageOut:
    """Commitments added, changed or withdrawn by each document version known after `since`, oldest first.

    A changed entry carries the commitment as the previous version stated it in `before`. `next`
    is always given: pass it as `since` later to get only what is newer (it stays the same while
    nothing changes).
    """
    page = changes(store, since=since, limit=limit)
    return ChangePageOut(items=[_change(x) for x in page.items], next=page.next)


@router.get(
    "/changes.atom",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed."}},
)
def changes_atom(
    request: Request,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=200, description="The latest this many document versions.")] = 50,
) -> Response:
    """The commitments added, changed or withdrawn by the latest document versions, as an Atom feed."""
    page = changes(store, limit=limit, newest=True)
    base = str(request.base_url).rstrip("/")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = "aidtracker: new and changed commitments"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base}/api/changes.atom"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}/api/changes.atom")
    ET.SubElement(feed, f"{{{ATOM}}}author").append(_text("name", "aidtracker"))
    updated = max((x.at for x in page.items), default=store.last_change() or dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    for x in reversed(page.items):  # newest first, as feed readers expect
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:aidtracker:{x.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _headline(x)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = x.at.isoformat()
        if x.cluster:
            ET.SubElement(entry, f"{{{ATOM}}}link", href=f"{base}/api/commitments/{x.cluster}")
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="via", href=x.source if "://" in x.source else f"{base}/")
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = x.mention.fact.evidence.text
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(content=body, media_type="application/atom+xml")


def _text(tag: str, value: str) -> ET.Element:
    element = ET.Element(f"{{{ATOM}}}{tag}")
    element.text = value
    return element


def _figure(m: Mention) -> str:
    c = m.fact
    assert isinstance(c, Commitment)
    if c.amount is not None:
        return f"{c.currency or ''} {c.amount:,}".strip()
    if c.quantity is not None:
        return f"{plain(c.quantity)} {c.item or 'items'}"
    return "no figure"


def _headline(x: FactChange) -> str:
    c = x.mention.fact
    assert isinstance(c, Commitment)
    who = f"{c.donor} → {c.recipient or 'unknown'}"
    if x.change == "changed" and x.before is not None:
        return f"Changed: {who}: {_figure(x.before)} → {_figure(x.mention)}"
    return f"{x.change.capitalize()}: {who}: {_figure(x.mention)}"


# ---------------------------------------------------------------------------- document versions


class WordChange(Model):
    op: str  # "=", "-" or "+"
    words: str


class VersionOut(Model):
    """One version of a document's source: when it was asserted, and how it differs from the one before."""

    id: str
    version: int
    title: str | None
    published: dt.date | None
    known_from: dt.datetime
    known_until: dt.datetime | None
    facts: int
    snapshots: list[str]
    changes: list[WordChange]


class VersionsOut(Model):
    """Every version of the source a document came from; `changed_after_publication` if there are several."""

    source: str
    changed_after_publication: bool
    versions: list[VersionOut]


@router.get("/documents/{doc_id}/versions", response_model=VersionsOut)
def document_versions(doc_id: DocumentId, store: StoreDep) -> VersionsOut:
    """The versions of a document's source, oldest first, each with the words removed and added since the last."""
    article = store.article(doc_id)
    if article is None or article.id != doc_id:
        raise NotFound(f"no document {doc_id}")
    found = store.versions(article.source)
    out: list[VersionOut] = []
    previous: str | None = None
    for v in found:
        text = (store.article(v.id) or article).text
        out.append(
            VersionOut(
                id=v.id,
                version=v.version,
                title=v.title,
                published=v.published,
                known_from=v.known_from,
                known_until=v.known_until,
                facts=len(store.mentions_of(v.id)),
                snapshots=[s.id for s in store.snapshots_of(v.id)],
                changes=[WordChange(op=op, words=w) for op, w in version_diff(previous, text)] if previous else [],
            )
        )
        previous = text
    return VersionsOut(source=article.source, changed_after_publication=len(found) > 1, versions=out)
