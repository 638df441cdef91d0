"""What each dashboard page and the report show, computed from a store; no HTML, no web framework.

Input: a `Store` (and a page's parameters). Output: plain records the templates lay out. Every
page reads one `Snapshot` — the stored resolution and its mentions — so the numbers on a page
agree with each other, and every sum comes from `dedupe.totals`, the one function that knows
new packages from running totals: pages never add figures themselves.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from aidtracker.dedupe import Totals, totals
from aidtracker.dedupe.compare import canonical_donor
from aidtracker.errors import InvalidFilter, NotFound
from aidtracker.history import version_diff
from aidtracker.query import CommitmentFilter
from aidtracker.records import (
    Article,
    CanonicalActor,
    Cluster,
    Commitment,
    Conflict,
    Fact,
    Mention,
    Resolution,
)
from aidtracker.review import REVIEWED, ReviewState, state_map
from aidtracker.store import Explanation, Store, VersionRow
from aidtracker.store.rows import fact_ids, fold
from aidtracker.types import Instrument, Scope, Sector, Status
from aidtracker.web.highlight import Highlight, highlight

# ------------------------------------------------------------------------------- the snapshot


@dataclass
class Snapshot:
    """The stored resolution with the lookups every page needs, read once per page."""

    resolution: Resolution
    mentions: dict[str, Mention]
    documents: int
    cluster_of: dict[str, str] = field(default_factory=dict)  # mention id -> cluster id
    clusters: dict[str, Cluster] = field(default_factory=dict)
    counted: set[str] = field(default_factory=set)  # commitment clusters summed in the totals
    part_of: dict[str, str] = field(default_factory=dict)  # tranche cluster -> package cluster
    actor_of: dict[str, str] = field(default_factory=dict)  # folded name or alias -> actor id
    states: dict[str, ReviewState] = field(default_factory=dict)  # fact or cluster id -> state; absent: unreviewed

    def __post_init__(self) -> None:
        for c in self.resolution.clusters:
            self.clusters[c.id] = c
            for m in c.members:
                self.cluster_of.setdefault(m, c.id)
        by_donor = totals(self.resolution, self.mentions, by="donor")
        self.counted = {p for g in by_donor.groups for p in g.packages}
        self.part_of = {k.source: k.target for k in self.resolution.links if k.kind == "part_of"}
        for a in self.resolution.actors:
            for name in (a.name, *a.aliases):
                self.actor_of.setdefault(fold(name), a.id)

    def actor_id(self, name: object) -> str | None:
        """The canonical actor going by `name`, for linking a name to its page."""
        if not isinstance(name, str) or not name:
            return None
        return self.actor_of.get(fold(name)) or self.actor_of.get(fold(canonical_donor(name)))

    def commitments(self) -> list[Cluster]:
        return [c for c in self.resolution.clusters if c.kind == "commitment"]

    def state(self, ref: str) -> str:
        """The review state of a fact or cluster, as shown beside it."""
        return str(self.states.get(ref, ReviewState.UNREVIEWED))


def snapshot(store: Store) -> Snapshot:
    """Read the resolution, every current mention and the review trail once, for one page."""
    resolution = store.resolution()
    mentions = {m.id: m for m in store.mentions()}
    states = state_map(store.reviews(), mentions, resolution.clusters)
    return Snapshot(resolution, mentions, store.stats()["documents"], states=states)


def when(c: Cluster) -> date | None:
    """The date a commitment is placed at: its own date, else when it was first reported (as totals do)."""
    value = c.fields.get("date")
    return value if isinstance(value, date) else c.first_reported


def sectors_of(c: Cluster) -> list[str]:
    value = c.fields.get("sectors")
    return [str(s) for s in value] if isinstance(value, list | tuple) else []


# -------------------------------------------------------------------------------- the overview


@dataclass(frozen=True)
class Overview:
    """Headline numbers: new packages summed once, running totals beside them and never added in."""

    new_usd: Decimal
    packages: int
    unpriced: int
    by_currency: dict[str, Decimal]
    claims: list[Any]  # dedupe.totals.Claim
    conflicts: list[Conflict]
    excluded_parts: list[str]
    donors: Totals
    sectors: Totals
    instruments: Totals
    months: Totals
    documents: int
    publishers: int
    commitment_clusters: int

    @property
    def undated(self) -> Any:
        """The month group of packages with no date (left off the timeline), or None."""
        return next((g for g in self.months.groups if g.key == "undated"), None)


def overview(snap: Snapshot) -> Overview:
    """The overview's numbers, each from `dedupe.totals` so that nothing is counted twice."""

    def by(grouping: str) -> Totals:
        return totals(snap.resolution, snap.mentions, by=grouping)

    donors = by("donor")
    by_currency: dict[str, Decimal] = {}
    for g in donors.groups:
        for cur, amount in g.by_currency.items():
            by_currency[cur] = by_currency.get(cur, Decimal(0)) + amount
    months = by("month")
    months.groups.sort(key=lambda g: g.key)
    publishers = {p for c in snap.resolution.clusters for p in c.publishers}
    return Overview(
        new_usd=sum((g.usd for g in donors.groups), Decimal(0)),
        packages=sum(len(g.packages) for g in donors.groups),
        unpriced=sum(g.unpriced for g in donors.groups),
        by_currency=dict(sorted(by_currency.items())),
        claims=donors.cumulative,
        conflicts=list(snap.resolution.conflicts),
        excluded_parts=donors.excluded_parts,
        donors=donors,
        sectors=by("sector"),
        instruments=by("instrument"),
        months=months,
        documents=snap.documents,
        publishers=len(publishers),
        commitment_clusters=len(snap.commitments()),
    )


# ---------------------------------------------------------------------- the commitments table

_CHOICES: dict[str, tuple[str, ...]] = {
    "sector": tuple(s.value for s in Sector),
    "status": tuple(s.value for s in Status),
    "scope": tuple(s.value for s in Scope),
    "instrument": tuple(s.value for s in Instrument),
}


@dataclass(frozen=True)
class Filters:
    """The commitments table's filters, as the GET form sends them; empty means "any"."""

    donor: str | None = None
    recipient: str | None = None
    sector: str | None = None
    status: str | None = None
    scope: str | None = None
    currency: str | None = None
    instrument: str | None = None
    start: date | None = None
    end: date | None = None
    counted: bool = False  # only the packages the totals add up
    undated: bool = False  # only commitments with no date at all (the timeline leaves them out)
    reviewed: bool = False  # only commitments holding a fact a reviewer confirmed or corrected

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> Filters:
        """Filters from query parameters (`from`/`to` for the dates); a bad value raises `InvalidFilter`."""
        text = {k: (params.get(k) or "").strip() or None for k in ("donor", "recipient", "currency")}
        chosen: dict[str, str | None] = {}
        for name, allowed in _CHOICES.items():
            value = (params.get(name) or "").strip() or None
            if value is not None and value not in allowed:
                raise InvalidFilter(f"{name} {value!r} is not one of: {', '.join(allowed)}")
            chosen[name] = value
        dates = {}
        for key, name in (("from", "start"), ("to", "end")):
            raw = (params.get(key) or "").strip()
            try:
                dates[name] = date.fromisoformat(raw) if raw else None
            except ValueError:
                raise InvalidFilter(f"{key} {raw!r} is not a date; write it as YYYY-MM-DD") from None
        counted, undated, reviewed = (
            (params.get(key) or "").strip().lower() in ("1", "on", "true", "yes")
            for key in ("counted", "undated", "reviewed")
        )
        return cls(
            donor=text["donor"],
            recipient=text["recipient"],
            currency=text["currency"],
            sector=chosen["sector"],
            status=chosen["status"],
            scope=chosen["scope"],
            instrument=chosen["instrument"],
            start=dates["start"],
            end=dates["end"],
            counted=counted,
            undated=undated,
            reviewed=reviewed,
        )

    def matches(self, c: Cluster, snap: Snapshot) -> bool:
        """Whether a cluster passes: the shared filter of `aidtracker.query`, then the page's own two."""
        if not self.shared().matches(c):
            return False
        if self.undated and when(c) is not None:
            return False
        if self.reviewed and snap.states.get(c.id) not in REVIEWED:
            return False
        return not (self.counted and c.id not in snap.counted)

    def shared(self) -> CommitmentFilter:
        """These filters as `query.CommitmentFilter`, so the dashboard selects as the API does."""
        return CommitmentFilter(
            donor=self.donor,
            recipient=self.recipient,
            sector=self.sector,
            status=self.status,
            scope=self.scope,
            currency=self.currency,
            instrument=self.instrument,
            start=self.start,
            end=self.end,
        )

    def params(self, **changes: object) -> dict[str, str]:
        """These filters (with `changes`) as query parameters, leaving out the empty ones."""
        merged = replace(self, **changes)  # type: ignore[arg-type]
        out: dict[str, str] = {}
        for f in fields(merged):
            value = getattr(merged, f.name)
            key = {"start": "from", "end": "to"}.get(f.name, f.name)
            if value is True:
                out[key] = "1"
            elif value not in (None, False, ""):
                out[key] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    def query(self, **changes: object) -> str:
        return urlencode(self.params(**changes))

    @property
    def active(self) -> bool:
        return bool(self.params())


def month_filters(month: str) -> Filters:
    """The filters that select one month of the timeline ("2024-02"), counted packages only."""
    if month == "undated":
        return Filters(counted=True, undated=True)
    year, mon = (int(x) for x in month.split("-"))
    last = calendar.monthrange(year, mon)[1]
    return Filters(start=date(year, mon, 1), end=date(year, mon, last), counted=True)


def group_filters(by: str, key: str) -> Filters:
    """The filters that list exactly the packages a totals group adds up (as near as filters go)."""
    if by == "month":
        return month_filters(key)
    if key in ("unknown", "undated") or (by == "sector" and key == "unspecified"):
        return Filters(counted=True)  # no filter selects "none given"; the counted list holds them
    chosen: dict[str, Any] = {by: key}
    return replace(Filters(counted=True), **chosen)


@dataclass(frozen=True)
class Row:
    """One commitment cluster in the table, with what the totals make of it."""

    cluster: Cluster
    when: date | None
    counted: bool
    part_of: str | None
    donor_actor: str | None
    recipient_actor: str | None
    review: str = "unreviewed"

    @property
    def f(self) -> dict[str, object]:
        return self.cluster.fields


@dataclass(frozen=True)
class CommitmentsPage:
    filters: Filters
    rows: list[Row]
    choices: dict[str, list[str]]
    total: int


def commitments(snap: Snapshot, filters: Filters) -> CommitmentsPage:
    """Commitment clusters that pass `filters`, newest first, with the values each filter offers."""
    every = snap.commitments()
    chosen = [c for c in every if filters.matches(c, snap)]
    chosen.sort(key=lambda c: (when(c) or date.min, c.id), reverse=True)
    rows = [
        Row(
            cluster=c,
            when=when(c),
            counted=c.id in snap.counted,
            part_of=snap.part_of.get(c.id),
            donor_actor=snap.actor_id(c.fields.get("donor")),
            recipient_actor=snap.actor_id(c.fields.get("recipient")),
            review=snap.state(c.id),
        )
        for c in chosen
    ]

    def distinct(name: str) -> list[str]:
        return sorted({str(v) for c in every if (v := c.fields.get(name))})

    choices = {
        "donor": distinct("donor"),
        "recipient": distinct("recipient"),
        "currency": distinct("currency"),
        **{k: list(v) for k, v in _CHOICES.items()},
    }
    return CommitmentsPage(filters, rows, choices, len(every))


# ----------------------------------------------------------------------------- a cluster page


@dataclass(frozen=True)
class ClusterPage:
    """A commitment and every report of it, with the reasons its reports were joined."""

    explanation: Explanation
    counted: bool
    part_of: str | None
    parts: list[str]
    donor_actor: str | None
    recipient_actor: str | None
    review: str = "unreviewed"
    states: dict[str, str] = field(default_factory=dict)  # each mention's review state

    @property
    def cluster(self) -> Cluster:
        return self.explanation.cluster


def cluster_page(store: Store, snap: Snapshot, cluster_id: str) -> ClusterPage:
    """The commitment cluster `cluster_id` (exactly that id); `NotFound` if there is none."""
    found = store.explain(cluster_id) if cluster_id in snap.clusters else None
    if found is None or found.cluster.kind != "commitment":
        raise NotFound(f"no commitment {cluster_id!r}; the commitments page lists them all")
    c = found.cluster
    return ClusterPage(
        explanation=found,
        counted=c.id in snap.counted,
        part_of=snap.part_of.get(c.id),
        parts=sorted(k for k, v in snap.part_of.items() if v == c.id),
        donor_actor=snap.actor_id(c.fields.get("donor")),
        recipient_actor=snap.actor_id(c.fields.get("recipient")),
        review=snap.state(c.id),
        states={m: snap.state(m) for m in c.members},
    )


# ---------------------------------------------------------------------------- a document page


@dataclass(frozen=True)
class FactView:
    """A fact of the document with its id (its text anchor) and the cluster it belongs to."""

    id: str
    fact: Fact
    kind: str
    cluster: str | None
    review: str = "unreviewed"


@dataclass(frozen=True)
class DocumentPage:
    article: Article
    body: Any  # markupsafe.Markup: the escaped text with its marks
    facts: list[FactView]
    safe_url: str | None
    versions: list[VersionRow] = field(default_factory=list)  # of its source, oldest first, when several
    changes: list[tuple[str, str]] = field(default_factory=list)  # words removed and added since the last version


_FACT_TABLES = (("commitments", "commitment"), ("agreements", "agreement"), ("events", "event"), ("people", "person"))
_LAYER = {"person": 0, "event": 1, "agreement": 2, "commitment": 3}  # commitments show on top


def document_page(store: Store, snap: Snapshot, doc_id: str) -> DocumentPage:
    """A stored document (by id) with furniture greyed and each fact's evidence marked at its span."""
    article = store.article(doc_id) if doc_id.startswith("doc_") else None
    if article is None or article.id != doc_id:
        raise NotFound(f"no document {doc_id!r}; open one from a commitment or an actor page")
    extraction = store.extraction(article.id)
    views: list[FactView] = []
    if extraction is not None:
        ids = fact_ids(extraction)
        listed: dict[str, tuple[Fact, ...]] = {
            "commitments": extraction.commitments,
            "agreements": extraction.agreements,
            "events": extraction.events,
            "people": extraction.people,
        }
        for table, kind in _FACT_TABLES:
            for fact_id, fact in zip(ids[table], listed[table], strict=True):
                views.append(FactView(fact_id, fact, kind, snap.cluster_of.get(fact_id), snap.state(fact_id)))
    spans = [
        Highlight(f.span.start, f.span.end, tag="span", classes=("furniture",), title=f"page furniture: {f.reason}")
        for f in article.furniture
    ]
    for v in views:
        label = f"{v.kind} {v.id}"
        layer = _LAYER[v.kind]
        spans.append(
            Highlight(*_span(v.fact.evidence), classes=("ev", f"ev-{v.kind}"), id=v.id, title=label, layer=layer)
        )
        if isinstance(v.fact, Commitment):
            for i, alt in enumerate(v.fact.alt_evidence, start=2):
                alt_id = f"{v.id}-{i}"
                alt_classes = ("ev", "ev-commitment")
                spans.append(Highlight(*_span(alt), classes=alt_classes, id=alt_id, title=label, layer=layer))
            if v.fact.figure is not None:
                figure = v.fact.figure
                spans.append(Highlight(figure.start, figure.end, tag="strong", classes=("figure",), layer=9))
    versions = store.versions(article.source)
    changes: list[tuple[str, str]] = []
    mine = next((i for i, v in enumerate(versions) if v.id == article.id), None)
    if mine:  # an earlier version exists: this text changed after it was first read
        before = store.article(versions[mine - 1].id)
        changes = version_diff(before.text, article.text) if before is not None else []
    return DocumentPage(
        article,
        highlight(article.text, spans),
        views,
        safe_link(article.url),
        versions=versions if len(versions) > 1 else [],
        changes=changes,
    )


def _span(e: Any) -> tuple[int, int]:
    return e.span.start, e.span.end


def safe_link(url: str | None) -> str | None:
    """`url` if it is a web address; anything else (javascript:, data:) is shown as text, never linked."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


# -------------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Month:
    """One month of the calendar: its day grid (weeks of day numbers, 0 for padding) and its events."""

    key: str
    label: str
    weeks: list[list[int]]
    busy: set[int]
    events: list[EventView]


@dataclass(frozen=True)
class EventView:
    cluster: Cluster
    start: date | None
    end: date | None
    evidence: Mention | None
    participants: list[tuple[str, str | None]]


def events(snap: Snapshot) -> list[Month]:
    """Event clusters by month of their date (else of their first report); undated ones last."""
    by_month: dict[str, list[EventView]] = defaultdict(list)
    for c in snap.resolution.clusters:
        if c.kind != "event":
            continue
        start = c.fields.get("date")
        end = c.fields.get("end_date")
        day = start if isinstance(start, date) else None
        rep = snap.mentions.get(c.representative)
        raw = c.fields.get("participants")
        names = [str(p) for p in raw] if isinstance(raw, list | tuple) else []
        view = EventView(
            c, day, end if isinstance(end, date) else None, rep, [(p, snap.actor_id(p)) for p in names]
        )
        key = day.strftime("%Y-%m") if day else "undated"
        by_month[key].append(view)
    months = []
    for key in sorted(by_month, key=lambda k: (k == "undated", k)):
        listed = sorted(by_month[key], key=lambda v: (v.start or date.max, v.cluster.id))
        if key == "undated":
            months.append(Month(key, "Undated", [], set(), listed))
            continue
        year, mon = (int(x) for x in key.split("-"))
        weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(year, mon)
        busy: set[int] = set()
        for v in listed:
            if v.start is None:
                continue
            last = v.end if v.end and v.end >= v.start else v.start
            for d in range(v.start.day, (last.day if last.month == mon and last.year == year else 31) + 1):
                busy.add(d)
        months.append(Month(key, f"{calendar.month_name[mon]} {year}", weeks, busy, listed))
    return months


# -------------------------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class ConflictView:
    conflict: Conflict
    mentions: list[Mention]
    missing: list[str]


def conflicts(store: Store, snap: Snapshot) -> list[ConflictView]:
    """Every conflict with both sides' sentences and sources."""
    found = list(snap.resolution.conflicts)
    stored = store.mentions_by_id({m for x in found for m in x.mentions})
    return [
        ConflictView(x, [stored[m] for m in x.mentions if m in stored], [m for m in x.mentions if m not in stored])
        for x in found
    ]


# ------------------------------------------------------------------------------------ actors


@dataclass(frozen=True)
class Partner:
    """Another actor this one works with, and how: co-party, co-donor, channel, counterpart."""

    name: str
    actor: str | None
    relations: list[str]
    weight: int


@dataclass(frozen=True)
class ActorPage:
    actor: CanonicalActor
    as_donor: list[Row]
    as_recipient: list[Row]
    as_channel: list[Row]
    agreements: list[tuple[Cluster, Mention | None]]
    events: list[Cluster]
    partners: list[Partner]
    sectors: list[tuple[str, int]]
    totals: Totals


def actor_list(snap: Snapshot) -> list[tuple[CanonicalActor, int]]:
    """Every canonical actor with how many mentions name it, most mentioned first."""
    return sorted(((a, len(a.mentions)) for a in snap.resolution.actors), key=lambda x: (-x[1], x[0].name))


def actor_page(snap: Snapshot, actor_id: str) -> ActorPage:
    """An actor's commitments (given, received, channelled), agreements, events, partners and sectors."""
    actor = next((a for a in snap.resolution.actors if a.id == actor_id), None)
    if actor is None:
        raise NotFound(f"no actor {actor_id!r}; the actors page lists them all")
    names = {fold(n) for n in (actor.name, *actor.aliases)}

    def named(value: object) -> bool:
        return isinstance(value, str) and (fold(value) in names or snap.actor_id(value) == actor.id)

    rows = commitments(snap, Filters()).rows
    as_donor = [r for r in rows if named(r.f.get("donor"))]
    as_recipient = [r for r in rows if named(r.f.get("recipient"))]
    as_channel = [r for r in rows if named(r.f.get("channel"))]
    mentioned = set(actor.mentions)
    agreements = [c for c in snap.resolution.clusters if c.kind == "agreement" and mentioned & set(c.members)]
    agreements += [
        c
        for c in snap.resolution.clusters
        if c.kind == "agreement" and c not in agreements and any(named(p) for p in _names(c.fields.get("parties")))
    ]
    events_ = [
        c
        for c in snap.resolution.clusters
        if c.kind == "event"
        and (mentioned & set(c.members) or any(named(p) for p in _names(c.fields.get("participants"))))
    ]
    partners = _partners(snap, actor.id, named, as_donor, as_recipient, as_channel, agreements)
    sector_counts: dict[str, int] = defaultdict(int)
    for r in as_donor + as_recipient + as_channel:
        for s in sectors_of(r.cluster):
            sector_counts[s] += 1
    for c in agreements:
        for s in sectors_of(c):
            sector_counts[s] += 1
    given = totals(snap.resolution, snap.mentions, donor=actor.name, by="sector") if as_donor else _no_totals()
    return ActorPage(
        actor=actor,
        as_donor=as_donor,
        as_recipient=as_recipient,
        as_channel=as_channel,
        agreements=[(c, snap.mentions.get(c.representative)) for c in agreements],
        events=events_,
        partners=partners,
        sectors=sorted(sector_counts.items(), key=lambda x: (-x[1], x[0])),
        totals=given,
    )


def _no_totals() -> Totals:
    return Totals("sector", [], [], [], [])


def _names(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def _partners(
    snap: Snapshot,
    me: str,
    named: Any,
    as_donor: list[Row],
    as_recipient: list[Row],
    as_channel: list[Row],
    agreements: list[Cluster],
) -> list[Partner]:
    """Who an actor works with: parties to its agreements, donors funding the same recipient and
    sector, the channels its money goes through (or the donors whose money it channels), and
    the other end of its commitments."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(name: object, relation: str) -> None:
        if isinstance(name, str) and name and not named(name):
            key = snap.actor_id(name) or name
            found[key][relation] += 1

    display: dict[str, str] = {a.id: a.name for a in snap.resolution.actors}
    for c in agreements:
        for p in _names(c.fields.get("parties")):
            add(p, "co-party")
    mine = {(str(r.f.get("recipient")), s) for r in as_donor for s in sectors_of(r.cluster)}
    for r in commitments(snap, Filters()).rows:
        if r in as_donor:
            continue
        shared = {(str(r.f.get("recipient")), s) for s in sectors_of(r.cluster)} & mine
        if shared:
            add(r.f.get("donor"), "co-donor")
    for r in as_donor:
        add(r.f.get("recipient"), "gives to")
        add(r.f.get("channel"), "through")
    for r in as_recipient:
        add(r.f.get("donor"), "receives from")
    for r in as_channel:
        add(r.f.get("donor"), "channels for")
    partners = []
    for key, relations in found.items():
        is_actor = key in display and key != me
        partners.append(
            Partner(
                name=display.get(key, key),
                actor=key if is_actor else None,
                relations=[f"{rel} ×{n}" if n > 1 else rel for rel, n in sorted(relations.items())],
                weight=sum(relations.values()),
            )
        )
    return sorted((p for p in partners if p.actor != me), key=lambda p: (-p.weight, p.name))
