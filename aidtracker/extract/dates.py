"""Date expressions in a sentence, resolved against the document's reference date.

News dates are mostly partial: "on Sunday", "Feb. 19", "last December", "February 15 to 17".
They can be resolved only against the date the article speaks from (its publication date, or
failing that the latest full date it states). A weekday without a reference date stays
unresolved rather than guessed. Month and weekday names come from `vocab/<lang>/dates.yml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from aidtracker.records import Span
from aidtracker.vocab import load_yaml


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression: `value` (and `end` for a range) where resolvable, else None.

    `precision` is "day", "month" or "weekday"; a month-precision mention ("last December")
    carries the first of the month in `value` but should not be reported as a day, and a
    weekday ("on Sunday") is resolved against the reference date only as a best guess, which
    facts do not report as their date (the text does not fix it).
    """

    span: Span
    text: str
    value: date | None
    end: date | None = None
    precision: str = "day"


@dataclass(frozen=True, slots=True)
class _Patterns:
    full: re.Pattern[str]
    day_first: re.Pattern[str]
    weekday: re.Pattern[str]
    month_only: re.Pattern[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    last_words: frozenset[str]
    next_words: frozenset[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def _patterns(lang: str) -> _Patterns:
    data = load_yaml("dates", lang)
    months = {str(n).lower(): int(k) for k, names in data["months"].items() for n in names}
    weekdays = {str(n).lower(): int(k) for k, names in data["weekdays"].items() for n in names}
    last_words = frozenset(data.get("last_words", []))
    next_words = frozenset(data.get("next_words", []))
    mon = _alt(list(months))
    wd = _alt(list(weekdays))
    rel = _alt(list(last_words | next_words))
    flags = re.IGNORECASE
    # "February 15 to 17, 2024", "Feb. 19", "March 22, 2023", "Feb 15-17"
    full = re.compile(
        rf"\b(?P<mon>{mon})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"(?:\s*(?:-|–|to|until|through)\s*(?:(?P<mon2>{mon})\.?\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)?"
        rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
        flags,
    )
    # "19 Feb 2024", "2 September 2024", "15-17 February"
    day_first = re.compile(
        rf"\b(?P<d1>\d{{1,2}})(?:\s*(?:-|–)\s*(?P<d2>\d{{1,2}}))?\s+(?P<mon>{mon})\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
        flags,
    )
    weekday = re.compile(rf"\b(?:(?P<rel>{rel})\s+)?(?P<wd>{wd})\b(?!\s*,?\s*\d)", flags)
    month_only = re.compile(rf"\b(?:(?P<rel>{rel})\s+|in\s+)(?P<mon>{mon})\b(?:\s+(?P<y>(?:19|20)\d\d))?", flags)
    return _Patterns(full, day_first, weekday, month_only, months, weekdays, last_words, next_words)


def _year_for(month: int, day: int, ref: date | None, year: str | None) -> int | None:
    """The year of a month/day without one: the reference year, unless that puts it far ahead."""
    if year:
        return int(year)
    if ref is None:
        return None
    candidate = ref.year
    try:
        d = date(candidate, month, day)
    except ValueError:
        return None
    # An article rarely speaks of a day more than ~8 months ahead; "December" in a January
    # article is last December.
    if (d - ref).days > 240:
        candidate -= 1
    return candidate


def _safe_date(y: int | None, m: int, d: int) -> date | None:
    if y is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, *, offset: int = 0, ref: date | None = None, lang: str = "en") -> list[DateMention]:
    """Every date expression in `text`, resolved against `ref` where possible."""
    p = _patterns(lang)
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for pattern in (p.full, p.day_first):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            month = p.months[m.group("mon").lower()]
            d1 = int(m.group("d1"))
            if not 1 <= d1 <= 31:
                continue
            y = _year_for(month, d1, ref, m.group("y"))
            start = _safe_date(y, month, d1)
            end = None
            if m.group("d2"):
                month2 = p.months[m.group("mon2").lower()] if "mon2" in m.groupdict() and m.group("mon2") else month
                end = _safe_date(y, month2, int(m.group("d2")))
            taken.append((m.start(), m.end()))
            out.append(DateMention(Span(offset + m.start(), offset + m.end()), m.group(0), start, end))
    for m in p.weekday.finditer(text):
        if not free(m.start(), m.end()):
            continue
        value = None
        if ref is not None:
            wd = p.weekdays[m.group("wd").lower()]
            rel = (m.group("rel") or "").lower()
            if rel in p.next_words:
                value = ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
            else:
                value = ref - timedelta(days=(ref.weekday() - wd) % 7)
        taken.append((m.start(), m.end()))
        out.append(DateMention(Span(offset + m.start(), offset + m.end()), m.group(0), value, precision="weekday"))
    for m in p.month_only.finditer(text):
        if not free(m.start(), m.end()):
            continue
        month = p.months[m.group("mon").lower()]
        rel = (m.group("rel") or "").lower()
        value = None
        if m.group("y"):
            value = date(int(m.group("y")), month, 1)
        elif ref is not None:
            y = ref.year
            if rel in p.last_words and month >= ref.month:
                y -= 1
            elif rel in p.next_words and month <= ref.month:
                y += 1
            value = date(y, month, 1)
        taken.append((m.start(), m.end()))
        out.append(DateMention(Span(offset + m.start(), offset + m.end()), m.group(0), value, precision="month"))
    out.sort(key=lambda d: d.span.start)
    return out


def reference_date(published: date | None, text: str, lang: str = "en") -> date | None:
    """The date an article speaks from: its publication date, else the latest full date it states."""
    if published is not None:
        return published
    best: date | None = None
    for d in find_dates(text, lang=lang):
        if d.value is not None and d.precision == "day" and re.search(r"(19|20)\d\d", d.text):
            best = d.value if best is None or d.value > best else best
    return best


def reference_year(text: str) -> int | None:
    """The latest plausible year a text mentions, for resolving "February 19" without a full date."""
    years = [int(y) for y in re.findall(r"\b(20[0-4]\d)\b", text)]
    return max(years) if years else None
