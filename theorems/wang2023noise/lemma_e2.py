r"""Wang & Wu (2023), Lemma E.2: the Hanson–Wright inequality (implied constant).

Setting
-------
:math:`X=(X_1,\dots,X_n)` with independent mean-zero sub-Gaussian coordinates,
:math:`K=\max_i\|X_i\|_{\psi_2}`, :math:`A\in\mathbb R^{n\times n}` (any square matrix), :math:`\|A\|_F`
Frobenius and :math:`\|A\|_2` operator norm.

Statement
---------
An absolute :math:`c` exists with :math:`P(|X^TAX-\mathbb EX^TAX|\ge t)\le
2\exp(-c\min\{t^2/(K^4\|A\|_F^2),\,t/(K^2\|A\|_2)\})` for every :math:`t\ge0` (Vershynin 2018,
Thm. 6.2.1, quoted).

Encoding (hidden constant)
--------------------------
On laws with an exact tail and :math:`K` equal to the exact :math:`\psi_2` norm, the constant needed is
:math:`\hat c=\inf_{t>0}-\log(P(|X^TAX-\mathbb EX^TAX|\ge t)/2)/\min\{t^2/(K^4\|A\|_F^2),t/(K^2\|A\|_2)\}`
and the lemma with :math:`c` holds for that law iff :math:`c\le\hat c`.  Laws:

* Rademacher :math:`X` (:math:`K=1/\sqrt{\ln2}`), any :math:`A` with :math:`n\le10`: exact distribution by
  enumerating the :math:`2^n` sign vectors (:math:`\mathbb EX^TAX=\operatorname{Tr}A`); infimum over the
  atoms of :math:`|X^TAX-\operatorname{Tr}A|`;
* Rademacher :math:`X`, :math:`A=\mathbf 1\mathbf 1^T` (any :math:`n`): :math:`X^TAX=(2B-n)^2`,
  :math:`B\sim\mathrm{Bin}(n,\frac12)`;
* Gaussian :math:`X` (:math:`K=\sqrt{8/3}`), :math:`A=\lambda I_r\oplus0`: :math:`X^TAX/\lambda\sim\chi^2_r`
  (:math:`\|A\|_F^2=r\lambda^2`, :math:`\|A\|_2=|\lambda|`, :math:`r\le1000` so that the tail
  at the kink does not underflow in float64); 8000 log-spaced :math:`t` around
  :math:`K^2|\lambda|` and the kink :math:`t=K^2\|A\|_F^2/\|A\|_2=K^2|\lambda|r`.

The claim checks :math:`\hat c\ge c_{\rm est}=0.65` on every instance.

Findings
--------
Holds.  Smallest :math:`\hat c` found: Gaussian :math:`X`, :math:`A=\lambda I_r` with large :math:`r`, at
the kink; by Chernoff :math:`\hat c(r)` is above its Cramér limit :math:`\inf_s\min(I(1+s),I(1-s))/
\min\{s^2/K^4,s/K^2\}=0.6837` (:math:`I(x)=(x-1-\log x)/2`, attained at :math:`s=K^2=8/3`), and
:math:`\hat c(r)=1.03,0.73,0.70,0.689` at :math:`r=10,100,300,1000`.  Rademacher with
:math:`A=\mathbf 1\mathbf 1^T`: :math:`\hat c=1.11,0.87,0.77,0.74` at :math:`n=10,100,1000,10^4`,
decreasing to the :math:`\chi^2_1` limit (≈0.72); enumerated Rademacher forms (:math:`n\le10`) give
:math:`\hat c\ge0.72`.
The implied constant decreases to a positive limit along every family (log-log slope → 0), consistent
with an absolute :math:`c\approx0.68`.

Evidence
--------
* ``exact``: fixed :math:`A=\mathbf 1\mathbf 1^T` with :math:`n=3000`, Gaussian :math:`r=1000`, the
  :math:`2\times2` nilpotent :math:`A=e_1e_2^T`, :math:`\chi^2_1`; seeded Gaussian :math:`A` (symmetric,
  non-symmetric, low rank, diagonal) with Rademacher :math:`X`, :math:`n\le10`, and seeded
  :math:`\chi^2_r` / all-ones instances.
* ``property``: Hypothesis over small integer matrices :math:`A` (:math:`n\le6`) with Rademacher :math:`X`.

References
----------
[wang2023noise, Appendix E, Lemma E.2]; Vershynin (2018), Theorem 6.2.1.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, Tolerance

from ._appe import PSI2_GAUSS, PSI2_RAD, binom_logpmf, discrete_tail, implied_c
from ._common import KEY

C_EST = 0.65
LAWS = ("Rademacher, enumerated A", "Rademacher, A = 11ᵀ", "Gaussian, A = λI_r")


def _signs(n: int) -> np.ndarray:
    return np.array(list(product((-1.0, 1.0), repeat=n)))


def tail(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """``(t, log P(|XᵀAX − E| ≥ t), K, ‖A‖_F, ‖A‖₂)`` for one instance."""
    law = int(inst["law"])
    if law == 0:
        A = np.asarray(inst["A"], float)
        S = _signs(A.shape[0])
        dev = np.einsum("ki,ij,kj->k", S, A, S) - np.trace(A)
        dev = np.round(dev, 12)  # merge atoms equal up to rounding
        t, lp = discrete_tail(dev, np.full(dev.size, -np.log(dev.size)))
        return t, lp, PSI2_RAD, float(np.linalg.norm(A)), float(np.linalg.norm(A, 2))
    n = int(inst["n"])
    if law == 1:
        k = np.arange(n + 1)
        t, lp = discrete_tail((2.0 * k - n) ** 2 - n, binom_logpmf(n, 0.5))
        return t, lp, PSI2_RAD, float(n), float(n)
    lam = float(inst["lam"])
    g = np.geomspace(1e-3, 1e3, 4000)
    t = abs(lam) * PSI2_GAUSS**2 * np.concatenate([g, n * g])  # around both t ≈ K²|λ| and the kink K²|λ|r
    u = t / abs(lam)
    lower = np.full_like(u, -np.inf)
    below = u < n
    lower[below] = stats.chi2.logcdf(n - u[below], n)
    lp = np.logaddexp(stats.chi2.logsf(n + u, n), lower)
    return t, lp, PSI2_GAUSS, abs(lam) * np.sqrt(n), abs(lam)


def implied_constant(inst: dict[str, Any]) -> Comparison:
    """ĉ = inf_t −log(P(|XᵀAX − EXᵀAX| ≥ t)/2)/min(t²/(K⁴‖A‖_F²), t/(K²‖A‖₂)) against c_est."""
    t, lp, K, fro, op = tail(inst)
    m = np.minimum(t**2 / (K**4 * fro**2), t / (K**2 * op))
    c, _ = implied_c(lp, m)
    return Comparison(c, C_EST, ">=", f"ĉ ({LAWS[int(inst['law'])]})", "c_est", scale=max(c, C_EST))


def _inst(law: int, A: Any = None, n: int = 0, lam: float = 1.0) -> dict[str, Any]:
    return {"law": law, "A": np.zeros((1, 1)) if A is None else np.asarray(A, float), "n": n, "lam": lam}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        kind = i % 6
        if kind == 4:
            out.append(_inst(1, n=int(np.exp(rng.uniform(np.log(2), np.log(2000))))))
        elif kind == 5:
            out.append(_inst(2, n=int(np.exp(rng.uniform(0, np.log(1000)))), lam=float(rng.normal())))
        else:
            n = int(rng.integers(1, 11))
            A = rng.standard_normal((n, n))
            if kind == 0:
                A = A + A.T
            elif kind == 1 and n > 1:
                A = np.outer(rng.standard_normal(n), rng.standard_normal(n))
            elif kind == 2:
                A = np.diag(rng.standard_normal(n)) + 0.1 * A
            out.append(_inst(0, A * 10 ** rng.uniform(-2, 2)))
    return out


_FIXED = [
    _inst(1, n=3000),
    _inst(0, [[0.0, 1.0], [0.0, 0.0]]),
    _inst(0, np.ones((8, 8))),
    _inst(2, n=1),
    _inst(2, n=1000, lam=-2.0),
]
_STRATEGY = st.integers(1, 6).flatmap(
    lambda n: st.builds(
        lambda A: _inst(0, A), hnp.arrays(np.float64, (n, n), elements=st.integers(-3, 3).map(float))
    )
)
_HYP = (
    Hypothesis(
        "law 0: A finite, n ≤ 10, A + Aᵀ not diagonal (XᵀAX not constant); law 1: n ≥ 2; "
        "law 2: 1 ≤ r ≤ 1000 (log-tail in float64), λ ≠ 0",
        lambda i: (
            (
                int(i["law"]) == 0
                and np.all(np.isfinite(i["A"]))
                and np.abs(np.asarray(i["A"]) + np.asarray(i["A"]).T - 2 * np.diag(np.diag(i["A"]))).max() > 0
                and np.shape(i["A"])[0] <= 10
            )
            or (int(i["law"]) == 1 and int(i["n"]) >= 2)
            or (int(i["law"]) == 2 and 1 <= int(i["n"]) <= 1000 and float(i["lam"]) != 0)
        ),
    ),
)

CLAIM = Claim(
    id="wang2023.lemma_e2",
    title="Hanson–Wright: P(|XᵀAX − EXᵀAX| ≥ t) ≤ 2exp(−c·min(t²/K⁴‖A‖_F², t/K²‖A‖)) (implied c ≥ 0.65)",
    source=Source(KEY, "Lemma E.2"),
    statement=(
        r"For $X$ with independent mean-zero sub-Gaussian coordinates, $K=\max_i\|X_i\|_{\psi_2}$, and any "
        r"$A\in\mathbb R^{n\times n}$, there is an absolute $c$ with $P(|X^TAX-\mathbb EX^TAX|\ge t)\le"
        r"2\exp(-c\min\{t^2/(K^4\|A\|_F^2),t/(K^2\|A\|_2)\})$ for all $t\ge0$. Encoded: the constant "
        r"implied by exact tails is $\ge c_{\rm est}=0.65$."
    ),
    hypotheses=_HYP,
    conclusion=implied_constant,
    checks=(
        ExactCheck("exact", _generate, fixed=_FIXED, note="exact tails (2ⁿ enumeration, binomial, χ²)"),
        PropertyCheck("property", _STRATEGY, max_examples=60),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-12),
    kind="constant",
)
