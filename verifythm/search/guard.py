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

An interrupt can be lost: delivered while the guarded thread runs a finaliser (``__del__``,
a weakref callback, the cyclic collector), the exception is printed as "ignored" and the
evaluation goes on.  Both guards therefore repeat the interrupt every :data:`RETRY_S` (or a
tenth of the limit, if shorter) until the block exits, and never while the thread is inside
the guard's own entry or exit code.  Both also hold back while the thread is in a finaliser,
a collector callback or the hook that reports dropped exceptions (under pytest an exception
raised inside that hook fails the running test).  (In the test suite one evaluation guarded at
2 s ran for 53–288 s; the cause there was the watchdog clearing interrupts with a NULL
exception, see :meth:`_Watchdog.disarm`, which left every later check of the interpreter on
its slow path.)
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import _GeneratorContextManager, contextmanager
from types import FrameType

#: Longest pause between repeated interrupts of a block past its limit.
RETRY_S = 0.25

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
        self.active: dict[int, list] = {}  # token -> [thread id, fired, retry interval]
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
            self.active[token] = [tid, False, _retry(seconds)]
            heapq.heappush(self.heap, (time.monotonic() + seconds, token, tid))
            self.wake.notify()
            return token

    def disarm(self, token: int) -> bool:
        """Forget ``token`` (no interrupt is set for it afterwards).  Whether it had fired.

        A fired interrupt may still be pending; the caller takes delivery of it
        (:func:`_absorb`).  It is never cleared with ``PyThreadState_SetAsyncExc(tid, NULL)``:
        on CPython 3.11 that call sets the interpreter's "async exception pending" flag which
        nothing then clears, and every later eval-breaker check takes the slow path; under a
        trace function (Hypothesis traces while it shrinks) the interpreter spun at one
        ``RESUME`` for minutes and ran no signal handler.
        """
        with self.lock:
            entry = self.active.pop(token, None)
            return entry is not None and bool(entry[1])

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
                if entry is None:
                    continue
                # past its limit: interrupt, and again later in case it is lost; not while the
                # thread is already leaving the guard (a repeat there would escape the guard),
                # nor in a finaliser (dropped there; the next repeat comes soon)
                frame = sys._current_frames().get(tid)
                if not _in_guard_machinery(frame) and not _in_lossy_context(frame):
                    entry[1] = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(tid), ctypes.py_object(EvaluationTimeout)
                    )
                heapq.heappush(self.heap, (now + entry[2], token, tid))


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
    # finished in time, or the interrupt was still pending: taken, the result stands
    _disarm(token)


def _disarm(token: int) -> None:
    """Drop ``token``; take delivery of an interrupt that fired but is not raised yet."""
    fired = False
    while True:
        try:
            fired = _WATCHDOG.disarm(token) or fired
            break
        except EvaluationTimeout:  # delivered just before the token was dropped: drop it now
            fired = True
    if fired:
        _absorb()


def _absorb() -> None:
    """Let a pending interrupt of this thread land here (at the loop's first eval-breaker check)."""
    try:
        for _ in range(1000):
            pass
    except EvaluationTimeout:
        pass


def _in_guard_machinery(frame: FrameType | None, depth: int = 6) -> bool:
    """Whether ``frame`` (or one of its callers, ``depth`` deep) is the guard entering or leaving.

    While the guarded block runs, the guard's generator is suspended and none of its frames is
    on the stack; they are only while it arms or disarms.
    """
    for _ in range(depth):
        if frame is None:
            return False
        code = frame.f_code
        if code in _GUARD_CODES:
            return True
        if code is _CM_EXIT:
            gen = getattr(frame.f_locals.get("self"), "gen", None)
            if getattr(gen, "gi_code", None) in _GUARD_CODES:
                return True
        frame = frame.f_back
    return False


#: Code names of the places where an exception is "ignored" rather than raised: finalisers and
#: the cyclic collector's callbacks (Hypothesis times collections with one).
_LOSSY_NAMES = frozenset({"__del__", "gc_callback"})


def _in_lossy_context(frame: FrameType | None) -> bool:
    """Whether an exception raised in ``frame`` would be printed and dropped instead of raised.

    That is inside a finaliser or a collector callback, or inside the interpreter's hook for
    such dropped exceptions (pytest installs one; an exception there fails the test that is
    running).  The alarm then waits for its next repetition rather than raise into it.
    """
    while frame is not None:
        code = frame.f_code
        if code.co_name in _LOSSY_NAMES or code.co_filename.endswith("unraisableexception.py"):
            return True
        frame = frame.f_back
    return False


def _retry(seconds: float) -> float:
    """Pause between repeated interrupts of a block that is past ``seconds``."""
    return max(1e-3, min(RETRY_S, seconds / 10))


def _alarm_guard(seconds: float) -> Iterator[None]:
    def _raise(signum: int, frame: FrameType | None) -> None:
        if _in_guard_machinery(frame):  # leaving the guard already: it cancels the timer
            return
        if _in_lossy_context(frame):  # it would be dropped: the repeated alarm comes back soon
            return
        raise EvaluationTimeout(f"evaluation exceeded {seconds:g}s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds, _retry(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


_GUARD_CODES = frozenset(
    {time_guard.__wrapped__.__code__, _alarm_guard.__code__, _disarm.__code__}  # type: ignore[attr-defined]
    | {f.__code__ for f in (_Watchdog.disarm,)}
)
_CM_EXIT = _GeneratorContextManager.__exit__.__code__
