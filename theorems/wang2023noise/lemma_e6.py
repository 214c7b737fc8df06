r"""Wang & Wu (2023), Lemma E.6 (1): Cauchy–Schwarz in the S-inner product, :math:`|x^TSy|\le\|x\|_S\|y\|_S`.

Setting
-------
:math:`S\in\mathbb R^{n\times n}` symmetric positive definite, :math:`\langle x,y\rangle_S=x^TSy`,
:math:`\|x\|_S=\sqrt{\langle x,x\rangle_S}`.

Statement
---------
``wang2023.lemma_e6.s_inner``: :math:`|\langle x,y\rangle_S|\le\|x\|_S\|y\|_S` (part (2), for expectations, is
``wang2023.lemma_e6.expectation``).

Finding
-------
Holds (standard); equality iff :math:`y\parallel x`, which the generators include, so the tightness ratio
reaches 1.  It also holds for singular PSD :math:`S` (one in four instances).

Evidence
--------
Part (1) is checked squared, :math:`\langle x,y\rangle_S^2\le\|x\|_S^2\|y\|_S^2`, relative to
:math:`(\|S\|_2\|x\|\|y\|)^2`: a float matrix that passes the PSD hypothesis (to :math:`10^{-12}\|S\|`)
can be exactly indefinite by ~:math:`10^{-16}\|S\|`, and with :math:`x,y` along its top and bottom
eigenvectors the unsquared sides then differ by :math:`\sim10^{-11}` (a 2×2 example found by
``verifythm tightness``: :math:`\det S=-2.7\times10^{-15}` exactly), which is that matrix's genuine
Cauchy–Schwarz defect, not a counterexample for PSD :math:`S`.

* ``exact``: seeded :math:`n\le8`, random SPD/PSD :math:`S` over five orders of magnitude, parallel and
  nearly parallel pairs, and the indefinite example above.
* ``symbolic``: with :math:`S=RR^T` for a symbolic :math:`3\times3` :math:`R` (every PSD :math:`S`),
  :math:`\|x\|_S^2\|y\|_S^2-\langle x,y\rangle_S^2` equals Lagrange's sum of squares for :math:`R^Tx,R^Ty`.
* ``property``: Hypothesis over ``psd_with`` for :math:`S` and bounded vectors (half of them parallel:
  equality).

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
from verifythm.claims.common import finite
from verifythm.claims.inputs import array
from verifythm.strategies import psd_with, real_vectors, reals

from ._common import KEY
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
    S, x, y = inst["S"], inst["x"], inst["y"]
    lhs = float(x @ S @ y) ** 2
    rhs = float(x @ S @ x) * float(y @ S @ y)
    norm_s = float(np.linalg.norm(S, 2)) if S.size else 0.0
    scale = (norm_s * float(np.linalg.norm(x)) * float(np.linalg.norm(y))) ** 2
    return Comparison(lhs, rhs, "<=", "⟨x, y⟩_S²", "‖x‖_S² ‖y‖_S²", scale=scale)


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


def _psd(inst: dict[str, Any]) -> bool:
    """Symmetric PSD to float precision relative to the size of ``S`` (not an absolute 1e-12)."""
    S = inst["S"]
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


@st.composite
def _s_instances(draw: Any) -> dict[str, Any]:
    S = draw(psd_with(st.integers(1, 6)))
    x = draw(real_vectors(S.shape[0], -2, 2))
    y = draw(reals(-2, 2)) * x if draw(st.booleans()) else draw(real_vectors(S.shape[0], -2, 2))
    return {"S": S, "x": x, "y": y}


_PSD = Hypothesis("S symmetric PSD", _psd)
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
    inputs={"S": array(), "x": array(), "y": array()},
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

CLAIM = S_INNER
