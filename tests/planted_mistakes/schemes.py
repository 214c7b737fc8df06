r"""Planted slips about sampling schemes, batch-size scaling and the small-learning-rate regime.

Setting
-------
As in :mod:`planted_mistakes.thresholds`; gradient instances carry
:math:`G = (g_1,\dots,g_n)\in\mathbb R^{p\times n}` (square loss, :math:`H_i = g_ig_i^T`).

Statements (each true twin, with why it holds)
-----------------------------------------------
* Schemes: for PSD :math:`W`, :math:`\langle W,HWH\rangle\le\frac1n\sum_i\langle W,H_iWH_i\rangle`
  (convexity) and :math:`\operatorname{tr}(WH_iWH_j)\ge0`; the dominant eigenvector of
  :math:`\mathcal T` is PSD, so :math:`\eta^*_{\rm WR}(B)\le\eta^*_{\rm WOR}(B)` and
  :math:`\eta^*_{\rm Bern}(B)\le\eta^*_{\rm WOR}(B)`.  The pairs agree at :math:`B = 1`
  (WR/WOR) and for members with disjoint supports (Bernoulli/WOR).
* Linear scaling: :math:`\mathcal Q_B\succeq\frac1B\mathcal Q_1` on PSD :math:`W`, so
  :math:`\eta^*_{\rm WR}(B)\le B\,\eta^*_{\rm WR}(1)`.
* Trace bound: :math:`W = I` gives, for rank-one members,
  :math:`\eta^*_{\rm WR}(B)\le2\operatorname{tr}H/((1-\frac1B)\operatorname{tr}H^2
  +\frac1B\frac1n\sum_i\|g_i\|^4)`, which at :math:`B = 1` is :math:`\le2/\operatorname{tr}H`.
* Small learning rates: :math:`\eta\le2B/((n+B-1)\lambda_1)\Rightarrow\eta\le\eta^*_{\rm WR}(B)`
  (the dominant-member bound of :mod:`planted_mistakes.thresholds`).

References
----------
Planted for the counterexample-hunt benchmark (issue 18, item 7); the scheme comparison is the
catalogue's ``dexter2024.sec5.without_replacement.*`` finding in general form.
"""

from __future__ import annotations

import numpy as np

from verifythm import Comparison, ExactCheck, Hypothesis
from verifythm.dynamics import Family, NoiseModel, critical_learning_rate

from ._common import (
    BERN,
    FAMILY_HYPS,
    WOR,
    WR,
    Instance,
    alike,
    batch,
    diagonal,
    eta_star,
    families,
    lam1,
    members,
    planted,
    wishart,
)


# -- a with-replacement result applied without replacement -------------------------------
def _versus(other: str, relation: str):
    def conclusion(inst: Instance) -> Comparison:
        H, B = members(inst), batch(inst)
        ratio = eta_star(H, B, WOR) / eta_star(H, B, other)
        return Comparison(ratio, 1.0, relation, f"η*_WOR(B)/η*_{other}(B)", "1")

    return conclusion


WR_FOR_WOR = planted(
    "wr_for_wor.threshold",
    title="η*_WOR(B) ≤ η*_WR(B): beyond the with-replacement threshold, SGD without replacement diverges",
    statement=r"$\eta^*_{\rm WOR}(B)\le\eta^*_{\rm WR}(B)$.",
    conclusion=_versus(WR, "<="),
    twin_conclusion=_versus(WR, ">="),
    twin_title="η*_WOR(B) ≥ η*_WR(B)",
    twin_statement=r"$\eta^*_{\rm WOR}(B)\ge\eta^*_{\rm WR}(B)$.",
    checks=(ExactCheck("exact", lambda rng, k: families(rng, k, batch_sizes=lambda r, n: 1)),),
    witness={"H": np.array([[[1.0]], [[0.0]], [[0.0]]]), "B": 2},
    slip="a with-replacement result applied without replacement",
    hidden="the schemes coincide at B = 1, the per-sample SGD the generator analyses",
)


def _owners(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """Each coordinate owned by one member (the §5.1 construction with σ = 1), ``d = n``."""
    h = rng.uniform(0.2, 1.0, n)
    return np.einsum("i,ij,jk->ijk", h, np.eye(n), np.eye(n))


BERN_FOR_WOR = planted(
    "bern_for_wor.threshold",
    title="η*_WOR(B) ≤ η*_Bern(B): the Bernoulli analysis covers SGD without replacement",
    statement=r"$\eta^*_{\rm WOR}(B)\le\eta^*_{\rm Bern}(B)$.",
    conclusion=_versus(BERN, "<="),
    twin_conclusion=_versus(BERN, ">="),
    twin_title="η*_WOR(B) ≥ η*_Bern(B)",
    twin_statement=r"$\eta^*_{\rm WOR}(B)\ge\eta^*_{\rm Bern}(B)$.",
    checks=(ExactCheck("exact", lambda rng, k: families(rng, k, make=_owners)),),
    witness={"H": np.array([[[1.0]], [[1.0]], [[0.0]]]), "B": 1},
    slip="a Bernoulli-sampling result applied without replacement",
    hidden="the schemes coincide when every coordinate has one owner (the generator's construction)",
)


# -- √B for B: the square-root scaling rule as a bound ------------------------------------
def _scaling(power: float):
    def conclusion(inst: Instance) -> Comparison:
        H, B = members(inst), batch(inst)
        label = "√B" if power == 0.5 else "B"
        return Comparison(
            eta_star(H, B, WR) / eta_star(H, 1, WR), float(B) ** power, "<=", "η*_WR(B)/η*_WR(1)", label
        )

    return conclusion


SQRT_SCALING = planted(
    "sqrt_scaling.batch",
    title="η*_WR(B) ≤ √B·η*_WR(1) (square-root scaling of the critical learning rate)",
    statement=r"$\eta^*_{\rm WR}(B)\le\sqrt B\,\eta^*_{\rm WR}(1)$.",
    conclusion=_scaling(0.5),
    twin_conclusion=_scaling(1.0),
    twin_title="η*_WR(B) ≤ B·η*_WR(1) (linear scaling)",
    twin_statement=r"$\eta^*_{\rm WR}(B)\le B\,\eta^*_{\rm WR}(1)$.",
    checks=(ExactCheck("exact", lambda rng, k: families(rng, k, make=alike)),),
    witness={"H": np.array([[[1.0]], [[0.0]], [[0.0]], [[0.0]]]), "B": 4},
    slip="√B where B belongs (square-root for linear scaling)",
    hidden="needs noise-dominated families; the generator's members are alike",
)


# -- tr H for λ₁: a single-sample result stated for every batch size ---------------------
def _grads(inst: Instance) -> np.ndarray:
    return np.asarray(inst["G"], dtype=float)


def _eta_grads(G: np.ndarray, B: int) -> float:
    return critical_learning_rate(NoiseModel.build(Family.from_gradients(G.T), B, WR)).value


def _trace_bound(general: bool):
    def conclusion(inst: Instance) -> Comparison:
        G, B = _grads(inst), batch(inst)
        K = G.T @ G
        n = K.shape[0]
        tr = float(np.trace(K)) / n
        if not general:
            return Comparison(_eta_grads(G, B) * tr, 2.0, "<=", "η*_WR(B)·tr H", "2")
        tr2 = float(np.sum(K**2)) / n**2
        fourth = float(np.mean(np.diag(K) ** 2))
        rhs = 2.0 * tr**2 / ((1.0 - 1.0 / B) * tr2 + fourth / B)
        return Comparison(
            _eta_grads(G, B) * tr, rhs, "<=", "η*_WR(B)·tr H", "2(tr H)²/((1−1/B)tr H² + mean‖g‖⁴/B)"
        )

    return conclusion


def _gradient_ok(inst: Instance) -> bool:
    G = np.asarray(inst["G"], dtype=float)
    return G.ndim == 2 and G.shape[1] >= 1 and bool(np.all(np.isfinite(G))) and float(np.sum(G**2)) > 0


GRAD_HYPS = (
    Hypothesis("gradients G (p × n), not all zero", _gradient_ok),
    Hypothesis(
        "integer 1 ≤ B ≤ n",
        lambda i: float(i["B"]) == int(i["B"]) and 1 <= int(i["B"]) <= np.shape(i["G"])[1],
    ),
)


def _gradient_instances(rng: np.random.Generator, k: int) -> list[Instance]:
    out = []
    for _ in range(k):
        n, p = int(rng.integers(2, 7)), int(rng.integers(1, 4))
        out.append({"G": rng.standard_normal((p, n)), "B": 1})
    return out


SINGLE_SAMPLE = planted(
    "single_sample.trace",
    title="η*_WR(B) ≤ 2/tr H for square-loss families (rank-one members)",
    statement=r"For $H_i = g_ig_i^T$: $\eta^*_{\rm WR}(B)\le2/\operatorname{tr}H$.",
    conclusion=_trace_bound(False),
    twin_conclusion=_trace_bound(True),
    twin_title="η*_WR(B) ≤ 2 tr H/((1−1/B) tr H² + (1/B)·mean‖g_i‖⁴); at B = 1 it implies 2/tr H",
    twin_statement=r"$\eta^*_{\rm WR}(B)\le\frac{2\operatorname{tr}H}{(1-\frac1B)\operatorname{tr}H^2"
    r"+\frac1B\frac1n\sum_i\|g_i\|^4}$.",
    hypotheses=GRAD_HYPS,
    checks=(ExactCheck("exact", _gradient_instances),),
    witness={"G": np.eye(2), "B": 2},
    slip="tr H where λ₁ belongs: a B = 1 fact (η* ≤ 2/tr H) stated for mini-batches",
    hidden="true at B = 1, the only batch size the generator draws",
    keys=("G", "B"),
)


# -- absolute units: "small learning rates are stable" ------------------------------------
def _stable(inst: Instance) -> Comparison:
    eta = float(inst["eta"])
    return Comparison(eta, eta_star(members(inst), batch(inst), WR), "<=", "η", "η*_WR(B)")


def _small_absolute(inst: Instance) -> bool:
    return 0.0 < float(inst["eta"]) <= 1e-6


def _small_relative(inst: Instance) -> bool:
    H = members(inst)
    n, B = H.shape[0], batch(inst)
    return 0.0 < float(inst["eta"]) * lam1(H) <= 2.0 * B / (n + B - 1)


def _small_lr(rng: np.random.Generator, k: int) -> list[Instance]:
    out = families(rng, k, make=lambda r, n, d: diagonal(r, n, d) if r.random() < 0.5 else wishart(r, n, d))
    for inst in out:
        inst["eta"] = float(10 ** rng.uniform(-9, -6))
    return out


SMALL_LR = planted(
    "scale.small_lr",
    title="SGD is mean-square stable for every learning rate η ≤ 1e-6",
    statement=r"$0<\eta\le10^{-6}\Rightarrow\eta\le\eta^*_{\rm WR}(B)$.",
    conclusion=_stable,
    twin_conclusion=_stable,
    twin_title="stable for η ≤ 2B/((n+B−1)λ₁) (small in units of the curvature)",
    twin_statement=r"$\eta\lambda_1\le\frac{2B}{n+B-1}\Rightarrow\eta\le\eta^*_{\rm WR}(B)$.",
    hypotheses=(*FAMILY_HYPS, Hypothesis("0 < η ≤ 1e-6", _small_absolute)),
    twin_hypotheses=(*FAMILY_HYPS, Hypothesis("0 < ηλ₁ ≤ 2B/(n+B−1)", _small_relative)),
    checks=(ExactCheck("exact", _small_lr),),
    witness={"H": 1e7 * np.stack([np.eye(2)] * 2), "B": 1, "eta": 1e-6},
    slip="'small learning rate' in absolute units (η ≤ 1e-6) instead of units of 1/λ₁",
    hidden="false only at curvature scales λ₁ ≳ 2e5 (≥ 2e6 without noise); the generator has λ₁ = O(1)",
    keys=("H", "B", "eta"),
)

PAIRS = [WR_FOR_WOR, BERN_FOR_WOR, SQRT_SCALING, SINGLE_SAMPLE, SMALL_LR]

CLAIMS = [c for p in PAIRS for c in (p.false, p.twin)]
