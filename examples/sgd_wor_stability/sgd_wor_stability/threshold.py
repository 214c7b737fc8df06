r"""The critical learning rate of SGD without replacement: monotone in ``B``, at most 2/λ₁(H).

Setting
-------
As in :mod:`sgd_wor_stability.mixture`: PSD :math:`H_1,\dots,H_n` (:math:`n\ge2`,
:math:`H\ne0`), batch size :math:`1\le B\le n`, SGD without replacement, and its second-moment
operator :math:`\mathcal T_{\eta,B}`.  SGD is *mean-square stable* at :math:`\eta` when the
spectral radius :math:`\rho(\mathcal T_{\eta,B})\le1` (on the range of :math:`H`), and
:math:`\eta^*(B) = \sup\{\eta>0:\rho(\mathcal T_{\eta,B})\le1\}` is its critical learning rate.

Statements
----------
*Proposition 2.*  :math:`\eta^*(B)\le\eta^*(B+1)` for :math:`1\le B<n`, and
:math:`\eta^*(n) = 2/\lambda_1(H)`.

Why: by Proposition 1, :math:`\mathcal T_{\eta,B}(P) = JPJ + \eta^2p_B\,N(P)` with
:math:`J = I-\eta H`, :math:`N(P) = \frac1n\sum_iH_iPH_i - HPH` and :math:`p_B = (n-B)/(B(n-1))`.
:math:`N` maps PSD matrices to PSD matrices (it is a covariance of :math:`H_iP^{1/2}`) and
:math:`p_B` decreases in ``B``, so :math:`\mathcal T_{\eta,B}\succeq\mathcal T_{\eta,B+1}` on the PSD
cone and the spectral radii (attained at PSD eigenvectors) are ordered; :math:`p_n = 0` leaves
gradient descent, whose threshold is :math:`2/\lambda_1(H)`.

*Proposition 3.*  If SGD without replacement is mean-square stable at :math:`\eta`, then
:math:`\eta\le2/\lambda_1(H)`.

Why: :math:`\mathbb E[ww^T]\succeq\mathbb E[w]\mathbb E[w]^T` and :math:`\mathbb E[w_t] = J^tw_0`, so a
bounded second moment needs :math:`|1-\eta\lambda_1|\le1`.

Evidence
--------
* ``exact`` / ``property``: :math:`\eta^*(B)` from :func:`verifythm.dynamics.critical_learning_rates`
  and :math:`\lambda_1(H)` from ``numpy.linalg.eigvalsh`` on families of every kind,
  :math:`n\le12`, :math:`d\le5`.
* Proposition 3 decides stability from the eigenvalues of the dense operator
  :math:`\mathcal T_{\eta,B}` (``moment_operator(...).dense()``), not from :math:`\eta^*`, with
  :math:`\eta` drawn around both :math:`\eta^*(B)` and :math:`2/\lambda_1(H)`.

References
----------
[sgdworexample, Propositions 2 and 3]; critical learning rates of linearized SGD as in
[dexter2024precise] and [wu2022alignment].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source
from verifythm.dynamics import Family, critical_learning_rates, moment_operator

from ._common import HYPOTHESES, instances, lambda_max, random_instances


def eta_star(H: np.ndarray, batch_sizes: list[int]) -> np.ndarray:
    r""":math:`\eta^*(B)` of SGD without replacement for each ``B`` (the engine's value)."""
    return critical_learning_rates(Family.from_hessians(H), batch_sizes, "without-replacement")


# -- Proposition 2: monotone in B ----------------------------------------------------------------
def monotone_conclusion(inst: dict[str, Any]) -> Comparison:
    """``η*(B) <= η*(B+1)``."""
    B = int(inst["B"])
    lo, hi = eta_star(inst["H"], [B, B + 1])
    return Comparison(lo, hi, "<=", "η*(B)", "η*(B+1)")


def _below_n(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = random_instances(rng, k)
    for inst in out:
        inst["B"] = int(rng.integers(1, inst["n"]))  # 1 <= B < n
    return out


@st.composite
def _below_n_strategy(draw: Any) -> dict[str, Any]:
    inst = draw(instances())
    inst["B"] = draw(st.integers(1, inst["n"] - 1))
    return inst


MONOTONE = Claim(
    id="sgdwor.threshold.monotone",
    title="η*(B) ≤ η*(B+1) for SGD without replacement",
    source=Source("sgdworexample", "Proposition 2"),
    statement=(
        r"For PSD $H_1,\dots,H_n$ ($n\ge2$, $H\ne0$) and $1\le B<n$, the critical learning rates of "
        r"SGD without replacement satisfy $\eta^*(B)\le\eta^*(B+1)$."
    ),
    hypotheses=(*HYPOTHESES, Hypothesis("B < n", lambda i: int(i["B"]) < int(i["n"]))),
    conclusion=monotone_conclusion,
    checks=(ExactCheck("exact", _below_n), PropertyCheck("property", _below_n_strategy())),
)


# -- Proposition 2: the full batch is gradient descent ---------------------------------------------
def full_batch_conclusion(inst: dict[str, Any]) -> Comparison:
    """``η*(n) == 2/λ₁(H)``."""
    n = int(inst["n"])
    eta_n = float(eta_star(inst["H"], [n])[0])
    return Comparison(eta_n, 2.0 / lambda_max(inst["H"]), "==", "η*(n)", "2/λ₁(H)")


def _full(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = random_instances(rng, k)
    for inst in out:
        inst["B"] = inst["n"]
    return out


@st.composite
def _full_strategy(draw: Any) -> dict[str, Any]:
    inst = draw(instances())
    inst["B"] = inst["n"]
    return inst


FULL_BATCH = Claim(
    id="sgdwor.threshold.full_batch",
    title="η*(n) = 2/λ₁(H): a batch of every sample is gradient descent",
    source=Source("sgdworexample", "Proposition 2"),
    statement=(
        r"For PSD $H_1,\dots,H_n$ ($n\ge2$, $H\ne0$): $\eta^*(n) = 2/\lambda_1(H)$ "
        r"for SGD without replacement."
    ),
    hypotheses=HYPOTHESES,
    conclusion=full_batch_conclusion,
    kind="identity",
    checks=(ExactCheck("exact", _full), PropertyCheck("property", _full_strategy())),
)


# -- Proposition 3: stability implies η ≤ 2/λ₁(H) ----------------------------------------------------
def spectral_radius_dense(inst: dict[str, Any]) -> float:
    r""":math:`\rho(\mathcal T_{\eta,B})` from the eigenvalues of the dense operator matrix."""
    fam = Family.from_hessians(inst["H"])
    if fam.rank == 0:  # H = 0: nothing moves (excluded by the hypothesis H ≠ 0)
        return 1.0
    op = moment_operator(fam, float(inst["eta"]), int(inst["B"]), "without-replacement")
    return float(np.max(np.abs(np.linalg.eigvals(op.dense()))))


def gd_bound_conclusion(inst: dict[str, Any]) -> Comparison:
    """``η <= 2/λ₁(H)``."""
    return Comparison(float(inst["eta"]), 2.0 / lambda_max(inst["H"]), "<=", "η", "2/λ₁(H)")


def _around_thresholds(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = random_instances(rng, k)
    for i, inst in enumerate(out):
        gd = 2.0 / lambda_max(inst["H"])
        if i % 4 == 1:  # the full batch right at the GD threshold: where the bound is tight
            inst["B"] = inst["n"]
            inst["eta"] = gd * float(rng.uniform(0.98, 1.02))
        elif i % 2:  # just below or above η*(B): stable about half the time, tight when B = n
            inst["eta"] = float(eta_star(inst["H"], [inst["B"]])[0]) * float(rng.uniform(0.9, 1.1))
        else:
            inst["eta"] = gd * float(rng.uniform(0.2, 1.5))
    return out


@st.composite
def _eta_strategy(draw: Any) -> dict[str, Any]:
    inst = draw(instances())
    if draw(st.booleans()):  # the full batch, where η*(n) = 2/λ₁(H) makes the bound tight
        inst["B"] = inst["n"]
    if lambda_max(inst["H"]) > 0:  # η around η*(B): stable on about half of the draws
        inst["eta"] = float(eta_star(inst["H"], [inst["B"]])[0]) * draw(st.floats(0.5, 1.1))
    else:
        inst["eta"] = 1.0
    return inst


GD_BOUND = Claim(
    id="sgdwor.threshold.gd_bound",
    title="Mean-square stable SGD without replacement has η ≤ 2/λ₁(H)",
    source=Source("sgdworexample", "Proposition 3"),
    statement=(
        r"For PSD $H_1,\dots,H_n$ ($n\ge2$, $H\ne0$), $1\le B\le n$ and $\eta>0$: if "
        r"$\rho(\mathcal T_{\eta,B})\le1$ (mean-square stability without replacement) then "
        r"$\eta\le2/\lambda_1(H)$."
    ),
    hypotheses=(
        *HYPOTHESES,
        # decided on the operator matrix, with room for rounding only (1e-10, far below rtol)
        Hypothesis("ρ(T_η,B) ≤ 1 (mean-square stable)", lambda i: spectral_radius_dense(i) <= 1.0 + 1e-10),
    ),
    conclusion=gd_bound_conclusion,
    checks=(ExactCheck("exact", _around_thresholds), PropertyCheck("property", _eta_strategy())),
)

CLAIMS = [MONOTONE, FULL_BATCH, GD_BOUND]
