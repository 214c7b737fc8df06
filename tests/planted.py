"""Deliberately false variants of real catalogue claims ("planted" claims).

Each planted claim strengthens a true catalogue statement just enough to make it
false, keeps the catalogue's own numeric evidence (exact and property checks) and
weakens its high-precision re-check the same way.  The test-suite asserts that the
engine reports every one of them as a counterexample, with a small (shrunk)
instance and a report that reproduces.

The module is importable both by the tests (``import planted``, pytest puts this
directory on ``sys.path``) and by the CLI
(``verifythm reproduce FILE.npz --import tests/planted.py``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp
from verifythm_theorems.wu2022alignment import lemma2_2, lemma3_2, lemma_g1, lemma_g2

from verifythm import (
    Claim,
    Comparison,
    Identity,
    Nonnegative,
    Source,
    SymbolicCheck,
)

# -- the originals (true claims) ------------------------------------------------------------
G1 = lemma_g1.CLAIM
L22 = lemma2_2.CLAIM
G2_PART2 = lemma_g2.PART2
L32 = lemma3_2.IDENTITY


def _numeric_checks(claim: Claim) -> tuple[Any, ...]:
    """The exact and property checks of a catalogue claim (the symbolic one is dropped:
    its obligations do not depend on the conclusion, so it cannot see the planted change)."""
    return (claim.check("exact"), claim.check("property"))


# -- a. Lemma G.1 with the bound −a²/(4b) multiplied by 0.9 ---------------------------------
G1_FACTOR = 0.9


def g1_conclusion(inst: dict[str, Any]) -> Comparison:
    """``inf_θ g(a, b, θ)`` versus the (false) bound ``−0.9·a²/(4b)``."""
    cmp = lemma_g1.conclusion(inst)
    return Comparison(cmp.lhs, G1_FACTOR * cmp.rhs, ">=", cmp.lhs_label, "−0.9·a²/(4b)")


def g1_precise(inst: dict[str, Any]) -> Comparison:
    """The catalogue's mpmath re-check, weakened the same way."""
    cmp = lemma_g1.precise(inst)
    return Comparison(cmp.lhs, G1_FACTOR * cmp.rhs, ">=")


G1_PLANTED = G1.variant(
    id="planted.lemma_g1_bound_09",
    title="PLANTED (false): inf_θ g(a,b,θ) ≥ −0.9·a²/(4b)",
    conclusion=g1_conclusion,
    precise_conclusion=g1_precise,
    checks=_numeric_checks(G1),
)


# -- b. Lemma 2.2 with γ replaced by 1.1·γ ---------------------------------------------------
L22_FACTOR = 1.1


def l22_conclusion(inst: dict[str, Any]) -> Comparison:
    """μ₁(θ) versus the (false) bound 1.1·γ(θ)."""
    cmp = lemma2_2.conclusion(inst)
    return Comparison(cmp.lhs, L22_FACTOR * cmp.rhs, ">=", cmp.lhs_label, "1.1·γ(θ)")


def l22_precise(inst: dict[str, Any]) -> Comparison:
    """The catalogue's exact-rational re-check, weakened the same way."""
    cmp = lemma2_2.precise(inst)
    return Comparison(cmp.lhs, L22_FACTOR * cmp.rhs, ">=")


L22_PLANTED = L22.variant(
    id="planted.lemma2_2_gamma_11",
    title="PLANTED (false): μ₁(θ) ≥ 1.1·γ(θ)",
    conclusion=l22_conclusion,
    precise_conclusion=l22_precise,
    checks=_numeric_checks(L22),
)


# -- c. Lemma G.2 part 2 with the bound 1 replaced by 0.9 ------------------------------------
G2_BOUND = 0.9


def g2_conclusion(inst: dict[str, Any]) -> Comparison:
    """``sup_θ r(θ)`` versus the (false) bound 0.9."""
    cmp = lemma_g2.sup_conclusion(inst)
    return Comparison(cmp.lhs, G2_BOUND, "<=", cmp.lhs_label, "0.9", scale=cmp.scale)


def g2_precise(inst: dict[str, Any]) -> Comparison:
    """The catalogue's mpmath re-check, against 0.9."""
    cmp = lemma_g2.PART2.precise_conclusion(inst)  # type: ignore[misc]
    return Comparison(cmp.lhs, G2_BOUND, "<=", scale=cmp.scale)


G2_PLANTED = G2_PART2.variant(
    id="planted.lemma_g2_part2_bound_09",
    title="PLANTED (false): sup_θ r(θ) ≤ 0.9 when 0 < η ≤ 2/λ₁(H)",
    conclusion=g2_conclusion,
    precise_conclusion=g2_precise,
    checks=_numeric_checks(G2_PART2),
)


# -- d. Lemma 3.2 with the η²v term multiplied by 0.9 ----------------------------------------
L32_V_FACTOR = 0.9


def l32_sides(inst: dict[str, Any], v_factor: float, *, exact: bool = False) -> Comparison:
    """Both sides of Eq. (6) with the η²v term multiplied by ``v_factor``."""
    lhs, rl, noise = lemma3_2.eq6_terms(inst, exact=exact)
    rhs = rl + (Fraction(v_factor) if exact else v_factor) * noise
    return Comparison(float(lhs), float(rhs), "==", "E[L(θ_{t+1})]", f"E[rL + {v_factor:g}·η²v]")


L32_PLANTED = L32.variant(
    id="planted.lemma3_2_v_09",
    title="PLANTED (false): E[L(θ_{t+1})] = E[r(θ_t)L(θ_t) + 0.9·η²v(θ_t)]",
    conclusion=lambda inst: l32_sides(inst, L32_V_FACTOR),
    precise_conclusion=lambda inst: l32_sides(inst, L32_V_FACTOR, exact=True),
    checks=_numeric_checks(L32),
)


# -- e. symbolic obligations -----------------------------------------------------------------
_SRC = Source("wu2022alignment", "planted symbolic test")
_a, _b = sp.symbols("a b", real=True)
_x = sp.Symbol("x", real=True)

SYM_FALSE = Claim(
    id="planted.symbolic_square_false",
    title="PLANTED (false): (a + b)² = a² + b²",
    source=_SRC,
    statement=r"$(a+b)^2 = a^2 + b^2$ for all real $a, b$.",
    checks=(SymbolicCheck("symbolic", lambda: [Identity((_a + _b) ** 2, _a**2 + _b**2, "(a+b)² = a²+b²")]),),
    kind="identity",
)

SYM_TRUE = Claim(
    id="planted.symbolic_square_true",
    title="(a + b)² = a² + 2ab + b² (true; sympy proves it)",
    source=_SRC,
    statement=r"$(a+b)^2 = a^2 + 2ab + b^2$ for all real $a, b$.",
    checks=(
        SymbolicCheck(
            "symbolic",
            lambda: [
                Identity((_a + _b) ** 2, _a**2 + 2 * _a * _b + _b**2, "(a+b)² = a²+2ab+b²"),
                Nonnegative((_a - _b) ** 2, "(a−b)² ≥ 0"),
            ],
        ),
    ),
    kind="identity",
)

SYM_NONNEG_FALSE = Claim(
    id="planted.symbolic_nonneg_false",
    title="PLANTED (false): x² − 2x ≥ 0 for all real x",
    source=_SRC,
    statement=r"$x^2 - 2x \ge 0$ for all real $x$.",
    checks=(SymbolicCheck("symbolic", lambda: [Nonnegative(_x**2 - 2 * _x, "x² − 2x ≥ 0")]),),
)

NUMERIC = [G1_PLANTED, L22_PLANTED, G2_PLANTED, L32_PLANTED]
ORIGINAL_OF = {
    G1_PLANTED.id: G1,
    L22_PLANTED.id: L22,
    G2_PLANTED.id: G2_PART2,
    L32_PLANTED.id: L32,
}
CLAIMS = [*NUMERIC, SYM_FALSE, SYM_TRUE, SYM_NONNEG_FALSE]
