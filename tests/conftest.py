"""Backends for every test that needs a database: SQLite always, PostgreSQL when asked for.

    AIDTRACKER_TEST_PG_URL=$(scripts/pg-start.sh) .venv/bin/pytest

A test that takes `db_url` runs once per backend. Each PostgreSQL run gets a schema of its
own, dropped afterwards, so tests neither see each other's rows nor need a database to
themselves; without `AIDTRACKER_TEST_PG_URL` the PostgreSQL runs are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from aidtracker.store import resolve_url

PG_URL = os.environ.get("AIDTRACKER_TEST_PG_URL")


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
