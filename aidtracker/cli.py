"""The `aidtracker` command line: thin wrappers that call one library function each and format it.

Errors from the library arrive as `AidtrackerError`s and leave as one line on stderr,
`error[CODE]: message`; batch commands exit 0 when nothing failed, 1 when some inputs were
skipped and 2 when all were.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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

from aidtracker.errors import AidtrackerError
from aidtracker.evaluate import EvalReport
from aidtracker.pipeline import BatchSummary, extract_stored, ingest
from aidtracker.records import Article
from aidtracker.store import Store, open_store

app = typer.Typer(
    name="aidtracker",
    help="Turn news about aid to Ukraine into a source-linked, de-duplicated record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

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
    if report.dedup is not None:
        out.print(f"dedup: precision {report.dedup['precision']:.3f} recall {report.dedup['recall']:.3f}")
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


def main() -> None:
    """Entry point of the `aidtracker` console script."""
    app()


if __name__ == "__main__":
    main()
