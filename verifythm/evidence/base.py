"""Common types of the evidence engine: profiles, run context, checks and their results."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from verifythm.claims.model import Comparison, Instance, Status, Tolerance

if TYPE_CHECKING:  # pragma: no cover
    from verifythm.claims.model import Claim


@dataclass(frozen=True)
class Profile:
    """How hard the evidence engine works.

    Parameters
    ----------
    name
        ``"quick"`` (default, CI) or ``"thorough"`` (release runs).
    seed
        Seed fixed per profile; every random choice derives from it.
    max_examples
        Examples per property-based check (Hypothesis ``max_examples``).
    exact_instances
        Instances per exact numeric check.
    symbolic_fallback_points
        Random rational points used when sympy cannot close an identity.
    """

    name: str
    seed: int
    max_examples: int
    exact_instances: int
    symbolic_fallback_points: int = 20


PROFILES: dict[str, Profile] = {
    "quick": Profile("quick", seed=20221, max_examples=150, exact_instances=60),
    "thorough": Profile(
        "thorough", seed=20222, max_examples=2000, exact_instances=1000, symbolic_fallback_points=200
    ),
}


def get_profile(name: str, seed: int | None = None) -> Profile:
    """Return the named profile, optionally with its seed overridden.

    Raises
    ------
    ValueError
        If ``name`` is not a known profile.
    """
    try:
        prof = PROFILES[name]
    except KeyError:
        raise ValueError(f"profile: unknown profile {name!r}; choose one of {sorted(PROFILES)}") from None
    if seed is not None:
        if not isinstance(seed, int) or seed < 0:
            raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
        prof = Profile(
            prof.name, seed, prof.max_examples, prof.exact_instances, prof.symbolic_fallback_points
        )
    return prof


@dataclass
class Context:
    """Everything a check needs at run time."""

    profile: Profile = field(default_factory=lambda: PROFILES["quick"])
    backend: str = "numpy"
    device: str | None = None  # torch device ("cpu", "cuda") when ``backend == "torch"``
    #: Whether property checks shrink a violation to a minimal instance (reports want it; a
    #: caller that only needs the verdict, such as the mutation tests, may skip it).
    shrink: bool = True

    def rng(self, *salt: str) -> np.random.Generator:
        """A generator seeded from the profile seed and a salt (e.g. claim id, check name)."""
        import zlib

        mix = [self.profile.seed] + [zlib.crc32(s.encode()) for s in salt]
        return np.random.default_rng(mix)


@dataclass
class Violation:
    """A violating instance found by a check."""

    instance: dict[str, Any]
    comparison: Comparison | None
    description: str
    precise: Comparison | None = None
    precision_note: str = ""
    is_claim_instance: bool = True


@dataclass
class CheckResult:
    """Outcome of one check on one claim (the ``checks[]`` entries of the JSON report)."""

    name: str
    method: str
    status: Status
    instances: int = 0
    hypotheses_met: int = 0
    worst_slack: float | None = None  # relative: slack / max(|lhs|, |rhs|, atol/rtol)
    worst_ratio: float | None = None
    worst_instance: dict[str, Any] | None = None
    duration_s: float = 0.0
    note: str = ""
    violation: Violation | None = None
    unresolved: int = 0  # instances meeting the hypotheses whose comparison decides nothing
    explored: dict[str, Any] | None = None  # the region the instances covered (see Tally)
    constant: dict[str, Any] | None = None  # the hidden-constant protocol's fit / hold-out summary
    traceback: str = field(default="", repr=False)  # an ``error``'s traceback (the user's frames last)

    @classmethod
    def from_tally(cls, check: Check, tally: Tally, duration_s: float, note: str) -> CheckResult:
        """A ``verified`` result carrying a numeric check's counts and worst slack."""
        return cls(
            check.name,
            check.method,
            Status.VERIFIED,
            tally.instances,
            tally.met,
            tally.worst_slack,
            tally.worst_ratio,
            tally.worst_instance,
            duration_s,
            note,
            unresolved=tally.unresolved,
            explored=tally.explored(),
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready ``checks[]`` entry of the JSON report (``docs/guides/getting_started.md``)."""
        return {
            "name": self.name,
            "method": self.method,
            "status": self.status.value,
            "instances": self.instances,
            "hypotheses_met": self.hypotheses_met,
            "worst_slack": _finite_or_none(self.worst_slack),
            "worst_ratio": _finite_or_none(self.worst_ratio),
            "unresolved": self.unresolved,
            "explored": self.explored,
            "constant": self.constant,
            "duration_s": round(self.duration_s, 4),
            "note": self.note,
        }


def _finite_or_none(x: float | None) -> float | None:
    if x is None or not np.isfinite(x):
        return None
    return float(x)


def relative_slack(cmp: Comparison, tol: Tolerance) -> float:
    """The relative slack ``slack / max(magnitude, atol/rtol)`` (negative means violated).

    Below ``atol/rtol`` the tolerance is absolute, so tiny quantities are not inflated into
    large relative errors.
    """
    floor = tol.atol / tol.rtol if tol.rtol > 0 else 0.0
    scale = max(cmp.magnitude, floor)
    return cmp.slack / scale if scale > 0 else cmp.rel_slack


def is_statistical(conclusion: Any) -> bool:
    """Whether a conclusion is a statistical decision (its replicate need not agree to rounding)."""
    return bool(getattr(conclusion, "statistical", False))


_Fn = TypeVar("_Fn", bound=Callable[..., Any])


def statistical(conclusion: _Fn) -> _Fn:
    """Mark a conclusion as a statistical decision (:func:`is_statistical`).

    Its violation is then confirmed by an independent replicate (the claim's
    ``precise_conclusion``) rather than by a re-evaluation that must agree to rounding.
    """
    setattr(conclusion, "statistical", True)  # noqa: B010 (an attribute of a function object)
    return conclusion


class Tally:
    """Counts instances, hypotheses met, unresolved comparisons, the worst slack and the region.

    An instance that meets the hypotheses but whose comparison decides nothing
    (:meth:`~verifythm.claims.model.Comparison.unresolved`: a NaN or infinite side, sides
    below the tolerance's resolution, or a pass that only the absolute tolerance grants) is
    counted in ``unresolved`` and is never evidence: it sets no worst slack and no region.
    """

    def __init__(self) -> None:
        from verifythm.evidence.explored import Region

        self.instances = 0
        self.met = 0
        self.unresolved = 0
        self.unresolved_why: dict[str, int] = {}
        self.worst_slack: float | None = None
        self.worst_ratio: float | None = None
        self.worst_instance: dict[str, Any] | None = None
        self.region = Region()

    @property
    def resolved(self) -> int:
        """Instances that met the hypotheses and were decided."""
        return self.met - self.unresolved

    def skip(self) -> None:
        """Record an instance that violates a hypothesis (not evidence)."""
        self.instances += 1

    def record(self, instance: Instance, cmp: Comparison, tol: Tolerance) -> bool:
        """Record an instance that meets the hypotheses; return whether it was resolved.

        The slack is recorded relative to ``max(magnitude, atol/rtol)``: below that size
        the tolerance is absolute, so tinier quantities are not inflated into large
        relative errors.
        """
        self.instances += 1
        self.met += 1
        why = cmp.unresolved(tol)
        if why:
            self.unresolved += 1
            head = why.split(" (")[0]
            self.unresolved_why[head] = self.unresolved_why.get(head, 0) + 1
            return False
        self.region.add(instance)
        s = relative_slack(cmp, tol)
        if self.worst_slack is None or s < self.worst_slack:
            self.worst_slack = s
            self.worst_instance = dict(instance)
        r = cmp.ratio
        if r is not None and math.isfinite(r) and (self.worst_ratio is None or r > self.worst_ratio):
            self.worst_ratio = r
        return True

    def explored(self) -> dict[str, Any]:
        """The ``"explored"`` object of the check's JSON entry."""
        return self.region.to_json(met=self.met, unmet=self.instances - self.met, unresolved=self.unresolved)


# Fraction of instances that must meet the hypotheses before numeric evidence counts.
MIN_MET_FRACTION = 0.05
MIN_MET_COUNT = 3
#: Above this fraction of unresolved instances (among those meeting the hypotheses) a check is
#: inconclusive.  At 1/2 the verdict of identity checks whose strategies draw many all-zero
#: instances (wu2022 Eq. (10): 75 of 150) flipped with the seed; the counts are always reported.
UNRESOLVED_DOMINANT = 0.75


def numeric_status(tally: Tally) -> tuple[Status, str]:
    """Status of a numeric check without violations: verified, vacuous or inconclusive.

    ``vacuous`` when the hypotheses were (almost) never met, or met only on degenerate
    instances (all zero, a single sample); ``inconclusive`` when unresolved comparisons
    dominate (more than :data:`UNRESOLVED_DOMINANT` of the instances meeting the hypotheses) or
    fewer than :data:`MIN_MET_COUNT` were
    resolved.
    """
    if tally.met < MIN_MET_COUNT or tally.met < MIN_MET_FRACTION * max(tally.instances, 1):
        return Status.VACUOUS, (
            f"hypotheses met on only {tally.met} of {tally.instances} instances "
            f"(need ≥ {MIN_MET_COUNT} and ≥ {MIN_MET_FRACTION:.0%})"
        )
    if tally.unresolved:
        why = ", ".join(f"{k}: {v}" for k, v in sorted(tally.unresolved_why.items()))
        if tally.resolved < MIN_MET_COUNT or tally.unresolved > UNRESOLVED_DOMINANT * tally.met:
            return Status.INCONCLUSIVE, (
                f"{tally.unresolved} of {tally.met} instances meeting the hypotheses were unresolved ({why})"
            )
    if tally.region.only_degenerate:
        return Status.VACUOUS, "hypotheses met only on degenerate instances (all zero or n = 1)"
    return Status.VERIFIED, ""


def unresolved_note(tally: Tally) -> str:
    """``"; k unresolved (reasons)"`` for a check's note, or ``""``."""
    if not tally.unresolved:
        return ""
    why = ", ".join(f"{k}: {v}" for k, v in sorted(tally.unresolved_why.items()))
    return f"; {tally.unresolved} unresolved, not evidence ({why})"


class Check:
    """Base class of a piece of evidence attached to a claim.

    Subclasses implement :meth:`run`; ``method`` is one of ``symbolic``,
    ``exact``, ``property``, ``monte_carlo``, ``constant_fit``, ``search``.
    ``requires`` lists optional modules (e.g. ``"torch"``); when one is missing the
    check is ``skipped``.
    """

    method: str = "exact"

    def __init__(self, name: str, *, requires: tuple[str, ...] = (), note: str = "") -> None:
        if not name or not name.replace("_", "").isalnum():
            raise ValueError(f"name: check names are short identifiers, got {name!r}")
        self.name = name
        self.requires = tuple(requires)
        self.note = note

    def run(self, claim: Claim, ctx: Context) -> CheckResult:  # pragma: no cover
        """Run the check on ``claim``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


@contextmanager
def timed() -> Iterator[list[float]]:
    """Context manager yielding a one-element list filled with the elapsed seconds."""
    box = [0.0]
    t0 = time.perf_counter()
    try:
        yield box
    finally:
        box[0] = time.perf_counter() - t0
