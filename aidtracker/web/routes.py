"""The dashboard's HTTP face: each route reads one snapshot, calls one `pages` function, renders.

Every response passes through `SecurityHeaders`, which adds a Content-Security-Policy that
allows only this server's own scripts and styles (no inline code, no CDN), so that even a
templating mistake could not run a script smuggled in an article. Errors on these pages are
HTML pages with a plain message and the right status (404, 400), not JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aidtracker.errors import AidtrackerError, InvalidFilter, NotFound
from aidtracker.store import Store, open_store
from aidtracker.web import charts, pages, vendor
from aidtracker.web.render import WebLinks, render

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
LINKS = WebLinks()
STATIC = Path(__file__).parent / "static"


class SecurityHeaders:
    """ASGI middleware: the CSP and companions on every response that has not set its own.

    The API app (`aidtracker.api`) sends the same policy; this makes the pages safe on any app
    they are mounted on. Plain ASGI, so streamed and static responses get the headers too.
    """

    def __init__(self, app: ASGIApp, skip: Callable[[str], bool]) -> None:
        self.app = app
        self.skip = skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.skip(scope.get("path", "")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def web_store(request: Request) -> Iterator[Store]:
    """The app's store: the API's (its `store_holder`), else `app.state.store`, else one opened
    for the request on `app.state.db_url` (or `$AIDTRACKER_DB`)."""
    holder = getattr(request.app.state, "store_holder", None)
    if holder is not None and callable(getattr(holder, "get", None)):
        yield holder.get()
        return
    given = getattr(request.app.state, "store", None)
    if isinstance(given, Store):
        yield given
        return
    store = open_store(getattr(request.app.state, "db_url", None))
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(web_store)]
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    nav = request.url.path.strip("/").split("/", 1)[0] or "overview"
    return HTMLResponse(render(template, links=LINKS, nav=nav, **context), status_code=status)


def error_page(request: Request, exc: AidtrackerError) -> HTMLResponse:
    status = 404 if isinstance(exc, NotFound) else 400 if isinstance(exc, InvalidFilter) else 500
    titles = {404: "Not found", 400: "Cannot show that", 500: "Something went wrong"}
    return page(request, "error.html", status=status, title=titles[status], message=str(exc), code=exc.code)


def guarded(build: Callable[[], HTMLResponse], request: Request) -> HTMLResponse:
    """Turn the library's errors into HTML pages with a clear message, here and nowhere else."""
    try:
        return build()
    except AidtrackerError as exc:
        return error_page(request, exc)


@router.get("/")
def overview_page(request: Request, store: StoreDep) -> HTMLResponse:
    def build() -> HTMLResponse:
        snap = pages.snapshot(store)
        o = pages.overview(snap)
        return page(request, "overview.html", o=o, figures=charts.overview_charts(o, LINKS), snap=snap)

    return guarded(build, request)


@router.get("/commitments")
def commitments_page(request: Request, store: StoreDep) -> HTMLResponse:
    def build() -> HTMLResponse:
        filters = pages.Filters.parse(dict(request.query_params))
        result = pages.commitments(pages.snapshot(store), filters)
        return page(request, "commitments.html", p=result)

    return guarded(build, request)


@router.get("/commitments/{cluster_id}")
def commitment_page(request: Request, cluster_id: str, store: StoreDep) -> HTMLResponse:
    def build() -> HTMLResponse:
        return page(request, "commitment.html", p=pages.cluster_page(store, pages.snapshot(store), cluster_id))

    return guarded(build, request)


@router.get("/documents/{doc_id}")
def document_page(request: Request, doc_id: str, store: StoreDep) -> HTMLResponse:
    def build() -> HTMLResponse:
        return page(request, "document.html", p=pages.document_page(store, pages.snapshot(store), doc_id))

    return guarded(build, request)


@router.get("/actors")
def actors_page(request: Request, store: StoreDep) -> HTMLResponse:
    def build() -> HTMLResponse:
        return page(request, "actors.html", actors=pages.actor_list(pages.snapshot(store)))

    return guarded(build, request)


@router.get("/actors/{actor_id}")
def actor_page(request: Request, actor_id: str, store: StoreDep) -> HTMLResponse:
    def build() -> HTMLResponse:
        p = pages.actor_page(pages.snapshot(store), actor_id)
        figure = charts.network(p.actor.name, p.partners, LINKS) if p.partners else None
        return page(request, "actor.html", p=p, figure=figure)

    return guarded(build, request)


@router.get("/events")
def events_page(request: Request, store: StoreDep) -> HTMLResponse:
    return guarded(lambda: page(request, "events.html", months=pages.events(pages.snapshot(store))), request)


@router.get("/conflicts")
def conflicts_page(request: Request, store: StoreDep) -> HTMLResponse:
    def build() -> HTMLResponse:
        return page(request, "conflicts.html", conflicts=pages.conflicts(store, pages.snapshot(store)))

    return guarded(build, request)


_CACHE = {"Cache-Control": "public, max-age=86400"}


@router.get("/static/vendor/plotly.min.js", response_class=FileResponse)
def plotly_bundle() -> FileResponse:
    return FileResponse(vendor.plotly_js(), media_type="text/javascript", headers=_CACHE)


@router.get("/static/vendor/plotly.css", response_class=Response)
def plotly_styles() -> Response:
    return Response(vendor.plotly_css(), media_type="text/css", headers=_CACHE)


def mount_web(app: FastAPI) -> None:
    """Serve the dashboard from `app` at `/` (pages) and `/static` (CSS, scripts, the chart library).

    The app's store comes from `app.state.store` (a `Store`) or `app.state.db_url`; the CSP
    goes on every response except the interactive API docs, whose page loads its own scripts.
    """
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="web-static")
    docs = {p for p in (app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url) if p}
    app.add_middleware(SecurityHeaders, skip=lambda path: path in docs)
