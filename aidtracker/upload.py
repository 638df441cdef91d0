"""Documents sent over the API: a request body in, stored and extracted articles out.

An upload is read exactly as a file of the same type would be (`ingest.decode`, the same
checks for binary and empty input, JSONL line by line) and stored by `pipeline.ingest`, so an
uploaded article and the same article ingested from disk are one document. The name the client
gives is untrusted: only its last path component is kept, and only to pick the format and to
label the source; nothing is ever written under it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence

from aidtracker.errors import InputError, InputTooLarge, RequestError, UnreadableInput
from aidtracker.ingest import FORMATS, article_from_html, article_from_text, decode
from aidtracker.ingest.files import check_text
from aidtracker.ingest.jsonl import iter_records, text_lines
from aidtracker.pipeline import BatchSummary, ingest
from aidtracker.records import Article, Extraction
from aidtracker.store import Store

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def upload_name(name: str) -> str:
    """The file name an upload is known by: its last path component, in safe characters only.

    "../../etc/passwd" becomes "passwd", "C:\\x\\a b.txt" becomes "a_b.txt"; a name with nothing
    usable left is refused.
    """
    last = re.split(r"[\\/]", name.strip())[-1]
    safe = _UNSAFE.sub("_", last).strip("._")[:120]
    if not safe:
        raise RequestError(f"{name[:80]!r} is not a usable file name (give one such as article.txt)")
    return safe


def read_upload(name: str, body: bytes, *, by: str, max_bytes: int, language: str = "en") -> list[Article | InputError]:
    """The article(s) in an uploaded body, or the reasons it (or a JSONL line of it) cannot be read."""
    safe = upload_name(name)
    suffix = "." + safe.rsplit(".", 1)[-1].lower() if "." in safe else ""
    fmt = FORMATS.get(suffix)
    source = f"upload:{by}/{safe}"
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        return [InputError(source, f"unknown file type (expected one of {known})")]
    if len(body) > max_bytes:
        return [InputTooLarge(source, f"upload is over the {max_bytes}-byte limit")]
    try:
        text = decode(body, source)
        if fmt == "jsonl":
            return list(iter_records(text_lines(io.StringIO(text), source, max_bytes), source, language))
        check_text(text, source)
        if fmt == "html":
            return [article_from_html(text, source, language=language)]
        return [article_from_text(text, source, format=fmt, language=language)]
    except InputError as exc:
        return [exc]
    except RecursionError:
        return [UnreadableInput(source, "markup nested too deeply to read")]


class _Uploaded:
    """What `pipeline.ingest` reads its items from (an `Engine`): here, articles already read
    from a request body; extraction still happens in `ingest`, in this process."""

    def __init__(self, items: Sequence[Article | InputError]) -> None:
        self._items = items

    def items(
        self, paths: Sequence[str], *, extract: bool, max_bytes: int, language: str
    ) -> Iterator[tuple[Article | InputError, Extraction | None]]:
        return ((item, None) for item in self._items)

    def completed(self) -> None:
        pass

    def describe(self) -> str:
        return "uploaded over the API"

    @property
    def resumed(self) -> bool:
        return False


def ingest_upload(store: Store, name: str, body: bytes, *, by: str, max_bytes: int) -> BatchSummary:
    """Store and extract the documents of one upload, resolving again if anything changed."""
    items = read_upload(name, body, by=by, max_bytes=max_bytes)
    return ingest([], store, max_bytes=max_bytes, engine=_Uploaded(items))
