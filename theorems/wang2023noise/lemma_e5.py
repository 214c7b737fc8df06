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
Thm. 3.1).  ``wang2023.lemma_e5`` (expected to fail, erratum) encodes it through the growth of the
constant forced by an exact witness (below); the case :math:`\beta\le1` that the paper uses is
``wang2023.lemma_e5.beta_le_1`` and the witness's rate ``wang2023.lemma_e5.witness_rate``.

Finding
-------
**Erratum**: for :math:`1<\beta<2` no such :math:`C_\beta` exists.  Take :math:`X_i` i.i.d. Weibull(β),
:math:`P(X>s)=e^{-s^\beta}`, so :math:`K=\|X\|_{\psi_\beta}=2^{1/\beta}` exactly (``wang2023.def_e4``) and
:math:`\mathbb EX=\Gamma(1+1/\beta)`.  With :math:`s=((L-\log2)/n)^{1/\beta}`,
:math:`P(\bar X-\mathbb EX\ge s-\mathbb EX)\ge P(\text{all }X_i>s)=e^{-ns^\beta}=2\delta>\delta`, so any valid
bound is :math:`\ge s-\mathbb EX` and the constant it needs is at least
:math:`\hat C_{\rm low}(n)=\max_L(s-\mathbb EX)/(K(\sqrt{L/n}+L^{1/\beta}/n))`.  At
:math:`L\approx n^{(1-1/\beta)/(1/\beta-1/2)}` (:math:`n^2`–:math:`n^3` for β = 3/2) this grows like
:math:`n^{1-1/\beta}/(2K)`: for β = 3/2,
:math:`\hat C_{\rm low}=4.8,11.2,57,611` at :math:`n=10^3,10^4,10^6,10^9`.  The deviation really is of
order :math:`(L/n)^{1/\beta}` here: for :math:`\beta>1` the correct second term is
:math:`L^{1/\beta}\|a\|_{\beta^*}` with :math:`1/\beta+1/\beta^*=1` (Kuchibhotla & Chakrabortty 2022,
Sec. 3), i.e. :math:`L^{1/\beta}/n^{1/\beta}` for :math:`a_i=1/n`, not :math:`L^{1/\beta}/n`; the printed
form (with :math:`\|a\|_\infty`) is the :math:`\beta\le1` case.  For :math:`\beta\ge2` the sub-Gaussian term
dominates and the statement is true.  The paper applies the lemma only with :math:`\beta=1/2`
(Lemmas C.5, C.6), where it holds, so its results are unaffected.

Evidence
--------
Both numeric pieces of evidence use the exact construction above (no fitted constant):

* ``exact``: the log-log growth exponent of :math:`\hat C_{\rm low}(n)` over :math:`n=10^3,\dots,10^9` must
  be :math:`\le0` (tolerance 0.01; for β = 1/2, 1, 2, 3 it is −1, 0.000002, 0.0018, 0.0003; for β = 1.2,
  1.5, 1.8, 1.95 it is 0.17, 0.35, 0.18, 0.041).  A violation is re-checked in mpmath at 50 digits
  (:func:`growth_exponent_mp`: the same grid over :math:`L`, every power, Γ and the least-squares slope at
  that precision).
* ``constant``: the fit / held-out protocol with :math:`\hat C_{\rm low}` (β = 3/2) as the implied constant,
  fit at :math:`n\in\{10^3,10^4\}`, held out at :math:`n\in\{10^6,10^9\}`: fitted 11.2, held-out max 611
  (ratio 55), growth exponent 0.350 with 99.9 % bounds [0.347, 0.353], i.e. the measured
  :math:`n^{1-1/\beta}=n^{1/3}`.  The draws are exact, so they do not use the generator.
* ``symbolic`` (the printed second term refuted): the corrected term of Kuchibhotla & Chakrabortty for
  :math:`a_i=1/n`, :math:`L^{1/\beta}\|a\|_{\beta^*}` with
  :math:`\|a\|_{\beta^*}=(n\cdot n^{-\beta^*})^{1/\beta^*}=n^{-1/\beta}` (:math:`\beta=1+c`, :math:`c>0`),
  then the printed claim's requirement that the witness not grow, :math:`1-1/\beta\le0`, for
  :math:`\beta=(1+2u)/(1+u)\in(1,2)`: sympy decides it false and the exact rational fallback gives a
  counterexample, as expected.

References
----------
[wang2023noise, Appendix E, Lemma E.5]; Hao et al. (2019), Theorem 3.1; Kuchibhotla & Chakrabortty (2022),
Section 3 (sub-Weibull concentration).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    Nonnegative,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import REAL
from verifythm.evidence.constant import ConstantCheck
from verifythm.linalg.precise import DPS

from ._appe import WITNESS_SIZES, weibull_lower_constant, witness_growth_exponent
from ._common import KEY

SOURCE = Source(KEY, "Lemma E.5")


def growth_exponent(inst: dict[str, Any]) -> Comparison:
    """Fitted slope of log Ĉ_low(n) against log n over n = 10³..10⁹, against 0 (bounded)."""
    beta = inst["beta"]
    slope = witness_growth_exponent(beta)
    return Comparison(slope, 0.0, "<=", f"growth exponent of Ĉ_low(n), β={beta:g}", "0", scale=1.0)


def growth_exponent_mp(inst: dict[str, Any]) -> Comparison:
    """:func:`growth_exponent` in mpmath at 50 digits on the same L grid, read exactly (precise re-check)."""
    import mpmath

    beta = inst["beta"]
    with mpmath.workdps(DPS):
        ib = 1 / mpmath.mpf(beta)
        K, mean, log2 = mpmath.mpf(2) ** ib, mpmath.gamma(1 + ib), mpmath.log(2)
        xs, ys = [], []
        for n in WITNESS_SIZES:
            nm = mpmath.mpf(float(n))
            grid = np.geomspace(2.0, max(10.0, n**4), 4000)
            c = max(
                (((L - log2) / nm) ** ib - mean) / (K * (mpmath.sqrt(L / nm) + L**ib / nm))
                for L in (mpmath.mpf(float(x)) for x in grid)
            )
            xs.append(mpmath.log(nm))
            ys.append(mpmath.log(max(c, mpmath.mpf("1e-300"))))
        xbar, ybar = mpmath.fsum(xs) / len(xs), mpmath.fsum(ys) / len(ys)
        slope = mpmath.fsum((x - xbar) * (y - ybar) for x, y in zip(xs, ys, strict=True)) / mpmath.fsum(
            (x - xbar) ** 2 for x in xs
        )
        return Comparison(slope, 0.0, "<=", f"growth exponent of Ĉ_low(n), β={beta:g}", "0", scale=1.0)


def implied_literal(point: dict[str, Any], rng: np.random.Generator) -> float:
    """One (exact) draw: Ĉ_low(n) for Weibull(β) data; the generator is not needed."""
    return weibull_lower_constant(float(point["beta"]), float(point["n"]))


def printed_obligations() -> list[Any]:
    r"""Lemma E.5's second term, :math:`1<\beta<2`: the corrected :math:`\|a\|_{\beta^*}`, refuted step."""
    import sympy as sp

    n, c, u = sp.symbols("n c u", positive=True)
    beta = 1 + c
    bstar = beta / (beta - 1)  # 1/β + 1/β* = 1
    beta12 = (1 + 2 * u) / (1 + u)  # β ∈ (1, 2)
    return [
        Identity(
            (n * (1 / n) ** bstar) ** (1 / bstar),
            n ** (-1 / beta),
            "β > 1: ‖a‖_{β*} = (n·n^{−β*})^{1/β*} = n^{−1/β}, a_i = 1/n (so (L/n)^{1/β}, not L^{1/β}/n)",
        ),
        Nonnegative(
            -(1 - 1 / beta12),
            "printed: the witness's growth exponent 1 − 1/β ≤ 0 for β ∈ (1, 2) (it is positive)",
        ),
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
    hypotheses=(Hypothesis("β > 0", lambda i: i["beta"] > 0),),
    conclusion=growth_exponent,
    precise_conclusion=growth_exponent_mp,
    inputs={"beta": REAL},
    checks=(
        ExactCheck(
            "exact",
            lambda rng, k: [{"beta": float(b)} for b in rng.uniform(0.25, 4.0, size=min(k, 12))],
            fixed=[{"beta": 1.5}, {"beta": 1.0}, {"beta": 2.0}, {"beta": 0.5}],
            note="rigorous lower bound on the implied constant (Weibull(β), all X_i > s)",
        ),
        ConstantCheck(
            "constant",
            implied_literal,
            fit=[{"beta": 1.5, "n": 10**3}, {"beta": 1.5, "n": 10**4}],
            holdout=[{"beta": 1.5, "n": 10**6}, {"beta": 1.5, "n": 10**9}],
            size="n",
            note="draw = the rigorous lower bound Ĉ_low(n) for Weibull(3/2) data (exact)",
        ),
        SymbolicCheck(
            "symbolic", printed_obligations, note="the printed second term for 1 < β < 2 (refuted)"
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

CLAIM = LITERAL
