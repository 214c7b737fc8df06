r"""Hypothesis strategies and seeded numpy generators for matrices and gradient families.

Hypothesis strategies (for ``@given`` and :class:`~verifythm.PropertyCheck`) shrink
towards small dimensions, few samples and simple entries.  The numpy generators
(``random_*``) give the deterministic instance streams of exact checks.  Every
generated matrix is float64 and finite.

Families of model gradients :math:`Q = (g_1,\dots,g_n)\in\mathbb{R}^{p\times n}` come
in structured kinds that stress bounds in different ways: ``gaussian``
(isotropic), ``anisotropic`` (spread spectrum), ``identical`` (all columns equal),
``orthogonal`` (pairwise orthogonal columns), ``sparse`` (many zero entries),
``scaled`` (column norms spanning orders of magnitude).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.strategies.scalars import reals

FAMILIES = ("gaussian", "anisotropic", "identical", "orthogonal", "sparse", "scaled")

_entry = reals(-4.0, 4.0)
_nonneg = reals(0.0, 10.0)


def _orthogonal_from(A: Array) -> Array:
    """Orthogonal factor of the QR decomposition of ``A + I`` (Householder: always orthogonal)."""
    Qm, R = np.linalg.qr(A + np.eye(A.shape[0]))
    return Qm * np.where(np.diag(R) < 0, -1.0, 1.0)


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
    r"""Symmetric PSD matrices :math:`H = V\,\mathrm{diag}(\lambda)\,V^T` with drawn spectrum and basis.

    Parameters
    ----------
    dims
        Strategy for the dimension (default: 1 to 5, drawn as the length of the
        spectrum so that Hypothesis can shrink the dimension).
    min_rank
        Minimum number of strictly positive eigenvalues.
    """
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
    V = _orthogonal_from(A)
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
    """A random PSD matrix of size ``d`` with given rank and (log-uniform) spectrum."""
    r = d if rank is None else rank
    top = 10 ** rng.uniform(-1, 1)
    spread = cond if cond is not None else 10 ** rng.uniform(0, 3)
    lam = np.zeros(d)
    lam[:r] = top * np.geomspace(1.0, 1.0 / spread, r) if r > 0 else 0.0
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    H = (V * lam) @ V.T
    return (H + H.T) / 2


def random_gradients(rng: np.random.Generator, p: int, n: int, family: str = "gaussian") -> Array:
    r"""A seeded model-gradient matrix :math:`Q\in\mathbb{R}^{p\times n}` of the given family.

    Raises
    ------
    ValueError
        If ``family`` is not one of :data:`FAMILIES`.
    """
    if family not in FAMILIES:
        raise ValueError(f"family: unknown family {family!r}; choose one of {FAMILIES}")
    Q = rng.standard_normal((p, n))
    if family == "identical":
        Q = np.repeat(Q[:, :1], n, axis=1)
    elif family == "orthogonal":
        Q = np.zeros((p, n))
        basis, _ = np.linalg.qr(rng.standard_normal((p, p)))
        for i in range(n):
            Q[:, i] = basis[:, i % p] * rng.uniform(0.1, 3.0)
    elif family == "sparse":
        Q = Q * (rng.random((p, n)) < 0.3)
    elif family == "scaled":
        Q = Q * 10.0 ** rng.uniform(-3, 3, size=n)[None, :]
    elif family == "anisotropic":
        Q = Q * np.geomspace(1.0, 1e-2, p)[:, None]
    return Q
