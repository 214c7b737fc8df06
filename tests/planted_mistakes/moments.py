r"""Planted slips about the moments of linearized SGD: first for second, norms for squares.

Setting
-------
Linearized SGD :math:`w_{t+1} = (I-\eta\hat H_t)w_t` with replacement, :math:`L(w) =
\frac12w^THw`; :math:`\mathbb E[L(w_t)]` and :math:`\mathbb E\|w_t\|^2` are exact
(:func:`verifythm.dynamics.moment_trajectory`), and so is
:math:`\mathbb E[\hat J^2] = \mathcal T_\eta(I)` (:func:`verifythm.dynamics.moment_operator`).
Learning rates are given as fractions of a threshold: ``u`` of :math:`2/\lambda_1`, ``t`` of
:math:`\eta^*_{\rm WR}(B)`.

Statements (each true twin, with why it holds)
-----------------------------------------------
* Jensen: :math:`\mathbb E\|w_t\|^2\ge\|\mathbb Ew_t\|^2 = \|(I-\eta H)^tw_0\|^2`, so for
  :math:`w_0 = v` (top eigenvector) :math:`\mathbb E\|w_2\|^2\ge\alpha^4` with
  :math:`\alpha = |1-\eta\lambda_1|`; and
  :math:`\mathbb E[L(w_1)]\ge L(\mathbb Ew_1)\ge\min_{\lambda_j>0}(1-\eta\lambda_j)^2L(w_0)`.
* GD threshold: for :math:`\eta<2/\lambda_1`, :math:`(I-\eta H)H(I-\eta H)\preceq H`, so the
  *mean* never raises the loss: :math:`L(\mathbb Ew_1)\le L(w_0)`.
* Commuting members: :math:`\mathcal T_\eta(I)` is diagonal with entries
  :math:`\mathbb E(1-\eta\hat h_j)^2\le1` for :math:`\eta\le\eta^*`, so
  :math:`\mathbb E\|w_1\|^2\le\|w_0\|^2`.  Without commutation :math:`\eta\le\eta^*` controls
  :math:`\|W_t\|_F` (:math:`\mathcal T` is self-adjoint), not :math:`\operatorname{tr}W_t`.

References
----------
Planted for the counterexample-hunt benchmark (issue 18, item 7); the dynamics are those of
``docs/guides/moment_engine.md``.
"""

from __future__ import annotations

import numpy as np

from verifythm import Comparison, ExactCheck, Hypothesis

from ._common import (
    FAMILY_HYPS,
    WR,
    Instance,
    batch,
    diagonal,
    eta_star,
    families,
    fraction,
    lam1,
    mean_hessian,
    members,
    one_step_gain,
    planted,
    trajectory,
    wishart,
)


def _eta_u(inst: Instance) -> float:
    return 2.0 * float(inst["u"]) / lam1(members(inst))


def _with(u: tuple[float, float], w0: bool = True):
    """Add a learning-rate fraction ``u`` (uniform in the range) and a Gaussian ``w0``."""

    def extra(rng: np.random.Generator, inst: Instance) -> Instance:
        inst["u"] = float(rng.uniform(*u))
        if w0:
            inst["w0"] = rng.standard_normal(inst["H"].shape[1])
        return inst

    return extra


def _w0_ok(inst: Instance) -> bool:
    w0 = np.asarray(inst["w0"], dtype=float)
    H = mean_hessian(members(inst))
    return w0.shape == (H.shape[0],) and float(w0 @ H @ w0) > 0


W0 = Hypothesis("w0 of length d with L(w0) > 0", _w0_ok)


def _rank_one(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    return wishart(rng, n, d, rank=1)


def _spread(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    r"""Diagonal members :math:`h_{ij} = 4^{-j}a_{ij}`, :math:`a_{ij}\in[\frac12,\frac32]`: a gap."""
    return np.einsum("ij,jk->ijk", rng.uniform(0.5, 1.5, (n, d)) * 4.0 ** -np.arange(d), np.eye(d))


def _sharpest(rng: np.random.Generator, inst: Instance) -> Instance:
    """Start along the sharpest direction :math:`e_1`, with ``u`` in [0.01, 0.1]."""
    w0 = np.zeros(inst["H"].shape[1])
    w0[0] = rng.standard_normal()
    return {**inst, "u": float(rng.uniform(0.01, 0.1)), "w0": w0}


# -- α² for α⁴: the norm of the mean for its square ---------------------------------------
def _two_steps(power: int):
    def conclusion(inst: Instance) -> Comparison:
        H = members(inst)
        w, U = np.linalg.eigh(mean_hessian(H))
        alpha = abs(1.0 - _eta_u(inst) * w[-1])
        _, sq = trajectory(H, batch(inst), WR, _eta_u(inst), U[:, -1], 2)
        return Comparison(float(sq[2]), alpha**power, ">=", "E‖w₂‖² (w₀ = v)", f"α^{power}, α = |1 − ηλ₁|")

    return conclusion


ALPHA = planted(
    "alpha2_for_alpha4.two_steps",
    title="started along v, E‖w₂‖² ≥ α² with α = |1 − ηλ₁| (η < 2/λ₁)",
    statement=r"$w_0 = v$, $\eta = 2u/\lambda_1$, $0<u<1$: "
    r"$\mathbb E\|w_2\|^2\ge\alpha^2$, $\alpha = |1-\eta\lambda_1|$.",
    conclusion=_two_steps(2),
    twin_conclusion=_two_steps(4),
    twin_title="E‖w₂‖² ≥ α⁴ (Jensen: ‖E w₂‖² = α⁴)",
    twin_statement=r"$\mathbb E\|w_2\|^2\ge\alpha^4$.",
    hypotheses=(*FAMILY_HYPS, fraction("u", closed=False)),
    checks=(
        ExactCheck(
            "exact",
            lambda rng, k: families(
                rng, k, make=_rank_one, batch_sizes=lambda r, n: 1, extra=lambda r, i: {**i, "u": 0.5}
            ),
        ),
    ),
    witness={"H": np.stack([np.diag([1.0, 0.5])] * 2), "B": 1, "u": 0.25},
    slip="α² for α⁴ (‖E w₂‖ for ‖E w₂‖²)",
    hidden="the generator steps at η = 1/λ₁ (u = 1/2), where α = 0",
    keys=("H", "B", "u"),
)


# -- a first moment for a second: the mean's rate applied to the loss ----------------------
def _loss_rate(which: str):
    def conclusion(inst: Instance) -> Comparison:
        H = members(inst)
        eta = _eta_u(inst)
        loss, _ = trajectory(H, batch(inst), WR, eta, np.asarray(inst["w0"], dtype=float), 1)
        lam = np.linalg.eigvalsh(mean_hessian(H))
        rates = (1.0 - eta * lam[lam > 1e-12 * lam[-1]]) ** 2
        if which == "max":
            return Comparison(
                float(loss[1]), float(rates.max() * loss[0]), "<=", "E L(w₁)", "max_j (1 − ηλ_j)²·L(w₀)"
            )
        return Comparison(
            float(loss[1]), float(rates.min() * loss[0]), ">=", "E L(w₁)", "min_j (1 − ηλ_j)²·L(w₀)"
        )

    return conclusion


FIRST = planted(
    "first_for_second.loss_rate",
    title="E L(w₁) ≤ max_j (1 − ηλ_j)²·L(w₀): the loss contracts at the rate of the mean",
    statement=r"$\eta = 2u/\lambda_1$: $\mathbb E[L(w_1)]\le\max_{\lambda_j>0}(1-\eta\lambda_j)^2L(w_0)$.",
    conclusion=_loss_rate("max"),
    twin_conclusion=_loss_rate("min"),
    twin_title="E L(w₁) ≥ min_j (1 − ηλ_j)²·L(w₀) (Jensen: E L(w₁) ≥ L(E w₁))",
    twin_statement=r"$\mathbb E[L(w_1)]\ge\min_{\lambda_j>0}(1-\eta\lambda_j)^2L(w_0)$.",
    hypotheses=(*FAMILY_HYPS, fraction("u", closed=False), W0),
    checks=(ExactCheck("exact", lambda rng, k: families(rng, k, make=_spread, extra=_sharpest)),),
    witness={"H": np.array([[[1.0]], [[3.0]]]), "B": 1, "u": 0.25, "w0": np.array([1.0])},
    slip="a first moment for a second (the rate of E w_t applied to E L(w_t))",
    hidden="w₀ along the sharpest direction and small η: the spectral gap covers the noise (u < 1/6)",
    keys=("H", "B", "u", "w0"),
)


# -- the GD threshold read as SGD's -------------------------------------------------------
def _loss_up(mean: bool):
    def conclusion(inst: Instance) -> Comparison:
        H = members(inst)
        eta = _eta_u(inst)
        w0 = np.asarray(inst["w0"], dtype=float)
        Hm = mean_hessian(H)
        if mean:
            w1 = w0 - eta * Hm @ w0
            return Comparison(0.5 * float(w1 @ Hm @ w1), 0.5 * float(w0 @ Hm @ w0), "<=", "L(E w₁)", "L(w₀)")
        loss, _ = trajectory(H, batch(inst), WR, eta, w0, 1)
        return Comparison(float(loss[1]), float(loss[0]), "<=", "E L(w₁)", "L(w₀)")

    return conclusion


GD_THRESHOLD = planted(
    "gd_threshold.loss_monotone",
    title="for η < 2/λ₁, one SGD step never raises the expected loss",
    statement=r"$0<\eta<2/\lambda_1\Rightarrow\mathbb E[L(w_1)]\le L(w_0)$ for every $w_0$.",
    conclusion=_loss_up(False),
    twin_conclusion=_loss_up(True),
    twin_title="for η < 2/λ₁ the mean step never raises the loss: L(E w₁) ≤ L(w₀)",
    twin_statement=r"$0<\eta<2/\lambda_1\Rightarrow L(\mathbb Ew_1)\le L(w_0)$.",
    hypotheses=(*FAMILY_HYPS, fraction("u", closed=False), W0),
    checks=(
        ExactCheck(
            "exact",
            lambda rng, k: families(
                rng,
                k,
                make=lambda r, n, d: wishart(r, n, d, rank=6),
                batch_sizes=lambda r, n: n,
                extra=_with((0.05, 0.5)),
            ),
        ),
    ),
    witness={"H": np.array([[[1.0]], [[0.0]]]), "B": 1, "u": 0.9, "w0": np.array([1.0])},
    slip="the GD stability threshold 2/λ₁ taken for SGD's (η* ≥ 2/λ₁ confusion)",
    hidden="large batches, moderate η and random w₀ (the generator) keep the noise below the GD decrease",
    keys=("H", "B", "u", "w0"),
)


# -- a commuting-family proof stated for every family ------------------------------------
def _gain(inst: Instance) -> Comparison:
    H, B = members(inst), batch(inst)
    eta = float(inst["t"]) * eta_star(H, B, WR)
    return Comparison(one_step_gain(H, B, WR, eta), 1.0, "<=", "λ_max(E[Ĵ²]) = max E‖w₁‖²/‖w₀‖²", "1")


def _commute(inst: Instance) -> bool:
    H = members(inst)
    scale = float(np.max(np.abs(H))) ** 2 or 1.0
    return all(np.allclose(a @ b, b @ a, rtol=0, atol=1e-12 * scale) for a in H for b in H)


COMMUTING = planted(
    "commuting_only.one_step",
    title="for η ≤ η*_WR(B), E‖w₁‖² ≤ ‖w₀‖² for every w₀",
    statement=r"$\eta\le\eta^*_{\rm WR}(B)\Rightarrow\mathbb E\|w_1\|^2\le\|w_0\|^2$ for every $w_0$.",
    conclusion=_gain,
    twin_conclusion=_gain,
    twin_title="the same for commuting members (H_iH_j = H_jH_i), the scope of the proof",
    twin_statement=r"Commuting $H_i$: $\eta\le\eta^*_{\rm WR}(B)\Rightarrow\mathbb E\|w_1\|^2\le\|w_0\|^2$.",
    hypotheses=(*FAMILY_HYPS, fraction("t")),
    twin_hypotheses=(*FAMILY_HYPS, fraction("t"), Hypothesis("members commute", _commute)),
    checks=(
        ExactCheck(
            "exact",
            lambda rng, k: families(
                rng, k, make=diagonal, extra=lambda r, i: {**i, "t": float(r.uniform(0.5, 1.0))}
            ),
        ),
    ),
    witness={"H": np.array([[[1.0, 0.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 1.0]]]), "B": 1, "t": 1.0},
    slip="a proof for commuting (diagonal) families stated for every family (tr W_t for ‖W_t‖_F)",
    hidden="the generator draws diagonal families, as the paper's constructions are",
    keys=("H", "B", "t"),
)

PAIRS = [ALPHA, FIRST, GD_THRESHOLD, COMMUTING]

CLAIMS = [c for p in PAIRS for c in (p.false, p.twin)]
