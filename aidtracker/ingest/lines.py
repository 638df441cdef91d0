"""The lines of an article with their offsets, and the shapes (headline, body, caption) they take.

Furniture, title and dateline detection all reason about whole lines: web pages copied as text
keep one block element per line, so a line is the unit a reader would call "a headline", "a
caption" or "a paragraph". Offsets point at the line's content with surrounding white space
left out, so a span never starts or ends on a blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?。！？]['\"”’»)\]]*$")
_ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)['\"”’»)\]]*$")
_INNER_SENTENCE = re.compile(r"[a-z0-9)”\"'’][.!?]['\"”’]?\s+['\"“‘]?[A-Z]")
_BULLET = re.compile(r"^[•·▪◦‣*–—-]\s")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_MARKDOWN_STRONG = re.compile(r"^(\*\*|__)(.+)\1$")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line: its content (stripped) and where that content sits in the text."""

    number: int  # 1-based line number in the text, for messages
    start: int
    end: int
    text: str
    blank_before: bool  # a blank line (or the start of the text) precedes it


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, in order, with offsets into `text`."""
    out: list[Line] = []
    pos = 0
    blank = True
    for number, raw in enumerate(text.split("\n"), start=1):
        content = raw.strip()
        if content:
            start = pos + (len(raw) - len(raw.lstrip()))
            out.append(Line(number, start, start + len(content), content, blank))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return out


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def ends_sentence(text: str) -> bool:
    """True if the line ends as prose does (a full stop, ?, !), an ellipsis excepted."""
    return bool(_SENTENCE_END.search(text)) and not ends_ellipsis(text)


def ends_ellipsis(text: str) -> bool:
    return bool(_ELLIPSIS_END.search(text))


def sentence_count(text: str) -> int:
    """A rough count of sentences, enough to tell a one-sentence headline from a paragraph."""
    return len(_INNER_SENTENCE.findall(text)) + 1


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def is_headline_like(text: str, max_words: int = 20) -> bool:
    """Short, and not closed by a full stop or colon: how headlines and link texts look."""
    n = len(words(text))
    return 2 <= n <= max_words and not text.endswith((".", ":", ";", ",")) and not is_bullet(text)


def is_body_like(text: str) -> bool:
    """A paragraph of prose: several words ending as a sentence, or simply long."""
    n = len(words(text))
    return (n >= 8 and ends_sentence(text)) or (n >= 25 and not ends_ellipsis(text))


def is_clearly_body(text: str) -> bool:
    """Prose a related-stories list would not hold: a long paragraph ending as a sentence."""
    return len(words(text)) >= 15 and ends_sentence(text)


def strip_markup(text: str) -> tuple[int, int]:
    """The `(start, end)` of a line's words inside Markdown heading or bold marks."""
    start, end = 0, len(text)
    heading = _MARKDOWN_HEADING.match(text)
    if heading:
        start = heading.end()
        stripped = text[start:].rstrip("# ").rstrip()
        end = start + len(stripped)
    strong = _MARKDOWN_STRONG.match(text[start:end])
    if strong:
        width = len(strong.group(1))
        start, end = start + width, end - width
    return start, end
