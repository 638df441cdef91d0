"""Polling a loopback site: documents, versions, snapshots, conditional GETs and failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Clock, Page, Site, article, rss

from aidtracker.sources import Archive, Fetcher, FetchPolicy, add_source, poll, replay
from aidtracker.store import open_store

NORWAY = "OSLO, 3 March 2025 — Norway will provide $150 million to Ukraine to repair its power grid, the ministry said."
NORWAY_EDITED = NORWAY.replace("$150 million", "$175 million")
CANADA = "OTTAWA, 3 March 2025 — Canada will give Ukraine C$40 million for demining equipment, the minister said."
SWEDEN = "STOCKHOLM, 3 March 2025 — Sweden will provide 300 million kronor to Ukraine for hospitals, the government said."


def policy() -> FetchPolicy:
    return FetchPolicy(timeout=0.5, retries=0, backoff=0, per_host_interval=0, max_bytes=1_000_000)


def publish(site: Site) -> None:
    site.pages["/a1"] = Page(article("Norway pledges grid aid", NORWAY))
    site.pages["/a2"] = Page(article("Canada funds demining", CANADA))
    site.pages["/a3"] = Page(article("Sweden backs hospitals", SWEDEN))
    site.pages["/feed.xml"] = Page(
        rss(site, [("/a1", "Norway pledges grid aid"), ("/a2", "Canada funds demining"), ("/a3", "Sweden backs hospitals")]),
        content_type="application/rss+xml",
    )


def test_a_feed_polled_twice_gives_three_documents_then_a_version(site: Site, clock: Clock, tmp_path: Path) -> None:
    publish(site)
    archive = Archive(tmp_path / "snapshots")
    with open_store(str(tmp_path / "aid.db"), clock=clock) as store, Fetcher(policy(), clock=clock) as fetcher:
        assert add_source(store, archive, site.url("/feed.xml"), "feed", at=clock())
        first = poll(store, archive, fetcher, clock=clock)
        assert [(s.new, s.updated, s.unchanged, len(s.failed)) for s in first.sources] == [(3, 0, 0, 0)]
        assert first.exit_code() == 0
        clock.advance(hours=1)
        site.pages["/a1"] = Page(article("Norway pledges grid aid", NORWAY_EDITED))
        second = poll(store, archive, fetcher, clock=clock)
        assert [(s.new, s.updated, s.unchanged) for s in second.sources] == [(0, 1, 2)]
        versions = store.versions(site.url("/a1"))
        assert [v.version for v in versions] == [1, 2]
        assert versions[0].known_until == versions[1].known_from
        assert "$175 million" in (store.article(site.url("/a1")) or pytest.fail()).text
        # The unchanged pages were asked for conditionally and answered 304.
        assert [h.get("if-none-match") is not None for p, h in site.requests if p == "/a2"] == [False, True]
