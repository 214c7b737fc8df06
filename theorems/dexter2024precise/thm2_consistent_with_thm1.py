r"""Dexter et al. (2024), §3.3: Theorem 2's threshold never exceeds Theorem 1's.

Setting
-------
Coherence :math:`\sigma\ge1` and :math:`n/B>1`.  Times :math:`\eta`, Theorem 1's divergence condition (b)
is :math:`\eta\lambda_1(H)>\sigma(\frac nB-1)^{-1/2}` (:mod:`.thm1`) and Theorem 2's stability condition
is :math:`\eta\lambda_1<\frac{2\sigma}{\sigma+n/B-1}` (:mod:`.thm2`).

Statement
---------
``dexter2024.thm2.consistent_with_thm1``: :math:`\frac{2\sigma}{\sigma+n/B-1}\le\sigma(\frac nB-1)^{-1/2}`
for :math:`\sigma\ge1`, :math:`B<n` (otherwise the two theorems would contradict each other);
equality iff :math:`\sigma=1` and :math:`n=2B`.

Evidence
--------
* ``symbolic``: with :math:`u=\sqrt{n/B-1}`,
  :math:`\sigma(\frac nB-1)^{-1/2}-\frac{2\sigma}{\sigma+n/B-1}=
  \frac{\sigma((u-1)^2+\sigma-1)}{u(\sigma+u^2)}\ge0` (proved for :math:`\sigma=1+t`, :math:`t\ge0`).
* ``exact``: the equality case :math:`\sigma=1`, :math:`n/B=2`, plus seeded :math:`\sigma` and
  :math:`n/B` over five decades (a quarter at :math:`\sigma=1`).
* ``property``: Hypothesis over :math:`\sigma\in[1,100]`, :math:`n/B\in(1,100]`.

References
----------
[dexter2024precise, Section 3.3] (Theorems 1 and 2 together).
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import REAL


def _consistent(inst: dict[str, Any]) -> Comparison:
    s, q = inst["sigma"], inst["n_over_B"]
    thm2 = 2.0 * s / (s + q - 1.0)
    thm1 = s / math.sqrt(q - 1.0)
    return Comparison(
        thm2, thm1, "<=", "η·(Theorem 2 bound) = 2σ/(σ + n/B − 1)", "η·(Theorem 1 bound) = σ(n/B − 1)^{-1/2}"
    )


def _consistency_symbolic() -> list[Any]:
    import sympy as sp

    t = sp.Symbol("t", nonnegative=True)  # σ = 1 + t
    u = sp.Symbol("u", positive=True)  # u = √(n/B − 1)
    s = 1 + t
    gap = s / u - 2 * s / (s + u**2)  # Theorem 1's bound minus Theorem 2's (times η); n/B − 1 = u²
    closed = (1 + t) * ((u - 1) ** 2 + t) / (u * (1 + t + u**2))
    return [
        Identity(sp.simplify(gap - closed), 0, "σ/u − 2σ/(σ+u²) = σ((u−1)² + σ − 1)/(u(σ+u²))"),
        Nonnegative(closed, "σ((u−1)² + σ − 1)/(u(σ+u²)) ≥ 0 for σ ≥ 1"),
    ]


def _consistency_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"sigma": 1.0, "n_over_B": 2.0}]
    for i in range(k):
        s = 1.0 if i % 4 == 0 else float(1 + 10 ** rng.uniform(-3, 2))
        q = float(1 + 10 ** rng.uniform(-3, 2))
        out.append({"sigma": s, "n_over_B": q})
    return out


CLAIM = Claim(
    id="dexter2024.thm2.consistent_with_thm1",
    title="Theorem 2's threshold never exceeds Theorem 1's: 2σ/(σ + n/B − 1) ≤ σ(n/B − 1)^{-1/2}",
    source=Source("dexter2024precise", "Section 3.3 (Theorems 1 and 2 together)"),
    statement=(
        r"For $\sigma\ge1$ and $n/B>1$, $\frac{2\sigma}{\sigma+n/B-1}\le\sigma(\frac nB-1)^{-1/2}$, so no "
        r"$(\lambda_1,\eta)$ satisfies both Theorem 1's divergence condition (b) and Theorem 2's stability "
        r"condition; equality iff $\sigma=1$, $n=2B$."
    ),
    hypotheses=(
        Hypothesis("σ ≥ 1", lambda inst: inst["sigma"] >= 1.0),
        Hypothesis("n/B > 1", lambda inst: inst["n_over_B"] > 1.0),
    ),
    conclusion=_consistent,
    inputs={"sigma": REAL, "n_over_B": REAL},
    checks=(
        SymbolicCheck("symbolic", _consistency_symbolic),
        ExactCheck("exact", _consistency_generate),
        PropertyCheck(
            "property",
            st.fixed_dictionaries({"sigma": st.floats(1.0, 100.0), "n_over_B": st.floats(1.0001, 100.0)}),
        ),
    ),
)
