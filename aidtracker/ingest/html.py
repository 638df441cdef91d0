"""HTML pages: trafilatura finds the article body and the page's metadata.

The stored text is trafilatura's plain-text rendering of the main content, so offsets point
into that text, not into the markup. If that text does not already open with the headline,
the headline is put in front of it as its own first line (then a blank line), so that every
article's text starts with its title and `title_span` can point at it. The page's own
metadata (title, date, canonical URL, site name) counts as metadata; a manifest row for the
same file, if any, wins over it. The extracted text still goes through furniture detection.
"""

from __future__ import annotations

import re
from typing import Any

import trafilatura

from aidtracker.errors import UnreadableInput
from aidtracker.ingest.analyse import (
    Metadata,
    article_from_text,
    normalise_newlines,
    parse_published,
)
from aidtracker.records import Article

_LOOKS_LIKE_HTML = re.compile(r"\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)


def looks_like_html(text: str) -> bool:
    """True if a text (say, from stdin) is an HTML page rather than prose."""
    return bool(_LOOKS_LIKE_HTML.match(text[:1024]))


def _field(document: Any, name: str) -> str | None:
    value = getattr(document, name, None)
    if value is None and isinstance(document, dict):
        value = document.get(name)
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def article_from_html(
    markup: str,
    source: str,
    *,
    metadata: Metadata | None = None,
    fallback: Metadata | None = None,
    language: str = "en",
) -> Article:
    """One HTML page → `Article`; a page trafilatura cannot read raises `UnreadableInput`.

    `metadata` outranks what the page says of itself (a manifest row); `fallback` only fills
    what the page leaves out (what a feed said of the page, the URL it was fetched from).
    """
    try:
        document = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
        )
    except Exception as exc:  # lxml and trafilatura fail in many ways on hostile markup
        raise UnreadableInput(source, f"HTML could not be parsed ({type(exc).__name__})") from exc
    body = getattr(document, "text", None) if document is not None else None
    if not isinstance(body, str) or not body.strip():
        raise UnreadableInput(source, "no article text found in the HTML")
    body = normalise_newlines(body)
    title = _field(document, "title")
    text = body
    if title and not body.lstrip().startswith(title):
        text = f"{title}\n\n{body}"
    raw_date = _field(document, "date")
    page = Metadata(
        title=title,
        url=_field(document, "url"),
        published=parse_published(raw_date, language) if raw_date else None,
        publisher=_field(document, "sitename"),
    )
    meta = metadata.over(page) if metadata is not None else page
    if fallback is not None:
        meta = meta.over(fallback)
    return article_from_text(text, source, format="html", metadata=meta, language=language)
