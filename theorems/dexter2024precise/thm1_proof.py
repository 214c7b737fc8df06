r"""Dexter et al. (2024), Theorem 1, proof in Appendix A.2: the two steps that bound tr[H^k] through σ.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), not all zero, :math:`H=\frac1n\sum_iH_i`, and the
coherence matrix :math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F` (Definition 2); :math:`k\ge1`.

Statement
---------
* ``dexter2024.thm1.proof.trace_coherence``: :math:`\operatorname{tr}[H^k]=n^{-k}\sum_y
  \operatorname{tr}[H_{y_k}\cdots H_{y_1}]\le\frac d{n^k}\operatorname{tr}[S^k]` (Lemma A.2 applied
  to the cyclic product of square roots).
* ``dexter2024.thm1.proof.trace_s_power``: :math:`\operatorname{tr}[S^k]\le d\,\lambda_1(S)^k`.

Both are tight at :math:`d=1`.  They are the two steps of the proof of Theorem 1
(:mod:`.thm1`, ``dexter2024.thm1.as_proved``) that bring in σ.

Evidence
--------
* ``exact`` and ``property``: families of every kind (:math:`n\le7`, :math:`d\le3`, a fifth at
  :math:`d=1`) and Hypothesis-drawn families, :math:`k\le6`.
* ``symbolic`` (sympy): ``.proof.trace_coherence`` —
  :math:`\operatorname{tr}H^k=n^{-k}\sum_y\operatorname{tr}[H_{y_k}\cdots H_{y_1}]`
  (symbolic symmetric :math:`2\times2` members, :math:`n=2`, :math:`k=2,3`), the regrouping
  :math:`(R_{y_1}R_{y_k})(R_{y_k}R_{y_{k-1}})\cdots(R_{y_2}R_{y_1})=R_{y_1}H_{y_k}\cdots H_{y_2}R_{y_1}`
  (non-commuting :math:`R_i=H_i^{1/2}`) with :math:`\operatorname{tr}(RXR)=\operatorname{tr}(XR^2)`, and the
  closed-walk sum :math:`\sum_yS_{y_1y_k}\cdots S_{y_2y_1}=\operatorname{tr}S^k` (:math:`n=2,3`);
  ``.proof.trace_s_power`` has none: the proof states it without a derivation to encode.

Not derived in the paper: the second step is stated without justification in the proof (the
generic bound is :math:`n\,\lambda_1(S)^k`); no violation was found.

References
----------
[dexter2024precise, Theorem 1, proof in Appendix A.2 (bound on tr[H^k])].
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
)
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import INT, array
from verifythm.strategies import families, family_instance

from ._common import coherence_matrix, lambda1
from ._symbolic import sym_matrix


# -- two steps of the proof ---------------------------------------------------------------------
def _trace_coherence(inst: dict[str, Any]) -> Comparison:
    Hs, k = inst["hessians"], inst["k"]
    n, d, _ = Hs.shape
    trHk = float(np.trace(np.linalg.matrix_power(Hs.mean(axis=0), k)))
    trSk = float(np.trace(np.linalg.matrix_power(coherence_matrix(Hs), k)))
    return Comparison(trHk, d * trSk / n**k, "<=", "tr[H^k]", "(d/n^k) tr[S^k]")


def _trace_s_power(inst: dict[str, Any]) -> Comparison:
    Hs, k = inst["hessians"], inst["k"]
    d = Hs.shape[1]
    S = coherence_matrix(Hs)
    trSk = float(np.trace(np.linalg.matrix_power(S, k)))
    return Comparison(trSk, d * lambda1(S) ** k, "<=", "tr[S^k]", "d·λ₁(S)^k")


def _proof_generate(rng: np.random.Generator, m: int) -> list[dict[str, Any]]:
    out = []
    for i in range(m):
        n, d = int(rng.integers(1, 8)), 1 if i % 5 == 0 else int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        if np.any(Hs != 0):
            out.append({"hessians": Hs, "k": int(rng.integers(1, 7))})
    return out


@st.composite
def _proof_strategy(draw: Any) -> dict[str, Any]:
    return {
        "hessians": draw(families(n=st.integers(1, 5), d=st.integers(1, 3))),
        "k": draw(st.integers(1, 6)),
    }


_PROOF_HYP = (
    psd_family("hessians"),
    Hypothesis(
        "not all H_i zero, k ≥ 1",
        lambda inst: bool(np.any(inst["hessians"] != 0)) and inst["k"] >= 1,
    ),
)


def _symbolic_trace_coherence() -> list[Any]:
    """Proof of Theorem 1, bound on tr[H^k]: expansion, regrouping with square roots, closed walks in S."""
    import itertools

    import sympy as sp

    out: list[Any] = []
    Hm = [sym_matrix(f"H{i + 1}", 2) for i in range(2)]
    Hbar = (Hm[0] + Hm[1]) / 2
    R = sp.symbols("R1:3", commutative=False)  # H_i = R_i², R_i = H_i^{1/2}
    for k in (2, 3):
        prods = []
        for y in itertools.product(range(2), repeat=k):  # y = (y_1, …, y_k); the product H_{y_k}⋯H_{y_1}
            P = sp.eye(2)
            for i in y:
                P = Hm[i] * P
            prods.append(P.trace())
            Q = R[y[0]] * R[y[-1]]  # (R_{y1}R_{yk})(R_{yk}R_{yk−1})⋯(R_{y2}R_{y1})
            for a in range(k - 1, 0, -1):
                Q = Q * (R[y[a]] * R[y[a - 1]])
            inner = R[y[0]]
            for a in range(k - 1, 0, -1):
                inner = inner * R[y[a]] ** 2
            out.append(Identity(Q, inner * R[y[0]], f"regrouping = R_y1·H_yk⋯H_y2·R_y1, y = {y}"))
        total = sp.expand(sum(prods) / 2**k)
        out.append(
            Identity(sp.expand((Hbar**k).trace()), total, f"tr H^k = n^-k Σ_y tr[H_y…], n = 2, k = {k}")
        )
    Rm, X = sym_matrix("R", 2), sp.Matrix(2, 2, sp.symbols("x1:5", real=True))
    out.append(
        Identity(sp.expand((Rm * X * Rm).trace()), sp.expand((X * Rm * Rm).trace()), "tr(R X R) = tr(X R²)")
    )
    for n in (2, 3):
        S = sym_matrix("S", n)
        for k in (2, 3):
            walks = 0
            for y in itertools.product(range(n), repeat=k):
                term = S[y[0], y[-1]]
                for a in range(k - 1, 0, -1):
                    term = term * S[y[a], y[a - 1]]
                walks += term
            label = f"Σ_y S_(y1,yk)⋯S_(y2,y1) = tr S^k, n = {n}, k = {k}"
            out.append(Identity(sp.expand(walks), sp.expand((S**k).trace()), label))
    return out


def _proof_step(conclusion: Any, symbolic: Any = None, **fields: Any) -> Claim:
    """A step of the bound on tr[H^k] in the proof of Theorem 1 (same evidence for each step)."""
    return Claim(
        **fields,
        source=Source("dexter2024precise", "Theorem 1, proof in Appendix A.2 (bound on tr[H^k])"),
        hypotheses=_PROOF_HYP,
        conclusion=conclusion,
        checks=(
            *(() if symbolic is None else (SymbolicCheck("symbolic", symbolic),)),
            ExactCheck("exact", _proof_generate),
            PropertyCheck("property", _proof_strategy(), max_examples=80),
        ),
        inputs={"hessians": array(3), "k": INT},
    )


TRACE_COHERENCE = _proof_step(
    _trace_coherence,
    _symbolic_trace_coherence,
    id="dexter2024.thm1.proof.trace_coherence",
    title="tr[H^k] ≤ (d/n^k) tr[S^k] (proof of Theorem 1, via Lemma A.2)",
    statement=(
        r"$\operatorname{tr}[H^k]=n^{-k}\sum_y\operatorname{tr}[H_{y_k}\cdots H_{y_1}]\le\frac d{n^k}"
        r"\operatorname{tr}[S^k]$ for every $k\ge1$ (equality for $d=1$)."
    ),
)

TRACE_S_POWER = _proof_step(
    _trace_s_power,
    id="dexter2024.thm1.proof.trace_s_power",
    title="tr[S^k] ≤ d·λ₁(S)^k (proof of Theorem 1)",
    statement=(
        r"For the coherence matrix $S$ of $d\times d$ PSD $H_1,\dots,H_n$: "
        r"$\operatorname{tr}[S^k]\le d\,\lambda_1(S)^k$ for every $k\ge1$ (equality for $d=1$)."
    ),
)

CLAIMS = [TRACE_COHERENCE, TRACE_S_POWER]
