r"""Wang & Wu (2023), Lemma E.6: Cauchy–Schwarz inequalities.

Setting
-------
(1) :math:`S\in\mathbb R^{n\times n}` symmetric positive definite, :math:`\langle x,y\rangle_S=x^TSy`,
:math:`\|x\|_S=\sqrt{\langle x,x\rangle_S}`.  (2) Random variables :math:`X,Y` with finite second moments;
encoded on finite (weighted) distributions, where expectations are exact sums.

Statement
---------
(1) :math:`|\langle x,y\rangle_S|\le\|x\|_S\|y\|_S`.  (2) :math:`|\mathbb E[XY]|\le\sqrt{\mathbb E[X^2]}
\sqrt{\mathbb E[Y^2]}`.

Finding
-------
Both hold (standard); equality iff :math:`y\parallel x` (resp. :math:`Y=cX` a.s.), which the generators
include, so the tightness ratio reaches 1.  Part (1) also holds for singular PSD :math:`S` (one in four
instances); Lemma C.6's proof uses part (2).

Part (1) is checked squared, :math:`\langle x,y\rangle_S^2\le\|x\|_S^2\|y\|_S^2`, relative to
:math:`(\|S\|_2\|x\|\|y\|)^2`: a float matrix that passes the PSD hypothesis (to :math:`10^{-12}\|S\|`)
can be exactly indefinite by ~:math:`10^{-16}\|S\|`, and with :math:`x,y` along its top and bottom
eigenvectors the unsquared sides then differ by :math:`\sim10^{-11}` (a 2×2 example found by
``verifythm tightness``: :math:`\det S=-2.7\times10^{-15}` exactly), which is that matrix's genuine
Cauchy–Schwarz defect, not a counterexample for PSD :math:`S`.

Evidence
--------
* ``exact``: seeded :math:`n\le8`, random SPD/PSD :math:`S` over five orders of magnitude, parallel and
  nearly parallel pairs; distributions on up to 12 atoms with random probabilities, :math:`Y=cX` cases.
* ``symbolic``: (1) with :math:`S=RR^T` for a symbolic :math:`3\times3` :math:`R` (every PSD :math:`S`),
  :math:`\|x\|_S^2\|y\|_S^2-\langle x,y\rangle_S^2` equals Lagrange's sum of squares for :math:`R^Tx,R^Ty`;
  (2) on three atoms with weights :math:`p_i`, :math:`\mathbb E X^2\mathbb EY^2-(\mathbb EXY)^2=
  \sum_{i<j}p_ip_j(x_iy_j-x_jy_i)^2`.
* ``property``: Hypothesis over ``psd_with`` for :math:`S` and bounded vectors (half of them parallel:
  equality), and over distributions on up to 8 atoms.

References
----------
[wang2023noise, Appendix E, Lemma E.6].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.strategies import psd_with, real_vectors, reals

from ._common import KEY, finite
from ._symbolic import lagrange_defect, sym_matrix, sym_vector

SOURCE = Source(KEY, "Lemma E.6")


def s_inner(inst: dict[str, Any]) -> Comparison:
    """|⟨x, y⟩_S|² against ‖x‖_S²‖y‖_S² (the statement squared; both sides are ≥ 0).

    The scale is (‖S‖₂‖x‖‖y‖)², the size of every term: the PSD hypothesis is checked to a tolerance
    relative to ‖S‖ (a float ``S`` of a singular PSD matrix is typically indefinite by ~1e-16‖S‖), and
    such a perturbation of ``S`` moves ‖x‖_S²‖y‖_S² − ⟨x, y⟩_S² by that much relative to this scale (for
    2×2, by −det S·(x₁y₂ − x₂y₁)²).  Unsquared, the same perturbation moves ‖y‖_S by √(δ‖S‖)‖y‖, which no
    fixed relative tolerance covers when y is near the kernel of S.
    """
    S, x, y = (np.asarray(inst[k], float) for k in ("S", "x", "y"))
    lhs = float(x @ S @ y) ** 2
    rhs = float(x @ S @ x) * float(y @ S @ y)
    norm_s = float(np.linalg.norm(S, 2)) if S.size else 0.0
    scale = (norm_s * float(np.linalg.norm(x)) * float(np.linalg.norm(y))) ** 2
    return Comparison(lhs, rhs, "<=", "⟨x, y⟩_S²", "‖x‖_S² ‖y‖_S²", scale=scale)


def expectation(inst: dict[str, Any]) -> Comparison:
    """|E[XY]| against √E[X²]·√E[Y²] for a finite distribution with probabilities ``p``."""
    p, X, Y = (np.asarray(inst[k], float) for k in ("p", "X", "Y"))
    lhs = abs(float(p @ (X * Y)))
    rhs = float(np.sqrt(p @ X**2) * np.sqrt(p @ Y**2))
    return Comparison(lhs, rhs, "<=", "|E[XY]|", "√E[X²] √E[Y²]")


def _gen_s(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n = int(rng.integers(1, 9))
        A = rng.standard_normal((n, n)) * 10 ** rng.uniform(-2, 3)
        if i % 4 == 3 and n > 1:
            B = rng.standard_normal((n, n - 1))
            S = B @ B.T  # singular PSD
        else:
            S = A @ A.T + 1e-3 * np.eye(n)
        x = rng.standard_normal(n)
        if i % 3 == 0:
            y = float(rng.normal()) * x  # equality case
        elif i % 3 == 1:
            y = x + 1e-3 * rng.standard_normal(n)  # nearly parallel
        else:
            y = rng.standard_normal(n)
        out.append({"S": (S + S.T) / 2, "x": x, "y": y})
    return out


def _gen_e(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        m = int(rng.integers(1, 13))
        p = rng.dirichlet(np.ones(m))
        X = rng.standard_normal(m) * 10 ** rng.uniform(-2, 2)
        Y = float(rng.normal()) * X if i % 3 == 0 else rng.standard_normal(m) * 10 ** rng.uniform(-2, 2)
        out.append({"p": p, "X": X, "Y": Y})
    return out


def _psd(inst: dict[str, Any]) -> bool:
    """Symmetric PSD to float precision relative to the size of ``S`` (not an absolute 1e-12)."""
    S = np.asarray(inst["S"], float)
    size = float(np.abs(S).max()) if S.size else 0.0
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        return False
    return bool(
        np.abs(S - S.T).max(initial=0.0) <= 1e-12 * size and np.linalg.eigvalsh(S)[0] >= -1e-12 * size
    )


def s_inner_obligations() -> list[Identity]:
    """(1) with S = RRᵀ (R symbolic 3×3, so every PSD S): ‖x‖_S²‖y‖_S² − ⟨x, y⟩_S² is a sum of squares."""
    R, x, y = sym_matrix("r", 3, 3), sym_vector("x", 3), sym_vector("y", 3)
    S = R * R.T
    defect = (x.T * S * x)[0, 0] * (y.T * S * y)[0, 0] - (x.T * S * y)[0, 0] ** 2
    return [
        Identity(defect, lagrange_defect(R.T * x, R.T * y), "‖x‖²_S‖y‖²_S − ⟨x,y⟩²_S = Lagrange(Rᵀx, Rᵀy)")
    ]


def expectation_obligations() -> list[Identity]:
    """(2) three atoms, weights p_i: E[X²]E[Y²] − E[XY]² = Σ_{i<j} p_ip_j(x_iy_j − x_jy_i)²."""
    p, X, Y = sym_vector("p", 3, nonnegative=True), sym_vector("x", 3), sym_vector("y", 3)
    E = lambda f: sum(p[i] * f(i) for i in range(3))  # noqa: E731
    defect = E(lambda i: X[i] ** 2) * E(lambda i: Y[i] ** 2) - E(lambda i: X[i] * Y[i]) ** 2
    rhs = sum(p[i] * p[j] * (X[i] * Y[j] - X[j] * Y[i]) ** 2 for i in range(3) for j in range(i + 1, 3))
    return [Identity(defect, rhs, "E[X²]E[Y²] − E[XY]² = Σ_{i<j} p_ip_j(x_iy_j − x_jy_i)²")]


@st.composite
def _s_instances(draw: Any) -> dict[str, Any]:
    S = draw(psd_with(st.integers(1, 6)))
    x = draw(real_vectors(S.shape[0], -2, 2))
    y = draw(reals(-2, 2)) * x if draw(st.booleans()) else draw(real_vectors(S.shape[0], -2, 2))
    return {"S": S, "x": x, "y": y}


@st.composite
def _e_instances(draw: Any) -> dict[str, Any]:
    m = draw(st.integers(1, 8))
    w = draw(real_vectors(m, 0.01, 1))
    X = draw(real_vectors(m, -3, 3))
    Y = draw(reals(-2, 2)) * X if draw(st.booleans()) else draw(real_vectors(m, -3, 3))
    return {"p": w / w.sum(), "X": X, "Y": Y}


_PSD = Hypothesis("S symmetric PSD", _psd)
_PROB = Hypothesis(
    "p ≥ 0, Σp = 1", lambda i: bool(np.all(i["p"] >= 0) and abs(float(np.sum(i["p"])) - 1) < 1e-12)
)
_TOL = Tolerance(rtol=1e-9, atol=1e-300)
# Found by a survey: a float "rank-one PSD" S that is exactly indefinite (det S = −2.7e-15), x and y along
# its top and bottom eigenvectors; unsquared, |⟨x, y⟩_S| exceeded ‖x‖_S‖y‖_S by 5e-11.
ROUNDED_PSD = {
    "S": np.array([[3.591038766826712, -1.9050193528933113], [-1.9050193528933113, 1.0105985957107804]]),
    "x": np.array([-1.97977410928007, 1.051073720409112]),
    "y": np.array([-0.1541306782008244, -0.2905396859110122]),
}

S_INNER = Claim(
    id="wang2023.lemma_e6.s_inner",
    title="Cauchy–Schwarz in the S-inner product: |xᵀSy| ≤ ‖x‖_S‖y‖_S (S ≻ 0; also S ⪰ 0)",
    source=SOURCE,
    statement=r"$|\langle x,y\rangle_S|\le\|x\|_S\|y\|_S$ for $S\succ0$.",
    hypotheses=(finite("S", "x", "y"), _PSD),
    conclusion=s_inner,
    checks=(
        SymbolicCheck("symbolic", s_inner_obligations),
        PropertyCheck("property", _s_instances(), max_examples=60),
        ExactCheck(
            "exact",
            _gen_s,
            fixed=[
                {"S": np.diag([1.0, 4.0]), "x": np.array([1.0, 1.0]), "y": np.array([2.0, 2.0])},
                ROUNDED_PSD,
            ],
        ),
    ),
    tolerance=_TOL,
)

EXPECTATION = Claim(
    id="wang2023.lemma_e6.expectation",
    title="Cauchy–Schwarz for expectations: |E[XY]| ≤ √E[X²]·√E[Y²] (finite distributions)",
    source=SOURCE,
    statement=r"$|\mathbb E[XY]|\le\sqrt{\mathbb E[X^2]}\sqrt{\mathbb E[Y^2]}$.",
    hypotheses=(finite("p", "X", "Y"), _PROB),
    conclusion=expectation,
    checks=(
        SymbolicCheck("symbolic", expectation_obligations),
        PropertyCheck("property", _e_instances(), max_examples=60),
        ExactCheck(
            "exact",
            _gen_e,
            fixed=[{"p": np.array([0.5, 0.5]), "X": np.array([1.0, -1.0]), "Y": np.array([-3.0, 3.0])}],
        ),
    ),
    tolerance=_TOL,
)

CLAIMS = [S_INNER, EXPECTATION]
