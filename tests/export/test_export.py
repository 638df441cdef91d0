"""Exports in every format over the written articles, on each backend: what goes in comes back out.

Each format is read back with its own reader (csv, json, pyarrow, openpyxl) and compared with
what the store holds, amounts exactly.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from aidtracker import cli
from aidtracker.errors import ExportError
from aidtracker.export import export
from aidtracker.export.formats import write_xlsx
from aidtracker.export.tables import Table
from aidtracker.store import Store, open_store

TABLES = ["commitments", "commitment_mentions", "agreements", "events", "actors"]


@pytest.fixture(scope="module")
def store(written_db: str) -> Iterator[Store]:
    with open_store(written_db) as opened:
        yield opened


def japan_row(rows: list[dict[str, object]]) -> dict[str, object]:
    (row,) = [r for r in rows if r["donor"] == "Japan"]
    return row


def test_csv_has_a_file_per_table_with_exact_amounts(store: Store, tmp_path: Path) -> None:
    written = export(store, "csv", tmp_path / "out")
    assert [p.name for p in written] == [f"{t}.csv" for t in TABLES]
    with (tmp_path / "out" / "commitments.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(store.clusters("commitment")) == 5
    jp = japan_row(rows)  # type: ignore[arg-type]
    assert (jp["amount"], jp["currency"], jp["sectors"], jp["n_mentions"]) == ("15000000000", "JPY", "energy", "2")
    with (tmp_path / "out" / "commitment_mentions.csv").open(encoding="utf-8", newline="") as f:
        mentions = list(csv.DictReader(f))
    assert len(mentions) == 6
    assert {m["url"] for m in mentions if m["donor"] == "Japan"} == {
        "https://asiawire.example.com/2024/02/19/japan-grant",
        "https://tokyodaily.example.com/energy-grant",
    }
    for m in mentions:
        assert m["evidence_text"] and int(m["evidence_start"]) < int(m["evidence_end"])


def test_json_as_one_file_or_a_folder(store: Store, tmp_path: Path) -> None:
    (one,) = export(store, "json", tmp_path / "aid.json")
    data = json.loads(one.read_text(encoding="utf-8"))
    assert list(data) == TABLES
    jp = japan_row(data["commitments"])
    assert jp["amount"] == "15000000000" and jp["sectors"] == ["energy"] and jp["date"] == "2024-02-19"
    folder = export(store, "json", tmp_path / "json", kind="events")
    assert [p.name for p in folder] == ["events.json"]
    (event,) = json.loads(folder[0].read_text(encoding="utf-8"))
    assert event["participants"] == ["Fumio Kishida"]


def test_parquet_keeps_types(store: Store, tmp_path: Path) -> None:
    export(store, "parquet", tmp_path / "pq")
    table = pq.read_table(tmp_path / "pq" / "commitments.parquet")
    assert table.schema.field("amount").type == pa.decimal128(38, 4)
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("sectors").type == pa.list_(pa.string())
    jp = japan_row(table.to_pylist())
    assert jp["amount"] == Decimal("15000000000") and jp["sectors"] == ["energy"]
    (one,) = export(store, "parquet", tmp_path / "actors.parquet", kind="actors")
    assert pq.read_table(one).num_rows == len(store.actors())


def test_xlsx_has_a_sheet_per_table(store: Store, tmp_path: Path) -> None:
    (book_path,) = export(store, "xlsx", tmp_path / "aid.xlsx")
    book = load_workbook(book_path)
    assert book.sheetnames == TABLES
    sheet = book["commitments"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    jp = japan_row(rows)
    assert jp["amount"] == 15000000000 and jp["sectors"] == "energy"
    assert export(store, "xlsx", tmp_path / "folder")[0].name == "aidtracker.xlsx"


def test_xlsx_never_turns_text_into_a_formula(tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://evil.example","click")'
    table = Table("t", (("text", "text"), ("list", "list")), [{"text": hostile, "list": ["@SUM(1)", "x\x07y"]}])
    write_xlsx([table], tmp_path / "t.xlsx")
    cell = load_workbook(tmp_path / "t.xlsx")["t"]["A2"]
    assert cell.value == hostile and cell.data_type == "s"
    assert load_workbook(tmp_path / "t.xlsx")["t"]["B2"].value == "@SUM(1); xy"


@pytest.mark.parametrize(
    ("fmt", "out", "kind", "says"),
    [
        ("yaml", "x", "all", "no export format"),
        ("csv", "x", "people", "no export of"),
        ("csv", "one.csv", "all", "give a folder"),
        ("iati", "x.xml", "events", "no IATI form"),
    ],
)
def test_exports_that_cannot_be_written_say_why(
    store: Store, tmp_path: Path, fmt: str, out: str, kind: str, says: str
) -> None:
    with pytest.raises(ExportError, match=says):
        export(store, fmt, tmp_path / out, kind=kind)


def test_a_folder_that_is_a_file_is_refused(store: Store, tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("", encoding="utf-8")
    with pytest.raises(ExportError, match="is a file"):
        export(store, "csv", tmp_path / "taken")


def test_the_export_command(written_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli.app, ["export", "--format", "csv", "--out", str(tmp_path / "o"), "--db", written_db])
    assert ok.exit_code == 0, ok.output
    assert ok.output.split() == [str(tmp_path / "o" / f"{t}.csv") for t in TABLES]
    args = ["export", "--format", "iati", "--kind", "events", "--out", str(tmp_path / "x.xml"), "--db", written_db]
    bad = runner.invoke(cli.app, args)
    assert bad.exit_code == 2 and "error[AT600]" in bad.output
