"""Scoring instances of a claim for a search: relative slack, feasibility, seeds.

An instance that violates a hypothesis, makes the claim raise, has a non-finite entry, or
whose comparison is unresolved (:meth:`~verifythm.claims.model.Comparison.unresolved`) is
*infeasible*: counted, never evidence.  The score of a feasible instance is minus its relative
slack, so it is positive iff the conclusion is violated and larger means closer to violating.
"""

from __future__ import annotations

import math
import time
import warnings
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from verifythm.claims.model import Claim, Comparison
from verifythm.evidence.base import Context, relative_slack
from verifythm.evidence.numeric import ExactCheck, PropertyCheck
from verifythm.search.guard import EvaluationTimeout, time_guard


@dataclass
class Scored:
    """An instance with its comparison and search score (larger = closer to violating).

    ``how`` is the tail of the moves that led to it and ``kind`` the family kind (or
    structure) it descends from, which with its size bucket makes its niche.
    """

    instance: dict[str, Any]
    comparison: Comparison
    score: float
    how: tuple[str, ...] = ()
    kind: str = "seed"

    @property
    def ratio(self) -> float | None:
        """Tightness ratio observed / bound, when defined."""
        return self.comparison.ratio


def relative_score(cmp: Comparison, claim: Claim) -> float:
    """Minus :func:`~verifythm.evidence.base.relative_slack`: positive iff violated."""
    s = relative_slack(cmp, claim.tolerance)
    return float(-s) if math.isfinite(s) else math.inf


def instance_size(inst: Mapping[str, Any]) -> int:
    """Number of scalars in ``inst`` (arrays count their entries)."""
    return int(sum(np.asarray(v).size for v in inst.values()))


class Objective:
    """Evaluates instances of a claim, counting evaluations, infeasible ones and timeouts.

    Parameters
    ----------
    claim
        The claim (hypotheses already dropped where asked).
    timeout_s
        Per-evaluation time limit (:func:`~verifythm.search.guard.time_guard`; 0: none).
    on_time
        Called with ``(instance size, seconds, timed out)`` after each evaluation: the size
        guard of the search learns from it how far instances may grow.
    """

    def __init__(self, claim: Claim, timeout_s: float = 0.0, on_time: Any = None) -> None:
        self.claim = claim
        self.evaluations = 0
        self.infeasible = 0
        self.timeouts = 0
        self.timeout_s = timeout_s
        self.on_time = on_time

    def __call__(
        self, inst: Mapping[str, Any], how: tuple[str, ...] = (), kind: str = "seed"
    ) -> Scored | None:
        """Score ``inst``; ``None`` when a hypothesis fails or the claim cannot evaluate it."""
        self.evaluations += 1
        inst = dict(inst)
        t0 = time.perf_counter()
        timed_out = False
        with np.errstate(all="ignore"), warnings.catch_warnings():
            # instances far outside the papers' regimes overflow; they are scored, not reported
            warnings.simplefilter("ignore")
            try:
                with time_guard(self.timeout_s):
                    out = self._score(inst, how, kind)
            except EvaluationTimeout:
                self.timeouts += 1
                self.infeasible += 1
                timed_out, out = True, None
        if self.on_time is not None:
            self.on_time(instance_size(inst), time.perf_counter() - t0, timed_out)
        return out

    def _score(self, inst: dict[str, Any], how: tuple[str, ...], kind: str) -> Scored | None:
        try:
            if any(not np.all(np.isfinite(np.asarray(v, dtype=float))) for v in numeric_values(inst)):
                raise ValueError("non-finite")
            if self.claim.failed_hypotheses(inst):
                self.infeasible += 1
                return None
            cmp = self.claim.evaluate(inst)
        except (EvaluationTimeout, KeyboardInterrupt):
            raise
        except Exception:  # an instance outside the claim's domain: infeasible, not evidence
            self.infeasible += 1
            return None
        score = relative_score(cmp, self.claim)
        if math.isnan(score) or cmp.unresolved(self.claim.tolerance):  # never evidence
            self.infeasible += 1
            return None
        return Scored(inst, cmp, score, how[-6:], kind)

    def violated(self, s: Scored) -> bool:
        """Whether the float64 conclusion is violated beyond the claim's tolerance."""
        cmp = s.comparison
        return not cmp.unresolved(self.claim.tolerance) and not cmp.holds(self.claim.tolerance)


def numeric_values(inst: Mapping[str, Any]) -> list[np.ndarray]:
    """The numeric (integer or float) values of ``inst`` as arrays."""
    out = []
    for v in inst.values():
        a = np.asarray(v)
        if np.issubdtype(a.dtype, np.number):
            out.append(a)
    return out


def signature(inst: Mapping[str, Any]) -> tuple:
    """The structure of an instance: array shapes and the values of integers and strings."""
    out: list[tuple[str, tuple[int, ...] | str]] = []
    for k in sorted(inst):
        a = np.asarray(inst[k])
        if a.ndim:
            out.append((k, a.shape))
        elif not np.issubdtype(a.dtype, np.floating):
            out.append((k, str(a.item())))
    return tuple(out)


def changed_keys(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """Keys whose value differs between ``a`` and ``b`` (or that only one of them has)."""
    out = []
    for k in set(a) | set(b):
        if k not in a or k not in b:
            out.append(k)
            continue
        x, y = np.asarray(a[k]), np.asarray(b[k])
        if x.shape != y.shape or x.dtype.kind != y.dtype.kind or not np.array_equal(x, y):
            out.append(k)
    return out


# -- seeds ------------------------------------------------------------------------------
def seed_instances(claim: Claim, ctx: Context | None = None, *, limit: int = 400) -> list[tuple[str, dict]]:
    """The instances of the claim's own numeric checks: fixed, generated, and Hypothesis draws."""
    ctx = ctx or Context()
    out: list[tuple[str, dict]] = []
    for check in claim.checks:
        if isinstance(check, ExactCheck):
            out += [(f"{check.name} fixed #{i}", dict(x)) for i, x in enumerate(check.fixed)]
            if check.generate is not None:
                rng = ctx.rng(claim.seed_id, check.name)
                gen = check.generate(rng, min(ctx.profile.exact_instances, limit))
                out += [(f"{check.name} generated #{i}", dict(x)) for i, x in enumerate(gen)]
        elif isinstance(check, PropertyCheck):
            out += [(f"{check.name} draw #{i}", x) for i, x in enumerate(_draws(check, claim, ctx, 60))]
    return out[: 4 * limit]


def _draws(check: PropertyCheck, claim: Claim, ctx: Context, n: int) -> list[dict]:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed

    got: list[dict] = []

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @hseed(ctx.profile.seed ^ zlib.crc32(f"{claim.seed_id}::{check.name}::hunt".encode()))
    @given(check.strategy)
    def collect(inst: dict) -> None:
        got.append(dict(inst))

    try:
        collect()
    except Exception:  # a strategy that cannot draw here contributes no seeds
        pass
    return got


def best_of(items: Sequence[Scored]) -> Scored | None:
    """The highest-scoring item, or ``None``."""
    return max(items, key=lambda s: s.score) if items else None
