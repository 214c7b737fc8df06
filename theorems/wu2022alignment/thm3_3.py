r"""Wu, Wang & Su (2022), Theorem 3.3: linear stability bounds the Hessian's Frobenius norm.

Setting
-------
Linearized model (5) at a global minimum :math:`\theta^*=0` of the square loss, model
gradients :math:`g_i` (columns of :math:`Q\in\mathbb{R}^{p\times n}`),
:math:`H=G=\frac1n\sum_ig_ig_i^T`, linearized mini-batch SGD (4) with learning rate η and
batch size B.  The theorem uses SGD noise with :math:`\mathbb{E}[\xi_t\xi_t^T\mid\theta_t]
=\Sigma(\theta_t)/B` (Eq. (1)), which is exactly the noise of B indices drawn **with
replacement**; that is the scheme encoded.  Linear stability (Definition 3.1:
:math:`\mathbb{E}[L(\theta_t)]\le C\,\mathbb{E}[L(\theta_0)]` for all t) is decided exactly
by the moment engine, :math:`\rho(\mathcal T_\eta)\le1` on :math:`\operatorname{range}H`.
The alignment constant is the best one, :math:`\mu_0=\inf_\theta\mu(\theta)`, computed
exactly (:func:`verifythm.quantities.alignment_extremes`); :math:`\mu_0>0` is needed for
the bound to be finite.

Statement
---------
If :math:`\theta^*` is linearly stable and :math:`\mu(\theta)\ge\mu_0>0` for all θ, then
:math:`\|H(\theta^*)\|_F\le\sqrt{B/\mu_0}/\eta`.

Evidence
--------
Tightness:
The bound is attained: two orthonormal gradients (n = 2, B = 1) have :math:`\mu\equiv1/2`,
:math:`H=I/2` and :math:`\eta^*=2`, so :math:`\eta^*\|H\|_F=\sqrt2=\sqrt{B/\mu_0}`; the
exact check reports ratio 1 there (and ratios above 0.99 on random anisotropic and
widely scaled families at :math:`\eta=\eta^*`).  For n orthonormal gradients and B = 1 the
ratio is :math:`2\sqrt{n-1}/n`.

* ``exact``: seeded gradient families (all of :data:`verifythm.strategies.FAMILIES`),
  n = 2..6, B = 1..n, η from :math:`0.05\eta^*` up to :math:`(1-10^{-9})\eta^*` (the
  worst case, since :math:`\eta\|H\|_F` grows with η), plus the attaining instance;
  stability and :math:`\mu_0` exact.
* ``property``: Hypothesis over gradient families, B and :math:`\eta/\eta^*`, steered to
  small slack.
* ``symbolic`` (proof of Theorem 3.3, Eqs. (7) to (9)): for symbolic gradients
  :math:`g_1,g_2\in\mathbb{R}^2`, θ, η and B = 1, 2, the expected next loss by enumerating all
  with-replacement batches equals :math:`L((I-\eta H)\theta)+\frac{\eta^2}{2B}\operatorname{Tr}(H\Sigma)`
  (so :math:`\mathbb{E}[\xi\xi^T]=\Sigma/B` is derived, not assumed); the full-batch part is a sum of
  squares (Eq. (8)); the noise part is :math:`\eta^2\|H\|_F^2\mu(\theta)L(\theta)/B` (Eq. (9)); and
  :math:`\gamma_0-1=\frac{\mu_0\eta^2}{B}(\|H\|_F-b)(\|H\|_F+b)` with :math:`b=\sqrt{B/\mu_0}/\eta`,
  so the bound is exactly where :math:`\gamma_0=1`.  The without-replacement sibling has no symbolic
  check: the enumeration above is what fails there (``wu2022.eq1.noise_covariance.without_replacement``).

The without-replacement reading, an expected failure (**scope**), is ``wu2022.thm3_3.without_replacement``
(module ``thm3_3_without_replacement``).

References
----------
[wu2022alignment, Eq. (1), Definition 3.1, Theorem 3.3 and Eq. (9)].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.claims.inputs import INT, REAL, array

from . import KEY, _sym3
from ._linear import MU0_POSITIVE, NONZERO, POSITIVE_ETA, STABLE, at_critical, facts, generate, strategy

SOURCE = Source(KEY, "Theorem 3.3")
TOL = Tolerance(rtol=1e-7, atol=1e-12)
INPUTS = {"Q": array(2), "B": INT, "eta": REAL}


def bound(inst: dict[str, Any]) -> float:
    r""":math:`\sqrt{B/\mu_0}/\eta` with :math:`\mu_0=\inf_\theta\mu(\theta)`."""
    return math.sqrt(inst["B"] / facts(inst)["mu0"]) / inst["eta"]


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|H\|_F` versus :math:`\sqrt{B/\mu_0}/\eta`."""
    return Comparison(facts(inst)["fro"], bound(inst), "<=", "‖H(θ*)‖_F", "√(B/μ₀)/η")


def _symbolic() -> list[Any]:
    """Proof of Theorem 3.3, Eqs. (7) to (9), and the threshold γ₀ = μ₀η²‖H‖_F²/B ≤ 1 ⇔ the bound."""
    import sympy as sp

    obs = [*_sym3.eq7_to_9(1), *_sym3.eq7_to_9(2)]
    F, mu0, eta, B = sp.symbols("F mu0 eta B", positive=True)
    obs.append(
        _sym3.threshold(mu0 * eta**2 / B, F, sp.sqrt(B / mu0) / eta, "Eq. (9): γ₀ ≤ 1 ⇔ ‖H‖_F ≤ √(B/μ₀)/η")
    )
    return obs


#: Two orthonormal gradients, B = 1, η just below η* = 2: the bound is attained.
TIGHT = at_critical(np.eye(2), 1)
FIXED = [TIGHT, at_critical(np.eye(3), 1), at_critical(np.eye(2), 2), at_critical(np.diag([1.0, 3.0]), 1)]

CLAIM_LITERAL = Claim(
    id="wu2022.thm3_3",
    title="Linearly stable minima of SGD satisfy ‖H‖_F ≤ √(B/μ₀)/η (with-replacement batches)",
    source=SOURCE,
    statement=(
        r"For the linearized model at a global minimum $\theta^*$, linearized SGD with "
        r"$\mathbb{E}[\xi\xi^T]=\Sigma/B$ (B indices with replacement): if $\theta^*$ is "
        r"linearly stable and $\mu(\theta)\ge\mu_0>0$ for all θ, then "
        r"$\|H(\theta^*)\|_F\le\sqrt{B/\mu_0}/\eta$."
    ),
    hypotheses=(NONZERO, POSITIVE_ETA, MU0_POSITIVE, STABLE),
    conclusion=conclusion,
    checks=(
        ExactCheck("exact", generate, fixed=FIXED),
        PropertyCheck("property", strategy(0.05, 1.0 - 1e-9)),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=TOL,
    inputs=INPUTS,
)

CLAIMS = [CLAIM_LITERAL]
