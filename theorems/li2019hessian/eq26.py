r"""Li et al. (2019), Eq. (26): the second moment of the mini-batch gradient, sampling with replacement.

Setting
-------
Per-sample gradients :math:`g_1,\dots,g_n\in\mathbb R^p` (rows of :math:`G`) at
:math:`\theta_t`, with :math:`\mu_t`, :math:`\Sigma_t` and :math:`M_t` as in Eqs. (4)–(7).
A mini-batch of size :math:`m` gives the stochastic gradient
:math:`\nabla\tilde f(\theta_t)=\sum_iw_ig_i`, with batch weights :math:`w` drawn by a
sampling scheme (:mod:`verifythm.dynamics.sampling`).  The paper's scheme ("random samples with
replacement", Appendix A.1) draws :math:`m` i.i.d. uniform indices, :math:`w_i=\#\{i\}/m`.  The
mean (all schemes) is :mod:`.eq26_mean`; the other schemes are :mod:`.eq26_without_replacement`
and :mod:`.eq26_bernoulli`.

Statement
---------
Section 3 states :math:`\Sigma^{(m)}=\Sigma/m` and Eq. (26) the second moment
:math:`M_t^{(m)}=\mathbb E[\nabla\tilde f\,\nabla\tilde f^T]=\frac1m\Sigma_t+\mu_t\mu_t^T`;
``li2019.eq26`` is Eq. (26) literally, for the paper's scheme (with replacement).

Evidence
--------
* ``symbolic``: exact enumeration of every batch (sympy rationals) for a symbolic
  :math:`3\times 2` gradient matrix and :math:`m=2`.
* ``exact``: exact enumeration of every batch
  (:func:`~verifythm.dynamics.sampling.batch_distribution`) on seeded gradient sets with
  :math:`n\le 5`, :math:`p\le 3`, :math:`m\le\min(n,3)`; the formula side is computed
  independently from :math:`\mu,\Sigma,M`.  Violations are re-checked in exact rationals.
* ``property``: Hypothesis over small gradient sets and batch sizes.

References
----------
[li2019hessian, Section 3 (text after Eq. (8)) and Section 5.2, Eq. (26); Appendix A.1].
"""

from __future__ import annotations

from verifythm.dynamics.sampling import Sampling

from ._eq26 import second_moment_claim

LITERAL = second_moment_claim(
    "li2019.eq26",
    "M^(m) = Σ/m + μμᵀ for mini-batches sampled with replacement (the paper's scheme)",
    r"For $m$ indices drawn i.i.d. uniformly, $\mathbb E[\nabla\tilde f\nabla\tilde f^T]=\frac1m\Sigma_t"
    r"+\mu_t\mu_t^T$ (equivalently $\Sigma^{(m)}=\Sigma/m$).",
    Sampling.WITH_REPLACEMENT,
    "paper",
)

CLAIM = LITERAL
