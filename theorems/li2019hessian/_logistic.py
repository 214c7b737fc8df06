"""Private model of the Theorem 3 (1) modules: binary logistic regression (19) with a ridge.

Shared by :mod:`theorems.li2019hessian.thm3_limit` (the literal statement) and
:mod:`theorems.li2019hessian.thm3_limit_coercive` (what the proof supports): the loss and its
cancellation-free change, per-sample gradients, the SGD simulation under the step sizes (35)/(36),
the separation-margin certificate (LP, exact re-check), the minimiser, and the hypotheses.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.special import expit

from verifythm import Hypothesis
from verifythm.evidence.memo import ArrayMemo

from ._quadratic_paths import batch_compositions


# -- the model -------------------------------------------------------------------------------
def signed_data(inst: dict[str, Any]) -> tuple[np.ndarray, float]:
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


def step_and_drift(G: np.ndarray, L: float, pos: float, precond: bool) -> tuple[np.ndarray, np.ndarray]:
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


def batch_gradients(W: np.ndarray, G: np.ndarray) -> np.ndarray:
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
    SX, lam = signed_data(inst)
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
        step, drift = step_and_drift(G, L, pos, precond)
        S += drift
        if rao_blackwell:
            ghat_all = batch_gradients(W, G)
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
    SX, lam = signed_data(i)
    G = per_sample_grads(SX, lam, np.asarray(i["theta"], float))
    mu = G.mean(axis=0)
    scale = float(np.max(np.abs(G)))
    if int(i.get("precond", 0)):
        return bool(np.all(np.abs(mu) > 1e-6 * scale))
    return bool(np.linalg.norm(mu) > 1e-6 * scale)


def _coercive(i: dict[str, Any]) -> bool:
    SX, lam = signed_data(i)
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


def labelled_data(rng: np.random.Generator, n: int, p: int, flip: float) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian data (n, p) labelled by a random hyperplane through 0, a fraction ``flip`` flipped."""
    X = rng.standard_normal((n, p))
    w = rng.standard_normal(p)
    y = (X @ w > 0).astype(int)
    y = np.where(rng.uniform(size=n) < flip, 1 - y, y)
    return X, y
