"""The furniture and dateline cues of one language, read from `vocab/<lang>/furniture.yml`.

Cue words are data so that a new language is a new file, not new code. The file is validated
when loaded — a bad regular expression or a misspelt section is a `VocabularyError` at start-up,
not a silent miss on every article — and the result is cached per language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from aidtracker.errors import VocabularyError
from aidtracker.vocab import load_yaml

VOCAB_NAME = "furniture"

# Decoration that pages put around a label ("> Read more »", "— Advertisement —"), and the
# end punctuation that makes no difference to one ("Is this page useful?").
_DECORATION = " \t:;-–—|•·>»›<«‹*#_=+.?!…"
_SPACE = re.compile(r"\s+")
_QUOTES = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("`", "'"), ("“", '"'), ("”", '"'))


def fold(text: str) -> str:
    """The form in which a line is compared with cue phrases: case, quotes and spacing folded."""
    for curly, straight in _QUOTES:  # str.replace is much faster than str.translate here
        text = text.replace(curly, straight)
    folded = _SPACE.sub(" ", text.casefold())
    return folded.strip(_DECORATION)


@dataclass(frozen=True, slots=True)
class Cues:
    """Compiled cues for one language; see the YAML file for what each field means."""

    language: str
    lines: Mapping[str, str]  # folded line -> reason
    labels: Mapping[str, str]  # folded label -> reason
    publisher_labels: frozenset[str]
    phrases: tuple[tuple[str, str], ...]  # (folded phrase, reason)
    calls_to_action: frozenset[str]
    related_markers: frozenset[str]
    contact_markers: frozenset[str]
    credit_prefixes: tuple[str, ...]
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    counters: tuple[re.Pattern[str], ...]
    caption_credits: tuple[re.Pattern[str], ...]
    caption_sources: tuple[re.Pattern[str], ...]
    dates: tuple[re.Pattern[str], ...]
    times: tuple[re.Pattern[str], ...]
    byline_noise: tuple[re.Pattern[str], ...]
    wire: re.Pattern[str] | None
    author_words: frozenset[str]
    agencies: Mapping[str, str]  # folded name -> name as written
    organisation_words: frozenset[str]
    attribution: re.Pattern[str]


def _fail(lang: str, message: str) -> VocabularyError:
    return VocabularyError(f"vocab/{lang}/{VOCAB_NAME}.yml: {message}")


def _strings(lang: str, data: Mapping[str, Any], key: str, *, required: bool = True) -> list[str]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(lang, f"'{key}' must be a list of non-empty strings")
    return value


def _groups(lang: str, data: Mapping[str, Any], key: str) -> dict[str, list[str]]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise _fail(lang, f"'{key}' must map reasons to lists of strings")
    return {str(reason): _strings(lang, value, reason) for reason in value}


def _compile(lang: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise _fail(lang, f"bad regular expression {pattern!r}: {exc}") from exc


def _alternatives(words: list[str]) -> str:
    # Longest first, so that "september" wins over "sep".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def build_cues(lang: str, data: Any) -> Cues:
    """Validate and compile a parsed furniture vocabulary."""
    if not isinstance(data, dict):
        raise _fail(lang, "must be a mapping")
    lines = {fold(cue): reason for reason, cues in _groups(lang, data, "lines").items() for cue in cues}
    labels = {fold(cue): reason for reason, cues in _groups(lang, data, "labels").items() for cue in cues}
    phrases = tuple((fold(cue), reason) for reason, cues in _groups(lang, data, "phrases").items() for cue in cues)
    patterns = tuple(
        (_compile(lang, p, re.IGNORECASE), reason) for reason, ps in _groups(lang, data, "patterns").items() for p in ps
    )
    dateline = data.get("dateline")
    if not isinstance(dateline, dict):
        raise _fail(lang, "'dateline' must be a mapping")
    months = _alternatives(_strings(lang, dateline, "months"))
    weekdays = _alternatives(_strings(lang, dateline, "weekdays"))
    dates = tuple(
        _compile(
            lang,
            p.replace("{month}", f"(?:{months})").replace("{weekday}", f"(?:{weekdays})"),
            re.IGNORECASE,
        )
        for p in _strings(lang, dateline, "dates")
    )
    wire = dateline.get("wire")
    if wire is not None and not isinstance(wire, str):
        raise _fail(lang, "'dateline.wire' must be a string")
    return Cues(
        language=lang,
        lines=lines,
        labels=labels,
        publisher_labels=frozenset(fold(x) for x in _strings(lang, data, "publisher_labels")),
        phrases=phrases,
        calls_to_action=frozenset(fold(x) for x in _strings(lang, data, "calls_to_action")),
        related_markers=frozenset(fold(x) for x in _strings(lang, data, "related_markers")),
        contact_markers=frozenset(fold(x) for x in _strings(lang, data, "contact_markers")),
        credit_prefixes=tuple(x.casefold() for x in _strings(lang, data, "credit_prefixes")),
        patterns=patterns,
        counters=tuple(_compile(lang, p, re.IGNORECASE) for p in _strings(lang, data, "counters")),
        caption_credits=tuple(_compile(lang, p) for p in _strings(lang, data, "caption_credits")),
        caption_sources=tuple(_compile(lang, p) for p in _strings(lang, data, "caption_sources")),
        dates=dates,
        times=tuple(_compile(lang, p, re.IGNORECASE) for p in _strings(lang, dateline, "times")),
        byline_noise=tuple(_compile(lang, p, re.IGNORECASE) for p in _strings(lang, dateline, "noise")),
        wire=_compile(lang, wire) if wire else None,
        author_words=frozenset(fold(x) for x in _strings(lang, dateline, "author_words")),
        agencies={fold(a): a for a in _strings(lang, data, "agencies", required=False)},
        attribution=_compile(
            lang,
            r"\b(?:" + _alternatives(_strings(lang, data, "attribution_words")) + r")\b",
            re.IGNORECASE,
        ),
        organisation_words=frozenset(fold(w) for w in _strings(lang, data, "organisation_words", required=False)),
    )


@lru_cache(maxsize=8)
def load_cues(lang: str = "en") -> Cues:
    """The cues for `lang`, loaded once per process."""
    return build_cues(lang, load_yaml(VOCAB_NAME, lang))
