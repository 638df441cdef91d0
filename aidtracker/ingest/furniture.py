"""Page furniture: the lines of a copied web page that are not the article, marked, not removed.

The text stays exactly as read (every later fact points into it by offset); this module only
says which stretches are ads, navigation, captions, bylines, related-story lists and the like,
so that extraction can skip them. It works on whole lines in three passes:

1. each line on its own, against the language's cue file (`vocab/<lang>/furniture.yml`):
   exact cue lines ("Advertisement"), labels ("Short link:"), whole-line patterns ("2 min
   read", "15.1 C", "01:03"), photo credits closing a caption, dated bylines;
2. lines in context: a "Most popular" marker and the headlines after it, a weather widget's
   lines, a video title after its timecode, a headline + "…" teaser, repeated lines, and a
   trailing run of headlines after the last paragraph;
3. once the title is known (`mark_around_title`): whatever precedes it, short lines between
   it and the first paragraph, an image's alt text before its caption, promotion text before
   its call to action.

Reasons, as stored in `Furniture.reason`: advertisement, navigation, promo, media, share,
end-mark, separator, metadata, byline, reading-time, weather, timecode, number, counter,
image, link, contact, contacts, copyright, credit, caption, appeal, video, duplicate,
related-link, related-teaser, related-headlines, header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aidtracker.ingest.cues import Cues, fold
from aidtracker.ingest.dateline import byline_rest
from aidtracker.ingest.lines import (
    Line,
    ends_ellipsis,
    ends_sentence,
    is_body_like,
    is_clearly_body,
    is_headline_like,
    words,
)
from aidtracker.records import Furniture, Span

# Reasons that cover a run of lines as one span.
BLOCK_REASONS = frozenset({"related-headlines", "related-teaser", "weather", "contacts"})
# Provisional reasons of block-opening lines, resolved by `_blocks`.
_MARKERS = {"related-marker": "related-headlines", "contact-marker": "contacts"}
_LABEL = re.compile(r"^(?P<label>[^:]{1,40}?)\s*:(?:\s+(?P<value>.*))?$")
_NAV_TOKEN = re.compile(r"[^\W\d_]{2,3}")
_PATTERN_MAX_CHARS = 200
_SHORT_CHARS = 300
_CAPTION_MAX_WORDS = 80
_BYLINE_MAX_WORDS = 30
_PHRASE_MAX_WORDS = 15
_HEADER_MAX_WORDS = 6


def _is_language_strip(text: str, cues: Cues) -> bool:
    """A row of two- or three-letter language or section codes ("EN DE FR", "Укр Рус Eng")."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 10:
        return False
    k = 0
    while k < len(tokens) and _NAV_TOKEN.fullmatch(tokens[k]) and tokens[k][0].isupper():
        k += 1
    if k < 2:
        return False
    rest = fold(" ".join(tokens[k:]))
    return not rest or rest in cues.lines


def classify_line(text: str, cues: Cues) -> str | None:
    """The furniture reason of one line judged on its own, or None if it may be article text."""
    folded = fold(text) if len(text) <= _SHORT_CHARS else "\x00"  # cues are short lines
    if not folded:
        return "separator"  # "* * *", "---", "###"
    if folded in cues.lines:
        return cues.lines[folded]
    if folded in cues.related_markers:
        return "related-marker"
    if folded in cues.contact_markers:
        return "contact-marker"
    label = _LABEL.match(text)
    if label:
        name = fold(label.group("label"))
        if name in cues.labels:
            return cues.labels[name]
        if name in cues.related_markers and label.group("value"):
            return "related-link"
    if len(text) <= _PATTERN_MAX_CHARS:
        for pattern, reason in cues.patterns:
            if pattern.fullmatch(text):
                return reason
    n = len(words(text))
    if n <= _BYLINE_MAX_WORDS and text.casefold().startswith(cues.credit_prefixes):
        return "credit"
    if n <= _CAPTION_MAX_WORDS:
        if any(p.search(text) for p in cues.caption_credits):
            return "caption"
        if n >= 8 and any(p.search(text) for p in cues.caption_sources):
            return "caption"
    if n <= _PHRASE_MAX_WORDS:
        for phrase, reason in cues.phrases:
            if phrase in folded:
                return reason
    if n <= _BYLINE_MAX_WORDS:
        if byline_rest(text, cues) is not None:
            return "byline"
        if not ends_sentence(text) and any(p.search(text) for p in cues.counters):
            return "related-link"
    if _is_language_strip(text, cues):
        return "navigation"
    return None


def _first_body(lines: Sequence[Line], reasons: Sequence[str | None]) -> int:
    """Index of the first paragraph of prose: before it, a page has only its header.

    A short article's only paragraph may be too short to look like prose; a line that ends a
    sentence after the headline still closes the header.
    """
    seen_text = False
    for i, line in enumerate(lines):
        if reasons[i] is not None:
            continue
        if is_body_like(line.text) or (seen_text and ends_sentence(line.text)):
            return i
        seen_text = True
    return len(lines)


def _blocks(lines: Sequence[Line], reasons: list[str | None], body: int) -> None:
    """From a "Most popular" or "Contacts" line up to the next paragraph of prose, or the end."""
    i = 0
    while i < len(lines):
        marker = reasons[i]
        if marker not in _MARKERS:
            i += 1
            continue
        if i < body:  # a "Latest" or "Popular" tab in the page header
            reasons[i] = "navigation"
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not (reasons[j] is None and is_clearly_body(lines[j].text)):
            j += 1
        for k in range(i, j):
            reasons[k] = _MARKERS[marker]
        i = j


def _weather_blocks(lines: Sequence[Line], reasons: list[str | None]) -> None:
    """A temperature and the place and date printed under it, as one widget."""
    for i in range(len(lines)):
        if reasons[i] != "weather":
            continue
        j = i + 1
        while (
            j < len(lines)
            and not lines[j].blank_before
            and len(words(lines[j].text)) <= 5
            and not ends_sentence(lines[j].text)
            and reasons[j] not in BLOCK_REASONS
        ):
            reasons[j] = "weather"
            j += 1


def _videos(lines: Sequence[Line], reasons: list[str | None]) -> None:
    """The title printed under a video's running time."""
    for i in range(len(lines) - 1):
        nxt = lines[i + 1].text
        if reasons[i] == "timecode" and reasons[i + 1] is None and is_headline_like(nxt, 25):
            reasons[i + 1] = "video"


def _teasers(lines: Sequence[Line], reasons: list[str | None]) -> None:
    """A link to another story: a headline, then the start of that story cut off with "…"."""
    for i in range(len(lines) - 1):
        head, lead = lines[i].text, lines[i + 1].text
        if (
            reasons[i] is None
            and reasons[i + 1] is None
            and is_headline_like(head, 15)
            and len(words(head)) >= 3
            and ends_ellipsis(lead)
        ):
            reasons[i] = reasons[i + 1] = "related-teaser"


def _duplicates(lines: Sequence[Line], reasons: list[str | None]) -> None:
    """A line printed again (a headline over its image, a pull quote): the first one counts."""
    seen: set[str] = set()
    for i, line in enumerate(lines):
        key = fold(line.text) if len(line.text) <= _SHORT_CHARS else line.text
        if key in seen and reasons[i] is None:
            reasons[i] = "duplicate"
        seen.add(key)


def _tail(lines: Sequence[Line], reasons: list[str | None], body: int) -> None:
    """Headlines of other stories after the article's last paragraph and its end furniture.

    Only a run that begins with furniture ("Advertisement", "Support us") counts, so an
    article ending on a subheading or a line without a full stop keeps it.
    """
    i = len(lines) - 1
    while i > body:
        text = lines[i].text
        if reasons[i] is None and not (is_headline_like(text, 20) or ends_ellipsis(text)):
            break
        i -= 1
    first = i + 1
    if first < len(lines) and reasons[first] is not None:
        for k in range(first, len(lines)):
            if reasons[k] is None:
                reasons[k] = "related-headlines"


def classify(lines: Sequence[Line], cues: Cues) -> list[str | None]:
    """The furniture reason of every line (None for article text), before the title is known."""
    reasons = [classify_line(line.text, cues) for line in lines]
    body = _first_body(lines, reasons)
    _blocks(lines, reasons, body)
    _weather_blocks(lines, reasons)
    _videos(lines, reasons)
    _teasers(lines, reasons)
    _duplicates(lines, reasons)
    _tail(lines, reasons, body)
    return reasons


def mark_around_title(lines: Sequence[Line], reasons: list[str | None], title: int | None, cues: Cues) -> None:
    """Furniture that shows only once the headline is known (see the module docstring, 3)."""
    if title is not None:
        reasons[title] = None
        for i in range(title):
            if reasons[i] is None:
                reasons[i] = "header"
        for i in range(title + 1, len(lines)):
            if reasons[i] is not None:
                continue
            text = lines[i].text
            if is_body_like(text) or len(words(text)) > 2 * _HEADER_MAX_WORDS:
                break  # prose, even prose that ends on "The package includes:", closes the header
            if len(words(text)) <= _HEADER_MAX_WORDS and not ends_sentence(text):
                reasons[i] = "header"
    for i in range(len(lines) - 1):
        if i == title or reasons[i] is not None or lines[i + 1].blank_before:
            continue
        text, nxt = lines[i].text, lines[i + 1].text
        if reasons[i + 1] == "caption" and is_headline_like(text, 25) and len(words(nxt)) >= 6:
            reasons[i] = "caption"  # an image's alt text over its caption
        elif reasons[i + 1] in (None, "caption") and len(text) >= 20 and len(nxt) > len(text) and nxt.startswith(text):
            reasons[i] = reasons[i + 1] = "caption"  # a caption printed again with its credit
    for i in range(1, len(lines)):
        before = i - 1
        if (
            reasons[i] is not None
            and reasons[before] is None
            and fold(lines[i].text) in cues.calls_to_action
            and before != title
            and len(words(lines[before].text)) <= 20
        ):
            reasons[before] = "promo"


def to_spans(lines: Sequence[Line], reasons: Sequence[str | None]) -> tuple[Furniture, ...]:
    """Furniture records, in text order and never overlapping: one per line, one per block."""
    out: list[Furniture] = []
    i = 0
    while i < len(lines):
        reason = reasons[i]
        if reason is None:
            i += 1
            continue
        j = i
        if reason in BLOCK_REASONS:
            while j + 1 < len(lines) and reasons[j + 1] == reason:
                j += 1
        out.append(Furniture(Span(lines[i].start, lines[j].end), reason))
        i = j + 1
    return tuple(out)
