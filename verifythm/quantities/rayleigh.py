r"""Ratios of quadratic forms in θ and their exact extremes over θ.

For a symmetric PSD :math:`H` and a polynomial :math:`p(\lambda)=\sum_k c_k\lambda^k`
with :math:`c_0 = 0`, the ratio

.. math:: R(\theta) = \frac{\theta^T p(H)\,\theta}{\theta^T H\theta},\qquad \theta^TH\theta > 0,

is a generalized Rayleigh quotient of the pencil :math:`(p(H), H)` on the range
of :math:`H`.  Writing :math:`u = H^{1/2}\theta/\|H^{1/2}\theta\|` gives
:math:`R = \sum_j s_j^2\,p(\lambda_j)/\lambda_j` over the positive eigenvalues with
weights :math:`s_j^2` summing to one, so

.. math:: \inf_\theta R = \min_{\lambda_j>0} p(\lambda_j)/\lambda_j,\qquad
          \sup_\theta R = \max_{\lambda_j>0} p(\lambda_j)/\lambda_j,

attained at eigenvectors.  This is what makes "for all θ" quantifiers exact.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite, check_psd, quad, range_eigh


def _check_coeffs(coeffs: Sequence[float]) -> Array:
    c = as_finite(coeffs, "coeffs", ndim=1)
    if c.size == 0 or c[0] != 0:
        raise ValueError("coeffs: need c_0 = 0 so that p(H) vanishes on the null space of H")
    return c


def ratio(H: ArrayLike, theta: ArrayLike, coeffs: Sequence[float]) -> float:
    r""":math:`R(\theta)=\theta^Tp(H)\theta/\theta^TH\theta` at one θ.

    Raises
    ------
    ValueError
        If :math:`\theta^TH\theta = 0` (ratio undefined) or inputs are malformed.
    """
    Ha = check_psd(H, "H")
    t = as_finite(theta, "theta", ndim=1)
    if t.shape[0] != Ha.shape[0]:
        raise ValueError(f"theta: expected length {Ha.shape[0]}, got {t.shape[0]}")
    c = _check_coeffs(coeffs)
    top = float(np.max(np.abs(t))) if t.size else 0.0
    if top > 0:
        t = t / top  # R is homogeneous of degree 0: rescaling avoids under/overflow
    den = quad(Ha, t, 1)
    if den <= 0:
        raise ValueError("theta: θᵀHθ = 0, the ratio is undefined")
    num = sum(ck * quad(Ha, t, k) for k, ck in enumerate(c) if k > 0 and ck != 0)
    return float(num / den)


def ratio_extremes(H: ArrayLike, coeffs: Sequence[float]) -> tuple[float, float]:
    r"""Exact :math:`(\inf_\theta R, \sup_\theta R)` over θ with :math:`\theta^TH\theta>0`.

    Examples
    --------
    >>> import numpy as np
    >>> ratio_extremes(np.diag([1.0, 2.0]), [0.0, 0.0, 1.0])  # θᵀH²θ/θᵀHθ ∈ [λ_min, λ_max]
    (1.0, 2.0)
    """
    lam, _ = range_eigh(H, "H")
    if lam.size == 0:
        raise ValueError("H: is zero; no θ has θᵀHθ > 0")
    c = _check_coeffs(coeffs)
    vals = np.polynomial.polynomial.polyval(lam, c) / lam
    return float(vals.min()), float(vals.max())


def ratio_argextremes(H: ArrayLike, coeffs: Sequence[float]) -> tuple[Array, Array]:
    r"""Unit vectors :math:`(\theta_{\inf}, \theta_{\sup})` attaining :func:`ratio_extremes`.

    They are eigenvectors of :math:`H` for the positive eigenvalues minimising and
    maximising :math:`p(\lambda)/\lambda` (the argument after Lemma G.1 of
    wu2022alignment: the ratio is a convex combination of these values).

    Examples
    --------
    >>> import numpy as np
    >>> lo, hi = ratio_argextremes(np.diag([1.0, 2.0]), [0.0, 0.0, 1.0])
    >>> [abs(x) for x in lo.tolist()], [abs(x) for x in hi.tolist()]
    ([1.0, 0.0], [0.0, 1.0])
    """
    lam, V = range_eigh(H, "H")
    if lam.size == 0:
        raise ValueError("H: is zero; no θ has θᵀHθ > 0")
    c = _check_coeffs(coeffs)
    vals = np.polynomial.polynomial.polyval(lam, c) / lam
    return V[:, int(np.argmin(vals))].copy(), V[:, int(np.argmax(vals))].copy()
