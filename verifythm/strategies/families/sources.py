r"""Sources of randomness shared by the seeded generators and the Hypothesis strategies.

Every construction of :mod:`verifythm.strategies.families` asks a *source* for the random
numbers it needs, so one construction serves both entry points:

* :class:`RngMatrixSource` reads a :class:`numpy.random.Generator` (the deterministic instance
  streams of exact checks); the order of the calls fixes the stream, so a builder must not
  reorder its calls once released (the catalogue's verdicts depend on the draws).
* :class:`DrawMatrixSource` reads Hypothesis draws of bounded floats
  (:func:`verifythm.strategies.scalars.reals`), so examples shrink towards zero data, the
  identity eigenbasis and the lower end of each range.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

from verifythm.linalg.psd import Array
from verifythm.strategies.scalars import reals


def orthogonal_from(A: Array) -> Array:
    """Orthogonal factor of the QR decomposition of ``A + I`` (Householder: always orthogonal)."""
    Qm, R = np.linalg.qr(A + np.eye(A.shape[0]))
    return Qm * np.where(np.diag(R) < 0, -1.0, 1.0)


class RngMatrixSource:
    """Random numbers from a seeded :class:`numpy.random.Generator`."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def normal(self, shape: tuple[int, ...]) -> Array:
        """Standard normal entries of the given shape."""
        return self.rng.standard_normal(shape)

    def uniform(self, low: float, high: float, shape: tuple[int, ...]) -> Array:
        """Uniform entries on ``[low, high)`` of the given shape."""
        return self.rng.uniform(low, high, size=shape)

    def keep(self, prob: float, shape: tuple[int, ...]) -> NDArray[np.bool_]:
        """Boolean mask, each entry ``True`` with probability ``prob`` (one ``random()`` each)."""
        return self.rng.random(shape) < prob

    def chisquare(self, df: float, shape: tuple[int, ...]) -> Array:
        """Chi-square entries with ``df`` degrees of freedom (never exactly zero)."""
        # guard the (probability ~0) exact zero so that 1/χ² stays finite
        return np.maximum(self.rng.chisquare(df, size=shape), 1e-300)

    def orthogonal(self, d: int) -> Array:
        """A random ``d × d`` orthogonal matrix (QR of a Gaussian matrix, signs fixed)."""
        Qm, R = np.linalg.qr(self.rng.standard_normal((d, d)))
        return Qm * np.where(np.diag(R) < 0, -1.0, 1.0)

    def subset(self, d: int, r: int) -> np.ndarray:
        """``r`` distinct indices of ``range(d)``, in random order."""
        return self.rng.permutation(d)[:r]


_GAUSS = reals(-4.0, 4.0)


class DrawMatrixSource:
    """Random numbers from Hypothesis draws (bounded, shrinking towards simple values)."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw

    def normal(self, shape: tuple[int, ...]) -> Array:
        """Bounded draws in [-4, 4] standing for standard normal entries (shrink towards 0)."""
        size = int(np.prod(shape))
        return np.array(self.draw(st.lists(_GAUSS, min_size=size, max_size=size)), dtype=float).reshape(shape)

    def uniform(self, low: float, high: float, shape: tuple[int, ...]) -> Array:
        """Drawn entries in ``[low, high]`` of the given shape (shrink towards ``low``)."""
        size = int(np.prod(shape))
        if low == high:
            return np.full(shape, float(low))
        el = reals(low, high)
        return np.array(self.draw(st.lists(el, min_size=size, max_size=size)), dtype=float).reshape(shape)

    def keep(self, prob: float, shape: tuple[int, ...]) -> NDArray[np.bool_]:
        """Boolean mask ``u < prob`` with drawn ``u`` in [0, 1] (shrinks towards keeping all)."""
        return self.uniform(0.0, 1.0, shape) < prob

    def chisquare(self, df: float, shape: tuple[int, ...]) -> Array:
        """Drawn stand-ins for chi-square entries, in ``[df/1000, 3 df]``."""
        return self.uniform(df * 1e-3, 3.0 * df, shape)

    def orthogonal(self, d: int) -> Array:
        """An orthogonal matrix from drawn entries (:func:`orthogonal_from`; shrinks towards I)."""
        return orthogonal_from(self.normal((d, d)))

    def subset(self, d: int, r: int) -> np.ndarray:
        """``r`` distinct indices of ``range(d)``, from a drawn permutation."""
        return np.array(self.draw(st.permutations(list(range(d))))[:r], dtype=int)


MatrixSource = RngMatrixSource | DrawMatrixSource
