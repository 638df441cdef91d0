"""The dashboard's pages without a browser: each page, its filters, its errors, and its escaping.

Every page is fetched from a bare FastAPI app with only `mount_web` (the whole contract with
the API), over the project's own articles plus one hostile document (see conftest.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_corpus import HOSTILE_PUBLISHER, IMG, SCRIPT

from aidtracker.store import open_store
from aidtracker.web import pages
from aidtracker.web.highlight import Highlight, highlight

PAGES = ["/", "/commitments", "/events", "/actors", "/conflicts"]


class Tags(HTMLParser):
    """Every start tag with its attributes, to prove what is markup and what is text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    t = Tags()
    t.feed(html)
    return t


@pytest.fixture(scope="module")
def ids(web_db: str) -> dict[str, str]:
    """Ids to visit: a commitment with several mentions, the hostile document and its cluster, an actor."""
    with open_store(web_db) as store:
        resolution = store.resolution()
        docs = {row.source: row.id for row in store.articles()}
        hostile_doc = next(i for s, i in docs.items() if s.endswith("hostile_grid.txt"))
        mentions = {m.id: m for m in store.mentions("commitment")}
    commitments = [c for c in resolution.clusters if c.kind == "commitment"]
    multi = next(c for c in commitments if len(c.members) > 1)
    hostile_cluster = next(c for c in commitments if any(mentions[m].fact.doc_id == hostile_doc for m in c.members))
    japan = next(a for a in resolution.actors if a.name == "Japan")
    return {"multi": multi.id, "hostile_doc": hostile_doc, "hostile": hostile_cluster.id, "japan": japan.id}


def all_pages(ids: dict[str, str]) -> list[str]:
    return [
        *PAGES,
        f"/commitments/{ids['multi']}",
        f"/commitments/{ids['hostile']}",
        f"/documents/{ids['hostile_doc']}",
        f"/actors/{ids['japan']}",
        "/commitments?donor=Germany",
    ]


def test_every_page_answers_html_with_a_content_security_policy(client: TestClient, ids: dict[str, str]) -> None:
    for path in [*all_pages(ids), "/static/style.css", "/static/charts.js", "/commitments/nope"]:
        r = client.get(path)
        csp = r.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers.get("x-content-type-options") == "nosniff"


def test_pages_have_no_inline_script_or_style(client: TestClient, ids: dict[str, str]) -> None:
    for path in all_pages(ids):
        r = client.get(path)
        assert r.status_code == 200, path
        for tag, attrs in parse(r.text).tags:
            assert tag != "style", path
            assert "style" not in attrs, (path, tag)
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            if tag == "script":
                assert (attrs.get("src") or "").startswith("/static/"), path
            for name in ("href", "src", "action"):
                assert not (attrs.get(name) or "").lower().startswith("javascript:"), (path, attrs)


def test_the_hostile_document_shows_its_markup_as_text_everywhere(client: TestClient, ids: dict[str, str]) -> None:
    shown: set[str] = set()
    for path in all_pages(ids):
        r = client.get(path)
        assert "<script>alert" not in r.text and "<img src=x" not in r.text, path
        assert "<b onmouseover" not in r.text and "<i onclick" not in r.text, path
        assert not any(tag in ("img", "b", "i") for tag, _ in parse(r.text).tags), path
        text = "".join(parse(r.text).text)
        if any(s in text for s in (SCRIPT, IMG, HOSTILE_PUBLISHER)):
            shown.add(path)
    # The hostile document's cluster and the document itself show them, as text.
    assert {f"/commitments/{ids['hostile']}", f"/documents/{ids['hostile_doc']}"} <= shown
    document = client.get(f"/documents/{ids['hostile_doc']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "&lt;img src=x onerror=alert(1)&gt;" in document
    assert "javascript:alert(1)" in "".join(parse(document).text)  # the URL is shown, not linked
    cluster = client.get(f"/commitments/{ids['hostile']}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in cluster


def test_overview_shows_new_packages_and_running_totals_apart(client: TestClient, web_db: str) -> None:
    html = client.get("/").text
    with open_store(web_db) as store:
        o = pages.overview(pages.snapshot(store))
    assert o.new_usd > 0 and o.claims
    assert "New packages, each counted once" in html and "Running totals claimed" in html
    assert f">{len(o.claims)}<" in html
    # every chart has its data, and every package counted links to its cluster page
    assert html.count('data-figure="') == 4
    for g in o.donors.groups:
        for cluster_id in g.packages:
            assert f'href="/commitments/{cluster_id}"' in html
    for claim in o.claims:
        assert f'href="/commitments/{claim.cluster}"' in html
    # the headline figure leads to exactly the packages it adds up
    assert 'href="/commitments?counted=1"' in html


def test_commitments_filters(client: TestClient, web_db: str) -> None:
    everything = client.get("/commitments").text
    total = int(re.search(r"(\d+) of (\d+) commitments", everything).group(2))  # type: ignore[union-attr]
    cases = {
        "donor=Japan": lambda f: f["donor"] == "Japan",
        "scope=cumulative": lambda f: f["scope"] == "cumulative",
        "currency=EUR": lambda f: f["currency"] == "EUR",
        "sector=energy": lambda f: "energy" in f["sectors"],
        "status=pledged": lambda f: f["status"] == "pledged",
        "instrument=loan": lambda f: f["instrument"] == "loan",
    }
    with open_store(web_db) as store:
        clusters = store.clusters("commitment")
    for query, keep in cases.items():
        html = client.get(f"/commitments?{query}").text
        expected = {c.id for c in clusters if keep(c.fields)}
        listed = set(re.findall(r'href="/commitments/(c_\w+)"', html))
        assert expected <= listed, query
        shown, of = re.search(r"(\d+) of (\d+) commitments", html).groups()  # type: ignore[union-attr]
        assert int(shown) == len(expected) and int(of) == total, query
        value = query.split("=")[1]
        assert re.search(rf'<option value="{value}" selected>', html), query
    dated = client.get("/commitments?from=2025-01-01&to=2025-03-31").text
    for day in re.findall(r'data-label="Date">([^<]+)<', dated):
        assert "2025-01-01" <= day <= "2025-03-31"
    undated = client.get("/commitments?undated=1&counted=1").text
    assert set(re.findall(r'data-label="Date">([^<]+)<', undated)) <= {"—"}
    counted = client.get("/commitments?counted=1").text
    assert "running total, never added" not in counted and "part of" not in counted


def test_the_table_selects_what_the_api_selects(web_db: str) -> None:
    """The dashboard's filters are `query.CommitmentFilter`: the same query picks the same clusters."""
    from datetime import date

    from aidtracker import query

    cases = [
        {"donor": "japan"},  # names compare as resolution compares them, case aside
        {"recipient": "Ukraine", "scope": "new"},
        {"currency": "EUR", "sector": "energy"},
        {"status": "pledged", "instrument": "loan"},
        {"from": "2024-01-01", "to": "2024-12-31"},
    ]
    with open_store(web_db) as store:
        snap = pages.snapshot(store)
        for params in cases:
            table = pages.commitments(snap, pages.Filters.parse(params))
            named = {("start" if k == "from" else "end" if k == "to" else k): v for k, v in params.items()}
            dated = {k: date.fromisoformat(v) if k in ("start", "end") else v for k, v in named.items()}
            api = query.commitments(store, query.CommitmentFilter(**dated))  # type: ignore[arg-type]
            assert {r.cluster.id for r in table.rows} == {c.id for c in api}, params
            assert api, f"{params} selects nothing here, so it proves nothing"


def test_bad_filters_are_an_html_page_with_a_clear_message(client: TestClient) -> None:
    for query, message in (
        ("from=yesterday", "from &#39;yesterday&#39; is not a date"),
        ("status=promised", "status &#39;promised&#39; is not one of"),
        ("sector=%3Cscript%3E", "sector &#39;&lt;script&gt;&#39; is not one of"),
    ):
        r = client.get(f"/commitments?{query}")
        assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
        assert message in r.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/commitments/c_0000000000000000", "no commitment"),
        ("/documents/doc_0000000000000000", "no document"),
        ("/documents/%3Cscript%3E", "no document &#39;&lt;script&gt;&#39;"),
        ("/actors/o_nobody", "no actor"),
    ],
)
def test_unknown_things_are_404_pages(client: TestClient, path: str, message: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in r.text and message in r.text


def test_a_commitment_page_lists_every_mention_with_a_link_to_its_evidence(
    client: TestClient, ids: dict[str, str], web_db: str
) -> None:
    html = client.get(f"/commitments/{ids['multi']}").text
    with open_store(web_db) as store:
        found = store.explain(ids["multi"])
    assert found is not None and len(found.mentions) > 1
    for m in found.mentions:
        assert f'href="/documents/{m.fact.doc_id}#{m.id}"' in html
        assert str(m.fact.evidence.text).replace("'", "&#39;").replace('"', "&#34;")[:40] in html


def test_a_document_marks_each_fact_at_its_span(client: TestClient, ids: dict[str, str], web_db: str) -> None:
    with open_store(web_db) as store:
        mentions = [m for m in store.mentions("commitment") if m.fact.doc_id == ids["hostile_doc"]]
    html = client.get(f"/documents/{ids['hostile_doc']}").text
    assert mentions
    for m in mentions:
        opened = re.search(rf'<mark id="{m.id}"[^>]*>', html)
        assert opened is not None
        # the text from the mark to the end of its evidence is the evidence, escaped
        assert "&lt;img src=x onerror=alert(1)&gt;" in html[opened.end() :]


def test_furniture_is_greyed(client: TestClient, web_db: str) -> None:
    with open_store(web_db) as store:
        art = next(a for a in store.latest_articles() if a.furniture)
    html = client.get(f"/documents/{art.id}").text
    assert html.count('class="furniture"') >= len(art.furniture)


def test_actor_page_shows_commitments_partners_and_a_network(client: TestClient, ids: dict[str, str]) -> None:
    html = client.get(f"/actors/{ids['japan']}").text
    assert "<h1>Japan</h1>" in html and "Commitments given" in html and "Partners" in html
    assert 'id="chart-network"' in html
    actors = client.get("/actors").text
    assert f'href="/actors/{ids["japan"]}"' in actors


def test_events_are_listed_by_month(client: TestClient) -> None:
    html = client.get("/events").text
    months = re.findall(r'<section class="month" id="m-([\w-]+)">', html)
    assert months and months == sorted(months, key=lambda k: (k == "undated", k))


def test_conflicts_show_both_sides(client: TestClient, web_db: str) -> None:
    html = client.get("/conflicts").text
    with open_store(web_db) as store:
        conflicts = store.conflicts()
    assert conflicts
    for x in conflicts:
        assert f'id="{x.id}"' in html


def test_the_chart_library_is_served_from_the_plotly_package(client: TestClient) -> None:
    js = client.get("/static/vendor/plotly.min.js")
    assert js.status_code == 200 and js.text.lstrip().startswith("/**") and "plotly.js v" in js.text[:200]
    css = client.get("/static/vendor/plotly.css")
    assert css.status_code == 200 and ".js-plotly-plot .plotly .modebar" in css.text


def test_the_api_app_serves_the_dashboard_too(web_db: str) -> None:
    api = pytest.importorskip("aidtracker.api")
    with TestClient(api.create_app(web_db)) as c:
        r = c.get("/")
        assert r.status_code == 200 and "Aid commitments at a glance" in r.text
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert c.get("/commitments/c_0000000000000000").status_code == 404


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], "a &lt;b&gt; c"),
        ([Highlight(2, 5, id="x")], 'a <mark id="x">&lt;b&gt;</mark> c'),
        # equal spans nest, the higher layer inside
        (
            [Highlight(0, 1, id="p", layer=0), Highlight(0, 1, id="c", layer=3)],
            '<mark id="p"><mark id="c">a</mark></mark> &lt;b&gt; c',
        ),
        # crossing spans are closed and reopened; only the first piece has the id
        (
            [Highlight(0, 3, id="x"), Highlight(2, 7, id="y")],
            '<mark id="x">a <mark id="y">&lt;</mark></mark><mark class="cont">b&gt; c</mark>',
        ),
        ([Highlight(5, 99, id="out")], "a &lt;b&gt; c"),  # out of range: dropped
    ],
)
def test_highlight(spans: list[Highlight], expected: str) -> None:
    assert str(highlight("a <b> c", spans)) == expected


def test_highlight_escapes_attribute_values() -> None:
    html = str(highlight("abc", [Highlight(0, 1, id='"><script>', title="<x>")]))
    assert "<script>" not in html and 'id="&#34;&gt;&lt;script&gt;"' in html


def test_module_paths_exist() -> None:
    assert (Path(pages.__file__).parent / "templates" / "base.html").exists()
