r"""Exact power-of-two normalisation of the moment engine (scale robustness).

:math:`\hat J = I - \eta\hat H` depends on the family only through the products
:math:`\eta H_i`, so for every :math:`t > 0`

.. math::

   \mathcal T_\eta(\{H_i\}) = \mathcal T_{\eta t}(\{H_i/t\}),\qquad
   \rho(\mathcal T_\eta(H)) = \rho(\mathcal T_{\eta t}(H/t)),\qquad
   \eta^*(H) = \eta^*(H/t)/t .

:class:`~verifythm.dynamics.family.Family` stores :math:`\hat H_i = H_i/2^k` with
:math:`\lambda_1(\hat H)\in[1,2)` (:math:`[1,4)` and even ``k`` for rank-one families, so
that the factors scale by the exact :math:`2^{k/2}`), and the engine works with
:math:`\hat\eta = \eta\,2^k`.  Multiplying by a power of two is exact in binary floating
point (only the exponent changes), so nothing is lost by normalising, and the squared
quantities :math:`\hat H_iW\hat H_i` can neither under- nor overflow however small or
large the :math:`H_i` are (subnormal inputs included).  Only the final conversion back
to absolute units (:math:`\eta^* = \hat\eta^*/2^k`) can overflow, and then the true value
exceeds float64 (it is reported as ``inf``); the same holds for :math:`\hat\eta` itself:
:math:`\hat\eta=\infty` means :math:`\eta\lambda_1 > 10^{308}`, where
:math:`\rho\ge(\eta\lambda_1-1)^2` overflows too.

Scale exponents are Python integers (:math:`2^k` itself may not be representable).
"""

from __future__ import annotations

import math

import numpy as np

from verifythm.linalg.psd import Array
from verifythm.linalg.psd import pow2_exponent as pow2_exponent  # defined once, below dynamics

#: Above this normalised learning rate, ρ ≥ (η̂λ̂₁ − 1)² ≥ (2^600 − 1)² overflows float64; the
#: eigenproblem is then solved at this rate (its eigenvector is that of 𝒬 to ~2^-600).
ETA_HAT_CAP = 2.0**600


def pow4_exponent(m: float) -> int:
    r"""The even ``e`` with :math:`m/2^e\in[1,4)` for finite :math:`m>0`.

    Examples
    --------
    >>> pow4_exponent(3.0), pow4_exponent(4.0), pow4_exponent(0.5)
    (0, 2, -2)
    """
    e = pow2_exponent(m)
    return e - (e % 2)


def ldexp(x: float, k: int) -> float:
    r""":math:`x\cdot 2^k` correctly rounded, ``±inf`` on overflow (never raises).

    Examples
    --------
    >>> ldexp(3.0, -1), ldexp(1.0, 2000), ldexp(1.0, -2000)
    (1.5, inf, 0.0)
    """
    try:
        return math.ldexp(x, k)
    except OverflowError:
        return math.copysign(math.inf, x)


def ldexp_array(X: Array, k: int) -> Array:
    r""":math:`X\cdot2^k` entry-wise (exact unless the result is subnormal or overflows)."""
    if k == 0:
        return X
    with np.errstate(over="ignore", under="ignore"):
        return np.ldexp(X, k)


def ldexp_signed(x: float, k: int) -> float:
    r""":math:`x\cdot2^k`, but keeping the sign of a non-zero :math:`x` when the result underflows.

    Used for growth rates, whose sign (not magnitude) decides stability: an underflow to
    ``0.0`` would read as "neutral".
    """
    y = ldexp(x, k)
    if y == 0.0 and x != 0.0:
        return math.copysign(5e-324, x)
    return y


def mul_ldexp(a: float, b: float, k: int) -> float:
    r""":math:`a\,b\,2^k` without intermediate over- or underflow (``±inf`` / 0 only at the end)."""
    if a == 0.0 or b == 0.0 or not (math.isfinite(a) and math.isfinite(b)):
        return a * b  # 0, ±inf (or NaN only for 0·inf, which callers never pass)
    ma, ea = math.frexp(a)
    mb, eb = math.frexp(b)
    return ldexp(ma * mb, ea + eb + k)


def scaled_rate(eta: float, k: int) -> float:
    r"""The normalised learning rate :math:`\hat\eta = \eta\,2^k` (``inf`` on overflow, 0 on underflow)."""
    return ldexp(eta, k)


def radius_value(eta_hat: float, growth_hat: float) -> float:
    r""":math:`\rho = 1 + \hat\eta\hat g`, clamped at 0 and overflowing to ``inf``, never NaN.

    :math:`\mathcal T` maps PSD matrices to PSD matrices, so its spectral radius is its top
    eigenvalue and is :math:`\ge 0`; a negative value can only be rounding near
    :math:`\rho = 0`.  Above :data:`ETA_HAT_CAP` the radius exceeds float64.
    """
    if eta_hat > ETA_HAT_CAP or math.isinf(growth_hat):
        return math.inf if growth_hat > 0 or eta_hat > ETA_HAT_CAP else 0.0
    with np.errstate(over="ignore"):
        v = 1.0 + float(np.float64(eta_hat) * np.float64(growth_hat))
    return max(v, 0.0)


def diagonal_moments(D: Array, sampling_is_bernoulli: bool, c: float | Array) -> tuple[Array, Array]:
    r"""Diagonal family: :math:`h_j = \frac1n\sum_ih_{ij}` and :math:`q_j = \mathbb E[\hat h_j^2]`.

    :math:`q_j = h_j^2 + c_s v_j` with the noise variance :math:`v_j = \frac1n\sum_i
    (h_{ij}-h_j)^2` (:math:`v_j = \frac1n\sum_ih_{ij}^2` for Bernoulli sampling).  The
    variance is summed from centred squares, so :math:`q_j\ge h_j^2` holds exactly (no
    cancellation in :math:`\bar s_j - h_j^2`), hence :math:`2h_j/q_j\le 2/h_j`.  ``c`` may
    be an array of constants (shape ``(k, 1)``), giving ``q`` of shape ``(k, r)``.
    """
    h = D.mean(axis=0)
    v = np.mean(D * D, axis=0) if sampling_is_bernoulli else np.mean((D - h) ** 2, axis=0)
    return h, h * h + c * v
