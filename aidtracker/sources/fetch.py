"""Fetching one URL politely and defensively: URL in, the response's raw bytes and headers out.

A `Fetcher` is what every request to the web goes through, so the manners are in one place:

- an honest User-Agent naming aidtracker and how to reach whoever runs it;
- robots.txt, read once per site and obeyed (RFC 9309: a missing file allows everything, a
  server error or an unreachable site allows nothing for this run);
- at most one request per `per_host_interval` seconds to one host;
- conditional GET: the caller passes the ETag and Last-Modified it kept, and a 304 costs nothing;
- retries with exponential backoff for what may pass (timeouts, refused connections, 429, 5xx),
  none for what will not (404, 403, a robots.txt refusal);
- redirects followed one hop at a time (each hop obeys robots.txt and the rate limit), with
  loops and over-long chains refused;
- a size limit enforced while the body streams in, whatever Content-Length claims, and the
  content type checked before the body is read.

Every failure is a `FetchFailed` with a one-line reason; nothing here writes anywhere. Time is
injected (`clock` for fetch times, `sleep` and `monotonic` for waiting), so tests are exact.
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urldefrag, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from aidtracker.errors import FetchFailed

ROBOTS_TOKEN = "aidtracker"
ROBOTS_TTL = 24 * 3600.0  # seconds a site's robots.txt is trusted
ROBOTS_FAILED_TTL = 3600.0  # seconds before an unavailable robots.txt is asked for again
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def default_user_agent(contact: str | None = None) -> str:
    """`aidtracker/VERSION (+CONTACT)`: who is asking, so a site can tell whoever runs it to stop.

    The contact is `contact`, else `$AIDTRACKER_CONTACT` (an email or a web page).
    """
    about = contact or os.environ.get("AIDTRACKER_CONTACT") or "a tracker of aid commitments that reads the news"
    return f"{ROBOTS_TOKEN}/{_version()} (+{about})"


def _version() -> str:
    try:
        return version("aidtracker")
    except PackageNotFoundError:
        return "0"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How to behave towards the sites we read; every limit in one place, for tests to tighten."""

    user_agent: str = field(default_factory=default_user_agent)
    timeout: float = 20.0  # seconds, for connecting and for each read
    retries: int = 2  # further tries after the first, for failures that may pass
    backoff: float = 2.0  # seconds before the first retry, doubled for each one after
    max_backoff: float = 60.0  # a Retry-After longer than this is not waited for
    max_bytes: int = 20_000_000  # of body, refused while streaming once passed
    per_host_interval: float = 1.0  # seconds between two requests to the same host
    max_redirects: int = 5
    obey_robots: bool = True


@dataclass(frozen=True, slots=True)
class Response:
    """What a server sent: the body as received (not decoded) and every header, in order.

    `body` is the raw payload; `content` is it with any Content-Encoding undone, which is what
    parsers read. `not_modified` is a 304 to a conditional GET (no body).
    """

    url: str  # as requested, without fragment
    final_url: str  # after redirects
    status: int
    reason: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    content: bytes
    fetched_at: datetime

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    @property
    def content_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    @property
    def charset(self) -> str | None:
        value = self.header("content-type") or ""
        for part in value.split(";")[1:]:
            name, _, charset = part.strip().partition("=")
            if name.lower() == "charset" and charset:
                return charset.strip("\"' ")
        return None


def normalise_url(url: str) -> str:
    """The URL a page is known by: without its fragment, which never reaches the server."""
    return urldefrag(url.strip())[0]


def check_url(url: str) -> str:
    """`url` normalised, or `FetchFailed` if it is not an absolute http(s) URL."""
    clean = normalise_url(url)
    parts = urlsplit(clean)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed(url, "not an absolute http or https URL")
    return clean


class Fetcher:
    """Polite HTTP GETs through one connection pool; use as a context manager, or close it."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._sleep = sleep
        self._monotonic = monotonic
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "identity"},
            timeout=httpx.Timeout(self.policy.timeout),
            follow_redirects=False,
            transport=transport,
            trust_env=False,  # a proxy from the environment would see every request; say so explicitly
        )
        self._next_slot: dict[str, float] = {}
        self._robots: dict[str, tuple[float, RobotFileParser | FetchFailed]] = {}  # site → (read at, rules)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one public operation

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Collection[str] = (),
    ) -> Response:
        """GET `url` (conditionally, if validators are given), following redirects; raise `FetchFailed`.

        `accept` lists the content types the caller can read (empty: any); a response of another
        type is refused before its body is read.
        """
        requested = check_url(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [requested]
        current = requested
        while True:
            self._check_robots(current, origin=requested)
            response = self._with_retries(current, headers, accept=accept, origin=requested)
            if isinstance(response, Response):
                return Response(
                    url=requested,
                    final_url=current,
                    status=response.status,
                    reason=response.reason,
                    http_version=response.http_version,
                    headers=response.headers,
                    body=response.body,
                    content=response.content,
                    fetched_at=response.fetched_at,
                )
            target = normalise_url(response)
            if target in seen:
                raise FetchFailed(requested, f"redirect loop: {' → '.join([*seen, target])}")
            if len(seen) > self.policy.max_redirects:
                raise FetchFailed(requested, f"more than {self.policy.max_redirects} redirects")
            check_url(target)
            seen.append(target)
            current = target

    # -- robots.txt

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets aidtracker fetch `url` (reading it once per site)."""
        try:
            self._check_robots(url, origin=url)
        except FetchFailed:
            return False
        return True

    def _check_robots(self, url: str, *, origin: str) -> None:
        if not self.policy.obey_robots:
            return
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(site)
        now = self._monotonic()
        # A long-running watch reads robots.txt again daily, and retries an unavailable one hourly.
        if cached is None or now - cached[0] > (
            ROBOTS_FAILED_TTL if isinstance(cached[1], FetchFailed) else ROBOTS_TTL
        ):
            cached = (now, self._read_robots(site))
            self._robots[site] = cached
        rules = cached[1]
        if isinstance(rules, FetchFailed):
            raise FetchFailed(origin, rules.reason, status=rules.status, retryable=True)
        if not rules.can_fetch(ROBOTS_TOKEN, url):
            raise FetchFailed(origin, f"robots.txt of {site} disallows {url}")

    def _read_robots(self, site: str) -> RobotFileParser | FetchFailed:
        rules = RobotFileParser()
        try:
            found = self._with_retries(f"{site}/robots.txt", {}, accept=(), origin=f"{site}/robots.txt")
        except FetchFailed as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                rules.parse([])  # RFC 9309: no robots.txt (or one we may not see) allows everything
                return rules
            return FetchFailed(site, f"robots.txt unavailable ({exc.reason}), so nothing on {site} is fetched")
        if isinstance(found, str):  # robots.txt redirected: read it as absent rather than chase it
            rules.parse([])
            return rules
        rules.parse(_decoded(found.content, found.charset).splitlines())
        return rules

    # -- one hop, with retries

    def _with_retries(
        self, url: str, headers: dict[str, str], *, accept: Collection[str], origin: str
    ) -> Response | str:
        """The response to one request (or the Location it redirects to), retrying what may pass."""
        attempt = 0
        while True:
            try:
                return self._once(url, headers, accept=accept, origin=origin)
            except FetchFailed as exc:
                if not exc.retryable or attempt >= self.policy.retries:
                    raise
                wait = self.policy.backoff * (2**attempt)
                if exc.retry_after is not None:
                    wait = max(wait, exc.retry_after)
                if wait > self.policy.max_backoff:
                    raise
                self._sleep(wait)
                attempt += 1

    def _once(self, url: str, headers: dict[str, str], *, accept: Collection[str], origin: str) -> Response | str:
        self._wait_for_host(url)
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                fetched_at = self._clock()
                if 300 <= r.status_code < 400 and r.status_code != 304:
                    location = r.headers.get("location")
                    if not location:
                        raise FetchFailed(
                            origin, f"HTTP {r.status_code} without a Location to go to", status=r.status_code
                        )
                    return str(r.url.join(location))
                if r.status_code == 304:
                    return _response(url, r, b"", b"", fetched_at)
                if r.status_code >= 400:
                    raise FetchFailed(
                        origin,
                        f"HTTP {r.status_code} {r.reason_phrase}".strip() + (f" from {url}" if url != origin else ""),
                        status=r.status_code,
                        retryable=r.status_code in RETRY_STATUSES,
                        retry_after=_retry_after(r.headers.get("retry-after")),
                    )
                _check_type(r, accept, origin)
                body = self._read_limited(r, origin)
        except httpx.TimeoutException as exc:
            raise FetchFailed(
                origin, f"timed out after {self.policy.timeout:g} s ({type(exc).__name__})", retryable=True
            ) from exc
        except httpx.TransportError as exc:
            raise FetchFailed(origin, f"could not connect: {exc or type(exc).__name__}", retryable=True) from exc
        content = undo_encoding(body, r.headers.get("content-encoding"), self.policy.max_bytes, origin)
        return _response(url, r, body, content, fetched_at)

    def _read_limited(self, r: httpx.Response, origin: str) -> bytes:
        limit = self.policy.max_bytes
        declared = r.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchFailed(origin, f"too large: {int(declared):,} bytes declared, the limit is {limit:,}")
        chunks: list[bytes] = []
        total = 0
        for chunk in r.iter_raw():
            total += len(chunk)
            if total > limit:
                raise FetchFailed(origin, f"too large: over {limit:,} bytes (refused while reading)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        now = self._monotonic()
        slot = self._next_slot.get(host, now)
        if slot > now:
            self._sleep(slot - now)
            now = slot
        self._next_slot[host] = now + self.policy.per_host_interval


def _response(url: str, r: httpx.Response, body: bytes, content: bytes, fetched_at: datetime) -> Response:
    return Response(
        url=url,
        final_url=url,
        status=r.status_code,
        reason=r.reason_phrase,
        http_version=r.http_version,
        headers=tuple((k, v) for k, v in r.headers.multi_items()),
        body=body,
        content=content,
        fetched_at=fetched_at,
    )


def _check_type(r: httpx.Response, accept: Collection[str], origin: str) -> None:
    if not accept:
        return
    declared = (r.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    if declared not in accept:
        shown = declared or "none"
        raise FetchFailed(
            origin, f"content type {shown}, expected one of {', '.join(sorted(accept))}", status=r.status_code
        )


def undo_encoding(body: bytes, encoding: str | None, limit: int, origin: str) -> bytes:
    """The body with gzip or deflate undone (we ask for none, but servers may send it anyway)."""
    name = (encoding or "identity").strip().lower()
    if name in ("identity", ""):
        return body
    if name not in ("gzip", "x-gzip", "deflate"):
        raise FetchFailed(origin, f"content encoding {name!r} is not supported")
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 32 if name != "deflate" else zlib.MAX_WBITS)
    try:
        out = decoder.decompress(body, limit + 1)
    except zlib.error as exc:
        raise FetchFailed(origin, f"{name} body does not decompress ({exc})") from exc
    if len(out) > limit:
        raise FetchFailed(origin, f"too large: over {limit:,} bytes once decompressed")
    return out


def _retry_after(value: str | None) -> float | None:
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


def _decoded(content: bytes, charset: str | None) -> str:
    try:
        return content.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")
