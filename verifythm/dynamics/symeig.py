r"""Top eigenpairs of self-adjoint linear maps on the space :math:`\mathrm{Sym}(r)` of symmetric matrices.

Used by :mod:`verifythm.dynamics.stability` for :math:`\rho(\mathcal T_\eta)` and
:math:`\eta^*`: densely in the orthonormal ``svec`` coordinates when the
:math:`r(r+1)/2`-dimensional space is small, else by Lanczos (ARPACK ``eigsh``,
matrix-free) with a preconditioned LOBPCG fallback.  For rank-one families :math:`\eta^*`
also has an ``n``-dimensional dual (:func:`rank_one_critical`): a few ``n × n`` eigenproblems
whose count does not grow with ``n``.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable

import numpy as np
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from verifythm.linalg.memory import require_memory
from verifythm.linalg.psd import Array

#: Above this many symmetric-matrix coordinates, spectra are computed by Lanczos.
DENSE_MAX = 1200
#: Default relative accuracy asked of ARPACK.
CRITICAL_TOL = 1e-11


@functools.lru_cache(maxsize=8)
def _sym_index(r: int) -> tuple[NDArray[np.intp], NDArray[np.intp], Array]:
    """Flat positions of the upper and (mirrored) lower triangle in an ``r × r`` array, and the weights."""
    iu, ju = np.triu_indices(r)
    w = np.where(iu == ju, 1.0, math.sqrt(2.0))
    return iu * r + ju, ju * r + iu, w


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
    upper, _, w = _sym_index(X.shape[0])
    return np.take(X, upper) * w  # flat gathers: several times faster than X[iu, ju]


def smat(x: Array, r: int) -> Array:
    """Inverse of :func:`svec`."""
    upper, lower, w = _sym_index(r)
    X = np.empty(r * r)
    y = x / w
    X[upper] = y
    X[lower] = y
    return X.reshape(r, r)


def operator_matrix(apply: Callable[[Array], Array], r: int) -> Array:
    """The symmetric ``svec`` matrix (``m × m``, ``m = r(r+1)/2``) of a self-adjoint map on Sym(r)."""
    m = r * (r + 1) // 2
    # the columns, their symmetrisation and the dense eigensolver's copy and eigenvectors
    require_memory(
        4.0 * 8.0 * float(m) ** 2,
        f"the dense m × m matrix of the moment operator on Sym(r) (r = {r}, m = r(r+1)/2 = {m})",
        name="method",
        hint="use method='auto' or 'lanczos' (matrix-free)",
    )
    cols = np.empty((m, m))
    for k in range(m):
        e = np.zeros(m)
        e[k] = 1.0
        cols[:, k] = svec(apply(smat(e, r)))
    return (cols + cols.T) / 2


def dense_top(A: Array, r: int) -> tuple[float, Array, str]:
    """Largest eigenvalue of the ``svec`` matrix ``A`` and its eigenvector as an ``r × r`` matrix."""
    w, V = np.linalg.eigh(A)
    return float(w[-1]), smat(V[:, -1], r), "dense"


def uses_dense(r: int, method: str) -> bool:
    """Whether :func:`top_eig` solves Sym(r) densely for ``method``."""
    m = r * (r + 1) // 2
    return method == "dense" or (method == "auto" and m <= DENSE_MAX) or m <= 2


def top_eig(
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
    if uses_dense(r, method):
        return dense_top(operator_matrix(apply, r), r)

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


def psd_orient(X: Array) -> tuple[Array, float]:
    """Sign-fix an eigenvector so that it is (nearly) PSD; return it and its PSD defect."""
    X = (X + X.T) / 2
    if np.trace(X) < 0:
        X = -X
    w = np.linalg.eigvalsh(X)
    nrm = float(np.linalg.norm(X))
    defect = max(0.0, -float(w[0])) / nrm if nrm > 0 else 0.0
    return X / nrm if nrm > 0 else X, defect


#: Pivoted-Cholesky cut-off (relative to the largest diagonal entry) of the Cauchy kernel in
#: :func:`rank_one_critical`; it only steers the search direction (the returned value is exact for it).
CAUCHY_TOL = 1e-13


def _cauchy_factor(y: Array, tol: float) -> Array:
    r"""Pivoted Cholesky ``L`` (``r × R``), :math:`LL^T\approx C_{jk}=1/(y_j+y_k)` (:math:`y>0`).

    :math:`C` is a positive definite Cauchy matrix, whose eigenvalues decay geometrically, so
    :math:`R` grows only like :math:`\log(y_{\max}/y_{\min})\log(1/\text{tol})`; the factorisation
    stops when every residual diagonal entry is at most ``tol`` times the largest diagonal entry.
    """
    d = 0.5 / y
    stop = tol * float(d.max())
    cols: list[Array] = []
    L = np.zeros((y.size, 0))
    while len(cols) < y.size:
        j = int(np.argmax(d))
        if d[j] <= stop:
            break
        col = (1.0 / (y + y[j]) - L @ L[j]) / math.sqrt(d[j])
        cols.append(col)
        L = np.stack(cols, axis=1)
        d = d - col * col
        d[j] = 0.0
    return L


def _solve_rate(Z2: Array, x: Array, a: float, cn: float, start: float | None) -> float:
    r"""The root :math:`\eta` of :math:`\eta\,c/n\,\sum_{jk}Z^2_{jk}x_jx_k/(x_j+x_k-a\eta) = 1`.

    The left side is increasing and convex on :math:`[0, 2\min_jx_j/a)`: Newton from ``start``
    (a point where it is at least 1, so the iterates decrease monotonically), with bisection as
    a safeguard; ``Z2`` already holds :math:`x_jx_kZ_{jk}^2`.
    """
    if a == 0.0:  # no pole: the left side is linear in η
        return 1.0 / (cn * float(np.sum(Z2 / (x[:, None] + x[None, :]))))
    lo, hi = 0.0, 2.0 * float(x.min()) / a
    eta = 0.5 * hi if start is None else min(start, hi * (1 - 1e-15))
    for _ in range(200):
        y = x - 0.5 * a * eta
        R = Z2 / (y[:, None] + y[None, :])
        s = float(np.sum(R))
        f = eta * cn * s - 1.0
        if f > 0:
            hi = eta
        else:
            lo = eta
        df = cn * (s + a * eta * float(np.sum(R / (y[:, None] + y[None, :]))))
        new = eta - f / df
        if not lo < new < hi:
            new = 0.5 * (lo + hi)
        if abs(new - eta) <= 4 * np.finfo(float).eps * eta or hi - lo <= 4 * np.finfo(float).eps * hi:
            return new
        eta = new
    return eta


def _dual_gram(Mt: Array, L: Array) -> Array:
    r"""Upper triangle of :math:`G=\sum_s(\tilde M^T\operatorname{diag}(\ell_s)\tilde M)^{\circ2}` (F order).

    Each :math:`\tilde M^T\operatorname{diag}(\ell_s)\tilde M` is two symmetric rank-k updates
    (``dsyrk``, rows with :math:`\ell_{sj}>0` and :math:`<0`): half the flops of a GEMM.
    """
    from scipy.linalg import blas

    n = Mt.shape[1]
    G = np.zeros((n, n), order="F")
    Y = np.zeros((n, n), order="F")
    for s in range(L.shape[1]):
        ell = L[:, s]
        Y[...] = 0.0
        for sign, rows in ((1.0, ell > 0), (-1.0, ell < 0)):
            if rows.any():
                F = np.asfortranarray(Mt[rows] * np.sqrt(np.abs(ell[rows]))[:, None])
                Y = blas.dsyrk(sign, F, trans=1, beta=1.0, c=Y, overwrite_c=1)
        np.multiply(Y, Y, out=Y)
        G += Y
    return G


def _top_vector(G: Array, v0: Array) -> Array:
    """Top eigenvector of the symmetric matrix whose upper triangle is ``G`` (Lanczos from ``v0``)."""
    from scipy.linalg import blas

    n = G.shape[0]
    if n <= 64:
        return np.linalg.eigh(np.triu(G) + np.triu(G, 1).T)[1][:, -1]

    def matvec(u: Array) -> Array:
        return blas.dsymv(1.0, G, np.ravel(u))

    op = spla.LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    return spla.eigsh(op, k=1, which="LA", v0=v0, tol=1e-14, ncv=min(n, 20), maxiter=max(1000, 10 * n))[1][
        :, 0
    ]


def rank_one_critical(
    M: Array, lam: Array, a: float, c: float, *, tol: float = CAUCHY_TOL, max_iter: int = 30
) -> tuple[float, Array, int, bool]:
    r"""Critical rate of a rank-one family by its ``n``-dimensional dual (no Lanczos on Sym(r)).

    With :math:`\mathcal Q(W) = aHWH + \tfrac cn\Phi\Phi^*(W)`, :math:`\Phi(v) = M\operatorname{diag}(v)M^T`,
    :math:`\Phi^*(W) = \operatorname{diag}(M^TWM)` and :math:`H = \operatorname{diag}(\lambda)`, the
    operator :math:`B_\eta = \mathcal A - \eta aH\otimes H` is the entry-wise multiplier
    :math:`\lambda_j\lambda_k(y_j+y_k)`, :math:`y = 1/\lambda - a\eta/2`, positive for
    :math:`\eta<2/(a\lambda_1)`.  Hence :math:`\mathcal A - \eta\mathcal Q\succeq0` iff
    :math:`\eta\tfrac cn\lambda_{\max}(G_\eta)\le1` with the ``n × n`` matrix
    :math:`G_\eta = \Phi^*B_\eta^{-1}\Phi`, and :math:`\eta^* = \min_v p(v)` where :math:`p(v)` solves
    :math:`p\,\tfrac cn\,v^TG_pv = 1` (:math:`\|v\|=1`; computed exactly from
    :math:`Z=\Phi(v)` in :math:`O(r^2)` per trial rate).  The safeguarded iteration
    :math:`v_{k+1}` = top eigenvector of :math:`G_{p(v_k)}` decreases :math:`p` monotonically and
    converges quadratically.  :math:`G_\eta = \sum_s(\tilde M^T\operatorname{diag}(\ell_s)\tilde M)^{\circ2}`
    with :math:`\tilde M = \operatorname{diag}(\lambda)^{-1/2}M` and :math:`LL^T` a pivoted Cholesky
    factor of the Cauchy matrix :math:`1/(y_j+y_k)`: a few ``n × n`` products per step instead of
    hundreds of operator applications.

    Returns
    -------
    eta, W, steps, converged
        :math:`\eta^* = p(v)` for the final ``v`` (an upper bound of the exact root up to rounding),
        the null vector :math:`W = B_\eta^{-1}\Phi(v)` of :math:`\mathcal A-\eta\mathcal Q`, the
        number of ``n × n`` eigenproblems solved and whether the iteration settled within ``max_iter``.
    """
    n = M.shape[1]
    x = 1.0 / lam
    cn = c / n
    Mt = np.sqrt(x)[:, None] * M  # M̃ = diag(λ)^{-1/2} M
    xx = x[:, None] * x[None, :]
    v = np.full(n, 1.0 / math.sqrt(n))
    Z = (M * v) @ M.T
    eta = _solve_rate(xx * Z * Z, x, a, cn, None)
    steps, converged = 0, False
    for k in range(max_iter):
        y = x - 0.5 * a * eta
        L = _cauchy_factor(y, max(tol, 1e-6) if k == 0 else tol)  # far from η* at first: coarse
        w = _top_vector(_dual_gram(Mt, L), v)
        steps += 1
        Zw = (M * w) @ M.T
        new = _solve_rate(xx * Zw * Zw, x, a, cn, eta)
        if new <= eta:
            done = new >= eta * (1 - 1e-9)  # quadratic convergence: the next step moves ≲ 1e-18
            eta, v, Z = new, w, Zw
        else:  # no decrease: v is already optimal to rounding
            done = True
        if done:
            converged = True
            break
    y = x - 0.5 * a * eta
    W = Z / ((lam[:, None] * lam[None, :]) * (y[:, None] + y[None, :]))
    return eta, (W + W.T) / 2, steps, converged
