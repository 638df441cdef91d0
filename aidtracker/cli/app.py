"""The `aidtracker` command line: the app, its shared options, and how errors leave it.

Errors from the library arrive as `AidtrackerError`s and leave as one line on stderr,
`error[CODE]: message`; batch commands exit 0 when nothing failed, 1 when some inputs were
skipped and 2 when all were. Commands live in sibling modules, one per area, each calling one
library function per command and formatting its result.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from aidtracker.errors import AidtrackerError
from aidtracker.pipeline import BatchSummary
from aidtracker.store import Store, open_store

app = typer.Typer(
    name="aidtracker",
    help="Turn news about aid to Ukraine into a source-linked, de-duplicated record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output is read by scripts and logs: wide enough that a line is one record.
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="AIDTRACKER_DB", help="Database: a SQLite path or a SQLAlchemy URL."),
]


def one_line(message: str) -> str:
    """A message on one line, whatever line breaks the database driver put in it."""
    return " ".join(message.split())


def fail(exc: AidtrackerError, code: int = 2) -> typer.Exit:
    err.print(f"[red]error[{exc.code}][/red]: {escape(one_line(str(exc)))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def skipped(console: Console, source: str, reason: str) -> None:
    console.print(
        f"[yellow]skipped[/yellow] {escape(source)}: {escape(one_line(reason))}", highlight=False, soft_wrap=True
    )


@contextmanager
def opened(db: str | None) -> Iterator[Store]:
    try:
        store = open_store(db)
    except AidtrackerError as exc:
        raise fail(exc) from exc
    try:
        yield store
    except AidtrackerError as exc:
        raise fail(exc) from exc
    finally:
        store.close()


@contextmanager
def progress_bar(label: str, total: int | None = None) -> Iterator[Any]:
    """A progress bar on stderr that only appears for runs that last more than a moment."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task(label, total=total)

        def tick(source: str, outcome: str) -> None:
            progress.update(task, advance=1, description=f"{label} {Path(source).name[:40]}")
            if outcome.startswith("skipped"):
                skipped(progress.console, source, outcome.removeprefix("skipped: "))

        yield tick


def exit_code(summary: BatchSummary) -> int:
    if not summary.failed:
        return 0
    return 2 if summary.seen == len(summary.failed) else 1


def report_batch(summary: BatchSummary, *, skipped_shown: bool = False) -> None:
    """The batch's one-line summary, after a line per skipped input unless progress showed them."""
    if not skipped_shown:
        for e in summary.failed:
            skipped(err, e.source, e.reason)
    out.print(summary.line(), highlight=False)


