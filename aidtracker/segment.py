"""Segment stage: Article -> Sentences with character offsets into the article's text.

Rule-based on purpose: news text arrives one paragraph per line, so lines are split first and
then cut at sentence ends, skipping the abbreviations a language's vocabulary lists ("U.S.",
"Feb.", "Corp."). It is much faster than a statistical splitter and keeps offsets exact, and
only the sentences that can hold a fact go on to the full NLP pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from aidtracker.ingest.cues import load_cues
from aidtracker.records import Article, Sentence, Span
from aidtracker.vocab import load_yaml

# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before white space
# and an upper-case letter (accented ones too: "Škoda", "Één"), a digit, a currency sign
# ("$750 million is ...") or an opening quote.
_END = re.compile(r"""[.!?…]["'”’)\]»]*\s+(?=["'“‘(\[«]?[A-Z0-9$€£¥₴₩₹À-ÖØ-ÞĀĆČĎĐĒĘĚĞİŁŃŇŐŒŘŚŞŠŢŤŪŮŰŹŻŽ])""")


@lru_cache(maxsize=8)
def _abbreviations(lang: str) -> frozenset[str]:
    data = load_yaml("segment", lang)
    return frozenset(str(a).lower() for a in data.get("abbreviations", []))


def _is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    """True if the '.' at `dot` closes an abbreviation or an initial rather than a sentence."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(\"'“":
        start -= 1
    word = text[start : dot + 1].lower()
    if word in abbreviations:
        return True
    # Single initials ("J. Smith") and dotted acronyms ("U.S.", "U.K.").
    return bool(re.fullmatch(r"(?:[a-z]\.)+", word))


def split_line(line: str, base: int, lang: str = "en") -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets of the sentences of one line, `base` being its offset."""
    abbreviations = _abbreviations(lang)
    start = 0
    for m in _END.finditer(line):
        dot = m.start()
        if line[dot] == "." and _is_abbreviation(line, dot, abbreviations):
            continue
        end = m.end()
        piece = line[start:end].rstrip()
        if piece:
            yield base + start, base + start + len(piece)
        start = end
    piece = line[start:].rstrip()
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        yield base + start + lead, base + start + len(piece)


def _pieces(line: str, base: int, lang: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_dateline) of a line's sentences, a paragraph's opening dateline cut off as its own.

    "KYIV, 12 March 2025 — The EIB and Ukraine signed …" parses as one noun phrase if the
    dateline stays on, and the donor is lost with the subject.
    """
    wire = load_cues(lang).wire  # the pattern ingest reads the dateline's date and agency with
    m = wire.match(line) if wire is not None else None
    if m is not None and m.end() < len(line):
        yield base, base + len(line[: m.end()].rstrip()), True
        line, base = line[m.end() :], base + m.end()
    for start, end in split_line(line, base, lang):
        yield start, end, False


def segment(article: Article) -> list[Sentence]:
    """Split an article into sentences, flagging the headline and page furniture."""
    text = article.text
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        for start, end, dateline in _pieces(line[lead:], line_start + lead, article.language):
            span = Span(start, end)
            out.append(
                Sentence(
                    doc_id=article.id,
                    span=span,
                    text=text[start:end],
                    is_headline=article.title_span is not None and article.title_span.overlaps(span),
                    is_furniture=dateline or article.is_furniture(span),
                )
            )
    return out
