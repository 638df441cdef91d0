"""Choosing resolved records the way every interface offers them: filters, actor profiles, totals.

Input: a `Store` holding a resolution, and filters. Output: clusters, an `ActorProfile` or
`Totals`. The API, the dashboard and the exports all call these, so "commitments by Japan in
2024 over $1 million" means one thing everywhere. Names compare as resolution compares donors
(through the actor registry, so "EU" finds "European Union"); a cluster's date is the date its
sources give the fact, else the day it was first reported, as in `dedupe.totals`. Each takes
`reviewed_only`: keep only the clusters holding a fact a reviewer confirmed or corrected.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from aidtracker.dedupe import Totals, totals
from aidtracker.dedupe.compare import canonical_donor
from aidtracker.records import CanonicalActor, Cluster
from aidtracker.review import reviewed_clusters
from aidtracker.store import Store
from aidtracker.store.rows import fold


def effective_date(c: Cluster) -> date | None:
    """The date of a cluster's fact: the one its sources state, else when it was first reported."""
    when = c.fields.get("date")
    return when if isinstance(when, date) else c.first_reported


def usd_of(c: Cluster) -> Decimal | None:
    usd = c.fields.get("usd")
    return usd if isinstance(usd, Decimal) else None


def text_of(c: Cluster, name: str) -> str | None:
    value = c.fields.get(name)
    return str(value) if isinstance(value, str) else None


def texts_of(c: Cluster, name: str) -> list[str]:
    value = c.fields.get(name)
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def same_actor(a: str | None, b: str | None) -> bool:
    """Whether two names denote one actor, as resolution decides for donors ("EIB" is the bank)."""
    if not a or not b:
        return False
    return fold(canonical_donor(a)) == fold(canonical_donor(b))


def _in_dates(c: Cluster, start: date | None, end: date | None) -> bool:
    if start is None and end is None:
        return True
    when = effective_date(c)
    if when is None:
        return False
    return (start is None or when >= start) and (end is None or when <= end)


def _published_by(c: Cluster, publisher: str | None) -> bool:
    return publisher is None or fold(publisher) in {fold(p) for p in c.publishers}


@dataclass(frozen=True, slots=True)
class CommitmentFilter:
    """What a reader can narrow commitments by; None means "any". Dates and amounts are inclusive."""

    donor: str | None = None
    recipient: str | None = None
    sector: str | None = None
    status: str | None = None
    scope: str | None = None
    currency: str | None = None
    instrument: str | None = None
    start: date | None = None
    end: date | None = None
    min_usd: Decimal | None = None
    max_usd: Decimal | None = None
    publisher: str | None = None

    def matches(self, c: Cluster) -> bool:
        """Every filter, checked on a cluster in memory (for callers holding clusters already)."""
        for name in ("scope", "currency", "status", "instrument"):
            wanted = getattr(self, name)
            if wanted is not None and text_of(c, name) != wanted:
                return False
        if self.sector is not None and self.sector not in texts_of(c, "sectors"):
            return False
        return self.accepts(c)

    def accepts(self, c: Cluster) -> bool:
        """The checks the store's columns cannot make: names, dates, amounts, publishers."""
        if self.donor is not None and not same_actor(text_of(c, "donor"), self.donor):
            return False
        if self.recipient is not None and not same_actor(text_of(c, "recipient"), self.recipient):
            return False
        if not _in_dates(c, self.start, self.end) or not _published_by(c, self.publisher):
            return False
        if self.min_usd is None and self.max_usd is None:
            return True
        usd = usd_of(c)
        if usd is None:
            return False
        return (self.min_usd is None or usd >= self.min_usd) and (self.max_usd is None or usd <= self.max_usd)


def commitments(store: Store, f: CommitmentFilter | None = None, *, reviewed_only: bool = False) -> list[Cluster]:
    """Commitment clusters matching every filter, in resolution order."""
    f = f or CommitmentFilter()
    found = store.clusters(
        "commitment",
        scope=f.scope,
        currency=f.currency,
        status=f.status,
        instrument=f.instrument,
        sector=f.sector,
    )
    chosen = [c for c in found if f.accepts(c)]
    return reviewed_clusters(store, chosen) if reviewed_only else chosen


def commitments_page(
    store: Store, f: CommitmentFilter, *, after: tuple[date | None, str] | None, descending: bool, limit: int
) -> tuple[list[Cluster], int, bool] | None:
    """A page of `commitments(store, f)` by effective date, computed in the database: (page, total, more).

    The same clusters in the same order as sorting `commitments` by date (missing dates last,
    ties by id), without reading every matching cluster: a million-mention store answers as
    fast as a small one. None when the filter needs checks only Python can make (sector,
    publisher, USD range); the caller then filters `commitments` itself.
    """
    if f.sector is not None or f.publisher is not None or f.min_usd is not None or f.max_usd is not None:
        return None
    found, total = store.commitment_page(
        donors=_spellings(store, "donor", f.donor),
        recipients=_spellings(store, "recipient", f.recipient),
        scope=f.scope,
        status=f.status,
        currency=f.currency,
        instrument=f.instrument,
        start=f.start,
        end=f.end,
        after=after,
        descending=descending,
        limit=limit + 1,
    )
    return found[:limit], total, len(found) > limit


def _spellings(store: Store, column: str, name: str | None) -> list[str] | None:
    """The stored values of a cluster column that name the same actor as `name` (None: no filter)."""
    if name is None:
        return None
    return [v for v in store.cluster_values(column) if same_actor(v, name)]


def agreements(
    store: Store,
    *,
    party: str | None = None,
    agreement_type: str | None = None,
    status: str | None = None,
    sector: str | None = None,
    start: date | None = None,
    end: date | None = None,
    publisher: str | None = None,
    reviewed_only: bool = False,
) -> list[Cluster]:
    """Agreement clusters with every filter met: `party` is any of the parties."""

    def accepts(c: Cluster) -> bool:
        if party is not None and not any(same_actor(p, party) for p in texts_of(c, "parties")):
            return False
        if agreement_type is not None and text_of(c, "agreement_type") != agreement_type:
            return False
        if status is not None and text_of(c, "status") != status:
            return False
        if sector is not None and sector not in texts_of(c, "sectors"):
            return False
        return _in_dates(c, start, end) and _published_by(c, publisher)

    chosen = [c for c in store.clusters("agreement") if accepts(c)]
    return reviewed_clusters(store, chosen) if reviewed_only else chosen


def events(
    store: Store,
    *,
    participant: str | None = None,
    event_type: str | None = None,
    start: date | None = None,
    end: date | None = None,
    publisher: str | None = None,
    reviewed_only: bool = False,
) -> list[Cluster]:
    """Event clusters with every filter met; an event's date range must overlap [start, end]."""

    def accepts(c: Cluster) -> bool:
        if participant is not None and not any(same_actor(p, participant) for p in texts_of(c, "participants")):
            return False
        if event_type is not None and text_of(c, "event_type") != event_type:
            return False
        if start is not None or end is not None:
            first = effective_date(c)
            last = c.fields.get("end_date")
            last = last if isinstance(last, date) else first
            if first is None or last is None:
                return False
            if (start is not None and last < start) or (end is not None and first > end):
                return False
        return _published_by(c, publisher)

    chosen = [c for c in store.clusters("event") if accepts(c)]
    return reviewed_clusters(store, chosen) if reviewed_only else chosen


def totals_of(
    store: Store,
    *,
    by: str = "donor",
    donor: str | None = None,
    recipient: str | None = None,
    sector: str | None = None,
    start: date | None = None,
    end: date | None = None,
    reviewed_only: bool = False,
) -> Totals:
    """`dedupe.totals` over the stored resolution, reading only the mentions it quotes.

    Without filters these are the totals resolution stored with itself (the same figures, read
    rather than summed again from every cluster); stores resolved before they were kept fall back.
    """
    unfiltered = donor is None and recipient is None and sector is None and start is None and end is None
    if unfiltered and not reviewed_only:
        stored = store.stored_totals(by)
        if stored is not None:
            return stored
    resolution = store.resolution(reviewed_only=reviewed_only)
    quoted = [c.representative for c in resolution.clusters if c.fields.get("scope") == "cumulative"]
    return totals(
        resolution,
        store.mentions_by_id(quoted),
        by=by,
        donor=donor,
        recipient=recipient,
        sector=sector,
        start=start,
        end=end,
    )


# ------------------------------------------------------------------------------ actor profiles


@dataclass
class Partner:
    """Another actor that shares records with the profiled one, and how."""

    name: str
    actor_id: str | None
    relations: set[str] = field(default_factory=set)
    shared: set[str] = field(default_factory=set)  # cluster ids


@dataclass(frozen=True, slots=True)
class ActorProfile:
    """An actor with what it took part in: commitments (with its role in each), agreements, events.

    `partners` are co-parties to its agreements, its counterparts in commitments (recipients,
    donors, channels), co-donors (other donors funding through the same channel) and fellow
    participants in events, most shared records first; `sectors` count its commitments and
    agreements per sector.
    """

    actor: CanonicalActor
    commitments: list[tuple[Cluster, str]]  # role: donor | recipient | channel | mentioned
    agreements: list[Cluster]
    events: list[Cluster]
    partners: list[Partner]
    sectors: list[tuple[str, int]]


def actor_profile(store: Store, actor_id: str) -> ActorProfile | None:
    """Everything resolution links to one canonical actor, or None if there is no such actor."""
    everyone = store.actors()
    actor = next((a for a in everyone if a.id == actor_id), None)
    if actor is None:
        return None
    names = {fold(n) for n in (actor.name, *actor.aliases)}
    by_name: dict[str, str] = {}
    for a in everyone:
        for n in (a.name, *a.aliases):
            by_name.setdefault(fold(n), a.id)

    def is_self(name: str | None) -> bool:
        return name is not None and (fold(name) in names or same_actor(name, actor.name))

    holding = set(store.clusters_of(actor.mentions).values())
    all_clusters = store.clusters(None)
    mine = [c for c in all_clusters if c.id in holding or _names_actor(c, is_self)]
    partners: dict[str, Partner] = {}

    def partner(name: str | None, relation: str, cluster: Cluster) -> None:
        if not name or is_self(name):
            return
        key = fold(canonical_donor(name))
        p = partners.setdefault(key, Partner(canonical_donor(name), by_name.get(fold(name))))
        p.relations.add(relation)
        p.shared.add(cluster.id)

    roles: list[tuple[Cluster, str]] = []
    sectors: Counter[str] = Counter()
    channels: dict[str, list[Cluster]] = defaultdict(list)
    for c in all_clusters:
        if c.kind == "commitment" and text_of(c, "channel"):
            channels[fold(text_of(c, "channel") or "")].append(c)
    for c in mine:
        if c.kind == "commitment":
            role = _role(c, is_self)
            roles.append((c, role))
            sectors.update(texts_of(c, "sectors"))
            donor, recipient, channel = text_of(c, "donor"), text_of(c, "recipient"), text_of(c, "channel")
            partner(recipient, "recipient", c)
            partner(donor, "donor", c)
            partner(channel, "channel", c)
            if role == "donor" and channel:
                for other in channels[fold(channel)]:
                    partner(text_of(other, "donor"), "co-donor", other)
        elif c.kind == "agreement":
            sectors.update(texts_of(c, "sectors"))
            for p in texts_of(c, "parties"):
                partner(p, "co-party", c)
        elif c.kind == "event":
            for p in texts_of(c, "participants"):
                partner(p, "co-participant", c)
    ranked = sorted(partners.values(), key=lambda p: (-len(p.shared), p.name))
    return ActorProfile(
        actor=actor,
        commitments=roles,
        agreements=[c for c in mine if c.kind == "agreement"],
        events=[c for c in mine if c.kind == "event"],
        partners=ranked,
        sectors=sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def _names_actor(c: Cluster, is_self: Callable[[str | None], bool]) -> bool:
    names: Iterable[str | None] = (
        (text_of(c, "donor"), text_of(c, "recipient"), text_of(c, "channel"))
        if c.kind == "commitment"
        else texts_of(c, "parties" if c.kind == "agreement" else "participants")
    )
    return any(is_self(n) for n in names)


def _role(c: Cluster, is_self: Callable[[str | None], bool]) -> str:
    for role in ("donor", "recipient", "channel"):
        if is_self(text_of(c, role)):
            return role
    return "mentioned"
