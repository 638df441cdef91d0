"""Totals that never double count, and word search over documents and facts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from aidtracker import query
from aidtracker.api import present
from aidtracker.api.deps import StoreDep
from aidtracker.api.models import SearchOut, TotalsOut
from aidtracker.api.routes.history import RecordDep
from aidtracker.api.routes.params import (
    MAX_SEARCH,
    TEXT,
    End,
    Name,
    ReviewedOnly,
    Start,
    check_dates,
    check_words,
)
from aidtracker.review import states_of
from aidtracker.types import Sector

router = APIRouter(tags=["totals and search"])

TOTALS_IDS = 100  # entries of each list behind the sums in one answer, unless asked otherwise
MAX_TOTALS_IDS = 10_000

Grouping = Literal["donor", "recipient", "sector", "instrument", "month"]


@router.get("/totals", response_model=TotalsOut)
def get_totals(
    store: RecordDep,
    by: Annotated[Grouping, Query(description="What to group the sums by.")] = "donor",
    donor: Name = None,
    recipient: Name = None,
    sector: Sector | None = None,
    start: Start = None,
    end: End = None,
    reviewed_only: ReviewedOnly = False,
    limit: Annotated[
        int, Query(ge=0, le=MAX_TOTALS_IDS, description="At most this many entries in each list of ids and claims.")
    ] = TOTALS_IDS,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Where each list of ids and claims starts.")] = 0,
) -> TotalsOut:
    """New packages summed in USD once each (a tranche never with its package); running totals beside them.

    A package in several sectors counts in each, so sector groups may add up to more than the
    whole. Cumulative claims are listed with their sources and never added to the sums. With
    `as_of`, the totals as they stood then. The sums are always whole; the lists behind them
    (package ids, claims, conflicts, excluded tranches) come a page at a time, each with its count.
    """
    check_dates(start, end)
    result = query.totals_of(
        store,
        by=by,
        donor=donor,
        recipient=recipient,
        sector=sector.value if sector else None,
        start=start,
        end=end,
        reviewed_only=reviewed_only,
    )
    return present.totals(result, limit=limit, offset=offset)


@router.get("/search", response_model=SearchOut)
def search(
    store: StoreDep,
    q: Annotated[
        str, Query(min_length=1, max_length=500, pattern=TEXT, description="Words that must each start a word.")
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH, description="At most this many documents and facts.")] = 20,
) -> SearchOut:
    """Documents and facts (latest versions) in which every word of `q` starts a word, case ignored."""
    check_words(q)
    found = store.search(q, limit=limit)
    clusters = store.clusters_of([m.id for m in found.facts])
    states = states_of(store, (), {m.id: m for m in found.facts})
    return SearchOut(
        query=q,
        documents=[present.document_hit(h) for h in found.documents],
        facts=[present.mention(m, clusters.get(m.id), states) for m in found.facts],
    )
