r"""Li et al. (2019), Section 3: the mini-batch gradient is unbiased, :math:`\mu^{(m)}=\mu`.

Setting
-------
Per-sample gradients :math:`g_1,\dots,g_n\in\mathbb R^p` (rows of :math:`G`) at :math:`\theta_t`,
:math:`\mu_t=\frac1n\sum_ig_i` (Eq. (4)), and the mini-batch gradient
:math:`\nabla\tilde f(\theta_t)=\sum_iw_ig_i` with batch weights :math:`w` of one of three sampling
schemes (:mod:`verifythm.dynamics.sampling`):

* with replacement — :math:`m` i.i.d. uniform indices, :math:`w_i=\#\{i\}/m` (the paper's scheme,
  Appendix A.1);
* without replacement — a uniform :math:`m`-subset, :math:`w_i=[i\in S]/m`;
* Bernoulli — each index kept with probability :math:`m/n`, :math:`w_i=[i\text{ kept}]/m`.

Statement
---------
Section 3 (after Eq. (8)): :math:`\mathbb E[\nabla\tilde f(\theta_t)]=\mu^{(m)}(\theta_t)=\mu_t`
(``li2019.eq26.mean``), here for all three schemes (the largest error over the schemes is 0).

Evidence
--------
* ``symbolic``: exact enumeration of every batch (sympy rationals) of :math:`n=3`, :math:`m=2` for
  symbolic scalar gradients, each scheme.
* ``exact``: exact enumeration of every batch on seeded gradient sets with :math:`n\le 5`,
  :math:`p\le 3`, :math:`m\le\min(n,3)`.
* ``property``: Hypothesis over small gradient sets and batch sizes.

References
----------
[li2019hessian, Section 3 (text after Eq. (8)); Appendix A.1].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck
from verifythm.dynamics.sampling import Sampling, batch_distribution

from ._eq26 import HYPOTHESES, INPUTS, STRATEGY, generate, moments

SCHEMES = (Sampling.WITH_REPLACEMENT, Sampling.WITHOUT_REPLACEMENT, Sampling.BERNOULLI)


def _mean_conclusion(inst: dict[str, Any]) -> Comparison:
    G, m = inst["G"], inst["m"]
    mu = G.mean(axis=0)
    worst = max(float(np.linalg.norm(moments(G, s, m, 0.0)[0] - mu)) for s in SCHEMES)
    return Comparison(worst, 0.0, "==", "max_s ‖E_s[ĝ] − μ‖", "0", scale=float(np.linalg.norm(mu)))


def _mean_symbolic() -> list[Any]:
    import sympy as sp

    g = sp.symbols("g1:4", real=True)
    out = []
    for s in SCHEMES:
        E = sum(
            sp.Rational(pr.numerator, pr.denominator)
            * sum(sp.Rational(wi.numerator, wi.denominator) * gi for wi, gi in zip(w, g, strict=True))
            for pr, w in batch_distribution(s, 3, 2)
        )
        out.append(Identity(E, sum(g) / 3, f"E[ĝ] = μ ({s.value}, n = 3, m = 2)"))
    return out


MEAN = Claim(
    id="li2019.eq26.mean",
    title="The mini-batch gradient is unbiased: μ^(m) = μ (all three schemes)",
    source=Source("li2019hessian", "Section 3 (after Eq. (8))"),
    statement=r"$\mathbb E[\nabla\tilde f(\theta_t)]=\mu^{(m)}(\theta_t)=\mu(\theta_t)$.",
    hypotheses=HYPOTHESES,
    inputs=INPUTS,
    conclusion=_mean_conclusion,
    checks=(
        SymbolicCheck("symbolic", _mean_symbolic),
        ExactCheck("exact", generate, fixed=[{"G": np.array([[1.0], [3.0]]), "m": 1}]),
        PropertyCheck("property", STRATEGY),
    ),
    kind="identity",
)

CLAIM = MEAN
