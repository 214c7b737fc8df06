"""Numeric evidence: exact checks over generated instances and property-based checks.

Both evaluate a claim's hypotheses and conclusion on instances.  Instances that
violate a hypothesis are counted, never used as evidence.  A violation of the
conclusion is re-evaluated with the claim's ``precise_conclusion`` (mpmath or
exact rationals) when it has one, and reported only if it is confirmed there.
"""

from __future__ import annotations

import dataclasses
import math
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from verifythm.claims.model import Comparison, Instance, Status
from verifythm.evidence.base import (
    Check,
    CheckResult,
    Context,
    Tally,
    Violation,
    is_statistical,
    numeric_status,
    timed,
    unresolved_note,
)
from verifythm.evidence.hypothesis_env import seed_only_draws

if TYPE_CHECKING:  # pragma: no cover
    from hypothesis.strategies import SearchStrategy

    from verifythm.claims.model import Claim


class PrecisionDisagreement(ValueError):
    """The float64 conclusion and the high-precision re-check disagree beyond rounding."""


# The two evaluations of a conclusion may differ by rounding only: relative 1e-6 is far above
# float64 error on the papers' quantities and far below any mathematical discrepancy.
_AGREEMENT_RTOL = 1e-6


def judge(claim: Claim, instance: Instance) -> tuple[Comparison, Violation | None]:
    """Evaluate ``claim`` on ``instance`` (hypotheses assumed met).

    Returns the comparison and, if the conclusion is violated (and the violation
    survives the high-precision re-check when the claim provides one), a
    :class:`Violation`.  When the re-check holds, the float64 violation is a rounding
    artefact and the high-precision comparison is returned; if the two evaluations
    differ by more than rounding, the claim's two formulas are inconsistent and
    :class:`PrecisionDisagreement` is raised (the check then ends in ``error``).  A comparison
    that is :meth:`~verifythm.claims.model.Comparison.unresolved` (NaN/inf sides, sides below
    the tolerance's resolution) is never a violation: it is returned as is, and the caller
    counts it as unresolved.
    """
    cmp = claim.evaluate(instance)
    if cmp.unresolved(claim.tolerance) or cmp.holds(claim.tolerance):
        return cmp, None  # unresolved comparisons are never violations (the caller counts them)
    precise = None
    note = "violation seen in float64; the claim has no high-precision re-check"
    if claim.precise_conclusion is not None:
        precise = claim.precise_conclusion(instance)
        if (precise.lhs_label, precise.rhs_label) == ("lhs", "rhs"):
            precise = dataclasses.replace(precise, lhs_label=cmp.lhs_label, rhs_label=cmp.rhs_label)
        if precise.unresolved(claim.tolerance):
            return precise, None  # the re-check cannot decide: not evidence either way
        if precise.holds(claim.tolerance):
            if is_statistical(claim.conclusion):
                return precise, None  # the independent replicate does not confirm the violation
            floor = claim.tolerance.atol / claim.tolerance.rtol if claim.tolerance.rtol else 0.0
            size = max(cmp.magnitude, precise.magnitude, floor)
            gap = max(abs(cmp.lhs - precise.lhs), abs(cmp.rhs - precise.rhs))
            if not gap <= _AGREEMENT_RTOL * size:
                raise PrecisionDisagreement(
                    f"claim {claim.id}: conclusion ({cmp.describe()}) and precise_conclusion "
                    f"({precise.describe()}) disagree by {gap:.3g}, more than rounding"
                )
            return precise, None  # a rounding artefact, not a counterexample
        note = (
            "violation confirmed by an independent Monte Carlo replicate"
            if is_statistical(claim.conclusion)
            else "violation confirmed by the high-precision re-check"
        )
    return cmp, Violation(dict(instance), cmp, cmp.describe(), precise, note)


def instance_size(instance: Instance) -> int:
    """Total number of scalars in an instance (used to prefer small counterexamples)."""
    return int(sum(np.asarray(v).size for v in instance.values()))


class ExactCheck(Check):
    """Check the conclusion exactly (to a stated tolerance) on generated instances.

    Parameters
    ----------
    name
        Check name (``"exact"`` by convention).
    generate
        ``generate(rng, k)`` yields ``k`` instances; it must be deterministic given ``rng``.
    fixed
        Instances always checked first (the paper's worked examples, edge cases).
    """

    method = "exact"

    def __init__(
        self,
        name: str,
        generate: Callable[[np.random.Generator, int], Iterable[Instance]] | None = None,
        *,
        fixed: Sequence[Instance] = (),
        requires: tuple[str, ...] = (),
        note: str = "",
    ) -> None:
        super().__init__(name, requires=requires, note=note)
        if generate is None and not fixed:
            raise ValueError("generate: an exact check needs a generator or fixed instances")
        self.generate = generate
        self.fixed = tuple(fixed)

    def run(self, claim: Claim, ctx: Context) -> CheckResult:
        """Evaluate every instance; report the smallest confirmed violation."""
        tally = Tally()
        violations: list[Violation] = []
        with timed() as t:
            insts: list[Instance] = list(self.fixed)
            if self.generate is not None:
                rng = ctx.rng(claim.id, self.name)
                insts += list(self.generate(rng, ctx.profile.exact_instances))
            for inst in insts:
                if claim.failed_hypotheses(inst):
                    tally.skip()
                    continue
                cmp, viol = judge(claim, inst)
                tally.record(inst, cmp, claim.tolerance)
                if viol is not None:
                    violations.append(viol)
        res_note = self._note(claim) + unresolved_note(tally)
        # smallest instance first; among equals, the first listed (fixed instances lead)
        res = CheckResult.from_tally(self, tally, t[0], res_note)
        if violations:
            best = min(violations, key=lambda v: instance_size(v.instance))
            res.status = Status.COUNTEREXAMPLE
            res.violation = best
            res.note += f"; {len(violations)} violating instance(s), smallest reported"
        else:
            res.status, why = numeric_status(tally)
            if why:
                res.note += "; " + why
        return res

    def _note(self, claim: Claim) -> str:
        base = f"tolerance {claim.tolerance.describe()}"
        return f"{base}; {self.note}" if self.note else base


class _Violated(Exception):
    pass


class PropertyCheck(Check):
    """Property-based check: Hypothesis ``@given`` over a strategy of instances.

    For inequalities Hypothesis is steered towards small relative slack with
    ``target()`` (identities are not targeted: their slack is rounding noise); a violation is
    shrunk by Hypothesis to a minimal instance.  The seed is fixed per profile and
    the example database is disabled, so runs are reproducible.

    Parameters
    ----------
    name
        Check name (``"property"`` by convention).
    strategy
        A Hypothesis strategy producing instances (dicts of scalars/arrays).
    max_examples
        Overrides the profile's ``max_examples`` when given.
    """

    method = "property"

    def __init__(
        self,
        name: str,
        strategy: SearchStrategy[dict[str, Any]],
        *,
        max_examples: int | None = None,
        requires: tuple[str, ...] = (),
        note: str = "",
    ) -> None:
        super().__init__(name, requires=requires, note=note)
        self.strategy = strategy
        self.max_examples = max_examples

    def run(self, claim: Claim, ctx: Context) -> CheckResult:
        """Run Hypothesis; on failure keep the shrunk instance."""
        from hypothesis import HealthCheck, given, settings, target
        from hypothesis import seed as hseed

        tally = Tally()
        last: list[Violation] = []
        n_examples = self.max_examples or ctx.profile.max_examples

        @settings(
            max_examples=n_examples,
            database=None,
            deadline=None,
            print_blob=False,
            suppress_health_check=list(HealthCheck),
        )
        @hseed(ctx.profile.seed ^ zlib.crc32(f"{claim.id}::{self.name}".encode()))
        @given(self.strategy)
        def prop(instance: dict[str, Any]) -> None:
            if claim.failed_hypotheses(instance):
                tally.skip()
                return
            cmp, viol = judge(claim, instance)
            resolved = tally.record(instance, cmp, claim.tolerance)
            rel = cmp.rel_slack
            if resolved and cmp.relation != "==" and math.isfinite(rel):
                # Rounded so that float noise below 1e-12 is not an "improvement": otherwise
                # Hypothesis' hill-climbing chases rounding error for a very long time.
                target(round(-rel, 12), label="relative violation")
            if viol is not None:
                last.append(viol)
                raise _Violated(viol.description)

        note = f"tolerance {claim.tolerance.describe()}; {n_examples} examples, Hypothesis shrinking"
        if self.note:
            note += "; " + self.note
        error = None
        with timed() as t, seed_only_draws():
            try:
                prop()
            except _Violated:
                pass
            except Exception as exc:  # the conclusion or a hypothesis raised
                error = f"{type(exc).__name__}: {exc}"
        res = CheckResult.from_tally(self, tally, t[0], note + unresolved_note(tally))
        if error is not None:
            res.status = Status.ERROR
            res.note = f"{note}; check raised {error}"
        elif last:
            # Hypothesis replays the shrunk example last.
            res.status = Status.COUNTEREXAMPLE
            res.violation = last[-1]
            res.note += "; counterexample shrunk by Hypothesis"
        else:
            res.status, why = numeric_status(tally)
            if why:
                res.note += "; " + why
        return res
