r"""Wu, Wang & Su (2022), Proposition 2.5: alignment of random ReLU feature models (the μ₁ part).

Setting
-------
Random feature model :math:`f(x;\theta)=\sum_{j=1}^m\theta_j\,\mathrm{ReLU}(w_j^Tx)` with
:math:`w_j` i.i.d. uniform on :math:`\sqrt d\,\mathbb S^{d-1}`, inputs :math:`x_i` i.i.d. uniform
on :math:`\mathbb S^{d-1}`, :math:`m\ge n`; only θ is trained, so the model gradients
:math:`g_i=\Phi(x_i)` and :math:`G=H` are constant (Lemma 2.4's setting) and θ ranges over
:math:`\mathbb{R}^m` (any labels).

Statement
---------
For every :math:`\delta\in(0,1)`, if :math:`m\ge n\gtrsim d^5\log(1/\delta)`, then with
probability at least :math:`1-\delta`: :math:`\mu_1(\theta)\ge1` and
:math:`\mu(\theta)\gtrsim d^{-1}` (for all θ, as in Lemma 2.4 and Proposition F.7).

Finding
-------
**Erratum** (``wu2022.prop2_5.mu1``, an expected failure):
The part :math:`\mu_1(\theta)\ge1` for all θ is false for every finite sample, whatever the
hidden constant.  Since the residual :math:`e=\Phi\theta-y` can be any vector of
:math:`\operatorname{range}(\Phi)` (all of :math:`\mathbb{R}^n` when Φ has rank n),
:math:`\inf_\theta\mu_1(\theta)` is the smallest eigenvalue of
:math:`\mathrm{diag}(\chi_i)/\bar\chi` compressed to that range, which equals
:math:`\gamma=\min_i\chi_i/\bar\chi<1` at full rank (the :math:`\chi_i` average to
:math:`\bar\chi` and are almost surely not all equal), and stays below 1 on every sampled
instance below (exact, d = 2, 3; n = m up to 128).  The event :math:`\{\inf_\theta\mu_1\ge1\}`
has probability zero for :math:`n\ge2` under continuous sampling, so no
:math:`\delta<1` works.  Appendix F proves the weaker :math:`\mu_1(\theta)\ge\inf_x
\chi(x)/\bar\chi-\epsilon_n=1-\epsilon_n` with :math:`\epsilon_n=Cb^2\sqrt{\log(1/\delta)/n}`
(Proposition F.7; :math:`\chi(x)` is constant by rotational symmetry), i.e.
":math:`\mu_1\ge1`" holds only up to an :math:`O(n^{-1/2})` term.  The :math:`\mu\gtrsim d^{-1}`
part (a hidden-constant claim) is ``wu2022.prop2_5.mu`` (module ``prop2_5_mu``).

Evidence
--------
* ``exact``: seeded draws of the model (features via
  :meth:`~verifythm.models.features.RandomFeatureModel.relu_sphere`, inputs via
  :func:`~verifythm.models.features.sample_sphere`), the exact :math:`\inf_\theta\mu_1`
  (:func:`verifythm.quantities.feature_alignment_extremes`) against 1.  A violating
  instance is a certificate: the attaining θ is :math:`\Phi^+e_{\min}`.
* ``symbolic`` (derives the printed, false step): for symbolic features :math:`g_1,g_2\in\mathbb{R}^2`,
  the identity :math:`\frac1n\sum_i\chi_i/\bar\chi=1` (true), and the printed step
  ":math:`\mu_1\ge1`" at the reachable residual :math:`e=e_1`, where :math:`\mu_1=\chi_1/\bar\chi`
  (Lemma 2.4's algebra): :math:`\chi_1/\bar\chi-1\ge0` is undecided by sympy and **fails** at an
  exact rational point (an expected failure; the report of record stays the exact check's claim
  instance, since symbolic points rank last).

No property check on ``wu2022.prop2_5.mu1`` itself: the printed statement fails on every draw (inf μ₁ = γ < 1
  almost surely), so a Hypothesis search adds nothing to the seeded draws in the paper's regime (n = 32..128);
  the step ``wu2022.prop2_5.mu1.gap`` (module
  ``prop2_5_gap``) carries the property check.  The as-proved form (``wu2022.prop2_5.mu1.as_proved``)
  is a hidden-constant claim.

References
----------
[wu2022alignment, Proposition 2.5; Appendix F, Proposition F.7 and Eq. (12)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Expected, Hypothesis, Source, SymbolicCheck
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.models.features import RandomFeatureModel, sample_sphere
from verifythm.quantities import feature_alignment_extremes

from . import KEY


def features(inst: dict[str, Any]) -> np.ndarray:
    r"""The feature matrix :math:`\Phi` (rows :math:`g_i`), through the engine's model."""
    W = np.asarray(inst["W"], float)
    return RandomFeatureModel(W).jacobian(np.zeros(W.shape[0]), np.asarray(inst["X"], float))


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\inf_\theta\mu_1(\theta)` versus 1."""
    return Comparison(feature_alignment_extremes(features(inst)).mu1_inf.value, 1.0, ">=", "inf_θ μ₁(θ)", "1")


def _on_spheres(inst: dict[str, Any]) -> bool:
    X, W = inst["X"], inst["W"]
    d = X.shape[1]
    return (
        W.shape[1] == d
        and bool(np.allclose(np.linalg.norm(X, axis=1), 1.0))
        and bool(np.allclose(np.linalg.norm(W, axis=1), np.sqrt(d)))
    )


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 6)):
        d, n = (2, 3)[i % 2], (32, 64, 128)[(i // 2) % 3]
        W = RandomFeatureModel.relu_sphere(rng, n, d).features
        out.append({"X": sample_sphere(rng, n, d), "W": np.array(W)})
    return out


def _symbolic() -> list[Any]:
    """The χ_i average to χ̄, and the printed μ₁ ≥ 1 at e = e₁ (μ₁ = χ₁/χ̄): false at rational points."""
    import sympy as sp

    n = 2
    g = [sp.Matrix(sp.symbols(f"g{i}_1:3", real=True)) for i in range(1, n + 1)]
    G = sum((gi * gi.T for gi in g), sp.zeros(2, 2)) / n
    chi = [(gi.T * G * gi)[0] for gi in g]
    chibar = sum(chi) / n
    return [
        Identity(sum(chi) / (n * chibar), 1, "(1/n)Σ_i χ_i/χ̄ = 1"),
        Nonnegative(chi[0] / chibar - 1, "printed: μ₁(θ) = χ₁/χ̄ ≥ 1 at e = e₁"),
    ]


CLAIM = Claim(
    id="wu2022.prop2_5.mu1",
    title="Random ReLU features, m ≥ n ≳ d⁵log(1/δ): μ₁(θ) ≥ 1 for all θ w.p. ≥ 1 − δ",
    source=Source(KEY, "Proposition 2.5"),
    statement=(
        r"For the random ReLU feature model with $w_j\sim\mathrm{Unif}(\sqrt d\,\mathbb S^{d-1})$, "
        r"$x\sim\mathrm{Unif}(\mathbb S^{d-1})$ and $m\ge n\gtrsim d^5\log(1/\delta)$: with "
        r"probability at least $1-\delta$, $\mu_1(\theta)\ge1$ for every θ."
    ),
    hypotheses=(
        Hypothesis("m ≥ n", lambda inst: np.shape(inst["W"])[0] >= np.shape(inst["X"])[0]),
        Hypothesis("x_i ∈ S^{d−1}, w_j ∈ √d·S^{d−1}", _on_spheres),
    ),
    conclusion=conclusion,
    inputs={"X": array(2), "W": array(2)},
    checks=(ExactCheck("exact", _generate), SymbolicCheck("symbolic", _symbolic)),
    expected=Expected.fails(
        "Prop. 2.5 states μ₁(θ) ≥ 1 for all θ w.p. ≥ 1 − δ; but inf_θ μ₁(θ) = min_i χ_i/χ̄ < 1 at full rank "
        "(the χ_i average to χ̄), so it fails almost surely at every n, whatever the hidden constant; "
        "Prop. F.7 proves only μ₁ ≥ 1 − ε_n, ε_n = Cb²√(log(1/δ)/n) (`wu2022.prop2_5.mu1.as_proved`)",
        "docs/errata/wu2022.prop2_5.mu1__exact.md",
        finding="erratum",
    ),
)
