r"""Top eigenpairs of self-adjoint linear maps on the space :math:`\mathrm{Sym}(r)` of symmetric matrices.

Used by :mod:`verifythm.dynamics.stability` for :math:`\rho(\mathcal T_\eta)` and
:math:`\eta^*`: densely in the orthonormal ``svec`` coordinates when the
:math:`r(r+1)/2`-dimensional space is small, else by Lanczos (ARPACK ``eigsh``,
matrix-free) with a preconditioned LOBPCG fallback.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable

import numpy as np
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from verifythm.linalg.psd import Array

#: Above this many symmetric-matrix coordinates, spectra are computed by Lanczos.
DENSE_MAX = 1200
#: Default relative accuracy asked of ARPACK.
CRITICAL_TOL = 1e-11


@functools.lru_cache(maxsize=8)
def _sym_index(r: int) -> tuple[NDArray[np.intp], NDArray[np.intp], Array]:
    iu, ju = np.triu_indices(r)
    w = np.where(iu == ju, 1.0, math.sqrt(2.0))
    return iu, ju, w


def svec(X: Array) -> Array:
    r"""Orthonormal coordinates of a symmetric matrix: diagonal, then :math:`\sqrt2X_{jk}` (j<k).

    Examples
    --------
    The coordinates preserve the Frobenius inner product, and :func:`smat` inverts them:

    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [2.0, 3.0]])
    >>> x = svec(X)
    >>> bool(np.isclose(x @ x, np.sum(X * X)))
    True
    >>> bool(np.array_equal(smat(x, 2), X))
    True
    """
    iu, ju, w = _sym_index(X.shape[0])
    return X[iu, ju] * w


def smat(x: Array, r: int) -> Array:
    """Inverse of :func:`svec`."""
    iu, ju, w = _sym_index(r)
    X = np.zeros((r, r))
    X[iu, ju] = x / w
    X[ju, iu] = x / w
    return X


def _top_eig(
    apply: Callable[[Array], Array],
    r: int,
    *,
    method: str = "auto",
    tol: float = CRITICAL_TOL,
    start: Array | None = None,
    precond: Array | None = None,
) -> tuple[float, Array, str]:
    """Largest eigenvalue and eigenvector (as an r × r matrix) of a self-adjoint map on Sym(r).

    Dense for small spaces, else ARPACK Lanczos; if ARPACK does not converge and an
    entry-wise ``precond`` (``r × r``, positive) is given, preconditioned LOBPCG.
    """
    m = r * (r + 1) // 2
    if method not in ("auto", "dense", "lanczos"):
        raise ValueError(f"method: expected 'auto', 'dense' or 'lanczos', got {method!r}")
    use_dense = method == "dense" or (method == "auto" and m <= DENSE_MAX) or m <= 2
    if use_dense:
        cols = np.empty((m, m))
        for k in range(m):
            e = np.zeros(m)
            e[k] = 1.0
            cols[:, k] = svec(apply(smat(e, r)))
        A = (cols + cols.T) / 2
        w, V = np.linalg.eigh(A)
        return float(w[-1]), smat(V[:, -1], r), "dense"

    def matvec(x: Array) -> Array:
        return svec(apply(smat(np.ravel(x), r)))

    op = spla.LinearOperator((m, m), matvec=matvec, dtype=np.float64)
    v0 = svec(np.eye(r) if start is None else start)
    v0 = v0 / np.linalg.norm(v0)
    try:
        w, V = spla.eigsh(op, k=1, which="LA", tol=tol, v0=v0, ncv=min(m, 20), maxiter=max(1000, 20 * r))
        return float(w[0]), smat(V[:, 0], r), "lanczos"
    except spla.ArpackNoConvergence:
        if precond is None:
            raise
    # ARPACK did not converge (a top eigenvalue inside a dense cluster, e.g. many tiny
    # eigenvalues of H): preconditioned LOBPCG; the returned value is the Rayleigh quotient
    # of the final vector, a rigorous lower bound of λ_max.
    pv = np.maximum(np.abs(svec(precond)), 1e-300)

    def matmat(X: Array) -> Array:
        return np.stack([matvec(X[:, j]) for j in range(X.shape[1])], axis=1)

    op2 = spla.LinearOperator((m, m), matvec=matvec, matmat=matmat, dtype=np.float64)
    pre = spla.LinearOperator((m, m), matvec=lambda x: np.ravel(x) / pv, matmat=lambda X: X / pv[:, None])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, V = spla.lobpcg(op2, v0[:, None], M=pre, largest=True, tol=tol, maxiter=500)
    x = V[:, 0] / np.linalg.norm(V[:, 0])
    return float(x @ matvec(x)), smat(x, r), "lobpcg"


def _psd_orient(X: Array) -> tuple[Array, float]:
    """Sign-fix an eigenvector so that it is (nearly) PSD; return it and its PSD defect."""
    X = (X + X.T) / 2
    if np.trace(X) < 0:
        X = -X
    w = np.linalg.eigvalsh(X)
    nrm = float(np.linalg.norm(X))
    defect = max(0.0, -float(w[0])) / nrm if nrm > 0 else 0.0
    return X / nrm if nrm > 0 else X, defect
