"""Records ↔ table rows: the one place that knows how a record is laid out in columns.

Both directions live side by side so that a field added to a record has one obvious place to
be stored and read back, and the round-trip tests cover them together. Nothing here talks to a
database.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from aidtracker import records
from aidtracker.errors import StorageError
from aidtracker.ids import make_id
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
    Extraction,
    Fact,
    Furniture,
    Judgement,
    Link,
    Mention,
    Money,
    Person,
    Role,
    Span,
)
from aidtracker.store.tables import plain
from aidtracker.types import (
    ActorType,
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


def article_row(
    article: Article, *, version: int, supersedes: str | None, now: datetime, known_from: datetime | None = None
) -> Row:
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
        "known_from": known_from or now,
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


# --------------------------------------------------------------------------------- resolution

# A mention's kind is the singular of its fact table; its id's prefix says which table it is in.
MENTION_KINDS: dict[str, str] = {
    "commitments": "commitment",
    "agreements": "agreement",
    "events": "event",
    "people": "person",
}
_ID_PREFIX_KINDS = {"cmt_": "commitment", "agr_": "agreement", "evt_": "event", "per_": "person"}


def mention_kind(mention_id: str, default: str) -> str:
    """Which kind of fact a mention id names (from the prefix `fact_ids` gives it), else `default`."""
    return _ID_PREFIX_KINDS.get(mention_id[:4], default)


def mention(fact: Fact, fact_id: str, doc: Stored) -> Mention:
    """A stored fact together with what its document says about where it was published."""
    return Mention(
        id=fact_id,
        fact=fact,
        published=doc["published"],
        publisher=doc["publisher"],
        source=doc["source"],
        title=doc["title"],
    )


def cluster_row(c: Cluster, *, ordinal: int, part_of: str | None) -> Row:
    """A cluster's row: its fields whole as JSON, and the ones queries need as columns too.

    The columns are read loosely (a value of an unexpected type becomes NULL rather than an
    error) because they only serve queries; `fields` keeps what resolution actually said.
    """
    f = c.fields
    return {
        "id": c.id,
        "ordinal": ordinal,
        "kind": c.kind,
        "representative": c.representative,
        "fields": to_json(dict(f), what=f"field of cluster {c.id}"),
        "disagreements": to_json(dict(c.disagreements), what=f"disagreement of cluster {c.id}"),
        "publishers": list(c.publishers),
        "n_publishers": len(c.publishers),
        "first_reported": c.first_reported,
        "last_reported": c.last_reported,
        "donor": _column_text(f.get("donor")),
        "recipient": _column_text(f.get("recipient")),
        "currency": _column_text(f.get("currency")),
        "amount": _column_decimal(f.get("amount")),
        "usd": _column_decimal(f.get("usd")),
        "scope": _column_text(f.get("scope")),
        "status": _column_text(f.get("status")),
        "instrument": _column_text(f.get("instrument")),
        "channel": _column_text(f.get("channel")),
        "date": _column_date(f.get("date")),
        "sectors": _column_texts(f.get("sectors")),
        "part_of": part_of,
    }


def member_rows(c: Cluster) -> list[Row]:
    return [
        {"cluster_id": c.id, "mention_id": m, "ordinal": i, "kind": mention_kind(m, c.kind)}
        for i, m in enumerate(c.members)
    ]


def cluster_from_row(row: Stored, members: Sequence[str]) -> Cluster:
    disagreements = from_json(row["disagreements"])
    return Cluster(
        id=row["id"],
        kind=row["kind"],
        members=tuple(members),
        representative=row["representative"],
        fields=from_json(row["fields"]),
        disagreements={k: tuple(v) for k, v in disagreements.items()},
        publishers=tuple(row["publishers"]),
        first_reported=row["first_reported"],
        last_reported=row["last_reported"],
    )


def judgement_row(j: Judgement, *, ordinal: int | None, now: datetime) -> Row:
    return {
        "left": j.left,
        "right": j.right,
        "by": j.by,
        "ordinal": ordinal,
        "same": j.same,
        "score": j.score,
        "reasons": list(j.reasons),
        "created_at": now,
    }


def judgement_from_row(row: Stored) -> Judgement:
    return Judgement(
        left=row["left"],
        right=row["right"],
        same=row["same"],
        score=row["score"],
        reasons=tuple(row["reasons"]),
        by=row["by"],
    )


def link_row(link: Link, *, ordinal: int) -> Row:
    return {"kind": link.kind, "source": link.source, "target": link.target, "ordinal": ordinal, "reason": link.reason}


def link_from_row(row: Stored) -> Link:
    return Link(kind=row["kind"], source=row["source"], target=row["target"], reason=row["reason"])


def conflict_row(c: Conflict, *, ordinal: int) -> Row:
    return {
        "id": c.id,
        "ordinal": ordinal,
        "kind": c.kind,
        "clusters": list(c.clusters),
        "mentions": list(c.mentions),
        "summary": c.summary,
    }


def conflict_from_row(row: Stored) -> Conflict:
    return Conflict(
        id=row["id"],
        kind=row["kind"],
        clusters=tuple(row["clusters"]),
        mentions=tuple(row["mentions"]),
        summary=row["summary"],
    )


def actor_row(a: CanonicalActor, *, ordinal: int) -> Row:
    return {
        "id": a.id,
        "ordinal": ordinal,
        "name": a.name,
        "type": str(a.type),
        "country": a.country,
        "mentions": list(a.mentions),
    }


def alias_rows(a: CanonicalActor) -> list[Row]:
    """The actor's aliases in order, then its canonical name (ordinal NULL) if not one of them.

    The name is stored with the aliases so that one indexed lookup on `folded` finds an actor
    by any name it goes by.
    """
    found = [
        {"actor_id": a.id, "alias": alias, "ordinal": i, "folded": fold(alias)} for i, alias in enumerate(a.aliases)
    ]
    if a.name not in a.aliases:
        found.append({"actor_id": a.id, "alias": a.name, "ordinal": None, "folded": fold(a.name)})
    return found


def role_rows(a: CanonicalActor) -> list[Row]:
    return [
        {
            "actor_id": a.id,
            "ordinal": i,
            "role": r.role,
            "affiliation": r.affiliation,
            "attested": r.attested,
            "doc_id": r.doc_id,
        }
        for i, r in enumerate(a.roles)
    ]


def actor_from_rows(row: Stored, aliases: Sequence[str], roles: Sequence[Role]) -> CanonicalActor:
    return CanonicalActor(
        id=row["id"],
        name=row["name"],
        type=ActorType(row["type"]),
        country=row["country"],
        aliases=tuple(aliases),
        roles=tuple(roles),
        mentions=tuple(row["mentions"]),
    )


def role_from_row(row: Stored) -> Role:
    return Role(role=row["role"], affiliation=row["affiliation"], attested=row["attested"], doc_id=row["doc_id"])


def fold(name: str) -> str:
    """A name as lookups compare it: case, accents and runs of spaces ignored ("Šmyhal" → "smyhal")."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def _column_text(value: object) -> str | None:
    return str(value) if isinstance(value, str) else None  # a StrEnum is a str: its value


def _column_texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [str(v) for v in value if isinstance(v, str)]
    return []


def _column_decimal(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, Conversion):
        return value.usd
    if isinstance(value, Money):
        return value.amount
    return None


def _column_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


# A cluster's `fields` may hold any value resolution found most specific: amounts, dates,
# enums, lists or tuples, even whole records (a Money, a Conversion). JSON has only lists, so
# the rest are tagged on the way in and rebuilt on the way out: what is read back equals what
# was written (enums come back as their plain values, which compare equal to them).
_RECORDS: dict[str, type] = {
    name: cls for name, cls in vars(records).items() if isinstance(cls, type) and dataclasses.is_dataclass(cls)
}


def to_json(value: object, *, what: str = "value") -> Any:
    """`value` as JSON that `from_json` turns back into an equal value; refuses what it cannot."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise StorageError(f"cannot store {value!r} as a {what}: JSON has no such number")
        return value
    if isinstance(value, Enum):
        return to_json(value.value, what=what)
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise StorageError(f"cannot store {value!r} as a {what}: not a finite amount")
        return {"$decimal": plain(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [to_json(v, what=what) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [to_json(v, what=what) for v in value]}
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, v in value.items():
            if not isinstance(key, str) or key.startswith("$"):
                raise StorageError(f"cannot store key {key!r} in a {what}: keys are names not starting with '$'")
            out[key] = to_json(v, what=what)
        return out
    cls = type(value)
    if dataclasses.is_dataclass(value) and _RECORDS.get(cls.__name__) is cls:
        fields = {f.name: to_json(getattr(value, f.name), what=what) for f in dataclasses.fields(value)}
        return {"$record": cls.__name__, "fields": fields}
    raise StorageError(f"cannot store a {cls.__name__} ({value!r}) as a {what}: it has no JSON form")


def from_json(value: Any) -> Any:
    """The value `to_json` was given (enums as their plain values)."""
    if isinstance(value, list):
        return [from_json(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$decimal":
            return Decimal(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$datetime":
            return datetime.fromisoformat(raw)
        if tag == "$tuple":
            return tuple(from_json(v) for v in raw)
    if set(value) == {"$record", "fields"}:
        return _RECORDS[value["$record"]](**{k: from_json(v) for k, v in value["fields"].items()})
    return {k: from_json(v) for k, v in value.items()}


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
