"""The `ingest` options that choose where extraction runs: here, or on a Dask cluster.

They live apart from the command so that the serial path never imports Dask: the engine is
built (and Dask imported) only when `--engine dask` asks for it.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from aidtracker.pipeline import Engine


class EngineName(StrEnum):
    SERIAL = "serial"
    DASK = "dask"


EngineOption = Annotated[
    EngineName,
    typer.Option(
        "--engine", help="Where extraction runs: serial (this process) or dask (a cluster of worker processes)."
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="With --engine dask: a scheduler address (tcp://HOST:PORT); without one a local cluster starts.",
    ),
]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, help="With --engine dask and no --scheduler: worker processes to start.")
]
PartitionSizeOption = Annotated[
    int,
    typer.Option("--partition-size", min=1, help="With --engine dask: files per partition (one Parquet file each)."),
]
WorkDirOption = Annotated[
    Path,
    typer.Option(
        "--work-dir", help="With --engine dask: where partition files wait to be stored; a rerun resumes from them."
    ),
]


def make_engine(
    name: EngineName, paths: list[str], *, scheduler: str | None, workers: int, partition_size: int, work_dir: Path
) -> Engine | None:
    """The engine the options ask for (None is the serial path), or a usage error."""
    if name is EngineName.SERIAL:
        return None
    if "-" in paths:
        raise typer.BadParameter("standard input (-) cannot be partitioned; use --engine serial", param_hint="PATH")
    from aidtracker.scale.engine import DaskEngine

    return DaskEngine(scheduler=scheduler, workers=workers, partition_size=partition_size, work_dir=work_dir)
