r"""Wang & Wu (2023), Theorem 3.5, App. B.3 corrected: α⁴/β⁴ bounds on μ(θ) for any data and θ.

Setting
-------
As in ``wang2023.thm3_5``: :math:`f(x;\theta)=\sum_{k=1}^ma_k\phi(b_k^Tx)`, :math:`a_k\in\{\pm1\}` fixed,
:math:`\alpha\le\phi'\le\beta` (Assumption 3.4; here the α-leaky ReLU, :math:`\beta=1`), realizable targets
:math:`y_i=f(x_i;\theta^*)`, loss alignment :math:`\mu(\theta)` (Def. 3.1), and
:math:`c_i=\frac1n\sum_j(x_i^Tx_j)^2`; for *any* data and θ (deterministic form).

Statement
---------
The proof (App. B.3) bounds :math:`(\nabla f_i^T\nabla f_j)^2` between :math:`(\alpha^2m\,x_i^Tx_j)^2` and
:math:`(\beta^2m\,x_i^Tx_j)^2`; the ratio of the two bounds is :math:`\alpha^4/\beta^4`, not the printed
:math:`\alpha^2/\beta^2` (``wang2023.thm3_5.proof_step_*``, ``thm3_5_b3``).

As proved
---------
* ``wang2023.thm3_5.as_proved_lower``: :math:`\mu(\theta)\ge(\alpha^4/\beta^4)\min_ic_i/\max_ic_i`;
* ``wang2023.thm3_5.as_proved_upper``: :math:`\mu(\theta)\le(\beta^4/\alpha^4)\max_ic_i/\min_ic_i`.

Evidence
--------
* ``exact``: μ from the exact per-sample gradients of :class:`~verifythm.models.TwoLayerNetwork`
  (:func:`~verifythm.quantities.directional.loss_alignment`) on seeded data (Gaussian, orthogonal), widths
  1–4, α ∈ [0.05, 0.99], random and adversarial (slope-splitting) θ, with near-tight instances (α → 1,
  orthonormal inputs) and the counterexamples of the printed steps.
* ``symbolic``: for positive symbols α, β, m, :math:`s=|x_i^Tx_j|`, the ratio of the two bounds on
  :math:`(\nabla f_i^T\nabla f_j)^2` is :math:`(\alpha/\beta)^4`.
* ``property``: Hypothesis over inputs from ``gradient_matrices`` (every rank-one kind), α ∈ [0.05, 0.99],
  widths 1–3 with random θ, or width 1 with a drawn set of samples pushed onto the α-slope (the
  adversarial θ).

References
----------
[wang2023noise, Theorem 3.5, Assumption 3.4; Appendix B.3].
"""

from __future__ import annotations

import numpy as np

from verifythm import Claim, ExactCheck, PropertyCheck, Source, SymbolicCheck

from ._common import KEY
from ._twolayer import (
    HYP,
    INPUTS,
    STEP_LOWER_CE,
    STEP_UPPER_CE,
    TOL,
    bound_conclusion,
    generate,
    instances,
    ratio_obligations,
)

SOURCE = Source(KEY, "Theorem 3.5; App. B.3", page=5)


AS_PROVED_LOWER = Claim(
    id="wang2023.thm3_5.as_proved_lower",
    title="μ(θ) ≥ (α⁴/β⁴)·min c_i/max c_i for any data and θ (corrected B.3)",
    source=SOURCE,
    statement=r"$\mu(\theta)\ge\frac{\alpha^4}{\beta^4}\min_ic_i/\max_ic_i$.",
    hypotheses=HYP,
    inputs=INPUTS,
    conclusion=bound_conclusion(4, "lower"),
    checks=(
        SymbolicCheck("symbolic", ratio_obligations(4)),
        ExactCheck("exact", generate, fixed=[STEP_LOWER_CE, {**STEP_LOWER_CE, "alpha": 0.99}]),
        PropertyCheck("property", instances(), max_examples=40),
    ),
    tolerance=TOL,
)

AS_PROVED_UPPER = Claim(
    id="wang2023.thm3_5.as_proved_upper",
    title="μ(θ) ≤ (β⁴/α⁴)·max c_i/min c_i for any data and θ (corrected B.3)",
    source=SOURCE,
    statement=r"$\mu(\theta)\le\frac{\beta^4}{\alpha^4}\max_ic_i/\min_ic_i$.",
    hypotheses=HYP,
    inputs=INPUTS,
    conclusion=bound_conclusion(4, "upper"),
    checks=(
        SymbolicCheck("symbolic", ratio_obligations(4)),
        PropertyCheck("property", instances(), max_examples=40),
        ExactCheck(
            "exact",
            generate,
            fixed=[
                STEP_UPPER_CE,
                {
                    "X": np.eye(2),
                    "a": np.ones(1),
                    "alpha": 0.99,
                    "theta": np.array([2.0, -1.0]),
                    "theta_star": np.array([1.0, -1.0]),
                },
            ],
        ),
    ),
    tolerance=TOL,
)

CLAIMS = [AS_PROVED_LOWER, AS_PROVED_UPPER]
