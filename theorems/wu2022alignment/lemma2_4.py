r"""Wu, Wang & Su (2022), Lemma 2.4: alignment bounds for feature models, exact over all θ.

Setting
-------
Feature model :math:`f(x;\theta)=\langle\theta,\Phi(x)\rangle`, feature matrix
:math:`\Phi\in\mathbb{R}^{n\times m}` with rows :math:`g_i=\Phi(x_i)` (the model gradients,
constant in θ), labels :math:`y\in\mathbb{R}^n`, residuals :math:`e=\Phi\theta-y`,
:math:`G=H=\frac1n\sum_ig_ig_i^T` (constant), :math:`\Sigma=\Sigma_1-\Sigma_2` state-dependent.
:math:`\gamma=\min_i\chi_i/\bar\chi` (Definition 2.1) and
:math:`\tau(G)=\lambda_1^2(G)/\sum_j\lambda_j^2(G)`.  θ ranges over all points with
:math:`L(\theta)>0`; :math:`G\ne0`.

Statement
---------
For every such θ: :math:`\mu_1(\theta)\ge\gamma`, :math:`\mu_2(\theta)\le\tau(G)` and
:math:`\mu(\theta)\ge\gamma-\tau(G)`.  Each is encoded through the exact infimum or
supremum over θ (:func:`verifythm.quantities.feature_alignment_extremes`, a generalized
eigenproblem on the residual subspace the model can reach).

As proved
---------
The proof in Appendix E writes the residual as :math:`g_i^T\theta`, i.e. it assumes the
model interpolates the labels (:math:`y=0` after shifting θ).  The statement does not
need this: the three bounds are Rayleigh-quotient bounds in the residual vector and hold
for *every* :math:`e\in\mathbb{R}^n`, so labels that cannot be interpolated are included in
the instances here.  The bound :math:`\mu_2\le\tau(G)` is sharp (attained when the
residual is the top eigenvector of :math:`K=\Phi\Phi^T`, which the model always reaches;
``wu2022.lemma2_4.mu2_sharp``).  :math:`\mu_1\ge\gamma` is attained exactly when the
residual can be concentrated on the least-uniform sample, e.g. when :math:`K` has full
rank (``wu2022.lemma2_4.mu1_attained``); with rank-deficient :math:`K` the infimum is in
general strictly above γ.

Evidence
--------
* ``exact``: seeded feature matrices of every gradient family
  (:data:`verifythm.strategies.FAMILIES`), interpolable and non-interpolable labels,
  full-rank instances (where :math:`\inf\mu_1=\gamma`) and orthonormal features (where
  :math:`\inf\mu=\gamma-\tau`): the exact extremes are compared with the bounds.
* ``property``: Hypothesis over gradient families and labels, steered to small slack.
* ``symbolic`` (Appendix E, proof of Lemma 2.4): symbolic features :math:`g_1,g_2,g_3\in\mathbb{R}^2`
  and residuals :math:`e_i`: :math:`\bar\chi=\|G\|_F^2` and :math:`\operatorname{Tr}(\Sigma_1G)=
  \frac1n\sum_ie_i^2\chi_i`, so :math:`\operatorname{Tr}(\Sigma_1G)-2\gamma L\|G\|_F^2=\frac1n\sum_ie_i^2
  (\chi_i-\gamma\bar\chi)` (``.mu1``; with :math:`e=e_1`, :math:`\mu_1=\chi_1/\bar\chi`: ``.mu1_attained``);
  with :math:`e_i=g_i^T\theta`, :math:`\nabla L^TG\nabla L=\theta^TG^3\theta` and, in an eigenbasis of G
  with :math:`l_2=l_1/(1+v)`, :math:`\lambda_1^2\theta^TG\theta-\theta^TG^3\theta\ge0` (``.mu2``; equality at
  the top eigenvector: ``.mu2_sharp``); :math:`\operatorname{Tr}(\Sigma G)=\operatorname{Tr}(\Sigma_1G)-
  \nabla L^TG\nabla L` (``.mu``).

References
----------
[wu2022alignment, §2.1 "Feature-based models", Lemma 2.4 and its proof in Appendix E].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

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
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.quantities import feature_alignment_extremes
from verifythm.strategies import FAMILIES, gradient_families, random_gradients
from verifythm.strategies.scalars import reals

from . import KEY

SOURCE = Source(KEY, "Lemma 2.4")
TOL = Tolerance(rtol=1e-8, atol=1e-10)


def _extremes(inst: dict[str, Any]) -> Any:
    y = inst.get("y")
    return feature_alignment_extremes(inst["Phi"], None if y is None else y)


def _nonzero_features(inst: dict[str, Any]) -> bool:
    Phi = inst["Phi"]
    return bool(np.any(Phi != 0)) and float(np.linalg.norm(Phi @ Phi.T)) > 0


HYPOTHESES = (Hypothesis("G ≠ 0 (some feature vector is non-zero)", _nonzero_features),)


def mu1_conclusion(inst: dict[str, Any]) -> Comparison:
    """inf_θ μ₁(θ) versus γ."""
    ex = _extremes(inst)
    return Comparison(ex.mu1_inf.value, ex.gamma, ">=", "inf_θ μ₁(θ)", "γ", scale=1.0)


def mu2_conclusion(inst: dict[str, Any]) -> Comparison:
    """sup_θ μ₂(θ) versus τ(G)."""
    ex = _extremes(inst)
    return Comparison(ex.mu2_sup.value, ex.tau, "<=", "sup_θ μ₂(θ)", "τ(G)", scale=1.0)


def mu_conclusion(inst: dict[str, Any]) -> Comparison:
    """inf_θ μ(θ) versus γ − τ(G)."""
    ex = _extremes(inst)
    rhs = ex.gamma - ex.tau
    if abs(rhs) <= 1e-12:  # γ = τ up to rounding (e.g. identical features): report the bound as 0
        rhs = 0.0
    return Comparison(ex.mu_inf.value, rhs, ">=", "inf_θ μ(θ)", "γ − τ(G)", scale=1.0)


def mu2_sharp_conclusion(inst: dict[str, Any]) -> Comparison:
    """sup_θ μ₂(θ) = τ(G) when the labels are interpolable."""
    ex = _extremes(inst)
    return Comparison(ex.mu2_sup.value, ex.tau, "==", "sup_θ μ₂(θ)", "τ(G)", scale=1.0)


def mu1_attained_conclusion(inst: dict[str, Any]) -> Comparison:
    """inf_θ μ₁(θ) = γ when K = ΦΦᵀ has full rank n."""
    ex = _extremes(inst)
    return Comparison(ex.mu1_inf.value, ex.gamma, "==", "inf_θ μ₁(θ)", "γ", scale=1.0)


def _full_rank(inst: dict[str, Any]) -> bool:
    # same arithmetic as the conclusion: the engine's range(K) must be all of R^n, with a margin
    # (λ_min(K)/λ_max(K) > 1e-8, i.e. σ_min(Φ)/σ_max(Φ) > 1e-4, far above its 1e-10 cut-off)
    Phi = inst["Phi"]
    if Phi.shape[0] > Phi.shape[1]:
        return False
    s = np.linalg.svd(Phi, compute_uv=False)
    return bool(s[-1] > 1e-4 * s[0]) and _extremes(inst).rank == Phi.shape[0]


def _labels(rng: np.random.Generator, Phi: np.ndarray, kind: int) -> np.ndarray | None:
    n = Phi.shape[0]
    if kind == 0:
        return None  # interpolable (θ* = 0)
    if kind == 1:
        return Phi @ rng.standard_normal(Phi.shape[1])  # interpolable, θ* ≠ 0
    return rng.standard_normal(n)  # generic labels: interpolable only if rank Φ = n


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(k):
        n = int(rng.integers(1, 8))
        m = int(rng.integers(1, 9))
        if i % 5 == 0:  # full-rank K: inf μ₁ = γ is attained
            m = max(m, n)
        Phi = random_gradients(rng, m, n, FAMILIES[i % len(FAMILIES)]).T
        if not np.any(Phi):
            Phi[0, 0] = 1.0
        inst: dict[str, Any] = {"Phi": Phi}
        y = _labels(rng, Phi, i % 3)
        if y is not None:
            inst["y"] = y
        out.append(inst)
    return out


#: Orthonormal features, n = m: γ = 1, τ = 1/n and μ ≡ 1 − 1/n, so every bound is attained.
FIXED = [{"Phi": np.eye(n)} for n in (1, 2, 3, 5)] + [{"Phi": np.diag([1.0, 2.0, 3.0])}]


@st.composite
def _strategy(draw: Any, labels: bool = True) -> dict[str, Any]:
    Q = draw(gradient_families())
    Phi = Q.T
    inst: dict[str, Any] = {"Phi": Phi}
    if labels and draw(st.booleans()):
        n = Phi.shape[0]
        inst["y"] = np.array(draw(st.lists(reals(-4, 4), min_size=n, max_size=n)), dtype=float)
    return inst


def _interpolable(inst: dict[str, Any]) -> bool:
    y = inst.get("y")
    if y is None:
        return True
    Phi = inst["Phi"]
    res = y - Phi @ np.linalg.lstsq(Phi, y, rcond=None)[0]
    return float(np.linalg.norm(res)) <= 1e-9 * max(float(np.linalg.norm(y)), 1e-300)


def _symbolic(suffix: str) -> Any:
    def build() -> list[Any]:
        """Appendix E's steps for symbolic features (n = 3, m = 2) and residuals."""
        import sympy as sp

        n = 3
        g = [sp.Matrix(sp.symbols(f"g{i}_1:3", real=True)) for i in range(1, n + 1)]
        e = sp.symbols("e1:4", real=True)
        G = sum((gi * gi.T for gi in g), sp.zeros(2, 2)) / n
        chi = [(gi.T * G * gi)[0] for gi in g]
        chibar = sum(chi) / n
        fro2 = sum(x**2 for x in G)
        S1 = sum((ei**2 * gi * gi.T for ei, gi in zip(e, g, strict=True)), sp.zeros(2, 2)) / n
        gL = sum((ei * gi for ei, gi in zip(e, g, strict=True)), sp.zeros(2, 1)) / n
        twoL = sum(ei**2 for ei in e) / n
        gam = sp.Symbol("gamma", real=True)
        out = [Identity(chibar, fro2, "χ̄ = (1/n)Σ g_iᵀGg_i = ‖G‖_F²")]
        if suffix in ("mu1", "mu1_attained"):
            out.append(
                Identity(
                    (S1 * G).trace(),
                    sum(ei**2 * c for ei, c in zip(e, chi, strict=True)) / n,
                    "Tr(Σ₁G) = (1/n)Σe_i²χ_i",
                )
            )
            out.append(
                Identity(
                    (S1 * G).trace() - gam * twoL * fro2,
                    sum(ei**2 * (c - gam * chibar) for ei, c in zip(e, chi, strict=True)) / n,
                    "Tr(Σ₁G) − 2γL‖G‖_F² = (1/n)Σe_i²(χ_i − γχ̄) ≥ 0 when γχ̄ ≤ min χ_i",
                )
            )
            if suffix == "mu1_attained":
                at = {e[0]: 1, e[1]: 0, e[2]: 0}
                out.append(
                    Identity(
                        ((S1 * G).trace() / (twoL * fro2)).subs(at), chi[0] / chibar, "e = e₁: μ₁ = χ₁/χ̄"
                    )
                )
            return out
        if suffix == "mu":
            Sigma = S1 - gL * gL.T
            out.append(
                Identity(
                    (Sigma * G).trace(), (S1 * G).trace() - (gL.T * G * gL)[0], "Tr(ΣG) = Tr(Σ₁G) − ∇LᵀG∇L"
                )
            )
        th = sp.Matrix(sp.symbols("theta1:3", real=True))
        interp = {ei: (gi.T * th)[0] for ei, gi in zip(e, g, strict=True)}
        out.append(
            Identity((gL.T * G * gL)[0].subs(interp), (th.T * G**3 * th)[0], "e_i = g_iᵀθ: ∇LᵀG∇L = θᵀG³θ")
        )
        out.append(Identity(twoL.subs(interp), (th.T * G * th)[0], "e_i = g_iᵀθ: 2L = θᵀGθ"))
        l1, v = sp.symbols("l1 v", positive=True)
        t1, t2 = th
        lam = [l1, l1 / (1 + v)]  # λ₁ ≥ λ₂ > 0, the eigenvalues of G
        q1 = lam[0] * t1**2 + lam[1] * t2**2
        q3 = lam[0] ** 3 * t1**2 + lam[1] ** 3 * t2**2
        out.append(
            Nonnegative(sp.factor(l1**2 * q1 - q3), "eigenbasis of G: λ₁²θᵀGθ − θᵀG³θ ≥ 0, so μ₂ ≤ τ(G)")
        )
        if suffix == "mu2_sharp":
            out.append(
                Identity((q3 / q1).subs({t1: 1, t2: 0}), l1**2, "θ = top eigenvector: θᵀG³θ/θᵀGθ = λ₁²")
            )
        return out

    return build


def _claim(suffix: str, title: str, statement: str, conclusion: Any, **kw: Any) -> Claim:
    return Claim(
        id=f"wu2022.lemma2_4.{suffix}",
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=kw.pop("hypotheses", HYPOTHESES),
        conclusion=conclusion,
        checks=(
            ExactCheck("exact", _generate, fixed=FIXED),
            PropertyCheck("property", kw.pop("strategy", _strategy())),
            SymbolicCheck("symbolic", _symbolic(suffix)),
        ),
        tolerance=TOL,
        inputs={"Phi": array(2)},
        **kw,
    )


MU1 = _claim(
    "mu1",
    "Feature models: μ₁(θ) ≥ γ for every θ (exact infimum over θ)",
    r"For a feature model with $G\ne0$, every $\theta$ with $L(\theta)>0$ has "
    r"$\mu_1(\theta)\ge\gamma=\min_i\chi_i/\bar\chi$.",
    mu1_conclusion,
)
MU2 = _claim(
    "mu2",
    "Feature models: μ₂(θ) ≤ τ(G) = λ₁²(G)/Σλ_j²(G) for every θ (exact supremum over θ)",
    r"For a feature model with $G\ne0$, every $\theta$ with $L(\theta)>0$ has "
    r"$\mu_2(\theta)\le\tau(G)=\lambda_1^2(G)/\sum_j\lambda_j^2(G)$.",
    mu2_conclusion,
)
MU = _claim(
    "mu",
    "Feature models: μ(θ) ≥ γ − τ(G) for every θ (exact infimum over θ)",
    r"For a feature model with $G\ne0$, every $\theta$ with $L(\theta)>0$ has "
    r"$\mu(\theta)\ge\gamma-\tau(G)$.",
    mu_conclusion,
)
MU2_SHARP = _claim(
    "mu2_sharp",
    "Feature models: the bound μ₂ ≤ τ(G) is attained, sup_θ μ₂(θ) = τ(G) (interpolable labels)",
    r"For a feature model with $G\ne0$ whose labels are interpolable, "
    r"$\sup_\theta\mu_2(\theta)=\tau(G)$ (attained at the top eigenvector of $K=\Phi\Phi^T$).",
    mu2_sharp_conclusion,
    hypotheses=(*HYPOTHESES, Hypothesis("labels interpolable (y ∈ range Φ)", _interpolable)),
    kind="identity",
)

MU1_ATTAINED = _claim(
    "mu1_attained",
    "Feature models with full-rank K = ΦΦᵀ: the bound μ₁ ≥ γ is attained, inf_θ μ₁(θ) = γ",
    r"For a feature model whose kernel matrix $K=\Phi\Phi^T$ has full rank n, "
    r"$\inf_\theta\mu_1(\theta)=\gamma$ (attained by a residual concentrated on the sample "
    r"with the smallest $\chi_i$).",
    mu1_attained_conclusion,
    hypotheses=(*HYPOTHESES, Hypothesis("K = ΦΦᵀ has full rank n (σ_min/σ_max(Φ) > 1e-4)", _full_rank)),
    kind="identity",
)

CLAIMS = [MU1, MU2, MU, MU2_SHARP, MU1_ATTAINED]
