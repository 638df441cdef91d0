"""The record as flat tables: one row per cluster, mention or actor, with typed columns.

Input: a `Store`. Output: `Table`s whose columns declare their type, so each file format can
write a value as what it is (a decimal amount, a date, a list of sectors) rather than guess.
The same tables feed CSV, JSON, Parquet and Excel, so the formats never disagree. Every cluster
and mention row carries its `review_state`; `reviewed_only` keeps the clusters holding a fact a
reviewer confirmed or corrected (and their mentions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from aidtracker.query import effective_date, text_of, texts_of
from aidtracker.records import Agreement, Cluster, Commitment, Event, Mention
from aidtracker.review import REVIEWED, ReviewState, states_of
from aidtracker.store import Store

ColumnType = Literal["text", "decimal", "date", "int", "float", "list"]
Row = dict[str, Any]

KINDS = ("commitments", "agreements", "events", "actors")


@dataclass(frozen=True, slots=True)
class Table:
    """A named table: its columns with their types, and rows keyed by column name."""

    name: str
    columns: tuple[tuple[str, ColumnType], ...]
    rows: list[Row]


def _cols(spec: str) -> tuple[tuple[str, ColumnType], ...]:
    """Columns from "name:type name:type ..." (type text when left off): one line per table."""
    out: list[tuple[str, ColumnType]] = []
    for word in spec.split():
        name, _, kind = word.partition(":")
        out.append((name, kind or "text"))  # type: ignore[arg-type]  # checked by the tests' round trips
    return tuple(out)


_CLUSTER = (
    "first_reported:date last_reported:date n_mentions:int publishers:list representative disagreements review_state"
)
COMMITMENT_COLUMNS = _cols(
    "id donor recipient amount:decimal currency usd:decimal quantity:decimal item scope kind instrument channel "
    f"status purpose sectors:list date:date part_of {_CLUSTER}"
)
MENTION_COLUMNS = _cols(
    "cluster_id mention_id doc_id title source url publisher published:date evidence_start:int evidence_end:int "
    "evidence_text donor recipient amount_text amount:decimal currency usd:decimal fx_rate:decimal fx_date:date "
    "quantity:decimal item scope kind instrument channel status purpose sectors:list date:date confidence:float "
    "review_state"
)
AGREEMENT_COLUMNS = _cols(
    f"id agreement_type parties:list subject count:int status sectors:list date:date evidence_text {_CLUSTER}"
)
EVENT_COLUMNS = _cols(f"id name event_type date:date end_date:date location participants:list evidence_text {_CLUSTER}")
ACTOR_COLUMNS = _cols("id name type country aliases:list roles:list n_mentions:int")


def _decimal(c: Cluster, name: str) -> Decimal | None:
    value = c.fields.get(name)
    return value if isinstance(value, Decimal) else None


def _date(c: Cluster, name: str) -> date | None:
    value = c.fields.get(name)
    return value if isinstance(value, date) else None


def _disagreements(c: Cluster) -> str | None:
    if not c.disagreements:
        return None
    return "; ".join(f"{k}: {' | '.join(_shown(v) for v in vs)}" for k, vs in sorted(c.disagreements.items()))


def _shown(value: object) -> str:
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    return value.isoformat() if isinstance(value, date) else str(value)


def _cluster_columns(c: Cluster) -> Row:
    return {
        "first_reported": c.first_reported,
        "last_reported": c.last_reported,
        "n_mentions": len(c.members),
        "publishers": list(c.publishers),
        "representative": c.representative,
        "disagreements": _disagreements(c),
    }


def _evidence(c: Cluster, mentions: dict[str, Mention]) -> str | None:
    rep = mentions.get(c.representative)
    return rep.fact.evidence.text if rep else None


def commitment_row(c: Cluster, part_of: dict[str, str]) -> Row:
    row: Row = {"id": c.id}
    for name in ("donor", "recipient", "currency", "item", "scope", "kind", "instrument", "channel", "status"):
        row[name] = text_of(c, name)
    row |= {
        "amount": _decimal(c, "amount"),
        "usd": _decimal(c, "usd"),
        "quantity": _decimal(c, "quantity"),
        "purpose": text_of(c, "purpose"),
        "sectors": texts_of(c, "sectors"),
        "date": effective_date(c),
        "part_of": part_of.get(c.id),
    }
    return row | _cluster_columns(c)


def mention_row(cluster_id: str, m: Mention, url: str | None) -> Row:
    f = m.fact
    assert isinstance(f, Commitment)
    return {
        "cluster_id": cluster_id,
        "mention_id": m.id,
        "doc_id": f.doc_id,
        "title": m.title,
        "source": m.source,
        "url": url,
        "publisher": m.publisher,
        "published": m.published,
        "evidence_start": f.evidence.span.start,
        "evidence_end": f.evidence.span.end,
        "evidence_text": f.evidence.text,
        "donor": f.donor,
        "recipient": f.recipient,
        "amount_text": f.money.text if f.money else None,
        "amount": f.amount,
        "currency": f.currency,
        "usd": f.usd.usd if f.usd else None,
        "fx_rate": f.usd.rate if f.usd else None,
        "fx_date": f.usd.rate_date if f.usd else None,
        "quantity": f.quantity,
        "item": f.item,
        "scope": str(f.scope),
        "kind": str(f.kind),
        "instrument": str(f.instrument),
        "channel": f.channel,
        "status": str(f.status),
        "purpose": f.purpose,
        "sectors": [str(s) for s in f.sectors],
        "date": f.date,
        "confidence": f.confidence,
    }


def agreement_row(c: Cluster, mentions: dict[str, Mention]) -> Row:
    count = c.fields.get("count")
    return {
        "id": c.id,
        "agreement_type": text_of(c, "agreement_type"),
        "parties": texts_of(c, "parties"),
        "subject": text_of(c, "subject"),
        "count": count if isinstance(count, int) and not isinstance(count, bool) else None,
        "status": text_of(c, "status"),
        "sectors": texts_of(c, "sectors"),
        "date": effective_date(c),
        "evidence_text": _evidence(c, mentions),
    } | _cluster_columns(c)


def event_row(c: Cluster, mentions: dict[str, Mention]) -> Row:
    return {
        "id": c.id,
        "name": text_of(c, "name"),
        "event_type": text_of(c, "event_type"),
        "date": effective_date(c),
        "end_date": _date(c, "end_date"),
        "location": text_of(c, "location"),
        "participants": texts_of(c, "participants"),
        "evidence_text": _evidence(c, mentions),
    } | _cluster_columns(c)


def document_urls(store: Store, doc_ids: Iterable[str]) -> dict[str, str | None]:
    """The URL each document was published at, where its ingestion knew one."""
    out: dict[str, str | None] = {}
    for doc_id in sorted(set(doc_ids)):
        article = store.article(doc_id)
        out[doc_id] = article.url if article else None
    return out


States = dict[str, ReviewState]


def _state(states: States, ref: str) -> str:
    return str(states.get(ref, ReviewState.UNREVIEWED))


def clusters_to_export(store: Store, kind: str, *, reviewed_only: bool = False) -> tuple[list[Cluster], States]:
    """A kind's clusters with the review state of each and of their members, the unreviewed left
    out when `reviewed_only`."""
    clusters = store.clusters(kind)
    states = states_of(store, clusters)
    if reviewed_only:
        clusters = [c for c in clusters if states.get(c.id) in REVIEWED]
    return clusters, states


def tables(store: Store, kind: str = "all", *, reviewed_only: bool = False) -> list[Table]:
    """The tables for `kind` ("commitments" gives clusters and their mentions; "all" every table)."""
    wanted = KINDS if kind == "all" else (kind,)
    unknown = set(wanted) - set(KINDS)
    if unknown:
        raise ValueError(f"no export of {', '.join(sorted(unknown))}; choose one of {', '.join(KINDS)} or all")
    makers: dict[str, Callable[[Store, bool], list[Table]]] = {
        "commitments": _commitment_tables,
        "agreements": lambda s, r: [_cluster_table(s, "agreement", AGREEMENT_COLUMNS, agreement_row, r)],
        "events": lambda s, r: [_cluster_table(s, "event", EVENT_COLUMNS, event_row, r)],
        "actors": lambda s, _r: _actor_tables(s),
    }
    return [t for k in wanted for t in makers[k](store, reviewed_only)]


def _commitment_tables(store: Store, reviewed_only: bool) -> list[Table]:
    clusters, states = clusters_to_export(store, "commitment", reviewed_only=reviewed_only)
    part_of = {li.source: li.target for li in store.resolution().links if li.kind == "part_of"}
    mentions = store.mentions_by_id([m for c in clusters for m in c.members])
    urls = document_urls(store, (m.fact.doc_id for m in mentions.values()))
    mention_rows = [
        mention_row(c.id, mentions[m], urls.get(mentions[m].fact.doc_id)) | {"review_state": _state(states, m)}
        for c in clusters
        for m in c.members
        if m in mentions and isinstance(mentions[m].fact, Commitment)
    ]
    rows = [commitment_row(c, part_of) | {"review_state": _state(states, c.id)} for c in clusters]
    return [
        Table("commitments", COMMITMENT_COLUMNS, rows),
        Table("commitment_mentions", MENTION_COLUMNS, mention_rows),
    ]


def _cluster_table(
    store: Store,
    kind: str,
    columns: tuple[tuple[str, ColumnType], ...],
    make: Callable[[Cluster, dict[str, Mention]], Row],
    reviewed_only: bool,
) -> Table:
    clusters, states = clusters_to_export(store, kind, reviewed_only=reviewed_only)
    reps = store.mentions_by_id([c.representative for c in clusters])
    fact_type = Agreement if kind == "agreement" else Event
    reps = {k: m for k, m in reps.items() if isinstance(m.fact, fact_type)}
    return Table(f"{kind}s", columns, [make(c, reps) | {"review_state": _state(states, c.id)} for c in clusters])


def _actor_tables(store: Store) -> list[Table]:
    rows = []
    for a in store.actors():
        roles = [
            r.role + (f", {r.affiliation}" if r.affiliation else "") + (f" ({r.attested})" if r.attested else "")
            for r in a.roles
        ]
        rows.append(
            {
                "id": a.id,
                "name": a.name,
                "type": str(a.type),
                "country": a.country,
                "aliases": list(a.aliases),
                "roles": roles,
                "n_mentions": len(a.mentions),
            }
        )
    return [Table("actors", ACTOR_COLUMNS, rows)]
