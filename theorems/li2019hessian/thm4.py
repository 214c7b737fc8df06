r"""Li et al. (2019), Theorem 4: the scale-invariant PAC-Bayes bound (51) follows from (105) and the KL bound.

Setting
-------
Assumption 2: prior :math:`\mathcal P=\mathcal N(\theta_0,\mathrm{diag}(\sigma_1^2,\dots,\sigma_p^2))`
(Eq. (42)), posterior :math:`\mathcal Q_\theta=\mathcal N(\theta,\mathrm{diag}(\nu_j^{-1}))`,
:math:`\nu_j=\max\{H_f(\theta)[j,j],1/\sigma_j^2\}` (Eq. (44)).  Let
:math:`\tilde d=|\{j:H_f(\theta)[j,j]>1/\sigma_j^2\}|` and :math:`\tilde\nu_{(l)}`,
:math:`\tilde\sigma_{(l)}^2` the precisions and prior variances of those coordinates.

Statement
---------
Theorem 4 (Eq. (51)): with probability :math:`\ge1-\delta` over :math:`S`,
:math:`kl(\ell(\mathcal Q_\theta,S)\|\ell(\mathcal Q_\theta,D))\le\frac1{2n}\big(
\sum_{l\le\tilde d}\ln\frac{\tilde\nu_{(l)}}{1/\tilde\sigma_{(l)}^2}
+\sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2}\big)+\frac{\ln\frac{n+1}\delta}n`.
The proof applies the PAC-Bayes-kl inequality (105) (cited, not re-checked here) and
bounds the KL (Eq. (106), :mod:`.thm4_kl`).  Encoded: ``li2019.thm4`` — the deduction
(105) ⇒ (51): the right side of (105) with the exact KL is at most the right side of (51).

Finding
-------
**Typos** (not claims): the statement lists the thresholds as :math:`1/\tilde\sigma_{(l)}` but
the formula (correctly) uses :math:`1/\tilde\sigma_{(l)}^2`; Eq. (42) indexes the prior
variances :math:`\sigma_1^2,\dots,\sigma_n^2` where :math:`p` (the number of parameters, not
samples) is meant; the text after Eq. (44) calls :math:`\sigma_j^2` a variance of "the
posterior :math:`\mathcal P`" (the prior); Theorem 4 writes the prior as
:math:`\mathcal N(\theta_0,\Sigma_{\mathcal P}\mathbb I)`; Eq. (103) writes :math:`d` for
:math:`p`.

Evidence
--------
End to end: the probabilistic statement itself, over draws of :math:`S` with exact Gibbs train and test
errors, is ``li2019.thm4.bound`` (and ``li2019.cor4.bound``) in
:mod:`theorems.li2019hessian.thm4_bound`.  Here:

* ``symbolic``: per coordinate, :math:`1-\frac1{\sigma^2\nu}\ge0` and :math:`\ln(\nu\sigma^2)\ge0`
  for :math:`\nu=(1+t)/\sigma^2`, :math:`t\ge0`, and the one-dimensional KL identity.
* ``exact``: the KL from Cholesky factors (:func:`~verifythm.quantities.pacbayes.gaussian_kl`,
  full matrices) against the terms written out literally, on seeded instances with no,
  some and all coordinates crossing the threshold, tiny and huge Hessian diagonals,
  negative diagonals.
* ``property``: Hypothesis over Hessian diagonals, prior variances, :math:`\theta,\theta_0`.

References
----------
[li2019hessian, Assumption 2, Eqs. (42)–(44); Theorem 4, Eq. (51); Appendix H.2, Eqs. (105)–(106)].
"""

from __future__ import annotations

import math
from typing import Any

from verifythm import Comparison

from ._thm4 import claim, exact_kl, terms


def _theorem(inst: dict[str, Any]) -> Comparison:
    t = terms(inst)
    n, delta = inst["n"], inst["delta"]
    conf = math.log((n + 1) / delta) / n
    return Comparison(
        exact_kl(inst) / n + conf,
        (t["ec"] + t["wf"]) / (2 * n) + conf,
        "<=",
        "(KL + ln((n+1)/δ))/n  [Eq. (105)]",
        "RHS of Eq. (51)",
    )


THEOREM = claim(
    "li2019.thm4",
    "Eq. (105) with the exact KL implies the right-hand side of Eq. (51)",
    r"$\frac1n[KL(\mathcal Q_\theta\|\mathcal P)+\ln\frac{n+1}\delta]\le\frac1{2n}(\text{eff. curvature}"
    r"+\text{weighted norm})+\frac1n\ln\frac{n+1}\delta$, so (105) implies (51).",
    _theorem,
    "inequality",
)

CLAIM = THEOREM
