"""The REST API: FastAPI over the store, with an OpenAPI schema at /api/openapi.json.

    app = create_app("aid.db")                    # or a PostgreSQL URL, or None for $AIDTRACKER_DB
    uvicorn.run(app)                              # what `aidtracker serve` does

Routes (`aidtracker.api.routes`) call the store and `aidtracker.query`, and `present` turns
records into the response models of `models`. Every response carries a Content-Security-Policy;
successful GETs carry an ETag; every error is `{"error": {"code", "message"}}`. The dashboard
(`aidtracker.web`), when installed, mounts its pages on the same app. Reading is public; the
writing routes (reviews, uploads, users: `aidtracker.review_api`) need a bearer token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from aidtracker.api import errors
from aidtracker.api.deps import StoreHolder, get_store, holder_of
from aidtracker.api.middleware import HeadersAndETags, security_headers
from aidtracker.api.routes import router
from aidtracker.api.settings import ApiSettings

__all__ = ["OPENAPI_URL", "ApiSettings", "create_app", "get_store"]

OPENAPI_URL = "/api/openapi.json"


def create_app(db_url: str | None = None, *, settings: ApiSettings | None = None) -> FastAPI:
    """The API app for the database at `db_url` (else `$AIDTRACKER_DB`, else ./aidtracker.db).

    The database is opened on the first request that needs it and closed when the app stops.
    No documentation pages are served: they would load scripts from a CDN, which the CSP (and
    the project) rule out; the schema itself is at `/api/openapi.json`.
    """
    settings = settings or ApiSettings()
    holder = StoreHolder(db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            cache = getattr(app.state, "snapshot_cache", None)
            if cache is not None:
                cache.close()  # the records as of past moments (aidtracker.api.routes.history)
            holder.close()

    app = FastAPI(
        title="aidtracker",
        summary="Source-linked, de-duplicated commitments, agreements, events and actors from news about aid.",
        version=_version(),
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store_holder = holder
    app.state.db_url = db_url  # for code that opens its own store on the same database
    app.state.settings = settings
    headers = security_headers(settings.csp)
    errors.install(app, headers)
    app.include_router(router)
    from aidtracker.review_api import mount_review_api  # here: it imports this package's models

    mount_review_api(app, get_store, settings.review)
    if settings.cors_origins:
        # Tokens travel in a header, never in cookies, so an allowed origin may write too: a page
        # there can only act with a token its user pasted in.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["If-None-Match", "Authorization", "Content-Type"],
            expose_headers=["ETag", "Retry-After"],
        )
    app.add_middleware(HeadersAndETags, headers=headers, max_bytes=settings.etag_max_bytes)
    _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    """Serve the dashboard from this app when `aidtracker.web` is there; the API stands alone without it."""
    try:
        from aidtracker.web import mount_web
    except ImportError:
        return
    mount_web(app)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("aidtracker")
    except PackageNotFoundError:
        return "0"


def store_holder(app: FastAPI) -> StoreHolder:
    """The holder of an app's store, for callers outside a request (tests, the CLI)."""
    return holder_of(app)
