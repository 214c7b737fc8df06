r"""The claim model: sources, comparisons, hypotheses, expectations and claims.

A :class:`Claim` is one checkable statement taken from a paper.  It carries its
citation (:class:`Source`), the statement restated in words, executable
hypotheses on an *instance* (a mapping from names to numbers and arrays), an
executable conclusion that returns a :class:`Comparison` (both sides of the
claimed relation, from which the slack and the tightness ratio follow), the
evidence that backs it, and what the project expects of it (``holds`` or, for a
statement shown false as written, ``fails`` with an erratum).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verifythm.claims.inputs import Input, reads_inputs
from verifythm.claims.status import Status

Instance = Mapping[str, Any]
"""An instance: named scalars and arrays (saved to ``.npz`` without pickle)."""

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


@dataclass(frozen=True)
class Source:
    """Where a result comes from.

    Parameters
    ----------
    key
        Key of the paper in ``docs/references.bib`` (e.g. ``"wu2022alignment"``).
    locator
        Position inside the paper: ``"Lemma G.1"``, ``"Eq. (10)"``, ``"Section 3.1"``.
    page
        Page of the published version where known.
    """

    key: str
    locator: str
    page: int | None = None

    def short(self) -> str:
        """Return ``"[key, locator, p. page]"``."""
        page = f", p. {self.page}" if self.page is not None else ""
        return f"[{self.key}, {self.locator}{page}]"


@dataclass(frozen=True)
class Tolerance:
    """Floating-point tolerance for comparisons: ``atol + rtol * scale``.

    ``scale`` is the larger magnitude of the two sides of the comparison.
    """

    rtol: float = 1e-9
    atol: float = 1e-12

    def bound(self, scale: float) -> float:
        """Return the allowed absolute error for quantities of size ``scale``."""
        return self.atol + self.rtol * scale

    def describe(self) -> str:
        """Human-readable description used in reports."""
        return f"atol={self.atol:g}, rtol={self.rtol:g}"


_RELATIONS = ("<=", ">=", "==")
#: A tolerance wider than this fraction of a comparison's sides cannot resolve a miss beyond rtol.
COARSE = 1e-3


@dataclass(frozen=True)
class Comparison:
    r"""Both sides of a claimed relation ``lhs  relation  rhs``.

    ``slack`` is positive when the relation holds with room to spare, zero at
    equality and negative when violated (for ``==`` it is ``-|lhs - rhs|``).
    ``scale`` (optional) is the magnitude relative tolerances refer to, for
    comparisons such as ``‖A − B‖ <= 0`` whose sides do not carry the scale.
    ``ratio`` is the tightness of an inequality: ``lhs / rhs`` for ``<=`` and
    ``rhs / lhs`` for ``>=`` (1 means tight, > 1 means violated), when defined.
    ``resolution`` (optional) is the absolute uncertainty of the gap as the claim computed
    it (the rounding of an iterate, the truncation error of a finite difference); a
    comparison whose verdict would flip within ``±resolution`` of its gap, while that
    exceeds :data:`COARSE` of the sides, decides nothing (:meth:`unresolved`).
    """

    lhs: float
    rhs: float
    relation: str
    lhs_label: str = "lhs"
    rhs_label: str = "rhs"
    scale: float | None = None
    resolution: float | None = None

    def __post_init__(self) -> None:
        if self.relation not in _RELATIONS:
            raise ValueError(f"relation must be one of {_RELATIONS}, got {self.relation!r}")
        object.__setattr__(self, "lhs", float(self.lhs))
        object.__setattr__(self, "rhs", float(self.rhs))
        if self.scale is not None:
            object.__setattr__(self, "scale", abs(float(self.scale)))
        if self.resolution is not None:
            object.__setattr__(self, "resolution", abs(float(self.resolution)))

    @property
    def magnitude(self) -> float:
        """Size used for relative tolerances: ``scale`` if given, else ``max(|lhs|, |rhs|)``."""
        if self.scale is not None:
            return self.scale
        return max(abs(self.lhs), abs(self.rhs))

    @property
    def slack(self) -> float:
        """Signed distance from failing (negative means violated)."""
        if self.relation == "<=":
            return self.rhs - self.lhs
        if self.relation == ">=":
            return self.lhs - self.rhs
        return -abs(self.lhs - self.rhs)

    @property
    def rel_slack(self) -> float:
        """Slack relative to the size of the sides: ``slack / max(|lhs|, |rhs|)`` (0 if both 0)."""
        scale = self.magnitude
        if scale == 0:
            return 0.0 if self.slack >= 0 else -math.inf
        return self.slack / scale

    @property
    def ratio(self) -> float | None:
        """Tightness ratio (observed / bound) for inequalities, else ``None``."""
        num, den = (self.lhs, self.rhs) if self.relation == "<=" else (self.rhs, self.lhs)
        if self.relation == "==" or den == 0 or num < 0 or den < 0:
            return None
        return num / den

    def unresolved(self, tol: Tolerance) -> str:
        """Why this comparison can decide nothing at ``tol`` (``""`` when it can).

        The engine's single rule: a comparison with a NaN or infinite side, or
        whose size is at or below the tolerance's absolute floor ``atol`` (every two values
        that small compare equal), or that holds only because of that floor while the floor
        is coarser than :data:`COARSE` of the sides (it misses by more than the relative
        tolerance: a 25 % excess on sides of size 1e-12 "holds" at ``atol = 1e-12``), is
        neither evidence for nor against a claim.

        Examples
        --------
        >>> tol = Tolerance(rtol=1e-9, atol=1e-12)
        >>> Comparison(1.0, 2.0, "<=").unresolved(tol)
        ''
        >>> Comparison(float("nan"), 2.0, "<=").unresolved(tol)
        'a side is NaN or infinite'
        >>> Comparison(1.25e-12, 1e-12, "<=").unresolved(tol)[:40]
        'decided only by the absolute tolerance ('
        """
        sides = (self.lhs, self.rhs) if self.scale is None else (self.lhs, self.rhs, self.scale)
        if not all(math.isfinite(x) for x in sides):
            return "a side is NaN or infinite"
        mag = self.magnitude
        size = max(abs(self.lhs), abs(self.rhs))
        res = self.resolution
        if res is not None and res > COARSE * size:
            # the verdict flips somewhere within ±res of the computed gap
            bound = tol.bound(mag)
            if self.slack - res < -bound <= self.slack + res or math.isnan(res):
                return f"the sides are not resolved (uncertainty {res:.3g} against sides of size {size:.3g})"
        if mag <= tol.atol:
            return f"both sides are below the tolerance's resolution (size {mag:.3g} <= atol {tol.atol:g})"
        if -tol.bound(mag) <= self.slack < -tol.rtol * mag and tol.bound(mag) > COARSE * mag:
            return (
                f"decided only by the absolute tolerance (misses by {-self.slack:.3g}, "
                f"{-self.slack / mag:.3g} relative, the tolerance is {tol.bound(mag) / mag:.3g} of the sides)"
            )
        return ""

    def ratio_resolved(self, tol: Tolerance) -> bool:
        """Whether observed / bound is a measurement at ``tol``, not a ratio of rounding errors.

        The same rule as :meth:`unresolved`, read for tightness: the comparison decides
        something, and the tolerance's uncertainty is at most :data:`COARSE` of the sides
        (sides of size 1e-29 against a rounding floor of 1e-28 give no ratio).

        Examples
        --------
        >>> tol = Tolerance(rtol=1e-9, atol=1e-12)
        >>> Comparison(0.5, 1.0, "<=").ratio_resolved(tol), Comparison(1e-10, 2e-10, "<=").ratio_resolved(tol)
        (True, False)
        """
        size = max(abs(self.lhs), abs(self.rhs))
        return not self.unresolved(tol) and tol.bound(self.magnitude) <= COARSE * size

    def holds(self, tol: Tolerance) -> bool:
        """Whether the relation holds within ``tol`` (NaN never holds)."""
        if not (math.isfinite(self.lhs) and math.isfinite(self.rhs)):
            return False
        return self.slack >= -tol.bound(self.magnitude)

    def describe(self) -> str:
        """Return e.g. ``"lhs = 0.25 <= rhs = 0.5 (slack 0.25)"``."""
        return (
            f"{self.lhs_label} = {self.lhs:.12g} {self.relation} "
            f"{self.rhs_label} = {self.rhs:.12g} (slack {self.slack:.6g})"
        )


@dataclass(frozen=True)
class Hypothesis:
    """An executable hypothesis of a claim.

    Parameters
    ----------
    name
        Short name, e.g. ``"H is PSD"``.
    predicate
        Callable taking an instance and returning ``True`` when the hypothesis holds.
    """

    name: str
    predicate: Callable[[Instance], bool]

    def __call__(self, instance: Instance) -> bool:
        """Evaluate the predicate on ``instance``."""
        return bool(self.predicate(instance))


#: Categories of a finding (an expected failure or a documented scope limit).
FINDINGS = ("erratum", "proof-gap", "typo", "edge-case", "scope")
#: The categories that are errors of the paper itself.
PAPER_ERRORS = ("erratum", "proof-gap", "typo")


@dataclass(frozen=True)
class Expected:
    """What the project expects of a claim.

    ``Expected()`` (outcome ``"holds"``) is the default.  ``Expected.fails(erratum, report)``
    records a statement the project has shown false as written; the test-suite
    then treats the claim as a *strict* expected failure.
    """

    outcome: str = "holds"
    erratum: str = ""
    report: str = ""
    finding: str = ""

    @classmethod
    def fails(cls, erratum: str, report: str = "", *, finding: str = "erratum") -> Expected:
        """The statement as encoded fails; ``erratum`` says why in one line.

        Parameters
        ----------
        erratum
            One line: what fails and where.
        report
            Path of the committed report, if any.
        finding
            The category (:data:`FINDINGS`): ``erratum`` (the printed statement is false),
            ``proof-gap`` (a step of the proof is false; the result may survive), ``typo`` (an
            evident slip with an evident fix), ``edge-case`` (false only where the authors
            plainly did not mean it) or ``scope`` (fails once a standing assumption of the paper
            is dropped: the assumption is necessary, the paper is not wrong).
        """
        if not erratum.strip():
            raise ValueError("erratum: an expected failure needs a one-line erratum")
        if finding not in FINDINGS:
            raise ValueError(f"finding: expected one of {FINDINGS}, got {finding!r}")
        return cls("fails", erratum.strip(), report, finding)

    @property
    def is_erratum(self) -> bool:
        """Whether the finding is an error of the paper (``erratum``, ``proof-gap`` or ``typo``)."""
        return self.is_failure and self.finding in PAPER_ERRORS

    @property
    def is_failure(self) -> bool:
        """Whether the claim is a documented erratum."""
        return self.outcome == "fails"

    def satisfied_by(self, status: Status) -> bool:
        """Whether ``status`` is the verdict this expectation asks for."""
        if status is Status.SKIPPED:
            return True
        if self.is_failure:
            return status is Status.COUNTEREXAMPLE
        return status is Status.VERIFIED


def _no_conclusion(instance: Instance) -> Comparison:  # pragma: no cover
    raise NotImplementedError("this claim has no numeric conclusion")


@dataclass(frozen=True)
class Claim:
    r"""One checkable statement.

    Parameters
    ----------
    id
        Stable lowercase dotted id, e.g. ``"wu2022.lemma_g1"``; sub-claims add a
        suffix (``.literal``, ``.as_proved``, ``.part1``).
    title
        One-line title.
    source
        Citation of the result.
    statement
        The result restated in words, with the paper's symbols.
    hypotheses
        Executable hypotheses on an instance.  An instance violating one is
        counted but never used as evidence.
    conclusion
        Callable returning the :class:`Comparison` claimed on an instance.
    checks
        The evidence (symbolic, exact, property-based, …): instances of
        :class:`verifythm.evidence.base.Check`.  The field is typed ``Any`` because the claim
        model sits below the evidence layer (a check runs a claim, so ``evidence.base``
        imports this module and this module may not import it back).
    expected
        :class:`Expected`; ``holds`` by default.
    tolerance
        Floating-point tolerance for the numeric conclusion.
    kind
        ``"inequality"``, ``"identity"``, ``"closed_form"``, … (free text, reported).
    precise_conclusion
        Optional re-evaluation of the conclusion in high precision (mpmath or exact
        rationals); used to confirm a violation before it is reported.
    domains
        Values that categorical instance keys range over *in the statement* (e.g.
        ``{"sampling": ("with-replacement", "without-replacement")}`` for a claim about
        every scheme); a counterexample hunt moves such keys only over these values.
    inputs
        Declared instance schema (:mod:`verifythm.claims.inputs`): keys read once by the engine
        (``float``, ``int``, float arrays) before the conclusion, the precise conclusion and the
        hypotheses see the instance, so they need no hand conversion.
    aliases
        Ids the claim was published under before a rename (oldest first).  The registry, the CLI
        and the plugin resolve them to this claim, and the draws stay those of the first one
        (:attr:`seed_id`), so a rename changes no verdict, slack or counterexample.
    """

    id: str
    title: str
    source: Source
    statement: str
    conclusion: Callable[[Instance], Comparison] = _no_conclusion
    hypotheses: tuple[Hypothesis, ...] = ()
    checks: tuple[Any, ...] = ()  # verifythm.evidence.base.Check (see the docstring)
    expected: Expected = field(default_factory=Expected)
    tolerance: Tolerance = field(default_factory=Tolerance)
    kind: str = "inequality"
    precise_conclusion: Callable[[Instance], Comparison] | None = None
    domains: Mapping[str, Sequence[Any]] = field(default_factory=dict, compare=False, hash=False)
    inputs: Mapping[str, Input] = field(default_factory=dict, compare=False, hash=False)
    aliases: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not _ID_RE.match(self.id):
            raise ValueError(f"id: {self.id!r} is not a lowercase dotted id such as 'wu2022.lemma3_2'")
        object.__setattr__(self, "aliases", tuple(self.aliases))
        bad = [a for a in self.aliases if not isinstance(a, str) or not _ID_RE.match(a) or a == self.id]
        if bad:
            raise ValueError(f"aliases: {bad!r} are not dotted ids other than the claim's own ({self.id!r})")
        if not isinstance(self.source, Source):
            raise TypeError("source: expected a verifythm.Source")
        object.__setattr__(self, "hypotheses", tuple(self.hypotheses))
        object.__setattr__(self, "checks", tuple(self.checks))
        if self.inputs:  # the engine reads the declared keys once, for every caller
            read = functools.partial(reads_inputs, self.inputs)
            object.__setattr__(self, "conclusion", read(self.conclusion))
            if self.precise_conclusion is not None:
                object.__setattr__(self, "precise_conclusion", read(self.precise_conclusion))
            object.__setattr__(
                self, "hypotheses", tuple(Hypothesis(h.name, read(h.predicate)) for h in self.hypotheses)
            )
        names = [c.name for c in self.checks]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"checks: duplicate check names {sorted(dup)} in claim {self.id}")

    # -- evaluation ---------------------------------------------------------
    def failed_hypotheses(self, instance: Instance) -> list[str]:
        """Names of the hypotheses that ``instance`` violates."""
        return [h.name for h in self.hypotheses if not h(instance)]

    def evaluate(self, instance: Instance) -> Comparison:
        """Evaluate the conclusion on ``instance``."""
        return self.conclusion(instance)

    def metadata(self) -> dict[str, Any]:
        """JSON-ready identification of the claim (shared by ``verifythm list`` and reports)."""
        return {
            "id": self.id,
            "title": self.title,
            "source": {"key": self.source.key, "locator": self.source.locator, "page": self.source.page},
            "kind": self.kind,
            "expected": self.expected.outcome,
            "erratum": self.expected.erratum or None,
            "finding": self.expected.finding or None,
            **({"aliases": list(self.aliases)} if self.aliases else {}),
        }

    @property
    def seed_id(self) -> str:
        """The id that salts the claim's draws: the first one it was published under."""
        return self.aliases[0] if self.aliases else self.id

    def variant(self, **changes: Any) -> Claim:
        """Return a copy with fields replaced (sub-claims; planted false claims in tests).

        A variant with a new id below this one (``id + ".part"``) inherits the aliases with the
        same suffix; a variant with any other new id has none unless given.
        """
        new_id = changes.get("id", self.id)
        if "aliases" not in changes and new_id != self.id:
            below = new_id.startswith(self.id + ".")
            changes["aliases"] = tuple(a + new_id[len(self.id) :] for a in self.aliases) if below else ()
        return dataclasses.replace(self, **changes)

    def check(self, name: str) -> Any:
        """Return the check called ``name`` (a :class:`verifythm.evidence.base.Check`)."""
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(f"check: claim {self.id} has no check {name!r}; has {[c.name for c in self.checks]}")
