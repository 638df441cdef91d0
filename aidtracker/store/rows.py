"""Records ↔ table rows: the one place that knows how a record is laid out in columns.

Both directions live side by side so that a field added to a record has one obvious place to
be stored and read back, and the round-trip tests cover them together. Nothing here talks to a
database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from aidtracker.ids import make_id
from aidtracker.records import (
    Agreement,
    Article,
    Commitment,
    Conversion,
    Event,
    Evidence,
    Extraction,
    Fact,
    Furniture,
    Money,
    Person,
    Span,
)
from aidtracker.store.tables import plain
from aidtracker.types import (
    AgreementStatus,
    AgreementType,
    DateSource,
    EventType,
    Instrument,
    Kind,
    Scope,
    Sector,
    Status,
)

Row = dict[str, Any]
Stored = Mapping[Any, Any]  # what a query hands back (SQLAlchemy keys rows by column too)

# ---------------------------------------------------------------------------------- documents


def article_row(article: Article, *, version: int, supersedes: str | None, now: datetime) -> Row:
    title = article.title_span
    return {
        "id": article.id,
        "source": article.source,
        "version": version,
        "supersedes": supersedes,
        "title": article.title,
        "title_start": title.start if title else None,
        "title_end": title.end if title else None,
        "published": article.published,
        "published_how": str(article.published_how),
        "url": article.url,
        "publisher": article.publisher,
        "language": article.language,
        "format": article.format,
        "text": article.text,
        "furniture": [{"start": f.span.start, "end": f.span.end, "reason": f.reason} for f in article.furniture],
        "ingested_at": now,
        "n_chars": len(article.text),
    }


def article_from_row(row: Stored) -> Article:
    start, end = row["title_start"], row["title_end"]
    return Article(
        id=row["id"],
        text=row["text"],
        source=row["source"],
        title=row["title"],
        title_span=Span(start, end) if start is not None else None,
        published=row["published"],
        published_how=DateSource(row["published_how"]),
        url=row["url"],
        publisher=row["publisher"],
        language=row["language"],
        format=row["format"],
        furniture=tuple(Furniture(Span(f["start"], f["end"]), f["reason"]) for f in row["furniture"]),
    )


# -------------------------------------------------------------------------------------- facts


def fact_ids(extraction: Extraction) -> dict[str, list[str]]:
    """Stable ids for every fact of an extraction, per table, in extraction order.

    An id hashes the document, the fact type, the evidence span and the fields that tell two
    facts in one sentence apart, so re-extracting the same text yields the same ids. Facts
    identical in all of those get an occurrence number rather than colliding.
    """
    keys: dict[str, list[tuple[object, ...]]] = {
        "commitments": [
            (
                "commitment",
                *_span_key(c.evidence),
                c.donor,
                c.recipient,
                _dec(c.amount),
                c.currency,
                _dec(c.quantity),
                c.item,
                str(c.scope),
            )
            for c in extraction.commitments
        ],
        "agreements": [
            ("agreement", *_span_key(a.evidence), str(a.agreement_type), a.parties, a.subject)
            for a in extraction.agreements
        ],
        "events": [
            ("event", *_span_key(e.evidence), str(e.event_type), e.name, _iso(e.date)) for e in extraction.events
        ],
        "people": [("person", *_span_key(p.evidence), p.name) for p in extraction.people],
    }
    prefixes = {"commitments": "cmt_", "agreements": "agr_", "events": "evt_", "people": "per_"}
    ids: dict[str, list[str]] = {}
    for table, table_keys in keys.items():
        seen: Counter[tuple[object, ...]] = Counter()
        ids[table] = []
        for key in table_keys:
            ids[table].append(make_id(extraction.doc_id, *key, seen[key], prefix=prefixes[table]))
            seen[key] += 1
    return ids


def fact_rows(extraction: Extraction, *, extractor: str) -> dict[str, list[Row]]:
    """Rows for every fact table; `part_of` is left as an index for the writer to resolve."""
    ids = fact_ids(extraction)

    def common(table: str, i: int, fact: Fact) -> Row:
        return {
            "id": ids[table][i],
            "doc_id": fact.doc_id,
            "ordinal": i,
            "evidence_start": fact.evidence.span.start,
            "evidence_end": fact.evidence.span.end,
            "evidence_text": fact.evidence.text,
            "confidence": fact.confidence,
            "extractor": extractor,
        }

    return {
        "commitments": [
            common("commitments", i, c) | _commitment_fields(c) for i, c in enumerate(extraction.commitments)
        ],
        "agreements": [
            common("agreements", i, a)
            | {
                "parties": list(a.parties),
                "agreement_type": str(a.agreement_type),
                "subject": a.subject,
                "sectors": [str(s) for s in a.sectors],
                "count": a.count,
                "status": str(a.status),
                "date": a.date,
            }
            for i, a in enumerate(extraction.agreements)
        ],
        "events": [
            common("events", i, e)
            | {
                "name": e.name,
                "event_type": str(e.event_type),
                "date": e.date,
                "end_date": e.end_date,
                "location": e.location,
                "participants": list(e.participants),
            }
            for i, e in enumerate(extraction.events)
        ],
        "people": [
            common("people", i, p)
            | {
                "name": p.name,
                "aliases": list(p.aliases),
                "role": p.role,
                "affiliation": p.affiliation,
            }
            for i, p in enumerate(extraction.people)
        ],
    }


def _commitment_fields(c: Commitment) -> Row:
    usd = c.usd
    return {
        "donor": c.donor,
        "recipient": c.recipient,
        "amount": c.amount,
        "currency": c.currency,
        "money_text": c.money.text if c.money else None,
        "money": _money_json(c.money) if c.money else None,
        "usd": usd.usd if usd else None,
        "fx_rate": usd.rate if usd else None,
        "fx_date": usd.rate_date if usd else None,
        "fx_source": usd.source if usd else None,
        "quantity": c.quantity,
        "item": c.item,
        "scope": str(c.scope),
        "kind": str(c.kind),
        "instrument": str(c.instrument),
        "channel": c.channel,
        "status": str(c.status),
        "purpose": c.purpose,
        "sectors": [str(s) for s in c.sectors],
        "date": c.date,
        "alt_evidence": [_evidence_json(e) for e in c.alt_evidence],
        "equivalents": [_money_json(m) for m in c.equivalents],
        "part_of": c.part_of,
        "figure_start": c.figure.start if c.figure else None,
        "figure_end": c.figure.end if c.figure else None,
    }


def commitment_from_row(row: Stored, part_of: int | None) -> Commitment:
    """A stored commitment; `part_of` is passed in already turned back from an id into an index."""
    usd = None
    if row["usd"] is not None:
        usd = Conversion(row["usd"], row["fx_rate"], row["fx_date"], row["fx_source"])
    return Commitment(
        doc_id=row["doc_id"],
        donor=row["donor"],
        recipient=row["recipient"],
        evidence=_evidence(row),
        amount=row["amount"],
        currency=row["currency"],
        money=_money(row["money"]) if row["money"] is not None else None,
        usd=usd,
        quantity=row["quantity"],
        item=row["item"],
        scope=Scope(row["scope"]),
        kind=Kind(row["kind"]),
        instrument=Instrument(row["instrument"]),
        channel=row["channel"],
        status=Status(row["status"]),
        purpose=row["purpose"],
        sectors=tuple(Sector(s) for s in row["sectors"]),
        date=row["date"],
        confidence=row["confidence"],
        alt_evidence=tuple(_evidence_from_json(e) for e in row["alt_evidence"]),
        equivalents=tuple(_money(m) for m in row["equivalents"]),
        part_of=part_of,
        figure=Span(row["figure_start"], row["figure_end"]) if row["figure_start"] is not None else None,
    )


def agreement_from_row(row: Stored) -> Agreement:
    return Agreement(
        doc_id=row["doc_id"],
        parties=tuple(row["parties"]),
        agreement_type=AgreementType(row["agreement_type"]),
        evidence=_evidence(row),
        subject=row["subject"],
        sectors=tuple(Sector(s) for s in row["sectors"]),
        count=row["count"],
        status=AgreementStatus(row["status"]),
        date=row["date"],
        confidence=row["confidence"],
    )


def event_from_row(row: Stored) -> Event:
    return Event(
        doc_id=row["doc_id"],
        name=row["name"],
        event_type=EventType(row["event_type"]),
        evidence=_evidence(row),
        date=row["date"],
        end_date=row["end_date"],
        location=row["location"],
        participants=tuple(row["participants"]),
        confidence=row["confidence"],
    )


def person_from_row(row: Stored) -> Person:
    return Person(
        doc_id=row["doc_id"],
        name=row["name"],
        evidence=_evidence(row),
        aliases=tuple(row["aliases"]),
        role=row["role"],
        affiliation=row["affiliation"],
        confidence=row["confidence"],
    )


# ------------------------------------------------------------------------------ JSON and keys
# Decimals inside JSON are strings: a JSON number would come back as a float.


def _money_json(m: Money) -> Row:
    return {
        "text": m.text,
        "start": m.span.start,
        "end": m.span.end,
        "amount": plain(m.amount),
        "currency": m.currency,
        "amount_max": plain(m.amount_max) if m.amount_max is not None else None,
        "qualifier": m.qualifier,
        "currency_implicit": m.currency_implicit,
    }


def _money(j: Mapping[str, Any]) -> Money:
    return Money(
        text=j["text"],
        span=Span(j["start"], j["end"]),
        amount=Decimal(j["amount"]),
        currency=j["currency"],
        amount_max=Decimal(j["amount_max"]) if j["amount_max"] is not None else None,
        qualifier=j["qualifier"],
        currency_implicit=j["currency_implicit"],
    )


def _evidence_json(e: Evidence) -> Row:
    return {"doc_id": e.doc_id, "start": e.span.start, "end": e.span.end, "text": e.text}


def _evidence_from_json(j: Mapping[str, Any]) -> Evidence:
    return Evidence(j["doc_id"], Span(j["start"], j["end"]), j["text"])


def _evidence(row: Stored) -> Evidence:
    return Evidence(row["doc_id"], Span(row["evidence_start"], row["evidence_end"]), row["evidence_text"])


def _span_key(e: Evidence) -> Sequence[int]:
    return (e.span.start, e.span.end)


def _dec(value: Decimal | None) -> str | None:
    """`1.50` and `1.5` are one amount, so they must hash alike."""
    return plain(value) if value is not None else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
