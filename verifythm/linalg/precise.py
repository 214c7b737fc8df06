r"""High-precision linear algebra: exact rationals and mpmath eigenvalues.

A violation seen in float64 is re-checked in high precision before it is reported.
Floats are converted to the *exact* rationals they represent (:class:`fractions.Fraction`),
so rational computations (products, traces, Frobenius norms, closed forms) are exact;
spectral quantities use mpmath at ``dps`` decimal digits.

The building blocks of the precise moment engine (:mod:`verifythm.dynamics.precise`) live
here: the matrix of the symmetrised sandwich map :math:`W\mapsto\frac12(XWY+YWX)` in the
orthonormal ``svec`` coordinates of :math:`\mathrm{Sym}(r)` (:func:`sym_operator`), the top
eigenvalue of a symmetric mpmath matrix (:func:`top_eig_mp`) and of a symmetric-definite
pencil :math:`Qx=\mu Ax` (:func:`gen_top_mp`).  Element-wise work uses numpy ``object``
arrays of ``mpf``/``Fraction`` (the loops run in C, each operation in Python).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

#: Default number of decimal digits of the high-precision re-checks.
DPS = 50


def exact(a: ArrayLike) -> np.ndarray:
    """Object array of the exact rationals represented by the float entries of ``a``.

    Examples
    --------
    >>> exact([0.5, 0.1])[1] == Fraction(3602879701896397, 36028797018963968)
    True
    """
    arr = np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("a: contains NaN or infinite entries (no exact rational)")
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = Fraction(float(v))
    return out


def dyadic(a: ArrayLike) -> tuple[np.ndarray, int]:
    """Integers ``x`` (object array) and ``E >= 0`` with ``a == x / 2**E`` exactly (a common denominator).

    Sums of products of floats then become exact integer arithmetic, much faster than
    :class:`~fractions.Fraction`.

    Examples
    --------
    >>> x, E = dyadic([0.75, 2.0])
    >>> x.tolist(), E
    ([3, 8], 2)
    """
    arr = np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("a: contains NaN or infinite entries (no exact rational)")
    parts = [math.frexp(float(v)) for v in arr.ravel()]
    E = max([53 - ex for f, ex in parts if f != 0.0] + [0])
    ints = [int(f * 2**53) << (ex - 53 + E) if f != 0.0 else 0 for f, ex in parts]
    # drop the common factors of two (smaller integers, faster sums), keeping E >= 0
    tz = min(((v & -v).bit_length() - 1 for v in ints if v), default=0)
    shift = min(tz, max(E, 0))
    out = np.empty(arr.size, dtype=object)
    out[:] = [v >> shift for v in ints]
    return out.reshape(arr.shape), E - shift


def column_sums(D: ArrayLike) -> tuple[list[int], list[int], int]:
    r"""Exact integer column sums :math:`s_1 = \sum_ix_{ij}`, :math:`s_2 = \sum_ix_{ij}^2` (D = x/2^E)."""
    x, E = dyadic(D)
    return (
        [sum(x[:, j]) for j in range(x.shape[1])],
        [sum(v * v for v in x[:, j]) for j in range(x.shape[1])],
        E,
    )


def column_moments(D: ArrayLike, centred: bool) -> list[tuple[Fraction, Fraction]]:
    r"""Exact column means :math:`h_j` and variances :math:`v_j` of ``D`` (n, r).

    ``v_j`` is :math:`\frac1n\sum_i(D_{ij}-h_j)^2` when ``centred``, else :math:`\frac1n\sum_iD_{ij}^2`.
    """
    n = np.shape(D)[0]
    s1, s2, E = column_sums(D)
    out = []
    for a, b in zip(s1, s2, strict=True):
        v = Fraction(n * b - a * a, (n * n) << (2 * E)) if centred else Fraction(b, n << (2 * E))
        out.append((Fraction(a, n << E), v))
    return out


def int_ratio(num: int, den: int) -> float:
    """``num / den`` correctly rounded (Python's integer true division), ``±inf`` on overflow."""
    try:
        return num / den
    except OverflowError:
        return math.copysign(math.inf, num) * (1 if den > 0 else -1)


def trace(a: np.ndarray) -> Fraction:
    """Exact trace of a square object array of Fractions."""
    return sum((a[i, i] for i in range(a.shape[0])), Fraction(0))


def to_float(x: Any) -> float:
    """``x`` (Fraction, mpf, int) rounded to the nearest float; ``±inf`` on overflow.

    Examples
    --------
    >>> to_float(Fraction(1, 3)) == 1 / 3, to_float(Fraction(10**400)), to_float(Fraction(1, 10**400))
    (True, inf, 0.0)
    """
    if isinstance(x, float):
        return x
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def mpf_array(a: ArrayLike) -> np.ndarray:
    """Object array of ``mpf`` holding the float (or Fraction) entries of ``a`` exactly.

    A float converts exactly; a Fraction is rounded to the current mpmath precision.
    """
    import mpmath

    src = np.asarray(a)
    out = np.empty(src.shape, dtype=object)
    for idx, v in np.ndenumerate(src):
        out[idx] = mpmath.mpf(v.numerator) / v.denominator if isinstance(v, Fraction) else mpmath.mpf(v)
    return out


def to_mp_matrix(a: np.ndarray) -> Any:
    """A 2-d object (or float) array as an ``mpmath.matrix``."""
    import mpmath

    arr = np.asarray(a)
    if arr.ndim != 2:
        raise ValueError(f"a: expected a 2-d array, got shape {arr.shape}")
    return mpmath.matrix([[mpmath.mpf(x) for x in row] for row in arr])


def from_mp_matrix(M: Any) -> np.ndarray:
    """An ``mpmath.matrix`` as a 2-d object array of ``mpf``."""
    out = np.empty((M.rows, M.cols), dtype=object)
    for i in range(M.rows):
        for j in range(M.cols):
            out[i, j] = M[i, j]
    return out


def eigvalsh_mp(H: ArrayLike, dps: int = 60) -> list[Any]:
    """Eigenvalues of a symmetric matrix in mpmath at ``dps`` digits (ascending)."""
    import mpmath

    a = np.asarray(H, dtype=np.float64)
    with mpmath.workdps(dps):
        M = mpmath.matrix([[mpmath.mpf(float(x)) for x in row] for row in a])
        M = (M + M.T) / 2
        ev = mpmath.eigsy(M, eigvals_only=True)
        return sorted(ev[i] for i in range(a.shape[0]))


def eigh_mp(M: np.ndarray) -> tuple[list[Any], np.ndarray]:
    """Eigenvalues (descending) and eigenvectors (columns, object array) of a symmetric matrix.

    ``M`` is an object array of ``mpf`` (or floats); works at the current mpmath precision.
    """
    import mpmath

    A = to_mp_matrix(M)
    A = (A + A.T) / 2
    E, V = mpmath.eigsy(A)
    order = sorted(range(A.rows), key=lambda i: -E[i])
    vecs = from_mp_matrix(V)[:, order]
    return [E[i] for i in order], vecs


#: Largest n whose symmetric n × n eigenvalues are computed in full by mpmath (Jacobi, O(n³) mpf
#: operations: about 0.2 s at n = 24, 5 s at n = 64); above, float64 eigenvectors are refined.
EIG_FULL_MAX = 24


def rayleigh_exact(M: ArrayLike, x: ArrayLike) -> Fraction:
    r"""The Rayleigh quotient :math:`x^TMx/x^Tx` of a float matrix and a float vector, exactly.

    Both are converted to integers over a power of two (:func:`dyadic`), so the quotient is an
    exact rational; cost :math:`O(n^2)` integer operations.

    Examples
    --------
    >>> rayleigh_exact([[2.0, 1.0], [1.0, 2.0]], [1.0, 1.0])
    Fraction(3, 1)
    """
    m, a = dyadic(M)
    v, _ = dyadic(x)  # its power of two cancels in the quotient
    num, den = int(v.dot(m).dot(v)), int(v.dot(v))
    if den == 0:
        raise ValueError("x: the zero vector has no Rayleigh quotient")
    return Fraction(num, den << a) if a >= 0 else Fraction(num << -a, den)


def extreme_eigs_mp(M: ArrayLike) -> tuple[Any, Any, str]:
    r"""Smallest and largest eigenvalue of a symmetric matrix (floats or ``mpf``) at the current precision.

    Up to :data:`EIG_FULL_MAX` rows all eigenvalues are computed in mpmath (``kind="mpmath"``).
    Above, the float64 extreme eigenvectors :math:`x` are kept and their Rayleigh quotients
    :math:`x^TMx/x^Tx` are evaluated exactly (:func:`rayleigh_exact`, float input) or in mpmath
    (``kind="refined"``: inner bounds of the extremes, with an error quadratic in the eigenvectors').
    """
    import mpmath

    A = np.asarray(M)
    n = A.shape[0]
    if n <= EIG_FULL_MAX:
        A = A if A.dtype == object else mpf_array(np.asarray(A, dtype=np.float64))
        A = (A + A.T) / 2
        ev = mpmath.eigsy(to_mp_matrix(A), eigvals_only=True) if n > 1 else [A[0, 0]]
        vals = [ev[i] for i in range(n)]
        return min(vals), max(vals), "mpmath"
    Af = np.array(A, dtype=np.float64)
    _, V = np.linalg.eigh((Af + Af.T) / 2)
    if A.dtype != object and np.array_equal(Af, Af.T):
        lo, hi = (frac_to_mpf(rayleigh_exact(Af, x)) for x in (V[:, 0], V[:, -1]))
        return lo, hi, "refined"
    Am = (A + A.T) / 2 if A.dtype == object else mpf_array((Af + Af.T) / 2)
    out = []
    for x in (V[:, 0], V[:, -1]):
        xm = mpf_array(x)
        out.append(xm.dot(Am).dot(xm) / xm.dot(xm))
    return out[0], out[1], "refined"


def orthonormal_columns_mp(U: ArrayLike) -> np.ndarray:
    """An orthonormal basis (object array of ``mpf``) of the span of the float columns of ``U``.

    Modified Gram–Schmidt at the current precision; columns that fall below ``10^{-dps/2}``
    of their norm (linearly dependent) are dropped.
    """
    import mpmath

    cols = list(mpf_array(np.asarray(U, dtype=np.float64)).T)
    out: list[np.ndarray] = []
    tiny = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2))
    for c in cols:
        v = c.copy()
        norm0 = mpmath.sqrt(sum(v * v))
        for q in out:
            v = v - sum(q * v) * q
        nv = mpmath.sqrt(sum(v * v))
        if norm0 > 0 and nv > tiny * norm0:
            out.append(v / nv)
    return np.array(out, dtype=object).T


def top_eig_mp(M: np.ndarray) -> Any:
    """Largest eigenvalue of a symmetric matrix (object array of ``mpf``), current precision."""
    import mpmath

    A = to_mp_matrix(M)
    if A.rows == 1:
        return A[0, 0]
    ev = mpmath.eigsy((A + A.T) / 2, eigvals_only=True)
    return max(ev[i] for i in range(A.rows))


def gen_top_mp(Q: np.ndarray, A: np.ndarray) -> Any:
    r"""Largest :math:`\mu` of the symmetric-definite pencil :math:`Qx = \mu Ax` (``A`` positive definite).

    Computed as the top eigenvalue of :math:`L^{-1}QL^{-T}` with the Cholesky factor
    :math:`A = LL^T`, at the current mpmath precision.

    Raises
    ------
    ValueError
        Naming ``A`` if it is not positive definite at this precision.
    """
    import mpmath

    Am, Qm = to_mp_matrix(A), to_mp_matrix(Q)
    try:
        L = mpmath.cholesky((Am + Am.T) / 2)
    except ValueError as exc:
        raise ValueError(f"A: not positive definite in high precision ({exc})") from None
    Li = mpmath.inverse(L)
    C = Li * ((Qm + Qm.T) / 2) * Li.T
    ev = mpmath.eigsy((C + C.T) / 2, eigvals_only=True)
    return max(ev[i] for i in range(C.rows))


def _sym_index(r: int) -> tuple[np.ndarray, np.ndarray]:
    iu, ju = np.triu_indices(r)
    return iu, ju


def svec_weights(r: int) -> np.ndarray:
    r"""Weights ``f`` of the svec basis: :math:`1/\sqrt2` on diagonal pairs, 1 off the diagonal (mpf).

    With them the matrix of :func:`sym_operator` is :math:`\frac12 f_{ab}f_{cd}T`; see there.
    """
    import mpmath

    iu, ju = _sym_index(r)
    half = 1 / mpmath.sqrt(2)
    return np.array([half if a == b else mpmath.mpf(1) for a, b in zip(iu, ju, strict=True)], dtype=object)


def sym_operator(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    r"""Matrix of :math:`W\mapsto\frac12(XWY+YWX)` on :math:`\mathrm{Sym}(r)` in orthonormal svec coordinates.

    The basis is :math:`E_{aa} = e_ae_a^T` and :math:`E_{ab} = (e_ae_b^T+e_be_a^T)/\sqrt2`
    (:math:`a<b`), ordered like ``numpy.triu_indices`` (the engine's ``svec`` order).  For
    symmetric ``X``, ``Y`` the entry for :math:`(E_{ab}, E_{cd})` is
    :math:`\frac12 f_{ab}f_{cd}(X_{ac}Y_{bd}+Y_{ac}X_{bd}+X_{ad}Y_{bc}+Y_{ad}X_{bc})` with
    :math:`f = 1/\sqrt2` on the diagonal pairs and 1 elsewhere; the matrix is symmetric.
    ``X`` and ``Y`` are ``r × r`` object arrays (``mpf``); the result is ``m × m``,
    :math:`m = r(r+1)/2`, at the current mpmath precision.
    """
    r = X.shape[0]
    iu, ju = _sym_index(r)
    a, b = iu[:, None], ju[:, None]
    c, d = iu[None, :], ju[None, :]
    T = X[a, c] * Y[b, d] + Y[a, c] * X[b, d] + X[a, d] * Y[b, c] + Y[a, d] * X[b, c]
    f = svec_weights(r)
    return T * (f[:, None] * f[None, :]) / 2


def svec_mp(X: np.ndarray) -> np.ndarray:
    r"""Orthonormal svec coordinates of a symmetric object matrix (diagonal, then :math:`\sqrt2X_{ab}`)."""
    import mpmath

    iu, ju = _sym_index(X.shape[0])
    root2 = mpmath.sqrt(2)
    return np.array(
        [X[a, b] if a == b else root2 * X[a, b] for a, b in zip(iu, ju, strict=True)], dtype=object
    )


def gram_mp(rows: ArrayLike) -> np.ndarray:
    r""":math:`K_{ij} = \langle x_i, x_j\rangle` of the rows of a float array, as ``mpf`` (current precision).

    Each product of two doubles is exact in ``mpf``; the sums carry the working precision,
    so at 50 digits the result is exact to about :math:`10^{-48}` relative.  Cost
    :math:`O(n^2p)` ``mpf`` operations.
    """
    import mpmath

    X = np.asarray(rows, dtype=np.float64)
    n = X.shape[0]
    mrows = [[mpmath.mpf(float(v)) for v in row] for row in X]
    K = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(i, n):
            K[i, j] = K[j, i] = mpmath.fdot(mrows[i], mrows[j])
    return K


def frac_to_mpf(x: Fraction | int | float) -> Any:
    """A Fraction (or number) as ``mpf`` at the current precision."""
    import mpmath

    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    return mpmath.mpf(x)
