r"""Li et al. (2019), Eq. (26) under Bernoulli sampling: :math:`M_t^{(m)}=(\frac1m-\frac1n)M_t+\mu_t\mu_t^T`.

Setting
-------
Per-sample gradients :math:`g_1,\dots,g_n\in\mathbb R^p` (rows of :math:`G`) at :math:`\theta_t`,
with :math:`\mu_t` and the uncentred :math:`M_t=\frac1n\sum_ig_ig_i^T` as in Eqs. (4)–(7), and a
Bernoulli mini-batch: each index kept independently with probability :math:`m/n`,
:math:`\nabla\tilde f(\theta_t)=\sum_iw_ig_i`, :math:`w_i=[i\text{ kept}]/m`.  The paper's own scheme
(with replacement) is :mod:`.eq26`.

Statement
---------
``li2019.eq26.bernoulli`` — the form Eq. (26) takes for Bernoulli sampling,
:math:`\mathbb E[\nabla\tilde f\nabla\tilde f^T]=(\frac1m-\frac1n)M_t+\mu_t\mu_t^T`.

Evidence
--------
* ``symbolic``: exact enumeration of every batch (sympy rationals) for a symbolic
  :math:`3\times 2` gradient matrix and :math:`m=2`.
* ``exact``: exact enumeration of every batch on seeded gradient sets with :math:`n\le 5`,
  :math:`p\le 3`, :math:`m\le\min(n,3)`; the formula side is computed independently from
  :math:`\mu,M`.  Violations are re-checked in exact rationals.
* ``property``: Hypothesis over small gradient sets and batch sizes.

References
----------
[li2019hessian, Section 5.2, Eq. (26); Section 3].
"""

from __future__ import annotations

from verifythm.dynamics.sampling import Sampling

from ._eq26 import second_moment_claim

BERNOULLI = second_moment_claim(
    "li2019.eq26.bernoulli",
    "Bernoulli sampling: the second moment is (1/m − 1/n)·M + μμᵀ",
    r"Keeping each index with probability $m/n$ and dividing by $m$, "
    r"$\mathbb E[\nabla\tilde f\nabla\tilde f^T]=(\frac1m-\frac1n)M_t+\mu_t\mu_t^T$.",
    Sampling.BERNOULLI,
    "bernoulli",
)

CLAIM = BERNOULLI
