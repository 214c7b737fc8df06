r"""Wu, Wang & Su (2022), Theorem F.10: McDiarmid's bounded-difference inequality, as used in Appendix F.

Setting
-------
:math:`X_1,\dots,X_n` i.i.d. and a function f of them whose value changes by at most :math:`D_i` when
the i-th argument alone is changed; :math:`\sigma^2=\frac14\sum_iD_i^2`.

Statement
---------
For every :math:`\delta\in(0,1)`, with probability at least 1 − δ,
:math:`|f(X_1,\dots,X_n)-\mathbb Ef|\le\sqrt{2\log(2/\delta)}\,\sigma`.
(This is the two-sided McDiarmid inequality :math:`P(|f-\mathbb Ef|\ge t)\le2e^{-2t^2/\sum D_i^2}` solved
for t; the paper quotes it without proof.)

Evidence
--------
One claim, ``wu2022.thm_f10``.  The conclusion compares the (1 − δ)-quantile of
:math:`|f-\mathbb Ef|` with the bound; it exceeds the bound iff
:math:`P(|f-\mathbb Ef|>\text{bound})>\delta`.

* ``exact``: :math:`f=D\sum_iB_i`, :math:`B_i` i.i.d. Bernoulli(p) (:math:`D_i=D`), whose law is binomial:
  the quantile is computed exactly (tails summed from the extremes, δ down to :math:`10^{-30}`).  This
  is the extremal case of the inequality: at p = 1/2 the quantile/bound ratio tends to 1 as
  :math:`n\to\infty`, :math:`\delta\to0` (0.904 at n = 1000, δ = 1e-6; 0.975 at n = 10⁴, δ = 1e-30),
  and these are fixed instances.
* ``monte_carlo`` (seeded): f = number of empty bins when n balls are thrown
  into N bins (:math:`D_i=1`, :math:`\mathbb Ef=N(1-1/N)^n` exactly), R seeded draws; the order-statistic
  lower confidence bound of the (1 − δ)-quantile is compared with the bound (exact binomial test
  at false-alarm rate :math:`10^{-3}`).  Far from tight (the variance is much below n/4).
* ``property``: Hypothesis over the binomial family (n ≤ 3000, p, D, δ ≥ 1e-15), exact law.
* ``symbolic`` (the paper's restatement of McDiarmid, and the Monte Carlo family's moments): (i) with
  :math:`\sigma^2=\frac14\sum_iD_i^2` and :math:`t=\sqrt{2\log(2/\delta)}\,\sigma`, the textbook tail
  :math:`2\exp(-2t^2/\sum_iD_i^2)` equals δ exactly (n = 3, symbolic :math:`D_i`, δ): the restated
  threshold is the two-sided bound solved for t, so the ¼ in σ² and the 2 under the root are the right
  constants (σ² = ½ΣD_i² turns the check red); (ii) for the empty-bins f, exact enumeration of all
  :math:`N^n` placements (N, n ≤ 3) gives :math:`\mathbb Ef=N(1-1/N)^n` (the centring the Monte Carlo
  check uses) and :math:`D_i=1` (moving one ball changes f by at most 1).
  The inequality itself is cited, not derived.

References
----------
[wu2022alignment, Appendix F.2, Theorem F.10; used in Lemmas F.11 and F.15].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import INT, REAL
from verifythm.evidence.montecarlo import MonteCarloCheck
from verifythm.evidence.symbolic import Identity, Nonnegative

from . import KEY
from ._appf import ALPHA, binomial_deviation_quantile, quantile_decidable, quantile_lcb


def conclusion(inst: dict[str, Any]) -> Comparison:
    r"""(1 − δ)-quantile of :math:`|f-\mathbb Ef|` (exact, or an LCB) vs the bound."""
    n, delta = inst["n"], inst["delta"]
    if inst["kind"] == 0:  # f = D·Bin(n, p): exact law
        D = inst["D"]
        q = D * n * binomial_deviation_quantile(n, inst["p"], delta)
        sigma = np.sqrt(n * D * D / 4.0)
        label = "q_{1−δ}|f − Ef| (exact)"
    else:  # empty bins, D_i = 1
        N, R = inst["N"], inst["R"]
        rng = np.random.default_rng([inst["seed"], n, N])
        balls = rng.integers(0, N, (R, n))
        occupied = np.zeros((R, N), bool)
        np.put_along_axis(occupied, balls, True, axis=1)
        f = N - occupied.sum(axis=1)
        q = quantile_lcb(np.abs(f - N * (1.0 - 1.0 / N) ** n), 1.0 - delta)
        sigma = np.sqrt(n / 4.0)
        label = "LCB q_{1−δ}|f − Ef| (Monte Carlo)"
    return Comparison(q, float(np.sqrt(2.0 * np.log(2.0 / delta)) * sigma), "<=", label, "√(2 log(2/δ)) σ")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:  # both families, interleaved
    out: list[dict[str, Any]] = []
    for i in range(min(k, 30)):
        delta = float(10.0 ** rng.uniform(-12, -0.05))
        if i % 3:
            out.append(
                {
                    "kind": 0,
                    "n": int(10 ** rng.uniform(0, 4)),
                    "p": float(rng.uniform(0.01, 0.99)),
                    "D": float(rng.exponential(1.0)),
                    "delta": delta,
                }
            )
        else:
            out.append(
                {
                    "kind": 1,
                    "n": int(rng.integers(1, 60)),
                    "N": int(rng.integers(1, 40)),
                    "R": 400,
                    "seed": i,
                    "delta": float(rng.uniform(0.01, 0.9)),
                }
            )
    return out


def _exact_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [i for i in _generate(rng, k) if i["kind"] == 0]


def _mc_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [i for i in _generate(rng, k) if i["kind"] == 1]


FIXED = [
    {"kind": 0, "n": 1000, "p": 0.5, "D": 1.0, "delta": 1e-6},  # ratio 0.904
    {"kind": 0, "n": 10000, "p": 0.5, "D": 1.0, "delta": 1e-30},  # ratio 0.975
    {"kind": 0, "n": 1, "p": 0.5, "D": 2.0, "delta": 0.5},
    {"kind": 0, "n": 7, "p": 0.05, "D": 1.0, "delta": 0.01},
    {"kind": 1, "n": 20, "N": 10, "R": 2000, "seed": 0, "delta": 0.05},
]


#: Hypothesis over the exact binomial family (steered to small slack, i.e. large n and small δ).
BINOMIAL = st.fixed_dictionaries(
    {
        "kind": st.just(0),
        "n": st.integers(1, 3000),
        "p": st.floats(0.01, 0.99),
        "D": st.floats(0.1, 10.0),
        "delta": st.floats(1e-15, 0.99),
    }
)


#: σ² = SIGMA2_FACTOR · Σ_i D_i² in the paper's restatement (Theorem F.10).
SIGMA2_FACTOR = (1, 4)


def _symbolic() -> list[Any]:
    r"""The restated threshold solves the two-sided tail for δ; the empty-bins moments by enumeration."""
    import itertools

    import sympy as sp

    D = sp.symbols("D1:4", positive=True)
    delta = sp.Symbol("delta", positive=True)
    total = sum(x**2 for x in D)
    sigma2 = sp.Rational(*SIGMA2_FACTOR) * total
    t2 = 2 * sp.log(2 / delta) * sigma2  # t² for t = √(2 log(2/δ)) σ
    out: list[Any] = [
        Identity(
            2 * sp.exp(sp.cancel(-2 * t2 / total)),
            delta,
            "2·exp(−2t²/ΣD_i²) = δ at t = √(2 log(2/δ))σ, σ² = ¼ΣD_i²",
        )
    ]
    for N, n in ((2, 2), (2, 3), (3, 2), (3, 3)):
        empty = {b: N - len(set(b)) for b in itertools.product(range(N), repeat=n)}
        mean = sp.Rational(sum(empty.values()), N**n)
        out.append(Identity(mean, N * (1 - sp.Rational(1, N)) ** n, f"E f = N(1 − 1/N)^n, N = {N}, n = {n}"))
        jump = max(
            abs(e - empty[(*b[:i], c, *b[i + 1 :])])
            for b, e in empty.items()
            for i in range(n)
            for c in range(N)
        )
        out.append(Nonnegative(sp.Integer(1) - jump, f"moving one ball changes f by ≤ 1, N = {N}, n = {n}"))
    return out


def _valid(inst: dict[str, Any]) -> bool:
    ok = inst["n"] >= 1 and 0.0 < inst["delta"] < 1.0
    if inst["kind"] == 0:
        return ok and 0.0 < inst["p"] < 1.0 and inst["D"] > 0
    # enough draws for the binomial decision to be finite (else it cannot decide)
    return ok and inst["N"] >= 1 and quantile_decidable(inst["R"], 1.0 - inst["delta"])


CLAIM = Claim(
    id="wu2022.thm_f10",
    aliases=("wu2022.theorem_f10",),
    title="McDiarmid: |f − Ef| ≤ √(2 log(2/δ)) σ w.p. ≥ 1 − δ, σ² = ¼ΣD_i² (bounded differences D_i)",
    source=Source(KEY, "Theorem F.10"),
    statement=(
        r"If changing the i-th of the i.i.d. arguments changes $f$ by at most $D_i$ and "
        r"$\sigma^2=\frac14\sum_iD_i^2$, then for any $\delta\in(0,1)$, w.p. at least $1-\delta$, "
        r"$|f(X_1,\dots,X_n)-\mathbb E f|\le\sqrt{2\log(2/\delta)}\,\sigma$."
    ),
    hypotheses=(Hypothesis("n ≥ 1, 0 < δ < 1, 0 < p < 1, D > 0 (valid instance)", _valid),),
    conclusion=conclusion,
    inputs={**{k: INT for k in ("kind", "n", "N", "R", "seed")}, **{k: REAL for k in ("p", "D", "delta")}},
    checks=(
        ExactCheck(
            "exact", _exact_generate, fixed=[i for i in FIXED if i["kind"] == 0], note="binomial f, exact law"
        ),
        MonteCarloCheck(
            "monte_carlo",
            _mc_generate,
            fixed=[i for i in FIXED if i["kind"] == 1],
            note=f"empty bins; exact binomial test of the quantile, false alarm ≤ {ALPHA:g}",
        ),
        PropertyCheck("property", BINOMIAL, note="binomial f, exact law"),
        SymbolicCheck("symbolic", _symbolic, note="the restated threshold and the empty-bins moments"),
    ),
)
