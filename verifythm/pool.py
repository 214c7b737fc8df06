"""Claims checked in worker processes (``verifythm check --jobs N``).

Every random choice of a check derives from the profile's seed, the claim id and the check's
name (:meth:`~verifythm.evidence.base.Context.rng`, Hypothesis seeded per check with the
local-constants pool off), so a claim's checks give the same results in any process and in any
order: ``--jobs`` changes the wall time, never a verdict.

A worker imports a claim's module by the name the registry recorded for it and returns the
:class:`~verifythm.evidence.base.CheckResult` list; everything with side effects (progress
lines, counterexample reports, the report manifest) stays in the parent.  A claim the workers
cannot run (no module recorded; a module a worker cannot import, whose results do not pickle,
or whose worker died: ``BrokenProcessPool``) is run again in the parent, so a parallel run never
loses a claim and never waits for a dead worker.  Each worker uses one BLAS thread: the
parallelism is across claims, and two BLAS threads per worker on a shared machine only contend.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from verifythm.claims.model import Claim
from verifythm.evidence.base import CheckResult, Context

#: The context the worker runs every check with (set by :func:`_init`).
_CTX: Context | None = None
_LIMITS: Any = None  # the threadpoolctl limiter, kept alive for the worker's lifetime


def usable_cpus() -> int:
    """The number of CPUs this process may run on (its affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _exit_with_parent(parent: int, period: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(period)
    os._exit(1)


def _init(ctx: Context) -> None:
    global _CTX, _LIMITS
    _CTX = ctx
    # Ctrl-C is the parent's to handle: it stops the pool and reports what finished
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # a parent that is gone (killed, crashed) cannot stop us: leave rather than run on orphaned
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from threadpoolctl import threadpool_limits  # a core dependency

    _LIMITS = threadpool_limits(limits=1)


def _run(task: tuple[str, list[tuple[int, str]]]) -> list[tuple[int, list[CheckResult]]]:
    """Run every check of the claims of one module."""
    from verifythm.claims.registry import claims_of_module, import_claim_module
    from verifythm.evidence.run import run_checks

    spec, wanted = task
    assert _CTX is not None
    by_id = {c.id: c for c in claims_of_module(import_claim_module(spec))}
    return [(index, run_checks(by_id[claim_id], _CTX)) for index, claim_id in wanted]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and terminate the workers (they ignore SIGINT)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # no public API before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        proc.terminate()


def run_in_workers(
    claims: Sequence[Claim],
    modules: Sequence[str | None],
    ctx: Context,
    jobs: int,
) -> Iterator[tuple[int, list[CheckResult]]]:
    """Yield ``(index, check results)`` for every claim, in the order they finish.

    Parameters
    ----------
    claims
        The claims to run.
    modules
        For each claim, the module (dotted name or ``.py`` path) a worker imports to find it;
        ``None`` runs that claim in this process.
    ctx
        The run's context (profile, backend), the same in every worker.
    jobs
        Worker processes (at least 2; with 1 call the serial runner instead).
    """
    from verifythm.evidence.run import run_checks

    # one task per module: its claims share the module's caches (and its import) in one worker
    grouped: dict[str, list[tuple[int, str]]] = {}
    for i, (c, m) in enumerate(zip(claims, modules, strict=True)):
        if m is not None:
            grouped.setdefault(m, []).append((i, c.id))
    tasks = list(grouped.items())
    returned: set[int] = set()
    if len(tasks) > 1:  # one module: a worker would only add its start-up
        # spawn, not fork: the parent may hold BLAS or torch threads, which fork does not carry
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init,
            initargs=(ctx,),
        )
        try:
            for fut in as_completed([pool.submit(_run, task) for task in tasks]):
                try:
                    batch = fut.result()
                except Exception:  # a module the workers could not run, results that do not
                    continue  # pickle, a worker that died (BrokenProcessPool): run here below
                for index, results in batch:
                    returned.add(index)
                    yield index, results
        except BaseException:
            _stop(pool)  # Ctrl-C, or a consumer that stopped: stop the workers now
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for index in range(len(claims)):
        if index not in returned:
            yield index, run_checks(claims[index], ctx)
