r"""Shared helpers for the Appendix E (concentration) modules of wang2023noise (not collected).

Exact tails of sample means and quadratic forms for families where they are known in closed form,
Orlicz (:math:`\psi_\beta`) norms, and the *implied constant* of an exponential tail bound.

For a bound :math:`P(\text{dev}>t)\le2\exp(-c\,m(t))` the constant implied by one distribution is
:math:`\hat c=\inf_{t>0}\,-\log(P(\text{dev}>t)/2)/m(t)`; the bound holds with a given :math:`c`
for that distribution iff :math:`c\le\hat c`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import linalg, optimize, special, stats

LOG2 = float(np.log(2.0))
PSI1_EXP = 2.0  # ‖Exp(1)‖_{ψ₁}: E e^{X/C} = 1/(1 − 1/C) = 2
PSI1_CHI2 = 8.0 / 3.0  # ‖Z²‖_{ψ₁}: (1 − 2/C)^{−1/2} = 2
PSI2_GAUSS = float(np.sqrt(8.0 / 3.0))  # ‖Z‖_{ψ₂}: (1 − 2/C²)^{−1/2} = 2
PSI2_RAD = float(1.0 / np.sqrt(np.log(2.0)))  # ‖ε‖_{ψ₂}: e^{1/C²} = 2
PSI1_RAD = float(1.0 / np.log(2.0))  # ‖ε‖_{ψ₁}: e^{1/C} = 2


def psi1_gauss() -> float:
    r""":math:`\|Z\|_{\psi_1}`, Z ~ N(0,1): root of :math:`2e^{1/(2C^2)}\Phi(1/C)=2`."""
    return float(optimize.brentq(lambda C: 2 * np.exp(0.5 / C**2) * stats.norm.cdf(1 / C) - 2, 0.5, 10.0))


def psi1_bernoulli(p: float) -> float:
    r""":math:`\|X\|_{\psi_1}` for X ~ Bernoulli(p): :math:`1-p+pe^{1/C}=2`."""
    return float(1.0 / np.log1p(1.0 / p))


def discrete_tail(values: np.ndarray, logpmf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Atoms :math:`a>0` of ``|values|`` and :math:`\log P(|V|\ge a)` (exact, by cumulative log-sum-exp)."""
    a = np.abs(np.asarray(values, float))
    order = np.argsort(-a, kind="stable")
    a, lp = a[order], np.logaddexp.accumulate(np.asarray(logpmf, float)[order])
    # ties: P(|V| ≥ a) must include every atom equal to a — take the last of each run
    last = np.r_[a[1:] != a[:-1], True]
    a, lp = a[last], lp[last]
    keep = a > 0
    return a[keep], lp[keep]


def implied_c(log_p: np.ndarray, m: np.ndarray) -> tuple[float, int]:
    r""":math:`\min_t -(\log P(t)-\log2)/m(t)` over a grid (``m > 0``) and the arg-min index."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = -(np.asarray(log_p, float) - LOG2) / np.asarray(m, float)
    c = np.where(np.asarray(m) > 0, c, np.inf)
    i = int(np.argmin(c))
    return float(c[i]), i


def psi_norm(sample_logmgf: Any, lo: float = 1e-3, hi: float = 1e3) -> float:
    r"""Root :math:`C` of :math:`\log\mathbb E\exp(|X|^\beta/C^\beta)=\log2`, given that log as a function."""
    return float(optimize.brentq(lambda C: sample_logmgf(C) - LOG2, lo, hi, xtol=1e-14, rtol=1e-14))


def binom_logpmf(n: int, p: float) -> np.ndarray:
    return stats.binom.logpmf(np.arange(n + 1), n, p)


def order_stat_lower(samples: np.ndarray, q: float, alpha: float) -> float:
    r"""Distribution-free lower confidence bound for the :math:`q`-quantile.

    The :math:`k`-th smallest of :math:`R` draws with the largest :math:`k` such that
    :math:`P(\mathrm{Bin}(R,q)\le k-1)\le\alpha`; then :math:`P(X_{(k)}>\xi_q)\le\alpha` (exact binomial,
    for continuous :math:`X`; conservative otherwise).
    """
    x = np.sort(np.asarray(samples, float))
    R = x.size
    ks = np.arange(1, R + 1)
    ok = stats.binom.cdf(ks - 1, R, q) <= alpha
    if not ok.any():
        return -np.inf
    k = int(ks[ok][-1])
    return float(x[k - 1])


def _poisson_logsum(x: np.ndarray, j: np.ndarray) -> np.ndarray:
    r""":math:`\log\sum_jP(\mathrm{Poisson}(x)=j)` for each entry of ``x > 0`` (log-sum-exp)."""
    xs = x[:, None]
    return special.logsumexp(-xs + j[None, :] * np.log(xs) - special.gammaln(j + 1)[None, :], axis=1)


def gamma_logsf(k: int, x: np.ndarray) -> np.ndarray:
    r""":math:`\log P(\Gamma(k,1)>x)` for integer :math:`k\ge1`, without underflow.

    SciPy's ``logsf`` is used where the tail exceeds :math:`e^{-600}`; below, where it would
    underflow to :math:`-\infty`, the exact identity :math:`P(\Gamma(k,1)>x)=P(\mathrm{Poisson}(x)\le k-1)`
    is summed in log space, over the terms within :math:`e^{-40}` of the largest (:math:`j=k-1`).
    """
    x = np.atleast_1d(np.asarray(x, float))
    out = stats.gamma.logsf(x, k)
    deep = ~(out > -600.0) & (x > 0)
    if deep.any():  # there x > k: the terms j ≤ k − 1 grow geometrically (ratio ≥ x/k) up to j = k − 1
        m = int(40.0 / np.log(float(np.min(x[deep])) / k)) + 20 if np.min(x[deep]) > k else k
        out[deep] = _poisson_logsum(x[deep], np.arange(max(0, k - m), k, dtype=float))
    return out


def gamma_logcdf(k: int, x: np.ndarray) -> np.ndarray:
    r""":math:`\log P(\Gamma(k,1)\le x)` for integer :math:`k\ge1`, without underflow.

    SciPy's ``logcdf`` where the tail exceeds :math:`e^{-600}`; below (then :math:`x<k`), the exact
    :math:`P(\Gamma(k,1)\le x)=P(\mathrm{Poisson}(x)\ge k)`, whose terms :math:`j\ge k` decrease at
    least geometrically with ratio :math:`x/k`, truncated once they fall below :math:`e^{-40}` of the first.
    """
    x = np.atleast_1d(np.asarray(x, float))
    out = stats.gamma.logcdf(x, k)
    deep = ~(out > -600.0) & (x > 0)
    if deep.any():
        ratio = float(np.max(x[deep])) / k
        m = int(40.0 / -np.log(ratio)) + 20
        out[deep] = _poisson_logsum(x[deep], k + np.arange(m, dtype=float))
    return out


def wishart_extremes(n: int, d: int, rng: np.random.Generator) -> tuple[float, float]:
    r"""Smallest and largest eigenvalue of :math:`X^TX`, :math:`X\in\mathbb R^{n\times d}` i.i.d. N(0,1).

    Exact in distribution, in :math:`O(d)` memory (Dumitriu & Edelman 2002, β = 1 Laguerre ensemble):
    :math:`X^TX` has the eigenvalues of :math:`BB^T`, :math:`B` lower bidiagonal with diagonal
    :math:`\chi_n,\chi_{n-1},\dots,\chi_{n-d+1}` and subdiagonal :math:`\chi_{d-1},\dots,\chi_1`
    (independent); the two extreme eigenvalues of the tridiagonal :math:`BB^T` come from bisection.
    For :math:`n<d` the nonzero eigenvalues are those of :math:`XX^T` (roles swapped) and the smallest is 0.
    """
    if n < 1 or d < 1:
        raise ValueError(f"wishart_extremes: need n, d >= 1, got n={n}, d={d}")
    if n < d:
        return 0.0, wishart_extremes(d, n, rng)[1]
    if d == 1:
        v = float(rng.chisquare(n))
        return v, v
    a2 = rng.chisquare(n - np.arange(d, dtype=float))
    b2 = rng.chisquare(np.arange(d - 1, 0, -1, dtype=float))
    diag = a2 + np.r_[0.0, b2]
    off = np.sqrt(a2[:-1] * b2)
    lo = linalg.eigh_tridiagonal(diag, off, eigvals_only=True, select="i", select_range=(0, 0))[0]
    hi = linalg.eigh_tridiagonal(diag, off, eigvals_only=True, select="i", select_range=(d - 1, d - 1))[0]
    return float(lo), float(hi)


# ----------------------------------------------------------------------------- Lemma E.5's Weibull witness

#: The sample sizes of the witness's growth fit, n = 10³, …, 10⁹.
WITNESS_SIZES = 10.0 ** np.arange(3, 10)


def weibull_lower_constant(beta: float, n: float) -> float:
    r"""Rigorous lower bound :math:`\hat C_{\rm low}(n)` on the constant Lemma E.5 needs (Weibull(β) data)."""
    L = np.geomspace(2.0, max(10.0, n**4), 4000)
    s = ((L - np.log(2.0)) / n) ** (1 / beta)
    K, mean = 2 ** (1 / beta), special.gamma(1 + 1 / beta)
    return float(np.max((s - mean) / (K * (np.sqrt(L / n) + L ** (1 / beta) / n))))


def witness_growth_exponent(beta: float) -> float:
    """Fitted slope of log Ĉ_low(n) against log n over :data:`WITNESS_SIZES`."""
    c = np.array([weibull_lower_constant(beta, n) for n in WITNESS_SIZES])
    return float(np.polyfit(np.log(WITNESS_SIZES), np.log(np.maximum(c, 1e-300)), 1)[0])
