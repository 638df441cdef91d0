"""What a reviewer may write, checked before anything is stored: corrected field values, names, comments.

A correction arrives as text (`--field amount=12,100,000,000`, a JSON string over the API) and
leaves typed, in the form resolution keeps it in a cluster: amounts as `Decimal` (digits only,
never negative, at most 10^15 — no "1e308", no 400-digit figure), enums as their values, dates
as `date`, lists as lists. Anything else is refused with a message saying what would be
accepted, so a bad value never reaches the audit trail.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from aidtracker.errors import ReviewError
from aidtracker.types import (
    AgreementStatus,
    AgreementType,
    EventType,
    Instrument,
    Kind,
    Scope,
    Sector,
    Status,
)

MACHINE = "machine"  # the resolver's own name in judgements; no reviewer may take it
MAX_AMOUNT = Decimal("1e15")  # as extraction's: no aid figure comes near a quadrillion
MAX_TEXT = 500  # characters in a corrected text field or a comment line

Parser = Callable[[str, str], Any]


def _text(required: bool = False) -> Parser:
    def parse(name: str, raw: str) -> str | None:
        value = raw.strip()
        if not value:
            if required:
                raise ReviewError(f"{name} cannot be empty")
            return None
        if len(value) > MAX_TEXT:
            raise ReviewError(f"{name} is {len(value)} characters long; the limit is {MAX_TEXT}")
        return value

    return parse


def _texts(name: str, raw: str) -> list[str]:
    parse = _text(required=True)
    return [str(parse(name, part)) for part in raw.split(",") if part.strip()]


_AMOUNT = re.compile(r"\d{1,16}(?:\.\d{1,4})?")


def _amount(name: str, raw: str) -> Decimal | None:
    """A non-negative amount written out in digits ("1,500,000.25"); no exponents, at most 1e15."""
    value = raw.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not value:
        return None
    if not _AMOUNT.fullmatch(value):
        raise ReviewError(
            f"{name}={raw[:40]!r} is not an amount: write the digits out, as in {name}=12100000000 "
            "(no sign, no exponent, at most four decimals)"
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ReviewError(f"{name}={raw[:40]!r} is not an amount") from None
    if amount > MAX_AMOUNT:
        raise ReviewError(f"{name}={raw[:40]!r} is over {MAX_AMOUNT:,.0f}; no aid figure is that large")
    return amount


def _count(name: str, raw: str) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 6:
        raise ReviewError(f"{name}={raw[:40]!r} is not a count")
    return int(value)


def _currency(name: str, raw: str) -> str | None:
    value = raw.strip().upper()
    if not value:
        return None
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ReviewError(f"{name}={raw[:40]!r} is not a three-letter currency code such as USD or EUR")
    return value


def _date(name: str, raw: str) -> date | None:
    value = raw.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReviewError(f"{name}={raw[:40]!r} is not a date as YYYY-MM-DD") from None


def _choice(enum: type[StrEnum], *, required: bool = True) -> Parser:
    def parse(name: str, raw: str) -> str | None:
        value = raw.strip().lower()
        if not value and not required:
            return None
        allowed = [e.value for e in enum]
        if value not in allowed:
            raise ReviewError(f"{name}={raw[:40]!r} is not one of {', '.join(allowed)}")
        return value

    return parse


def _sectors(name: str, raw: str) -> list[str]:
    pick = _choice(Sector)
    return sorted({str(pick(name, part)) for part in raw.split(",") if part.strip()})


# The fields a reviewer may correct, per kind, in the form resolution keeps them in a cluster:
# enums as their values, sectors as a sorted list, amounts as Decimal.
CORRECTABLE: dict[str, dict[str, Parser]] = {
    "commitment": {
        "donor": _text(required=True),
        "recipient": _text(),
        "amount": _amount,
        "currency": _currency,
        "usd": _amount,
        "quantity": _amount,
        "item": _text(),
        "scope": _choice(Scope),
        "kind": _choice(Kind),
        "instrument": _choice(Instrument),
        "channel": _text(),
        "status": _choice(Status),
        "purpose": _text(),
        "sectors": _sectors,
        "date": _date,
    },
    "agreement": {
        "parties": _texts,
        "agreement_type": _choice(AgreementType),
        "subject": _text(),
        "sectors": _sectors,
        "count": _count,
        "status": _choice(AgreementStatus),
        "date": _date,
    },
    "event": {
        "name": _text(required=True),
        "event_type": _choice(EventType),
        "date": _date,
        "end_date": _date,
        "location": _text(),
        "participants": _texts,
    },
    "person": {
        "name": _text(required=True),
        "role": _text(),
        "affiliation": _text(),
        "aliases": _texts,
    },
}


def parse_corrections(kind: str, assignments: Sequence[str]) -> dict[str, Any]:
    """`["amount=123", "donor=Japan"]` → typed values for a fact or cluster of `kind`; refuses what is not."""
    fields = CORRECTABLE.get(kind)
    if fields is None:
        raise ReviewError(f"a {kind} cannot be corrected")
    if not assignments:
        raise ReviewError(f"say what to correct, as --field NAME=VALUE; a {kind} has {', '.join(fields)}")
    parsed: dict[str, Any] = {}
    for assignment in assignments:
        name, eq, raw = assignment.partition("=")
        name = name.strip()
        if not eq:
            raise ReviewError(f"{assignment[:60]!r} is not NAME=VALUE")
        if name not in fields:
            raise ReviewError(f"a {kind} has no field {name[:40]!r}; it has {', '.join(fields)}")
        parsed[name] = fields[name](name, raw)
    start, end = parsed.get("date"), parsed.get("end_date")
    if start and end and end < start:
        raise ReviewError("end_date is before date")
    return parsed


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")


def check_name(name: str) -> str:
    """A reviewer's or user's name as the audit trail keeps it: short, printable, never "machine"."""
    if not _NAME.fullmatch(name):
        raise ReviewError(
            f"{name[:70]!r} is not a usable name: 1 to 64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    if name.casefold() == MACHINE:
        raise ReviewError(f"{MACHINE!r} is the resolver's name in judgements; reviewers need their own")
    return name


def check_comment(comment: str | None) -> str | None:
    """A comment as stored: trimmed, at most a few lines, None if empty. Kept verbatim otherwise."""
    if comment is None or not comment.strip():
        return None
    comment = comment.strip()
    if len(comment) > 4 * MAX_TEXT:
        raise ReviewError(f"the comment is {len(comment)} characters long; the limit is {4 * MAX_TEXT}")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in comment):
        raise ReviewError("the comment holds control characters")
    return comment
