r"""Escape from a minimum: energy and variance ratios along sharp and flat directions (wang2023noise, §5–6).

For the linearised dynamics around a minimum θ* with
:math:`G = \sum_i\lambda_iu_iu_i^T` (:math:`\lambda_1\ge\lambda_2\ge\cdots`) and
:math:`w_{t,i} = u_i^T(\theta_t - \theta^*)`:
:math:`X_t = \sum_{i\le k}\lambda_i\mathbb E w_{t,i}^2`,
:math:`Y_t = \sum_{i>k}\lambda_i\mathbb E w_{t,i}^2`, :math:`D_{t,k} = Y_t/X_t` and
:math:`P_{t,k} = \sum_{i>k}\mathbb E w_{t,i}^2/\sum_{i\le k}\mathbb E w_{t,i}^2`
(:func:`escape_ratios`); :func:`escape_spectral_ratio` is the lower bound of Theorem 5.2,
:func:`gd_escape_ratio` that of Proposition 5.3 for GD, and :func:`escape_components` splits the
displacement into its sharp and flat parts (§6).  Re-exported by
:mod:`verifythm.quantities.directional`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite, check_positive, check_vector
from verifythm.linalg.validate import check_in_range

__all__ = [
    "EscapeRatios",
    "escape_components",
    "escape_ratios",
    "escape_spectral_ratio",
    "gd_escape_ratio",
]


def _check_eig(lam: ArrayLike, U: ArrayLike, *, square: bool) -> tuple[Array, Array]:
    la = as_finite(lam, "lam", ndim=1)
    Ua = as_finite(U, "U", ndim=2)
    if Ua.shape[1] != la.shape[0]:
        raise ValueError(f"U: expected {la.shape[0]} columns (one per eigenvalue), got shape {Ua.shape}")
    if square and Ua.shape[0] != Ua.shape[1]:
        raise ValueError(f"U: expected the full p×p eigenbasis, got shape {Ua.shape}")
    if la.size == 0:
        raise ValueError("lam: needs at least one eigenvalue")
    scale = max(float(np.max(np.abs(la))), 1e-300)
    if np.any(la < -1e-12 * scale):
        raise ValueError(f"lam: eigenvalues of G must be >= 0, got min {la.min():.3g}")
    gram = Ua.T @ Ua
    if np.max(np.abs(gram - np.eye(gram.shape[0])), initial=0.0) > 1e-8:
        raise ValueError("U: columns are not orthonormal")
    order = np.argsort(-la, kind="stable")
    return np.clip(la[order], 0.0, None), Ua[:, order]


def _coords(trajectory: ArrayLike, U: Array, theta_star: ArrayLike | None) -> Array:
    traj = as_finite(trajectory, "trajectory")
    if traj.ndim not in (2, 3):
        raise ValueError(f"trajectory: expected shape (T, p) or (R, T, p), got {traj.shape}")
    p = U.shape[0]
    if traj.shape[-1] != p:
        raise ValueError(f"trajectory: expected iterates of length p = {p}, got {traj.shape[-1]}")
    if traj.shape[-2] == 0:
        raise ValueError("trajectory: needs at least one iterate")
    star = np.zeros(p) if theta_star is None else check_vector(theta_star, p, "theta_star")
    return (traj - star) @ U  # w_{t,i} = u_iᵀ(θ_t − θ*)


@dataclass(frozen=True)
class EscapeRatios:
    r"""Per-step energies of wang2023noise, §5 (arrays of length T).

    ``X``/``Y``: loss energy :math:`\sum\lambda_i\mathbb E w_{t,i}^2` along the top-k (sharp) / remaining
    (flat) eigen-directions; ``sharp_var``/``flat_var``: the unweighted :math:`\sum\mathbb E w_{t,i}^2`.
    ``D`` :math:`= Y/X` and ``P`` :math:`=` ``flat_var/sharp_var`` follow IEEE rules (``inf`` for
    :math:`c/0`, ``nan`` for :math:`0/0`).
    """

    X: Array
    Y: Array
    sharp_var: Array
    flat_var: Array

    @property
    def D(self) -> Array:
        r""":math:`D_{t,k} = Y_t/X_t` (concentration of loss energy on flat directions)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.Y / self.X

    @property
    def P(self) -> Array:
        r""":math:`P_{t,k}` (concentration of variance on flat directions)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.flat_var / self.sharp_var


def escape_ratios(
    trajectory: ArrayLike, lam: ArrayLike, U: ArrayLike, k: int, *, theta_star: ArrayLike | None = None
) -> EscapeRatios:
    r"""Escape energies :math:`X_t, Y_t` and ratios :math:`D_{t,k}, P_{t,k}` (wang2023noise, §5).

    With :math:`w_{t,i} = u_i^T(\theta_t - \theta^*)` and eigenvalues sorted decreasingly,
    :math:`X_t = \sum_{i\le k}\lambda_i\mathbb Ew_{t,i}^2`,
    :math:`Y_t = \sum_{i>k}\lambda_i\mathbb Ew_{t,i}^2`, :math:`D_{t,k} = Y_t/X_t`,
    :math:`P_{t,k} = \sum_{i>k}\mathbb Ew_{t,i}^2/\sum_{i\le k}\mathbb Ew_{t,i}^2`.
    The expectation is the mean over independent runs (axis 0 of a 3-d ``trajectory``); for a single
    run it is replaced by the realised squares.  The flat sums need every eigen-direction, so ``U`` must
    be the full orthonormal eigenbasis of :math:`G(\theta^*)` (zero eigenvalues included).

    Parameters
    ----------
    trajectory
        Iterates :math:`\theta_t`, shape ``(T, p)`` or ``(R, T, p)`` (``R`` runs).
    lam
        Eigenvalues :math:`\lambda_i\ge0` of :math:`G(\theta^*)`, shape ``(p,)`` (any order; sorted here).
    U
        Orthonormal eigenvectors as columns, shape ``(p, p)``.
    k
        Number of sharp directions, :math:`1\le k\le p`.
    theta_star
        The minimum θ*, default the origin (the linearised variable :math:`w = \theta - \theta^*`).

    Returns
    -------
    EscapeRatios
        With properties ``D`` and ``P``.
    """
    la, Ua = _check_eig(lam, U, square=True)
    kk = check_in_range(k, "k", 1, la.shape[0])
    w = _coords(trajectory, Ua, theta_star)
    w2 = w * w
    Ew2 = w2.mean(axis=0) if w2.ndim == 3 else w2  # (T, p)
    return EscapeRatios(
        X=Ew2[:, :kk] @ la[:kk],
        Y=Ew2[:, kk:] @ la[kk:],
        sharp_var=Ew2[:, :kk].sum(axis=1),
        flat_var=Ew2[:, kk:].sum(axis=1),
    )


def escape_spectral_ratio(lam: ArrayLike, k: int) -> float:
    r"""Spectral ratio :math:`\sum_{i>k}\lambda_i^2/\sum_{i\le k}\lambda_i^2` of wang2023noise, Thm. 5.2.

    Theorem 5.2 lower-bounds :math:`D_{t,k}` by this ratio up to an absolute constant; for
    :math:`k = 1` it equals :math:`\operatorname{srk}(G^2) - 1`.

    Parameters
    ----------
    lam
        Eigenvalues of :math:`G` (any order; sorted decreasingly here), all :math:`\ge 0`.
    k
        :math:`1\le k\le p`.

    Returns
    -------
    float
        The ratio (``inf`` if the top-k eigenvalues all vanish but others do not).
    """
    la = as_finite(lam, "lam", ndim=1)
    if la.size == 0:
        raise ValueError("lam: needs at least one eigenvalue")
    if np.any(la < 0):
        raise ValueError("lam: eigenvalues of G must be >= 0")
    kk = check_in_range(k, "k", 1, la.shape[0])
    la = np.sort(la)[::-1] / max(float(la.max()), 1e-300)
    top, rest = float(la[:kk] @ la[:kk]), float(la[kk:] @ la[kk:])
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(rest) / np.float64(top))


def gd_escape_ratio(lam: ArrayLike, U: ArrayLike, w0: ArrayLike, eta: float, t: ArrayLike) -> Array:
    r"""Right-hand side of wang2023noise, Prop. 5.3 for GD with step η, at steps ``t``.

    :math:`\sum_{i\ge2}\lambda_i(1-\eta\lambda_i)^{2t}w_{0,i}^2\big/\big(\lambda_1(1-\eta\lambda_1)^{2t}w_{0,1}^2\big)`,
    :math:`w_{0,i} = u_i^Tw_0`.  For exact GD on the quadratic :math:`\frac12w^TGw`,
    :math:`w_{t,i} = (1-\eta\lambda_i)^tw_{0,i}`, so this equals :math:`D_{t,1}` (the proposition's
    inequality is an equality).  Evaluated as powers of :math:`|1-\eta\lambda_i|/|1-\eta\lambda_1|`.

    Parameters
    ----------
    lam
        Eigenvalues of :math:`G` (sorted decreasingly here), shape ``(p,)``.
    U
        Orthonormal eigenvectors as columns, shape ``(p, p)``.
    w0
        Initial displacement :math:`w_0 = \theta_0 - \theta^*`, shape ``(p,)``; needs
        :math:`\lambda_1w_{0,1}^2 > 0`.
    eta
        Learning rate η > 0.
    t
        Step(s) :math:`t\ge 0`.

    Returns
    -------
    numpy.ndarray
        The bound at each ``t`` (``inf`` where :math:`1-\eta\lambda_1 = 0` and ``t > 0``).
    """
    la, Ua = _check_eig(lam, U, square=True)
    w = Ua.T @ check_vector(w0, Ua.shape[0], "w0")
    et = check_positive(eta, "eta")
    ta = as_finite(t, "t")
    if np.any(ta < 0):
        raise ValueError("t: steps must be >= 0")
    if la[0] * w[0] ** 2 <= 0:
        raise ValueError("w0: needs λ₁ w_{0,1}² > 0 (the bound divides by it)")
    base = np.abs(1 - et * la[1:]) / abs(1 - et * la[0]) if abs(1 - et * la[0]) > 0 else None
    coef = la[1:] / la[0] * (w[1:] / w[0]) ** 2
    tt = np.atleast_1d(ta).astype(float)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if base is None:
            out = np.where(tt == 0, coef.sum(), np.inf)
        else:
            out = (coef[None, :] * np.power(base[None, :], 2 * tt[:, None])).sum(axis=1)
    return out.reshape(np.shape(ta))


def escape_components(
    trajectory: ArrayLike, U: ArrayLike, k: int, *, theta_star: ArrayLike | None = None
) -> tuple[Array, Array]:
    r"""Sharp and flat components :math:`(p_{t,k}, r_{t,k})` of the escape (wang2023noise, §6).

    :math:`p_{t,1} = \langle\theta_t-\theta^*, u_1\rangle` (signed), :math:`p_{t,k} =
    (\sum_{i\le k}\langle\theta_t-\theta^*,u_i\rangle^2)^{1/2}` for :math:`k > 1`, and
    :math:`r_{t,k} = (\|\theta_t-\theta^*\|^2 - p_{t,k}^2)^{1/2}` (computed from the projection residual,
    so it is accurate even when tiny).  Only the top-k eigenvectors are needed.

    Parameters
    ----------
    trajectory
        Iterates, shape ``(T, p)`` or ``(R, T, p)``.
    U
        At least ``k`` orthonormal top eigenvectors :math:`u_1, u_2, \dots` as columns, shape ``(p, m)``.
    k
        :math:`1\le k\le m`.
    theta_star
        The minimum θ* (default the origin).

    Returns
    -------
    tuple of numpy.ndarray
        ``p`` and ``r`` with the leading shape of ``trajectory``.
    """
    Ua = as_finite(U, "U", ndim=2)
    if Ua.shape[1] == 0:
        raise ValueError("U: needs at least one eigenvector")
    gram = Ua.T @ Ua
    if np.max(np.abs(gram - np.eye(gram.shape[0]))) > 1e-8:
        raise ValueError("U: columns are not orthonormal")
    kk = check_in_range(k, "k", 1, Ua.shape[1])
    traj = as_finite(trajectory, "trajectory")
    if traj.ndim not in (2, 3) or traj.shape[-1] != Ua.shape[0]:
        raise ValueError(
            f"trajectory: expected shape (T, {Ua.shape[0]}) or (R, T, {Ua.shape[0]}), got {traj.shape}"
        )
    star = (
        np.zeros(Ua.shape[0]) if theta_star is None else check_vector(theta_star, Ua.shape[0], "theta_star")
    )
    W = traj - star
    c = W @ Ua[:, :kk]
    resid = W - c @ Ua[:, :kk].T
    p = c[..., 0] if kk == 1 else np.linalg.norm(c, axis=-1)
    return p, np.linalg.norm(resid, axis=-1)
