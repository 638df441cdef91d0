"""Publication date and publisher from the dateline or byline near the top of an article.

A date in the body ("on February 19 Japan pledged …") says when something happened, not when
the article appeared, so only byline-shaped lines count: a date (and time) with at most a few
capitalised words around it ("AP , Monday 19 Feb 2024", "by Jane Doe December 11, 2023
5:29 PM 2 min read"). Candidate date strings are found with the vocabulary's regular
expressions first and only then handed to dateparser, which is slow at searching but good at
parsing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import dateparser

from aidtracker.ingest.cues import Cues, fold
from aidtracker.ingest.lines import Line, words

# How many lines from the top a dateline may sit at.
DATELINE_LINES = 15
# Furniture reasons of lines that may still carry the article's own date.
_DATED_REASONS = frozenset({"byline", "metadata", "header"})
_PARSER_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}
_CONNECTORS = frozenset({"and", "of", "the", "for", "&", "de", "von", "van", "der"})
# Agencies sign with short acronyms (AP, AFP, UNN); a longer word in capitals is more often
# the dateline's place (KYIV, OSLO), so longer names must be in the vocabulary's agency list.
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,2}")
_QUOTED = re.compile(r"^[\"“«'‘](?P<name>[^\"”»'’]{2,60})[\"”»'’]$")
_PERSON_TOKEN = re.compile(r"(?:[A-Z][a-z]+(?:['’-][A-Za-z][a-z]+)*|[A-Z]\.)")
_YEAR = re.compile(r"\d{4}")  # every full date has one; a cheap test before the date patterns
_LABEL = re.compile(r"^(?P<label>[^:]{1,40}?)\s*:\s*(?P<value>.+)$")


def date_matches(text: str, cues: Cues) -> list[re.Match[str]]:
    """The candidate date strings in `text`, in order, without overlaps."""
    found = sorted(
        (m for pattern in cues.dates for m in pattern.finditer(text)),
        key=lambda m: (m.start(), -len(m.group())),
    )
    kept: list[re.Match[str]] = []
    for m in found:
        if not kept or m.start() >= kept[-1].end():
            kept.append(m)
    return kept


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in sorted(spans):
        if start >= pos:
            out.append(text[pos:start])
            pos = end
    out.append(text[pos:])
    return " ".join(out)


def byline_rest(text: str, cues: Cues) -> str | None:
    """What a dated byline line says besides its date, or None if the line is no byline.

    The rest must be a few capitalised words (a name, an agency, a place); a body sentence
    that happens to hold a date leaves lower-case words behind and so is not a byline.
    """
    if len(text) > 200 or not _YEAR.search(text):
        return None
    dates = date_matches(text, cues)
    if not dates:
        return None
    rest = _cut(text, [m.span() for m in dates])
    for pattern in (*cues.times, *cues.byline_noise):
        rest = pattern.sub(" ", rest)
    rest = " ".join(rest.split())
    tokens = words(rest)
    if len(tokens) > 6:
        return None
    for i, token in enumerate(tokens):
        if i == 0 and fold(token) in cues.author_words:
            continue
        if token.casefold() in _CONNECTORS or not token[0].isalpha() or token[0].isupper():
            continue
        return None
    return rest


def parse_date(text: str, lang: str) -> date | None:
    """A full calendar date (day, month and year) from a candidate string, else None."""
    parsed = dateparser.parse(text, languages=[lang], settings=_PARSER_SETTINGS)
    return parsed.date() if parsed is not None else None


def _label_value(text: str, cues: Cues) -> tuple[str, str] | None:
    m = _LABEL.match(text)
    if m and fold(m.group("label")) in cues.labels:
        return fold(m.group("label")), m.group("value").strip()
    return None


def find_dateline(lines: Sequence[Line], reasons: Sequence[str | None], cues: Cues) -> tuple[date | None, int | None]:
    """The publication date stated near the top, and the index of the line stating it."""
    for i, line in enumerate(lines[:DATELINE_LINES]):
        if reasons[i] is not None and reasons[i] not in _DATED_REASONS:
            continue
        labelled = _label_value(line.text, cues)
        wire = cues.wire.match(line.text) if cues.wire is not None else None
        if labelled is not None:
            candidates = date_matches(labelled[1], cues)
        elif byline_rest(line.text, cues) is not None:
            candidates = date_matches(line.text, cues)
        elif wire is not None and reasons[i] is None:
            candidates = date_matches(wire.group("when"), cues)
        else:
            continue
        for m in candidates:
            parsed = parse_date(m.group(), cues.language)
            if parsed is not None:
                return parsed, i
    return None, None


def looks_like_person(name: str, cues: Cues) -> bool:
    """Two to four capitalised words, no acronym, no outlet word: "Jane Doe", not "Kyiv Post"."""
    tokens = name.split()
    return (
        2 <= len(tokens) <= 4
        and all(_PERSON_TOKEN.fullmatch(t) for t in tokens)
        and not any(fold(t) in cues.organisation_words for t in tokens)
    )


def _as_publisher(candidate: str, cues: Cues) -> str | None:
    """`candidate` if it names an outlet or agency rather than a person."""
    candidate = " ".join(candidate.split()).strip(" ,;:|•·-–—")
    quoted = _QUOTED.match(candidate)
    if quoted:
        return quoted.group("name").strip()
    if not candidate:
        return None
    if fold(candidate) in cues.agencies:
        return cues.agencies[fold(candidate)]
    if _ACRONYM.fullmatch(candidate):
        return candidate
    return None


def find_publisher(lines: Sequence[Line], cues: Cues, dateline: int | None) -> str | None:
    """The publisher the text names: in its byline, a wire dateline, or an "Author:" line."""
    if dateline is not None:
        rest = byline_rest(lines[dateline].text, cues)
        if rest:
            first = fold(words(rest)[0]) if words(rest) else ""
            if first not in cues.author_words:
                found = _as_publisher(rest, cues)
                if found:
                    return found
    if cues.wire is not None:
        for line in lines[:DATELINE_LINES]:
            m = cues.wire.match(line.text)
            if m and m.group("agency"):
                found = _as_publisher(m.group("agency"), cues) or m.group("agency").strip()
                return found
    for line in lines:
        labelled = _label_value(line.text, cues)
        if labelled is None or labelled[0] not in cues.publisher_labels:
            continue
        value = labelled[1]
        if not looks_like_person(value, cues) and len(words(value)) <= 8:
            return value.rstrip(".")
    return None
