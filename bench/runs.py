"""One measured run, in a process of its own: `python -m bench.runs MODE DOCS [--gold FILE] --out OUT.json`.

MODE is `ours` (the serial pipeline: read, extract, store, resolve, into a fresh SQLite
database), `dask` (the same through `DaskEngine` with two worker processes) or `baseline`
(`bench.baseline`). A process per run makes each peak RSS that run's own: this process's
`ru_maxrss`, plus, for Dask, its worker processes' (`RUSAGE_CHILDREN`, read after the cluster
has closed). Every mode warms up before the clock starts: the NLP model is loaded and one short
made-up text goes through the same code, so the vocabulary files and exchange-rate table that
are read on first use (a second or two, once per process) are not counted as per-document
speed. Dask's cluster start-up (about 4 s, workers loading the model included) is inside the
clock, as a user pays it.
With `--gold`, the commitments are also scored against that gold file with
`aidtracker.evaluate.score`, documents named by file stem as the gold files name them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from aidtracker.evaluate import fact_record, load_gold, score
from aidtracker.extract.nlp import pipeline
from aidtracker.ingest import article_from_text
from aidtracker.pipeline import Engine, ingest, process_document
from aidtracker.store import open_store


def _rss_self() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _rss_children() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (Dask's workers, once the cluster closed).

    Other processes on the machine slow the wall clock but not this, so rates per CPU second
    compare runs fairly on a busy machine; for Dask they show the cost, not the speed-up.
    """
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


# Made up for the warm-up: a figure in a foreign currency, a delivery, a name, an agreement.
WARM_UP = (
    "Warm-up\n\nThe Ministry said on Monday that Norway will provide EUR 12 million and deliver five "
    "generators to Ukraine. Minister Anna Berg signed a memorandum with the city of Lviv.\n"
)


def run_ours(
    docs: Path, *, dask: bool, partition_size: int, workers: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Ingest `docs` into a throwaway database; return the figures and the gold-format predictions."""
    pipeline("en")
    process_document(article_from_text(WARM_UP, source="warm-up"))
    with tempfile.TemporaryDirectory(prefix="aidtracker-bench-") as tmp:
        engine: Engine | None = None
        if dask:
            from aidtracker.scale.engine import DaskEngine

            engine = DaskEngine(workers=workers, partition_size=partition_size, work_dir=Path(tmp) / "work")
        with open_store(str(Path(tmp) / "bench.db")) as store:
            started, cpu = time.perf_counter(), cpu_seconds()
            summary = ingest([str(docs)], store, engine=engine)
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            names = {doc_id: Path(source).stem for doc_id, source in summary.articles}
            predictions = [fact_record(m.fact, names[m.fact.doc_id]) for m in store.mentions("commitment")]
    figures = {
        "docs": len(summary.articles),
        "words": summary.words,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "facts": summary.facts,
        "peak_rss_self": _rss_self(),
        "peak_rss_before_resolution": summary.peak_rss_extract,
        "peak_rss_workers": _rss_children() if dask else 0,
        "workers": workers if dask else 0,
        "note": summary.engine_note,
    }
    return figures, predictions


def run_baseline(docs: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from bench import baseline

    nlp = baseline.load()
    list(baseline.commitments(nlp, [("warm-up", WARM_UP)]))
    paths = sorted(p for p in docs.rglob("*") if p.suffix in {".txt", ".md"})
    started, cpu = time.perf_counter(), cpu_seconds()
    texts = ((p.stem, p.read_text(encoding="utf-8", errors="replace")) for p in paths)
    words = 0

    def counted() -> Any:
        nonlocal words
        for name, text in texts:
            words += len(text.split())
            yield name, text

    predictions = list(baseline.commitments(nlp, counted()))
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    figures = {
        "docs": len(paths),
        "words": words,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "facts": len(predictions),
        "peak_rss_self": _rss_self(),
        "peak_rss_before_resolution": _rss_self(),
        "peak_rss_workers": 0,
        "workers": 0,
        "note": "",
    }
    return figures, predictions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["ours", "dask", "baseline"])
    parser.add_argument("docs", type=Path)
    parser.add_argument("--gold", type=Path)
    parser.add_argument("--partition-size", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.mode == "baseline":
        figures, predictions = run_baseline(args.docs)
    else:
        figures, predictions = run_ours(
            args.docs, dask=args.mode == "dask", partition_size=args.partition_size, workers=args.workers
        )
    figures["peak_rss"] = figures["peak_rss_self"] + figures["workers"] * figures["peak_rss_workers"]
    figures["docs_per_s"] = figures["docs"] / figures["seconds"]
    figures["words_per_s"] = figures["words"] / figures["seconds"]
    figures["docs_per_cpu_s"] = figures["docs"] / figures["cpu_seconds"]
    figures["load_average"] = os.getloadavg()  # what else the machine was doing (2 cores)
    if args.gold is not None:
        gold = [g for g in load_gold(args.gold) if g["type"] == "commitment"]
        figures["commitment"] = score(gold, predictions).scores["commitment"].as_dict()
    args.out.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
