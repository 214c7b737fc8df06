r"""Li et al. (2019), Eq. (106): the KL of Assumption 2 in closed form, and its bound in Theorem 4's proof.

Setting
-------
Assumption 2: prior :math:`\mathcal P=\mathcal N(\theta_0,\mathrm{diag}(\sigma_1^2,\dots,\sigma_p^2))`
(Eq. (42)), posterior :math:`\mathcal Q_\theta=\mathcal N(\theta,\mathrm{diag}(\nu_j^{-1}))`,
:math:`\nu_j=\max\{H_f(\theta)[j,j],1/\sigma_j^2\}` (Eq. (44)); :math:`\tilde d`,
:math:`\tilde\nu_{(l)}`, :math:`\tilde\sigma_{(l)}^2` as in :mod:`.thm4` (the coordinates with
:math:`H_f(\theta)[j,j]>1/\sigma_j^2`).

Statement
---------
The proof of Theorem 4 bounds the KL of (105) (Eq. (106)).  Encoded:

* ``li2019.thm4.kl_identity`` — Eq. (106), first line:
  :math:`2KL(\mathcal Q\|\mathcal P)=\sum_j(\frac1{\sigma_j^2\nu_j}-1)
  +\sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2}+\sum_j\ln\frac{\nu_j}{1/\sigma_j^2}`;
* ``li2019.thm4.kl_bound`` — Eq. (106), second line: :math:`2KL\le` effective curvature
  + precision-weighted norm (equality when no coordinate crosses its threshold).

Evidence
--------
* ``symbolic``: per coordinate, :math:`1-\frac1{\sigma^2\nu}\ge0` and :math:`\ln(\nu\sigma^2)\ge0`
  for :math:`\nu=(1+t)/\sigma^2`, :math:`t\ge0`, and the one-dimensional KL identity.
* ``exact``: the KL from Cholesky factors (:func:`~verifythm.quantities.pacbayes.gaussian_kl`,
  full matrices) against the terms written out literally, on seeded instances with no,
  some and all coordinates crossing the threshold, tiny and huge Hessian diagonals,
  negative diagonals.
* ``property``: Hypothesis over Hessian diagonals, prior variances, :math:`\theta,\theta_0`.

References
----------
[li2019hessian, Assumption 2, Eqs. (42)–(44); Theorem 4, Eq. (51); Appendix H.2, Eqs. (103)–(106)].
"""

from __future__ import annotations

from typing import Any

from verifythm import Comparison

from ._thm4 import claim, exact_kl, terms


def _identity(inst: dict[str, Any]) -> Comparison:
    t = terms(inst)
    return Comparison(
        2 * exact_kl(inst),
        t["trace"] + t["wf"] + t["logs"],
        "==",
        "2KL(Q‖P)",
        "Σ(1/(σ²ν) − 1) + Σ(θ−θ₀)²/σ² + Σ ln(νσ²)",
    )


def _bound(inst: dict[str, Any]) -> Comparison:
    t = terms(inst)
    return Comparison(
        2 * exact_kl(inst), t["ec"] + t["wf"], "<=", "2KL(Q‖P)", "effective curvature + weighted norm"
    )


KL_IDENTITY = claim(
    "li2019.thm4.kl_identity",
    "2KL(Q_θ‖P) under Assumption 2 in closed form (Eq. (106), first line)",
    r"$2KL(\mathcal Q_\theta\|\mathcal P)=\sum_j(\frac1{\sigma_j^2\nu_j}-1)"
    r"+\sum_j\frac{(\theta_j-\theta_{0,j})^2}"
    r"{\sigma_j^2}+\sum_j\ln\frac{\nu_j}{1/\sigma_j^2}$.",
    _identity,
    "identity",
)

KL_BOUND = claim(
    "li2019.thm4.kl_bound",
    "2KL(Q_θ‖P) ≤ effective curvature + precision-weighted norm (Eq. (106), second line)",
    r"$2KL(\mathcal Q_\theta\|\mathcal P)\le"
    r"\sum_{l\le\tilde d}\ln\frac{\tilde\nu_{(l)}}{1/\tilde\sigma_{(l)}^2}"
    r"+\sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2}$.",
    _bound,
    "inequality",
)

CLAIMS = [KL_IDENTITY, KL_BOUND]
