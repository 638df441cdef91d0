"""Exports: the resolved record as files other tools read — CSV, JSON, Parquet, Excel and IATI XML.

    export(store, "csv", "out/")                      # out/commitments.csv, out/commitment_mentions.csv, ...
    export(store, "xlsx", "aid.xlsx", kind="commitments")
    export(store, "iati", "aid-iati.xml")             # IATI 2.03 activities, one per commitment cluster

Every format is written from the same tables (`export.tables`), so they never disagree; IATI
is its own shape (`export.iati`). `out` is a file when its suffix is the format's and the
format can hold what was asked in one file (JSON, Excel and IATI always; CSV and Parquet one
table), else a folder, created if need be.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from aidtracker.errors import ExportError
from aidtracker.export import formats, iati
from aidtracker.export.tables import KINDS, Table, clusters_to_export, tables
from aidtracker.store import Store

__all__ = ["FORMATS", "KINDS", "export"]

FORMATS = ("csv", "json", "parquet", "xlsx", "iati")
_SUFFIX = {"csv": ".csv", "json": ".json", "parquet": ".parquet", "xlsx": ".xlsx", "iati": ".xml"}
_DEFAULT_NAME = {"xlsx": "aidtracker.xlsx", "iati": "aidtracker-iati.xml"}


def export(
    store: Store,
    fmt: str,
    out: str | Path,
    *,
    kind: str = "all",
    reporter_ref: str | None = None,
    clock: Callable[[], datetime] | None = None,
    reviewed_only: bool = False,
) -> list[Path]:
    """Write the record in format `fmt` to `out`; return the files written.

    `kind` is commitments, agreements, events, actors or all; IATI holds commitments only.
    `reporter_ref` is the IATI organisation identifier of whoever publishes the file; `clock`
    stamps IATI's generated-datetime (tests pass a fixed one). `reviewed_only` writes only the
    clusters holding a fact a reviewer confirmed or corrected.
    """
    if fmt not in FORMATS:
        raise ExportError(f"no export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if kind != "all" and kind not in KINDS:
        raise ExportError(f"no export of {kind!r}; choose one of {', '.join(KINDS)} or all")
    path = Path(out)
    as_file = path.suffix.lower() == _SUFFIX[fmt]
    if fmt == "iati":
        if kind not in ("all", "commitments"):
            raise ExportError(f"IATI activities are commitments; --kind {kind} has no IATI form")
        target = _file(path, as_file, fmt)
        return [_write_iati(store, target, reporter_ref, (clock or _now)(), reviewed_only)]
    found = tables(store, kind, reviewed_only=reviewed_only)
    if fmt == "xlsx":
        target = _file(path, as_file, fmt)
        formats.write_xlsx(found, target)
        return [target]
    if fmt == "json" and as_file:
        _parent(path)
        formats.write_json({t.name: formats.json_rows(t) for t in found}, path)
        return [path]
    if as_file and len(found) != 1:
        names = ", ".join(t.name for t in found)
        raise ExportError(f"{fmt} holds one table per file and this export has {len(found)} ({names}); give a folder")
    return [_write_table(t, fmt, path if as_file else _folder(path) / f"{t.name}{_SUFFIX[fmt]}") for t in found]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {path.parent}: {exc.strerror or exc}") from exc


def _folder(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is a file; give a folder, or a file name ending in the format's suffix")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {path}: {exc.strerror or exc}") from exc
    return path


def _file(path: Path, as_file: bool, fmt: str) -> Path:
    if as_file:
        _parent(path)
        return path
    return _folder(path) / _DEFAULT_NAME[fmt]


def _write_table(table: Table, fmt: str, target: Path) -> Path:
    if fmt == "csv":
        formats.write_csv(table, target)
    elif fmt == "json":
        formats.write_json(formats.json_rows(table), target)
    else:
        formats.write_parquet(table, target)
    return target


def _write_iati(
    store: Store, target: Path, reporter_ref: str | None, generated: datetime, reviewed_only: bool
) -> Path:
    clusters, _ = clusters_to_export(store, "commitment", reviewed_only=reviewed_only)
    if not clusters:
        hint = "review some first, or leave out --reviewed-only" if reviewed_only else "ingest documents first"
        raise ExportError(f"there are no commitments to export as IATI activities; {hint}")
    mentions = store.mentions_by_id([m for c in clusters for m in c.members])
    documents = {}
    for doc_id in sorted({m.fact.doc_id for m in mentions.values()}):
        article = store.article(doc_id)
        if article is not None:
            documents[doc_id] = article
    sources = iati.Sources.build(mentions, store.actors(), documents)
    root = iati.activities(clusters, sources, generated=generated, reporter_ref=reporter_ref)
    target.write_bytes(iati.to_bytes(root))
    return target
