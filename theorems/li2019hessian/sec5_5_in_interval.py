r"""Li et al. (2019), §5.5: the ADAM-like preconditioner satisfies (36) when :math:`\frac12<\eta L<\frac32`.

Setting
-------
Sample gradients :math:`g_{i}` at :math:`\theta_t` with mean :math:`\mu_t` and second-moment
diagonal :math:`M_{t,j}=M_t[j,j]>0`; a stochastic (mini-batch) gradient :math:`g_t`; the
diagonal preconditioner (36), :math:`\frac{\mu_{t,j}^2}{2LM_{t,j}}<a_{t,j}<\frac{3\mu_{t,j}^2}{2LM_{t,j}}`,
and the "idealised ADAM" step (40), :math:`u_{t,j}=\eta\,\mu_{t,j}/\sqrt{M_{t,j}}`.

Statement
---------
§5.5 rewrites the preconditioned SGD (36) with :math:`a_{t,j}=\eta\mu_{t,j}^2/M_{t,j}` as the
ADAM-like update (41) (:mod:`.sec5_5`).  Encoded: ``li2019.sec5_5.adam_form.in_interval`` — the
rewriting is a preconditioner of (36) exactly when :math:`\frac1{2L}<\eta<\frac3{2L}` (the ratio
:math:`a_{t,j}/\frac{\mu_{t,j}^2}{2LM_{t,j}}=2\eta L` is the same for every :math:`j`).  Encoded as
:math:`\max_j\max\big(a_{t,j}/\mathrm{hi}_j,\ \mathrm{lo}_j/a_{t,j}\big)<1`; tight as
:math:`\eta L\to\frac12` or :math:`\frac32`.

Evidence
--------
* ``symbolic``: sympy, :math:`p=2`, positive symbols: :math:`a_j/\mathrm{hi}_j=\frac{2\eta L}3`,
  :math:`\mathrm{lo}_j/a_j=\frac1{2\eta L}`.
* ``exact``: seeded gradient sets and mini-batches, the ratios in exact rational arithmetic;
  :math:`\eta L` includes points :math:`10^{-9}` inside the ends of :math:`(\frac12,\frac32)`.
* ``property``: Hypothesis over gradient sets, batches and :math:`\eta L\in(\frac12,\frac32)`.

References
----------
[li2019hessian, Section 5.5, Eqs. (36), (39)–(41)].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from verifythm import Comparison

from ._sec5_5 import claim, moments


def _in_interval(inst: dict[str, Any]) -> Comparison:
    _, mu, Md, _, eta, L = moments(inst)
    worst = Fraction(0)
    for m, d in zip(mu, Md, strict=True):
        a = eta * m * m / d
        lo, hi = m * m / (2 * L * d), 3 * m * m / (2 * L * d)
        worst = max(worst, a / hi, lo / a)
    return Comparison(float(worst), 1.0, "<=", "max_j max(a_j/hi_j, lo_j/a_j)", "1")


IN_INTERVAL = claim(
    "li2019.sec5_5.adam_form.in_interval",
    "§5.5: the ADAM-like preconditioner a_j = ημ_j²/M_jj satisfies (36) when ½ < ηL < 3/2",
    r"If $\frac1{2L}<\eta<\frac3{2L}$ then $a_{t,j}=\eta\mu_{t,j}^2/M_{t,j}$ lies in "
    r"$\big(\frac{\mu_{t,j}^2}{2LM_{t,j}},\frac{3\mu_{t,j}^2}{2LM_{t,j}}\big)$ for every $j$.",
    _in_interval,
)

CLAIM = IN_INTERVAL
