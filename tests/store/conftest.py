"""Backends for the store tests: SQLite always, PostgreSQL when `AIDTRACKER_TEST_PG_URL` is set.

    AIDTRACKER_TEST_PG_URL=$(scripts/pg-start.sh) .venv/bin/pytest tests/store

Each PostgreSQL test runs in a schema of its own, dropped afterwards, so tests neither see
each other's rows nor need a database to themselves.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from aidtracker.store import Store, open_store, resolve_url

PG_URL = os.environ.get("AIDTRACKER_TEST_PG_URL")
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "aid.db")  # a bare path means SQLite
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


@pytest.fixture
def now() -> datetime:
    """The store's clock: fixed, so ingestion times can be asserted."""
    return NOW


@pytest.fixture
def store(db_url: str, now: datetime) -> Iterator[Store]:
    with open_store(db_url, clock=lambda: now) as opened:
        yield opened


@pytest.fixture
def engine(db_url: str, store: Store) -> Iterator[sa.Engine]:
    """A second, plain connection to the store's database, for looking behind its back."""
    eng = sa.create_engine(resolve_url(db_url))
    yield eng
    eng.dispose()
