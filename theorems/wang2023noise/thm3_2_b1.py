r"""Wang & Wu (2023), Theorem 3.2, App. B.1: inf_v g(θ; v) ≤ μ(θ) ≤ sup_v g(θ; v) for any model.

Setting
-------
Square loss at a point θ of any model, with gradients :math:`Q\in\mathbb R^{p\times n}` and residuals
:math:`e` (:math:`\mathcal L>0`, :math:`G\ne0`), :math:`G=\frac1nQQ^T=\sum_k\lambda_ku_ku_k^T`, loss alignment
:math:`\mu(\theta)=\operatorname{Tr}(\Sigma_1G)/(2\mathcal L\|G\|_F^2)` (Def. 3.1) and directional alignment
:math:`g(\theta;v)=v^T\Sigma_1v/(2\mathcal L\,v^TGv)` (Def. 4.1).

Statement
---------
Appendix B.1 derives Theorem 3.2 from Theorem 4.2 through
:math:`\mu=\sum_k\lambda_k^2g(\theta;u_k)/\sum_k\lambda_k^2`, a weighted average of directional alignments:

* ``wang2023.thm3_2.reduction_lower``: :math:`\mu(\theta)\ge\inf_vg(\theta;v)`;
* ``wang2023.thm3_2.reduction_upper``: :math:`\mu(\theta)\le\sup_vg(\theta;v)`.

Both hold at every θ for any model (equality for rank-one :math:`G`); the reduction is sound, the erratum of
Theorem 3.2 (``wang2023.thm3_2``) comes from Theorem 4.2's constant.

Evidence
--------
* ``symbolic`` (App. B.1): in :math:`G`'s eigenbasis, :math:`G=\operatorname{diag}(\lambda)` with positive
  symbols and a symmetric symbolic :math:`\Sigma_1` (3×3),
  :math:`\mu=\sum_k\lambda_k^2g(\theta;u_k)/\sum_k\lambda_k^2`.
* ``exact``: exact extremes over :math:`v`
  (:func:`~verifythm.quantities.directional.directional_alignment_extremes_v`) against μ on seeded gradient
  families and residuals, plus a fixed rank-one instance (equality).
* ``property``: Hypothesis over ``gradients_and_residuals``.

References
----------
[wang2023noise, Appendix B.1; Theorem 3.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.quantities.directional import directional_alignment_extremes_v, loss_alignment
from verifythm.strategies import gradients_and_residuals

from ._common import KEY, gradient_shapes, gradients_nondegenerate, random_gradient_matrices
from ._symbolic import sym_vector


def red_lower(inst: dict[str, Any]) -> Comparison:
    """μ(θ) against the exact inf over v of g(θ; v)."""
    ex = directional_alignment_extremes_v(inst["Q"], inst["e"], include_convention=False)
    return Comparison(loss_alignment(inst["Q"], inst["e"]), ex.inf, ">=", "μ(θ)", "inf_v g(θ; v)")


def red_upper(inst: dict[str, Any]) -> Comparison:
    """μ(θ) against the exact sup over v of g(θ; v)."""
    ex = directional_alignment_extremes_v(inst["Q"], inst["e"], include_convention=False)
    return Comparison(loss_alignment(inst["Q"], inst["e"]), ex.sup, "<=", "μ(θ)", "sup_v g(θ; v)")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [{"Q": Q, "e": rng.standard_normal(n)} for _, n, Q in random_gradient_matrices(rng, k)]


_HYP = (gradient_shapes(), Hypothesis("L(θ) > 0 and G ≠ 0", gradients_nondegenerate))
_FIXED = [{"Q": np.array([[1.0, 2.0, -1.0]]), "e": np.array([1.0, 0.5, 2.0])}]
_TOL = Tolerance(rtol=1e-8, atol=1e-12)
_strategy = gradients_and_residuals().filter(gradients_nondegenerate)


def reduction_obligations() -> list[Identity]:
    """App. B.1: μ = Σ_k λ_k² g(θ; u_k) / Σ_k λ_k², in G's eigenbasis (G = diag λ, Σ₁ symmetric, 3 × 3)."""
    import sympy as sp

    lam = sym_vector("l", 3, positive=True)
    S1 = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"s{min(i, j) + 1}{max(i, j) + 1}", real=True))
    L = sp.Symbol("L", positive=True)
    G = sp.diag(*lam)
    mu = (S1 * G).trace() / (2 * L * (G * G).trace())  # Definition 3.1
    g = [S1[k, k] / (2 * L * lam[k]) for k in range(3)]  # Definition 4.1 along u_k = e_k
    avg = sum(lam[k] ** 2 * g[k] for k in range(3)) / sum(x**2 for x in lam)
    return [Identity(mu, avg, "μ = Σ_k λ_k² g(θ; u_k) / Σ_k λ_k² (weights λ_k² ≥ 0, so inf g ≤ μ ≤ sup g)")]


def _reduction(conclusion: Any, **fields: Any) -> Claim:
    """A side of the App. B.1 reduction of μ to the directional alignment g (same evidence for both)."""
    return Claim(
        **fields,
        source=Source(KEY, "Appendix B.1", page=15),
        hypotheses=_HYP,
        conclusion=conclusion,
        checks=(
            SymbolicCheck("symbolic", reduction_obligations),
            ExactCheck("exact", _generate, fixed=_FIXED),
            PropertyCheck("property", _strategy),
        ),
        tolerance=_TOL,
    )


RED_LOWER = _reduction(
    red_lower,
    id="wang2023.thm3_2.reduction_lower",
    title="μ(θ) ≥ inf_v g(θ; v) (μ is a λ_k²-weighted average of g(θ; u_k); App. B.1)",
    statement=r"$\mu(\theta)=\sum_k\lambda_k^2g(\theta;u_k)/\sum_k\lambda_k^2\ge\inf_vg(\theta;v)$.",
)

RED_UPPER = _reduction(
    red_upper,
    id="wang2023.thm3_2.reduction_upper",
    title="μ(θ) ≤ sup_v g(θ; v) (App. B.1)",
    statement=r"$\mu(\theta)\le\sup_vg(\theta;v)$.",
)

CLAIMS = [RED_LOWER, RED_UPPER]
