r"""PSD utilities and input validation shared by the engine.

Every public function validates its inputs and names the offending argument in
the error message (non-square, non-symmetric, non-PSD, NaN/inf, wrong shapes).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

# the scalar validator of the engine lives with the others; its public name here stays
from verifythm.linalg.validate import check_positive as check_positive

Array = NDArray[np.float64]


def as_finite(x: ArrayLike, name: str, *, ndim: int | None = None) -> Array:
    """Convert to a float64 array, rejecting NaN/inf and wrong dimensionality.

    Raises
    ------
    ValueError
        Naming ``name`` if the array has NaN/inf entries or the wrong ``ndim``.
    """
    a = np.asarray(x, dtype=np.float64)
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-d array, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    return a


def check_vector(v: ArrayLike, length: int, name: str) -> Array:
    """Validate a finite 1-d array of the given ``length``.

    Raises
    ------
    ValueError
        Naming ``name`` if ``v`` is not 1-d, has the wrong length or NaN/inf entries.
    """
    va = as_finite(v, name, ndim=1)
    if va.shape[0] != length:
        raise ValueError(f"{name}: expected length {length}, got {va.shape[0]}")
    return va


def check_symmetric(H: ArrayLike, name: str = "H", *, rtol: float = 1e-10) -> Array:
    """Validate a square symmetric matrix and return it symmetrised exactly."""
    a = as_finite(H, name, ndim=2)
    if a.shape[0] != a.shape[1]:
        raise ValueError(f"{name}: expected a square matrix, got shape {a.shape}")
    scale = max(float(np.max(np.abs(a))) if a.size else 0.0, 1e-300)
    if np.max(np.abs(a - a.T), initial=0.0) > rtol * scale:
        raise ValueError(f"{name}: matrix is not symmetric")
    return (a + a.T) / 2


def check_psd(H: ArrayLike, name: str = "H", *, rtol: float = 1e-10) -> Array:
    """Validate a symmetric positive semi-definite matrix (eigenvalues ≥ -rtol·‖H‖₂).

    Raises
    ------
    ValueError
        Naming ``name`` if ``H`` is not square, symmetric, finite and PSD.

    Examples
    --------
    >>> check_psd([[2.0, 1.0], [1.0, 2.0]]).tolist()
    [[2.0, 1.0], [1.0, 2.0]]
    >>> check_psd([[1.0, 2.0], [2.0, 1.0]], "G")
    Traceback (most recent call last):
    ...
    ValueError: G: matrix is not positive semi-definite (λ_min = -1)
    """
    a = check_symmetric(H, name, rtol=rtol)
    if a.size == 0:
        return a
    w = np.linalg.eigvalsh(a)
    if w[0] < -rtol * max(abs(w[-1]), 1e-300):
        raise ValueError(f"{name}: matrix is not positive semi-definite (λ_min = {w[0]:.3g})")
    return a


def is_psd(H: ArrayLike, *, rtol: float = 1e-10) -> bool:
    """Whether ``H`` is a finite symmetric PSD matrix (no exception).

    Examples
    --------
    >>> is_psd([[1.0, 0.0], [0.0, 0.0]]), is_psd([[0.0, 1.0], [1.0, 0.0]])
    (True, False)
    """
    try:
        check_psd(H, rtol=rtol)
    except ValueError:
        return False
    return True


def range_eigh(H: ArrayLike, name: str = "H", *, rtol: float = 1e-10) -> tuple[Array, Array]:
    r"""Eigenpairs of a PSD matrix restricted to its range (eigenvalues > rtol·λ₁).

    Returns
    -------
    lam, V
        Positive eigenvalues (ascending) and orthonormal eigenvectors as columns.

    Examples
    --------
    >>> lam, V = range_eigh([[3.0, 0.0], [0.0, 0.0]])
    >>> lam.tolist(), V.shape
    ([3.0], (2, 1))
    """
    a = check_psd(H, name, rtol=rtol)
    w, V = np.linalg.eigh(a)
    keep = w > rtol * max(w[-1], 0.0) if w.size else np.zeros(0, bool)
    return w[keep], V[:, keep]


def psd_sqrt(H: ArrayLike, name: str = "H") -> Array:
    r"""Symmetric PSD square root :math:`H^{1/2}` via the eigendecomposition.

    Examples
    --------
    >>> import numpy as np
    >>> H = np.array([[5.0, 4.0], [4.0, 5.0]])
    >>> R = psd_sqrt(H)
    >>> np.round(R, 12).tolist(), bool(np.allclose(R @ R, H))
    ([[2.0, 1.0], [1.0, 2.0]], True)
    """
    a = check_psd(H, name)
    w, V = np.linalg.eigh(a)
    return (V * np.sqrt(np.clip(w, 0.0, None))) @ V.T


def quad(H: Array, theta: Array, power: int) -> float:
    r""":math:`\theta^T H^k \theta` computed by repeated products (no matrix powers formed).

    Examples
    --------
    >>> import numpy as np
    >>> H, theta = np.diag([2.0, 3.0]), np.array([1.0, 1.0])
    >>> [quad(H, theta, k) for k in range(4)]
    [2.0, 5.0, 13.0, 35.0]
    """
    v = theta
    for _ in range(power // 2):
        v = H @ v
    if power % 2:
        return float(v @ (H @ v))
    return float(v @ v)


def check_hessians(
    hessians: ArrayLike, name: str = "hessians", *, rtol: float = 1e-10
) -> tuple[Array, Array]:
    r"""Validate a stack of per-sample PSD Hessians :math:`H_1,\dots,H_n` (dexter2024precise, Definition 1).

    Parameters
    ----------
    hessians
        Array of shape ``(n, d, d)``, each slice symmetric PSD (eigenvalues
        :math:`\ge -\mathrm{rtol}\cdot\max(\lambda_1(H_i), \max_{j}\|H_j\|_{\max})`).
    name
        Argument name used in error messages.
    rtol
        Relative tolerance for symmetry and for negative eigenvalues.

    Returns
    -------
    H, eigenvalues
        The symmetrised float64 stack and the ascending eigenvalues of each slice, ``(n, d)``.
        A symmetric input is returned exactly (the internal scaling is a power of two).

    Raises
    ------
    ValueError
        Naming ``name`` (and the offending index) on a wrong shape, NaN/inf, an
        asymmetric or a non-PSD slice.
    """
    Hn, e, w = normalized_hessians(hessians, name, rtol=rtol)
    with np.errstate(over="ignore", under="ignore"):
        return np.ldexp(Hn, e), np.ldexp(w, e)


def normalized_hessians(
    hessians: ArrayLike, name: str = "hessians", *, rtol: float = 1e-10
) -> tuple[Array, int, Array]:
    r"""Validate like :func:`check_hessians` and return :math:`H_i/2^e`, ``e`` and their eigenvalues.

    :math:`2^e` is the power of two with :math:`\max_{i,j,k}|(H_i)_{jk}|/2^e\in[1,2)` (``e = 0``
    for the zero stack): dividing by it is exact, so tiny (even subnormal) and huge inputs
    are validated and diagonalised at full precision, and the result is exactly equivariant
    under :math:`H\to2^mH`.

    Returns
    -------
    H_hat, e, eigenvalues_hat
        The symmetrised normalised stack, the exponent, and the ascending eigenvalues of
        each normalised slice (clipped at 0), shape ``(n, d)``.
    """
    H = as_finite(hessians, name, ndim=3)
    n, d, d2 = H.shape
    if d != d2:
        raise ValueError(f"{name}: expected shape (n, d, d), got {H.shape}")
    if n == 0 or d == 0:
        raise ValueError(f"{name}: needs at least one sample and d ≥ 1, got shape {H.shape}")
    scale = float(np.max(np.abs(H)))
    if scale == 0:
        return H.copy(), 0, np.zeros((n, d))
    e = pow2_exponent(scale)
    Hn = np.ldexp(H, -e)  # exact: only the exponents change
    asym = np.max(np.abs(Hn - np.swapaxes(Hn, 1, 2)), axis=(1, 2))
    if np.any(asym > rtol):
        i = int(np.argmax(asym))
        raise ValueError(f"{name}: matrix {i} is not symmetric")
    Hn = (Hn + np.swapaxes(Hn, 1, 2)) / 2
    w = np.linalg.eigvalsh(Hn)
    tol = rtol * np.maximum(np.abs(w[:, -1]), 1.0)
    bad = w[:, 0] < -tol
    if np.any(bad):
        i = int(np.argmax(bad))
        with np.errstate(over="ignore"):
            lam = float(np.ldexp(w[i, 0], e))
        raise ValueError(f"{name}: matrix {i} is not positive semi-definite (λ_min = {lam:.3g})")
    return Hn, e, np.clip(w, 0.0, None)


def pow2_exponent(m: float) -> int:
    r"""The ``e`` with :math:`m/2^e\in[1,2)` for finite :math:`m>0` (subnormals included).

    Examples
    --------
    >>> pow2_exponent(3.0), pow2_exponent(1.0), pow2_exponent(5e-324)
    (1, 0, -1074)
    """
    return math.frexp(m)[1] - 1
