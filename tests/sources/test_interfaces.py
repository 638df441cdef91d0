"""The API, the dashboard and the command line over a polled site: as_of, changes, versions, watch, replay."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from loopback import Clock, Page, Site, article
from test_watch import ITEMS, NORWAY_EDITED, policy, publish
from typer.testing import CliRunner, Result

from aidtracker import cli
from aidtracker.api import create_app
from aidtracker.sources import Archive, Fetcher, add_source, poll
from aidtracker.store import open_store

ENV: dict[str, str | None] = {"COLUMNS": "200", "TTY_COMPATIBLE": "0", "FORCE_COLOR": None, "AIDTRACKER_DB": None}


@pytest.fixture
def polled_db(site: Site, clock: Clock, tmp_path: Path) -> tuple[str, datetime]:
    """A SQLite store that polled the feed twice; returns it and the moment of the second poll."""
    publish(site)
    db = str(tmp_path / "aid.db")
    archive = Archive(tmp_path / "snapshots")
    with open_store(db, clock=clock) as store, Fetcher(policy(), clock=clock) as fetcher:
        add_source(store, archive, site.url("/feed.xml"), "feed", at=clock())
        poll(store, archive, fetcher, clock=clock)
        second = clock.advance(hours=1)
        site.pages["/a1"] = Page(article(ITEMS[0][1], NORWAY_EDITED))
        poll(store, archive, fetcher, clock=clock)
    return db, second


@pytest.fixture
def client(polled_db: tuple[str, datetime]) -> Iterator[TestClient]:
    with TestClient(create_app(polled_db[0]), raise_server_exceptions=False) as c:
        yield c


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def norway(totals: dict[str, Any]) -> str:
    return next(g["usd"] for g in totals["groups"] if g["key"] == "Norway")


def test_the_api_answers_as_of_a_moment(client: TestClient, polled_db: tuple[str, datetime]) -> None:
    _, second = polled_db
    before = (second - timedelta(minutes=1)).isoformat()
    after = (second + timedelta(minutes=1)).isoformat()
    assert norway(get(client, "/api/totals", as_of=before)) == "150000000"
    assert norway(get(client, "/api/totals", as_of=after)) == "175000000"
    assert norway(get(client, "/api/totals")) == "175000000"
    assert get(client, "/api/totals", as_of="2025-02-01")["groups"] == []  # before anything was read
    amounts = {c["donor"]: c["amount"] for c in get(client, "/api/commitments", as_of=before)["items"]}
    assert amounts["Norway"] == "150000000" and len(amounts) == 3
    refused = client.get("/api/totals", params={"as_of": "2025-13-45"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "AT501"


def test_the_change_feed_pages_with_a_cursor_and_as_atom(client: TestClient) -> None:
    first = get(client, "/api/changes", limit=3)
    assert sorted((c["change"], c["commitment"]["donor"]) for c in first["items"]) == [
        ("added", "Canada"),
        ("added", "Norway"),
        ("added", "Sweden"),
    ]
    rest = get(client, "/api/changes", since=first["next"])
    (changed,) = rest["items"]
    assert (changed["change"], changed["before"]["amount"], changed["commitment"]["amount"]) == (
        "changed",
        "150000000",
        "175000000",
    )
    assert changed["version"] == 2 and changed["cluster"]
    assert get(client, "/api/changes", since=rest["next"]) == {"items": [], "next": rest["next"]}
    bad = client.get("/api/changes", params={"since": "not-a-cursor"})
    assert bad.status_code == 422

    atom = client.get("/api/changes.atom")
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(atom.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert len(titles) == 4
    assert titles[0] == "Changed: Norway → Ukraine: USD 150,000,000 → USD 175,000,000"


def test_a_changed_page_shows_its_versions_and_the_difference(client: TestClient, site: Site) -> None:
    doc = get(client, "/api/documents", q="Norway")["items"][0]["id"]
    versions = get(client, f"/api/documents/{doc}/versions")
    assert versions["changed_after_publication"] is True
    assert [v["version"] for v in versions["versions"]] == [1, 2]
    assert versions["versions"][0]["known_until"] == versions["versions"][1]["known_from"]
    assert {"op": "-", "words": "$150"} in versions["versions"][1]["changes"]
    assert {"op": "+", "words": "$175"} in versions["versions"][1]["changes"]
    assert all(v["snapshots"] for v in versions["versions"])
    html = client.get(f"/documents/{doc}").text
    assert "Changed after publication" in html and "<del>$150</del>" in html and "<ins>$175</ins>" in html
    old = versions["versions"][0]["id"]
    assert "Superseded" in client.get(f"/documents/{old}").text


# ------------------------------------------------------------------------------- command line


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args), env=ENV)


def test_the_command_line_follows_a_site_and_travels_in_time(site: Site, tmp_path: Path) -> None:
    publish(site)
    site.pages["/down"] = Page("", status=500)
    where = ["--db", str(tmp_path / "aid.db"), "--snapshots", str(tmp_path / "snap")]
    fast = ["--timeout", "0.5", "--retries", "0", "--per-host-interval", "0", "--max-mb", "1"]
    assert run("sources", "add", site.url("/feed.xml"), *where).output.startswith("following feed")
    assert "following page" in run("sources", "add", site.url("/down"), *where).output
    assert "following page" in run("sources", "add", site.url("/missing"), "--kind", "page", *where).output
    assert "already following" in run("sources", "add", site.url("/feed.xml"), *where).output

    first = run("watch", "--once", *fast, *where)
    assert first.exit_code == 1, first.output
    assert re.search(r"ok feed \S+/feed.xml: 3 new, 0 updated, 0 unchanged, 0 failed", first.output)
    assert re.search(r"failed page \S+/down: 0 new, 0 updated, 0 unchanged, 1 failed", first.output)
    assert "HTTP 404" in first.output and "HTTP 500" in first.output
    assert "3 sources: 3 new, 0 updated, 0 unchanged, 2 failed" in first.output

    between = datetime.now(UTC).isoformat()
    site.pages["/a1"] = Page(article(ITEMS[0][1], NORWAY_EDITED))
    assert run("sources", "remove", site.url("/down"), *where).exit_code == 0
    assert run("sources", "remove", site.url("/missing"), *where).exit_code == 0
    second = run("watch", "--once", *fast, *where)
    assert second.exit_code == 0, second.output
    assert "0 new, 1 updated, 2 unchanged, 0 failed" in second.output
    listed = json.loads(run("sources", "list", "--json", *where[:2]).output)
    assert [(s["kind"], s["error"]) for s in listed] == [("feed", None)]

    db = where[:2]
    then = json.loads(run("totals", "--as-of", between, "--json", *db).output)
    now = json.loads(run("totals", "--json", *db).output)
    assert (norway(then), norway(now)) == ("150000000", "175000000")
    changed = run("diff", "--from", between, "--to", datetime.now(UTC).isoformat(), *db).output
    assert "0 added, 1 changed, 0 withdrawn" in changed and "amount: 150,000,000 → 175,000,000" in changed
    listing = run("commitments", "--as-of", between, "--donor", "Norway", "--json", *db)
    assert [c["fields"]["amount"] for c in json.loads(listing.output)] == ["150000000"]
    history = run("history", site.url("/a1"), *db).output
    assert "2 versions" in history and "- $150" in history and "+ $175" in history
    exported = tmp_path / "then.json"
    assert run("export", "--format", "json", "--out", str(exported), "--as-of", between, *db).exit_code == 0
    amounts = [r["amount"] for r in json.loads(exported.read_text())["commitments"] if r["donor"] == "Norway"]
    assert amounts == ["150000000"]

    rebuilt = ["--db", str(tmp_path / "rebuilt.db"), "--snapshots", str(tmp_path / "snap")]
    replayed = run("replay", *rebuilt)
    assert replayed.exit_code == 0 and "3 new, 1 updated" in replayed.output
    assert json.loads(run("totals", "--json", *rebuilt[:2]).output) == now
    assert run("replay", *rebuilt).exit_code == 2  # not into a database that holds something
    assert run("totals", "--as-of", "yesterday", *db).exit_code == 2
