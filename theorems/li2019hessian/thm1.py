r"""Li et al. (2019), Theorem 1, Eq. (27): two-sided bound on the expected one-step change of the loss.

Setting
-------
Vanilla SGD (8), :math:`\theta_{t+1}=\theta_t-\eta_t\nabla\tilde f(\theta_t)`, with a mini-batch
of :math:`m` indices drawn with replacement (the paper's scheme), so that
:math:`\mathbb E[\nabla\tilde f\nabla\tilde f^T]=M_t^{(m)}=\frac1m\Sigma_t+\mu_t\mu_t^T`
(``li2019.eq26``).  Assumption 1: :math:`\|H_f(\theta)\|_2\le L` on the region reached by
the step.  Checked exactly on quadratic losses
:math:`f(\theta;z_i)=\frac12\theta^TH\theta+b_i^T\theta` (symmetric, possibly indefinite
:math:`H`), for which Assumption 1 holds globally with any :math:`L\ge\|H\|_2`.

Statement
---------
Eq. (27): :math:`-\eta_t\|\mu_t\|^2-\frac{\eta_t^2}2L\operatorname{Tr}M_t\le
\mathbb E[\Delta_t(f)|\theta_t]\le-\eta_t\|\mu_t\|^2+\frac{\eta_t^2}2L\operatorname{Tr}M_t`,
with :math:`M_t` the full second moment (7).  The proof (76)–(77) actually derives the
bounds with :math:`\operatorname{Tr}M_t^{(m)}` (the last line of (76) silently renames it
:math:`\operatorname{Tr}M_t`); since :math:`M_t^{(m)}\preceq M_t` the literal statement is the
weaker one, and the sharper form is ``li2019.thm1.upper.as_proved``
(:mod:`.thm1_as_proved`).  Encoded: ``li2019.thm1.upper`` and ``li2019.thm1.lower``.
Both literal bounds are tight: the upper one for :math:`H=LI`, :math:`m=1`, the lower one
for :math:`H=-LI`, :math:`m=1`.

Not encoded: the tail bounds (28)–(29) involve an unspecified absolute constant
:math:`c` (and the proof's (74) replaces :math:`H_f(\theta_{t+1/2})` by :math:`L` inside a
quadratic form, which for indefinite Hessians needs :math:`|\cdot|`); their constant fit is
``li2019.thm1.tails.*`` (``thm1_tails.py``).

Evidence
--------
* ``symbolic``: for :math:`p=1`, :math:`n=2`, :math:`m=2` the exact expectation
  :math:`\mathbb E\Delta=-\eta\mu^2+\frac{\eta^2}2h(\frac{\Sigma}m+\mu^2)` by batch
  enumeration, and the sign conditions behind both bounds for
  :math:`h=\pm L\mp u`, :math:`u\ge0`, :math:`m=1+k`, :math:`k\ge0`.
* ``exact``: :math:`\mathbb E[\Delta_t]` by exact enumeration of all :math:`n^m` batches
  (:math:`n\le5`, :math:`m\le3`) on seeded quadratics (random indefinite, PSD, :math:`\pm LI`),
  with :math:`L=\|H\|_2` or larger.
* ``exact_logistic``: a non-quadratic loss — binary logistic regression with
  :math:`L=\lambda_{\max}(X^TX)/(4n)\ge\sup_\theta\|H_f(\theta)\|_2` — with
  :math:`\mathbb E[\Delta_t]` by exact batch enumeration and step sizes
  :math:`\eta\in[0.1,10]/L` (the bounds are not tight there; the quadratic instances make them so).
* ``property``: Hypothesis over the quadratic family.

Typos in the proof (not claims): the first term of (74)–(75) lacks the :math:`1/\sqrt m` of
(73); the coefficient of :math:`\mu_t^T\Sigma_t^{1/2}g` collected in (74) and used for
:math:`\varsigma_t` in (78) is :math:`\eta_t(1-\eta_tL/\sqrt m)`, whereas expanding (74) gives
:math:`\frac{\eta_t}{\sqrt m}(1-\eta_tL)` — which is what the statement's :math:`\alpha_{t,1}` uses.

References
----------
[li2019hessian, Assumption 1, Theorem 1, Eq. (27); proof in Appendix D, Eqs. (71)–(77)].
"""

from __future__ import annotations

from typing import Any

from verifythm import Comparison

from ._thm1 import claim, sides


def _upper(inst: dict[str, Any]) -> Comparison:
    s = sides(inst)
    return Comparison(s["E"], s["drift"] + s["q"] * s["trM"], "<=", "E[Δ_t | θ_t]", "−η‖μ‖² + η²L·Tr M/2")


def _lower(inst: dict[str, Any]) -> Comparison:
    s = sides(inst)
    return Comparison(s["E"], s["drift"] - s["q"] * s["trM"], ">=", "E[Δ_t | θ_t]", "−η‖μ‖² − η²L·Tr M/2")


UPPER = claim(
    "li2019.thm1.upper",
    "E[Δ_t | θ_t] ≤ −η‖μ_t‖² + η²L·Tr M_t/2",
    r"Under Assumption 1, $\mathbb E[\Delta_t(f)|\theta_t]\le-\eta_t\|\mu_t\|_2^2"
    r"+\frac{\eta_t^2}2L\operatorname{Tr}M_t$.",
    _upper,
)

LOWER = claim(
    "li2019.thm1.lower",
    "E[Δ_t | θ_t] ≥ −η‖μ_t‖² − η²L·Tr M_t/2",
    r"Under Assumption 1, $\mathbb E[\Delta_t(f)|\theta_t]\ge-\eta_t\|\mu_t\|_2^2"
    r"-\frac{\eta_t^2}2L\operatorname{Tr}M_t$.",
    _lower,
)

CLAIMS = [UPPER, LOWER]
