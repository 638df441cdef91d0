"""Ingest: documents in → `Article` records out, text kept verbatim and page furniture marked.

    paths ──► batch.iter_articles ──► files (walk, size, decode) ─┬─► .txt/.md ──┐
        "-" ──► stdin (text, HTML or JSONL)                       ├─► html ──────┤
                                manifest (SOURCES.tsv) metadata ──┤              │
                                                                  └─► jsonl ─────┤
                                                                                 ▼
            analyse.article_from_text: furniture ─► headline ─► dateline ─► Article

Errors are values, not exceptions: `iter_articles` yields an `InputError` in place of each
document it cannot read and carries on. Cue words and patterns are data in
`vocab/<lang>/furniture.yml`. Pure library: no database, no clock, no network.
"""

from __future__ import annotations

from aidtracker.ingest.analyse import Metadata, article_from_text, normalise_newlines
from aidtracker.ingest.batch import iter_articles, read_file
from aidtracker.ingest.cues import Cues, load_cues
from aidtracker.ingest.files import FORMATS, decode, read_document
from aidtracker.ingest.html import article_from_html
from aidtracker.ingest.jsonl import parse_record
from aidtracker.ingest.manifest import MANIFEST_NAMES, Manifest, read_manifest

__all__ = [
    "FORMATS",
    "MANIFEST_NAMES",
    "Cues",
    "Manifest",
    "Metadata",
    "article_from_html",
    "article_from_text",
    "decode",
    "iter_articles",
    "load_cues",
    "normalise_newlines",
    "parse_record",
    "read_document",
    "read_file",
    "read_manifest",
]
