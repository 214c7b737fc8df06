r"""High-precision re-evaluation: exact rationals and mpmath eigenvalues.

A violation seen in float64 is re-checked here before it is reported.  Floats are
converted to the *exact* rationals they represent (:class:`fractions.Fraction`),
so rational computations (products, traces, Frobenius norms) are exact; spectral
quantities use mpmath at ``dps`` decimal digits.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def exact(a: ArrayLike) -> np.ndarray:
    """Object array of the exact rationals represented by the float entries of ``a``."""
    arr = np.asarray(a, dtype=np.float64)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = Fraction(float(v))
    return out


def trace(a: np.ndarray) -> Fraction:
    """Exact trace of a square object array of Fractions."""
    return sum((a[i, i] for i in range(a.shape[0])), Fraction(0))


def eigvalsh_mp(H: ArrayLike, dps: int = 60) -> list[Any]:
    """Eigenvalues of a symmetric matrix in mpmath at ``dps`` digits (ascending)."""
    import mpmath

    a = np.asarray(H, dtype=np.float64)
    with mpmath.workdps(dps):
        M = mpmath.matrix([[mpmath.mpf(float(x)) for x in row] for row in a])
        M = (M + M.T) / 2
        ev = mpmath.eigsy(M, eigvals_only=True)
        return sorted(ev[i] for i in range(a.shape[0]))
