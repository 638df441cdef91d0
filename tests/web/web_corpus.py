"""The dashboard tests' corpus: the project's own articles plus one hostile document.

The hostile document carries a script element, an event-handler attribute, a `javascript:` URL
and markup in its publisher's name, in its title and in the sentence that states its
commitment, so that every page that shows any of them proves they come out as text. The pages
only read, so one database (SQLite; the store's own suite covers PostgreSQL) serves the session.
Imported by the fixtures in conftest.py and by the tests, under a name no other folder uses.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from aidtracker.pipeline import ingest
from aidtracker.store import open_store
from aidtracker.web import mount_web

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "articles"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    f"Germany pledges €50 million to Ukraine {SCRIPT}\n"
    f"BERLIN, 4 March 2024 — Germany pledged €50 million to Ukraine on Monday to repair power stations {IMG} "
    "damaged by Russian strikes, the economy ministry said.\n"
    'The money will also fund <b onmouseover="alert(1)">grid</b> repairs in Kharkiv, officials said.\n'
)
HOSTILE_PUBLISHER = '<i onclick="alert(1)">Evil Wire</i>'
HOSTILE_URL = "javascript:alert(1)"


def write_hostile(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile_grid.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "SOURCES.tsv").write_text(
        "doc\turl\ttitle\tpublished_date\tpublisher\n"
        f"hostile_grid\t{HOSTILE_URL}\t\t2024-03-04\t{HOSTILE_PUBLISHER}\n",
        encoding="utf-8",
    )
    return folder


def fill(db_url: str, *folders: Path) -> str:
    """Ingest `folders` into the database at `db_url` (extracting and resolving); return the URL."""
    with open_store(db_url) as store:
        summary = ingest([str(f) for f in folders], store)
    assert not summary.failed, summary.failed
    return db_url


def web_app(db_url: str) -> FastAPI:
    """A bare FastAPI app with only the dashboard mounted: `mount_web` is the whole contract."""
    app = FastAPI()
    app.state.db_url = db_url
    mount_web(app)
    return app
