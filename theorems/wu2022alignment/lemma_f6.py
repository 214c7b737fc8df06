r"""Wu, Wang & Su (2022), Lemma F.6: Rademacher complexity of a product of two bounded classes.

Setting
-------
Two classes :math:`\mathcal F,\mathcal G` of real functions with
:math:`\sup_{f\in\mathcal F}\|f\|_\infty\le A` and :math:`\sup_{g\in\mathcal G}\|g\|_\infty\le B`, and
the product class :math:`\mathcal F*\mathcal G=\{x\mapsto f(x)g(x)\}`.  The Rademacher complexity
only sees the values on the sample :math:`z_1,\dots,z_n`, so an instance is a finite class given by
its value matrices :math:`F\in\mathbb R^{|\mathcal F|\times n}`, :math:`G\in\mathbb R^{|\mathcal G|\times n}`
and the constants A, B (taking the domain to be the sample makes
:math:`A=\max|F|` admissible, the tightest case).

Statement
---------
:math:`\widehat{\mathrm{Rad}}_n(\mathcal F*\mathcal G)\le(A+B)\bigl(\widehat{\mathrm{Rad}}_n(\mathcal F)
+\widehat{\mathrm{Rad}}_n(\mathcal G)\bigr)`.

Evidence
--------
* ``exact``: all three complexities by enumerating the :math:`2^n` signs (n ≤ 10, classes of up to
  6 functions) on seeded classes: Gaussian and sign-valued functions, classes containing a constant
  function, very unequal scales.  The bound is approached (ratio → 1) by
  :math:`\mathcal F=\{A\}` (one constant function, :math:`\mathrm{Rad}(\mathcal F)=0`) and
  :math:`B\ll A`: then :math:`\mathrm{Rad}(\mathcal F*\mathcal G)=A\,\mathrm{Rad}(\mathcal G)`, ratio
  :math:`A/(A+B)`; fixed instances with B/A = 1/100 and 1/1000.
* ``property``: Hypothesis over value matrices (one shared n), steered to small slack.
* ``symbolic`` (proof of Lemma F.6): the polarization :math:`fg=((f+g)^2-(f-g)^2)/4`; the map
  :math:`t\mapsto t^2/4` is :math:`(A+B)/2`-Lipschitz on :math:`|t|\le A+B`:
  :math:`(s^2-t^2)/4=(s-t)(s+t)/4` and :math:`((A+B)/2)^2-(s+t)^2/16\ge0` for
  :math:`s+t=2(A+B)c`, :math:`c=(1-z)/(1+z)\in(-1,1]`; and the assembly
  :math:`2\cdot\frac{A+B}2(\mathrm{Rad}\,\mathcal F+\mathrm{Rad}\,\mathcal G)=(A+B)(\mathrm{Rad}\,\mathcal F+
  \mathrm{Rad}\,\mathcal G)` (each of :math:`\mathcal F\pm\mathcal G` has complexity at most the sum).

References
----------
[wu2022alignment, Appendix F.1, Lemma F.6 (proof via Lemma F.3 and the polarization
:math:`fg=((f+g)^2-(f-g)^2)/4`)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import REAL, array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.strategies.scalars import reals

from . import KEY
from ._appf import rad_finite


def conclusion(inst: dict[str, Any]) -> Comparison:
    r"""Rad(F*G) vs :math:`(A+B)(\mathrm{Rad}\mathcal F+\mathrm{Rad}\mathcal G)`."""
    F, G, A, B = np.atleast_2d(inst["F"]), np.atleast_2d(inst["G"]), inst["A"], inst["B"]
    FG = (F[:, None, :] * G[None, :, :]).reshape(-1, F.shape[1])
    rhs = (A + B) * (rad_finite(F) + rad_finite(G))
    return Comparison(rad_finite(FG), rhs, "<=", "Rad_n(F*G)", "(A+B)(Rad_n F + Rad_n G)", scale=None)


def _bounded(inst: dict[str, Any]) -> bool:
    return bool(np.max(np.abs(inst["F"])) <= inst["A"] and np.max(np.abs(inst["G"])) <= inst["B"])


def _same_n(inst: dict[str, Any]) -> bool:
    F, G = np.atleast_2d(inst["F"]), np.atleast_2d(inst["G"])
    return F.shape[1] == G.shape[1] and 1 <= F.shape[1] <= 12


def _inst(F: np.ndarray, G: np.ndarray, slack: float = 1.0) -> dict[str, Any]:
    return {"F": F, "G": G, "A": float(np.max(np.abs(F))) * slack, "B": float(np.max(np.abs(G))) * slack}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        n = int(rng.integers(1, 11))
        nf, ng = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        kind = i % 4
        F = rng.standard_normal((nf, n)) * rng.exponential(1.0)
        G = rng.standard_normal((ng, n)) * rng.exponential(1.0)
        if kind == 1:
            F, G = np.sign(F) * np.abs(F).max(), np.sign(G)
        elif kind == 2:  # a constant function next to a small class
            F = np.vstack([np.full((1, n), 3.0), F])
            G = 1e-2 * G
        elif kind == 3:
            G = 1e3 * G
        out.append(_inst(F, G, 1.0 if i % 5 else float(rng.uniform(1.0, 2.0))))
    return out


_G3 = np.array([[1.0, -1.0, 0.5], [-0.5, 1.0, 1.0], [1.0, 1.0, -1.0]])
FIXED = [
    _inst(np.full((1, 3), 1.0), 1e-2 * _G3),  # ratio A/(A+B) = 0.990
    _inst(np.full((1, 3), 1.0), 1e-3 * _G3),  # ratio 0.999
    _inst(np.array([[1.0, -1.0]]), np.array([[1.0, 1.0], [-1.0, 1.0]])),
    _inst(np.array([[2.0]]), np.array([[1.0], [-1.0]])),  # n = 1
]


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    el = reals(-5, 5)
    F = draw(hnp.arrays(np.float64, (draw(st.integers(1, 4)), n), elements=el))
    G = draw(hnp.arrays(np.float64, (draw(st.integers(1, 4)), n), elements=el))
    return _inst(F, G)


def _symbolic() -> list[Any]:
    """Proof of Lemma F.6: polarization, the Lipschitz constant (A+B)/2 of t²/4, the constant's assembly."""
    import sympy as sp

    f, g, s, t = sp.symbols("f g s t", real=True)
    A, B, z, rf, rg = sp.symbols("A B z R_F R_G", positive=True)
    lip = (A + B) / 2
    c = (1 - z) / (1 + z)
    return [
        Identity(f * g, ((f + g) ** 2 - (f - g) ** 2) / 4, "fg = ((f+g)² − (f−g)²)/4"),
        Identity((s**2 - t**2) / 4, (s - t) * (s + t) / 4, "(s² − t²)/4 = (s − t)(s + t)/4"),
        Nonnegative(
            sp.factor(lip**2 - (2 * (A + B) * c) ** 2 / 16), "((A+B)/2)² ≥ (s+t)²/16 on |s + t| ≤ 2(A+B)"
        ),
        Identity(
            lip * (rf + rg) + lip * (rf + rg),
            (A + B) * (rf + rg),
            "two Lipschitz terms: (A+B)(Rad F + Rad G)",
        ),
    ]


CLAIM = Claim(
    id="wu2022.lemma_f6",
    title="Rad_n(F*G) ≤ (A+B)(Rad_n F + Rad_n G) for classes bounded by A and B (product class)",
    source=Source(KEY, "Lemma F.6"),
    statement=(
        r"If $\sup_{f\in\mathcal F}\|f\|_\infty\le A$ and $\sup_{g\in\mathcal G}\|g\|_\infty\le B$, then "
        r"$\widehat{\mathrm{Rad}}_n(\mathcal F*\mathcal G)\le(A+B)(\widehat{\mathrm{Rad}}_n(\mathcal F)"
        r"+\widehat{\mathrm{Rad}}_n(\mathcal G))$, $\mathcal F*\mathcal G=\{fg\}$."
    ),
    hypotheses=(
        Hypothesis("F, G evaluated on the same sample, 1 ≤ n ≤ 12", _same_n),
        Hypothesis("|f| ≤ A on F and |g| ≤ B on G", _bounded),
    ),
    conclusion=conclusion,
    inputs={"F": array(), "G": array(), "A": REAL, "B": REAL},
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED, note="E_ξ by enumeration of all 2^n signs"),
        PropertyCheck("property", _strategy()),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-12),
)
