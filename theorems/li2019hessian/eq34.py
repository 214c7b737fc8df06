r"""Li et al. (2019), Eq. (34): Theorem 2 at :math:`s=\sqrt TK_2`.

Setting
-------
Theorem 2 (Eq. (32)) bounds the deviation of the loss after :math:`T` steps of vanilla SGD:
:math:`P[|f(\theta_T)-\mathbb Ef(\theta_T)|\ge\sqrt Ts]\le2\exp[-c\min(\frac{s^2}{8K_2^2},
\frac{\sqrt Ts}{2K_2})]` for :math:`s>0`, with :math:`K_2>0` of Eq. (33) and an absolute
:math:`c>0`.  Its comparison with a Brownian motion is :mod:`.eq34_brownian`.

Statement
---------
``li2019.eq34`` — with :math:`s=\sqrt TK_2` the threshold :math:`\sqrt Ts` is :math:`K_2T` and the
exponent is :math:`c\min(\frac T8,\frac T2)=\frac{c}8T`, so (34),
:math:`P[|f(\theta_T)-\mathbb Ef(\theta_T)|\ge K_2T]\le2\exp(-c'T)`, follows with the "suitable
constant" :math:`c'=c/8`.  Conclusion: :math:`\min(\frac{s^2}{8K_2^2},\frac{\sqrt Ts}{2K_2})=T/8`.

Evidence
--------
* ``symbolic``: the identities above for positive symbols.
* ``exact``: seeded :math:`T\in[10^{-3},10^3]` (log-uniform), :math:`K_2,c,\sigma` over six decades.
* ``property``: Hypothesis over the same ranges.
* Weakening: the exponent :math:`T/8` moved by 10 % is refuted on every instance.

References
----------
[li2019hessian, Theorem 2, Eqs. (32)–(34)].
"""

from __future__ import annotations

import math
from typing import Any

from verifythm import Comparison, Identity

from ._eq34 import claim


def exponent_at(T: float, K2: float) -> float:
    r""":math:`\min(s^2/(8K_2^2),\sqrt Ts/(2K_2))` at :math:`s=\sqrt TK_2`."""
    s = math.sqrt(T) * K2
    return min(s * s / (8 * K2 * K2), math.sqrt(T) * s / (2 * K2))


def _substitution(inst: dict[str, Any]) -> Comparison:
    T = inst["T"]
    return Comparison(exponent_at(T, inst["K2"]), T / 8, "==", "min(s²/(8K₂²), √Ts/(2K₂)) at s = √TK₂", "T/8")


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


CLAIM = claim(
    "li2019.eq34",
    "(32) at s = √T K₂ gives (34): threshold K₂T, exponent cT/8",
    r"With $s=\sqrt TK_2$, $\sqrt Ts=K_2T$ and "
    r"$\min(\frac{s^2}{8K_2^2},\frac{\sqrt Ts}{2K_2})=\frac T8$, so (32) becomes "
    r"$P[|f(\theta_T)-\mathbb Ef(\theta_T)|\ge K_2T]\le2\exp(-\frac c8T)$: (34) with $c'=c/8$.",
    _substitution,
    _symbolic_substitution,
    "identity",
)
