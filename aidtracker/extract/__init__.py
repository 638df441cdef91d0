"""Extract stage: Article -> Extraction (commitments, agreements, events, people).

`extract` is pure: no database, clock or network. It segments the article, parses only the
sentences that can hold a fact, and runs the extractors in dependency order (people first,
because donors are often named through their ministers).
"""

from __future__ import annotations

import re
from functools import lru_cache

from aidtracker.extract.agreements import extract_agreements
from aidtracker.extract.commitments import extract_commitments
from aidtracker.extract.context import prepare
from aidtracker.extract.cues import Cues, cues
from aidtracker.extract.events import extract_events
from aidtracker.extract.people import extract_people
from aidtracker.records import Article, Extraction

EXTRACTOR = "rules.v1"


@lru_cache(maxsize=4)
def _worth_parsing(lang: str) -> list[re.Pattern[str]]:
    """Cheap tests for sentences that can hold a fact: a figure, a name, or a cue word."""
    c: Cues = cues(lang)
    return [
        re.compile(r"\d|\S\s+[A-Z]"),  # a figure, or a capitalised word after the first
        c.aid_noun_re,
        c.event_noun_re,
        c.agreement_noun_re,
        c.joint_re,
    ]


def extract(article: Article) -> Extraction:
    """Every fact an article states, each with the span of the sentence that states it."""
    patterns = _worth_parsing(article.language)

    def wanted(text: str) -> bool:
        return any(p.search(text) for p in patterns)

    ctx = prepare(article, wanted)
    people = extract_people(ctx)
    return Extraction(
        doc_id=article.id,
        commitments=tuple(extract_commitments(ctx, people)),
        agreements=tuple(extract_agreements(ctx, people)),
        events=tuple(extract_events(ctx, people)),
        people=tuple(people),
        extractor=EXTRACTOR,
    )
