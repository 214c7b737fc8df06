r"""Wang & Wu (2023), Definition 3.1: the loss alignment μ(θ) and its Gram form.

Setting
-------
Square loss at a point θ with model gradients :math:`Q=(g_1,\dots,g_n)\in\mathbb R^{p\times n}` and
residuals :math:`e_i`; :math:`G=\frac1nQQ^T`, :math:`\Sigma_1=\frac1n\sum_ie_i^2g_ig_i^T`,
:math:`\gamma_1=\operatorname{Tr}(\Sigma_1G)`, :math:`\bar\gamma_1=2\mathcal L\|G\|_F^2`.

Statement
---------
Definition 3.1 sets :math:`\mu(\theta)=\gamma_1(\theta)/\bar\gamma_1(\theta)`.  The proofs of
Theorems 3.3 (Eq. (9), first lines) and 3.5 (Appendix B.3) rewrite it, for any model, as a weighted
average over the samples:

.. math:: \mu(\theta)=\frac{\sum_ie_i^2\,c_i}{\sum_ie_i^2\cdot\frac1n\sum_ic_i},\qquad
          c_i=\frac1n\sum_j(g_i^Tg_j)^2,

so that :math:`\min_ic_i/\bar c\le\mu\le\max_ic_i/\bar c`.  The claim checks the identity against the
:math:`p\times p` definition (the sandwich is ``wang2023.thm3_3.deterministic``).

Finding
-------
**Typo**: after Definition 3.1 the rendering sets ":math:`\gamma(\theta^*)=0/0=1`" at global minima; it is
:math:`\mu(\theta^*)=0/0:=1` that is meant (:math:`\gamma` is the noise term of Eq. (2), which is 0, not 1, at
an interpolating minimum).  The engine's :func:`~verifythm.quantities.directional.loss_alignment` implements
the intended convention.

Evidence
--------
* ``exact``: the Gram form against :math:`\operatorname{Tr}(\Sigma_1G)/(2\mathcal L\|G\|_F^2)` built from
  :math:`p\times p` matrices, on seeded gradient families (Gaussian, anisotropic, identical, orthogonal,
  sparse, widely scaled) with non-zero residuals.
* ``symbolic`` (proof of Theorem 3.3, first line of Eq. (9); App. B.3): for symbolic
  :math:`Q\in\mathbb R^{2\times3}` and :math:`e\in\mathbb R^3`,
  :math:`\operatorname{Tr}(\Sigma_1G)=\frac1n\sum_ie_i^2c_i`, :math:`\|G\|_F^2=\bar c`,
  :math:`2\mathcal L=\frac1n\sum_ie_i^2`, and the quotient (the Gram form).
* ``property``: Hypothesis over gradient families and residuals.

References
----------
[wang2023noise, Definition 3.1; Appendix B.2 Eq. (9); Appendix B.3].
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
from verifythm.strategies import gradients_and_residuals

from ._common import KEY, gradient_shapes, gradients_nondegenerate, random_gradient_matrices, scaled_gradients
from ._symbolic import sym_matrix, sym_vector


def conclusion(inst: dict[str, Any]) -> Comparison:
    """μ from p×p matrices versus the per-sample Gram form."""
    Q, e = scaled_gradients(inst)
    n = Q.shape[1]
    G = Q @ Q.T / n
    S1 = (Q * (e * e)) @ Q.T / n
    L = float(e @ e) / (2 * n)
    mu_def = float(np.trace(S1 @ G)) / (2 * L * float((G * G).sum()))
    K = Q.T @ Q
    c = (K * K).sum(axis=1) / n
    mu_gram = float((e * e) @ c) / (float((e * e).sum()) * float(c.mean()))
    return Comparison(mu_def, mu_gram, "==", "Tr(Σ₁G)/(2L‖G‖²_F)", "Σe_i²c_i/(Σe_i²·mean c)")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _, n, Q in random_gradient_matrices(rng, k):
        e = rng.standard_normal(n) * (rng.random(n) < 0.8)
        e[0] += 1.0
        out.append({"Q": Q, "e": e})
    return out


def gram_form_obligations() -> list[Identity]:
    """Eq. (9), first line: Tr(Σ₁G), ‖G‖²_F, 2L and μ in per-sample Gram form (p = 2, n = 3, symbolic)."""
    import sympy as sp

    p, n = 2, 3
    Q, e = sym_matrix("q", p, n), sym_vector("e", n)
    cols = [Q[:, i] for i in range(n)]
    G = Q * Q.T / n
    S1 = sum((e[i] ** 2 * cols[i] * cols[i].T for i in range(n)), sp.zeros(p, p)) / n
    two_L = sum(e[i] ** 2 for i in range(n)) / n
    c = [sum((cols[i].T * cols[j])[0, 0] ** 2 for j in range(n)) / n for i in range(n)]
    cbar = sum(c) / n
    num = sum(e[i] ** 2 * c[i] for i in range(n))
    return [
        Identity((S1 * G).trace(), num / n, "Tr(Σ₁G) = (1/n) Σ_i e_i² c_i"),
        Identity((G * G).trace(), cbar, "‖G‖²_F = (1/n) Σ_i c_i"),
        Identity(  # the quotient, cross-multiplied (both denominators are positive when μ is defined)
            (S1 * G).trace() * sum(e[i] ** 2 for i in range(n)) * cbar,
            num * two_L * (G * G).trace(),
            "μ = Tr(Σ₁G)/(2L‖G‖²_F) = Σ e_i² c_i / (Σ e_i² · mean c), cross-multiplied",
        ),
    ]


CLAIM = Claim(
    id="wang2023.def3_1.gram_form",
    title="μ(θ) = Σ e_i² c_i / (Σ e_i² · mean c), c_i = mean_j (g_iᵀg_j)²",
    source=Source(KEY, "Definition 3.1; App. B.2 Eq. (9)", page=4),
    statement=(
        r"$\mu(\theta)=\operatorname{Tr}(\Sigma_1G)/(2\mathcal L\|G\|_F^2)"
        r"=\sum_ie_i^2c_i/(\sum_ie_i^2\cdot\frac1n\sum_ic_i)$ with $c_i=\frac1n\sum_j(g_i^Tg_j)^2$."
    ),
    hypotheses=(gradient_shapes(), Hypothesis("L(θ) > 0 and G ≠ 0 (μ is not 0/0)", gradients_nondegenerate)),
    conclusion=conclusion,
    checks=(
        SymbolicCheck("symbolic", gram_form_obligations),
        ExactCheck("exact", _generate, fixed=[{"Q": np.eye(2), "e": np.array([1.0, 0.0])}]),
        PropertyCheck("property", gradients_and_residuals().filter(gradients_nondegenerate)),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
    kind="identity",
)
