"""Guards for searches: a moved instance must not exhaust memory or time.

Structured moves can push an instance far outside the regime a claim was written for
(a batch size that makes an exact enumeration explode, a step count × 10³).  The search
treats such an instance as infeasible instead of letting it take the machine down:

* :func:`memory_guard` caps the address space of the process (Linux ``RLIMIT_AS``) at its
  current size plus a budget, so a runaway allocation raises :class:`MemoryError` (caught
  and counted as infeasible) and the limit is restored afterwards;
* :func:`time_guard` interrupts one evaluation after a number of seconds with
  :class:`EvaluationTimeout` (only in the main thread, where ``SIGALRM`` is delivered;
  elsewhere the evaluation runs unguarded).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Extra address space a search may use above the process's size when it starts.
MEMORY_BUDGET_BYTES = 6 * 2**30


class EvaluationTimeout(Exception):
    """One evaluation of a claim took longer than the search allows."""


def _current_vsize() -> int | None:
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextmanager
def memory_guard(budget_bytes: int = MEMORY_BUDGET_BYTES) -> Iterator[None]:
    """Cap the address space at the current size + ``budget_bytes`` (no-op where unsupported)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux/macOS
        yield
        return
    size = _current_vsize()
    if size is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size + budget_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # already at least as strict
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # pragma: no cover - refused by the platform
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def time_guard(seconds: float) -> Iterator[None]:
    """Raise :class:`EvaluationTimeout` in the block after ``seconds`` (main thread only)."""
    if (
        seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
    ):
        yield
        return

    def _raise(signum: int, frame: object) -> None:
        raise EvaluationTimeout(f"evaluation exceeded {seconds:g}s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
