"""Randomness sources of the model-problem builder: Hypothesis draws or a seeded generator.

:mod:`verifythm.strategies.models` builds every problem from the calls of one
:class:`Source`; :class:`DrawSource` answers them with Hypothesis draws (so examples shrink)
and :class:`RngSource` with a :class:`numpy.random.Generator` (so exact checks are seeded).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.strategies.scalars import reals

__all__ = ["DrawSource", "RngSource", "Source"]


class Source:
    """Where the builder gets its random choices (Hypothesis draws or a numpy generator).

    Subclasses implement every method; the builder of :mod:`verifythm.strategies.models`
    calls only these, so one builder serves both :func:`~verifythm.strategies.models.problems`
    and :func:`~verifythm.strategies.models.random_problem`.
    """

    def integer(self, lo: int, hi: int) -> int:
        """An integer in ``[lo, hi]`` (both included)."""
        raise NotImplementedError

    def choice(self, options: Sequence[Any]) -> Any:
        """One of ``options``."""
        raise NotImplementedError

    def uniform(self, lo: float, hi: float) -> float:
        """A float in ``[lo, hi]``."""
        raise NotImplementedError

    def loguniform(self, lo: float, hi: float) -> float:
        """A float in ``[lo, hi]``, uniform in ``log10``."""
        raise NotImplementedError

    def normal(self, shape: tuple[int, ...]) -> Array:
        """An array of ``shape`` with standard normal entries (bounded to [-3, 3] under Hypothesis)."""
        raise NotImplementedError

    def uniforms(self, size: int) -> Array:
        """``size`` floats in ``[0, 1]``."""
        raise NotImplementedError


class DrawSource(Source):
    """Random choices from Hypothesis draws (bounded floats, shrinking towards simple values)."""

    _bounded = reals(-3.0, 3.0)

    def __init__(self, draw: Any) -> None:
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        """An integer in ``[lo, hi]`` (both included)."""
        return int(self.draw(st.integers(lo, hi)))

    def choice(self, options: Sequence[Any]) -> Any:
        """One of ``options``."""
        return self.draw(st.sampled_from(list(options)))

    def uniform(self, lo: float, hi: float) -> float:
        """A float in ``[lo, hi]``."""
        return float(self.draw(reals(lo, hi)))

    def loguniform(self, lo: float, hi: float) -> float:
        """A float in ``[lo, hi]``, uniform in ``log10``."""
        return float(10.0 ** self.uniform(np.log10(lo), np.log10(hi)))

    def normal(self, shape: tuple[int, ...]) -> Array:
        """An array of ``shape`` with standard normal entries (bounded to [-3, 3] under Hypothesis)."""
        size = int(np.prod(shape))
        vals = self.draw(st.lists(self._bounded, min_size=size, max_size=size))
        return np.array(vals, dtype=float).reshape(shape)

    def uniforms(self, size: int) -> Array:
        """``size`` floats in ``[0, 1]``."""
        vals = self.draw(st.lists(st.floats(0.0, 1.0), min_size=size, max_size=size))
        return np.array(vals, dtype=float)


class RngSource(Source):
    """Random choices from a seeded :class:`numpy.random.Generator`."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        """An integer in ``[lo, hi]`` (both included)."""
        return int(self.rng.integers(lo, hi + 1))

    def choice(self, options: Sequence[Any]) -> Any:
        """One of ``options``."""
        return options[int(self.rng.integers(len(options)))]

    def uniform(self, lo: float, hi: float) -> float:
        """A float in ``[lo, hi]``."""
        return float(self.rng.uniform(lo, hi))

    def loguniform(self, lo: float, hi: float) -> float:
        """A float in ``[lo, hi]``, uniform in ``log10``."""
        return float(10.0 ** self.rng.uniform(np.log10(lo), np.log10(hi)))

    def normal(self, shape: tuple[int, ...]) -> Array:
        """An array of ``shape`` with standard normal entries (bounded to [-3, 3] under Hypothesis)."""
        return self.rng.standard_normal(shape)

    def uniforms(self, size: int) -> Array:
        """``size`` floats in ``[0, 1]``."""
        return self.rng.random(size)
