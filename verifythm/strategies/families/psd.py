r"""PSD matrices with a controlled spectrum: the seeded generator and the Hypothesis strategy.

:func:`random_psd_with` and :func:`psd_with` share one construction,
:math:`H = V\,\mathrm{diag}(\lambda)\,V^T` with a descending spectrum :math:`\lambda` of given
rank, condition number and scale (interior eigenvalues log-uniform) and :math:`V` Haar-random
or the identity.  They replace ``random_psd`` and ``psd_matrices`` of the retired
``verifythm.strategies.matrices`` (see :mod:`verifythm.strategies.families.legacy`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.strategies.families.builders import draw_spectrum, psd_from_spectrum
from verifythm.strategies.families.sources import DrawMatrixSource, RngMatrixSource
from verifythm.strategies.families.validation import (
    bool_arg,
    check_psd_args,
    check_rank_condition_scale,
    check_rng,
    check_spectrum_alone,
    int_arg,
    nonneg_vector,
)

__all__ = ["psd_with", "random_psd_with"]


def random_psd_with(
    rng: np.random.Generator,
    d: int,
    *,
    rank: int | None = None,
    condition: float | None = None,
    scale: float | None = None,
    spectrum: Sequence[float] | Array | None = None,
    diagonal: bool = False,
) -> Array:
    r"""A seeded random PSD matrix :math:`V\,\mathrm{diag}(\lambda)\,V^T` with a controlled spectrum.

    Parameters
    ----------
    rng
        Source of randomness (the eigenbasis and undrawn spectrum values).
    d
        Dimension (>= 1).
    rank
        Number of positive eigenvalues, ``0 <= rank <= d`` (default ``d``).
    condition
        Ratio of the largest to the smallest *positive* eigenvalue, >= 1 (default drawn
        log-uniformly in :math:`[1, 10^3]`; must be 1 when ``rank <= 1``).  The positive
        eigenvalues in between are log-uniform.
    scale
        Largest eigenvalue :math:`\lambda_1 = \|H\|_2 > 0` (default drawn log-uniformly in
        :math:`[0.1, 10]`).
    spectrum
        Explicit eigenvalues (length ``d``, finite, >= 0); excludes rank/condition/scale.
    diagonal
        Use the standard basis (a diagonal matrix) instead of a Haar-random one.

    Returns
    -------
    numpy.ndarray
        A ``(d, d)`` float64, finite, exactly symmetric PSD matrix.

    Raises
    ------
    ValueError
        Naming the argument when ``d``, ``rank``, ``condition``, ``scale`` or ``spectrum`` is
        invalid or inconsistent (e.g. ``rank > d``, ``condition < 1``).
    """
    check_rng(rng)
    d, rank, condition, scale, lam = check_psd_args(d, rank, condition, scale, spectrum)
    diagonal = bool_arg(diagonal, "diagonal")
    src = RngMatrixSource(rng)
    if lam is None:
        r = d if rank is None else rank
        if condition is None:
            condition = 10 ** rng.uniform(0, 3) if r >= 2 else 1.0
        if scale is None:
            scale = 10 ** rng.uniform(-1, 1)
        lam = draw_spectrum(src, r, condition, scale)
    return psd_from_spectrum(src, d, lam, diagonal)


def psd_with(
    dim: int | st.SearchStrategy[int] | None = None,
    *,
    rank: int | st.SearchStrategy[int] | None = None,
    condition: float | st.SearchStrategy[float] | None = None,
    scale: float | st.SearchStrategy[float] | None = None,
    spectrum: Sequence[float] | Array | None = None,
    diagonal: bool = False,
) -> st.SearchStrategy[Array]:
    r"""Hypothesis strategy for PSD matrices with controlled rank, condition number and scale.

    Each argument is a fixed value, a strategy, or ``None`` (drawn).  Examples shrink towards
    small dimension, rank one, condition 1 and the identity eigenbasis (diagonal matrices).

    Parameters
    ----------
    dim
        Dimension (default: 1 to 5, at least ``rank`` when ``rank`` is fixed).
    rank
        Number of positive eigenvalues, ``0 <= rank <= dim`` (default: 1 to ``dim``).
    condition
        Ratio of the largest to the smallest positive eigenvalue, >= 1 (default: drawn in
        :math:`[1, 10^3]`, or 1 when the rank is at most one).
    scale
        Largest eigenvalue, > 0 (default: drawn in :math:`[10^{-2}, 10^2]`).
    spectrum
        Fixed eigenvalues (length ``dim``); excludes rank/condition/scale.
    diagonal
        Always return diagonal matrices.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Strategy of ``(dim, dim)`` float64, finite, exactly symmetric PSD matrices.

    Raises
    ------
    ValueError
        At call time, naming the argument, for invalid fixed values.
    """
    fixed_dim = None if dim is None or isinstance(dim, st.SearchStrategy) else int_arg(dim, "dim", 1)
    fixed_rank = None if rank is None or isinstance(rank, st.SearchStrategy) else rank
    fixed_cond = None if condition is None or isinstance(condition, st.SearchStrategy) else condition
    fixed_scale = None if scale is None or isinstance(scale, st.SearchStrategy) else scale
    if spectrum is not None:
        check_spectrum_alone(rank, condition, scale)
        size = fixed_dim if fixed_dim is not None else int(np.size(spectrum))
        lam_fixed: Array | None = nonneg_vector(spectrum, "spectrum", size)
    else:
        lam_fixed = None
        fixed_rank, fixed_cond, fixed_scale = check_rank_condition_scale(
            fixed_rank, fixed_cond, fixed_scale, fixed_dim
        )
    diagonal = bool_arg(diagonal, "diagonal")

    @st.composite
    def _strategy(draw: Any) -> Array:
        src = DrawMatrixSource(draw)
        if lam_fixed is not None:
            return psd_from_spectrum(src, lam_fixed.size, lam_fixed, diagonal)
        if isinstance(dim, st.SearchStrategy):
            d = int_arg(draw(dim), "dim", 1)
        elif fixed_dim is not None:
            d = fixed_dim
        else:
            lo = fixed_rank if fixed_rank is not None else 1
            d = draw(st.integers(max(1, lo), max(5, lo)))
        r = draw(rank) if isinstance(rank, st.SearchStrategy) else fixed_rank
        r = draw(st.integers(1, d)) if r is None else int_arg(r, "rank", 0, d)
        c = draw(condition) if isinstance(condition, st.SearchStrategy) else fixed_cond
        if c is None:
            c = draw(st.floats(1.0, 1e3)) if r >= 2 else 1.0
        s = draw(scale) if isinstance(scale, st.SearchStrategy) else fixed_scale
        if s is None:
            s = draw(st.floats(1e-2, 1e2))
        _, r, c, s, _ = check_psd_args(d, r, c, s, None)
        assert r is not None and c is not None and s is not None
        return psd_from_spectrum(src, d, draw_spectrum(src, r, c, s), diagonal)

    return _strategy()
