r"""Private model of :mod:`theorems.li2019hessian.thm4_bound`: logistic data, exact Gibbs errors.

Sampling of the data model, the ridge-logistic fit (one set or a stack, Newton's method), the
Hessian diagonals of the training log-loss, and the Gibbs classifier's train and test errors
without sampling :math:`\theta'` (the test error integrated in polar coordinates).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy.special import expit, ndtr

#: Directions on the circle (periodic trapezoid rule) and radial Gauss–Legendre nodes.
N_DIRECTIONS, N_RADIAL, R_MAX = 4096, 256, 12.0


@cache
def _polar(d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit directions (K, d) with weights (K,), and radial nodes with weights of the χ_d law."""
    if d == 1:
        E, w = np.array([[1.0], [-1.0]]), np.array([0.5, 0.5])
    elif d == 2:
        phi = 2 * np.pi * np.arange(N_DIRECTIONS) / N_DIRECTIONS
        E, w = np.stack([np.cos(phi), np.sin(phi)], axis=1), np.full(N_DIRECTIONS, 1.0 / N_DIRECTIONS)
    else:
        raise ValueError(f"d: the exact test error is implemented for d in {{1, 2}}, got {d}")
    x, wx = np.polynomial.legendre.leggauss(N_RADIAL)
    r = (x + 1) * R_MAX / 2
    dens = r ** (d - 1) * np.exp(-(r**2) / 2)
    wr = wx * R_MAX / 2 * dens
    return E, w, np.stack([r, wr / wr.sum()])


def direction_law(theta_star: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Directions :math:`e`, their weights, and :math:`P(y=+1\mid x/\|x\|=e)` (radius integrated out)."""
    E, w, (r, wr) = _polar(theta_star.size)
    return E, w, expit(np.outer(E @ theta_star, r)) @ wr


def gibbs_test_errors(
    thetas: np.ndarray, variances: np.ndarray, law: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> np.ndarray:
    r"""Exact Gibbs test errors :math:`\ell(\mathcal Q,\mathcal D)` of a stack of posteriors.

    Row :math:`k` is :math:`\mathcal Q=\mathcal N(\theta_k,\mathrm{diag}(v_k))` for ``thetas``,
    ``variances`` of shape (N, d); ``law`` is :func:`direction_law` of θ*.  Computed in blocks of
    256 rows (all K directions each).
    """
    E, w, h = law
    out = np.empty(thetas.shape[0])
    for a in range(0, thetas.shape[0], 256):
        th, v = thetas[a : a + 256, :, None], variances[a : a + 256, :, None]
        g = (E @ th)[:, :, 0] / np.sqrt(((E * E) @ v)[:, :, 0])
        out[a : a + 256] = ((h * ndtr(-g) + (1 - h) * ndtr(g))[:, None, :] @ w[:, None])[:, 0, 0]
    return out


def gibbs_test_error(
    theta: np.ndarray,
    var: np.ndarray,
    theta_star: np.ndarray,
    law: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> float:
    r"""Exact Gibbs test error :math:`\ell(\mathcal Q,\mathcal D)` of one posterior.

    Here :math:`\mathcal Q=\mathcal N(\theta,\mathrm{diag}(var))`, and ``law`` is
    :func:`direction_law` of ``theta_star`` (computed when omitted); see :func:`gibbs_test_errors`.
    """
    law = direction_law(theta_star) if law is None else law
    return float(gibbs_test_errors(np.asarray(theta)[None], np.asarray(var)[None], law)[0])


def _margins(thetas: np.ndarray, Xs: np.ndarray) -> np.ndarray:
    r""":math:`x_i^T\theta_k` for stacks ``thetas`` (N, d), ``Xs`` (N, n, d): (N, n)."""
    return (Xs @ thetas[:, :, None])[:, :, 0]


def train_errors(thetas: np.ndarray, variances: np.ndarray, Xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    r"""Exact :math:`\ell(\mathcal Q_k,S_k)` for stacks of posteriors and training sets, (N,)."""
    sd = np.sqrt(((Xs * Xs) @ variances[:, :, None])[:, :, 0])
    return np.mean(ndtr(-ys * _margins(thetas, Xs) / sd), axis=1)


def train_error(theta: np.ndarray, var: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    r"""Exact :math:`\ell(\mathcal Q,S)`: the Gibbs classifier's mean 0-1 loss on ``S``."""
    return float(train_errors(np.asarray(theta)[None], np.asarray(var)[None], X[None], y[None])[0])


def sample(rng: np.random.Generator, n: int, theta_star: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Draw n i.i.d. samples of the Bernoulli-logistic model: X (n, d), y in {−1, +1}."""
    X = rng.standard_normal((n, theta_star.size))
    y = np.where(rng.random(n) < expit(X @ theta_star), 1.0, -1.0)
    return X, y


def fit(X: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    """Newton's method for the ridge-logistic objective (strictly convex for ridge > 0)."""
    n, d = X.shape
    th = np.zeros(d)
    for _ in range(100):
        m = y * (X @ th)
        s = expit(-m)
        grad = -(X.T @ (y * s)) / n + ridge * th
        hess = (X.T * (s * (1 - s))) @ X / n + ridge * np.eye(d)
        step = np.linalg.solve(hess, grad)
        th = th - step
        if np.max(np.abs(step)) <= 1e-12 * (1 + np.max(np.abs(th))):
            break
    return th


def fit_many(X: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    """:func:`fit` for a stack of data sets ``X`` (N, n, d), ``y`` (N, n) at once.

    The same Newton iteration and stopping rule per data set (a converged one stops moving),
    vectorised over the stack: one batched solve per step instead of N.
    """
    N, n, d = X.shape
    th = np.zeros((N, d))
    moving = np.ones(N, dtype=bool)
    for _ in range(100):
        m = y * np.einsum("knd,kd->kn", X, th)
        s = expit(-m)
        grad = -np.einsum("knd,kn->kd", X, y * s) / n + ridge * th
        hess = np.einsum("knd,kn,kne->kde", X, s * (1 - s), X) / n + ridge * np.eye(d)
        step = np.linalg.solve(hess, grad[..., None])[..., 0]
        step[~moving] = 0.0
        th = th - step
        moving &= np.max(np.abs(step), axis=1) > 1e-12 * (1 + np.max(np.abs(th), axis=1))
        if not moving.any():
            break
    return th


def hessian_diags(thetas: np.ndarray, Xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    r"""Diagonals of :math:`H_f(\theta_k)` for the empirical logistic log-loss (19), stacked (N, d)."""
    s = expit(ys * _margins(thetas, Xs))
    return ((s * (1 - s))[:, None, :] @ (Xs * Xs))[:, 0, :] / Xs.shape[1]
