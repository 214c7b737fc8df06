r"""Wang & Wu (2023), Theorem 3.5, App. B.3: the ratio step of the proof, as printed and corrected.

Setting
-------
As in ``wang2023.thm3_5``: :math:`f(x;\theta)=\sum_{k=1}^ma_k\phi(b_k^Tx)`, :math:`a_k\in\{\pm1\}` fixed,
:math:`\alpha\le\phi'\le\beta` (Assumption 3.4; here the α-leaky ReLU, :math:`\beta=1`), realizable targets
:math:`y_i=f(x_i;\theta^*)`, loss alignment :math:`\mu(\theta)` (Def. 3.1), and
:math:`c_i=\frac1n\sum_j(x_i^Tx_j)^2`; here for *any* data and θ (deterministic form).

Statement
---------
The proof (App. B.3) bounds :math:`(\nabla f_i^T\nabla f_j)^2` between :math:`(\alpha^2m\,x_i^Tx_j)^2` and
:math:`(\beta^2m\,x_i^Tx_j)^2` and concludes, as printed:

* ``wang2023.thm3_5.proof_step_lower``: :math:`\mu(\theta)\ge(\alpha^2/\beta^2)\min_ic_i/\max_ic_i`;
* ``wang2023.thm3_5.proof_step_upper``: :math:`\mu\le(\beta^2/\alpha^2)\max_ic_i/\min_ic_i`.

As proved
---------
The ratio of the two bounds is :math:`\alpha^4/\beta^4`, so the proof supports the same bounds with
:math:`\alpha^4/\beta^4` (``wang2023.thm3_5.as_proved_lower``/``_upper``, ``thm3_5_as_proved``).

Finding
-------
**Proof-gap** (both printed steps, expected to fail; same root as the erratum ``wang2023.thm3_5``): the
proof writes the ratio of :math:`(\alpha^2m\,x_i^Tx_j)^2` to :math:`(\beta^2m\,x_i^Tx_j)^2` as
:math:`\alpha^2/\beta^2`.  The lower step fails at :math:`x_1=e_1,x_2=e_2`, :math:`m=1`, α = 0.1,
:math:`b=(-1,1)`, :math:`b^*=(-2,1)`: :math:`\mu\approx2.0\cdot10^{-4}<10^{-2}`; the upper step at
:math:`X=I_{300}`, :math:`m=1`, α = 0.1, teacher pre-activations :math:`(1,-1,\dots,-1)`, student
:math:`(2,-1,\dots,-1)`: :math:`\mu\approx291>100`.

Evidence
--------
* ``exact``: μ from the exact per-sample gradients of :class:`~verifythm.models.TwoLayerNetwork`
  (:func:`~verifythm.quantities.directional.loss_alignment`) at the counterexamples above and, for the lower
  step, on seeded data (Gaussian, orthogonal), widths 1–4, α ∈ [0.05, 0.99], random and adversarial
  (slope-splitting) θ.
* ``symbolic`` (the ratio step): for positive symbols α, β, m, :math:`s=|x_i^Tx_j|`, the printed ratio
  :math:`\alpha^2/\beta^2` of the two bounds on :math:`(\nabla f_i^T\nabla f_j)^2` is refuted by exact
  rational evaluation (it is :math:`(\alpha/\beta)^4`), as expected.

References
----------
[wang2023noise, Theorem 3.5, Assumption 3.4; Appendix B.3].
"""

from __future__ import annotations

from verifythm import Claim, ExactCheck, Expected, Source, SymbolicCheck

from ._common import KEY
from ._twolayer import (
    HYP,
    INPUTS,
    STEP_LOWER_CE,
    STEP_UPPER_CE,
    TOL,
    bound_conclusion,
    generate,
    ratio_obligations,
)

SOURCE = Source(KEY, "Theorem 3.5; App. B.3", page=5)


STEP_LOWER = Claim(
    id="wang2023.thm3_5.proof_step_lower",
    title="μ(θ) ≥ (α²/β²)·min c_i/max c_i (App. B.3, as printed)",
    source=SOURCE,
    statement=r"$\mu(\theta)\ge\frac{\alpha^2}{\beta^2}\min_ic_i/\max_ic_i$, "
    r"$c_i=\frac1n\sum_j(x_i^Tx_j)^2$.",
    hypotheses=HYP,
    inputs=INPUTS,
    conclusion=bound_conclusion(2, "lower"),
    checks=(
        SymbolicCheck("symbolic", ratio_obligations(2)),
        ExactCheck("exact", generate, fixed=[STEP_LOWER_CE]),
    ),
    tolerance=TOL,
    expected=Expected.fails(
        "same root as `wang2023.thm3_5`: App. B.3 takes the ratio of (α²m xᵢᵀxⱼ)² to (β²m xᵢᵀxⱼ)² as α²/β²; "
        "it is α⁴/β⁴: x₁ = e₁, x₂ = e₂, m = 1, α = 0.1, b = (−1, 1), b* = (−2, 1): μ ≈ 2.0e-4 < α² = 1e-2",
        "docs/errata/wang2023.thm3_5.proof_step_lower__exact.md",
        finding="proof-gap",
    ),
)

STEP_UPPER = Claim(
    id="wang2023.thm3_5.proof_step_upper",
    title="μ(θ) ≤ (β²/α²)·max c_i/min c_i (App. B.3, as printed)",
    source=SOURCE,
    statement=r"$\mu(\theta)\le\frac{\beta^2}{\alpha^2}\max_ic_i/\min_ic_i$.",
    hypotheses=HYP,
    inputs=INPUTS,
    conclusion=bound_conclusion(2, "upper"),
    checks=(SymbolicCheck("symbolic", ratio_obligations(2)), ExactCheck("exact", fixed=[STEP_UPPER_CE])),
    tolerance=TOL,
    expected=Expected.fails(
        "same root as `wang2023.thm3_5`: the upper step of App. B.3 needs β⁴/α⁴, not β²/α²: X = I₃₀₀, m = 1, "
        "α = 0.1, teacher pre-activations (1, −1, …), student (2, −1, …): μ ≈ 291 > β²/α² = 100",
        "docs/errata/wang2023.thm3_5.proof_step_upper__exact.md",
        finding="proof-gap",
    ),
)

CLAIMS = [STEP_LOWER, STEP_UPPER]
