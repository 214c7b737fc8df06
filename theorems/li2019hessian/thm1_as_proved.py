r"""Li et al. (2019), Theorem 1 as proved: the upper bound of (27) with :math:`\operatorname{Tr}M_t^{(m)}`.

Setting
-------
Vanilla SGD (8) with a mini-batch of :math:`m` indices drawn with replacement, Assumption 1
(:math:`\|H_f(\theta)\|_2\le L` on the region reached by the step), and the instances of
:mod:`.thm1`: quadratic losses :math:`f(\theta;z_i)=\frac12\theta^TH\theta+b_i^T\theta`
(:math:`L\ge\|H\|_2`) and binary logistic regression.

Statement
---------
The proof of Theorem 1, (76)–(77), derives the bounds of Eq. (27) with
:math:`\operatorname{Tr}M_t^{(m)}`, :math:`M_t^{(m)}=\frac1m\Sigma_t+\mu_t\mu_t^T` (``li2019.eq26``),
in place of :math:`\operatorname{Tr}M_t` (the last line of (76) silently renames it).  Encoded:
``li2019.thm1.upper.as_proved`` —
:math:`\mathbb E[\Delta_t(f)|\theta_t]\le-\eta_t\|\mu_t\|^2+\frac{\eta_t^2}2L\operatorname{Tr}M_t^{(m)}`,
sharper than the literal ``li2019.thm1.upper`` since :math:`M_t^{(m)}\preceq M_t`.

Evidence
--------
The evidence of :mod:`.thm1`: ``symbolic`` (the exact expectation for :math:`p=1`,
:math:`n=m=2` by batch enumeration, and the sign conditions), ``exact`` (exact enumeration of all
:math:`n^m` batches on seeded quadratics), ``exact_logistic`` (binary logistic regression with
:math:`L=\lambda_{\max}(X^TX)/(4n)`) and ``property`` (Hypothesis over the quadratic family).

References
----------
[li2019hessian, Assumption 1, Theorem 1, Eq. (27); proof in Appendix D, Eqs. (76)–(77)].
"""

from __future__ import annotations

from typing import Any

from verifythm import Comparison

from ._thm1 import claim, sides


def _upper_as_proved(inst: dict[str, Any]) -> Comparison:
    s = sides(inst)
    return Comparison(
        s["E"], s["drift"] + s["q"] * s["trMm"], "<=", "E[Δ_t | θ_t]", "−η‖μ‖² + η²L·Tr M^(m)/2"
    )


UPPER_AS_PROVED = claim(
    "li2019.thm1.upper.as_proved",
    "E[Δ_t | θ_t] ≤ −η‖μ_t‖² + η²L·Tr M_t^(m)/2 (what Eq. (76) derives)",
    r"Under Assumption 1, $\mathbb E[\Delta_t(f)|\theta_t]\le-\eta_t\|\mu_t\|_2^2+\frac{\eta_t^2}2L"
    r"\operatorname{Tr}M_t^{(m)}$, $M_t^{(m)}=\frac1m\Sigma_t+\mu_t\mu_t^T$.",
    _upper_as_proved,
)

CLAIM = UPPER_AS_PROVED
