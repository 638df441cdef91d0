"""A bounded load test: the app `aidtracker serve` runs, under uvicorn on loopback, 100 concurrent
readers for 30 seconds while reviews are written over the API, on each backend.

Readers cycle through the read API (commitments, totals, documents, search), review states and
the dashboard's pages. Writers confirm and correct through the bearer-token API; each write is
applied by re-resolution as `serve` does it. The token rate limit is raised for the writers so
that they keep writing (the default, 2 a second, is what a person needs).

Passes if no response is a 5xx (or fails to arrive), and no review is lost: the audit trail
holds exactly the reviews the server acknowledged. Latency percentiles are printed, not
asserted: the machine running the test decides them.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aidtracker.auth import add_user
from aidtracker.pipeline import ingest
from aidtracker.store import open_store

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
READERS = 100
WRITERS = 4
DURATION = 30.0  # seconds of load

SERVER = """
import os
from aidtracker.api import ApiSettings, create_app
from aidtracker.review_api import ReviewApiSettings

app = create_app(os.environ["AIDTRACKER_DB"], settings=ApiSettings(review=ReviewApiSettings(rate=10_000, burst=10_000)))
"""


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    read_seconds: list[float] = field(default_factory=list)
    write_seconds: list[float] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


async def reader(base: str, paths: list[str], deadline: float, tally: Tally, n: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        i = n
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.HTTPError as exc:
                tally.failures.append(f"GET {path}: {type(exc).__name__}")
                continue
            tally.read_seconds.append(time.perf_counter() - started)
            tally.statuses[response.status_code] += 1


async def writer(base: str, token: str, clusters: list[str], deadline: float, tally: Tally, n: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=60.0, headers=headers) as client:
        i = n
        while time.monotonic() < deadline:
            target = clusters[i % len(clusters)]
            action, body = (
                ("confirm", {"target": target, "comment": f"load {n}/{i}"})
                if i % 2
                else ("correct", {"target": target, "fields": {"purpose": f"load test {i}"}})
            )
            i += 1
            started = time.perf_counter()
            try:
                response = await client.post(f"/api/reviews/{action}", json=body)
            except httpx.HTTPError as exc:
                tally.failures.append(f"POST {action}: {type(exc).__name__}")
                continue
            tally.write_seconds.append(time.perf_counter() - started)
            tally.statuses[response.status_code] += 1
            if response.status_code == 201:
                tally.acknowledged.append(response.json()["review"]["id"])


async def load(base: str, tokens: list[str], clusters: list[str], facts: list[str], docs: list[str]) -> Tally:
    tally = Tally()
    paths = [
        "/api/reviews/log?limit=50",
        *(f"/api/reviews/status/{c}" for c in clusters[:10]),
        *(f"/api/reviews/status/{f}" for f in facts[:10]),
        "/api/reviews/orphans",
        "/api/commitments?limit=20",
        "/api/commitments?reviewed_only=true",
        "/api/totals?by=donor",
        *(f"/api/commitments/{c}" for c in clusters[:5]),
        *(f"/api/documents/{d}" for d in docs[:5]),
        "/api/search?q=ukraine",
        "/",
        "/commitments?donor=Japan",
        *(f"/documents/{d}" for d in docs[:2]),
    ]
    deadline = time.monotonic() + DURATION
    await asyncio.gather(
        *(reader(base, paths, deadline, tally, n) for n in range(READERS)),
        *(writer(base, tokens[n % len(tokens)], list(clusters), deadline, tally, n) for n in range(WRITERS)),
    )
    return tally


def test_100_readers_while_reviews_are_written(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with open_store(db_url) as store:
        ingest([str(CORPUS)], store)
        tokens = [add_user(store, f"writer{n}", "reviewer")[1] for n in range(2)]
        clusters = [c.id for c in store.clusters("commitment")]
        facts = [m.id for m in store.mentions()]
        docs = [row.id for row in store.articles()]
    (tmp_path / "load_server.py").write_text(SERVER, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "AIDTRACKER_DB": db_url}
    command = [sys.executable, "-m", "uvicorn", "load_server:app", "--app-dir", str(tmp_path),
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--backlog", "2048"]  # fmt: skip
    log = (tmp_path / "server.log").open("w+", encoding="utf-8")
    server = subprocess.Popen(command, env=env, stderr=log, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text(encoding="utf-8")
            try:
                if httpx.get(f"{base}/api/reviews/orphans", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        started = time.monotonic()
        tally = asyncio.run(load(base, tokens, clusters, facts, docs))
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    errors = (tmp_path / "server.log").read_text(encoding="utf-8")

    reads, writes = tally.read_seconds, tally.write_seconds
    report = (
        f"\nload on {db_url.split(':')[0] if '://' in db_url else 'sqlite'}: {READERS} readers + {WRITERS} writers "
        f"for {elapsed:.1f} s — {len(reads)} reads ({len(reads) / elapsed:,.0f}/s), {len(writes)} review writes; "
        f"read p50 {percentile(reads, 50) * 1000:.0f} ms, p99 {percentile(reads, 99) * 1000:.0f} ms; "
        f"write p50 {percentile(writes, 50) * 1000:.0f} ms, p99 {percentile(writes, 99) * 1000:.0f} ms; "
        f"statuses {dict(sorted(tally.statuses.items()))}"
    )
    with capsys.disabled():
        print(report)
    assert not tally.failures, tally.failures[:10]
    assert not [s for s in tally.statuses if s >= 500], (report, errors[-3000:])
    assert set(tally.statuses) <= {200, 201}, report
    assert len(reads) > READERS and len(tally.acknowledged) > 10, report  # every reader was answered
    with open_store(db_url) as store:
        stored = [r.id for r in store.reviews()]
    assert sorted(tally.acknowledged) == stored  # every acknowledged review kept; nothing else written
