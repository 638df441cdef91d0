"""The API's response shapes, as pydantic models: what the OpenAPI schema promises clients.

Amounts are decimal strings ("12100000000", "0.0417"), never JSON numbers, so no client reads
a rounded float; dates are ISO 8601. Every fact carries its evidence span, so a client can
highlight the sentence behind any figure in the document's text.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(Model):
    code: str = Field(description="Stable code to search for, e.g. AT501.")
    message: str


class ErrorOut(Model):
    """Every error the API returns has this shape."""

    error: ErrorBody


class Page(Model, Generic[T]):
    """One page of a listing; pass `next` back as `cursor` for the following page."""

    items: list[T]
    next: str | None = Field(description="Cursor of the next page; null on the last page.")
    total: int | None = Field(default=None, description="How many items match, when known.")


# --------------------------------------------------------------------------------- spans, money


class SpanOut(Model):
    start: int
    end: int


class EvidenceOut(Model):
    """A half-open character range [start, end) of a document's text, and that text."""

    doc_id: str
    start: int
    end: int
    text: str


class MoneyOut(Model):
    text: str = Field(description="The figure exactly as written.")
    start: int
    end: int
    amount: str
    currency: str | None
    amount_max: str | None
    qualifier: str | None
    currency_implicit: bool


class ConversionOut(Model):
    usd: str
    rate: str = Field(description="USD per unit of the stated currency.")
    rate_date: dt.date
    source: str


# -------------------------------------------------------------------------------------- facts

ReviewStateOut = Annotated[
    Literal["unreviewed", "confirmed", "corrected", "rejected"],
    Field(description="What reviewers made of it; a cluster is corrected or confirmed if any live fact of it is."),
]


class CommitmentFact(Model):
    type: Literal["commitment"] = "commitment"
    id: str
    doc_id: str
    cluster_id: str | None
    evidence: EvidenceOut
    alt_evidence: list[EvidenceOut]
    figure: SpanOut | None
    donor: str
    recipient: str | None
    amount: str | None
    currency: str | None
    money: MoneyOut | None
    usd: ConversionOut | None
    equivalents: list[MoneyOut]
    quantity: str | None
    item: str | None
    scope: str
    kind: str
    instrument: str
    channel: str | None
    status: str
    purpose: str | None
    sectors: list[str]
    date: dt.date | None
    part_of: int | None = Field(description="Index, in this document's commitments, of the containing package.")
    confidence: float
    review_state: ReviewStateOut = "unreviewed"


class AgreementFact(Model):
    type: Literal["agreement"] = "agreement"
    id: str
    doc_id: str
    cluster_id: str | None
    evidence: EvidenceOut
    parties: list[str]
    agreement_type: str
    subject: str | None
    sectors: list[str]
    count: int | None
    status: str
    date: dt.date | None
    confidence: float
    review_state: ReviewStateOut = "unreviewed"


class EventFact(Model):
    type: Literal["event"] = "event"
    id: str
    doc_id: str
    cluster_id: str | None
    evidence: EvidenceOut
    name: str
    event_type: str
    date: dt.date | None
    end_date: dt.date | None
    location: str | None
    participants: list[str]
    confidence: float
    review_state: ReviewStateOut = "unreviewed"


class PersonFact(Model):
    type: Literal["person"] = "person"
    id: str
    doc_id: str
    cluster_id: str | None
    evidence: EvidenceOut
    name: str
    aliases: list[str]
    role: str | None
    affiliation: str | None
    confidence: float
    review_state: ReviewStateOut = "unreviewed"


FactOut = Annotated[CommitmentFact | AgreementFact | EventFact | PersonFact, Field(discriminator="type")]


class MentionOut(Model):
    """A fact as one document states it, with where that document came from."""

    id: str
    doc_id: str
    title: str | None
    source: str
    publisher: str | None
    published: dt.date | None
    fact: FactOut


# ---------------------------------------------------------------------------------- documents


class FactCounts(Model):
    commitments: int
    agreements: int
    events: int
    people: int


class DocumentSummary(Model):
    id: str
    source: str
    version: int
    title: str | None
    published: dt.date | None
    publisher: str | None
    n_chars: int
    facts: FactCounts


class FurnitureOut(Model):
    start: int
    end: int
    reason: str = Field(description="advertisement, related-headlines, caption, byline, ...")


class DocumentDetail(Model):
    """A document's text exactly as stored, what of it is page furniture, and every fact in it."""

    id: str
    source: str
    title: str | None
    title_span: SpanOut | None
    published: dt.date | None
    published_how: str
    url: str | None
    publisher: str | None
    language: str
    format: str
    text: str
    furniture: list[FurnitureOut]
    facts: list[FactOut]


# ----------------------------------------------------------------------------------- clusters


class ClusterBase(Model):
    id: str
    representative: str
    n_mentions: int
    publishers: list[str]
    first_reported: dt.date | None
    last_reported: dt.date | None
    disagreements: dict[str, list[str]] = Field(description="Fields the sources state differently, every value.")
    mentions: list[MentionOut]
    review_state: ReviewStateOut = "unreviewed"


class CommitmentCluster(ClusterBase):
    type: Literal["commitment"] = "commitment"
    donor: str | None
    recipient: str | None
    amount: str | None
    currency: str | None
    usd: str | None
    quantity: str | None
    item: str | None
    scope: str | None
    kind: str | None
    instrument: str | None
    channel: str | None
    status: str | None
    purpose: str | None
    sectors: list[str]
    date: dt.date | None = Field(description="The date the sources give the fact, else when first reported.")


class AgreementCluster(ClusterBase):
    type: Literal["agreement"] = "agreement"
    agreement_type: str | None
    parties: list[str]
    subject: str | None
    count: int | None
    status: str | None
    sectors: list[str]
    date: dt.date | None


class EventCluster(ClusterBase):
    type: Literal["event"] = "event"
    name: str | None
    event_type: str | None
    date: dt.date | None
    end_date: dt.date | None
    location: str | None
    participants: list[str]


class JudgementOut(Model):
    left: str
    right: str
    same: bool
    score: float
    reasons: list[str]
    by: str


class LinkOut(Model):
    kind: str = Field(description="part_of: a tranche of a package; restates: a later running total.")
    source: str
    target: str
    reason: str


class ConflictOut(Model):
    id: str
    kind: str
    clusters: list[str]
    summary: str
    mentions: list[MentionOut]


class CommitmentDetail(CommitmentCluster):
    """A commitment cluster with why it is one: judgements, links to other clusters, conflicts."""

    judgements: list[JudgementOut]
    links: list[LinkOut]
    conflicts: list[ConflictOut]
    missing: list[str] = Field(description="Member mentions no longer stored (re-extracted since resolution).")


# ------------------------------------------------------------------------------------- actors


class RoleOut(Model):
    role: str
    affiliation: str | None
    attested: dt.date | None
    doc_id: str


class ActorOut(Model):
    id: str
    name: str
    type: str
    country: str | None
    aliases: list[str]
    roles: list[RoleOut]
    n_mentions: int


class ActorCommitment(Model):
    role: str = Field(description="donor, recipient, channel, or mentioned.")
    commitment: CommitmentCluster


class PartnerOut(Model):
    name: str
    actor_id: str | None
    relations: list[str] = Field(description="co-party, co-donor, co-participant, donor, recipient, channel.")
    shared: int = Field(description="How many records the two share.")


class SectorCount(Model):
    sector: str
    count: int


class ActorDetail(ActorOut):
    commitments: list[ActorCommitment]
    agreements: list[AgreementCluster]
    events: list[EventCluster]
    partners: list[PartnerOut]
    sectors: list[SectorCount]


# ------------------------------------------------------------------------------ totals, search


class TotalGroup(Model):
    key: str
    usd: str
    by_currency: dict[str, str]
    packages: list[str] = Field(description="Cluster ids summed in this group: the page `offset` and `limit` select.")
    package_count: int = Field(description="All the packages summed in this group, listed or not.")
    unpriced: int = Field(description="Packages with no priced amount (in kind, no figure): counted, not summed.")


class CumulativeClaim(Model):
    cluster: str
    donor: str
    amount: str | None
    currency: str | None
    usd: str | None
    reported: dt.date | None
    publishers: list[str]
    covers: str
    evidence: str


class TotalConflict(Model):
    id: str
    kind: str
    clusters: list[str]
    summary: str


class TotalsOut(Model):
    """New packages summed once each; running totals beside them, never added."""

    by: str
    groups: list[TotalGroup]
    cumulative: list[CumulativeClaim]
    conflicts: list[TotalConflict]
    excluded_parts: list[str] = Field(description="Tranches left out because their package is counted.")
    offset: int = Field(description="Where each list of ids and claims starts.")
    limit: int = Field(description="At most this many entries in each list of ids and claims.")
    cumulative_count: int = Field(description="All the running totals, listed or not.")
    conflict_count: int = Field(description="All the conflicts among them, listed or not.")
    excluded_count: int = Field(description="All the tranches left out, listed or not.")


class DocumentHitOut(Model):
    document: DocumentSummary
    snippet: str


class SearchOut(Model):
    query: str
    documents: list[DocumentHitOut]
    facts: list[MentionOut]
