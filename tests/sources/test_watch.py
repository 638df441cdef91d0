"""Polling a loopback site: documents, versions, time travel, replay, and the ways sites fail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from loopback import Clock, Page, Site, article, rss

from aidtracker import query
from aidtracker.history import as_of, changes, diff
from aidtracker.sources import Archive, Fetcher, FetchPolicy, add_source, poll, replay
from aidtracker.store import Store, open_store, resolve_url

NORWAY = "OSLO, 3 March 2025 — Norway will provide $150 million to Ukraine to repair its power grid, the ministry said."
NORWAY_EDITED = NORWAY.replace("$150 million", "$175 million")
CANADA = "OTTAWA, 3 March 2025 — Canada will give Ukraine C$40 million for demining equipment, the minister said."
SWEDEN = "STOCKHOLM, 3 March 2025 — Sweden will provide 300 million kronor to Ukraine for hospitals, officials said."
ITEMS = [("/a1", "Norway pledges grid aid"), ("/a2", "Canada funds demining"), ("/a3", "Sweden backs hospitals")]


def policy() -> FetchPolicy:
    return FetchPolicy(timeout=0.5, retries=0, backoff=0, per_host_interval=0, max_bytes=1_000_000)


def publish(site: Site) -> None:
    for (path, title), body in zip(ITEMS, (NORWAY, CANADA, SWEDEN), strict=True):
        site.pages[path] = Page(article(title, body))
    site.pages["/feed.xml"] = Page(rss(site, ITEMS), content_type="application/rss+xml")


def usd(store: Store, donor: str) -> Decimal:
    groups = {g.key: g.usd for g in query.totals_of(store).groups}
    return groups[donor]


def norway_usd(store: Store) -> Decimal:
    return usd(store, "Norway")


def wipe(url: str) -> None:
    """Delete the database: the SQLite file, or every table of the PostgreSQL test schema."""
    if "://" not in url:
        Path(url).unlink()
        return
    engine = sa.create_engine(resolve_url(url))
    with engine.begin() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()


@pytest.fixture
def polled(site: Site, clock: Clock, tmp_path: Path, db_url: str) -> tuple[Store, Archive, Clock, Site]:
    """A store (on each backend) that polled the feed twice, an hour apart, with one article edited in between."""
    publish(site)
    archive = Archive(tmp_path / "snapshots")
    store = open_store(db_url, clock=clock)
    with Fetcher(policy(), clock=clock) as fetcher:
        assert add_source(store, archive, site.url("/feed.xml"), "feed", at=clock())
        first = poll(store, archive, fetcher, clock=clock)
        assert [(s.new, s.updated, s.unchanged, len(s.failed)) for s in first.sources] == [(3, 0, 0, 0)]
        assert first.exit_code() == 0 and first.sources[0].notes == []  # a well-formed feed draws no note
        clock.advance(hours=1)
        site.pages["/a1"] = Page(article("Norway pledges grid aid", NORWAY_EDITED))
        second = poll(store, archive, fetcher, clock=clock)
        assert [(s.new, s.updated, s.unchanged) for s in second.sources] == [(0, 1, 2)]
    return store, archive, clock, site


def test_an_edited_article_becomes_a_second_version_of_the_same_document(
    polled: tuple[Store, Archive, Clock, Site],
) -> None:
    store, _, _, site = polled
    with store:
        assert store.stats()["documents"] == 4 and store.stats()["sources"] == 3
        versions = store.versions(site.url("/a1"))
        assert [v.version for v in versions] == [1, 2]
        assert versions[0].known_until == versions[1].known_from
        assert "$175 million" in (store.article(site.url("/a1")) or pytest.fail()).text
        # Facts remember the version that stated them: each version has its own Norway figure.
        amounts = [[m.fact.amount for m in store.mentions_of(v.id)] for v in versions]
        assert amounts == [[Decimal("150000000")], [Decimal("175000000")]]
        # The unchanged pages were asked for conditionally the second time, and answered 304.
        assert [h.get("if-none-match") is not None for p, h in site.requests if p == "/a2"] == [False, True]
        # Every page with a body was kept, and the manifest points each document at its snapshot.
        assert all(store.snapshots_of(v.id) for v in versions)


def test_totals_as_of_a_moment_reproduce_the_figure_then(polled: tuple[Store, Archive, Clock, Site]) -> None:
    store, _, _, site = polled
    with store:
        second = store.versions(site.url("/a1"))[1].known_from
        before, after = second - timedelta(seconds=1), second + timedelta(seconds=1)
        with as_of(store, before) as then:
            assert norway_usd(then) == Decimal("150000000")
            assert {d.id for d in store.articles()} - {a.id for a in then.articles()} == {
                store.versions(site.url("/a1"))[1].id
            }
        with as_of(store, after) as then:
            assert norway_usd(then) == Decimal("175000000")
        assert norway_usd(store) == Decimal("175000000")  # the present is the last moment
        found = diff(store, before, after)
        assert [(c.change, c.kind) for c in found.changes] == [("changed", "commitment")]
        assert found.changes[0].fields["amount"] == (Decimal("150000000"), Decimal("175000000"))
        assert found.usd_after - found.usd_before == Decimal("25000000")
        assert diff(store, after, after + timedelta(days=1)).changes == []


def test_the_change_feed_lists_three_new_commitments_then_one_changed(
    polled: tuple[Store, Archive, Clock, Site],
) -> None:
    store, _, _, _ = polled
    with store:
        page = changes(store, limit=3)
        assert sorted(c.change for c in page.items) == ["added", "added", "added"]
        rest = changes(store, since=page.next)
        assert [(c.change, c.before and c.before.fact.amount, c.mention.fact.amount) for c in rest.items] == [
            ("changed", Decimal("150000000"), Decimal("175000000"))
        ]
        assert rest.items[0].cluster is not None  # the changed figure is the one resolved now
        assert changes(store, since=rest.next).items == []
        assert changes(store, since=rest.next).next == rest.next


def test_replay_rebuilds_the_same_record_from_the_snapshots_alone(
    polled: tuple[Store, Archive, Clock, Site], db_url: str
) -> None:
    store, archive, _, _ = polled
    with store:
        docs = [(a.id, a.source, a.version) for a in store.articles()]
        facts = sorted(m.id for m in store.mentions())
        clusters = sorted(c.id for c in store.resolution().clusters)
        totals = query.totals_of(store).as_dict()
        versions = {s: [(v.id, v.known_from) for v in store.versions(s)] for _, s, _ in docs}
        sources = [(s.url, s.kind) for s in store.sources()]
    wipe(db_url)
    with open_store(db_url) as rebuilt:
        report = replay(rebuilt, archive)
        assert (report.new, report.updated, len(report.failed), report.problems) == (3, 1, 0, [])
        assert [(a.id, a.source, a.version) for a in rebuilt.articles()] == docs
        assert sorted(m.id for m in rebuilt.mentions()) == facts
        assert sorted(c.id for c in rebuilt.resolution().clusters) == clusters
        assert query.totals_of(rebuilt).as_dict() == totals
        assert {s: [(v.id, v.known_from) for v in rebuilt.versions(s)] for _, s, _ in docs} == versions
        assert [(s.url, s.kind) for s in rebuilt.sources()] == sources
        with pytest.raises(Exception, match="replay into an empty database"):
            replay(rebuilt, archive)


def test_failing_endpoints_are_reported_per_source_and_good_sources_are_stored(
    site: Site, clock: Clock, tmp_path: Path
) -> None:
    publish(site)
    site.pages["/down"] = Page("", status=500)
    site.slow_seconds = 1.5
    archive = Archive(tmp_path / "snapshots")
    bad = {
        "/missing": "HTTP 404",
        "/down": "HTTP 500",
        "/slow": "timed out",
        "/loop": "redirect loop",
        "/huge": "too large",
        "/huge-declared": "too large",
        "/image": "content type image/png",
        "/private/page": "robots.txt",
    }
    with open_store(str(tmp_path / "aid.db"), clock=clock) as store, Fetcher(policy(), clock=clock) as fetcher:
        add_source(store, archive, site.url("/feed.xml"), "feed", at=clock())
        add_source(store, archive, site.url("/bad-feed.xml"), "feed", at=clock())
        for path in bad:
            add_source(store, archive, site.url(path), "page", at=clock())
        report = poll(store, archive, fetcher, clock=clock)
        by_url = {s.url: s for s in report.sources}
        assert report.exit_code() == 1
        assert by_url[site.url("/feed.xml")].ok and by_url[site.url("/feed.xml")].new == 3
        assert "malformed feed" in by_url[site.url("/bad-feed.xml")].failed[0].reason
        for path, reason in bad.items():
            (failure,) = by_url[site.url(path)].failed
            assert reason in failure.reason, (path, failure.reason)
        assert store.stats()["documents"] == 3
        assert all(s.checked_at is not None for s in store.sources())
        assert "HTTP 404" in ({s.url: s.error for s in store.sources()}[site.url("/missing")] or "")
        # A second poll in which the good pages now fail loses nothing already stored.
        for path, _ in ITEMS:
            site.pages[path] = Page("", status=500)
        again = poll(store, archive, fetcher, clock=clock)
        assert again.exit_code() == 2
        assert store.stats()["documents"] == 3
        assert norway_usd(store) == Decimal("150000000")
