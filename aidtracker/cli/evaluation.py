"""The `eval` command: extraction and resolution scored against gold files."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from aidtracker.cli.app import (
    app,
    fail,
    out,
)
from aidtracker.errors import AidtrackerError
from aidtracker.evaluate import EvalReport


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


