"""Invariants of text analysis on any input: the text is untouched and every span fits it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aidtracker.ids import document_id
from aidtracker.ingest import Metadata, article_from_text, normalise_newlines

# Lines that trigger each rule, mixed with arbitrary text so that rules meet each other.
POOL = [
    "Advertisement",
    "Most popular",
    "Related articles",
    "Read more: Something happened somewhere else today",
    "Editors' Picks",
    "2 min read",
    "15.1 C",
    "Helsinki",
    "Sunday, February 8, 2026",
    "01:03",
    "1",
    "Date:",
    "Short link:",
    "Author: EXAMPLE Forward",
    "AP , Monday 19 Feb 2024",
    "OSLO, March 5, 2024 (Reuters) - Norway adds funds.",
    "A headline about aid to Ukraine from donors",
    "The minister said the aid would arrive next week, officials in Kyiv confirmed on Monday.",
    "Teaser headline about another story",
    "A paragraph that is cut off in the middle of a sentence and ends with...",
    "Workers repair a line. Photo: Example Agency",
    "Workers repair a line",
    "Learn more",
    "Media contacts",
    "# Markdown heading",
    "* * *",
    "EN DE FR",
    "",
    "   ",
    "\u00a0",
]
LINE = st.one_of(st.sampled_from(POOL), st.text(max_size=80))
SEPARATOR = st.sampled_from(["\n", "\r\n", "\n\n", "\r", " \n"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = draw(st.lists(LINE, max_size=30))
    seps = draw(st.lists(SEPARATOR, min_size=len(lines), max_size=len(lines)))
    return "".join(line + sep for line, sep in zip(lines, seps, strict=True))


@settings(max_examples=300, deadline=None)
@given(documents(), st.one_of(st.none(), st.sampled_from(POOL[:20])))
def test_analysis_invariants(text: str, meta_title: str | None) -> None:
    metadata = Metadata(title=meta_title) if meta_title else None
    article = article_from_text(text, "prop", metadata=metadata)
    assert article.text == normalise_newlines(text)
    assert article.id == document_id(article.text)
    n = len(article.text)
    previous_end = 0
    for furniture in article.furniture:
        span = furniture.span
        assert previous_end <= span.start < span.end <= n  # sorted, disjoint, non-empty
        chunk = article.text[span.start : span.end]
        assert chunk == chunk.strip()  # spans start and end on text, not on blanks
        assert furniture.reason
        previous_end = span.end
    if article.title_span is not None:
        assert 0 <= article.title_span.start < article.title_span.end <= n
        if metadata is None:
            located = article.text[article.title_span.start : article.title_span.end]
            assert located == article.title
            assert not any(f.span.overlaps(article.title_span) for f in article.furniture)
