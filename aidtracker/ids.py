"""Content-derived ids, so that re-running any stage on the same input changes nothing."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def make_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """A short stable hash of `parts`; `None` and "" are distinct, order matters."""
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\x1f")
    digest = h.hexdigest()[:length]
    return f"{prefix}{digest}" if prefix else digest


def normalise_text(text: str) -> str:
    """The form of a text that its document id is computed from.

    NFC, unified line endings and folded runs of white space: a file re-saved with CRLF
    endings or trailing spaces is the same document, a changed word is not.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _SPACE.sub(" ", text).strip()


def document_id(text: str) -> str:
    """The id of a document: a hash of its normalised text."""
    return make_id(normalise_text(text), prefix="doc_")
