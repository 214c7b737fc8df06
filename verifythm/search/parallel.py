"""Executors for sweeps and hunts: in-process, local processes or threads, or a Dask cluster.

Every sweep in :mod:`verifythm.search` takes a :class:`concurrent.futures.Executor`.  Work
units carry claim *ids* (:class:`~verifythm.search.hunt.ClaimSpec`), never closures, so
any executor that pickles its arguments works: the standard process pool, or a Dask
distributed client's executor, which scales the same code from a laptop to a cluster.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager

EXECUTORS = ("process", "thread", "serial", "dask")


@contextmanager
def make_executor(kind: str = "process", workers: int | None = None) -> Iterator[Executor | None]:
    """An executor by name, shut down on exit.

    Parameters
    ----------
    kind
        ``"process"`` (local processes, the default), ``"thread"``, ``"serial"`` (no executor:
        search in this process), ``"dask"`` (a local Dask cluster with ``workers`` processes)
        or ``"dask:ADDRESS"`` (an existing Dask scheduler, e.g. ``dask:tcp://host:8786``).
    workers
        Number of workers (default ``os.cpu_count()``).

    Raises
    ------
    ValueError
        For an unknown ``kind``, or ``dask`` when the optional extra is not installed.
    """
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise ValueError(f"workers: must be a positive integer, got {workers!r}")
    name, _, address = kind.partition(":")
    if name == "serial":
        yield None
    elif name == "process":
        with ProcessPoolExecutor(max_workers=n) as ex:
            yield ex
    elif name == "thread":
        with ThreadPoolExecutor(max_workers=n) as ex:
            yield ex
    elif name == "dask":
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ValueError(
                "executor: 'dask' needs the optional extra: pip install 'verifythm[dask]'"
            ) from None
        if address:
            with Client(address) as client:
                yield client.get_executor()
        else:
            with (
                LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cl,
                Client(cl) as client,
            ):
                yield client.get_executor()
    else:
        raise ValueError(f"executor: unknown kind {kind!r}; choose one of {EXECUTORS} (or dask:ADDRESS)")
