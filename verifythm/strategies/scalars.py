r"""Bounded float strategies: magnitudes where a claim's comparison can decide something.

Hypothesis' plain ``floats(-4, 4)`` also draws values such as ``1e-95``; squared inside a
Hessian (``g gᵀ``) they become ``1e-190`` and push every downstream quantity to the edge of
float64, where a comparison is decided by underflow rather than by the claim (DESIGN §3:
such instances are *unresolved*).  :func:`reals` draws from ``[min_value, max_value]`` but
snaps magnitudes below ``resolution`` to exactly ``0.0``: zero stays reachable (and is
where Hypothesis shrinks to), tiny non-zero values are not.  Extreme scales are tested on
purpose by the engine's scale tests (``tests/test_scale_robust.py``), not by accident here.
"""

from __future__ import annotations

from collections.abc import Callable

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
