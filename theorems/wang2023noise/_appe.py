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
from scipy import optimize, stats

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
