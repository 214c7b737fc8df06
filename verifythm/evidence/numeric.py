"""Numeric evidence: exact checks over generated instances and property-based checks.

Both evaluate a claim's hypotheses and conclusion on instances.  Instances that
violate a hypothesis are counted, never used as evidence.  A violation of the
conclusion is re-evaluated in high precision — with the claim's ``precise_conclusion``
(mpmath or exact rationals) when it has one, else with the engine's own quantities
switched to high precision — and reported only if it is confirmed there.
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


#: The note of a float64 violation that no high-precision evaluation re-checked.
NO_RECHECK = "violation seen in float64; the claim has no high-precision re-check"


def confirmation_of(note: str) -> str:
    """The kind of re-check a violation's ``precision_note`` reports.

    ``engine`` (the engine's quantities re-computed in high precision), ``claim`` (the claim's
    own ``precise_conclusion``), ``symbolic`` (an exact rational point), ``replicate`` (an
    independent Monte Carlo replicate), ``trend`` (the hidden-constant trend test), ``none``
    (float64 only) or ``other``.

    Examples
    --------
    >>> confirmation_of(NO_RECHECK), confirmation_of("independent Monte Carlo replicate agrees")
    ('none', 'replicate')
    """
    if "engine quantities re-computed" in note:
        return "engine"
    if note.startswith("exact rational evaluation"):
        return "symbolic"
    if "Monte Carlo replicate" in note:
        return "replicate"
    if "trend test" in note:
        return "trend"
    if note.startswith(NO_RECHECK):
        return "none"
    if "high-precision re-check" in note:
        return "claim"
    return "other"


def engine_recheck(claim: Claim, instance: Instance) -> tuple[Comparison | None, str]:
    """Re-evaluate ``claim.conclusion`` with the engine's quantities in high precision.

    Runs the conclusion inside :func:`verifythm.dynamics.precise.engine_precision`; the result
    counts as a high-precision re-check only if at least one engine function actually switched
    (its :class:`~verifythm.dynamics.precise.PrecisionLog` is not empty).  Returns the comparison
    (``None`` when nothing switched or the re-evaluation raised) and the log's summary, or why
    there was no re-check.
    """
    from verifythm.dynamics.precise import engine_precision

    with engine_precision() as log:
        try:
            cmp = claim.conclusion(instance)
        except Exception as exc:  # the float64 evaluation stands
            return None, f"; the engine re-check raised {type(exc).__name__}: {exc}"
    if not log.switched:
        why = f"; precise engine unavailable ({'; '.join(log.failures)})" if log.failures else ""
        return None, why
    return cmp, log.summary()


def judge(
    claim: Claim, instance: Instance, cmp: Comparison | None = None
) -> tuple[Comparison, Violation | None]:
    """Evaluate ``claim`` on ``instance`` (hypotheses assumed met).

    Returns the comparison and, if the conclusion is violated (and the violation survives the
    high-precision re-check when there is one), a :class:`Violation`.  The re-check is the
    claim's ``precise_conclusion`` when it has one; otherwise, for a non-statistical conclusion,
    the conclusion itself re-evaluated with the engine's quantities (ρ, η*, λ₁, σ, the alignment
    traces, …) in high precision (:func:`engine_recheck`), which counts only if an engine
    function actually switched.  When the re-check holds, the float64 violation is a rounding
    artefact and the high-precision comparison is returned (a statistical conclusion's
    replicate that holds just does not confirm); if the two evaluations differ by more than
    rounding, they are inconsistent and :class:`PrecisionDisagreement` is raised (the check then
    ends in ``error``).  A comparison that is
    :meth:`~verifythm.claims.model.Comparison.unresolved` (NaN/inf sides, sides below the
    tolerance's resolution) is never a violation: it is returned as is, and the caller counts it
    as unresolved.  The violation's ``precision_note`` says which re-check confirmed it.
    """
    if cmp is None:  # ``cmp``: the float64 comparison when the caller already evaluated it
        cmp = claim.evaluate(instance)
    if cmp.unresolved(claim.tolerance) or cmp.holds(claim.tolerance):
        return cmp, None  # unresolved comparisons are never violations (the caller counts them)
    precise = None
    note = NO_RECHECK
    statistical = is_statistical(claim.conclusion)
    engine = ""
    if claim.precise_conclusion is not None:
        precise = claim.precise_conclusion(instance)
    elif not statistical:
        precise, engine = engine_recheck(claim, instance)
        if precise is None:
            note += engine
    if precise is not None:
        if (precise.lhs_label, precise.rhs_label) == ("lhs", "rhs"):
            precise = dataclasses.replace(precise, lhs_label=cmp.lhs_label, rhs_label=cmp.rhs_label)
        if precise.unresolved(claim.tolerance):
            return precise, None  # the re-check cannot decide: not evidence either way
        if precise.holds(claim.tolerance):
            if statistical:
                return precise, None  # the independent replicate does not confirm the violation
            floor = claim.tolerance.atol / claim.tolerance.rtol if claim.tolerance.rtol else 0.0
            size = max(cmp.magnitude, precise.magnitude, floor)
            gap = max(abs(cmp.lhs - precise.lhs), abs(cmp.rhs - precise.rhs))
            if not gap <= _AGREEMENT_RTOL * size:
                what = (
                    f"the float64 engine and its high-precision re-computation ({engine})"
                    if engine
                    else "conclusion and precise_conclusion"
                )
                raise PrecisionDisagreement(
                    f"claim {claim.id}: {what} disagree: {cmp.describe()} vs {precise.describe()}, "
                    f"by {gap:.3g}, more than rounding"
                )
            return precise, None  # a rounding artefact, not a counterexample
        if statistical:
            note = "violation confirmed by an independent Monte Carlo replicate"
        elif engine:
            note = (
                f"violation confirmed with the engine quantities re-computed in high precision: {engine} "
                "(the claim's own arithmetic in float64)"
            )
        else:
            note = "violation confirmed by the high-precision re-check"
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
        tol = claim.tolerance
        candidates: list[tuple[Instance, Comparison]] = []
        best: Violation | None = None
        with timed() as t:
            insts: list[Instance] = list(self.fixed)
            if self.generate is not None:
                rng = ctx.rng(claim.seed_id, self.name)
                insts += list(self.generate(rng, ctx.profile.exact_instances))
            for inst in insts:
                if claim.failed_hypotheses(inst):
                    tally.skip()
                    continue
                cmp = claim.evaluate(inst)
                if cmp.unresolved(tol) or cmp.holds(tol):
                    tally.record(inst, cmp, tol)
                else:
                    candidates.append((inst, cmp))
            # The float64 violations are confirmed (high precision) smallest instance first; among
            # equals the first listed (fixed instances lead).  One confirmed violation decides the
            # check, so the rest are kept as float64 violations without paying for their re-check.
            candidates.sort(key=lambda ic: instance_size(ic[0]))
            for inst, cmp in candidates:
                viol = None
                if best is None:
                    cmp, viol = judge(claim, inst, cmp)
                    best = viol
                tally.record(inst, cmp, tol)
        res_note = self._note(claim) + unresolved_note(tally)
        res = CheckResult.from_tally(self, tally, t[0], res_note)
        if best is not None:
            res.status = Status.COUNTEREXAMPLE
            res.violation = best
            res.note += f"; {len(candidates)} float64 violation(s), the smallest confirmed reported"
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
        from hypothesis import HealthCheck, Phase, given, settings, target
        from hypothesis import seed as hseed

        tally = Tally()
        last: list[Violation] = []
        n_examples = self.max_examples or ctx.profile.max_examples

        phases = tuple(Phase) if ctx.shrink else tuple(p for p in Phase if p is not Phase.shrink)

        @settings(
            max_examples=n_examples,
            database=None,
            deadline=None,
            print_blob=False,
            suppress_health_check=list(HealthCheck),
            phases=phases,
        )
        @hseed(ctx.profile.seed ^ zlib.crc32(f"{claim.seed_id}::{self.name}".encode()))
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

        shrinking = "Hypothesis shrinking" if ctx.shrink else "no shrinking"
        note = f"tolerance {claim.tolerance.describe()}; {n_examples} examples, {shrinking}"
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
