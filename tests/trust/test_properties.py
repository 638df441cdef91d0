"""Properties of the money, date and offset code that must hold for any input (hypothesis).

Extends tests/extract/test_money.py (single figures round-trip; spans and bounds for
fragment soup) with ranges and a second round trip, absurd figures, date resolution and the
sentence splitter's offsets, and the review layer's own parsing of amounts.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from aidtracker.corrections import parse_corrections
from aidtracker.errors import ReviewError
from aidtracker.extract.dates import find_dates, reference_date
from aidtracker.extract.money import MAX_AMOUNT, find_money, format_money
from aidtracker.ingest import article_from_text
from aidtracker.segment import segment
from aidtracker.vocab import load_money_vocab

FAST = settings(deadline=None, max_examples=300, database=None, suppress_health_check=[HealthCheck.too_slow])
_VOCAB = load_money_vocab("en")
_CODES = sorted(c for c in _VOCAB.codes if len(c) == 3)


# --- money -----------------------------------------------------------------------------------


@st.composite
def _ranges(draw: st.DrawFn) -> str:
    """"between $1 and $2 billion", "€1-2 million", "USD 3 to 4.5 billion" and the like."""
    low = draw(st.integers(1, 900))
    high = low + draw(st.integers(1, 99))
    scale = draw(st.sampled_from(["million", "billion"]))
    code = draw(st.sampled_from(["USD", "EUR", "GBP", "JPY", "CAD"]))
    form = draw(st.sampled_from(["between {c} {l} and {h} {s}", "{c} {l}-{h} {s}", "{c} {l} to {h} {s}"]))
    return form.format(c=code, l=low, h=high, s=scale)


@FAST
@given(_ranges())
def test_ranges_round_trip_through_their_canonical_form(figure: str) -> None:
    (m,) = find_money(f"The government pledged {figure} on Monday.")
    assert m.amount_max is not None and m.amount < m.amount_max
    (back,) = find_money(format_money(m))
    assert (back.amount, back.currency, back.amount_max) == (m.amount, m.currency, m.amount_max)


@FAST
@given(st.decimals(min_value=Decimal("0.01"), max_value=MAX_AMOUNT, places=2), st.sampled_from(_CODES))
def test_format_parse_format_is_a_fixed_point(amount: Decimal, code: str) -> None:
    """Any amount in range, written canonically, reads back as itself and writes the same again."""
    found = find_money(f"{code} {amount:,}")
    assume(found)  # a code the grammar only reads beside a symbol
    (m,) = found
    assert m.amount == amount.normalize() or m.amount == amount
    again = format_money(m)
    (back,) = find_money(again)
    assert format_money(back) == again


@FAST
@given(
    st.one_of(
        st.from_regex(r"\$?[0-9]{16,400}( (million|billion|trillion))?", fullmatch=True),
        st.from_regex(r"\$[0-9]{1,3}(\.[0-9]+)?e[0-9]{1,4} (million|billion)", fullmatch=True),
        st.sampled_from(["$1e308 billion", "NaN dollars", "$inf million", "-$5 million", "$-5 million", "€0 million"]),
    )
)
@example("$" + "9" * 400)
def test_absurd_figures_are_never_read_as_huge_negative_or_nan(figure: str) -> None:
    for m in find_money(f"Officials said {figure} would follow."):
        for amount in (m.amount, m.amount_max):
            if amount is not None:
                assert amount.is_finite() and 0 < amount <= MAX_AMOUNT, (figure, m)


@FAST
@given(st.text(max_size=60))
def test_review_amounts_are_non_negative_finite_or_refused(raw: str) -> None:
    try:
        parsed = parse_corrections("commitment", [f"amount={raw}"])
    except ReviewError:
        return
    amount = parsed["amount"]
    assert amount is None or (isinstance(amount, Decimal) and amount.is_finite() and 0 <= amount <= MAX_AMOUNT)


@pytest.mark.parametrize("raw", ["1e308", "NaN", "-5", "9" * 400, "Infinity", "1_000.00001", "0x10"])
def test_absurd_corrections_are_refused(raw: str) -> None:
    with pytest.raises(ReviewError, match="amount"):
        parse_corrections("commitment", [f"amount={raw}"])


# --- dates -----------------------------------------------------------------------------------

_MONTHS = ["January", "Feb.", "March", "Apr", "May", "June", "July", "Aug.", "September", "Oct", "November", "Dec"]
_DATE_BITS = [
    *_MONTHS, "on Sunday", "last Monday", "next Friday", "in December", "last December", " to ", "-", "–",
    "through", "until", ", ", " ", "2023", "2024", "1999", "31", "29", "30", "1", "15", "17", "0", "32", "st", "th",
]  # fmt: skip


@FAST
@given(
    st.lists(st.one_of(st.sampled_from(_DATE_BITS), st.text(max_size=4)), max_size=25),
    st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))),
    st.integers(0, 5000),
)
def test_date_resolution_never_raises_and_stays_in_the_text(parts: list[str], ref: date | None, offset: int) -> None:
    text = "".join(parts)
    found = find_dates(text, offset=offset, ref=ref)
    for d in found:
        assert offset <= d.span.start < d.span.end <= offset + len(text)
        assert text[d.span.start - offset : d.span.end - offset] == d.text
        assert d.precision in ("day", "month", "weekday")
    assert [d.span.start for d in found] == sorted(d.span.start for d in found)
    reference_date(ref, text)  # never raises either


@pytest.mark.xfail(
    strict=True,
    reason="extract/dates.py resolves a range's end in its start's month and year: 'December 30 to 2' "
    "ends on December 2 (should be January 2), '17-15 March' ends before it starts; remove this mark once fixed",
)
@FAST
@given(
    st.sampled_from(_MONTHS),
    st.integers(1, 31),
    st.integers(1, 31),
    st.one_of(st.none(), st.sampled_from(["2023", "2024"])),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from(["{m} {a} to {b}", "{a}-{b} {m}", "{m} {a}-{b}", "{m} {a} through {b}"]),
)
@example("December", 30, 2, None, date(2024, 1, 10), "{m} {a} to {b}")  # a range across the new year
@example("March", 17, 15, "2024", date(2024, 3, 1), "{a}-{b} {m}")  # written backwards
def test_a_resolved_range_never_ends_before_it_starts(
    month: str, a: int, b: int, year: str | None, ref: date, form: str
) -> None:
    text = form.format(m=month, a=a, b=b) + (f", {year}" if year else "")
    for d in find_dates(f"The conference runs {text}.", ref=ref):
        if d.value is not None and d.end is not None:
            assert d.end >= d.value, (text, d)


@FAST
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)), st.sampled_from([_MONTHS[0], "Sunday"]))
def test_relative_dates_resolve_near_their_reference(ref: date, word: str) -> None:
    for d in find_dates(f"They met on {word} 5 and again last {word}.", ref=ref):
        if d.value is not None:
            assert abs(d.value - ref) <= timedelta(days=400), (ref, d)


# --- offsets ---------------------------------------------------------------------------------

_TEXT_BITS = [
    "Japan pledged $5 million.", " ", "\n", "\n\n", "Mr. Smith said so.", "U.S. aid", "e.g.", "…", "? ", "! ",
    "\u202e", "\u200f", "\t", "“Quoted.” ", "(Aside.) ", "1.5", "No. 3", "A", "a", ".", "\u00a0",
]  # fmt: skip


@FAST
@given(st.lists(st.one_of(st.sampled_from(_TEXT_BITS), st.text(max_size=6)), min_size=1, max_size=40))
def test_sentences_are_spans_of_the_text_in_order(parts: list[str]) -> None:
    text = "".join(parts)
    assume(text.strip())
    article = article_from_text(text, source="property")
    sentences = segment(article)
    previous_end = 0
    for s in sentences:
        assert 0 <= s.span.start < s.span.end <= len(article.text)
        assert article.text[s.span.start : s.span.end] == s.text
        assert s.text == s.text.strip() or not s.text.strip(" ")  # no padding kept at either end
        assert s.span.start >= previous_end
        previous_end = s.span.end
