"""Review: analysts' verdicts, corrections, merges and splits, applied over the machine's resolution.

    mentions ─► dedupe.resolve ─► Resolution ─┐
    reviews (append-only, keyed to evidence) ─┴─► apply_reviews ─► Resolution as reviewed

A review names facts by their evidence — document id, fact type, evidence span and, for a
commitment, the span of its figure — never by row id: fact ids change whenever extraction reads
a fact differently and cluster ids whenever membership changes, but a sentence of a stored text
stays where it is. So a review made today still applies after `extract` and `resolve` run again
from scratch, and one whose evidence has gone (a new version of the document, a sentence no
longer read as a fact) is reported by `orphaned_reviews`, never silently dropped.

`apply_reviews` is pure and deterministic, like `resolve`: merges and splits first, in the order
they were made; then rejected facts leave their clusters (and so the totals); then corrections
override cluster fields, later reviews over earlier ones. Its output is its own fixed point, so
applying the same reviews to an already reviewed resolution changes nothing.

The functions at the end (`record_review`, `review_log`, `review_states`, `orphans`) take a
store: they are what the CLI and the API call.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from aidtracker.corrections import CORRECTABLE, check_comment, check_name, parse_corrections
from aidtracker.errors import NotFound, ReviewError
from aidtracker.records import (
    Agreement,
    Cluster,
    Commitment,
    Conflict,
    Event,
    Fact,
    Judgement,
    Link,
    Mention,
    Person,
    Resolution,
)

if TYPE_CHECKING:
    from aidtracker.store import Store


class ReviewAction(StrEnum):
    CONFIRM = "confirm"
    CORRECT = "correct"
    REJECT = "reject"
    MERGE = "merge"
    SPLIT = "split"


VERDICTS = frozenset({ReviewAction.CONFIRM, ReviewAction.CORRECT, ReviewAction.REJECT})


class ReviewState(StrEnum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    REJECTED = "rejected"


REVIEWED = frozenset({ReviewState.CONFIRMED, ReviewState.CORRECTED})


@dataclass(frozen=True, slots=True)
class EvidenceKey:
    """What a review holds on to: where in which document a fact of which type is stated.

    `figure` (start, end) tells apart the commitments of one sentence ("$5 million for X and
    $3 million for Y"); other facts have none.
    """

    doc_id: str
    kind: str  # commitment | agreement | event | person
    start: int
    end: int
    figure: tuple[int, int] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "figure": list(self.figure) if self.figure else None,
        }

    @classmethod
    def from_json(cls, j: Mapping[str, Any]) -> EvidenceKey:
        figure = j.get("figure")
        span = (int(figure[0]), int(figure[1])) if figure else None
        return cls(j["doc_id"], j["kind"], int(j["start"]), int(j["end"]), span)

    def __str__(self) -> str:
        figure = f" figure {self.figure[0]}..{self.figure[1]}" if self.figure else ""
        return f"{self.kind} in {self.doc_id} at {self.start}..{self.end}{figure}"


FACT_KINDS: dict[type, str] = {Commitment: "commitment", Agreement: "agreement", Event: "event", Person: "person"}


def evidence_key(fact: Fact) -> EvidenceKey:
    """The evidence key of a fact, as a review made of it today would hold it."""
    figure = None
    if isinstance(fact, Commitment) and fact.figure is not None:
        figure = (fact.figure.start, fact.figure.end)
    span = fact.evidence.span
    return EvidenceKey(fact.doc_id, FACT_KINDS[type(fact)], span.start, span.end, figure)


@dataclass(frozen=True, slots=True)
class Review:
    """One entry of the audit trail: who did what to which evidence, when, and what it changed.

    `targets` are the ids the reviewer named (for the record; they may not exist tomorrow);
    `keys` the evidence it applies to: the fact's own for a fact; every member's for a cluster
    verdict; the two clusters' representatives for a merge; the kept representative and the
    mention taken out for a split. `before` and `after` are what the reviewer saw and made;
    for a correction, `after["fields"]` holds the values it sets. `id` and `at` are given by
    the store when it records the review (0 and None until then).
    """

    by: str
    action: ReviewAction
    targets: tuple[str, ...]
    keys: tuple[EvidenceKey, ...]
    before: dict[str, Any]
    after: dict[str, Any]
    comment: str | None = None
    id: int = 0
    at: datetime | None = None

    @property
    def corrections(self) -> dict[str, Any]:
        fields = self.after.get("fields") if self.action is ReviewAction.CORRECT else None
        return dict(fields) if isinstance(fields, Mapping) else {}


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    """Where review has left a fact or cluster: its state, the corrected values in force, and
    the ids of the reviews that bear on it (oldest first)."""

    state: ReviewState = ReviewState.UNREVIEWED
    fields: dict[str, Any] = field(default_factory=dict)
    reviews: tuple[int, ...] = ()
    set_by: dict[str, int] = field(default_factory=dict)  # field → the review that set its value


UNREVIEWED = ReviewStatus()


@dataclass(frozen=True, slots=True)
class Orphan:
    """A review some of whose evidence matches no stored fact any more; `partial` if some still does."""

    review: Review
    missing: tuple[EvidenceKey, ...]
    partial: bool


# ------------------------------------------------------------------------------- states


def fact_statuses(reviews: Iterable[Review]) -> dict[EvidenceKey, ReviewStatus]:
    """The review status of every piece of evidence that has a verdict, from the verdicts in order.

    The latest reject wins over everything before it; after it (or with none), any correction
    makes the fact corrected (its fields merged, later over earlier), else any confirmation
    makes it confirmed. A confirmation after a correction therefore keeps the corrected values:
    the reviewer confirmed the fact as it then stood.
    """
    verdicts: dict[EvidenceKey, list[Review]] = defaultdict(list)
    touching: dict[EvidenceKey, list[int]] = defaultdict(list)
    for r in sorted(reviews, key=lambda r: r.id):
        for key in set(r.keys):
            touching[key].append(r.id)
            if r.action in VERDICTS:
                verdicts[key].append(r)
    statuses: dict[EvidenceKey, ReviewStatus] = {}
    for key, ids in touching.items():
        listed = verdicts.get(key, [])
        if not listed:
            statuses[key] = ReviewStatus(reviews=tuple(ids))
            continue
        if listed[-1].action is ReviewAction.REJECT:
            statuses[key] = ReviewStatus(ReviewState.REJECTED, {}, tuple(ids))
            continue
        last_reject = max((i for i, r in enumerate(listed) if r.action is ReviewAction.REJECT), default=-1)
        since = listed[last_reject + 1 :]
        fields: dict[str, Any] = {}
        set_by: dict[str, int] = {}
        for r in since:
            for name, value in r.corrections.items():
                fields[name] = value
                set_by[name] = r.id
        state = ReviewState.CORRECTED if any(r.action is ReviewAction.CORRECT for r in since) else ReviewState.CONFIRMED
        statuses[key] = ReviewStatus(state, fields, tuple(ids), set_by)
    return statuses


def cluster_status(member_keys: Iterable[EvidenceKey], statuses: Mapping[EvidenceKey, ReviewStatus]) -> ReviewStatus:
    """A cluster's status from its members': corrected if any is, else confirmed if any is.

    Corrected values are merged in review order across the members, as `apply_reviews` sets
    them on the cluster. A rejected member has left the cluster, so it does not count.
    """
    found = [statuses[k] for k in member_keys if k in statuses]
    live = [s for s in found if s.state is not ReviewState.REJECTED]
    ids = tuple(sorted({i for s in found for i in s.reviews}))
    if any(s.state is ReviewState.CORRECTED for s in live):
        state = ReviewState.CORRECTED
    elif any(s.state is ReviewState.CONFIRMED for s in live):
        state = ReviewState.CONFIRMED
    else:
        state = ReviewState.UNREVIEWED
    stamped = sorted(
        ((s.set_by.get(name, 0), name, value) for s in live for name, value in s.fields.items()),
        key=lambda x: (x[0], x[1]),
    )
    fields = {name: value for _, name, value in stamped}  # a later review's value overwrites an earlier's
    set_by = {name: stamp for stamp, name, _ in stamped}
    return ReviewStatus(state, fields, ids, set_by)


# ------------------------------------------------------------------------------- applying


def apply_reviews(
    resolution: Resolution,
    mentions: Iterable[Mention],
    reviews: Iterable[Review],
    *,
    reviewed_only: bool = False,
) -> Resolution:
    """The resolution as reviewers have left it: merged, split, rejected facts gone, fields corrected.

    `mentions` are those the resolution was made from (changed clusters are rebuilt from them);
    reviews whose evidence matches none of them do nothing here (see `orphaned_reviews`).
    Merges and splits also come out as judgements `by` their reviewer, so `explain` shows them
    beside the machine's. With `reviewed_only`, only clusters holding a confirmed or corrected
    fact are kept, for totals and exports of verified figures alone.
    """
    from aidtracker.dedupe.cluster import _cluster as build_cluster  # importing dedupe loads spaCy

    ordered = sorted(reviews, key=lambda r: r.id)
    if not ordered and not reviewed_only:
        return resolution  # nothing to apply (every run of an unreviewed store): skip keying each mention
    by_id = {m.id: m for m in mentions}
    keys = {m.id: evidence_key(m.fact) for m in by_id.values()}
    index: dict[EvidenceKey, list[str]] = defaultdict(list)
    for mention_id in sorted(keys):
        index[keys[mention_id]].append(mention_id)

    groups = _Groups(resolution.clusters)
    judgements: dict[tuple[str, str, str], Judgement] = {}
    for r in ordered:
        if r.action not in (ReviewAction.MERGE, ReviewAction.SPLIT) or len(r.keys) != 2:
            continue
        left, right = (_clustered(index, groups, k) for k in r.keys)
        if left is None or right is None or left == right:
            continue
        if r.action is ReviewAction.MERGE:
            groups.merge(left, right)
        else:
            groups.split(left, right)
        a, b = sorted((left, right))
        judgements.pop((a, b, r.by), None)  # a reviewer's later judgement of a pair replaces theirs
        judgements[(a, b, r.by)] = review_judgement(r, a, b)

    statuses = fact_statuses(ordered)
    rejected = {m for m, k in keys.items() if statuses.get(k, UNREVIEWED).state is ReviewState.REJECTED}
    for mention_id in sorted(rejected):
        groups.remove(mention_id)

    clusters: list[Cluster] = []
    for group in groups.live():
        if group.changed:
            members = [by_id[m] for m in group.members if m in by_id]
            if not members:
                continue
            cluster = build_cluster(group.kind, members)
        else:
            cluster = group.origin
        status = cluster_status((keys[m] for m in cluster.members if m in keys), statuses)
        if status.fields:
            cluster = dataclasses.replace(cluster, fields=_corrected(cluster, status.fields, by_id))
        if reviewed_only and status.state not in REVIEWED:
            continue
        clusters.append(cluster)

    renamed = _renamed(resolution.clusters, clusters)
    machine = [j for j in resolution.judgements if (j.left, j.right, j.by) not in judgements]
    return Resolution(
        clusters=tuple(sorted(clusters, key=lambda c: c.id)),
        judgements=(*machine, *sorted(judgements.values(), key=lambda j: (j.left, j.right, j.by))),
        links=_links(resolution.links, renamed),
        conflicts=_conflicts(resolution.conflicts, renamed, rejected),
        actors=resolution.actors,
    )


def review_judgement(review: Review, left: str, right: str) -> Judgement:
    """The judgement a merge or split stands for, between the two mentions it now names.

    The store writes it with the review, and `apply_reviews` makes the same one after every
    resolution (with the mention ids of the day), so `explain` shows who joined or parted what.
    """
    same = review.action is ReviewAction.MERGE
    note = f"review {review.id}: {'merged' if same else 'split'} by {review.by}"
    reasons = (note, review.comment) if review.comment else (note,)
    return Judgement(left, right, same, 1.0 if same else 0.0, reasons, by=review.by)


def only_reviewed(
    resolution: Resolution, mention_keys: Mapping[str, EvidenceKey], reviews: Iterable[Review]
) -> Resolution:
    """The clusters of an already reviewed resolution that hold a confirmed or corrected fact.

    The store's `resolution(reviewed_only=True)` uses this; it needs only each member's key,
    not the facts themselves.
    """
    statuses = fact_statuses(reviews)
    kept = [
        c
        for c in resolution.clusters
        if cluster_status((mention_keys[m] for m in c.members if m in mention_keys), statuses).state in REVIEWED
    ]
    renamed = {c.id: c.id for c in kept}
    return dataclasses.replace(
        resolution,
        clusters=tuple(kept),
        links=_links(resolution.links, renamed),
        conflicts=_conflicts(resolution.conflicts, renamed, set()),
    )


@dataclass
class _Group:
    kind: str
    members: list[str]
    origin: Cluster
    changed: bool = False


class _Groups:
    """Clusters as mutable member lists while merges, splits and rejections are worked through."""

    def __init__(self, clusters: Iterable[Cluster]) -> None:
        self._groups: list[_Group] = []
        self._where: dict[str, _Group] = {}
        for c in clusters:
            group = _Group(c.kind, list(c.members), c)
            self._groups.append(group)
            for m in c.members:
                self._where.setdefault(m, group)

    def of(self, mention_id: str) -> _Group | None:
        return self._where.get(mention_id)

    def merge(self, left: str, right: str) -> None:
        a, b = self._where[left], self._where[right]
        if a is b or a.kind != b.kind:
            return
        a.members += b.members
        a.changed = True
        for m in b.members:
            self._where[m] = a
        b.members = []

    def split(self, anchor: str, out: str) -> None:
        group = self._where[anchor]
        if self._where.get(out) is not group:
            return
        group.members.remove(out)
        group.changed = True
        alone = _Group(group.kind, [out], group.origin, changed=True)
        self._groups.append(alone)
        self._where[out] = alone

    def remove(self, mention_id: str) -> None:
        group = self._where.pop(mention_id, None)
        if group is not None:
            group.members.remove(mention_id)
            group.changed = True

    def live(self) -> list[_Group]:
        return [g for g in self._groups if g.members]


def _clustered(index: Mapping[EvidenceKey, list[str]], groups: _Groups, key: EvidenceKey) -> str | None:
    """The first mention (by id) with this evidence that is in a cluster."""
    return next((m for m in index.get(key, []) if groups.of(m) is not None), None)


def _corrected(cluster: Cluster, fields: Mapping[str, Any], by_id: Mapping[str, Mention]) -> dict[str, object]:
    """Cluster fields with corrections set; a corrected amount or currency re-priced in US dollars.

    A US-dollar value follows from the amount and the currency, so when a reviewer corrects
    either and not `usd` itself, it is worked out again: the amount itself for dollars, else at
    the rate a member's conversion used for that currency, else left unpriced rather than wrong.
    """
    out = dict(cluster.fields)
    out.update(fields)
    if cluster.kind != "commitment" or "usd" in fields or not ({"amount", "currency"} & set(fields)):
        return out
    amount, currency = out.get("amount"), out.get("currency")
    usd: Decimal | None = None
    if isinstance(amount, Decimal) and currency == "USD":
        usd = amount
    elif isinstance(amount, Decimal):
        # The representative's rate first: its conversion is the one the cluster showed.
        for m in [cluster.representative, *cluster.members]:
            fact = by_id[m].fact if m in by_id else None
            if isinstance(fact, Commitment) and fact.usd is not None and fact.currency == currency:
                usd = (amount * fact.usd.rate).quantize(Decimal("0.01"))
                break
    out["usd"] = usd
    return out


def _renamed(before: Sequence[Cluster], after: Sequence[Cluster]) -> dict[str, str]:
    """Old cluster id → the new cluster holding most of its members (ties: its representative's).

    Links and conflicts name clusters by id; a merged, split or shrunk cluster has a new one.
    Clusters none of whose members are left are absent: what named them goes too.
    """
    holder = {m: c.id for c in after for m in c.members}
    renamed: dict[str, str] = {}
    for c in before:
        counts: dict[str, int] = defaultdict(int)
        for m in c.members:
            if m in holder:
                counts[holder[m]] += 1
        if not counts:
            continue
        best = max(counts.values())
        tied = sorted(cid for cid, n in counts.items() if n == best)
        rep = holder.get(c.representative)
        renamed[c.id] = rep if rep in tied else tied[0]
    return renamed


def _links(links: Iterable[Link], renamed: Mapping[str, str]) -> tuple[Link, ...]:
    out: dict[tuple[str, str, str], Link] = {}
    for link in links:
        source, target = renamed.get(link.source), renamed.get(link.target)
        if source is None or target is None or source == target:
            continue
        out.setdefault((link.kind, source, target), dataclasses.replace(link, source=source, target=target))
    return tuple(out.values())


def _conflicts(
    conflicts: Iterable[Conflict], renamed: Mapping[str, str], rejected: Collection[str]
) -> tuple[Conflict, ...]:
    """Conflicts with clusters renamed; one is settled (and goes) once a reviewer rejects a side of it."""
    out = []
    for x in conflicts:
        if any(m in rejected for m in x.mentions) or any(c not in renamed for c in x.clusters):
            continue
        clusters = tuple(dict.fromkeys(renamed[c] for c in x.clusters))
        out.append(dataclasses.replace(x, clusters=clusters))
    return tuple(out)


def orphaned_reviews(reviews: Iterable[Review], mentions: Iterable[Mention]) -> list[Orphan]:
    """Reviews holding evidence that no current fact has, oldest first.

    Evidence goes when a document is replaced by a new version, or when extraction stops
    reading a sentence as that fact. The review stays in the trail; this says it no longer
    (or only partly) applies, so that someone can review the new facts.
    """
    present = {evidence_key(m.fact) for m in mentions}
    found = []
    for r in sorted(reviews, key=lambda r: r.id):
        missing = tuple(k for k in r.keys if k not in present)
        if missing:
            found.append(Orphan(r, missing, partial=len(missing) < len(set(r.keys))))
    return found


# ------------------------------------------------------------------------------- with a store


def record_review(
    store: Store,
    action: ReviewAction | str,
    target: str,
    *,
    by: str,
    other: str | None = None,
    fields: Sequence[str] = (),
    comment: str | None = None,
) -> Review:
    """Make one review and add it to the audit trail, in one transaction; returns it as recorded.

    `target` is a fact id or a cluster (its id, a member's id, or a unique prefix) for
    confirm / correct / reject; for merge it and `other` are the two clusters; for split it is
    the cluster and `other` the mention to take out of it. `fields` are the corrections as
    NAME=VALUE. The stored resolution changes when resolution next runs (`resolve_store`).
    """
    try:
        action = ReviewAction(action)
    except ValueError:
        raise ReviewError(f"{str(action)[:40]!r} is not a review action; use {', '.join(ReviewAction)}") from None
    by = check_name(by)
    comment = check_comment(comment)
    if fields and action is not ReviewAction.CORRECT:
        raise ReviewError(f"{action} takes no --field; only correct does")
    if not usable_ref(target) or (other is not None and not usable_ref(other)):
        raise NotFound(f"no fact or cluster {target[:80]!r}")
    statuses = fact_statuses(store.reviews())
    if action in VERDICTS:
        if other is not None:
            raise ReviewError(f"{action} takes one fact or cluster")
        draft = _verdict(store, action, target, fields, statuses)
        judgement = None
    elif other is None:
        wanted = "two clusters" if action is ReviewAction.MERGE else "a cluster and a mention"
        raise ReviewError(f"{action} takes two ids: {wanted}")
    elif action is ReviewAction.MERGE:
        draft, judgement = _merge(store, target, other, by)
    else:
        draft, judgement = _split(store, target, other, by)
    review = dataclasses.replace(draft, by=by, comment=comment)
    return store.add_review(review, judgement)


def _verdict(
    store: Store, action: ReviewAction, target: str, fields: Sequence[str], statuses: Mapping[EvidenceKey, ReviewStatus]
) -> Review:
    mention = store.mention(target)
    if mention is not None:
        kind = FACT_KINDS[type(mention.fact)]
        keys: tuple[EvidenceKey, ...] = (evidence_key(mention.fact),)
        targets: tuple[str, ...] = (mention.id,)
        status = statuses.get(keys[0], UNREVIEWED)
        current: Mapping[str, Any] = _fact_fields(mention.fact)
    elif (cluster := store.cluster(target)) is not None:
        stored = store.mentions_by_id(cluster.members)
        if not stored:
            raise ReviewError(f"no fact of cluster {cluster.id} is stored any more; run `aidtracker resolve` first")
        kind = cluster.kind
        keys = tuple(evidence_key(stored[m].fact) for m in cluster.members if m in stored)
        targets = (cluster.id,)
        status = cluster_status(keys, statuses)
        current = cluster.fields
    else:
        # A cluster a rejection removed has no row any more, but the trail knows its evidence:
        # confirming it by the id the reviewer saw undoes the rejection.
        kind, keys = _former_cluster(store, target)
        targets = (target,)
        status = cluster_status(keys, statuses)
        current = {}
    before: dict[str, Any] = {"state": str(status.state)}
    after: dict[str, Any] = {}
    if action is ReviewAction.CORRECT:
        corrections = parse_corrections(kind, fields)
        before["fields"] = {name: current.get(name) for name in corrections}
        after = {"state": str(ReviewState.CORRECTED), "fields": corrections}
    else:
        after = {"state": str(ReviewState.CONFIRMED if action is ReviewAction.CONFIRM else ReviewState.REJECTED)}
    return Review("", action, targets, keys, before, after)


def _former_cluster(store: Store, ref: str) -> tuple[str, tuple[EvidenceKey, ...]]:
    """The kind and evidence of a cluster no longer stored, from the latest review that named it."""
    for r in reversed(store.reviews()):
        if ref in r.targets and r.action in VERDICTS and r.keys:
            return r.keys[0].kind, r.keys
    raise NotFound(f"no fact or cluster {ref[:80]!r}")


def _fact_fields(fact: Fact) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in CORRECTABLE[FACT_KINDS[type(fact)]]:
        value = getattr(fact, name, None)
        if name == "usd" and value is not None:
            value = value.usd
        if isinstance(value, tuple):
            value = [str(v) for v in value]
        elif isinstance(value, StrEnum):
            value = value.value
        values[name] = value
    return values


def usable_ref(ref: str) -> bool:
    """False for a reference no id can match: a NUL (which PostgreSQL refuses outright) or too long.

    Ids are short and printable; refusing the rest before any query means hostile input gets
    "not found", never a database error.
    """
    return 0 < len(ref) <= 200 and "\x00" not in ref


def _cluster(store: Store, ref: str) -> Cluster:
    if not usable_ref(ref):
        raise NotFound(f"no fact or cluster {ref[:80]!r}")
    found = store.cluster(ref)
    if found is None:
        raise NotFound(f"no fact or cluster {ref[:80]!r}")
    return found


def _representative_key(store: Store, cluster: Cluster, avoid: str | None = None) -> tuple[str, EvidenceKey]:
    """A member of the cluster to anchor a merge or split to: its representative, unless that is `avoid`."""
    stored = store.mentions_by_id(cluster.members)
    order = [cluster.representative, *sorted(m for m in cluster.members if m != cluster.representative)]
    for m in order:
        if m in stored and m != avoid:
            return m, evidence_key(stored[m].fact)
    raise ReviewError(f"no other fact of cluster {cluster.id} is stored any more; run `aidtracker resolve` first")


def _merge(store: Store, target: str, other: str, by: str) -> tuple[Review, Judgement]:
    a, b = _cluster(store, target), _cluster(store, other)
    if a.id == b.id:
        raise ReviewError(f"{target} and {other} are both cluster {a.id}; nothing to merge")
    if a.kind != b.kind:
        raise ReviewError(f"cannot merge a {a.kind} cluster ({a.id}) with a {b.kind} cluster ({b.id})")
    (ma, ka), (mb, kb) = _representative_key(store, a), _representative_key(store, b)
    members = sorted({*a.members, *b.members})
    before = {"clusters": {a.id: list(a.members), b.id: list(b.members)}}
    after = {"members": members}
    left, right = sorted((ma, mb))
    judgement = Judgement(left, right, True, 1.0, (), by=by)  # the store words it (`review_judgement`)
    return Review(by, ReviewAction.MERGE, (a.id, b.id), (ka, kb), before, after), judgement


def _split(store: Store, target: str, mention_id: str, by: str) -> tuple[Review, Judgement]:
    cluster = _cluster(store, target)
    if mention_id not in cluster.members:
        raise ReviewError(f"{mention_id[:80]} is not a member of cluster {cluster.id}")
    if len(cluster.members) < 2:
        raise ReviewError(f"cluster {cluster.id} has one member; nothing to split")
    mention = store.mention(mention_id)
    if mention is None:
        raise ReviewError(f"mention {mention_id} is no longer stored; run `aidtracker resolve` first")
    anchor, anchor_key = _representative_key(store, cluster, avoid=mention_id)
    kept = [m for m in cluster.members if m != mention_id]
    before = {"cluster": cluster.id, "members": list(cluster.members)}
    after = {"members": [kept, [mention_id]]}
    left, right = sorted((anchor, mention_id))
    judgement = Judgement(left, right, False, 0.0, (), by=by)
    keys = (anchor_key, evidence_key(mention.fact))
    return Review(by, ReviewAction.SPLIT, (cluster.id, mention_id), keys, before, after), judgement


def review_log(store: Store, ref: str | None = None) -> list[Review]:
    """The audit trail, oldest first; for `ref` (a fact or cluster) the entries naming it or its evidence."""
    reviews = store.reviews()
    if ref is None:
        return reviews
    if not usable_ref(ref):
        return []
    ids, keys = {ref}, set()
    mention = store.mention(ref)
    if mention is not None:
        keys.add(evidence_key(mention.fact))
    else:
        cluster = store.cluster(ref)
        if cluster is not None:
            ids.add(cluster.id)
            keys |= {evidence_key(m.fact) for m in store.mentions_by_id(cluster.members).values()}
    return [r for r in reviews if ids & set(r.targets) or keys & set(r.keys)]


def review_states(store: Store, ids: Collection[str]) -> dict[str, ReviewStatus]:
    """The review status of each fact id and cluster id given; ids of neither are left out."""
    ids = [i for i in ids if usable_ref(i)]
    statuses = fact_statuses(store.reviews())
    found: dict[str, ReviewStatus] = {}
    facts = store.mentions_by_id(ids)
    for fact_id, m in facts.items():
        found[fact_id] = statuses.get(evidence_key(m.fact), UNREVIEWED)
    for ref in ids:
        if ref in facts:
            continue
        cluster = store.cluster(ref) if ref.startswith(("c_", "a_", "e_")) else None
        if cluster is None or cluster.id != ref:
            continue
        members = store.mentions_by_id(cluster.members)
        found[ref] = cluster_status((evidence_key(m.fact) for m in members.values()), statuses)
    return found


def changes_resolution(review: Review, earlier: Iterable[Review]) -> bool:
    """Whether applying `review` can change the resolution, given the reviews made before it.

    A confirmation of facts none of which stands rejected changes no cluster and no field (its
    state is read from the trail when shown), so the writing API need not resolve again for it.
    Every other review, and a confirmation that restores a rejected fact, does.
    """
    if review.action is not ReviewAction.CONFIRM:
        return True
    statuses = fact_statuses(r for r in earlier if r.id != review.id)
    return any(statuses.get(k, UNREVIEWED).state is ReviewState.REJECTED for k in review.keys)


def state_map(
    reviews: Sequence[Review], mentions: Mapping[str, Mention], clusters: Iterable[Cluster] = ()
) -> dict[str, ReviewState]:
    """The review state of each of these facts (by mention id) and clusters, in one pass.

    Pure: a cluster's state comes from its members among `mentions` (as `cluster_status`
    decides it). Ids left out of the result are unreviewed: with no reviews it is empty.
    """
    if not reviews:
        return {}
    statuses = fact_statuses(reviews)
    keys = {i: evidence_key(m.fact) for i, m in mentions.items()}
    found = {i: statuses[k].state for i, k in keys.items() if k in statuses}
    for c in clusters:
        state = cluster_status((keys[m] for m in c.members if m in keys), statuses).state
        if state is not ReviewState.UNREVIEWED:
            found[c.id] = state
    return found


def states_of(
    store: Store, clusters: Sequence[Cluster] = (), mentions: Mapping[str, Mention] | None = None
) -> dict[str, ReviewState]:
    """`state_map` over the store's trail, fetching the members of `clusters` not in `mentions`.

    What the API, the dashboard and the exports call to show every fact's and cluster's state;
    one query when there are no reviews at all.
    """
    reviews = store.reviews()
    if not reviews:
        return {}
    known = dict(mentions or {})
    missing = {m for c in clusters for m in c.members if m not in known}
    if missing:
        known |= store.mentions_by_id(missing)
    return state_map(reviews, known, clusters)


def reviewed_clusters(store: Store, clusters: Sequence[Cluster]) -> list[Cluster]:
    """Those of `clusters` that hold a confirmed or corrected fact: the `reviewed_only` filter."""
    states = states_of(store, clusters)
    return [c for c in clusters if states.get(c.id) in REVIEWED]


def orphans(store: Store) -> list[Orphan]:
    """Reviews whose evidence no current fact has (see `orphaned_reviews`); cheap when there are none."""
    reviews = store.reviews()
    return orphaned_reviews(reviews, store.mentions()) if reviews else []
