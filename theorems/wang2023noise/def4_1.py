r"""Wang & Wu (2023), Definition 4.1 and §4: the SGD noise energy along a direction.

Setting
-------
Square loss at θ with model gradients :math:`Q\in\mathbb R^{p\times n}`, residuals :math:`e`,
:math:`\mathcal L>0`, :math:`G=\frac1nQQ^T=\sum_k\lambda_ku_ku_k^T` (:math:`\lambda_k>0`),
:math:`\Sigma_1=\frac1n\sum_ie_i^2g_ig_i^T`, :math:`\nabla\mathcal L=\frac1n\sum_ie_ig_i`, and the
batch-one SGD noise ξ with covariance :math:`\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T`.
Directional alignment (Def. 4.1): :math:`g(\theta;v)=v^T\Sigma_1v/(2\mathcal L\,v^TGv)`.

Statement
---------
(§4, after Def. 4.1) :math:`\mathbb E[(\xi^Tv)^2]=v^T\Sigma_1v-(v^T\nabla\mathcal L)^2
=2g(\theta;v)\mathcal L\,v^TGv-(v^T\nabla\mathcal L)^2` (``wang2023.def4_1.noise_energy``).  The reading of
Figure 2 along eigen-directions, :math:`g(\theta;u_k)=\alpha_k/\lambda_k`, is ``def4_1_alpha_ratio``.

Evidence
--------
* ``exact``: both sides from :math:`p\times p` matrices on seeded gradient families, and the smallest
  instance :math:`p=n=1`.
* ``symbolic``: for symbolic :math:`Q\in\mathbb R^{2\times3}`, :math:`e`, :math:`v` and the batch-one noise
  :math:`\xi=e_ig_i-\nabla\mathcal L` with the index enumerated, :math:`\mathbb E\xi=0` and
  :math:`\mathbb E[(\xi^Tv)^2]=v^T\Sigma_1v-(v^T\nabla\mathcal L)^2`.
* ``property``: Hypothesis over gradient families and residuals.

References
----------
[wang2023noise, Definition 4.1, Section 4 and Figure 2; Eq. (7)].
"""

from __future__ import annotations

from typing import Any

from verifythm import Comparison, Identity

from ._def4_1 import identity_claim, parts, symbolic_parts
from ._symbolic import mean


def _noise_energy(inst: dict[str, Any]) -> Comparison:
    P = parts(inst)
    v = inst["v"]
    lhs = float(v @ P["S0"] @ v)
    vGv = float(v @ P["G"] @ v)
    g = float(v @ P["S1"] @ v) / (2 * P["L"] * vGv) if vGv > 0 else 1.0
    rhs = 2 * g * P["L"] * vGv - float(v @ P["gL"]) ** 2
    return Comparison(
        lhs, rhs, "==", "E[(ξᵀv)²] = vᵀΣ₀v", "2gL·vᵀGv − (vᵀ∇L)²", scale=float(v @ P["S1"] @ v) + 1e-300
    )


def noise_energy_obligations() -> list[Identity]:
    """§4 after Def. 4.1: E[(ξᵀv)²] = vᵀΣ₁v − (vᵀ∇L)² by enumerating the sampled index."""
    P = symbolic_parts()
    v = P["v"]
    lhs = mean([(x.T * v)[0, 0] ** 2 for x in P["xi"]])
    return [
        Identity(mean(P["xi"]), P["xi"][0] * 0, "E[ξ] = 0"),
        Identity(lhs, (v.T * P["S1"] * v)[0, 0] - (v.T * P["gL"])[0, 0] ** 2, "E[(ξᵀv)²] = vᵀΣ₁v − (vᵀ∇L)²"),
    ]


NOISE_ENERGY = identity_claim(
    _noise_energy,
    noise_energy_obligations,
    id="wang2023.def4_1.noise_energy",
    title="E[(ξᵀv)²] = vᵀΣ₁v − (vᵀ∇L)² = 2g(θ;v)L·vᵀGv − (vᵀ∇L)²",
    statement=r"$\mathbb E[(\xi^Tv)^2]=v^T\Sigma_1v-(v^T\nabla\mathcal L)^2=2g(\theta;v)\mathcal L "
    r"v^TGv-(v^T\nabla\mathcal L)^2$.",
)

CLAIM = NOISE_ENERGY
