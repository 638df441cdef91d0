"""Records → response models: the one place that decides how a record looks in JSON.

Routes fetch records from the store or `aidtracker.query` and hand them here. Nothing here
reads the database; amounts become decimal strings (`tables.plain`), enums their values.
`states` maps fact and cluster ids to their review state (`review.states_of`); an id it
leaves out is unreviewed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from aidtracker.api import models as m
from aidtracker.dedupe import Totals
from aidtracker.query import ActorProfile, effective_date, text_of, texts_of
from aidtracker.records import (
    Agreement,
    Article,
    CanonicalActor,
    Cluster,
    Commitment,
    Conflict,
    Conversion,
    Event,
    Evidence,
    Fact,
    Judgement,
    Link,
    Mention,
    Money,
    Person,
)
from aidtracker.store import ArticleRow, DocumentHit, Explanation
from aidtracker.store.tables import plain


def _dec(value: Decimal | None) -> str | None:
    return plain(value) if value is not None else None


def _evidence(e: Evidence) -> m.EvidenceOut:
    return m.EvidenceOut(doc_id=e.doc_id, start=e.span.start, end=e.span.end, text=e.text)


def _money(x: Money) -> m.MoneyOut:
    return m.MoneyOut(
        text=x.text,
        start=x.span.start,
        end=x.span.end,
        amount=plain(x.amount),
        currency=x.currency,
        amount_max=_dec(x.amount_max),
        qualifier=x.qualifier,
        currency_implicit=x.currency_implicit,
    )


def _conversion(x: Conversion) -> m.ConversionOut:
    return m.ConversionOut(usd=plain(x.usd), rate=plain(x.rate), rate_date=x.rate_date, source=x.source)


AnyFact = m.CommitmentFact | m.AgreementFact | m.EventFact | m.PersonFact
States = Mapping[str, str]
NO_STATES: States = {}


def fact(fact_id: str, f: Fact, cluster_id: str | None, states: States = NO_STATES) -> AnyFact:
    """One stored fact with its id, its evidence span, the cluster resolution put it in and its review state."""
    common: dict[str, Any] = {
        "id": fact_id,
        "doc_id": f.doc_id,
        "cluster_id": cluster_id,
        "evidence": _evidence(f.evidence),
        "confidence": f.confidence,
        "review_state": str(states.get(fact_id, "unreviewed")),
    }
    if isinstance(f, Commitment):
        return m.CommitmentFact(
            **common,
            alt_evidence=[_evidence(e) for e in f.alt_evidence],
            figure=m.SpanOut(start=f.figure.start, end=f.figure.end) if f.figure else None,
            donor=f.donor,
            recipient=f.recipient,
            amount=_dec(f.amount),
            currency=f.currency,
            money=_money(f.money) if f.money else None,
            usd=_conversion(f.usd) if f.usd else None,
            equivalents=[_money(x) for x in f.equivalents],
            quantity=_dec(f.quantity),
            item=f.item,
            scope=str(f.scope),
            kind=str(f.kind),
            instrument=str(f.instrument),
            channel=f.channel,
            status=str(f.status),
            purpose=f.purpose,
            sectors=[str(s) for s in f.sectors],
            date=f.date,
            part_of=f.part_of,
        )
    if isinstance(f, Agreement):
        return m.AgreementFact(
            **common,
            parties=list(f.parties),
            agreement_type=str(f.agreement_type),
            subject=f.subject,
            sectors=[str(s) for s in f.sectors],
            count=f.count,
            status=str(f.status),
            date=f.date,
        )
    if isinstance(f, Event):
        return m.EventFact(
            **common,
            name=f.name,
            event_type=str(f.event_type),
            date=f.date,
            end_date=f.end_date,
            location=f.location,
            participants=list(f.participants),
        )
    assert isinstance(f, Person)
    return m.PersonFact(**common, name=f.name, aliases=list(f.aliases), role=f.role, affiliation=f.affiliation)


def mention(x: Mention, cluster_id: str | None = None, states: States = NO_STATES) -> m.MentionOut:
    return m.MentionOut(
        id=x.id,
        doc_id=x.fact.doc_id,
        title=x.title,
        source=x.source,
        publisher=x.publisher,
        published=x.published,
        fact=fact(x.id, x.fact, cluster_id, states),
    )


def document_summary(row: ArticleRow) -> m.DocumentSummary:
    return m.DocumentSummary(
        id=row.id,
        source=row.source,
        version=row.version,
        title=row.title,
        published=row.published,
        publisher=row.publisher,
        n_chars=row.n_chars,
        facts=m.FactCounts(
            commitments=row.commitments, agreements=row.agreements, events=row.events, people=row.people
        ),
    )


def document_hit(hit: DocumentHit) -> m.DocumentHitOut:
    return m.DocumentHitOut(document=document_summary(hit.document), snippet=hit.snippet)


def document_detail(
    a: Article, mentions: list[Mention], clusters: dict[str, str], states: States = NO_STATES
) -> m.DocumentDetail:
    return m.DocumentDetail(
        id=a.id,
        source=a.source,
        title=a.title,
        title_span=m.SpanOut(start=a.title_span.start, end=a.title_span.end) if a.title_span else None,
        published=a.published,
        published_how=str(a.published_how),
        url=a.url,
        publisher=a.publisher,
        language=a.language,
        format=a.format,
        text=a.text,
        furniture=[m.FurnitureOut(start=f.span.start, end=f.span.end, reason=f.reason) for f in a.furniture],
        facts=[fact(x.id, x.fact, clusters.get(x.id), states) for x in mentions],
    )


# ----------------------------------------------------------------------------------- clusters


def _shown(value: object) -> str:
    """A disagreeing value as text: amounts plain, dates ISO, records by what the text said."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else str(value)


def _decimal_field(c: Cluster, name: str) -> str | None:
    value = c.fields.get(name)
    return plain(value) if isinstance(value, Decimal) else None


def _date_field(c: Cluster, name: str) -> date | None:
    value = c.fields.get(name)
    return value if isinstance(value, date) else None


def _base(c: Cluster, mentions: dict[str, Mention], states: States) -> dict[str, Any]:
    return {
        "id": c.id,
        "representative": c.representative,
        "n_mentions": len(c.members),
        "publishers": list(c.publishers),
        "first_reported": c.first_reported,
        "last_reported": c.last_reported,
        "disagreements": {k: [_shown(v) for v in values] for k, values in c.disagreements.items()},
        "mentions": [mention(mentions[x], c.id, states) for x in c.members if x in mentions],
        "review_state": str(states.get(c.id, "unreviewed")),
    }


def commitment_cluster(c: Cluster, mentions: dict[str, Mention], states: States = NO_STATES) -> m.CommitmentCluster:
    return m.CommitmentCluster(**_commitment_fields(c, mentions, states))


def _commitment_fields(c: Cluster, mentions: dict[str, Mention], states: States) -> dict[str, Any]:
    return {
        **_base(c, mentions, states),
        "donor": text_of(c, "donor"),
        "recipient": text_of(c, "recipient"),
        "amount": _decimal_field(c, "amount"),
        "currency": text_of(c, "currency"),
        "usd": _decimal_field(c, "usd"),
        "quantity": _decimal_field(c, "quantity"),
        "item": text_of(c, "item"),
        "scope": text_of(c, "scope"),
        "kind": text_of(c, "kind"),
        "instrument": text_of(c, "instrument"),
        "channel": text_of(c, "channel"),
        "status": text_of(c, "status"),
        "purpose": text_of(c, "purpose"),
        "sectors": texts_of(c, "sectors"),
        "date": effective_date(c),
    }


def agreement_cluster(c: Cluster, mentions: dict[str, Mention], states: States = NO_STATES) -> m.AgreementCluster:
    count = c.fields.get("count")
    return m.AgreementCluster(
        **_base(c, mentions, states),
        agreement_type=text_of(c, "agreement_type"),
        parties=texts_of(c, "parties"),
        subject=text_of(c, "subject"),
        count=count if isinstance(count, int) and not isinstance(count, bool) else None,
        status=text_of(c, "status"),
        sectors=texts_of(c, "sectors"),
        date=effective_date(c),
    )


def event_cluster(c: Cluster, mentions: dict[str, Mention], states: States = NO_STATES) -> m.EventCluster:
    return m.EventCluster(
        **_base(c, mentions, states),
        name=text_of(c, "name"),
        event_type=text_of(c, "event_type"),
        date=effective_date(c),
        end_date=_date_field(c, "end_date"),
        location=text_of(c, "location"),
        participants=texts_of(c, "participants"),
    )


def judgement(j: Judgement) -> m.JudgementOut:
    return m.JudgementOut(left=j.left, right=j.right, same=j.same, score=j.score, reasons=list(j.reasons), by=j.by)


def link(x: Link) -> m.LinkOut:
    return m.LinkOut(kind=x.kind, source=x.source, target=x.target, reason=x.reason)


def conflict(
    x: Conflict, mentions: dict[str, Mention], clusters: dict[str, str], states: States = NO_STATES
) -> m.ConflictOut:
    return m.ConflictOut(
        id=x.id,
        kind=x.kind,
        clusters=list(x.clusters),
        summary=x.summary,
        mentions=[mention(mentions[i], clusters.get(i), states) for i in x.mentions if i in mentions],
    )


def commitment_detail(
    x: Explanation, conflict_mentions: dict[str, Mention], states: States = NO_STATES
) -> m.CommitmentDetail:
    mentions = {y.id: y for y in x.mentions}
    everything = {**conflict_mentions, **mentions}
    return m.CommitmentDetail(
        **_commitment_fields(x.cluster, mentions, states),
        judgements=[judgement(j) for j in x.judgements],
        links=[link(li) for li in x.links],
        conflicts=[conflict(c, everything, {}, states) for c in x.conflicts],
        missing=list(x.missing),
    )


# ------------------------------------------------------------------------------------- actors


def actor(a: CanonicalActor) -> m.ActorOut:
    return m.ActorOut(**_actor_fields(a))


def _actor_fields(a: CanonicalActor) -> dict[str, Any]:
    return {
        "id": a.id,
        "name": a.name,
        "type": str(a.type),
        "country": a.country,
        "aliases": list(a.aliases),
        "roles": [
            m.RoleOut(role=r.role, affiliation=r.affiliation, attested=r.attested, doc_id=r.doc_id) for r in a.roles
        ],
        "n_mentions": len(a.mentions),
    }


def actor_detail(p: ActorProfile, states: States = NO_STATES) -> m.ActorDetail:
    """An actor's page: its records carry no mentions (open a record for those), to stay small."""
    none: dict[str, Mention] = {}
    return m.ActorDetail(
        **_actor_fields(p.actor),
        commitments=[
            m.ActorCommitment(role=role, commitment=commitment_cluster(c, none, states)) for c, role in p.commitments
        ],
        agreements=[agreement_cluster(c, none, states) for c in p.agreements],
        events=[event_cluster(c, none, states) for c in p.events],
        partners=[
            m.PartnerOut(name=x.name, actor_id=x.actor_id, relations=sorted(x.relations), shared=len(x.shared))
            for x in p.partners
        ],
        sectors=[m.SectorCount(sector=s, count=n) for s, n in p.sectors],
    )


def totals(t: Totals, *, limit: int, offset: int = 0) -> m.TotalsOut:
    """The sums whole, and one page of each list behind them, with each list's full length.

    Over a large record the lists are long (every counted package of every group, every running
    total with its evidence: megabytes at a million mentions), while the sums are a few rows;
    sending a page keeps the answer quick, and `offset` walks the rest.
    """
    window = slice(offset, offset + limit)
    page = Totals(
        by=t.by,
        groups=[replace(g, packages=g.packages[window]) for g in t.groups],
        cumulative=t.cumulative[window],
        conflicts=t.conflicts[window],
        excluded_parts=t.excluded_parts[window],
    )
    body = page.as_dict()
    for group, whole in zip(body["groups"], t.groups, strict=True):
        group["package_count"] = len(whole.packages)
    body |= {
        "offset": offset,
        "limit": limit,
        "cumulative_count": len(t.cumulative),
        "conflict_count": len(t.conflicts),
        "excluded_count": len(t.excluded_parts),
    }
    return m.TotalsOut.model_validate(body)
