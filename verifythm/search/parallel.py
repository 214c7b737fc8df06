"""Executors for sweeps and hunts: in-process, local processes or threads, or a Dask cluster.

Every sweep in :mod:`verifythm.search` takes a :class:`concurrent.futures.Executor`.  Work
units carry claim *ids* (:class:`~verifythm.search.variants.ClaimSpec`), never closures, so
any executor that pickles its arguments works: the standard process pool, or a Dask
distributed client's executor, which scales the same code from a laptop to a cluster.
A worker's per-evaluation time limit holds in any of them (:func:`~verifythm.search.guard.time_guard`
works outside the main thread), and ``max_evaluations`` makes a hunt visit the same
instances on every executor.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from verifythm.claims.model import Claim
from verifythm.search.layout import Layout
from verifythm.search.variants import ClaimSpec
from verifythm.search.workers import WorkerResult, search
from verifythm.search_options import EXECUTORS

#: Seconds to wait for an existing Dask scheduler (``dask:ADDRESS``) before giving up.
DASK_CONNECT_S = 10.0


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
        For an unknown ``kind``, ``dask`` when the optional extra is not installed, or a
        ``dask:ADDRESS`` whose scheduler cannot be reached within :data:`DASK_CONNECT_S`.
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
            try:
                client = Client(address, timeout=DASK_CONNECT_S)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ValueError(
                    f"executor: cannot reach the Dask scheduler at {address!r} within "
                    f"{DASK_CONNECT_S:g} s ({type(exc).__name__}: {exc})"
                ) from None
            with client:
                yield client.get_executor()
        else:
            with (
                LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cl,
                Client(cl) as client,
            ):
                yield client.get_executor()
    else:
        raise ValueError(f"executor: unknown kind {kind!r}; choose one of {EXECUTORS} (or dask:ADDRESS)")


# -- running workers ----------------------------------------------------------------------------
def search_task(task: tuple[Any, ...]) -> WorkerResult:
    """Executor entry point: resolve the claim (by spec in other processes) and search."""
    target, domains, seeds, budget, seed, stop, frozen, *rest = task
    max_evals = rest[0] if rest else None
    offset = rest[1] if len(rest) > 1 else 0
    layout = rest[2] if len(rest) > 2 else None
    if isinstance(target, ClaimSpec):
        claim, doms = target.resolve()
        domains = {**doms, **domains}
    else:
        claim = target
    return search(
        claim,
        seeds,
        budget,
        seed,
        domains=domains,
        stop_on_violation=stop,
        frozen=frozen,
        max_evals=max_evals,
        expand_offset=offset,
        layout=layout,
    )


def executor_name(executor: Executor | None) -> str:
    """``in-process`` or ``module.ClassName`` of the executor."""
    if executor is None:
        return "in-process"
    mod = type(executor).__module__.split(".")[0]
    return f"{mod}.{type(executor).__name__}"


def run_workers(
    claim: Claim,
    spec: ClaimSpec | None,
    domains: Mapping[str, Sequence[Any]],
    seeds: Sequence[tuple[str, dict]],
    budget_s: float,
    seed: int,
    *,
    executor: Executor | None,
    workers: int,
    stop_on_violation: bool,
    frozen: Sequence[str] = (),
    max_evals: int | None = None,
    expand_offset: int = 0,
    layout: Layout | None = None,
) -> list[WorkerResult]:
    """Run ``workers`` searches (seeds dealt round-robin) on ``executor`` or in-process."""
    if executor is None or workers <= 1:
        return [
            search(
                claim,
                seeds,
                budget_s,
                seed,
                domains=domains,
                stop_on_violation=stop_on_violation,
                frozen=frozen,
                max_evals=max_evals,
                expand_offset=expand_offset,
                layout=layout,
            )
        ]
    target: ClaimSpec | Claim = spec if spec is not None else claim
    tasks = [
        (
            target,
            dict(domains),
            list(seeds[w::workers]) or list(seeds[:1]),
            budget_s,
            seed + 7919 * w,
            stop_on_violation,
            tuple(frozen),
            max_evals,
            expand_offset + w,
            layout,
        )
        for w in range(workers)
    ]
    return list(executor.map(search_task, tasks))
