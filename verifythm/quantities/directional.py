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

Exact extremes.  For a feature (linear) model :math:`f(x;\theta) = \langle\theta,\phi(x)\rangle`
(rows :math:`\phi_i` of :math:`\Phi\in\mathbb R^{n\times p}`), :math:`G` and the :math:`g_i`
do not depend on θ and :math:`e = \Phi\theta - y`, so

.. math:: g(\theta;v) = \frac{e^T\operatorname{diag}(w)e}{e^Te},\quad
          w_i = \frac{(\phi_i^Tv)^2}{\frac1n\sum_j(\phi_j^Tv)^2};\qquad
          \mu(\theta) = \frac{e^T\operatorname{diag}(w)e}{e^Te},\quad
          w_i = \frac{\phi_i^TG\phi_i}{\|G\|_F^2}.

These are Rayleigh quotients over the affine set :math:`\{\Phi\theta - y\}`.  Homogenising
(:math:`e = \Phi\theta - ty`) turns them into the pencil
:math:`(M^T\operatorname{diag}(w)M, M^TM)`, :math:`M = [\Phi, -y]`, whose denominator is singular
on :math:`\ker M`; restricted to the range :math:`\operatorname{span}(\operatorname{range}\Phi, y)`
(orthonormal basis from an SVD) it becomes a symmetric eigenproblem.  An extreme eigenvector is
attained by some θ iff it has a non-zero :math:`y_\perp` component (or :math:`y\in\operatorname{range}\Phi`);
otherwise the extreme is a supremum approached as :math:`\|\theta\|\to\infty`.  For a fixed θ the
extremes over :math:`v` are those of the pencil :math:`(\Sigma_1, 2\mathcal L\,G)` restricted to
:math:`\operatorname{range}G` (solved with :func:`scipy.linalg.eigh`).

Escape (wang2023noise, §5).  For the linearised dynamics around a minimum θ* with
:math:`G = \sum_i\lambda_iu_iu_i^T` (:math:`\lambda_1\ge\lambda_2\ge\cdots`) and
:math:`w_{t,i} = u_i^T(\theta_t - \theta^*)`:
:math:`X_t = \sum_{i\le k}\lambda_i\mathbb E w_{t,i}^2`,
:math:`Y_t = \sum_{i>k}\lambda_i\mathbb E w_{t,i}^2`, :math:`D_{t,k} = Y_t/X_t` and
:math:`P_{t,k} = \sum_{i>k}\mathbb E w_{t,i}^2/\sum_{i\le k}\mathbb E w_{t,i}^2`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.angles import _check_k
from verifythm.linalg.psd import Array, as_finite, check_positive

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


# ----------------------------------------------------------------------------- validation helpers


def _check_Qe(Q: ArrayLike, e: ArrayLike) -> tuple[Array, Array]:
    Qa = as_finite(Q, "Q", ndim=2)
    if Qa.shape[1] == 0 or Qa.shape[0] == 0:
        raise ValueError(f"Q: expected a (p, n) matrix with p, n >= 1, got shape {Qa.shape}")
    ea = as_finite(e, "e", ndim=1)
    if ea.shape[0] != Qa.shape[1]:
        raise ValueError(f"e: expected {Qa.shape[1]} residuals (one per column of Q), got {ea.shape[0]}")
    return Qa, ea


def _check_vec(v: ArrayLike, length: int, name: str) -> Array:
    va = as_finite(v, name, ndim=1)
    if va.shape[0] != length:
        raise ValueError(f"{name}: expected length {length}, got {va.shape[0]}")
    return va


def _unit_max(a: Array) -> Array:
    c = float(np.max(np.abs(a))) if a.size else 0.0
    return a / c if c > 0 else a


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

    Qa, ea = _check_Qe(Q, e)
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
    Qa, ea = _check_Qe(Q, e)
    va = _check_vec(v, Qa.shape[0], "v")
    b = _unit_max(Qa.T @ _unit_max(va))
    ea = _unit_max(ea)
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
    Qa, ea = _check_Qe(Q, e)
    ea = _unit_max(ea)
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


# ----------------------------------------------------------------------------- exact extremes


@dataclass(frozen=True)
class QuotientExtremes:
    r"""Exact :math:`\inf` and :math:`\sup` of an alignment ratio and where they are reached.

    ``arg_inf``/``arg_sup`` are optimisers (a θ or a v) when ``inf_attained``/``sup_attained``;
    otherwise (only for extremes over θ) they are recession directions :math:`d` with
    :math:`g(\theta + Rd)\to` the extreme as :math:`R\to\infty`, for every θ.
    ``inf_by_convention``/``sup_by_convention`` mark an extreme equal to the 0/0 value, reached at a
    global minimum or a direction with :math:`v^TGv = 0`; there the ratio is 0/0 only in exact
    arithmetic (a float evaluation at the returned optimiser may see rounding residue instead).
    """

    inf: float
    sup: float
    arg_inf: Array
    arg_sup: Array
    inf_attained: bool
    sup_attained: bool
    inf_by_convention: bool = False
    sup_by_convention: bool = False


def _null_direction(U: Array) -> Array:
    """A unit vector orthogonal to the orthonormal columns of ``U`` (which must not span R^p)."""
    p = U.shape[0]
    resid = 1.0 - (U * U).sum(axis=1)
    j = int(np.argmax(resid))
    x = -U @ U[j]
    x[j] += 1.0
    x -= U @ (U.T @ x)  # re-orthogonalise
    return x / np.linalg.norm(x) if p else x


def directional_alignment_extremes_v(
    Q: ArrayLike, e: ArrayLike, *, include_convention: bool = True, rtol: float = 1e-10
) -> QuotientExtremes:
    r"""Exact :math:`\inf_v g(\theta;v)` and :math:`\sup_v g(\theta;v)` at fixed θ (wang2023noise, Def. 4.1).

    Generalised eigenvalues of the pencil :math:`(\Sigma_1, 2\mathcal L G)` restricted to
    :math:`\operatorname{range}G`: with :math:`Q = USW^T`, :math:`v = Ua`, the restricted pencil is
    :math:`(SW^T\operatorname{diag}(e^2)WS/n,\ 2\mathcal L S^2/n)`.  Its denominator is diagonal and
    positive definite, so the congruence :math:`a = S^{-1}c` turns it exactly into the standard problem
    for :math:`W^T\operatorname{diag}(e^2)W/(2\mathcal L)` (no :math:`s_k` left to amplify rounding),
    solved by :func:`scipy.linalg.eigh`.  Directions in :math:`\ker G` give :math:`g = 0/0 := 1`; they are
    included when ``include_convention`` (as in the paper's "for any v"), and so is the global-minimum
    case (:math:`g\equiv 1`).

    Parameters
    ----------
    Q
        Model gradients as columns, shape ``(p, n)``.
    e
        Residuals, shape ``(n,)``.
    include_convention
        Count the 0/0 := 1 directions; if ``False``, ``L = 0`` or ``G = 0`` raise ``ValueError``.
    rtol
        Relative threshold for the numerical rank of :math:`Q`.

    Returns
    -------
    QuotientExtremes
        Extremes with unit optimisers :math:`v` (always attained).
    """
    import scipy.linalg

    Qa, ea = _check_Qe(Q, e)
    p = Qa.shape[0]
    Qs, es = _unit_max(Qa), _unit_max(ea)
    U, s, Wt = np.linalg.svd(Qs, full_matrices=False)
    keep = s > rtol * s[0] if s.size and s[0] > 0 else np.zeros(s.shape, bool)
    U, s, W = U[:, keep], s[keep], Wt[keep].T
    if not np.any(es) or s.size == 0:
        if not include_convention:
            raise ValueError("e: g(θ; v) is 0/0 for every v (L(θ) = 0 or G = 0)")
        v0 = np.zeros(p)
        v0[0] = 1.0
        return QuotientExtremes(1.0, 1.0, v0, v0.copy(), True, True, True, True)
    e2 = es * es
    C = (W.T * (e2 / float(e2.mean()))) @ W  # = S⁻¹ A_r S⁻¹ / (2L/n): the pencil in standard form
    vals, vecs = scipy.linalg.eigh((C + C.T) / 2)
    lo = (float(vals[0]), U @ (vecs[:, 0] / s), False)
    hi = (float(vals[-1]), U @ (vecs[:, -1] / s), False)
    if include_convention and U.shape[1] < p:
        z = _null_direction(U)
        if 1.0 < lo[0]:
            lo = (1.0, z, True)
        if 1.0 > hi[0]:
            hi = (1.0, z, True)
    a_lo, a_hi = lo[1] / np.linalg.norm(lo[1]), hi[1] / np.linalg.norm(hi[1])
    return QuotientExtremes(lo[0], hi[0], a_lo, a_hi, True, True, lo[2], hi[2])


def _check_Phi_y(Phi: ArrayLike, y: ArrayLike) -> tuple[Array, Array]:
    P = as_finite(Phi, "Phi", ndim=2)
    if P.shape[0] == 0 or P.shape[1] == 0:
        raise ValueError(f"Phi: expected an (n, p) feature matrix with n, p >= 1, got shape {P.shape}")
    ya = _check_vec(y, P.shape[0], "y")
    return P, ya


def _undefined_everywhere(p: int, include_convention: bool, message: str) -> QuotientExtremes:
    """The ratio is 0/0 at every θ: the value 1 by convention (at θ = 0), else ``ValueError(message)``."""
    if not include_convention:
        raise ValueError(message)
    th = np.zeros(p)
    return QuotientExtremes(1.0, 1.0, th, th.copy(), True, True, True, True)


def _weighted_extremes(
    raw: Array, Phi: Array, y: Array, include_convention: bool, rtol: float, undefined: str
) -> QuotientExtremes:
    """:func:`_affine_quotient_extremes` with weights ``raw / mean(raw)`` (``raw = 0``: see ``undefined``)."""
    if not np.any(raw):
        return _undefined_everywhere(Phi.shape[1], include_convention, undefined)
    return _affine_quotient_extremes(raw / raw.mean(), Phi, y, include_convention, rtol)


def _affine_quotient_extremes(
    weights: Array, Phi: Array, y: Array, include_convention: bool, rtol: float
) -> QuotientExtremes:
    r"""Extremes of :math:`e^T\operatorname{diag}(w)e/e^Te` over :math:`e = \Phi\theta - y \ne 0`."""
    import scipy.linalg

    p = Phi.shape[1]
    U, s, Vt = np.linalg.svd(Phi, full_matrices=False)
    keep = s > rtol * s[0] if s.size and s[0] > 0 else np.zeros(s.shape, bool)
    U, s, V = U[:, keep], s[keep], Vt[keep].T

    def solve(rhs: Array) -> Array:  # minimum-norm θ with Φθ = rhs (rhs ∈ range Φ)
        return V @ ((U.T @ rhs) / s)

    y_perp = y - U @ (U.T @ y)
    ny = float(np.linalg.norm(y))
    nperp = float(np.linalg.norm(y_perp))
    interpolable = nperp <= max(rtol * ny, 1e-300) or ny == 0.0
    Z = U if interpolable else np.column_stack([U, y_perp / nperp])
    if Z.shape[1] == 0:  # Φ = 0 and y = 0: e ≡ 0, every θ is a global minimum
        return _undefined_everywhere(
            p, include_convention, "y: every θ interpolates (Φ = 0, y = 0); the ratio is 0/0 everywhere"
        )
    A_r = (Z.T * weights) @ Z
    vals, vecs = scipy.linalg.eigh((A_r + A_r.T) / 2)
    tol = 1e-9 * max(float(np.max(np.abs(vals))), 1e-300)

    def optimiser(idx: int) -> tuple[Array, bool]:
        block = vecs[:, np.abs(vals - vals[idx]) <= tol]
        if interpolable:
            e_star = Z @ block[:, 0]
            return solve(y + e_star), True
        # pick, inside the extreme eigenspace, the vector with the largest y_⊥ coordinate τ
        last = block[-1, :]
        c = block @ last if np.linalg.norm(last) > 1e-12 else block[:, 0]
        c = c / np.linalg.norm(c)
        tau = float(c[-1])
        e_star = Z @ c
        if abs(tau) <= 1e-12:  # only approached as ‖θ‖ → ∞ along Φd = e*
            return solve(e_star), False
        scale = -nperp / tau  # Φθ − y = scale·e*  (compare y_⊥ components)
        return solve(y + scale * e_star), True  # solve() projects onto range Φ (drops the y_⊥ parts)

    lo_v, hi_v = float(vals[0]), float(vals[-1])
    lo_arg, lo_att = optimiser(0)
    hi_arg, hi_att = optimiser(len(vals) - 1)
    lo_c = hi_c = False
    if include_convention and interpolable:
        theta_min = solve(y)
        if 1.0 < lo_v:
            lo_v, lo_arg, lo_att, lo_c = 1.0, theta_min, True, True
        if 1.0 > hi_v:
            hi_v, hi_arg, hi_att, hi_c = 1.0, theta_min, True, True
    return QuotientExtremes(lo_v, hi_v, lo_arg, hi_arg, lo_att, hi_att, lo_c, hi_c)


def directional_alignment_extremes_theta(
    Phi: ArrayLike, y: ArrayLike, v: ArrayLike, *, include_convention: bool = True, rtol: float = 1e-10
) -> QuotientExtremes:
    r"""Exact :math:`\inf_\theta g`, :math:`\sup_\theta g` for a feature model (wang2023noise, Def. 4.1).

    For :math:`f(x;\theta) = \langle\theta,\phi(x)\rangle`, :math:`g(\theta;v)` is the Rayleigh quotient of
    :math:`\operatorname{diag}(w)`, :math:`w_i = b_i^2/\overline{b^2}`, :math:`b = \Phi v`, over the residuals
    :math:`e = \Phi\theta - y` (see the module docstring).  The extremes are the extreme eigenvalues of the
    quotient restricted to :math:`\operatorname{span}(\operatorname{range}\Phi, y)`; interpolating θ (if any)
    contribute the convention value 1 when ``include_convention``.

    Parameters
    ----------
    Phi
        Features :math:`\phi(x_i)` as rows, shape ``(n, p)`` (so :math:`Q = \Phi^T`).
    y
        Targets, shape ``(n,)``.
    v
        Direction, shape ``(p,)``.
    include_convention
        Include the 0/0 := 1 values (global minima; :math:`v^TGv = 0` gives :math:`g\equiv1`).
    rtol
        Relative threshold for the numerical rank of Φ and for :math:`y\in\operatorname{range}\Phi`.

    Returns
    -------
    QuotientExtremes
        Extremes and optimisers θ (or recession directions when not attained).
    """
    P, ya = _check_Phi_y(Phi, y)
    va = _check_vec(v, P.shape[1], "v")
    b = _unit_max(P @ _unit_max(va))
    return _weighted_extremes(
        b * b, P, ya, include_convention, rtol, "v: vᵀGv = 0, so g(θ; v) is 0/0 for every θ"
    )


def loss_alignment_extremes_theta(
    Phi: ArrayLike, y: ArrayLike, *, include_convention: bool = True, rtol: float = 1e-10
) -> QuotientExtremes:
    r"""Exact :math:`\inf_\theta\mu`, :math:`\sup_\theta\mu` for a feature model (wang2023noise, Def. 3.1).

    :math:`\mu(\theta) = e^T\operatorname{diag}(w)e/e^Te` with :math:`w_i = \chi_i/\|G\|_F^2`,
    :math:`\chi_i = \phi_i^TG\phi_i` (wu2022alignment, Def. 2.1), over :math:`e = \Phi\theta - y`.

    Parameters
    ----------
    Phi
        Features as rows, shape ``(n, p)``.
    y
        Targets, shape ``(n,)``.
    include_convention
        Include the value 1 at interpolating θ (and for :math:`G = 0`).
    rtol
        Relative threshold for the numerical rank of Φ.

    Returns
    -------
    QuotientExtremes
        Extremes and optimisers θ (or recession directions when not attained).
    """
    P, ya = _check_Phi_y(Phi, y)
    Ps = _unit_max(P)
    K = Ps @ Ps.T
    return _weighted_extremes(
        (K * K).sum(axis=1), P, ya, include_convention, rtol, "Phi: G = 0, so μ(θ) is 0/0 for every θ"
    )


# ----------------------------------------------------------------------------- escape (§5)


def _check_eig(lam: ArrayLike, U: ArrayLike, *, square: bool) -> tuple[Array, Array]:
    la = as_finite(lam, "lam", ndim=1)
    Ua = as_finite(U, "U", ndim=2)
    if Ua.shape[1] != la.shape[0]:
        raise ValueError(f"U: expected {la.shape[0]} columns (one per eigenvalue), got shape {Ua.shape}")
    if square and Ua.shape[0] != Ua.shape[1]:
        raise ValueError(f"U: expected the full p×p eigenbasis, got shape {Ua.shape}")
    if la.size == 0:
        raise ValueError("lam: needs at least one eigenvalue")
    scale = max(float(np.max(np.abs(la))), 1e-300)
    if np.any(la < -1e-12 * scale):
        raise ValueError(f"lam: eigenvalues of G must be >= 0, got min {la.min():.3g}")
    gram = Ua.T @ Ua
    if np.max(np.abs(gram - np.eye(gram.shape[0])), initial=0.0) > 1e-8:
        raise ValueError("U: columns are not orthonormal")
    order = np.argsort(-la, kind="stable")
    return np.clip(la[order], 0.0, None), Ua[:, order]


def _coords(trajectory: ArrayLike, U: Array, theta_star: ArrayLike | None) -> Array:
    traj = as_finite(trajectory, "trajectory")
    if traj.ndim not in (2, 3):
        raise ValueError(f"trajectory: expected shape (T, p) or (R, T, p), got {traj.shape}")
    p = U.shape[0]
    if traj.shape[-1] != p:
        raise ValueError(f"trajectory: expected iterates of length p = {p}, got {traj.shape[-1]}")
    if traj.shape[-2] == 0:
        raise ValueError("trajectory: needs at least one iterate")
    star = np.zeros(p) if theta_star is None else _check_vec(theta_star, p, "theta_star")
    return (traj - star) @ U  # w_{t,i} = u_iᵀ(θ_t − θ*)


@dataclass(frozen=True)
class EscapeRatios:
    r"""Per-step energies of wang2023noise, §5 (arrays of length T).

    ``X``/``Y``: loss energy :math:`\sum\lambda_i\mathbb E w_{t,i}^2` along the top-k (sharp) / remaining
    (flat) eigen-directions; ``sharp_var``/``flat_var``: the unweighted :math:`\sum\mathbb E w_{t,i}^2`.
    ``D`` :math:`= Y/X` and ``P`` :math:`=` ``flat_var/sharp_var`` follow IEEE rules (``inf`` for
    :math:`c/0`, ``nan`` for :math:`0/0`).
    """

    X: Array
    Y: Array
    sharp_var: Array
    flat_var: Array

    @property
    def D(self) -> Array:
        r""":math:`D_{t,k} = Y_t/X_t` (concentration of loss energy on flat directions)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.Y / self.X

    @property
    def P(self) -> Array:
        r""":math:`P_{t,k}` (concentration of variance on flat directions)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.flat_var / self.sharp_var


def escape_ratios(
    trajectory: ArrayLike, lam: ArrayLike, U: ArrayLike, k: int, *, theta_star: ArrayLike | None = None
) -> EscapeRatios:
    r"""Escape energies :math:`X_t, Y_t` and ratios :math:`D_{t,k}, P_{t,k}` (wang2023noise, §5).

    With :math:`w_{t,i} = u_i^T(\theta_t - \theta^*)` and eigenvalues sorted decreasingly,
    :math:`X_t = \sum_{i\le k}\lambda_i\mathbb Ew_{t,i}^2`,
    :math:`Y_t = \sum_{i>k}\lambda_i\mathbb Ew_{t,i}^2`, :math:`D_{t,k} = Y_t/X_t`,
    :math:`P_{t,k} = \sum_{i>k}\mathbb Ew_{t,i}^2/\sum_{i\le k}\mathbb Ew_{t,i}^2`.
    The expectation is the mean over independent runs (axis 0 of a 3-d ``trajectory``); for a single
    run it is replaced by the realised squares.  The flat sums need every eigen-direction, so ``U`` must
    be the full orthonormal eigenbasis of :math:`G(\theta^*)` (zero eigenvalues included).

    Parameters
    ----------
    trajectory
        Iterates :math:`\theta_t`, shape ``(T, p)`` or ``(R, T, p)`` (``R`` runs).
    lam
        Eigenvalues :math:`\lambda_i\ge0` of :math:`G(\theta^*)`, shape ``(p,)`` (any order; sorted here).
    U
        Orthonormal eigenvectors as columns, shape ``(p, p)``.
    k
        Number of sharp directions, :math:`1\le k\le p`.
    theta_star
        The minimum θ*, default the origin (the linearised variable :math:`w = \theta - \theta^*`).

    Returns
    -------
    EscapeRatios
        With properties ``D`` and ``P``.
    """
    la, Ua = _check_eig(lam, U, square=True)
    kk = _check_k(k, la.shape[0])
    w = _coords(trajectory, Ua, theta_star)
    w2 = w * w
    Ew2 = w2.mean(axis=0) if w2.ndim == 3 else w2  # (T, p)
    return EscapeRatios(
        X=Ew2[:, :kk] @ la[:kk],
        Y=Ew2[:, kk:] @ la[kk:],
        sharp_var=Ew2[:, :kk].sum(axis=1),
        flat_var=Ew2[:, kk:].sum(axis=1),
    )


def escape_spectral_ratio(lam: ArrayLike, k: int) -> float:
    r"""Spectral ratio :math:`\sum_{i>k}\lambda_i^2/\sum_{i\le k}\lambda_i^2` of wang2023noise, Thm. 5.2.

    Theorem 5.2 lower-bounds :math:`D_{t,k}` by this ratio up to an absolute constant; for
    :math:`k = 1` it equals :math:`\operatorname{srk}(G^2) - 1`.

    Parameters
    ----------
    lam
        Eigenvalues of :math:`G` (any order; sorted decreasingly here), all :math:`\ge 0`.
    k
        :math:`1\le k\le p`.

    Returns
    -------
    float
        The ratio (``inf`` if the top-k eigenvalues all vanish but others do not).
    """
    la = as_finite(lam, "lam", ndim=1)
    if la.size == 0:
        raise ValueError("lam: needs at least one eigenvalue")
    if np.any(la < 0):
        raise ValueError("lam: eigenvalues of G must be >= 0")
    kk = _check_k(k, la.shape[0])
    la = np.sort(la)[::-1] / max(float(la.max()), 1e-300)
    top, rest = float(la[:kk] @ la[:kk]), float(la[kk:] @ la[kk:])
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(rest) / np.float64(top))


def gd_escape_ratio(lam: ArrayLike, U: ArrayLike, w0: ArrayLike, eta: float, t: ArrayLike) -> Array:
    r"""Right-hand side of wang2023noise, Prop. 5.3 for GD with step η, at steps ``t``.

    :math:`\sum_{i\ge2}\lambda_i(1-\eta\lambda_i)^{2t}w_{0,i}^2\big/\big(\lambda_1(1-\eta\lambda_1)^{2t}w_{0,1}^2\big)`,
    :math:`w_{0,i} = u_i^Tw_0`.  For exact GD on the quadratic :math:`\frac12w^TGw`,
    :math:`w_{t,i} = (1-\eta\lambda_i)^tw_{0,i}`, so this equals :math:`D_{t,1}` (the proposition's
    inequality is an equality).  Evaluated as powers of :math:`|1-\eta\lambda_i|/|1-\eta\lambda_1|`.

    Parameters
    ----------
    lam
        Eigenvalues of :math:`G` (sorted decreasingly here), shape ``(p,)``.
    U
        Orthonormal eigenvectors as columns, shape ``(p, p)``.
    w0
        Initial displacement :math:`w_0 = \theta_0 - \theta^*`, shape ``(p,)``; needs
        :math:`\lambda_1w_{0,1}^2 > 0`.
    eta
        Learning rate η > 0.
    t
        Step(s) :math:`t\ge 0`.

    Returns
    -------
    numpy.ndarray
        The bound at each ``t`` (``inf`` where :math:`1-\eta\lambda_1 = 0` and ``t > 0``).
    """
    la, Ua = _check_eig(lam, U, square=True)
    w = Ua.T @ _check_vec(w0, Ua.shape[0], "w0")
    et = check_positive(eta, "eta")
    ta = as_finite(t, "t")
    if np.any(ta < 0):
        raise ValueError("t: steps must be >= 0")
    if la[0] * w[0] ** 2 <= 0:
        raise ValueError("w0: needs λ₁ w_{0,1}² > 0 (the bound divides by it)")
    base = np.abs(1 - et * la[1:]) / abs(1 - et * la[0]) if abs(1 - et * la[0]) > 0 else None
    coef = la[1:] / la[0] * (w[1:] / w[0]) ** 2
    tt = np.atleast_1d(ta).astype(float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if base is None:
            out = np.where(tt == 0, coef.sum(), np.inf)
        else:
            out = (coef[None, :] * np.power(base[None, :], 2 * tt[:, None])).sum(axis=1)
    return out.reshape(np.shape(ta))


def escape_components(
    trajectory: ArrayLike, U: ArrayLike, k: int, *, theta_star: ArrayLike | None = None
) -> tuple[Array, Array]:
    r"""Sharp and flat components :math:`(p_{t,k}, r_{t,k})` of the escape (wang2023noise, §6).

    :math:`p_{t,1} = \langle\theta_t-\theta^*, u_1\rangle` (signed), :math:`p_{t,k} =
    (\sum_{i\le k}\langle\theta_t-\theta^*,u_i\rangle^2)^{1/2}` for :math:`k > 1`, and
    :math:`r_{t,k} = (\|\theta_t-\theta^*\|^2 - p_{t,k}^2)^{1/2}` (computed from the projection residual,
    so it is accurate even when tiny).  Only the top-k eigenvectors are needed.

    Parameters
    ----------
    trajectory
        Iterates, shape ``(T, p)`` or ``(R, T, p)``.
    U
        At least ``k`` orthonormal top eigenvectors :math:`u_1, u_2, \dots` as columns, shape ``(p, m)``.
    k
        :math:`1\le k\le m`.
    theta_star
        The minimum θ* (default the origin).

    Returns
    -------
    tuple of numpy.ndarray
        ``p`` and ``r`` with the leading shape of ``trajectory``.
    """
    Ua = as_finite(U, "U", ndim=2)
    if Ua.shape[1] == 0:
        raise ValueError("U: needs at least one eigenvector")
    gram = Ua.T @ Ua
    if np.max(np.abs(gram - np.eye(gram.shape[0]))) > 1e-8:
        raise ValueError("U: columns are not orthonormal")
    kk = _check_k(k, Ua.shape[1])
    traj = as_finite(trajectory, "trajectory")
    if traj.ndim not in (2, 3) or traj.shape[-1] != Ua.shape[0]:
        raise ValueError(
            f"trajectory: expected shape (T, {Ua.shape[0]}) or (R, T, {Ua.shape[0]}), got {traj.shape}"
        )
    star = np.zeros(Ua.shape[0]) if theta_star is None else _check_vec(theta_star, Ua.shape[0], "theta_star")
    W = traj - star
    c = W @ Ua[:, :kk]
    resid = W - c @ Ua[:, :kk].T
    p = c[..., 0] if kk == 1 else np.linalg.norm(c, axis=-1)
    return p, np.linalg.norm(resid, axis=-1)
