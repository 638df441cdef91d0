"""The `aidtracker` command line, end to end: what a user types and what they are told.

Each test drives the Typer app in-process (CliRunner) against a database in `tmp_path`;
the ingest round trip also runs on PostgreSQL when `AIDTRACKER_TEST_PG_URL` is set (the
`db_url` fixture in tests/conftest.py). The articles are made up, a few lines each.
"""

from __future__ import annotations

import builtins
import csv
import json
import random
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

import aidtracker.ingest.files
from aidtracker import cli
from aidtracker.evaluate import FACT_TYPES

# Plain output, wide enough that no title wraps, whatever the terminal running the tests.
ENV: dict[str, str | None] = {
    "COLUMNS": "200",
    "TTY_COMPATIBLE": "0",
    "FORCE_COLOR": None,
    "AIDTRACKER_DB": None,
}

ARTICLES = {
    "de_grid.txt": (
        "Germany pledges €50 million for Ukraine's power grid\n"
        "BERLIN, 4 March 2024 — Germany pledged €50 million to Ukraine on Monday to repair power stations "
        "damaged by Russian strikes, the economy ministry said.\n"
        "Advertisement\n"
    ),
    "ca_demining.txt": (
        "Canada to fund demining in Kharkiv region\n"
        "OTTAWA, 12 April 2024 — Canada will provide C$15 million to Ukraine for humanitarian demining "
        "in the Kharkiv region, the foreign ministry announced on Friday.\n"
    ),
    "se_ambulances.md": (
        "Sweden sends 20 ambulances to Ukraine\n"
        "STOCKHOLM, 2 May 2024 — Sweden will send 20 ambulances to Ukraine this month, "
        "the government said in a statement.\n"
    ),
}
TITLES = [text.split("\n", 1)[0] for text in ARTICLES.values()]


def run(*args: str | Path, input: str | None = None, **env: str | None) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args], input=input, env={**ENV, **env})


def write_articles(folder: Path, articles: dict[str, str] = ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def stats(db: str) -> dict[str, Any]:
    result = run("stats", "--db", db)
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def docs_rows(db: str) -> dict[str, list[str]]:
    """The `docs` table as {title: cells}, read back from its plain-text rendering."""
    result = run("docs", "--db", db)
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.stdout.splitlines():
        if line.startswith("doc_"):
            cells = re.split(r"\s{2,}", line.strip())
            rows[cells[3]] = cells
    return rows


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


# ----------------------------------------------------------------------------- ingest


def test_ingest_a_folder_then_again_then_a_changed_file(db_url: str, tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "articles")

    first = run("ingest", folder, "--db", db_url)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("3 added, 0 unchanged")
    rows = docs_rows(db_url)
    assert sorted(rows) == sorted(TITLES)
    assert {cells[1] for cells in rows.values()} == {"1"}
    assert rows[TITLES[0]][2] == "2024-03-04"  # the dateline's date

    again = run("ingest", folder, "--db", db_url)
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("0 added, 3 unchanged")
    assert "facts from" not in again.stdout  # nothing was extracted again
    counts = stats(db_url)
    assert counts["documents"] == 3 and counts["versions"] == 0 and counts["sources"] == 3

    changed = folder / "de_grid.txt"
    changed.write_text(ARTICLES["de_grid.txt"].replace("€50 million", "€60 million"), encoding="utf-8")
    third = run("ingest", folder, "--db", db_url)
    assert third.exit_code == 0, third.output
    assert third.stdout.startswith("0 added, 2 unchanged, 1 new version")
    rows = docs_rows(db_url)
    assert rows["Germany pledges €60 million for Ukraine's power grid"][1] == "2"
    counts = stats(db_url)
    assert counts["documents"] == 4 and counts["versions"] == 1 and counts["sources"] == 3


def test_ingest_reports_each_bad_file_once_and_keeps_the_good_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLES["de_grid.txt"], encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes(
        "Swiss envoy visits Kyiv\nThe envoy met Ukrainian officials in a Zürich café before the trip.\n".encode(
            "latin-1"
        )
    )
    # Invalid UTF-8 that is no text in any encoding either: seeded noise without NUL bytes.
    noise = random.Random(20240304).randbytes(4000).replace(b"\x00", b"\x01")
    (folder / "invalid_utf8.txt").write_bytes(noise)
    big = folder / "big.txt"
    with big.open("w", encoding="utf-8") as f:
        f.write("A headline\nSome text before two hundred megabytes of nothing.\n")
        f.truncate(200_000_000)  # sparse: costs no disk, but stat says 200 MB

    opened: list[str] = []

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(aidtracker.ingest.files, "open", spy, raising=False)
    db = tmp_path / "aid.db"
    result = run("ingest", folder, "--db", db)

    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("2 added, 0 unchanged, 4 skipped")
    lines = error_lines(result)
    reasons = {
        "binary.txt": "binary",
        "empty.txt": "empty",
        "invalid_utf8.txt": "not UTF-8",
        "big.txt": "200000000 bytes, over the 50000000-byte limit",
    }
    assert len(lines) == len(reasons), lines
    for name, reason in reasons.items():
        (line,) = [x for x in lines if f"{folder / name}:" in x]
        assert line.startswith("skipped ") and reason in line, line
    assert str(big) not in opened  # refused on its size, before a byte was read
    assert str(folder / "good.txt") in opened  # (so the spy does see the reads)

    shown = run("show", folder / "latin1.txt", "--db", db)
    assert shown.exit_code == 0, shown.output
    assert "Zürich café" in shown.stdout
    assert stats(str(db))["documents"] == 2


def test_ingest_exits_2_when_every_input_fails(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    result = run("ingest", folder, tmp_path / "missing.txt", "--db", tmp_path / "aid.db")
    assert result.exit_code == 2, result.output
    assert result.stdout.startswith("0 added, 0 unchanged, 3 skipped")
    lines = error_lines(result)
    assert len(lines) == 3
    assert any("missing.txt: no such file or folder" in x for x in lines)


def test_mostly_utf8_file_with_one_bad_byte_keeps_its_accents(tmp_path: Path) -> None:
    path = tmp_path / "damaged.txt"
    path.write_bytes("Swiss envoy visits Kyiv\nA meeting in a Zürich café.\n".encode() + b"\xff\n")
    db = tmp_path / "aid.db"
    assert run("ingest", path, "--db", db).exit_code == 0
    assert "Zürich café" in run("show", path, "--db", db).stdout


def test_ingest_stdin_as_plain_text(tmp_path: Path) -> None:
    db = tmp_path / "aid.db"
    result = run("ingest", "-", "--db", db, input=ARTICLES["ca_demining.txt"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 added")
    (cells,) = docs_rows(str(db)).values()
    assert cells[3] == "Canada to fund demining in Kharkiv region"
    assert cells[4] == "stdin"


def test_ingest_stdin_as_jsonl(tmp_path: Path) -> None:
    db = tmp_path / "aid.db"
    lines = [
        {"text": ARTICLES["se_ambulances.md"], "title": "Sweden sends 20 ambulances to Ukraine"},
        {
            "text": "Norway gives NOK 100 million for Ukraine's schools.",
            "title": "Norway funds schools",
            "published": "2024-06-01",
            "url": "https://news.example/no-schools",
        },
    ]
    stdin = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    result = run("ingest", "-", "--db", db, input=stdin)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 added")
    rows = docs_rows(str(db))
    assert sorted(rows) == ["Norway funds schools", "Sweden sends 20 ambulances to Ukraine"]
    assert rows["Norway funds schools"][2] == "2024-06-01"
    assert rows["Norway funds schools"][4] == "stdin:2"  # one document per line


# ------------------------------------------------------------------------ show, extract


@pytest.fixture
def ingested(tmp_path: Path) -> tuple[Path, Path]:
    """A database holding the three articles, and their folder."""
    folder = write_articles(tmp_path / "articles")
    db = tmp_path / "aid.db"
    assert run("ingest", folder, "--db", db).exit_code == 0
    return db, folder


def test_show_prints_the_text_with_furniture_marked(ingested: tuple[Path, Path]) -> None:
    db, folder = ingested
    result = run("show", folder / "de_grid.txt", "--db", db)
    assert result.exit_code == 0, result.output
    body = ARTICLES["de_grid.txt"].replace("Advertisement", "⟦Advertisement⟧")
    assert body in result.stdout  # verbatim, not re-wrapped, furniture bracketed
    text, _legend = result.stdout.split("⟦…⟧: page furniture")
    assert text.count("⟦") == 1
    assert re.search(r"^commitment Germany → Ukraine: EUR 50,000,000", result.stdout, re.M)


def test_show_strikes_furniture_through_on_a_terminal(
    ingested: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, folder = ingested
    monkeypatch.setattr(cli.documents, "out", Console(force_terminal=True, color_system="standard", width=200))
    result = run("show", folder / "de_grid.txt", "--db", db, "--no-facts")
    assert result.exit_code == 0, result.output
    assert re.search(r"\x1b\[(?:[\d;]*;)?9(?:;[\d;]*)?mAdvertisement", result.stdout)  # SGR 9: struck through
    assert "⟦" not in result.stdout
    assert "commitment" not in result.stdout


def test_show_finds_a_document_by_id_prefix(ingested: tuple[Path, Path]) -> None:
    db, _ = ingested
    doc_id = docs_rows(str(db))[TITLES[1]][0]
    result = run("show", doc_id, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(TITLES[1] + "\n")


def test_show_an_unknown_document(ingested: tuple[Path, Path]) -> None:
    db, _ = ingested
    result = run("show", "no-such-doc", "--db", db)
    assert result.exit_code == 2
    assert error_lines(result) == ["error[AT301]: no document no-such-doc"]
    assert result.stdout == ""


def test_extract_again_replaces_and_counts(ingested: tuple[Path, Path]) -> None:
    db, _ = ingested
    before = stats(str(db))["facts"]
    result = run("extract", "--db", db)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"{sum(before.values())} facts from 3 documents\n", result.stdout)
    assert stats(str(db))["facts"] == before  # replaced, not added to
    assert run("extract", "nope", "--db", db).exit_code == 2


def test_stats_is_json_with_document_and_fact_counts(ingested: tuple[Path, Path]) -> None:
    db, _ = ingested
    counts = stats(str(db))
    assert counts["documents"] == 3
    assert counts["sources"] == 3
    assert counts["extracted"] == 3
    assert set(counts["facts"]) == {"commitments", "agreements", "events", "people"}
    assert counts["facts"]["commitments"] >= 2  # Germany's €50m and Canada's C$15m
    assert counts["published"] == {"first": "2024-03-04", "last": "2024-05-02"}


# ------------------------------------------------------------------------------- demo


def test_demo_stores_the_samples_and_ends_with_them_listed(tmp_path: Path) -> None:
    samples = resources.files("aidtracker") / "samples"
    manifest = list(csv.DictReader(samples.joinpath("SOURCES.tsv").read_text("utf-8").splitlines(), delimiter="\t"))
    db = tmp_path / "demo.db"
    result = run("demo", AIDTRACKER_DB=str(db))  # the database from the environment this time
    assert result.exit_code == 0, result.output
    assert db.exists()
    out = result.stdout
    assert f"{len(manifest)} added, 0 unchanged" in out
    listed = out.index(f"\n{len(manifest)} documents\n")
    for row in manifest:
        assert -1 < out.index(row["title"]) < listed, row["title"]
    assert re.search(r"^  \S.* → Ukraine: ", out[listed:], re.M)  # then what it found
    again = run("demo", "--db", db)
    assert f"0 added, {len(manifest)} unchanged" in again.stdout


# ------------------------------------------------------------------------------- eval

GOLD_DOC = (
    "Germany pledges €50 million for Ukraine's power grid\n"
    "BERLIN, 4 March 2024 — Germany pledged €50 million to Ukraine on Monday to repair power stations, "
    "Economy Minister Robert Habeck said.\n"
)
DISTRACTOR_DOC = (
    "Germany's budget debate\n"
    "BERLIN, 5 March 2024 — Germany pledged €50 million to Ukraine. Parliament debated the budget all day.\n"
)


@pytest.fixture
def gold(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A docs folder, a gold file and a distractor list that (wrongly) names a real pledge."""
    docs = write_articles(tmp_path / "docs", {"de_grid.txt": GOLD_DOC, "de_budget.txt": DISTRACTOR_DOC})
    records = [
        {
            "doc": "de_grid",
            "type": "commitment",
            "donor": "Germany",
            "recipient": "Ukraine",
            "amount": 50_000_000,
            "currency": "EUR",
            "scope": "new",
            "status": "pledged",
            "evidence": "Germany pledged €50 million to Ukraine on Monday",
        },
        {
            "doc": "de_grid",
            "type": "person",
            "name": "Robert Habeck",
            "aliases": [],
            "evidence": "Economy Minister Robert Habeck said",
        },
    ]
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    distractors = tmp_path / "distractors.tsv"
    distractors.write_text(
        "doc\tsentence\twhy_not_a_commitment\nde_budget\tGermany pledged €50 million to Ukraine.\ttest\n",
        encoding="utf-8",
    )
    return docs, gold_file, distractors


def test_eval_json_scores_every_fact_type(gold: tuple[Path, Path, Path]) -> None:
    docs, gold_file, _ = gold
    result = run("eval", "--gold", gold_file, "--docs", docs, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # exactly one JSON object
    for fact_type in FACT_TYPES:
        assert {"precision", "recall", "f1"} <= set(report[fact_type]), fact_type
    assert report["commitment"]["tp"] == 1 and report["commitment"]["fn"] == 0
    assert report["person"]["recall"] == 1.0
    assert report["distractors_extracted"] == 0  # none were given


def test_eval_writes_predictions_in_the_gold_format(gold: tuple[Path, Path, Path], tmp_path: Path) -> None:
    docs, gold_file, _ = gold
    predictions = tmp_path / "out" / "predicted.jsonl"
    predictions.parent.mkdir()
    result = run("eval", "--gold", gold_file, "--docs", docs, "--predictions", predictions)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    assert {r["doc"] for r in records} == {"de_grid", "de_budget"}  # file names without extension
    assert all(r["type"] in FACT_TYPES and r["evidence"] for r in records)
    germany = [r for r in records if r["doc"] == "de_grid" and r["type"] == "commitment"]
    assert [(r["donor"], r["amount"], r["currency"]) for r in germany] == [("Germany", 50_000_000, "EUR")]


def test_eval_reports_a_distractor_that_yields_a_commitment(gold: tuple[Path, Path, Path]) -> None:
    docs, gold_file, distractors = gold
    as_json = run("eval", "--gold", gold_file, "--docs", docs, "--distractors", distractors, "--json")
    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.stdout)
    assert report["distractors_extracted"] == 1
    (hit,) = report["distractor_hits"]
    assert hit["doc"] == "de_budget" and hit["sentence"] == "Germany pledged €50 million to Ukraine."
    tables = run("eval", "--gold", gold_file, "--docs", docs, "--distractors", distractors)
    assert "distractor extracted de_budget: Germany pledged €50 million to Ukraine." in tables.stdout
    assert "distractors extracted: 1" in tables.stdout


def test_eval_with_a_broken_gold_file(gold: tuple[Path, Path, Path], tmp_path: Path) -> None:
    docs, _, _ = gold
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"doc": "x", "type": "commitment"}\nnot json\n', encoding="utf-8")
    result = run("eval", "--gold", broken, "--docs", docs)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert line.startswith(f"error[AT400]: {broken}:2: not JSON")


# --------------------------------------------------------------------------- databases


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("foo://nowhere", "unsupported database 'foo'"),
        ("postgresql+psycopg://someone:s3cret@127.0.0.1:1/none", "Connection refused"),
        ("/no/such/folder/aid.db", "unable to open database file"),
    ],
)
def test_a_bad_database_is_one_line_and_exit_2(url: str, expected: str) -> None:
    result = run("docs", "--db", url)
    assert result.exit_code == 2
    (line,) = error_lines(result)
    assert line.startswith("error[AT300]: ") and expected in line
    assert "s3cret" not in result.output  # the password never reaches the screen
