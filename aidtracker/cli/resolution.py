"""Commands over the resolved record: resolve, explain, totals, actors, conflicts."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from aidtracker.cli.app import (
    DbOption,
    app,
    err,
    opened,
    out,
)
from aidtracker.cli.history import AsOfOption, record
from aidtracker.cli.trust import warn_orphans
from aidtracker.dedupe import GROUPINGS, totals
from aidtracker.pipeline import resolve_store
from aidtracker.records import Judgement, Mention
from aidtracker.store import Explanation
from aidtracker.types import ActorType


@app.command("resolve")
def resolve_cmd(db: DbOption = None) -> None:
    """Resolve every stored mention again: clusters, links, conflicts and canonical actors."""
    with opened(db) as store:
        resolution = resolve_store(store)
        warn_orphans(store)
    kinds = Counter(c.kind for c in resolution.clusters)
    order = ["commitment", "agreement", "event", *sorted(set(kinds) - {"commitment", "agreement", "event"})]
    parts = [_count(kinds[k], f"{k} cluster") for k in order]
    parts += [
        _count(len(resolution.links), "link"),
        _count(len(resolution.conflicts), "conflict"),
        _count(len(resolution.actors), "actor"),
    ]
    out.print(", ".join(parts), highlight=False)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@app.command("explain")
def explain_cmd(
    ref: Annotated[str, typer.Argument(help="Cluster id, a member mention's id, or a unique prefix of either.")],
    db: DbOption = None,
) -> None:
    """Show a cluster, each mention's sentence and source, and the judgements that joined them."""
    with opened(db) as store:
        found = store.explain(ref)
    if found is None:
        err.print(f"[red]error[AT302][/red]: no cluster or mention {escape(ref)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    _print_explanation(found)


def _print_explanation(x: Explanation) -> None:
    c = x.cluster
    when = f"{c.first_reported or '—'} to {c.last_reported or '—'}"
    out.print(f"[bold]{c.kind} {escape(c.id)}[/bold]", highlight=False)
    out.print(
        f"{_count(len(c.members), 'mention')} from {_count(len(c.publishers), 'publisher')} "
        f"({escape(', '.join(c.publishers))}), reported {when}",
        highlight=False,
        soft_wrap=True,
    )
    for name, value in c.fields.items():
        if value is not None and value != [] and value != ():
            out.print(f"  {name}: {escape(_value(value))}", highlight=False, soft_wrap=True)
    if c.disagreements:
        out.print("[bold]disagreements[/bold]", highlight=False)
        for name, values in c.disagreements.items():
            out.print(f"  {name}: {escape(' | '.join(_value(v) for v in values))}", highlight=False, soft_wrap=True)
    for link in x.links:
        line = f"{link.source} {link.kind} {link.target}: {link.reason}"
        out.print(f"[cyan]link[/cyan] {escape(line)}", highlight=False, soft_wrap=True)
    for conflict in x.conflicts:
        out.print(
            f"[red]conflict[/red] {escape(conflict.id)}: {escape(conflict.summary)}", highlight=False, soft_wrap=True
        )
    for m in x.mentions:
        marker = " (representative)" if m.id == c.representative else ""
        out.print(f"\n[bold]mention {escape(m.id)}{marker}[/bold]", highlight=False)
        out.print(f"  « {escape(m.fact.evidence.text)} »", highlight=False, soft_wrap=True)
        out.print(f"  {escape(_source_line(m))}", highlight=False, soft_wrap=True)
    for missing in x.missing:
        out.print(
            f"\n[yellow]mention {escape(missing)}[/yellow]: no longer stored (re-extracted since)", highlight=False
        )
    members = set(c.members)
    joined = [j for j in x.judgements if j.same and j.left in members and j.right in members]
    apart = [j for j in x.judgements if j not in joined]
    for title, listed in (("judgements that joined them", joined), ("judgements that kept mentions apart", apart)):
        if listed:
            out.print(f"\n[bold]{title}[/bold]", highlight=False)
        for j in listed:
            out.print(f"  {escape(_judgement_line(j))}", highlight=False, soft_wrap=True)


def _source_line(m: Mention) -> str:
    parts = [m.title or "(untitled)", m.source, m.publisher or "no publisher", str(m.published or "undated")]
    return " — ".join(parts)


def _judgement_line(j: Judgement) -> str:
    reasons = "; ".join(j.reasons) or "no reason given"
    return f"{j.left} {'=' if j.same else '≠'} {j.right}  score {j.score:.2f} by {j.by}: {reasons}"


def _value(value: object) -> str:
    """A field value for people: amounts with thousands separators, records by what the text said."""
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    text = getattr(value, "text", None)  # a Money or an Evidence
    return text if isinstance(text, str) else str(value)


def _grouping(value: str) -> str:
    if value not in GROUPINGS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(GROUPINGS)}")
    return value


@app.command("totals")
def totals_cmd(
    donor: Annotated[str | None, typer.Option(help="Only this donor's commitments.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Only commitments to this recipient.")] = None,
    sector: Annotated[str | None, typer.Option(help="Only commitments in this sector.")] = None,
    start: Annotated[
        datetime | None, typer.Option("--from", help="Only from this date on.", formats=["%Y-%m-%d"])
    ] = None,
    end: Annotated[datetime | None, typer.Option("--to", help="Only up to this date.", formats=["%Y-%m-%d"])] = None,
    by: Annotated[
        str, typer.Option("--by", callback=_grouping, help=f"Group the sums by {', '.join(GROUPINGS)}.")
    ] = "donor",
    reviewed_only: Annotated[
        bool, typer.Option("--reviewed-only", help="Only commitments a reviewer confirmed or corrected.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
) -> None:
    """Sum new packages once each, and list running totals and conflicts beside the sums."""
    with record(db, as_of) as store:
        resolution = store.resolution(reviewed_only=reviewed_only)
        mentions = {m.id: m for m in store.mentions()}
    result = totals(
        resolution,
        mentions,
        donor=donor,
        recipient=recipient,
        sector=sector,
        start=start.date() if start else None,
        end=end.date() if end else None,
        by=by,
    ).as_dict()
    if as_json:
        out.print_json(json.dumps(result, default=str))
        return
    _print_totals(result)


def _print_totals(t: dict[str, Any]) -> None:
    by = t.get("by", "group")
    table = Table(title=f"New packages by {by}, each counted once", header_style="bold", title_justify="left")
    for col in (by, "USD", "as stated", "packages", "unpriced"):
        table.add_column(col, justify="left" if col in (by, "as stated") else "right", overflow="fold")
    for g in t.get("groups", []):
        stated = ", ".join(f"{cur} {_amount(v)}" for cur, v in g.get("by_currency", {}).items())
        table.add_row(
            escape(str(g.get("key"))),
            _amount(g.get("usd")),
            escape(stated or "—"),
            str(len(g.get("packages", []))),
            str(g.get("unpriced", 0)),
        )
    out.print(table)
    parts = t.get("excluded_parts") or []
    if parts:
        out.print(f"{_count(len(parts), 'part')} of counted packages left out of the sums", highlight=False)
    claims = t.get("cumulative") or []
    out.print(f"\n[bold]Running totals, as claimed (never added to the sums)[/bold]: {len(claims)}", highlight=False)
    for c in claims:
        figure = f"{c.get('currency') or ''} {_amount(c.get('amount'))}".strip()
        if c.get("usd") is not None and c.get("currency") != "USD":
            figure += f" (USD {_amount(c.get('usd'))})"
        sources = ", ".join(c.get("publishers") or []) or "unknown source"
        reported = c.get("reported") or "undated"
        line = f"{c.get('donor')}: {figure}, reported {reported} by {sources}; covers {c.get('covers')}"
        out.print(f"  {escape(line)}", highlight=False, soft_wrap=True)
        if c.get("evidence"):
            out.print(f"    [dim]« {escape(c['evidence'])} »[/dim]", highlight=False, soft_wrap=True)
    conflicts = t.get("conflicts") or []
    out.print(f"\n[bold]Conflicts[/bold]: {len(conflicts)}", highlight=False)
    for x in conflicts:
        out.print(
            f"  [red]{escape(x.get('kind', ''))}[/red] {escape(x.get('summary', ''))}", highlight=False, soft_wrap=True
        )


def _amount(value: object) -> str:
    """A decimal (or its string, as JSON carries it) with thousands separators; "—" for none."""
    if value is None:
        return "—"
    try:
        return f"{Decimal(str(value)):,}"
    except ArithmeticError:
        return str(value)


@app.command("actors")
def actors_cmd(
    name: Annotated[str | None, typer.Argument(help="A name or alias (case and accents ignored).")] = None,
    actor_type: Annotated[ActorType | None, typer.Option("--type", help="Only actors of this type.")] = None,
    db: DbOption = None,
) -> None:
    """List canonical people and organisations with their aliases and attested roles."""
    with opened(db) as store:
        found = store.actors(name, type=actor_type.value if actor_type else None)
    for a in found:
        where = f", {a.country}" if a.country else ""
        out.print(f"[bold]{escape(a.name)}[/bold] ({a.type}{escape(where)})  {escape(a.id)}", highlight=False)
        others = [alias for alias in a.aliases if alias != a.name]
        if others:
            out.print(f"  aliases: {escape(', '.join(others))}", highlight=False, soft_wrap=True)
        for r in a.roles:
            of = f", {r.affiliation}" if r.affiliation else ""
            out.print(
                f"  role: {escape(r.role + of)} (attested {r.attested or 'undated'} in {escape(r.doc_id)})",
                highlight=False,
                soft_wrap=True,
            )
        out.print(f"  {_count(len(a.mentions), 'mention')}", highlight=False)
    out.print(_count(len(found), "actor"), highlight=False)


@app.command("conflicts")
def conflicts_cmd(db: DbOption = None) -> None:
    """List where sources disagree, with each side's sentence and source."""
    with opened(db) as store:
        found = store.conflicts()
        mentions = store.mentions_by_id({m for x in found for m in x.mentions})
    for x in found:
        out.print(f"[red]{escape(x.kind)}[/red] {escape(x.id)}: {escape(x.summary)}", highlight=False, soft_wrap=True)
        out.print(f"  clusters: {escape(', '.join(x.clusters))}", highlight=False, soft_wrap=True)
        for mention_id in x.mentions:
            m = mentions.get(mention_id)
            if m is None:
                out.print(f"  {escape(mention_id)}: no longer stored", highlight=False)
                continue
            out.print(f"  « {escape(m.fact.evidence.text)} »", highlight=False, soft_wrap=True)
            out.print(f"    {escape(_source_line(m))}", highlight=False, soft_wrap=True)
    out.print(_count(len(found), "conflict"), highlight=False)


