"""USD conversion: ECB rates checked against currencyconverter itself, UAH via the shipped
NBU table, and the cases that must give no conversion at all."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from currency_converter import CurrencyConverter

from aidtracker.errors import VocabularyError
from aidtracker.extract.fx import ECB_SOURCE, parse_rate_table, to_usd
from aidtracker.vocab import load_text

TWELVE = Decimal("1e-12")


@pytest.fixture(scope="module")
def ecb() -> CurrencyConverter:
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


def test_eur_on_a_known_date_uses_the_library_rate(ecb: CurrencyConverter) -> None:
    day = date(2024, 3, 1)
    conv = to_usd(Decimal("1000000000"), "EUR", day)
    assert conv is not None
    expected = Decimal(repr(ecb.convert(1, "EUR", "USD", day))).quantize(TWELVE)
    assert conv.rate == expected
    assert conv.usd == (Decimal("1000000000") * expected).quantize(Decimal("0.01"))
    assert (conv.rate_date, conv.source) == (day, ECB_SOURCE)


def test_cross_rate_and_datetime(ecb: CurrencyConverter) -> None:
    conv = to_usd(Decimal(100), "jpy", datetime(2023, 6, 15, 12, 0))
    assert conv is not None
    expected = Decimal(repr(ecb.convert(1, "JPY", "USD", date(2023, 6, 15)))).quantize(TWELVE)
    assert (conv.rate, conv.rate_date) == (expected, date(2023, 6, 15))


def test_latest_and_future_dates_record_the_last_ecb_day(ecb: CurrencyConverter) -> None:
    last = ecb.bounds["EUR"].last_date
    latest, future = to_usd(Decimal(1), "EUR", None), to_usd(Decimal(1), "EUR", date(2100, 1, 1))
    assert latest is not None and future is not None
    assert latest.rate_date == future.rate_date == min(last, ecb.bounds["USD"].last_date)


def test_discontinued_currency_keeps_its_last_quote(ecb: CurrencyConverter) -> None:
    conv = to_usd(Decimal(1000), "RUB", date(2024, 1, 1))
    assert conv is not None and conv.rate_date == ecb.bounds["RUB"].last_date


def test_usd_is_identity() -> None:
    conv = to_usd(Decimal("12.5"), "USD", date(2024, 1, 1))
    assert conv is not None
    assert (conv.usd, conv.rate, conv.rate_date) == (Decimal("12.50"), Decimal(1), date(2024, 1, 1))


@pytest.mark.parametrize(
    ("day", "rate_date", "uah_per_usd", "basis"),
    [
        (date(2022, 3, 15), date(2022, 3, 1), Decimal("29.2549"), "fixed"),
        (date(2022, 7, 21), date(2022, 7, 21), Decimal("36.5686"), "fixed"),
        (date(2023, 1, 10), date(2023, 1, 1), Decimal("36.5686"), "fixed"),
        (date(2099, 1, 1), date(2026, 10, 1), None, "estimate"),
        (None, date(2026, 10, 1), None, "estimate"),
    ],
)
def test_uah_uses_the_nearest_earlier_table_row(
    day: date | None, rate_date: date, uah_per_usd: Decimal | None, basis: str
) -> None:
    conv = to_usd(Decimal("2000000000"), "UAH", day)
    assert conv is not None
    assert conv.rate_date == rate_date
    assert "vocab/rates/UAH.csv" in conv.source and basis in conv.source
    if uah_per_usd is not None:
        assert conv.rate == (1 / uah_per_usd).quantize(TWELVE)
    assert conv.usd == (Decimal("2000000000") * conv.rate).quantize(Decimal("0.01"))


def test_uah_table_covers_every_month_with_plausible_rates() -> None:
    table = parse_rate_table(load_text("rates/UAH.csv"), where="vocab/rates/UAH.csv")
    months = {(d.year, d.month) for d in table.dates if d.day == 1}
    day = date(2022, 1, 1)
    while day <= date(2026, 10, 1):
        assert (day.year, day.month) in months
        day = (day + timedelta(days=32)).replace(day=1)
    assert all(Decimal(1) / 50 < r < Decimal(1) / 20 for r in table.rates)
    assert "NBU" in table.label


@pytest.mark.parametrize(
    ("amount", "currency", "on"),
    [
        (Decimal(1), "XYZ", None),  # no such currency
        (Decimal(1), "QAR", None),  # a currency we read but hold no rate for
        (Decimal(1), "", None),
        (Decimal(1), "../x", None),
        (Decimal(1), "UAH", date(2021, 6, 1)),  # before the table starts
        (Decimal(-5), "EUR", None),
        (Decimal("NaN"), "EUR", None),
        (Decimal("Infinity"), "EUR", None),
        (Decimal("1e308"), "EUR", None),
    ],
)
def test_no_conversion(amount: Decimal, currency: str, on: date | None) -> None:
    assert to_usd(amount, currency, on) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("when,rate\n2022-01-01,1\n", "header needs date"),
        ("date,units_per_usd\n2022-01-01,abc\n", "line 2"),
        ("date,units_per_usd\n2022-02-01,30\n2022-01-01,31\n", "dates must increase"),
        ("date,units_per_usd\n2022-01-01,0\n", "positive"),
        ("date,units_per_usd\n2022-01-01\n", "cells"),
        ("# nothing\n", "no rows"),
    ],
)
def test_bad_rate_table_names_file_and_line(text: str, message: str) -> None:
    with pytest.raises(VocabularyError, match=message) as err:
        parse_rate_table(text, where="vocab/rates/TST.csv")
    assert "vocab/rates/TST.csv" in str(err.value)
