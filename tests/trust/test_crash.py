"""Crash safety: `ingest`, `extract` and review writes killed with SIGKILL mid-write, then rerun.

Each kill is timed by watching the database, not the clock: the writer is killed once it has
stored k documents (extractions, reviews), k drawn from a seeded generator, plus a seeded delay
of up to a third of a second, so that every kill lands in the middle of the writing and a
failure replays with the same seed. After each kill the database must be consistent — foreign
keys hold, no document without its text, no facts for a missing document or without their
extraction record, no duplicate fact, no review without its evidence or a merge without its
judgement — and the rerun must finish and give what an uninterrupted run gives.

Why it holds: every store method is one transaction (SQLite in WAL mode, which commits
atomically; PostgreSQL, which rolls back whatever a dead client left open), and a document's
facts and its extraction record are written together, so `ingest` finds the documents a killed
run stored without extracting and extracts them.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from aidtracker.pipeline import ingest
from aidtracker.store import open_store, resolve_url
from aidtracker.store.migrate import head_revision
from aidtracker.store.tables import FACT_TABLES

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
SEED = 7
KILLS = 2  # per writer; each is a fresh process (about three seconds of imports) killed mid-write
TIMEOUT = 120  # seconds any one process may take
MISSING_DOCUMENT = "NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = %s.doc_id)"

REVIEW_LOOP = """
import sys
from aidtracker.pipeline import resolve_store
from aidtracker.review import record_review
from aidtracker.store import open_store

store = open_store(sys.argv[1])
for i in range(10**6):
    if i % 5 == 0:  # resolution renames clusters: look again
        clusters = [c for c in store.clusters("commitment")]
        multi = [c for c in clusters if len(c.members) > 1]
    a, b = clusters[i % len(clusters)], clusters[(i + 1) % len(clusters)]
    step = i % 5
    if step == 0:
        r = record_review(store, "confirm", a.id, by="loop", comment=f"pass {i}")
    elif step == 1:
        r = record_review(store, "correct", a.id, by="loop", fields=[f"purpose=check {i}"])
    elif step == 2:
        r = record_review(store, "merge", a.id, by="loop", other=b.id)
    elif step == 3 and multi:
        c = multi[i % len(multi)]
        r = record_review(store, "split", c.id, by="loop", other=c.members[-1])
    else:
        r = record_review(store, "reject", a.members[0], by="loop")
        print(r.id, r.action, flush=True)
        resolve_store(store)  # a resolution write to be killed in, too
        r = record_review(store, "confirm", a.members[0], by="loop")  # and undo the rejection
    print(r.id, r.action, flush=True)
"""


def aidtracker(*args: str) -> list[str]:
    return [sys.executable, "-m", "aidtracker", *args]


def scalar(conn: sa.Connection, sql: str) -> Any:
    return conn.execute(sa.text(sql)).scalar_one()


def consistency_problems(url: str) -> list[str]:
    """Everything wrong with the database, as sentences; empty when it is consistent."""
    problems = []
    engine = sa.create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                if scalar(conn, "PRAGMA integrity_check") != "ok":
                    problems.append("SQLite integrity check failed")
                if conn.execute(sa.text("PRAGMA foreign_key_check")).first() is not None:
                    problems.append("a foreign key does not hold")
            if scalar(conn, "SELECT version_num FROM alembic_version") != head_revision():
                problems.append("schema not at head")
            checks = {
                "document without its text": (
                    "SELECT count(*) FROM documents WHERE text IS NULL OR length(text) <> n_chars"
                ),
                "extraction of a missing document": (
                    f"SELECT count(*) FROM extractions x WHERE {MISSING_DOCUMENT % 'x'}"
                ),
                "cluster member of a missing cluster": (
                    "SELECT count(*) FROM cluster_members m "
                    "WHERE NOT EXISTS (SELECT 1 FROM clusters c WHERE c.id = m.cluster_id)"
                ),
                "review without evidence": "SELECT count(*) FROM reviews WHERE keys IS NULL OR targets IS NULL",
            }
            for table in FACT_TABLES:
                checks[f"{table} of a missing document"] = (
                    f"SELECT count(*) FROM {table} f WHERE {MISSING_DOCUMENT % 'f'}"
                )
                checks[f"{table} without their extraction record"] = (
                    f"SELECT count(*) FROM {table} f "
                    "WHERE NOT EXISTS (SELECT 1 FROM extractions x WHERE x.doc_id = f.doc_id)"
                )
                checks[f"duplicate {table}"] = f"SELECT count(*) - count(DISTINCT id) FROM {table}"
            for what, sql in checks.items():
                if n := scalar(conn, sql):
                    problems.append(f"{n} × {what}")
        with open_store(url) as store:
            reviews = {r.id: r for r in store.reviews()}
            judged = {
                int(reason.split()[1].rstrip(":"))
                for j in store.resolution().judgements
                if j.by != "machine"
                for reason in j.reasons
                if reason.startswith("review ")
            }
        for review in reviews.values():
            if not review.keys or not review.targets:
                problems.append(f"review {review.id} is half-written")
        # A judgement is never without its review; and the last merge or split (which no later one
        # can have replaced) has its judgement: the two are written in one transaction.
        problems += [f"judgement of review {n}, which is not stored" for n in sorted(judged - reviews.keys())]
        pairs = [r.id for r in reviews.values() if r.action in ("merge", "split")]
        if pairs and max(pairs) not in judged:
            problems.append(f"review {max(pairs)} has no judgement")
    finally:
        engine.dispose()
    return problems


def count(url: str, sql: str) -> int:
    engine = sa.create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            return int(scalar(conn, sql))
    except sa.exc.DBAPIError:
        return 0  # the tables do not exist yet
    finally:
        engine.dispose()


def kill_after(command: list[str], url: str, progress: str, target: int, delay: float) -> tuple[bool, list[str]]:
    """Start `command`, SIGKILL it once `progress` (a count query) reaches `target`, plus `delay` seconds.

    Returns whether it was killed (rather than finishing first) and the lines it printed.
    """
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + TIMEOUT
    try:
        while process.poll() is None and count(url, progress) < target:
            assert time.monotonic() < deadline, f"{command} made no progress"
            time.sleep(0.02)
        time.sleep(delay)
        killed = process.poll() is None
        if killed:
            os.kill(process.pid, signal.SIGKILL)
        out, err = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert killed or process.returncode == 0, err[-2000:]
    return killed, out.splitlines()


def finish(command: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    return done


def database_content(url: str) -> tuple[Any, ...]:
    with open_store(url) as store:
        stats = store.stats()
        facts = sorted(repr(f) for f in store.facts())
        return stats["documents"], stats["extracted"], stats["facts"], facts


def test_killed_writers_leave_a_consistent_database_and_the_rerun_finishes(db_url: str, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    documents = len([p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".html", ".jsonl")])
    reference = str(tmp_path / "reference.db")
    with open_store(reference) as store:
        ingest([str(CORPUS)], store)
    expected = database_content(reference)
    log: list[str] = []

    # ingest, killed after k documents: documents stored, some perhaps without their facts yet
    for _ in range(KILLS):
        target, delay = rng.randint(1, documents - 2), rng.uniform(0, 0.3)
        killed, _ = kill_after(aidtracker("ingest", str(CORPUS), "--db", db_url), db_url,
                               "SELECT count(*) FROM documents", target, delay)  # fmt: skip
        log.append(f"ingest killed={killed} after {target} documents + {delay:.2f} s")
        assert consistency_problems(db_url) == [], log
    finish(aidtracker("ingest", str(CORPUS), "--db", db_url))
    assert consistency_problems(db_url) == [], log
    assert database_content(db_url) == expected, log

    # extract, killed after k re-extractions (each replaces a document's facts in one transaction)
    for _ in range(KILLS):
        started = count(db_url, "SELECT count(*) FROM extractions")
        assert started == documents
        marker = time.time()
        target, delay = rng.randint(1, documents - 2), rng.uniform(0, 0.3)
        since = _since(db_url, marker)
        killed, _ = kill_after(aidtracker("extract", "--db", db_url), db_url, since, target, delay)
        log.append(f"extract killed={killed} after {target} documents + {delay:.2f} s")
        assert consistency_problems(db_url) == [], log
        assert database_content(db_url) == expected, log  # each document's facts whole: old or new
    finish(aidtracker("extract", "--db", db_url))
    assert database_content(db_url) == expected, log

    # review writes (with resolutions among them), killed after k reviews
    printed: list[str] = []
    for _ in range(KILLS + 1):
        target = count(db_url, "SELECT count(*) FROM reviews") + rng.randint(2, 12)
        delay = rng.uniform(0, 0.3)
        killed, lines = kill_after([sys.executable, "-c", REVIEW_LOOP, db_url], db_url,
                                   "SELECT count(*) FROM reviews", target, delay)  # fmt: skip
        log.append(f"review loop killed={killed} after {target} reviews + {delay:.2f} s")
        printed += lines
        assert consistency_problems(db_url) == [], log
        with open_store(db_url) as store:
            stored = {r.id for r in store.reviews()}
        # every review the writer saw committed is there; at most the one in flight beyond them
        acknowledged = {int(line.split()[0]) for line in printed}
        assert acknowledged <= stored, log
        assert len(stored - acknowledged) <= KILLS + 1, log
    done = finish(aidtracker("review", "confirm", _first_cluster(db_url), "--by", "after", "--db", db_url))
    assert "resolved again" in done.stdout
    assert consistency_problems(db_url) == [], log
    print("\n".join(log))


def _since(url: str, marker: float) -> str:
    """A count of extractions stored after `marker` (a Unix time), in the backend's SQL."""
    when = datetime.fromtimestamp(marker, UTC)
    if url.startswith("postgresql"):
        return f"SELECT count(*) FROM extractions WHERE extracted_at > '{when.isoformat()}'"
    return f"SELECT count(*) FROM extractions WHERE extracted_at > '{when.replace(tzinfo=None).isoformat(sep=' ')}'"


def _first_cluster(url: str) -> str:
    with open_store(url) as store:
        return store.clusters("commitment")[0].id
