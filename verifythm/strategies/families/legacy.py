r"""The retired matrices vocabulary (``verifythm.strategies.matrices``) and its map to the one vocabulary.

Before the vocabularies were unified, ``verifythm.strategies.matrices`` had its own kind names
(``FAMILIES``) for gradient matrices :math:`Q = (g_1,\dots,g_n)\in\mathbb{R}^{p\times n}`,
four of which also name kinds of :data:`~verifythm.strategies.families.ALL_KINDS` with a
*different* generator.  The catalogue's verdicts depend on the old draws, so the old
generators live on here, unchanged, behind their old names (the deprecated wrappers in
``verifythm.strategies.matrices`` call them); :data:`LEGACY_KINDS` states, name by name,
which kind of the one vocabulary replaces each and whether it has the same law and the same
draws.  ``sparse`` and ``scaled`` are now kinds of the one vocabulary built by the same code,
so their draws are bit-identical under both names.

====================================  =========================================================
Old name (``random_gradients``)       One vocabulary (``random_gradient_matrix``)
====================================  =========================================================
``gaussian``                          ``gaussian``: same law, other draws
``anisotropic``                       ``anisotropic``, ``cov_spectrum=geomspace(1, 1e-2, p)**2``:
                                      same law, other draws (old row scales are standard
                                      deviations; ``cov_spectrum`` holds variances)
``identical``                         ``identical``, ``rank=1``: same structure, other law
                                      (old :math:`g\sim N(0, I_p)`, new :math:`\|g\|^2 = 1`)
``orthogonal``                        ``orthogonal``, ``rank=1`` when ``n <= p``: other law of
                                      the norms (old :math:`U[0.1, 3]`, new
                                      :math:`\sqrt{U[0.1, 1]}`); for ``n > p`` the old kind
                                      cycles through ``p`` directions, nearest: ``commuting``,
                                      ``rank=1``
``sparse``                            ``sparse``: same code, bit-identical draws
``scaled``                            ``scaled``: same code, bit-identical draws
====================================  =========================================================

``random_psd(rng, d, rank=, cond=)`` is replaced by ``random_psd_with(rng, d, rank=,
condition=)``: the old spectrum is geometric (evenly spaced in log), the new one has
log-uniform interior eigenvalues, and the streams differ.  The Hypothesis strategies
``psd_matrices``, ``spectra``, ``gradient_families``, ``residual_vectors`` and
``gradients_and_residuals`` are replaced by ``psd_with``, ``psd_with(..., diagonal=True)``
(its diagonal), ``gradient_matrices``, :func:`~verifythm.strategies.scalars.real_vectors` and
a composite of the last two; their examples differ (in ``gradient_families`` the name
``sparse`` draws no zero mask and ``scaled`` uses integer powers of ten).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.strategies.families.builders import scaled_columns, sparse_columns
from verifythm.strategies.families.sources import RngMatrixSource, orthogonal_from
from verifythm.strategies.scalars import reals

__all__ = ["FAMILIES", "LEGACY_KINDS", "KindMapping", "equivalent_kind"]

FAMILIES = ("gaussian", "anisotropic", "identical", "orthogonal", "sparse", "scaled")
"""The retired gradient-matrix kind names of ``verifythm.strategies.matrices``."""


class KindMapping(NamedTuple):
    """Where an old gradient-matrix kind name went in the one vocabulary."""

    old: str
    """The name in :data:`FAMILIES`."""
    kind: str
    """The kind of :data:`~verifythm.strategies.families.GRADIENT_KINDS` that replaces it."""
    same_law: bool
    """Whether the replacement (with the parameters of :func:`equivalent_kind`) has the same law."""
    same_draws: bool
    """Whether it also gives bit-identical draws for the same seed."""
    note: str
    """What differs."""


LEGACY_KINDS: dict[str, KindMapping] = {
    "gaussian": KindMapping(
        "gaussian", "gaussian", True, False, "old stream fills Q (p x n) row-major, new fills Q^T"
    ),
    "anisotropic": KindMapping(
        "anisotropic",
        "anisotropic",
        True,
        False,
        "needs cov_spectrum = geomspace(1, 1e-2, p)**2 (the old row scales are standard deviations)",
    ),
    "identical": KindMapping(
        "identical", "identical", False, False, "old g ~ N(0, I_p) repeated; new ||g||^2 = scale (1)"
    ),
    "orthogonal": KindMapping(
        "orthogonal",
        "orthogonal",
        False,
        False,
        "old norms U[0.1, 3] and directions cycling when n > p; new norms sqrt(U[0.1, 1]), n <= p "
        "(nearest for n > p: commuting, rank=1)",
    ),
    "sparse": KindMapping("sparse", "sparse", True, True, "same code"),
    "scaled": KindMapping("scaled", "scaled", True, True, "same code"),
}
"""The map from each old name to its replacement kind (see the module docstring)."""


def equivalent_kind(old: str, p: int, n: int) -> tuple[str, dict[str, Any]]:
    """The kind and parameters of the one vocabulary nearest to the old gradient kind ``old``.

    Pass them to :func:`~verifythm.strategies.families.random_gradient_matrix` (``p`` rows,
    ``n`` columns) or, as ``kinds``, to :func:`~verifythm.strategies.families.gradient_matrices`.

    Raises
    ------
    ValueError
        If ``old`` is not in :data:`FAMILIES`.

    Examples
    --------
    >>> equivalent_kind("orthogonal", 2, 5)
    ('commuting', {'rank': 1})
    >>> equivalent_kind("sparse", 3, 4)
    ('sparse', {})
    """
    if old not in LEGACY_KINDS:
        raise ValueError(f"old: unknown family {old!r}; choose one of {FAMILIES}")
    if old == "anisotropic":
        return "anisotropic", {"cov_spectrum": np.geomspace(1.0, 1e-2, p) ** 2}
    if old == "identical":
        return "identical", {"rank": 1}
    if old == "orthogonal":
        return ("orthogonal", {"rank": 1}) if n <= p else ("commuting", {"rank": 1})
    return old, {}


# --------------------------------------------------------------------------------------------
# the old generators, unchanged (their draws back the catalogue's verdicts)

_entry = reals(-4.0, 4.0)
_nonneg = reals(0.0, 10.0)


@st.composite
def spectra(draw: Any, dim: int, *, min_rank: int = 0) -> Array:
    """Non-negative eigenvalue vectors of length ``dim`` with at least ``min_rank`` positive."""
    lam = np.array(draw(st.lists(_nonneg, min_size=dim, max_size=dim)), dtype=float)
    for i in range(min(min_rank, dim)):
        if lam[i] <= 1e-6:
            lam[i] = draw(st.floats(min_value=1e-3, max_value=10.0))
    return lam


@st.composite
def psd_matrices(
    draw: Any,
    dims: st.SearchStrategy[int] | None = None,
    *,
    min_rank: int = 1,
) -> Array:
    r"""Symmetric PSD matrices :math:`H = V\,\mathrm{diag}(\lambda)\,V^T` with drawn spectrum and basis."""
    if dims is not None:
        lam = draw(spectra(draw(dims), min_rank=min_rank))
    else:
        # the spectrum is a variable-length list, so shrinking can delete dimensions
        lam = np.array(draw(st.lists(_nonneg, min_size=1, max_size=5)), dtype=float)
        for i in range(min(min_rank, lam.size)):
            if lam[i] <= 1e-6:
                lam[i] = draw(st.floats(min_value=1e-3, max_value=10.0))
    d = lam.size
    diag_only = draw(st.booleans())
    if diag_only:
        return np.diag(lam)
    A = np.array(draw(st.lists(_entry, min_size=d * d, max_size=d * d))).reshape(d, d)
    V = orthogonal_from(A)
    H = (V * lam) @ V.T
    return (H + H.T) / 2


@st.composite
def gradient_families(
    draw: Any, ns: st.SearchStrategy[int] | None = None, ps: st.SearchStrategy[int] | None = None
) -> Array:
    r"""Model-gradient matrices :math:`Q\in\mathbb{R}^{p\times n}` (columns :math:`g_i`), any family."""
    p = draw(ps if ps is not None else st.integers(1, 6))
    col = st.lists(_entry, min_size=p, max_size=p)
    if ns is not None:
        n = draw(ns)
        cols = draw(st.lists(col, min_size=n, max_size=n))
    else:  # a variable-length list of columns: shrinking can delete samples
        cols = draw(st.lists(col, min_size=1, max_size=6))
    n = len(cols)
    fam = draw(st.sampled_from(FAMILIES))
    entries = np.array(cols, dtype=float).reshape(n, p).T
    if fam == "identical":
        entries = np.repeat(entries[:, :1], n, axis=1)
    elif fam == "orthogonal":
        k = min(p, n)
        entries = np.zeros((p, n))
        scales = draw(st.lists(st.floats(0.1, 4.0), min_size=n, max_size=n))
        for i in range(n):
            entries[i % k, i] = scales[i]
    elif fam == "scaled":
        pw = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
        entries = entries * (10.0 ** np.array(pw))[None, :]
    elif fam == "anisotropic":
        entries = entries * np.geomspace(1.0, 1e-2, p)[:, None]
    return entries


@st.composite
def residual_vectors(draw: Any, n: int) -> Array:
    r"""Residual vectors :math:`e\in\mathbb{R}^n` (entries may be zero)."""
    return np.array(draw(st.lists(_entry, min_size=n, max_size=n)), dtype=float)


@st.composite
def gradients_and_residuals(draw: Any) -> dict[str, Array]:
    r"""Instances ``{"Q": Q, "e": e}``: model gradients (any family) and matching residuals."""
    Q = draw(gradient_families())
    return {"Q": Q, "e": draw(residual_vectors(Q.shape[1]))}


def random_psd(
    rng: np.random.Generator, d: int, *, rank: int | None = None, cond: float | None = None
) -> Array:
    """A random PSD matrix of size ``d`` with given rank and geometric spectrum."""
    r = d if rank is None else rank
    top = 10 ** rng.uniform(-1, 1)
    spread = cond if cond is not None else 10 ** rng.uniform(0, 3)
    lam = np.zeros(d)
    lam[:r] = top * np.geomspace(1.0, 1.0 / spread, r) if r > 0 else 0.0
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    H = (V * lam) @ V.T
    return (H + H.T) / 2


def random_gradients(rng: np.random.Generator, p: int, n: int, family: str = "gaussian") -> Array:
    r"""A seeded model-gradient matrix :math:`Q\in\mathbb{R}^{p\times n}` of an old kind name."""
    if family not in FAMILIES:
        raise ValueError(f"family: unknown family {family!r}; choose one of {FAMILIES}")
    if family == "sparse":  # the one vocabulary's construction, same stream
        return sparse_columns(RngMatrixSource(rng), p, n, 0.3)
    if family == "scaled":
        return scaled_columns(RngMatrixSource(rng), p, n, 6.0)
    Q = rng.standard_normal((p, n))
    if family == "identical":
        Q = np.repeat(Q[:, :1], n, axis=1)
    elif family == "orthogonal":
        Q = np.zeros((p, n))
        basis, _ = np.linalg.qr(rng.standard_normal((p, p)))
        for i in range(n):
            Q[:, i] = basis[:, i % p] * rng.uniform(0.1, 3.0)
    elif family == "anisotropic":
        Q = Q * np.geomspace(1.0, 1e-2, p)[:, None]
    return Q
