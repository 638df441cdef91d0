"""Cursor pagination: a cursor names where the last page ended, not how many items it skipped.

A cursor is URL-safe base64 of a small JSON object: the sort it belongs to, and the sort value
and id of the last item served. The next page is the items that sort after that key, so adding
or removing records between requests never repeats or skips one. Cursors are opaque to clients
and checked on the way in: a malformed or foreign cursor is a 422, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cmp_to_key
from typing import TypeVar

from aidtracker.errors import InvalidFilter

T = TypeVar("T")
SortValue = str | Decimal | None
_ID = re.compile(r"[A-Za-z0-9_]{1,80}\Z")
MAX_CURSOR = 1000  # characters: a real cursor is about a hundred


def encode(sort: str, value: SortValue, item_id: str) -> str:
    raw = json.dumps({"s": sort, "v": None if value is None else str(value), "i": item_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, sort: str, *, numeric: bool = False) -> tuple[SortValue, str]:
    """The (value, id) a cursor holds; `InvalidFilter` if it is not one this sort handed out."""
    bad = InvalidFilter("query parameter 'cursor': not a cursor this listing handed out; start again without it")
    if len(cursor) > MAX_CURSOR:
        raise bad
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(data, dict) or set(data) != {"s", "v", "i"}:
        raise bad
    value, item_id = data["v"], data["i"]
    if data["s"] != sort:
        raise InvalidFilter("query parameter 'cursor': it belongs to another sort order; start again without it")
    if not isinstance(item_id, str) or not _ID.match(item_id) or not (value is None or isinstance(value, str)):
        raise bad
    if numeric and value is not None:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise bad from None
        if not number.is_finite():
            raise bad
        return number, item_id
    return value, item_id


Key = tuple[SortValue, str]


def _compare(a: Key, b: Key, descending: bool) -> int:
    """Missing values last in either direction; ties broken by id, ascending."""
    (va, ia), (vb, ib) = a, b
    if (va is None) != (vb is None):
        return 1 if va is None else -1
    if va is not None and vb is not None and va != vb:
        less = va < vb  # type: ignore[operator]  # both are of the sort's one type
        return (1 if less else -1) if descending else (-1 if less else 1)
    return (ia > ib) - (ia < ib)


def page(
    items: Sequence[T],
    *,
    key: Callable[[T], Key],
    sort: str,
    descending: bool,
    cursor: str | None,
    limit: int,
    numeric: bool = False,
) -> tuple[list[T], str | None]:
    """The page of `items` after `cursor` in the given order, and the cursor of the page after it."""

    def compare(a: Key, b: Key) -> int:
        return _compare(a, b, descending)

    ordering = cmp_to_key(compare)
    keyed = sorted(((key(x), x) for x in items), key=lambda kx: ordering(kx[0]))
    if cursor is not None:
        after = ordering(decode(cursor, sort, numeric=numeric))
        keyed = [kx for kx in keyed if ordering(kx[0]) > after]
    chosen = keyed[:limit]
    if len(keyed) <= limit or not chosen:
        return [x for _, x in chosen], None
    last_value, last_id = chosen[-1][0]
    return [x for _, x in chosen], encode(sort, last_value, last_id)


def date_key(value: date | None) -> str | None:
    """A date as a sort value: ISO strings sort as the dates do."""
    return value.isoformat() if value is not None else None


def parse_date(value: SortValue) -> date | None:
    """The date a date sort's cursor holds; `InvalidFilter` if it holds something else."""
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidFilter(
            "query parameter 'cursor': not a cursor this listing handed out; start again without it"
        ) from None
