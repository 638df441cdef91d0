"""Writes tests/fixtures/snapshots: a small archive of a feed polled twice, for the README's replay example.

    .venv/bin/python tests/sources/make_snapshots.py

The site is served in memory (httpx.MockTransport) at a reserved example domain, so the archive
names no real outlet and no network is used; the articles are the ones test_watch.py writes.
`test_snapshot_fixture.py` replays it and checks what it holds.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import httpx

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from loopback import Clock, article  # noqa: E402
from test_watch import CANADA, ITEMS, NORWAY, NORWAY_EDITED, SWEDEN  # noqa: E402

from aidtracker.sources import Archive, Fetcher, FetchPolicy, add_source, poll  # noqa: E402
from aidtracker.store import open_store  # noqa: E402

BASE = "https://herald.example"
FOLDER = HERE.parent / "fixtures" / "snapshots"


def main() -> None:
    pages = {path: article(title, body) for (path, title), body in zip(ITEMS, (NORWAY, CANADA, SWEDEN), strict=True)}
    items = "".join(
        f"<item><title>{t}</title><link>{BASE}{p}</link><pubDate>Mon, 03 Mar 2025 08:00:00 GMT</pubDate></item>"
        for p, t in ITEMS
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Herald</title>{items}</channel></rss>'

    def send(status: int, text: str, content_type: str, **headers: str) -> httpx.Response:
        # A stream, as a real server's body is: the fetcher reads the raw bytes as they come.
        data = text.encode()
        headers |= {"Content-Type": content_type, "Content-Length": str(len(data))}
        return httpx.Response(status, stream=httpx.ByteStream(data), headers=headers)

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/robots.txt":
            return send(200, "User-agent: *\nAllow: /\n", "text/plain")
        if path == "/feed.xml":
            return send(200, feed, "application/rss+xml")
        body = pages.get(path)
        if body is None:
            return send(404, "not found", "text/plain")
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        return send(200, body, "text/html; charset=utf-8", ETag=etag)

    clock = Clock(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
    shutil.rmtree(FOLDER, ignore_errors=True)
    archive = Archive(FOLDER)
    policy = FetchPolicy(per_host_interval=0, retries=0)
    transport = httpx.MockTransport(answer)
    with (
        tempfile.TemporaryDirectory() as scratch,
        open_store(str(Path(scratch) / "aid.db"), clock=clock) as store,
        Fetcher(policy, clock=clock, transport=transport) as fetcher,
    ):
        add_source(store, archive, f"{BASE}/feed.xml", "feed", at=clock())
        poll(store, archive, fetcher, clock=clock)
        clock.advance(hours=1)
        pages["/a1"] = article(ITEMS[0][1], NORWAY_EDITED)
        poll(store, archive, fetcher, clock=clock)
    print("\n".join(str(p) for p in archive.files()))


if __name__ == "__main__":
    main()
