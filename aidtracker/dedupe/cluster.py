"""Dedupe stage, block → compare → cluster: mentions of one kind into clusters of one real fact each.

Input: mentions of one kind (commitments, agreements or events) from all documents. Output:
clusters and the judgements behind them. Mentions are blocked (commitments by donor, events
and agreements by type) so that only plausible pairs are compared; positive judgements join
clusters strongest first, and never two mentions of the same document, which extraction has
already told apart. The judgements kept are the joins that built each cluster and, per mention,
the few strongest others (near misses, refused joins, repeated corroboration), so that they grow
with the number of mentions rather than with the square of a cluster's size. Everything is
sorted, so the same mentions always give the same clusters, ids and judgements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date

from aidtracker.dedupe.compare import (
    WINDOW_DAYS,
    canonical_donor,
    compare_agreements,
    compare_commitments,
    compare_events,
    reported_on,
)
from aidtracker.ids import make_id
from aidtracker.records import Agreement, Cluster, Commitment, Event, Judgement, Mention
from aidtracker.types import Instrument, Status

_NEAR_MISS = 0.3  # negative judgements above this are kept, to explain why two mentions stayed apart
# Judgements kept per mention besides the joins that built its cluster: its strongest near misses,
# refused joins and corroborations of a join already made. All of them would be the square of a
# cluster's size (a conference named in 500 articles: 125,000 rows, most saying the same thing
# again); a join's evidence and the closest calls that went the other way are what explain it.
_OTHERS_KEPT = 3
_STATUS_ORDER = [Status.EXPECTED, Status.ANNOUNCED, Status.PLEDGED, Status.ALLOCATED, Status.PROVIDED]


def _block_key(m: Mention) -> tuple[str, str]:
    """Mentions with different keys are never judged alike, so they need not be compared.

    Commitments of different donors, or of different scopes (a new package, a running total),
    get a zero score from `compare_commitments`, as do events or agreements of different types.
    """
    fact = m.fact
    if isinstance(fact, Commitment):
        return canonical_donor(fact.donor), fact.scope.value
    if isinstance(fact, Event):
        return fact.event_type.value, ""
    if isinstance(fact, Agreement):
        return fact.agreement_type.value, ""
    return type(fact).__name__, ""


def _pairs(block: Sequence[Mention]) -> Iterator[tuple[Mention, Mention]]:
    """The pairs of a block (each in id order, of two documents) reported close enough to be judged.

    Every comparison refuses, with a zero score, two mentions reported more than `WINDOW_DAYS`
    apart; walking the dated mentions in date order skips those pairs without comparing them,
    which keeps a large corpus spread over years from costing the square of its size.
    """
    dated = sorted((m for m in block if reported_on(m) is not None), key=lambda m: (reported_on(m), m.id))
    undated = [m for m in block if reported_on(m) is None]
    days = [reported_on(m) for m in dated]
    for i, a in enumerate(dated):
        first = days[i]
        assert first is not None
        for j in range(i + 1, len(dated)):
            last = days[j]
            assert last is not None
            if (last - first).days > WINDOW_DAYS:
                break
            yield _ordered(a, dated[j])
    for i, a in enumerate(undated):
        for b in undated[i + 1 :]:
            yield _ordered(a, b)
        for b in dated:
            yield _ordered(a, b)


def _ordered(a: Mention, b: Mention) -> tuple[Mention, Mention]:
    return (a, b) if a.id < b.id else (b, a)


def _comparer(kind: str) -> Callable[[Mention, Mention], Judgement]:
    return {"commitment": compare_commitments, "event": compare_events, "agreement": compare_agreements}[kind]


class _Components:
    """Union-find that refuses to put two mentions of one document in the same component."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.parent = {m.id: m.id for m in mentions}
        self.docs = {m.id: {m.fact.doc_id} for m in mentions}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.docs[ra] & self.docs[rb]:
            return False
        ra, rb = sorted((ra, rb))
        self.parent[rb] = ra
        self.docs[ra] |= self.docs.pop(rb)
        return True


def cluster_mentions(kind: str, mentions: Sequence[Mention]) -> tuple[list[Cluster], list[Judgement]]:
    """Clusters of `mentions` (all of one kind) and the judgements that made or refused them."""
    ordered = sorted(mentions, key=lambda m: m.id)
    blocks: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for m in ordered:
        blocks[_block_key(m)].append(m)
    compare = _comparer(kind)
    judgements: list[Judgement] = []
    for key in sorted(blocks):
        for a, b in _pairs(blocks[key]):
            if a.fact.doc_id == b.fact.doc_id:
                continue
            j = compare(a, b)
            if j.same or j.score >= _NEAR_MISS:
                judgements.append(j)
    components = _Components(ordered)
    kept: list[Judgement] = []
    others: dict[str, int] = defaultdict(int)  # judgements kept per mention beyond those that joined
    for j in sorted(judgements, key=lambda j: (-j.score, j.left, j.right)):
        if j.same and components.find(j.left) != components.find(j.right):
            if components.join(j.left, j.right):
                kept.append(j)  # an edge of the cluster's strongest spanning tree: always kept
                continue
            j = Judgement(j.left, j.right, False, j.score, (*j.reasons, "not joined: each document states it once"))
        if others[j.left] < _OTHERS_KEPT or others[j.right] < _OTHERS_KEPT:
            others[j.left] += 1
            others[j.right] += 1
            kept.append(j)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in ordered:
        groups[components.find(m.id)].append(m)
    clusters = [_cluster(kind, members) for _, members in sorted(groups.items())]
    return clusters, sorted(kept, key=lambda j: (j.left, j.right))


def _representative(members: Sequence[Mention]) -> Mention:
    """The mention a cluster is shown by: body text over headlines, then confidence, then the earliest."""

    def rank(m: Mention) -> tuple[int, float, date, str]:
        headline = m.fact.evidence.span.start == 0
        return (int(headline), -m.fact.confidence, m.published or date.max, m.id)

    return min(members, key=rank)


def _commitment_fields(
    members: Sequence[Mention], rep: Commitment
) -> tuple[dict[str, object], dict[str, tuple[object, ...]]]:
    facts = [m.fact for m in members if isinstance(m.fact, Commitment)]
    latest = max(members, key=lambda m: (m.published or date.min, m.id)).fact
    assert isinstance(latest, Commitment)
    instruments = [c.instrument for c in facts if c.instrument is not Instrument.UNSPECIFIED]
    priced = [c for c in facts if c.amount is not None]
    money_source = rep if rep.amount is not None else (priced[0] if priced else rep)
    fields: dict[str, object] = {
        "donor": canonical_donor(rep.donor) + (" and others" if rep.donor.endswith(" and others") else ""),
        "recipient": rep.recipient or next((c.recipient for c in facts if c.recipient), None),
        "amount": money_source.amount,
        "currency": money_source.currency,
        "usd": money_source.usd.usd if money_source.usd else None,
        "quantity": rep.quantity if rep.quantity is not None else next((c.quantity for c in facts if c.quantity), None),
        "item": rep.item or next((c.item for c in facts if c.item), None),
        "scope": rep.scope.value,
        "kind": rep.kind.value,
        "instrument": (instruments[0] if instruments else rep.instrument).value,
        "channel": rep.channel or next((c.channel for c in facts if c.channel), None),
        "status": latest.status.value,  # the latest report says how far it has got
        "purpose": rep.purpose or next((c.purpose for c in facts if c.purpose), None),
        "sectors": sorted({s.value for c in facts for s in c.sectors}),
        "date": min((c.date for c in facts if c.date), default=None),
    }
    disagreements: dict[str, tuple[object, ...]] = {}
    for name, values in {
        "amount": [f"{c.currency} {c.amount:,.0f}" for c in priced],
        "status": [c.status.value for c in facts],
        "instrument": [i.value for i in instruments],
        "channel": [c.channel for c in facts if c.channel],
        "recipient": [c.recipient for c in facts if c.recipient],
    }.items():
        distinct = tuple(sorted(set(values)))
        if len(distinct) > 1:
            disagreements[name] = distinct
    return fields, disagreements


def _generic_fields(rep: Agreement | Event, members: Sequence[Mention]) -> dict[str, object]:
    if isinstance(rep, Event):
        events = [m.fact for m in members if isinstance(m.fact, Event)]
        return {
            "name": max((e.name for e in events), key=len),
            "event_type": rep.event_type.value,
            "date": rep.date or next((e.date for e in events if e.date), None),
            "end_date": rep.end_date or next((e.end_date for e in events if e.end_date), None),
            "location": rep.location or next((e.location for e in events if e.location), None),
            "participants": sorted({p for e in events for p in e.participants}),
        }
    agreements = [m.fact for m in members if isinstance(m.fact, Agreement)]
    return {
        "agreement_type": rep.agreement_type.value,
        "parties": sorted({canonical_donor(p) for a in agreements for p in a.parties}),
        "subject": rep.subject,
        "count": rep.count,
        "status": rep.status.value,
        "date": rep.date or next((a.date for a in agreements if a.date), None),
    }


def _cluster(kind: str, members: Sequence[Mention]) -> Cluster:
    rep = _representative(members)
    if isinstance(rep.fact, Commitment):
        fields, disagreements = _commitment_fields(members, rep.fact)
    else:
        assert isinstance(rep.fact, Agreement | Event)
        fields, disagreements = _generic_fields(rep.fact, members), {}
    publishers = sorted({m.publisher or _outlet(m.source) for m in members})
    dates = [m.published for m in members if m.published]
    ids = tuple(sorted(m.id for m in members))
    return Cluster(
        id=make_id(kind, *ids, prefix={"commitment": "c_", "agreement": "a_", "event": "e_"}[kind]),
        kind=kind,
        members=ids,
        representative=rep.id,
        fields=fields,
        disagreements=disagreements,
        publishers=tuple(publishers),
        first_reported=min(dates, default=None),
        last_reported=max(dates, default=None),
    )


def _outlet(source: str) -> str:
    """An outlet for a source without a named publisher: the web host, else the document itself."""
    if "://" in source:
        return source.split("://", 1)[1].split("/", 1)[0].removeprefix("www.")
    return source
