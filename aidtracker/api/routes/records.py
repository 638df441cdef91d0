"""Resolved records: commitment, agreement and event clusters with their mentions, and conflicts.

Each listing filters with `aidtracker.query`, so the API, the dashboard and the exports agree on
what a filter means, then sorts and pages here; a page fetches the mentions of its own clusters
only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from aidtracker import query
from aidtracker.api import paging, present
from aidtracker.api.deps import StoreDep
from aidtracker.api.models import (
    AgreementCluster,
    CommitmentCluster,
    CommitmentDetail,
    ConflictOut,
    EventCluster,
    Page,
)
from aidtracker.api.routes.history import RecordDep
from aidtracker.api.routes.params import (
    DEFAULT_LIMIT,
    CommitmentId,
    Currency,
    Cursor,
    End,
    Limit,
    Name,
    Order,
    Publisher,
    ReviewedOnly,
    Start,
    Usd,
    check_dates,
    check_usd,
)
from aidtracker.errors import NotFound
from aidtracker.records import Cluster, Mention
from aidtracker.review import states_of
from aidtracker.store import Store
from aidtracker.store.rows import fold
from aidtracker.types import AgreementStatus, AgreementType, EventType, Instrument, Scope, Sector, Status

router = APIRouter(tags=["records"])

CommitmentSort = Literal["date", "usd", "donor"]


def _sort_key(sort: str) -> Callable[[Cluster], paging.Key]:
    if sort == "usd":
        return lambda c: (query.usd_of(c), c.id)
    if sort == "donor":
        return lambda c: (fold(query.text_of(c, "donor") or "") or None, c.id)
    return lambda c: (paging.date_key(query.effective_date(c)), c.id)


def _paged(
    clusters: list[Cluster], *, sort: str, order: str, cursor: str | None, limit: int
) -> tuple[list[Cluster], str | None]:
    return paging.page(
        clusters,
        key=_sort_key(sort),
        sort=f"{sort}:{order}",
        descending=order == "desc",
        cursor=cursor,
        limit=limit,
        numeric=sort == "usd",
    )


def _mentions(store: Store, clusters: list[Cluster]) -> dict[str, Mention]:
    return store.mentions_by_id([m for c in clusters for m in c.members])


@router.get("/commitments", response_model=Page[CommitmentCluster])
def list_commitments(
    store: RecordDep,
    donor: Name = None,
    recipient: Name = None,
    sector: Sector | None = None,
    status: Status | None = None,
    scope: Scope | None = None,
    currency: Currency = None,
    instrument: Instrument | None = None,
    start: Start = None,
    end: End = None,
    min_usd: Usd = None,
    max_usd: Usd = None,
    publisher: Publisher = None,
    reviewed_only: ReviewedOnly = False,
    sort: Annotated[CommitmentSort, Query(description="What to sort by.")] = "date",
    order: Order = "desc",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CommitmentCluster]:
    """Commitment clusters (one per real-world commitment), each with the mentions that report it.

    Names compare through the actor registry ("EIB" finds the European Investment Bank); a
    cluster's date is the one its sources give, else the day it was first reported; clusters with
    no USD value are left out when `min_usd` or `max_usd` is given; missing values sort last.
    With `as_of`, the commitments as the record stood then.
    """
    check_dates(start, end)
    check_usd(min_usd, max_usd)
    f = query.CommitmentFilter(
        donor=donor,
        recipient=recipient,
        sector=sector.value if sector else None,
        status=status.value if status else None,
        scope=scope.value if scope else None,
        currency=currency,
        instrument=instrument.value if instrument else None,
        start=start,
        end=end,
        min_usd=min_usd,
        max_usd=max_usd,
        publisher=publisher,
    )
    by_date = sort == "date" and not reviewed_only
    fast = _date_page(store, f, order=order, cursor=cursor, limit=limit) if by_date else None
    if fast is not None:
        shown, following, total = fast
    else:
        found = query.commitments(store, f, reviewed_only=reviewed_only)
        shown, following = _paged(found, sort=sort, order=order, cursor=cursor, limit=limit)
        total = len(found)
    mentions = _mentions(store, shown)
    states = states_of(store, shown, mentions)
    items = [present.commitment_cluster(c, mentions, states) for c in shown]
    return Page(items=items, next=following, total=total)


def _date_page(
    store: Store, f: query.CommitmentFilter, *, order: str, cursor: str | None, limit: int
) -> tuple[list[Cluster], str | None, int] | None:
    """The page by date that the database can compute alone (see `query.commitments_page`), or None."""
    sort = f"date:{order}"
    after: tuple[date | None, str] | None = None
    if cursor is not None:
        value, last_id = paging.decode(cursor, sort)
        after = (paging.parse_date(value), last_id)
    found = query.commitments_page(store, f, after=after, descending=order == "desc", limit=limit)
    if found is None:
        return None
    shown, total, more = found
    following = paging.encode(sort, paging.date_key(query.effective_date(shown[-1])), shown[-1].id) if more else None
    return shown, following, total


@router.get("/commitments/{cluster_id}", response_model=CommitmentDetail)
def get_commitment(cluster_id: CommitmentId, store: StoreDep) -> CommitmentDetail:
    """One commitment cluster with its mentions, the judgements that joined them, its links and conflicts."""
    found = store.explain(cluster_id)
    if found is None or found.cluster.kind != "commitment":
        raise NotFound(f"no commitment {cluster_id}")
    others = store.mentions_by_id({m for x in found.conflicts for m in x.mentions} - set(found.cluster.members))
    states = states_of(store, [found.cluster], {**others, **{m.id: m for m in found.mentions}})
    return present.commitment_detail(found, others, states)


@router.get("/agreements", response_model=Page[AgreementCluster])
def list_agreements(
    store: RecordDep,
    party: Name = None,
    agreement_type: AgreementType | None = None,
    status: AgreementStatus | None = None,
    sector: Sector | None = None,
    start: Start = None,
    end: End = None,
    publisher: Publisher = None,
    reviewed_only: ReviewedOnly = False,
    order: Order = "desc",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AgreementCluster]:
    """Agreement clusters (memoranda, treaties, deals) by date, each with its mentions."""
    check_dates(start, end)
    found = query.agreements(
        store,
        party=party,
        agreement_type=agreement_type.value if agreement_type else None,
        status=status.value if status else None,
        sector=sector.value if sector else None,
        start=start,
        end=end,
        publisher=publisher,
        reviewed_only=reviewed_only,
    )
    shown, following = _paged(found, sort="date", order=order, cursor=cursor, limit=limit)
    mentions = _mentions(store, shown)
    states = states_of(store, shown, mentions)
    items = [present.agreement_cluster(c, mentions, states) for c in shown]
    return Page(items=items, next=following, total=len(found))


@router.get("/events", response_model=Page[EventCluster])
def list_events(
    store: RecordDep,
    participant: Name = None,
    event_type: EventType | None = None,
    start: Start = None,
    end: End = None,
    publisher: Publisher = None,
    reviewed_only: ReviewedOnly = False,
    order: Order = "asc",
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[EventCluster]:
    """Event clusters (conferences, visits, meetings) by date, as a calendar reads them."""
    check_dates(start, end)
    found = query.events(
        store,
        participant=participant,
        event_type=event_type.value if event_type else None,
        start=start,
        end=end,
        publisher=publisher,
        reviewed_only=reviewed_only,
    )
    shown, following = _paged(found, sort="date", order=order, cursor=cursor, limit=limit)
    mentions = _mentions(store, shown)
    states = states_of(store, shown, mentions)
    return Page(items=[present.event_cluster(c, mentions, states) for c in shown], next=following, total=len(found))


@router.get("/conflicts", response_model=Page[ConflictOut])
def list_conflicts(
    store: StoreDep,
    kind: Annotated[
        Literal["cumulative_totals", "figure", "field"] | None, Query(description="Only conflicts of this kind.")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ConflictOut]:
    """Where sources disagree, each side with its sentence and source."""
    found = [x for x in store.conflicts() if kind is None or x.kind == kind]
    shown, following = paging.page(
        found, key=lambda x: (x.kind, x.id), sort="kind:asc", descending=False, cursor=cursor, limit=limit
    )
    wanted = {m for x in shown for m in x.mentions}
    mentions = store.mentions_by_id(wanted)
    clusters = store.clusters_of(wanted)
    states = states_of(store, (), mentions)
    items = [present.conflict(x, mentions, clusters, states) for x in shown]
    return Page(items=items, next=following, total=len(found))
