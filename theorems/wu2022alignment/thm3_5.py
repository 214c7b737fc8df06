r"""Wu, Wang & Su (2022), Theorem 3.5: SGD escapes too-sharp minima exponentially fast.

Setting
-------
As in Theorem 3.3 (``wu2022.thm3_3``): linearized model at a global minimum, :math:`H=G`,
linearized SGD with B indices drawn with replacement (:math:`\mathbb{E}[\xi\xi^T]=\Sigma/B`),
:math:`\mu_0=\inf_\theta\mu(\theta)>0` (exact), a deterministic start :math:`\theta_0` with
:math:`L(\theta_0)>0`.  :math:`\mathbb{E}[L(\theta_t)]` is computed exactly by the moment
engine (:func:`verifythm.dynamics.moment_trajectory`; :math:`\mathbb{E}[L]=\frac12
\operatorname{tr}(HW_t)`).

Statement
---------
If :math:`\|H(\theta^*)\|_F>\sqrt{B/\mu_0}/\eta`, then for every :math:`t\ge0`,
:math:`\mathbb{E}[L(\theta_t)]\ge\gamma_0^t\,\mathbb{E}[L(\theta_0)]` with
:math:`\gamma_0=\eta^2\mu_0\|H\|_F^2/B>1`.  Encoded as
:math:`\min_{1\le t\le T}\mathbb{E}[L(\theta_t)]/(\gamma_0^tL(\theta_0))\ge1` with
:math:`T=25` (t = 0 is an identity).  The consequence for the exact escape rate is
``wu2022.thm3_5.rate`` (module ``thm3_5_rate``).

Evidence
--------
Tightness:
Two orthonormal gradients, B = 1: :math:`\mu\equiv1/2`, :math:`H=I/2`, and at η = 2 the
full-batch factor :math:`r(\theta)=(1-\eta/2)^2` vanishes, so
:math:`\mathbb{E}[L(\theta_{t+1})]=\gamma_0\,\mathbb{E}[L(\theta_t)]` exactly and
:math:`\rho(\mathcal T_\eta)=\gamma_0`: both claims are attained (η just above 2).

* ``exact``: seeded gradient families, n = 2..6, B = 1..n, η from just above
  :math:`\sqrt{B/\mu_0}/\|H\|_F` to 3 times it, random :math:`\theta_0`; exact
  :math:`\mathbb{E}[L(\theta_t)]` for t ≤ 25 and exact :math:`\rho(\mathcal T_\eta)`.
* ``property``: Hypothesis over gradient families, B, the margin above the threshold
  and :math:`\theta_0`.
* ``symbolic`` (proof of Theorem 3.5 "from (9)"): the chain (7) → (9) by enumeration of
  with-replacement batches for symbolic :math:`g_1,g_2\in\mathbb{R}^2`, θ, η, B = 2 (as in
  ``wu2022.thm3_3``), which gives :math:`\mathbb{E}[L(\theta_{t+1})\mid\theta_t]\ge\gamma_0L(\theta_t)`;
  :math:`\gamma_0-1=\frac{\mu_0\eta^2}{B}(\|H\|_F-b)(\|H\|_F+b)`, :math:`b=\sqrt{B/\mu_0}/\eta`, so
  the hypothesis :math:`\|H\|_F>b` is exactly :math:`\gamma_0>1`; and the tightness case (two
  orthonormal gradients, B = 1): :math:`\mathbb{E}[L(\theta^+)]=((1-\eta/2)^2+\eta^2/4)L(\theta)` for
  every η, which is :math:`\gamma_0L(\theta)` at η = 2.

References
----------
[wu2022alignment, Theorem 3.5 and Eq. (9)].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.dynamics import moment_operator, moment_trajectory

from . import KEY
from ._escape import FIXED, HYPOTHESES, INPUTS, START, _generate, _strategy, _symbolic, gamma0

SOURCE = Source(KEY, "Theorem 3.5")
STEPS = 25


def escape_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\min_{1\le t\le T}\mathbb{E}[L(\theta_t)]/(\gamma_0^tL(\theta_0))` versus 1."""
    Q = inst["Q"]
    op = moment_operator(gradients=Q.T, eta=inst["eta"], batch_size=inst["B"])
    traj = moment_trajectory(op, STEPS, z0=Q.T @ inst["theta0"])
    loss = np.asarray(traj.expected_loss)
    logs = np.log(loss[1:]) - np.arange(1, STEPS + 1) * math.log(gamma0(inst)) - math.log(loss[0])
    worst = float(np.min(logs))
    return Comparison(
        math.exp(min(worst, 700.0)), 1.0, ">=", "min_t E[L(θ_t)]/(γ₀ᵗ E[L(θ₀)])", "1", scale=1.0
    )


ESCAPE = Claim(
    id="wu2022.thm3_5",
    title="Too-sharp minima: E[L(θ_t)] ≥ γ₀ᵗ E[L(θ₀)] with γ₀ = η²μ₀‖H‖_F²/B > 1",
    source=SOURCE,
    statement=(
        r"Under the setting of Theorem 3.3 (with-replacement batches, $\mu(\theta)\ge\mu_0>0$), if "
        r"$\|H(\theta^*)\|_F>\sqrt{B/\mu_0}/\eta$ then linearized SGD satisfies "
        r"$\mathbb{E}[L(\theta_t)]\ge\gamma_0^t\,\mathbb{E}[L(\theta_0)]$ for all $t\ge0$, "
        r"$\gamma_0=\eta^2\mu_0\|H(\theta^*)\|_F^2/B>1$."
    ),
    hypotheses=(*HYPOTHESES, START),
    conclusion=escape_conclusion,
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-7, atol=1e-9),
    inputs=INPUTS,
)

CLAIMS = [ESCAPE]
