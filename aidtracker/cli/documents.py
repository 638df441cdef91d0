"""Commands over documents: ingest, extract, docs, show, stats, demo."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from aidtracker.cli.app import (
    DbOption,
    app,
    err,
    exit_code,
    opened,
    out,
    progress_bar,
    report_batch,
)
from aidtracker.cli.scale import (
    EngineName,
    EngineOption,
    PartitionSizeOption,
    SchedulerOption,
    WorkDirOption,
    WorkersOption,
    make_engine,
)
from aidtracker.cli.trust import show as safe
from aidtracker.cli.trust import warn_orphans
from aidtracker.display import for_terminal
from aidtracker.pipeline import extract_stored, ingest
from aidtracker.records import Article
from aidtracker.review import review_states
from aidtracker.scale.partition import DEFAULT_WORK_DIR


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt .md .html .htm .jsonl); - reads stdin.")],
    db: DbOption = None,
    no_extract: Annotated[bool, typer.Option("--no-extract", help="Store documents without extracting facts.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Skip files larger than this many megabytes.")] = 50.0,
    engine: EngineOption = EngineName.SERIAL,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = 2,
    partition_size: PartitionSizeOption = 100,
    work_dir: WorkDirOption = Path(DEFAULT_WORK_DIR),
) -> None:
    """Store documents and extract their facts; say what was added, unchanged or skipped."""
    runner = make_engine(
        engine, paths, scheduler=scheduler, workers=workers, partition_size=partition_size, work_dir=work_dir
    )
    with opened(db) as store, progress_bar("ingesting") as tick:
        summary = ingest(
            paths,
            store,
            run_extraction=not no_extract,
            stdin=sys.stdin,
            max_bytes=int(max_mb * 1_000_000),
            on_item=tick,
            engine=runner,
        )
        warn_orphans(store)
    report_batch(summary, skipped_shown=True)
    out.print(summary.throughput_line(), highlight=False)
    raise typer.Exit(exit_code(summary))


@app.command("extract")
def extract_cmd(
    docs: Annotated[list[str] | None, typer.Argument(help="Documents (id, id prefix or source); all if none.")] = None,
    db: DbOption = None,
) -> None:
    """Extract (again) the facts of stored documents, replacing what was extracted before."""
    with opened(db) as store, progress_bar("extracting") as tick:
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
        warn_orphans(store)
    out.print(f"{summary.facts} facts from {summary.extracted} documents", highlight=False)


@app.command("docs")
def docs_cmd(
    db: DbOption = None,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
) -> None:
    """List stored documents with their titles, dates and fact counts."""
    with opened(db) as store:
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
    with opened(db) as store:
        article = store.article(doc)
        if article is None:
            err.print(f"[red]error[AT301][/red]: no document {escape(doc)}", highlight=False, soft_wrap=True)
            raise typer.Exit(2)
        stored = store.mentions_of(article.id) if facts else []
        states = review_states(store, [m.id for m in stored]) if stored else {}
    # Stored text keeps every character it came with; bidi overrides and control characters are
    # neutralised only here, on the way to the screen (see aidtracker.display).
    out.print(f"[bold]{safe(article.title or '(untitled)')}[/bold]", highlight=False)
    out.print(
        f"id {article.id}  source {safe(article.source)}  published "
        f"{article.published or '—'} ({article.published_how.value})  publisher {safe(article.publisher or '—')}",
        highlight=False,
    )
    plain = not out.is_terminal
    out.print(_marked_text(article, plain=plain), soft_wrap=True)
    legend = "⟦…⟧" if plain else "struck-through"
    out.print(f"[dim]{legend}: page furniture (no facts are taken from it)[/dim]", highlight=False)
    for m in stored:
        kind = type(m.fact).__name__.lower()
        status = states.get(m.id)
        state = f"{status.state}" if status else "unreviewed"
        if status and status.fields:
            state += ": " + ", ".join(f"{k}={v}" for k, v in status.fields.items())
        out.print(f"[cyan]{kind}[/cyan] {safe(_fact_line(m.fact))}  [dim]{m.id} · {safe(state)}[/dim]", highlight=False)
        out.print(f"    [dim]« {safe(m.fact.evidence.text[:240])} »[/dim]", highlight=False)


def _marked_text(article: Article, *, plain: bool) -> Text:
    """The text as stored, furniture struck through, or bracketed ⟦…⟧ where styles cannot show."""
    text = Text()
    pos = 0
    for f in sorted(article.furniture, key=lambda f: f.span.start):
        start = max(f.span.start, pos)
        if start >= f.span.end:
            continue
        text.append(for_terminal(article.text[pos:start]))
        part = for_terminal(article.text[start : f.span.end])
        text.append(f"⟦{part}⟧" if plain else part, style="dim strike")
        pos = f.span.end
    text.append(for_terminal(article.text[pos:]))
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
    with opened(db) as store:
        stats = store.stats()
    out.print_json(json.dumps(stats, default=str))


@app.command("demo")
def demo_cmd(db: DbOption = None) -> None:
    """Ingest the sample articles that ship with aidtracker and show what was stored."""
    samples = resources.files("aidtracker") / "samples"
    with resources.as_file(samples) as folder, opened(db) as store:
        out.print(f"Ingesting the sample corpus from {folder} into {store.url}", highlight=False, soft_wrap=True)
        summary = ingest([str(folder)], store)
        report_batch(summary)
        _docs_table(store.articles())
        commitments = [f for f in store.facts() if type(f).__name__ == "Commitment"]
    for c in commitments:
        out.print(f"  {escape(_fact_line(c))}", highlight=False, soft_wrap=True)


