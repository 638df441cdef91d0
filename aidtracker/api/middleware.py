"""Headers every response carries, and ETags: plain ASGI, so the web pages get them too.

Security headers (Content-Security-Policy first) go on every response, errors and 304s
included. A successful GET whose body fits in memory gets a strong ETag, the hash of the
body; a request whose `If-None-Match` names it gets 304 Not Modified with no body. Hashing
the body rather than tracking versions makes the ETag right by construction: the same answer
has the same tag whichever query produced it. A response that sets its own ETag (static
files) is left alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def security_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


class HeadersAndETags:
    """ASGI middleware: security headers on everything, ETag and 304 on cacheable GETs."""

    def __init__(self, app: ASGIApp, *, headers: Mapping[str, str], max_bytes: int) -> None:
        self.app = app
        self.headers = dict(headers)
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["method"] == "GET"  # a HEAD body is empty: its hash would be wrong
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False  # True once we stopped buffering and stream what comes

        def decorate(message: Message) -> MutableHeaders:
            headers = MutableHeaders(scope=message)
            for name, value in self.headers.items():
                if name not in headers:
                    headers[name] = value
            return headers

        async def send_wrapper(message: Message) -> None:
            nonlocal start, size, passing
            if message["type"] == "http.response.start":
                headers = decorate(message)
                if not cacheable or message["status"] != 200 or "etag" in headers:
                    passing = True
                    await send(message)
                else:
                    start = message
                return
            if message["type"] != "http.response.body" or passing:
                await send(message)
                return
            assert start is not None
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if message.get("more_body", False):
                if size > self.max_bytes:
                    passing = True
                    await send(start)
                    await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
                return
            await self._finish(start, b"".join(chunks), if_none_match, send)

        await self.app(scope, receive, send_wrapper)

    async def _finish(self, start: Message, body: bytes, if_none_match: str | None, send: Send) -> None:
        headers = MutableHeaders(scope=start)
        etag = etag_of(body)
        headers["ETag"] = etag
        headers.setdefault("Cache-Control", "no-cache")  # may keep it, must ask again
        if if_none_match is not None and _matches(if_none_match, etag):
            not_modified: dict[str, Any] = {"type": "http.response.start", "status": 304, "headers": []}
            kept = MutableHeaders(scope=not_modified)
            for name, value in headers.items():
                if name.lower() not in ("content-length", "content-type"):
                    kept.append(name, value)
            await send(not_modified)
            await send({"type": "http.response.body", "body": b""})
            return
        await send(start)
        await send({"type": "http.response.body", "body": body})
