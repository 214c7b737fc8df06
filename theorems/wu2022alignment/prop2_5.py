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

As proved
---------
Proof step ``wu2022.prop2_5.mu1.gap``:
Why no hidden constant can rescue ":math:`\mu_1\ge1`", quantitatively: the :math:`\chi_i` average to
:math:`\bar\chi`, so their minimum sits below the mean by at least :math:`1/n` of their spread,
:math:`\gamma=\min_i\chi_i/\bar\chi\le1-(\max_i\chi_i-\min_i\chi_i)/(n\bar\chi)` (the sum is at least
:math:`\max+(n-1)\min`), with equality at n = 2; and at full rank (Φ of rank n) every residual is
reachable, so :math:`\inf_\theta\mu_1(\theta)=\gamma` (Lemma 2.4, attained).  Hence
:math:`\inf_\theta\mu_1\le1-(\chi_{\max}-\chi_{\min})/(n\bar\chi)<1` unless all :math:`\chi_i` agree.

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

Proof step ``wu2022.prop2_5.mu1.gap``:

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

No property check on ``wu2022.prop2_5.mu1`` itself: the printed statement fails on every draw (inf μ₁ = γ < 1
  almost surely), so a Hypothesis search adds nothing to the seeded draws in the paper's regime (n = 32..128);
  the step above carries the module's property check.  The as-proved form (``wu2022.prop2_5.mu1.as_proved``)
  is a hidden-constant claim.

References
----------
[wu2022alignment, Proposition 2.5; Appendix F, Proposition F.7 and Eq. (12)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.models.features import RandomFeatureModel, sample_sphere
from verifythm.quantities import feature_alignment_extremes
from verifythm.strategies import gradient_matrices

from . import KEY


def features(inst: dict[str, Any]) -> np.ndarray:
    r"""The feature matrix :math:`\Phi` (rows :math:`g_i`), through the engine's model."""
    W = np.asarray(inst["W"], float)
    return RandomFeatureModel(W).jacobian(np.zeros(W.shape[0]), np.asarray(inst["X"], float))


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\inf_\theta\mu_1(\theta)` versus 1."""
    return Comparison(feature_alignment_extremes(features(inst)).mu1_inf.value, 1.0, ">=", "inf_θ μ₁(θ)", "1")


def _on_spheres(inst: dict[str, Any]) -> bool:
    X, W = np.asarray(inst["X"], float), np.asarray(inst["W"], float)
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
    checks=(ExactCheck("exact", _generate), SymbolicCheck("symbolic", _symbolic)),
    expected=Expected.fails(
        "Prop. 2.5 states μ₁(θ) ≥ 1 for all θ w.p. ≥ 1 − δ; but inf_θ μ₁(θ) = min_i χ_i/χ̄ < 1 at full rank "
        "(the χ_i average to χ̄), so it fails almost surely at every n, whatever the hidden constant; "
        "Prop. F.7 proves only μ₁ ≥ 1 − ε_n, ε_n = Cb²√(log(1/δ)/n) (`wu2022.prop2_5.mu1.as_proved`)",
        "docs/errata/wu2022.prop2_5.mu1__exact.md",
        finding="erratum",
    ),
)


#: The spread of the χ_i is divided by n + SPREAD: n (SPREAD = 0) is what the average gives.
SPREAD = 0


def gap(inst: dict[str, Any]) -> Comparison:
    r""":math:`\inf_\theta\mu_1` vs :math:`1-(\chi_{\max}-\chi_{\min})/(n\bar\chi)` (rows of ``Phi``: g_i)."""
    Phi = np.asarray(inst["Phi"], float)
    n = Phi.shape[0]
    K = Phi @ Phi.T
    chi = np.sum(K * K, axis=1)  # ∝ χ_i = g_iᵀ G g_i (the factor cancels in the ratios)
    bound = 1.0 - float(chi.max() - chi.min()) / ((n + SPREAD) * float(chi.mean()))
    return Comparison(
        feature_alignment_extremes(Phi).mu1_inf.value, bound, "<=", "inf_θ μ₁(θ)", "1 − (χ_max − χ_min)/(nχ̄)"
    )


def _full_rank(inst: dict[str, Any]) -> bool:
    Phi = np.asarray(inst["Phi"], float)
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


STEP = Claim(
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
    checks=(
        ExactCheck("exact", _generate_gap, note="ReLU model draws (d = 2, 3) and Gaussian features"),
        PropertyCheck("property", _strategy_gap(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic_gap, note="the average of the χ_i bounds their minimum"),
    ),
)

#: Besides :data:`CLAIM`: the quantitative step behind the erratum.
CLAIMS = [STEP]
