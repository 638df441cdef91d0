"""The API's one translation point for failures: every error leaves as the same JSON shape.

    {"error": {"code": "AT501", "message": "query parameter 'from': Input should be a valid date"}}

Bad filters are 422, unknown records 404, other bad requests 4xx with their status; anything
unexpected is a 500 whose message says nothing about the server (the traceback goes to the
log, never to the client). Codes are the stable codes of `aidtracker.errors`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from aidtracker.api.responses import SafeJSONResponse
from aidtracker.errors import AidtrackerError, InvalidFilter, NotFound, RequestError

log = logging.getLogger("aidtracker.api")

INTERNAL = "AT000"
_STATUS_OF: list[tuple[type[AidtrackerError], int]] = [(NotFound, 404), (InvalidFilter, 422), (RequestError, 400)]
_CODE_OF_STATUS = {404: NotFound.code, 422: InvalidFilter.code}
_MESSAGE_OF_STATUS = {404: "no such endpoint", 405: "method not allowed"}


def error_response(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> SafeJSONResponse:
    """The one error shape, with the security headers (errors raised past middleware need them too)."""
    return SafeJSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=dict(headers or {})
    )


def _where(loc: Sequence[Any]) -> str:
    if not loc:
        return "request"
    kinds = {"query": "query parameter", "path": "path parameter", "header": "header", "body": "body"}
    head, *rest = loc
    name = ".".join(str(x) for x in rest) or str(head)
    return f"{kinds.get(str(head), str(head))} {name!r}"


def validation_message(errors: Sequence[Any]) -> str:
    """Pydantic's errors as one sentence naming each parameter at fault."""
    parts = []
    for e in errors[:5]:
        msg = str(e.get("msg", "invalid")) if isinstance(e, Mapping) else str(e)
        loc = e.get("loc", ()) if isinstance(e, Mapping) else ()
        parts.append(f"{_where(loc)}: {msg}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def install(app: FastAPI, headers: Mapping[str, str]) -> None:
    """Register the handlers that turn every failure into the error shape."""

    async def on_validation(_request: Request, exc: Exception) -> SafeJSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(422, InvalidFilter.code, validation_message(exc.errors()), headers)

    async def on_http(_request: Request, exc: Exception) -> SafeJSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        code = _CODE_OF_STATUS.get(status, RequestError.code if status < 500 else INTERNAL)
        message = exc.detail if isinstance(exc.detail, str) and status not in _MESSAGE_OF_STATUS else None
        merged = {**headers, **(exc.headers or {})}
        return error_response(status, code, message or _MESSAGE_OF_STATUS.get(status, "request failed"), merged)

    async def on_ours(request: Request, exc: Exception) -> SafeJSONResponse:
        assert isinstance(exc, AidtrackerError)
        for kind, status in _STATUS_OF:
            if isinstance(exc, kind):
                return error_response(status, exc.code, exc.message, headers)
        # Storage and vocabulary failures are the server's: their text may name files or hosts.
        log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
        return error_response(500, exc.code, "the server could not answer; the failure is in its log", headers)

    async def on_unexpected(request: Request, exc: Exception) -> SafeJSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(500, INTERNAL, "internal error; the failure is in the server's log", headers)

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(AidtrackerError, on_ours)
    app.add_exception_handler(Exception, on_unexpected)
