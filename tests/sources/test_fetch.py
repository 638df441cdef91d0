"""The fetcher's manners, on an in-memory transport: retries and backoff, the rate limit, robots.txt, encodings."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from aidtracker.errors import FetchFailed
from aidtracker.history import as_of, moment
from aidtracker.sources import Archive, Fetcher, FetchPolicy, replay
from aidtracker.store import open_store

FIXTURE = Path(__file__).parent.parent / "fixtures" / "snapshots"


Answer = tuple[int, bytes, dict[str, str]]


def send(status: int, body: bytes = b"<html><body><p>hello</p></body></html>", **headers: str) -> Answer:
    headers.setdefault("Content-Type", "text/html")
    return status, body, headers


class Recorder:
    """An in-memory site: `answers[path]` is a list of responses given in turn (the last repeats)."""

    def __init__(self, answers: dict[str, list[Answer]], robots: Answer | None = None) -> None:
        self.answers = answers
        self.robots = robots or send(200, b"User-agent: *\nDisallow: /private\n", **{"Content-Type": "text/plain"})
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.path == "/robots.txt":
            status, body, headers = self.robots
        else:
            queue = self.answers.get(request.url.path) or [send(404, b"no")]
            status, body, headers = queue.pop(0) if len(queue) > 1 else queue[0]
        # A stream, as a server's body is: the fetcher reads the raw bytes as they come.
        return httpx.Response(status, stream=httpx.ByteStream(body), headers=headers)

    def paths(self) -> list[str]:
        return [r.url.path for r in self.seen]


def fetcher(site: Callable[[httpx.Request], httpx.Response], sleeps: list[float], **policy: float) -> Fetcher:
    options = {"retries": 2, "backoff": 1.0, "per_host_interval": 0.0, **policy}
    return Fetcher(
        FetchPolicy(**options),  # type: ignore[arg-type]
        clock=lambda: datetime(2025, 1, 1, tzinfo=UTC),
        sleep=sleeps.append,
        monotonic=lambda: 0.0,
        transport=httpx.MockTransport(site),
    )


def test_a_passing_failure_is_retried_with_doubling_backoff() -> None:
    site = Recorder({"/a": [send(503), send(503), send(200)]})
    sleeps: list[float] = []
    with fetcher(site, sleeps) as f:
        assert f.get("http://news.example/a").status == 200
    assert sleeps == [1.0, 2.0] and site.paths() == ["/robots.txt", "/a", "/a", "/a"]


def test_a_lasting_failure_gives_up_and_a_404_is_not_retried() -> None:
    site = Recorder({"/a": [send(500)], "/b": [send(404)]})
    sleeps: list[float] = []
    with fetcher(site, sleeps) as f:
        with pytest.raises(FetchFailed, match="HTTP 500") as failed:
            f.get("http://news.example/a")
        assert failed.value.retryable and failed.value.status == 500
        with pytest.raises(FetchFailed, match="HTTP 404"):
            f.get("http://news.example/b")
    assert site.paths().count("/a") == 3 and site.paths().count("/b") == 1


def test_retry_after_is_honoured_and_too_long_a_wait_is_not_waited_for() -> None:
    site = Recorder(
        {"/a": [send(429, **{"Retry-After": "7"}), send(200)], "/b": [send(429, **{"Retry-After": "3600"})]}
    )
    sleeps: list[float] = []
    with fetcher(site, sleeps) as f:
        assert f.get("http://news.example/a").status == 200
        with pytest.raises(FetchFailed, match="HTTP 429"):
            f.get("http://news.example/b")
    assert sleeps == [7.0]


def test_requests_to_one_host_are_spaced_by_the_rate_limit() -> None:
    site = Recorder({"/a": [send(200)], "/b": [send(200)]})
    sleeps: list[float] = []
    with fetcher(site, sleeps, per_host_interval=5.0) as f:
        f.get("http://news.example/a")
        f.get("http://news.example/b")
        f.get("http://other.example/a")  # another host does not queue behind news.example
    # At a frozen monotonic clock, each request to a host waits 5 s more than the one before it:
    # news.example's robots.txt, /a (5 s), /b (10 s); other.example's robots.txt, /a (5 s).
    assert sleeps == [5.0, 10.0, 5.0]


def test_robots_txt_is_obeyed_and_a_failing_robots_txt_allows_nothing() -> None:
    site = Recorder({"/private/x": [send(200)], "/a": [send(200)]})
    with fetcher(site, []) as f:
        with pytest.raises(FetchFailed, match=r"robots\.txt .* disallows"):
            f.get("http://news.example/private/x")
        assert "/private/x" not in site.paths()
    down = Recorder({"/a": [send(200)]}, robots=send(503))
    with fetcher(down, [], retries=0) as f, pytest.raises(FetchFailed, match=r"robots\.txt unavailable"):
        f.get("http://news.example/a")
    missing = Recorder({"/a": [send(200)]}, robots=send(404))
    with fetcher(missing, []) as f:
        assert f.get("http://news.example/a").status == 200  # no robots.txt: everything is allowed


def test_the_user_agent_is_honest_and_validators_make_the_get_conditional() -> None:
    site = Recorder({"/a": [send(304)]})
    with fetcher(site, []) as f:
        response = f.get("http://news.example/a", etag='"v1"', last_modified="Mon, 03 Mar 2025 08:00:00 GMT")
    assert response.not_modified
    request = site.seen[-1]
    assert request.headers["if-none-match"] == '"v1"' and request.headers["if-modified-since"].startswith("Mon")
    assert request.headers["user-agent"].startswith("aidtracker/")


def test_a_gzip_body_is_kept_raw_and_read_decoded_within_the_limit() -> None:
    page = b"<html><body><p>" + b"aid " * 1000 + b"</p></body></html>"
    site = Recorder(
        {
            "/a": [send(200, gzip.compress(page), **{"Content-Encoding": "gzip"})],
            "/bomb": [send(200, gzip.compress(b"x" * 200_000), **{"Content-Encoding": "gzip"})],
        }
    )
    with fetcher(site, [], max_bytes=100_000) as f:
        response = f.get("http://news.example/a")
        assert response.content == page and response.body == gzip.compress(page)
        with pytest.raises(FetchFailed, match="once decompressed"):
            f.get("http://news.example/bomb")


def test_urls_that_are_not_http_are_refused() -> None:
    with fetcher(Recorder({}), []) as f:
        for url in ("file:///etc/passwd", "ftp://news.example/a", "/relative"):
            with pytest.raises(FetchFailed, match="not an absolute http"):
                f.get(url)


def test_the_snapshot_fixture_replays_to_a_feed_with_one_edited_article(db_url: str) -> None:
    """tests/fixtures/snapshots (made by make_snapshots.py), which the README's replay example reads."""
    with open_store(db_url) as store:
        report = replay(store, Archive(FIXTURE))
        assert (report.new, report.updated, report.problems) == (3, 1, [])
        assert [v.version for v in store.versions("https://herald.example/a1")] == [1, 2]
        with as_of(store, moment("2025-03-01T09:30")) as then:
            assert then.stats()["documents"] == 3


def test_a_long_running_watch_reads_robots_txt_again_after_a_day() -> None:
    site = Recorder(
        {"/a": [send(200)]}, robots=send(200, b"User-agent: *\nDisallow: /a\n", **{"Content-Type": "text/plain"})
    )
    now = [0.0]
    f = Fetcher(
        FetchPolicy(retries=0, per_host_interval=0.0),
        sleep=lambda _: None,
        monotonic=lambda: now[0],
        transport=httpx.MockTransport(site),
    )
    with f:
        with pytest.raises(FetchFailed, match="disallows"):
            f.get("http://news.example/a")
        site.robots = send(200, b"User-agent: *\nAllow: /\n", **{"Content-Type": "text/plain"})
        now[0] += 3600.0
        with pytest.raises(FetchFailed, match="disallows"):
            f.get("http://news.example/a")  # an hour later the day-old rules still hold
        now[0] += 24 * 3600.0
        assert f.get("http://news.example/a").status == 200
    assert site.paths().count("/robots.txt") == 2
