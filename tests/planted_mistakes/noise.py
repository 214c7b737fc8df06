r"""Planted slips about the gradient noise: centred for uncentred, decoupling as a bound.

Setting
-------
Per-sample gradients :math:`g_i` (columns of :math:`G\in\mathbb R^{p\times n}`), their mean
:math:`\bar g`, :math:`\Sigma = \frac1n\sum_i(g_i-\bar g)(g_i-\bar g)^T`.  The mini-batch noise
covariance :math:`C_s(B)` is the engine's
(:func:`verifythm.quantities.minibatch_noise_covariance`): :math:`c_s\Sigma` with or without
replacement, :math:`c_{\rm Bern}\frac1n\sum_ig_ig_i^T` for Bernoulli sampling (uncentred).
For the square loss :math:`\ell_i = \frac12r_i^2` with residuals :math:`r_i` and Jacobian rows
:math:`g_i`: :math:`\nabla\ell_i = r_ig_i`, :math:`L = \frac1{2n}\sum_ir_i^2`,
:math:`H = \frac1n\sum_ig_ig_i^T` (Gauss–Newton).

Statements (each true twin, with why it holds)
-----------------------------------------------
* :math:`\operatorname{tr}C_{\rm Bern}(B) = c_{\rm Bern}(\operatorname{tr}\Sigma+\|\bar g\|^2)
  \le c_{\rm WOR}\operatorname{tr}\Sigma+c_{\rm Bern}\|\bar g\|^2` (:math:`c_{\rm Bern}\le c_{\rm WOR}`).
* :math:`\Sigma\preceq\frac1n\sum_ir_i^2g_ig_i^T\preceq\max_ir_i^2\,H`, so
  :math:`\operatorname{tr}\Sigma\le\max_ir_i^2\operatorname{tr}H`.

References
----------
Planted for the counterexample-hunt benchmark (issue 18, item 7); the noise model is
[wu2022alignment, §1] and [wang2023noise, §3].
"""

from __future__ import annotations

import numpy as np

from verifythm import Comparison, ExactCheck, Hypothesis
from verifythm.quantities import minibatch_noise_covariance, noise_covariances

from ._common import BERN, WOR, Instance, batch, c_s, planted
from .schemes import GRAD_HYPS


def _grads(inst: Instance) -> np.ndarray:
    return np.asarray(inst["G"], dtype=float)


# -- the centred covariance where Bernoulli sampling has the uncentred one -----------------
def _bern_noise(correct: bool):
    def conclusion(inst: Instance) -> Comparison:
        G, B = _grads(inst), batch(inst)
        n = G.shape[1]
        _, _, sigma = noise_covariances(G.T)
        mean2 = float(np.sum(G.mean(axis=1) ** 2))
        lhs = float(np.trace(minibatch_noise_covariance(G.T, BERN, B)))
        rhs = c_s(WOR, n, B) * float(np.trace(sigma))
        label = "c_WOR·tr Σ"
        if correct:
            rhs += c_s(BERN, n, B) * mean2
            label += " + c_Bern‖ḡ‖²"
        scale = float(np.mean(np.sum(G**2, axis=0)))
        return Comparison(lhs, rhs, "<=", "tr C_Bern(B)", label, scale=scale)

    return conclusion


def _at_a_minimum(rng: np.random.Generator, k: int) -> list[Instance]:
    """Gradients at a minimum of the empirical loss: they sum to zero."""
    out = []
    for _ in range(k):
        n, p = int(rng.integers(2, 7)), int(rng.integers(1, 4))
        G = rng.standard_normal((p, n))
        out.append({"G": G - G.mean(axis=1, keepdims=True), "B": int(rng.integers(1, n + 1))})
    return out


CENTRED = planted(
    "bern_centred.noise",
    title="Bernoulli sampling is no noisier than sampling without replacement: tr C_Bern ≤ c_WOR·tr Σ",
    statement=r"$\operatorname{tr}C_{\rm Bern}(B)\le\frac{n-B}{B(n-1)}\operatorname{tr}\Sigma$.",
    conclusion=_bern_noise(False),
    twin_conclusion=_bern_noise(True),
    twin_title="tr C_Bern(B) ≤ c_WOR·tr Σ + c_Bern·‖ḡ‖² (Bernoulli noise is uncentred)",
    twin_statement=r"$\operatorname{tr}C_{\rm Bern}(B)\le c_{\rm WOR}\operatorname{tr}\Sigma"
    r"+c_{\rm Bern}\|\bar g\|^2$.",
    hypotheses=GRAD_HYPS,
    checks=(ExactCheck("exact", _at_a_minimum),),
    witness={"G": np.array([[1.0, 2.0]]), "B": 1},
    slip="the centred covariance where Bernoulli sampling's noise is uncentred",
    hidden="equal at a minimum (ḡ = 0), where the generator draws its gradients",
    keys=("G", "B"),
)


# -- the decoupling approximation Σ ≈ 2L·H used as a bound --------------------------------
def _decoupling(correct: bool):
    def conclusion(inst: Instance) -> Comparison:
        G, r = _grads(inst), np.asarray(inst["r"], dtype=float)
        _, _, sigma = noise_covariances((G * r).T)
        trH = float(np.mean(np.sum(G**2, axis=0)))
        if correct:
            return Comparison(
                float(np.trace(sigma)), float(np.max(r**2)) * trH, "<=", "tr Σ", "max_i r_i²·tr H"
            )
        loss = 0.5 * float(np.mean(r**2))
        return Comparison(float(np.trace(sigma)), 2.0 * loss * trH, "<=", "tr Σ", "2L·tr H")

    return conclusion


def _residuals_ok(inst: Instance) -> bool:
    r = np.asarray(inst["r"], dtype=float)
    return r.shape == (np.shape(inst["G"])[1],) and float(np.sum(r**2)) > 0


def _labels(rng: np.random.Generator, k: int) -> list[Instance]:
    """Binary labels at initialisation: residuals ±1."""
    out = []
    for _ in range(k):
        n, p = int(rng.integers(2, 7)), int(rng.integers(1, 4))
        out.append({"G": rng.standard_normal((p, n)), "r": rng.choice([-1.0, 1.0], n)})
    return out


DECOUPLING = planted(
    "decoupling.noise_trace",
    title="tr Σ ≤ 2L·tr H for the square loss (the decoupling Σ ≈ 2L·H as a bound)",
    statement=r"$\operatorname{tr}\Sigma\le2L\operatorname{tr}H$.",
    conclusion=_decoupling(False),
    twin_conclusion=_decoupling(True),
    twin_title="tr Σ ≤ max_i r_i²·tr H",
    twin_statement=r"$\operatorname{tr}\Sigma\le\max_ir_i^2\operatorname{tr}H$.",
    hypotheses=(GRAD_HYPS[0], Hypothesis("residuals r of length n, not all zero", _residuals_ok)),
    checks=(ExactCheck("exact", _labels),),
    witness={
        "G": np.array([[3.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 1.0]]),
        "r": np.array([1.0, 0.0, 0.0, 0.0]),
    },
    slip="an approximation (Σ ≈ 2L·H, residuals decoupled from gradients) used as a bound",
    hidden="exact up to −ḡḡᵀ when all |r_i| are equal (±1 labels, the generator)",
    keys=("G", "r"),
)

PAIRS = [CENTRED, DECOUPLING]

CLAIMS = [c for p in PAIRS for c in (p.false, p.twin)]
