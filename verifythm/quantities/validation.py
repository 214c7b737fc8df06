r"""Argument checks shared by the noise-geometry metrics of wang2023noise.

Used by :mod:`verifythm.quantities.directional` (the two alignment ratios) and
:mod:`verifythm.quantities.directional_extremes` (their exact extremes); the vector check they
share with the models is :func:`verifythm.linalg.psd.check_vector`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite

__all__ = ["check_Qe", "unit_max"]


def check_Qe(Q: ArrayLike, e: ArrayLike) -> tuple[Array, Array]:
    """Validate model gradients ``Q`` ``(p, n)`` (p, n ≥ 1) and residuals ``e`` ``(n,)``; both finite.

    Raises
    ------
    ValueError
        Naming ``Q`` or ``e`` on a wrong shape, a length mismatch or NaN/inf entries.
    """
    Qa = as_finite(Q, "Q", ndim=2)
    if Qa.shape[1] == 0 or Qa.shape[0] == 0:
        raise ValueError(f"Q: expected a (p, n) matrix with p, n >= 1, got shape {Qa.shape}")
    ea = as_finite(e, "e", ndim=1)
    if ea.shape[0] != Qa.shape[1]:
        raise ValueError(f"e: expected {Qa.shape[1]} residuals (one per column of Q), got {ea.shape[0]}")
    return Qa, ea


def unit_max(a: Array) -> Array:
    """``a`` divided by ``max |a|`` (unchanged if zero or empty): the ratios are scale-free."""
    c = float(np.max(np.abs(a))) if a.size else 0.0
    return a / c if c > 0 else a
