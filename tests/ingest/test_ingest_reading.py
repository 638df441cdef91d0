"""Reading files and folders: formats, decoding, and every kind of bad input.

Each bad input must come back as an `InputError` naming the file while the batch goes on.
The texts here are written for these tests.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from aidtracker.errors import InputError, InputTooLarge, UnreadableInput
from aidtracker.ingest import iter_articles
from aidtracker.records import Article

ARTICLE = (
    "Finland pledges €50 million to repair Ukraine's power grid\n"
    "\n"
    "Finland will give €50 million to help repair the electricity network of Ukraine, the "
    "foreign ministry in Helsinki said on Sunday after a meeting of donors.\n"
)
LATIN = (
    "Zürich café owners raise funds for Kyiv hospitals\n\n"
    "A café in Zürich collected CHF 20,000 for hospitals in Kyiv, its owner said.\n"
)


def read(*paths: Path | str, max_bytes: int = 50_000_000) -> list[Article | InputError]:
    return list(iter_articles([str(p) for p in paths], max_bytes=max_bytes))


def only(results: list[Article | InputError]) -> Article | InputError:
    assert len(results) == 1, results
    return results[0]


def article(results: list[Article | InputError]) -> Article:
    result = only(results)
    assert isinstance(result, Article), result
    return result


def error(results: list[Article | InputError]) -> InputError:
    result = only(results)
    assert isinstance(result, InputError), result
    return result


def test_text_file_is_kept_verbatim(tmp_path: Path) -> None:
    text = "  Indented headline that keeps its spaces  \n\nBody   with  odd   spacing.  \n\n\n"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    got = article(read(path))
    assert got.text == text
    assert got.source == str(path)
    assert got.format == "text"
    assert got.language == "en"
    assert got.id.startswith("doc_")


def test_crlf_and_lone_cr_become_lf_and_nothing_else_changes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8") + b"Old Mac line\rend\r\n")
    got = article(read(path))
    assert got.text == ARTICLE + "Old Mac line\nend\n"


def test_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Aid talks\n\nDonors met in Oslo on Monday to discuss aid.\n", encoding="utf-8")
    got = article(read(path))
    assert got.format == "markdown"
    assert got.title == "Aid talks"
    assert got.title_span is not None
    assert got.text[got.title_span.start : got.title_span.end] == "Aid talks"


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    err = error(read(path))
    assert isinstance(err, UnreadableInput)
    assert "binary" in err.reason
    assert str(path) in str(err)


def test_control_characters_without_nul_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 32)) * 40)
    assert "binary" in error(read(path)).reason


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  \r\n"], ids=["empty", "white-space"])
def test_empty_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    err = error(read(path))
    assert isinstance(err, UnreadableInput)
    assert "empty" in err.reason


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_single_byte_text_decodes(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(LATIN.encode(encoding))
    got = article(read(path))
    assert got.text == LATIN
    assert "Zürich café" in got.text


def test_cp1252_punctuation_decodes(tmp_path: Path) -> None:
    text = "Donors pledge “more” – €5 million, says minister\n\nThe minister said so.\n"
    path = tmp_path / "quotes.txt"
    path.write_bytes(text.encode("cp1252"))
    assert article(read(path)).text == text


def test_cyrillic_legacy_encoding_is_detected(tmp_path: Path) -> None:
    text = (
        "Японія виділить Україні 5 мільйонів доларів на відновлення енергетики\n\n"
        "Кошти підуть на ремонт підстанцій у Києві та Харкові, повідомило міністерство.\n"
    )
    path = tmp_path / "uk.txt"
    path.write_bytes(text.encode("cp1251"))
    assert article(read(path)).text == text


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_byte_order_marks(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + ARTICLE.encode(encoding))
    got = article(read(path))
    assert got.text == ARTICLE  # the mark itself is not text
    assert got.title == "Finland pledges €50 million to repair Ukraine's power grid"


def test_utf16_without_bom_is_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes(ARTICLE.encode("utf-16-le"))
    assert "binary" in error(read(path)).reason


def test_oversize_file_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(200_000_000)  # sparse: takes no disk, and would read as 200 MB of NULs
    tracemalloc.start()
    try:
        err = error(read(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(err, InputTooLarge)
    assert "200000000" in err.reason and "50000000" in err.reason
    assert peak < 5_000_000


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert isinstance(error(read(path, max_bytes=50)), InputTooLarge)
    assert isinstance(only(read(path, max_bytes=10_000)), Article)


def test_unknown_extension_named_explicitly_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    err = error(read(path))
    assert "unknown file type" in err.reason
    assert err.source == str(path)


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    err = error(read(tmp_path / "nope.txt"))
    assert "no such file" in err.reason


def test_folder_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    for rel in ["z.txt", "a.md", "b/c.txt", "b/deep/d.txt", ".hidden/x.txt", ".dot.txt"]:
        (tmp_path / rel).write_text(ARTICLE.replace("Finland", rel), encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")  # skipped silently in a folder
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")
    results = read(tmp_path)
    assert all(isinstance(r, Article) for r in results)
    assert [Path(r.source).relative_to(tmp_path).as_posix() for r in results] == [
        "a.md",
        "z.txt",
        "b/c.txt",
        "b/deep/d.txt",
    ]
    assert read(tmp_path) == results  # deterministic


def test_bad_files_do_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "1_good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "2_binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "3_empty.txt").write_bytes(b"")
    (tmp_path / "4_good.txt").write_text(ARTICLE + "More.\n", encoding="utf-8")
    results = read(tmp_path, tmp_path / "missing.txt", tmp_path / "1_good.txt")
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Article", "UnreadableInput", "UnreadableInput", "Article", "UnreadableInput",
                     "Article"]  # fmt: skip
    errors = [r for r in results if isinstance(r, InputError)]
    assert all("\n" not in str(e) for e in errors)  # one-line reasons
    assert [Path(e.source).name for e in errors] == ["2_binary.txt", "3_empty.txt", "missing.txt"]


def test_same_text_same_id_whatever_the_line_endings(tmp_path: Path) -> None:
    (tmp_path / "unix.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "dos.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    first, second = read(tmp_path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == second.id
