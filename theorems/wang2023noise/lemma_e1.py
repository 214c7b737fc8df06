r"""Wang & Wu (2023), Lemma E.1: Bernstein's inequality for sub-exponential means (hidden constant).

Setting
-------
:math:`X_1,\dots,X_n` independent with :math:`\|X_i\|_{\psi_1}\le K` (Orlicz norm of Definition E.4 with
:math:`\beta=1`, of :math:`X_i` itself, not centred); :math:`\bar X=\frac1n\sum_iX_i`.

Statement
---------
An absolute :math:`c>0` exists such that for every :math:`t\ge0`,
:math:`P(|\bar X-\mathbb E\bar X|>t)\le2\exp(-cn\min\{t/K,t^2/K^2\})` (Vershynin 2018, Cor. 2.8.3,
quoted).

Finding
-------
Holds.  By Chernoff, :math:`\hat c(n)` exceeds its Cramér limit
:math:`\hat c(\infty)=\inf_t\min(I_+,I_-)(t)/\min\{t/K,t^2/K^2\}` at every :math:`n`; the infimum is
attained at the kink :math:`t=K`.  Smallest value: Bernoulli(p) with :math:`p\approx0.031`,
:math:`\hat c(\infty)=0.4964`; :math:`\hat c=0.511,0.505,0.498,0.497` at :math:`n=250,500,4000,16000`
(:math:`p=0.031`).  At :math:`n=1000`, Exp(1) 0.91, :math:`Z^2` 0.69, Gaussian 0.95, Rademacher 1.11.
So :math:`\hat c` decreases to a positive limit: the lemma holds with :math:`c\approx1/2` on these laws.
Measured (quick): fitted :math:`c=0.504`, held-out min 0.497 (ratio 1.015), decay exponent 0.006
with 99.9 % bounds [0.004, 0.009] (the last of the approach to the Cramér limit); a planted
:math:`n^{-0.1}` factor fails the margin.

Evidence
--------
Encoding (hidden constant): for i.i.d. :math:`X_i` from a law with an exact tail and
:math:`K=\|X_1\|_{\psi_1}` exactly (the least favourable admissible :math:`K`), the constant the bound needs
is :math:`\hat c(n)=\inf_{t>0}-\log(P(|\bar X-\mathbb E\bar X|>t)/2)/(n\min\{t/K,t^2/K^2\})`; the lemma with
constant :math:`c` holds for that law iff :math:`c\le\hat c`, so ":math:`c` absolute" means :math:`\hat c`
must not decay with :math:`n` (direction ``lower``).  Laws (exact tails): Exp(1) (:math:`K=2`, :math:`n\bar
X\sim\Gamma(n)`), :math:`Z^2` (:math:`K=8/3`, :math:`\chi^2_n`), :math:`N(0,1)` (:math:`K=1.3725`, root of
:math:`2e^{1/2C^2}\Phi(1/C)=2`), Rademacher (:math:`K=1/\ln2`) and Bernoulli(p) (:math:`K=1/\log(1+1/p)`,
exact binomial).  For discrete laws the infimum runs over the atoms of :math:`|\bar X-\mathbb E\bar X|` (with
:math:`P(\cdot\ge a)`); for continuous ones over 600 log-spaced :math:`t/K\in[10^{-3},10^3]` plus 101 points
around the kink :math:`t=K`, where it is attained. Gamma tails below :math:`e^{-600}` are summed exactly in
log space (``_appe.gamma_logsf``), so every :math:`n` is in reach.  One draw is the smallest :math:`\hat c`
over the four fixed laws and 8 Bernoulli(p) laws with :math:`p` log-uniform in :math:`[10^{-3},0.5]` (fresh
per draw).

* ``constant``: fit at :math:`n\in\{250,500\}`, fresh draws held out at :math:`n\in\{4000,16000\}` (32×);
  thorough adds :math:`n=128000`.

No symbolic check: quoted from Vershynin (2018, Cor. 2.8.3) without proof, no algebra of its own; the
  closed-form norms used as K (Exp(1), Rademacher, Bernoulli; Z² by the power rule) are checked on
  ``wang2023.def_e4``.
No property check: a tail bound with a hidden absolute constant; decided by exact tails along n (the fit),
  so no per-instance conclusion exists to search over.

References
----------
[wang2023noise, Appendix E, Lemma E.1]; Vershynin (2018), Corollary 2.8.3.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from scipy import stats

from verifythm import Claim, Hypothesis, Source
from verifythm.claims.inputs import INT
from verifythm.evidence.constant import ConstantCheck

from ._appe import (
    PSI1_CHI2,
    PSI1_EXP,
    PSI1_RAD,
    binom_logpmf,
    discrete_tail,
    gamma_logcdf,
    gamma_logsf,
    implied_c,
    psi1_bernoulli,
)
from ._appe import psi1_gauss as _psi1_gauss
from ._common import KEY

FAMILIES = ("Exp(1)", "Z²", "N(0,1)", "Rademacher", "Bernoulli(p)")
BERNOULLI_PER_DRAW = 8
_PSI1_GAUSS = _psi1_gauss()


def _gamma_two_sided(k: int, scale: float, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """log(P(Γ(k, scale) > hi) + P(Γ(k, scale) < lo)) (lo ≤ 0 contributes nothing)."""
    lower = np.full_like(lo, -np.inf)
    pos = lo > 0
    lower[pos] = gamma_logcdf(k, lo[pos] / scale)
    return np.logaddexp(gamma_logsf(k, hi / scale), lower)


def tail(family: int, n: int, p: float) -> tuple[np.ndarray, np.ndarray, float]:
    r"""``(t, log P(|X̄ − EX̄| > t), K)``: exact tail of the mean of ``n`` i.i.d. draws."""
    if family in (0, 1, 2):
        K = (PSI1_EXP, PSI1_CHI2, _PSI1_GAUSS)[family]
        t = K * np.unique(np.r_[np.geomspace(1e-3, 1e3, 600), np.geomspace(0.8, 1.25, 101)])
        if family == 2:
            return t, np.log(2.0) + stats.norm.logsf(t * np.sqrt(n)), K
        if family == 0:  # nX̄ ~ Γ(n)
            return t, _gamma_two_sided(n, 1.0, n * (1 - t), n * (1 + t)), K
        if n % 2 == 0:  # nX̄ ~ χ²_n = Γ(n/2, 2)
            return t, _gamma_two_sided(n // 2, 2.0, n * (1 - t), n * (1 + t)), K
        lower = np.where(t < 1, stats.chi2.logcdf(n * (1 - t), n), -np.inf)
        return t, np.logaddexp(stats.chi2.logsf(n * (1 + t), n), lower), K
    k = np.arange(n + 1)
    if family == 3:
        K, dev, lp = PSI1_RAD, (2 * k - n) / n, binom_logpmf(n, 0.5)
    else:
        K, dev, lp = psi1_bernoulli(p), k / n - p, binom_logpmf(n, p)
    a, la = discrete_tail(dev, lp)
    return a, la, K


def implied_c_law(family: int, n: int, p: float = 0.5) -> float:
    """ĉ = inf_t −log(P(|X̄−EX̄|>t)/2)/(n min(t/K, t²/K²)) for one law, exact."""
    t, lp, K = tail(family, n, p)
    s = t / K
    return implied_c(lp, n * np.minimum(s, s * s))[0]


@lru_cache(maxsize=32)
def _fixed_laws(n: int) -> float:
    """Smallest ĉ over the four laws without a parameter (deterministic in n, so cached)."""
    return min(implied_c_law(f, n) for f in range(4))


def implied(point: dict[str, Any], rng: np.random.Generator) -> float:
    """One draw: the smallest ĉ over the fixed laws and fresh random Bernoulli(p) laws at size n."""
    n = int(point["n"])
    ps = np.exp(rng.uniform(np.log(1e-3), np.log(0.5), BERNOULLI_PER_DRAW))
    return min(_fixed_laws(n), *(implied_c_law(4, n, float(p)) for p in ps))


CLAIM = Claim(
    id="wang2023.lemma_e1",
    title="Bernstein: P(|X̄ − EX̄| > t) ≤ 2exp(−cn·min(t/K, t²/K²)) for ‖X_i‖_ψ₁ ≤ K (c absolute in n)",
    source=Source(KEY, "Lemma E.1"),
    statement=(
        r"For independent $X_i$ with $\|X_i\|_{\psi_1}\le K$ there is an absolute $c>0$ with "
        r"$P(|\frac1n\sum_iX_i-\frac1n\sum_i\mathbb EX_i|>t)\le2\exp(-cn\min\{t/K,t^2/K^2\})$ for all "
        r"$t\ge0$. Encoded: the constant implied by exact tails does not decay with $n$."
    ),
    hypotheses=(
        Hypothesis("n ≥ 1 i.i.d. draws of an exact-tail law with K its exact ψ₁ norm", lambda i: i["n"] >= 1),
    ),
    checks=(
        ConstantCheck(
            "constant",
            implied,
            fit=[{"n": 250}, {"n": 500}],
            holdout=[{"n": 4000}, {"n": 16000}],
            thorough_holdout=[{"n": 128000}],
            size="n",
            direction="lower",
            statistic="min",
            note=f"exact tails (Γ, χ², Φ, binomial); draw = min over 4 fixed laws and "
            f"{BERNOULLI_PER_DRAW} Bernoulli(p), p log-uniform in [1e-3, 0.5]",
        ),
    ),
    inputs={"n": INT},  # for the hypothesis (implied reads its own points)
    kind="constant",
)
