"""Fixtures for the store tests, on every backend (`db_url` comes from tests/conftest.py).

AIDTRACKER_TEST_PG_URL=$(scripts/pg-start.sh) .venv/bin/pytest tests/store
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from aidtracker.pipeline import ingest
from aidtracker.records import Mention
from aidtracker.store import Store, open_store, resolve_url

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session")
def article_mentions(tmp_path_factory: pytest.TempPathFactory) -> list[Mention]:
    """Every mention extracted from the project's own fixture articles (read once per session)."""
    db = tmp_path_factory.mktemp("article-mentions") / "aid.db"
    with open_store(str(db)) as opened:
        ingest([str(FIXTURES / "articles"), str(FIXTURES / "articles2")], opened)
        return list(opened.mentions())


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
