"""The Dask engine against the serial path: the same database, the same report, and a kill -9 resumed.

Both tests start a real `LocalCluster` of two worker *processes* (one thread each), as
`ingest --engine dask` does: processes start reliably here in 3-5 s, and threads would
share one spaCy pipeline between threads, which is not what runs in production. They take
about a minute together and are marked `dask` (run by `make test`; `-m "not dask"` skips
them).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from aidtracker.pipeline import BatchSummary, ingest
from aidtracker.scale.engine import DaskEngine
from aidtracker.store import open_store

pytestmark = pytest.mark.dask
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
Dump = dict[str, list[tuple[object, ...]]]


def serial(paths: list[str], db: Path) -> BatchSummary:
    with open_store(str(db)) as store:
        return ingest(paths, store)


def outcome(summary: BatchSummary) -> tuple[object, ...]:
    failed = [(type(e).__name__, e.source, e.reason) for e in summary.failed]
    return summary.line(), summary.articles, failed


def test_a_local_cluster_stores_what_the_serial_path_stores(
    corpus: Path, tmp_path: Path, database_dump: Callable[[str], Dump]
) -> None:
    work = tmp_path / "work"
    expected = serial([str(corpus)], tmp_path / "serial.db")
    engine = DaskEngine(workers=2, partition_size=4, work_dir=work)
    with open_store(str(tmp_path / "dask.db")) as store:
        got = ingest([str(corpus)], store, engine=engine)

    assert outcome(got) == outcome(expected)
    assert len(got.failed) == 3  # the empty file, the binary one, the manifest's repeated row: once each
    assert engine.stats.partitions == 5 and engine.stats.workers == 2 and engine.stats.reused == 0
    assert "5 partitions (0 reused) on 2 workers" in got.throughput_line()
    serial_rows = database_dump(str(tmp_path / "serial.db"))
    dask_rows = database_dump(str(tmp_path / "dask.db"))
    assert serial_rows["documents"] and serial_rows["commitments"] and serial_rows["clusters"]
    for table in serial_rows:
        assert dask_rows[table] == serial_rows[table], table
    assert not work.exists()  # a finished batch leaves no partition files behind


def test_kill_9_mid_run_then_rerun_gives_the_uninterrupted_database(
    tmp_path: Path, database_dump: Callable[[str], Dump]
) -> None:
    corpus = [str(FIXTURES / "articles"), str(FIXTURES / "articles2")]
    work, db = tmp_path / "work", tmp_path / "dask.db"
    command = [
        sys.executable, "-m", "aidtracker", "ingest", *corpus, "--db", str(db),
        "--engine", "dask", "--workers", "2", "--partition-size", "3", "--work-dir", str(work),
    ]  # fmt: skip
    env = {**os.environ, "COLUMNS": "200"}
    # Its own process group, so that the kill takes the cluster's worker processes with it.
    first = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while not list(work.glob("part-*.done.json")):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "no partition was finished within 90 s"
            time.sleep(0.05)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.communicate()
    assert first.returncode == -signal.SIGKILL
    finished_before = {p.name for p in work.glob("part-*.done.json")}
    assert 1 <= len(finished_before) < 11  # 32 files in partitions of 3: killed part-way

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert rerun.returncode == 0, rerun.stderr
    reused = int(rerun.stdout.split(" partitions (")[1].split(" reused")[0])
    assert reused >= len(finished_before), rerun.stdout  # finished partitions were not computed again

    expected = serial(corpus, tmp_path / "serial.db")
    assert not expected.failed
    serial_rows = database_dump(str(tmp_path / "serial.db"))
    dask_rows = database_dump(str(db))
    for table in serial_rows:
        assert dask_rows[table] == serial_rows[table], table
    assert not work.exists()
