r"""Li et al. (2019), Eq. (26) without replacement: the factor :math:`\frac1m` is :math:`\frac{n-m}{m(n-1)}`.

Setting
-------
Per-sample gradients :math:`g_1,\dots,g_n\in\mathbb R^p` (rows of :math:`G`) at :math:`\theta_t`,
with :math:`\mu_t`, :math:`\Sigma_t` as in Eqs. (4)–(5), and a mini-batch drawn *without*
replacement: a uniform :math:`m`-subset :math:`S`, :math:`\nabla\tilde f(\theta_t)=\sum_iw_ig_i`,
:math:`w_i=[i\in S]/m`.  The paper's own scheme (with replacement) is :mod:`.eq26`.

Statement
---------
* ``li2019.eq26.without_replacement`` — the correct form without replacement,
  :math:`\mathbb E[\nabla\tilde f\nabla\tilde f^T]=\frac{n-m}{m(n-1)}\Sigma_t+\mu_t\mu_t^T`;
* ``li2019.eq26.without_replacement.literal`` — Eq. (26),
  :math:`\frac1m\Sigma_t+\mu_t\mu_t^T`, read for sampling without replacement (see Finding).

Finding
-------
**Scope**: the literal reading is **false**: the factor :math:`\frac1m` must be
:math:`\frac{n-m}{m(n-1)}`.  Smallest counterexample :math:`n=m=2`, :math:`p=1`,
:math:`G=(1,-1)^T`: the full batch is deterministic, :math:`\mathbb E[\nabla\tilde f^2]=0`, but
:math:`\Sigma/m+\mu^2=1/2`.  This is a **scope** finding, not an error of the paper: §5.2 assumes
the stochastic gradient has mean :math:`\mu_t` and covariance :math:`\Sigma_t/m` (Eq. (25)), the
with-replacement law, and Appendix A.1 says batches are drawn with replacement.  It is recorded so
that Eq. (26) is not reused for the without-replacement loaders common in practice.

Evidence
--------
* ``symbolic``: exact enumeration of every batch (sympy rationals) for a symbolic
  :math:`3\times 2` gradient matrix and :math:`m=2`.
* ``exact``: exact enumeration of every batch on seeded gradient sets with :math:`n\le 5`,
  :math:`p\le 3`, :math:`m\le\min(n,3)`, and the smallest counterexample above; the formula side
  is computed independently from :math:`\mu,\Sigma`.  Violations are re-checked in exact rationals.
* ``property``: Hypothesis over small gradient sets and batch sizes.

References
----------
[li2019hessian, Section 5.2, Eq. (26) and the noise model Eq. (25); Appendix A.1].
"""

from __future__ import annotations

from verifythm import Expected
from verifythm.dynamics.sampling import Sampling

from ._eq26 import second_moment_claim

WITHOUT = second_moment_claim(
    "li2019.eq26.without_replacement",
    "Without replacement the second moment is (n−m)/(m(n−1))·Σ + μμᵀ",
    r"For a uniform $m$-subset, $\mathbb E[\nabla\tilde f\nabla\tilde f^T]=\frac{n-m}{m(n-1)}\Sigma_t"
    r"+\mu_t\mu_t^T$.",
    Sampling.WITHOUT_REPLACEMENT,
    "without",
)

WITHOUT_LITERAL = second_moment_claim(
    "li2019.eq26.without_replacement.literal",
    "Eq. (26) read for sampling without replacement (outside the paper's noise model)",
    r"For a uniform $m$-subset, $\mathbb E[\nabla\tilde f\nabla\tilde f^T]=\frac1m\Sigma_t+\mu_t\mu_t^T$.",
    Sampling.WITHOUT_REPLACEMENT,
    "paper",
    Expected.fails(
        "scope, not an error: the paper's noise model (25) has covariance Σ_t/m, i.e. sampling with "
        "replacement, where Eq. (26) holds (`li2019.eq26`); without replacement the factor 1/m is "
        "(n−m)/(m(n−1)) (n = m = 2, G = (1, −1)ᵀ: E[ĝ²] = 0 but Σ/m + μ² = 1/2)",
        "docs/errata/li2019.eq26.without_replacement.literal__exact.md",
        finding="scope",
    ),
)

CLAIMS = [WITHOUT, WITHOUT_LITERAL]
