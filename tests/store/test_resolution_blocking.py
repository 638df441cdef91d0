"""Resolution compares fewer pairs than all of them, and loses no judgement by it.

`dedupe.cluster` compares only mentions in one block (commitments: same donor and scope) and
reported within the comparison window of each other. Every pair it skips must be one that the
comparison would have refused with a score too low to keep; checked here by comparing every
pair of the project's own articles' mentions, plus copies moved to either side of the window.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from itertools import combinations

import pytest

from aidtracker.dedupe import cluster as clustering
from aidtracker.dedupe.compare import WINDOW_DAYS, reported_on
from aidtracker.records import Agreement, Commitment, Event, Evidence, Mention, Span
from aidtracker.types import EventType

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
    blocks: dict[tuple[str, str], list[Mention]] = {}
    for m in of_kind:
        blocks.setdefault(clustering._block_key(m), []).append(m)
    compared = {(a.id, b.id) for block in blocks.values() for a, b in clustering._pairs(block)}
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
    assert all(a.id < b.id for a, b in ((x, y) for block in blocks.values() for x, y in clustering._pairs(block)))


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
