r"""Wang & Wu (2023), §4 after Definition 4.1: α_k/λ_k = g(θ; u_k) along the eigen-directions of G.

Setting
-------
Square loss at θ with model gradients :math:`Q\in\mathbb R^{p\times n}`, residuals :math:`e`,
:math:`\mathcal L>0`, :math:`G=\frac1nQQ^T=\sum_k\lambda_ku_ku_k^T` (:math:`\lambda_k>0`),
:math:`\Sigma_1=\frac1n\sum_ie_i^2g_ig_i^T`, :math:`\nabla\mathcal L=\frac1n\sum_ie_ig_i`, and the
batch-one SGD noise ξ with covariance :math:`\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T`.
Directional alignment (Def. 4.1): :math:`g(\theta;v)=v^T\Sigma_1v/(2\mathcal L\,v^TGv)`.

Statement
---------
(§4, "Numerical validations") with :math:`\alpha_k` the noise energy along :math:`u_k` divided by
:math:`2\mathcal L`, :math:`g(\theta;u_k)=\alpha_k/\lambda_k`: ``wang2023.def4_1.alpha_ratio.sigma1`` with
the noise covariance :math:`\Sigma_1`, ``wang2023.def4_1.alpha_ratio`` (expected to fail) with the actual
SGD noise (covariance :math:`\Sigma_0`).

Finding
-------
The rendering prints :math:`\alpha_k=\mathbb E[\xi^Tu_k]^2/(2\mathcal L)`, which read literally is
:math:`(\mathbb E\xi^Tu_k)^2=0`; the second moment :math:`\mathbb E[(\xi^Tu_k)^2]` is meant (typo).  With that
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
* ``symbolic``: for symbolic :math:`Q\in\mathbb R^{2\times3}`, :math:`e`, and the batch-one noise
  :math:`\xi=e_ig_i-\nabla\mathcal L` with the index enumerated, along a unit direction
  :math:`u=((1-t^2),2t)/(1+t^2)` with :math:`\lambda=u^TGu` (an eigenvector's Rayleigh quotient is its
  eigenvalue): :math:`\alpha/\lambda=g(\theta;u)` with :math:`\Sigma_1`, and, for
  ``wang2023.def4_1.alpha_ratio``, the printed step times :math:`2\mathcal L\lambda` (enumerated SGD-noise
  energy equals :math:`u^T\Sigma_1u`), which sympy cannot close and the exact rational fallback refutes
  (the check fails, as the claim is expected to).
* ``property`` (``.sigma1``): Hypothesis over gradient families and residuals.
* A violation of ``wang2023.def4_1.alpha_ratio`` is re-checked in mpmath at 50 digits (eigen-directions
  of :math:`G` from a high-precision eigen-decomposition).

References
----------
[wang2023noise, Definition 4.1, Section 4 and Figure 2; Eq. (7)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Expected, Identity, SymbolicCheck
from verifythm.linalg.precise import DPS, eigh_mp, gram_mp, mpf_array
from verifythm.quantities.directional import directional_alignment

from ._common import scaled_gradients
from ._def4_1 import HYP, INPUTS, SMALLEST, SOURCE, TOL, generate, identity_claim, symbolic_parts
from ._symbolic import mean


def _alpha_ratio(cov: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        Q, e = scaled_gradients(inst)
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
            Q, e = mpf_array(inst["Q"]), mpf_array(inst["e"])
            n = Q.shape[1]
            e2 = e * e
            L = mpmath.fsum(e2) / (2 * n)
            gL = Q.dot(e) / n
            lam_all, U = eigh_mp(gram_mp(inst["Q"]) / n)  # descending
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


def _alpha_obligations(sgd_noise: bool) -> Any:
    def build() -> list[Identity]:
        """§4 'Numerical validations': α/λ = g(θ; u) along a unit direction u, λ = uᵀGu."""
        P = symbolic_parts()
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


ALPHA_SIGMA1 = identity_claim(
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
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", _alpha_obligations(sgd_noise=True)),
        ExactCheck("exact", generate, fixed=[SMALLEST]),
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

CLAIMS = [ALPHA_SIGMA1, ALPHA_SGD]
