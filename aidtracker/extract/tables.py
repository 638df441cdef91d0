"""Extract stage: tables flattened into text, read row by row.

Reports and PDFs lose their table grid when turned into text; what is left is one line per row
with the cells between bars, under a header line and often a caption that gives the unit:

    Table 2. Selected contributions to the fund, as of 31 December 2024 (US$ million)
    Development partner | Pledged | Paid-in
    Netherlands | 160.0 | 145.0

A row's numbers are money only where the caption or the column's header names a currency, and
a column counts only where its header says what the figures are (pledged, paid in, amount):
a table of beneficiaries or of tonnes gives nothing here. Which words say so is vocabulary
(`table_status_headers`, `table_amount_headers`, `table_total_labels` in cues.yml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from aidtracker.extract.context import DocContext
from aidtracker.extract.money import plain_number, unit_of
from aidtracker.records import Span
from aidtracker.types import Status

_BAR = "|"
_MIN_LINES = 3  # a header and two rows: fewer could be any lines with bars in them ("Newsroom | Contact")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Figure:
    """One money cell of a table row, with what its column and the table say of it."""

    sentence: int  # the row's sentence index
    label: Cell  # the row's first cell: who gave
    cell: Cell
    amount: Decimal
    currency: str
    status: Status | None  # None where the header names no status ("Amount (EUR)")
    others: tuple[Cell, ...]  # the row's text cells after the label: what the money was for
    caption: str  # the line above the header, or ""


def table_figures(ctx: DocContext, default_dollar: str = "USD") -> list[Figure]:
    """Every money cell of every flattened table in the article, row by row."""
    out: list[Figure] = []
    for block in _blocks(ctx):
        out.extend(_figures(ctx, block, default_dollar))
    return out


def table_rows(ctx: DocContext) -> set[int]:
    """The sentences that are lines of a flattened table: data, not prose to read agreements
    or events from ("UNHCR, partnership agreement | 1,065,000 | cash assistance")."""
    return {i for block in _blocks(ctx) for i in block}


def _cells(ctx: DocContext, i: int) -> list[Cell]:
    sent = ctx.sentences[i]
    cells: list[Cell] = []
    start = 0
    for part in sent.text.split(_BAR):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        at = sent.span.start + start + lead
        cells.append(Cell(stripped, Span(at, at + len(stripped))))
        start += len(part) + len(_BAR)
    return cells


def _blocks(ctx: DocContext) -> list[list[int]]:
    """Runs of consecutive lines with the same number of bars: a header and its rows."""
    blocks: list[list[int]] = []
    run: list[int] = []
    for i, sent in enumerate(ctx.sentences):
        bars = sent.text.count(_BAR) if "\n" not in sent.text else 0
        if bars and run and i == run[-1] + 1 and bars == ctx.sentences[run[0]].text.count(_BAR):
            run.append(i)
            continue
        blocks.append(run)
        run = [i] if bars else []
    blocks.append(run)
    return [b for b in blocks if len(b) >= _MIN_LINES]


def _has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _figures(ctx: DocContext, block: list[int], default_dollar: str) -> list[Figure]:
    cues = ctx.cues
    header = _cells(ctx, block[0])
    above = block[0] - 1
    caption = ctx.sentences[above].text if above >= 0 and _BAR not in ctx.sentences[above].text else ""
    table_unit = unit_of(caption, default_dollar=default_dollar, lang=ctx.lang)
    columns: dict[int, tuple[str, Decimal, Status | None]] = {}
    for k, cell in enumerate(header[1:], start=1):
        words = cell.text.lower()
        status = next((s for w, s in cues.table_status_headers.items() if _has_word(words, w)), None)
        amount = any(_has_word(words, w) for w in cues.table_amount_headers)
        unit = unit_of(cell.text, default_dollar=default_dollar, lang=ctx.lang) or (
            table_unit if status is not None or amount else None
        )
        if unit is not None:
            columns[k] = (unit[0], unit[1], status)
    if not columns:
        return []
    out: list[Figure] = []
    for i in block[1:]:
        if ctx.sentences[i].is_furniture:
            continue
        cells = _cells(ctx, i)
        if len(cells) != len(header) or not cells[0].text:
            continue
        label = cells[0]
        first = label.text.split()[0].lower().strip(".,:;") if label.text.split() else ""
        if first in cues.table_total_labels or label.text.lower() in cues.table_total_labels:
            continue  # "Total | 5,900,000 |": the sum of the rows, stated elsewhere if at all
        others = tuple(c for k, c in enumerate(cells[1:], start=1) if k not in columns and c.text)
        for k, (currency, scale, status) in columns.items():
            number = plain_number(cells[k].text, ctx.lang)
            if number is None or number == 0:
                continue
            out.append(Figure(i, label, cells[k], number * scale, currency, status, others, caption))
    return out
