"""Running `summarize` on a Dask cluster (``pip install 'tipx[dask]'``).

The client cuts the file list into partitions and submits them; each worker process builds the
pipeline once (``pipeline.build`` is cached per process) and runs ``nlp.pipe`` over its
partition; the results come back partition by partition, in input order, and reduce into the
same ``Summary`` as a single-process run. Workers read the files themselves, so on a real
cluster the paths must name the same files on every machine (a shared or network filesystem).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator

from .summary import Result, records_of


def _partition(paths: list[str], model: str | None, batch_size: int) -> list[Result]:
    from .pipeline import build

    return list(records_of(paths, build(model), batch_size))


def process_paths_dask(
    paths: list[str],
    model: str | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    batch_size: int = 16,
    partition_size: int = 64,
) -> Iterator[Result]:
    """Results for ``paths`` computed on the Dask scheduler at ``scheduler`` (``tcp://host:8786``),
    or on a local cluster of ``workers`` processes when none is given. At most two partitions
    per worker are in flight, so the client's memory stays bounded on millions of files."""
    from dask.distributed import Client, LocalCluster  # the extra: pip install 'tipx[dask]'

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,  # one pipeline per process; spaCy gains nothing from threads here
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    client = Client(cluster if cluster is not None else scheduler)
    try:
        n_workers = len(client.scheduler_info().get("workers", {})) or workers
        window = 2 * n_workers
        # Small jobs are still spread over every worker; large ones go in partitions of partition_size.
        partition_size = max(1, min(partition_size, math.ceil(len(paths) / window)))
        partitions = [paths[i : i + partition_size] for i in range(0, len(paths), partition_size)]
        pending = []
        for part in partitions:
            pending.append(client.submit(_partition, part, model, batch_size, pure=False))
            if len(pending) >= window:
                yield from pending.pop(0).result()
        for future in pending:
            yield from future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
