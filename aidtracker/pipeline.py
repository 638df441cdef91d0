"""The ordered stages: ingest -> segment -> extract -> store -> resolve, for a document or a batch.

`process_document` is pure and picklable, so a distributed executor can map it; `ingest`
streams documents from paths into a store one at a time, so memory stays bounded whatever
the corpus size, and reports what happened to each (added, unchanged, new version, failed).
`resolve_store` then recomputes the cross-document layer (clusters, links, conflicts, actors)
from everything stored, since one new document can join or split clusters anywhere.

Where extraction runs is an `Engine`: by default here, a few dozen documents at a time (the
NLP model is much faster over a large batch of sentences); with `scale.engine.DaskEngine`, on
a cluster ahead of the writer. Either way the same loop below
stores the documents and their extractions, so both give the same database.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TextIO

from aidtracker.dedupe import resolve
from aidtracker.errors import InputError
from aidtracker.extract import EXTRACTOR, extract, extract_many
from aidtracker.ingest import iter_articles
from aidtracker.records import Article, Extraction, Resolution
from aidtracker.review import apply_reviews
from aidtracker.store import AddOutcome, Store


def process_document(article: Article) -> Extraction:
    """Every fact of one article; pure, so any executor can run it."""
    return extract(article)


def process_documents(articles: Sequence[Article]) -> list[Extraction]:
    """`process_document` for each of `articles`, in order, the model run once over the batch."""
    return extract_many(articles)


BATCH = 32  # documents extracted together by `ingest`: big enough for the model, small in memory


@dataclass
class BatchSummary:
    """What a batch did, for the one-line report and the exit code."""

    added: int = 0
    unchanged: int = 0
    new_versions: int = 0
    extracted: int = 0
    facts: int = 0
    failed: list[InputError] = field(default_factory=list)
    articles: list[tuple[str, str]] = field(default_factory=list)  # (doc id, source) in input order
    words: int = 0  # in the documents read (stored or not)
    seconds: float = 0.0
    peak_rss: int = 0  # bytes, this process, at the end of the batch
    peak_rss_extract: int = 0  # bytes, before resolution (which reads every stored mention)
    engine_note: str = ""  # what a distributed engine did (partitions, workers, their memory)

    @property
    def seen(self) -> int:
        return self.added + self.unchanged + self.new_versions + len(self.failed)

    def line(self) -> str:
        parts = [f"{self.added} added", f"{self.unchanged} unchanged"]
        if self.new_versions:
            parts.append(f"{self.new_versions} new versions")
        if self.failed:
            parts.append(f"{len(self.failed)} skipped")
        if self.extracted:
            parts.append(f"{self.facts} facts from {self.extracted} documents")
        return ", ".join(parts)

    def throughput_line(self) -> str:
        """Speed and memory of the batch: documents and words per second, peak resident memory."""
        docs = len(self.articles)
        rate = docs / self.seconds if self.seconds else 0.0
        words = self.words / self.seconds if self.seconds else 0.0
        line = (
            f"{docs} documents, {self.words:,} words in {self.seconds:.1f} s: {rate:,.1f} docs/s, "
            f"{words:,.0f} words/s; peak RSS {_mb(self.peak_rss_extract)} before resolution, "
            f"{_mb(self.peak_rss)} after"
        )
        return f"{line}; {self.engine_note}" if self.engine_note else line


class Engine(Protocol):
    """Where extraction runs: documents and their extractions (or input errors) in input order.

    The extraction may be None (not computed ahead); `ingest` then runs `process_document`
    itself, and only for a document it actually stores.
    """

    def items(
        self, paths: Sequence[str], *, extract: bool, max_bytes: int, language: str
    ) -> Iterator[tuple[Article | InputError, Extraction | None]]: ...

    def completed(self) -> None:
        """Called once the batch is stored and resolved: what was kept for a resume can go."""

    def describe(self) -> str:
        """One line on how the work was distributed, for the end-of-batch report."""
        ...

    @property
    def resumed(self) -> bool:
        """True if this batch picked up work an interrupted run had finished."""
        ...


def peak_rss() -> int:
    """This process's peak resident set size so far, in bytes (Linux counts kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.0f} MB"


def resolve_store(store: Store) -> Resolution:
    """Resolve every stored mention afresh and store the result in place of the last one.

    Resolution reads the whole store rather than the new documents only: a new report can
    corroborate, join or contradict clusters built from older ones. Analysts' reviews, keyed to
    evidence rather than ids, are applied over the machine's result every time.
    """
    mentions = list(store.mentions())  # `resolve` would make this list anyway
    resolution = apply_reviews(resolve(mentions), mentions, store.reviews())
    store.replace_resolution(resolution)
    return resolution


def _count_facts(x: Extraction) -> int:
    return len(x.commitments) + len(x.agreements) + len(x.events) + len(x.people)


def store_article(
    store: Store,
    article: Article,
    *,
    run_extraction: bool = True,
    ready: Extraction | None = None,
    at: datetime | None = None,
) -> tuple[AddOutcome, Extraction | None]:
    """Store one article and, if it is new or was never extracted, its facts; resolution is the caller's.

    `at` is when the text was read (see `Store.add_article`). Returns what storing did and the
    extraction stored, if any. `ready` is an extraction computed elsewhere (a Dask worker).
    """
    outcome = store.add_article(article, at=at)
    if not run_extraction or (outcome is AddOutcome.UNCHANGED and store.is_extracted(article.id)):
        return outcome, None
    extraction = ready if ready is not None else process_document(article)
    store.replace_extraction(extraction, extractor=EXTRACTOR)
    return outcome, extraction


def ingest(
    paths: Sequence[str],
    store: Store,
    *,
    run_extraction: bool = True,
    stdin: TextIO | None = None,
    max_bytes: int = 50_000_000,
    on_item: Callable[[str, str], None] | None = None,
    engine: Engine | None = None,
    language: str = "en",
) -> BatchSummary:
    """Store every readable document under `paths` and extract its facts; report each outcome.

    A document already stored unchanged is not extracted again, unless no extraction of it is
    stored (a run cut short between the two). `on_item(source, outcome)` is called after each
    document, for progress bars and per-file messages. `engine` moves extraction elsewhere
    (see `Engine`); the storing, the outcomes and the resolution stay here, one writer.
    """
    started = time.perf_counter()
    summary = BatchSummary()
    items: Iterable[tuple[Article | InputError, Extraction | None]]
    if engine is None:
        items = ((item, None) for item in iter_articles(paths, max_bytes=max_bytes, stdin=stdin, language=language))
    else:
        items = engine.items(paths, extract=run_extraction, max_bytes=max_bytes, language=language)
    chunk: list[tuple[Article | InputError, Extraction | None]] = []
    for pair in items:
        chunk.append(pair)
        if len(chunk) >= BATCH:
            _store_chunk(chunk, store, summary, run_extraction, on_item)
            chunk = []
    _store_chunk(chunk, store, summary, run_extraction, on_item)
    summary.peak_rss_extract = peak_rss()
    if summary.added or summary.new_versions or summary.extracted or (engine is not None and engine.resumed):
        resolve_store(store)  # a new version retires its predecessor's facts even unextracted
    if engine is not None:
        engine.completed()
        summary.engine_note = engine.describe()
    summary.seconds = time.perf_counter() - started
    summary.peak_rss = peak_rss()
    return summary


def _store_chunk(
    chunk: list[tuple[Article | InputError, Extraction | None]],
    store: Store,
    summary: BatchSummary,
    run_extraction: bool,
    on_item: Callable[[str, str], None] | None,
) -> None:
    """Store a few documents, extract together those that need it, then store their facts in order."""
    outcomes: list[tuple[Article, AddOutcome, bool, Extraction | None] | InputError] = []
    due_here: set[str] = set()  # the same text twice in a chunk is extracted once, as one at a time would
    for item, ready in chunk:
        if isinstance(item, InputError):
            outcomes.append(item)
            continue
        outcome = store.add_article(item)
        summary.articles.append((item.id, item.source))
        summary.words += len(item.text.split())
        if outcome is AddOutcome.UNCHANGED:
            summary.unchanged += 1
        elif outcome is AddOutcome.NEW_VERSION:
            summary.new_versions += 1
        else:
            summary.added += 1
        due = run_extraction and (
            outcome is not AddOutcome.UNCHANGED or (item.id not in due_here and not store.is_extracted(item.id))
        )
        if due:
            due_here.add(item.id)
        outcomes.append((item, outcome, due, ready))
    todo = [o[0] for o in outcomes if not isinstance(o, InputError) and o[2] and o[3] is None]
    extracted = dict(zip((a.id for a in todo), process_documents(todo), strict=True))
    for o in outcomes:
        if isinstance(o, InputError):
            summary.failed.append(o)
            if on_item:
                on_item(o.source, f"skipped: {o.reason}")
            continue
        article, outcome, due, ready = o
        if due:
            extraction = ready if ready is not None else extracted[article.id]
            store.replace_extraction(extraction, extractor=EXTRACTOR)
            summary.extracted += 1
            summary.facts += _count_facts(extraction)
        if on_item:
            on_item(article.source, outcome.value)


def extract_stored(
    store: Store, articles: Iterable[Article] | None = None, on_item: Callable[[str, str], None] | None = None
) -> BatchSummary:
    """Re-extract stored articles (all latest versions by default), replacing their facts."""
    summary = BatchSummary()
    for article in articles if articles is not None else store.latest_articles():
        extraction = process_document(article)
        store.replace_extraction(extraction, extractor=EXTRACTOR)
        summary.extracted += 1
        summary.facts += _count_facts(extraction)
        if on_item:
            on_item(article.source, "extracted")
    resolve_store(store)
    return summary
