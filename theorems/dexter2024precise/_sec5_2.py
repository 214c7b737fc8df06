r"""Private helpers of the §5.2 modules (Figures 1–2) of dexter2024precise (not collected).

The §5.1 family at :math:`\lambda_1(H)=2` (:func:`verifythm.strategies.dexter2024_family`), Bernoulli
sampling; every :math:`\hat J` is diagonal.  Also used by the figure driver (:mod:`._figures`).

* :func:`growth_factor`: :math:`\exp\max_j\mathbb E\log|\hat\jmath_j|`, exactly (binomial laws).
* :func:`thm1_eta` / :func:`thm2_eta`: Theorem 1 (b)'s and Theorem 2's boundaries in :math:`\eta`.
* :func:`params_ok`: integers :math:`1\le\sigma\le n`, :math:`1\le B\le n`, and :math:`\eta>0`.
* :func:`growth_conclusion`: the conclusion "growth factor ``rel`` 1".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verifythm import Comparison

from ._common import is_int


def growth_factor(n: int, sigma: int, B: int, eta: float) -> float:
    r""":math:`\exp\max_j\mathbb E\log|\hat\jmath_j|` for the §5.1 family (0 if some mass sits at 0)."""
    p = B / n
    m = 2.0 * n / sigma
    K = np.arange(sigma + 1)
    pk = np.array([math.comb(sigma, int(k)) for k in K], float) * p**K * (1 - p) ** (sigma - K)
    with np.errstate(divide="ignore"):
        logs = np.log(np.abs(1.0 - eta * m * K / B))
    gam = [float(np.sum(np.where(pk > 0, pk * logs, 0.0)))]
    if sigma < n:  # coordinates j ≥ 2: one sample each
        with np.errstate(divide="ignore"):
            gam.append(p * float(np.log(abs(1.0 - eta * m / B))))
    return float(np.exp(max(gam)))


def params_ok(inst: dict[str, Any]) -> bool:
    n, s, B = inst["n"], inst["sigma"], inst["B"]
    return (
        is_int(n)
        and is_int(s)
        and is_int(B)
        and 1 <= int(s) <= int(n)
        and 1 <= int(B) <= int(n)
        and inst["eta"] > 0
    )


def thm1_eta(n: int, sigma: int, B: int) -> float:
    r"""Theorem 1's boundary in η at :math:`\lambda_1=2`: :math:`\frac\sigma2(\frac nB-1)^{-1/2}`."""
    return sigma / (2.0 * math.sqrt(n / B - 1.0)) if B < n else math.inf


def thm2_eta(n: int, sigma: int, B: int) -> float:
    r"""Theorem 2's boundary in η at :math:`\lambda_1=2`: :math:`\sigma/(\sigma+n/B-1)`."""
    return sigma / (sigma + n / B - 1.0)


def growth_conclusion(rel: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        g = growth_factor(int(inst["n"]), int(inst["sigma"]), int(inst["B"]), inst["eta"])
        return Comparison(g, 1.0, rel, "exp(max_j E log|ĵ_j|) (typical growth per step)", "1")

    return conclusion
