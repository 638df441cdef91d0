"""Query and path parameters the routes share, with the limits that make bad input a 422.

Every free-text filter has a length limit; ids have their shape, so a path such as
`../../etc/passwd` or a quote-laden string is refused before any lookup. Date ranges and amount
ranges are checked for order here, where the message can name both parameters.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import BeforeValidator

from aidtracker.api.settings import MAX_PAGE_SIZE, PAGE_SIZE
from aidtracker.errors import InvalidFilter
from aidtracker.store.search import query_words

NAME_MAX = 200
# No control characters in free text: PostgreSQL refuses NUL in a string, and none belongs in a name.
TEXT = r"^[^\x00-\x1f\x7f]*$"

Name = Annotated[str | None, Query(min_length=1, max_length=NAME_MAX, pattern=TEXT)]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would also read "0.0" as a timestamp, which no one means."""
    if value is not None and not (isinstance(value, str) and _ISO_DATE.match(value)):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
Start = Annotated[IsoDate, Query(alias="from", description="Only from this date on (YYYY-MM-DD, inclusive).")]
End = Annotated[IsoDate, Query(alias="to", description="Only up to this date (YYYY-MM-DD, inclusive).")]
Publisher = Annotated[
    str | None,
    Query(
        min_length=1, max_length=NAME_MAX, pattern=TEXT, description="Only what this outlet reported (case ignored)."
    ),
]
Cursor = Annotated[str | None, Query(min_length=1, max_length=1000, description="`next` of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]
Order = Annotated[Literal["asc", "desc"], Query(description="Sort direction.")]
Currency = Annotated[str | None, Query(pattern=r"^[A-Z]{3}$", description="ISO 4217 code as stated, e.g. EUR.")]
Usd = Annotated[Decimal | None, Query(ge=0, le=10**15, description="US dollars, inclusive.")]

_HEX = "[0-9a-f]{16,64}"
DocumentId = Annotated[str, Path(pattern=f"^doc_{_HEX}$", description="A document id, e.g. doc_1a2b3c4d5e6f7a8b.")]
CommitmentId = Annotated[
    str, Path(pattern=f"^(c|cmt)_{_HEX}$", description="A commitment cluster's id, or the id of one of its mentions.")
]
ActorId = Annotated[str, Path(pattern=f"^[a-z]_{_HEX}$", description="A canonical actor's id.")]

ReviewedOnly = Annotated[
    bool, Query(description="Only clusters holding a fact a reviewer confirmed or corrected (verified figures).")
]

DEFAULT_LIMIT = PAGE_SIZE
MAX_SEARCH = 100


def check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise InvalidFilter(f"query parameters 'from' and 'to': {start} is after {end}")


def check_usd(low: Decimal | None, high: Decimal | None) -> None:
    for name, value in (("min_usd", low), ("max_usd", high)):
        if value is not None and not value.is_finite():
            raise InvalidFilter(f"query parameter {name!r}: not a finite amount")
    if low is not None and high is not None and low > high:
        raise InvalidFilter(f"query parameters 'min_usd' and 'max_usd': {low} is more than {high}")


Words = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=500,
        pattern=TEXT,
        description="Words that must each start a word of the text (case ignored).",
    ),
]


def check_words(q: str | None) -> None:
    if q is not None and not query_words(q):
        raise InvalidFilter("query parameter 'q': give at least one word (letters or digits)")
