r"""Bounded float strategies: magnitudes where a claim's comparison can decide something.

Hypothesis' plain ``floats(-4, 4)`` also draws values such as ``1e-95``; squared inside a
Hessian (``g gᵀ``) they become ``1e-190`` and push every downstream quantity to the edge of
float64, where a comparison is decided by underflow rather than by the claim (such instances
are *unresolved*: :meth:`~verifythm.claims.model.Comparison.unresolved`).  :func:`reals`
draws from ``[min_value, max_value]`` but snaps magnitudes below ``resolution`` to exactly
``0.0``: zero stays reachable (and is where Hypothesis shrinks to), tiny non-zero values are
not.  Extreme scales are tested on purpose by the engine's scale tests
(``tests/test_scale_robust.py``), not by accident here.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st

#: Smallest non-zero magnitude the catalogue's float strategies draw.
RESOLUTION = 1e-6


def _snap(resolution: float) -> Callable[[float], float]:
    def snap(x: float) -> float:
        return 0.0 if abs(x) < resolution else float(x)

    return snap


def reals(min_value: float, max_value: float, *, resolution: float = RESOLUTION) -> st.SearchStrategy[float]:
    """Finite float64 values in ``[min_value, max_value]``, with ``|x| < resolution`` snapped to 0.

    Parameters
    ----------
    min_value, max_value
        The closed range (finite, ``min_value <= max_value``).
    resolution
        Magnitudes below it become ``0.0`` (default :data:`RESOLUTION`) when the range contains
        0; a range that excludes 0 is drawn as is.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(reals(-4.0, 4.0))
    ... def t(x):
    ...     assert x == 0.0 or 1e-6 <= abs(x) <= 4.0
    >>> t()
    """
    if not (min_value <= max_value):
        raise ValueError(f"min_value, max_value: need min_value <= max_value, got {min_value}, {max_value}")
    base = st.floats(
        min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False, allow_subnormal=False
    )
    if not min_value <= 0.0 <= max_value:
        return base  # the range excludes 0: its own bounds set the magnitudes
    return base.map(_snap(resolution))


def real_vectors(
    n: int, min_value: float = -4.0, max_value: float = 4.0, *, resolution: float = RESOLUTION
) -> st.SearchStrategy[np.ndarray]:
    r"""Float64 vectors of length ``n`` with entries drawn by :func:`reals` (e.g. residuals :math:`e`).

    Parameters
    ----------
    n
        Length (>= 0).
    min_value, max_value, resolution
        As for :func:`reals` (default range ``[-4, 4]``).

    Raises
    ------
    ValueError
        Naming ``n`` when it is not a non-negative integer, or as :func:`reals` does.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(real_vectors(3))
    ... def t(e):
    ...     assert e.shape == (3,) and e.dtype == np.float64
    >>> t()
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n: expected a non-negative integer, got {n!r}")
    el = reals(min_value, max_value, resolution=resolution)
    return st.lists(el, min_size=int(n), max_size=int(n)).map(lambda v: np.array(v, dtype=np.float64))
