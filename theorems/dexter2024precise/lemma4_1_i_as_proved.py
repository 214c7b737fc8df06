r"""Dexter et al. (2024), Lemma 4.1, proof in Appendix A.2: the bound behind part (i).

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`,
Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`,
:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}`, the operator :math:`\mathcal S(W)=\sum_iH_iWH_i` (a sum,
not a mean; self-adjoint for the trace inner product, PSD-preserving) and :math:`N_r=c^r\mathcal S^r(I)`.
Lemma 4.1 itself is :mod:`.lemma4_1` and :mod:`.lemma4_1_ii`.

Statement
---------
``dexter2024.lemma4_1.i.as_proved``: for every :math:`k\ge1`,
:math:`\mathbb E\|P_k\|_F^2\ge\operatorname{tr}J^{2k}+c^k\operatorname{tr}\mathcal S^k(I)` (the trace
of :math:`\mathbb E[P_k^TP_k]\succeq M_k`, :math:`M_k=J^{2k}+N_k`), with equality at :math:`k=1` (the base
case, ``dexter2024.lemma4_1.base_case``).

As proved
---------
The proof of Lemma 4.1 (i) establishes this bound by induction on :math:`k`, dropping PSD terms at
each step.

Evidence
--------
* ``exact``: :math:`\mathbb E\|P_k\|_F^2=\operatorname{tr}\mathcal T^k(I)` from the engine
  (:func:`verifythm.dynamics.moment_trajectory`), families of every kind (:math:`n\le5`,
  :math:`d\le3`), :math:`\eta\lambda_1(H)\in[0.1,2.5]`, :math:`k\le6` (a quarter at :math:`k=1`).
* ``symbolic`` (sympy, the proof's algebra): the recursion
  :math:`JM_{k-1}J+c\sum_iH_iM_{k-1}H_i-M_k=JN_{k-1}J+c\sum_iH_iJ^{2(k-1)}H_i` (the dropped terms,
  each of the form :math:`AXA`, :math:`X\succeq0`), :math:`k\le4`.

References
----------
[dexter2024precise, Lemma 4.1, proof in Appendix A.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Identity, Source, SymbolicCheck
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import INT, REAL, array
from verifythm.dynamics import moment_operator, moment_trajectory
from verifythm.strategies import family_instance

from ._common import lambda1, noise_factor, sandwich_power_trace


def _symbolic_recursion() -> list[Any]:
    """Proof of Lemma 4.1 (i): J M_{k−1} J + cΣH_iM_{k−1}H_i − M_k = the dropped A X A terms (k ≤ 4)."""
    import sympy as sp

    J, N = sp.symbols("J N", commutative=False)  # N = N_{k−1} (PSD)
    c = sp.Symbol("c", nonnegative=True)
    out: list[Any] = []
    for n in (1, 2, 3):
        Hs = sp.symbols(f"H1:{n + 1}", commutative=False)
        for k in (2, 3, 4):
            M_prev = J ** (2 * (k - 1)) + N
            M_k = J ** (2 * k) + c * sum(h * N * h for h in Hs)
            step = J * M_prev * J + c * sum(h * M_prev * h for h in Hs)
            dropped = J * N * J + c * sum(h * J ** (2 * (k - 1)) * h for h in Hs)
            out.append(
                Identity(sp.expand(step - M_k), sp.expand(dropped), f"M_k recursion, n = {n}, k = {k}")
            )
    return out


def _lower_bound(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B, k = inst["hessians"], inst["eta"], inst["B"], inst["k"]
    n, d, _ = Hs.shape
    op = moment_operator(hessians=Hs, eta=eta, batch_size=B, sampling="bernoulli")
    lhs = float(moment_trajectory(op, k).product_fro2[k])
    J = np.eye(d) - eta * Hs.mean(axis=0)
    J2k = np.linalg.matrix_power(J @ J, k)
    rhs = float(np.trace(J2k)) + noise_factor(eta, n, B) ** k * sandwich_power_trace(Hs, k)
    return Comparison(lhs, rhs, ">=", "E‖Ĵ_k⋯Ĵ_1‖_F² (exact)", "tr J^{2k} + c^k Σ_y‖H_{y_k}⋯H_{y_1}‖_F²")


def _gen_lb(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        lam = max(lambda1(Hs.mean(axis=0)), 1e-12)
        out.append(
            {
                "hessians": Hs,
                "B": int(rng.integers(1, n + 1)),
                "eta": float(rng.uniform(0.1, 2.5)) / lam,
                "k": 1 if i % 4 == 0 else int(rng.integers(2, 7)),
            }
        )
    return out


CLAIM = Claim(
    id="dexter2024.lemma4_1.i.as_proved",
    title="E‖Ĵ_k⋯Ĵ_1‖_F² ≥ tr J^{2k} + c^k Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² for every k",
    source=Source("dexter2024precise", "Lemma 4.1, proof in Appendix A.2"),
    statement=(
        r"For every $k\ge1$: $\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2\ge\operatorname{tr}J^{2k}+"
        r"(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2$ (trace of "
        r"$\mathbb E[P_k^TP_k]\succeq M_k$), with equality at $k=1$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis(
            "1 ≤ B ≤ n, η > 0, k ≥ 1",
            lambda i: 1 <= i["B"] <= i["hessians"].shape[0] and i["eta"] > 0 and i["k"] >= 1,
        ),
    ),
    conclusion=_lower_bound,
    checks=(SymbolicCheck("symbolic", _symbolic_recursion), ExactCheck("exact", _gen_lb)),
    inputs={"hessians": array(3), "B": INT, "eta": REAL, "k": INT},
)
