r"""Wu, Wang & Su (2022), Proposition 2.5: why μ₁ ≥ 1 fails, inf_θ μ₁ = γ ≤ 1 − (χ_max − χ_min)/(nχ̄).

Setting
-------
Feature model of Lemma 2.4: feature matrix Φ with rows :math:`g_i`, :math:`\chi_i=g_i^TGg_i`,
:math:`\bar\chi=\frac1n\sum_i\chi_i` and :math:`\gamma=\min_i\chi_i/\bar\chi`; at full rank (rank Φ = n) every
residual is reachable.  The random ReLU features of Proposition 2.5 (``wu2022.prop2_5.mu1``, module
``prop2_5``) are one instance.

Statement
---------
Why no hidden constant can rescue ":math:`\mu_1\ge1`", quantitatively: the :math:`\chi_i` average to
:math:`\bar\chi`, so their minimum sits below the mean by at least :math:`1/n` of their spread,
:math:`\gamma=\min_i\chi_i/\bar\chi\le1-(\max_i\chi_i-\min_i\chi_i)/(n\bar\chi)` (the sum is at least
:math:`\max+(n-1)\min`), with equality at n = 2; and at full rank (Φ of rank n) every residual is
reachable, so :math:`\inf_\theta\mu_1(\theta)=\gamma` (Lemma 2.4, attained).  Hence
:math:`\inf_\theta\mu_1\le1-(\chi_{\max}-\chi_{\min})/(n\bar\chi)<1` unless all :math:`\chi_i` agree.

Evidence
--------
* ``symbolic`` (the step from Eq. (12)'s average to the failure of ":math:`\mu_1\ge1`"): for n = 2
  symbolic features :math:`g_1,g_2\in\mathbb R^2`, :math:`\chi_1/\bar\chi=1-(\chi_2-\chi_1)/(2\bar\chi)`
  (equality); for n = 3 ordered values :math:`c_1\le c_2\le c_3`,
  :math:`1-(c_3-c_1)/(3\bar c)-c_1/\bar c=(c_2-c_1)/(3\bar c)\ge0`.  With the spread divided by n − 1
  (``SPREAD`` = −1) both go red.
* ``property``: Hypothesis over gradient matrices of the project's vocabulary
  (:func:`~verifythm.strategies.gradient_matrices`, n = 2..5 samples, p = n..6 parameters, full rank
  n, so the regime where the erratum bites), the exact :math:`\inf_\theta\mu_1`
  (:func:`verifythm.quantities.feature_alignment_extremes`) against the bound; ``SPREAD`` = −1 is caught.
* ``exact``: seeded draws of the ReLU model of the statement (d = 2, 3; n = 8, 16, m = 4n; the rank-deficient
  draws are skipped by the hypothesis) and generic full-rank features.

References
----------
[wu2022alignment, Proposition 2.5; Eq. (12); Lemma 2.4].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.models.features import RandomFeatureModel, sample_sphere
from verifythm.quantities import feature_alignment_extremes
from verifythm.strategies import gradient_matrices

from . import KEY
from .prop2_5 import features

#: The spread of the χ_i is divided by n + SPREAD: n (SPREAD = 0) is what the average gives.
SPREAD = 0


def gap(inst: dict[str, Any]) -> Comparison:
    r""":math:`\inf_\theta\mu_1` vs :math:`1-(\chi_{\max}-\chi_{\min})/(n\bar\chi)` (rows of ``Phi``: g_i)."""
    Phi = inst["Phi"]
    n = Phi.shape[0]
    K = Phi @ Phi.T
    chi = np.sum(K * K, axis=1)  # ∝ χ_i = g_iᵀ G g_i (the factor cancels in the ratios)
    bound = 1.0 - float(chi.max() - chi.min()) / ((n + SPREAD) * float(chi.mean()))
    return Comparison(
        feature_alignment_extremes(Phi).mu1_inf.value, bound, "<=", "inf_θ μ₁(θ)", "1 − (χ_max − χ_min)/(nχ̄)"
    )


def _full_rank(inst: dict[str, Any]) -> bool:
    Phi = inst["Phi"]
    if Phi.ndim != 2 or Phi.shape[0] < 2 or Phi.shape[1] < Phi.shape[0] or not np.all(np.isfinite(Phi)):
        return False
    sv = np.linalg.svd(Phi, compute_uv=False)
    return bool(sv[0] > 0 and sv[-1] > 1e-4 * sv[0])


def _generate_gap(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 24)):
        if i % 2:
            d, n = (2, 3)[(i // 2) % 2], (8, 16)[(i // 4) % 2]
            W = RandomFeatureModel.relu_sphere(rng, 4 * n, d).features  # m = 4n features: mostly rank n
            out.append({"Phi": features({"X": sample_sphere(rng, n, d), "W": np.array(W)})})
        else:
            n = int(rng.integers(2, 6))
            out.append({"Phi": rng.standard_normal((n, n + int(rng.integers(0, 3))))})
    return out


@st.composite
def _strategy_gap(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(2, 5))
    Q = draw(gradient_matrices(p=st.integers(n, 6), n=n))  # p × n, columns g_i
    return {"Phi": Q.T}


def _symbolic_gap() -> list[Any]:
    """The χ_i average to χ̄, so min χ_i/χ̄ ≤ 1 − (max − min)/(nχ̄): n = 2 (symbolic g) and n = 3."""
    import sympy as sp

    g = [sp.Matrix(sp.symbols(f"g{i}_1:3", real=True)) for i in (1, 2)]
    G = (g[0] * g[0].T + g[1] * g[1].T) / 2
    chi = [(gi.T * G * gi)[0] for gi in g]
    chibar = (chi[0] + chi[1]) / 2
    c1, s, t = sp.symbols("c1 s t", nonnegative=True)
    c = [c1, c1 + s, c1 + s + t]  # c₁ ≤ c₂ ≤ c₃
    cbar = sum(c) / 3
    return [
        Identity(
            chi[0] / chibar,
            1 - (chi[1] - chi[0]) / ((2 + SPREAD) * chibar),
            "n = 2: χ₁/χ̄ = 1 − (χ₂ − χ₁)/(2χ̄) (so γ < 1 unless χ₁ = χ₂)",
        ),
        Nonnegative(
            sp.factor(sp.cancel(1 - (c[2] - c[0]) / ((3 + SPREAD) * cbar) - c[0] / cbar)),
            "n = 3: 1 − (c₃ − c₁)/(3c̄) − c₁/c̄ = (c₂ − c₁)/(3c̄) ≥ 0",
        ),
    ]


CLAIM = Claim(
    id="wu2022.prop2_5.mu1.gap",
    title="Prop 2.5's μ₁ part: at full rank inf_θ μ₁ = γ ≤ 1 − (χ_max − χ_min)/(nχ̄) < 1 (why μ₁ ≥ 1 fails)",
    source=Source(KEY, "Proposition 2.5; Eq. (12)"),
    statement=(
        r"For every feature matrix Φ of rank n (rows $g_i$, $n\ge2$): "
        r"$\inf_\theta\mu_1(\theta)=\min_i\chi_i/\bar\chi\le1-(\max_i\chi_i-\min_i\chi_i)/(n\bar\chi)$, "
        r"strictly below 1 unless all $\chi_i$ agree."
    ),
    hypotheses=(Hypothesis("Φ has n ≥ 2 rows and rank n (σ_min > 1e-4 σ_max)", _full_rank),),
    conclusion=gap,
    inputs={"Phi": array()},
    checks=(
        ExactCheck("exact", _generate_gap, note="ReLU model draws (d = 2, 3) and Gaussian features"),
        PropertyCheck("property", _strategy_gap(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic_gap, note="the average of the χ_i bounds their minimum"),
    ),
)
