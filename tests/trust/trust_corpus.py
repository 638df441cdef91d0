"""The small corpus the trust tests share: two outlets report one pledge, two others stand alone."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from aidtracker.extract import extract
from aidtracker.records import Article, Extraction

ARTICLES = {
    "de_grid_wire.txt": (
        "Germany pledges €50 million for Ukraine's power grid\n"
        "BERLIN, 4 March 2024 — Germany pledged €50 million to Ukraine on Monday to repair power stations "
        "damaged by Russian strikes, the economy ministry said.\n"
    ),
    "de_grid_daily.txt": (
        "Berlin to help rebuild Ukrainian power plants\n"
        "BERLIN, 5 March 2024 — Germany will give Ukraine €50 million to repair power stations hit by "
        "Russian missiles, the government said on Tuesday.\n"
    ),
    "ca_demining.txt": (
        "Canada to fund demining in Kharkiv region\n"
        "OTTAWA, 12 April 2024 — Canada will provide C$15 million to Ukraine for humanitarian demining "
        "in the Kharkiv region, the foreign ministry announced on Friday.\n"
    ),
    "se_ambulances.md": (
        "Sweden sends 20 ambulances to Ukraine\n"
        "STOCKHOLM, 2 May 2024 — Sweden will send 20 ambulances to Ukraine this month, "
        "the government said in a statement.\n"
    ),
}


def write_corpus(folder: Path, articles: dict[str, str] = ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def renaming_recipients(article: Article) -> Extraction:
    """An extractor that reads every commitment's recipient differently: every fact id changes,
    as when new rules read the same sentences again (patch it over `pipeline.process_document`)."""
    found = extract(article)
    changed = tuple(dataclasses.replace(c, recipient="the Ukrainian government") for c in found.commitments)
    return dataclasses.replace(found, commitments=changed)
