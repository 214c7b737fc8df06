r"""Private helpers of :mod:`theorems.li2019hessian.thm2_tails`: the exact law of :math:`f(\theta_T)`.

The law of the logistic loss after :math:`T` SGD steps (all :math:`n^{mT}` index paths, equal
states merged) and the constant :math:`K` it implies for the tail bound (32), in float64 and in
mpmath over the distinct samples with their multiplicities.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from verifythm.linalg.precise import extreme_eigs_mp, frac_to_mpf, mpf_array


def _unique_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(a, axis=0, return_inverse=True)`` for a finite float array (S, p), by a lexsort.

    The same distinct rows in the same (lexicographic) order and the same inverse: rows are
    equal when every coordinate compares equal.  ``np.unique`` sorts the rows as one opaque
    record each, which is several times slower.
    """
    if not np.all(np.isfinite(a)):
        return np.unique(a, axis=0, return_inverse=True)
    order = np.lexsort(a.T[::-1])
    s = a[order]
    new = np.empty(len(s), dtype=bool)
    new[:1] = True
    new[1:] = np.any(s[1:] != s[:-1], axis=1)
    inv = np.empty(len(s), dtype=np.intp)
    inv[order] = np.cumsum(new) - 1
    return s[new], inv


def exact_law(
    X: np.ndarray, y: np.ndarray, eta: float, T: int, m: int = 1
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Exact law of f(θ_T) for SGD (8) from θ₀ = 0 with m indices drawn with replacement per step.

    Every one of the n^m ordered batches has probability n^{-m}; equal states are merged (exactly),
    so the n^{mT} index paths are enumerated without repeating work.  Returns the distinct values
    of f(θ_T), their probabilities, and μ = max‖μ_t‖, σ = max‖Σ_t‖₂ over every state reached
    before T.
    """
    n, p = X.shape
    batches = np.array(list(itertools.product(range(n), repeat=m)))
    th, w = np.zeros((1, p)), np.ones(1)
    mu_b = sig_b = 0.0
    for _ in range(T):
        Z = -y[None, :] * (th @ X.T)
        G = (-y[None, :] / (1 + np.exp(-Z)))[:, :, None] * X[None, :, :]  # per-sample gradients (S, n, p)
        mu = G.mean(axis=1)
        C = G - mu[:, None, :]
        S = np.einsum("sni,snj->sij", C, C) / n
        mu_b = max(mu_b, float(np.max(np.linalg.norm(mu, axis=1))))
        sig_b = max(sig_b, float(np.max(np.linalg.eigvalsh(S)[:, -1])))
        th = (th[:, None, :] - eta * G[:, batches, :].mean(axis=2)).reshape(-1, p)
        th, inv = _unique_rows(th)
        w = np.bincount(inv.ravel(), weights=np.repeat(w / len(batches), len(batches)))
    f = np.mean(np.logaddexp(0.0, -y[None, :] * (th @ X.T)), axis=1)
    return f, w, mu_b, sig_b


def implied_constant(
    X: np.ndarray, y: np.ndarray, kappa: float, T: int, m: int = 1, L1: float | None = None
) -> float:
    """Smallest K with (32) true for c = 1/K (η = κ/L, θ₀ = 0), by exact path enumeration.

    ``L1`` is the Lipschitz constant of f used in (33); by default max‖x_i‖ (a per-sample bound,
    as in the limits measured above).  Any valid constant may be used: mean‖x_i‖ ≥ sup‖∇f‖ is one too
    (``constant_fit`` uses it).
    """
    n, p = X.shape
    L = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * n)
    L1 = float(np.max(np.linalg.norm(X, axis=1))) if L1 is None else L1
    eta = kappa / L
    f, w, mu_b, sig_b = exact_law(X, y, eta, T, m)
    K2 = max(
        2 * L1 * eta * (mu_b + math.sqrt(sig_b * p / m)),
        eta**2 * L * (sig_b + mu_b**2)
        + eta * mu_b**2 / math.sqrt(m) * (1 + eta * L) * math.sqrt(sig_b)
        + (m + 1) * eta**2 * L * sig_b / (2 * m),
    )
    mean = float(w @ f)
    D = np.abs(f - mean)
    order = np.argsort(D)
    Ds, ws = D[order], w[order]
    tail = np.cumsum(ws[::-1])[::-1]  # tail[j] = P(D ≥ Ds[j]) up to ties, fixed next
    first = np.searchsorted(Ds, Ds, side="left")  # ties share the probability of the first of their run
    atom = Ds > 1e-12 * max(1.0, abs(mean))
    if not atom.any():
        return 0.0
    P, x = tail[first][atom], Ds[atom]
    s = x / math.sqrt(T)
    rho = np.minimum(s * s / (8 * K2**2), math.sqrt(T) * s / (2 * K2))
    return float(np.max(rho / np.log(2 / P)))


def implied_constant_precise(
    X: np.ndarray, y: np.ndarray, counts: list[int], kappa: Fraction, T: int, m: int, L1: Fraction
) -> Any:
    r""":func:`implied_constant` in mpmath (current precision), for samples given with multiplicities.

    The distinct samples are the rows of ``X`` (object array of Fractions) with labels ``y``, row
    ``u`` repeated ``counts[u]`` times, :math:`n=\sum_u` ``counts[u]``.  A batch of ``m`` indices drawn
    with replacement is enumerated by its composition over the distinct rows (multinomial
    probabilities, exact); equal states are merged, the probabilities of the states stay exact
    rationals.  :math:`L=\lambda_{\max}(X^TX)/(4n)` and every :math:`\|\Sigma_t\|_2` are mpmath
    eigenvalues; atoms of :math:`|f(\theta_T)-\mathbb Ef(\theta_T)|` closer than :math:`10^{-(dps-10)}`
    (relative) count as one.  Returns an ``mpf``.
    """
    import mpmath

    U, p = X.shape
    n = sum(counts)
    Xm = mpf_array(X)
    ym = [frac_to_mpf(v) for v in y]
    w = [Fraction(c, n) for c in counts]
    L = extreme_eigs_mp(mpf_array(sum(c * np.outer(x, x) for c, x in zip(counts, X, strict=True))))[1] / (
        4 * n
    )
    eta = frac_to_mpf(kappa) / L
    batches = []
    for combo in itertools.combinations_with_replacement(range(U), m):
        k = [combo.count(u) for u in range(U)]
        prob = Fraction(math.factorial(m))
        for u in range(U):
            prob *= w[u] ** k[u] / math.factorial(k[u])
        batches.append((prob, [Fraction(ku, m) for ku in k]))
    states: dict[tuple[Any, ...], Fraction] = {tuple(mpmath.mpf(0) for _ in range(p)): Fraction(1)}
    mu_b = sig_b = mpmath.mpf(0)
    for _ in range(T):
        nxt: dict[tuple[Any, ...], Fraction] = {}
        for th, pr in states.items():
            t = np.array(th, dtype=object)
            G = [-ym[u] * Xm[u] / (1 + mpmath.exp(ym[u] * t.dot(Xm[u]))) for u in range(U)]
            mu = sum(frac_to_mpf(w[u]) * G[u] for u in range(U))
            S = sum(frac_to_mpf(w[u]) * np.outer(G[u] - mu, G[u] - mu) for u in range(U))
            mu_b = max(mu_b, mpmath.sqrt(mu.dot(mu)))
            sig_b = max(sig_b, extreme_eigs_mp(S)[1])
            for prob, k in batches:
                key = tuple(t - eta * sum(frac_to_mpf(k[u]) * G[u] for u in range(U)))
                nxt[key] = nxt.get(key, Fraction(0)) + pr * prob
        states = nxt
    f = [
        (
            sum(
                frac_to_mpf(w[u]) * mpmath.log1p(mpmath.exp(-ym[u] * np.array(th, dtype=object).dot(Xm[u])))
                for u in range(U)
            ),
            pr,
        )
        for th, pr in states.items()
    ]
    L1m = frac_to_mpf(L1)
    K2 = max(
        2 * L1m * eta * (mu_b + mpmath.sqrt(sig_b * p / m)),
        eta**2 * L * (sig_b + mu_b**2)
        + eta * mu_b**2 / mpmath.sqrt(m) * (1 + eta * L) * mpmath.sqrt(sig_b)
        + (m + 1) * eta**2 * L * sig_b / (2 * m),
    )
    mean = sum(frac_to_mpf(pr) * v for v, pr in f)
    tie = mpmath.mpf(10) ** (10 - mpmath.mp.dps) * max(1, abs(mean))
    D = sorted((abs(v - mean), pr) for v, pr in f)
    worst = mpmath.mpf(0)
    for x, _ in D:
        if x <= tie:
            continue
        P = sum((pr for d, pr in D if d >= x - tie), Fraction(0))  # P(D ≥ x), ties merged
        s = x / mpmath.sqrt(T)
        rho = min(s * s / (8 * K2**2), mpmath.sqrt(T) * s / (2 * K2))
        worst = max(worst, rho / mpmath.log(frac_to_mpf(2 / P)))
    return worst
