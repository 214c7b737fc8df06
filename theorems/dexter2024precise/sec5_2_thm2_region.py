r"""Dexter et al. (2024), §5.2, Figures 1–2: tuples meeting Theorem 2's condition converge on the §5.1 family.

Setting
-------
The §5.1 family (``dexter2024.sec5_1.*``): integers :math:`1\le\sigma\le n`, :math:`B\in[n]`,
:math:`m=2n/\sigma`, :math:`H_i=m\,e_1e_1^T` (:math:`i\le\sigma`), :math:`m\,e_{i-\sigma+1}e_{i-\sigma+1}^T`
otherwise, :math:`\lambda_1(H)=2`; Bernoulli sampling.  Every :math:`\hat J` is diagonal, with
:math:`\hat\jmath_1=1-\eta mK/B`, :math:`K\sim\mathrm{Bin}(\sigma,B/n)`, and
:math:`\hat\jmath_j=1-\eta m x/B`, :math:`x\sim\mathrm{Bern}(B/n)`, for :math:`j\ge2`.

Statement
---------
The experiments classify a tuple :math:`(\sigma,B,\eta)` as divergent when a typical trajectory's
norm grows (by 1000× within 1000 steps, majority of five runs).  Encoded in the protocol's asymptotic
form: a typical trajectory from a generic start grows exponentially iff the top Lyapunov exponent
:math:`\gamma=\max_j\mathbb E\log|\hat\jmath_j|` is positive (diagonal products:
:math:`\frac1k\log|(P_k)_{jj}|\to\mathbb E\log|\hat\jmath_j|` almost surely); the claim compares the
growth factor :math:`e^\gamma` (:func:`._sec5_2.growth_factor`) with 1.

``dexter2024.sec5_2.thm2_region``: every tuple satisfying Theorem 2's condition,
:math:`2<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}` (above the dashed line), does not diverge.  The
figures' other region, Theorem 1's, is :mod:`.sec5_2`.

Evidence
--------
The claim follows from ``dexter2024.sec5_1.threshold`` and Jensen
(:math:`2\mathbb E\log|\hat\jmath|\le\log\mathbb E\hat\jmath^2`).

* ``exact``: :math:`\mathbb E\log|\hat\jmath_j|` by exact enumeration of the binomial laws, at the
  paper's :math:`n=100` and at seeded :math:`n\le60`, with :math:`\eta` from 0.5 to 0.9999 times the
  boundary; tight at :math:`\sigma=1`.  No Monte Carlo: the verdicts carry no false-alarm probability.
* ``property``: Hypothesis over :math:`2\le n\le300`, :math:`\sigma`, :math:`B` and the factor
  :math:`\eta/\text{boundary}\in[0.3,0.9999]`, steered towards small slack; sizes beyond the seeded range.
* ``symbolic``: for :math:`\sigma\le3` (Bernoulli masks of the :math:`\sigma` shared members enumerated,
  symbolic :math:`\eta,n,B`), :math:`\mathbb E\hat\jmath_1^2-1=4\eta(\eta(\sigma+n/B-1)/\sigma-1)` and for
  :math:`j\ge2`, :math:`\mathbb E\hat\jmath_j^2-1=4\eta(\eta n/(\sigma B)-1)/\sigma`, both negative below
  Theorem 2's line (:math:`\sigma B/n\ge\sigma/(\sigma+n/B-1)`), after which Jensen gives a negative
  exponent.

References
----------
[dexter2024precise, Section 5.2, Figures 1 and 2].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import REAL

from ._sec5_2 import growth_conclusion, params_ok, thm2_eta
from ._symbolic import bernoulli_mean


def _above_thm2(inst: dict[str, Any]) -> bool:
    return params_ok(inst) and inst["eta"] < thm2_eta(int(inst["n"]), int(inst["sigma"]), int(inst["B"]))


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n = 100 if i % 3 == 0 else int(rng.integers(2, 61))
        B = int(rng.integers(1, n + 1))
        s = 1 if i % 4 == 0 else int(rng.integers(1, n + 1))
        t = 0.9999 if i % 2 == 0 else float(rng.uniform(0.5, 0.9999))
        out.append({"n": n, "sigma": s, "B": B, "eta": t * thm2_eta(n, s, B)})
    return out


@st.composite
def _row(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(2, 300))
    s = draw(st.integers(1, n))
    B = draw(st.integers(1, n))
    return {"n": n, "sigma": s, "B": B, "eta": draw(st.floats(0.3, 0.9999)) * thm2_eta(n, s, B)}


def _symbolic() -> list[Any]:
    """Section 5.2 / Figures 1–2: E ĵ² < 1 on every coordinate below Theorem 2's line."""
    import sympy as sp

    eta, n, B, sg = sp.symbols("eta n B sigma", positive=True)
    m = 2 * n / sg
    out: list[Any] = []
    p = B / n
    for s in (1, 2, 3):
        ms = 2 * n / s

        def j1(x: tuple[int, ...], ms: Any = ms) -> Any:
            return (1 - eta * ms * sum(x) / B) ** 2

        e1 = bernoulli_mean(j1, s, p)
        want1 = 4 * eta * (eta * (s + n / B - 1) / s - 1)
        out.append(Identity(sp.expand(e1 - 1), sp.expand(want1), f"E[ĵ₁²] − 1, σ = {s}"))
    ej = p * (1 - eta * m / B) ** 2 + (1 - p)
    out.append(
        Identity(sp.expand(ej - 1), sp.expand(4 * eta * (eta * n / (sg * B) - 1) / sg), "E[ĵ_j²] − 1, j ≥ 2")
    )
    q = sp.Symbol("q", nonnegative=True)  # σ = 1 + q
    order = (1 + q) * B / n - (1 + q) / ((1 + q) + n / B - 1)
    out.append(Nonnegative(sp.factor(order), "σB/n ≥ σ/(σ + n/B − 1): Theorem 2's line is the binding one"))
    return out


CLAIM = Claim(
    id="dexter2024.sec5_2.thm2_region",
    title="on the §5.1 family, tuples meeting Theorem 2's condition do not diverge (Figures 1–2)",
    source=Source("dexter2024precise", "Section 5.2, Figures 1-2"),
    statement=(
        r"For the §5.1 family, if $2<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}$ then "
        r"$\max_j\mathbb E\log|\hat\jmath_j|<0$: typical trajectories converge."
    ),
    hypotheses=(Hypothesis("§5.1 parameters and Theorem 2's condition", _above_thm2),),
    conclusion=growth_conclusion("<="),
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _row(), max_examples=60),
    ),
    kind="limit",
    inputs={"eta": REAL},  # n, σ and B as drawn: params_ok checks that they are integers
)
