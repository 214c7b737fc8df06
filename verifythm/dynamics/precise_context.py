r"""The precision context of the engine: the state behind :func:`engine_precision`, and :class:`PrecisionLog`.

Inside ``with engine_precision() as log:`` (:func:`verifythm.dynamics.precise.engine_precision`)
the engine's public functions return their high-precision values
(:mod:`verifythm.dynamics.precise`), rounded to float, and ``log`` records which quantities
actually switched (and which could not, and why).  The state is a
:class:`contextvars.ContextVar`, so threads and asyncio tasks each have their own; outside a
context the engine is the plain float64 engine.  :class:`PrecisionLog`, :func:`active` and
:func:`suspended` are re-exported by :mod:`verifythm.dynamics.precise`; this module imports
nothing of the engine, so any module may read the state.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from verifythm.linalg.precise import DPS

_LOG: contextvars.ContextVar[PrecisionLog | None] = contextvars.ContextVar("verifythm_precise", default=None)
_KIND_WORDS = {
    "exact": "exactly (rationals)",
    "mpmath": "in {dps}-digit mpmath",
    "refined": "as {dps}-digit Rayleigh quotients of float64 eigenvectors",
}


@dataclass
class PrecisionLog:
    """Which engine quantities were re-computed in high precision inside :func:`engine_precision`.

    Attributes
    ----------
    dps
        Decimal digits of the mpmath computations.
    entries
        ``(quantity, kind, method)`` per switched evaluation; ``kind`` is ``"exact"``,
        ``"mpmath"`` or ``"refined"`` (float64 eigenvector, mpmath Rayleigh quotient).
    failures
        Quantities whose precise evaluation failed or was out of bounds (the float64 value
        was kept), with the reason.
    """

    dps: int = DPS
    entries: list[tuple[str, str, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def record(self, quantity: str, kind: str, method: str = "") -> None:
        """Note that ``quantity`` was computed ``kind`` (``exact``/``mpmath``/``refined``)."""
        if kind not in _KIND_WORDS:
            raise ValueError(f"kind: expected one of {sorted(_KIND_WORDS)}, got {kind!r}")
        self.entries.append((quantity, kind, method))

    def fail(self, quantity: str, why: str) -> None:
        """Note that ``quantity`` kept its float64 value, and why."""
        self.failures.append(f"{quantity}: {why}")

    @property
    def switched(self) -> bool:
        """Whether at least one engine quantity was re-computed in high precision."""
        return bool(self.entries)

    @property
    def kinds(self) -> set[str]:
        """The kinds of re-computation that happened."""
        return {k for _, k, _ in self.entries}

    def summary(self) -> str:
        """E.g. ``"ρ, η* in 50-digit mpmath; λ₁(H) exactly (rationals)"`` (``""`` if none)."""
        groups: dict[str, list[str]] = {}
        for q, k, _ in self.entries:
            names = groups.setdefault(k, [])
            if q not in names:
                names.append(q)
        parts = []
        for k in ("mpmath", "exact", "refined"):
            if k in groups:
                parts.append(f"{', '.join(groups[k])} {_KIND_WORDS[k].format(dps=self.dps)}")
        if any("float64 reduced family" in m for _, _, m in self.entries):
            parts.append("reduction to range(H) taken from float64")
        return "; ".join(parts)


def active() -> PrecisionLog | None:
    """The log of the innermost active :func:`engine_precision`, or ``None`` (float64 engine)."""
    return _LOG.get()


@contextmanager
def precision_log(dps: int = DPS) -> Iterator[PrecisionLog]:
    """Activate a fresh :class:`PrecisionLog` of ``dps`` digits (the state of :func:`engine_precision`).

    :func:`~verifythm.dynamics.precise.engine_precision` validates ``dps`` and installs the
    precision hooks first; this only sets and restores the context.
    """
    token = _LOG.set(PrecisionLog(dps))
    try:
        yield _LOG.get()  # type: ignore[misc]
    finally:
        _LOG.reset(token)


@contextmanager
def suspended() -> Iterator[None]:
    """Run the float64 engine inside an active :func:`engine_precision` (used by the hooks)."""
    token = _LOG.set(None)
    try:
        yield
    finally:
        _LOG.reset(token)


# -- inputs recorded inside the context: the reduction can be redone in high precision ------
