r"""Wu, Wang & Su (2022), Theorem F.2: uniform deviation bounded by the empirical Rademacher complexity.

Setting
-------
A class :math:`\mathcal F` of functions with :math:`|f|\le B`, a sample :math:`z_1,\dots,z_n` drawn
i.i.d. from a law ρ, and the empirical Rademacher complexity :math:`\widehat{\mathrm{Rad}}_n(\mathcal F)`
of Definition F.1 (computed on the same sample).

Statement
---------
For every :math:`\delta\in(0,1)`, with probability at least 1 − δ over the sample,
:math:`\sup_{f\in\mathcal F}|\frac1n\sum_if(z_i)-\mathbb E_zf(z)|\le4\widehat{\mathrm{Rad}}_n(\mathcal F)
+B\sqrt{2\ln(2/\delta)/n}` (the paper's restatement of Shalev-Shwartz & Ben-David, Thm 26.5).
Both sides are random; the event is checked jointly on each sample.

Evidence
--------
One claim, ``wu2022.thm_f2``.  The conclusion is the (1 − δ)-quantile of the ratio
:math:`\sup_f|P_nf-Pf|/(4\widehat{\mathrm{Rad}}_n+B\sqrt{2\ln(2/\delta)/n})`, compared with 1.

* ``exact``: two-point classes with an exact law.  :math:`f=\pm B` with :math:`P(f=B)=p`; the class is
  :math:`\{f\}` (:math:`\widehat{\mathrm{Rad}}_n=0`) or :math:`\{f,-f\}`
  (:math:`\widehat{\mathrm{Rad}}_n=B\,\mathbb E|\sum_i\xi_i|/n`, deterministic since :math:`|f|=B`).  Then
  :math:`\sup|P_nf-Pf|=2B|k/n-p|`, :math:`k\sim\mathrm{Bin}(n,p)`, and the quantile is exact.  The class
  :math:`\{f\}` is the extremal case (Hoeffding): the ratio tends to 1 as n → ∞, δ → 0 (0.975 at
  n = 10⁴, δ = 1e-30); the Rademacher term of :math:`\{f,-f\}` keeps its ratio at 0.57 (n = 1000, δ = 1e-6).
* ``monte_carlo`` (seeded): random finite classes (up to 8 functions with
  Gaussian, sign or indicator values scaled to :math:`|f|\le B`) on random finite domains with
  Dirichlet weights, n ≤ 10; per sample the supremum and :math:`\widehat{\mathrm{Rad}}_n` (enumeration of
  the :math:`2^n` signs) are exact; R = 300 samples; decision by the order-statistic lower confidence
  bound of the (1 − δ)-quantile (exact binomial test at false-alarm rate :math:`10^{-3}`).
  Observed lower confidence bounds of the quantile ratio ≤ 0.58 (the Rademacher single-function
  instance); 0.08–0.28 for richer classes, where the factor 4 makes the bound loose.
* ``property``: Hypothesis over the two-point classes (n ≤ 3000, p, B, δ ≥ 1e-15), exact law.
* ``symbolic`` (the deviation term of the restatement): replacing one sample point :math:`z_i` by
  :math:`z_i'` moves :math:`P_nf` by :math:`(f(z_i)-f(z_i'))/n`, so the supremum has bounded differences
  :math:`D_i=2B/n` (sympy: :math:`(2B)^2-(a-a')^2\ge0` for :math:`a,a'\in[-B,B]`); McDiarmid
  (Theorem F.10) with :math:`\sigma^2=\frac14\sum_iD_i^2=B^2/n` gives exactly the printed
  :math:`B\sqrt{2\ln(2/\delta)/n}` (symbolic n, B, δ; with :math:`D_i=B/n` the check goes red).  The
  factor 4 on :math:`\widehat{\mathrm{Rad}}_n` comes from symmetrization, which is cited, not derived.

References
----------
[wu2022alignment, Appendix F.1, Definition F.1 and Theorem F.2; Shalev-Shwartz & Ben-David (2014),
Theorem 26.5].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from scipy import stats

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import INT, REAL, array
from verifythm.evidence.montecarlo import MonteCarloCheck
from verifythm.evidence.symbolic import Identity, Nonnegative

from . import KEY
from ._appf import ALPHA, binomial_deviation_quantile, quantile_decidable, quantile_lcb, rad_finite


def _exact_ratio(inst: dict[str, Any]) -> float:
    n, p, B, delta = inst["n"], inst["p"], inst["B"], inst["delta"]
    rad = 0.0
    if inst["pair"]:
        k = np.arange(n + 1)
        rad = B * float(np.sum(stats.binom.pmf(k, n, 0.5) * np.abs(2 * k - n))) / n
    q = 2.0 * B * binomial_deviation_quantile(n, p, delta)
    return q / (4.0 * rad + B * np.sqrt(2.0 * np.log(2.0 / delta) / n))


def _mc_ratios(inst: dict[str, Any]) -> np.ndarray:
    V, rho, n, delta, R = inst["V"], inst["rho"], inst["n"], inst["delta"], inst["R"]
    B = float(np.max(np.abs(V)))
    Pf = V @ rho
    rng = np.random.default_rng([inst["seed"], n, V.shape[0], V.shape[1]])
    out = np.empty(R)
    for r in range(R):
        idx = rng.choice(rho.size, n, p=rho)
        vals = V[:, idx]
        dev = float(np.max(np.abs(vals.mean(axis=1) - Pf)))
        out[r] = dev / (4.0 * rad_finite(vals) + B * np.sqrt(2.0 * np.log(2.0 / delta) / n))
    return out


def conclusion(inst: dict[str, Any]) -> Comparison:
    r"""(1 − δ)-quantile of :math:`\sup_f|P_nf-Pf|/(4\widehat{\mathrm{Rad}}_n+B\sqrt{2\ln(2/\delta)/n})`."""
    if inst["kind"] == 0:
        return Comparison(_exact_ratio(inst), 1.0, "<=", "q_{1−δ}(sup|P_n f − Pf| / bound) (exact)", "1")
    q = quantile_lcb(_mc_ratios(inst), 1.0 - inst["delta"])
    return Comparison(q, 1.0, "<=", "LCB q_{1−δ}(sup|P_n f − Pf| / bound) (Monte Carlo)", "1")


def _mc_class(rng: np.random.Generator, i: int) -> dict[str, Any]:
    N, M = int(rng.integers(1, 12)), int(rng.integers(1, 9))
    kind = i % 3
    V = rng.standard_normal((M, N))
    if kind == 1:
        V = np.sign(V)
    elif kind == 2:
        V = (rng.uniform(size=(M, N)) < 0.3).astype(float)
    V = V * rng.exponential(1.0)
    if not np.any(V):
        V[0, 0] = 1.0
    return {
        "kind": 1,
        "V": V,
        "rho": rng.dirichlet(np.full(N, rng.uniform(0.2, 2.0))),
        "n": int(rng.integers(1, 11)),
        "delta": float(rng.uniform(0.01, 0.9)),
        "R": 300,
        "seed": i,
    }


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(min(k, 24)):
        if i % 2:
            out.append(
                {
                    "kind": 0,
                    "n": int(10 ** rng.uniform(0, 4)),
                    "p": float(rng.uniform(0.01, 0.99)),
                    "B": float(rng.exponential(1.0)),
                    "delta": float(10.0 ** rng.uniform(-12, -0.05)),
                    "pair": int(i % 4 == 1),
                }
            )
        else:
            out.append(_mc_class(rng, i))
    return out


FIXED = [
    {"kind": 0, "n": 10000, "p": 0.5, "B": 1.0, "delta": 1e-30, "pair": 0},  # ratio 0.975
    {"kind": 0, "n": 1000, "p": 0.5, "B": 1.0, "delta": 1e-6, "pair": 0},  # ratio 0.904
    {"kind": 0, "n": 1000, "p": 0.5, "B": 1.0, "delta": 1e-6, "pair": 1},
    {"kind": 0, "n": 1, "p": 0.3, "B": 2.0, "delta": 0.5, "pair": 0},
    {
        "kind": 1,
        "V": np.array([[1.0, -1.0]]),
        "rho": np.array([0.5, 0.5]),
        "n": 8,
        "delta": 0.1,
        "R": 2000,
        "seed": 0,
    },
]


#: Hypothesis over the exact two-point classes {f} and {f, −f}.
TWO_POINT = st.fixed_dictionaries(
    {
        "kind": st.just(0),
        "n": st.integers(1, 3000),
        "p": st.floats(0.01, 0.99),
        "B": st.floats(0.1, 10.0),
        "delta": st.floats(1e-15, 0.99),
        "pair": st.integers(0, 1),
    }
)


#: Bounded difference of the supremum in units of B/n (one sample point replaced).
D_UNITS = 2


def _symbolic() -> list[Any]:
    r"""The deviation term :math:`B\sqrt{2\ln(2/\delta)/n}` is McDiarmid with :math:`D_i=2B/n`."""
    import sympy as sp

    n, B, delta = sp.symbols("n B delta", positive=True)
    z1, z2 = sp.symbols("z1 z2", nonnegative=True)
    a, a2 = B * (1 - z1) / (1 + z1), B * (1 - z2) / (1 + z2)  # every value in (−B, B]
    Di = D_UNITS * B / n
    sigma2 = n * Di**2 / 4  # ¼ Σ_i D_i², n equal terms
    return [
        Nonnegative(sp.factor((n * Di) ** 2 - (a - a2) ** 2), "|f(z_i) − f(z_i')| ≤ n·D_i for |f| ≤ B"),
        Identity(
            sp.sqrt(2 * sp.log(2 / delta) * sigma2),
            B * sp.sqrt(2 * sp.log(2 / delta) / n),
            "McDiarmid: √(2 log(2/δ))·σ = B√(2 ln(2/δ)/n) with σ² = ¼ Σ_i (2B/n)²",
        ),
    ]


def _valid(inst: dict[str, Any]) -> bool:
    ok = inst["n"] >= 1 and 0.0 < inst["delta"] < 1.0
    if inst["kind"] == 0:
        return ok and 0.0 < inst["p"] < 1.0 and inst["B"] > 0
    rho = inst["rho"]
    return (
        ok
        and inst["n"] <= 12
        and bool(np.all(rho >= 0))
        and abs(float(rho.sum()) - 1.0) < 1e-9
        and quantile_decidable(inst["R"], 1.0 - inst["delta"])  # else no decision
    )


CLAIM = Claim(
    id="wu2022.thm_f2",
    aliases=("wu2022.theorem_f2",),
    title="sup_f |P_n f − Pf| ≤ 4 Rad_n(F) + B√(2 ln(2/δ)/n) w.p. ≥ 1 − δ for |f| ≤ B (empirical Rademacher)",
    source=Source(KEY, "Theorem F.2"),
    statement=(
        r"For a class with $|f|\le B$ and any $\delta\in(0,1)$, w.p. at least $1-\delta$ over "
        r"$z_1,\dots,z_n$: $\sup_{f\in\mathcal F}|\frac1n\sum_if(z_i)-\mathbb E_zf(z)|\le"
        r"4\widehat{\mathrm{Rad}}_n(\mathcal F)+B\sqrt{2\ln(2/\delta)/n}$."
    ),
    hypotheses=(Hypothesis("n ≥ 1 (≤ 12 for enumeration), 0 < δ < 1, ρ a probability vector", _valid),),
    conclusion=conclusion,
    inputs={
        **{k: INT for k in ("kind", "n", "pair", "R", "seed")},
        **{k: REAL for k in ("p", "B", "delta")},
        "V": array(2),
        "rho": array(1),
    },
    checks=(
        ExactCheck(
            "exact",
            lambda rng, k: [i for i in _generate(rng, k) if i["kind"] == 0],
            fixed=[i for i in FIXED if i["kind"] == 0],
            note="two-point classes, exact law",
        ),
        MonteCarloCheck(
            "monte_carlo",
            lambda rng, k: [i for i in _generate(rng, k) if i["kind"] == 1],
            fixed=[i for i in FIXED if i["kind"] == 1],
            note=f"finite classes; exact binomial test of the quantile, false alarm ≤ {ALPHA:g}",
        ),
        PropertyCheck("property", TWO_POINT, note="two-point classes, exact law"),
        SymbolicCheck("symbolic", _symbolic, note="the deviation term from McDiarmid, D_i = 2B/n"),
    ),
)
