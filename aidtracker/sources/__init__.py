"""Sources: following feeds, sitemaps and pages on the web, and keeping every copy read.

    sources (feed | sitemap | page) ──► fetch (robots.txt, rate limit, conditional GET, retries,
        size limit) ──► snapshots (WARC: the bytes as received, fetch time, final URL, headers)
        ──► pages (trafilatura: snapshot → Article) ──► pipeline.store_article (known from the
        fetch time) ──► extract ──► resolve, once per poll

    archive ──► replay: the same reading of the same bytes, into an empty store

`fetch`, `feeds`, `pages` and `snapshots` are libraries with no database; `watch` ties them to
a `Store`. Time is always injected (a clock for fetch times, a sleep for waiting) so that tests
are exact and a replay takes its times from the archive, never from the clock.
"""

from __future__ import annotations

from aidtracker.sources.feeds import Entry, Listing, read_feed, read_sitemap
from aidtracker.sources.fetch import Fetcher, FetchPolicy, Response, default_user_agent
from aidtracker.sources.snapshots import Archive, Snapshot
from aidtracker.sources.watch import (
    PollReport,
    ReplayReport,
    SourceSummary,
    WatchSettings,
    add_source,
    poll,
    remove_source,
    replay,
    watch,
)

__all__ = [
    "Archive",
    "Entry",
    "FetchPolicy",
    "Fetcher",
    "Listing",
    "PollReport",
    "ReplayReport",
    "Response",
    "Snapshot",
    "SourceSummary",
    "WatchSettings",
    "add_source",
    "default_user_agent",
    "poll",
    "read_feed",
    "read_sitemap",
    "remove_source",
    "replay",
    "watch",
]
