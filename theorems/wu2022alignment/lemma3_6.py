r"""Wu, Wang & Su (2022), Lemma 3.6: uniformly bounded noise escapes at most linearly in time.

Setting
-------
As in Lemma 3.2: linearized model :math:`L(\theta)=\frac12\theta^TH\theta`, :math:`H` PSD,
general SGD :math:`\theta_{t+1}=\theta_t-\eta(H\theta_t+\xi_t)` with
:math:`\mathbb{E}[\xi_t\mid\theta_t]=0` and :math:`\mathbb{E}[\xi_t\xi_t^T\mid\theta_t]=S(\theta_t)`,
learning rate :math:`0<\eta\le2/\lambda_1(H)`.

Statement
---------
If the noise is uniformly bounded in the sense :math:`\operatorname{Tr}(HS(\theta))\le2\sigma^2`
for all θ, then :math:`\mathbb{E}[L(\theta_t)-L(\theta_0)]\le\eta^2\sigma^2t` for every
:math:`t\ge0`.

Reading: the lemma prints ":math:`\mathbb{E}[HS(\theta)]\le2\sigma^2`", a matrix against a
scalar; the proof uses :math:`v(\theta)=\operatorname{Tr}(HS(\theta))/2\le\sigma^2`, which is
what is encoded.

Evidence
--------
* ``exact``: state-independent (additive) noise :math:`S(\theta)\equiv S` — the uniformly
  bounded noise the lemma contrasts with SGD's — with :math:`\sigma^2=\operatorname{Tr}(HS)/2`
  (the smallest admissible value), deterministic :math:`\theta_0`; then
  :math:`W_{t+1}=JW_tJ+\eta^2S` (:math:`J=I-\eta H`) gives :math:`\mathbb{E}[L(\theta_t)]=
  \frac12\operatorname{tr}(HW_t)` exactly, and :math:`\max_{1\le t\le30}
  (\mathbb{E}[L(\theta_t)]-L(\theta_0))/t` is compared with :math:`\eta^2\sigma^2`.
  Seeded PSD H (any rank), PSD S (any rank), η up to :math:`2/\lambda_1`; the bound is
  attained at :math:`\theta_0=0`, t = 1.  Violations seen in float64 are re-checked in mpmath
  (``precise_conclusion``); ``scale`` is the size the rounding error scales with (Tr(HS) may
  cancel to almost nothing), and the increments are computed by a recursion for
  :math:`W_t-\theta_0\theta_0^T` rather than as a difference of two large losses.
* ``property``: Hypothesis over H, S, :math:`\eta\lambda_1/2` and :math:`\theta_0`.
* ``symbolic`` (proof of Lemma 3.6): in an eigenbasis of H (:math:`H=\mathrm{diag}(l_1,l_2)`, no loss
  of generality as L, Tr(HS) and the step are rotation invariant), symbolic θ, η and a symbolic
  2 × 2 noise covariance S, the one-step expectation (taken from the first two moments of ξ only)
  satisfies :math:`L(\theta)+\eta^2\sigma^2-\mathbb{E}[L(\theta^+)]=\frac\eta2\sum_jl_j^2\theta_j^2
  (2-\eta l_j)+\eta^2w` with :math:`\sigma^2=\operatorname{Tr}(HS)/2+w`; with :math:`\eta l_j=2u_j/(1+u_j)`
  (every value in [0, 2)) and w ≥ 0 it is ≥ 0, i.e. :math:`r(\theta)\le1` gives the per-step
  increment :math:`\le\eta^2\sigma^2`, which telescopes to :math:`\eta^2\sigma^2t`.

References
----------
[wu2022alignment, §3.3, Lemma 3.6].
"""

from __future__ import annotations

from typing import Any

import mpmath as mp
import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.common import nonzero, psd
from verifythm.claims.inputs import REAL, array
from verifythm.evidence.symbolic import Identity, Nonnegative, expect_quadratic
from verifythm.strategies import psd_matrices, random_psd
from verifythm.strategies.scalars import reals

from . import KEY

STEPS = 30


def expected_losses(inst: dict[str, Any]) -> np.ndarray:
    r"""Exact :math:`\mathbb{E}[L(\theta_t)]`, t = 0..STEPS, for additive noise of covariance S."""
    H, S = np.asarray(inst["H"], float), np.asarray(inst["S"], float)
    eta = float(inst["eta"])
    th = np.asarray(inst["theta0"], float)
    J = np.eye(H.shape[0]) - eta * H
    W = np.outer(th, th)
    out = [0.5 * float(np.sum(H * W))]
    for _ in range(STEPS):
        W = J @ W @ J + eta**2 * S
        out.append(0.5 * float(np.sum(H * W)))
    return np.array(out)


def loss_increments(inst: dict[str, Any]) -> np.ndarray:
    r""":math:`\mathbb{E}[L(\theta_t)]-L(\theta_0)`, t = 1..STEPS, without subtracting two large numbers.

    :math:`D_t=W_t-\theta_0\theta_0^T` obeys :math:`D_{t+1}=JD_tJ+C`,
    :math:`C=J\theta_0\theta_0^TJ-\theta_0\theta_0^T+\eta^2S=-\eta(h\theta_0^T+\theta_0h^T)+\eta^2hh^T+\eta^2S`
    with :math:`h=H\theta_0`, and the increment is :math:`\frac12\operatorname{tr}(HD_t)`.  (Forming
    :math:`\mathbb E[L(\theta_t)]-L(\theta_0)` from ``expected_losses`` loses everything when
    :math:`L(\theta_0)` is huge: at :math:`\|\theta_0\|\approx10^9` it errs by ~100.)
    """
    H, S, eta, th = inst["H"], inst["S"], inst["eta"], inst["theta0"]
    J = np.eye(H.shape[0]) - eta * H
    h = H @ th
    C = -eta * (np.outer(h, th) + np.outer(th, h)) + eta**2 * np.outer(h, h) + eta**2 * S
    D = np.zeros_like(H)
    out = []
    for _ in range(STEPS):
        D = J @ D @ J + C
        out.append(0.5 * float(np.sum(H * D)))
    return np.array(out)


def _scale(inst: dict[str, Any]) -> float:
    r"""Size of the inputs the rounding error scales with.

    :math:`\sigma^2=\operatorname{Tr}(HS)/2` is a sum of terms of size :math:`\|H\|_F\|S\|_F`
    that may cancel to almost nothing (H and S nearly orthogonal: ``verifythm tightness`` found
    :math:`\sigma^2\approx10^{-16}` with :math:`\|H\|\|S\|\approx0.1`, a float64 "violation"
    of 8 % that the mpmath re-check refutes), so both sides err by
    :math:`\epsilon\eta^2\|H\|_F\|S\|_F`; the left side also by
    :math:`\epsilon\|H\|_F(\eta\|h\|\|\theta_0\|+\eta^2\|h\|^2)` from the θ₀ terms of C.
    """
    H, S, eta, th = inst["H"], inst["S"], inst["eta"], inst["theta0"]
    nh, nt = float(np.linalg.norm(H @ th)), float(np.linalg.norm(th))
    return (
        float(np.linalg.norm(H)) * (eta**2 * float(np.linalg.norm(S)) + eta * nh * nt + eta**2 * nh**2)
        + 1e-300
    )


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\max_t(\mathbb{E}[L(\theta_t)]-L(\theta_0))/t` versus :math:`\eta^2\sigma^2`."""
    H, S, eta = inst["H"], inst["S"], inst["eta"]
    sigma2 = float(np.sum(H * S)) / 2
    worst = float(np.max(loss_increments(inst) / np.arange(1, STEPS + 1)))
    return Comparison(
        worst, eta**2 * sigma2, "<=", "max_t (E[L(θ_t)] − L(θ₀))/t", "η²σ², σ² = Tr(HS)/2", scale=_scale(inst)
    )


def precise_conclusion(inst: dict[str, Any]) -> Comparison:
    """The recursion for E[L(θ_t)] and the trace in mpmath (50 digits), float64 inputs taken as exact."""
    with mp.workdps(50):
        H, S, th = (mp.matrix(inst[k].tolist()) for k in ("H", "S", "theta0"))
        eta = mp.mpf(inst["eta"])
        p = H.rows
        J = mp.eye(p) - eta * H

        def half_tr(W: Any) -> Any:
            return mp.fsum(H[i, j] * W[i, j] for i in range(p) for j in range(p)) / 2

        W = th * th.T
        loss0 = half_tr(W)
        worst = -mp.inf
        for t in range(1, STEPS + 1):
            W = J * W * J + eta**2 * S
            worst = max(worst, (half_tr(W) - loss0) / t)
        rhs = eta**2 * mp.fsum(H[i, j] * S[i, j] for i in range(p) for j in range(p)) / 2
        return Comparison(float(worst), float(rhs), "<=", scale=_scale(inst))


def _eta_ok(inst: dict[str, Any]) -> bool:
    return 0 < inst["eta"] <= 2.0 / float(np.linalg.eigvalsh(inst["H"])[-1])


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(1, 6))
        H = random_psd(rng, p, rank=int(rng.integers(1, p + 1)))
        S = random_psd(rng, p, rank=int(rng.integers(1, p + 1)))
        lam1 = float(np.linalg.eigvalsh(H)[-1])
        u = [1.0, rng.uniform(0.5, 1.0), rng.uniform(0.01, 1.0)][i % 3]
        th = np.zeros(p) if i % 4 == 0 else rng.standard_normal(p)
        out.append({"H": H, "S": S, "eta": 2.0 * u / lam1, "theta0": th})
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    H = draw(psd_matrices(st.integers(1, 5)))
    p = H.shape[0]
    S = draw(psd_matrices(st.just(p)))
    lam1 = float(np.linalg.eigvalsh(H)[-1])
    u = draw(st.floats(0.01, 1.0))
    th = np.array(draw(st.lists(reals(-3, 3), min_size=p, max_size=p)), dtype=float)
    return {"H": H, "S": S, "eta": 2.0 * u / lam1, "theta0": th}


FIXED = [
    {"H": np.eye(2), "S": np.eye(2), "eta": 1.0, "theta0": np.zeros(2)},
    {"H": np.diag([2.0, 0.0]), "S": np.diag([1.0, 3.0]), "eta": 1.0, "theta0": np.array([1.0, 1.0])},
]


def _symbolic() -> list[Any]:
    """Proof of Lemma 3.6: one step of Lemma 3.2's recursion with r(θ) ≤ 1 adds at most η²σ²."""
    import sympy as sp

    l1, l2, w = sp.symbols("l1 l2 w", nonnegative=True)
    eta = sp.Symbol("eta", positive=True)
    t1, t2, x1, x2 = sp.symbols("theta1 theta2 xi1 xi2", real=True)
    s11, s12, s22 = sp.symbols("s11 s12 s22", real=True)
    H, S = sp.diag(l1, l2), sp.Matrix([[s11, s12], [s12, s22]])
    th, xi = sp.Matrix([t1, t2]), sp.Matrix([x1, x2])
    L = lambda v: (v.T * H * v)[0] / 2  # noqa: E731
    nxt = th - eta * (H * th + xi)
    ev = expect_quadratic(L(nxt), [x1, x2], [0, 0], S)
    sigma2 = (H * S).trace() / 2 + w
    gap = L(th) + eta**2 * sigma2 - ev
    rhs = eta / 2 * (l1**2 * t1**2 * (2 - eta * l1) + l2**2 * t2**2 * (2 - eta * l2)) + eta**2 * w
    u1, u2 = sp.symbols("u1 u2", nonnegative=True)
    on_range = {l1: 2 * u1 / (eta * (1 + u1)), l2: 2 * u2 / (eta * (1 + u2))}  # ηl_j ∈ [0, 2)
    return [
        Identity(gap, rhs, "L(θ) + η²σ² − E[L(θ⁺)] = (η/2)Σ_j l_j²θ_j²(2 − ηl_j) + η²w, σ² = Tr(HS)/2 + w"),
        Nonnegative(rhs.subs(on_range), "… ≥ 0 for 0 ≤ ηl_j < 2 and w ≥ 0 (r(θ) ≤ 1)"),
    ]


CLAIM = Claim(
    id="wu2022.lemma3_6",
    title="Uniformly bounded noise (Tr(HS) ≤ 2σ²), η ≤ 2/λ₁: E[L(θ_t) − L(θ₀)] ≤ η²σ²t",
    source=Source(KEY, "Lemma 3.6"),
    statement=(
        r"Under the setting of Lemma 3.2 with $0<\eta\le2/\lambda_1(H)$ and "
        r"$\operatorname{Tr}(HS(\theta))\le2\sigma^2$ for all θ: "
        r"$\mathbb{E}[L(\theta_t)-L(\theta_0)]\le\eta^2\sigma^2t$ for all $t\ge0$."
    ),
    hypotheses=(psd("H"), nonzero("H"), psd("S"), Hypothesis("0 < η ≤ 2/λ₁(H)", _eta_ok)),
    conclusion=conclusion,
    precise_conclusion=precise_conclusion,
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED),
        PropertyCheck("property", _strategy(), max_examples=80),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-300),
    inputs={"H": array(2), "S": array(2), "eta": REAL, "theta0": array(1)},
)
