"""What every extractor of one article shares: its sentences, their parses, its reference date.

Parsing is the expensive step, so each sentence gets only the analysis some extractor can use:
  - a sentence that is furniture, or fails `wanted` (a cheap test on the raw text), gets none;
  - one that may state a figure or holds a word some extractor starts from (an aid item, a
    delivery, event or agreement word, judged over every lemma the lemmatizer could give it)
    is tagged, parsed and lemmatised: `DocContext.parse`;
  - every other one is only tokenised, for the people extractor's name patterns;
  - the entity recogniser runs on whichever of these may name a person or an unlisted
    organisation (`_may_name`), parsed or not: it has its own embedding layer, so its entities
    do not depend on the parse.
`prepare_many` does this for a batch of articles at once, so the model sees large batches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from aidtracker.extract.actors import ActorMention, Gazetteer, gazetteer
from aidtracker.extract.cues import Cues, cues
from aidtracker.extract.dates import reference_date, reference_year
from aidtracker.extract.money import may_state_money
from aidtracker.extract.nlp import lemma_forms, pipeline
from aidtracker.records import Article, Sentence, Span
from aidtracker.segment import segment
from aidtracker.vocab import load_yaml

_GUARANTEES = re.compile(
    r"\b(?:backed|guaranteed|insured|underwritten)\s+by\b|\b(?:backs|guarantees|insures|underwrites|backing)\b",
    re.IGNORECASE,
)

# Lemmas an extractor starts from that no cue list names: agreements stated by "agree" alone.
_ENTRY_LEMMAS = frozenset({"agree"})


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
    tokens: dict[int, Doc] = field(default_factory=dict)  # every analysed sentence, parsed or not
    unnamed: set[int] = field(default_factory=set)  # may name someone; recogniser not run yet

    @property
    def lang(self) -> str:
        return self.article.language

    def parse(self, i: int) -> Doc | None:
        """The parse of sentence `i`, or None if it was not worth parsing."""
        return self.parses.get(i)

    def named(self, i: int) -> Doc | None:
        """The tokens of sentence `i` with its named entities, parsed or not; None if not analysed."""
        return self.tokens.get(i)

    def name_more(self, wanted: Callable[[Doc], bool]) -> list[int]:
        """Run the entity recogniser on the `unnamed` sentences `wanted` picks; their indices.

        A sentence with no two name-like words in a row can hold no full name, so the people
        extractor asks for its entities only once it knows which single names matter (a known
        family name, an organisation spelt like a person): usually none.
        """
        picked = sorted(i for i in self.unnamed if wanted(self.tokens[i]))
        if picked:
            ner = pipeline(self.lang).get_pipe("ner")
            for doc in ner.pipe([self.tokens[i] for i in picked]):  # type: ignore[attr-defined]
                assert doc is not None
        self.unnamed.difference_update(picked)
        return picked

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


def prepare(article: Article, wanted: Callable[[str], bool] | None = None, *, selective: bool = True) -> DocContext:
    """Segment, find actors and analyse the sentences of an article that can hold a fact."""
    return prepare_many([article], wanted, selective=selective)[0]


def prepare_many(
    articles: Sequence[Article], wanted: Callable[[str], bool] | None = None, *, selective: bool = True
) -> list[DocContext]:
    """`prepare` for several articles, running the model once over all their sentences.

    `selective=False` parses every analysed sentence, as if each could hold any fact: slower,
    and the same result, which is what the tests check.
    """
    contexts: list[DocContext] = []
    to_parse: dict[str, list[Doc]] = {}
    to_name: dict[str, list[tuple[DocContext, int]]] = {}
    for article in articles:
        ctx = _context(article)
        contexts.append(ctx)
        lang = article.language
        nlp = pipeline(lang)
        with_ner = "ner" in nlp.pipe_names
        todo = [
            i
            for i, s in enumerate(ctx.sentences)
            # A run-on line of megabytes is no sentence a fact is read from, and spaCy refuses it.
            if len(s.text) <= MAX_SENTENCE_CHARS and not s.is_furniture and (wanted is None or wanted(s.text))
        ]
        for i in todo:
            ctx.tokens[i] = nlp.make_doc(_unmarked(ctx.sentences[i].text))
        full = [i for i in todo if not selective or _may_yield(ctx, i)]
        # "The two sides signed an agreement": its parties may be the places the two sentences
        # before name, so their entities are needed (not their parse), whatever their words.
        near = {k for i in full if _states_agreement(ctx, i) for k in (i - 2, i - 1) if k in ctx.tokens}
        for i in full:
            ctx.parses[i] = ctx.tokens[i]
            to_parse.setdefault(lang, []).append(ctx.tokens[i])
        if with_ner:
            for i in todo:
                if not _may_name(ctx.tokens[i].text, ctx):
                    continue
                if i in ctx.parses or i in near or _may_hold_full_name(ctx, ctx.tokens[i]):
                    to_name.setdefault(lang, []).append((ctx, i))
                else:
                    ctx.unnamed.add(i)  # see `DocContext.name_more`
    for lang, docs in to_parse.items():
        nlp = pipeline(lang)
        for doc in nlp.pipe(docs, batch_size=256, disable=["ner"]):
            assert doc is not None  # the components annotate the Doc they are given
    # The entity recogniser costs more than tagging and parsing together; it runs only where a
    # name may be.
    for lang, where in to_name.items():
        ner = pipeline(lang).get_pipe("ner")
        for doc in ner.pipe((ctx.tokens[i] for ctx, i in where), batch_size=256):  # type: ignore[attr-defined]
            assert doc is not None
    return contexts


def _context(article: Article) -> DocContext:
    ref = reference_date(article.published, article.text, article.language)
    ctx = DocContext(
        article=article,
        sentences=segment(article),
        ref_date=ref,
        ref_year=ref.year if ref else reference_year(article.text),
        gaz=gazetteer(article.language),
        cues=cues(article.language),
    )
    for i, s in enumerate(ctx.sentences):
        ctx.actors[i] = ctx.gaz.find(s.text, s.span.start)
    return ctx


@dataclass(frozen=True)
class _Entries:
    """The lemmas the commitment, delivery, event and agreement rules start from, by the tag they need."""

    verbs: frozenset[str]  # a delivery (the article's donor is counted from it) or an event, tagged VERB
    any_tag: frozenset[str]  # "agree", whatever its tag
    items: frozenset[str]  # counted or named things delivered, tagged NOUN (or PROPN: its text)
    giving: frozenset[str]  # the verbs an item needs to count as delivered, whatever their tag


@lru_cache(maxsize=4)
def _entries(lang: str) -> _Entries:
    c = cues(lang)
    return _Entries(
        verbs=frozenset({*c.delivery_verbs, *c.event_verbs}),
        any_tag=_ENTRY_LEMMAS,
        items=c.in_kind_heads,
        giving=frozenset({*c.delivery_verbs, *c.commitment_verbs}),
    )


def _states_agreement(ctx: DocContext, i: int) -> bool:
    text = ctx.sentences[i].text
    return bool(ctx.cues.agreement_noun_re.search(text) or ctx.cues.joint_re.search(text))


def _may_yield(ctx: DocContext, i: int) -> bool:
    """True unless no commitment, delivery, event or agreement rule can start in sentence `i`.

    The rules start from a figure, a cue phrase in the text, or a word with a cue lemma and the
    right tag: a delivery or event verb; "agree"; an item noun, which counts only under a
    giving verb or in a list a sentence introduced. A lemma is known only after tagging, so
    every lemma the lemmatizer could give the word under that tag is tried.
    """
    text = ctx.sentences[i].text
    if may_state_money(text, ctx.lang) or ctx.cues.event_noun_re.search(text) or _states_agreement(ctx, i):
        return True
    if _GUARANTEES.search(text) or any(p.search(text) for k, p in ctx.cues.instrument_res if k == "guarantee"):
        return True  # "It is backed by a guarantee from ...": a guarantee of the figure before
    forms, entries = lemma_forms(ctx.lang), _entries(ctx.lang)
    if not forms.exact:
        return True
    words = [t.text for t in ctx.tokens[i]]
    if any(not entries.verbs.isdisjoint(forms(w, "verb")) or not entries.any_tag.isdisjoint(forms(w)) for w in words):
        return True
    if not any(not entries.items.isdisjoint(forms(w, "noun")) for w in words):
        return False
    return any(not entries.giving.isdisjoint(forms(w)) for w in words) or _in_list(ctx, i)


def _in_list(ctx: DocContext, i: int) -> bool:
    """True if sentence `i` may be an item of a list: a bullet, or a sentence before it ends with ":"."""
    if ctx.sentences[i].text.lstrip()[:1] in {"-", "•", "*", "–", "·"}:
        return True
    return any(s.text.rstrip().endswith(":") for s in ctx.sentences[max(0, i - 40) : i])


_LIST_MARK = re.compile(r"^(\s*)([•·▪●◦*–—-]+)(?=\s)")


def _unmarked(text: str) -> str:
    """The sentence with a leading list bullet blanked out, so offsets stay the same.

    The parser reads a bare "•" as the verb of the line and hangs the whole item under it;
    without it, "• 59 Bradley vehicles;" parses as the noun phrase it is.
    """
    return _LIST_MARK.sub(lambda m: m.group(1) + " " * len(m.group(2)), text, count=1)


@lru_cache(maxsize=4)
def _name_words(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """In-name particles ("von", "de") and honorifics ("Dr") of a language's names."""
    data = load_yaml("actors", lang)
    return frozenset(data.get("name_particles", [])), frozenset(data.get("honorifics", []))


def _may_hold_full_name(ctx: DocContext, doc: Doc) -> bool:
    """True if two name-like words follow each other, the first not an office, honorific or known actor.

    The people extractor keeps a person entity of two or more words only if, once leading
    offices, honorifics and known actors are dropped, every word left is capitalised (or a
    particle) and not a number; so without such a pair no full name can come from the sentence.
    """
    particles, honorifics = _name_words(ctx.lang)
    first: Token | None = None
    for t in doc:
        if t.is_punct or t.text in {"'s", "’s"}:
            continue
        name_like = (t.text[0].isupper() or t.text in particles) and not t.like_num
        if name_like and first is not None:
            return True
        leading = not (
            t.text.lower() in ctx.cues.role_titles
            or t.text.strip(".") in honorifics
            or ctx.gaz.lookup(t.text) is not None
        )
        first = t if name_like and leading else None
    return False


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
