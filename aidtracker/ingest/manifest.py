"""A folder's manifest: metadata for the articles in it, one row per file stem.

Corpora collected by hand keep their URLs, titles and dates in a table next to the texts
(`SOURCES.tsv`, or `sources.tsv` / `sources.csv`). A `doc` column names the file by its stem;
`url`, `title`, `published_date` (or `published`), and `publisher` are optional. What a
manifest says is taken as metadata and wins over what the text suggests. A date cell that
cannot be read is left out (the text's dateline may then give the date); a manifest with no
`doc` column, or a document listed twice, is reported as an `InputError`.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aidtracker.errors import InputError, UnreadableInput
from aidtracker.ingest.analyse import Metadata, parse_published
from aidtracker.ingest.files import FORMATS, read_document

MANIFEST_NAMES = ("SOURCES.tsv", "sources.tsv", "sources.csv")
_DATE_COLUMNS = ("published_date", "published", "date")


@dataclass(frozen=True, slots=True)
class Manifest:
    """The rows of one manifest by document stem, and the rows that could not be used."""

    path: str
    entries: Mapping[str, Metadata]
    errors: tuple[InputError, ...] = field(default=())

    def lookup(self, path: str) -> Metadata | None:
        stem = Path(path).stem
        found = self.entries.get(stem)
        if found is None:  # a manifest typed on a case-insensitive file system
            folded = stem.casefold()
            found = next((m for k, m in self.entries.items() if k.casefold() == folded), None)
        return found


def find_manifest(folder: str) -> str | None:
    for name in MANIFEST_NAMES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def _stem(doc: str) -> str:
    path = Path(doc)
    return path.stem if path.suffix.lower() in FORMATS else doc


def read_manifest(path: str, max_bytes: int, language: str = "en") -> Manifest:
    """Parse a manifest; a file that cannot be read at all raises `InputError`."""
    text = read_document(path, max_bytes)
    if path.lower().endswith(".csv"):
        reader = csv.reader(io.StringIO(text))
    else:  # tab-separated files seldom quote, and titles may start with a quotation mark
        reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        header = [name.strip().casefold() for name in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise UnreadableInput(path, "no header row") from exc
    if "doc" not in header:
        raise UnreadableInput(path, 'no "doc" column in the header row')
    entries: dict[str, Metadata] = {}
    errors: list[InputError] = []
    try:
        for row in reader:
            values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
            doc = values.get("doc", "")
            if not doc:
                continue
            raw_date = next((values[c] for c in _DATE_COLUMNS if values.get(c)), "")
            # A date we cannot read ("2022-04 (approx.)") is no date, as in JSONL: the
            # document is still read, and its dateline may supply one.
            published = parse_published(raw_date, language) if raw_date else None
            key = _stem(doc)
            if key in entries:
                where = f"{path}:{reader.line_num}"
                errors.append(UnreadableInput(where, f"{doc!r} is listed twice; first row kept"))
                continue
            entries[key] = Metadata(
                title=values.get("title") or None,
                url=values.get("url") or None,
                published=published,
                publisher=values.get("publisher") or None,
            )
    except csv.Error as exc:
        errors.append(UnreadableInput(f"{path}:{reader.line_num}", f"malformed row ({exc})"))
    return Manifest(path, entries, tuple(errors))
