r"""Li et al. (2019), Theorem 2 (proof, App. F) corrected: ‖Σ_t‖_F ≤ √rank(Σ_t)·‖Σ_t‖₂.

Setting
-------
Sample gradients :math:`g_1,\dots,g_n\in\mathbb R^p` at :math:`\theta_t` with centred covariance
:math:`\Sigma_t` (Eq. (5)), mini-batch size :math:`m`.

Statement
---------
The proof of Theorem 2 bounds :math:`\|\Sigma_t\|_F\le m\|\Sigma_t\|_2` to reach :math:`K_2` of
Eq. (33), which is false (:mod:`.thm2`).  Encoded: ``li2019.thm2.proof_step.corrected`` —
:math:`\|\Sigma_t\|_F\le\sqrt{\operatorname{rank}\Sigma_t}\,\|\Sigma_t\|_2` (holds; equality when
the non-zero eigenvalues are equal), which turns the term :math:`\frac{(m+1)\eta^2L\sigma}{2m}` of
:math:`K_2` into :math:`\frac{(\sqrt r+1)\eta^2L\sigma}{2m}`, :math:`r=\operatorname{rank}\Sigma_t`.

Evidence
--------
* ``symbolic``: for a symbolic symmetric :math:`2\times2` :math:`\Sigma`,
  :math:`\|\Sigma\|_F^2=(\operatorname{Tr}\Sigma)^2-2\det\Sigma=\lambda_1^2+\lambda_2^2`; for
  eigenvalues :math:`\lambda_1\ge\lambda_2\ge\lambda_3\ge0` (rank 3, gaps as positive symbols),
  :math:`3\lambda_1^2-\sum_i\lambda_i^2\ge0`; and :math:`\Sigma_t` of :math:`n=2` symbolic gradients in
  :math:`\mathbb R^2` is singular (:math:`\operatorname{rank}\Sigma_t\le n-1`).
* ``exact``: seeded gradient sets (Gaussian; "isotropic" sets :math:`\pm e_j` for which all
  eigenvalues of :math:`\Sigma_t` are equal; rank-one sets), :math:`m` from 1 to :math:`n`.
* ``property``: Hypothesis over gradient sets.

References
----------
[li2019hessian, Theorem 2, Eq. (33); proof in Appendix F].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Comparison, Identity, Nonnegative, SymbolicCheck

from ._thm2 import proof_step, sigma


def _corrected(inst: dict[str, Any]) -> Comparison:
    S = sigma(inst)
    lam = np.linalg.eigvalsh(S)
    rank = int(np.sum(lam > 1e-10 * max(lam[-1], 1e-300)))
    return Comparison(
        float(np.linalg.norm(S)), np.sqrt(rank) * float(lam[-1]), "<=", "‖Σ_t‖_F", "√rank(Σ_t)·‖Σ_t‖₂"
    )


def _symbolic_corrected() -> list[Any]:
    """‖Σ‖_F² = Σλ_i² ≤ rank·λ_max², and rank Σ_t ≤ n − 1 (symbolic entries)."""
    import sympy as sp

    s11, s12, s22 = sp.symbols("s11 s12 s22", real=True)
    S = sp.Matrix([[s11, s12], [s12, s22]])
    l3, c1, c2 = sp.symbols("l3 c1 c2", positive=True)
    lam = (l3 + c1 + c2, l3 + c2, l3)  # λ₁ ≥ λ₂ ≥ λ₃ > 0: rank 3
    G = sp.Matrix(2, 2, sp.symbols("g11 g12 g21 g22", real=True))
    mu = (G[0, :] + G[1, :]) / 2
    Sig = sum(((G[i, :] - mu).T * (G[i, :] - mu) for i in range(2)), sp.zeros(2)) / 2
    return [
        Identity(
            sum(x**2 for x in S), S.trace() ** 2 - 2 * S.det(), "‖Σ‖_F² = (Tr Σ)² − 2 det Σ = λ₁² + λ₂²"
        ),
        Nonnegative(sp.expand(3 * lam[0] ** 2 - sum(x**2 for x in lam)), "Σλ_i² ≤ rank·λ₁² (rank 3)"),
        Identity(sp.expand(Sig.det()), 0, "rank Σ_t ≤ n − 1 (n = 2 gradients in ℝ²)"),
    ]


CORRECTED = proof_step(
    _corrected,
    SymbolicCheck("symbolic", _symbolic_corrected),
    id="li2019.thm2.proof_step.corrected",
    aliases=("li2019.theorem2.proof_step.corrected",),
    title="‖Σ_t‖_F ≤ √rank(Σ_t)·‖Σ_t‖₂",
    statement=r"$\|\Sigma_t\|_F\le\sqrt{\operatorname{rank}\Sigma_t}\,\|\Sigma_t\|_2$.",
)

CLAIM = CORRECTED
