r"""Exact extremes of the alignment ratios of wang2023noise over θ (feature models) and over v.

For a feature (linear) model :math:`f(x;\theta) = \langle\theta,\phi(x)\rangle`
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
:math:`\operatorname{range}G` (solved with :func:`scipy.linalg.eigh`).  The 0/0 convention is that
of :mod:`verifythm.quantities.directional`, which re-exports these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite, check_vector
from verifythm.quantities.validation import check_Qe, unit_max

__all__ = [
    "QuotientExtremes",
    "directional_alignment_extremes_theta",
    "directional_alignment_extremes_v",
    "loss_alignment_extremes_theta",
]


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

    Qa, ea = check_Qe(Q, e)
    p = Qa.shape[0]
    Qs, es = unit_max(Qa), unit_max(ea)
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
    ya = check_vector(y, P.shape[0], "y")
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
    va = check_vector(v, P.shape[1], "v")
    b = unit_max(P @ unit_max(va))
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
    Ps = unit_max(P)
    K = Ps @ Ps.T
    return _weighted_extremes(
        (K * K).sum(axis=1), P, ya, include_convention, rtol, "Phi: G = 0, so μ(θ) is 0/0 for every θ"
    )
