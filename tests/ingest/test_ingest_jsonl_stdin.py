"""JSON Lines files and standard input: one record per line, bad lines reported one by one."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from aidtracker.errors import InputError, InputTooLarge, UnreadableInput
from aidtracker.ingest import iter_articles
from aidtracker.records import Article
from aidtracker.types import DateSource

BODY = (
    "Estonia will send winter clothing worth €2 million to Ukraine, the defence ministry in Tallinn said on Thursday."
)


def record(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_records_become_articles_with_line_sources(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "feed.jsonl",
        record(
            text=f"Estonia sends winter aid to Ukraine\n\n{BODY}",
            title="Estonia sends winter aid to Ukraine",
            url="https://news.example/ee-winter",
            published="2024-01-11T08:30:00Z",
            publisher="Example Wire",
        ),
        "",
        record(text=BODY),
    )
    first, second = iter_articles([str(path)])
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.source == f"{path}:1"
    assert second.source == f"{path}:3"  # blank line 2 skipped, numbering kept
    assert first.format == "jsonl"
    assert first.title == "Estonia sends winter aid to Ukraine"
    assert first.title_span is not None
    assert first.text[first.title_span.start : first.title_span.end] == first.title
    assert first.url == "https://news.example/ee-winter"
    assert first.published == date(2024, 1, 11)
    assert first.published_how is DateSource.METADATA
    assert first.publisher == "Example Wire"
    assert second.title is None  # a body paragraph is not a headline


def test_bad_lines_are_reported_and_the_file_goes_on(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "feed.jsonl",
        record(text=BODY),
        '{"text": "unterminated',
        record(title="no text here"),
        record(text=42),
        '["a", "list"]',
        record(text="   "),
        record(text=BODY, title=7),
        record(text=BODY + " Again."),
    )
    results = list(iter_articles([str(path)]))
    assert [type(r).__name__ for r in results] == ["Article"] + ["UnreadableInput"] * 6 + ["Article"]
    errors = [r for r in results if isinstance(r, InputError)]
    assert [e.source for e in errors] == [f"{path}:{n}" for n in range(2, 8)]
    assert "not valid JSON" in errors[0].reason
    assert 'no "text"' in errors[1].reason
    assert '"text" is a int' in errors[2].reason
    assert "not a JSON object" in errors[3].reason
    assert "empty" in errors[4].reason
    assert '"title"' in errors[5].reason
    assert all("\n" not in str(e) for e in errors)


def test_unreadable_published_value_falls_back_to_the_text(tmp_path: Path) -> None:
    text = f"Estonia sends winter aid to Ukraine\n\nJanuary 11, 2024 8:30 AM\n\n{BODY}"
    path = write_lines(tmp_path / "f.jsonl", record(text=text, published="sometime"))
    (got,) = iter_articles([str(path)])
    assert isinstance(got, Article)
    assert got.published == date(2024, 1, 11)
    assert got.published_how is DateSource.DATELINE


def test_a_line_over_the_limit_is_skipped_without_reading_it_whole(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "f.jsonl", record(text="x" * 5000), record(text=BODY))
    too_long, fine = iter_articles([str(path)], max_bytes=1000)
    assert isinstance(too_long, InputTooLarge) and too_long.source == f"{path}:1"
    assert isinstance(fine, Article) and fine.source == f"{path}:2"


def test_invalid_utf8_spoils_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(record(text=BODY).encode() + b"\n" + b'{"text": "caf\xe9"}\n' + record(text="Ok.").encode())
    good, bad, last = iter_articles([str(path)])
    assert isinstance(good, Article) and isinstance(last, Article)
    assert isinstance(bad, UnreadableInput) and bad.source == f"{path}:2"
    assert "UTF-8" in bad.reason


def test_whitespace_only_and_binary_jsonl_files(tmp_path: Path) -> None:
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n  \n\n", encoding="utf-8")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\x00\x01{}\x00")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    results = list(iter_articles([str(blank), str(binary), str(empty)]))
    assert all(isinstance(r, UnreadableInput) for r in results)
    assert ["white space" in r.reason for r in results] == [True, False, False]
    assert "binary" in results[1].reason
    assert "empty" in results[2].reason


def test_jsonl_with_byte_order_marks(tmp_path: Path) -> None:
    utf8 = tmp_path / "bom8.jsonl"
    utf8.write_bytes(b"\xef\xbb\xbf" + record(text=BODY).encode() + b"\n")
    utf16 = tmp_path / "bom16.jsonl"
    utf16.write_bytes((record(text=BODY) + "\n" + record(text="Two.") + "\n").encode("utf-16"))
    results = list(iter_articles([str(utf8), str(utf16)]))
    assert [r.text for r in results if isinstance(r, Article)] == [BODY, BODY, "Two."]


def test_stdin_text() -> None:
    text = f"Estonia sends winter aid to Ukraine\r\n\r\n{BODY}\r\n"
    (got,) = iter_articles(["-"], stdin=io.StringIO(text))
    assert isinstance(got, Article)
    assert got.source == "stdin"
    assert got.text == text.replace("\r\n", "\n")
    assert got.title == "Estonia sends winter aid to Ukraine"


def test_stdin_jsonl() -> None:
    stream = io.StringIO("\n" + record(text=BODY) + "\nnot json\n" + record(text="Two.") + "\n")
    results = list(iter_articles(["-"], stdin=stream))
    assert [r.source for r in results] == ["stdin:2", "stdin:3", "stdin:4"]
    assert [type(r).__name__ for r in results] == ["Article", "UnreadableInput", "Article"]


def test_stdin_html() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Estonia sends winter aid</title></head><body>"
        f"<article><h1>Estonia sends winter aid</h1><p>{BODY}</p></article></body></html>"
    )
    (got,) = iter_articles(["-"], stdin=io.StringIO(page))
    assert isinstance(got, Article)
    assert got.format == "html"
    assert got.title == "Estonia sends winter aid"


def test_stdin_bad_input() -> None:
    (empty,) = iter_articles(["-"], stdin=io.StringIO("  \n"))
    (large,) = iter_articles(["-"], stdin=io.StringIO(BODY * 10), max_bytes=100)
    assert isinstance(empty, UnreadableInput) and empty.source == "stdin"
    assert isinstance(large, InputTooLarge)


def test_stdin_mixed_with_files(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")
    sources = [r.source for r in iter_articles([str(path), "-"], stdin=io.StringIO(BODY))]
    assert sources == [str(path), "stdin"]
