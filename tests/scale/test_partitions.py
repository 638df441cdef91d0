"""Partitions without a cluster: the plan, the Parquet round trip, the codec, and resuming.

These run the worker's task in this process, so they are quick and need no Dask.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from aidtracker.errors import InputError, UnreadableInput
from aidtracker.ingest import iter_articles
from aidtracker.pipeline import process_document
from aidtracker.records import Article
from aidtracker.scale import codec
from aidtracker.scale.partition import finished, plan, read_partition, run_partition

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_codec_round_trip_keeps_values_and_types() -> None:
    articles = [a for a in iter_articles([str(FIXTURES / "articles")]) if isinstance(a, Article)]
    article = next(a for a in articles if "bradley" in a.source)
    extraction = process_document(article)
    assert extraction.commitments, "the fixture should state commitments"
    back = codec.load_extraction(codec.dumps(extraction))
    assert back == extraction
    assert same_types(back, extraction)  # enums are enums again, Decimals Decimals, dates dates
    assert codec.load_article(codec.dumps(article)) == article
    error = codec.load_error(codec.dump_error(UnreadableInput("x.txt", "empty file")))
    assert type(error) is UnreadableInput and error.source == "x.txt" and error.code == "AT101"


def same_types(a: object, b: object) -> bool:
    """True if `a` and `b` have the same type all the way down (equality alone lets "new" == Scope.NEW)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple | list):
        return all(same_types(x, y) for x, y in zip(a, b, strict=True))  # type: ignore[arg-type]
    if dataclasses.is_dataclass(a):
        return all(same_types(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return True


def test_plan_is_the_serial_order_cut_into_chunks(tmp_path: Path) -> None:
    folder = FIXTURES / "articles"
    parts = plan([str(folder)], partition_size=5, extract=True, max_bytes=10**7, language="en")
    paths = [u.path for p in parts for u in p.units]
    serial = [a.source for a in iter_articles([str(folder)]) if isinstance(a, Article)]
    assert paths == serial
    assert [len(p.units) for p in parts] == [5, 5, 5, 2]
    again = plan([str(folder)], partition_size=5, extract=True, max_bytes=10**7, language="en")
    assert [p.key for p in again] == [p.key for p in parts]
    with pytest.raises(ValueError):
        plan([str(folder)], partition_size=0, extract=True, max_bytes=10**7, language="en")


def test_a_changed_file_voids_only_its_partition(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    shutil.copytree(FIXTURES / "articles", folder)
    before = plan([str(folder)], partition_size=5, extract=True, max_bytes=10**7, language="en")
    last = Path(before[-1].units[-1].path)
    last.write_text(last.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    os.utime(last, ns=(1, 1))
    after = plan([str(folder)], partition_size=5, extract=True, max_bytes=10**7, language="en")
    assert [p.key for p in after[:-1]] == [p.key for p in before[:-1]]
    assert after[-1].key != before[-1].key


def test_a_partition_file_holds_what_the_serial_path_reads(corpus: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    (first, *_) = plan([str(corpus)], partition_size=6, extract=True, max_bytes=10**7, language="en")
    report = run_partition(first, str(work))
    assert report.documents + report.errors == 6 + 1  # plus the manifest's duplicate row, read with the folder
    records = list(read_partition(report.path))
    serial = list(iter_articles([u.path for u in first.units]))
    assert [type(r) for r, _ in records] == [type(s) for s in serial]
    for (item, extraction), expected in zip(records, serial, strict=True):
        if isinstance(expected, InputError):
            assert isinstance(item, InputError) and (item.source, item.reason) == (expected.source, expected.reason)
            assert extraction is None
        else:
            assert item == expected and extraction == process_document(expected)
    # Done once, reused after: the manifest stands for the file.
    reused = finished(first, work)
    assert reused is not None and reused.reused and reused.path == report.path
    assert sorted(p.name for p in work.iterdir()) == [f"part-{first.key}.done.json", f"part-{first.key}.parquet"]
