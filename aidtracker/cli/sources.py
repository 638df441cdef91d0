"""Commands that follow the web: sources add/list/remove, watch, replay."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from aidtracker.cli.app import DbOption, app, err, fail, opened, out
from aidtracker.cli.trust import show as safe
from aidtracker.errors import AidtrackerError
from aidtracker.sources import (
    Archive,
    Fetcher,
    FetchPolicy,
    PollReport,
    WatchSettings,
    add_source,
    default_user_agent,
    remove_source,
    replay,
    watch,
)

sources_app = typer.Typer(
    name="sources",
    help="Add, list and remove the feeds, sitemaps and pages that `watch` follows.",
    no_args_is_help=True,
)
app.add_typer(sources_app)

DEFAULT_SNAPSHOTS = "aidtracker-snapshots"
SnapshotsOption = Annotated[
    Path,
    typer.Option(
        "--snapshots",
        envvar="AIDTRACKER_SNAPSHOTS",
        help="The folder of WARC files where every fetched response is kept.",
    ),
]


class SourceKind(StrEnum):
    FEED = "feed"
    SITEMAP = "sitemap"
    PAGE = "page"


def _now() -> datetime:
    return datetime.now(UTC)


def guess_kind(url: str) -> SourceKind:
    """A kind from the URL's look, when none is given: sitemaps and feeds usually say what they are."""
    lowered = url.lower()
    if "sitemap" in lowered:
        return SourceKind.SITEMAP
    if re.search(r"(feed|rss|atom)|\.xml($|\?)", lowered):
        return SourceKind.FEED
    return SourceKind.PAGE


@sources_app.command("add")
def add_cmd(
    url: Annotated[str, typer.Argument(help="An http(s) URL.")],
    kind: Annotated[
        SourceKind | None,
        typer.Option("--kind", help="feed (RSS or Atom), sitemap, or page; guessed from the URL if left out."),
    ] = None,
    db: DbOption = None,
    snapshots: SnapshotsOption = Path(DEFAULT_SNAPSHOTS),
) -> None:
    """Follow a feed, sitemap or page; `watch` reads it from its next poll on."""
    from aidtracker.sources.fetch import check_url

    chosen = kind or guess_kind(url)
    try:
        clean = check_url(url)
    except AidtrackerError as exc:
        raise fail(exc) from exc
    with opened(db) as store:
        added = add_source(store, Archive(snapshots), clean, chosen.value, at=_now())
    shown = escape(clean)
    out.print(f"following {chosen.value} {shown}" if added else f"already following {shown}", highlight=False)


@sources_app.command("remove")
def remove_cmd(
    url: Annotated[str, typer.Argument(help="A followed URL, as `sources list` shows it.")],
    db: DbOption = None,
    snapshots: SnapshotsOption = Path(DEFAULT_SNAPSHOTS),
) -> None:
    """Stop following a source; its documents, versions and snapshots stay."""
    with opened(db) as store:
        removed = remove_source(store, Archive(snapshots), url.strip(), at=_now())
    if not removed:
        err.print(f"[red]error[AT502][/red]: not following {escape(url)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    out.print(f"stopped following {escape(url)}", highlight=False)


@sources_app.command("list")
def list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
    db: DbOption = None,
) -> None:
    """List the followed sources with how their last poll went."""
    with opened(db) as store:
        found = store.sources()
    if as_json:
        rows = [
            {
                "url": s.url,
                "kind": s.kind,
                "added_at": s.added_at.isoformat(),
                "checked_at": s.checked_at.isoformat() if s.checked_at else None,
                "outcome": s.outcome,
                "error": s.error,
            }
            for s in found
        ]
        out.print_json(json.dumps(rows))
        return
    for s in found:
        checked = s.checked_at.strftime("%Y-%m-%d %H:%M UTC") if s.checked_at else "never polled"
        out.print(f"{s.kind:8} {escape(s.url)}  ({checked})", highlight=False, soft_wrap=True)
        if s.outcome:
            out.print(f"         {safe(s.outcome)}", highlight=False, soft_wrap=True)
        if s.error:
            out.print(f"         [red]{safe(s.error)}[/red]", highlight=False, soft_wrap=True)
    out.print(f"{len(found)} source{'' if len(found) == 1 else 's'}", highlight=False)


def parse_interval(text: str) -> float:
    """Seconds from "15m", "1h", "30s" or a plain number of seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text.lower())
    if not match:
        raise typer.BadParameter(f"{text!r} is not an interval such as 30s, 15m or 1h")
    value = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]
    if value <= 0:
        raise typer.BadParameter("the interval must be more than zero")
    return value


def _print_report(report: PollReport) -> None:
    started = report.started.strftime("%Y-%m-%d %H:%M:%S UTC")
    out.print(f"[bold]poll of {started}[/bold]", highlight=False)
    for s in report.sources:
        mark = "[green]ok[/green]" if s.ok else "[red]failed[/red]"
        out.print(f"{mark} {s.kind} {escape(s.url)}: {s.line()}", highlight=False, soft_wrap=True)
        for note in s.notes:
            out.print(f"    [yellow]note[/yellow] {safe(note)}", highlight=False, soft_wrap=True)
        for e in s.failed:
            out.print(f"    [red]failed[/red] {escape(e.source)}: {safe(e.reason)}", highlight=False, soft_wrap=True)
    out.print(report.totals_line(), highlight=False)


def _progress(url: str, what: str) -> None:
    if err.is_terminal:
        err.print(f"[dim]{escape(what)} {escape(url)}[/dim]", highlight=False, soft_wrap=True)


@app.command("watch")
def watch_cmd(
    once: Annotated[bool, typer.Option("--once", help="Poll every source once, then stop.")] = False,
    interval: Annotated[str, typer.Option("--interval", help="Time between polls: 30s, 15m, 1h.")] = "15m",
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")] = 20.0,
    retries: Annotated[int, typer.Option("--retries", min=0, max=10, help="Tries after a failure that may pass.")] = 2,
    rate: Annotated[
        float, typer.Option("--per-host-interval", min=0.0, help="Seconds between two requests to one host.")
    ] = 1.0,
    max_items: Annotated[int, typer.Option("--max-items", min=1, help="Pages read per feed or sitemap per poll.")] = 50,
    max_mb: Annotated[float, typer.Option("--max-mb", min=0.001, help="Refuse pages larger than this.")] = 20.0,
    contact: Annotated[
        str | None,
        typer.Option("--contact", envvar="AIDTRACKER_CONTACT", help="An email or URL for the User-Agent."),
    ] = None,
    db: DbOption = None,
    snapshots: SnapshotsOption = Path(DEFAULT_SNAPSHOTS),
) -> None:
    """Poll the followed sources: fetch, keep every response, store and extract new and changed pages.

    Prints a summary per source after each poll. With --once the exit code is 0 if every source
    was read in full, 1 if some failed and 2 if all did.
    """
    seconds = parse_interval(interval)
    max_bytes = int(max_mb * 1_000_000)
    policy = FetchPolicy(
        user_agent=default_user_agent(contact),
        timeout=timeout,
        retries=retries,
        per_host_interval=rate,
        max_bytes=max_bytes,
    )
    settings = WatchSettings(max_items=max_items, max_bytes=max_bytes)
    with opened(db) as store, Fetcher(policy) as fetcher:
        if not store.sources():
            err.print("no sources to watch: add one with `aidtracker sources add URL`", highlight=False)
            raise typer.Exit(2)
        try:
            report = watch(
                store,
                Archive(snapshots),
                fetcher,
                interval=seconds,
                once=once,
                settings=settings,
                on_report=_print_report,
                progress=_progress,
            )
        except KeyboardInterrupt:
            out.print("stopped", highlight=False)
            return
    raise typer.Exit(report.exit_code())


@app.command("replay")
def replay_cmd(
    db: DbOption = None,
    snapshots: SnapshotsOption = Path(DEFAULT_SNAPSHOTS),
    max_mb: Annotated[float, typer.Option("--max-mb", min=0.001, help="Refuse pages larger than this.")] = 20.0,
) -> None:
    """Rebuild an empty database offline from the snapshot archive alone: same documents, facts and ids."""
    archive = Archive(snapshots)
    if not archive.files():
        err.print(f"[red]error[AT100][/red]: no snapshots in {escape(str(snapshots))}", highlight=False)
        raise typer.Exit(2)
    with opened(db) as store:
        report = replay(store, archive, settings=WatchSettings(max_bytes=int(max_mb * 1_000_000)))
    for problem in report.problems:
        err.print(f"[yellow]skipped[/yellow] {escape(problem.file)}: {safe(problem.reason)}", highlight=False)
    for e in report.failed:
        err.print(f"[yellow]unreadable[/yellow] {escape(e.source)}: {safe(e.reason)}", highlight=False)
    out.print(report.line(), highlight=False)
