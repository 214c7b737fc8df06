r"""Wang & Wu (2023), Eq. (3): the noise term of one SGD step, γ(θ) = E[ξᵀHξ] = tr(Σ₀H).

Setting
-------
Linear regression :math:`f(x;\theta)=\theta^Tx` on data :math:`X\in\mathbb R^{n\times d}`,
:math:`y\in\mathbb R^n`, so :math:`\mathcal L(\theta)=\frac1{2n}\|X\theta-y\|^2` is quadratic with
constant Hessian :math:`H=G=\frac1nX^TX`.  One SGD step with batch size one and uniform sampling
with replacement, :math:`\theta'=\theta-\eta(\nabla\mathcal L(\theta)+\xi)`,
:math:`\xi=\nabla\ell_i(\theta)-\nabla\mathcal L(\theta)`, so :math:`\mathbb E\xi=0` and
:math:`\mathbb E\xi\xi^T=\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T` (Eq. (7)).

Statement
---------
Eq. (3): the noise term :math:`\gamma=\mathbb E[\xi^TH\xi]` of the loss update (Eq. (2),
``wang2023.eq2``) is :math:`\gamma(\theta)=\operatorname{tr}(\Sigma_0H)`.

Evidence
--------
* ``symbolic``: both sides for symbolic :math:`X\in\mathbb R^{2\times2}`, :math:`y`, θ
  (expectation by enumerating the two indices).
* ``exact``: the enumerated :math:`\frac1n\sum_i\xi_i^TH\xi_i` against :math:`\operatorname{tr}(\Sigma_0H)`
  on the seeded data of ``wang2023.eq2`` (Gaussian, anisotropic, low rank, global minima), at the scale
  :math:`\operatorname{tr}(\Sigma_1H)` (both sides are it minus :math:`\nabla\mathcal L^TH\nabla\mathcal L`).
* ``property``: Hypothesis over the inputs of ``wang2023.eq2``.

References
----------
[wang2023noise, Section 1, Eqs. (3) and (7)].
"""

from __future__ import annotations

from typing import Any

from verifythm import Source

from ._common import KEY, linreg_parts, trace
from ._eqs2_3 import identity_claim


def _eq3_sides(X: Any, y: Any, theta: Any, eta: Any) -> tuple[Any, Any]:
    P = linreg_parts(X, y, theta)
    n, H, gL = P["n"], P["G"], P["gradL"]
    lhs = 0
    for i in range(n):
        xi = P["grads"][i] - gL
        lhs = lhs + xi @ H @ xi
    return lhs / n, trace(P["S0"] @ H)


def _eq3_scale(X: Any, y: Any, theta: Any) -> float:
    """The scale of Eq. (3)'s comparison, tr(Σ₁H).

    Both sides are this uncentred moment minus ∇LᵀH∇L, so far from a minimum they cancel and
    their rounding error is relative to it.
    """
    P = linreg_parts(X, y, theta)
    return float(trace(P["S1"] @ P["G"]))


CLAIM = identity_claim(
    _eq3_sides,
    "E[ξᵀHξ]",
    "tr(Σ₀H)",
    "E[ξᵀHξ] = tr(Σ₀H)",
    scale=_eq3_scale,
    id="wang2023.eq3",
    title="γ(θ) = E[ξᵀHξ] = tr(Σ(θ)H(θ))",
    source=Source(KEY, "Section 1, Eq. (3)", page=2),
    statement=r"$\gamma(\theta)=\mathbb E[\xi^TH\xi]=\operatorname{tr}(\Sigma H)$ with $\Sigma=\mathbb "
    r"E\xi\xi^T$.",
)
