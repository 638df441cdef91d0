"""Invariants of `extract` on random article-like text built from a small vocabulary of templates.

Whatever the sentences say, every fact points at text that is really there, nothing comes from
page furniture, no amount is negative, and the same input always gives the same output. The
spaCy pipeline is slow, so each property runs on a modest number of examples.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from aidtracker.extract import extract
from aidtracker.ingest import article_from_text
from aidtracker.records import Article, Evidence, Extraction

DONORS = [
    "Japan",
    "Germany",
    "Canada",
    "Norway",
    "Australia",
    "Denmark",
    "Finland",
    "London",
    "JICA",
    "the United Kingdom",
    "the European Union",
    "the World Bank",
    "its twin city Nuremberg",
]
AMOUNTS = [
    "$12.1 billion",
    "€50 million",
    "£3 billion",
    "NOK 75 billion",
    "1.5 billion kroner",
    "$31 million",
    "5 billion yen",
    "€100 million (about $108 million)",
    "AUD 31 million (almost $20.6 million)",
    "CHF 5 million",
    "SEK 200 million",
    "between $1 billion and $2 billion",
    "up to €300 million",
    "UAH 2 billion",
]
VERBS = [
    "will provide",
    "has pledged",
    "allocated",
    "has so far provided",
    "could provide",
    "approved",
    "will lend",
    "announced",
]
ITEMS = ["generators", "mobile gas turbine power generators", "ambulances", "Patriot missiles", "laptops"]
COUNTS = ["five", "20", "three", "300", "two"]
PEOPLE = ["Yoko Kamikawa", "KISHIDA Fumio", "Iwaya Takeshi", "Annalena Baerbock", "Mark Rutte"]
CITIES = ["Kyiv", "Tokyo", "Berlin", "Rome", "Kharkiv"]
DATES = ["on Tuesday", "on February 19", "on March 21, 2023", "from February 15 to 17", "last December"]
PURPOSES = ["demining", "the power grid", "schools in Kharkiv", "air defence", "humanitarian needs"]

SENTENCES = [
    "{donor} {verb} {amount} to Ukraine.",
    "{donor} {verb} an additional {amount} in humanitarian aid to Ukraine, the ministry said.",
    "The {amount} that {donor} has provided since 2022 was discussed in {city}.",
    "{amount} was allocated by {donor} for {purpose}.",
    "Ukraine will receive a {amount} grant from {donor} for {purpose}.",
    "{donor} handed over {count} {items} to Ukraine {date}.",
    "Foreign Minister {person} met Ukrainian officials in {city} {date}.",
    "She promised {count} {items} for Ukrainian hospitals.",
    "{donor} and Ukraine signed {count} cooperation deals {date}.",
    "{donor} signed a memorandum of understanding with Ukraine on {purpose}.",
    "About {amount} is needed to rebuild Ukraine, the World Bank said.",
    "Trade between {donor} and Ukraine reached {amount} last year.",
    "The conference on {purpose} will take place {date} in {city}.",
    "{person} said {donor} would keep supporting Ukraine.",
    "With USAID funding, UNDP delivered {count} {items} to {city}.",
    "The programme aims to help {count} million people in {city}.",
]
HEADLINES = [
    "{donor} pledges new support for Ukraine",
    "{donor} to send {items} to Ukraine",
    "Ukraine and {donor} sign deals at {city} conference",
    "Minister visits {city} as winter nears",
]
# Opening sentences long enough to read as prose, so that a related block after them is a block.
LEADS = [
    "Officials in Kyiv said the support would help the country get through the coming winter months.",
    "The announcement came as Russian strikes on power plants left large parts of the country without light.",
]
# Headlines of other stories under "Most popular": their figures appear nowhere else.
FURNITURE_HEADLINES = [
    "Canada sends $913 million in military aid to Ukraine",
    "Japan pledges €827 million for Ukraine's recovery",
    "Sweden to donate 41 ambulances to Ukraine",
    "Floods hit western regions after heavy rain",
]
FURNITURE_AMOUNTS = {Decimal("913e6"), Decimal("827e6")}


def _fill(template: str, draw: st.DrawFn) -> str:
    values = {
        "donor": draw(st.sampled_from(DONORS)),
        "amount": draw(st.sampled_from(AMOUNTS)),
        "verb": draw(st.sampled_from(VERBS)),
        "items": draw(st.sampled_from(ITEMS)),
        "count": draw(st.sampled_from(COUNTS)),
        "person": draw(st.sampled_from(PEOPLE)),
        "city": draw(st.sampled_from(CITIES)),
        "date": draw(st.sampled_from(DATES)),
        "purpose": draw(st.sampled_from(PURPOSES)),
    }
    text = template.format(**values)
    return text[0].upper() + text[1:]


@st.composite
def articles(draw: st.DrawFn, furniture: bool | None = None) -> str:
    """One article-like text: a headline, maybe a date line, paragraphs, maybe page furniture.

    The first paragraph opens with a long lead so that a "Most popular" block after the body
    reads as a block (see test_commitments for the short-body case)."""
    parts = [_fill(draw(st.sampled_from(HEADLINES)), draw)]
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["March 5, 2024", "January 10, 2024", "19 Feb 2024"])))
    paragraphs = draw(st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3), min_size=1, max_size=3))
    for n, paragraph in enumerate(paragraphs):
        lead = [draw(st.sampled_from(LEADS))] if n == 0 else []
        parts.append(" ".join([*lead, *(_fill(t, draw) for t in paragraph)]))
        if draw(st.booleans()) and len(parts) > 2:
            parts.append("Advertisement")
    with_block = draw(st.booleans()) if furniture is None else furniture
    if with_block:
        block = draw(st.lists(st.sampled_from(FURNITURE_HEADLINES), min_size=2, max_size=4, unique=True))
        parts.append("Most popular\n" + "\n".join(block))
    return "\n\n".join(parts) + "\n"


def _evidence(extraction: Extraction) -> list[Evidence]:
    out: list[Evidence] = []
    for c in extraction.commitments:
        out.extend([c.evidence, *c.alt_evidence])
    out.extend(a.evidence for a in extraction.agreements)
    out.extend(e.evidence for e in extraction.events)
    out.extend(p.evidence for p in extraction.people)
    return out


def _run(text: str) -> tuple[Article, Extraction]:
    article = article_from_text(text, source="test:property")
    return article, extract(article)


@settings(max_examples=25, deadline=None)
@given(articles())
def test_every_evidence_span_is_in_the_text(text: str) -> None:
    article, extraction = _run(text)
    assert extraction.doc_id == article.id
    for ev in _evidence(extraction):
        assert ev.doc_id == article.id
        assert 0 <= ev.span.start <= ev.span.end <= len(article.text)
        assert article.text[ev.span.start : ev.span.end] == ev.text
    for c in extraction.commitments:
        if c.figure is not None:
            assert c.evidence.span.contains(c.figure), (c.figure, c.evidence)
        if c.money is not None:
            assert article.text[c.money.span.start : c.money.span.end] == c.money.text


@settings(max_examples=25, deadline=None)
@given(articles(furniture=True))
def test_no_commitment_comes_from_furniture(text: str) -> None:
    article, extraction = _run(text)
    assert any(f.reason == "related-headlines" for f in article.furniture)
    for c in extraction.commitments:
        for ev in (c.evidence, *c.alt_evidence):
            assert not article.is_furniture(ev.span), ev.text
        assert c.amount not in FURNITURE_AMOUNTS, c
        assert not any(e.amount in FURNITURE_AMOUNTS for e in c.equivalents), c
        assert c.quantity != Decimal(41), c


@settings(max_examples=25, deadline=None)
@given(articles())
def test_amounts_are_never_negative(text: str) -> None:
    _, extraction = _run(text)
    for c in extraction.commitments:
        assert c.amount is not None or c.quantity is not None or c.item, c
        amounts = [c.amount, c.quantity, c.usd.usd if c.usd else None]
        amounts += [c.money.amount, c.money.amount_max] if c.money else []
        for amount in amounts:
            assert amount is None or amount >= 0, c
        for e in c.equivalents:
            assert e.amount >= 0, c
        if c.money is not None and c.money.amount_max is not None:
            assert c.money.amount_max >= c.money.amount, c
    for a in extraction.agreements:
        assert a.count is None or a.count > 0, a


@settings(max_examples=25, deadline=None)
@given(articles())
def test_extraction_is_deterministic(text: str) -> None:
    article, first = _run(text)
    assert extract(article) == first
    again, second = _run(text)
    assert again == article
    assert second == first
