"""The writing half of the API: reviews, uploads and user admin, behind bearer tokens.

    from aidtracker.review_api import mount_review_api
    mount_review_api(app, get_store)        # get_store: a FastAPI dependency giving the Store

    POST   /api/reviews/{action}   confirm | correct | reject | merge | split     reviewer, admin
    GET    /api/reviews/log        the audit trail (?ref= one fact or cluster)    public
    GET    /api/reviews/status/{ref}  a fact's or cluster's review state          public
    GET    /api/reviews/orphans    reviews whose evidence has gone                public
    POST   /api/documents?name=    upload one .txt/.md/.html/.jsonl body          reviewer, admin
    GET    /api/users              users and roles                                admin
    POST   /api/users              add a user; the token is in this response only admin
    DELETE /api/users/{name}       revoke a user's token                          admin

Reading is public; every write needs `Authorization: Bearer <token>` (see `aidtracker.auth`).
Each token has its own rate limit (a token bucket in memory), failed authentications a limit
per client address, and bodies a size limit enforced while they are read, so a client cannot
make the server hold more than the limit whatever Content-Length it claims. Errors leave in
the API's one shape, `{"error": {"code", "message"}}`, translated here (401, 403, 413, 429
carry their own headers), so the router behaves the same mounted on any app. Every route calls
one library function: `review.record_review`, `upload.ingest_upload`, `auth.add_user`, ...

(No `from __future__ import annotations` here: FastAPI reads the routes' annotations, which
name dependencies defined inside `review_router`, and could not resolve them from strings.)
"""

import logging
import math
import threading
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aidtracker import auth
from aidtracker.api.models import ErrorOut
from aidtracker.api.responses import SafeJSONResponse
from aidtracker.auth import TokenBucket, User
from aidtracker.errors import (
    AccessDenied,
    AidtrackerError,
    InvalidFilter,
    NotFound,
    RateLimited,
    RequestError,
    RequestTooLarge,
    StorageError,
)
from aidtracker.pipeline import resolve_store
from aidtracker.review import (
    ReviewAction,
    changes_resolution,
    orphans,
    record_review,
    review_log,
    review_states,
)
from aidtracker.review_json import orphan_json, review_json, status_json, user_json
from aidtracker.store import Store
from aidtracker.upload import ingest_upload

log = logging.getLogger("aidtracker.api")

__all__ = ["ReviewApiSettings", "mount_review_api", "review_router"]


@dataclass(frozen=True, slots=True)
class ReviewApiSettings:
    """Limits of the writing API.

    `rate` requests per second per token, with bursts of `burst`; `failed_auth_rate` (per
    second, bursts of `failed_auth_burst`) for requests whose token is missing or wrong, per
    client address. `max_json_bytes` and `max_upload_bytes` cap request bodies.
    `apply_reviews` re-resolves after each review so that it shows at once (several writes
    arriving together share one resolution).
    """

    rate: float = 2.0
    burst: int = 20
    failed_auth_rate: float = 0.5
    failed_auth_burst: int = 10
    max_json_bytes: int = 64 * 1024
    max_upload_bytes: int = 20_000_000
    apply_reviews: bool = True


class ReviewRequest(BaseModel):
    """A review: `target` a fact or cluster; `other` the second cluster of a merge or the
    mention a split takes out; `fields` the corrections, as the CLI's NAME=VALUE."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(min_length=1, max_length=200)
    other: str | None = Field(default=None, min_length=1, max_length=200)
    fields: dict[str, str] = Field(default_factory=dict, max_length=30)
    comment: str | None = Field(default=None, max_length=2000)


class UserRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    role: str = Field(min_length=1, max_length=16)


StoreGetter = Callable[..., Store]

# Documents the bearer scheme in the OpenAPI schema; missing or malformed headers reach `writer`
# as None, so that every refusal leaves in the API's error shape rather than FastAPI's.
_BEARER = HTTPBearer(auto_error=False, description="A token from `aidtracker user add NAME --role ROLE`.")

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in (
        (400, "A review or upload that cannot be made as asked."),
        (401, "No valid bearer token (writes only)."),
        (403, "The token's user lacks the role for this."),
        (404, "No such fact, cluster or user."),
        (413, "The body is over the size limit."),
        (422, "A body or parameter that does not make sense."),
        (429, "Too many requests for this token or address; see Retry-After."),
        (500, "The server failed; the message says no more."),
        (503, "The database is busy; try again."),
    )
}


class _Applier:
    """Runs resolution after reviews, one at a time, sharing runs between writes that queue up.

    A write takes a ticket after its review is committed; a run notes the last ticket issued
    before it starts, and a write whose ticket a run has covered need not start its own. So
    every review is applied by a resolution that began after it was stored, and a burst of N
    writes costs far fewer than N runs.
    """

    def __init__(self) -> None:
        self._run = threading.Lock()
        self._count = threading.Lock()
        self._issued = 0
        self._applied = 0

    def ticket(self) -> int:
        with self._count:
            self._issued += 1
            return self._issued

    def apply(self, store: Store, ticket: int) -> None:
        with self._run:
            if self._applied >= ticket:
                return
            with self._count:
                covers = self._issued
            resolve_store(store)
            self._applied = covers


class _TrustRoute(APIRoute):
    """A route whose aidtracker errors leave in the API's error shape with the right status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except AidtrackerError as exc:
                return _error_response(request, exc)
            except RequestValidationError as exc:
                return _error_response(request, InvalidFilter(_validation_message(exc.errors())))

        return guarded


def _error_response(request: Request, exc: AidtrackerError) -> SafeJSONResponse:
    headers: dict[str, str] = {}
    message = exc.message
    if isinstance(exc, AccessDenied):
        status = exc.status
        if status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="aidtracker"'
    elif isinstance(exc, RateLimited):
        status = 429
        headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
    elif isinstance(exc, RequestTooLarge):
        status = 413
    elif isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, InvalidFilter):
        status = 422
    elif isinstance(exc, RequestError):
        status = 400
    else:
        # The server's own failures: their text may name files or hosts, so it goes to the log.
        log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
        busy = isinstance(exc, StorageError)
        status = 503 if busy else 500
        message = "the database is busy or unavailable; try again" if busy else "the server could not answer"
        if busy:
            headers["Retry-After"] = "1"
    return SafeJSONResponse({"error": {"code": exc.code, "message": message}}, status_code=status, headers=headers)


def _validation_message(errors: Any) -> str:
    parts = []
    for e in list(errors)[:5]:
        loc = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "request"
        parts.append(f"{loc}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)


def review_router(get_store: StoreGetter, settings: ReviewApiSettings | None = None) -> APIRouter:
    """The router, with its own rate limits; `get_store` is a FastAPI dependency returning the Store."""
    settings = settings or ReviewApiSettings()
    buckets = TokenBucket(settings.rate, settings.burst)
    failures = TokenBucket(settings.failed_auth_rate, settings.failed_auth_burst)
    applier = _Applier()
    router = APIRouter(
        prefix="/api",
        tags=["review"],
        route_class=_TrustRoute,
        default_response_class=SafeJSONResponse,
        responses=_ERRORS,
    )
    StoreDep = Annotated[Store, Depends(get_store)]
    Bearer = Annotated[HTTPAuthorizationCredentials | None, Security(_BEARER)]

    def writer(permission: str) -> Callable[[Request, Store, HTTPAuthorizationCredentials | None], User]:
        def check(request: Request, store: StoreDep, credentials: Bearer) -> User:
            client = request.client.host if request.client else "unknown"
            token = credentials.credentials.strip() if credentials is not None else ""
            user = auth.authenticate(store, token)
            if user is None:
                wait = failures.take(client)
                if wait:
                    raise RateLimited("too many requests without a valid token", retry_after=wait)
                raise AccessDenied("this needs a valid bearer token (Authorization: Bearer aid_...)")
            wait = buckets.take(auth.hash_token(token))
            if wait:
                raise RateLimited(f"over {settings.rate:g} requests per second for this token", retry_after=wait)
            if not auth.allowed(user, permission):
                raise AccessDenied(f"user {user.name} ({user.role}) may not do this", status=403)
            return user

        return check

    Reviewer = Annotated[User, Depends(writer("review"))]
    Uploader = Annotated[User, Depends(writer("upload"))]
    Admin = Annotated[User, Depends(writer("admin"))]

    def limited(limit: int) -> Callable[[Request], Awaitable[bytes]]:
        async def read(request: Request) -> bytes:
            return await read_body(request, limit)

        return read

    JsonBody = Annotated[bytes, Depends(limited(settings.max_json_bytes))]
    UploadBody = Annotated[bytes, Depends(limited(settings.max_upload_bytes))]

    @router.post(
        "/reviews/{action}",
        status_code=201,
        summary="Confirm, correct or reject a fact or cluster; merge or split clusters",
        openapi_extra=_json_body(ReviewRequest),
    )
    def post_review(action: ReviewAction, user: Reviewer, store: StoreDep, body: JsonBody) -> dict[str, Any]:
        asked = _parse(ReviewRequest, body)
        fields = [f"{k}={v}" for k, v in asked.fields.items()]
        review = record_review(
            store, action, asked.target, by=user.name, other=asked.other, fields=fields, comment=asked.comment
        )
        ticket = applier.ticket()
        # A plain confirmation changes no cluster: skipping the resolution run keeps writes from
        # taking the CPU that readers need (a run costs about a second on a small corpus).
        if settings.apply_reviews and changes_resolution(review, store.reviews()):
            applier.apply(store, ticket)
        return {"review": review_json(review), "applied": settings.apply_reviews}

    @router.get("/reviews/log", summary="The audit trail, oldest first")
    def get_log(
        store: StoreDep,
        ref: Annotated[str | None, Query(max_length=200)] = None,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        found = [r for r in review_log(store, ref) if r.id > after][:limit]
        return {"reviews": [review_json(r) for r in found], "next_after": found[-1].id if len(found) == limit else None}

    @router.get("/reviews/status/{ref}", summary="A fact's or cluster's review state")
    def get_status(ref: Annotated[str, Path(min_length=1, max_length=200)], store: StoreDep) -> dict[str, Any]:
        status = review_states(store, [ref]).get(ref)
        if status is None:
            raise NotFound(f"no fact or cluster {ref[:80]!r}")
        return {"ref": ref, **status_json(status)}

    @router.get("/reviews/orphans", summary="Reviews whose evidence no stored fact has any more")
    def get_orphans(store: StoreDep) -> dict[str, Any]:
        return {"orphans": [orphan_json(o) for o in orphans(store)]}

    @router.post(
        "/documents",
        status_code=201,
        summary="Upload a document (.txt, .md, .html or .jsonl) to store and extract",
        openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {}}}},
    )
    def post_document(
        name: Annotated[str, Query(min_length=1, max_length=200)], user: Uploader, store: StoreDep, body: UploadBody
    ) -> dict[str, Any]:
        summary = ingest_upload(store, name, body, by=user.name, max_bytes=settings.max_upload_bytes)
        return {
            "added": summary.added,
            "unchanged": summary.unchanged,
            "new_versions": summary.new_versions,
            "facts": summary.facts,
            "documents": [{"id": doc_id, "source": source} for doc_id, source in summary.articles],
            "skipped": [{"source": e.source, "code": e.code, "reason": e.reason} for e in summary.failed],
        }

    @router.get("/users", summary="Users and their roles")
    def get_users(_admin: Admin, store: StoreDep) -> dict[str, Any]:
        return {"users": [user_json(u) for u in store.users()]}

    @router.post(
        "/users",
        status_code=201,
        summary="Add a user; the token is shown in this response only",
        openapi_extra=_json_body(UserRequest),
    )
    def post_user(_admin: Admin, store: StoreDep, body: JsonBody) -> dict[str, Any]:
        asked = _parse(UserRequest, body)
        user, token = auth.add_user(store, asked.name, asked.role)
        return {"user": user_json(user), "token": token}

    @router.delete("/users/{name}", summary="Revoke a user's token")
    def delete_user(
        name: Annotated[str, Path(min_length=1, max_length=64)], _admin: Admin, store: StoreDep
    ) -> dict[str, Any]:
        return {"user": user_json(store.revoke_user(name))}

    return router


def mount_review_api(app: FastAPI, get_store: StoreGetter, settings: ReviewApiSettings | None = None) -> None:
    """Add the review, upload and user routes to `app` (for `aidtracker.api.create_app`: pass
    `aidtracker.api.deps.get_store`)."""
    app.include_router(review_router(get_store, settings))


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `limit` bytes (whatever it claimed)."""
    claimed = request.headers.get("content-length")
    if claimed is not None and (not claimed.isdigit() or int(claimed) > limit):
        raise RequestTooLarge(f"the body is over the {limit:,}-byte limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge(f"the body is over the {limit:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], body: bytes) -> M:
    try:
        return model.model_validate_json(body or b"{}")
    except ValidationError as exc:
        raise InvalidFilter("body: " + _validation_message(exc.errors())) from None


def _json_body(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
