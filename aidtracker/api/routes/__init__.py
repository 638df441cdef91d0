"""The API's routes under `/api`, one module per area; each calls the library and formats."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from aidtracker.api.models import ErrorOut
from aidtracker.api.responses import SafeJSONResponse
from aidtracker.api.routes import actors, documents, history, records, totals

# Documented on every route: the one error shape, in place of FastAPI's own 422 schema.
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such record."},
    422: {"model": ErrorOut, "description": "A filter, cursor or id that does not make sense."},
    500: {"model": ErrorOut, "description": "The server failed; the message says no more."},
}
router = APIRouter(prefix="/api", default_response_class=SafeJSONResponse, responses=ERRORS)
for area in (documents, records, actors, totals, history):
    router.include_router(area.router)

__all__ = ["router"]
