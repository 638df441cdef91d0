"""The article's headline: which line it is, or where a title given as metadata sits in the text.

A copied page often opens with section labels ("Ukraine war", "Politics & Security"), ads
and captions before the headline. The headline is the first line near the top that is not
furniture and is shaped like one: at least four words, one sentence at most, not a label
ending in a colon, not a bullet. If a paragraph of prose comes first, the text has no
headline of its own and the title stays unknown rather than being a guess from the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aidtracker.ingest.cues import Cues
from aidtracker.ingest.lines import (
    Line,
    ends_sentence,
    is_body_like,
    is_bullet,
    sentence_count,
    strip_markup,
    words,
)
from aidtracker.records import Span

# How far down the headline may be (in non-blank lines).
TITLE_LINES = 20
_MIN_WORDS = 4
_MAX_WORDS = 30
_MAX_WORDS_WITH_STOP = 25
_MAX_CHARS = 300
_QUOTE_CLASS = "[\"'“”‘’«»„]"
_DASH_CLASS = "[-‐‑‒–—―]"
_H1 = re.compile(r"#\s")  # a Markdown top-level heading is a title whatever its length


def is_headline(text: str, cues: Cues, *, last: bool = False) -> bool:
    """Shaped like a headline: a few words, at most one sentence, no trailing colon.

    A line closed by a full stop is a headline only if a body follows it and it attributes
    nothing ("…, the ministry said."): otherwise it is the article's first sentence.
    """
    n = len(words(text))
    if not _MIN_WORDS <= n <= _MAX_WORDS or len(text) > _MAX_CHARS:
        return False
    if text.endswith((":", ";", ",")) or is_bullet(text):
        return False
    if text.endswith(".") and ends_sentence(text):
        return (
            not last and n <= _MAX_WORDS_WITH_STOP and sentence_count(text) == 1 and not cues.attribution.search(text)
        )
    return sentence_count(text) <= 2


def find_title(lines: Sequence[Line], reasons: Sequence[str | None], cues: Cues) -> int | None:
    """Index of the headline line, or None if the text does not open with one."""
    for i, line in enumerate(lines[:TITLE_LINES]):
        if reasons[i] is not None:
            continue
        start, end = strip_markup(line.text)
        text = line.text[start:end]
        last = i == len(lines) - 1
        if is_headline(text, cues, last=last) or (_H1.match(line.text) and words(text)):
            return i
        if is_body_like(text):
            return None
    return None


def title_of(line: Line) -> tuple[str, Span]:
    """The headline's words (Markdown marks left out) and their span in the text."""
    start, end = strip_markup(line.text)
    return line.text[start:end], Span(line.start + start, line.start + end)


def _loose(title: str) -> re.Pattern[str]:
    """A pattern for `title` that forgives case, spacing, quote and dash styles."""
    parts = []
    for token in title.split():
        escaped = re.escape(token)
        escaped = re.sub(r"\\?[\"'“”‘’«»„]", _QUOTE_CLASS, escaped)
        escaped = re.sub(r"\\?[-‐‑‒–—―]", _DASH_CLASS, escaped)
        parts.append(escaped)
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def locate_title(text: str, title: str) -> Span | None:
    """Where a title from metadata occurs in the text, or None if the text does not print it."""
    title = title.strip()
    if not title:
        return None
    at = text.find(title)
    if at >= 0:
        return Span(at, at + len(title))
    found = _loose(title).search(text)
    return Span(found.start(), found.end()) if found else None


def line_at(lines: Sequence[Line], offset: int) -> int | None:
    """Index of the line holding character `offset`."""
    for i, line in enumerate(lines):
        if line.start <= offset < line.end:
            return i
        if line.start > offset:
            break
    return None
