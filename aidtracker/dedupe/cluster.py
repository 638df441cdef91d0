"""Dedupe stage, block → compare → cluster: mentions of one kind into clusters of one real fact each.

Input: mentions of one kind (commitments, agreements or events) from all documents. Output:
clusters and the judgements behind them. Mentions are blocked (commitments by donor and scope,
events by type, agreements by type and parties), and within a block only the pairs that the
comparison could keep are compared (commitments with close amounts or items sharing a word,
events on one day or sharing a word); a test holds every skipped pair to a refusal by the
comparison itself, so that resolution grows with the pairs alike rather than with the square
of a donor's mentions. Positive judgements join
clusters strongest first, and never two mentions of the same document, which extraction has
already told apart. The judgements kept are the joins that built each cluster and, per mention,
the few strongest others (near misses, refused joins, repeated corroboration), so that they grow
with the number of mentions rather than with the square of a cluster's size. Everything is
sorted, so the same mentions always give the same clusters, ids and judgements.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from aidtracker.dedupe.compare import (
    WINDOW_DAYS,
    canonical_donor,
    compare_agreements,
    compare_commitments,
    compare_events,
    content_words,
    described_words,
    fold,
    reported_on,
    stated_amounts,
    within_window,
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


def _block_key(m: Mention) -> tuple[str, ...] | None:
    """Mentions with different keys are never judged alike, so they need not be compared.

    Commitments of different donors, or of different scopes (a new package, a running total),
    get a zero score from `compare_commitments`, as do events of different types and agreements
    of different types or parties. None: an agreement without parties, which matches nothing.
    """
    fact = m.fact
    if isinstance(fact, Commitment):
        return canonical_donor(fact.donor), fact.scope.value
    if isinstance(fact, Event):
        return (fact.event_type.value,)
    if isinstance(fact, Agreement):
        parties = sorted({canonical_donor(p) for p in fact.parties})
        return (fact.agreement_type.value, *parties) if parties else None
    return (type(fact).__name__,)


def compared_pairs(mentions: Sequence[Mention]) -> Iterator[tuple[Mention, Mention]]:
    """The pairs of `mentions` (one kind, in id order) worth comparing: of two documents, in one
    block, and not refused by a rule that is cheaper to apply to all of them at once."""
    for block in _blocks(mentions):
        yield from _block_pairs(block)


def _blocks(mentions: Sequence[Mention]) -> list[list[Mention]]:
    blocks: dict[tuple[str, ...], list[Mention]] = defaultdict(list)
    for m in mentions:
        key = _block_key(m)
        if key is not None:
            blocks[key].append(m)
    return [blocks[key] for key in sorted(blocks)]


def _block_pairs(block: Sequence[Mention]) -> Iterator[tuple[Mention, Mention]]:
    return ((a, b) for a, b in _candidates(block) if a.fact.doc_id != b.fact.doc_id)


def _candidates(block: Sequence[Mention]) -> Iterator[tuple[Mention, Mention]]:
    """The pairs of a block that the comparison could keep, each once and in id order.

    A block of one donor's commitments or of one kind of event still holds most of a large
    corpus; each kind's comparison refuses most of its pairs outright for a reason that can be
    looked up rather than tested pair by pair, so only the rest are walked.
    """
    if isinstance(block[0].fact, Commitment):
        yield from _commitment_candidates(block)
    elif isinstance(block[0].fact, Event):
        yield from _event_candidates(block)
    else:
        yield from _pairs(block)


def _event_candidates(block: Sequence[Mention]) -> Iterator[tuple[Mention, Mention]]:
    """Events stated on two different days are refused. One without a day scores too low to
    keep unless it shares a word of its name or place, or a participant, with the other."""
    by_day: dict[date, list[str]] = defaultdict(list)
    keyed: dict[str, list[str]] = defaultdict(list)  # every event, by each of its keys
    undated_keyed: dict[str, list[str]] = defaultdict(list)
    for m in block:
        day = _event_day(m)
        if day is not None:
            by_day[day].append(m.id)
        for key in _event_keys(m):
            keyed[key].append(m.id)
            if day is None:
                undated_keyed[key].append(m.id)

    def neighbours(m: Mention) -> set[str]:
        day = _event_day(m)
        near = set(by_day[day]) if day is not None else set()
        for key in _event_keys(m):
            near.update((keyed if day is None else undated_keyed)[key])
        return near

    yield from _walk(block, neighbours)


def _event_day(m: Mention) -> date | None:
    return getattr(m.fact, "date", None)


def _event_keys(m: Mention) -> frozenset[str]:
    e = m.fact
    assert isinstance(e, Event)
    return frozenset(
        [*(f"name {w}" for w in content_words(e.name)), *(f"at {w}" for w in content_words(e.location))]
        + [f"with {fold(p)}" for p in e.participants]
    )


# The widest tolerance `compare_commitments` allows between two amounts: 3 % within one
# currency when a figure is hedged ("about", "over"), 5 % between two conversions to USD.
_AMOUNT_SLACK = Decimal("0.05")


def _commitment_candidates(block: Sequence[Mention]) -> Iterator[tuple[Mention, Mention]]:
    """Priced commitments are compared with those whose amount is close in some currency; a
    figure-less one with those whose item or purpose shares a word with its item (the comparison
    needs one shared word between items, two thirds of them against a priced one). Every other
    pair is refused for amounts that differ or items that have nothing in common.
    """
    channels: dict[str, list[tuple[Decimal, str]]] = defaultdict(list)
    described: dict[str, list[str]] = defaultdict(list)  # every commitment, by the words it is looked for in
    items: dict[str, list[str]] = defaultdict(list)  # the figure-less ones, by the words of their items
    for m in block:
        for value, currency in _figures(_fact(m)):
            channels[currency].append((abs(value), m.id))
        for w in _described_by(m):
            described[w].append(m.id)
        if _fact(m).amount is None:
            for w in _item_words(m):
                items[w].append(m.id)
    for figures in channels.values():
        figures.sort()
    values = {currency: [v for v, _ in figures] for currency, figures in channels.items()}

    def neighbours(m: Mention) -> set[str]:
        near: set[str] = set()
        for value, currency in _figures(_fact(m)):
            v = abs(value)
            lo = bisect_left(values[currency], v * (1 - _AMOUNT_SLACK))
            hi = bisect_right(values[currency], v / (1 - _AMOUNT_SLACK))
            near.update(other for _, other in channels[currency][lo:hi])
        if _fact(m).amount is None:
            for w in _item_words(m):
                near.update(described[w])
        else:
            for w in _described_by(m):
                near.update(items[w])
        return near

    yield from _walk(block, neighbours)


def _walk(block: Sequence[Mention], neighbours: Callable[[Mention], set[str]]) -> Iterator[tuple[Mention, Mention]]:
    """Each mention with those of its neighbours after it in id order, reported within the window.

    `neighbours` must be symmetric (b is among a's if and only if a is among b's), so that
    taking only the later ones gives every pair once without holding the pairs of the block.
    """
    by_id = {m.id: m for m in block}
    for m in sorted(block, key=lambda m: m.id):
        for other in sorted(x for x in neighbours(m) if x > m.id):
            b = by_id[other]
            if within_window(m, b):
                yield m, b


def _fact(m: Mention) -> Commitment:
    assert isinstance(m.fact, Commitment)
    return m.fact


def _figures(c: Commitment) -> Iterator[tuple[Decimal, str]]:
    """The amounts a commitment can be matched on: its own, the equivalents stated with it, and
    its conversion to USD (kept apart from a figure stated in USD, as the comparison does)."""
    yield from ((a.value, a.currency) for a in stated_amounts(c))
    if c.usd is not None:
        yield c.usd.usd, "converted to USD"


def _item_words(m: Mention) -> frozenset[str]:
    return content_words(_fact(m).item)


def _described_by(m: Mention) -> frozenset[str]:
    """The words a figure-less commitment's item is looked for in: another's item, or all that
    a priced one says it pays for."""
    c = _fact(m)
    return _item_words(m) if c.amount is None else described_words(c)


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

    def join(self, a: str, b: str) -> Literal["joined", "together", "refused"]:
        """"joined", "together" (one component already) or "refused" (a document would be in twice)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return "together"
        if self.docs[ra] & self.docs[rb]:
            return "refused"
        ra, rb = sorted((ra, rb))
        self.parent[rb] = ra
        self.docs[ra] |= self.docs.pop(rb)
        return "joined"


def cluster_mentions(kind: str, mentions: Sequence[Mention]) -> tuple[list[Cluster], list[Judgement]]:
    """Clusters of `mentions` (all of one kind) and the judgements that made or refused them.

    No pair spans two blocks, so each block is clustered on its own, the same as all at once;
    only its judgements are held meanwhile, as (score, pair) until one is kept, when the pair
    is compared again for the reasons (a block of one donor's commitments gives a hundred
    thousand judgements for ten thousand mentions, of which a tenth are kept).
    """
    ordered = sorted(mentions, key=lambda m: m.id)
    compare = _comparer(kind)
    components = _Components(ordered)
    kept: list[Judgement] = []
    others: dict[str, int] = defaultdict(int)  # judgements kept per mention beyond those that joined
    for block in _blocks(ordered):
        by_id = {m.id: m for m in block}
        scored: list[tuple[float, str, str, bool]] = []
        for a, b in _block_pairs(block):
            j = compare(a, b)
            if j.same or j.score >= _NEAR_MISS:
                scored.append((-j.score, a.id, b.id, j.same))
        scored.sort()
        for _, left, right, same in scored:
            joined = components.join(left, right) if same else "not same"
            if joined != "joined" and others[left] >= _OTHERS_KEPT and others[right] >= _OTHERS_KEPT:
                continue
            j = compare(by_id[left], by_id[right])
            if joined == "joined":
                kept.append(j)  # an edge of the cluster's strongest spanning tree: always kept
                continue
            if joined == "refused":
                j = Judgement(left, right, False, j.score, (*j.reasons, "not joined: each document states it once"))
            others[left] += 1
            others[right] += 1
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
