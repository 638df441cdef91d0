"""Extract stage: Article -> Extraction (commitments, agreements, events, people).

`extract` is pure: no database, clock or network. It segments the article, parses only the
sentences that can hold a fact, and runs the extractors in dependency order (people first,
because donors are often named through their ministers). `extract_many` does the same for a
batch of articles, running the statistical model once over all of them, which is faster and
gives each article the same result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from aidtracker.extract.agreements import extract_agreements
from aidtracker.extract.commitments import extract_commitments
from aidtracker.extract.context import DocContext, prepare_many
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


def _wanted(lang: str) -> Callable[[str], bool]:
    patterns = _worth_parsing(lang)

    def wanted(text: str) -> bool:
        return any(p.search(text) for p in patterns)

    return wanted


def extract(article: Article) -> Extraction:
    """Every fact an article states, each with the span of the sentence that states it."""
    return extract_many([article])[0]


def extract_many(articles: Sequence[Article], *, selective: bool = True) -> list[Extraction]:
    """`extract` for each of `articles`, in order; the model runs once over the whole batch.

    `selective=False` parses every sentence worth a look instead of only those a rule can start
    from (see `extract.context`): slower, for checking that the choice loses nothing.
    """
    by_lang: dict[str, list[int]] = {}
    for k, article in enumerate(articles):
        by_lang.setdefault(article.language, []).append(k)
    contexts: dict[int, DocContext] = {}
    for lang, ks in by_lang.items():
        prepared = prepare_many([articles[k] for k in ks], _wanted(lang), selective=selective)
        contexts.update(zip(ks, prepared, strict=True))
    return [_facts(contexts[k]) for k in range(len(articles))]


def _facts(ctx: DocContext) -> Extraction:
    people = extract_people(ctx)
    return Extraction(
        doc_id=ctx.article.id,
        commitments=tuple(extract_commitments(ctx, people)),
        agreements=tuple(extract_agreements(ctx, people)),
        events=tuple(extract_events(ctx, people)),
        people=tuple(people),
        extractor=EXTRACTOR,
    )
