"""Backends for every test that needs a database: SQLite always, PostgreSQL when asked for.

    AIDTRACKER_TEST_PG_URL=$(scripts/pg-start.sh) .venv/bin/pytest

A test that takes `db_url` (or, for a module that fills one database and only reads it,
`module_db_url`) runs once per backend. Each PostgreSQL run gets a schema of its
own, dropped afterwards, so tests neither see each other's rows nor need a database to
themselves; without `AIDTRACKER_TEST_PG_URL` the PostgreSQL runs are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from aidtracker.store import resolve_url

PG_URL = os.environ.get("AIDTRACKER_TEST_PG_URL")


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def backend_url(backend: str, folder: Path) -> Iterator[str]:
    """A URL for an empty database: an SQLite file in `folder`, or a fresh PostgreSQL schema."""
    if backend == "sqlite":
        yield str(folder / "aid.db")  # a bare path means SQLite
        return
    if not PG_URL:
        pytest.skip("set AIDTRACKER_TEST_PG_URL (see scripts/pg-start.sh) to test PostgreSQL")
    base = resolve_url(PG_URL)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database on each backend."""
    with backend_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same, shared by a module's tests: for suites that fill a database once and only read it."""
    with backend_url(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="module")
def written_db(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database (per backend, per module) holding tests/written_articles.py, extracted and resolved."""
    from written_articles import write_corpus

    from aidtracker.pipeline import ingest
    from aidtracker.store import open_store

    corpus = write_corpus(tmp_path_factory.mktemp("corpus"))
    with open_store(module_db_url) as store:
        summary = ingest([str(corpus)], store)
    assert not summary.failed and summary.added == 4
    return module_db_url
