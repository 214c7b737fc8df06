r"""Deprecated: the matrices vocabulary, kept so that old code and old seeds draw what they drew.

Every name here has a replacement in the one vocabulary of :mod:`verifythm.strategies.families`
(see :mod:`verifythm.strategies.families.legacy` for the map of the kind names, which of them
keep their law and which their draws):

==============================================  ===========================================================
deprecated name                                 replacement
==============================================  ===========================================================
``FAMILIES``                                    ``GRADIENT_KINDS`` (``LEGACY_KINDS`` maps each name)
``random_psd(rng, d, rank=, cond=)``            ``random_psd_with(rng, d, rank=, condition=)``
``random_gradients(rng, p, n, family)``         ``random_gradient_matrix(rng, kind, p, n, **params)``
``psd_matrices(dims, min_rank=)``               ``psd_with(dims, rank=)``
``spectra(dim, min_rank=)``                     ``psd_with(dim, rank=, diagonal=True).map(numpy.diag)``
``gradient_families(ns, ps)``                   ``gradient_matrices(n=ns, p=ps)``
``residual_vectors(n)``                         ``verifythm.strategies.scalars.real_vectors(n)``
``gradients_and_residuals()``                   ``gradient_matrices()`` then ``real_vectors(Q.shape[1])``
==============================================  ===========================================================

Calling a deprecated function from outside the packages ``verifythm`` and ``theorems`` emits a
:class:`DeprecationWarning` naming its replacement; the catalogue still calls them (its
verdicts are defined by these draws) until it is migrated, and stays silent.  Each call
returns exactly what it returned before the vocabularies were unified, for the same seed.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.strategies.families import legacy as _legacy

# the old private path of the helper (now public in families.sources), kept importable
from verifythm.strategies.families.sources import orthogonal_from as _orthogonal_from  # noqa: F401

__all__ = [
    "FAMILIES",
    "gradient_families",
    "gradients_and_residuals",
    "psd_matrices",
    "random_gradients",
    "random_psd",
    "residual_vectors",
    "spectra",
]

FAMILIES = _legacy.FAMILIES
"""Deprecated: the old gradient-matrix kind names; use ``GRADIENT_KINDS`` (see ``LEGACY_KINDS``)."""

_QUIET_PACKAGES = ("verifythm", "verifythm_theorems", "theorems")


def _deprecated(name: str, replacement: str) -> None:
    """Warn that ``name`` is deprecated, unless the caller's caller is in verifythm or theorems."""
    caller = sys._getframe(2).f_globals.get("__name__", "")
    if caller.split(".", 1)[0] in _QUIET_PACKAGES:
        return
    warnings.warn(
        f"verifythm.strategies.{name} is deprecated; use {replacement} "
        "(verifythm.strategies.families.legacy maps the old kinds)",
        DeprecationWarning,
        stacklevel=3,
    )


def random_psd(
    rng: np.random.Generator, d: int, *, rank: int | None = None, cond: float | None = None
) -> Array:
    r"""A seeded random PSD matrix of size ``d`` with given rank and a geometric spectrum.

    .. deprecated:: 0.1.0
        Use :func:`~verifythm.strategies.families.random_psd_with` (``condition=`` for
        ``cond=``; its interior eigenvalues are log-uniform, not evenly spaced in log, and its
        stream differs).

    The top eigenvalue is :math:`10^{U[-1,1]}`, the ratio of the largest to the smallest
    positive one is ``cond`` (default :math:`10^{U[0,3]}`), the ``rank`` positive eigenvalues
    are evenly spaced in log, and the eigenbasis is the Q factor of a Gaussian matrix.
    """
    _deprecated("random_psd", "random_psd_with(rng, d, rank=..., condition=...)")
    return _legacy.random_psd(rng, d, rank=rank, cond=cond)


def random_gradients(rng: np.random.Generator, p: int, n: int, family: str = "gaussian") -> Array:
    r"""A seeded model-gradient matrix :math:`Q\in\mathbb{R}^{p\times n}` of an old kind name.

    .. deprecated:: 0.1.0
        Use :func:`~verifythm.strategies.families.random_gradient_matrix` with the kind and
        parameters of :func:`~verifythm.strategies.families.legacy.equivalent_kind`
        (``sparse`` and ``scaled`` give the same draws; the other names keep their law or
        only their structure, see :data:`~verifythm.strategies.families.legacy.LEGACY_KINDS`).

    Raises
    ------
    ValueError
        If ``family`` is not one of :data:`FAMILIES`.
    """
    _deprecated("random_gradients", "random_gradient_matrix(rng, kind, p, n)")
    return _legacy.random_gradients(rng, p, n, family)


def psd_matrices(
    dims: st.SearchStrategy[int] | None = None, *, min_rank: int = 1
) -> st.SearchStrategy[Array]:
    r"""Hypothesis strategy for PSD matrices :math:`V\,\mathrm{diag}(\lambda)\,V^T` with drawn spectrum.

    .. deprecated:: 0.1.0
        Use :func:`~verifythm.strategies.families.psd_with` (``rank=`` for ``min_rank=``).

    Parameters
    ----------
    dims
        Strategy for the dimension (default: 1 to 5, drawn as the length of the spectrum so
        that Hypothesis can shrink the dimension).
    min_rank
        Minimum number of strictly positive eigenvalues.
    """
    _deprecated("psd_matrices", "psd_with(dims, rank=...)")
    return _legacy.psd_matrices(dims, min_rank=min_rank)


def spectra(dim: int, *, min_rank: int = 0) -> st.SearchStrategy[Array]:
    """Hypothesis strategy for non-negative eigenvalue vectors of length ``dim``.

    .. deprecated:: 0.1.0
        Use ``psd_with(dim, rank=..., diagonal=True).map(numpy.diag)``.

    At least ``min_rank`` entries are positive.
    """
    _deprecated("spectra", "psd_with(dim, rank=..., diagonal=True).map(numpy.diag)")
    return _legacy.spectra(dim, min_rank=min_rank)


def gradient_families(
    ns: st.SearchStrategy[int] | None = None, ps: st.SearchStrategy[int] | None = None
) -> st.SearchStrategy[Array]:
    r"""Hypothesis strategy for model-gradient matrices :math:`Q\in\mathbb{R}^{p\times n}`, any old kind.

    .. deprecated:: 0.1.0
        Use :func:`~verifythm.strategies.families.gradient_matrices` (``n=``, ``p=``).
    """
    _deprecated("gradient_families", "gradient_matrices(n=..., p=...)")
    return _legacy.gradient_families(ns, ps)


def residual_vectors(n: int) -> st.SearchStrategy[Array]:
    r"""Hypothesis strategy for residual vectors :math:`e\in\mathbb{R}^n` (entries in [-4, 4]).

    .. deprecated:: 0.1.0
        Use :func:`~verifythm.strategies.scalars.real_vectors`.
    """
    _deprecated("residual_vectors", "verifythm.strategies.scalars.real_vectors(n)")
    return _legacy.residual_vectors(n)


def gradients_and_residuals() -> st.SearchStrategy[dict[str, Any]]:
    r"""Hypothesis strategy for instances ``{"Q": Q, "e": e}`` of model gradients and residuals.

    .. deprecated:: 0.1.0
        Use :func:`~verifythm.strategies.families.gradient_matrices` for ``Q`` and
        ``real_vectors(Q.shape[1])`` for ``e``, drawn in an ``st.composite``.
    """
    _deprecated("gradients_and_residuals", "gradient_matrices() with real_vectors(n)")
    return _legacy.gradients_and_residuals()
