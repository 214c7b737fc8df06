"""Guards for searches: a moved instance must not exhaust memory or time.

Structured and size moves can push an instance far outside the regime a claim was written
for (a batch size that makes an exact enumeration explode, n × 10³).  The search treats such
an instance as infeasible instead of letting it take the machine down:

* :func:`memory_guard` caps the address space of the process (Linux ``RLIMIT_AS``) at its
  current size plus a budget, so a runaway allocation raises :class:`MemoryError` (caught
  and counted as infeasible); the limit is shared by the threads of the process (the first
  guard in sets it, the last one out restores it);
* :func:`time_guard` interrupts one evaluation after a number of seconds with
  :class:`EvaluationTimeout`, in any thread: in the main thread by ``SIGALRM``, elsewhere
  (thread pools, Dask workers) by a watchdog thread that raises the exception
  asynchronously in the guarded thread (``PyThreadState_SetAsyncExc``).  Both are
  delivered between Python bytecodes: one long call into compiled code (a single huge
  ``eigh``) finishes first, which is why the search also caps instance sizes.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import os
import signal
import threading
import time
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


_MEM_LOCK = threading.Lock()
_MEM_STATE: dict[str, object] = {"depth": 0, "saved": None}


@contextmanager
def memory_guard(budget_bytes: int = MEMORY_BUDGET_BYTES) -> Iterator[None]:
    """Cap the address space at the current size + ``budget_bytes`` (no-op where unsupported).

    Re-entrant and thread-safe: nested or concurrent guards share the first one's cap.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Linux/macOS
        yield
        return
    with _MEM_LOCK:
        first = _MEM_STATE["depth"] == 0
        _MEM_STATE["depth"] = int(_MEM_STATE["depth"]) + 1  # type: ignore[call-overload]
        if first:
            _MEM_STATE["saved"] = _set_cap(resource, budget_bytes)
    try:
        yield
    finally:
        with _MEM_LOCK:
            _MEM_STATE["depth"] = int(_MEM_STATE["depth"]) - 1  # type: ignore[call-overload]
            if _MEM_STATE["depth"] == 0 and _MEM_STATE["saved"] is not None:
                try:
                    resource.setrlimit(resource.RLIMIT_AS, _MEM_STATE["saved"])  # type: ignore[arg-type]
                except (ValueError, OSError):  # pragma: no cover
                    pass
                _MEM_STATE["saved"] = None


def _set_cap(resource: object, budget_bytes: int) -> tuple[int, int] | None:
    """Set the cap; the previous limits to restore, or ``None`` when nothing was changed."""
    size = _current_vsize()
    if size is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)  # type: ignore[attr-defined]
    inf = resource.RLIM_INFINITY  # type: ignore[attr-defined]
    cap = size + budget_bytes
    if hard != inf:
        cap = min(cap, hard)
    if soft != inf and soft <= cap:
        return None  # already at least as strict
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))  # type: ignore[attr-defined]
    except (ValueError, OSError):  # pragma: no cover - refused by the platform
        return None
    return soft, hard


# -- time ---------------------------------------------------------------------------------
class _Watchdog:
    """One daemon thread per process that interrupts guarded threads past their deadline."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.wake = threading.Condition(self.lock)
        self.heap: list[tuple[float, int, int]] = []  # (deadline, token, thread id)
        self.active: dict[int, list] = {}  # token -> [thread id, fired]
        self.tokens = itertools.count()
        self.thread: threading.Thread | None = None

    def _ensure(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            self.thread = threading.Thread(target=self._run, name="verifythm-time-guard", daemon=True)
            self.thread.start()

    def arm(self, seconds: float) -> int:
        with self.lock:
            self._ensure()
            token = next(self.tokens)
            tid = threading.get_ident()
            self.active[token] = [tid, False]
            heapq.heappush(self.heap, (time.monotonic() + seconds, token, tid))
            self.wake.notify()
            return token

    def disarm(self, token: int) -> bool:
        """Forget ``token``; clear a not-yet-delivered interrupt.  Whether it had fired."""
        with self.lock:
            entry = self.active.pop(token, None)
            if entry is None:
                return False
            tid, fired = entry
            if fired:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), None)
            return bool(fired)

    def _run(self) -> None:
        with self.lock:
            while True:
                while self.heap and self.heap[0][1] not in self.active:
                    heapq.heappop(self.heap)
                if not self.heap:
                    self.wake.wait(5.0)
                    continue
                deadline, token, tid = self.heap[0]
                now = time.monotonic()
                if now < deadline:
                    self.wake.wait(deadline - now)
                    continue
                heapq.heappop(self.heap)
                entry = self.active.get(token)
                if entry is not None and not entry[1]:
                    entry[1] = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(tid), ctypes.py_object(EvaluationTimeout)
                    )


_WATCHDOG = _Watchdog()


@contextmanager
def time_guard(seconds: float) -> Iterator[None]:
    """Raise :class:`EvaluationTimeout` in the block after ``seconds``, in any thread.

    ``seconds <= 0`` guards nothing.  In the main thread (where ``SIGALRM`` exists) a timer
    signal interrupts the block; in other threads a watchdog raises the exception there.
    """
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        yield from _alarm_guard(seconds)
        return
    token = _WATCHDOG.arm(seconds)
    try:
        yield
    except EvaluationTimeout:
        _disarm(token)
        raise EvaluationTimeout(f"evaluation exceeded {seconds:g}s") from None
    except BaseException:
        _disarm(token)
        raise
    # finished in time, or the interrupt was still pending: cleared, the result stands
    _disarm(token)


def _disarm(token: int) -> None:
    try:
        _WATCHDOG.disarm(token)
    except EvaluationTimeout:  # delivered just before the disarm took the lock
        _WATCHDOG.disarm(token)
        raise


def _alarm_guard(seconds: float) -> Iterator[None]:
    def _raise(signum: int, frame: object) -> None:
        raise EvaluationTimeout(f"evaluation exceeded {seconds:g}s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
