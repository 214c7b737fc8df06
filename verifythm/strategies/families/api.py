r"""Families :math:`\{H_i\}` of one kind: the seeded generators and the Hypothesis strategies.

:func:`random_family` (numpy) and :func:`family` / :func:`families` (Hypothesis) build every
kind of :data:`~verifythm.strategies.families.kinds.ALL_KINDS` with the same construction;
:func:`random_gradient_matrix` and :func:`gradient_matrices` return the rank-one factors as a
gradient matrix :math:`Q = (g_1,\dots,g_n)\in\mathbb{R}^{p\times n}` (the layout of the
square-loss claims); :func:`dexter2024_family` and :func:`dexter2024_thm2_family` are the
papers' deterministic constructions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.strategies.families.builders import dexter_members
from verifythm.strategies.families.kinds import (
    ALL_RANK_ONE_KINDS,
    BUILDERS,
    FAMILY_KINDS,
    GRADIENT_KINDS,
    PARAMS,
    check_gradients,
    check_kind,
    check_names,
    check_params,
    family_output,
    is_feasible,
    resolve_params,
)
from verifythm.strategies.families.sources import DrawMatrixSource, RngMatrixSource
from verifythm.strategies.families.validation import bool_arg, check_rng, int_arg

__all__ = [
    "dexter2024_family",
    "dexter2024_thm2_family",
    "families",
    "family",
    "gradient_matrices",
    "random_family",
    "random_gradient_matrix",
]


def random_family(
    rng: np.random.Generator,
    kind: str,
    n: int,
    d: int,
    *,
    gradients: bool = False,
    labelled: bool = False,
    **params: Any,
) -> Any:
    r"""A seeded random family :math:`\{H_i\}_{i<n}` of ``d``-by-``d`` PSD matrices of one kind.

    Parameters
    ----------
    rng
        Source of randomness.
    kind
        One of :data:`ALL_KINDS` (see the docstring of :mod:`verifythm.strategies.families` for
        each kind's guarantee).
    n
        Number of members (>= 1).
    d
        Dimension (>= 1).  ``dexter2024`` needs ``d >= n - sigma + 1``; ``orthogonal`` needs
        ``n * rank <= d``; for ``wu2022_relu`` it is the number of random features.
    gradients
        Also return the rank-one factors ``G`` (shape ``(n, d)``, ``H[i] = outer(G[i], G[i])``);
        only for kinds whose members are rank one (:data:`ALL_RANK_ONE_KINDS`, or ``rank=1``).
    labelled
        Return a :class:`FamilyDraw` (kind, H, G, resolved parameters) instead.
    **params
        Kind parameters: ``cov_spectrum`` (anisotropic, default ``geomspace(1, 1e-2, d)``),
        ``radius`` (sphere, 1), ``df`` (heavy_tailed, 3, >= 1), ``rank`` (wishart 2; commuting,
        identical, nearly_coherent, low_stable_rank ``d``; orthogonal, heterogeneous 1),
        ``diagonal`` (commuting, False), ``condition`` (identical, nearly_coherent: 10, or 1 at
        rank one), ``scale`` (identical, 1), ``eps`` (nearly_coherent, 0.1, in [0, 1]),
        ``stable_rank`` (low_stable_rank, ``min(1.5, rank)``), ``shared_basis``
        (low_stable_rank, False), ``orders`` (heterogeneous 4, scaled 6; in [0, 12]),
        ``sigma`` (dexter kinds, drawn uniformly from the feasible integers), ``lam1``
        (dexter2024 2, dexter2024_thm2 1), ``input_dim`` (wu2022_relu, 3), ``density``
        (sparse, 0.3, in [0, 1]).

    Returns
    -------
    numpy.ndarray or tuple or FamilyDraw
        ``H`` of shape ``(n, d, d)`` (float64, finite, each slice exactly symmetric PSD), or
        ``(H, G)`` with ``gradients=True``, or a :class:`FamilyDraw` with ``labelled=True``.

    Raises
    ------
    ValueError
        Naming the argument for an unknown kind or parameter, invalid sizes or parameter
        values, or ``gradients=True`` for members that are not rank one.
    """
    check_rng(rng)
    kind = check_kind(kind)
    n, d = int_arg(n, "n", 1), int_arg(d, "d", 1)
    gradients, labelled = bool_arg(gradients, "gradients"), bool_arg(labelled, "labelled")
    check_names(kind, params)
    p = resolve_params(kind, n, d, params, rng, gradients)
    H, G = BUILDERS[kind](RngMatrixSource(rng), n, d, p)
    return family_output(kind, H, G, p, gradients, labelled)


def _size_strategy(x: Any, name: str) -> st.SearchStrategy[int]:
    if x is None:
        return st.integers(1, 5)
    if isinstance(x, st.SearchStrategy):
        return x
    return st.just(int_arg(x, name, 1))


@st.composite
def _draw_family(
    draw: Any,
    kinds: tuple[str, ...],
    ns: st.SearchStrategy[int],
    ds: st.SearchStrategy[int],
    given: Mapping[str, Any],
    gradients: bool,
    labelled: bool,
) -> Any:
    n = int_arg(draw(ns), "n", 1)
    d = int_arg(draw(ds), "d", 1)
    feasible = [k for k in kinds if is_feasible(k, n, d)]
    assume(feasible)
    kind = draw(st.sampled_from(feasible))
    p: dict[str, Any] = {}
    for name, (_, strategy) in PARAMS[kind].items():
        v = given.get(name)
        if v is None:
            v = draw(strategy(n, d, p))
        elif isinstance(v, st.SearchStrategy):
            v = draw(v)
        p[name] = v
    p = check_params(kind, n, d, p)
    check_gradients(kind, p, gradients)
    H, G = BUILDERS[kind](DrawMatrixSource(draw), n, d, p)
    return family_output(kind, H, G, p, gradients, labelled)


def family(
    kind: str,
    n: int | st.SearchStrategy[int] | None = None,
    d: int | st.SearchStrategy[int] | None = None,
    *,
    gradients: bool = False,
    labelled: bool = False,
    **params: Any,
) -> st.SearchStrategy[Any]:
    r"""Hypothesis strategy for families :math:`\{H_i\}` of one kind.

    Parameters
    ----------
    kind
        One of :data:`ALL_KINDS`.
    n, d
        Number of members and dimension: fixed, a strategy, or ``None`` (1 to 5).
    gradients
        Yield ``(H, G)`` with the rank-one factors (rank-one members only).
    labelled
        Yield :class:`FamilyDraw` objects (kind, H, G, resolved parameters).
    **params
        Kind parameters as for :func:`random_family`, each fixed or a strategy; parameters
        left out are drawn from ranges that shrink to simple values (e.g. ``eps`` towards 0,
        ``sigma`` towards its smallest feasible value, ``rank`` towards 1).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Strategy of ``(n, d, d)`` float64 arrays (or tuples / :class:`FamilyDraw`).

    Raises
    ------
    ValueError
        At call time for an unknown kind or parameter name, invalid fixed sizes, or fixed
        parameters that fail validation; at draw time for drawn values that fail it.
    """
    kind = check_kind(kind)
    check_names(kind, params)
    gradients, labelled = bool_arg(gradients, "gradients"), bool_arg(labelled, "labelled")
    ns, ds = _size_strategy(n, "n"), _size_strategy(d, "d")
    if (
        isinstance(n, int)
        and isinstance(d, int)
        and not any(isinstance(v, st.SearchStrategy) for v in params.values())
    ):
        # validate fixed arguments eagerly (missing parameters take their generator defaults)
        resolve_params(kind, n, d, params, np.random.default_rng(0), gradients)
    elif gradients and kind not in ALL_RANK_ONE_KINDS and "rank" not in params:
        raise ValueError(f"gradients: kind {kind!r} is rank one only with rank=1")
    if kind == "orthogonal" and isinstance(n, int) and isinstance(d, int) and n > d:
        raise ValueError(f"n: orthogonal families need n <= d, got n={n}, d={d}")
    return _draw_family((kind,), ns, ds, dict(params), gradients, labelled)


def families(
    kinds: Sequence[str] = FAMILY_KINDS,
    n: int | st.SearchStrategy[int] | None = None,
    d: int | st.SearchStrategy[int] | None = None,
    *,
    gradients: bool = False,
    labelled: bool = False,
) -> st.SearchStrategy[Any]:
    r"""Hypothesis strategy drawing a kind, then a family :math:`\{H_i\}` of that kind.

    Parameters
    ----------
    kinds
        Kinds to draw from (shrinks towards the first; default :data:`FAMILY_KINDS`, pass
        :data:`ALL_KINDS` for every kind); kinds infeasible for the drawn sizes
        (``orthogonal`` with ``n > d``) are skipped.
    n, d, labelled
        As for :func:`family`.
    gradients
        Restrict to :data:`ALL_RANK_ONE_KINDS` and yield ``(H, G)``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        As for :func:`family`.

    Raises
    ------
    ValueError
        At call time, naming the argument, for unknown or empty ``kinds`` or invalid sizes.
    """
    if isinstance(kinds, str):
        kinds = (kinds,)
    ks = tuple(check_kind(k) for k in kinds)
    if not ks:
        raise ValueError("kinds: expected at least one family kind")
    gradients, labelled = bool_arg(gradients, "gradients"), bool_arg(labelled, "labelled")
    if gradients:
        ks = tuple(k for k in ks if k in ALL_RANK_ONE_KINDS)
        if not ks:
            raise ValueError(f"kinds: gradients=True needs at least one of {ALL_RANK_ONE_KINDS}")
    ns, ds = _size_strategy(n, "n"), _size_strategy(d, "d")
    if isinstance(n, int) and isinstance(d, int) and not any(is_feasible(k, n, d) for k in ks):
        raise ValueError(f"kinds: no kind in {ks} is feasible for n={n}, d={d}")
    return _draw_family(ks, ns, ds, {}, gradients, labelled)


def _check_gradient_kind(kind: Any) -> str:
    kind = check_kind(kind)
    if kind not in GRADIENT_KINDS:
        raise ValueError(f"kind: members of kind {kind!r} are never rank one; choose one of {GRADIENT_KINDS}")
    return kind


def _rank_one_params(kind: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with ``rank=1`` added for kinds whose members are rank one only at rank one."""
    if kind not in ALL_RANK_ONE_KINDS and "rank" in PARAMS[kind] and "rank" not in params:
        return {**params, "rank": 1}
    return dict(params)


def _columns(HG: tuple[Array, Array]) -> Array:
    return np.ascontiguousarray(HG[1].T)


def random_gradient_matrix(rng: np.random.Generator, kind: str, p: int, n: int, **params: Any) -> Array:
    r"""A seeded gradient matrix :math:`Q = (g_1,\dots,g_n)\in\mathbb{R}^{p\times n}` of one kind.

    The columns are the rank-one factors of :func:`random_family` (``H_i = g_i g_i^T``): the
    result equals ``random_family(rng, kind, n, p, gradients=True, **params)[1].T``, with
    ``rank=1`` filled in for kinds that are rank one only at rank one (``identical``,
    ``orthogonal``, ``commuting``, ``wishart``, ``low_stable_rank``, ``heterogeneous``).

    Parameters
    ----------
    rng
        Source of randomness.
    kind
        One of :data:`GRADIENT_KINDS`.
    p, n
        Number of parameters (rows, >= 1) and of samples (columns, >= 1).
    **params
        Kind parameters as for :func:`random_family`.

    Returns
    -------
    numpy.ndarray
        ``Q`` of shape ``(p, n)``, float64, finite, C-contiguous.

    Raises
    ------
    ValueError
        Naming the argument, as for :func:`random_family`, or ``kind`` for a kind whose
        members are never rank one (``nearly_coherent``).

    Examples
    --------
    >>> import numpy as np
    >>> from verifythm.strategies.families import random_gradient_matrix
    >>> Q = random_gradient_matrix(np.random.default_rng(0), "orthogonal", 4, 3)
    >>> Q.shape, bool(np.allclose(Q.T @ Q, np.diag(np.diag(Q.T @ Q))))
    ((4, 3), True)
    """
    kind = _check_gradient_kind(kind)
    return _columns(random_family(rng, kind, n, p, gradients=True, **_rank_one_params(kind, params)))


def gradient_matrices(
    kinds: Sequence[str] = GRADIENT_KINDS,
    n: int | st.SearchStrategy[int] | None = None,
    p: int | st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[Array]:
    r"""Hypothesis strategy for gradient matrices :math:`Q\in\mathbb{R}^{p\times n}` of the drawn kind.

    Draws a kind, then a family of it with rank-one members (``rank=1`` for the kinds that
    need it), and yields its factors as columns, as :func:`random_gradient_matrix` does.

    Parameters
    ----------
    kinds
        Kinds to draw from, each in :data:`GRADIENT_KINDS` (shrinks towards the first: the
        default starts with ``gaussian``); infeasible kinds for the drawn sizes are skipped.
    n, p
        Number of samples (columns) and of parameters (rows): fixed, a strategy, or ``None``
        (1 to 5).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Strategy of ``(p, n)`` float64, finite arrays.

    Raises
    ------
    ValueError
        At call time, naming the argument, for unknown or empty ``kinds``, a kind that is
        never rank one, or invalid sizes.
    """
    if isinstance(kinds, str):
        kinds = (kinds,)
    ks = tuple(_check_gradient_kind(k) for k in kinds)
    if not ks:
        raise ValueError("kinds: expected at least one family kind")
    ns, ps = _size_strategy(n, "n"), _size_strategy(p, "p")
    if isinstance(n, int) and isinstance(p, int) and not any(is_feasible(k, n, p) for k in ks):
        raise ValueError(f"kinds: no kind in {ks} is feasible for n={n}, p={p}")
    return _draw_family(ks, ns, ps, {"rank": 1}, True, False).map(_columns)


def dexter2024_family(
    n: int, sigma: int, *, lam1: float = 2.0, d: int | None = None, gradients: bool = False
) -> Any:
    r"""The tunable-coherence family of the experiments of :cite:`dexter2024precise` (§5.1).

    Member :math:`i` (1-based) is :math:`m\,e_1e_1^T` for :math:`i \le \sigma` and
    :math:`m\,e_{i-\sigma+1}e_{i-\sigma+1}^T` otherwise, with :math:`m = \lambda_1 n/\sigma`.
    Then the mean :math:`H = \frac1n\sum_i H_i = \mathrm{diag}(\lambda_1, \lambda_1/\sigma,
    \dots)` has :math:`\lambda_1(H) = \lambda_1`, and the coherence measure
    :math:`\lambda_1(S)/\max_i\lambda_1(H_i)` with :math:`S_{ij} = \sqrt{\operatorname{tr}(H_iH_j)}`
    equals ``sigma``: ``sigma = 1`` gives mutually orthogonal members, ``sigma = n`` identical
    ones.  The paper uses ``n = 100``, ``lam1 = 2`` and ``d = n - sigma + 1``.

    Parameters
    ----------
    n
        Number of members (>= 1).
    sigma
        Target coherence, an integer in ``[1, n]``.
    lam1
        Top eigenvalue of the mean Hessian (> 0; the paper's value is 2).
    d
        Dimension, ``>= n - sigma + 1`` (default exactly that); extra coordinates are zero.
    gradients
        Also return ``G`` with ``G[i] = sqrt(m) e_k`` (so ``outer(G[i], G[i])`` equals
        ``H[i]`` up to rounding).

    Returns
    -------
    numpy.ndarray or tuple
        ``H`` of shape ``(n, d, d)``, or ``(H, G)``.

    Raises
    ------
    ValueError
        Naming ``n``, ``sigma``, ``lam1`` or ``d`` when invalid.
    """
    n = int_arg(n, "n", 1)
    sigma = int_arg(sigma, "sigma", 1, n)
    d = n - sigma + 1 if d is None else int_arg(d, "d", 1)
    p = check_params("dexter2024", n, d, {"sigma": sigma, "lam1": lam1})
    H, G = dexter_members(n, d, p["sigma"], p["lam1"], thm2=False)
    return (H, G) if bool_arg(gradients, "gradients") else H


def dexter2024_thm2_family(
    n: int, sigma: int, *, lam1: float = 1.0, d: int | None = None, gradients: bool = False
) -> Any:
    r"""The family of the proof of Theorem 2 of :cite:`dexter2024precise`.

    Members :math:`i \le \sigma` are :math:`m\,e_1e_1^T` and the rest are zero, with
    :math:`m = \lambda_1 n / \sigma`; the mean Hessian has :math:`\lambda_1(H) = \lambda_1` and
    the coherence measure equals ``sigma``.  Arguments, result and errors are those of
    :func:`dexter2024_family`, except:

    Parameters
    ----------
    d
        Dimension (>= 1, default ``n`` as in the proof).
    gradients
        Also return the rank-one factors ``G`` (zero rows for the zero members).
    """
    n = int_arg(n, "n", 1)
    d = n if d is None else int_arg(d, "d", 1)
    p = check_params("dexter2024_thm2", n, d, {"sigma": sigma, "lam1": lam1})
    H, G = dexter_members(n, d, p["sigma"], p["lam1"], thm2=True)
    return (H, G) if bool_arg(gradients, "gradients") else H
