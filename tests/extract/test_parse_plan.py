"""Which sentences get which analysis: the choice saves time and must never change a fact.

The model is the costly step, so `extract.context` parses only the sentences a commitment,
delivery, event or agreement rule can start from, runs the entity recogniser only where a
name may be, and `extract_many` runs the model once over a batch of articles. These tests
pin that each shortcut gives exactly the facts of the slow way, on the articles we wrote, and
that the cheap tests behind it say what they should on small examples.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from aidtracker.extract import extract, extract_many
from aidtracker.extract.context import prepare
from aidtracker.extract.nlp import lemma_forms
from aidtracker.extract.people import extract_people
from aidtracker.ingest import article_from_text, iter_articles
from aidtracker.records import Article, Extraction

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@lru_cache(maxsize=1)
def articles() -> tuple[Article, ...]:
    found = iter_articles([str(FIXTURES / name) for name in ("articles", "articles2", "articles3", "articles4")])
    return tuple(a for a in found if isinstance(a, Article))


@lru_cache(maxsize=1)
def selective() -> tuple[Extraction, ...]:
    return tuple(extract_many(articles()))


def test_fixture_articles_are_there() -> None:
    assert len(articles()) >= 20


def test_parsing_only_what_a_rule_can_use_changes_no_fact() -> None:
    everything = extract_many(articles(), selective=False)
    for fast, slow, article in zip(selective(), everything, articles(), strict=True):
        assert fast == slow, article.source


def test_a_batch_gives_each_article_what_it_gets_alone() -> None:
    for k in (0, len(articles()) // 2, len(articles()) - 1):
        assert extract(articles()[k]) == selective()[k], articles()[k].source


def test_the_shortcut_skips_most_sentences_of_real_articles() -> None:
    analysed = parsed = 0
    for article in articles():
        ctx = prepare(article)
        analysed += len(ctx.tokens)
        parsed += len(ctx.parses)
    assert 0 < parsed < analysed


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("gave", "give"),  # irregular verbs, from the lemmatizer's exception table
        ("sent", "send"),
        ("generators", "generator"),  # regular plural, from its rules
        ("Delivered", "deliver"),
        ("met", "meet"),
        ("buses", "bus"),
    ],
)
def test_lemma_forms_include_the_lemma_the_tagger_would_lead_to(word: str, lemma: str) -> None:
    assert lemma in lemma_forms("en")(word)


def test_a_sentence_no_rule_can_start_from_is_tokenised_not_parsed() -> None:
    text = (
        "Aid for Kyiv\n\n"
        "Germany will deliver five generators to Ukraine. "
        "Olaf Scholz spoke with reporters later in the evening. "
        "The weather in the capital was unusually mild.\n"
    )
    ctx = prepare(article_from_text(text, source="test:plan"))
    by_text = {s.text: i for i, s in enumerate(ctx.sentences)}
    delivery = by_text["Germany will deliver five generators to Ukraine."]
    name = by_text["Olaf Scholz spoke with reporters later in the evening."]
    assert ctx.parse(delivery) is not None
    assert ctx.parse(name) is None
    named = ctx.named(name)
    assert named is not None
    assert "Olaf Scholz" in [e.text for e in named.ents]  # the recogniser ran, with no parse
    assert all(ctx.parse(i) is None for i, s in enumerate(ctx.sentences) if s.text.startswith("The weather"))


def test_a_lone_name_is_recognised_only_if_it_is_someone_already_named() -> None:
    text = (
        "Talks in Kyiv\n\n"
        "Chancellor Olaf Scholz arrived in Kyiv on Monday. "
        "Scholz said the weather was mild. "
        "Kowalczyk said nothing.\n"
    )
    ctx = prepare(article_from_text(text, source="test:lone-name"))
    by_text = {s.text: i for i, s in enumerate(ctx.sentences)}
    known, unknown = by_text["Scholz said the weather was mild."], by_text["Kowalczyk said nothing."]
    assert {known, unknown} <= ctx.unnamed  # no two name-like words in a row: no full name there
    people = extract_people(ctx)
    assert any(p.name == "Olaf Scholz" for p in people)
    assert known not in ctx.unnamed  # "Scholz" is the family name of someone named: recognised after all
    assert unknown in ctx.unnamed  # nobody is called Kowalczyk: never needed
