"""Symbolic evidence (sympy): identities and sign conditions proved for symbolic entries.

A :class:`SymbolicCheck` builds a list of *obligations*:

* :class:`Identity` ``lhs == rhs`` (scalars or matrices), proved when
  ``expand``/``cancel``/``simplify`` reduce ``lhs - rhs`` to zero;
* :class:`Nonnegative` ``expr >= 0`` under the symbols' assumptions, proved when
  sympy's assumption system decides the sign of the (factored) expression.

When sympy cannot close an obligation, the engine falls back to exact rational
evaluation at random points that respect the symbols' assumptions.  A point where
the obligation fails is an exact counterexample; if none is found, the check is
reported ``verified`` with a note that says it rests on the rational fallback,
not on a proof.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from verifythm.claims.model import Comparison, Status
from verifythm.evidence.base import Check, CheckResult, Context, Violation, timed

if TYPE_CHECKING:  # pragma: no cover
    import sympy

    from verifythm.claims.model import Claim


@dataclass
class Identity:
    """Obligation ``lhs == rhs`` (sympy scalars or matrices of equal shape)."""

    lhs: Any
    rhs: Any
    label: str = "identity"


@dataclass
class Nonnegative:
    """Obligation ``expr >= 0`` for every value of the free symbols allowed by their assumptions."""

    expr: Any
    label: str = "nonnegative"


Obligation = Identity | Nonnegative


def _entries(x: Any) -> list[Any]:
    import sympy

    if isinstance(x, sympy.MatrixBase):
        return list(x)
    return [sympy.sympify(x)]


def _is_zero(expr: sympy.Expr) -> bool | None:
    import sympy

    e = sympy.expand(expr)
    if e == 0:
        return True
    e = sympy.cancel(sympy.together(e))
    if e == 0:
        return True
    e = sympy.simplify(e)
    if e == 0:
        return True
    return None


def _all_zero(ob: Identity) -> bool | None:
    """True if every entry of ``lhs - rhs`` simplifies to 0, None if some cannot be decided."""
    for a, b in zip(_entries(ob.lhs), _entries(ob.rhs), strict=True):
        if not _is_zero(a - b):
            return None
    return True


def _sign_nonneg(expr: sympy.Expr) -> bool | None:
    import sympy

    for form in (expr, sympy.factor(expr), sympy.simplify(expr)):
        v = form.is_nonnegative
        if v is not None:
            return bool(v)
    return None


def _random_value(sym: sympy.Symbol, rng: np.random.Generator, simple: bool) -> Any:
    import sympy

    if simple:  # small integers first: they give the most readable counterexamples
        lo = 1 if sym.is_positive else 0 if sym.is_nonnegative else -2
        return sympy.Integer(int(rng.integers(lo, 3)))
    num = int(rng.integers(1, 60))
    den = int(rng.integers(1, 12))
    val = sympy.Rational(num, den)
    if sym.is_positive or sym.is_nonnegative:
        return val
    return val if rng.random() < 0.5 else -val


def _point(
    symbols: Sequence[sympy.Symbol],
    rng: np.random.Generator,
    simple: bool,
) -> dict[Any, Any]:
    return {s: _random_value(s, rng, simple) for s in symbols}


def _free(obligation: Obligation) -> list[Any]:
    syms: set[Any] = set()
    parts = [obligation.lhs, obligation.rhs] if isinstance(obligation, Identity) else [obligation.expr]
    for p in parts:
        for e in _entries(p):
            syms |= e.free_symbols
    return sorted(syms, key=lambda s: s.name)


def _evaluate(obligation: Obligation, point: dict[Any, Any]) -> tuple[bool, Comparison] | None:
    """Exact evaluation at a rational point; ``None`` if the point is outside the domain."""
    import sympy

    if isinstance(obligation, Identity):
        worst = None
        for a, b in zip(_entries(obligation.lhs), _entries(obligation.rhs), strict=True):
            va, vb = sympy.nsimplify(a.subs(point)), sympy.nsimplify(b.subs(point))
            if va.has(sympy.zoo, sympy.nan, sympy.oo) or vb.has(sympy.zoo, sympy.nan, sympy.oo):
                return None
            d = sympy.simplify(va - vb)
            if d != 0:
                return False, Comparison(float(va), float(vb), "==", "lhs", "rhs")
            worst = Comparison(float(va), float(vb), "==", "lhs", "rhs")
        return True, worst  # type: ignore[return-value]
    v = sympy.simplify(sympy.sympify(obligation.expr).subs(point))
    if v.has(sympy.zoo, sympy.nan, sympy.oo) or not v.is_real:
        return None
    cmp = Comparison(float(v), 0.0, ">=", "expr", "0")
    return bool(v >= 0), cmp


class SymbolicCheck(Check):
    """Symbolic evidence built by a function returning obligations.

    Parameters
    ----------
    name
        Check name (``"symbolic"`` by convention).
    build
        Zero-argument callable returning a list of :class:`Identity` /
        :class:`Nonnegative` obligations, built with sympy at small symbolic sizes.
    to_instance
        Optional map from a point (symbol name → value) to an instance of the claim.
        When given, a failing point is re-checked through the claim's conclusion and
        reported as a claim instance (so ``verifythm reproduce`` can replay it).
    """

    method = "symbolic"

    def __init__(
        self,
        name: str,
        build: Callable[[], Sequence[Obligation]],
        *,
        to_instance: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        requires: tuple[str, ...] = (),
        note: str = "",
    ) -> None:
        super().__init__(name, requires=requires, note=note)
        self.build = build
        self.to_instance = to_instance

    def run(self, claim: Claim, ctx: Context) -> CheckResult:
        """Try to prove each obligation; fall back to exact rational evaluation."""
        rng = ctx.rng(claim.seed_id, self.name)
        notes: list[str] = []
        fallback_used = False
        violation = None
        with timed() as t:
            obligations = list(self.build())
            for ob in obligations:
                proved = _all_zero(ob) if isinstance(ob, Identity) else _sign_nonneg(ob.expr)
                if proved:
                    notes.append(f"{ob.label}: proved")
                    continue
                syms = _free(ob)
                tried = 0
                for attempt in range(10 * ctx.profile.symbolic_fallback_points):
                    if tried >= ctx.profile.symbolic_fallback_points:
                        break
                    pt = _point(syms, rng, simple=attempt < 5)
                    ev = _evaluate(ob, pt)
                    if ev is None:
                        continue
                    tried += 1
                    ok, cmp = ev
                    if not ok:
                        violation = self._violation(claim, ob, pt, cmp)
                        break
                if violation is not None:
                    notes.append(f"{ob.label}: FALSE at an exact rational point")
                    break
                if proved is False:
                    notes.append(f"{ob.label}: sympy says false but no rational point found")
                    violation = Violation(
                        {},
                        None,
                        f"{ob.label}: sympy decided it is false",
                        None,
                        "symbolic",
                        is_claim_instance=False,
                    )
                    break
                fallback_used = True
                notes.append(
                    f"{ob.label}: NOT PROVED symbolically; exact rational fallback held at "
                    f"{tried} random points"
                )
        status = Status.COUNTEREXAMPLE if violation else Status.VERIFIED
        note = "; ".join(notes)
        if fallback_used and not violation:
            note = "fallback to exact rational evaluation (not a proof): " + note
        if self.note:
            note = f"{self.note}; {note}"
        res = CheckResult(
            self.name, self.method, status, len(obligations), len(obligations), None, None, None, t[0], note
        )
        res.violation = violation
        return res

    def _violation(self, claim: Claim, ob: Obligation, pt: dict[Any, Any], cmp: Comparison) -> Violation:
        from verifythm.evidence.numeric import judge

        exact = ", ".join(f"{s.name}={v}" for s, v in pt.items())
        desc = f"{ob.label} fails at the exact rational point {exact}: {cmp.describe()}"
        if self.to_instance is not None:
            inst = self.to_instance({s.name: float(v) for s, v in pt.items()})
            if not claim.failed_hypotheses(inst):
                ccmp, viol = judge(claim, inst)
                if viol is not None:
                    viol.description = desc + f"; as a claim instance: {ccmp.describe()}"
                    viol.precision_note = "exact rational evaluation; " + viol.precision_note
                    return viol
        point = {s.name: float(v) for s, v in pt.items()}
        return Violation(point, cmp, desc, None, "exact rational evaluation", is_claim_instance=False)


def expect_quadratic(expr: Any, xi: Sequence[Any], mean: Sequence[Any], cov: Any) -> Any:
    r"""Expectation of a polynomial of degree ≤ 2 in a random vector ξ from its first two moments.

    For any distribution with :math:`\mathbb{E}[\xi] = m` and
    :math:`\mathbb{E}[\xi\xi^T] = C` (second moment, not centred), replaces each
    monomial :math:`\xi_i` by :math:`m_i` and :math:`\xi_i\xi_j` by :math:`C_{ij}`.
    This is exact for every distribution with those moments, which is what lets a
    symbolic check speak for "any zero-mean noise with covariance S".

    Raises
    ------
    ValueError
        If ``expr`` has degree > 2 in ξ.
    """
    import sympy

    poly = sympy.Poly(sympy.expand(expr), *xi)
    out = sympy.Integer(0)
    for monom, coeff in poly.terms():
        deg = sum(monom)
        if deg == 0:
            out += coeff
        elif deg == 1:
            out += coeff * mean[monom.index(1)]
        elif deg == 2:
            idx = [i for i, k in enumerate(monom) for _ in range(k)]
            out += coeff * cov[idx[0], idx[1]]
        else:
            raise ValueError(f"expr: degree {deg} in xi; expect_quadratic handles degree ≤ 2")
    return out
