r"""Principal angles between subspaces and top eigenspaces (li2019hessian, §4.2 and App. B.2.2).

For subspaces :math:`\mathcal P, \mathcal Q\subseteq\mathbb R^p` with
:math:`\dim\mathcal P\ge\dim\mathcal Q = q\ge1`, the principal angles
:math:`0\le\gamma_1\le\dots\le\gamma_q\le\pi/2` are defined recursively by maximising
:math:`u^Tv` over unit :math:`u\in\mathcal P`, :math:`v\in\mathcal Q` orthogonal to the earlier
maximisers (li2019hessian, Eq. (13)).  With orthonormal bases :math:`U, V`, the cosines
:math:`\cos\gamma_i` are the singular values of :math:`U^TV` (li2019hessian, §4.2), used there
to compare the top eigenspaces of the Hessian :math:`H_f(\theta_t)` and of the second moment
:math:`M_t` of stochastic gradients.

Accuracy.  ``arccos`` of a cosine near 1 loses about half the digits (an angle of
:math:`10^{-10}` has cosine :math:`1 - 5\cdot10^{-21}`, indistinguishable from 1).  The sines
:math:`\sin\gamma_i` are the singular values of :math:`(I - UU^T)V`, so small angles are taken
from ``arcsin`` of the sines and large ones from ``arccos`` of the cosines (the split at
:math:`\pi/4` of Knyazev & Argentati, also used by :func:`scipy.linalg.subspace_angles`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite, check_symmetric
from verifythm.linalg.validate import check_in_range

__all__ = [
    "davis_kahan_bound",
    "davis_kahan_vector_bound",
    "eigenspace_angles",
    "orthonormal_basis",
    "pairwise_sin_theta",
    "principal_angles",
    "principal_cosines",
    "sin_theta_distance",
    "top_eigenspace",
]


def orthonormal_basis(A: ArrayLike, name: str = "A", *, rtol: float = 1e-12) -> Array:
    r"""Orthonormal basis of the column span of ``A`` (thin SVD), requiring full column rank.

    Parameters
    ----------
    A
        Spanning vectors as columns, shape ``(p, q)`` with :math:`1\le q\le p`.
    name
        Argument name used in error messages.
    rtol
        Columns are rank-deficient if a singular value is ``<= rtol`` times the largest.

    Returns
    -------
    numpy.ndarray
        ``(p, q)`` matrix with orthonormal columns spanning the same subspace.

    Raises
    ------
    ValueError
        Naming ``name`` if ``A`` is not a finite 2-d array, has no column, has more columns than
        rows, or its columns are (numerically) linearly dependent.
    """
    a = as_finite(A, name, ndim=2)
    p, q = a.shape
    if q == 0 or p == 0:
        raise ValueError(f"{name}: needs at least one spanning vector, got shape {a.shape}")
    if q > p:
        raise ValueError(f"{name}: {q} columns cannot be independent in R^{p}")
    c = float(np.max(np.abs(a)))
    if c == 0:
        raise ValueError(f"{name}: columns are linearly dependent (zero matrix)")
    U, s, _ = np.linalg.svd(a / c, full_matrices=False)
    if s[-1] <= rtol * s[0]:
        raise ValueError(f"{name}: columns are linearly dependent (σ_min/σ_max = {s[-1] / s[0]:.3g})")
    return U


def _bases(A: ArrayLike, B: ArrayLike) -> tuple[Array, Array]:
    U = orthonormal_basis(A, "A")
    V = orthonormal_basis(B, "B")
    if U.shape[0] != V.shape[0]:
        raise ValueError(f"B: subspaces must live in the same R^p, got p = {U.shape[0]} and {V.shape[0]}")
    if U.shape[1] < V.shape[1]:
        U, V = V, U  # the paper's convention dim P ≥ dim Q (angles are symmetric)
    return U, V


def principal_cosines(A: ArrayLike, B: ArrayLike) -> Array:
    r"""Cosines :math:`\cos\gamma_1\ge\dots\ge\cos\gamma_q` of the principal angles (li2019hessian, Eq. (13)).

    The singular values :math:`\omega_i` of :math:`U^TV` for orthonormal bases :math:`U, V` of the
    column spans of ``A`` and ``B`` (the inputs are orthonormalised first).  This is the overlap
    measure plotted by li2019hessian (Figs. 2-4); use :func:`principal_angles` for accurate small
    angles.

    Parameters
    ----------
    A, B
        Spanning vectors as columns, shapes ``(p, a)`` and ``(p, b)``.

    Returns
    -------
    numpy.ndarray
        :math:`q = \min(a, b)` cosines in ``[0, 1]``, decreasing.
    """
    U, V = _bases(A, B)
    return np.clip(np.linalg.svd(U.T @ V, compute_uv=False), 0.0, 1.0)


def principal_angles(A: ArrayLike, B: ArrayLike) -> Array:
    r"""Principal angles :math:`0\le\gamma_1\le\dots\le\gamma_q\le\pi/2` in radians (li2019hessian, Eq. 13).

    Angles below :math:`\pi/4` come from :math:`\arcsin` of the singular values of
    :math:`(I-UU^T)V` (relative accuracy for tiny angles), the others from :math:`\arccos` of the
    singular values of :math:`U^TV`; :math:`U` spans the larger subspace.  Same values as
    :func:`scipy.linalg.subspace_angles`, but in the paper's increasing order.

    Parameters
    ----------
    A, B
        Spanning vectors as columns, shapes ``(p, a)`` and ``(p, b)``; full column rank.

    Returns
    -------
    numpy.ndarray
        The :math:`q = \min(a, b)` angles, increasing.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.array([[1.0], [0.0]]); b = np.array([[1.0], [1e-12]])
    >>> float(principal_angles(a, b)[0])
    1e-12
    """
    U, V = _bases(A, B)
    cos = np.clip(np.linalg.svd(U.T @ V, compute_uv=False), 0.0, 1.0)  # decreasing
    R = V - U @ (U.T @ V)
    sin = np.clip(np.sort(np.linalg.svd(R, compute_uv=False)), 0.0, 1.0)  # increasing
    small = sin * sin <= 0.5
    return np.where(small, np.arcsin(sin), np.arccos(cos))


def sin_theta_distance(A: ArrayLike, B: ArrayLike) -> float:
    r""":math:`\|\sin\Theta(A, B)\|_F = (\sum_i\sin^2\gamma_i)^{1/2}` (li2019hessian, Eq. (57)).

    Parameters
    ----------
    A, B
        Spanning vectors as columns (same ambient dimension).

    Returns
    -------
    float
        The Frobenius norm of the sines of the principal angles.
    """
    return float(np.linalg.norm(np.sin(principal_angles(A, B))))


def pairwise_sin_theta(U: ArrayLike, V: ArrayLike) -> Array:
    r""":math:`\sin\theta(u_r, v_r) = \sqrt{1-(u_r^Tv_r)^2}` for matched columns (li2019hessian, Figs. 16-17).

    Each pair is compared as 1-d subspaces (sign-invariant) and computed as
    :math:`\|v_r - (u_r^Tv_r)u_r\|` for unit vectors, accurate for tiny angles.

    Parameters
    ----------
    U, V
        Same-shape ``(p, m)`` arrays of non-zero columns (e.g. top eigenvectors of two matrices).

    Returns
    -------
    numpy.ndarray
        ``m`` sines in ``[0, 1]``.
    """
    Ua = as_finite(U, "U", ndim=2)
    Va = as_finite(V, "V", ndim=2)
    if Ua.shape != Va.shape:
        raise ValueError(f"V: expected shape {Ua.shape} (matched with U), got {Va.shape}")
    nu = np.linalg.norm(Ua, axis=0)
    nv = np.linalg.norm(Va, axis=0)
    if np.any(nu == 0):
        raise ValueError("U: contains a zero column")
    if np.any(nv == 0):
        raise ValueError("V: contains a zero column")
    u, v = Ua / nu, Va / nv
    c = np.sum(u * v, axis=0)
    return np.clip(np.linalg.norm(v - u * c, axis=0), 0.0, 1.0)


def top_eigenspace(H: ArrayLike, k: int, *, require_positive: bool = False) -> tuple[Array, Array]:
    r"""Top-:math:`k` eigenpairs of a symmetric matrix, eigenvalues decreasing (li2019hessian, §4.2).

    li2019hessian compares "the eigenvectors corresponding to the top (positive) eigenvalues";
    ``require_positive`` enforces :math:`\lambda_k > 0`.  The subspace is only well defined if
    :math:`\lambda_k > \lambda_{k+1}`; use the returned values (or :func:`davis_kahan_bound`) to judge.

    Parameters
    ----------
    H
        Symmetric :math:`p\times p` matrix (e.g. a Hessian or a gradient second moment).
    k
        :math:`1\le k\le p`.
    require_positive
        Raise if :math:`\lambda_k\le 0`.

    Returns
    -------
    lam, U
        ``(k,)`` eigenvalues :math:`\lambda_1\ge\dots\ge\lambda_k` and ``(p, k)`` orthonormal eigenvectors.
    """
    Ha = check_symmetric(H, "H")
    kk = check_in_range(k, "k", 1, Ha.shape[0])
    w, V = np.linalg.eigh(Ha)
    lam, U = w[::-1][:kk], V[:, ::-1][:, :kk]
    if require_positive and lam[-1] <= 0:
        raise ValueError(f"k: the {kk}-th largest eigenvalue of H is {lam[-1]:.3g} <= 0")
    return lam, U


def eigenspace_angles(H1: ArrayLike, H2: ArrayLike, k: int, k2: int | None = None) -> Array:
    r"""Principal angles between the top-:math:`k` eigenspaces of two matrices (li2019hessian, §4.2).

    E.g. :math:`H_f(\theta_t)` and :math:`M_t`, or Hessians at two times / batch sizes.

    Parameters
    ----------
    H1, H2
        Symmetric matrices of the same size.
    k
        Dimension of the top eigenspace of ``H1``.
    k2
        Dimension for ``H2`` (default ``k``).

    Returns
    -------
    numpy.ndarray
        :math:`\min(k, k_2)` angles, increasing.
    """
    A = check_symmetric(H1, "H1")
    B = check_symmetric(H2, "H2")
    if A.shape != B.shape:
        raise ValueError(f"H2: expected shape {A.shape}, got {B.shape}")
    _, U = top_eigenspace(A, check_in_range(k, "k", 1, A.shape[0]))
    _, V = top_eigenspace(B, check_in_range(k if k2 is None else k2, "k2", 1, A.shape[0]))
    return principal_angles(U, V)


def _check_pair(P: ArrayLike, Q: ArrayLike) -> tuple[Array, Array]:
    """Validate a symmetric matrix ``P`` and its perturbation ``Q`` of the same shape."""
    Pa = check_symmetric(P, "P")
    Qa = check_symmetric(Q, "Q")
    if Pa.shape != Qa.shape:
        raise ValueError(f"Q: expected shape {Pa.shape}, got {Qa.shape}")
    return Pa, Qa


def davis_kahan_vector_bound(P: ArrayLike, Q: ArrayLike, r: int) -> float:
    r"""Davis-Kahan bound :math:`\|\Delta\|_2/\delta_r` on :math:`\sin\theta_r` (li2019hessian, Eq. (56)).

    :math:`\Delta = Q - P`, :math:`\delta_r = \min_{s\ne r}|\tilde\lambda_s - \lambda_r|` (Eq. (55)) with
    :math:`\lambda` the eigenvalues of :math:`P` and :math:`\tilde\lambda` those of :math:`Q`, both
    decreasing.  Returns ``inf`` when :math:`\delta_r = 0`.

    Parameters
    ----------
    P, Q
        Symmetric matrices (the "true" and the perturbed one, e.g. :math:`H_f` and :math:`M_t`).
    r
        Index :math:`1\le r\le p` of the eigenpair.

    Returns
    -------
    float
        The right-hand side of Eq. (56).
    """
    Pa, Qa = _check_pair(P, Q)
    p = Pa.shape[0]
    rr = check_in_range(r, "r", 1, p)
    if p == 1:
        return 0.0
    lam = np.linalg.eigvalsh(Pa)[::-1]
    lt = np.linalg.eigvalsh(Qa)[::-1]
    others = np.delete(lt, rr - 1)
    delta = float(np.min(np.abs(others - lam[rr - 1])))
    norm = float(np.linalg.norm(Qa - Pa, 2))
    return norm / delta if delta > 0 else float("inf")


def davis_kahan_bound(P: ArrayLike, Q: ArrayLike, r: int, s: int) -> float:
    r"""Subspace Davis-Kahan bound on :math:`\|\sin\Theta(\tilde V, V)\|_F` (li2019hessian, Eq. (57)).

    For the eigenvectors :math:`v_r,\dots,v_s` of :math:`P` and :math:`\tilde v_r,\dots,\tilde v_s` of
    :math:`Q = P + \Delta` (eigenvalues decreasing), :math:`d = s - r + 1`:

    .. math:: \|\sin\Theta(\tilde V, V)\|_F \le
              \frac{2\min(\sqrt d\|\Delta\|_2, \|\Delta\|_F)}
                   {\min(\lambda_{r-1}-\lambda_r, \lambda_s-\lambda_{s+1})},

    with :math:`\lambda_0 = +\infty`, :math:`\lambda_{p+1} = -\infty` (a variant due to Yu, Wang &
    Samworth).  Returns ``inf`` when the eigengap vanishes.

    Parameters
    ----------
    P, Q
        Symmetric :math:`p\times p` matrices.
    r, s
        :math:`1\le r\le s\le p`.

    Returns
    -------
    float
        The right-hand side of Eq. (57) (``0.0`` when :math:`r = 1, s = p`, the whole space).
    """
    Pa, Qa = _check_pair(P, Q)
    p = Pa.shape[0]
    rr = check_in_range(r, "r", 1, p)
    ss = check_in_range(s, "s", 1, p)
    if ss < rr:
        raise ValueError(f"s: need r <= s, got r = {rr}, s = {ss}")
    lam = np.linalg.eigvalsh(Pa)[::-1]
    gaps = []
    if rr > 1:
        gaps.append(lam[rr - 2] - lam[rr - 1])
    if ss < p:
        gaps.append(lam[ss - 1] - lam[ss])
    if not gaps:
        return 0.0
    gap = float(min(gaps))
    D = Qa - Pa
    d = ss - rr + 1
    num = 2.0 * min(np.sqrt(d) * float(np.linalg.norm(D, 2)), float(np.linalg.norm(D, "fro")))
    return num / gap if gap > 0 else float("inf")
