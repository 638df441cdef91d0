"""Query latency over a million commitment mentions: a filtered page, a document view, the totals.

The database is filled from the project's own articles: they are ingested and resolved for
real (the seed), then each seed document is copied many times as if several outlets reported
the same story, with its figures scaled, its dates shifted and its publisher drawn from a list,
and each group of copies becomes one cluster per commitment, whose fields are the seed
cluster's (scaled and shifted alike). Rows are built by the store's own row functions
(`store.rows`) and bulk-inserted into its tables, because storing a million mentions one
document at a time and resolving them whole would take hours; what is measured is reading.

Latency is measured through the API (`aidtracker.api.create_app` under uvicorn on 127.0.0.1,
one client, one request at a time: a bounded load), on SQLite and, given a server's URL, on
PostgreSQL (in a schema of its own, dropped afterwards). After the bulk load the store's totals
are stored as a resolution stores them (`Store.restore_totals`), since the rows bypassed it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from aidtracker.ids import document_id, make_id
from aidtracker.pipeline import ingest
from aidtracker.records import Article, Cluster, Commitment, Extraction
from aidtracker.store import open_store, rows
from aidtracker.store.engine import create_engine, resolve_url
from aidtracker.store.tables import cluster_members, clusters, commitments, documents, extractions

REPO = Path(__file__).resolve().parents[1]
SEED = [
    REPO / "aidtracker" / "samples",
    REPO / "tests" / "fixtures" / "articles",
    REPO / "tests" / "fixtures" / "articles2",
]
PUBLISHERS = [f"Outlet {n:02d}" for n in range(60)]
COPIES = [1, 1, 1, 2, 2, 3, 4, 6]  # outlets reporting one story: most once, some many times
FLUSH = 4000  # documents per transaction


@dataclasses.dataclass
class Template:
    article: Article
    commitments: tuple[Commitment, ...]
    fields: list[dict[str, object]]  # the seed cluster's fields for each commitment


def _seed() -> list[Template]:
    """The project's articles ingested and resolved for real: what the copies are made from."""
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "seed.db")) as store:
        ingest([str(s) for s in SEED], store)
        resolution = store.resolution()
        cluster_of = {m: c for c in resolution.clusters if c.kind == "commitment" for m in c.members}
        templates = []
        for article in store.latest_articles():
            extraction = store.extraction(article.id)
            if extraction is None or not extraction.commitments:
                continue
            ids = rows.fact_ids(extraction)["commitments"]
            fields = [dict(cluster_of[i].fields) if i in cluster_of else {} for i in ids]
            templates.append(Template(article, extraction.commitments, fields))
    return templates


def _scaled(value: object, factor: Decimal, shift: dt.timedelta) -> object:
    if isinstance(value, Decimal):
        return (value * factor).quantize(Decimal(1))
    if isinstance(value, dt.date):
        return value + shift
    return value


def _copy(c: Commitment, doc_id: str, factor: Decimal, shift: dt.timedelta) -> Commitment:
    return dataclasses.replace(
        c,
        doc_id=doc_id,
        evidence=dataclasses.replace(c.evidence, doc_id=doc_id),
        alt_evidence=tuple(dataclasses.replace(e, doc_id=doc_id) for e in c.alt_evidence),
        amount=_scaled(c.amount, factor, shift) if c.amount is not None else None,  # type: ignore[arg-type]
        usd=dataclasses.replace(c.usd, usd=(c.usd.usd * factor).quantize(Decimal(1))) if c.usd else None,
        date=c.date + shift if c.date else None,
    )


def _bulk_load(dbapi_connection: Any, _record: Any) -> None:
    """SQLite set for one bulk load: a page cache that holds the indexes being filled, since
    inserting random ids into B-trees larger than the default 2 MB cache goes to disk for every
    row (the fill slowed past 400k mentions without it), and no fsync per transaction, since a
    fill that dies is simply run again."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA cache_size=-2000000")  # KiB: up to 2 GB
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def fill(url: str, mentions: int, *, seed: int = 20241231, progress: bool = False) -> dict[str, Any]:
    """Fill a new database (an SQLite path, or an empty PostgreSQL schema's URL) with `mentions`
    commitment mentions and their clusters, then store their totals as a resolution would."""
    if "://" not in url:
        Path(url).unlink(missing_ok=True)
    open_store(url).close()  # creates the schema through the migrations
    templates = _seed()
    rng = random.Random(seed)
    engine = create_engine(resolve_url(url))
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        sa.event.listen(engine, "connect", _bulk_load)
    now = dt.datetime.now(dt.UTC)
    batch: dict[str, list[dict[str, Any]]] = {"documents": [], "commitments": [], "extractions": [], "clusters": []}
    members: list[dict[str, Any]] = []
    made = docs = ordinal = group = 0
    donors: Counter[str] = Counter()
    doc_ids: list[str] = []

    def flush() -> None:
        with engine.begin() as conn:
            if sqlite:
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # a part may precede its package
            else:  # PostgreSQL checks each row: packages first, then their parts (one level deep)
                batch["commitments"].sort(key=lambda r: r["part_of"] is not None)
            for table, name in ((documents, "documents"), (commitments, "commitments"), (extractions, "extractions")):
                if batch[name]:
                    conn.execute(sa.insert(table), batch[name])
            if batch["clusters"]:
                conn.execute(sa.insert(clusters), batch["clusters"])
                conn.execute(sa.insert(cluster_members), members)
        for v in batch.values():
            v.clear()
        members.clear()

    started = time.perf_counter()
    while made < mentions:
        group += 1
        t = rng.choice(templates)
        factor = Decimal(rng.randint(50, 200)) / 100
        shift = dt.timedelta(days=rng.randint(-700, 300))
        copies: list[list[str]] = []
        publishers: list[str] = []
        dates: list[dt.date] = []
        for i in range(rng.choice(COPIES)):
            text = f"{t.article.text}\n\n(copy {group}.{i})\n"
            doc_id = document_id(text)
            published = t.article.published + shift if t.article.published else None
            publisher = rng.choice(PUBLISHERS)
            article = dataclasses.replace(
                t.article,
                id=doc_id,
                text=text,
                source=f"bench/{group}/{i}.txt",
                publisher=publisher,
                published=published,
            )
            extraction = Extraction(
                doc_id=doc_id, commitments=tuple(_copy(c, doc_id, factor, shift) for c in t.commitments), extractor="x"
            )
            batch["documents"].append(rows.article_row(article, version=1, supersedes=None, now=now))
            fact_rows = rows.fact_rows(extraction, extractor="rules.v1")["commitments"]
            for r in fact_rows:  # the store links parts to packages after insert; ids do the same here
                r["part_of"] = fact_rows[r["part_of"]]["id"] if r["part_of"] is not None else None
            batch["commitments"].extend(fact_rows)
            batch["extractions"].append({"doc_id": doc_id, "extractor": "rules.v1", "notes": [], "extracted_at": now})
            copies.append([r["id"] for r in fact_rows])
            publishers.append(publisher)
            if published:
                dates.append(published)
            doc_ids.append(doc_id)
            docs += 1
            made += len(fact_rows)
        for j, fields in enumerate(t.fields):
            ids = tuple(c[j] for c in copies)
            f = {k: _scaled(v, factor, shift) for k, v in fields.items()}
            cluster = Cluster(
                id=make_id("commitment", *ids, prefix="c_"),
                kind="commitment",
                members=ids,
                representative=ids[0],
                fields=f,
                disagreements={},
                publishers=tuple(sorted(set(publishers))),
                first_reported=min(dates) if dates else None,
                last_reported=max(dates) if dates else None,
            )
            batch["clusters"].append(rows.cluster_row(cluster, ordinal=ordinal, part_of=None))
            members.extend(rows.member_rows(cluster))
            ordinal += 1
            donors[str(f.get("donor"))] += 1
        if len(batch["documents"]) >= FLUSH:
            flush()
            if progress:
                print(f"fill: {made:,} mentions in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    flush()
    engine.dispose()
    with open_store(url) as store:
        store.restore_totals()  # what replace_resolution would have stored with these clusters
    return {
        "mentions": made,
        "documents": docs,
        "clusters": ordinal,
        "fill_seconds": time.perf_counter() - started,
        "top_donor": donors.most_common(1)[0][0],
        "sample_documents": random.Random(seed + 1).sample(doc_ids, 200),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _percentiles(ms: list[float]) -> dict[str, float]:
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {"p50": q[49], "p95": q[94], "p99": q[98], "n": len(ms), "max": max(ms)}


def measure(url: str, info: dict[str, Any], *, budget: float = 60.0, least: int = 5, most: int = 200) -> dict[str, Any]:
    """p50/p95/p99 of three requests through the API, one at a time: each kind `most` times, or for
    `budget` seconds but at least `least` times (a slow query gets few samples: `n` says how many)."""
    import httpx

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-c",
            "import sys, uvicorn; from aidtracker.api import create_app; "
            "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')",
            url, str(port),
        ],
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=600) as client:
            for _ in range(300):
                try:
                    client.get("/api/openapi.json")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            docs = iter(info["sample_documents"] * 5)
            requests: dict[str, Callable[[], str]] = {
                "filtered_page": lambda: f"/api/commitments?donor={info['top_donor']}&scope=new&limit=50",
                "document_view": lambda: f"/api/documents/{next(docs)}",
                "totals": lambda: "/api/totals?by=donor",
            }
            latency: dict[str, Any] = {}
            for name, url in requests.items():
                first = client.get(url())
                first.raise_for_status()  # and a warm-up: the first request opens the database
                times: list[float] = []
                spent = time.perf_counter()
                while len(times) < most and (len(times) < least or time.perf_counter() - spent < budget):
                    t0 = time.perf_counter()
                    r = client.get(url())
                    times.append((time.perf_counter() - t0) * 1000)
                    r.raise_for_status()
                latency[name] = _percentiles(times)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return latency


def run(mentions: int, path: Path, pg_url: str | None = None) -> dict[str, Any]:
    """Fill (SQLite at `path`; PostgreSQL in a fresh schema of `pg_url` too) and measure each."""
    results = {"mentions_asked": mentions, "sqlite": _run_one(mentions, str(path))}
    if pg_url:
        with _pg_schema(pg_url, f"bench_queries_{mentions}") as url:
            results["postgresql"] = _run_one(mentions, url)
    return results


def _run_one(mentions: int, url: str) -> dict[str, Any]:
    info = fill(url, mentions, progress=True)
    latency = measure(url, info)
    engine = create_engine(resolve_url(url))
    try:
        size = (
            Path(url).stat().st_size
            if engine.dialect.name == "sqlite"
            else engine.connect().exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
        )
    finally:
        engine.dispose()
    return {
        "through": "the API (create_app under uvicorn, httpx, 127.0.0.1, one request at a time), "
        + engine.dialect.name,
        "mentions": info["mentions"],
        "documents": info["documents"],
        "clusters": info["clusters"],
        "fill_seconds": info["fill_seconds"],
        "filter": f"donor={info['top_donor']}&scope=new&limit=50",
        "database_bytes": size,
        "latency_ms": latency,
    }


@contextmanager
def _pg_schema(base: str, schema: str) -> Iterator[str]:
    """A URL whose tables go to a new schema of `base`'s database, dropped afterwards."""
    url = resolve_url(base)
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(
        run(
            size,
            Path(tempfile.gettempdir()) / f"aidtracker-queries-{size}.db",
            pg_url=os.environ.get("AIDTRACKER_BENCH_PG_URL"),
        )
    )
