r"""Wu, Wang & Su (2022), Lemma 3.2: the factor r(θ) is ≥ 0, and ≤ 1 when η ≤ 2/λ₁(H), at every point θ.

Setting
-------
Linearized model at a minimum, :math:`L(\theta)=\frac12\theta^TH\theta`, :math:`H` symmetric PSD, learning
rate η and the gradient factor of Eq. (6) (as in Lemma G.2)

.. math:: r(\theta)=1-2\eta\,\frac{\theta^TH^2\theta}{\theta^TH\theta}
   +\eta^2\,\frac{\theta^TH^3\theta}{\theta^TH\theta},\qquad\theta^TH\theta>0.

Statement
---------
The last sentence of Lemma 3.2, pointwise in θ (``wu2022.lemma3_2`` is the identity (6) itself; the
same facts as bounds on :math:`\inf_\theta r` / :math:`\sup_\theta r` are ``wu2022.lemma_g2.part1`` /
``part2``):

* ``wu2022.lemma3_2.r_nonneg``: :math:`r(\theta)\ge0` for every θ with :math:`\theta^TH\theta>0`.
* ``wu2022.lemma3_2.r_le_one``: if :math:`0<\eta\le2/\lambda_1(H)`, then :math:`r(\theta)\le1` for every
  θ with :math:`\theta^TH\theta>0`.

Evidence
--------
* ``exact`` (both): seeded PSD H (d ≤ 5, every rank), θ Gaussian and
  :math:`\eta=2c/\lambda_1(H)` with c = 1 (the edge), c uniform in (0, 1) and c uniform in (1, 1.3)
  (outside the hypothesis of ``r_le_one``, where only ``r_nonneg`` applies); r(θ) from
  :func:`verifythm.quantities.rayleigh.ratio`, the tolerance scaled by :math:`(1+\eta\lambda_1)^2`.
* ``property`` (both): Hypothesis PSD matrices of the project's vocabulary
  (:func:`~verifythm.strategies.psd_matrices`), :math:`c=\eta\lambda_1/2\in[10^{-3},1.2]`, θ entries in
  [−3, 3].

References
----------
[wu2022alignment, Lemma 3.2 (Eq. (6) and the sentence after it); Lemma G.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source
from verifythm.claims.common import psd
from verifythm.claims.inputs import REAL, array
from verifythm.linalg.psd import quad
from verifythm.quantities.rayleigh import ratio
from verifythm.strategies import psd_matrices, random_psd
from verifythm.strategies.scalars import reals

from . import KEY
from .lemma_g2 import r_coeffs, r_scale

SOURCE = Source(KEY, "Lemma 3.2")
INPUTS = {"H": array(2), "eta": REAL, "theta": array(1)}


def _pointwise(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 6))
        H = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        lam1 = float(np.linalg.eigvalsh(H)[-1])
        out.append(
            {
                "H": H,
                "eta": 2.0 * [1.0, rng.uniform(0, 1), rng.uniform(1, 1.3)][i % 3] / lam1,
                "theta": rng.standard_normal(d),
            }
        )
    return out


def _in_range(inst: dict[str, Any]) -> bool:
    H, t = inst["H"], inst["theta"]
    return quad(H, t, 1) > 1e-8 * float(np.linalg.norm(H, 2)) * float(t @ t)


def _r(inst: dict[str, Any]) -> float:
    return ratio(inst["H"], inst["theta"], r_coeffs(inst["eta"]))


@st.composite
def _pointwise_strategy(draw: Any) -> dict[str, Any]:
    H = draw(psd_matrices())
    d = H.shape[0]
    lam1 = float(np.linalg.eigvalsh(H)[-1])
    return {
        "H": H,
        "eta": 2.0 * draw(st.floats(1e-3, 1.2)) / max(lam1, 1e-12),
        "theta": np.array(draw(st.lists(reals(-3, 3), min_size=d, max_size=d))),
    }


R_NONNEG = Claim(
    id="wu2022.lemma3_2.r_nonneg",
    title="r(θ) ≥ 0 at every θ with θᵀHθ > 0",
    source=SOURCE,
    statement=r"In Lemma 3.2, $r(\theta)\ge 0$ for every $\theta$ with $\theta^TH\theta>0$.",
    hypotheses=(psd("H"), Hypothesis("θᵀHθ > 0 (relative 1e-8)", _in_range)),
    conclusion=lambda inst: Comparison(
        _r(inst), 0.0, ">=", "r(θ)", "0", scale=r_scale(inst["H"], inst["eta"])
    ),
    checks=(ExactCheck("exact", _pointwise), PropertyCheck("property", _pointwise_strategy())),
    inputs=INPUTS,
)

R_LE_ONE = Claim(
    id="wu2022.lemma3_2.r_le_one",
    title="r(θ) ≤ 1 at every θ when 0 < η ≤ 2/λ₁(H)",
    source=SOURCE,
    statement=(
        r"In Lemma 3.2, if the learning rate satisfies $0<\eta\le 2/\lambda_1(H)$ then "
        r"$r(\theta)\le 1$ for every $\theta$ with $\theta^TH\theta>0$."
    ),
    hypotheses=(
        psd("H"),
        Hypothesis("θᵀHθ > 0 (relative 1e-8)", _in_range),
        Hypothesis(
            "0 < η ≤ 2/λ₁(H)",
            lambda inst: 0 < inst["eta"] <= 2.0 / float(np.linalg.eigvalsh(inst["H"])[-1]),
        ),
    ),
    conclusion=lambda inst: Comparison(
        _r(inst), 1.0, "<=", "r(θ)", "1", scale=r_scale(inst["H"], inst["eta"])
    ),
    checks=(ExactCheck("exact", _pointwise), PropertyCheck("property", _pointwise_strategy())),
    inputs=INPUTS,
)

CLAIMS = [R_NONNEG, R_LE_ONE]
