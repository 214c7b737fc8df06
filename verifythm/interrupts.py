"""An interrupt (Ctrl-C) that is not lost.

Python raises :class:`KeyboardInterrupt` wherever the main thread happens to be when the
``SIGINT`` handler runs.  If that is a finaliser — a ``__del__``, a weakref callback, or a
garbage-collector callback such as the one Hypothesis installs to time collections — the
exception is printed as "Exception ignored in …" and discarded, and the run goes on as if
nothing had been pressed.  In a catalogue run (thousands of Hypothesis examples, frequent
collections) this happened about one time in ten: ``verifythm check`` ignored Ctrl-C and
ran for minutes.

:func:`insistent_interrupts` keeps delivering: after the first ``SIGINT`` it raises
:class:`KeyboardInterrupt` again every ``period`` seconds until the guarded block has
exited, so a lost delivery costs at most one period.
"""

from __future__ import annotations

import _thread
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: Seconds between repeated deliveries of one interrupt.
PERIOD_S = 0.25


@contextmanager
def insistent_interrupts(period: float = PERIOD_S) -> Iterator[None]:
    """Make a ``SIGINT`` inside the block raise :class:`KeyboardInterrupt` until the block ends.

    Only in the main thread, and only where ``SIGINT`` has Python's default handler (a caller
    that installed its own, or ignores the signal, keeps its choice).  Outside the block the
    previous handler is back and no repeated delivery is pending.

    Parameters
    ----------
    period : float
        Seconds between repeated deliveries once interrupted.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield
        return
    done = threading.Event()
    over = [False]  # set by one store: the handler reads it without Python-level locking
    repeater: list[threading.Thread] = []

    def repeat() -> None:
        while not done.wait(period):
            _thread.interrupt_main()  # runs ``handler`` in the main thread

    def handler(signum: int, frame: FrameType | None) -> None:
        if over[0]:  # the block is over: a late repeat is dropped
            return
        if not repeater:
            repeater.append(threading.Thread(target=repeat, name="verifythm-sigint", daemon=True))
            repeater[0].start()
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        # a repeat can land anywhere in here, even before the first store: retry until the
        # teardown completes (the interrupt already in flight, if any, carries on afterwards)
        while True:
            try:
                over[0] = True
                done.set()
                if repeater:
                    repeater[0].join()
                _drain()  # a repeat already queued runs ``handler`` now, which drops it
                signal.signal(signal.SIGINT, old)
                break
            except KeyboardInterrupt:
                continue


def _drain() -> None:
    """Give the interpreter a few eval-breaker checks, where queued signal handlers run."""
    for _ in range(100):
        pass
