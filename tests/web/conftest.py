"""Fixtures of the dashboard tests: one filled database for the session and a client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_corpus import FIXTURES, fill, web_app, write_hostile


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("web")
    return fill(str(folder / "web.db"), FIXTURES, write_hostile(folder / "hostile"))


@pytest.fixture(scope="session")
def client(web_db: str) -> Iterator[TestClient]:
    with TestClient(web_app(web_db), raise_server_exceptions=False) as c:
        yield c
