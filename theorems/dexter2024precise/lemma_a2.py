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

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source
from verifythm.strategies.scalars import reals


def _conclusion(inst: dict[str, Any]) -> Comparison:
    A = np.asarray(inst["A"], float)  # shape (k, d, d)
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


_FIXED = [{"A": np.eye(d)[None]} for d in (1, 2, 4)]
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
    checks=(ExactCheck("exact", _generate, fixed=_FIXED), PropertyCheck("property", _factors())),
)
