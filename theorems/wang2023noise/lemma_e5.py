r"""Wang & Wu (2023), Lemma E.5: concentration of sub-Weibull means — false for :math:`1<\beta<2`.

Setting
-------
:math:`X_1,\dots,X_n` independent with :math:`\|X_i\|_{\psi_\beta}\le K` (Definition E.4),
:math:`\bar X=\frac1n\sum_iX_i`, :math:`L=\log(1/\delta)`.

Statement
---------
For every :math:`\beta>0` an absolute :math:`C_\beta` (depending on β only) exists such that for every
:math:`n` and :math:`\delta\in(0,e^{-2})`, w.p. :math:`\ge1-\delta`,
:math:`|\bar X-\mathbb E\bar X|\le C_\beta K(\sqrt{L/n}+L^{1/\beta}/n)` (quoted from Hao et al. 2019,
Thm. 3.1).

Finding (erratum)
-----------------
For :math:`1<\beta<2` no such :math:`C_\beta` exists.  Take :math:`X_i` i.i.d. Weibull(β),
:math:`P(X>s)=e^{-s^\beta}`, so :math:`K=\|X\|_{\psi_\beta}=2^{1/\beta}` exactly (``wang2023.def_e4``) and
:math:`\mathbb EX=\Gamma(1+1/\beta)`.  With :math:`s=((L-\log2)/n)^{1/\beta}`,
:math:`P(\bar X-\mathbb EX\ge s-\mathbb EX)\ge P(\text{all }X_i>s)=e^{-ns^\beta}=2\delta>\delta`, so any valid
bound is :math:`\ge s-\mathbb EX` and the constant it needs is at least
:math:`\hat C_{\rm low}(n)=\max_L(s-\mathbb EX)/(K(\sqrt{L/n}+L^{1/\beta}/n))`.  At
:math:`L\approx n^{(1-1/\beta)/(1/\beta-1/2)}` (:math:`n^2`–:math:`n^3` for β = 3/2) this grows like
:math:`n^{1-1/\beta}/(2K)`: for β = 3/2,
:math:`\hat C_{\rm low}=4.8,11.2,57,611` at :math:`n=10^3,10^4,10^6,10^9` (fitted exponent 0.35 over
:math:`n=10^3..10^9`, i.e. :math:`\approx1/3`).  The deviation really is of order :math:`(L/n)^{1/\beta}`
here: for :math:`\beta>1` the correct second term is :math:`L^{1/\beta}\|a\|_{\beta^*}` with
:math:`1/\beta+1/\beta^*=1` (Kuchibhotla & Chakrabortty 2022, Sec. 3), i.e. :math:`L^{1/\beta}/n^{1/\beta}`
for :math:`a_i=1/n`, not :math:`L^{1/\beta}/n`; the printed form (with :math:`\|a\|_\infty`) is the
:math:`\beta\le1` case.  For :math:`\beta\ge2` the sub-Gaussian term dominates and the statement is true.
The paper applies the lemma only with :math:`\beta=1/2` (Lemmas C.5, C.6), where it holds, so its
results are unaffected.

Claims
------
* ``wang2023.lemma_e5`` (expected to fail): the implied constant stays bounded in :math:`n`, encoded as the
  fitted log-log growth exponent of :math:`\hat C_{\rm low}(n)` over :math:`n=10^3,\dots,10^9` being
  :math:`\le0` (tolerance 0.01: a bounded sequence cannot rise by more than 15 % over six decades here;
  for β = 1/2, 1, 2, 3 it is −1, 0.000002, 0.0018, 0.0003; for β = 1.2, 1.8, 1.95 it is 0.17, 0.18,
  0.041).  Smallest counterexample: β = 3/2, exponent 0.35.
* ``wang2023.lemma_e5.beta_le_1`` (holds): the statement for :math:`\beta\le1`, as the paper uses it,
  through its implied constant
  :math:`\hat C=q_{1-\delta}(|\bar X-\mathbb E\bar X|)/(K(\sqrt{L/n}+L^{1/\beta}/n))` on a fixed sweep,
  checked :math:`\le C_{\rm est}=1.3`: β = 1 with Exp(1) (:math:`K=2`), exact Gamma
  quantiles, :math:`n\le500`, :math:`L\le600`; β = 1/2 with the paper's variables :math:`(z^Tv)^4`
  (:math:`K=64/9`), :math:`(w^Tx)^2(v^Tx)^2` for orthogonal unit :math:`w,v` (:math:`K=2.18536`, root of
  :math:`\int_0^\infty4\varphi(t)e^{t^2/2C}\Phi(t/\sqrt C)dt=2`) and Weibull(1/2) (:math:`K=4`), Monte Carlo
  with :math:`R=2000` seeded draws and a distribution-free lower confidence bound for the quantile
  (order statistic, exact binomial, :math:`\alpha=10^{-3}` per instance), so it flags only when decisive.
  Largest value: 1.246 (:math:`(z^Tv)^4`, :math:`n=1000`, δ = 0.1); exact β = 1 values stay ≤ 0.60.
  1.3 is the sweep's value, not the supremum: in the central-limit regime the implied constant tends to
  :math:`z_\delta\,\mathrm{sd}(X)/(K\sqrt L)<\sqrt2\,\mathrm{sd}(X)/K` (1.95 for :math:`(z^Tv)^4`), so
  :math:`C_{1/2}` is a moderate absolute constant, as Lemmas C.5–C.6 need.

References
----------
[wang2023noise, Appendix E, Lemma E.5]; Hao et al. (2019), Theorem 3.1; Kuchibhotla & Chakrabortty (2022),
Section 3 (sub-Weibull concentration).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from scipy import integrate, optimize, special, stats

from verifythm import Claim, Comparison, ExactCheck, Expected, Hypothesis, Source, Tolerance

from ._appe import order_stat_lower
from ._common import KEY

SOURCE = Source(KEY, "Lemma E.5")
SIZES = 10.0 ** np.arange(3, 10)


def weibull_lower_constant(beta: float, n: float) -> float:
    r"""Rigorous lower bound :math:`\hat C_{\rm low}(n)` on the constant Lemma E.5 needs (Weibull(β) data)."""
    L = np.geomspace(2.0, max(10.0, n**4), 4000)
    s = ((L - np.log(2.0)) / n) ** (1 / beta)
    K, mean = 2 ** (1 / beta), special.gamma(1 + 1 / beta)
    return float(np.max((s - mean) / (K * (np.sqrt(L / n) + L ** (1 / beta) / n))))


def growth_exponent(inst: dict[str, Any]) -> Comparison:
    """Fitted slope of log Ĉ_low(n) against log n over n = 10³..10⁹, against 0 (bounded)."""
    beta = float(inst["beta"])
    c = np.array([weibull_lower_constant(beta, n) for n in SIZES])
    slope = float(np.polyfit(np.log(SIZES), np.log(np.maximum(c, 1e-300)), 1)[0])
    return Comparison(slope, 0.0, "<=", f"growth exponent of Ĉ_low(n), β={beta:g}", "0", scale=1.0)


# --- β ≤ 1 ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def k_product() -> float:
    r""":math:`\|Z_1^2Z_2^2\|_{\psi_{1/2}}`, the root of :math:`\mathbb E e^{|Z_1Z_2|/\sqrt C}=2`."""

    def mgf(C: float) -> float:
        a = 1.0 / np.sqrt(C)
        t = np.linspace(0.0, 60.0 / np.sqrt(1 - a * a), 20001)
        f = np.exp(np.log(4.0) - 0.5 * np.log(2 * np.pi) - (1 - a * a) * t * t / 2 + special.log_ndtr(a * t))
        return float(integrate.simpson(f, x=t))

    return float(optimize.brentq(lambda C: mgf(C) - 2, 1.05, 100.0, xtol=1e-13))


LAWS = ("Exp(1), β=1 (exact)", "(zᵀv)⁴, β=1/2", "(wᵀx)²(vᵀx)², β=1/2", "Weibull(1/2)")
_K = (2.0, 64 / 9, None, 4.0)
_MEAN = (1.0, 3.0, 1.0, 2.0)
REPS, ALPHA = 2000, 1e-3


def _exp_quantile(n: int, L: float) -> float:
    """Exact smallest s with P(|Γ(n)/n − 1| > s) ≤ e^{−L}."""

    def excess(s: float) -> float:
        low = stats.gamma.logcdf(n * (1 - s), n) if s < 1 else -np.inf
        return float(np.logaddexp(stats.gamma.logsf(n * (1 + s), n), low) + L)

    hi = 1.0
    while excess(hi) > 0:
        hi *= 2
    return float(optimize.brentq(excess, 0.0, hi, xtol=1e-15, rtol=1e-13))


@lru_cache(maxsize=64)
def _mc_devs(law: int, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng([seed, law, n])
    if law == 1:
        X = rng.standard_normal((REPS, n)) ** 4
    elif law == 2:
        X = (rng.standard_normal((REPS, n)) * rng.standard_normal((REPS, n))) ** 2
    else:
        X = rng.exponential(size=(REPS, n)) ** 2
    return np.abs(X.mean(axis=1) - _MEAN[law])


def implied_constant(inst: dict[str, Any]) -> Comparison:
    """Ĉ = q_{1−δ}(|X̄ − EX̄|)/(K(√(L/n) + L^{1/β}/n)) (MC: lower confidence bound for q) against C_est."""
    law, n, L = int(inst["law"]), int(inst["n"]), float(inst["L"])
    beta = 1.0 if law == 0 else 0.5
    if law == 0:
        q = _exp_quantile(n, L)
    else:
        q = max(order_stat_lower(_mc_devs(law, n, int(inst["seed"])), 1 - np.exp(-L), ALPHA), 0.0)
    K = k_product() if law == 2 else _K[law]
    C = q / (K * (np.sqrt(L / n) + L ** (1 / beta) / n))
    return Comparison(C, C_EST, "<=", f"Ĉ ({LAWS[law]}, n={n}, L={L:.3g})", "C_est")


C_EST = 1.3
SWEEP = [
    {"law": 0, "n": n, "L": L, "seed": 0} for n in (1, 10, 100, 500) for L in (2.01, 5.0, 30.0, 600.0)
] + [
    {"law": law, "n": n, "L": float(np.log(1 / d)), "seed": 2023}
    for law in (1, 2, 3)
    for n in (1, 10, 100, 1000)
    for d in (0.1, 0.01, 0.001)
]

LITERAL = Claim(
    id="wang2023.lemma_e5",
    title="Sub-Weibull concentration with C_βK(√(L/n) + L^{1/β}/n), all β > 0 (fails for 1 < β < 2)",
    source=SOURCE,
    statement=(
        r"For $\|X_i\|_{\psi_\beta}\le K$ there is $C_\beta$ with, for all $n$ and $\delta\in(0,e^{-2})$, "
        r"w.p. $\ge1-\delta$, $|\bar X-\mathbb E\bar X|\le C_\beta K(\sqrt{\log(1/\delta)/n}+"
        r"\log(1/\delta)^{1/\beta}/n)$. Encoded: the implied constant does not grow with $n$."
    ),
    hypotheses=(Hypothesis("β > 0", lambda i: float(i["beta"]) > 0),),
    conclusion=growth_exponent,
    checks=(
        ExactCheck(
            "exact",
            lambda rng, k: [{"beta": float(b)} for b in rng.uniform(0.25, 4.0, size=min(k, 12))],
            fixed=[{"beta": 1.5}, {"beta": 1.0}, {"beta": 2.0}, {"beta": 0.5}],
            note="rigorous lower bound on the implied constant (Weibull(β), all X_i > s)",
        ),
    ),
    tolerance=Tolerance(rtol=0.0, atol=0.01),
    kind="constant",
    expected=Expected.fails(
        "for 1 < β < 2 the constant must grow like n^{1−1/β} (Weibull(3/2): ≥ 611 at n = 10⁹, exponent "
        "0.35); the second term should be (log(1/δ)/n)^{1/β}, not log(1/δ)^{1/β}/n",
        "docs/errata/wang2023.lemma_e5__exact.md",
    ),
)

BETA_LE_1 = Claim(
    id="wang2023.lemma_e5.beta_le_1",
    title="Lemma E.5 for β ≤ 1 (as used with β = 1/2 in Lemmas C.5–C.6): implied C_β ≤ 1.3",
    source=SOURCE,
    statement=(
        r"For $\beta\in\{1/2,1\}$: w.p. $\ge1-\delta$, $|\bar X-\mathbb E\bar X|\le C_\beta K(\sqrt{L/n}+"
        r"L^{1/\beta}/n)$, $L=\log(1/\delta)$, $\delta<e^{-2}$. Encoded: the implied constant is $\le1.3$ on "
        r"a fixed sweep (exact for Exp(1); decisive Monte Carlo bounds for the β = 1/2 laws)."
    ),
    hypotheses=(
        Hypothesis(
            "n ≥ 1, L > 2 (δ < e^{−2}); L ≤ 600, n ≤ 500 for the exact law",
            lambda i: (
                int(i["n"]) >= 1
                and float(i["L"]) > 2
                and (int(i["law"]) > 0 or (float(i["L"]) <= 600 and int(i["n"]) <= 500))
            ),
        ),
    ),
    conclusion=implied_constant,
    checks=(ExactCheck("exact", fixed=SWEEP, note=f"MC: R={REPS}, order-statistic LCB at α={ALPHA:g}"),),
    tolerance=Tolerance(rtol=1e-9, atol=1e-12),
    kind="constant",
)

CLAIMS = [LITERAL, BETA_LE_1]
