"""JSON Lines: one article per line, `{"text", "title"?, "url"?, "published"?, "publisher"?}`.

A JSONL file may hold a whole crawl, so it is read one line at a time and the size limit
applies to each line (one document), not to the file. A bad line — not JSON, no "text", a
text that is not a string — is reported with its line number and the rest of the file goes
on. An unreadable `published` value is ignored rather than fatal: the text's own dateline is
then used, as for any document without a date.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import IO

from aidtracker.errors import InputError, InputTooLarge, UnreadableInput
from aidtracker.ingest.analyse import Metadata, article_from_text, parse_published
from aidtracker.ingest.files import BOMS, check_text, stat_size
from aidtracker.records import Article

_OPTIONAL = ("title", "url", "publisher")
_DATE_KEYS = ("published", "published_date", "date")
_HEAD = 8192
_SKIP = 1 << 20


def looks_like_jsonl(line: str) -> bool:
    """True if a first non-blank line reads as one JSON object (so the stream is JSONL)."""
    line = line.strip()
    if not (line.startswith("{") and line.endswith("}")):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def parse_record(line: str, source: str, language: str = "en") -> Article:
    """One JSONL line → `Article`; raises `InputError` naming `source` (path:LINE)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(source, f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise UnreadableInput(source, "not a JSON object")
    text = record.get("text")
    if text is None:
        raise UnreadableInput(source, 'no "text" field')
    if not isinstance(text, str):
        raise UnreadableInput(source, f'"text" is a {type(text).__name__}, not a string')
    check_text(text, source)
    values: dict[str, str | None] = {}
    for key in _OPTIONAL:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise UnreadableInput(source, f'"{key}" is a {type(value).__name__}, not a string')
        values[key] = value or None
    raw_date = next((record[k] for k in _DATE_KEYS if isinstance(record.get(k), str)), None)
    meta = Metadata(
        title=values["title"],
        url=values["url"],
        published=parse_published(raw_date, language) if raw_date else None,
        publisher=values["publisher"],
    )
    return article_from_text(text, source, format="jsonl", metadata=meta, language=language)


def iter_records(
    lines: Iterable[tuple[int, str | InputError]], prefix: str, language: str = "en"
) -> Iterator[Article | InputError]:
    """Articles, or errors naming `prefix:LINE`, from numbered lines; blank lines are skipped."""
    seen = 0
    for number, line in lines:
        if isinstance(line, InputError):
            seen += 1
            yield line
            continue
        if not line.strip():
            continue
        seen += 1
        try:
            yield parse_record(line, f"{prefix}:{number}", language)
        except InputError as exc:
            yield exc
    if not seen:
        yield UnreadableInput(prefix, "no records (only white space)")


def _too_long(prefix: str, number: int, limit: int) -> InputError:
    return InputTooLarge(f"{prefix}:{number}", f"line is over the {limit}-byte limit")


def byte_lines(f: IO[bytes], prefix: str, limit: int) -> Iterator[tuple[int, str | InputError]]:
    """Numbered UTF-8 lines, never holding more than `limit` bytes of one line."""
    number = 0
    while True:
        chunk = f.readline(limit + 1)
        if not chunk:
            return
        number += 1
        if len(chunk) > limit and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):  # skip the rest of the long line
                chunk = f.readline(_SKIP)
            yield number, _too_long(prefix, number, limit)
            continue
        try:
            yield number, chunk.decode("utf-8")
        except UnicodeDecodeError:
            yield number, UnreadableInput(f"{prefix}:{number}", "line is not valid UTF-8")


def text_lines(stream: IO[str], prefix: str, limit: int) -> Iterator[tuple[int, str | InputError]]:
    """Numbered lines of a text stream, never holding more than `limit` characters of one."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith("\n"):
            while line and not line.endswith("\n"):
                line = stream.readline(_SKIP)
            yield number, _too_long(prefix, number, limit)
            continue
        yield number, line


def iter_jsonl_file(path: str, max_bytes: int, language: str = "en") -> Iterator[Article | InputError]:
    """Stream a JSONL file; errors for the whole file or for single lines are yielded."""
    try:
        stat_size(path)
        with open(path, "rb") as f:
            head = f.read(_HEAD)
            f.seek(0)
            encoding = next((enc for bom, enc in BOMS if head.startswith(bom)), None)
            if encoding is not None and encoding != "utf-8":
                # The generic codec ("utf-16") reads the byte-order mark itself.
                stream = io.TextIOWrapper(f, encoding=encoding[:6], errors="strict")
                try:
                    yield from iter_records(text_lines(stream, path, max_bytes), path, language)
                except UnicodeDecodeError:
                    yield UnreadableInput(path, f"not valid {encoding} despite its byte-order mark")
                return
            if b"\x00" in head:
                yield UnreadableInput(path, "binary file (contains NUL bytes), not text")
                return
            if encoding == "utf-8":
                f.read(len(BOMS[2][0]))
            yield from iter_records(byte_lines(f, path, max_bytes), path, language)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield UnreadableInput(path, f"cannot read ({exc.strerror or exc})")
