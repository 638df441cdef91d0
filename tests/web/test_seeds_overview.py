"""Issue 5's acceptance over the shared seed articles: `aidtracker serve`'s overview shows
Japan's commitments without double counting, and every number on it links to its evidence.

Skipped when ../shared/corpus/seeds is not there. The app is the one `serve` runs
(`create_app`), over a database the seeds were ingested into.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from web_corpus import REPO, fill

from aidtracker import query
from aidtracker.api import create_app
from aidtracker.store import open_store

SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds is not there")


class Figures(HTMLParser):
    """Text with a digit in the page's <main>, split into what sits inside a link and what does not."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.linked: list[str] = []
        self.loose: list[tuple[str, str]] = []  # (text, enclosing tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if "main" not in self.stack or not re.search(r"\d", text) or {"script", "style"} & set(self.stack):
            return
        if "a" in self.stack:
            self.linked.append(text)
        else:
            self.loose.append((text, self.stack[-1]))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    db = fill(str(tmp_path_factory.mktemp("seeds") / "seeds.db"), SEEDS)
    with TestClient(create_app(db)) as client:
        yield client, db


def test_every_number_on_the_overview_links_to_what_it_counts(seeds: tuple[TestClient, str]) -> None:
    client, _ = seeds
    html = client.get("/").text
    figures = Figures()
    figures.feed(html)
    assert len(figures.linked) > 20
    for text, tag in figures.loose:
        if tag == "blockquote":  # a running total's evidence sentence: the evidence itself
            continue
        if re.fullmatch(r"\d{4}-\d{2}", text) or re.fullmatch(r"reported \d{4}-\d{2}-\d{2} by .*", text):
            continue  # a month or a date, not a figure
        if text == "0" or re.fullmatch(r"from \d+ documents by \d+ publishers", text):
            continue  # nothing to link to; the size of the corpus
        pytest.fail(f"a number on the overview links nowhere: {text!r} in <{tag}>")
    for href in sorted(set(re.findall(r'<a href="(/commitments[^"#]*)"', html))):
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href


def test_japans_packages_are_counted_once_and_each_leads_to_its_sentences(seeds: tuple[TestClient, str]) -> None:
    client, db = seeds
    html = client.get("/").text
    row = re.search(r'<td data-label="donor">Japan</td>\s*<td data-label="USD" class="num"><a href="([^"]+)">', html)
    assert row, "Japan is not in the overview's donor table"
    listing = client.get(row.group(1).replace("&amp;", "&")).text
    listed = re.findall(r'<td data-label="As stated"><a href="/commitments/(c_\w+)"', listing)
    with open_store(db) as store:
        (japan,) = [g for g in query.totals_of(store, by="donor").groups if g.key == "Japan"]
        clusters = {c.id: c for c in store.clusters("commitment")}
        part_of = {k.source for k in store.resolution().links if k.kind == "part_of"}
    assert sorted(listed) == sorted(japan.packages) and len(set(listed)) == len(listed)  # each package once
    for cid in listed:
        assert clusters[cid].fields.get("scope") != "cumulative" and cid not in part_of  # no total, no tranche
    priced = [clusters[c].fields["usd"] for c in listed if isinstance(clusters[c].fields.get("usd"), Decimal)]
    assert sum(priced, Decimal(0)) == japan.usd
    assert f'title="USD {japan.usd:,.0f}"' in html  # the figure the overview shows is that sum

    for cid in listed:
        page = client.get(f"/commitments/{cid}").text
        evidence = re.findall(r'href="(/documents/doc_\w+)#(\w+)"', page)
        assert evidence, cid
        for path, anchor in evidence[:2]:
            document = client.get(path).text
            assert f'id="{anchor}"' in document, (cid, anchor)


def test_every_response_has_a_content_security_policy(seeds: tuple[TestClient, str]) -> None:
    """(Untrusted text shown as text in every view is tests/web/test_pages.py's hostile document.)"""
    client, _ = seeds
    for path in ("/", "/commitments", "/api/commitments", "/api/openapi.json", "/no-such-page", "/api/nothing"):
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, path
