"""Totals stored with the resolution are the totals summed from it, and change with it.

`query.totals_of` without filters reads what `replace_resolution` stored rather than summing
every cluster again; these tests hold it to the sum computed afresh from the stored clusters,
for every grouping, on every backend, before and after the resolution is replaced.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_commitment_page import made_up

from aidtracker import query
from aidtracker.dedupe import GROUPINGS, totals
from aidtracker.dedupe.totals import Totals
from aidtracker.records import Cluster, Resolution
from aidtracker.store import Store, open_store
from aidtracker.store.engine import create_engine, resolve_url


@pytest.fixture
def store(written_db: str) -> Iterator[Store]:
    with open_store(written_db) as opened:
        yield opened


def summed_afresh(store: Store, by: str) -> Totals:
    """What `totals_of` computed before totals were stored: the sum over every stored cluster."""
    resolution = store.resolution()
    quoted = [c.representative for c in resolution.clusters if c.fields.get("scope") == "cumulative"]
    return totals(resolution, store.mentions_by_id(quoted), by=by)


@pytest.mark.parametrize("by", GROUPINGS)
def test_stored_totals_are_the_sums_of_the_stored_clusters(store: Store, by: str) -> None:
    assert store.stored_totals(by) is not None
    expected = summed_afresh(store, by)
    assert expected.groups, "the written articles should give something to sum"
    got = query.totals_of(store, by=by)
    assert got == expected
    assert got.as_dict() == expected.as_dict()


def test_filtered_totals_are_still_summed(store: Store) -> None:
    everything = query.totals_of(store, by="donor")
    donor = everything.groups[0].key
    only = query.totals_of(store, by="donor", donor=donor)
    assert [g.key for g in only.groups] == [donor]
    assert only.groups[0].usd == everything.groups[0].usd


def test_stored_totals_follow_a_new_resolution(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.stored_totals("donor") is None  # nothing resolved yet: totals are summed
        assert query.totals_of(store, by="donor").groups == []
        store.replace_resolution(Resolution(clusters=tuple(made_up(40, seed=1)), judgements=(), links=(), conflicts=()))
        first = query.totals_of(store, by="donor")
        assert first == summed_afresh(store, "donor") and first.groups
        store.replace_resolution(Resolution(clusters=tuple(made_up(25, seed=2)), judgements=(), links=(), conflicts=()))
        second = query.totals_of(store, by="donor")
        assert second == summed_afresh(store, "donor") and second != first


def test_restored_totals_are_the_stored_resolutions(db_url: str) -> None:
    with open_store(db_url) as store:
        store.replace_resolution(Resolution(clusters=tuple(made_up(30, seed=3)), judgements=(), links=(), conflicts=()))
        before = {by: store.stored_totals(by) for by in GROUPINGS}
        store.restore_totals()
        assert {by: store.stored_totals(by) for by in GROUPINGS} == before


def test_parsed_totals_are_kept_until_another_store_resolves(db_url: str) -> None:
    """A reader keeps the totals it parsed while the stamp holds, and sees another writer's at once."""
    with open_store(db_url) as reader, open_store(db_url) as writer:
        writer.replace_resolution(resolution_of(made_up(30, seed=4)))
        kept = reader.stored_totals("donor")
        assert kept is not None and reader.stored_totals("donor") is kept  # parsed once
        writer.replace_resolution(resolution_of(made_up(20, seed=5)))
        fresh = reader.stored_totals("donor")
        assert fresh is not kept and fresh == summed_afresh(writer, "donor") != kept


def resolution_of(clusters: list[Cluster]) -> Resolution:
    return Resolution(clusters=tuple(clusters), judgements=(), links=(), conflicts=())


def test_lookups_by_id_give_the_same_in_short_in_lists(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A million-mention record quotes more ids than PostgreSQL takes in one statement: they go in chunks."""
    from aidtracker.store import view

    members = [m for c in store.resolution().clusters for m in c.members]
    assert len(members) >= 5  # several chunks of two
    whole = store.mentions_by_id(members)
    owners = store.clusters_of(members)
    monkeypatch.setattr(view, "IN_CHUNK", 2)
    assert store.mentions_by_id(members) == whole and len(whole) == len(set(members))
    assert store.clusters_of(members) == owners and set(owners) == set(members)


def _rows(url: str) -> dict[str, dict[str, object]]:
    import sqlalchemy as sa

    from aidtracker.store.tables import stored_totals

    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            return {by: dict(body) for by, body in conn.execute(sa.select(stored_totals.c.by, stored_totals.c.body))}
    finally:
        engine.dispose()


def test_what_every_grouping_shares_is_stored_once(db_url: str) -> None:
    """Claims, conflicts and left-out parts are the same in every grouping: one row holds them."""
    from aidtracker.store.view import SHARED_PARTS, SHARED_TOTALS

    with open_store(db_url) as store:
        store.replace_resolution(resolution_of(made_up(30, seed=6)))
    rows = _rows(db_url)
    assert set(rows) == {*GROUPINGS, SHARED_TOTALS}
    assert set(rows[SHARED_TOTALS]) == set(SHARED_PARTS)
    assert all(set(rows[by]) == {"by", "groups"} for by in GROUPINGS)


def test_totals_stored_whole_in_every_grouping_still_read(db_url: str) -> None:
    """A database written before the shared row keeps every part in each grouping's row: it reads the same."""
    import sqlalchemy as sa

    from aidtracker.store.tables import stored_totals
    from aidtracker.store.view import SHARED_TOTALS

    with open_store(db_url) as store:
        store.replace_resolution(resolution_of(made_up(30, seed=7)))
        whole = {by: summed_afresh(store, by) for by in GROUPINGS}
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(sa.delete(stored_totals).where(stored_totals.c.by == SHARED_TOTALS))
        for by, t in whole.items():
            body = t.as_dict(conflict_mentions=True)
            conn.execute(sa.update(stored_totals).where(stored_totals.c.by == by).values(body=body))
    engine.dispose()
    with open_store(db_url) as store:
        assert {by: store.stored_totals(by) for by in GROUPINGS} == whole
        assert store.stored_totals(SHARED_TOTALS) is None
