"""Acceptance on the real articles in ../shared (skipped when that folder is absent).

The seeds' expected titles, dates and publishers come from `gold/seeds.docs.jsonl`; the dev
corpus is checked against its own `SOURCES.tsv` (analysing the text alone, without the
manifest) and its distractor list. No article text is copied here.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aidtracker.ingest import article_from_text, iter_articles
from aidtracker.records import Article, Span
from aidtracker.types import DateSource

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEEDS = SHARED / "corpus" / "seeds"
DEV = SHARED / "corpus" / "dev"
GOLD = SHARED / "gold"

pytestmark = pytest.mark.shared


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


def tsv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(need(path).read_text(encoding="utf-8").splitlines(), delimiter="\t"))


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in need(path).read_text(encoding="utf-8").splitlines()]


def analyse(path: Path) -> Article:
    return article_from_text(path.read_text(encoding="utf-8"), str(path))


def locate(text: str, quote: str) -> Span | None:
    """Where a gold quote is in the text; gold quotes may differ in white space."""
    found = re.search(r"\s+".join(re.escape(t) for t in quote.split()), text)
    return Span(found.start(), found.end()) if found else None


def furniture_text(article: Article, reason: str | None = None) -> str:
    return "\n".join(
        article.text[f.span.start : f.span.end]
        for f in article.furniture
        if reason is None or f.reason == reason
    )


def seed(stem: str) -> Article:
    return analyse(need(SEEDS / f"{stem}.txt"))


def test_seed_documents_match_gold() -> None:
    docs = jsonl(GOLD / "seeds.docs.jsonl")
    assert len(docs) == 5
    for doc in docs:
        article = seed(doc["doc"])
        assert article.title == doc["title"], doc["doc"]
        assert article.title_span is not None
        assert article.text[article.title_span.start : article.title_span.end] == doc["title"]
        if doc["published"] is not None:
            assert article.published == date.fromisoformat(doc["published"]), doc["doc"]
            assert article.published_how is DateSource.DATELINE
        if doc["publisher"] is not None:
            assert article.publisher == doc["publisher"], doc["doc"]


def test_seed_000_dateline_and_agency() -> None:
    article = seed("000_7a677537baf22d92")
    assert article.published == date(2024, 2, 19)
    assert article.publisher == "AP"


def test_seed_002_related_stories_are_furniture() -> None:
    article = seed("002_7ae2bac0a6dd0122")
    assert article.published == date(2024, 2, 11)
    block = furniture_text(article, "related-headlines")
    assert block.startswith("Most popular")
    assert "Editors' Picks" in block
    assert article.furniture[-1].span.end == len(article.text.rstrip())  # to the very end
    teaser = furniture_text(article, "related-teaser")
    assert teaser.startswith("Japan to transfer Patriot missiles to US\n")
    assert teaser.endswith("…")


def test_seed_003_advertisements_are_furniture() -> None:
    article = seed("003_957702ce331a2066")
    ads = [f for f in article.furniture if f.reason == "advertisement"]
    lines = [m.start() for m in re.finditer(r"^Advertisement$", article.text, re.M)]
    assert lines and sorted(f.span.start for f in ads) == lines


def test_seed_004_title_is_first_line() -> None:
    article = seed("004_280588f293ef0294")
    assert article.title == article.text.split("\n", 1)[0]


def test_seed_distractors_in_furniture_are_marked() -> None:
    rows = tsv(GOLD / "seeds.distractors.tsv")
    for row in rows:
        if "furniture" not in row["why_not_a_commitment"]:
            continue
        article = seed(row["doc"])
        span = locate(article.text, row["sentence"])
        assert span is not None and article.is_furniture(span), row["sentence"]


@pytest.mark.parametrize("corpus", ["seeds", "dev"])
def test_no_commitment_or_agreement_evidence_is_furniture(corpus: str) -> None:
    """Facts must survive furniture marking (captions may still name people)."""
    folder = need(SHARED / "corpus" / corpus)
    articles = {p.stem: analyse(p) for p in folder.glob("*.txt")}
    checked = 0
    for record in jsonl(GOLD / f"{corpus}.jsonl"):
        if record["type"] not in ("commitment", "agreement"):
            continue
        article = articles[record["doc"]]
        span = locate(article.text, record["evidence"])
        assert span is not None, record["evidence"]
        hits = [f.reason for f in article.furniture if f.span.overlaps(span)]
        assert not hits, (record["doc"], record["evidence"], hits)
        checked += 1
    assert checked > 10


def test_dev_titles_and_dates_from_text_alone() -> None:
    rows = tsv(DEV / "SOURCES.tsv")
    assert len(rows) == 15
    dated = 0
    for row in rows:
        article = analyse(DEV / f"{row['doc']}.txt")
        assert article.title == row["title"], row["doc"]
        if article.published is not None:  # a dateline, when found, is the right one
            assert str(article.published) == row["published_date"], row["doc"]
            dated += 1
    assert dated >= 4


def test_dev_furniture_distractors_are_marked() -> None:
    rows = tsv(GOLD / "dev.distractors.tsv")
    cues = ("furniture", "page date", "photo-caption")
    checked = 0
    for row in rows:
        if not any(cue in row["why_not_a_commitment"] for cue in cues):
            continue
        article = analyse(need(DEV / f"{row['doc']}.txt"))
        span = locate(article.text, row["sentence"])
        assert span is not None and article.is_furniture(span), row["sentence"]
        checked += 1
    assert checked >= 10


def test_dev_folder_with_its_manifest() -> None:
    results = list(iter_articles([str(need(DEV))]))
    assert len(results) == 15 and all(isinstance(r, Article) for r in results)
    rows = {r["doc"]: r for r in tsv(DEV / "SOURCES.tsv")}
    for article in results:
        assert isinstance(article, Article)
        row = rows[Path(article.source).stem]
        assert article.url == row["url"]
        assert article.title == row["title"]
        if row["published_date"]:
            assert article.published == date.fromisoformat(row["published_date"])
            assert article.published_how is DateSource.METADATA
