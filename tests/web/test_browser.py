"""The dashboard in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium).

The app runs under uvicorn in a thread on 127.0.0.1 (a free port) over the project's own
articles plus the hostile document, and again over ../shared/corpus/seeds when that folder is
there. The test loads the overview and waits for its charts, filters the commitments with the
plain GET form, opens a commitment, follows a mention to its document and sees the evidence
highlighted; no script error, CSP violation or alert() may happen on the way. Screenshots go to
test-artifacts/browser/ (gitignored); those of overview, commitments and document view are
copied to docs/screenshots/ for the README (from the seeds when present).

Without /usr/bin/chromium the test is skipped, except in CI (CI=true), where it must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from web_corpus import FIXTURES, REPO, fill, web_app, write_hostile

from aidtracker.store import open_store

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
ARTIFACTS = REPO / "test-artifacts" / "browser"
SCREENSHOTS = REPO / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import ConsoleMessage, Page, expect, sync_playwright  # noqa: E402


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_for(db_url: str) -> Any:
    """The app `aidtracker serve` runs (API and dashboard) when the API is there, else the dashboard alone."""
    try:
        from aidtracker.api import create_app
    except ImportError:
        return web_app(db_url)
    return create_app(db_url)


class Server:
    """uvicorn in a thread, stopped by flag; bounded waits so a broken app fails instead of hanging."""

    def __init__(self, db_url: str) -> None:
        self.port = free_port()
        config = uvicorn.Config(app_for(db_url), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the dashboard server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module", params=["fixtures", "seeds"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(variant, base URL, id of the hostile document or "") of a running dashboard over the variant's articles."""
    folder = tmp_path_factory.mktemp(f"browser-{request.param}")
    if request.param == "seeds":
        if not SEEDS.is_dir():
            pytest.skip("../shared/corpus/seeds is not there")
        db = fill(str(folder / "seeds.db"), SEEDS)
    else:
        db = fill(str(folder / "fixtures.db"), FIXTURES, write_hostile(folder / "hostile"))
    with open_store(db) as store:
        hostile = next((r.id for r in store.articles() if r.source.endswith("hostile_grid.txt")), "")
    with Server(db) as base:
        yield request.param, base, hostile


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="aidtracker-chromium-") as profile:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


class Problems:
    """Everything that must not happen: script errors, console errors, CSP violations, dialogs."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("pageerror", lambda e: self.seen.append(f"page error: {e}"))
        page.on("console", self.console)
        page.on("dialog", lambda d: (self.seen.append(f"dialog: {d.message}"), d.dismiss()))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile))"
        )

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.seen.append(f"console: {message.text}")


def shoot(page: Page, variant: str, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{variant}-{name}.png"
    page.screenshot(path=str(path), full_page=name != "document")
    return path


def test_overview_filter_commitment_document(served: tuple[str, str, str], page: Page) -> None:
    variant, base, hostile = served
    problems = Problems(page)
    shots = {}

    page.goto(base + "/")
    expect(page.locator("h1")).to_have_text("Aid commitments at a glance")
    expect(page.locator(".chart[data-drawn='true']")).to_have_count(4, timeout=20_000)
    expect(page.locator(".card.primary .value a")).to_contain_text("USD")
    shots["overview"] = shoot(page, variant, "overview")

    page.goto(base + "/commitments")
    page.select_option("select[name=donor]", "Japan")
    page.select_option("select[name=scope]", "new")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/commitments?*donor=Japan*")
    rows = page.locator("table.commitments tbody tr")
    expect(rows.first).to_be_visible()
    donors = page.locator("table.commitments tbody td[data-label=Donor]").all_inner_texts()
    scopes = page.locator("table.commitments tbody td[data-label=Scope]").all_inner_texts()
    assert donors and set(donors) == {"Japan"} and set(scopes) == {"new"}
    shots["commitments"] = shoot(page, variant, "commitments")

    page.locator("table.commitments tbody a.fig").first.click()
    page.wait_for_url("**/commitments/c_*")
    expect(page.locator("h2", has_text="Every mention")).to_be_visible()
    shoot(page, variant, "commitment")

    link = page.locator("li.mention .meta a").first
    href = link.get_attribute("href") or ""
    assert "/documents/doc_" in href and "#" in href
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**/documents/*#{anchor}")
    mark = page.locator(f"mark[id='{anchor}']")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    shots["document"] = shoot(page, variant, "document")

    if hostile:
        # The hostile document's markup is text on the page: no element, no script, no alert.
        page.goto(base + "/documents/" + hostile)
        expect(page.locator(".doc-text")).to_contain_text("<img src=x onerror=alert(1)>")
        assert page.locator(".doc-text img, .doc-text script, .doc-text b").count() == 0
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.goto(base + "/")
        expect(page.locator(".chart[data-drawn='true']")).to_have_count(4, timeout=20_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing sticks out sideways
        shoot(page, variant, "overview-phone")

    assert not problems.seen, problems.seen
    if variant == "seeds" or not SEEDS.is_dir():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, path in shots.items():
            shutil.copyfile(path, SCREENSHOTS / f"{name}.png")
