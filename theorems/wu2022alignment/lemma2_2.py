r"""Wu, Wang & Su (2022), Lemma 2.2: norm uniformity of model gradients gives μ₁-alignment.

Setting
-------
Square loss at any point θ of any model: residuals :math:`e_i=f(x_i;\theta)-y_i`,
:math:`L_i=\frac12e_i^2`, model gradients :math:`g_i=\nabla f(x_i;\theta)` (columns of
:math:`Q\in\mathbb{R}^{p\times n}`), :math:`G=\frac1n\sum_ig_ig_i^T`,
:math:`\Sigma_1=\frac1n\sum_i\nabla L_i\nabla L_i^T` with :math:`\nabla L_i=e_ig_i`, and
:math:`\mu_1=\operatorname{Tr}(\Sigma_1G)/(2L\|G\|_F^2)`.  Norm uniformity
(Definition 2.1): :math:`\chi_i=g_i^TGg_i`, :math:`\bar\chi=\frac1n\sum_i\chi_i`,
:math:`\gamma=\min_i\chi_i/\bar\chi`.  Both sides need :math:`L(\theta)>0` and
:math:`G\neq0`.

Statement
---------
:math:`\mu_1(\theta)\ge\gamma(\theta)`.

Evidence
--------
* ``symbolic``: the two steps of the proof for symbolic :math:`Q` (p = 2, n = 3) and
  residuals: :math:`\bar\chi=\|G\|_F^2` and
  :math:`\operatorname{Tr}(\Sigma_1G)=\frac2n\sum_iL_i\chi_i`; the inequality then follows
  from :math:`\chi_i\ge\gamma\bar\chi`.
* ``exact``: :math:`\mu_1` and γ in :math:`n\times n` Gram form on seeded gradient
  families, including residuals concentrated on the sample with the smallest
  :math:`\chi_i`, where the bound is attained; exact-rational re-check of violations.
* ``property``: Hypothesis over gradient families and residuals; shrinks.

References
----------
[wu2022alignment, Definition 2.1 and Lemma 2.2].
"""

from __future__ import annotations

from fractions import Fraction
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
)
from verifythm.claims.common import nonzero
from verifythm.linalg import precise as P
from verifythm.quantities.alignment import alignment_factors, norm_uniformity
from verifythm.strategies import FAMILIES, gradients_and_residuals, random_gradients

from . import KEY


def conclusion(inst: dict[str, Any]) -> Comparison:
    """μ₁(θ) versus γ(θ), both from the Gram matrix K = QᵀQ."""
    Q, e = inst["Q"], inst["e"]
    return Comparison(alignment_factors(Q, e).mu1, norm_uniformity(Q).gamma, ">=", "μ₁(θ)", "γ(θ)")


def precise(inst: dict[str, Any]) -> Comparison:
    """μ₁ and γ in exact rational arithmetic."""
    Q, e = P.exact(inst["Q"]), P.exact(inst["e"])
    n = Q.shape[1]
    K = Q.T @ Q
    chi = [sum((K[i, j] ** 2 for j in range(n)), Fraction(0)) / n for i in range(n)]
    chi_bar = sum(chi, Fraction(0)) / n
    mu1 = sum((e[i] ** 2 * chi[i] for i in range(n)), Fraction(0)) / (
        sum((x * x for x in e), Fraction(0)) * chi_bar
    )
    return Comparison(float(mu1), float(min(chi) / chi_bar), ">=")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        Q = random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])
        if i % 4 == 0:  # all residual mass on the least uniform sample: equality
            K = Q.T @ Q
            e = np.zeros(n)
            e[int(np.argmin((K * K).sum(axis=1)))] = rng.uniform(0.5, 2)
        else:
            e = rng.standard_normal(n)
        out.append({"Q": Q, "e": e})
    return out


def _symbolic() -> list[Any]:
    import sympy as sp

    n = 3
    Q = sp.Matrix(2, n, sp.symbols("q1:7", real=True))
    e = sp.symbols("e1:4", real=True)
    G = Q * Q.T / n
    g = [Q[:, i] for i in range(n)]
    chi = [(gi.T * G * gi)[0] for gi in g]
    sigma1 = sum((e[i] ** 2 * g[i] * g[i].T for i in range(n)), sp.zeros(2)) / n
    L = [e[i] ** 2 / 2 for i in range(n)]
    return [
        Identity(sum(chi) / n, sum(x**2 for x in G), "χ̄ = ‖G‖_F²"),
        Identity(
            (sigma1 * G).trace(),
            sp.Rational(2, n) * sum(L[i] * chi[i] for i in range(n)),
            "Tr(Σ₁G) = (2/n) Σ_i L_i χ_i",
        ),
    ]


CLAIM = Claim(
    id="wu2022.lemma2_2",
    title="μ₁(θ) ≥ γ(θ): norm uniformity of model gradients implies μ₁-alignment",
    source=Source(KEY, "Lemma 2.2"),
    statement=(
        r"For square loss at any $\theta$ with $L(\theta)>0$ and $G(\theta)\ne0$, "
        r"$\mu_1(\theta)=\operatorname{Tr}(\Sigma_1G)/(2L\|G\|_F^2)\ge\gamma(\theta)"
        r"=\min_i\chi_i/\bar\chi$ with $\chi_i=g_i^TGg_i$."
    ),
    hypotheses=(
        # alignment_factors rescales Q and e by their largest entries, so L > 0 and G ≠ 0
        # hold in its arithmetic exactly when e ≠ 0 and Q ≠ 0
        Hypothesis("L(θ) > 0, i.e. some residual e_i ≠ 0", nonzero("e").predicate),
        Hypothesis("G ≠ 0, i.e. some model gradient g_i ≠ 0", nonzero("Q").predicate),
    ),
    conclusion=conclusion,
    precise_conclusion=precise,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", gradients_and_residuals()),
    ),
)
