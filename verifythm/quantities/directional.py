r"""Noise-geometry metrics of wang2023noise: loss alignment, directional alignment, escape ratios.

Square loss :math:`\mathcal L(\theta) = \frac1{2n}\sum_i e_i^2` with residuals
:math:`e_i = f(x_i;\theta) - y_i` and model gradients :math:`g_i = \nabla f(x_i;\theta)`,
the columns of :math:`Q\in\mathbb R^{p\times n}` (as in
:mod:`verifythm.quantities.alignment`).  With :math:`G = \frac1n QQ^T` and
:math:`\Sigma_1 = \frac1n\sum_i e_i^2g_ig_i^T` (wang2023noise, Eq. (7)):

* loss alignment (wang2023noise, Def. 3.1)
  :math:`\mu(\theta) = \gamma_1/\bar\gamma_1 = \operatorname{Tr}(\Sigma_1G)/(2\mathcal L\|G\|_F^2)`;
* directional alignment (wang2023noise, Def. 4.1)
  :math:`g(\theta;v) = v^T\Sigma_1v/(2\mathcal L\,v^TGv)`.

The 0/0 convention.  Both ratios are 0/0 when their denominator vanishes: at a global
minimum (:math:`\mathcal L = 0`), and for :math:`g` also when :math:`v^TGv = 0` (then
every :math:`g_i^Tv = 0`, so :math:`v^T\Sigma_1v = 0` too).  The paper sets such ratios
to 1: for :math:`\mu` at global minima (wang2023noise, §3 after Def. 3.1) and for
:math:`g` whenever the residual or :math:`\nabla F(\theta)v` vanishes (wang2023noise,
App. C.1, proof of Thm. 4.2, Case (i)).  Here ``zero_over_zero`` (default 1) is used
whenever the denominator is exactly zero; for :math:`\mu` that also covers :math:`G = 0`
(all model gradients zero), which the paper does not discuss; pass ``None`` to raise instead.

Exact extremes of both ratios (over θ for feature models, over v at fixed θ) are in
:mod:`verifythm.quantities.directional_extremes`, the escape ratios of wang2023noise §5 in
:mod:`verifythm.quantities.escape`; both are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, check_vector
from verifythm.quantities.directional_extremes import (
    QuotientExtremes,
    directional_alignment_extremes_theta,
    directional_alignment_extremes_v,
    loss_alignment_extremes_theta,
)
from verifythm.quantities.escape import (
    EscapeRatios,
    escape_components,
    escape_ratios,
    escape_spectral_ratio,
    gd_escape_ratio,
)
from verifythm.quantities.validation import check_Qe, unit_max

__all__ = [
    "EigenAlignment",
    "EscapeRatios",
    "QuotientExtremes",
    "directional_alignment",
    "directional_alignment_extremes_theta",
    "directional_alignment_extremes_v",
    "eigendirection_alignment",
    "escape_components",
    "escape_ratios",
    "escape_spectral_ratio",
    "gd_escape_ratio",
    "loss_alignment",
    "loss_alignment_extremes_theta",
]


def _convention(value: float | None, what: str, name: str) -> float:
    if value is None:
        raise ValueError(f"{name}: {what} is 0/0 and zero_over_zero=None")
    return float(value)


# ----------------------------------------------------------------------------- the two metrics


def loss_alignment(Q: ArrayLike, e: ArrayLike, *, zero_over_zero: float | None = 1.0) -> float:
    r"""Loss alignment :math:`\mu = \gamma_1/\bar\gamma_1` (wang2023noise, Def. 3.1).

    :math:`\mu(\theta) = \operatorname{Tr}(\Sigma_1G)/(2\mathcal L\|G\|_F^2)`: this paper's
    Σ is Σ₁, so μ is wu2022alignment's :math:`\mu_1`, computed by
    :func:`~verifythm.quantities.alignment.alignment_factors` from :math:`K = Q^TQ`
    (no :math:`p\times p` matrix); the 0/0 convention applies when :math:`L = 0` or :math:`G = 0`.

    Parameters
    ----------
    Q
        Model gradients :math:`g_i` as columns, shape ``(p, n)``.
    e
        Residuals :math:`e_i = f(x_i;\theta) - y_i`, shape ``(n,)``.
    zero_over_zero
        Value returned when :math:`\bar\gamma_1 = 2\mathcal L\|G\|_F^2 = 0` (then also
        :math:`\gamma_1 = 0`); the paper's convention is 1.  ``None`` raises ``ValueError``.

    Returns
    -------
    float
        :math:`\mu(\theta)`.

    Examples
    --------
    >>> loss_alignment([[1.0, 0.0], [0.0, 1.0]], [1.0, 0.0])
    1.0
    >>> loss_alignment([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])  # global minimum: 0/0 := 1
    1.0
    """
    from verifythm.quantities.alignment import alignment_factors

    Qa, ea = check_Qe(Q, e)
    if not np.any(ea) or not np.any(Qa):  # L(θ) = 0 or G = 0: the paper's 0/0 convention
        return _convention(zero_over_zero, "μ(θ) at L(θ) = 0 or G = 0", "e")
    return alignment_factors(Qa, ea).mu1  # the same ratio as wu2022alignment's μ₁


def directional_alignment(
    Q: ArrayLike, e: ArrayLike, v: ArrayLike, *, zero_over_zero: float | None = 1.0
) -> float:
    r"""Directional alignment :math:`g(\theta;v)` (wang2023noise, Def. 4.1).

    :math:`g(\theta;v) = v^T\Sigma_1v/(2\mathcal L\,v^TGv)`; with :math:`b_i = g_i^Tv`,
    :math:`g = \frac1n\sum_ie_i^2b_i^2\big/\big(\frac1n\sum_ie_i^2\cdot\frac1n\sum_ib_i^2\big)`,
    cost :math:`O(np)`.

    Parameters
    ----------
    Q
        Model gradients as columns, shape ``(p, n)``.
    e
        Residuals, shape ``(n,)``.
    v
        Direction :math:`v\in\mathbb R^p`.
    zero_over_zero
        Value when :math:`\mathcal L = 0` or :math:`v^TGv = 0` (the paper's 1,
        wang2023noise, App. C.1 Case (i)); ``None`` raises ``ValueError``.

    Returns
    -------
    float
        :math:`g(\theta;v)`.
    """
    Qa, ea = check_Qe(Q, e)
    va = check_vector(v, Qa.shape[0], "v")
    b = unit_max(Qa.T @ unit_max(va))
    ea = unit_max(ea)
    e2, b2 = ea * ea, b * b
    den = float(e2.mean()) * float(b2.mean())
    if den == 0.0:
        return _convention(zero_over_zero, "g(θ; v) at L(θ) = 0 or vᵀGv = 0", "v")
    return float((e2 * b2).mean()) / den


@dataclass(frozen=True)
class EigenAlignment:
    r"""Alignment along the eigen-directions of :math:`G` (wang2023noise, §4, Fig. 2).

    ``lam`` are the positive eigenvalues :math:`\lambda_k` of :math:`G` (decreasing), ``U`` the
    eigenvectors :math:`u_k` (columns), ``alpha`` the relative noise energies
    :math:`\alpha_k = u_k^T\Sigma_1u_k/(2\mathcal L)`, and ``ratio``
    :math:`= \alpha_k/\lambda_k = g(\theta;u_k)`.
    """

    lam: Array
    U: Array
    alpha: Array
    ratio: Array


def eigendirection_alignment(Q: ArrayLike, e: ArrayLike, *, rtol: float = 1e-10) -> EigenAlignment:
    r""":math:`\lambda_k`, :math:`\alpha_k` and :math:`g(\theta;u_k) = \alpha_k/\lambda_k` (wang2023noise §4).

    From the thin SVD :math:`Q = USW^T`: :math:`\lambda_k = s_k^2/n`, :math:`g_i^Tu_k = s_kW_{ik}`, so
    :math:`\alpha_k = \frac1n\sum_ie_i^2s_k^2W_{ik}^2/(2\mathcal L)`.  The paper's
    ":math:`\mathbb E[\xi^Tu_k]^2`" must be read as :math:`\mathbb E[(\xi^Tu_k)^2] = u_k^T\Sigma_1u_k`
    (with the paper's :math:`\Sigma := \Sigma_1`) for :math:`\alpha_k/\lambda_k = g(\theta;u_k)` to hold.
    Eigenvectors of repeated eigenvalues are not unique, and neither are their :math:`\alpha_k`.

    Parameters
    ----------
    Q
        Model gradients as columns, shape ``(p, n)``.
    e
        Residuals, shape ``(n,)``; must not all vanish.
    rtol
        Singular values below ``rtol`` times the largest are treated as zero.

    Returns
    -------
    EigenAlignment
        Eigenpairs on :math:`\operatorname{range}G` with their :math:`\alpha_k` and ratios.
    """
    Qa, ea = check_Qe(Q, e)
    ea = unit_max(ea)
    if not np.any(ea):
        raise ValueError("e: L(θ) = 0 (a global minimum); α_k = u_kᵀΣ₁u_k/(2L) is undefined")
    n = Qa.shape[1]
    U, s, Wt = np.linalg.svd(Qa, full_matrices=False)
    keep = s > rtol * s[0] if s.size and s[0] > 0 else np.zeros(s.shape, bool)
    U, s, W = U[:, keep], s[keep], Wt[keep].T
    e2 = ea * ea
    lam = s * s / n
    alpha = (e2 @ (W * W)) * s * s / n / float(e2.mean())
    ratio = (e2 @ (W * W)) / float(e2.mean())  # α_k/λ_k with s_k² cancelled
    return EigenAlignment(lam=lam, U=U, alpha=alpha, ratio=ratio)
