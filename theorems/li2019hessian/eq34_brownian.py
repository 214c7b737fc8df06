r"""Li et al. (2019), the remark after Eq. (34): the tail of (34) is that of a Brownian motion.

Setting
-------
Eq. (34) (:mod:`.eq34`): :math:`P[|f(\theta_T)-\mathbb Ef(\theta_T)|\ge K_2T]\le2\exp(-cT)`, with
:math:`K_2>0` of Eq. (33) and a suitable constant :math:`c>0`.  :math:`B_t` denotes a Brownian motion
with :math:`B_t\sim N(0,\sigma^2t)`.

Statement
---------
§5.3 compares (34) with a Brownian motion.  Encoded:

* ``li2019.eq34.brownian_tail`` — the quoted Gaussian tail :math:`P[|B_T|\ge\sigma T]\le2e^{-T/2}`
  for every :math:`T>0`, :math:`\sigma>0` (it is the Chernoff bound for :math:`|Z|\ge\sqrt T`,
  :math:`Z\sim N(0,1)`); compared in logarithms.  Its exponent :math:`\frac12` is sharp
  (:math:`\log P=\log2-\frac T2-\frac12\log(2\pi T)+o(1)`), its prefactor 2 is not (the ratio of
  the sides is at most :math:`\frac12`).
* ``li2019.eq34.brownian_match`` — with :math:`\sigma=\frac{K_2}{2c}` the tail bound of
  :math:`B_{2cT}`, :math:`P[|B_{2cT}|\ge\sigma\cdot2cT]\le2e^{-cT}`, has the threshold
  :math:`\sigma\cdot2cT=K_2T` and the bound :math:`2e^{-cT}` of (34) (where (34)'s constant is the
  :math:`c'=c/8` of ``li2019.eq34``).  Conclusion: the thresholds agree; sympy proves both agreements.

Evidence
--------
* ``symbolic``: the identities of ``.brownian_match`` for positive symbols; for the Gaussian tail,
  the slack :math:`g(x)=\log2-\frac{x^2}2-\log P(|Z|\ge x)` (:math:`x=\sqrt T`) has
  :math:`g(0)=\log2` and :math:`g'(x)=\varphi(x)/Q(x)-x`, non-negative by the classical Mills ratio
  bound :math:`Q(x)\le\varphi(x)/x` (not proved by sympy: that claim rests on the exact check).
* ``exact``: seeded :math:`T\in[10^{-3},10^3]` (log-uniform), :math:`K_2,c,\sigma` over six decades;
  :math:`\log P[|Z|\ge\sqrt T]=\log2+\log\Phi(-\sqrt T)` by :func:`scipy.special.log_ndtr`
  (accurate far into the tail).
* ``property``: Hypothesis over the same ranges.
* Weakening: the Gaussian bound with exponent :math:`0.55T` (10 % of the log-bound) is refuted for
  :math:`T\gtrsim70`; the matched threshold moved by 10 % is refuted everywhere.

References
----------
[li2019hessian, Theorem 2, Eq. (34) and the remark after (34)].
"""

from __future__ import annotations

import math
from typing import Any

from verifythm import Comparison, Identity

from ._eq34 import claim


def log_gauss_tail(T: float, sigma: float) -> float:
    r""":math:`\log P[|B_T|\ge\sigma T]` for :math:`B_T\sim N(0,\sigma^2T)`."""
    from scipy.special import log_ndtr

    z = sigma * T / (sigma * math.sqrt(T))  # = √T
    return math.log(2.0) + float(log_ndtr(-z))


def _tail(inst: dict[str, Any]) -> Comparison:
    T = inst["T"]
    return Comparison(
        log_gauss_tail(T, inst["sigma"]),
        math.log(2.0) - T / 2,
        "<=",
        "log P[|B_T| ≥ σT]",
        "log 2 − T/2",
    )


def _match(inst: dict[str, Any]) -> Comparison:
    T, K2, c = inst["T"], inst["K2"], inst["c"]
    sigma = K2 / (2 * c)
    return Comparison(
        sigma * (2 * c * T), K2 * T, "==", "σ·(2cT) with σ = K₂/(2c)", "K₂T (threshold of (34))"
    )


def _symbolic_tail() -> list[Any]:
    import sympy as sp

    x = sp.Symbol("x", positive=True)  # x = √T
    tail = sp.erfc(x / sp.sqrt(2))  # P(|Z| ≥ x)
    slack = sp.log(2) - x**2 / 2 - sp.log(tail)  # the claim is slack ≥ 0
    mills = sp.sqrt(2 / sp.pi) * sp.exp(-(x**2) / 2) / tail  # φ(x)/P(Z ≥ x)
    return [
        Identity(slack.subs(x, 0), sp.log(2), "slack at T = 0 is log 2"),
        Identity(sp.simplify(sp.diff(slack, x) - (mills - x)), 0, "d slack/d√T = φ/Q − √T (Mills ratio)"),
    ]


def _symbolic_match() -> list[Any]:
    import sympy as sp

    T, K, c = sp.symbols("T K_2 c", positive=True)
    sigma = K / (2 * c)
    t = 2 * c * T
    return [
        Identity(sp.simplify(sigma * t), K * T, "σ·(2cT) = K₂T"),
        Identity(sp.simplify(2 * sp.exp(-t / 2)), 2 * sp.exp(-c * T), "2exp(−(2cT)/2) = 2exp(−cT)"),
    ]


CLAIMS = [
    claim(
        "li2019.eq34.brownian_tail",
        "Gaussian tail quoted after (34): P[|B_T| ≥ σT] ≤ 2exp(−T/2)",
        r"For $B_T\sim N(0,\sigma^2T)$, $\sigma,T>0$: $P[|B_T|\ge\sigma T]\le2\exp(-T/2)$.",
        _tail,
        _symbolic_tail,
        "inequality",
    ),
    claim(
        "li2019.eq34.brownian_match",
        "with σ = K₂/(2c), B_{2cT} has the tail bound of (34): threshold K₂T, bound 2exp(−cT)",
        r"With $\sigma=\frac{K_2}{2c}$: $\sigma\cdot2cT=K_2T$ and the Gaussian bound at time $2cT$ is "
        r"$2\exp(-\frac{2cT}2)=2\exp(-cT)$, the right side of (34).",
        _match,
        _symbolic_match,
        "identity",
    ),
]
