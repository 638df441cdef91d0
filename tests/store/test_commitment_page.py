"""A page of commitments computed in the database equals the page Python sorts out of every cluster.

`query.commitments_page` (SQL: filters, order, keyset and count) is what the API serves by
date; `query.commitments` then `api.paging.page` is the reference it must match, cluster for
cluster and page for page, on every backend. The clusters are made up (resolution only checks
that they are consistent), so ties, missing dates, spellings of one donor and "and others"
are all present on purpose.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from aidtracker import query
from aidtracker.api import paging
from aidtracker.records import Cluster, Resolution
from aidtracker.store import Store, open_store

# Spellings as resolution stores them (canonical), with one it would not (an alias), so that the
# query's name matching, not string equality, decides.
DONORS = ["Japan", "United States", "USA", "European Union", "Canada and others", "Canada", "Nowhere Fund"]
RECIPIENTS = ["Ukraine", "Ukrainian Red Cross", None]
DAYS = [date(2024, 1, 1) + timedelta(days=d) for d in (0, 0, 3, 40, 40, 41, 200, 365)]


def made_up(n: int, seed: int) -> list[Cluster]:
    rng = random.Random(seed)
    found = []
    for i in range(n):
        stated = rng.choice([*DAYS, None, None])
        reported = None if i % 10 == 0 else rng.choice(DAYS)
        stated = None if i % 10 == 0 else stated
        fields: dict[str, object] = {
            "donor": rng.choice(DONORS),
            "recipient": rng.choice(RECIPIENTS),
            "scope": rng.choice(["new", "new", "cumulative", "total"]),
            "status": rng.choice(["pledged", "announced", "provided"]),
            "currency": rng.choice(["USD", "EUR", None]),
            "instrument": rng.choice(["grant", "loan", "unspecified"]),
            "amount": Decimal(rng.randint(1, 9) * 10**6),
            "usd": Decimal(rng.randint(1, 9) * 10**6),
            "sectors": rng.choice([[], ["energy"], ["health", "energy"]]),
            "date": stated,
        }
        cid = f"c_{i:04x}{rng.randrange(16**8):08x}"
        found.append(
            Cluster(
                id=cid,
                kind="commitment",
                members=(f"m_{cid}",),
                representative=f"m_{cid}",
                fields=fields,
                disagreements={},
                publishers=("Outlet",),
                first_reported=reported,
                last_reported=reported,
            )
        )
    return found


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        opened.replace_resolution(
            Resolution(clusters=tuple(made_up(90, seed=6)), judgements=(), links=(), conflicts=())
        )
        yield opened


def reference(store: Store, f: query.CommitmentFilter, *, descending: bool, limit: int) -> list[list[str]]:
    """Every page as the Python path gives them: filter every cluster, sort, cut."""
    found = query.commitments(store, f)
    pages, cursor = [], None
    sort = f"date:{'desc' if descending else 'asc'}"

    def key(c: Cluster) -> paging.Key:
        return paging.date_key(query.effective_date(c)), c.id

    while True:
        shown, cursor = paging.page(found, key=key, sort=sort, descending=descending, cursor=cursor, limit=limit)
        pages.append([c.id for c in shown])
        if cursor is None:
            return pages


def in_database(
    store: Store, f: query.CommitmentFilter, *, descending: bool, limit: int
) -> tuple[list[list[str]], int]:
    pages: list[list[str]] = []
    after: tuple[date | None, str] | None = None
    totals = set()
    while True:
        got = query.commitments_page(store, f, after=after, descending=descending, limit=limit)
        assert got is not None
        shown, total, more = got
        totals.add(total)
        pages.append([c.id for c in shown])
        if not more:
            assert len(totals) == 1  # the count does not depend on the page
            return pages, total
        after = (query.effective_date(shown[-1]), shown[-1].id)


FILTERS = [
    query.CommitmentFilter(),
    query.CommitmentFilter(scope="new"),
    query.CommitmentFilter(donor="united states of america", scope="new"),  # "USA" and "United States" both
    query.CommitmentFilter(donor="Canada"),  # "and others" too, as resolution compares donors
    query.CommitmentFilter(donor="Nowhere Fund", status="pledged"),
    query.CommitmentFilter(donor="Atlantis"),  # no such donor: an empty page, not an error
    query.CommitmentFilter(recipient="Ukraine", currency="EUR"),
    query.CommitmentFilter(instrument="loan", start=date(2024, 1, 4), end=date(2024, 2, 10)),
    query.CommitmentFilter(end=date(2024, 1, 1)),
]


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("f", FILTERS, ids=[repr(f) for f in FILTERS])
def test_database_pages_equal_the_python_pages(store: Store, f: query.CommitmentFilter, descending: bool) -> None:
    expected = reference(store, f, descending=descending, limit=7)
    got, total = in_database(store, f, descending=descending, limit=7)
    assert got == expected
    assert total == len(query.commitments(store, f))


def test_the_made_up_store_has_what_the_comparison_needs(store: Store) -> None:
    everything = query.commitments(store)
    dates = [query.effective_date(c) for c in everything]
    assert None in dates and len(set(dates)) < len(dates)  # missing dates and ties
    assert len(query.commitments(store, query.CommitmentFilter(donor="USA"))) > len(
        [c for c in everything if c.fields["donor"] == "USA"]
    )


@pytest.mark.parametrize(
    "f",
    [
        query.CommitmentFilter(sector="energy"),
        query.CommitmentFilter(publisher="Outlet"),
        query.CommitmentFilter(min_usd=Decimal(5)),
        query.CommitmentFilter(max_usd=Decimal(5)),
    ],
)
def test_filters_only_python_can_apply_fall_back(store: Store, f: query.CommitmentFilter) -> None:
    assert query.commitments_page(store, f, after=None, descending=True, limit=5) is None


def test_listed_spellings_are_the_distinct_stored_values(store: Store) -> None:
    everything = query.commitments(store)
    for column in ("donor", "recipient"):
        stored = sorted({str(c.fields[column]) for c in everything if c.fields.get(column) is not None})
        assert store.cluster_values(column) == stored
    with pytest.raises(ValueError):
        store.cluster_values("fields")
