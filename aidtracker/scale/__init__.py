"""Scale: the same pipeline over many documents on a Dask cluster, resumable, with bounded memory.

    aidtracker ingest --engine dask PATH...   →  pipeline.ingest(paths, store, engine=DaskEngine(...))

`partition` cuts a batch into chunks of files and extracts one chunk into one Parquet file
(the task a worker runs); `engine` plans the partitions, hands them to a `LocalCluster` or a
scheduler, and streams their records back, in input order, to the single writer in
`pipeline.ingest`; `codec` turns records into JSON and back exactly. Importing this package
does not import Dask; `aidtracker.scale.engine` does.
"""

from __future__ import annotations

from aidtracker.scale.partition import Partition, PartitionReport, plan, read_partition, run_partition

__all__ = ["Partition", "PartitionReport", "plan", "read_partition", "run_partition"]
