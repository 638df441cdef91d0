"""The `aidtracker` command line: thin wrappers that call one library function each and format it.

Errors from the library arrive as `AidtrackerError`s and leave as one line on stderr,
`error[CODE]: message`; batch commands exit 0 when nothing failed, 1 when some inputs were
skipped and 2 when all were.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from aidtracker.dedupe import GROUPINGS, totals
from aidtracker.errors import AidtrackerError
from aidtracker.evaluate import EvalReport
from aidtracker.pipeline import BatchSummary, extract_stored, ingest, resolve_store
from aidtracker.records import Article, Judgement, Mention
from aidtracker.store import Explanation, Store, open_store
from aidtracker.types import ActorType

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


def _skipped(console: Console, source: str, reason: str) -> None:
    console.print(
        f"[yellow]skipped[/yellow] {escape(source)}: {escape(one_line(reason))}", highlight=False, soft_wrap=True
    )


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
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
def _progress(label: str, total: int | None = None) -> Iterator[Any]:
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
                _skipped(progress.console, source, outcome.removeprefix("skipped: "))

        yield tick


def _exit_code(summary: BatchSummary) -> int:
    if not summary.failed:
        return 0
    return 2 if summary.seen == len(summary.failed) else 1


def _report_batch(summary: BatchSummary, *, skipped_shown: bool = False) -> None:
    """The batch's one-line summary, after a line per skipped input unless progress showed them."""
    if not skipped_shown:
        for e in summary.failed:
            _skipped(err, e.source, e.reason)
    out.print(summary.line(), highlight=False)


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt .md .html .htm .jsonl); - reads stdin.")],
    db: DbOption = None,
    no_extract: Annotated[bool, typer.Option("--no-extract", help="Store documents without extracting facts.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Skip files larger than this many megabytes.")] = 50.0,
) -> None:
    """Store documents and extract their facts; say what was added, unchanged or skipped."""
    with _store(db) as store, _progress("ingesting") as tick:
        summary = ingest(
            paths,
            store,
            run_extraction=not no_extract,
            stdin=sys.stdin,
            max_bytes=int(max_mb * 1_000_000),
            on_item=tick,
        )
    _report_batch(summary, skipped_shown=True)
    raise typer.Exit(_exit_code(summary))


@app.command("extract")
def extract_cmd(
    docs: Annotated[list[str] | None, typer.Argument(help="Documents (id, id prefix or source); all if none.")] = None,
    db: DbOption = None,
) -> None:
    """Extract (again) the facts of stored documents, replacing what was extracted before."""
    with _store(db) as store, _progress("extracting") as tick:
        articles = None
        if docs:
            articles = []
            for ref in docs:
                article = store.article(ref)
                if article is None:
                    err.print(f"[red]error[AT301][/red]: no document {escape(ref)}", highlight=False, soft_wrap=True)
                    raise typer.Exit(2)
                articles.append(article)
        summary = extract_stored(store, articles, on_item=tick)
    out.print(f"{summary.facts} facts from {summary.extracted} documents", highlight=False)


@app.command("docs")
def docs_cmd(
    db: DbOption = None,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
) -> None:
    """List stored documents with their titles, dates and fact counts."""
    with _store(db) as store:
        rows = store.articles(limit=limit)
    _docs_table(rows)


def _docs_table(rows: list[Any]) -> None:
    # No vertical rules and one space of padding, so that the titles still fit in 80 columns.
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for col in ("id", "v", "published", "title", "source", "C", "A", "E", "P"):
        if col in ("title", "source"):  # these share what room is left, and wrap rather than vanish
            table.add_column(col, overflow="fold", ratio=3 if col == "title" else 1)
        else:
            table.add_column(col, no_wrap=True)
    for r in rows:
        table.add_row(
            r.id[:12],
            str(r.version),
            r.published.isoformat() if r.published else "—",
            escape(r.title or "(untitled)"),
            escape(Path(r.source).name),
            str(r.commitments),
            str(r.agreements),
            str(r.events),
            str(r.people),
        )
    out.print(table)
    out.print(f"{len(rows)} documents", highlight=False)


@app.command("show")
def show_cmd(
    doc: Annotated[str, typer.Argument(help="Document id, id prefix or source path.")],
    db: DbOption = None,
    facts: Annotated[bool, typer.Option("--facts/--no-facts", help="List the facts with their evidence.")] = True,
) -> None:
    """Print a document's text with page furniture marked, then its facts."""
    with _store(db) as store:
        article = store.article(doc)
        if article is None:
            err.print(f"[red]error[AT301][/red]: no document {escape(doc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
        stored = store.facts(article.id) if facts else []
    out.print(f"[bold]{escape(article.title or '(untitled)')}[/bold]", highlight=False)
    out.print(
        f"id {article.id}  source {escape(article.source)}  published "
        f"{article.published or '—'} ({article.published_how.value})  publisher {escape(article.publisher or '—')}",
        highlight=False,
    )
    plain = not out.is_terminal
    out.print(_marked_text(article, plain=plain), soft_wrap=True)
    legend = "⟦…⟧" if plain else "struck-through"
    out.print(f"[dim]{legend}: page furniture (no facts are taken from it)[/dim]", highlight=False)
    for fact in stored:
        kind = type(fact).__name__.lower()
        out.print(f"[cyan]{kind}[/cyan] {escape(_fact_line(fact))}", highlight=False)
        out.print(f"    [dim]« {escape(fact.evidence.text[:240])} »[/dim]", highlight=False)


def _marked_text(article: Article, *, plain: bool) -> Text:
    """The text as stored, furniture struck through, or bracketed ⟦…⟧ where styles cannot show."""
    text = Text()
    pos = 0
    for f in sorted(article.furniture, key=lambda f: f.span.start):
        start = max(f.span.start, pos)
        if start >= f.span.end:
            continue
        text.append(article.text[pos:start])
        part = article.text[start : f.span.end]
        text.append(f"⟦{part}⟧" if plain else part, style="dim strike")
        pos = f.span.end
    text.append(article.text[pos:])
    return text


def _fact_line(fact: Any) -> str:
    name = type(fact).__name__
    if name == "Commitment":
        what = (
            f"{fact.currency} {fact.amount:,.0f}"
            if fact.amount is not None
            else f"{fact.quantity or ''} {fact.item}".strip()
        )
        how = f"{fact.scope.value}, {fact.status.value}, {fact.instrument.value}"
        return f"{fact.donor} → {fact.recipient}: {what} ({how})"
    if name == "Agreement":
        return f"{fact.agreement_type.value} between {', '.join(fact.parties)} ({fact.status.value})"
    if name == "Event":
        return f"{fact.event_type.value} {fact.name} {fact.date or ''}"
    return f"{fact.name} — {fact.role or ''} {('(' + fact.affiliation + ')') if fact.affiliation else ''}"


@app.command("stats")
def stats_cmd(db: DbOption = None) -> None:
    """Counts of documents and facts in the database."""
    with _store(db) as store:
        stats = store.stats()
    out.print_json(json.dumps(stats, default=str))


@app.command("demo")
def demo_cmd(db: DbOption = None) -> None:
    """Ingest the sample articles that ship with aidtracker and show what was stored."""
    samples = resources.files("aidtracker") / "samples"
    with resources.as_file(samples) as folder, _store(db) as store:
        out.print(f"Ingesting the sample corpus from {folder} into {store.url}", highlight=False, soft_wrap=True)
        summary = ingest([str(folder)], store)
        _report_batch(summary)
        _docs_table(store.articles())
        commitments = [f for f in store.facts() if type(f).__name__ == "Commitment"]
    for c in commitments:
        out.print(f"  {escape(_fact_line(c))}", highlight=False, soft_wrap=True)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Option(help="Gold facts (JSONL, shared/gold/SCHEMA.md format).")],
    docs: Annotated[Path, typer.Option(help="Folder of the documents the gold describes.")],
    distractors: Annotated[Path | None, typer.Option(help="TSV of sentences that must not yield commitments.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    predictions: Annotated[
        Path | None, typer.Option(help="Write every predicted fact here, in the gold format.")
    ] = None,
) -> None:
    """Extract the documents into a throwaway database and score the facts against gold."""
    from aidtracker.evaluate import run_evaluation

    try:
        with tempfile.TemporaryDirectory(prefix="aidtracker-eval-") as tmp:
            report, predicted = run_evaluation(gold, docs, distractors, db_url=str(Path(tmp) / "eval.db"))
    except AidtrackerError as exc:
        raise fail(exc) from exc
    if predictions is not None:
        predictions.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predicted), encoding="utf-8")
    if as_json:
        out.print_json(json.dumps(report.as_dict(), default=str))
        return
    _print_report(report)


def _print_report(report: EvalReport) -> None:
    for e in report.misses:
        out.print(f"[yellow]miss[/yellow] {e['doc']} {e['type']}: {escape(_gold_line(e))}", highlight=False)
    for p in report.false_positives:
        out.print(f"[red]false positive[/red] {p['doc']} {p['type']}: {escape(_gold_line(p))}", highlight=False)
    for h in report.distractor_hits:
        out.print(f"[red]distractor extracted[/red] {h['doc']}: {escape(h['sentence'])}", highlight=False)
    table = Table(header_style="bold")
    for col in ("facts", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="right" if col != "facts" else "left")
    for name, s in report.scores.items():
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn))
    out.print(table)
    accuracies = ", ".join(
        f"{f} {a:.2f}" if (a := report.field_accuracy(f)) is not None else f"{f} —" for f in report.fields
    )
    out.print(f"field accuracy on matched commitments: {accuracies}", highlight=False)
    for label, dedup in (("commitments", report.dedup), ("events", report.dedup_events)):
        if dedup is not None:
            out.print(
                f"de-duplication of {label} across documents: precision {dedup['precision']:.3f} "
                f"recall {dedup['recall']:.3f} ({dedup['gold_pairs']} gold pairs)",
                highlight=False,
            )
    if report.actors is not None:
        out.print(
            f"actor canonicalisation: {report.actors['accuracy']:.3f} "
            f"({report.actors['resolved']} of {report.actors['names']} gold names and aliases)",
            highlight=False,
        )
    out.print(f"distractors extracted: {len(report.distractor_hits)}", highlight=False)


def _gold_line(r: dict[str, Any]) -> str:
    if r["type"] == "commitment":
        what = (
            f"{r.get('currency')} {r.get('amount')}"
            if r.get("amount") is not None
            else f"{r.get('quantity')} {r.get('item')}"
        )
        return f"{r.get('donor')}: {what} — {r.get('evidence', '')[:160]}"
    if r["type"] == "agreement":
        return f"{r.get('agreement_type')} {r.get('parties')} count={r.get('count')} — {r.get('evidence', '')[:160]}"
    if r["type"] == "event":
        return f"{r.get('event_type')} {r.get('date')} {r.get('name')} — {r.get('evidence', '')[:120]}"
    return f"{r.get('name')} {r.get('aliases')} — {r.get('evidence', '')[:120]}"


# -- resolution: clusters across documents, canonical actors, totals, conflicts


@app.command("resolve")
def resolve_cmd(db: DbOption = None) -> None:
    """Resolve every stored mention again: clusters, links, conflicts and canonical actors."""
    with _store(db) as store:
        resolution = resolve_store(store)
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
    with _store(db) as store:
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
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of tables.")] = False,
    db: DbOption = None,
) -> None:
    """Sum new packages once each, and list running totals and conflicts beside the sums."""
    with _store(db) as store:
        resolution = store.resolution()
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
    with _store(db) as store:
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
    with _store(db) as store:
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


def main() -> None:
    """Entry point of the `aidtracker` console script."""
    app()


if __name__ == "__main__":
    main()
