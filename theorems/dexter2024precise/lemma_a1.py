r"""Dexter et al. (2024), Lemma A.1: the Frobenius and trace (Schatten-1) norms are within √n.

Setting
-------
A real square matrix :math:`M\in\mathbb R^{n\times n}`; :math:`\|M\|_{S_1}` is the sum of its
singular values (nuclear norm) and :math:`\|M\|_F=\|M\|_{S_2}`.

Statement
---------
:math:`\|M\|_F\le\|M\|_{S_1}\le\sqrt n\,\|M\|_F` (the :math:`\ell_1`–:math:`\ell_2` inequality
applied to the vector of singular values).  Encoded as two claims, ``.lower`` and ``.upper``.

Evidence
--------
* ``exact``: seeded matrices (Gaussian, low rank, scaled orthogonal, with widely spread
  singular values), :math:`n\le8`, plus the equality cases (rank one for the lower bound,
  multiples of orthogonal matrices for the upper one); singular values by LAPACK.
* ``property``: Hypothesis over square matrices with entries in :math:`[-10,10]`, steered
  towards small slack.
* ``symbolic`` (the proof's steps): for a symbolic :math:`2\times2` matrix :math:`M=(a,b;c,e)`,
  sympy proves :math:`\sigma_1^2+\sigma_2^2=\operatorname{tr}M^TM=\|M\|_F^2` and
  :math:`\sigma_1^2\sigma_2^2=\det M^TM=(\det M)^2`, hence :math:`\|M\|_{S_1}^2=\|M\|_F^2+2|\det M|`;
  the lower bound is then :math:`2|\det M|\ge0` and the upper one
  :math:`2\|M\|_F^2-\|M\|_{S_1}^2=\|M\|_F^2-2|\det M|`, with
  :math:`\|M\|_F^2\mp2\det M=(a\mp e)^2+(b\pm c)^2\ge0`.  The :math:`\ell_1`–:math:`\ell_2` step on
  symbolic singular values :math:`s_1..s_d\ge0` (:math:`d=2,3`, Fact 1) is proved alongside.

References
----------
[dexter2024precise, Appendix A.1, Lemma A.1 and Fact 1].
"""

from __future__ import annotations

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

SOURCE = Source("dexter2024precise", "Lemma A.1")


def _norms(M: np.ndarray) -> tuple[float, float]:
    s = np.linalg.svd(M, compute_uv=False)
    return float(np.sum(s)), float(np.linalg.norm(M))


def _lower(inst: dict[str, Any]) -> Comparison:
    s1, fro = _norms(inst["M"])
    return Comparison(fro, s1, "<=", "‖M‖_F", "‖M‖_S1")


def _upper(inst: dict[str, Any]) -> Comparison:
    M = inst["M"]
    s1, fro = _norms(M)
    return Comparison(s1, float(np.sqrt(M.shape[0])) * fro, "<=", "‖M‖_S1", "√n‖M‖_F")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n = int(rng.integers(1, 9))
        kind = i % 4
        if kind == 0:
            M = rng.standard_normal((n, n))
        elif kind == 1:
            r = int(rng.integers(1, n + 1))
            M = rng.standard_normal((n, r)) @ rng.standard_normal((r, n))
        elif kind == 2:
            Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
            M = float(rng.uniform(0.1, 10)) * Q
        else:
            U, _ = np.linalg.qr(rng.standard_normal((n, n)))
            V, _ = np.linalg.qr(rng.standard_normal((n, n)))
            M = U @ np.diag(10 ** rng.uniform(-4, 4, n)) @ V.T
        out.append({"M": M})
    return out


_FIXED = [
    {"M": np.outer([1.0, 2.0, 3.0], [1.0, -1.0, 0.5])},
    {"M": np.eye(4)},
    {"M": np.array([[0.0, 2.0], [-2.0, 0.0]])},
]
_SQUARE = Hypothesis(
    "M square, finite, non-empty",
    lambda inst: (
        np.ndim(inst["M"]) == 2
        and np.shape(inst["M"])[0] == np.shape(inst["M"])[1] >= 1
        and bool(np.all(np.isfinite(inst["M"])))
    ),
)


@st.composite
def _matrices(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 5))
    return {"M": draw(arrays(np.float64, (n, n), elements=reals(-10, 10)))}


def _symbolic(which: str) -> Any:
    """Proof of Lemma A.1: the 2×2 closed form ‖M‖_S1² = ‖M‖_F² + 2|det M|, and Fact 1 on singular values."""

    def build() -> list[Any]:
        import sympy as sp

        a, b, c, e = sp.symbols("a b c e", real=True)
        M = sp.Matrix([[a, b], [c, e]])
        fro2 = a**2 + b**2 + c**2 + e**2
        G = M.T * M  # eigenvalues σ₁², σ₂²
        out: list[Any] = [
            Identity(G.trace(), fro2, "σ₁² + σ₂² = tr MᵀM = ‖M‖_F² (2×2)"),
            Identity(G.det(), M.det() ** 2, "σ₁²σ₂² = det MᵀM = (det M)² (2×2)"),
        ]
        if which == "lower":  # ‖M‖_S1² − ‖M‖_F² = 2σ₁σ₂ = 2|det M|
            out.append(Nonnegative(2 * sp.Abs(M.det()), "‖M‖_S1² − ‖M‖_F² = 2|det M| ≥ 0 (2×2)"))
        else:  # 2‖M‖_F² − ‖M‖_S1² = ‖M‖_F² − 2|det M|, both signs of det M
            for sgn, sq in ((1, (a - e) ** 2 + (b + c) ** 2), (-1, (a + e) ** 2 + (b - c) ** 2)):
                text = "‖M‖_F² − 2 det M" if sgn == 1 else "‖M‖_F² + 2 det M"
                out.append(
                    Identity(sp.expand(fro2 - 2 * sgn * M.det()), sp.expand(sq), f"{text} = sum of squares")
                )
                out.append(Nonnegative(sq, f"{text} ≥ 0 (2×2)"))
        for d in (2, 3):  # Fact 1 on the singular values s_j ≥ 0
            s = sp.symbols(f"s1:{d + 1}", nonnegative=True)
            pairs = [(s[i], s[j]) for i in range(d) for j in range(i + 1, d)]
            if which == "lower":
                gap, closed = sum(s) ** 2 - sum(t * t for t in s), 2 * sum(u * v for u, v in pairs)
                text = "‖M‖_S1² − ‖M‖_F² = 2Σ_{i<j}σ_iσ_j"
            else:
                gap, closed = d * sum(t * t for t in s) - sum(s) ** 2, sum((u - v) ** 2 for u, v in pairs)
                text = "n‖M‖_F² − ‖M‖_S1² = Σ_{i<j}(σ_i − σ_j)²"
            out.append(Identity(sp.expand(gap), sp.expand(closed), f"{text} (n = {d})"))
            out.append(Nonnegative(closed, f"{text} ≥ 0 (n = {d})"))
        return out

    return build


def _claim(cid: str, title: str, statement: str, concl: Any, which: str) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=(_SQUARE,),
        conclusion=concl,
        checks=(
            SymbolicCheck("symbolic", _symbolic(which)),
            ExactCheck("exact", _generate, fixed=_FIXED),
            PropertyCheck("property", _matrices()),
        ),
        inputs={"M": array()},  # any axes: _SQUARE itself rejects what is not a square matrix
    )


CLAIMS = [
    _claim(
        "dexter2024.lemma_a1.lower",
        "‖M‖_F ≤ ‖M‖_S1",
        r"For every $M\in\mathbb R^{n\times n}$, $\|M\|_F\le\|M\|_{S_1}$ (equality iff rank $M\le1$).",
        _lower,
        "lower",
    ),
    _claim(
        "dexter2024.lemma_a1.upper",
        "‖M‖_S1 ≤ √n ‖M‖_F",
        r"For every $M\in\mathbb R^{n\times n}$, $\|M\|_{S_1}\le\sqrt n\|M\|_F$ (equality iff all singular "
        r"values are equal).",
        _upper,
        "upper",
    ),
]
