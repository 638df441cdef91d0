"""Reading what a source lists: RSS/Atom feeds (feedparser) and XML sitemaps, bytes in, entries out.

An `Entry` is a page the source points at, with whatever the listing says of it (title, date),
which the page's own metadata may lack. Pure: no network, no clock. A listing that cannot be
read raises `FetchFailed` naming the source and why; one read leniently (feedparser recovers
from much broken XML) comes back with a note saying so.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin
from xml.sax import SAXException

import feedparser
from lxml import etree

from aidtracker.errors import FetchFailed
from aidtracker.sources.fetch import normalise_url

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
SITEMAP_TYPES = frozenset({"application/xml", "text/xml"})
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True, slots=True)
class Entry:
    """A page a feed or sitemap lists, with what the listing says of it."""

    url: str
    title: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """A feed or sitemap read: its entries in the order listed, nested sitemaps, and any note."""

    entries: tuple[Entry, ...]
    sitemaps: tuple[str, ...] = ()  # a sitemap index lists sitemaps, not pages
    note: str | None = None  # e.g. the XML was malformed and read leniently


def read_feed(content: bytes, *, url: str, content_type: str | None = None) -> Listing:
    """The entries of an RSS or Atom feed; `FetchFailed` if it holds none because it is broken.

    `content_type` is the Content-Type header as served (its charset matters to the parser).
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers)
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = item.get("link") or next((x.get("href") for x in item.get("links", []) if x.get("href")), None)
        if not isinstance(link, str) or not link.strip():
            continue
        absolute = normalise_url(urljoin(url, link.strip()))
        if absolute in seen:
            continue
        seen.add(absolute)
        title = item.get("title")
        entries.append(
            Entry(
                url=absolute,
                title=" ".join(title.split()) or None if isinstance(title, str) else None,
                published=_date(item.get("published_parsed") or item.get("updated_parsed")),
            )
        )
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not entries and isinstance(problem, SAXException):
        raise FetchFailed(url, f"malformed feed, no entries could be read ({_one_line(problem)})")
    if not entries and not parsed.get("version"):
        raise FetchFailed(url, "not an RSS or Atom feed")
    note = f"malformed XML read leniently ({_one_line(problem)})" if problem is not None else None
    return Listing(entries=tuple(entries), note=note)


def read_sitemap(content: bytes, *, url: str) -> Listing:
    """The pages (or nested sitemaps) of an XML sitemap, newest `lastmod` first where given."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FetchFailed(url, f"malformed sitemap XML ({_one_line(exc)})") from exc
    tag = etree.QName(root).localname
    if tag not in ("urlset", "sitemapindex"):
        raise FetchFailed(url, f"not a sitemap (its root element is <{tag}>)")
    child = "url" if tag == "urlset" else "sitemap"
    found: list[tuple[date | None, int, str]] = []
    for i, node in enumerate(root.iter(f"{_SITEMAP_NS}{child}", child)):
        loc = node.findtext(f"{_SITEMAP_NS}loc") or node.findtext("loc")
        if not loc or not loc.strip():
            continue
        lastmod = node.findtext(f"{_SITEMAP_NS}lastmod") or node.findtext("lastmod")
        found.append((_iso_date(lastmod), i, normalise_url(urljoin(url, loc.strip()))))
    # Newest first (undated after dated), then in listed order: a poll that reads only some
    # reads the fresh ones.
    found.sort(key=lambda x: (x[0] is None, -(x[0].toordinal() if x[0] else 0), x[1]))
    urls = list(dict.fromkeys(u for *_, u in found))
    if tag == "sitemapindex":
        return Listing(entries=(), sitemaps=tuple(urls))
    dates = {u: d for d, _, u in found}
    return Listing(entries=tuple(Entry(url=u, published=dates.get(u)) for u in urls))


def _date(parsed: time.struct_time | None) -> date | None:
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC).date()
    except (OverflowError, ValueError, TypeError):
        return None


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
