"""Writing `Table`s as CSV, JSON, Parquet or Excel, each value as the format best keeps it.

Amounts are exact everywhere a format allows: CSV and JSON carry decimal strings ("12100000000"),
Parquet a decimal128(38, 4) column (the store's own precision), Excel a number. Lists (sectors,
parties, aliases) are JSON and Parquet lists, and "; "-joined text in CSV and Excel.

Article text is untrusted: Excel would run a cell that starts with "=" as a formula, so every
text cell is written as text; CSV keeps values byte for byte, as a data format must.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from aidtracker.export.tables import ColumnType, Table
from aidtracker.store.tables import plain

LIST_SEPARATOR = "; "
EXCEL_MAX_CHARS = 32_767  # characters a cell holds


def _text_value(value: Any, kind: ColumnType) -> str:
    """A value as CSV text: empty for none, amounts plain, dates ISO, lists joined."""
    if value is None:
        return ""
    if kind == "list":
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


def write_csv(table: Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([name for name, _ in table.columns])
        for row in table.rows:
            writer.writerow([_text_value(row.get(name), kind) for name, kind in table.columns])


def json_rows(table: Table) -> list[dict[str, Any]]:
    return [{name: _json_value(row.get(name)) for name, _ in table.columns} for row in table.rows]


def write_json(payload: Any, path: Path) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_parquet(table: Table, path: Path) -> None:
    """One Parquet file per table; pyarrow is imported here so other formats never load it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types: dict[ColumnType, Any] = {
        "text": pa.string(),
        "decimal": pa.decimal128(38, 4),
        "date": pa.date32(),
        "int": pa.int64(),
        "float": pa.float64(),
        "list": pa.list_(pa.string()),
    }
    quantum = Decimal("0.0001")
    columns = {}
    for name, kind in table.columns:
        values = [row.get(name) for row in table.rows]
        if kind == "decimal":
            values = [v.quantize(quantum, rounding=ROUND_HALF_EVEN) if v is not None else None for v in values]
        elif kind == "list":
            values = [[str(x) for x in v] if v is not None else None for v in values]
        columns[name] = pa.array(values, type=types[kind])
    schema = pa.schema([(name, types[kind]) for name, kind in table.columns])
    pq.write_table(pa.table(columns, schema=schema), path)


def write_xlsx(tables: list[Table], path: Path) -> None:
    """One workbook, a sheet per table, header row frozen; every text cell typed as text."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # the default, empty sheet
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append([name for name, _ in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for r, row in enumerate(table.rows, start=2):
            for c, (name, kind) in enumerate(table.columns, start=1):
                value = row.get(name)
                if value is None:
                    continue
                if kind in ("text", "list"):
                    text = ILLEGAL_CHARACTERS_RE.sub("", _text_value(value, kind))[:EXCEL_MAX_CHARS]
                    cell = sheet.cell(row=r, column=c)
                    cell.value = text
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                else:
                    sheet.cell(row=r, column=c, value=value)
    book.save(path)
