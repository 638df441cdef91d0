"""Finding documents on disk and reading one file into text, or saying why it cannot be.

Reading is strict about what is not text and forgiving about how text was encoded: a NUL
byte, a mostly-control-character file or an empty one is an error, while a UTF-8 or UTF-16
byte-order mark, or a legacy single-byte encoding (Windows-1252 and the like) decodes. The
size limit is checked on the file's `stat` before a byte is read, so an oversized file costs
nothing, and only one file is held in memory at a time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from aidtracker.errors import InputError, InputTooLarge, UnreadableInput
from aidtracker.ingest.analyse import normalise_newlines

# File extension → `Article.format`.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

# Byte-order marks, longest first (a UTF-32 LE mark begins like a UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SAMPLE = 100_000
# Scripts beyond Latin start after Latin Extended-B.
_LAST_LATIN = 0x24F


@dataclass(frozen=True, slots=True)
class Found:
    """A document file found on disk, with the folder whose manifest may describe it."""

    path: str
    format: str
    folder: str


def format_of(path: str) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


def walk(folder: str) -> Iterator[Found | InputError]:
    """Document files under `folder`, recursively, in sorted order; hidden entries skipped.

    Files with other extensions are skipped silently (a folder of articles often holds notes
    and manifests); an unreadable subfolder is reported and the walk goes on.
    """
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield UnreadableInput(folder, f"cannot list folder ({exc.strerror or exc})")
        return
    subfolders = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            subfolders.append(entry.path)
        elif entry.is_file():
            fmt = format_of(entry.name)
            if fmt is not None:
                yield Found(entry.path, fmt, folder)
    for sub in subfolders:
        yield from walk(sub)


def stat_size(path: str) -> int:
    """The size of a file that exists and is not empty."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise UnreadableInput(path, f"cannot read ({exc.strerror or exc})") from exc
    if size == 0:
        raise UnreadableInput(path, "empty file")
    return size


def check_size(path: str, max_bytes: int) -> int:
    """The file's size, after making sure it is non-empty and within the limit — unread."""
    size = stat_size(path)
    if size > max_bytes:
        raise InputTooLarge(path, f"file is {size} bytes, over the {max_bytes}-byte limit")
    return size


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text[:_SAMPLE] if c.isalpha()]
    return sum(ord(c) > _LAST_LATIN for c in letters) * 2 > len(letters)


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _damaged_utf8(raw: bytes) -> bool:
    """True for UTF-8 text with a few invalid bytes (a truncated copy, one bad byte), not a legacy encoding.

    Valid multi-byte sequences are rare in Windows-1252 text ("Ã¼" would be needed), so several
    of them, with invalid bytes a small minority, mean UTF-8.
    """
    good = len(_UTF8_MULTIBYTE.findall(raw))
    bad = raw.decode("utf-8", errors="replace").count("\ufffd")
    return good >= 1 and bad <= max(2, good // 10)


def decode(raw: bytes, source: str) -> str:
    """Bytes → text: BOM if any, else UTF-8, else the likeliest legacy encoding.

    Charset detection is reliable on long texts in non-Latin scripts (Windows-1251 Ukrainian,
    Shift JIS) but guesses wildly on a short Latin text with a few accents; for those,
    Windows-1252 — the commonest legacy encoding of Western web text — is the better bet.
    """
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableInput(source, f"not valid {encoding} despite its byte-order mark") from exc
    if b"\x00" in raw:
        raise UnreadableInput(source, "binary file (contains NUL bytes), not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _damaged_utf8(raw):
        # Mostly good UTF-8 with a few broken bytes: keep the good text, mark the damage.
        return raw.decode("utf-8", errors="replace")
    best = charset_normalizer.from_bytes(raw).best()
    guess = str(best) if best is not None else None
    if guess is not None and _mostly_non_latin(guess):
        return guess
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        pass
    if guess is not None:
        return guess
    raise UnreadableInput(source, "not UTF-8 and not text in any encoding we recognise")


def check_text(text: str, source: str) -> None:
    """Reject decoded text that is empty or is really binary data."""
    if not text.strip():
        raise UnreadableInput(source, "empty file (only white space)")
    controls = len(_CONTROL.findall(text, 0, _SAMPLE))
    if controls > max(8, min(len(text), _SAMPLE) // 100):
        raise UnreadableInput(source, "binary file (control characters), not text")


def read_document(path: str, max_bytes: int) -> str:
    """The whole text of one file, line endings normalised; raises `InputError` subclasses."""
    check_size(path, max_bytes)
    try:
        with open(path, "rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableInput(path, f"cannot read ({exc.strerror or exc})") from exc
    if len(raw) > max_bytes:  # grew since stat, or a device that reports no size
        raise InputTooLarge(path, f"file is over the {max_bytes}-byte limit")
    text = decode(raw, path)
    del raw
    check_text(text, path)
    return normalise_newlines(text)
