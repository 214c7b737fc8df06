r"""Wu, Wang & Su (2022), Theorem 3.5, consequence: the exact escape rate ρ(𝒯_η) is at least γ₀.

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
``wu2022.thm3_5.rate``: if :math:`\|H(\theta^*)\|_F>\sqrt{B/\mu_0}/\eta`, the exact exponential escape rate,
the spectral radius :math:`\rho(\mathcal T_\eta)` of the second-moment operator, is at least
:math:`\gamma_0=\eta^2\mu_0\|H\|_F^2/B>1` (the bound of Theorem 3.5 itself is ``wu2022.thm3_5``, module
``thm3_5``).

Evidence
--------
Tightness: two orthonormal gradients, B = 1: :math:`\mu\equiv1/2`, :math:`H=I/2`, and at η = 2
:math:`\mathbb{E}[L(\theta_{t+1})]=\gamma_0\,\mathbb{E}[L(\theta_t)]` exactly, so
:math:`\rho(\mathcal T_\eta)=\gamma_0` (η just above 2).

* ``exact``, ``property`` and ``symbolic``: the instances and the algebra of ``wu2022.thm3_5`` (module
  ``thm3_5``), with the exact :math:`\rho(\mathcal T_\eta)`.

References
----------
[wu2022alignment, Theorem 3.5 and Eq. (9)].
"""

from __future__ import annotations

from typing import Any

from verifythm import Claim, Comparison, ExactCheck, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.dynamics import spectral_radius

from . import KEY
from ._escape import FIXED, HYPOTHESES, INPUTS, _generate, _strategy, _symbolic, gamma0
from ._linear import noise_model

SOURCE = Source(KEY, "Theorem 3.5")


def rate_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\rho(\mathcal T_\eta)` versus :math:`\gamma_0`."""
    rho = spectral_radius(noise_model(inst), inst["eta"]).value
    return Comparison(rho, gamma0(inst), ">=", "ρ(T_η)", "γ₀ = η²μ₀‖H‖_F²/B")


RATE = Claim(
    id="wu2022.thm3_5.rate",
    title="Too-sharp minima: the exact escape rate ρ(T_η) is at least γ₀",
    source=SOURCE,
    statement=(
        r"Under the hypotheses of Theorem 3.5, the spectral radius of the second-moment "
        r"operator of linearized SGD (the exponential rate of $\mathbb{E}[L(\theta_t)]$) "
        r"satisfies $\rho(\mathcal T_\eta)\ge\gamma_0=\eta^2\mu_0\|H\|_F^2/B>1$."
    ),
    hypotheses=HYPOTHESES,
    conclusion=rate_conclusion,
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
    inputs=INPUTS,
)

CLAIMS = [RATE]
