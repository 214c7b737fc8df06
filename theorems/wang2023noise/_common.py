r"""Shared helpers for the wang2023noise modules (not collected: the name starts with ``_``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Hypothesis

KEY = "wang2023noise"


def finite(*names: str) -> Hypothesis:
    """All named entries are finite arrays/numbers."""
    return Hypothesis(
        f"{', '.join(names)} finite",
        lambda inst: all(bool(np.all(np.isfinite(np.asarray(inst[k], float)))) for k in names),
    )


def linreg_parts(X: Any, y: Any, theta: Any) -> dict[str, Any]:
    r"""Linear regression :math:`f(x;\theta)=\theta^Tx` at θ: residuals, gradients, G, Σ₁, Σ₀, ∇L.

    Written generically (numpy float or object arrays) so that sympy entries work too.
    """
    n = X.shape[0]
    e = X @ theta - y
    G = X.T @ X / n
    grads = X * e[:, None]  # rows ∇ℓ_i = e_i x_i
    gradL = grads.sum(axis=0) / n
    Sigma1 = grads.T @ grads / n
    Sigma0 = Sigma1 - np.outer(gradL, gradL)
    L = (e * e).sum() / (2 * n)
    return {"n": n, "e": e, "G": G, "grads": grads, "gradL": gradL, "S1": Sigma1, "S0": Sigma0, "L": L}


def trace(A: Any) -> Any:
    return sum(A[i, i] for i in range(A.shape[0]))


def gaussian_data(rng: np.random.Generator, n: int, d: int, spectrum: Any = None) -> np.ndarray:
    r"""``n`` i.i.d. rows from :math:`\mathcal N(0, S)`, ``S = diag(spectrum)`` (identity by default)."""
    Z = rng.standard_normal((n, d))
    if spectrum is None:
        return Z
    return Z * np.sqrt(np.asarray(spectrum, float))[None, :]


def gaussian_expectation(fn: Any, S: np.ndarray, nodes: int = 3) -> Any:
    r"""Exact :math:`\mathbb E_{x\sim\mathcal N(0,S)}[fn(x)]` for polynomials of degree ≤ 2·nodes−1.

    Tensor-product Gauss–Hermite quadrature over :math:`x=S^{1/2}z` (small ``d`` only).
    """
    from itertools import product

    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / np.sqrt(2 * np.pi)
    d = S.shape[0]
    lam, V = np.linalg.eigh((S + S.T) / 2)
    root = V * np.sqrt(np.clip(lam, 0, None))
    total = 0.0
    for idx in product(range(nodes), repeat=d):
        x = root @ z[list(idx)]
        total = total + float(np.prod(w[list(idx)])) * fn(x)
    return total


def olm_population(S: np.ndarray, J: np.ndarray, r: np.ndarray) -> dict[str, Any]:
    r"""Population quantities of an OLM at one θ (Eq. (10)).

    :math:`\bar G=J^TSJ`, :math:`\bar{\mathcal L}=\frac12r^TSr`, :math:`\nabla\bar{\mathcal L}=J^TSr` and
    :math:`\bar\Sigma_1=\mathbb E[(r^Tx)^2J^Txx^TJ]` (by exact quadrature).
    """
    Sig1 = gaussian_expectation(lambda x: float(r @ x) ** 2 * np.outer(J.T @ x, J.T @ x), S)
    return {"G": J.T @ S @ J, "L": 0.5 * float(r @ S @ r), "gradL": J.T @ S @ r, "S1": Sig1}


def kurtosis_witness(n: int, reps: int, seed: int) -> np.ndarray:
    r"""Values of μ(θ) = g(θ; v) for the linear model with d = 1 on ``reps`` seeded data sets of size ``n``.

    There :math:`\mu(\theta)=g(\theta;v)=\overline{x^4}/(\overline{x^2})^2` at every
    :math:`\theta\ne\theta^*`, :math:`v\ne0`.
    """
    rng = np.random.default_rng([seed, n])
    X = rng.standard_normal((reps, n))
    return (X**4).mean(axis=1) / (X**2).mean(axis=1) ** 2


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(Bin(n, p) >= k)."""
    from math import comb

    return float(sum(comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1)))
