r"""Exact extremes of :math:`x^TAx/x^TBx` for symmetric :math:`A` and PSD, possibly singular, :math:`B`.

For symmetric :math:`A` and PSD :math:`B`, write :math:`B = V\Lambda V^T` over its range
(eigenvalues above ``rtol``·:math:`\lambda_{\max}(B)`) and :math:`W = V\Lambda^{-1/2}`.
For :math:`x = Wy` the ratio is the ordinary Rayleigh quotient of
:math:`C = W^TAW`, so over :math:`x\in\operatorname{range}(B)\setminus\{0\}`

.. math:: \inf R = \lambda_{\min}(C),\qquad \sup R = \lambda_{\max}(C),

attained at :math:`x = Wy` for the corresponding unit eigenvectors :math:`y` (the
generalized eigenvectors of the pencil :math:`(A, B)`).  No inverse of :math:`B` is
formed, so a singular :math:`B` is handled by construction.

Restricting to :math:`\operatorname{range}(B)` loses nothing when :math:`A` vanishes on
:math:`\operatorname{null}(B)` (then :math:`x^TAx` and :math:`x^TBx` only see the
range component of :math:`x`); otherwise the ratio over *all* :math:`x` with
:math:`x^TBx > 0` is unbounded, and :attr:`RatioExtremes.exact_over_all_x` says so.
A subspace ``basis`` :math:`U` restricts :math:`x = Uz` first (pencil
:math:`(U^TAU, U^TBU)`).  These are the "for all θ" quantifiers of
wu2022alignment (Lemma G.1; Lemma 2.4, whose :math:`\mu_2` bound is such a ratio).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite, check_psd, check_symmetric


@dataclass(frozen=True)
class RatioExtremes:
    r"""Exact :math:`\inf` / :math:`\sup` of :math:`x^TAx/x^TBx` and unit-norm points attaining them.

    Attributes
    ----------
    inf, sup
        The extreme values over the domain (``range(B)`` within ``span(basis)``).
    x_inf, x_sup
        Points of the domain attaining them, scaled to unit Euclidean norm.
    rank
        Dimension of the domain (number of positive eigenvalues of :math:`B` kept).
    exact_over_all_x
        ``True`` if :math:`A` vanishes on :math:`\operatorname{null}(B)` inside the
        subspace, so the extremes also hold over every :math:`x` with :math:`x^TBx>0`.
    """

    inf: float
    sup: float
    x_inf: Array
    x_sup: Array
    rank: int
    exact_over_all_x: bool


def _orthonormal_basis(U: Array, rtol: float, name: str) -> Array:
    if U.shape[1] == 0:
        raise ValueError(f"{name}: empty subspace basis")
    Uo, s, _ = np.linalg.svd(U, full_matrices=False)
    keep = s > rtol * max(float(s[0]), 0.0) if s.size else np.zeros(0, bool)
    if not np.any(keep):
        raise ValueError(f"{name}: spans only the zero vector")
    return Uo[:, keep]


def rayleigh_extremes(
    A: ArrayLike,
    B: ArrayLike | None = None,
    *,
    basis: ArrayLike | None = None,
    rtol: float = 1e-10,
    names: tuple[str, str] = ("A", "B"),
) -> RatioExtremes:
    r"""Exact extremes of :math:`R(x) = x^TAx/x^TBx` over :math:`x\in\operatorname{range}(B)\setminus\{0\}`.

    Solves the generalized symmetric eigenproblem :math:`Ax = \lambda Bx` restricted to
    :math:`\operatorname{range}(B)` (and to ``span(basis)`` if given), robustly for
    singular :math:`B` (see the module docstring; the tool behind the exact
    :math:`\inf_\theta`/:math:`\sup_\theta` of wu2022alignment, Lemma 2.4 and Lemma G.1).

    Parameters
    ----------
    A
        Symmetric ``(d, d)`` numerator matrix.
    B
        PSD ``(d, d)`` denominator matrix; ``None`` means :math:`B = I` (plain Rayleigh quotient).
    basis
        Optional ``(d, k)`` matrix whose columns span the subspace :math:`x` is restricted to
        (need not be orthonormal or of full column rank).
    rtol
        Relative threshold below which eigenvalues of :math:`B` (and singular values of
        ``basis``) count as zero.
    names
        Argument names used in error messages.

    Returns
    -------
    RatioExtremes
        Values, unit-norm maximisers/minimisers, domain dimension, and whether the
        restriction to :math:`\operatorname{range}(B)` is without loss.

    Raises
    ------
    ValueError
        Naming the argument if ``A`` is not symmetric, ``B`` not PSD, shapes disagree,
        or :math:`x^TBx = 0` on the whole domain.

    Examples
    --------
    >>> import numpy as np
    >>> r = rayleigh_extremes(np.diag([1.0, 3.0, 5.0]), np.diag([1.0, 1.0, 0.0]))
    >>> (r.inf, r.sup, r.rank, r.exact_over_all_x)
    (1.0, 3.0, 2, False)
    """
    na, nb = names
    Aa = check_symmetric(A, na)
    d = Aa.shape[0]
    if B is None:
        Ba = np.eye(d)
    else:
        Ba = check_psd(B, nb)
        if Ba.shape != Aa.shape:
            raise ValueError(f"{nb}: expected shape {Aa.shape} to match {na}, got {Ba.shape}")
    if d == 0:
        raise ValueError(f"{na}: empty matrix")
    sa = float(np.max(np.abs(Aa))) or 1.0
    sb = float(np.max(np.abs(Ba))) or 1.0
    Ah, Bh = Aa / sa, Ba / sb
    if basis is not None:
        U = as_finite(basis, "basis", ndim=2)
        if U.shape[0] != d:
            raise ValueError(f"basis: expected {d} rows, got shape {U.shape}")
        U = _orthonormal_basis(U, rtol, "basis")
        Ah, Bh = U.T @ Ah @ U, U.T @ Bh @ U
        Ah, Bh = (Ah + Ah.T) / 2, (Bh + Bh.T) / 2
    else:
        U = None
    w, V = np.linalg.eigh(Bh)
    top = max(float(w[-1]), 0.0)
    keep = w > rtol * top
    if not np.any(keep):
        raise ValueError(f"{nb}: is zero on the domain; no x has xᵀBx > 0")
    W = V[:, keep] / np.sqrt(w[keep])
    C = W.T @ Ah @ W
    lam, Y = np.linalg.eigh((C + C.T) / 2)
    null = V[:, ~keep]
    leak = float(np.max(np.abs(Ah @ null))) if null.size else 0.0
    exact = leak <= 1e3 * rtol * max(float(np.max(np.abs(Ah))), 1e-300)

    def _point(y: Array) -> Array:
        x = W @ y
        if U is not None:
            x = U @ x
        return x / np.linalg.norm(x)

    scale = sa / sb
    return RatioExtremes(
        inf=float(lam[0] * scale),
        sup=float(lam[-1] * scale),
        x_inf=_point(Y[:, 0]),
        x_sup=_point(Y[:, -1]),
        rank=int(np.count_nonzero(keep)),
        exact_over_all_x=bool(exact),
    )


def quadratic_ratio(A: ArrayLike, B: ArrayLike | None, x: ArrayLike) -> float:
    r"""Evaluate :math:`x^TAx/x^TBx` at one point (scale-free in :math:`x`).

    Companion of :func:`rayleigh_extremes` for checking candidate points
    (wu2022alignment, Lemma G.1).

    Raises
    ------
    ValueError
        Naming ``x`` if :math:`x^TBx \le 0` or the length is wrong.
    """
    Aa = check_symmetric(A, "A")
    Ba = np.eye(Aa.shape[0]) if B is None else check_symmetric(B, "B")
    xa = as_finite(x, "x", ndim=1)
    if xa.shape[0] != Aa.shape[0]:
        raise ValueError(f"x: expected length {Aa.shape[0]}, got {xa.shape[0]}")
    top = float(np.max(np.abs(xa))) if xa.size else 0.0
    if top > 0:
        xa = xa / top
    den = float(xa @ Ba @ xa)
    if den <= 0:
        raise ValueError("x: xᵀBx = 0, the ratio is undefined")
    return float(xa @ Aa @ xa) / den
