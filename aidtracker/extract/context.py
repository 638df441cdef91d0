"""What every extractor of one article shares: its sentences, their parses, its reference date.

Parsing is the expensive step, so sentences are parsed once, in one batch, and only those
that are not page furniture and pass `wanted` (a cheap test on the raw text) are parsed at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from aidtracker.extract.actors import ActorMention, Gazetteer, gazetteer
from aidtracker.extract.cues import Cues, cues
from aidtracker.extract.dates import reference_date, reference_year
from aidtracker.extract.nlp import pipeline
from aidtracker.records import Article, Sentence, Span
from aidtracker.segment import segment


@dataclass
class DocContext:
    """One article prepared for extraction."""

    article: Article
    sentences: list[Sentence]
    ref_date: date | None
    ref_year: int | None
    gaz: Gazetteer
    cues: Cues
    parses: dict[int, Doc] = field(default_factory=dict)
    actors: dict[int, list[ActorMention]] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.article.language

    def parse(self, i: int) -> Doc | None:
        """The parse of sentence `i`, or None if it was not worth parsing."""
        return self.parses.get(i)

    def offset(self, i: int) -> int:
        return self.sentences[i].span.start

    def char_span(self, i: int, span: Span) -> SpacySpan | None:
        """The tokens of sentence `i` that cover a document-level character span."""
        doc = self.parses.get(i)
        if doc is None:
            return None
        base = self.sentences[i].span.start
        return doc.char_span(span.start - base, span.end - base, alignment_mode="expand")

    def token_span(self, i: int, tokens: SpacySpan | Token) -> Span:
        """The document-level character span of some tokens of sentence `i`."""
        base = self.sentences[i].span.start
        if isinstance(tokens, Token):
            return Span(base + tokens.idx, base + tokens.idx + len(tokens.text))
        return Span(base + tokens.start_char, base + tokens.end_char)

    def fact_sentences(self) -> list[int]:
        """Indices of the sentences facts may come from: not furniture."""
        return [i for i, s in enumerate(self.sentences) if not s.is_furniture]


# Longer than any sentence of prose (the longest news sentences run to about 1,500 characters).
MAX_SENTENCE_CHARS = 5_000


def prepare(article: Article, wanted: Callable[[str], bool] | None = None) -> DocContext:
    """Segment, find actors and parse the sentences of an article that can hold a fact."""
    sentences = segment(article)
    ref = reference_date(article.published, article.text, article.language)
    ref_year = ref.year if ref else reference_year(article.text)
    ctx = DocContext(
        article=article,
        sentences=sentences,
        ref_date=ref,
        ref_year=ref_year,
        gaz=gazetteer(article.language),
        cues=cues(article.language),
    )
    todo = []
    for i, s in enumerate(sentences):
        ctx.actors[i] = ctx.gaz.find(s.text, s.span.start)
        if len(s.text) > MAX_SENTENCE_CHARS:
            continue  # a run-on line of megabytes is no sentence a fact is read from, and spaCy refuses it
        if not s.is_furniture and (wanted is None or wanted(s.text)):
            todo.append(i)
    nlp = pipeline(article.language)
    # The entity recogniser costs more than tagging and parsing together, and only sentences
    # that may name a person or an unlisted organisation need it; it runs on those alone.
    with_ner = "ner" in nlp.pipe_names
    texts = [_unmarked(sentences[i].text) for i in todo]
    docs = list(nlp.pipe(texts, batch_size=64, disable=["ner"] if with_ner else []))
    if with_ner:
        named = [k for k, text in enumerate(texts) if _may_name(text, ctx)]
        ner = nlp.get_pipe("ner")
        for k, doc in zip(named, ner.pipe([docs[k] for k in named], batch_size=64), strict=True):  # type: ignore[attr-defined]
            docs[k] = doc
    for i, doc in zip(todo, docs, strict=True):
        ctx.parses[i] = doc
    return ctx


_LIST_MARK = re.compile(r"^(\s*)([•·▪●◦*–—-]+)(?=\s)")


def _unmarked(text: str) -> str:
    """The sentence with a leading list bullet blanked out, so offsets stay the same.

    The parser reads a bare "•" as the verb of the line and hangs the whole item under it;
    without it, "• 59 Bradley vehicles;" parses as the noun phrase it is.
    """
    return _LIST_MARK.sub(lambda m: m.group(1) + " " * len(m.group(2)), text, count=1)


_CAPITALISED = re.compile(r"(?:(?<=\s)|^)[A-Z][\w'’-]+")
_COMMON_CAPITALS = {
    "I",
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "And",
    "But",
    "With",
    "By",
    "From",
    "To",
    "Of",
    "As",
    "It",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "They",
    "We",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
}


def _may_name(text: str, ctx: DocContext) -> bool:
    """True if a sentence has a capitalised word (after its first) that the gazetteer does not account for.

    Such a word may be a person, a city or a company, which only the entity recogniser can tell;
    a sentence whose capitals are all known states, organisations, months or titles does not need it.
    """
    for m in _CAPITALISED.finditer(text):
        word = m.group(0).rstrip("’'s")
        if word in _COMMON_CAPITALS or ctx.gaz.lookup(word) or ctx.cues.role_re.fullmatch(word):
            continue
        if word.lower() in _CALENDAR:
            continue
        return True
    return False


_CALENDAR = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}
