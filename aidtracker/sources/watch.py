"""Polling the followed sources, and replaying the archive: the two ways pages reach the store.

    poll(store, archive, fetcher)     # every source once: fetch, keep the bytes, read, store, extract
    replay(store, archive)            # the same reading and storing, from the kept bytes alone

For each followed source a poll fetches the feed or sitemap (conditionally), then each page it
lists (conditionally too), keeps every response that has a body in the archive before reading
it, and stores the article with its fetch time as the moment the version became known. A page
whose bytes are those of its last snapshot is kept as a WARC revisit and changes nothing. One
failure (a 404, a timeout, a page too large) is reported against its source with its reason and
the poll goes on; nothing already stored is touched by it. Resolution runs once, at the end.

Reading a snapshot into the store is `Reader.read`, shared by both paths, which is what makes a
replay give the same documents, ids, facts and totals as the polls did.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aidtracker.errors import FetchFailed, InputError, StorageError
from aidtracker.pipeline import resolve_store, store_article
from aidtracker.sources.feeds import FEED_TYPES, PAGE_TYPES, SITEMAP_TYPES, Entry, Listing, read_feed, read_sitemap
from aidtracker.sources.fetch import Fetcher, Response, undo_encoding
from aidtracker.sources.pages import article_of
from aidtracker.sources.snapshots import Archive, ArchiveWriter, ReadProblem, Snapshot, SourceEvent
from aidtracker.store import AddOutcome, SourceRow, Store

Progress = Callable[[str, str], None]  # (url, what happened), for a progress display


@dataclass
class SourceSummary:
    """What one poll of one source did: pages new, updated, unchanged, and failures with reasons."""

    url: str
    kind: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[FetchFailed | InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        parts = [f"{self.new} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)


@dataclass
class PollReport:
    """One poll of every followed source."""

    started: datetime
    sources: list[SourceSummary] = field(default_factory=list)
    resolved: bool = False

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sources if not s.ok)

    def exit_code(self) -> int:
        """0 when every source was read in full, 1 when some failed, 2 when all did."""
        if not self.failed:
            return 0
        return 2 if self.failed == len(self.sources) else 1

    def totals_line(self) -> str:
        failures = sum(len(s.failed) for s in self.sources)
        new, updated, unchanged, facts = (
            sum(getattr(s, name) for s in self.sources) for name in ("new", "updated", "unchanged", "facts")
        )
        return (
            f"{len(self.sources)} sources: {new} new, {updated} updated, {unchanged} unchanged, "
            f"{failures} failed; {facts} facts extracted"
        )


@dataclass(frozen=True, slots=True)
class WatchSettings:
    """What a poll reads: how many pages per listing, how large a page may be, in which language."""

    max_items: int = 50  # pages read per feed or sitemap per poll (the newest first for sitemaps)
    max_sitemaps: int = 10  # nested sitemaps read from one sitemap index
    max_bytes: int = 20_000_000
    language: str = "en"
    extract: bool = True


class Reader:
    """Stores what a snapshot holds: the one path from kept bytes to documents and facts."""

    def __init__(self, store: Store, settings: WatchSettings) -> None:
        self.store = store
        self.settings = settings
        self.changed = False

    def read(self, snapshot: Snapshot) -> tuple[AddOutcome, int]:
        """Store the article in a page snapshot (known from its fetch time) and extract it.

        Returns what storing did and how many facts were extracted; raises `InputError` for a page
        that holds no article, after noting the snapshot in the manifest all the same.
        """
        try:
            article = article_of(snapshot, max_bytes=self.settings.max_bytes, language=self.settings.language)
        except InputError:
            self.store.add_snapshot(snapshot.row(None))
            raise
        outcome, extraction = store_article(
            self.store, article, run_extraction=self.settings.extract, at=snapshot.fetched_at
        )
        self.store.add_snapshot(snapshot.row(article.id))
        if outcome is not AddOutcome.UNCHANGED or extraction is not None:
            self.changed = True
        facts = 0
        if extraction is not None:
            facts = sum(
                len(x) for x in (extraction.commitments, extraction.agreements, extraction.events, extraction.people)
            )
        return outcome, facts

    def revisit(self, snapshot: Snapshot) -> None:
        """Note a fetch whose body was the same as the last one: the manifest, and nothing else."""
        last = self.store.last_snapshot(snapshot.url)
        same = last is not None and last.digest == snapshot.digest
        self.store.add_snapshot(snapshot.row(last.doc_id if same and last is not None else None))

    def listing(self, snapshot: Snapshot) -> None:
        """Note a feed or sitemap response in the manifest (its entries are read by the poll)."""
        self.store.add_snapshot(snapshot.row(None))


# ------------------------------------------------------------------------------------- polling


def poll(
    store: Store,
    archive: Archive,
    fetcher: Fetcher,
    *,
    settings: WatchSettings | None = None,
    clock: Callable[[], datetime] | None = None,
    only: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> PollReport:
    """Poll every followed source (or those in `only`) once; resolve once at the end if anything changed."""
    settings = settings or WatchSettings()
    now = clock or (lambda: datetime.now(UTC))
    report = PollReport(started=now())
    wanted = set(only) if only is not None else None
    reader = Reader(store, settings)
    with archive.writer(report.started) as writer:
        run = _Poll(store, archive, writer, fetcher, reader, settings, progress)
        for source in store.sources():
            if wanted is not None and source.url not in wanted:
                continue
            summary = run.source(source)
            report.sources.append(summary)
            outcome = summary.line() + (f"; {'; '.join(summary.notes)}" if summary.notes else "")
            error = "; ".join(f"{e.source}: {e.reason}" for e in summary.failed[:3]) or None
            store.record_check(source.url, at=now(), outcome=outcome, error=error)
    if reader.changed:
        resolve_store(store)
        report.resolved = True
    return report


class _Poll:
    """One poll's state: the archive file being written, and the pages already read this time."""

    def __init__(
        self,
        store: Store,
        archive: Archive,
        writer: ArchiveWriter,
        fetcher: Fetcher,
        reader: Reader,
        settings: WatchSettings,
        progress: Progress | None,
    ) -> None:
        self.store = store
        self.archive = archive
        self.writer = writer
        self.fetcher = fetcher
        self.reader = reader
        self.settings = settings
        self.progress = progress
        self.seen: set[str] = set()  # a page two feeds list is read once per poll

    def source(self, source: SourceRow) -> SourceSummary:
        summary = SourceSummary(source.url, source.kind)
        if source.kind == "page":
            self.page(source.url, source.url, "page", None, summary)
            return summary
        try:
            listing = self.listing(source.url, source.url, source.kind)
        except (FetchFailed, StorageError) as exc:
            summary.failed.append(exc if isinstance(exc, FetchFailed) else FetchFailed(source.url, str(exc)))
            self._tell(source.url, f"failed: {summary.failed[-1].reason}")
            return summary
        entries = list(listing.entries)
        for nested in listing.sitemaps[: self.settings.max_sitemaps]:
            try:
                entries += self.listing(nested, source.url, "sitemap").entries
            except FetchFailed as exc:
                summary.failed.append(exc)
                self._tell(nested, f"failed: {exc.reason}")
        if listing.note:
            summary.notes.append(listing.note)
        if len(entries) > self.settings.max_items:
            summary.notes.append(f"{len(entries) - self.settings.max_items} more entries left for later polls")
        for entry in entries[: self.settings.max_items]:
            self.page(entry.url, source.url, "article", entry, summary)
        return summary

    def listing(self, url: str, source: str, kind: str) -> Listing:
        """A feed or sitemap, fetched conditionally; on a 304, read again from its last snapshot."""
        last = self.store.last_snapshot(url)
        accept = FEED_TYPES if kind == "feed" else SITEMAP_TYPES
        response = self.fetcher.get(
            url,
            etag=last.etag if last else None,
            last_modified=last.last_modified if last else None,
            accept=accept,
        )
        if response.not_modified and last is not None:
            kept = self.archive.read(last.file, last.offset)
            content = undo_encoding(kept.body, kept.header("content-encoding"), self.settings.max_bytes, url)
            content_type = kept.header("content-type")
            self._tell(url, "not modified")
        else:
            snapshot = self.writer.response(response, source=source, role=kind)
            self.reader.listing(snapshot)
            content, content_type = response.content, response.header("content-type")
            self._tell(url, f"{kind} fetched")
        if kind == "feed":
            return read_feed(content, url=url, content_type=content_type)
        return read_sitemap(content, url=url)

    def page(self, url: str, source: str, role: str, entry: Entry | None, summary: SourceSummary) -> None:
        if url in self.seen:
            return
        self.seen.add(url)
        last = self.store.last_snapshot(url)
        try:
            response = self.fetcher.get(
                url,
                etag=last.etag if last else None,
                last_modified=last.last_modified if last else None,
                accept=PAGE_TYPES,
            )
        except FetchFailed as exc:
            summary.failed.append(exc)
            self._tell(url, f"failed: {exc.reason}")
            return
        if response.not_modified:
            summary.unchanged += 1
            self._tell(url, "not modified")
            return
        if last is not None and last.doc_id is not None and _digest(response) == last.digest:
            self.reader.revisit(self.writer.revisit(response, source=source, role=role, refers_to=last))
            summary.unchanged += 1
            self._tell(url, "unchanged")
            return
        snapshot = self.writer.response(response, source=source, role=role, entry=entry)
        try:
            outcome, facts = self.reader.read(snapshot)
        except InputError as exc:
            summary.failed.append(exc)
            self._tell(url, f"failed: {exc.reason}")
            return
        summary.facts += facts
        if outcome is AddOutcome.ADDED:
            summary.new += 1
        elif outcome is AddOutcome.NEW_VERSION:
            summary.updated += 1
        else:
            summary.unchanged += 1
        self._tell(url, {"added": "new", "new_version": "updated"}.get(outcome.value, "unchanged"))

    def _tell(self, url: str, what: str) -> None:
        if self.progress is not None:
            self.progress(url, what)


def _digest(response: Response) -> str:
    from aidtracker.sources.snapshots import sha256

    return sha256(response.body)


def watch(
    store: Store,
    archive: Archive,
    fetcher: Fetcher,
    *,
    interval: float,
    once: bool = False,
    settings: WatchSettings | None = None,
    clock: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_report: Callable[[PollReport], None] | None = None,
    progress: Progress | None = None,
    polls: int | None = None,
) -> PollReport:
    """Poll every `interval` seconds until interrupted (or once, or `polls` times); return the last report."""
    done = 0
    while True:
        report = poll(store, archive, fetcher, settings=settings, clock=clock, progress=progress)
        if on_report is not None:
            on_report(report)
        done += 1
        if once or (polls is not None and done >= polls):
            return report
        sleep(interval)


# -------------------------------------------------------------------------------------- sources


def add_source(store: Store, archive: Archive, url: str, kind: str, *, at: datetime) -> bool:
    """Follow a source, recording it in the archive too (so that a replay follows it); False if followed."""
    if not store.add_source(url, kind, at=at):
        return False
    with archive.writer(at) as writer:
        writer.event(url, "source-added", kind=kind, at=at)
    return True


def remove_source(store: Store, archive: Archive, url: str, *, at: datetime) -> bool:
    """Stop following a source; what was read from it stays. False if it was not followed."""
    if not store.remove_source(url):
        return False
    with archive.writer(at) as writer:
        writer.event(url, "source-removed", kind=None, at=at)
    return True


# --------------------------------------------------------------------------------------- replay


@dataclass
class ReplayReport:
    """What a replay read: records, documents by outcome, pages it could not read, archive problems."""

    records: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[InputError] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    sources: int = 0

    def line(self) -> str:
        return (
            f"{self.records} records: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.failed)} unreadable pages; {self.sources} sources followed"
        )


def replay(
    store: Store, archive: Archive, *, settings: WatchSettings | None = None, progress: Progress | None = None
) -> ReplayReport:
    """Rebuild an empty store from the archive alone: sources, documents with their fetch times, facts.

    Every page snapshot is read by the same `Reader` a poll used, in fetch order, so the store
    ends with the same documents, versions, facts, ids and totals. Reviews are not in the archive
    (back them up with `aidtracker backup`).
    """
    if not store.is_empty():
        raise StorageError(f"{store.url} already holds documents or sources; replay into an empty database")
    settings = settings or WatchSettings()
    reader = Reader(store, settings)
    report = ReplayReport()
    for record in archive.records():
        report.records += 1
        if isinstance(record, SourceEvent):
            if record.event == "source-added" and record.kind:
                store.add_source(record.url, record.kind, at=record.at)
            else:
                store.remove_source(record.url)
            continue
        if record.revisit_of is not None:
            reader.revisit(record)
            report.unchanged += 1
        elif record.role in ("feed", "sitemap"):
            reader.listing(record)
        else:
            try:
                outcome, _ = reader.read(record)
            except InputError as exc:
                report.failed.append(exc)
                continue
            if outcome is AddOutcome.ADDED:
                report.new += 1
            elif outcome is AddOutcome.NEW_VERSION:
                report.updated += 1
            else:
                report.unchanged += 1
        if progress is not None:
            progress(record.url, "replayed")
    report.problems = list(archive.problems)
    report.sources = len(store.sources())
    if reader.changed:
        resolve_store(store)
    return report
