r"""Li et al. (2019), Corollary 4 end to end: the PAC-Bayes bound (52) with an isotropic prior.

Setting
-------
The data model, learner, prior and posterior of :mod:`.thm4_bound` (Assumption 2, Eq. (44)),
with an isotropic prior :math:`\mathcal P=\mathcal N(\theta_0,\sigma^2I)`, i.e. :math:`\sigma_j\equiv\sigma`.

Statement
---------
Corollary 4 (Eq. (52)): with probability at least :math:`1-\delta` over :math:`S`,
:math:`kl(\ell(\mathcal Q_\theta,S)\|\ell(\mathcal Q_\theta,\mathcal D))\le\frac1{2n}
(\sum_{l\le\tilde d}\ln\frac{\tilde\nu_{(l)}}{1/\sigma^2}+\frac{\|\theta-\theta_0\|^2}{\sigma^2})
+\frac{\ln((n+1)/\delta)}n` (``li2019.cor4.bound``), the case :math:`\sigma_j\equiv\sigma` of
Theorem 4 (``li2019.thm4.bound``).

Evidence
--------
* ``monte_carlo``: the decision rule of ``li2019.thm4.bound`` (the order-statistic lower
  confidence bound of the :math:`(1-\delta)`-quantile of :math:`kl/B` over seeded training sets,
  exact binomial test at false-alarm rate :math:`10^{-6}` per instance) on its seeded draws and on
  its fixed instances whose prior is isotropic; instances with unequal :math:`\sigma_j` fail the
  hypothesis and are counted, not used.
* ``symbolic``: the same obligations as Theorem 4's (:func:`.thm4_bound.symbolic`).

References
----------
[li2019hessian, Corollary 4, Eq. (52); Theorem 4, Eq. (51)].
"""

from __future__ import annotations

import numpy as np

from verifythm import Hypothesis, Source, SymbolicCheck

from .thm4_bound import BOUND, FIXED, HYPOTHESES, monte_carlo_check, symbolic

SOURCE_COR = Source("li2019hessian", "Corollary 4, Eq. (52); Theorem 4, Eq. (51)")

COROLLARY = BOUND.variant(
    id="li2019.cor4.bound",
    aliases=("li2019.corollary4.bound",),
    title="(52): the bound (51) with an isotropic prior N(θ₀, σ²I), over draws of S",
    source=SOURCE_COR,
    statement=r"As ``li2019.thm4.bound`` with $\sigma_j\equiv\sigma$: "
    r"$P_S\big[kl(\ell(\mathcal Q_\theta,S)\|\ell(\mathcal Q_\theta,\mathcal D))\le\frac1{2n}"
    r"(\sum_{l\le\tilde d}\ln\frac{\tilde\nu_{(l)}}{1/\sigma^2}+\frac{\|\theta-\theta_0\|^2}{\sigma^2})"
    r"+\frac{\ln\frac{n+1}\delta}n\big]\ge1-\delta$.",
    hypotheses=(
        *HYPOTHESES,
        Hypothesis("isotropic prior: σ_j ≡ σ", lambda i: np.unique(i["sigma2"]).size == 1),
    ),
    checks=(
        SymbolicCheck("symbolic", symbolic),
        monte_carlo_check([f for f in FIXED if np.unique(f["sigma2"]).size == 1]),
    ),
)

CLAIM = COROLLARY
