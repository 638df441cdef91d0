"""The indexed attribute ruler must annotate exactly as spaCy's own, only faster.

`extract.ruler` looks one-token rules up in a cache and leaves the rest to a Matcher; these
tests compare it with the stock `AttributeRuler` token by token: on the articles we wrote (and
the shared corpus when present), on the model's own awkward patterns ("ain't", "gonna"), and
on a made-up ruler whose rules overlap so that only the stock order gives the right answer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from aidtracker.extract.nlp import installed_model, pipeline
from aidtracker.extract.ruler import IndexedAttributeRuler, index_attribute_ruler
from aidtracker.ingest import iter_articles
from aidtracker.records import Article
from aidtracker.segment import segment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"

AWKWARD = [
    "I ain't gonna sign it, and we gotta wait.",
    "They can't and won't deliver the 'lend-lease' items y'all promised.",
    "   ",
    "Mr. O'Neil's ministry\u2019s grant: $5m (approx.) -- in kind, e.g. 20 generators!",
]


def _annotations(doc: Doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_) for t in doc]


@lru_cache(maxsize=1)
def _models() -> tuple[Language, Language]:
    stock = installed_model("en")
    indexed = installed_model("en")
    index_attribute_ruler(indexed)
    return stock, indexed


def _compare(texts: list[str]) -> int:
    """Tokens annotated; asserts both rulers (and the lemmatizer after them) agree on every one."""
    stock, indexed = _models()
    tagged = list(stock.pipe(texts, disable=["ner", "attribute_ruler", "lemmatizer"]))
    tokens = 0
    for doc in tagged:
        a, b = doc.copy(), doc.copy()
        for nlp, d in ((stock, a), (indexed, b)):
            nlp.get_pipe("attribute_ruler")(d)
            nlp.get_pipe("lemmatizer")(d)
        assert _annotations(a) == _annotations(b), doc.text
        tokens += len(doc)
    return tokens


def _sentences(folders: list[Path]) -> list[str]:
    found = iter_articles([str(f) for f in folders])
    return [s.text for a in found if isinstance(a, Article) for s in segment(a) if len(s.text) < 5000]


def test_the_pipeline_uses_the_indexed_ruler_with_the_models_own_patterns() -> None:
    ours = pipeline("en").get_pipe("attribute_ruler")
    shipped = installed_model("en").get_pipe("attribute_ruler")
    assert isinstance(ours, IndexedAttributeRuler)
    assert type(shipped) is AttributeRuler
    assert ours.patterns == shipped.patterns
    assert pipeline("en").pipe_names == installed_model("en").pipe_names


def test_same_annotations_as_the_stock_ruler_on_our_articles() -> None:
    names = ("articles", "articles2", "articles3", "articles4")
    assert _compare(_sentences([FIXTURES / n for n in names]) + AWKWARD) > 10_000


def test_same_annotations_as_the_stock_ruler_on_the_shared_corpus() -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus is not present")
    assert _compare(_sentences([SHARED / "seeds", SHARED / "dev"])) > 5_000


def _made_up(cls: type[AttributeRuler]) -> Language:
    """A blank pipeline whose rules overlap: later rules must win, whichever way they are matched."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    if cls is IndexedAttributeRuler:
        nlp.remove_pipe("attribute_ruler")
        ruler = nlp.add_pipe("aidtracker_indexed_attribute_ruler", name="attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add([[{"LOWER": "grant"}, {"LOWER": "aid"}]], {"POS": "ADJ"}, index=-1)  # a Matcher rule
    ruler.add([[{"LOWER": {"IN": ["aid", "loan"]}}]], {"POS": "PROPN", "LEMMA": "help"})
    ruler.add([[{"LOWER": {"REGEX": "^gr"}, "TAG": {"NOT_IN": ["VB"]}}]], {"LEMMA": "GR"})
    ruler.add([[{"LOWER": "aid", "OP": "+"}]], {"MORPH": "Number=Plur"})  # an operator: a Matcher rule
    ruler.add([[{"TAG": "NN"}], [{"IS_SPACE": True}]], {"LEMMA": "last"}, index=0)
    return nlp


@pytest.mark.parametrize("words", [["grant", "aid", "aid", "loan"], ["Grant", "aid", " ", "grow"]])
def test_overlapping_rules_are_applied_in_the_stock_order(words: list[str]) -> None:
    results = []
    for cls in (AttributeRuler, IndexedAttributeRuler):
        nlp = _made_up(cls)
        assert type(nlp.get_pipe("attribute_ruler")) is cls
        doc = Doc(nlp.vocab, words=words, tags=["NN", "NN", "NN", "VB"])
        results.append(_annotations(nlp(doc)))
    assert results[0] == results[1]
    assert {t[1] for t in results[0]} >= {"NOUN", "PROPN"}  # the rules did fire


def test_rules_added_after_a_document_take_effect() -> None:
    nlp = _made_up(IndexedAttributeRuler)
    first = nlp(Doc(nlp.vocab, words=["loan"], tags=["VB"]))
    assert first[0].lemma_ == "help"
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "loan"}]], {"LEMMA": "credit"})
    assert nlp(Doc(nlp.vocab, words=["loan"], tags=["VB"]))[0].lemma_ == "credit"
