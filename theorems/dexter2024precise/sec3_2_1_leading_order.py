r"""Dexter et al. (2024), Section 3.2.1: with σ = 1, √(B/n)/η is Theorem 1's threshold to first order in B/n.

Setting
-------
As in Theorem 1 (``dexter2024.thm1``) with coherence :math:`\sigma=1`: condition (b) is
:math:`\lambda_1(H)>f(\eta,1,n,B)=\frac1\eta(\frac nB-1)^{-1/2}`; §3.2.1 writes it as
:math:`\lambda_1(H)>\frac1\eta\sqrt{B/n}` to compare scalings with Wu et al.

Statement
---------
``dexter2024.sec3_2_1.simplified_condition.leading_order`` (the paper's reading of the comparison): for
:math:`1\le B\le n/2`, :math:`1\le f(\eta,1,n,B)/\big(\frac1\eta\sqrt{B/n}\big)=(1-B/n)^{-1/2}\le1+B/n`,
so the two agree to first order in :math:`B/n`.  Read as an exact sufficient condition the simplified
form fails once :math:`B` is comparable with :math:`n`; that edge case is :mod:`.sec3_2_1`.

Evidence
--------
* ``exact``: seeded :math:`(n,B)` with :math:`B\le n/2` (:math:`n<10^4`), including :math:`B=n/2`.
* ``property``: Hypothesis over :math:`(n,B,\eta)`.
* ``symbolic`` (sympy): :math:`1\le n/(n-B)\le(1+B/n)^2` for :math:`B\le n/2` (with :math:`n=2B+a`,
  positive coefficients).

References
----------
[dexter2024precise, Section 3.2.1].
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import REAL

from ._common import f_threshold


def _symbolic_leading() -> list[Any]:
    """With x = B/n ∈ (0, 1/2], n = 2B + a: 1 ≤ n/(n − B) ≤ (1 + B/n)²."""
    import sympy as sp

    B = sp.Symbol("B", positive=True)
    a = sp.Symbol("a", nonnegative=True)
    x = B / (2 * B + a)
    return [
        Nonnegative(sp.factor(1 / (1 - x) - 1), "ratio² − 1 = (B/n)/(1 − B/n) ≥ 0"),
        Nonnegative(sp.factor((1 + x) ** 2 * (1 - x) - 1), "(1 + B/n)² − ratio² ≥ 0 (× (1 − B/n)), B ≤ n/2"),
    ]


def _leading_ok(inst: dict[str, Any]) -> bool:
    n, B, eta = inst["n"], inst["B"], inst["eta"]
    return 1 <= B and 2 * B <= n and eta > 0


def _leading(inst: dict[str, Any]) -> Comparison:
    n, B, eta = inst["n"], inst["B"], inst["eta"]
    simplified = math.sqrt(B / n) / eta
    return Comparison(
        f_threshold(eta, 1.0, n, B) / simplified,
        1.0 + B / n,
        "<=",
        "f(η, 1, n, B) / (√(B/n)/η)",
        "1 + B/n",
    )


def _leading_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"n": 2.0, "B": 1.0, "eta": 1.0}, {"n": 1000.0, "B": 500.0, "eta": 0.3}]
    for _ in range(k):
        n = int(rng.integers(2, 10_000))
        out.append(
            {"n": float(n), "B": float(rng.integers(1, n // 2 + 1)), "eta": float(10 ** rng.uniform(-2, 1))}
        )
    return out


CLAIM = Claim(
    id="dexter2024.sec3_2_1.simplified_condition.leading_order",
    title="with σ = 1, √(B/n)/η is Theorem 1's threshold √(B/(n−B))/η to first order in B/n",
    source=Source("dexter2024precise", "Section 3.2.1"),
    statement=(
        r"The paper's reading of the comparison: with $\sigma=1$ and $1\le B\le n/2$, Theorem 1's threshold "
        r"$f(\eta,1,n,B)=\frac1\eta(\frac nB-1)^{-1/2}$ and the simplified $\frac1\eta\sqrt{B/n}$ satisfy "
        r"$1\le f/\big(\frac1\eta\sqrt{B/n}\big)=(1-B/n)^{-1/2}\le1+B/n$, so they agree to first order "
        r"in $B/n$."
    ),
    hypotheses=(Hypothesis("1 ≤ B ≤ n/2, η > 0", _leading_ok),),
    conclusion=_leading,
    checks=(
        SymbolicCheck("symbolic", _symbolic_leading),
        ExactCheck("exact", _leading_generate),
        PropertyCheck(
            "property",
            st.integers(2, 10_000).flatmap(
                lambda n: st.fixed_dictionaries(
                    {
                        "n": st.just(float(n)),
                        "B": st.integers(1, n // 2).map(float),
                        "eta": st.floats(0.01, 10.0),
                    }
                )
            ),
        ),
    ),
    inputs={"n": REAL, "B": REAL, "eta": REAL},
)
