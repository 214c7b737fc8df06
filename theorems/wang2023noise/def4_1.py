r"""Wang & Wu (2023), Definition 4.1 and §4: directional alignment along eigen-directions.

Setting
-------
Square loss at θ with model gradients :math:`Q\in\mathbb R^{p\times n}`, residuals :math:`e`,
:math:`\mathcal L>0`, :math:`G=\frac1nQQ^T=\sum_k\lambda_ku_ku_k^T` (:math:`\lambda_k>0`),
:math:`\Sigma_1=\frac1n\sum_ie_i^2g_ig_i^T`, :math:`\nabla\mathcal L=\frac1n\sum_ie_ig_i`, and the
batch-one SGD noise ξ with covariance :math:`\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T`.
Directional alignment (Def. 4.1): :math:`g(\theta;v)=v^T\Sigma_1v/(2\mathcal L\,v^TGv)`.

Statement
---------
1. (§4, after Def. 4.1) :math:`\mathbb E[(\xi^Tv)^2]=v^T\Sigma_1v-(v^T\nabla\mathcal L)^2
   =2g(\theta;v)\mathcal L\,v^TGv-(v^T\nabla\mathcal L)^2` (``wang2023.def4_1.noise_energy``).
2. (§4, "Numerical validations") with :math:`\alpha_k` the noise energy along :math:`u_k` divided by
   :math:`2\mathcal L`, :math:`g(\theta;u_k)=\alpha_k/\lambda_k`.

Finding
-------
On item 2: the rendering prints :math:`\alpha_k=\mathbb E[\xi^Tu_k]^2/(2\mathcal L)`, which read literally is
:math:`(\mathbb E\xi^Tu_k)^2=0`; the second moment :math:`\mathbb E[(\xi^Tu_k)^2]` is meant (typo). With that
reading, :math:`\alpha_k/\lambda_k=g(\theta;u_k)` holds when the noise covariance is :math:`\Sigma_1` — the
paper's standing convention: §2 notes that the part :math:`\nabla\mathcal L\nabla\mathcal L^T` of the
covariance is evident and from then on calls :math:`\Sigma_1` the noise covariance
(``wang2023.def4_1.alpha_ratio.sigma1``).  Dropping that convention is a **scope** finding, not an error of
the paper: for the actual SGD noise, whose covariance is :math:`\Sigma_0`,
:math:`\alpha_k/\lambda_k=g(\theta;u_k)-(u_k^T\nabla\mathcal L)^2/(2\mathcal L\lambda_k)`, smaller whenever
:math:`\nabla\mathcal L` has a component along :math:`u_k` (``wang2023.def4_1.alpha_ratio``, expected to fail;
smallest counterexample :math:`p=n=1`: :math:`Q=(1)`, :math:`e=(1)`, where :math:`\Sigma_0=0`).

Evidence
--------
* ``exact``: both sides from :math:`p\times p` matrices (eigen-decomposition of :math:`G`, worst
  eigen-direction reported) on seeded gradient families, and the fixed instance above.
* ``symbolic``: for symbolic :math:`Q\in\mathbb R^{2\times3}`, :math:`e`, :math:`v` and the batch-one noise
  :math:`\xi=e_ig_i-\nabla\mathcal L` with the index enumerated, item 1
  (:math:`\mathbb E[(\xi^Tv)^2]=v^T\Sigma_1v-(v^T\nabla\mathcal L)^2`, §4 after Def. 4.1); item 2 along a
  unit direction :math:`u=((1-t^2),2t)/(1+t^2)` with :math:`\lambda=u^TGu` (an eigenvector's Rayleigh
  quotient is its eigenvalue): :math:`\alpha/\lambda=g(\theta;u)` with :math:`\Sigma_1`, and, for
  ``wang2023.def4_1.alpha_ratio``, the printed step times :math:`2\mathcal L\lambda` (enumerated SGD-noise
  energy equals :math:`u^T\Sigma_1u`), which sympy
  cannot close and the exact rational fallback refutes (the check fails, as the claim is expected to).
* ``property``: Hypothesis over gradient families and residuals (item 1 and item 2 with Σ₁).
* A violation of ``wang2023.def4_1.alpha_ratio`` is re-checked in mpmath at 50 digits (eigen-directions
  of :math:`G` from a high-precision eigen-decomposition).

References
----------
[wang2023noise, Definition 4.1, Section 4 and Figure 2; Eq. (7)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.linalg.precise import DPS, eigh_mp, gram_mp, mpf_array
from verifythm.quantities.directional import directional_alignment
from verifythm.strategies import gradients_and_residuals

from ._common import KEY, gradient_shapes, random_gradient_matrices
from ._symbolic import mean, sym_matrix, sym_vector


def _parts(inst: dict[str, Any]) -> dict[str, Any]:
    Q, e = np.asarray(inst["Q"], float), np.asarray(inst["e"], float)
    Q, e = Q / max(np.abs(Q).max(), 1e-300), e / max(np.abs(e).max(), 1e-300)
    n = Q.shape[1]
    G = Q @ Q.T / n
    S1 = (Q * (e * e)) @ Q.T / n
    gL = Q @ e / n
    L = float(e @ e) / (2 * n)
    lam, U = np.linalg.eigh(G)
    keep = lam > 1e-9 * max(lam[-1], 1e-300)
    return {
        "G": G,
        "S1": S1,
        "S0": S1 - np.outer(gL, gL),
        "gL": gL,
        "L": L,
        "lam": lam[keep],
        "U": U[:, keep],
    }


def _nondegenerate(inst: dict[str, Any]) -> bool:
    Q, e = np.asarray(inst["Q"], float), np.asarray(inst["e"], float)
    Qs, es = Q / max(np.abs(Q).max(), 1e-300), e / max(np.abs(e).max(), 1e-300)
    return bool(
        np.abs(es).max() > 1e-6 and np.linalg.norm(Qs.T @ Qs) > 1e-6 and np.linalg.norm(Qs @ es) > 1e-6
    )


def _alpha_ratio(cov: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        Q, e = np.asarray(inst["Q"], float), np.asarray(inst["e"], float)
        Q, e = Q / max(np.abs(Q).max(), 1e-300), e / max(np.abs(e).max(), 1e-300)
        n = Q.shape[1]
        L = float(e @ e) / (2 * n)
        gL = Q @ e / n
        U, s, _ = np.linalg.svd(Q, full_matrices=False)
        worst, pair = -1.0, (1.0, 1.0)
        for k in np.flatnonzero(s > 1e-4 * s[0]):  # well-separated from the kernel of G
            u, lam = U[:, k], s[k] ** 2 / n
            b = Q.T @ u  # g_iᵀu_k
            energy = float((e * e) @ (b * b)) / n  # u_kᵀΣ₁u_k
            if cov == "S0":
                energy -= float(u @ gL) ** 2  # u_kᵀΣ₀u_k = E[(ξᵀu_k)²]
            alpha = energy / (2 * L)
            g = directional_alignment(Q, e, u)
            if abs(alpha / lam - g) > worst:
                worst, pair = abs(alpha / lam - g), (alpha / lam, g)
        return Comparison(pair[0], pair[1], "==", "α_k/λ_k", "g(θ; u_k)")

    return conclusion


def _alpha_ratio_mp(cov: str):
    """:func:`_alpha_ratio` in mpmath at 50 digits (the high-precision re-check).

    The eigen-directions of G = QQᵀ/n come from a high-precision eigen-decomposition and every sum
    is taken at that precision (the inputs read exactly; α/λ and g are invariant under the float
    rescaling of Q and e, which is therefore skipped).
    """

    def conclusion(inst: dict[str, Any]) -> Comparison:
        import mpmath

        with mpmath.workdps(DPS):
            Q, e = mpf_array(np.asarray(inst["Q"], float)), mpf_array(np.asarray(inst["e"], float))
            n = Q.shape[1]
            e2 = e * e
            L = mpmath.fsum(e2) / (2 * n)
            gL = Q.dot(e) / n
            lam_all, U = eigh_mp(gram_mp(np.asarray(inst["Q"], float)) / n)  # descending
            worst, pair = mpmath.mpf(-1), (mpmath.mpf(1), mpmath.mpf(1))
            for k, lam in enumerate(lam_all):
                if not lam > mpmath.mpf("1e-8") * lam_all[0]:  # s_k > 1e-4 s_1, as in float64
                    continue
                u = U[:, k]
                b2 = Q.T.dot(u) ** 2  # (g_iᵀu_k)²
                s1 = mpmath.fsum(e2 * b2) / n  # u_kᵀΣ₁u_k
                energy = s1 - gL.dot(u) ** 2 if cov == "S0" else s1
                ratio = energy / (2 * L) / lam
                g = s1 / (2 * L * (mpmath.fsum(b2) / n))  # Def. 4.1 (vᵀGv > 0 here)
                if abs(ratio - g) > worst:
                    worst, pair = abs(ratio - g), (ratio, g)
            return Comparison(pair[0], pair[1], "==", "α_k/λ_k", "g(θ; u_k)")

    return conclusion


def _noise_energy(inst: dict[str, Any]) -> Comparison:
    P = _parts(inst)
    v = np.asarray(inst["v"], float)
    lhs = float(v @ P["S0"] @ v)
    vGv = float(v @ P["G"] @ v)
    g = float(v @ P["S1"] @ v) / (2 * P["L"] * vGv) if vGv > 0 else 1.0
    rhs = 2 * g * P["L"] * vGv - float(v @ P["gL"]) ** 2
    return Comparison(
        lhs, rhs, "==", "E[(ξᵀv)²] = vᵀΣ₀v", "2gL·vᵀGv − (vᵀ∇L)²", scale=float(v @ P["S1"] @ v) + 1e-300
    )


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _, n, Q in random_gradient_matrices(rng, k):
        e = rng.standard_normal(n)
        out.append({"Q": Q, "e": e, "v": rng.standard_normal(Q.shape[0])})
    return out


def _symbolic_parts() -> dict[str, Any]:
    """Symbolic p = 2, n = 3 gradients, residuals, direction v and the enumerated batch-one noise ξ_i."""
    import sympy as sp

    p, n = 2, 3
    Q, e, v = sym_matrix("q", p, n), sym_vector("e", n), sym_vector("v", p)
    grads = [e[i] * Q[:, i] for i in range(n)]  # ∇ℓ_i = e_i g_i
    gL = mean(grads)
    t = sp.Symbol("t", real=True)
    u = sp.Matrix([1 - t**2, 2 * t]) / (1 + t**2)  # a rational unit vector
    return {
        "Q": Q,
        "v": v,
        "u": u,
        "G": Q * Q.T / n,
        "S1": mean([gr * gr.T for gr in grads]),
        "gL": gL,
        "L": sum(x**2 for x in e) / (2 * n),
        "xi": [gr - gL for gr in grads],
    }


def noise_energy_obligations() -> list[Identity]:
    """§4 after Def. 4.1: E[(ξᵀv)²] = vᵀΣ₁v − (vᵀ∇L)² by enumerating the sampled index."""
    P = _symbolic_parts()
    v = P["v"]
    lhs = mean([(x.T * v)[0, 0] ** 2 for x in P["xi"]])
    return [
        Identity(mean(P["xi"]), P["xi"][0] * 0, "E[ξ] = 0"),
        Identity(lhs, (v.T * P["S1"] * v)[0, 0] - (v.T * P["gL"])[0, 0] ** 2, "E[(ξᵀv)²] = vᵀΣ₁v − (vᵀ∇L)²"),
    ]


def _alpha_obligations(sgd_noise: bool) -> Any:
    def build() -> list[Identity]:
        """§4 'Numerical validations': α/λ = g(θ; u) along a unit direction u, λ = uᵀGu."""
        P = _symbolic_parts()
        u = P["u"]
        lam = (u.T * P["G"] * u)[0, 0]
        s1 = (u.T * P["S1"] * u)[0, 0]
        g = s1 / (2 * P["L"] * lam)  # Definition 4.1
        if sgd_noise:  # times 2Lλ > 0 (scale-free, so any u ≠ 0): the SGD-noise energy would be uᵀΣ₁u
            v = P["v"]
            energy = mean([(x.T * v)[0, 0] ** 2 for x in P["xi"]])
            label = "E[(ξᵀu)²]/(2Lλ) = g(θ; u), times 2Lλ: E[(ξᵀu)²] = uᵀΣ₁u (printed)"
            return [Identity(energy, (v.T * P["S1"] * v)[0, 0], label)]
        return [Identity(s1 / (2 * P["L"] * lam), g, "uᵀΣ₁u/(2Lλ) = g(θ; u)")]

    return build


HYP = (
    gradient_shapes(),
    Hypothesis("L(θ) > 0, G ≠ 0 and ∇L ≠ 0", _nondegenerate),
)
SMALLEST = {"Q": np.array([[1.0]]), "e": np.array([1.0]), "v": np.array([1.0])}
SOURCE = Source(KEY, "Section 4, Definition 4.1 and Figure 2", page=6)
TOL = Tolerance(rtol=1e-7, atol=1e-12)
_strategy = (
    gradients_and_residuals().filter(_nondegenerate).map(lambda i: {**i, "v": np.ones(i["Q"].shape[0])})
)


def _identity_claim(conclusion: Any, symbolic: Any, **fields: Any) -> Claim:
    """An identity of Definition 4.1, decided on seeded and Hypothesis-drawn gradient sets."""
    return Claim(
        **fields,
        source=SOURCE,
        hypotheses=HYP,
        conclusion=conclusion,
        checks=(
            SymbolicCheck("symbolic", symbolic),
            ExactCheck("exact", _generate, fixed=[SMALLEST]),
            PropertyCheck("property", _strategy),
        ),
        tolerance=TOL,
        kind="identity",
    )


NOISE_ENERGY = _identity_claim(
    _noise_energy,
    noise_energy_obligations,
    id="wang2023.def4_1.noise_energy",
    title="E[(ξᵀv)²] = vᵀΣ₁v − (vᵀ∇L)² = 2g(θ;v)L·vᵀGv − (vᵀ∇L)²",
    statement=r"$\mathbb E[(\xi^Tv)^2]=v^T\Sigma_1v-(v^T\nabla\mathcal L)^2=2g(\theta;v)\mathcal L "
    r"v^TGv-(v^T\nabla\mathcal L)^2$.",
)

ALPHA_SIGMA1 = _identity_claim(
    _alpha_ratio("S1"),
    _alpha_obligations(sgd_noise=False),
    id="wang2023.def4_1.alpha_ratio.sigma1",
    title="α_k/λ_k = g(θ; u_k) with α_k = u_kᵀΣ₁u_k/(2L) (noise covariance Σ₁)",
    statement=r"With $\alpha_k=u_k^T\Sigma_1u_k/(2\mathcal L)$, $\alpha_k/\lambda_k=g(\theta;u_k)$ for "
    r"every $\lambda_k>0$.",
)

ALPHA_SGD = Claim(
    id="wang2023.def4_1.alpha_ratio",
    title="α_k/λ_k = g(θ; u_k) with α_k = E[(ξᵀu_k)²]/(2L), ξ the SGD noise (as printed)",
    source=SOURCE,
    statement=(
        r"With $\alpha_k=\mathbb E[(\xi^Tu_k)^2]/(2\mathcal L)$ for the SGD noise ξ (covariance $\Sigma_0$), "
        r"$g(\theta;u_k)=\alpha_k/\lambda_k$."
    ),
    hypotheses=HYP,
    conclusion=_alpha_ratio("S0"),
    precise_conclusion=_alpha_ratio_mp("S0"),
    checks=(
        SymbolicCheck("symbolic", _alpha_obligations(sgd_noise=True)),
        ExactCheck("exact", _generate, fixed=[SMALLEST]),
    ),
    tolerance=TOL,
    kind="identity",
    expected=Expected.fails(
        "scope, not an error: §2 agrees to call Σ₁ the noise covariance ('Σ := Σ₁'), and with that "
        "convention α_k/λ_k = g(θ;u_k) holds (`wang2023.def4_1.alpha_ratio.sigma1`); the convention is "
        "necessary: for the actual SGD noise (covariance Σ₀ = Σ₁ − ∇L∇Lᵀ) α_k/λ_k = g(θ;u_k) − "
        "(u_kᵀ∇L)²/(2Lλ_k) (p = n = 1, Q = (1), e = (1): α₁/λ₁ = 0, g = 1)",
        "docs/errata/wang2023.def4_1.alpha_ratio__exact.md",
        finding="scope",
    ),
)

CLAIMS = [NOISE_ENERGY, ALPHA_SIGMA1, ALPHA_SGD]
