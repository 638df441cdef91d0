"""The ordered stages: ingest -> segment -> extract -> store -> resolve, for a document or a batch.

`process_document` is pure and picklable, so a distributed executor can map it; `ingest`
streams documents from paths into a store one at a time, so memory stays bounded whatever
the corpus size, and reports what happened to each (added, unchanged, new version, failed).
`resolve_store` then recomputes the cross-document layer (clusters, links, conflicts, actors)
from everything stored, since one new document can join or split clusters anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from aidtracker.dedupe import resolve
from aidtracker.errors import InputError
from aidtracker.extract import EXTRACTOR, extract
from aidtracker.ingest import iter_articles
from aidtracker.records import Article, Extraction, Resolution
from aidtracker.store import AddOutcome, Store


def process_document(article: Article) -> Extraction:
    """Every fact of one article; pure, so any executor can run it."""
    return extract(article)


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


def resolve_store(store: Store) -> Resolution:
    """Resolve every stored mention afresh and store the result in place of the last one.

    Resolution reads the whole store rather than the new documents only: a new report can
    corroborate, join or contradict clusters built from older ones. Reviewers' judgements are
    kept by the store across runs.
    """
    resolution = resolve(store.mentions())
    store.replace_resolution(resolution)
    return resolution


def _count_facts(x: Extraction) -> int:
    return len(x.commitments) + len(x.agreements) + len(x.events) + len(x.people)


def ingest(
    paths: Sequence[str],
    store: Store,
    *,
    run_extraction: bool = True,
    stdin: TextIO | None = None,
    max_bytes: int = 50_000_000,
    on_item: Callable[[str, str], None] | None = None,
) -> BatchSummary:
    """Store every readable document under `paths` and extract its facts; report each outcome.

    A document already stored unchanged is not extracted again. `on_item(source, outcome)`
    is called after each document, for progress bars and per-file messages.
    """
    summary = BatchSummary()
    for item in iter_articles(paths, max_bytes=max_bytes, stdin=stdin):
        if isinstance(item, InputError):
            summary.failed.append(item)
            if on_item:
                on_item(item.source, f"skipped: {item.reason}")
            continue
        outcome = store.add_article(item)
        summary.articles.append((item.id, item.source))
        if outcome is AddOutcome.UNCHANGED:
            summary.unchanged += 1
        else:
            if outcome is AddOutcome.NEW_VERSION:
                summary.new_versions += 1
            else:
                summary.added += 1
            if run_extraction:
                extraction = process_document(item)
                store.replace_extraction(extraction, extractor=EXTRACTOR)
                summary.extracted += 1
                summary.facts += _count_facts(extraction)
        if on_item:
            on_item(item.source, outcome.value)
    if summary.added or summary.new_versions:
        resolve_store(store)  # a new version retires its predecessor's facts even unextracted
    return summary


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
