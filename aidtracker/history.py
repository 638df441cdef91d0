"""Time travel: the record as it stood at a moment, what changed between two, and a feed of changes.

    with as_of(store, moment("2025-03-01")) as then:   # a Store holding the record as it stood
        query.totals_of(then)                          # ... so every query, export and page works on it
    diff(store, start, end)                            # clusters added, changed and withdrawn
    changes(store, since=cursor)                       # commitments stated, changed or withdrawn, version by version

Nothing about time is stored per fact. A document version is asserted from its `known_from`
(its fetch time, or its ingest time) until the next version of its source becomes known, and a
fact is asserted while the version stating it is. `as_of` copies into a scratch store exactly
the versions known by then, their facts and the reviews made by then, and resolves that copy
with the ordinary resolution code, so totals as of a date are computed by the same code as
today's, never by a second implementation of it.

Clusters and fact ids are content hashes that include the document version, so a figure that
an edit changed has new ids. `diff` and `changes` therefore pair records across time by
lineage: the source that stated them, what kind of fact, who gave to whom, and which of that
source's statements of that pair it is (the first, the second...).
"""

from __future__ import annotations

import base64
import binascii
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from aidtracker.dedupe.compare import canonical_donor
from aidtracker.errors import InvalidFilter
from aidtracker.ids import make_id
from aidtracker.pipeline import resolve_store
from aidtracker.records import Agreement, Cluster, Commitment, Event, Mention
from aidtracker.store import Store, open_store
from aidtracker.store.rows import fold

# The fields whose change makes a record "changed"; the rest (purpose, channel) follow wording.
COMPARED: dict[str, tuple[str, ...]] = {
    "commitment": (
        "donor",
        "recipient",
        "amount",
        "currency",
        "usd",
        "quantity",
        "item",
        "scope",
        "kind",
        "instrument",
        "status",
        "sectors",
        "date",
    ),
    "agreement": ("parties", "agreement_type", "status", "count", "sectors", "date"),
    "event": ("name", "event_type", "date", "end_date", "location"),
}


def moment(text: str) -> datetime:
    """A moment from the command line or a query: a date means the end of that day (UTC).

    "2025-03-01" is everything known by the end of 1 March; "2025-03-01T12:00" (UTC unless a
    zone is given) is that instant. Raises `InvalidFilter` for anything else.
    """
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max, tzinfo=UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: a zone that moves year 1 before year 1
        raise InvalidFilter(
            f"{text!r} is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM[:SS][+ZONE])"
        ) from None


class Snapshot:
    """A scratch store holding the record as it stood at a moment, resolved; `close` deletes it.

    The folder is removed when the snapshot is closed or, failing that, garbage-collected, so a
    cache that is never closed (a server killed) leaves nothing behind either.
    """

    def __init__(self, store: Store, when: datetime) -> None:
        self.when = when
        folder = tempfile.mkdtemp(prefix="aidtracker-as-of-")
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
        try:
            self.store = open_store(str(Path(folder) / "as-of.db"), clock=lambda: when)
        except BaseException:
            self._cleanup()
            raise
        try:
            store.copy_as_of(self.store, when)
            resolve_store(self.store)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.store.close()
        self._cleanup()


@contextmanager
def as_of(store: Store, when: datetime) -> Iterator[Store]:
    """A scratch store holding the record as it stood at `when`, resolved; deleted on exit.

    It holds the document versions known by then (the latest of each source being the one then
    asserted), their facts, and the reviews made by then. Use it as any store, for reading.
    """
    snapshot = Snapshot(store, when)
    try:
        yield snapshot.store
    finally:
        snapshot.close()


class SnapshotCache:
    """Records as of moments, built once and kept (a few at a time) for a server's repeated queries.

    Two moments between which nothing changed share one record, and a moment after the last
    change is the store itself, so most requests copy nothing. A record is rebuilt when the
    store's data changes. Safe to share between threads.
    """

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[object, ...], Snapshot] = OrderedDict()
        self._lock = threading.Lock()

    def at(self, store: Store, when: datetime) -> Store:
        """The record as it stood at `when` (the store itself if nothing changed since)."""
        effective = store.last_change(when)
        if effective is not None and effective == store.last_change():
            return store
        key = (store.url, effective, store.data_stamp())
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found.store
            built = Snapshot(store, effective or datetime.min.replace(tzinfo=UTC))
            self._kept[key] = built
            while len(self._kept) > self.size:
                _, old = self._kept.popitem(last=False)
                old.close()  # a request still reading it fails with StorageError; a cache this small rarely evicts
            return built.store

    def close(self) -> None:
        with self._lock:
            for kept in self._kept.values():
                kept.close()
            self._kept.clear()


# ----------------------------------------------------------------------------------- lineage


def lineage_keys(mentions: Iterable[Mention]) -> dict[str, tuple[object, ...]]:
    """Mention id → (source, kind, who, n): the same statement of a source in any of its versions.

    `n` counts, within one document, the earlier facts with the same source, kind and parties,
    so an article stating two pledges by one donor keeps them apart across edits.
    """
    keys: dict[str, tuple[object, ...]] = {}
    seen: dict[tuple[object, ...], int] = defaultdict(int)
    for m in sorted(mentions, key=lambda m: (m.fact.doc_id, m.fact.evidence.span.start, m.id)):
        base = (m.source, m.fact.doc_id, *_who(m))
        n = seen[base]
        seen[base] += 1
        keys[m.id] = (m.source, *_who(m), n)
    return keys


def _who(m: Mention) -> tuple[object, ...]:
    fact = m.fact
    if isinstance(fact, Commitment):
        return ("commitment", fold(canonical_donor(fact.donor)), fold(canonical_donor(fact.recipient or "")))
    if isinstance(fact, Agreement):
        return ("agreement", tuple(sorted(fold(canonical_donor(p)) for p in fact.parties)))
    if isinstance(fact, Event):
        return ("event", str(fact.event_type))
    return ("person", fold(getattr(fact, "name", "")))


# -------------------------------------------------------------------------------------- diff


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A record added, changed or withdrawn between two moments, with its fields then and now."""

    change: str  # added, changed or withdrawn
    kind: str  # commitment, agreement or event
    before: Cluster | None
    after: Cluster | None
    fields: dict[str, tuple[object, object]]  # name → (before, after), for a change
    sources: tuple[str, ...]  # the sources that state it (now, or last, if withdrawn)

    @property
    def cluster(self) -> Cluster:
        found = self.after or self.before
        assert found is not None
        return found


@dataclass
class Diff:
    """What the record gained, changed and lost between `start` and `end`, and its totals at each."""

    start: datetime
    end: datetime
    changes: list[RecordChange] = field(default_factory=list)
    usd_before: Decimal = Decimal(0)
    usd_after: Decimal = Decimal(0)

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "usd_before": str(self.usd_before),
            "usd_after": str(self.usd_after),
            "added": self.count("added"),
            "changed": self.count("changed"),
            "withdrawn": self.count("withdrawn"),
            "changes": [
                {
                    "change": c.change,
                    "kind": c.kind,
                    "before": c.before.id if c.before else None,
                    "after": c.after.id if c.after else None,
                    "summary": summary(c.cluster),
                    "fields": {k: [_plain(a), _plain(b)] for k, (a, b) in c.fields.items()},
                    "sources": list(c.sources),
                }
                for c in self.changes
            ],
        }


def diff(store: Store, start: datetime, end: datetime) -> Diff:
    """The records added, changed and withdrawn between two moments, and the new-package total at each."""
    from aidtracker import query  # query reads the store; importing it here keeps this module light

    if end < start:
        raise InvalidFilter(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    result = Diff(start=start, end=end)
    with as_of(store, start) as before, as_of(store, end) as after:
        old, new = before.resolution().clusters, after.resolution().clusters
        old_mentions = before.mentions_by_id([m for c in old for m in c.members])
        new_mentions = after.mentions_by_id([m for c in new for m in c.members])
        result.usd_before = sum((g.usd for g in query.totals_of(before).groups), Decimal(0))
        result.usd_after = sum((g.usd for g in query.totals_of(after).groups), Decimal(0))
    result.changes = compare_records(old, new, old_mentions, new_mentions)
    return result


def compare_records(
    old: Sequence[Cluster],
    new: Sequence[Cluster],
    old_mentions: dict[str, Mention],
    new_mentions: dict[str, Mention],
) -> list[RecordChange]:
    """Pair clusters across two resolutions by shared mentions or lineage, and say what changed."""
    keys = lineage_keys([*old_mentions.values(), *new_mentions.values()])

    def signature(c: Cluster) -> set[object]:
        return {m for m in c.members} | {keys[m] for m in c.members if m in keys}

    by_key: dict[object, list[Cluster]] = defaultdict(list)
    for c in old:
        for k in signature(c):
            by_key[k].append(c)
    taken: set[str] = set()
    changes: list[RecordChange] = []
    for c in sorted(new, key=lambda c: c.id):
        mine = signature(c)
        overlap: dict[str, int] = defaultdict(int)
        candidates: dict[str, Cluster] = {}
        for k in mine:
            for o in by_key.get(k, ()):
                if o.id not in taken and o.kind == c.kind:
                    overlap[o.id] += 1
                    candidates[o.id] = o
        sources = _sources(c, new_mentions)
        if not overlap:
            changes.append(RecordChange("added", c.kind, None, c, {}, sources))
            continue
        best = min(overlap, key=lambda i: (-overlap[i], i))
        taken.add(best)
        before = candidates[best]
        fields = {
            name: (before.fields.get(name), c.fields.get(name))
            for name in COMPARED.get(c.kind, tuple(c.fields))
            if _norm(before.fields.get(name)) != _norm(c.fields.get(name))
        }
        old_sources = _sources(before, old_mentions)
        if old_sources != sources:
            fields["sources"] = (list(old_sources), list(sources))
        if fields:
            changes.append(RecordChange("changed", c.kind, before, c, fields, sources))
    for o in sorted(old, key=lambda c: c.id):
        if o.id not in taken:
            changes.append(RecordChange("withdrawn", o.kind, o, None, {}, _sources(o, old_mentions)))
    order = {"commitment": 0, "agreement": 1, "event": 2}
    changes.sort(key=lambda x: (order.get(x.kind, 9), x.change, x.cluster.id))
    return changes


def _sources(c: Cluster, mentions: dict[str, Mention]) -> tuple[str, ...]:
    return tuple(sorted({mentions[m].source for m in c.members if m in mentions}))


def _norm(value: object) -> object:
    if isinstance(value, list | tuple):
        return tuple(_norm(v) for v in value)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _plain(value: object) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def summary(c: Cluster) -> str:
    """One line naming a record: "Norway → Ukraine: USD 150,000,000 (new)"."""
    f = c.fields
    if c.kind == "commitment":
        amount = f.get("amount")
        figure = f"{f.get('currency') or ''} {amount:,}".strip() if isinstance(amount, Decimal) else None
        if figure is None and f.get("quantity") is not None:
            figure = f"{f.get('quantity')} {f.get('item') or 'items'}"
        return f"{f.get('donor')} → {f.get('recipient') or 'unknown'}: {figure or 'no figure'} ({f.get('scope')})"
    if c.kind == "agreement":
        parties = f.get("parties")
        named = ", ".join(str(p) for p in parties) if isinstance(parties, list | tuple) else ""
        return f"{f.get('agreement_type')}: {named}"
    return f"{f.get('event_type')}: {f.get('name')}"


# ------------------------------------------------------------------------------ change feed


@dataclass(frozen=True, slots=True)
class FactChange:
    """A commitment a new version stated, changed or withdrew, as the change feed lists it."""

    id: str
    at: datetime  # when the version became known
    change: str  # added, changed or withdrawn
    source: str
    doc_id: str
    version: int
    title: str | None
    mention: Mention  # the commitment now (or, if withdrawn, as last stated)
    before: Mention | None  # the commitment as the previous version stated it
    cluster: str | None  # the cluster holding it now, if it is still asserted


@dataclass
class ChangePage:
    """Changes after a cursor, and the cursor to pass for the next ones (the same if none)."""

    items: list[FactChange]
    next: str | None


def encode_cursor(at: datetime, doc_id: str) -> str:
    return base64.urlsafe_b64encode(f"{at.astimezone(UTC).isoformat()}|{doc_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, doc_id = raw.split("|", 1)
        return datetime.fromisoformat(at).astimezone(UTC), doc_id
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise InvalidFilter(f"{cursor!r} is not a cursor this server gave out") from None


def changes(store: Store, *, since: str | None = None, limit: int = 50, newest: bool = False) -> ChangePage:
    """Commitments added, changed or withdrawn by each version that became known after `since`.

    Each new version of a source is compared with the one before it, statement by statement
    (by lineage), so an edit that raises a figure is one "changed" entry with the old figure
    beside the new. `limit` bounds the versions read, not the entries; with `newest`, the last
    `limit` versions are read (for a feed of recent changes).
    """
    after = decode_cursor(since) if since else None
    points = store.change_points(after=after, limit=limit, newest=newest)
    items: list[FactChange] = []
    for at, doc_id in points:
        items.extend(_version_changes(store, at, doc_id))
    if points:
        cursor: str | None = encode_cursor(*points[-1])
    else:
        cursor = since
    return ChangePage(items=items, next=cursor)


def _version_changes(store: Store, at: datetime, doc_id: str) -> list[FactChange]:
    article = store.article(doc_id)
    if article is None:
        return []
    versions = store.versions(article.source)
    mine = next((v for v in versions if v.id == doc_id), None)
    if mine is None:  # the same text stored first from another source
        return []
    previous = next((v for v in versions if v.version == mine.version - 1), None)
    now = [m for m in store.mentions_of(doc_id) if isinstance(m.fact, Commitment)]
    then = [m for m in store.mentions_of(previous.id) if isinstance(m.fact, Commitment)] if previous else []
    keys = lineage_keys([*now, *then])
    then_by_key = {keys[m.id]: m for m in then}
    now_keys = {keys[m.id] for m in now}
    clusters = store.clusters_of([m.id for m in now])
    found: list[FactChange] = []

    def entry(change: str, m: Mention, before: Mention | None) -> FactChange:
        return FactChange(
            id=make_id(doc_id, change, keys[m.id], prefix="chg_"),
            at=at,
            change=change,
            source=article.source,
            doc_id=doc_id,
            version=mine.version,
            title=article.title,
            mention=m,
            before=before,
            cluster=clusters.get(m.id),
        )

    for m in now:
        old = then_by_key.get(keys[m.id])
        if old is None:
            found.append(entry("added", m, None))
        elif _fact_fields(old) != _fact_fields(m):
            found.append(entry("changed", m, old))
    for m in then:
        if keys[m.id] not in now_keys:
            found.append(entry("withdrawn", m, None))
    return found


def _fact_fields(m: Mention) -> tuple[object, ...]:
    c = m.fact
    assert isinstance(c, Commitment)
    usd = c.usd.usd if c.usd else None
    return (c.amount, c.currency, usd, c.quantity, c.item, str(c.scope), str(c.status), str(c.instrument), c.date)


def version_diff(old: str, new: str, *, context: int = 1) -> list[tuple[str, str]]:
    """How a text changed, word by word: (op, words) with op "=", "-" or "+", unchanged runs trimmed.

    For showing "changed after publication" next to a document: the words removed and added,
    each with up to `context` unchanged words either side.
    """
    from difflib import SequenceMatcher

    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            words = a[i1:i2]
            if len(words) > 2 * context + 1:
                head = " ".join(words[:context]) if out else ""
                tail = " ".join(words[-context:]) if i2 < len(a) or j2 < len(b) else ""
                if head:
                    out.append(("=", head))
                out.append(("=", "…"))
                if tail:
                    out.append(("=", tail))
            else:
                out.append(("=", " ".join(words)))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return out
