"""Partitions: a batch of input files cut into fixed chunks, each extracted into one Parquet file.

    plan(paths) ──► [Partition(index, key, units)] ──► run_partition (on any worker)
                                                           │ iter_articles → process_documents
                                                           ▼
                                    work_dir/part-<key>.parquet  +  part-<key>.done.json
                                                           │
                                    read_partition (one writer, in partition order) ──► store

The plan is deterministic (folders are walked in sorted order, as the serial path walks
them, and the list is cut into chunks), and a partition's key hashes its files' names,
sizes and modification times with the extractor's name, so a rerun finds the partitions an
interrupted run finished and recomputes only the rest. Files are written under a temporary
name and renamed, and the small `.done.json` manifest is written last: a partition either
has both or is not done. A worker runs the same `process_documents` as the serial path.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from aidtracker.errors import InputError
from aidtracker.extract import EXTRACTOR
from aidtracker.ids import make_id
from aidtracker.ingest import iter_articles
from aidtracker.ingest.files import Found, walk
from aidtracker.pipeline import BATCH, peak_rss, process_documents
from aidtracker.records import Article, Extraction
from aidtracker.scale import codec

FORMAT = "aidtracker.partition.v1"
DEFAULT_WORK_DIR = ".aidtracker-work"
# Rows read back per Parquet batch when loading: what the writer holds in memory at once.
READ_BATCH = 64


@dataclass(frozen=True, slots=True)
class Unit:
    """One input of a partition: a file to read, or an error the folder walk already met."""

    path: str
    error: str | None = None  # the reason, when walking found `path` unreadable
    error_class: str = "UnreadableInput"


@dataclass(frozen=True, slots=True)
class Partition:
    """A chunk of the batch's inputs, in input order; `key` names its output files."""

    index: int
    key: str
    units: tuple[Unit, ...]


@dataclass(frozen=True, slots=True)
class PartitionReport:
    """What a worker did with a partition (small: this, not the records, travels back)."""

    index: int
    key: str
    path: str
    documents: int
    errors: int
    words: int
    seconds: float
    peak_rss: int  # bytes, of the process that computed the partition
    reused: bool = False


def plan(paths: Sequence[str], *, partition_size: int, extract: bool, max_bytes: int, language: str) -> list[Partition]:
    """The batch's inputs in the order the serial path reads them, cut into partitions.

    Folders are walked here, on the client, exactly as `iter_articles` walks them; explicit
    paths are left for the worker to read, so that a missing or odd one fails there with the
    very error the serial path gives.
    """
    if partition_size < 1:
        raise ValueError(f"partition size must be at least 1, got {partition_size}")
    units: list[Unit] = []
    for path in paths:
        if os.path.isdir(path):
            for found in walk(path):
                if isinstance(found, Found):
                    units.append(Unit(found.path))
                else:
                    units.append(Unit(found.source, found.reason, type(found).__name__))
        else:
            units.append(Unit(path))
    partitions = []
    for index, start in enumerate(range(0, len(units), partition_size)):
        chunk = tuple(units[start : start + partition_size])
        key = make_id(FORMAT, EXTRACTOR, extract, max_bytes, language, [(u, _stamp(u)) for u in chunk])
        partitions.append(Partition(index, key, chunk))
    return partitions


def _stamp(unit: Unit) -> tuple[int, int] | None:
    """Size and modification time: a file changed since a partition was written voids it."""
    if unit.error is not None:
        return None
    try:
        st = os.stat(unit.path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def parquet_path(work_dir: str | Path, key: str) -> Path:
    return Path(work_dir) / f"part-{key}.parquet"


def done_path(work_dir: str | Path, key: str) -> Path:
    return Path(work_dir) / f"part-{key}.done.json"


def finished(partition: Partition, work_dir: str | Path) -> PartitionReport | None:
    """The report of a partition an earlier run finished, or None if it must be computed."""
    done, data = done_path(work_dir, partition.key), parquet_path(work_dir, partition.key)
    if not (done.exists() and data.exists()):
        return None
    try:
        raw = json.loads(done.read_text(encoding="utf-8"))
        report = PartitionReport(**{**raw["report"], "index": partition.index, "reused": True})
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged manifest: compute the partition again
    return report if report.key == partition.key else None


def _inputs(partition: Partition, *, max_bytes: int, language: str) -> Iterator[Article | InputError]:
    """The partition's documents and errors in order; runs of files share one manifest cache."""
    run: list[str] = []
    for unit in partition.units:
        if unit.error is None:
            run.append(unit.path)
            continue
        if run:
            yield from iter_articles(run, max_bytes=max_bytes, language=language)
            run = []
        yield codec.input_error(unit.error_class, unit.path, unit.error)
    if run:
        yield from iter_articles(run, max_bytes=max_bytes, language=language)


def run_partition(
    partition: Partition, work_dir: str, *, extract: bool = True, max_bytes: int = 50_000_000, language: str = "en"
) -> PartitionReport:
    """Read, parse and extract one partition into its Parquet file; the task a worker runs.

    Holds one partition's records in memory, so memory is bounded by the partition size.
    Extraction goes through `pipeline.process_documents`, the function the serial path calls.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    already = finished(partition, work_dir)
    if already is not None:
        return already
    started = time.perf_counter()
    columns: dict[str, list[object]] = {
        "seq": [],
        "doc_id": [],
        "source": [],
        "words": [],
        "article": [],
        "extraction": [],
        "error": [],
    }
    documents = errors = words = 0
    items = list(_inputs(partition, max_bytes=max_bytes, language=language))
    articles = [item for item in items if not isinstance(item, InputError)]
    # The model runs over `BATCH` documents at a time, as the serial path's does: same records,
    # less per-call overhead than one document at a time.
    extractions = iter(
        [x for start in range(0, len(articles), BATCH) for x in process_documents(articles[start : start + BATCH])]
        if extract
        else []
    )
    for seq, item in enumerate(items):
        columns["seq"].append(seq)
        columns["source"].append(item.source)
        if isinstance(item, InputError):
            errors += 1
            for name in ("doc_id", "article", "extraction"):
                columns[name].append(None)
            columns["words"].append(0)
            columns["error"].append(codec.dump_error(item))
            continue
        documents += 1
        n = len(item.text.split())
        words += n
        columns["doc_id"].append(item.id)
        columns["words"].append(n)
        columns["article"].append(codec.dumps(item))
        columns["extraction"].append(codec.dumps(next(extractions)) if extract else None)
        columns["error"].append(None)
    schema = pa.schema(
        [
            ("seq", pa.int32()),
            ("doc_id", pa.string()),
            ("source", pa.string()),
            ("words", pa.int32()),
            ("article", pa.large_string()),
            ("extraction", pa.large_string()),
            ("error", pa.string()),
        ],
        metadata={"format": FORMAT, "partition": partition.key, "extractor": EXTRACTOR},
    )
    table = pa.table(columns, schema=schema)
    target = parquet_path(work_dir, partition.key)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, target)
    report = PartitionReport(
        index=partition.index,
        key=partition.key,
        path=str(target),
        documents=documents,
        errors=errors,
        words=words,
        seconds=round(time.perf_counter() - started, 3),
        peak_rss=peak_rss(),
    )
    done = done_path(work_dir, partition.key)
    manifest = {"format": FORMAT, "report": asdict(report), "units": [asdict(u) for u in partition.units]}
    tmp_done = done.with_name(f".{done.name}.{os.getpid()}.tmp")
    tmp_done.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp_done, done)
    return report


def read_partition(path: str | Path) -> Iterator[tuple[Article | InputError, Extraction | None]]:
    """The records of one partition file in input order, a few rows at a time."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as f:
        for batch in f.iter_batches(batch_size=READ_BATCH, columns=["article", "extraction", "error"]):
            data = batch.to_pydict()
            for article, extraction, error in zip(data["article"], data["extraction"], data["error"], strict=True):
                if error is not None:
                    yield codec.load_error(error), None
                else:
                    yield (
                        codec.load_article(article),
                        codec.load_extraction(extraction) if extraction is not None else None,
                    )


def remove(partition: Partition, work_dir: str | Path) -> None:
    """Delete a partition's files once the database holds what they held.

    Temporary files a killed worker left half-written go too.
    """
    folder = Path(work_dir)
    for p in (done_path(folder, partition.key), parquet_path(folder, partition.key)):
        p.unlink(missing_ok=True)
    for stale in folder.glob(f".part-{partition.key}.*.tmp"):
        stale.unlink(missing_ok=True)
