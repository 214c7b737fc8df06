r"""Wu, Wang & Su (2022), Lemma F.12: variational formula for the top eigenvalue of a kernel operator.

Setting
-------
A PSD kernel :math:`k(x,y)=\langle\phi_x,\phi_y\rangle_{\mathcal H}` with feature map φ, a law ρ, and
the integral operator :math:`\mathcal Ku=\mathbb E_{x'\sim\rho}[k(\cdot,x')u(x')]` on :math:`L_2(\rho)`.
Instances: ρ supported on N points :math:`x_j` with weights :math:`p_j` (some may be 0) and a
finite-dimensional feature map, given by its feature matrix :math:`\Phi` (rows :math:`\phi_{x_j}`).
On :math:`L_2(\rho)` the operator acts as the matrix :math:`KP` (:math:`K=\Phi\Phi^T`,
:math:`P=\mathrm{diag}(p)`), whose eigenvalues are those of :math:`P^{1/2}KP^{1/2}`.

Statement
---------
:math:`\lambda_1(\mathcal K)=\sup_{\|h\|_{\mathcal H}=1}\mathbb E_x\langle h,\phi_x\rangle_{\mathcal H}^2`
(Eq. (16)); on an instance the right side is :math:`\lambda_{\max}(\Phi^TP\Phi)`.  The two sides are
computed independently: the left from the kernel matrix only (eigenvalues of the non-symmetric
:math:`KP`), the right from the features only.

Evidence
--------
* ``exact``: seeded instances (Gaussian features, features of rank 1, more features than points
  and vice versa, weights with zeros, uniform weights); rtol 1e-9.
* ``property``: Hypothesis over feature matrices with uniform weights.
* ``symbolic`` (proof of Lemma F.12 on finitely supported ρ): the operator acts as :math:`KP` and the
  right side is the top eigenvalue of :math:`\Phi^TP\Phi`; sympy proves that the characteristic
  polynomials agree, :math:`\det(tI_N-\Phi\Phi^TP)=t^{N-D}\det(tI_D-\Phi^TP\Phi)`, for symbolic
  Φ (N × D = 2 × 2 and 3 × 2) and weights, so the two sides share every nonzero eigenvalue.

References
----------
[wu2022alignment, Appendix F.2, Lemma F.12, Eq. (16)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Identity

from . import KEY
from ._appf import point_sets


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\lambda_1(\mathcal K)` (of :math:`KP`) vs :math:`\sup_h\mathbb E\langle h,\phi_x\rangle^2`."""
    Phi, p = inst["Phi"], inst["p"]
    K = Phi @ Phi.T
    lam1 = float(np.max(np.linalg.eigvals(K * p[None, :]).real))
    sup = float(np.linalg.eigvalsh((Phi.T * p[None, :]) @ Phi)[-1])
    return Comparison(lam1, sup, "==", "λ₁(𝒦)", "sup_{‖h‖=1} E⟨h, φ_x⟩²")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        N, D = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        Phi = rng.standard_normal((N, D)) * rng.exponential(1.0, D)
        if i % 4 == 1:
            Phi = np.outer(rng.standard_normal(N), rng.standard_normal(D))
        p = rng.dirichlet(np.ones(N))
        if i % 4 == 2 and N > 1:
            p[rng.integers(0, N)] = 0.0
            p = p / p.sum()
        if i % 4 == 3:
            p = np.full(N, 1.0 / N)
        out.append({"Phi": Phi, "p": p})
    return out


FIXED = [
    {"Phi": np.eye(3), "p": np.array([0.5, 0.3, 0.2])},  # λ₁ = 0.5
    {"Phi": np.array([[1.0, 2.0]]), "p": np.array([1.0])},  # one point: λ₁ = ‖φ‖² = 5
    {"Phi": np.array([[1.0], [-1.0], [2.0]]), "p": np.array([0.25, 0.25, 0.5])},
]


def _valid(inst: dict[str, Any]) -> bool:
    Phi, p = inst["Phi"], inst["p"]
    return Phi.ndim == 2 and p.shape == (Phi.shape[0],) and bool(np.all(p >= 0)) and abs(p.sum() - 1) < 1e-9


def _symbolic() -> list[Any]:
    """det(tI − ΦΦᵀP) = t^(N−D)·det(tI − ΦᵀPΦ): 𝒦 on L₂(ρ) and the feature form share their spectrum."""
    import sympy as sp

    t = sp.Symbol("t")
    out = []
    for N, D in ((2, 2), (3, 2)):
        Phi = sp.Matrix(N, D, lambda i, j: sp.Symbol(f"f{i + 1}{j + 1}", real=True))
        P = sp.diag(*sp.symbols(f"p1:{N + 1}", nonnegative=True))
        lhs = (t * sp.eye(N) - Phi * Phi.T * P).det()
        rhs = t ** (N - D) * (t * sp.eye(D) - Phi.T * P * Phi).det()
        out.append(Identity(lhs, rhs, f"det(tI − KP) = t^(N−D)det(tI − ΦᵀPΦ), N = {N}, D = {D}"))
    return out


CLAIM = Claim(
    id="wu2022.lemma_f12",
    title="λ₁(𝒦) = sup_{‖h‖=1} E_x⟨h, φ_x⟩² for a kernel k(x, y) = ⟨φ_x, φ_y⟩ (variational formula)",
    source=Source(KEY, "Lemma F.12"),
    statement=(
        r"For a PSD kernel $k(x,y)=\langle\phi_x,\phi_y\rangle_{\mathcal H}$, "
        r"$\lambda_1(\mathcal K)=\sup_{\|h\|_{\mathcal H}=1}"
        r"\mathbb E_x[\langle h,\phi_x\rangle_{\mathcal H}^2]$."
    ),
    hypotheses=(Hypothesis("ρ a probability vector on the rows of Φ", _valid),),
    conclusion=conclusion,
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED),
        PropertyCheck(
            "property", point_sets(6, 5).map(lambda X: {"Phi": X, "p": np.full(X.shape[0], 1.0 / X.shape[0])})
        ),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-9),
    inputs={"Phi": array(), "p": array()},
    kind="identity",
)
