r"""Li et al. (2019), §5.5, Eqs. (40)–(41): the preconditioned SGD (36) written in an ADAM-like form.

Setting
-------
Sample gradients :math:`g_{i}` at :math:`\theta_t` with mean :math:`\mu_t` and second-moment
diagonal :math:`M_{t,j}=M_t[j,j]>0`; a stochastic (mini-batch) gradient :math:`g_t`; the
diagonal preconditioner (36), :math:`\frac{\mu_{t,j}^2}{2LM_{t,j}}<a_{t,j}<\frac{3\mu_{t,j}^2}{2LM_{t,j}}`,
and the "idealised ADAM" step (40), :math:`u_{t,j}=\eta\,\mu_{t,j}/\sqrt{M_{t,j}}`.

Statement
---------
§5.5 rewrites the preconditioned update :math:`\theta_{t+1,j}=\theta_{t,j}-a_{t,j}g_{t,j}` as (41),
:math:`\theta_{t+1,j}=\theta_{t,j}-\eta\big(\mu_{t,j}/\sqrt{M_{t,j}}\big)^2g_{t,j}`, "the square of
ADAM update times the stochastic gradient".  Encoded: ``li2019.sec5_5.adam_form`` — with
:math:`a_{t,j}=\eta\mu_{t,j}^2/M_{t,j}`, :math:`\theta_t-A_tg_t` equals (41), and equals
:math:`\theta_{t,j}-\frac{u_{t,j}^2}{\eta}g_{t,j}`.  The last form records a remark: the literal
square of the ADAM update (40) is :math:`u_{t,j}^2=\eta^2\mu_{t,j}^2/M_{t,j}`, so (41) is the square
of the ADAM *direction* :math:`\mu_{t,j}/\sqrt{M_{t,j}}` (equivalently :math:`u_{t,j}^2/\eta`), not of
the update.  When this :math:`a_{t,j}` satisfies (36) is :mod:`.sec5_5_in_interval`.

Evidence
--------
* ``symbolic``: sympy, :math:`p=2`, positive symbols: the three forms of the update are identical.
* ``exact``: seeded gradient sets and mini-batches; the updates are compared in exact
  rational arithmetic (``fractions.Fraction`` copies of the float inputs; :math:`\sqrt{M_{t,j}}`
  enters (41) only squared, :math:`(\mu_{t,j}/\sqrt{M_{t,j}})^2=\mu_{t,j}^2/M_{t,j}`, so no rounding
  occurs and the difference is exactly 0).
* ``property``: Hypothesis over gradient sets, batches and :math:`\eta L\in(\frac12,\frac32)`.

References
----------
[li2019hessian, Section 5.5, Eqs. (36), (39)–(41)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Comparison

from ._sec5_5 import claim, moments


def _adam_form(inst: dict[str, Any]) -> Comparison:
    th, mu, Md, g, eta, _ = moments(inst)
    a = np.array([eta * m * m / d for m, d in zip(mu, Md, strict=True)], dtype=object)
    precond = th - a * g
    # (41): η (μ_j / √M_j)² g_j, with √M_j kept symbolic: (μ/√M)² = μ² / (√M)² = μ²/M exactly.
    direction_sq = np.array([(m * m) / d for m, d in zip(mu, Md, strict=True)], dtype=object)
    eq41 = th - eta * direction_sq * g
    u_sq = np.array([eta * eta * m * m / d for m, d in zip(mu, Md, strict=True)], dtype=object)
    adam = th - u_sq / eta * g
    diff = float(sum(abs(x) for x in np.concatenate([precond - eq41, precond - adam])))
    scale = float(max(sum(abs(x) for x in precond), sum(abs(x) for x in eq41), 1e-300))
    return Comparison(diff, 0.0, "==", "|θ − A g − (41)| + |θ − A g − (θ − u²/η·g)|", "0", scale=scale)


ADAM_FORM = claim(
    "li2019.sec5_5.adam_form",
    "§5.5: preconditioned SGD with a_j = ημ_j²/M_jj is the ADAM-like update (41)",
    r"With $a_{t,j}=\eta\mu_{t,j}^2/M_{t,j}$: $\theta_{t,j}-a_{t,j}g_{t,j}="
    r"\theta_{t,j}-\eta(\mu_{t,j}/\sqrt{M_{t,j}})^2g_{t,j}=\theta_{t,j}-\frac{u_{t,j}^2}{\eta}g_{t,j}$, "
    r"$u_{t,j}=\eta\mu_{t,j}/\sqrt{M_{t,j}}$ the step (40).",
    _adam_form,
)

CLAIM = ADAM_FORM
