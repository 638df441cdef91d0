"""Hostile input, end to end through the CLI: each file or argument gets a clear message or is
handled, and nothing else in the batch or the database is lost (counts compared before and after).

Unit-level cases live beside their code and are not repeated here: binary, empty, legacy and
BOM encodings, the oversize refusal's memory bound (tests/ingest/test_ingest_reading.py), bad
JSONL lines (test_ingest_jsonl_stdin.py), deep HTML (test_ingest_manifest_html.py), absurd
money in the money grammar (tests/extract/test_money.py, tests/trust/test_properties.py). This
module puts them all in one batch next to good documents and an existing, reviewed database.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from trust_corpus import write_corpus
from typer.testing import CliRunner, Result

from aidtracker import cli
from aidtracker.display import for_terminal
from aidtracker.records import Commitment
from aidtracker.review import record_review
from aidtracker.store import open_store

ENV: dict[str, str | None] = {"COLUMNS": "200", "TTY_COMPATIBLE": "0", "FORCE_COLOR": None, "AIDTRACKER_DB": None}

BIDI = "Japan will provide \u202e$5 million\u202c to Ukraine for demining, the ministry said on Monday."
CONTROLS = "Finland will send \x1b[2J\x1b[31m€3 million\x1b[0m\x07 to Ukraine for schools, officials said."


def run(*args: str | Path, input: str | None = None) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args], input=input, env=ENV)


def hostile_batch(folder: Path) -> dict[str, str]:
    """Write the batch; return each file's expected fate: "stored" or the reason it is skipped."""
    folder.mkdir()
    files: dict[str, tuple[bytes, str]] = {
        "good_a.txt": (b"Norway will provide NOK 100 million to Ukraine for demining, officials said.\n", "stored"),
        "good_b.md": (
            b"# Estonia sends aid\n\nEstonia will send 10 generators to Ukraine, the government said.\n",
            "stored",
        ),
        "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
        "zero.txt": (b"", "empty"),
        "utf16_without_bom.txt": ("Aid to Ukraine, in UTF-16.\n".encode("utf-16-le"), "binary file"),
        "not_utf8.txt": (b"Aid \xff\xfe\xfd to Ukraine \xc3\x28 was \xa0\xa1 pledged.\n", "stored"),  # read as cp1252
        "bidi.txt": (f"Japan funds demining\n{BIDI}\n".encode(), "stored"),
        "controls.txt": (f"Finland funds schools\n{CONTROLS}\n".encode(), "stored"),
        "absurd_money.txt": (
            b"Absurd sums\nThe fund said $1e308 billion would follow. Japan will provide $"
            + b"9" * 400
            + b" to Ukraine. Canada gives 1"
            + b"0" * 400
            + b" dollars to Ukraine.\n",
            "stored",
        ),
        "deep.html": (("<html><body>" + "<div>" * 50_000 + "<p>deep</p>" + "</div>" * 50_000).encode(), "unreadable"),
        "markup_heavy.html": (
            (
                "<html><head><title>Aid page</title></head><body>"
                + "<span class='x'></span>" * 100_000
                + "<article><p>Latvia will give €2 million to Ukraine for energy, the ministry said.</p></article>"
                + "</body></html>"
            ).encode(),
            "stored",
        ),
        "unknown.exe": (b"MZ\x90\x00", "ignored"),  # not a document type: a folder walk skips it silently
    }
    for name, (content, _) in files.items():
        (folder / name).write_bytes(content)
    with (folder / "sparse_200mb.txt").open("wb") as f:
        f.truncate(200_000_000)  # takes no disk; would read as 200 MB of NULs
    jsonl = [
        b'{"text": "Poland will send 5 ambulances to Ukraine, the government said.", "title": "Ambulances"}',
        b"{not json",
        b'["a list", "not an object"]',
        b'{"text": "broken \xff\xfe utf-8"}',
        b'{"title": "no text at all"}',
        b"",
    ]
    (folder / "mixed.jsonl").write_bytes(b"\n".join(jsonl) + b"\n")
    expected = {name: fate for name, (_, fate) in files.items()}
    expected["sparse_200mb.txt"] = "over the 50000000-byte limit"
    expected["mixed.jsonl:1"] = "stored"
    for line in (2, 3, 4, 5):
        expected[f"mixed.jsonl:{line}"] = "skipped"
    return expected


def counts(db: str) -> dict[str, Any]:
    with open_store(db) as store:
        return {"stats": store.stats(), "reviews": store.reviews(), "facts": store.facts()}


def test_a_hostile_batch_loses_nothing(db_url: str, tmp_path: Path) -> None:
    assert run("ingest", write_corpus(tmp_path / "corpus"), "--db", db_url).exit_code == 0
    with open_store(db_url) as store:
        record_review(store, "confirm", store.clusters("commitment")[0].id, by="alice")
    before = counts(db_url)

    expected = hostile_batch(tmp_path / "hostile")
    result = run("ingest", tmp_path / "hostile", "--db", db_url)
    assert result.exit_code == 1, result.output  # some inputs skipped, not all
    skipped = {
        line.split(" ", 2)[1].rstrip(":"): line for line in result.stderr.splitlines() if line.startswith("skipped")
    }
    for name, fate in expected.items():
        path = str(tmp_path / "hostile" / name)
        if fate == "stored" or fate == "ignored":
            assert path not in skipped, skipped.get(path)
        else:
            assert path in skipped, (name, result.stderr)
            if fate not in ("skipped", "unreadable"):
                assert fate in skipped[path], skipped[path]
    stored = sum(1 for fate in expected.values() if fate == "stored")
    assert f"{stored} added, 0 unchanged, {len(skipped)} skipped" in result.stdout

    after = counts(db_url)
    assert after["stats"]["documents"] == before["stats"]["documents"] + stored
    assert after["reviews"] == before["reviews"]
    assert [f for f in after["facts"] if f.doc_id in {g.doc_id for g in before["facts"]}] == before["facts"]
    for fact in after["facts"]:
        if isinstance(fact, Commitment) and fact.amount is not None:
            assert 0 < fact.amount <= 10**15, fact  # no "$1e308 billion", no 400-digit figure


def test_bidi_overrides_and_control_characters_are_kept_but_never_shown_raw(tmp_path: Path) -> None:
    db = str(tmp_path / "aid.db")
    expected = hostile_batch(tmp_path / "hostile")
    assert expected["bidi.txt"] == "stored"
    run("ingest", tmp_path / "hostile" / "bidi.txt", tmp_path / "hostile" / "controls.txt", "--db", db)
    with open_store(db) as store:
        texts = {Path(a.source).name: a.text for a in store.latest_articles()}
    assert BIDI in texts["bidi.txt"] and CONTROLS in texts["controls.txt"]  # stored verbatim
    for name in ("bidi.txt", "controls.txt"):
        shown = run("show", tmp_path / "hostile" / name, "--db", db)
        assert shown.exit_code == 0, shown.output
        assert "\u202e" not in shown.stdout and "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "⟨U+202E⟩$5 million⟨U+202C⟩" in run("show", tmp_path / "hostile" / "bidi.txt", "--db", db).stdout
    assert "⟨U+001B⟩[2J" in run("show", tmp_path / "hostile" / "controls.txt", "--db", db).stdout
    assert for_terminal("a\tb\nc\u2067d\x85") == "a\tb\nc⟨U+2067⟩d⟨U+0085⟩"


def test_a_10_mb_single_line_is_stored_verbatim(tmp_path: Path) -> None:
    line = "Japan pledges aid " + "and more words without any full stop " * 280_000
    (tmp_path / "one_line.txt").write_text(line + "\n", encoding="utf-8")
    db = str(tmp_path / "aid.db")
    result = run("ingest", tmp_path / "one_line.txt", "--no-extract", "--db", db)
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        (article,) = store.latest_articles()
        assert article.text == line + "\n" and len(article.text) > 10_000_000


def test_a_10_mb_single_line_does_not_stop_extraction_of_the_batch(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "batch", {"a_good.txt": "Norway will provide NOK 100 million to Ukraine.\n"})
    (folder / "b_one_line.txt").write_text("Aid " + "and more words " * 700_000 + "\n", encoding="utf-8")
    (folder / "c_good.txt").write_text("Estonia will send 10 generators to Ukraine.\n", encoding="utf-8")
    result = run("ingest", folder, "--db", str(tmp_path / "aid.db"))
    assert result.exit_code in (0, 1)
    with open_store(str(tmp_path / "aid.db")) as store:
        assert store.stats()["extracted"] >= 2


# CLI arguments that reach the store: each finds nothing (or is refused) and changes nothing.
INJECTIONS: list[tuple[list[str], int, str]] = [
    (["show", "doc_' OR 1=1 --"], 2, "error[AT301]: no document doc_' OR 1=1 --"),
    (["show", "../../etc/passwd"], 2, "error[AT301]: no document ../../etc/passwd"),
    (["show", "/etc/passwd"], 2, "error[AT301]: no document /etc/passwd"),
    (["show", "doc_%"], 2, "error[AT301]: no document doc_%"),
    (["extract", "doc_'; DELETE FROM documents; --"], 2, "error[AT301]: no document"),
    (["explain", "' OR '1'='1"], 2, "error[AT302]: no cluster or mention"),
    (["explain", "c_%%%%%%%%"], 2, "error[AT302]: no cluster or mention"),
    (["actors", "%' OR 1=1 --"], 0, "0 actors"),
    (["totals", "--donor", "'; DROP TABLE commitments; --", "--json"], 0, '"groups": []'),
    (["review", "log", "' OR 1=1 --"], 0, "0 reviews"),
    (["review", "confirm", "c_' OR 1=1 --", "--by", "eve"], 2, "error[AT502]: no fact or cluster"),
    (["review", "confirm", "../../etc/passwd", "--by", "eve"], 2, "error[AT502]: no fact or cluster"),
    (["review", "confirm", "c_x", "--by", "eve'; DROP TABLE reviews; --"], 2, "error[AT700]"),
    (["user", "add", "'; DROP TABLE users; --", "--role", "admin"], 2, "error[AT700]"),
    (["user", "revoke", "' OR 1=1 --"], 2, "error[AT700]: no user"),
    (["restore", "../../etc/passwd", "--yes"], 2, "error[AT310]"),
]


@pytest.mark.parametrize(("args", "code", "message"), INJECTIONS, ids=[" ".join(a)[:40] for a, _, _ in INJECTIONS])
def test_injection_and_traversal_in_arguments_find_nothing(
    db_url: str, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    assert run("ingest", write_corpus(tmp_path / "corpus"), "--db", db_url).exit_code == 0
    with open_store(db_url) as store:
        record_review(store, "confirm", store.clusters("commitment")[0].id, by="alice")
    before = counts(db_url)
    if args[0] == "restore" and db_url.startswith("postgresql"):
        pytest.skip("restore of a file that is not a dump is tested on SQLite")
    result = run(*args, "--db", db_url)
    assert result.exit_code == code, result.output
    assert message in (result.stdout if code == 0 else result.stderr), result.output
    if code:
        assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1  # one line, no traceback
    assert counts(db_url) == before
    if args[0] == "totals":
        assert json.loads(result.stdout)["groups"] == []
    assert not re.search(r"Traceback|sqlalchemy|psycopg", result.output)
