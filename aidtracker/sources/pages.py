"""Reading a kept response as an article: snapshot in, `Article` out, the same way every time.

Both `watch` (just after fetching) and `replay` (from the archive alone) read pages through
`article_of`, and it depends on nothing but the snapshot, so the two give the same documents,
ids and facts. A page's own metadata wins; what the feed said of it, and the URL it came from,
fill the gaps. The document's source is the URL as the feed or the user gave it, so a page
that changes stays one document with versions, wherever it redirects to.
"""

from __future__ import annotations

import codecs

from aidtracker.errors import FetchFailed
from aidtracker.ingest import Metadata, article_from_html, article_from_text, decode
from aidtracker.ingest.html import looks_like_html
from aidtracker.records import Article
from aidtracker.sources.fetch import undo_encoding
from aidtracker.sources.snapshots import Snapshot

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def article_of(snapshot: Snapshot, *, max_bytes: int, language: str = "en") -> Article:
    """The article a page snapshot holds; an `InputError` (naming the URL) if it holds none."""
    content = undo_encoding(snapshot.body, snapshot.header("content-encoding"), max_bytes, snapshot.url)
    text = _text(content, snapshot)
    entry = snapshot.entry
    fallback = Metadata(
        title=entry.title if entry else None,
        url=snapshot.final_url,
        published=entry.published if entry else None,
    )
    if snapshot.content_type in HTML_TYPES or (snapshot.content_type is None and looks_like_html(text)):
        return article_from_html(text, snapshot.url, fallback=fallback, language=language)
    if snapshot.content_type == "text/plain":
        return article_from_text(text, snapshot.url, format="text", metadata=fallback, language=language)
    raise FetchFailed(snapshot.url, f"content type {snapshot.content_type or 'none'} is not a page aidtracker reads")


def _text(content: bytes, snapshot: Snapshot) -> str:
    """The body as text: in the charset the server declared if it is a real one, else detected."""
    charset = _charset(snapshot.header("content-type"))
    if charset is not None:
        try:
            return content.decode(charset)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; detect instead
    return decode(content, snapshot.url)


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            try:
                return codecs.lookup(value.strip("\"' ")).name
            except LookupError:
                return None
    return None
