r"""Dexter et al. (2024), Lemma 4.1, proof in Appendix A.2: Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² = tr S^k(I).

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`,
Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`,
:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}`, the operator :math:`\mathcal S(W)=\sum_iH_iWH_i` (a sum,
not a mean; self-adjoint for the trace inner product, PSD-preserving) and :math:`N_r=c^r\mathcal S^r(I)`.
Lemma 4.1 itself is :mod:`.lemma4_1` and :mod:`.lemma4_1_ii`.

Statement
---------
``dexter2024.lemma4_1.product_sum``: :math:`\sum_{y_1..y_k}\|H_{y_k}\cdots H_{y_1}\|_F^2 =
\operatorname{tr}\mathcal S^k(I)` (the proof's :math:`\operatorname{tr}N_r/c^r`).  Used in both
conditions of Lemma 4.1: hence :math:`c^k\sum_y\|\cdot\|_F^2\to\infty` iff
:math:`c\,\rho(\mathcal S)>1`, and :math:`\epsilon^{-k}c^k\sum_y\|\cdot\|_F^2\to0` iff
:math:`c\,\rho(\mathcal S)<\epsilon`.

Evidence
--------
* ``exact``: :math:`\operatorname{tr}\mathcal S^k(I)` by iterating :math:`\mathcal S` against enumeration
  of all :math:`n^k` products (:math:`n\le4`, :math:`k\le4`), families of every kind.
* ``property``: Hypothesis families (:math:`n\le3`, :math:`d\le3`, :math:`k\le4`).
* ``symbolic`` (sympy): the identity for symbolic symmetric :math:`2\times2` members, :math:`n=2`,
  :math:`k=2,3`.

References
----------
[dexter2024precise, Lemma 4.1, proof in Appendix A.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import INT, array
from verifythm.strategies import families, family_instance

from ._common import enumerated_product_sum, sandwich_power_trace
from ._symbolic import sym_matrix


def _symbolic_product_sum() -> list[Any]:
    """Proof of Lemma 4.1, tr N_r / c^r: Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² = tr S^k(I) (n = 2, 2×2, k = 2, 3)."""
    import itertools

    import sympy as sp

    Hs = [sym_matrix(f"H{i + 1}", 2) for i in range(2)]
    out: list[Any] = []
    for k in (2, 3):
        total = 0
        for y in itertools.product(range(2), repeat=k):
            P = sp.eye(2)
            for i in y:
                P = Hs[i] * P
            total += sum(x**2 for x in P)
        W = sp.eye(2)
        for _ in range(k):
            W = sum((h * W * h for h in Hs), sp.zeros(2))
        out.append(Identity(sp.expand(total), sp.expand(W.trace()), f"Σ_y ‖H_y⋯‖_F² = tr S^k(I), k = {k}"))
    return out


def _sum_identity(inst: dict[str, Any]) -> Comparison:
    Hs, k = inst["hessians"], inst["k"]
    return Comparison(
        enumerated_product_sum(Hs, k),
        sandwich_power_trace(Hs, k),
        "==",
        "Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² (enumerated)",
        "tr S^k(I)",
    )


def _sum_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        out.append({"hessians": family_instance(rng, i, n, d), "k": int(rng.integers(1, 5))})
    return out


@st.composite
def _sum_strategy(draw: Any) -> dict[str, Any]:
    return {
        "hessians": draw(families(n=st.integers(1, 3), d=st.integers(1, 3))),
        "k": draw(st.integers(1, 4)),
    }


CLAIM = Claim(
    id="dexter2024.lemma4_1.product_sum",
    title="Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² = tr S^k(I) with S(W) = Σ_i H_i W H_i",
    source=Source("dexter2024precise", "Lemma 4.1, proof in Appendix A.2"),
    statement=(
        r"$\sum_{y_1,\dots,y_k=1}^n\|H_{y_k}\cdots H_{y_1}\|_F^2=\operatorname{tr}\mathcal S^k(I)$ "
        r"with $\mathcal S(W)=\sum_iH_iWH_i$ (the proof's $\operatorname{tr}N_r/c^r$)."
    ),
    hypotheses=(psd_family("hessians"),),
    conclusion=_sum_identity,
    checks=(
        SymbolicCheck("symbolic", _symbolic_product_sum),
        ExactCheck("exact", _sum_generate),
        PropertyCheck("property", _sum_strategy(), max_examples=60),
    ),
    kind="identity",
    inputs={"hessians": array(3), "k": INT},
)
