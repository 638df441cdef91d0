"""Money recognition: a table of sentences we wrote, sentences that must yield nothing, and
properties that must hold for any text (spans, bounds, the format/parse round trip)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import aidtracker.vocab as vocab
from aidtracker.errors import VocabularyError
from aidtracker.extract.money import MAX_AMOUNT, find_money, format_money, pair_equivalents, unit_of
from aidtracker.vocab import build_money_vocab, load_money_vocab, load_yaml

Cur = str | None
Expected = tuple[str, Cur] | tuple[str, Cur, str | None] | tuple[str, Cur, str | None, str]

# id, sentence, [(amount, currency[, qualifier[, amount_max]]), ...] with "$" meaning USD.
EXAMPLES: list[tuple[str, str, list[Expected]]] = [
    ("symbol", "The donor announced $12.1 billion.", [("12.1e9", "USD")]),
    ("us-dollar-sign", "It adds US$37 million for demining.", [("37e6", "USD")]),
    ("code-after", "A loan of $1 billion USD was signed.", [("1e9", "USD")]),
    ("code-after-one-figure", "They approved $7.6 billion USD.", [("7.6e9", "USD")]),
    ("code-first", "The bank lends USD 1.5bn this year.", [("1.5e9", "USD")]),
    ("euro-m", "A €50m package for schools.", [("50e6", "EUR")]),
    ("pound", "London adds £2.3 billion.", [("2.3e9", "GBP")]),
    ("yen-symbol", "Tokyo gives ¥15.8 billion.", [("15.8e9", "JPY")]),
    ("yen-word", "Tokyo gives 15.8 billion yen.", [("15.8e9", "JPY")]),
    ("japanese-yen", "a grant of 22.44 billion Japanese yen", [("22.44e9", "JPY")]),
    ("thousand-million", "worth 1,000 million dollars", [("1e9", "USD")]),
    ("uah-code", "The city got UAH 2 billion.", [("2e9", "UAH")]),
    ("hryvnias", "Kyiv allocated 350 million hryvnias.", [("350e6", "UAH")]),
    ("hryvnia-sign", "a budget of ₴10 billion", [("10e9", "UAH")]),
    ("nok", "Oslo adds NOK 4.5 billion.", [("4.5e9", "NOK")]),
    ("a-dollar", "Canberra sends A$31 million.", [("31e6", "AUD")]),
    ("aud-attached", "Canberra sends AUD31 million.", [("31e6", "AUD")]),
    ("aud-mln", "Canberra sends AUD 31 mln.", [("31e6", "AUD")]),
    ("chf-attached", "Bern plans CHF5 billion.", [("5e9", "CHF")]),
    ("swiss-francs", "Bern plans 5 billion Swiss francs.", [("5e9", "CHF")]),
    ("swedish-krona", "Stockholm adds 1.4 billion Swedish krona.", [("1.4e9", "SEK")]),
    ("dkk", "Copenhagen adds DKK 250 million.", [("250e6", "DKK")]),
    ("quarter-of-a", "a quarter of a billion euros for energy", [("250e6", "EUR")]),
    ("one-billion-words", "One billion euros were pledged.", [("1e9", "EUR")]),
    ("half-a-billion", "half a billion dollars in aid", [("500e6", "USD")]),
    ("one-and-a-half", "one-and-a-half billion euros", [("1.5e9", "EUR")]),
    ("twenty-five", "twenty-five million pounds for shelters", [("25e6", "GBP")]),
    ("hundred-and-fifty", "one hundred and fifty million euros", [("150e6", "EUR")]),
    ("euro-grouped", "a €500,000 grant", [("500000", "EUR")]),
    ("space-grouped", "a €500 000 grant", [("500000", "EUR")]),
    ("bln", "with $1.75bln over two years", [("1.75e9", "USD")]),
    ("plain-dollars", "a $100,000 donation", [("100000", "USD")]),
    ("two-figures", "€4.2 billion and €4.1 billion", [("4.2e9", "EUR"), ("4.1e9", "EUR")]),
    ("three-currencies", "€2bn, $3bn and £1bn", [("2e9", "EUR"), ("3e9", "USD"), ("1e9", "GBP")]),
    ("between", "between $1 billion and $2 billion a year", [("1e9", "USD", None, "2e9")]),
    ("between-shared-scale", "between $1 and $2 billion", [("1e9", "USD", None, "2e9")]),
    ("between-words", "between 1 and 2 billion euros", [("1e9", "EUR", None, "2e9")]),
    ("dash-range", "a $1-2 billion facility", [("1e9", "USD", None, "2e9")]),
    ("to-range", "€1 to €1.5 billion for housing", [("1e9", "EUR", None, "1.5e9")]),
    ("full-dash-range", "€1.5bn–€2bn in loans", [("1.5e9", "EUR", None, "2e9")]),
    ("change-not-range", "from €1 billion to €1.5 billion", [("1e9", "EUR"), ("1.5e9", "EUR")]),
    ("by-not-range", "it grew by $1 billion to $3 billion", [("1e9", "USD"), ("3e9", "USD")]),
    ("year-not-range", "a $5 billion to 2027 plan", [("5e9", "USD")]),
    ("up-to", "Up to €50 billion may follow.", [("50e9", "EUR", "up_to")]),
    ("approximately", "approximately $1 billion", [("1e9", "USD", "about")]),
    ("over", "over $7.6 billion so far", [("7.6e9", "USD", "over")]),
    ("more-than", "more than 5 billion euros", [("5e9", "EUR", "over")]),
    ("almost", "almost €20 billion", [("20e9", "EUR", "nearly")]),
    ("nearly", "nearly $35 billion", [("35e9", "USD", "nearly")]),
    ("roughly", "roughly €3.5 billion", [("3.5e9", "EUR", "about")]),
    ("some", "some US$1 billion", [("1e9", "USD", "about")]),
    ("at-least", "at least £100 million", [("100e6", "GBP", "at_least")]),
    ("less-than", "less than $10 million", [("10e6", "USD", "under")]),
    ("approx-dot", "(approx. US$172.75 million)", [("172.75e6", "USD", "about")]),
    ("tilde", "~$5bn", [("5e9", "USD", "about")]),
    ("qualified-range", "roughly between $1bn and $2bn", [("1e9", "USD", "about", "2e9")]),
    ("bracketed", "€1 billion ($1.1 billion) in grants", [("1e9", "EUR"), ("1.1e9", "USD")]),
    ("hyphenated", "the $1.5-billion package", [("1.5e9", "USD")]),
    ("hyphenated-words", "a 500-million-euro loan", [("500e6", "EUR")]),
    ("cad-after-dollar", "$1 billion CAD over five years", [("1e9", "CAD")]),
    ("sdr", "an IMF loan of SDR 2.2 billion", [("2.2e9", "XDR")]),
    ("trillion-won", "2.5 trillion won", [("2.5e12", "KRW")]),
    ("unknown-krone", "500 kr in cash", [("500", None)]),
    ("third", "a third of a billion euros", [("333333333.33", "EUR")]),
    ("zloty-sign", "500 zł", [("500", "PLN")]),
    ("pounds-of-aid", "including 13 billion pounds of military aid", [("13e9", "GBP")]),
    ("elided-currency", "C$30m goes to the fund, and 25 million to the WHO.", [("30e6", "CAD"), ("25e6", "CAD")]),
    ("elided-qualified", "€5m in 2023 and about 7.5 million in 2024", [("5e6", "EUR"), ("7.5e6", "EUR", "about")]),
    ("elided-not-a-count", "£10 million reached 3 million people and 2 million children.", [("10e6", "GBP")]),
    ("elided-after-a-count", "£10 million helps 3 million people, and 2 million for schools.", [("10e6", "GBP")]),
    ("elided-needs-a-figure-before", "3 million fled, and 2 million to Poland; then €1bn.", [("1e9", "EUR")]),
]


NOTHING = [
    "5 million people have fled.",
    "56 cooperation deals were signed.",
    "800,000 artillery shells will arrive.",
    "Inflation was 5% and growth 3.2 per cent.",
    "In 2024 the G7 met for the 3rd time.",
    "Call +380 44 123 4567 or 0800 500 335.",
    "F-16s and 12 Leopard 2 tanks.",
    "$1e308 billion",
    "$" + "9" * 400,
    "9" * 400 + " dollars",
    "$-5 million",
    "-$",
    "$1,001 trillion",
    "$0 billion",
    "5,000 pounds of flour",
    "five million pounds of food",
    "prices in 2022 dollars",
    "a dollar and a euro",
    "European Union and euro-area leaders",
    "one two billion euros",
    "Moreover, the won slid.",
]


@pytest.mark.parametrize(("sentence", "expected"), [(s, e) for _, s, e in EXAMPLES], ids=[i for i, _, _ in EXAMPLES])
def test_examples(sentence: str, expected: list[Expected]) -> None:
    got = [(m.amount, m.currency, m.qualifier, m.amount_max) for m in find_money(sentence)]
    assert got == [_full(*e) for e in expected]


def _full(
    amount: str, currency: str | None, qualifier: str | None = None, amount_max: str | None = None
) -> tuple[Decimal, str | None, str | None, Decimal | None]:
    return Decimal(amount), currency, qualifier, Decimal(amount_max) if amount_max else None


@pytest.mark.parametrize("sentence", NOTHING)
def test_nothing(sentence: str) -> None:
    assert find_money(sentence) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Table 2. Contributions, as of 31 December 2024 (US$ million)", ("USD", Decimal("1e6"))),
        ("Amount (EUR)", ("EUR", Decimal(1))),
        ("in millions of euros", ("EUR", Decimal("1e6"))),
        ("Value (£m)", ("GBP", Decimal("1e6"))),
        ("CZK thousand", ("CZK", Decimal("1e3"))),
        ("Pledged", None),
        ("Number of schools", None),
        ("Use", None),
    ],
)
def test_unit_of_a_table_caption_or_header(text: str, expected: tuple[str, Decimal] | None) -> None:
    assert unit_of(text) == expected


def test_span_excludes_qualifier_and_opener() -> None:
    up_to, between = find_money("Up to €50 billion, or between $1 billion and $2 billion.")
    assert (up_to.text, up_to.span.start) == ("€50 billion", 6)
    assert between.text == "$1 billion and $2 billion"


def test_default_dollar_is_implicit() -> None:
    (bare,) = find_money("a $5 million grant", default_dollar="AUD")
    (named,) = find_money("a US$5 million grant", default_dollar="AUD")
    (settled,) = find_money("a $5 million USD grant", default_dollar="AUD")
    assert (bare.currency, bare.currency_implicit) == ("AUD", True)
    assert (named.currency, named.currency_implicit) == ("USD", False)
    assert (settled.currency, settled.currency_implicit) == ("USD", False)
    with pytest.raises(ValueError):
        find_money("$5", default_dollar="XXX")


def test_offset_shifts_spans() -> None:
    doc = "Intro. Japan gives ¥15.8 billion."
    (m,) = find_money(doc[7:], offset=7)
    assert doc[m.span.start : m.span.end] == m.text == "¥15.8 billion"


def test_pair_equivalents() -> None:
    text = (
        "A gave €1 billion ($1.1 billion), B gave NOK 4 billion (EUR 378 million), C gave "
        "$20 million (almost €18.6 million), D gave ¥25 billion (approx. US$172.75 million), "
        "E gave $5.4 billion (more than 5 billion euros), F gave €1m (of which $200,000 for X)."
    )
    pairs = [(h.text, [e.text for e in eq]) for h, eq in pair_equivalents(find_money(text), text)]
    assert pairs == [
        ("€1 billion", ["$1.1 billion"]),
        ("NOK 4 billion", ["EUR 378 million"]),
        ("$20 million", ["€18.6 million"]),
        ("¥25 billion", ["US$172.75 million"]),
        ("$5.4 billion", ["5 billion euros"]),
        ("€1m", []),
        ("$200,000", []),
    ]


def test_pair_equivalents_with_offset() -> None:
    sentence = "It pledged £1.5bn ($1.9bn)."
    moneys = find_money(sentence, offset=100)
    ((head, eq),) = pair_equivalents(moneys, sentence, offset=100)
    assert (head.text, [e.text for e in eq]) == ("£1.5bn", ["$1.9bn"])


def test_format_money() -> None:
    (m,) = find_money("$12.1 billion")
    assert format_money(m) == "USD 12,100,000,000"
    (r,) = find_money("€1-2 billion")
    assert format_money(r) == "EUR 1,000,000,000–2,000,000,000"
    (c,) = find_money("US$172.75")
    assert format_money(c) == "USD 172.75"


# --- properties ---------------------------------------------------------------------------

_VOCAB = load_money_vocab("en")
_EXPLICIT_PREFIXES = sorted(p for p, t in _VOCAB.prefixes.items() if t in _VOCAB.codes)
_EXPLICIT_NAMES = sorted(n for n, t in _VOCAB.names.items() if t in _VOCAB.codes)
_SCALES = sorted({*_VOCAB.scales, *_VOCAB.scale_abbreviations})
_FRAGMENTS = [
    "$", "€", "US$", "USD", " ", "-", "–", "(", ")", ",", ".", "billion", "bn", "m", "million",
    "euros", "dollars", "yen", "up to", "between", " and ", " to ", "half a", "one", "a", "kr",
    "1", "12", "3.5", "1,000", "999", "0", "2024", "\u00a0", "\n", "~", "approx.", "pounds of",
]  # fmt: skip


@st.composite
def _numbers(draw: st.DrawFn) -> str:
    whole = draw(st.integers(min_value=1, max_value=999_999))
    text = draw(st.sampled_from([f"{whole:,}", str(whole)]))
    if draw(st.booleans()):
        text += "." + draw(st.sampled_from(["5", "25", "75", "05"]))
    return text


@st.composite
def _figures(draw: st.DrawFn) -> str:
    number = draw(_numbers())
    scale = draw(st.one_of(st.none(), st.sampled_from(_SCALES)))
    if scale is not None:
        whole = Decimal(number.replace(",", ""))
        factor = {**_VOCAB.scales, **_VOCAB.scale_abbreviations}[scale]
        assume(whole * factor <= MAX_AMOUNT)
    if draw(st.booleans()):
        symbol = draw(st.sampled_from([*_EXPLICIT_PREFIXES, *sorted(_VOCAB.codes)]))
        return f"{symbol}{draw(st.sampled_from(['', ' ']))}{number}" + (f" {scale}" if scale else "")
    name = draw(st.sampled_from(_EXPLICIT_NAMES))
    if scale is None:
        assume(not (len(number) == 4 and number[:2] in ("19", "20")))  # read as a year
    return f"{number} {scale + ' ' if scale else ''}{name}"


@settings(deadline=None, max_examples=300, database=None)
@given(_figures())
def test_parse_format_parse_round_trip(figure: str) -> None:
    (m,) = find_money(f"They pledged {figure} on Monday.")
    assert m.currency is not None
    (back,) = find_money(format_money(m))
    assert (back.amount, back.currency, back.amount_max) == (m.amount, m.currency, m.amount_max)


@settings(deadline=None, max_examples=300, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=5)), max_size=30),
    st.integers(0, 10_000),
)
def test_spans_and_bounds_hold_for_any_text(parts: list[str], offset: int) -> None:
    text = "".join(parts)
    moneys = find_money(text, offset=offset)
    for m in moneys:
        assert offset <= m.span.start < m.span.end <= offset + len(text)
        assert text[m.span.start - offset : m.span.end - offset] == m.text
        assert m.amount.is_finite() and 0 < m.amount <= MAX_AMOUNT
        assert m.amount_max is None or m.amount < m.amount_max <= MAX_AMOUNT
        assert m.currency is None or m.currency in _VOCAB.codes
    assert [s.span.start for s in moneys] == sorted(s.span.start for s in moneys)
    paired = pair_equivalents(moneys, text, offset=offset)
    assert sorted(id(m) for h, eq in paired for m in (h, *eq)) == sorted(map(id, moneys))


@settings(deadline=None, max_examples=300, database=None)
@given(st.text(), st.sampled_from(["USD", "AUD", "CAD"]))
def test_random_unicode_never_crashes(text: str, dollar: str) -> None:
    moneys = find_money(text, default_dollar=dollar)
    pair_equivalents(moneys, text)
    for m in moneys:
        format_money(m)


# --- the vocabulary the grammar is built from ----------------------------------------------


def test_vocab_loads_and_is_cached() -> None:
    assert load_money_vocab("en") is load_money_vocab("en")
    assert {"USD", "EUR", "UAH", "JPY"} <= _VOCAB.codes
    assert set(_VOCAB.qualifiers.values()) <= vocab.QUALIFIERS


@pytest.mark.parametrize(
    ("section", "bad", "message"),
    [
        ("currencies", {"currencies": {"usd": {}}}, "three capital letters"),
        (
            "currencies",
            {"currencies": {"USD": {"prefixes": ["$"]}, "CAD": {"prefixes": ["$"]}}},
            "already means",
        ),
        ("currencies", {"currencies": {"USD": {"prefix": ["$"]}}}, "unknown key"),
        ("money", {"names": {"dollars": "XXX"}}, "does not define"),
        ("money", {"scales": {"billion": -1}}, "positive"),
        ("money", {"qualifiers": {"roughly": ["about"]}}, "not one of"),
        ("money", {"surprise": 1}, "unknown key"),
    ],
)
def test_bad_vocab_names_file_and_problem(section: str, bad: dict[str, object], message: str) -> None:
    currencies, money = load_yaml("currencies"), load_yaml("money", "en")
    if section == "currencies":
        currencies = bad
    else:
        money = {**money, **bad}
    with pytest.raises(VocabularyError, match=message) as err:
        build_money_vocab(currencies, money, lang="en")
    assert f"vocab/{'en/money' if section == 'money' else 'currencies'}.yml" in str(err.value)


def test_load_yaml_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(VocabularyError, match="no such vocabulary file"):
        load_yaml("nonexistent", "en")
    with pytest.raises(VocabularyError, match="language"):
        load_yaml("money", "../en")
    with pytest.raises(VocabularyError, match="bad vocabulary"):
        vocab.load_text("../records.py")
    (tmp_path / "broken.yml").write_text("names: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(vocab, "_ROOT", tmp_path)
    with pytest.raises(VocabularyError, match=r"vocab/broken\.yml: not valid YAML"):
        load_yaml("broken")
