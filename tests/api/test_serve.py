"""`aidtracker serve`: opens the database first (so a bad --db fails at once), then runs uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from aidtracker import cli


def test_serve_runs_the_app_on_the_host_and_port_given(written_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: dict[str, Any] = {}

    def fake_run(app: FastAPI, **kwargs: Any) -> None:
        ran["app"], ran["kwargs"] = app, kwargs

    monkeypatch.setattr(uvicorn, "run", fake_run)
    args = [
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "8765",
        "--cors-origin",
        "https://example.org",
        "--db",
        written_db,
    ]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    assert ran["kwargs"]["host"] == "127.0.0.1" and ran["kwargs"]["port"] == 8765
    with TestClient(ran["app"]) as client:
        response = client.get("/api/totals", headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://example.org"


def test_serve_refuses_a_database_it_cannot_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("uvicorn should not start"))
    result = CliRunner().invoke(cli.app, ["serve", "--db", "mysql://nobody@localhost/x"])
    assert result.exit_code == 2 and "error[AT300]" in result.output
