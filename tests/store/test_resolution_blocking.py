"""Resolution compares fewer pairs than all of them, and loses no judgement by it.

`dedupe.cluster` compares only mentions in one block (commitments: same donor and scope) and
reported within the comparison window of each other. Every pair it skips must be one that the
comparison would have refused with a score too low to keep; checked here by comparing every
pair of the project's own articles' mentions, plus copies moved to either side of the window.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations

import pytest

from aidtracker.dedupe import cluster as clustering
from aidtracker.dedupe.compare import (
    WINDOW_DAYS,
    compare_agreements,
    compare_commitments,
    compare_events,
    reported_on,
)
from aidtracker.records import Agreement, Commitment, Conversion, Event, Evidence, Mention, Money, Span
from aidtracker.types import AgreementType, EventType

KINDS = {"commitment": Commitment, "event": Event, "agreement": Agreement}


@pytest.fixture(scope="module")
def mentions(article_mentions: list[Mention]) -> list[Mention]:
    """The fixture articles' mentions, and copies dated just inside and just outside the window."""
    found = article_mentions
    copies = []
    for n, m in enumerate(found):
        when = reported_on(m)
        if when is None or n % 3:
            continue
        for days in (WINDOW_DAYS, WINDOW_DAYS + 1, -WINDOW_DAYS - 1):
            doc = f"doc_copy{n}x{days}"
            fact = dataclasses.replace(m.fact, doc_id=doc)
            if hasattr(fact, "date"):
                fact = dataclasses.replace(fact, date=None)  # type: ignore[call-arg]
            copies.append(dataclasses.replace(m, id=f"{m.id}x{days}", fact=fact, published=when + timedelta(days)))
    undated = [dataclasses.replace(m, id=f"{m.id}u", published=None) for m in found[::7]]
    undated = [
        dataclasses.replace(m, fact=dataclasses.replace(m.fact, date=None)) if hasattr(m.fact, "date") else m  # type: ignore[call-arg]
        for m in undated
    ]
    return found + copies + undated


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_skipped_pair_would_have_been_refused(mentions: list[Mention], kind: str) -> None:
    of_kind = sorted((m for m in mentions if isinstance(m.fact, KINDS[kind])), key=lambda m: m.id)
    pairs = [(a.id, b.id) for a, b in clustering.compared_pairs(of_kind)]
    compared = set(pairs)
    assert len(pairs) == len(compared)  # each pair once
    compare = clustering._comparer(kind)
    skipped = kept = 0
    for a, b in combinations(of_kind, 2):
        if a.fact.doc_id == b.fact.doc_id:
            continue
        j = compare(a, b)
        if (a.id, b.id) in compared:
            kept += j.same or j.score >= clustering._NEAR_MISS
            continue
        skipped += 1
        assert not j.same and j.score < clustering._NEAR_MISS, (a.id, b.id, j.reasons)
    assert skipped and kept  # both sides of the question were exercised
    assert all(a < b for a, b in pairs)


def test_pairs_are_each_compared_once_and_respect_the_window() -> None:
    base = date(2024, 1, 1)

    def mention(i: int, day: int | None) -> Mention:
        doc = f"doc_{i}"
        fact = Event(doc, "donor conference", EventType.CONFERENCE, Evidence(doc, Span(0, 5), "Talks"))
        return Mention(id=f"e_{i:02d}", fact=fact, published=None if day is None else base + timedelta(day))

    block = [mention(0, 0), mention(1, WINDOW_DAYS), mention(2, WINDOW_DAYS + 1), mention(3, None), mention(4, None)]
    pairs = [(a.id, b.id) for a, b in clustering._pairs(block)]
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {
        ("e_00", "e_01"),
        ("e_01", "e_02"),
        ("e_03", "e_04"),
        *(("e_00", "e_03"), ("e_01", "e_03"), ("e_02", "e_03")),
        *(("e_00", "e_04"), ("e_01", "e_04"), ("e_02", "e_04")),
    }


def _commitment(i: int, **fields: object) -> Mention:
    doc = f"doc_s{i:03d}"
    text = str(fields.pop("text", "Japan will provide support."))
    fact = Commitment(doc, "Japan", "Ukraine", Evidence(doc, Span(0, len(text)), text), **fields)  # type: ignore[arg-type]
    return Mention(id=f"c_s{i:03d}", fact=fact, published=date(2024, 5, 1) + timedelta(i % 3))


def _usd(value: str) -> Conversion:
    return Conversion(Decimal(value), Decimal("1"), date(2024, 5, 1), "test")


def _money(value: str, currency: str, qualifier: str | None = None) -> Money:
    return Money(f"{currency} {value}", Span(0, 1), Decimal(value), currency, qualifier=qualifier)


def test_amount_and_item_candidates_keep_every_pair_that_could_be_kept() -> None:
    """Amounts either side of each tolerance, in other currencies and via USD; items with and without shared words."""
    figures = [
        ("100", "USD", None, None),
        ("101", "USD", None, None),  # 1 %: the plain tolerance
        ("102", "USD", None, None),
        ("103", "USD", "about", None),  # 3 %: a hedged figure's tolerance
        ("104", "USD", "over", None),
        ("92", "EUR", None, "100"),  # another currency, alike only in USD
        ("95", "EUR", None, "104.9"),
        ("90", "EUR", None, "94"),
        ("200", "GBP", None, None),
        ("0", "USD", None, None),
        ("0", "JPY", None, None),
    ]
    mentions = []
    for i, (value, currency, qualifier, usd) in enumerate(figures):
        mentions.append(
            _commitment(
                i,
                amount=Decimal(value),
                currency=currency,
                money=_money(value, currency, qualifier),
                usd=_usd(usd or value) if usd or currency == "USD" else None,
                equivalents=(_money("1", "UAH"),) if i % 4 == 0 else (),
                text=["Japan will fund generators for hospitals.", "Japan gives mine-clearing machines."][i % 2],
            )
        )
    items = ["generators", "mine-clearing machines", "armoured vehicles", "generators and transformers", "tents"]
    for n, item in enumerate(items):
        mentions.append(_commitment(100 + n, item=item, quantity=Decimal(n % 2 + 1)))
    mentions.sort(key=lambda m: m.id)
    compared = {(a.id, b.id) for a, b in clustering.compared_pairs(mentions)}
    skipped = 0
    for a, b in combinations(mentions, 2):
        j = compare_commitments(a, b)
        if (a.id, b.id) not in compared:
            skipped += 1
            assert not j.same and j.score < clustering._NEAR_MISS, (a.id, b.id, j.reasons)
    assert skipped
    assert {
        ("c_s000", "c_s005"),
        ("c_s100", "c_s103"),
        ("c_s000", "c_s100"),
    } <= compared  # via USD, a word, the purpose


def test_events_and_agreements_are_compared_only_where_they_could_match() -> None:
    def event(i: int, name: str, day: int | None, location: str | None = None, *people: str) -> Mention:
        doc = f"doc_e{i}"
        when = None if day is None else date(2024, 6, day)
        fact = Event(doc, name, EventType.CONFERENCE, Evidence(doc, Span(0, 5), name), when, None, location, people)
        return Mention(id=f"e_{i}", fact=fact, published=date(2024, 6, 20))

    def agreement(i: int, *parties: str) -> Mention:
        doc = f"doc_a{i}"
        fact = Agreement(doc, parties, AgreementType.MEMORANDUM, Evidence(doc, Span(0, 5), "A memorandum"))
        return Mention(id=f"a_{i}", fact=fact, published=date(2024, 6, 20))

    events = [
        event(0, "Recovery Conference", 11),
        event(1, "Recovery Conference", 12),
        event(2, "Recovery Conference", None),
        event(3, "Energy Summit", None, "Berlin"),
        event(4, "Donor meeting", 11, "Berlin"),
        event(5, "Talks", None, None, "Denys Shmyhal"),
        event(6, "Round table", 12, None, "Denys Shmyhal"),
        event(7, "Forum", None),
    ]
    agreements = [
        agreement(0, "Japan", "Ukraine"),
        agreement(1, "Ukraine", "Japan"),
        agreement(2, "Japan"),
        agreement(3),
    ]
    for group, compare in ((events, compare_events), (agreements, compare_agreements)):
        compared = {(a.id, b.id) for a, b in clustering.compared_pairs(group)}
        for a, b in combinations(group, 2):
            j = compare(a, b)
            if (a.id, b.id) not in compared:
                assert not j.same and j.score < clustering._NEAR_MISS, (a.id, b.id, j.reasons)
            else:
                assert j.score > 0, (a.id, b.id, j.reasons)  # nothing compared that a rule refuses outright
    assert ("e_0", "e_1") not in {(a.id, b.id) for a, b in clustering.compared_pairs(events)}
    assert ("a_0", "a_1") in {(a.id, b.id) for a, b in clustering.compared_pairs(agreements)}
