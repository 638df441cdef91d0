"""The Dask engine: the batch's partitions are extracted on a cluster, then stored here by one writer.

    DaskEngine.items(paths) ──► plan ──► submit run_partition × N (a bounded window ahead)
                                              │ workers: iter_articles → process_documents → Parquet
                                              ▼
        (article, extraction) pairs, partition by partition in order ──► pipeline.ingest's loop

`pipeline.ingest` consumes these pairs exactly as it consumes the serial reader's, so the
database, the summary and the skipped-file messages are the ones the serial path gives; the
engine only moves the extraction onto other processes. Without a scheduler address it starts
a `LocalCluster` of worker processes (one thread each: spaCy parses under the GIL); with one
it joins that cluster, whose workers must see the same files and work folder (paths are used
as given, so that sources match the serial path's).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from aidtracker.errors import InputError
from aidtracker.ingest.manifest import MANIFEST_NAMES
from aidtracker.records import Article, Extraction
from aidtracker.scale.partition import (
    DEFAULT_WORK_DIR,
    Partition,
    PartitionReport,
    finished,
    plan,
    read_partition,
    remove,
    run_partition,
)


@dataclass
class EngineStats:
    """What the cluster did, for the end-of-batch report."""

    workers: int = 0
    partitions: int = 0
    reused: int = 0
    worker_peak_rss: int = 0  # bytes: the largest peak of any worker that computed a partition
    reports: list[PartitionReport] = field(default_factory=list)


class WarmPipeline(WorkerPlugin):
    """A worker plugin that loads the NLP pipeline when a worker starts, once per process.

    `extract.nlp.pipeline` caches per process anyway; loading at start-up keeps the first
    partition's time honest and surfaces a missing model before any work is handed out.
    """

    name = "aidtracker-nlp"

    def __init__(self, language: str) -> None:
        self.language = language

    def setup(self, worker: Any) -> None:
        from aidtracker.extract.nlp import pipeline

        pipeline(self.language)

    def teardown(self, worker: Any) -> None:
        """Nothing to release: the pipeline lives as long as the worker process."""


class DaskEngine:
    """Extract a batch on Dask, partition by partition; see the module docstring."""

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        workers: int = 2,
        partition_size: int = 100,
        work_dir: str | Path = DEFAULT_WORK_DIR,
        processes: bool = True,
        window: int | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.scheduler = scheduler
        self.workers = workers
        self.partition_size = partition_size
        self.work_dir = Path(work_dir)
        self.processes = processes
        self.window = window
        self.stats = EngineStats()
        self._partitions: list[Partition] = []

    def items(
        self, paths: Sequence[str], *, extract: bool = True, max_bytes: int = 50_000_000, language: str = "en"
    ) -> Iterator[tuple[Article | InputError, Extraction | None]]:
        """Every document (with its extraction) and input error of `paths`, in the serial order."""
        self._partitions = plan(
            paths, partition_size=self.partition_size, extract=extract, max_bytes=max_bytes, language=language
        )
        self.stats = EngineStats(partitions=len(self._partitions))
        self.work_dir.mkdir(parents=True, exist_ok=True)
        reports = [finished(p, self.work_dir) for p in self._partitions]
        todo = [p for p, r in zip(self._partitions, reports, strict=True) if r is None]
        self.stats.reused = len(self._partitions) - len(todo)
        with ExitStack() as stack:
            client = self._client(stack, language) if todo else None
            if client is not None:
                self.stats.workers = len(client.scheduler_info(n_workers=-1)["workers"])
            window = self.window or 2 * max(self.stats.workers, 1) + 1
            futures: dict[int, Any] = {}
            queue = iter(todo)
            seen_manifest_errors: set[tuple[str, str]] = set()
            for p, report in zip(self._partitions, reports, strict=True):
                while client is not None and len(futures) < window and (nxt := next(queue, None)) is not None:
                    futures[nxt.index] = client.submit(
                        run_partition,
                        nxt,
                        str(self.work_dir),
                        extract=extract,
                        max_bytes=max_bytes,
                        language=language,
                        key=f"aidtracker-partition-{nxt.index}-{nxt.key}",
                        pure=False,
                    )
                if report is None:
                    report = futures.pop(p.index).result()
                    self.stats.worker_peak_rss = max(self.stats.worker_peak_rss, report.peak_rss)
                self.stats.reports.append(report)
                for item, extraction in read_partition(report.path):
                    # Each partition reads its folders' manifests afresh; the serial path reports
                    # a manifest's problems once per batch, and so do we.
                    if isinstance(item, InputError) and _is_manifest(item.source):
                        if (item.source, item.reason) in seen_manifest_errors:
                            continue
                        seen_manifest_errors.add((item.source, item.reason))
                    yield item, extraction

    @property
    def resumed(self) -> bool:
        """True if partitions an interrupted run finished were picked up (so resolve again)."""
        return self.stats.reused > 0

    def describe(self) -> str:
        s = self.stats
        where = f"{s.workers} workers" if s.workers else "no workers needed"
        line = f"{s.partitions} partitions ({s.reused} reused) on {where}"
        if s.worker_peak_rss:
            line += f", worker peak RSS {s.worker_peak_rss / 1_000_000:,.0f} MB"
        return line

    def completed(self) -> None:
        """The batch is in the database: its partition files are no longer needed."""
        for p in self._partitions:
            remove(p, self.work_dir)
        with suppress(OSError):
            self.work_dir.rmdir()  # only if nothing else is in it

    def _client(self, stack: ExitStack, language: str) -> Any:
        # Dask's constructors are untyped; they are called here and nowhere else.
        import dask
        from dask.distributed import Client, LocalCluster

        if self.scheduler:
            client = stack.enter_context(Client(self.scheduler))  # type: ignore[no-untyped-call]
        else:
            # Workers sample their own stacks every 10 ms for the dashboard's profile, taking the
            # GIL from the one thread that parses; nobody looks at it here, so it is switched off
            # (the nannies hand this configuration to the worker processes they start).
            # The nannies also start workers with MALLOC_TRIM_THRESHOLD_=65536, which has glibc hand
            # freed memory back to the system almost at once; the parser frees and takes back
            # arrays all the time, and extraction ran 12% slower so. Workers keep glibc's default
            # (memory stays bounded by the partition size all the same).
            stack.enter_context(
                dask.config.set(
                    {
                        "distributed.worker.profile.enabled": False,
                        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                    }
                )
            )
            cluster = stack.enter_context(
                LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=self.processes,
                    # The scheduler serves HTTP even without a dashboard, on 8787 unless told; any
                    # free loopback port avoids a clash (and a warning) with another cluster.
                    dashboard_address="127.0.0.1:0",
                    silence_logs=logging.ERROR,
                )
            )
            client = stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
        client.register_plugin(WarmPipeline(language), name=WarmPipeline.name)
        return client


def _is_manifest(source: str) -> bool:
    return os.path.basename(source.rsplit(":", 1)[0] if ":" in source else source) in MANIFEST_NAMES
