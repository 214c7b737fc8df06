r"""Li et al. (2019), Theorem 3: adaptive step sizes (35) make the loss a super-martingale.

Setting
-------
As in Theorem 1 (mini-batches of size :math:`m` drawn with replacement, Assumption 1 with
constant :math:`L`).  Adaptive step size (35):
:math:`\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}<\eta_t<\frac{3\|\mu_t\|^2}{2L\operatorname{Tr}M_t}`;
diagonal preconditioner (36), :math:`A_t=\mathrm{diag}(a_{t,j})`,
:math:`\frac{\mu_{t,j}^2}{2LM_{t,j}}<a_{t,j}<\frac{3\mu_{t,j}^2}{2LM_{t,j}}` with
:math:`M_{t,j}=M_t[j,j]` (so :math:`\mu_{t,j}\ne0` is needed for (36) to be non-empty).
Checked exactly on quadratic losses (Assumption 1 holds globally with :math:`L\ge\|H\|_2`).

Statement
---------
Under (35) or (36), :math:`\mathbb E[\Delta_t(f)|\theta_t]\le0`, so :math:`f(\theta_t)` is a
super-martingale (the premise of parts (1)–(2)).  Encoded, with the sharp constant the
interval gives: ``li2019.thm3.step_size`` — under (35),
:math:`\mathbb E[\Delta_t|\theta_t]\le-\frac{3\|\mu_t\|^4}{8L\operatorname{Tr}M_t}`; this implies the
proof's :math:`-\frac{\|\mu_t\|^4}{4L\operatorname{Tr}M_t}` (App. G) and hence :math:`\le0`.  The
drift bound :math:`D(\eta)=-\eta\|\mu\|^2+\frac{\eta^2}2L\operatorname{Tr}M` is a convex
parabola with roots :math:`0` and :math:`4a`, :math:`a=\frac{\|\mu\|^2}{2L\operatorname{Tr}M}`;
on :math:`(a,3a)` it stays below :math:`D(a)=D(3a)=-\frac32a^2L\operatorname{Tr}M`.
Tight for :math:`H=LI`, :math:`m=1`, :math:`\eta_t\to a` or :math:`3a`.  The preconditioned case
(36) is :mod:`.thm3_preconditioned`.

Not encoded: the almost-sure convergence (1) and the rate (2), whose statement
(:math:`T\ge2L(f(\theta_0)-f^*)(\sigma^2/m+\epsilon)/\epsilon^2`) and proof
(:math:`T\ge4L\,\mathbb E[f(\theta_0)-f^*](\sigma^2+\epsilon)/\epsilon^2`) disagree in constants
(multi-step checks of both: ``thm3_convergence.py``; the rate (2): ``thm3_rate.py``).

Evidence
--------
* ``symbolic``: with :math:`\eta=a(1+2s/(1+s))` (:math:`s\ge0` sweeps :math:`(a,3a)`) and
  :math:`L\operatorname{Tr}M=\|\mu\|^2/(2a)`: :math:`-\frac{3\|\mu\|^4}{8L\operatorname{Tr}M}-D(\eta)\ge0`
  and :math:`\frac{3}{8}-\frac14\ge0`.
* ``exact``: :math:`\mathbb E[\Delta_t]` by exact enumeration of batches on seeded quadratics
  (random, PSD, :math:`LI`), step sizes drawn across the open interval including points
  :math:`10^{-9}` inside its ends.
* ``property``: Hypothesis over the same family and the position inside the interval.

References
----------
[li2019hessian, Theorem 3, Eqs. (35)–(36); proof in Appendix G].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Comparison

from ._thm3 import SMALLEST, base, claim, steps
from ._util import quadratic_expected_change


def _scalar(inst: dict[str, Any]) -> Comparison:
    H, B, th, G, L = base(inst)
    E, _, mu = quadratic_expected_change(H, B, th, inst["m"], steps(inst, False))
    trM = float(np.sum(G * G)) / G.shape[0]
    return Comparison(E, -3 * float(mu @ mu) ** 2 / (8 * L * trM), "<=", "E[Δ_t | θ_t]", "−3‖μ‖⁴/(8L·Tr M)")


STEP_SIZE = claim(
    "li2019.thm3.step_size",
    "Under the adaptive step size (35), E[Δ_t | θ_t] ≤ −3‖μ_t‖⁴/(8L·Tr M_t) < 0",
    r"If $\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}<\eta_t<\frac{3\|\mu_t\|^2}{2L\operatorname{Tr}M_t}$ "
    r"then "
    r"$\mathbb E[\Delta_t(f)|\theta_t]\le-\frac{3\|\mu_t\|^4}{8L\operatorname{Tr}M_t}\le-\frac{\|\mu_t\|^4}"
    r"{4L\operatorname{Tr}M_t}<0$.",
    _scalar,
    False,
    fixed=SMALLEST,
)

CLAIM = STEP_SIZE
