"""Commands over time: commitments (as of a date), diff between two dates, a source's versions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.markup import escape

from aidtracker.cli.app import DbOption, app, err, fail, opened, out
from aidtracker.cli.trust import show as safe
from aidtracker.errors import AidtrackerError
from aidtracker.history import as_of, diff, moment, summary, version_diff
from aidtracker.records import Cluster
from aidtracker.store import Store

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="The record as it stood then: a date (the end of that day, UTC) or a date and time (2025-03-01T12:00).",
    ),
]


@contextmanager
def record(db: str | None, when: str | None) -> Iterator[Store]:
    """The store, or with `when` a scratch store holding the record as it stood then."""
    with opened(db) as store:
        if when is None:
            yield store
            return
        try:
            moment_ = moment(when)
        except AidtrackerError as exc:
            raise fail(exc) from exc
        with as_of(store, moment_) as then:
            yield then


@app.command("commitments")
def commitments_cmd(
    donor: Annotated[str | None, typer.Option(help="Only this donor's (names or aliases).")] = None,
    recipient: Annotated[str | None, typer.Option(help="Only to this recipient.")] = None,
    sector: Annotated[str | None, typer.Option(help="Only in this sector.")] = None,
    scope: Annotated[str | None, typer.Option(help="new or cumulative.")] = None,
    start: Annotated[
        datetime | None, typer.Option("--from", help="Only from this date on.", formats=["%Y-%m-%d"])
    ] = None,
    end: Annotated[datetime | None, typer.Option("--to", help="Only up to this date.", formats=["%Y-%m-%d"])] = None,
    as_of_: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
    db: DbOption = None,
) -> None:
    """List commitment clusters (one per real-world commitment) with their sources."""
    from aidtracker.query import CommitmentFilter, commitments

    f = CommitmentFilter(
        donor=donor,
        recipient=recipient,
        sector=sector,
        scope=scope,
        start=start.date() if start else None,
        end=end.date() if end else None,
    )
    with record(db, as_of_) as store:
        found = commitments(store, f)
    if as_json:
        out.print_json(json.dumps([_cluster_json(c) for c in found]))
        return
    for c in found:
        when = c.fields.get("date") or c.first_reported or "undated"
        out.print(
            f"{escape(c.id)}  {when}  {safe(summary(c))}  [dim]{escape(', '.join(c.publishers))}[/dim]",
            highlight=False,
            soft_wrap=True,
        )
    out.print(f"{len(found)} commitment{'' if len(found) == 1 else 's'}", highlight=False)


def _cluster_json(c: Cluster) -> dict[str, Any]:
    return {
        "id": c.id,
        "fields": {k: _plain(v) for k, v in c.fields.items()},
        "publishers": list(c.publishers),
        "first_reported": c.first_reported.isoformat() if c.first_reported else None,
        "members": list(c.members),
    }


def _plain(value: object) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@app.command("diff")
def diff_cmd(
    start: Annotated[
        str, typer.Option("--from", help="The earlier moment: a date (end of day, UTC) or date and time.")
    ],
    end: Annotated[str, typer.Option("--to", help="The later moment.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """List the commitments, agreements and events added, changed or withdrawn between two moments."""
    with opened(db) as store:
        try:
            result = diff(store, moment(start), moment(end))
        except AidtrackerError as exc:
            raise fail(exc) from exc
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
        return
    out.print(
        f"from {result.start.isoformat()} to {result.end.isoformat()}: {result.count('added')} added, "
        f"{result.count('changed')} changed, {result.count('withdrawn')} withdrawn",
        highlight=False,
    )
    out.print(f"new packages: USD {result.usd_before:,} → USD {result.usd_after:,}", highlight=False)
    colour = {"added": "green", "changed": "yellow", "withdrawn": "red"}
    for c in result.changes:
        tag = colour[c.change]
        out.print(
            f"[{tag}]{c.change}[/{tag}] {c.kind} {escape(c.cluster.id)}: {safe(summary(c.cluster))}",
            highlight=False,
            soft_wrap=True,
        )
        for name, (before, after) in c.fields.items():
            out.print(f"    {name}: {safe(_shown(before))} → {safe(_shown(after))}", highlight=False, soft_wrap=True)
        if c.sources:
            out.print(f"    [dim]{escape(', '.join(c.sources))}[/dim]", highlight=False, soft_wrap=True)


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value) or "—"
    return str(value)


@app.command("history")
def history_cmd(
    ref: Annotated[str, typer.Argument(help="A source (URL or path as ingested) or a document id.")],
    db: DbOption = None,
) -> None:
    """Show every version of a source: when each was known from and until, and how its text changed."""
    with opened(db) as store:
        article = store.article(ref)
        if article is None:
            err.print(f"[red]error[AT502][/red]: no document or source {escape(ref)}", highlight=False)
            raise typer.Exit(2)
        versions = store.versions(article.source)
        texts = {v.id: (store.article(v.id) or article).text for v in versions}
        counts = {v.id: len(store.mentions_of(v.id)) for v in versions}
        fetched = {v.id: store.snapshots_of(v.id) for v in versions}
    out.print(f"[bold]{escape(article.source)}[/bold]: {len(versions)} versions", highlight=False, soft_wrap=True)
    previous: str | None = None
    for v in versions:
        until = v.known_until.isoformat() if v.known_until else "now"
        out.print(
            f"v{v.version} {escape(v.id)}  known {v.known_from.isoformat()} → {until}  {counts[v.id]} facts",
            highlight=False,
        )
        for snap in fetched[v.id][:1]:
            out.print(f"    [dim]read from {escape(snap.file)} ({escape(snap.final_url)})[/dim]", highlight=False)
        if previous is not None:
            for op, words in version_diff(texts[previous], texts[v.id]):
                if op == "-":
                    out.print(f"    [red]- {safe(words)}[/red]", highlight=False, soft_wrap=True)
                elif op == "+":
                    out.print(f"    [green]+ {safe(words)}[/green]", highlight=False, soft_wrap=True)
        previous = v.id
