"""Folder manifests (SOURCES.tsv and friends) and HTML pages read through trafilatura."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aidtracker.errors import InputError, UnreadableInput
from aidtracker.ingest import article_from_html, iter_articles
from aidtracker.records import Article
from aidtracker.types import DateSource

TEXT = (
    "Latvia pledges drones to Ukraine\n\n"
    "March 4, 2024 10:00 AM\n\n"
    "Latvia will deliver reconnaissance drones worth €5 million to Ukraine, its defence "
    "minister said on Monday during a visit to Kyiv.\n"
)
BODY = (
    "Lithuania will fund the repair of two schools in Chernihiv with €3 million, the foreign "
    "ministry said on Tuesday, adding that work would start in the spring."
)


def articles(results: list[Article | InputError]) -> dict[str, Article]:
    return {Path(r.source).stem: r for r in results if isinstance(r, Article)}


def test_manifest_supplies_metadata(tmp_path: Path) -> None:
    (tmp_path / "lv_drones.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "lv_other.txt").write_text(TEXT.replace("drones", "boats"), encoding="utf-8")
    (tmp_path / "SOURCES.tsv").write_text(
        "doc\turl\ttitle\tpublished_date\tpublisher\n"
        "lv_drones\thttps://news.example/lv\tLatvia pledges drones to Ukraine\t2024-03-05\tExample "
        "Daily\n"
        "lv_other\t\tA title the text never prints\t\t\n",
        encoding="utf-8",
    )
    results = list(iter_articles([str(tmp_path)]))
    assert all(isinstance(r, Article) for r in results)  # the manifest is not a document
    got = articles(results)
    drones, other = got["lv_drones"], got["lv_other"]
    assert drones.url == "https://news.example/lv"
    assert drones.published == date(2024, 3, 5)  # the manifest wins over the dateline
    assert drones.published_how is DateSource.METADATA
    assert drones.publisher == "Example Daily"
    assert drones.title_span is not None
    assert drones.text[drones.title_span.start : drones.title_span.end] == drones.title
    assert other.title == "A title the text never prints"
    assert other.title_span is None
    assert other.published == date(2024, 3, 4)  # no manifest date: the dateline
    assert other.published_how is DateSource.DATELINE


def test_manifest_title_located_despite_quote_style(tmp_path: Path) -> None:
    (tmp_path / "q.txt").write_text("Latvia’s drones ‘arrive soon’ in Ukraine\n\n" + BODY, encoding="utf-8")
    (tmp_path / "sources.tsv").write_text("doc\ttitle\nq\tLatvia's drones 'arrive soon' in Ukraine\n", encoding="utf-8")
    (got,) = iter_articles([str(tmp_path)])
    assert isinstance(got, Article)
    assert got.title == "Latvia's drones 'arrive soon' in Ukraine"
    assert got.title_span is not None
    assert got.title_span.start == 0


def test_csv_manifest_and_explicit_file(tmp_path: Path) -> None:
    path = tmp_path / "lt_schools.txt"
    path.write_text(BODY, encoding="utf-8")
    (tmp_path / "sources.csv").write_text(
        'doc,title,published\nlt_schools.txt,"Lithuania funds schools, again",2024-02-01\n',
        encoding="utf-8",
    )
    (got,) = iter_articles([str(path)])  # named explicitly, still described by its folder
    assert isinstance(got, Article)
    assert got.title == "Lithuania funds schools, again"
    assert got.published == date(2024, 2, 1)


def test_bad_manifest_rows_are_reported_and_files_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "SOURCES.tsv").write_text("doc\tpublished_date\na\tnot a date\na\t2024-01-01\n", encoding="utf-8")
    results = list(iter_articles([str(tmp_path)]))
    errors = [r for r in results if isinstance(r, InputError)]
    manifest = tmp_path / "SOURCES.tsv"
    assert [e.source for e in errors] == [f"{manifest}:3"]
    assert "twice" in errors[0].reason
    got = articles(results)["a"]
    assert got.published is None  # the first row wins; its date was unreadable, so ignored


def test_manifest_without_doc_column(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "SOURCES.tsv").write_text("file\ttitle\na\tTitle\n", encoding="utf-8")
    first, second = iter_articles([str(tmp_path)])
    assert isinstance(first, UnreadableInput) and '"doc"' in first.reason
    assert isinstance(second, Article) and second.title is None


PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Latvia pledges drones to Ukraine | Example Daily</title>
<meta property="og:title" content="Latvia pledges drones to Ukraine">
<meta property="og:site_name" content="Example Daily">
<meta property="article:published_time" content="2024-03-04T10:00:00+02:00">
<link rel="canonical" href="https://daily.example/lv-drones">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<p>Latvia will deliver reconnaissance drones worth €5 million to Ukraine, its defence minister
said on Monday during a visit to Kyiv.</p>
<p>The drones are made in Riga and will be delivered before the summer, the minister added,
as part of a coalition that several allies joined last year.</p>
</article>
<footer>© 2024 Example Daily. All rights reserved.</footer>
</body></html>
"""


def test_html_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    (got,) = iter_articles([str(path)])
    assert isinstance(got, Article)
    assert got.format == "html"
    assert got.title == "Latvia pledges drones to Ukraine"
    assert got.text.startswith("Latvia pledges drones to Ukraine\n")
    assert got.title_span is not None and got.title_span.start == 0
    assert got.published == date(2024, 3, 4)
    assert got.published_how is DateSource.METADATA
    assert got.url == "https://daily.example/lv-drones"
    assert got.publisher == "Example Daily"
    assert "reconnaissance drones worth €5 million" in got.text
    assert "<p>" not in got.text and "Sport" not in got.text


def test_manifest_wins_over_html_metadata(tmp_path: Path) -> None:
    (tmp_path / "page.htm").write_text(PAGE, encoding="utf-8")
    (tmp_path / "SOURCES.tsv").write_text(
        "doc\ttitle\tpublished\npage\tDrones for Ukraine\t2024-03-06\n", encoding="utf-8"
    )
    (got,) = iter_articles([str(tmp_path)])
    assert isinstance(got, Article)
    assert got.title == "Drones for Ukraine"
    assert got.published == date(2024, 3, 6)
    assert got.url == "https://daily.example/lv-drones"


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body>" + "<div>" * 50_000 + "<p>deep</p>" + "</div>" * 50_000 + "</body></html>",
        "<html><head></head><body></body></html>",
        "<html><body><p>" + "<b>" * 20_000 + "x" + "</b>" * 20_000 + "</p></body></html>",
    ],
    ids=["deep", "no-text", "deep-inline"],
)
def test_hostile_html_is_an_error_not_a_crash(markup: str) -> None:
    with pytest.raises(UnreadableInput):
        article_from_html(markup, "bad.html")


def test_hostile_html_does_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><body>" + "<div>" * 50_000, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    first, second = iter_articles([str(tmp_path)])
    assert isinstance(first, UnreadableInput)
    assert isinstance(second, Article)
