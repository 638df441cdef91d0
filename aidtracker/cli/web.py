"""Commands that serve or hand out the record: serve (the API and dashboard) and export."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from aidtracker.cli.app import DbOption, app, opened, out
from aidtracker.cli.history import AsOfOption, record


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    PARQUET = "parquet"
    XLSX = "xlsx"
    IATI = "iati"


class ExportKind(StrEnum):
    COMMITMENTS = "commitments"
    AGREEMENTS = "agreements"
    EVENTS = "events"
    ACTORS = "actors"
    ALL = "all"


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; 0.0.0.0 exposes it to the network.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="An origin allowed to call the API from a browser (repeatable)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the REST API (under /api) and the dashboard until interrupted."""
    import uvicorn

    from aidtracker.api import ApiSettings, create_app

    with opened(db):
        pass  # open (and migrate) now, so a bad --db fails here with one line, not on the first request
    settings = ApiSettings(cors_origins=tuple(cors_origin or ()))
    out.print(f"serving on http://{escape(host)}:{port}/ (API under /api, schema at /api/openapi.json)")
    uvicorn.run(create_app(db, settings=settings), host=host, port=port, log_level="info")


@app.command("export")
def export_cmd(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="csv, json, parquet, xlsx or iati (IATI 2.03 XML).")],
    out_path: Annotated[
        Path, typer.Option("--out", help="A folder, or a file whose suffix is the format's (.csv .json .xlsx .xml).")
    ],
    kind: Annotated[ExportKind, typer.Option("--kind", help="Which records; iati takes commitments.")] = (
        ExportKind.ALL
    ),
    reporter_ref: Annotated[
        str | None, typer.Option("--reporter-ref", help="Your IATI organisation identifier, for iati.")
    ] = None,
    reviewed_only: Annotated[
        bool, typer.Option("--reviewed-only", help="Only records holding a fact a reviewer confirmed or corrected.")
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Write commitments, agreements, events and actors as files other tools read."""
    from aidtracker.export import export

    with record(db, as_of) as store:
        written = export(
            store, fmt.value, out_path, kind=kind.value, reporter_ref=reporter_ref, reviewed_only=reviewed_only
        )
    for path in written:
        out.print(escape(str(path)), highlight=False, soft_wrap=True)
