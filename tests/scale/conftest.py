"""Shared by the scale tests: a small corpus with bad files in it, and a database as plain rows.

The corpus is the fixture articles plus what the serial path must report: an empty file, a
binary one, and a manifest that lists a document twice (reported once per batch, however
many partitions read that folder).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from aidtracker.store import open_store
from aidtracker.store.tables import UTCDateTime, metadata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
Dump = dict[str, list[tuple[Any, ...]]]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/articles with an empty file, a binary file and a manifest error."""
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "articles", folder)
    (folder / "aa_empty.txt").write_bytes(b"")
    (folder / "m_binary.txt").write_bytes(b"\x00\x01\x02\x03" * 64)
    manifest = folder / "SOURCES.tsv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # a row listed twice
    return folder


def dump(db: str) -> Dump:
    """Every row of every table, sorted, without the columns that record when a row was written.

    Two databases with equal dumps hold the same documents, facts, clusters, links,
    conflicts and actors, with the same ids: what "the same database" means here.
    """
    store = open_store(db)
    store.close()
    engine = sa.create_engine(f"sqlite:///{db}")
    out: Dump = {}
    try:
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                cols = [c for c in table.columns if not isinstance(c.type, UTCDateTime)]
                rows = conn.execute(sa.select(*cols)).all()
                out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    finally:
        engine.dispose()
    return out


@pytest.fixture
def database_dump() -> Callable[[str], Dump]:
    return dump
