"""Deterministic instance streams that sweep every family kind (for exact checks)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verifythm.linalg.psd import Array
from verifythm.strategies.families import FAMILY_KINDS, random_family


def family_instance(
    rng: np.random.Generator, i: int, n: int, d: int, kinds: Sequence[str] = FAMILY_KINDS
) -> Array:
    """The ``i``-th family of a stream cycling through ``kinds``: an ``(n, d, d)`` PSD stack.

    Instance ``i`` uses kind ``kinds[i % len(kinds)]``; a kind that cannot be built at
    these sizes (``orthogonal`` with ``n > d``) is replaced by the next feasible one, so an
    exact check sees every structure the strategies know about.

    Raises
    ------
    ValueError
        If ``kinds`` is empty or no kind is feasible at ``(n, d)``.
    """
    if not kinds:
        raise ValueError("kinds: expected at least one family kind")
    for j in range(len(kinds)):
        kind = kinds[(i + j) % len(kinds)]
        try:
            return np.asarray(random_family(rng, kind, n, d), dtype=np.float64)
        except ValueError:
            continue
    raise ValueError(f"kinds: no family kind in {list(kinds)} can be built with n={n}, d={d}")
