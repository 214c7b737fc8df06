r"""Dexter et al. (2024), Lemma A.2: tr of a product ≤ √d times the product of Frobenius norms.

Setting
-------
Square matrices :math:`A_1,\dots,A_k\in\mathbb R^{d\times d}`, :math:`k\ge1`.

Statement
---------
:math:`\operatorname{tr}[A_1A_2\cdots A_k]\le\sqrt d\,\|A_1\|_F\cdots\|A_k\|_F`.  The proof chains
:math:`\operatorname{tr}M\le\|M\|_{S_1}` (Weyl's majorant theorem), Lemma A.1 and
submultiplicativity of :math:`\|\cdot\|_F`.  (The proof of Theorem 1 quotes the weaker
constant :math:`d`; it needs only some constant.)

Evidence
--------
* ``exact``: seeded products, :math:`k\le5`, :math:`d\le5`, of Gaussian, PSD, orthogonal and
  aligned factors, plus the equality case :math:`k=1`, :math:`A_1=I_d`
  (:math:`d=\sqrt d\cdot\sqrt d`).
* ``property``: Hypothesis over :math:`k\le4` factors with entries in :math:`[-5,5]`, steered
  towards small slack.
* ``symbolic`` (the proof's two steps, symbolic :math:`2\times2` entries): submultiplicativity
  :math:`\|A\|_F^2\|B\|_F^2-\|AB\|_F^2=\sum_{i,j}\sum_{p<q}(a_{ip}b_{qj}-a_{iq}b_{pj})^2\ge0`
  (Lagrange's identity per entry of :math:`AB`), and the trace step
  :math:`\operatorname{tr}M\le\sqrt d\|M\|_F` through
  :math:`d\|M\|_F^2-(\operatorname{tr}M)^2=d\sum_{i\ne j}M_{ij}^2+\sum_{i<j}(M_{ii}-M_{jj})^2\ge0`
  (:math:`d=2,3`; this reaches the same inequality as the proof's route through
  :math:`\|M\|_{S_1}` and Lemma A.1, by Cauchy–Schwarz on the diagonal).

References
----------
[dexter2024precise, Appendix A.1, Lemma A.2].
"""

from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import array
from verifythm.strategies.scalars import reals


def _conclusion(inst: dict[str, Any]) -> Comparison:
    A = inst["A"]  # shape (k, d, d)
    d = A.shape[1]
    P = reduce(np.matmul, list(A))
    rhs = float(np.sqrt(d) * np.prod(np.linalg.norm(A, axis=(1, 2))))
    return Comparison(float(np.trace(P)), rhs, "<=", "tr[A_1⋯A_k]", "√d ∏‖A_i‖_F")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        m, d = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        kind = i % 4
        if kind == 0:
            A = rng.standard_normal((m, d, d))
        elif kind == 1:
            G = rng.standard_normal((m, d, d))
            A = G @ G.transpose(0, 2, 1)
        elif kind == 2:
            A = np.stack([np.linalg.qr(rng.standard_normal((d, d)))[0] for _ in range(m)])
        else:  # all factors equal to one PSD matrix with a dominant direction
            v = rng.standard_normal(d)
            A = np.stack([np.outer(v, v) + 0.1 * np.eye(d)] * m)
        out.append({"A": A})
    return out


def _symbolic() -> list[Any]:
    """Proof of Lemma A.2: ‖AB‖_F ≤ ‖A‖_F‖B‖_F (2×2) and tr M ≤ √d‖M‖_F (d = 2, 3)."""
    import sympy as sp

    A = sp.Matrix(2, 2, sp.symbols("a1:5", real=True))
    Bm = sp.Matrix(2, 2, sp.symbols("b1:5", real=True))
    fro2 = lambda X: sum(x**2 for x in X)  # noqa: E731
    lagrange = sum((A[i, 0] * Bm[1, j] - A[i, 1] * Bm[0, j]) ** 2 for i in range(2) for j in range(2))
    out: list[Any] = [
        Identity(
            sp.expand(fro2(A) * fro2(Bm) - fro2(A * Bm)), sp.expand(lagrange), "‖A‖²‖B‖² − ‖AB‖² (Lagrange)"
        ),
        Nonnegative(lagrange, "‖A‖_F²‖B‖_F² − ‖AB‖_F² ≥ 0 (submultiplicativity, 2×2)"),
    ]
    for d in (2, 3):
        M = sp.Matrix(d, d, sp.symbols(f"m1:{d * d + 1}", real=True))
        gap = d * fro2(M) - M.trace() ** 2
        closed = d * sum(M[i, j] ** 2 for i in range(d) for j in range(d) if i != j) + sum(
            (M[i, i] - M[j, j]) ** 2 for i in range(d) for j in range(i + 1, d)
        )
        out.append(Identity(sp.expand(gap), sp.expand(closed), f"d‖M‖_F² − (tr M)² (d = {d})"))
        out.append(Nonnegative(closed, f"d‖M‖_F² − (tr M)² ≥ 0, so tr M ≤ √d‖M‖_F (d = {d})"))
    return out


_OK = Hypothesis(
    "k ≥ 1 square d×d factors, finite",
    lambda inst: (
        np.ndim(inst["A"]) == 3
        and np.shape(inst["A"])[0] >= 1
        and np.shape(inst["A"])[1] == np.shape(inst["A"])[2] >= 1
        and bool(np.all(np.isfinite(inst["A"])))
    ),
)


@st.composite
def _factors(draw: Any) -> dict[str, Any]:
    k, d = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    return {"A": draw(arrays(np.float64, (k, d, d), elements=reals(-5, 5)))}


CLAIM = Claim(
    id="dexter2024.lemma_a2",
    title="tr[A_1⋯A_k] ≤ √d ‖A_1‖_F⋯‖A_k‖_F",
    source=Source("dexter2024precise", "Lemma A.2"),
    statement=(
        r"For square $A_1,\dots,A_k\in\mathbb R^{d\times d}$: "
        r"$\operatorname{tr}[A_1\cdots A_k]\le\sqrt d\,\|A_1\|_F\cdots\|A_k\|_F$."
    ),
    hypotheses=(_OK,),
    conclusion=_conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=[{"A": np.eye(d)[None]} for d in (1, 2, 4)]),
        PropertyCheck("property", _factors()),
    ),
    inputs={"A": array()},  # any axes: _OK itself rejects what is not a (k, d, d) stack
)
