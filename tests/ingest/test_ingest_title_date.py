"""Headline, publication date and publisher from the text of small articles written for the test."""

from __future__ import annotations

from datetime import date

import pytest

from aidtracker.ingest import Metadata, article_from_text
from aidtracker.records import Span
from aidtracker.types import DateSource

HEADLINE = "Norway adds NOK 500 million to Ukraine's energy fund"
BODY = (
    "Norway will add NOK 500 million to the fund that buys fuel and equipment for Ukraine's "
    "power plants, the government in Oslo said on Friday.\n\n"
    "The contribution is part of a five-year programme agreed by parliament last year."
)


TITLES = [
    ("plain", f"{HEADLINE}\n\n{BODY}", HEADLINE),
    ("section labels first", f"Ukraine war\nPolitics & Security\n\n{HEADLINE}\n\n{BODY}", HEADLINE),
    ("furniture first", f"Advertisement\nEdit post\nConnect with us\n{HEADLINE}\n{BODY}", HEADLINE),
    ("caption first",
     f"Technicians at a plant near Kyiv on Monday. Photo: Example Agency\n\n{HEADLINE}\n\n{BODY}",
     HEADLINE),
    ("question", f"Why is Norway funding Ukraine's power plants?\n\n{BODY}",
     "Why is Norway funding Ukraine's power plants?"),
    ("one-sentence headline with a full stop",
     f"Norway-Ukraine energy ties: Oslo adds funds to keep the lights on.\n\n{BODY}",
     "Norway-Ukraine energy ties: Oslo adds funds to keep the lights on."),
    ("markdown heading", f"# Energy fund\n\n{BODY}", "Energy fund"),
    ("markdown bold", f"**{HEADLINE}**\n\n{BODY}", HEADLINE),
    ("trailing no-break space", f"{HEADLINE}\u00a0\n\n{BODY}", HEADLINE),
    ("body first: no headline", BODY, None),
    ("attributed first sentence: no headline",
     "Norway will add funds, the government said.\n\nMore text follows here today.", None),
    ("only a label", "Ukraine war\n", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "title"), [t[1:] for t in TITLES], ids=[t[0] for t in TITLES])
def test_title_from_text(text: str, title: str | None) -> None:
    article = article_from_text(text, "t")
    assert article.title == title
    if title is None:
        assert article.title_span is None
    else:
        assert article.title_span is not None
        assert article.text[article.title_span.start : article.title_span.end] == title
        assert not article.is_furniture(article.title_span)


def test_metadata_title_wins_and_is_located() -> None:
    text = f"Energy\n\n{HEADLINE}\n\n{BODY}"
    article = article_from_text(text, "t", metadata=Metadata(title=f"  {HEADLINE} "))
    assert article.title == HEADLINE
    assert article.title_span is not None
    assert article.title_span.start == text.index(HEADLINE)
    assert [f.reason for f in article.furniture] == ["header"]


def test_metadata_title_not_in_text() -> None:
    article = article_from_text(f"{HEADLINE}\n\n{BODY}", "t", metadata=Metadata(title="Other"))
    assert article.title == "Other"
    assert article.title_span is None


DATELINES = [
    ("agency, weekday day month year", "AP , Monday 19 Feb 2024", date(2024, 2, 19), "AP"),
    ("month day, year time", "February 11, 2024 6:35 PM", date(2024, 2, 11), None),
    ("weekday, day month year, time", "Tuesday, 9 May 2023, 21:26", date(2023, 5, 9), None),
    ("with reading time", "December 11, 2023 5:29 PM 2 min read", date(2023, 12, 11), None),
    ("author and date", "by Maria Example December 11, 2023 5:29 PM", date(2023, 12, 11), None),
    ("views", "April 10 2024, 11:31 AM • 21240 views", date(2024, 4, 10), None),
    ("name glued to weekday", "Maria ExampleMonday, 2 September 2024, 21:04",
     date(2024, 9, 2), None),
    ("quoted outlet", '"Example Pravda"Tuesday, 9 May 2023, 21:26', date(2023, 5, 9),
     "Example Pravda"),
    ("published", "Published 1 March 2025", date(2025, 3, 1), None),
    ("capitals", "PUBLISHED DECEMBER 13, 2024", date(2024, 12, 13), None),
    ("place and pipes", "OSLO | April 24, 2024 | Updated 4:47 PM EDT", date(2024, 4, 24), None),
    ("place, day month year", "Oslo, 20 December 2024", date(2024, 12, 20), None),
    ("date label", "Date: 2024-03-05", date(2024, 3, 5), None),
    ("ISO", "2024-03-05", date(2024, 3, 5), None),
    ("dotted", "2025.04.08", date(2025, 4, 8), None),
    ("abbreviated month with full stop", "By Maria Example | Jan. 6, 2023, 5:30 p.m.",
     date(2023, 1, 6), None),
]  # fmt: skip


@pytest.mark.parametrize(("line", "published", "publisher"), [d[1:] for d in DATELINES], ids=[d[0] for d in DATELINES])
def test_dateline(line: str, published: date, publisher: str | None) -> None:
    text = f"{HEADLINE}\n\n{line}\n\n{BODY}"
    article = article_from_text(text, "t")
    assert article.published == published
    assert article.published_how is DateSource.DATELINE
    assert article.publisher == publisher
    start = text.index(line)
    assert article.is_furniture(Span(start, start + len(line)))  # no facts from a dateline


def test_wire_dateline_in_the_first_paragraph() -> None:
    text = f"{HEADLINE}\n\nOSLO, March 5, 2024 (Reuters) - Norway will add NOK 500 million."
    article = article_from_text(text, "t")
    assert article.published == date(2024, 3, 5)
    assert article.publisher == "Reuters"
    assert article.furniture == ()  # the paragraph is article text


def test_wire_dateline_without_year_gives_publisher_only() -> None:
    article = article_from_text(f"{HEADLINE}\n\nOSLO, March 5 (NTB) -- Norway adds funds.", "t")
    assert article.published is None
    assert article.publisher == "NTB"


def test_dates_in_body_sentences_are_not_datelines() -> None:
    text = f"{HEADLINE}\n\nThe fund was set up on February 19, 2024 in Oslo by the government.\n"
    article = article_from_text(text, "t")
    assert article.published is None
    assert article.published_how is DateSource.NONE


def test_dateline_far_down_is_ignored() -> None:
    lines = "\n".join(f"Paragraph {i} of the article, with no date in it at all." for i in range(20))
    article = article_from_text(f"{HEADLINE}\n\n{lines}\n\nMarch 5, 2024\n", "t")
    assert article.published is None


def test_caption_date_is_not_a_dateline() -> None:
    caption = "Workers at a plant near Kyiv, February 20, 2024. Photo: Example Agency"
    assert article_from_text(f"{HEADLINE}\n\n{caption}\n\n{BODY}", "t").published is None


def test_metadata_date_wins() -> None:
    text = f"{HEADLINE}\n\nFebruary 11, 2024 6:35 PM\n\n{BODY}"
    article = article_from_text(text, "t", metadata=Metadata(published=date(2024, 2, 12)))
    assert article.published == date(2024, 2, 12)
    assert article.published_how is DateSource.METADATA


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        ("Author: EXAMPLE Forward", "EXAMPLE Forward"),
        ("Author: Kyiv Example Post", "Kyiv Example Post"),
        ("Publisher: Example Media Group", "Example Media Group"),
        ("Author: Maria Example", None),  # a person, not a publisher
    ],
)
def test_publisher_from_author_line(line: str, publisher: str | None) -> None:
    article = article_from_text(f"{HEADLINE}\n\n{BODY}\n\n{line}\n", "t")
    assert article.publisher == publisher
    assert [f.reason for f in article.furniture] == ["byline"]


def test_metadata_publisher_wins() -> None:
    text = f"{HEADLINE}\n\nAP , Monday 19 Feb 2024\n\n{BODY}"
    assert article_from_text(text, "t", metadata=Metadata(publisher="X")).publisher == "X"
