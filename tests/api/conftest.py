"""The API tests' client and store, over `written_db` (tests/conftest.py): one database per backend and module.

The API only reads, so a module's tests share the database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from aidtracker.api import create_app
from aidtracker.store import Store, open_store


@pytest.fixture(scope="module")
def filled_db(written_db: str) -> str:
    return written_db


@pytest.fixture(scope="module")
def store(filled_db: str) -> Iterator[Store]:
    with open_store(filled_db) as opened:
        yield opened


@pytest.fixture(scope="module")
def client(filled_db: str) -> Iterator[TestClient]:
    """A client that gets 500s as responses (as a browser would) instead of raised exceptions."""
    with TestClient(create_app(filled_db), raise_server_exceptions=False) as c:
        yield c
