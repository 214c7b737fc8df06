r"""Dexter et al. (2024), §5.2 and Figures 1–2: tuples meeting Theorem 1 (b) diverge on the §5.1 family.

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

``dexter2024.sec5_2.thm1_region``: every tuple satisfying Theorem 1's condition (b),
:math:`2>\frac\sigma\eta(\frac nB-1)^{-1/2}` (below the solid line), diverges.  The figures' other
region, Theorem 2's, is :mod:`.sec5_2_thm2_region`.

Evidence
--------
Why it matters: Theorem 1 only guarantees mean-square divergence (``dexter2024.thm1`` is an
erratum), which in general does not imply typical divergence; on this family it does, because coordinates
:math:`j\ge2` are single-sample coordinates whose mean-square and typical thresholds coincide
(:math:`\eta=\sigma B/n`), and :math:`\frac\sigma2(\frac nB-1)^{-1/2}\ge\sigma B/n`.

* ``exact``: :math:`\mathbb E\log|\hat\jmath_j|` by exact enumeration of the binomial laws, at the
  paper's :math:`n=100` and at seeded :math:`n\le60`, with :math:`\eta` from 1.0001 to 2 times the
  boundary; tight at :math:`n=2B`.  No Monte Carlo: the verdicts carry no false-alarm probability.
* ``property``: Hypothesis over :math:`2\le n\le300`, :math:`\sigma`, :math:`B<n` and the factor
  :math:`\eta/\text{boundary}\in[1.0001,3]`, steered towards small slack; sizes beyond the seeded range.
* ``symbolic`` (the algebra of *Why it matters* above): a single-sample coordinate has
  :math:`\mathbb E\log|\hat\jmath_j|=p\log|1-\eta m/B|>0` iff :math:`\eta m/B>2`, and sympy proves
  :math:`2B/m=\sigma B/n` and :math:`(\frac\sigma2)^2(\frac nB-1)^{-1}-(\frac{\sigma B}n)^2=
  \frac{\sigma^2B(n-2B)^2}{4(n-B)n^2}\ge0` (symbolic :math:`n=B+r`).

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

from ._sec5_2 import growth_conclusion, params_ok, thm1_eta


def _below_thm1(inst: dict[str, Any]) -> bool:
    return params_ok(inst) and inst["eta"] > thm1_eta(int(inst["n"]), int(inst["sigma"]), int(inst["B"]))


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n = 100 if i % 3 == 0 else int(rng.integers(2, 61))
        B = n // 2 if i % 4 == 0 and n % 2 == 0 else int(rng.integers(1, n))
        s = int(rng.integers(1, n + 1))
        t = 1.0001 if i % 2 == 0 else float(rng.uniform(1.0001, 2.0))
        out.append({"n": n, "sigma": s, "B": B, "eta": t * thm1_eta(n, s, B)})
    return out


@st.composite
def _row(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(2, 300))
    s = draw(st.integers(1, n))
    B = draw(st.integers(1, n - 1))
    return {"n": n, "sigma": s, "B": B, "eta": draw(st.floats(1.0001, 3.0)) * thm1_eta(n, s, B)}


def _symbolic() -> list[Any]:
    """Section 5.2 / Figures 1–2: Theorem 1 (b)'s line lies above the single-sample threshold σB/n."""
    import sympy as sp

    n, B, sg = sp.symbols("n B sigma", positive=True)
    r = sp.Symbol("r", positive=True)  # n = B + r (B < n)
    m = 2 * n / sg
    gap = (sg / 2) ** 2 / (n / B - 1) - (sg * B / n) ** 2
    closed = sg**2 * B * (n - 2 * B) ** 2 / (4 * (n - B) * n**2)
    return [
        Identity(2 * B / m, sg * B / n, "single-sample coordinate: ηm/B > 2 iff η > 2B/m = σB/n"),
        Identity(sp.cancel(gap), sp.cancel(closed), "(σ/2)²(n/B − 1)^{-1} − (σB/n)² in closed form"),
        Nonnegative(sp.factor(closed.subs(n, B + r)), "(σ/2)(n/B − 1)^{-1/2} ≥ σB/n (n = B + r)"),
    ]


CLAIM = Claim(
    id="dexter2024.sec5_2.thm1_region",
    title="on the §5.1 family, tuples meeting Theorem 1's condition (b) diverge typically (Figures 1–2)",
    source=Source("dexter2024precise", "Section 5.2, Figures 1-2"),
    statement=(
        r"For the §5.1 family ($\lambda_1(H)=2$), if $2>\frac\sigma\eta(\frac nB-1)^{-1/2}$ then the top "
        r"Lyapunov exponent $\max_j\mathbb E\log|\hat\jmath_j|$ is positive: typical trajectories diverge."
    ),
    hypotheses=(Hypothesis("§5.1 parameters and Theorem 1's condition (b)", _below_thm1),),
    conclusion=growth_conclusion(">="),
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _row(), max_examples=60),
    ),
    kind="limit",
    inputs={"eta": REAL},  # n, σ and B as drawn: params_ok checks that they are integers
)
