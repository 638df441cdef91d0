"""`python -m bench --scaling`: speed and peak memory of one ingest over growing generated corpora.

Each size runs `python -m bench.scaling one DOCS ...` in a fresh interpreter, so that each peak
RSS (`ru_maxrss`) is that run's own. A run ingests the corpus into a new SQLite database,
through the serial engine (this process) or Dask, and records the peak RSS at two points: once
every document is read, extracted and stored (the streaming part, which must stay flat however
large the corpus), and after resolution, which reads every stored mention at once and so grows
with the store. Sizes at or above `--extract-below` are ingested with `--no-extract`: the
streaming reader and writer alone, for corpora whose extraction would take hours here; the
table says which rows those are.

The corpora are `bench.corpus`'s (realistic length, varied donors, figures and dates): for
speed only, never accuracy.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def one(docs: Path, *, extract: bool, engine: str, workers: int, partition_size: int) -> dict[str, Any]:
    """Ingest `docs` into a throwaway database in this process; the figures of that run."""
    from aidtracker.extract.nlp import pipeline as load_pipeline
    from aidtracker.pipeline import Engine, ingest
    from aidtracker.store import open_store

    if extract:
        load_pipeline("en")  # as `bench.runs` does: the model's load is not the corpus's cost
    with tempfile.TemporaryDirectory(prefix="aidtracker-scaling-") as tmp:
        runner: Engine | None = None
        if engine == "dask":
            from aidtracker.scale.engine import DaskEngine

            runner = DaskEngine(workers=workers, partition_size=partition_size, work_dir=Path(tmp) / "work")
        with open_store(str(Path(tmp) / "scaling.db")) as store:
            started = time.perf_counter()
            summary = ingest([str(docs)], store, engine=runner, run_extraction=extract)
            seconds = time.perf_counter() - started
        db_bytes = (Path(tmp) / "scaling.db").stat().st_size
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {
        "documents": len(summary.articles),
        "words": summary.words,
        "extract": extract,
        "engine": engine,
        "seconds": seconds,
        "docs_per_s": len(summary.articles) / seconds,
        "facts": summary.facts,
        "peak_rss_before_resolution": summary.peak_rss_extract,
        "peak_rss": summary.peak_rss,
        "peak_rss_worker": kids if engine == "dask" else 0,
        "database_bytes": db_bytes,
        "load_average": os.getloadavg(),
        "line": summary.throughput_line(),
    }


def measure(
    docs: Path, out: Path, *, extract: bool, engine: str = "serial", workers: int = 2, partition_size: int = 100
) -> dict[str, Any]:
    """`one` in a fresh interpreter (so that its peak RSS is its own); its figures."""
    command = [
        sys.executable, "-m", "bench.scaling", "one", str(docs), "--out", str(out),
        "--engine", engine, "--workers", str(workers), "--partition-size", str(partition_size),
    ]  # fmt: skip
    if not extract:
        command.append("--no-extract")
    subprocess.run(command, check=True, cwd=REPO)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


def table(sizes: list[int], work: Path, *, extract_below: int, engine: str = "serial") -> dict[str, Any]:
    """The scaling table: one run per size (corpora generated under `work` if missing)."""
    from bench.corpus import generate

    rows = []
    for size in sizes:
        corpus = work / f"corpus-{size}"
        for _ in generate(size, corpus):
            pass
        extract = size < extract_below
        figures = measure(corpus, work / f"scaling-{size}-{engine}.json", extract=extract, engine=engine)
        print(f"scaling {size:,}: {figures['line']}", file=sys.stderr)
        rows.append(figures)
    growth: dict[str, float | None] = {}
    for mode in (True, False):
        same = [r for r in rows if r["extract"] is mode]
        if len(same) >= 2:
            key = "extract" if mode else "no_extract"
            growth[f"rss_growth_before_resolution_{key}"] = (
                same[-1]["peak_rss_before_resolution"] / same[0]["peak_rss_before_resolution"] - 1
            )
            growth[f"rss_growth_with_resolution_{key}"] = same[-1]["peak_rss"] / same[0]["peak_rss"] - 1
    return {
        "engine": f"{engine}: read, extract and store each document as it comes, then resolve everything stored",
        "extract_below": extract_below,
        "measured": rows,
        **growth,
    }


def report(sc: dict[str, Any]) -> None:
    """The table as `python -m bench` prints it."""
    mb = 1_000_000
    print(f"\nScaling ({sc['engine']}):")
    for r in sc["measured"]:
        what = "read+extract+store" if r["extract"] else "read+store only (--no-extract)"
        load = "/".join(f"{x:.1f}" for x in r["load_average"])
        print(
            f"  {r['documents']:>7,} docs  {what:31} {r['docs_per_s']:8.2f} docs/s {r['seconds']:8.1f} s  "
            f"peak RSS {r['peak_rss_before_resolution'] / mb:,.0f} MB streaming, {r['peak_rss'] / mb:,.0f} MB "
            f"after resolution  (load {load})"
        )
    for key, value in sc.items():
        if key.startswith("rss_growth") and value is not None:
            print(f"  {key.replace('_', ' ')}: {value:+.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("one", help="one measured ingest (what `python -m bench --scaling` runs per size)")
    run.add_argument("docs", type=Path)
    run.add_argument("--out", type=Path, required=True)
    run.add_argument("--no-extract", action="store_true")
    run.add_argument("--engine", choices=["serial", "dask"], default="serial")
    run.add_argument("--workers", type=int, default=2)
    run.add_argument("--partition-size", type=int, default=100)
    args = parser.parse_args()
    figures = one(
        args.docs,
        extract=not args.no_extract,
        engine=args.engine,
        workers=args.workers,
        partition_size=args.partition_size,
    )
    args.out.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
