"""Fixtures for the trust tests: a small corpus in which two outlets report one pledge.

`corpus` writes the articles to a folder; `reviewed_store` is a store (on every backend, via
`db_url`) with them ingested and resolved, so clusters with two members exist to merge, split
and review.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from trust_corpus import write_corpus

from aidtracker.pipeline import ingest
from aidtracker.store import Store, open_store

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def reviewed_store(db_url: str, corpus: Path) -> Iterator[Store]:
    with open_store(db_url, clock=lambda: NOW) as store:
        ingest([str(corpus)], store)
        yield store
