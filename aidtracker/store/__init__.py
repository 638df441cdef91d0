"""Storage: the only part of aidtracker that knows SQL. Records go in, records come out.

    store = open_store("aid.db")            # or a URL, or $AIDTRACKER_DB, or ./aidtracker.db
    store.add_article(article)              # -> AddOutcome.ADDED / UNCHANGED / NEW_VERSION
    store.replace_extraction(extraction, extractor="rules.v1")
    store.facts(article.id)                 # -> [Commitment, ..., Person]
    store.replace_resolution(resolution)    # clusters, judgements, links, conflicts, actors
    store.explain("c_1a2b3c")               # -> a cluster, its mentions and why they were joined
    store.search("energy loan")             # -> documents and facts in which every word occurs

SQLite and PostgreSQL are both first-class and run the same test suite. Opening a store
migrates its schema to the version this code expects. Each method is one transaction: a
failure leaves the database as it was, and database errors surface as `StorageError`.
Writing lives in `writer`, reading in `view`; this class only opens transactions for them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from aidtracker.auth import User
from aidtracker.dedupe.totals import Totals
from aidtracker.errors import StorageError
from aidtracker.records import (
    Article,
    CanonicalActor,
    Cluster,
    Conflict,
    Extraction,
    Fact,
    Judgement,
    Mention,
    Resolution,
)
from aidtracker.review import Review, evidence_key, only_reviewed
from aidtracker.store import history, search, trust, view, writer
from aidtracker.store.engine import WRITE, create_engine, describe, resolve_url
from aidtracker.store.history import SnapshotRow, SourceRow, VersionRow
from aidtracker.store.migrate import upgrade_to_head
from aidtracker.store.search import DocumentHit, DocumentKey, SearchResult
from aidtracker.store.view import ArticleRow, Explanation
from aidtracker.store.writer import MACHINE, AddOutcome

__all__ = [
    "MACHINE",
    "AddOutcome",
    "ArticleRow",
    "DocumentHit",
    "DocumentKey",
    "Explanation",
    "SearchResult",
    "SnapshotRow",
    "SourceRow",
    "Store",
    "VersionRow",
    "open_store",
    "resolve_url",
]

BATCH = 200  # documents per query when streaming: bounded memory, few round trips


def open_store(url: str | None = None, *, clock: Callable[[], datetime] | None = None) -> Store:
    """Open (creating and migrating if need be) the store at `url`, `$AIDTRACKER_DB` or default.

    `clock` stamps ingestion and extraction times; tests pass a fixed one.
    """
    resolved = resolve_url(url)
    engine = create_engine(resolved)
    try:
        with _translated(describe(resolved)):
            upgrade_to_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, clock=clock)


class Store:
    """A handle on one database; use `open_store` rather than building one."""

    def __init__(self, engine: sa.Engine, *, clock: Callable[[], datetime] | None = None):
        self._engine = engine
        self._clock = clock or (lambda: datetime.now(UTC))
        self.url = describe(engine.url)
        self._totals: dict[str, tuple[str, Totals]] = {}  # by grouping: stamp, parsed (`stored_totals`)

    # -- writing

    def add_article(self, article: Article, *, at: datetime | None = None) -> AddOutcome:
        """Store a document; storing the same text again changes nothing.

        `at` is when the text was read (a fetched page's time, from its snapshot); by default,
        now. It becomes the version's `known_from`, which time travel (`aidtracker.history`) reads.
        """
        try:
            with self._writing() as conn:
                return writer.add_article(conn, article, now=self._clock(), at=at)
        except StorageError as first:
            # Another process may have stored this text or version between our read and our
            # insert (PostgreSQL runs writers concurrently); a second look sees its row.
            if not isinstance(first.__cause__, sa.exc.IntegrityError):
                raise
            with self._writing() as conn:
                return writer.add_article(conn, article, now=self._clock(), at=at)

    def replace_extraction(self, extraction: Extraction, *, extractor: str) -> None:
        """Make the extraction the document's only stored facts, all at once or not at all."""
        with self._writing() as conn:
            writer.replace_extraction(conn, extraction, extractor=extractor, now=self._clock())

    def replace_resolution(self, resolution: Resolution) -> None:
        """Make `resolution` the stored one, all at once; reviewers' judgements are kept as they are.

        Every cluster, link, conflict and actor row, and every judgement `by` "machine", is
        replaced. A judgement by anyone else is a person's decision and outlives every run.
        """
        with self._writing() as conn:
            writer.replace_resolution(conn, resolution, now=self._clock())

    def restore_totals(self) -> None:
        """Recompute the totals stored beside the resolution from the stored resolution itself.

        `replace_resolution` keeps them current; this is for a store whose clusters were written
        some other way (a bulk load, a restore from before totals were kept).
        """
        with self._writing() as conn:
            writer.restore_totals(conn)

    def add_judgement(self, judgement: Judgement) -> None:
        """Record a reviewer's judgement of two mentions (replacing that reviewer's earlier one).

        `judgement.by` names the reviewer; it may not be "machine", whose judgements each
        resolution run replaces.
        """
        with self._writing() as conn:
            writer.add_judgement(conn, judgement, now=self._clock())

    # -- reading

    def articles(self, limit: int | None = None, offset: int = 0) -> list[ArticleRow]:
        """Stored document versions, by source then version, with their fact counts."""
        with self._reading() as conn:
            return view.articles(conn, limit=limit, offset=offset)

    def article(self, ref: str) -> Article | None:
        """The document with id `ref`, else the latest from source `ref`, else id prefix `ref`.

        A prefix needs at least six characters after "doc_" (which may be left off); one that
        matches several documents raises `StorageError` listing them.
        """
        with self._reading() as conn:
            return view.article(conn, ref)

    def documents(
        self,
        *,
        publisher: str | None = None,
        start: date | None = None,
        end: date | None = None,
        q: str | None = None,
        after: DocumentKey | None = None,
        limit: int = 50,
    ) -> list[DocumentHit]:
        """A page of latest-version documents matching every filter, newest first (undated last).

        `publisher` compares case-blind; dates are inclusive; `q` keeps documents in which every
        word starts a word of the title or text (see `aidtracker.store.search`). Pass the last
        hit's `(published, id)` as `after` for the next page.
        """
        with self._reading() as conn:
            return search.document_page(conn, publisher=publisher, start=start, end=end, q=q, after=after, limit=limit)

    def search(self, q: str, *, limit: int = 20) -> SearchResult:
        """Up to `limit` documents and `limit` facts (latest versions) in which every word of `q` occurs."""
        with self._reading() as conn:
            return search.search(conn, q, limit=limit)

    def latest_articles(self) -> Iterator[Article]:
        """The latest version of every source, by source, fetched a batch at a time.

        No transaction stays open between batches, so the caller may write to the store
        (e.g. store each article's extraction) while iterating.
        """
        after: str | None = None
        while True:
            with self._reading() as conn:
                page = view.latest_page(conn, after=after, size=BATCH)
            yield from page
            if len(page) < BATCH:
                return
            after = page[-1].source

    def facts(self, doc_id: str | None = None) -> list[Fact]:
        """Stored facts of one document (or all): commitments, agreements, events, people."""
        with self._reading() as conn:
            return view.facts(conn, doc_id)

    def extraction(self, doc_id: str) -> Extraction | None:
        """The stored extraction of a document, or None if it has not been extracted."""
        with self._reading() as conn:
            return view.extraction(conn, doc_id)

    def is_extracted(self, doc_id: str) -> bool:
        """True if the document's extraction is stored: an ingest cut short between storing a
        document and its facts is finished by the next one, which sees the gap here."""
        with self._reading() as conn:
            return view.is_extracted(conn, doc_id)

    def mentions(self, kind: str | None = None) -> Iterator[Mention]:
        """Every fact of the latest version of each document, as a mention resolution can use.

        Each carries its fact's stored id and its document's date, publisher, source and title.
        `kind` ("commitment", "agreement", "event" or "person") keeps one kind. The order is by
        document id, then kind in that order, then position in the text; documents are fetched
        a batch at a time, with no transaction held open between batches.
        """
        tables = view.mention_tables(kind)
        after: str | None = None
        while True:
            with self._reading() as conn:
                doc_ids = view.latest_doc_ids(conn, after=after, size=BATCH)
                page = view.mentions_of_documents(conn, doc_ids, tables) if doc_ids else []
            yield from page
            if len(doc_ids) < BATCH:
                return
            after = doc_ids[-1]

    def mentions_of(self, doc_id: str) -> list[Mention]:
        """The facts of one document (any version) as mentions, with their ids, in text order per kind."""
        with self._reading() as conn:
            return view.mentions_of_documents(conn, [doc_id], view.mention_tables(None))

    def clusters_of(self, mention_ids: Collection[str]) -> dict[str, str]:
        """The id of the cluster holding each of these mentions (mentions in none are left out)."""
        if not mention_ids:
            return {}
        with self._reading() as conn:
            return view.clusters_of(conn, mention_ids)

    def mention(self, mention_id: str) -> Mention | None:
        """The stored fact with this id as a mention (whichever version of its document it is in)."""
        return self.mentions_by_id([mention_id]).get(mention_id)

    def mentions_by_id(self, ids: Collection[str]) -> dict[str, Mention]:
        """The stored facts with these ids, as mentions; ids no longer stored are left out."""
        if not ids:
            return {}
        with self._reading() as conn:
            return view.mentions_by_id(conn, ids)

    def resolution(self, *, reviewed_only: bool = False) -> Resolution:
        """The stored resolution as records, reviewers' judgements included (after the machine's).

        With `reviewed_only`, only the clusters holding a fact a reviewer confirmed or corrected
        are kept (and the links and conflicts among them): give that to `dedupe.totals` for
        totals of verified figures alone.
        """
        with self._reading() as conn:
            stored = view.resolution(conn)
            if not reviewed_only:
                return stored
            trail = trust.list_reviews(conn)
            found = view.mentions_by_id(conn, {m for c in stored.clusters for m in c.members})
        return only_reviewed(stored, {i: evidence_key(m.fact) for i, m in found.items()}, trail)

    def cluster(self, ref: str) -> Cluster | None:
        """The cluster with id `ref`, or holding mention `ref`, or starting with `ref`.

        A prefix (of a cluster or a mention id) needs six characters after its type tag; one
        that matches several clusters raises `StorageError` listing them.
        """
        with self._reading() as conn:
            return view.cluster(conn, ref)

    def clusters(
        self,
        kind: str | None = "commitment",
        *,
        donor: str | None = None,
        recipient: str | None = None,
        scope: str | None = None,
        currency: str | None = None,
        status: str | None = None,
        instrument: str | None = None,
        sector: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[Cluster]:
        """Clusters matching every filter given (names compare exactly; dates are inclusive)."""
        with self._reading() as conn:
            return view.cluster_list(
                conn,
                kind=kind,
                donor=donor,
                recipient=recipient,
                scope=scope,
                currency=currency,
                status=status,
                instrument=instrument,
                sector=sector,
                start=start,
                end=end,
            )

    def stored_totals(self, by: str) -> Totals | None:
        """The whole resolution's totals for a grouping as resolution stored them, or None if it has not.

        Parsing them costs a second on a record of a million mentions, and they change only when
        a resolution is stored; so each store keeps the ones it parsed with the stamp written
        beside them, and parses again only when another stamp is read. Callers must not modify them.
        """
        with self._reading() as conn:
            stamp = view.stored_totals_stamp(conn)
            kept = self._totals.get(by)
            if stamp is not None and kept is not None and kept[0] == stamp:
                return kept[1]
            body = view.stored_totals(conn, by)
        if body is None:
            return None
        parsed = Totals.from_dict(body)
        if stamp is not None:
            self._totals[by] = (stamp, parsed)
        return parsed

    def cluster_values(self, column: str, *, kind: str = "commitment") -> list[str]:
        """The distinct stored values of a cluster column ("donor", "recipient") among clusters of `kind`."""
        with self._reading() as conn:
            return view.distinct_values(conn, column, kind=kind)

    def commitment_page(
        self,
        *,
        donors: Collection[str] | None = None,
        recipients: Collection[str] | None = None,
        scope: str | None = None,
        status: str | None = None,
        currency: str | None = None,
        instrument: str | None = None,
        start: date | None = None,
        end: date | None = None,
        after: tuple[date | None, str] | None = None,
        descending: bool = True,
        limit: int = 50,
    ) -> tuple[list[Cluster], int]:
        """A page of commitment clusters by effective date (see `view.commitment_page`) and the match count."""
        with self._reading() as conn:
            return view.commitment_page(
                conn,
                donors=donors,
                recipients=recipients,
                scope=scope,
                status=status,
                currency=currency,
                instrument=instrument,
                start=start,
                end=end,
                after=after,
                descending=descending,
                limit=limit,
            )

    def explain(self, ref: str) -> Explanation | None:
        """The cluster `ref` names (as for `cluster`) with its mentions and the judgements behind it."""
        with self._reading() as conn:
            return view.explanation(conn, ref)

    def actors(self, name: str | None = None, *, type: str | None = None) -> list[CanonicalActor]:
        """Canonical actors, optionally of one type and going by `name` (case and accents ignored)."""
        with self._reading() as conn:
            return view.actor_list(conn, type=type, name=name)

    def conflicts(self) -> list[Conflict]:
        """Where the sources disagree, as the last resolution found."""
        with self._reading() as conn:
            return view.conflict_list(conn)

    def stats(self) -> dict[str, Any]:
        """What the store holds.

        Keys: `documents` (stored versions), `versions` (of those, how many replaced an
        earlier text), `sources`, `extracted` (documents with a stored extraction), `facts`
        (per table), `commitments_per_currency` (commitments with no currency, such as
        counted equipment, are left out), `published` (`first` and `last` dates, or None).
        """
        with self._reading() as conn:
            return view.stats(conn)

    # -- review and access

    def add_review(self, review: Review, judgement: Judgement | None = None) -> Review:
        """Append a review to the audit trail (with a merge's or split's judgement), all or nothing.

        Returns it with the number and time the store gave it. Use `aidtracker.review.record_review`,
        which works out the evidence the review applies to, rather than building one by hand.
        """
        with self._writing() as conn:
            return trust.add_review(conn, review, judgement, now=self._clock())

    def reviews(self) -> list[Review]:
        """The whole audit trail, oldest first."""
        with self._reading() as conn:
            return trust.list_reviews(conn)

    def review_count(self) -> int:
        with self._reading() as conn:
            return trust.review_count(conn)

    def add_user(self, name: str, role: str, token_hash: str) -> User:
        """Store a user with the hash of its token (see `aidtracker.auth.add_user`, which makes one)."""
        with self._writing() as conn:
            return trust.add_user(conn, name, role, token_hash, now=self._clock())

    def users(self) -> list[User]:
        """Every user, revoked ones included, by name."""
        with self._reading() as conn:
            return trust.list_users(conn)

    def revoke_user(self, name: str) -> User:
        """Revoke a user's token at once; its name stays in the audit trail."""
        with self._writing() as conn:
            return trust.revoke_user(conn, name, now=self._clock())

    def user_by_token_hash(self, token_hash: str) -> User | None:
        """The active user whose token has this hash (see `aidtracker.auth.authenticate`)."""
        with self._reading() as conn:
            return trust.user_by_token_hash(conn, token_hash)

    # -- sources, snapshots and versions in time (see aidtracker.sources and aidtracker.history)

    def add_source(self, url: str, kind: str, *, at: datetime | None = None) -> bool:
        """Follow a feed, sitemap or page; False if it is followed already."""
        with self._writing() as conn:
            return history.add_source(conn, url, kind, now=at or self._clock())

    def remove_source(self, url: str) -> bool:
        """Stop following a source; its documents and snapshots stay. False if it was not followed."""
        with self._writing() as conn:
            return history.remove_source(conn, url)

    def sources(self) -> list[SourceRow]:
        """The followed sources, by URL, with how their last poll went."""
        with self._reading() as conn:
            return history.list_sources(conn)

    def record_check(self, url: str, *, at: datetime, outcome: str, error: str | None = None) -> None:
        """Note how a poll of a followed source went (shown by `sources list`)."""
        with self._writing() as conn:
            history.record_check(conn, url, at=at, outcome=outcome, error=error)

    def add_snapshot(self, row: SnapshotRow) -> None:
        """Add a kept response to the snapshot manifest."""
        with self._writing() as conn:
            history.add_snapshot(conn, row)

    def last_snapshot(self, url: str) -> SnapshotRow | None:
        """The latest response kept for `url` (its ETag and Last-Modified make the next GET conditional)."""
        with self._reading() as conn:
            return history.last_snapshot(conn, url)

    def snapshots_of(self, doc_id: str) -> list[SnapshotRow]:
        """Every kept response that was read as this document, oldest first."""
        with self._reading() as conn:
            return history.snapshots_of(conn, doc_id)

    def versions(self, source: str) -> list[VersionRow]:
        """Every version of a source, oldest first, each with when it was known from and until."""
        with self._reading() as conn:
            return history.versions(conn, source)

    def change_points(
        self, *, after: tuple[datetime, str] | None = None, limit: int = 100, newest: bool = False
    ) -> list[tuple[datetime, str]]:
        """(known_from, document id) of the versions that became known after `after`, oldest first.

        With `newest`, the last `limit` of them.
        """
        with self._reading() as conn:
            return history.change_points(conn, after=after, limit=limit, newest=newest)

    def last_change(self, until: datetime | None = None) -> datetime | None:
        """The last moment (up to `until`) at which a version became known or a review was made."""
        with self._reading() as conn:
            return history.last_change(conn, until)

    def data_stamp(self) -> tuple[object, ...]:
        """A value that changes whenever the stored record does, for caches of derived views."""
        with self._reading() as conn:
            return history.data_stamp(conn)

    def known_span(self) -> tuple[datetime | None, datetime | None]:
        """When the first and the last stored version became known."""
        with self._reading() as conn:
            return history.known_span(conn)

    def is_empty(self) -> bool:
        """True if no document, source or snapshot is stored."""
        with self._reading() as conn:
            return history.is_empty(conn)

    def copy_as_of(self, target: Store, when: datetime) -> int:
        """Copy into the empty store `target` what this one held at `when` (see `history.copy_as_of`)."""
        with self._reading() as conn, target._writing() as into:
            return history.copy_as_of(conn, into, when)

    # -- lifetime

    def close(self) -> None:
        """Release the database connections; the store is unusable afterwards."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        with _translated(self.url), self._engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        with _translated(self.url), self._engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # One snapshot for every query of a call, as SQLite gives by default.
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn


@contextmanager
def _translated(where: str) -> Iterator[None]:
    """Turn the database's own errors into `StorageError`, keeping them as the cause."""
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise StorageError(f"{where}: {type(reason).__name__}: {reason}".strip()) from exc
