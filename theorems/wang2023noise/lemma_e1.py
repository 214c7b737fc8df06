r"""Wang & Wu (2023), Lemma E.1: Bernstein's inequality for sub-exponential means (implied constant).

Setting
-------
:math:`X_1,\dots,X_n` independent with :math:`\|X_i\|_{\psi_1}\le K` (Orlicz norm of Definition E.4 with
:math:`\beta=1`, of :math:`X_i` itself, not centred); :math:`\bar X=\frac1n\sum_iX_i`.

Statement
---------
An absolute :math:`c>0` exists such that for every :math:`t\ge0`,
:math:`P(|\bar X-\mathbb E\bar X|>t)\le2\exp(-cn\min\{t/K,t^2/K^2\})` (Vershynin 2018, Cor. 2.8.3,
quoted).

Encoding (hidden constant)
--------------------------
For i.i.d. :math:`X_i` from a family with an exact tail and :math:`K=\|X_1\|_{\psi_1}` exactly (the
least favourable admissible :math:`K`), the constant the bound needs is
:math:`\hat c(n)=\inf_{t>0}-\log(P(|\bar X-\mathbb E\bar X|>t)/2)/(n\min\{t/K,t^2/K^2\})`, and the lemma
with constant :math:`c` holds for that law iff :math:`c\le\hat c`.  Families (exact tails):
Exp(1) (:math:`K=2`, :math:`n\bar X\sim\Gamma(n)`), :math:`Z^2` (:math:`K=8/3`, :math:`\chi^2_n`),
:math:`N(0,1)` (:math:`K=1.3725`, root of :math:`2e^{1/2C^2}\Phi(1/C)=2`), Rademacher
(:math:`K=1/\ln2`) and Bernoulli(p) (:math:`K=1/\log(1+1/p)`, exact binomial).  For discrete laws
the infimum is attained at the atoms of :math:`|\bar X-\mathbb E\bar X|` (with :math:`P(\cdot\ge a)`); for
continuous ones it is taken over 4000 log-spaced :math:`t/K\in[10^{-3},10^3]`, with
:math:`n\le500` so that the tail at the kink does not underflow in float64.  The claim checks
:math:`\hat c\ge c_{\rm est}=0.48` on every instance.

Findings
--------
Holds.  By Chernoff, :math:`\hat c(n)` exceeds its Cramér limit
:math:`\hat c(\infty)=\inf_t\min(I_+,I_-)(t)/\min\{t/K,t^2/K^2\}` at every :math:`n`; the infimum is
attained at the kink :math:`t=K`.  Smallest value found: Bernoulli(p) with :math:`p\approx0.031`,
:math:`\hat c(\infty)=0.4964` (:math:`\hat c(2000)=0.4989` at :math:`p=0.03`); at :math:`n=500`
(continuous) or :math:`10^3`, Exp(1) 0.91, :math:`Z^2` 0.69, Gaussian 0.95, Rademacher 1.11.  Scaling:
:math:`\hat c(n)` decreases to a positive limit (Bernoulli(0.03): 0.530, 0.509, 0.501 at
:math:`n=100,300,1000`; slope of :math:`\log\hat c` against :math:`\log n` → 0), so it is bounded
below by an absolute constant :math:`\approx1/2` on these families, as the lemma says.

Evidence
--------
* ``exact``: fixed Bernoulli(p) instances near the minimiser (:math:`p=0.02,0.03,0.05`,
  :math:`n=2000`), :math:`n=1` edge cases of every family, and seeded instances with :math:`n` log-uniform in
  :math:`[1,500]` (continuous) or :math:`[1,1000]` and :math:`p` log-uniform in :math:`[10^{-3},0.5]`.
* ``property``: Hypothesis over (family, :math:`n\le400`, p), steered to small :math:`\hat c`.

References
----------
[wang2023noise, Appendix E, Lemma E.1]; Vershynin (2018), Corollary 2.8.3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from scipy import stats

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, Tolerance

from ._appe import PSI1_CHI2, PSI1_EXP, PSI1_RAD, binom_logpmf, discrete_tail, implied_c, psi1_bernoulli
from ._appe import psi1_gauss as _psi1_gauss
from ._common import KEY

C_EST = 0.48
FAMILIES = ("Exp(1)", "Z²", "N(0,1)", "Rademacher", "Bernoulli(p)")
_PSI1_GAUSS = _psi1_gauss()


def tail(family: int, n: int, p: float) -> tuple[np.ndarray, np.ndarray, float]:
    r"""``(t, log P(|X̄ − EX̄| > t), K)``: exact tail of the mean of ``n`` i.i.d. draws."""
    if family in (0, 1, 2):
        K = (PSI1_EXP, PSI1_CHI2, _PSI1_GAUSS)[family]
        t = K * np.geomspace(1e-3, 1e3, 4000)
        if family == 2:
            return t, np.log(2.0) + stats.norm.logsf(t * np.sqrt(n)), K
        law = stats.gamma(n) if family == 0 else stats.chi2(n)
        lower = np.full_like(t, -np.inf)
        below = t < 1
        lower[below] = law.logcdf(n * (1 - t[below]))
        return t, np.logaddexp(law.logsf(n * (1 + t)), lower), K
    k = np.arange(n + 1)
    if family == 3:
        K, dev, lp = PSI1_RAD, (2 * k - n) / n, binom_logpmf(n, 0.5)
    else:
        K, dev, lp = psi1_bernoulli(p), k / n - p, binom_logpmf(n, p)
    a, la = discrete_tail(dev, lp)
    return a, la, K


def implied_constant(inst: dict[str, Any]) -> Comparison:
    """ĉ = inf_t −log(P(|X̄−EX̄|>t)/2)/(n min(t/K, t²/K²)) against c_est."""
    n, fam, p = int(inst["n"]), int(inst["family"]), float(inst["p"])
    t, lp, K = tail(fam, n, p)
    s = t / K
    c, _ = implied_c(lp, n * np.minimum(s, s * s))
    return Comparison(c, C_EST, ">=", f"ĉ ({FAMILIES[fam]}, n={n})", "c_est")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [
        {
            "family": i % len(FAMILIES),
            "n": int(np.exp(rng.uniform(0, np.log(500 if i % len(FAMILIES) < 3 else 1000)))),
            "p": float(np.exp(rng.uniform(np.log(1e-3), np.log(0.5)))),
        }
        for i in range(k)
    ]


_FIXED = [{"family": 4, "n": 2000, "p": p} for p in (0.02, 0.03, 0.05)] + [
    {"family": f, "n": 1, "p": 0.5} for f in range(len(FAMILIES))
]
_STRATEGY = st.fixed_dictionaries(
    {
        "family": st.integers(0, len(FAMILIES) - 1),
        "n": st.integers(1, 400),  # within every family's range
        "p": st.floats(1e-3, 0.5),
    }
)
_HYP = (
    Hypothesis(
        "n ≥ 1 (≤ 500 for continuous laws: log-tails in float64), family known, 0 < p < 1",
        lambda i: (
            1 <= int(i["n"]) <= (500 if int(i["family"]) < 3 else 10**6)
            and 0 <= int(i["family"]) < len(FAMILIES)
            and 0 < float(i["p"]) < 1
        ),
    ),
)

CLAIM = Claim(
    id="wang2023.lemma_e1",
    title="Bernstein: P(|X̄ − EX̄| > t) ≤ 2exp(−cn·min(t/K, t²/K²)) for ‖X_i‖_ψ₁ ≤ K (implied c ≥ 0.48)",
    source=Source(KEY, "Lemma E.1"),
    statement=(
        r"For independent $X_i$ with $\|X_i\|_{\psi_1}\le K$ there is an absolute $c>0$ with "
        r"$P(|\frac1n\sum_iX_i-\frac1n\sum_i\mathbb EX_i|>t)\le2\exp(-cn\min\{t/K,t^2/K^2\})$ for all "
        r"$t\ge0$. Encoded: the constant implied by exact tails is $\ge c_{\rm est}=0.48$."
    ),
    hypotheses=_HYP,
    conclusion=implied_constant,
    checks=(
        ExactCheck("exact", _generate, fixed=_FIXED, note="exact tails (Γ, χ², Φ, binomial)"),
        PropertyCheck("property", _STRATEGY, max_examples=60),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-12),
    kind="constant",
)
