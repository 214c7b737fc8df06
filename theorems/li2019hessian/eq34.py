r"""Li et al. (2019), Eq. (34): Theorem 2 at :math:`s=\sqrt TK_2`, and its comparison with a Brownian motion.

Setting
-------
Theorem 2 (Eq. (32)) bounds the deviation of the loss after :math:`T` steps of vanilla SGD:
:math:`P[|f(\theta_T)-\mathbb Ef(\theta_T)|\ge\sqrt Ts]\le2\exp[-c\min(\frac{s^2}{8K_2^2},
\frac{\sqrt Ts}{2K_2})]` for :math:`s>0`, with :math:`K_2>0` of Eq. (33) and an absolute
:math:`c>0`.  :math:`B_t` denotes a Brownian motion with :math:`B_t\sim N(0,\sigma^2t)`.

Statement
---------
§5.3 specialises (32) and compares it with a Brownian motion.  Encoded:

* ``li2019.eq34`` — with :math:`s=\sqrt TK_2` the threshold :math:`\sqrt Ts` is :math:`K_2T` and the
  exponent is :math:`c\min(\frac T8,\frac T2)=\frac{c}8T`, so (34),
  :math:`P[|f(\theta_T)-\mathbb Ef(\theta_T)|\ge K_2T]\le2\exp(-c'T)`, follows with the "suitable
  constant" :math:`c'=c/8`.  Conclusion: :math:`\min(\frac{s^2}{8K_2^2},\frac{\sqrt Ts}{2K_2})=T/8`.
* ``li2019.eq34.brownian_tail`` — the quoted Gaussian tail :math:`P[|B_T|\ge\sigma T]\le2e^{-T/2}`
  for every :math:`T>0`, :math:`\sigma>0` (it is the Chernoff bound for :math:`|Z|\ge\sqrt T`,
  :math:`Z\sim N(0,1)`); compared in logarithms.  Its exponent :math:`\frac12` is sharp
  (:math:`\log P=\log2-\frac T2-\frac12\log(2\pi T)+o(1)`), its prefactor 2 is not (the ratio of
  the sides is at most :math:`\frac12`).
* ``li2019.eq34.brownian_match`` — with :math:`\sigma=\frac{K_2}{2c}` the tail bound of
  :math:`B_{2cT}`, :math:`P[|B_{2cT}|\ge\sigma\cdot2cT]\le2e^{-cT}`, has the threshold
  :math:`\sigma\cdot2cT=K_2T` and the bound :math:`2e^{-cT}` of (34) (where (34)'s constant is the
  :math:`c'` above).  Conclusion: the thresholds agree; sympy proves both agreements.

Evidence
--------
* ``symbolic``: the identities of ``li2019.eq34`` and ``.brownian_match`` for positive symbols; for
  the Gaussian tail, the slack :math:`g(x)=\log2-\frac{x^2}2-\log P(|Z|\ge x)` (:math:`x=\sqrt T`)
  has :math:`g(0)=\log2` and :math:`g'(x)=\varphi(x)/Q(x)-x`, non-negative by the classical Mills
  ratio bound :math:`Q(x)\le\varphi(x)/x` (not proved by sympy: that claim rests on the exact check).
* ``exact``: seeded :math:`T\in[10^{-3},10^3]` (log-uniform), :math:`K_2,c,\sigma` over six decades;
  :math:`\log P[|Z|\ge\sqrt T]=\log2+\log\Phi(-\sqrt T)` by :func:`scipy.special.log_ndtr`
  (accurate far into the tail).
* ``property``: Hypothesis over the same ranges.
* Weakening: the exponent :math:`T/8` of ``li2019.eq34`` moved by 10 % is refuted on every instance;
  the Gaussian bound with exponent :math:`0.55T` (10 % of the log-bound) is refuted for
  :math:`T\gtrsim70`; the matched threshold moved by 10 % is refuted everywhere.

References
----------
[li2019hessian, Theorem 2, Eqs. (32)–(34) and the remark after (34)].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import REAL

SOURCE = Source("li2019hessian", "Theorem 2, Eq. (34) and the remark after it")
_KEYS = ("T", "K2", "c", "sigma")


def exponent_at(T: float, K2: float) -> float:
    r""":math:`\min(s^2/(8K_2^2),\sqrt Ts/(2K_2))` at :math:`s=\sqrt TK_2`."""
    s = math.sqrt(T) * K2
    return min(s * s / (8 * K2 * K2), math.sqrt(T) * s / (2 * K2))


def log_gauss_tail(T: float, sigma: float) -> float:
    r""":math:`\log P[|B_T|\ge\sigma T]` for :math:`B_T\sim N(0,\sigma^2T)`."""
    from scipy.special import log_ndtr

    z = sigma * T / (sigma * math.sqrt(T))  # = √T
    return math.log(2.0) + float(log_ndtr(-z))


def _substitution(inst: dict[str, Any]) -> Comparison:
    T = inst["T"]
    return Comparison(exponent_at(T, inst["K2"]), T / 8, "==", "min(s²/(8K₂²), √Ts/(2K₂)) at s = √TK₂", "T/8")


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


def _symbolic_substitution() -> list[Any]:
    import sympy as sp

    T, K = sp.symbols("T K_2", positive=True)
    s = sp.sqrt(T) * K
    a, b = s**2 / (8 * K**2), sp.sqrt(T) * s / (2 * K)
    return [
        Identity(sp.simplify(a), T / 8, "s²/(8K₂²) = T/8"),
        Identity(sp.simplify(b), T / 2, "√Ts/(2K₂) = T/2"),
        Identity(sp.simplify(sp.Min(a, b)), T / 8, "min = T/8"),
        Identity(sp.simplify(sp.sqrt(T) * s), K * T, "threshold √Ts = K₂T"),
    ]


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


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"T": T, "K2": 1.0, "c": 1.0, "sigma": 1.0} for T in (1e-3, 1.0, 70.0, 200.0, 1000.0)]
    for _ in range(k):
        out.append(
            {
                "T": float(10 ** rng.uniform(-3, 3)),
                "K2": float(10 ** rng.uniform(-3, 3)),
                "c": float(10 ** rng.uniform(-3, 3)),
                "sigma": float(10 ** rng.uniform(-3, 3)),
            }
        )
    return out


_STRATEGY = st.fixed_dictionaries({k: st.floats(1e-3, 1e3) for k in _KEYS})
_POSITIVE = (
    Hypothesis(
        "T, K₂, c, σ > 0 and finite",
        lambda inst: all(math.isfinite(inst[k]) and inst[k] > 0 for k in _KEYS),
    ),
)


def _claim(cid: str, title: str, statement: str, concl: Any, symbolic: Any, kind: str) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_POSITIVE,
        conclusion=concl,
        inputs=dict.fromkeys(_KEYS, REAL),
        checks=(
            SymbolicCheck("symbolic", symbolic),
            ExactCheck("exact", _generate),
            PropertyCheck("property", _STRATEGY),
        ),
        kind=kind,
    )


CLAIMS = [
    _claim(
        "li2019.eq34",
        "(32) at s = √T K₂ gives (34): threshold K₂T, exponent cT/8",
        r"With $s=\sqrt TK_2$, $\sqrt Ts=K_2T$ and "
        r"$\min(\frac{s^2}{8K_2^2},\frac{\sqrt Ts}{2K_2})=\frac T8$, so (32) becomes "
        r"$P[|f(\theta_T)-\mathbb Ef(\theta_T)|\ge K_2T]\le2\exp(-\frac c8T)$: (34) with $c'=c/8$.",
        _substitution,
        _symbolic_substitution,
        "identity",
    ),
    _claim(
        "li2019.eq34.brownian_tail",
        "Gaussian tail quoted after (34): P[|B_T| ≥ σT] ≤ 2exp(−T/2)",
        r"For $B_T\sim N(0,\sigma^2T)$, $\sigma,T>0$: $P[|B_T|\ge\sigma T]\le2\exp(-T/2)$.",
        _tail,
        _symbolic_tail,
        "inequality",
    ),
    _claim(
        "li2019.eq34.brownian_match",
        "with σ = K₂/(2c), B_{2cT} has the tail bound of (34): threshold K₂T, bound 2exp(−cT)",
        r"With $\sigma=\frac{K_2}{2c}$: $\sigma\cdot2cT=K_2T$ and the Gaussian bound at time $2cT$ is "
        r"$2\exp(-\frac{2cT}2)=2\exp(-cT)$, the right side of (34).",
        _match,
        _symbolic_match,
        "identity",
    ),
]
