"""The `report` command: one file to send, made from what the dashboard shows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aidtracker.cli.app import DbOption, app, opened, out


@app.command("report")
def report_cmd(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="File to write; its suffix picks the format unless --format does.")
    ] = Path("report.html"),
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="html (self-contained, opens offline), pdf, or png (one file per chart)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write a report of totals, running totals, conflicts and every commitment with its evidence."""
    from aidtracker.web.report import write_report

    with opened(db) as store:
        written = write_report(store, output, fmt)
    for path in written:
        out.print(f"wrote {path}", highlight=False, soft_wrap=True)
