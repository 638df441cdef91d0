"""Reading listings: RSS and Atom feeds, sitemaps and sitemap indexes, and broken ones."""

from __future__ import annotations

from datetime import date

import pytest

from aidtracker.errors import FetchFailed
from aidtracker.sources import read_feed, read_sitemap

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id><updated>2025-03-04T10:00:00Z</updated>
<entry><title>  Grid   aid </title><link href="/news/grid#top"/><id>urn:1</id>
<updated>2025-03-04T10:00:00Z</updated></entry>
<entry><title>Again</title><link href="https://wire.example/news/grid"/><id>urn:2</id>
<updated>2025-03-04T11:00:00Z</updated></entry>
</feed>"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://wire.example/old</loc><lastmod>2024-01-02</lastmod></url>
<url><loc>https://wire.example/undated</loc></url>
<url><loc>https://wire.example/new</loc><lastmod>2025-03-04T09:00:00+00:00</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://wire.example/sitemap-1.xml</loc></sitemap></sitemapindex>"""


def test_an_atom_feed_gives_absolute_links_once_each_with_title_and_date() -> None:
    listing = read_feed(ATOM, url="https://wire.example/feed", content_type="application/atom+xml")
    assert [(e.url, e.title, e.published) for e in listing.entries] == [
        ("https://wire.example/news/grid", "Grid aid", date(2025, 3, 4))
    ]
    assert listing.note is None


def test_a_sitemap_lists_its_pages_newest_first_and_an_index_its_sitemaps() -> None:
    listing = read_sitemap(SITEMAP, url="https://wire.example/sitemap.xml")
    assert [e.url.rsplit("/", 1)[1] for e in listing.entries] == ["new", "old", "undated"]
    index = read_sitemap(INDEX, url="https://wire.example/sitemap.xml")
    assert (index.entries, index.sitemaps) == ((), ("https://wire.example/sitemap-1.xml",))


@pytest.mark.parametrize(
    ("reader", "body", "reason"),
    [
        (read_feed, b"<rss><channel><item><title>broken &&& <link", "malformed feed"),
        (read_feed, b"<html><body>a page, not a feed</body></html>", "not an RSS or Atom feed"),
        (read_sitemap, b"<urlset><url><loc>x</loc>", "malformed sitemap XML"),
        (read_sitemap, b"<html/>", "not a sitemap"),
    ],
)
def test_broken_listings_are_refused_with_a_reason(reader: object, body: bytes, reason: str) -> None:
    with pytest.raises(FetchFailed, match=reason):
        reader(body, url="https://wire.example/x")  # type: ignore[operator]


def test_a_sitemap_never_expands_external_entities() -> None:
    hostile = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>'
    assert read_sitemap(hostile, url="https://wire.example/x").entries == ()
