r"""Exact :math:`\inf_\theta`, :math:`\sup_\theta` of the alignment factors (wu2022alignment, §2).

**Reduction.**  For square loss with model gradients :math:`Q = (g_1,\dots,g_n)`, Gram
matrix :math:`K = Q^TQ`, :math:`\chi_i = \frac1n(K^2)_{ii}` and
:math:`\bar\chi = \|G\|_F^2 = \|K\|_F^2/n^2`, the definitions of wu2022alignment
(Eq. (3) and the relaxed factors after it) give, with :math:`2L = \|e\|^2/n`,

.. math::
    \mu_1 = \frac{e^TD e}{\|e\|^2},\quad D = \frac{\mathrm{diag}(\chi)}{\bar\chi};\qquad
    \mu_2 = \frac{e^TK^2e}{\|K\|_F^2\,\|e\|^2};\qquad
    \mu = \mu_1 - \mu_2 .

So each factor is a Rayleigh quotient in the residual vector :math:`e\in\mathbb{R}^n`
(degree 0 in :math:`e` and in :math:`Q`), defined when :math:`L>0` (:math:`e\ne0`) and
:math:`G\ne0` (:math:`K\ne0`).

**Which residuals.**  When :math:`Q` is constant in θ — the linearized model at a
global minimum θ* (wu2022alignment, Eq. (5)) or a feature model (§2.1, "Feature-based
models"; then :math:`Q^T = \Phi` is the feature matrix) — the residuals are
:math:`e = Q^T(\theta-\theta^*)`, which sweep exactly
:math:`\operatorname{range}(Q^T) = \operatorname{range}(K)` minus :math:`\{0\}` as θ
varies with :math:`L(\theta) > 0`.  The exact extremes over θ are therefore the
extreme eigenvalues of the matrices above compressed to :math:`\operatorname{range}(K)`
(:func:`verifythm.linalg.geneig.rayleigh_extremes`), attained at
:math:`\theta = \theta^* + QK^+e`.  If a feature model cannot interpolate its labels
(:math:`y\notin\operatorname{range}(\Phi)`), :math:`e = \Phi\theta - y` sweeps an
affine set; by homogeneity the extremes are those over
:math:`\operatorname{span}(\operatorname{range}\Phi, y)`, and an extreme whose
eigenvector lies in :math:`\operatorname{range}\Phi` is approached (θ → ∞ along a
direction) but not attained.

Consequences checked in tests: :math:`\inf\mu_1\ge\gamma`,
:math:`\sup\mu_2 = \tau(G)` (the bound of Lemma 2.4 is attained on
:math:`\operatorname{range}(K)`), :math:`\inf\mu\ge\gamma-\tau(G)`, :math:`\mu\ge0`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from verifythm.linalg.geneig import rayleigh_extremes
from verifythm.linalg.gram import Gram, gram_from_gradients, gram_from_Q
from verifythm.linalg.psd import Array, as_finite

#: Relative eigenvalue threshold defining range(K).
RANGE_RTOL = 1e-10


@dataclass(frozen=True)
class Extremum:
    r"""One exact extreme of an alignment factor and a point attaining (or approaching) it.

    Attributes
    ----------
    value
        The extreme value.
    residuals
        Unit-norm residual vector :math:`e` at the extreme (any non-zero multiple is equivalent).
    theta
        A parameter point with these residuals: :math:`\theta-\theta^*` (or θ itself when
        ``theta_star``/labels are given); for a non-attained extreme, the direction along
        which :math:`\theta\to\infty` approaches it.  ``None`` when only a Gram matrix was given.
    coef
        :math:`a\in\mathbb{R}^n` with :math:`\theta - \theta^* = Qa` (:math:`a = K^+e`), usable
        with a Gram matrix alone.
    attained
        Whether some θ attains the value (``False`` only for non-interpolating feature models).
    """

    value: float
    residuals: Array
    theta: Array | None
    coef: Array
    attained: bool = True


@dataclass(frozen=True)
class AlignmentExtremes:
    r"""Exact extremes over θ of :math:`\mu,\mu_1,\mu_2` (wu2022alignment, Eq. (3) and §2).

    Also carries :math:`\gamma` (Definition 2.1), :math:`\tau(G)` (Lemma 2.4) and the
    dimension ``rank`` of the residual subspace swept by θ.
    """

    mu_inf: Extremum
    mu_sup: Extremum
    mu1_inf: Extremum
    mu1_sup: Extremum
    mu2_inf: Extremum
    mu2_sup: Extremum
    gamma: float
    tau: float
    rank: int


def alignment_matrices(gram: Gram) -> tuple[Array, Array]:
    r"""Matrices :math:`D, M_2` with :math:`\mu_1 = e^TDe/\|e\|^2` and :math:`\mu_2 = e^TM_2e/\|e\|^2`.

    :math:`D = \mathrm{diag}(\chi)/\bar\chi` and :math:`M_2 = K^2/\|K\|_F^2`; both are
    scale-free (wu2022alignment, Eq. (3), Definition 2.1 and Lemma 2.4's proof).

    Raises
    ------
    ValueError
        Naming ``Q`` if :math:`G = 0` (the factors are undefined).
    """
    if gram.is_zero:
        raise ValueError("Q: all model gradients are zero (G = 0); the alignment factors are undefined")
    K = gram.khat
    rows = (K * K).sum(axis=1)
    D = np.diag(rows / rows.mean())
    K2 = K @ K
    M2 = (K2 + K2.T) / 2 / rows.sum()
    return D, M2


def _range_basis(gram: Gram) -> tuple[Array, Array, NDArray[np.bool_]]:
    """Orthonormal basis of range(K), the kept eigenvalues (of K̂) and the pseudo-inverse map."""
    w, V = gram._eig
    keep = w > RANGE_RTOL * max(float(w[-1]), 0.0)
    return V[:, keep], w[keep], keep


def _extremes_on(
    gram: Gram, basis: Array, to_point: Callable[[float, Array], Extremum]
) -> tuple[Extremum, Extremum, Extremum, Extremum, Extremum, Extremum]:
    """(μ_inf, μ_sup, μ₁_inf, μ₁_sup, μ₂_inf, μ₂_sup) over residuals in span(basis)."""
    D, M2 = alignment_matrices(gram)

    def inf_sup(M: Array) -> tuple[Extremum, Extremum]:
        r = rayleigh_extremes((M + M.T) / 2, None, basis=basis, rtol=RANGE_RTOL, names=("M", "I"))
        return to_point(r.inf, r.x_inf), to_point(r.sup, r.x_sup)

    mu, mu1, mu2 = inf_sup(D - M2), inf_sup(D), inf_sup(M2)
    return (*mu, *mu1, *mu2)


def _as_gram_and_Q(Q: ArrayLike | Gram) -> tuple[Gram, np.ndarray | None]:
    if isinstance(Q, Gram):
        return Q, None
    Qa = np.asarray(Q) if not isinstance(Q, np.ndarray) else Q
    return gram_from_Q(Qa), Qa


def alignment_extremes(Q: ArrayLike | Gram, *, theta_star: ArrayLike | None = None) -> AlignmentExtremes:
    r"""Exact :math:`\inf_\theta,\sup_\theta` of :math:`\mu,\mu_1,\mu_2`: linearized model at a minimum.

    The model is :math:`f_{\rm lin}(x;\theta) = f(x;\theta^*) + \langle\theta-\theta^*, g(x)\rangle`
    with :math:`f(x_i;\theta^*) = y_i` (wu2022alignment, Eq. (5)), so :math:`G` is
    constant and :math:`e = Q^T(\theta-\theta^*)`; θ ranges over all points with
    :math:`L(\theta)>0`.  The same holds for an interpolating feature model
    :math:`f = \langle\theta,\Phi(x)\rangle` with ``Q`` :math:`= \Phi^T` (§2.1).

    Parameters
    ----------
    Q
        Model gradients at θ* as columns, shape ``(p, n)`` (float32/64 array or memmap),
        or a precomputed :class:`~verifythm.linalg.gram.Gram` (then ``Extremum.theta`` is
        ``None``; use ``coef``: :math:`\theta-\theta^* = Qa`).
    theta_star
        The minimum θ*, shape ``(p,)``; if given, ``Extremum.theta`` is θ, else θ − θ*.

    Returns
    -------
    AlignmentExtremes
        The six extremes with attaining points, plus γ, τ(G) and dim range(K).

    Raises
    ------
    ValueError
        Naming ``Q`` if :math:`G = 0` or the input is malformed; naming ``theta_star`` on a
        wrong length.

    Examples
    --------
    >>> import numpy as np
    >>> ex = alignment_extremes(np.eye(3))  # orthonormal gradients: G = I/3
    >>> round(ex.mu1_inf.value, 12), round(ex.mu2_sup.value, 12), round(ex.tau, 12)
    (1.0, 0.333333333333, 0.333333333333)
    """
    gram, Qa = _as_gram_and_Q(Q)
    ts = None
    if theta_star is not None:
        if Qa is None:
            raise ValueError("theta_star: needs Q itself (not only its Gram matrix)")
        ts = as_finite(theta_star, "theta_star", ndim=1)
        if ts.shape[0] != Qa.shape[0]:
            raise ValueError(f"theta_star: expected length {Qa.shape[0]} (= p), got {ts.shape[0]}")
    if gram.is_zero:
        raise ValueError("Q: all model gradients are zero (G = 0); the alignment factors are undefined")
    U, w, _ = _range_basis(gram)

    def to_point(value: float, e: Array) -> Extremum:
        # θ − θ* = Q K⁺ e with K = c²K̂ = c² U diag(w) Uᵀ, so K⁺e = â/c², â = U diag(1/w) Uᵀe,
        # and Qᵀ(θ − θ*) = K̂â = e exactly (e ∈ range K).
        a_hat = U @ ((U.T @ e) / w)
        theta = None
        with np.errstate(under="ignore", over="ignore"):
            if Qa is not None:
                d = _apply_Q(Qa, a_hat / gram.scale) / gram.scale
                # one step of iterative refinement: for ill-conditioned Q the residuals of the
                # returned point, Qᵀ(θ − θ*), would otherwise miss e by cond(K)·ε
                r = e - _apply_QT(Qa, d)
                a_r = U @ ((U.T @ r) / w)
                d = d + _apply_Q(Qa, a_r / gram.scale) / gram.scale
                a_hat = a_hat + a_r
                theta = d if ts is None else ts + d
            coef = a_hat / gram.scale / gram.scale
        return Extremum(float(value), e, theta, coef, True)

    ext = _extremes_on(gram, U, to_point)
    return AlignmentExtremes(*ext, gamma=gram.gamma, tau=gram.tau, rank=U.shape[1])


def _apply_QT(Qa: np.ndarray, d: Array, block_rows: int = 1 << 16) -> Array:
    """:math:`Q^Td` computed over row blocks (``Q`` may be a float32 memmap)."""
    out = np.zeros(Qa.shape[1])
    for i in range(0, Qa.shape[0], block_rows):
        out += np.asarray(Qa[i : i + block_rows], dtype=np.float64).T @ d[i : i + block_rows]
    return out


def _apply_Q(Qa: np.ndarray, a: Array, block_rows: int = 1 << 16) -> Array:
    """:math:`Qa` computed over row blocks (``Q`` may be a float32 memmap)."""
    p = Qa.shape[0]
    out = np.empty(p)
    for i in range(0, p, block_rows):
        out[i : i + block_rows] = np.asarray(Qa[i : i + block_rows], dtype=np.float64) @ a
    return out


def feature_alignment_extremes(features: ArrayLike, labels: ArrayLike | None = None) -> AlignmentExtremes:
    r"""Exact extremes over θ of :math:`\mu,\mu_1,\mu_2` for a feature model :math:`f = \theta^T\Phi(x)`.

    Residuals are :math:`e = \Phi\theta - y` with :math:`\Phi` the ``(n, m)`` feature
    matrix (rows :math:`\Phi(x_i) = g_i`), so :math:`G = H = \Phi^T\Phi/n` is constant
    (wu2022alignment, §2.1 "Feature-based models", Lemma 2.4).  If :math:`y` is
    interpolable (or not given), θ sweeps :math:`e\in\operatorname{range}(\Phi)` as in
    :func:`alignment_extremes`, with :math:`\theta^* = \Phi^+y`.  Otherwise
    :math:`L>0` everywhere, the extremes are over the affine set
    :math:`\{\Phi\theta-y\}` and may be approached only as θ → ∞
    (``Extremum.attained`` is then ``False`` and ``theta`` is the direction).

    Parameters
    ----------
    features
        Feature matrix :math:`\Phi`, shape ``(n, m)``.
    labels
        Labels :math:`y`, shape ``(n,)`` (default: an interpolable target, θ* = 0).

    Returns
    -------
    AlignmentExtremes
        With ``Extremum.theta`` the parameter θ itself.

    Raises
    ------
    ValueError
        Naming ``features`` or ``labels`` on malformed input or :math:`\Phi = 0`.
    """
    Phi = as_finite(features, "features", ndim=2)
    if Phi.shape[0] == 0:
        raise ValueError("features: needs at least one sample (row)")
    gram = gram_from_gradients(Phi, name="features")
    if gram.is_zero:
        raise ValueError("features: all features are zero (G = 0); the alignment factors are undefined")
    if labels is None:
        return alignment_extremes(Phi.T, theta_star=np.zeros(Phi.shape[1]))
    y = as_finite(labels, "labels", ndim=1)
    if y.shape[0] != Phi.shape[0]:
        raise ValueError(
            f"labels: expected {Phi.shape[0]} labels (one per row of features), got {y.shape[0]}"
        )
    U, _, _ = _range_basis(gram)
    ny = float(np.linalg.norm(y))
    r = y - U @ (U.T @ y)
    nr = float(np.linalg.norm(r))
    if ny == 0 or nr <= 1e-9 * ny:
        c = float(np.max(np.abs(Phi)))
        with np.errstate(over="ignore", invalid="ignore"):
            theta_star = np.linalg.lstsq(Phi / c, y, rcond=None)[0] / c  # scaled: no spurious overflow
        if not np.all(np.isfinite(theta_star)):
            # θ* = Φ⁺y exceeds float64 (features of size ~1e-300): the extremes live in residual
            # space and do not need it; the optimisers are then reported relative to θ*.
            return alignment_extremes(Phi.T)
        return alignment_extremes(Phi.T, theta_star=theta_star)
    # y ∉ range(Φ): e = Φθ − y sweeps an affine set; homogenise over span(range Φ, y).
    r_unit = r / nr
    basis = np.column_stack([U, r_unit])

    def to_point(value: float, z: Array) -> Extremum:
        s = -float(z @ r_unit) / nr  # z = Φa + s·(−y): its component along r is −s·‖r‖
        if s < 0:
            z, s = -z, -s
        attained = s > 1e-9 * float(np.linalg.norm(z)) / nr
        if attained:
            e = z / s  # = Φθ − y
            theta = np.linalg.lstsq(Phi, e + y, rcond=None)[0]
        else:
            theta = np.linalg.lstsq(Phi, z, rcond=None)[0]  # direction: Φθ ∝ z as θ → ∞
        coef = np.linalg.lstsq(Phi.T, theta, rcond=None)[0]  # θ = Φᵀa (θ* = 0 here)
        # numpy's stubs type lstsq's solution as NDArray[floating]: for float64 data it is float64
        return Extremum(float(value), z / np.linalg.norm(z), theta, coef, bool(attained))  # type: ignore[arg-type]

    ext = _extremes_on(gram, basis, to_point)
    return AlignmentExtremes(*ext, gamma=gram.gamma, tau=gram.tau, rank=basis.shape[1])
