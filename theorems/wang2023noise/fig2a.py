r"""Wang & Wu (2023), Figure 2(a): in a typical draw every α_k/λ_k is within a factor 2 of 1.

Setting
-------
Linear regression, :math:`x,\theta,w^*` standard Gaussian, :math:`d=10^4`, residuals
:math:`e_i=f(x_i;\theta)-y_i`, :math:`G=\frac1n\sum_ix_ix_i^T=\sum_k\lambda_ku_ku_k^T`, directional
alignment :math:`g(\theta;v)` (Def. 4.1, noise covariance :math:`\Sigma_1`) and
:math:`\alpha_k/\lambda_k=g(\theta;u_k)` (``wang2023.def4_1``).  The experiment is that of
:mod:`._figures` (committed data and images in ``docs/figures/wang2023``).

Statement
---------
``wang2023.fig2a.ratio_near_one`` (Fig. 2(a), §4): for :math:`n\in\{\lceil8\log d\rceil=74,\ d/8=1250\}`,
"close to 1 for all eigen-directions", read as :math:`M=\max_k\max(\alpha_k/\lambda_k,\lambda_k/\alpha_k)\le2`
(every direction within a factor 2 of 1) for a typical draw: the median of :math:`M` over 20 independent
draws (the figure shows one draw).

Evidence
--------
* ``exact``: at :math:`d=10^4` without forming :math:`X`: the ratios depend on the data only through
  :math:`K=XX^T` and :math:`e=X(\theta-w^*)`; by rotation invariance :math:`e=\|\theta-w^*\|z` and
  :math:`K=zz^T+W` with :math:`z\sim\mathcal N(0,I_n)` and :math:`W\sim\mathrm{Wishart}_n(d-1,I)`
  independent (Bartlett factor :math:`A`, :math:`W=AA^T`), so :math:`Q=[z,A]^T` has the law of the data's
  Gram factor and :func:`~verifythm.quantities.directional.eigendirection_alignment` is applied to it
  (a two-sample KS test against explicit :math:`X` at :math:`d=400,n=30` gave :math:`p=0.79`).  The
  :math:`n=1250` panel costs 1.7 s per draw, so the quick profile uses :math:`d=4000, n=500` (the
  committed figure's size) with 3 draws, the thorough one :math:`d=10^4` with 20 draws.  Per draw at
  :math:`n=74`, :math:`P(M>2)=0.163` (2000 draws); the median of 20 exceeds 2 only if 10 of 20 draws do:
  false-alarm rate :math:`\le` ``FIG2_FALSE_ALARM`` (binomial) per block.

Not checked: Fig. 2(b) and the CIFAR-10 networks are not reproducible here.

No symbolic check: a figure-level trend (α_k/λ_k near 1) measured on exact-engine runs; the algebra behind
  it is derived in ``wang2023.def4_1``.
No property check: each instance is one seeded block of the figure's own experiment at the figure's sizes,
  not a quantifier over families.

References
----------
[wang2023noise, Section 4, Figure 2(a) and the text after it (p. 6); Appendix A].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source
from verifythm.claims.inputs import INT
from verifythm.quantities.directional import eigendirection_alignment

from . import _figures as F
from ._common import KEY, binomial_tail, fresh_blocks
from ._precise import statistical

F2_FACTOR = 2.0
F2_DRAWS = 20
FIG2_P_EXCEED = 0.163  # P(M > 2) per draw at d = 1e4, n = 74 (2000 draws)
FIG2_FALSE_ALARM = binomial_tail(F2_DRAWS // 2, F2_DRAWS, FIG2_P_EXCEED)
SOURCE2 = Source(KEY, "Section 4, Figure 2(a)", page=6)


def gram_factor(d: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    r"""``(Q, z)``: :math:`Q^TQ\sim K=XX^T` and :math:`z\propto e` jointly, :math:`X` ``n×d`` Gaussian.

    :math:`Q=[z,A]^T` (shape ``(n+1, n)``), :math:`A` the Bartlett factor of
    :math:`\mathrm{Wishart}_n(d-1,I)`: :math:`A_{jj}=\sqrt{\chi^2_{d-1-j}}` (:math:`j=0..n-1`),
    standard normals below the diagonal.  Needs :math:`d>n`.
    """
    A = np.zeros((n, n))
    j = np.arange(n)
    A[j, j] = np.sqrt(rng.chisquare(d - 1 - j))
    low = np.tril_indices(n, -1)
    A[low] = rng.standard_normal(low[0].size)
    z = rng.standard_normal(n)
    return np.vstack([z[None, :], A.T]), z


def spread(d: int, n: int, rng: np.random.Generator) -> float:
    r""":math:`M=\max_k\max(\alpha_k/\lambda_k,\lambda_k/\alpha_k)` on one draw."""
    Q, e = gram_factor(d, n, rng)
    r = eigendirection_alignment(Q, e).ratio
    return float(max(r.max(), 1.0 / r.min()))


@statistical
def typical_spread(inst: dict[str, Any]) -> Comparison:
    """Median over ``draws`` of M against the factor 2."""
    d, n, draws = inst["d"], inst["n"], inst["draws"]
    rng = np.random.default_rng([F.SEED, 2, d, n, inst["seed"]])
    med = float(np.median([spread(d, n, rng) for _ in range(draws)]))
    return Comparison(med, F2_FACTOR, "<=", "median over draws of max_k max(α_k/λ_k, λ_k/α_k)", "2")


def _f2_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    thorough = k > 100
    big_d = 10_000 if thorough else F.F2_D
    small = [{"d": 10_000, "n": 74, "draws": F2_DRAWS, "seed": s} for s in fresh_blocks(rng, 10)]
    big = [
        {"d": big_d, "n": big_d // 8, "draws": F2_DRAWS if thorough else 3, "seed": s}
        for s in fresh_blocks(rng, 1)
    ]
    return small + big


def _f2_ok(inst: dict[str, Any]) -> bool:
    d, n = inst["d"], inst["n"]
    return d > n >= 2 and n in (math.ceil(8 * math.log(d)), d // 8) and inst["draws"] >= 1


RATIO_NEAR_ONE = Claim(
    id="wang2023.fig2a.ratio_near_one",
    title="Figure 2(a): in a typical draw every α_k/λ_k is within a factor 2 of 1 (linear regression)",
    source=SOURCE2,
    statement=(
        r"Linear regression, $x,\theta,w^*\sim\mathcal N(0,I_d)$, $n\in\{\lceil8\log d\rceil,d/8\}$: the "
        r"median over 20 draws of $\max_k\max(\alpha_k/\lambda_k,\lambda_k/\alpha_k)$ is at most 2."
    ),
    hypotheses=(Hypothesis("d > n, n ∈ {⌈8 log d⌉, d/8} (the two panels)", _f2_ok),),
    conclusion=typical_spread,
    inputs={"d": INT, "n": INT, "draws": INT, "seed": INT},
    checks=(
        ExactCheck(
            "exact",
            _f2_generate,
            note=f"statistical; false-alarm rate ≤ {FIG2_FALSE_ALARM:.1e} per block of 20 draws (binomial)",
        ),
    ),
)

CLAIM = RATIO_NEAR_ONE
