"""A batch of inputs (files, folders, "-" for stdin) → a stream of `Article`s and `InputError`s.

A bad document never stops the batch: its error is yielded in its place and the next one is
read. Folders are walked recursively in sorted order so that two runs over the same folder
yield the same sequence. Only one document is in memory at a time (one line, for JSONL).
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from aidtracker.errors import InputError, InputTooLarge, UnreadableInput
from aidtracker.ingest.analyse import Metadata, article_from_text
from aidtracker.ingest.files import FORMATS, Found, check_text, format_of, read_document, walk
from aidtracker.ingest.html import article_from_html, looks_like_html
from aidtracker.ingest.jsonl import iter_jsonl_file, iter_records, looks_like_jsonl, text_lines
from aidtracker.ingest.manifest import Manifest, find_manifest, read_manifest
from aidtracker.records import Article

STDIN = "-"
STDIN_SOURCE = "stdin"
# Manifests are small; a bigger file by that name is not one.
_MANIFEST_MAX_BYTES = 20_000_000


class _Manifests:
    """Each folder's manifest, read once per batch; its errors are reported once."""

    def __init__(self, language: str) -> None:
        self._language = language
        self._seen: dict[str, Manifest | None] = {}

    def get(self, folder: str) -> tuple[Manifest | None, list[InputError]]:
        if folder in self._seen:
            return self._seen[folder], []
        path = find_manifest(folder)
        manifest: Manifest | None = None
        errors: list[InputError] = []
        if path is not None:
            try:
                manifest = read_manifest(path, _MANIFEST_MAX_BYTES, self._language)
                errors.extend(manifest.errors)
            except InputError as exc:
                errors.append(exc)
        self._seen[folder] = manifest
        return manifest, errors


def read_file(
    path: str, fmt: str, metadata: Metadata | None, max_bytes: int, language: str
) -> Iterator[Article | InputError]:
    """The article(s) in one file of a known format, or the reason it could not be read."""
    if fmt == "jsonl":
        yield from iter_jsonl_file(path, max_bytes, language)
        return
    try:
        text = read_document(path, max_bytes)
        if fmt == "html":
            yield article_from_html(text, path, metadata=metadata, language=language)
        else:
            yield article_from_text(text, path, format=fmt, metadata=metadata, language=language)
    except InputError as exc:
        yield exc


def read_stdin(stream: TextIO, max_bytes: int, language: str) -> Iterator[Article | InputError]:
    """Standard input as one text or HTML document, or as JSONL if its first line is JSON.

    The limit counts characters here, as the stream is already decoded.
    """
    try:
        head: list[str] = []
        for line in iter(lambda: stream.readline(max_bytes + 1), ""):
            head.append(line)
            if line.strip():
                break
        first = head[-1] if head else ""
        if looks_like_jsonl(first):
            start = len(head)
            numbered = itertools.chain(
                enumerate(head, start=1),
                ((n + start, line) for n, line in text_lines(stream, STDIN_SOURCE, max_bytes)),
            )
            yield from iter_records(numbered, STDIN_SOURCE, language)
            return
        budget = max_bytes + 1 - sum(len(x) for x in head)
        text = "".join(head) + (stream.read(budget) if budget > 0 else "")
    except UnicodeDecodeError as exc:
        yield UnreadableInput(STDIN_SOURCE, f"not text in the expected encoding ({exc.reason})")
        return
    if len(text) > max_bytes:
        yield InputTooLarge(STDIN_SOURCE, f"input is over the {max_bytes}-character limit")
        return
    try:
        check_text(text, STDIN_SOURCE)
        if looks_like_html(text):
            yield article_from_html(text, STDIN_SOURCE, language=language)
        else:
            yield article_from_text(text, STDIN_SOURCE, language=language)
    except InputError as exc:
        yield exc


def _explicit_file(path: str, manifests: _Manifests, max_bytes: int, language: str) -> Iterator[Article | InputError]:
    fmt = format_of(path)
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        yield InputError(path, f"unknown file type (expected one of {known})")
        return
    folder = os.path.dirname(path) or "."
    manifest, errors = manifests.get(folder)
    yield from errors
    meta = manifest.lookup(path) if manifest else None
    yield from read_file(path, fmt, meta, max_bytes, language)


def iter_articles(
    paths: Sequence[str],
    *,
    max_bytes: int = 50_000_000,
    stdin: TextIO | None = None,
    language: str = "en",
) -> Iterator[Article | InputError]:
    """Read every document named by `paths` (files, folders, "-" for stdin), in order.

    Yields an `Article` per document (per line for JSONL) and an `InputError` for each one
    that cannot be read; the caller decides whether errors are fatal. Inside folders, files
    of unknown types are skipped silently; named explicitly, they are an error.
    """
    manifests = _Manifests(language)
    for path in paths:
        if path == STDIN:
            yield from read_stdin(stdin if stdin is not None else sys.stdin, max_bytes, language)
        elif os.path.isdir(path):
            for found in walk(path):
                if not isinstance(found, Found):
                    yield found
                    continue
                manifest, errors = manifests.get(found.folder)
                yield from errors
                meta = manifest.lookup(found.path) if manifest else None
                yield from read_file(found.path, found.format, meta, max_bytes, language)
        elif os.path.exists(path):
            if not os.path.isfile(path):
                yield UnreadableInput(path, "not a regular file")
                continue
            yield from _explicit_file(path, manifests, max_bytes, language)
        else:
            yield UnreadableInput(path, "no such file or folder")
