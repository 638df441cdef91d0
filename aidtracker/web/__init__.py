"""Web dashboard: server-rendered pages over a store, mounted on the API's FastAPI app.

    from aidtracker.web import mount_web
    mount_web(app)          # pages at /, /commitments, /documents/{id}, ...; assets at /static

`pages` computes what each page shows (no HTML, no framework), `highlight` marks evidence in
a document's escaped text, `charts` builds Plotly figure specs, `render` holds the Jinja2
environment (autoescaping always on), and `routes` is the thin HTTP layer. `report` renders
the same numbers into one self-contained HTML file, a PDF or PNG charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["mount_web"]


def mount_web(app: FastAPI) -> None:
    """Serve the dashboard from `app` (see `aidtracker.web.routes.mount_web`)."""
    from aidtracker.web.routes import mount_web as mount

    mount(app)
