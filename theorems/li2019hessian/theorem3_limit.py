r"""Li et al. (2019), Theorem 3 (1): where the adaptive-step SGD loss converges to.

Setting
-------
Binary logistic regression (19) of Example 2: data :math:`x_i\in\mathbb R^p`, labels
:math:`y_i\in\{0,1\}` (signs :math:`s_i=2y_i-1`), margins :math:`m_i(\theta)=s_ix_i^T\theta`,
per-sample loss :math:`f(\theta;z_i)=\log(1+e^{-m_i(\theta)})+\frac\lambda2\|\theta\|^2` (the paper's
loss is :math:`\lambda=0`; the ridge term is only used by the coercive sub-claim).  :math:`f` is
convex and :math:`L`-smooth with :math:`L\ge\lambda_{\max}(X^TX)/(4n)+\lambda` (Assumption 1,
globally).  SGD draws mini-batches of :math:`m` indices with replacement and takes the step
:math:`\eta_t=a_t(1+2\,\mathrm{pos})`, :math:`a_t=\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}`, at
relative position ``pos`` :math:`\in(0,1)` of the open interval (35) (``precond = 1``: the same
position in every coordinate interval (36)), with :math:`\mu_t=\nabla f(\theta_t)` and
:math:`M_t=\frac1n\sum_i\nabla f(\theta_t;z_i)\nabla f(\theta_t;z_i)^T` as in ``theorem3.py``.

Statement
---------
(1) Under (35) or (36), :math:`f(\theta_t)` converges almost surely to :math:`f(\theta^*)` for
some stationary point :math:`\theta^*` (:math:`\nabla f(\theta^*)=0`).  The proof in App. G
only shows that :math:`f(\theta_t)` is a non-negative super-martingale (it cites (77), the
lower bound; the upper bound (76) is the one that gives it), which gives a limit, not that
the limit is a stationary value.  Encoded:

* ``li2019.theorem3.limit`` — (1) as printed, through a necessary condition of its
  conclusion: a stationary point must exist, so the data may not be strictly separable
  (separation margin :math:`\gamma=\max_{\|w\|_\infty=1}\min_im_i(w)\le0`; if :math:`\gamma>0`
  the separating :math:`w` gives :math:`\nabla f(\theta)^Tw=-\frac1n\sum_i\sigma(-m_i(\theta))\,
  m_i(w)<0` for every :math:`\theta`).  **False**: in the paper's own over-parameterised regime
  (:math:`p\ge n`, where Example 2 itself remarks that the data are separable) all hypotheses hold, yet
  :math:`f` has no stationary point; :math:`f(\theta_t)\to0=\inf f`, which no :math:`\theta`
  attains, while :math:`\|\theta_t\|\to\infty`.  Smallest case :math:`n=p=1`, :math:`x=1`,
  :math:`y=1`: :math:`f(\theta)=\log(1+e^{-\theta})`, :math:`L=\frac14`, :math:`\Sigma_t=0`,
  :math:`M_t=\mu_t\mu_t^T`, so (35) and (36) both read :math:`\eta\in(2,6)`; with
  :math:`\eta=4`, :math:`\theta_0=0`, SGD is deterministic and after 2000 steps
  :math:`f(\theta_T)=1.25\cdot10^{-4}`, :math:`\theta_T=8.99`; :math:`\gamma=1>0`.
* ``li2019.theorem3.limit.coercive`` — what the proof supports: if :math:`f` is coercive
  (:math:`\lambda>0`, or data that no non-zero :math:`w` separates weakly:
  :math:`\kappa=\min_{\|w\|_\infty=1}\max_i(-m_i(w))>0`), a minimiser :math:`\theta^*` exists
  (here unique: :math:`f` is strictly convex), and for every horizon :math:`T`
  :math:`f(\theta_0)-\mathbb Ef(\theta_T)\ge\frac3{8L}\sum_{t<T}\mathbb E[\|\mu_t\|^4/
  \operatorname{Tr}M_t]` (under (36): :math:`\frac3{8L}\sum_j\mu_{t,j}^4/M_{t,j}`).  With
  :math:`f(\theta_T)\ge f(\theta^*)` this bounds the sum by :math:`\frac{8L}3(f(\theta_0)-f(\theta^*))`
  for every :math:`T`: the summability :math:`\sum_t\mathbb E\|\mu_t\|^4/\operatorname{Tr}M_t<\infty`, hence
  :math:`\|\mu_t\|^4/\operatorname{Tr}M_t\to0` a.s.; Doob's maximal inequality keeps
  :math:`\sup_tf(\theta_t)` finite a.s., coercivity keeps :math:`\theta_t` in a compact set where
  :math:`\operatorname{Tr}M_t` is bounded, so :math:`\mu_t\to0`, every limit point is stationary,
  :math:`\theta_t\to\theta^*` and :math:`f(\theta_t)\to f(\theta^*)`: statement (1) holds.  The
  one-step super-martingale inequality itself is ``li2019.theorem3.step_size`` (quadratics);
  the multi-step form on quadratics is ``li2019.theorem3.convergence.telescoped``.  When the
  instance has no stationary point (λ = 0 and strictly separable data: only reachable by
  dropping the coercivity hypothesis) the conclusion is the separation certificate of
  ``li2019.theorem3.limit`` and fails.

An almost-sure limit is not decidable from finitely many steps; what is checked is the
existence of :math:`\theta^*` (certificate) and the finite-horizon inequality the proof rests on.
The observed approach to :math:`\theta^*` (:math:`\mathbb E[f(\theta_T)-f^*]`,
:math:`\mathbb E\|\theta_T-\theta^*\|`) is printed in the report labels, not decided.

Evidence
--------
* ``exact`` (``limit``): LP (HiGHS) for the separating direction :math:`w`; the margin
  :math:`\gamma` is recomputed from :math:`w` and re-checked in exact rational arithmetic
  (``precise_conclusion``), so a reported :math:`\gamma>0` is a proof that no stationary point
  exists.  Instances: :math:`p\ge n` Gaussian data (separable) and :math:`n\gg p` noisy labels
  (non-separable, the necessary condition holds with :math:`\gamma<0`).  The labels also show
  the simulated limit (32 seeded paths).
* ``property`` (``limit``): Hypothesis over data in both regimes (:math:`p\ge n`, Example 2's, and
  :math:`n>p`), labels, :math:`\theta_0`, :math:`m`, ``pos``, (35)/(36), with :math:`T\le20` for the
  simulated label; separable draws refute the claim and shrink.
* ``symbolic`` (``coercive``; the correct algebra the literal claim's refutation and the proof use):
  for :math:`n=p=2` with symbolic data, signs and ridge :math:`\lambda`, sympy proves
  :math:`\nabla f(\theta)^Tw=-\frac1n\sum_i\sigma(-m_i(\theta))m_i(w)+\lambda\theta^Tw` (writing
  :math:`E_i=e^{m_i(\theta)}>0`), the certificate identity behind ``limit``; Assumption 1's constant,
  :math:`\frac14-\sigma(1-\sigma)=(\sigma-\frac12)^2\ge0` (each sample's curvature is at most
  :math:`\|x_i\|^2/4`); coercivity from the ridge, :math:`f(\theta)-\frac\lambda2\|\theta\|^2=
  \frac1n\sum_i\log(1+e^{-m_i})\ge0`; and the one-step drift under (35),
  :math:`-\eta\|\mu_t\|^2+\frac{\eta^2L}2\operatorname{Tr}M_t\le-\frac3{8L}\|\mu_t\|^4/\operatorname{Tr}M_t`
  for every ``pos``.
* ``monte_carlo`` (``coercive``): :math:`R=400` seeded SGD paths of :math:`T=200` steps.  Per
  path the statistic is :math:`Y=\sum_{t<T}\big(\mathbb E[f(\theta_{t+1})|\theta_t]-f(\theta_t)+
  \frac3{8L}d_t\big)` with the conditional expectation computed exactly by enumerating the batch
  compositions (a Rao–Blackwellised, unbiased estimator of
  :math:`\mathbb E f(\theta_T)-f(\theta_0)+\frac3{8L}\sum_t\mathbb E d_t`, with :math:`d_t` the drift
  term of (35) or (36); the conditional expectation uses a cancellation-free
  :math:`f(\theta+\delta)-f(\theta)`).  Decision: the claim :math:`\mathbb EY\le0` is declared
  violated only if the one-sided lower confidence bound (normal approximation, false-alarm
  rate :math:`\alpha=10^{-6}`) is above 0 (reported as the paired upper bound of
  :math:`f(\theta_0)-\mathbb Ef(\theta_T)` falling below the drift sum) and an independent
  replicate with :math:`4R` paths confirms it (false alarm :math:`\le\alpha^2` per instance under
  the normal approximation).  Seeds come from the instance bytes: never flaky.  Instances:
  ridge with separable or noisy data, :math:`\lambda=0` with overlapping data, ``pos`` at
  :math:`10^{-9}`, uniform, :math:`1-10^{-9}`, :math:`m\in\{1,2\}`, (35) and (36); plus the
  tight case :math:`x_1=x_2=1`, :math:`y=(1,0)` (:math:`\theta^*=0`, curvature :math:`L` there),
  :math:`\theta_0=0.2`, ``pos`` :math:`=10^{-9}`: drift sum / decrease = 0.992.  A quarter of the
  generated instances (:math:`\lambda=0`, separable) fail the coercivity hypothesis on purpose: they are
  the seeds of an assumption-necessity hunt (``--drop coercive``).

References
----------
[li2019hessian, Theorem 3 (1), Eqs. (35)–(36); Example 2, Eq. (19); proof in Appendix G].
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import linprog
from scipy.special import expit

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.evidence.memo import ArrayMemo
from verifythm.evidence.montecarlo import ALPHA, MonteCarloCheck, instance_seed, mean_bounds
from verifythm.strategies.scalars import reals

from .theorem3_convergence import batch_compositions

SOURCE = Source("li2019hessian", "Theorem 3 (1), Eqs. (35)-(36), (19); Appendix G")
TOL = Tolerance(rtol=1e-9, atol=1e-12)
#: Paths per Monte Carlo decision of the coercive sub-claim (the replicate uses 4×).
PATHS = 400


# -- the model -------------------------------------------------------------------------------
def _data(inst: dict[str, Any]) -> tuple[np.ndarray, float]:
    """Signed data ``S = diag(s) X`` (rows s_i x_i) and the ridge λ."""
    X = np.asarray(inst["X"], float)
    s = 2.0 * np.asarray(inst["y"], float) - 1.0
    return s[:, None] * X, float(inst.get("lam", 0.0))


def loss(SX: np.ndarray, lam: float, th: np.ndarray) -> np.ndarray:
    r"""Empirical loss (19) plus ridge, :math:`f(\theta)`, for a stack of points ``th`` (…, p)."""
    return np.mean(np.logaddexp(0.0, -(th @ SX.T)), axis=-1) + 0.5 * lam * np.sum(th * th, axis=-1)


def loss_change(SX: np.ndarray, lam: float, th: np.ndarray, delta: np.ndarray) -> np.ndarray:
    r""":math:`f(\theta+\delta)-f(\theta)` without cancellation (stacks: th (…, p), delta (…, p)).

    Per sample :math:`\log\frac{1+e^{-m_i-\Delta_i}}{1+e^{-m_i}}=\log(1+\sigma(-m_i)(e^{-\Delta_i}-1))`,
    :math:`\Delta_i=s_ix_i^T\delta`, used where :math:`|\Delta_i|<1`; the ridge part is
    :math:`\frac\lambda2\delta^T(2\theta+\delta)`.  The direct difference of the two losses is
    evaluated only at the entries where it is used.
    """
    z = th @ SX.T
    dz = delta @ SX.T
    small = np.abs(dz) < 1.0
    per = np.log1p(expit(-z) * np.expm1(-np.where(small, dz, 0.0)))
    if not small.all():
        large = np.broadcast_to(~small, per.shape)
        zl, dzl = np.broadcast_to(z, per.shape)[large], np.broadcast_to(dz, per.shape)[large]
        per[large] = np.logaddexp(0.0, -(zl + dzl)) - np.logaddexp(0.0, -zl)
    if lam == 0.0 and max(float(np.max(np.abs(delta))), float(np.max(np.abs(th)))) < 1e100:
        return np.mean(per, axis=-1) + 0.0  # the ridge part is 0 · (a finite sum): exactly zero
    return np.mean(per, axis=-1) + 0.5 * lam * np.sum(delta * (2 * th + delta), axis=-1)


def per_sample_grads(SX: np.ndarray, lam: float, th: np.ndarray) -> np.ndarray:
    r""":math:`\nabla f(\theta;z_i)=-\sigma(-m_i)s_ix_i+\lambda\theta`, shape (…, n, p)."""
    w = expit(-(th @ SX.T))
    return -w[..., :, None] * SX + lam * th[..., None, :]


def _step_and_drift(G: np.ndarray, L: float, pos: float, precond: bool) -> tuple[np.ndarray, np.ndarray]:
    """Step (R, p) at position ``pos`` of (35)/(36) and the drift d_t (R,) of the sharp bound.

    Means are written as sums over the samples divided by n (what ``np.mean`` computes, without
    its per-call overhead: this runs once per SGD step).
    """
    n = G.shape[1]
    mu = np.add.reduce(G, axis=1) / n
    Md = np.add.reduce(G * G, axis=1) / n
    if precond:
        ok = Md > 0
        drift = np.add.reduce(np.divide(mu**4, Md, out=np.zeros(Md.shape), where=ok), axis=1)
        lo = np.divide(mu**2, 2 * L * Md, out=np.zeros(Md.shape), where=ok)
    else:
        q = np.add.reduce(mu * mu, axis=1)
        tr = np.add.reduce(Md, axis=1)
        ok = tr > 0
        drift = np.divide(q * q, tr, out=np.zeros(q.shape), where=ok)
        lo = np.divide(q, 2 * L * tr, out=np.zeros(q.shape), where=ok)[:, None]
    return lo * (1 + 2 * pos), drift


def _batch_gradients(W: np.ndarray, G: np.ndarray) -> np.ndarray:
    r"""Every batch gradient :math:`\hat g_k=\sum_iW_{ki}g_i`: ``W`` (K, n), ``G`` (R, n, p) → (R, K, p).

    A batch of :math:`m\le2` draws has at most two non-zero weights per row, and a sum of at most
    two non-zero terms (the others exact zeros) is the same float in any order: the two terms
    are gathered and added, which is what ``einsum("kn,rnp->rkp", W, G)`` returns, without its
    sum over all n.  Larger batches, or non-finite gradients (``0·inf``), use the einsum.
    """
    nz = W != 0
    if nz.sum(axis=1).max() > 2 or not np.all(np.isfinite(G)):
        return np.einsum("kn,rnp->rkp", W, G)
    K = W.shape[0]
    first = np.argmax(nz, axis=1)
    last = W.shape[1] - 1 - np.argmax(nz[:, ::-1], axis=1)
    w1 = W[np.arange(K), first]
    w2 = np.where(last != first, W[np.arange(K), last], 0.0)
    return w1[:, None] * G[:, first, :] + w2[:, None] * G[:, last, :]


def simulate(
    inst: dict[str, Any], rng: np.random.Generator, R: int, rao_blackwell: bool = False
) -> dict[str, Any]:
    """Run ``R`` SGD paths for ``T`` steps; return θ_T, the drift sums and (optionally) Σ_t E[Δ_t | θ_t]."""
    SX, lam = _data(inst)
    n = SX.shape[0]
    L, pos, m, T = float(inst["L"]), float(inst["pos"]), int(inst["m"]), int(inst["T"])
    precond = bool(int(inst.get("precond", 0)))
    th = np.repeat(np.asarray(inst["theta"], float)[None, :], R, axis=0)
    S = np.zeros(R)
    cond = np.zeros(R)
    pb, W = batch_compositions(n, m) if rao_blackwell else (None, None)
    rows = np.arange(R)[:, None]
    for _ in range(T):
        G = per_sample_grads(SX, lam, th)
        step, drift = _step_and_drift(G, L, pos, precond)
        S += drift
        if rao_blackwell:
            ghat_all = _batch_gradients(W, G)
            cond += loss_change(SX, lam, th[:, None, :], -step[:, None, :] * ghat_all) @ pb
        idx = rng.integers(0, n, size=(R, m))
        th = th - step * (np.add.reduce(G[rows, idx], axis=1) / m)
    return {"theta": th, "S": S, "cond": cond}


# -- certificates ----------------------------------------------------------------------------
#: Margins already solved in this process (the hypotheses, the conclusion and its exact re-check
#: of one instance solve the same LPs; HiGHS is deterministic).
_MARGINS: ArrayMemo[tuple[float, np.ndarray]] = ArrayMemo(1024)


def signed_margin(SX: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Signed separation margin :math:`\gamma=\max_{\|w\|_\infty=1}\min_im_i(w)` and a maximiser.

    Memoised within the process (the last 1024 data sets, by dtype, shape and bytes); see
    :func:`_signed_margin`.
    """
    SX = np.asarray(SX)
    gamma, w = _MARGINS.get({"SX": SX}, lambda: _signed_margin(SX))
    return gamma, w.copy()


def _signed_margin(SX: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Signed separation margin :math:`\gamma=\max_{\|w\|_\infty=1}\min_im_i(w)` and a maximiser.

    Solved as 2p LPs (HiGHS), one per face :math:`w_j=\pm1` of the cube.  :math:`\gamma>0` iff the
    data are strictly separable (through the origin); :math:`\gamma<0` iff every non-zero
    :math:`w` has a negative margin, i.e. the logistic loss is coercive (:math:`-\gamma` is the
    overlap :math:`\kappa`).  The margin is recomputed from the returned :math:`w`.
    """
    n, p = SX.shape
    best, best_w = -math.inf, np.zeros(p)
    for j in range(p):
        for sgn in (1.0, -1.0):
            bounds: list[tuple[float | None, float | None]] = [(-1.0, 1.0)] * p + [(None, None)]
            bounds[j] = (sgn, sgn)
            # variables (w, t): maximise t subject to t − s_i x_iᵀw ≤ 0
            res = linprog(
                np.r_[np.zeros(p), -1.0],
                A_ub=np.c_[-SX, np.ones(n)],
                b_ub=np.zeros(n),
                bounds=bounds,
                method="highs",
            )
            if res.status != 0:  # pragma: no cover - always feasible and bounded
                raise ValueError(f"separation LP failed: {res.message}")
            w = np.clip(np.asarray(res.x[:p], float), -1.0, 1.0)
            w[j] = sgn
            g = float(np.min(SX @ w))
            if g > best:
                best, best_w = g, w
    return best, best_w


def exact_margin_of(SX: np.ndarray, w: np.ndarray) -> float:
    r""":math:`\min_im_i(w)/\|w\|_\infty` in exact rational arithmetic (float inputs are exact rationals)."""
    wq = [Fraction(float(v)) for v in w]
    nw = max((abs(v) for v in wq), default=Fraction(0))
    if nw == 0:
        return -math.inf
    margins = [sum((Fraction(float(a)) * b for a, b in zip(row, wq, strict=True)), Fraction(0)) for row in SX]
    return float(min(margins) / nw)


def minimiser(SX: np.ndarray, lam: float, start: np.ndarray) -> tuple[np.ndarray, float]:
    """Damped Newton for the unique stationary point θ* of a strictly convex ``f``; returns (θ*, ‖∇f(θ*)‖)."""
    th = np.zeros_like(start)
    n, p = SX.shape
    scale = float(np.max(np.linalg.norm(SX, axis=1))) + lam
    for _ in range(200):
        z = SX @ th
        g = -(expit(-z) @ SX) / n + lam * th
        gn = float(np.linalg.norm(g))
        if gn <= 1e-14 * scale:
            break
        H = (SX.T * (expit(z) * expit(-z))) @ SX / n + lam * np.eye(p)
        d = np.linalg.solve(H, g)

        step = 1.0
        while step > 1e-12:
            # Armijo, or (near θ*, where f no longer resolves the decrease) a halved gradient
            new = th - step * d
            if float(loss_change(SX, lam, th, new - th)) <= -1e-4 * step * float(g @ d):
                break
            if float(np.linalg.norm(-(expit(-(SX @ new)) @ SX) / n + lam * new)) < 0.5 * gn:
                break
            step /= 2
        th = th - step * d
    z = SX @ th
    g = -(expit(-z) @ SX) / n + lam * th
    return th, float(np.linalg.norm(g))


# -- hypotheses ------------------------------------------------------------------------------
def _shapes(i: dict[str, Any]) -> bool:
    X, y, th = np.asarray(i["X"]), np.asarray(i["y"]), np.asarray(i["theta"])
    if not (X.ndim == 2 and y.shape == (X.shape[0],) and th.shape == (X.shape[1],)):
        return False
    n, p = X.shape
    if not (1 <= n <= 8 and 1 <= p <= 6 and set(np.unique(y).tolist()) <= {0, 1}):
        return False
    if not (1 <= int(i["m"]) <= 2 and 1 <= int(i["T"]) <= 2000 and int(i.get("precond", 0)) in (0, 1)):
        return False
    if not (0 < float(i["pos"]) < 1 and float(i.get("lam", 0.0)) >= 0 and float(i["L"]) > 0):
        return False
    sizes = np.abs(np.concatenate([np.asarray(X, float).ravel(), np.asarray(th, float)]))
    return bool(np.all(np.isfinite(sizes)) and 1e-6 < float(np.max(np.abs(X))) and float(np.max(sizes)) < 1e3)


def _assumption1(i: dict[str, Any]) -> bool:
    X = np.asarray(i["X"], float)
    bound = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * X.shape[0]) + float(i.get("lam", 0.0))
    return bound <= float(i["L"]) * (1 + 1e-12)


def _nonempty(i: dict[str, Any]) -> bool:
    SX, lam = _data(i)
    G = per_sample_grads(SX, lam, np.asarray(i["theta"], float))
    mu = G.mean(axis=0)
    scale = float(np.max(np.abs(G)))
    if int(i.get("precond", 0)):
        return bool(np.all(np.abs(mu) > 1e-6 * scale))
    return bool(np.linalg.norm(mu) > 1e-6 * scale)


def _coercive(i: dict[str, Any]) -> bool:
    SX, lam = _data(i)
    if lam > 0:
        return True
    return signed_margin(SX)[0] < -1e-9 * float(np.max(np.abs(SX)))


COMMON = (
    Hypothesis(
        "1 ≤ n ≤ 8, 1 ≤ p ≤ 6, y ∈ {0,1}, m ∈ {1,2}, T ≤ 2000, pos ∈ (0,1), λ ≥ 0, |x|,|θ₀| < 1e3", _shapes
    ),
    Hypothesis("Assumption 1: L ≥ λ_max(XᵀX)/(4n) + λ ≥ ‖H_f(θ)‖₂ for all θ", _assumption1),
    Hypothesis("(35)/(36) non-empty at θ₀ (μ₀ ≠ 0, resp. every μ₀ⱼ ≠ 0)", _nonempty),
)
COERCIVE = Hypothesis("f coercive: λ > 0, or κ = min_{‖w‖∞=1} max_i(−s_i x_iᵀw) > 0", _coercive)


# -- the literal statement ------------------------------------------------------------------
def _limit_label(inst: dict[str, Any]) -> str:
    R = 1 if np.asarray(inst["X"]).shape[0] == 1 else 32
    sim = simulate(inst, np.random.default_rng(instance_seed(inst, "limit-label")), R)
    SX, lam = _data(inst)
    fT = loss(SX, lam, sim["theta"])
    nT = np.linalg.norm(sim["theta"], axis=1)
    return (
        f"separation margin γ = max_(‖w‖∞=1) min_i s_i x_iᵀw [{R} SGD path(s), T = {int(inst['T'])}: "
        f"f(θ₀) = {float(loss(SX, lam, np.asarray(inst['theta'], float))):.4g} → mean f(θ_T) = "
        f"{float(fT.mean()):.4g}, mean ‖θ_T‖ = {float(nT.mean()):.4g}; inf f = 0 if γ > 0]"
    )


def _literal(inst: dict[str, Any]) -> Comparison:
    SX, _ = _data(inst)
    gamma = signed_margin(SX)[0]
    return Comparison(
        gamma,
        0.0,
        "<=",
        _limit_label(inst),
        "0 (else ∇f(θ)ᵀw < 0 for all θ: no stationary θ* exists)",
        scale=float(np.max(np.abs(SX).sum(axis=1))),
    )


def _literal_exact(inst: dict[str, Any]) -> Comparison:
    SX, _ = _data(inst)
    gamma = exact_margin_of(SX, signed_margin(SX)[1])
    return Comparison(
        gamma,
        0.0,
        "<=",
        "γ(w) in exact rational arithmetic",
        "0",
        scale=float(np.max(np.abs(SX).sum(axis=1))),
    )


def _gen_data(rng: np.random.Generator, n: int, p: int, flip: float) -> tuple[np.ndarray, np.ndarray]:
    X = rng.standard_normal((n, p))
    w = rng.standard_normal(p)
    y = (X @ w > 0).astype(int)
    y = np.where(rng.uniform(size=n) < flip, 1 - y, y)
    return X, y


def _generate_literal(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(max(4, k // 3)):
        if i % 2 == 0:  # Example 2 regime: p ≥ n, separable almost surely
            n = int(rng.integers(1, 5))
            p = int(rng.integers(n, 7))
            X, y = _gen_data(rng, n, p, 0.0)
        else:  # n ≫ p with label noise: a minimiser exists
            X, y = _gen_data(rng, 8, int(rng.integers(1, 3)), 0.3)
        Lb = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * X.shape[0])
        out.append(
            {
                "X": X,
                "y": y,
                "theta": 0.5 * rng.standard_normal(X.shape[1]),
                "m": int(rng.integers(1, 3)),
                "T": 300,
                "L": Lb * (1.0 if i % 4 < 2 else 1.5),
                "pos": [1e-9, float(rng.uniform()), 1 - 1e-9][i % 3],
                "precond": int(i % 4 == 3),
            }
        )
    return out


@st.composite
def _literal_instances(draw: Any) -> dict[str, Any]:
    """Hypothesis: Example 2's regime p ≥ n (separable almost surely) or n > p, with a short horizon."""
    n = draw(st.integers(1, 6))
    p = draw(st.integers(1, 6))
    X = draw(hnp.arrays(float, (n, p), elements=reals(-3, 3)))
    Lb = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * n)
    return {
        "X": X,
        "y": draw(hnp.arrays(int, (n,), elements=st.integers(0, 1))),
        "theta": draw(hnp.arrays(float, (p,), elements=reals(-1, 1))),
        "m": draw(st.integers(1, 2)),
        "T": draw(st.integers(1, 20)),
        "L": Lb * draw(st.sampled_from([1.0, 1.5])),
        "pos": draw(st.floats(1e-9, 1 - 1e-9)),
        "precond": draw(st.integers(0, 1)),
    }


SMALLEST = {
    "X": np.array([[1.0]]),
    "y": np.array([1]),
    "theta": np.array([0.0]),
    "m": 1,
    "T": 2000,
    "L": 0.25,
    "pos": 0.5,
    "precond": 0,
}
EXAMPLE2 = {  # n = 3 < p = 5, stochastic mini-batches (m = 1)
    "X": np.array([[0.5, -1.2, 0.3, 0.8, -0.4], [-0.7, 0.1, 1.1, -0.2, 0.6], [0.9, 0.4, -0.5, 0.3, 1.0]]),
    "y": np.array([1, 0, 1]),
    "theta": np.zeros(5),
    "m": 1,
    "T": 1000,
    "L": 1.0,
    "pos": 0.5,
    "precond": 0,
}

LIMIT = Claim(
    id="li2019.theorem3.limit",
    title="Theorem 3 (1) as printed: under (35)/(36), f(θ_t) → f(θ*) a.s. with ∇f(θ*) = 0 (false)",
    source=SOURCE,
    statement=r"Under Assumption 1 and the step sizes (35) (or preconditioner (36)), $f(\theta_t)$ "
    r"converges almost surely to $f(\theta^*)$ for a stationary point $\theta^*$, $\nabla f(\theta^*)=0$. "
    r"Checked through the necessary condition that a stationary point exists: for logistic "
    r"regression (19), the separation margin $\gamma=\max_{\|w\|_\infty=1}\min_is_ix_i^Tw\le0$.",
    hypotheses=COMMON,
    conclusion=_literal,
    precise_conclusion=_literal_exact,
    checks=(
        ExactCheck(
            "exact",
            _generate_literal,
            fixed=[SMALLEST, EXAMPLE2],
            note="LP certificate of separation, re-checked in exact rationals; "
            "labels show the simulated limit",
        ),
        PropertyCheck("property", _literal_instances(), max_examples=8),
    ),
    expected=Expected.fails(
        "Theorem 3 (1) says f(θ_t) converges a.s. to f(θ*) at a stationary point θ*, but logistic regression "
        "(19) on separable data (the paper's own Example 2 regime) has none: n = p = 1, x = y = 1, L = 1/4, "
        "η = 4 ∈ (2, 6): f(θ_t) → 0 = inf f, not attained, θ_t → ∞ (γ = 1 > 0)",
        "docs/errata/li2019.theorem3.limit__exact.md",
        finding="erratum",
    ),
    tolerance=TOL,
    kind="limit",
)


# -- what the proof supports: coercive f ----------------------------------------------------
class _CoerciveConclusion:
    """Certificate that θ* exists, then the Monte Carlo decision on the multi-step drift inequality."""

    statistical = True

    def __init__(self, paths: int = PATHS, alpha: float = ALPHA) -> None:
        self.paths = paths
        self.alpha = alpha

    def _compare(self, inst: dict[str, Any], salt: str, R: int, exact: bool) -> Comparison:
        SX, lam = _data(inst)
        scale = float(np.max(np.abs(SX).sum(axis=1)))
        if lam == 0:
            gamma, w = signed_margin(SX)
            if exact:
                gamma = exact_margin_of(SX, w)
            if gamma > 1e-9 * scale:  # no stationary point: the conclusion of (1) is void
                return Comparison(
                    gamma,
                    0.0,
                    "<=",
                    "separation margin γ (λ = 0, separable data: no stationary θ* exists)",
                    "0",
                    scale=scale,
                )
        th0 = np.asarray(inst["theta"], float)
        ts, gn = minimiser(SX, lam, th0)
        if not gn <= 1e-10 * (scale + lam):
            raise ValueError(f"no certified stationary point (‖∇f‖ = {gn:.3g} after Newton)")
        fstar = float(loss(SX, lam, ts))
        D0 = float(loss(SX, lam, th0)) - fstar
        L = float(inst["L"])
        sim = simulate(inst, np.random.default_rng(instance_seed(inst, salt)), R, rao_blackwell=True)
        cS = 3 / (8 * L) * sim["S"]
        b = mean_bounds(
            sim["cond"] + cS, self.alpha
        )  # Y = Σ_t E[Δ_t | θ_t] + (3/8L) Σ_t d_t, claimed E Y ≤ 0
        drift = float(np.mean(cS))
        DT = float(np.mean(loss(SX, lam, sim["theta"]))) - fstar
        dist = float(np.mean(np.linalg.norm(sim["theta"] - ts, axis=1)))
        d = "Σ_j μ_tj⁴/M_tjj" if int(inst.get("precond", 0)) else "‖μ_t‖⁴/Tr M_t"
        return Comparison(
            drift - b.lower,
            drift,
            ">=",
            f"paired upper {1 - self.alpha:.7g}-bound of f(θ₀) − E f(θ_T) (mean {drift - b.mean:.6g}, "
            f"{R} paths, {b.method}; f(θ₀) − f(θ*) = {D0:.4g}, observed E[f(θ_T) − f(θ*)] = {DT:.3g}, "
            f"E‖θ_T − θ*‖ = {dist:.3g})",
            f"(3/8L) Σ_(t<T) E[{d}] (same paths)",
        )

    def __call__(self, inst: dict[str, Any]) -> Comparison:
        return self._compare(inst, "mc", self.paths, exact=False)

    def replicate(self, inst: dict[str, Any]) -> Comparison:
        """Independent replicate with 4× the paths; the separation margin in exact rationals."""
        return self._compare(inst, "mc-replicate", 4 * self.paths, exact=True)

    def describe(self) -> str:
        return (
            f"Monte Carlo decision: violated only if the one-sided lower confidence bound (normal "
            f"approximation, {self.paths} paths, false-alarm rate {self.alpha:g}) of the Rao–Blackwellised "
            f"E[f(θ_T) − f(θ₀)] + (3/8L)Σ_t d_t is above 0, confirmed by an independent replicate with "
            f"{4 * self.paths} paths"
        )


def _generate_coercive(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(max(8, k // 4)):
        kind = i % 4
        if kind in (1, 3):  # separable: p ≥ n
            n = int(rng.integers(1, 4))
            X, y = _gen_data(rng, n, int(rng.integers(n, 4)), 0.0)
        else:  # overlapping: n ≫ p, noisy labels
            X, y = _gen_data(rng, 6, int(rng.integers(1, 3)), 0.35)
        lam = 0.0 if kind in (0, 3) else float(10 ** rng.uniform(-2, 0))
        Lb = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * X.shape[0]) + lam
        out.append(
            {
                "X": X,
                "y": y,
                "lam": lam,
                "theta": rng.standard_normal(X.shape[1]),
                "m": 1 if i % 3 else 2,
                "T": 200,
                "L": Lb * (1.0 if i % 5 else 1.5),
                "pos": [1e-9, float(rng.uniform()), 1 - 1e-9][(i // 2) % 3],
                "precond": int(i % 6 == 5),
            }
        )
    return out


TIGHT = {  # θ* = 0 where the curvature σ'(0)·1 equals L = 1/4: the descent lemma is nearly exact
    "X": np.array([[1.0], [1.0]]),
    "y": np.array([1, 0]),
    "lam": 0.0,
    "theta": np.array([0.2]),
    "m": 1,
    "T": 200,
    "L": 0.25,
    "pos": 1e-9,
    "precond": 0,
}
_CONCLUSION = _CoerciveConclusion()


def _symbolic_coercive() -> list[Any]:
    """The gradient certificate, Assumption 1's 1/4, coercivity, and the one-step drift under (35)."""
    import sympy as sp

    n = 2
    th = sp.Matrix(sp.symbols("theta1:3", real=True))
    w = sp.Matrix(sp.symbols("w1:3", real=True))
    X = sp.Matrix(2, 2, sp.symbols("x1:5", real=True))
    sg = sp.symbols("s1:3", real=True)  # label signs s_i = 2y_i − 1
    lam = sp.Symbol("lambda", nonnegative=True)
    E = sp.symbols("E1:3", positive=True)  # E_i = exp(m_i(θ))

    def margin(t: Any, i: int) -> Any:
        return sg[i] * (X[i, :] * t)[0]

    f = sum(sp.log(1 + sp.exp(-margin(th, i))) for i in range(n)) / n + lam / 2 * (th.T * th)[0]
    lhs = sum(sp.diff(f, v) * wv for v, wv in zip(th, w, strict=True))
    rhs = -sum(margin(w, i) / (1 + sp.exp(margin(th, i))) for i in range(n)) / n + lam * (th.T * w)[0]
    rep = {sp.exp(-margin(th, i)): 1 / E[i] for i in range(n)} | {
        sp.exp(margin(th, i)): E[i] for i in range(n)
    }
    diff = sp.cancel(sp.together(sp.expand((lhs - rhs).subs(rep))))
    sig = sp.Symbol("sigma", positive=True)
    L, k, m2, tr = sp.symbols("L k mu2 trM", positive=True)
    pos = 1 / (1 + k)
    eta = (1 + 2 * pos) * m2 / (2 * L * tr)
    drift = -eta * m2 + eta**2 * L * tr / 2
    return [
        Identity(diff, 0, "∇f(θ)ᵀw = −(1/n)Σ σ(−m_i(θ)) m_i(w) + λθᵀw (n = p = 2)"),
        Identity(
            sp.Rational(1, 4) - sig * (1 - sig), (sig - sp.Rational(1, 2)) ** 2, "1/4 − σ(1 − σ) = (σ − ½)²"
        ),
        Nonnegative(
            sp.factor(sp.Rational(1, 4) - sig * (1 - sig)), "σ(1 − σ) ≤ 1/4: L ≥ λ_max(XᵀX)/(4n) + λ"
        ),
        Nonnegative(sp.expand(f - lam / 2 * (th.T * th)[0]), "f(θ) ≥ λ/2‖θ‖²: the ridge makes f coercive"),
        Nonnegative(sp.factor(-3 * m2**2 / (8 * L * tr) - drift), "(35): one-step drift ≤ −3‖μ‖⁴/(8L Tr M)"),
    ]


LIMIT_COERCIVE = Claim(
    id="li2019.theorem3.limit.coercive",
    title="Theorem 3 (1) as proved, coercive f: θ* exists and f(θ₀) − E f(θ_T) ≥ (3/8L) Σ_t E[‖μ_t‖⁴/Tr M_t]",
    source=SOURCE,
    statement=r"For logistic regression (19) (with ridge $\lambda\ge0$) whose loss is coercive, under (35) "
    r"(or (36)) a stationary point $\theta^*$ exists and for every $T$, "
    r"$f(\theta_0)-\mathbb Ef(\theta_T)\ge\frac3{8L}\sum_{t<T}\mathbb E[\|\mu_t\|^4/\operatorname{Tr}M_t]$, "
    r"so the sum stays below $\frac{8L}3(f(\theta_0)-f(\theta^*))$; hence $\|\mu_t\|\to0$ a.s., "
    r"$\theta_t\to\theta^*$ and "
    r"$f(\theta_t)\to f(\theta^*)$ a.s.",
    hypotheses=(*COMMON, COERCIVE),
    conclusion=_CONCLUSION,
    precise_conclusion=_CONCLUSION.replicate,
    checks=(
        SymbolicCheck("symbolic", _symbolic_coercive),
        MonteCarloCheck(
            "monte_carlo",
            _generate_coercive,
            fixed=[TIGHT],
            note="batch compositions enumerated at every step (Rao–Blackwellised); separable λ = 0 "
            "instances are generated on purpose and fail the coercivity hypothesis",
        ),
    ),
    tolerance=TOL,
)

CLAIMS = [LIMIT, LIMIT_COERCIVE]
