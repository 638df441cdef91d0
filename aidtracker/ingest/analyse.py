"""Plain text (plus any metadata) → `Article`: furniture, title, publication date, publisher.

Every reader (text files, Markdown, JSONL records, HTML after extraction, stdin) ends here, so
that a document is analysed the same way whatever it came in. Metadata that came with the
document (a manifest row, JSONL fields, HTML meta tags) wins over what the text suggests; the
text is the fallback, never the other way round.

The text is stored exactly as given apart from line endings: CRLF and lone CR become LF, so
that offsets mean the same on every platform. Nothing is stripped, reflowed or re-encoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from aidtracker.ids import document_id
from aidtracker.ingest.cues import load_cues
from aidtracker.ingest.dateline import find_dateline, find_publisher, parse_date
from aidtracker.ingest.furniture import classify, mark_around_title, to_spans
from aidtracker.ingest.headline import TITLE_LINES, find_title, line_at, locate_title, title_of
from aidtracker.ingest.lines import Line, is_body_like, split_lines
from aidtracker.records import Article, Span
from aidtracker.types import DateSource

_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z]*)?\s*")


@dataclass(frozen=True, slots=True)
class Metadata:
    """What came with a document besides its text; None where nothing was said."""

    title: str | None = None
    url: str | None = None
    published: date | None = None
    publisher: str | None = None

    def over(self, other: Metadata) -> Metadata:
        """These values, with gaps filled from `other` (so `self` is the stronger source)."""
        return Metadata(
            title=self.title or other.title,
            url=self.url or other.url,
            published=self.published or other.published,
            publisher=self.publisher or other.publisher,
        )


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR as LF: the only change ever made to a document's text."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_published(value: str, lang: str = "en") -> date | None:
    """A publication date given as metadata: ISO 8601 (a time may follow), else any full date."""
    iso = _ISO_DATE.fullmatch(value)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    return parse_date(value, lang) if value.strip() else None


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None


def _anchor(lines: list[Line], reasons: list[str | None], span: Span | None) -> int | None:
    """The line of a located metadata title, if it sits where a headline would."""
    if span is None:
        return None
    index = line_at(lines, span.start)
    if index is None or index >= TITLE_LINES:
        return None
    if any(reasons[i] is None and is_body_like(lines[i].text) for i in range(index)):
        return None
    return index


def article_from_text(
    text: str,
    source: str,
    *,
    format: str = "text",
    metadata: Metadata | None = None,
    language: str = "en",
) -> Article:
    """Analyse one document's text into an `Article`; the text itself is kept verbatim."""
    text = normalise_newlines(text)
    cues = load_cues(language)
    meta = metadata or Metadata()
    lines = split_lines(text)
    reasons = classify(lines, cues)

    found = find_title(lines, reasons, cues)
    title = _clean(meta.title)
    title_span: Span | None = None
    if title is not None:
        title_span = locate_title(text, title)
        anchor = _anchor(lines, reasons, title_span)
        if anchor is not None:
            found = anchor
    elif found is not None:
        title, title_span = title_of(lines[found])
    mark_around_title(lines, reasons, found, cues)

    published, how = meta.published, DateSource.METADATA if meta.published else DateSource.NONE
    dated, dateline = find_dateline(lines, reasons, cues)
    if published is None and dated is not None:
        published, how = dated, DateSource.DATELINE
    publisher = _clean(meta.publisher) or find_publisher(lines, cues, dateline)

    return Article(
        id=document_id(text),
        text=text,
        source=source,
        title=title,
        title_span=title_span,
        published=published,
        published_how=how,
        url=_clean(meta.url),
        publisher=publisher,
        language=language,
        format=format,
        furniture=to_spans(lines, reasons),
    )
