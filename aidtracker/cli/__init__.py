"""The `aidtracker` command line. `app` is the Typer application; each area's commands live in
their own module and register themselves on it when imported here."""

from __future__ import annotations

from aidtracker.cli import documents, evaluation, history, report, resolution, sources, trust, web
from aidtracker.cli.app import app

__all__ = ["app", "documents", "evaluation", "history", "main", "report", "resolution", "sources", "trust", "web"]


def main() -> None:
    """Entry point of the `aidtracker` console script."""
    app()
