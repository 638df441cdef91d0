"""`python -m bench [--quick]`: our pipeline, on one process and on Dask, against the spaCy baseline.

One run measures, on the same input, each in a process of its own (see `bench.runs`):
  - speed on a generated corpus (`bench.corpus`, realistic length, for speed only): documents/s,
    words/s, peak RSS;
  - commitment F1 on the gold sets present: the seeds (../shared), our own (tests/fixtures);
  - the ratios ours / baseline and Dask / ours;
  - a scaling table of one ingest over growing corpora (`bench.scaling`; peak RSS while streaming and
    after resolution, which reads every stored mention);
  - query latency over a database of a million commitment mentions (`bench.queries`).
It prints a table and writes the same figures as one JSON object to bench/results.json.
`--quick` uses 200 documents side by side, a 200/1,000 scaling table and 100,000 mentions.
`--scaling` and `--queries` run only that part (`--sizes`, `--mentions`, `--pg-url` to change
them) and write it into the results file beside what is already there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import generate

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GOLD_SETS = {
    "seeds": (SHARED / "gold" / "seeds.jsonl", SHARED / "corpus" / "seeds"),
    "own": (REPO / "tests" / "fixtures" / "gold" / "own.jsonl", REPO / "tests" / "fixtures" / "articles"),
    "own2": (REPO / "tests" / "fixtures" / "gold" / "own2.jsonl", REPO / "tests" / "fixtures" / "articles2"),
}
MODES = ("ours", "dask", "baseline")


def measure(mode: str, docs: Path, out: Path, gold: Path | None = None) -> dict[str, Any]:
    """One run of `bench.runs` in a fresh interpreter; its figures."""
    command = [sys.executable, "-m", "bench.runs", mode, str(docs), "--out", str(out)]
    if gold is not None:
        command += ["--gold", str(gold)]
    subprocess.run(command, check=True, cwd=REPO)
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


def mb(n: float) -> str:
    return f"{n / 1_000_000:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: finishes in a few minutes")
    parser.add_argument("--work", type=Path, default=Path("/tmp/aidtracker-bench"), help="corpora and run files")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--no-queries", action="store_true", help="skip the query-latency part")
    parser.add_argument("--queries", action="store_true", help="only query latency (into the results file)")
    parser.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)  # the old name
    parser.add_argument("--mentions", type=int, help="commitment mentions for --queries (1,000,000; quick 100,000)")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("AIDTRACKER_BENCH_PG_URL") or os.environ.get("AIDTRACKER_TEST_PG_URL"),
        help="a PostgreSQL server to measure queries on too (a schema of its own, dropped afterwards)",
    )
    parser.add_argument("--scaling", action="store_true", help="only the scaling table (into the results file)")
    parser.add_argument("--sizes", help="corpus sizes for the scaling table, comma-separated (1000,10000,100000)")
    parser.add_argument(
        "--extract-below",
        type=int,
        default=20_000,
        help="scaling sizes from this one up are read and stored without extraction (20,000)",
    )
    parser.add_argument("--engine", choices=["serial", "dask"], default="serial", help="the scaling table's engine")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    mentions = args.mentions or (100_000 if args.quick else 1_000_000)
    sizes = (
        [int(x) for x in args.sizes.split(",")]
        if args.sizes
        else ([200, 1000] if args.quick else [1000, 10000, 100000])
    )
    if args.queries or args.queries_only or args.scaling:
        from bench import scaling as scaling_table
        from bench.queries import run as run_queries

        done = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
        if args.scaling:
            done["scaling"] = scaling_table.table(
                sizes, args.work, extract_below=args.extract_below, engine=args.engine
            )
            scaling_table.report(done["scaling"])
        if args.queries or args.queries_only:
            done["queries"] = run_queries(mentions, args.work / f"queries-{mentions}.db", pg_url=args.pg_url)
            report_queries(done["queries"])
        args.out.write_text(json.dumps(done, indent=1, default=str) + "\n", encoding="utf-8")
        return
    side = 200 if args.quick else 1000
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "quick": args.quick,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "corpus_note": "generated by bench/corpus.py from the project's own articles: speed only, never accuracy",
    }

    corpora = {}
    for size in [side]:
        corpora[size] = args.work / f"corpus-{size}"
        for _ in generate(size, corpora[size]):
            pass

    speed: dict[str, Any] = {}
    for mode in MODES:
        speed[mode] = measure(mode, corpora[side], args.work / f"speed-{mode}-{side}.json")
        print(f"speed {mode}: {speed[mode]['docs_per_s']:.2f} docs/s", file=sys.stderr)
    results["speed"] = {"documents": side, **speed}

    accuracy: dict[str, Any] = {}
    for name, (gold, docs) in GOLD_SETS.items():
        if not (gold.exists() and docs.exists()):
            accuracy[name] = None  # the shared corpora are optional
            continue
        accuracy[name] = {
            mode: measure(mode, docs, args.work / f"gold-{name}-{mode}.json", gold)["commitment"] for mode in MODES
        }
    results["accuracy"] = accuracy

    ours, dask, base = speed["ours"], speed["dask"], speed["baseline"]
    results["ratios"] = {
        "ours_over_baseline_docs_per_s": ours["docs_per_s"] / base["docs_per_s"],
        "ours_over_baseline_words_per_s": ours["words_per_s"] / base["words_per_s"],
        "ours_over_baseline_peak_rss": ours["peak_rss"] / base["peak_rss"],
        "ours_over_baseline_docs_per_cpu_s": ours["docs_per_cpu_s"] / base["docs_per_cpu_s"],
        "dask_over_ours_docs_per_s": dask["docs_per_s"] / ours["docs_per_s"],
        "dask_over_baseline_docs_per_s": dask["docs_per_s"] / base["docs_per_s"],
        "ours_minus_baseline_f1": {
            name: round(a["ours"]["f1"] - a["baseline"]["f1"], 4) for name, a in accuracy.items() if a is not None
        },
    }

    from bench import scaling as scaling_table

    results["scaling"] = scaling_table.table(sizes, args.work, extract_below=args.extract_below, engine=args.engine)

    if not args.no_queries:
        from bench.queries import run as run_queries

        results["queries"] = run_queries(mentions, args.work / f"queries-{mentions}.db", pg_url=args.pg_url)

    results["seconds"] = time.perf_counter() - started
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    report(results)


def report(r: dict[str, Any]) -> None:
    """The figures side by side, as they were written to results.json."""
    s = r["speed"]
    print(f"\nSpeed on {s['documents']:,} generated documents (speed only), each run in its own process:")
    print(f"  {'':10} {'docs/s':>8} {'words/s':>9} {'docs/cpu-s':>10} {'peak RSS':>10}  load avg  note")
    for mode in MODES:
        m = s[mode]
        load = "/".join(f"{x:.1f}" for x in m["load_average"])
        print(
            f"  {mode:10} {m['docs_per_s']:8.2f} {m['words_per_s']:9,.0f} {m['docs_per_cpu_s']:10.2f} "
            f"{mb(m['peak_rss']):>10}  {load}  {m['note']}"
        )
    print("\nCommitment F1 (precision / recall):")
    for name, a in r["accuracy"].items():
        if a is None:
            print(f"  {name:6} skipped: not present")
            continue
        cells = "  ".join(f"{m} {a[m]['f1']:.3f} ({a[m]['precision']:.2f}/{a[m]['recall']:.2f})" for m in MODES)
        print(f"  {name:6} {cells}")
    q = r["ratios"]
    print(
        f"\nRatios: ours/baseline docs/s {q['ours_over_baseline_docs_per_s']:.2f}x, words/s "
        f"{q['ours_over_baseline_words_per_s']:.2f}x, docs per CPU second "
        f"{q['ours_over_baseline_docs_per_cpu_s']:.2f}x, peak RSS {q['ours_over_baseline_peak_rss']:.2f}x; "
        f"dask/ours docs/s {q['dask_over_ours_docs_per_s']:.2f}x; "
        f"dask/baseline {q['dask_over_baseline_docs_per_s']:.2f}x"
    )
    from bench import scaling as scaling_table

    scaling_table.report(r["scaling"])
    if "queries" in r:
        report_queries(r["queries"])
    print(f"\n(written to {r.get('out', 'bench/results.json')}; {r['seconds']:.0f} s in all)")


def report_queries(qs: dict[str, Any]) -> None:
    """Query latency per backend, as `bench.queries.run` measured it."""
    for backend in ("sqlite", "postgresql"):
        q = qs.get(backend)
        if q is None:
            continue
        print(f"\nQueries over {q['mentions']:,} commitment mentions ({q['through']}; {q['filter']}):")
        for name, lat in q["latency_ms"].items():
            print(
                f"  {name:18} p50 {lat['p50']:7.1f} ms  p95 {lat['p95']:7.1f} ms  "
                f"p99 {lat['p99']:7.1f} ms  (n={lat['n']})"
            )


if __name__ == "__main__":
    main()
