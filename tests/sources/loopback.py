"""A web site on loopback whose pages change between polls, and the ways real sites fail.

The fixtures that start it are in this folder's conftest.py.

    site = Site()                   # started by the `site` fixture, on 127.0.0.1 and a free port
    site.pages["/a1"] = Page(html)  # what the server answers for a path; change it between polls
    site.url("/feed.xml")

Every page answers with an ETag and honours If-None-Match, as good servers do, so conditional
GETs are exercised. The failure cases are paths with fixed behaviour: `/missing` (404),
`/broken` (500), `/slow` (answers after `Site.slow_seconds`), `/loop` (a redirect loop),
`/huge` (50 MB streamed with no Content-Length), `/huge-declared` (50 MB declared up front),
`/image` (a PNG where a page is expected) and `/bad-feed.xml` (malformed XML). `/private/...`
is refused by robots.txt. Every request is logged in `Site.requests` with its headers.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUGE = 50 * 1024 * 1024


@dataclass
class Page:
    body: str
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


@dataclass
class Site:
    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    slow_seconds: float = 2.0
    robots: str = "User-agent: *\nDisallow: /private/\n"
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


class Clock:
    """A clock that moves only when told to; every time it gives is a distinct instant."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # the test output stays quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            site.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
            # The client giving up (a size limit, a timeout) is what those tests want.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(path)

        def _answer(self, path: str) -> None:
            if path == "/robots.txt":
                return self._send(200, "text/plain", site.robots.encode())
            if path == "/slow":
                time.sleep(site.slow_seconds)
                return self._send(200, "text/html", b"<html><body><p>late</p></body></html>")
            if path in ("/loop", "/loop2"):
                self.send_response(302)
                self.send_header("Location", "/loop2" if path == "/loop" else "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path == "/moved":
                self.send_response(301)
                self.send_header("Location", "/a1")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"<p>" + b"x" * 65530 + b"</p>"
                for _ in range(HUGE // len(chunk) + 1):
                    self.wfile.write(chunk)
                return None
            if path == "/huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(HUGE))
                self.end_headers()
                return None
            if path == "/image":
                return self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
            if path == "/bad-feed.xml":
                return self._send(200, "application/rss+xml", b"<rss><channel><item><title>broken &&& <link")
            page = site.pages.get(path)
            if page is None:
                return self._send(404, "text/plain", b"not found")
            if page.status >= 400:
                return self._send(page.status, "text/plain", b"server error")
            body = page.body.encode()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return None
            return self._send(page.status, page.content_type, body, etag=etag)

        def _send(self, status: int, content_type: str, body: bytes, *, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def article(title: str, body: str, published: str = "2025-03-03") -> str:
    """An HTML news page as a small site would serve it."""
    return (
        "<!doctype html><html><head>"
        f"<title>{title}</title>"
        f'<meta property="article:published_time" content="{published}">'
        '<meta property="og:site_name" content="Loopback Herald">'
        "</head><body><nav>Home | World | Business</nav><article>"
        f"<h1>{title}</h1><p>{body}</p>"
        "<p>The announcement came after talks between the two governments in the capital.</p>"
        "</article><footer>Copyright Loopback Herald</footer></body></html>"
    )


def rss(site: Site, items: list[tuple[str, str]]) -> str:
    """An RSS 2.0 feed listing (path, title) items on `site`."""
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link>"
        "<pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate></item>"
        for path, title in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Loopback Herald</title><link>{site.url('/')}</link><description>news</description>"
        f"{entries}</channel></rss>"
    )


def serve(state: Site) -> Iterator[Site]:
    """Serve `state` on 127.0.0.1 and a free port until the generator is closed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
