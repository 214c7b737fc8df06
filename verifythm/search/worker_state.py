r"""The state of one search worker: budget, size guard, scale box, evaluation, pool and result.

:class:`SearchState` holds what a worker (:mod:`verifythm.search.workers`) knows while it
runs: the clock or evaluation budget, the :class:`SizeGuard` (how far instances may grow),
the per-key magnitude box that scale moves stay in (``SCALE_DECADES`` decades beyond the
seeds'), the objective, the portfolio of niches, the pool of best instances and the
:class:`WorkerResult` it fills.  The moves and the run itself are the worker's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from verifythm.claims.model import Claim
from verifythm.search.layout import Layout
from verifythm.search.niches import Portfolio
from verifythm.search.scoring import Objective, Scored, changed_keys, instance_size, signature
from verifythm.search.shrink import confirm

__all__ = [
    "MAX_SCALARS",
    "SCALE_DECADES",
    "SearchState",
    "SizeGuard",
    "WorkerResult",
    "seed_magnitudes",
    "top_magnitude",
]

#: Largest instance (number of scalars) a search evaluates.
MAX_SCALARS = 1 << 21
#: How many decades beyond the seeds' magnitudes (per key) scale moves may go.
SCALE_DECADES = 7.0


def top_magnitude(v: Any) -> float | None:
    """``max |v|`` of a float array, or ``None`` (not a float array, empty, or not finite)."""
    a = np.asarray(v)
    if a.dtype.kind != "f" or a.size == 0:
        return None
    with np.errstate(all="ignore"):
        top = float(np.max(np.abs(a)))
    return top if math.isfinite(top) else None


def seed_magnitudes(insts: Sequence[Mapping[str, Any]]) -> dict[str, tuple[float, float]]:
    """Per float key, the smallest and largest nonzero magnitude over ``insts``."""
    out: dict[str, tuple[float, float]] = {}
    for inst in insts:
        for k, v in inst.items():
            top = top_magnitude(v)
            if top is not None and top > 0:
                lo, hi = out.get(k, (top, top))
                out[k] = (min(lo, top), max(hi, top))
    return out


@dataclass
class WorkerResult:
    """What one search worker found, and where it looked (``explored``)."""

    best: list[Scored] = field(default_factory=list)
    violations: list[Scored] = field(default_factory=list)
    evaluations: int = 0
    infeasible: int = 0
    first_violation_s: float | None = None
    max_ratio: Scored | None = None
    unconfirmed: int = 0
    timeouts: int = 0
    explored: dict[str, Any] | None = None


class SizeGuard:
    """How far instances may grow (see the module docstring)."""

    def __init__(self, t_max: float | None, max_scalars: int = MAX_SCALARS, cap: int | None = None) -> None:
        self.t_max = t_max
        self.max_scalars = max_scalars if cap is None else min(max_scalars, cap)
        self.largest = 0
        self.fast = 0
        self.slow = math.inf
        self.seen = 0

    def record(self, size: int, seconds: float, timed_out: bool) -> None:
        """Learn from one evaluation (its size in scalars and its duration)."""
        self.seen += 1
        self.largest = max(self.largest, size)
        if self.t_max is None:
            return
        if (timed_out or seconds > self.t_max) and self.seen > 5 and size > self.fast:
            self.slow = min(self.slow, size)
        elif not timed_out and seconds <= self.t_max:
            self.fast = max(self.fast, size)

    def allows(self, inst: Mapping[str, Any]) -> bool:
        """Whether ``inst`` is small enough to evaluate."""
        size = instance_size(inst)
        return size <= self.max_scalars and size < self.slow and size <= max(4 * self.largest, 64)


class SearchState:
    """One worker's state: budget, size guard, scale box, objective, pool of best instances, result.

    :meth:`evaluate` scores an instance and records it (portfolio, pool, violations);
    :meth:`allowed` says whether a move may be evaluated (frozen keys, scale box, size guard).
    The search strategy built on it is ``verifythm.search.workers``' worker.
    """

    def __init__(
        self,
        claim: Claim,
        layout: Layout,
        budget_s: float,
        seed: int,
        domains: Mapping[str, Sequence[Any]],
        stop: bool,
        frozen: Sequence[str],
        keep: int,
        max_evals: int | None,
        seeds: Sequence[tuple[str, dict]] = (),
    ) -> None:
        self.claim, self.layout, self.domains = claim, layout, domains
        self.stop, self.frozen, self.keep, self.max_evals = stop, tuple(frozen), keep, max_evals
        self.t0 = time.perf_counter()
        self.deadline = self.t0 + budget_s
        self.rng = np.random.default_rng(seed)
        timeout = max(2.0, budget_s / 10)  # one evaluation: at most a tenth of the budget
        self.timeout, self.new_timeout = timeout, min(timeout, max(0.1, budget_s / 20))
        if max_evals is None:
            self.guard = SizeGuard(max(0.05, min(timeout / 2, budget_s / 50)))
        else:
            self.guard = SizeGuard(None, cap=16 * max([instance_size(s) for _, s in seeds] or [64]))
        self.obj = Objective(claim, timeout_s=timeout, on_time=self.guard.record)
        self.box = layout.magnitudes or seed_magnitudes([inst for _, inst in seeds])
        self.portfolio = Portfolio(layout)
        self.res = WorkerResult()
        self.pool: list[Scored] = []
        self.done = False

    # -- evaluation -----------------------------------------------------------------------
    def over(self) -> bool:
        """Whether the worker must stop (a violation found, or its evaluations or time spent)."""
        if self.done:
            return True
        if self.max_evals is not None and self.obj.evaluations >= self.max_evals:
            return True
        return time.perf_counter() > self.deadline

    def spent(self) -> float:
        """The fraction of this worker's budget (evaluations, else time) used so far."""
        if self.max_evals is not None:
            return self.obj.evaluations / max(1, self.max_evals)
        return (time.perf_counter() - self.t0) / max(1e-9, self.deadline - self.t0)

    def allowed(self, parent: Mapping[str, Any], inst: Mapping[str, Any]) -> bool:
        """Whether ``inst`` (a move from ``parent``) keeps frozen keys, the scale box and the size guard."""
        if self.frozen and any(k in self.frozen for k in changed_keys(parent, inst)):
            return False
        for k, (lo, hi) in self.box.items():  # scales: at most SCALE_DECADES beyond the seeds'
            if k in inst:
                top = top_magnitude(inst[k])
                if (
                    top is not None
                    and top > 0
                    and not lo * 10.0**-SCALE_DECADES <= top <= hi * 10.0**SCALE_DECADES
                ):
                    return False
        return self.guard.allows(inst)

    def evaluate(self, inst: Mapping[str, Any], how: tuple[str, ...], kind: str) -> Scored | None:
        """Score ``inst`` and record it (portfolio, pool, violations); ``None`` if infeasible."""
        # new territory (larger than anything evaluated) gets a shorter time limit
        larger = instance_size(inst) > self.guard.largest > 0
        self.obj.timeout_s = self.new_timeout if larger else self.timeout
        s = self.obj(inst, how, kind)
        ratio = s.ratio if s is not None and s.comparison.ratio_resolved(self.claim.tolerance) else None
        self.portfolio.record(inst, kind, s, ratio)
        if s is not None:
            self.consider(s, ratio)
        return s

    def consider(self, s: Scored, ratio: float | None) -> None:
        """Pool a scored instance; keep the largest ratio; confirm and record a violation."""
        res = self.res
        self.pool.append(s)
        if ratio is not None and (res.max_ratio is None or ratio > (res.max_ratio.ratio or -math.inf)):
            res.max_ratio = s
        if not self.obj.violated(s):
            return
        if self.stop and confirm(self.claim, s.instance) is None:
            # a float64 violation the high-precision re-check refutes: rounding, not a
            # counterexample; it counts as tight (score 0) and the search goes on
            res.unconfirmed += 1
            s.score = min(s.score, 0.0)
            return
        res.violations.append(s)
        if res.first_violation_s is None:
            res.first_violation_s = time.perf_counter() - self.t0
        self.done = self.stop

    def trim(self) -> None:
        """Cut the pool to the best ``keep`` instances plus the best three of every structure."""
        # the best few of every structure survive, so a plateau of equally tight instances
        # cannot crowd out a different batch size, size or scheme
        self.pool.sort(key=lambda s: -s.score)
        per: dict[tuple, int] = {}
        kept: list[Scored] = []
        for s in self.pool:
            sig = signature(s.instance)
            if len(kept) < self.keep or per.get(sig, 0) < 3:
                if sig not in per and len(per) >= 4 * self.keep:
                    continue
                per[sig] = per.get(sig, 0) + 1
                kept.append(s)
        self.pool[:] = kept
