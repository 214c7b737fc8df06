r"""Exact mean-square stability of linearized SGD: spectral radius and critical learning rate.

With :math:`\mathcal T_\eta = \mathcal I - \eta\mathcal A + \eta^2\mathcal Q` (see
:mod:`verifythm.dynamics.moments`):

* :math:`\mathcal T_\eta` maps PSD matrices to PSD matrices, so by the Krein–Rutman
  theorem its spectral radius is an eigenvalue with a PSD eigenvector; being
  self-adjoint, :math:`\rho(\mathcal T_\eta) = \lambda_{\max}(\mathcal T_\eta)
  = 1 + \eta\,\lambda_{\max}(\eta\mathcal Q - \mathcal A)`.  The last form is what we
  compute: it has no cancellation against the identity, so :math:`\rho` close to 1 is
  resolved to absolute accuracy :math:`\approx\eta\,\varepsilon\,\|\eta\mathcal Q-\mathcal A\|`.
* :math:`\rho(\mathcal T_\eta)\le 1` iff :math:`\eta\langle W,\mathcal QW\rangle \le
  \langle W,\mathcal AW\rangle` for every symmetric :math:`W`, i.e. iff
  :math:`\eta\le\eta^* = 1/\lambda_{\max}(\mathcal A^{-1/2}\mathcal Q\mathcal A^{-1/2})`.
  **The stable set in η is always the interval** :math:`(0,\eta^*]` for these four
  schemes (and any scheme whose :math:`\mathcal Q` is a second moment), so the critical
  learning rate is a generalized eigenvalue, not a root to hunt for; bracketed root
  finding (:func:`critical_learning_rate` with ``method="bracket"``) is kept as a cross-check.
* The reduced coordinates of :class:`~verifythm.dynamics.family.Family` are an
  eigenbasis of :math:`H = \operatorname{diag}(\lambda)`, where
  :math:`\mathcal A` is diagonal: :math:`(\mathcal A W)_{jk} = (\lambda_j+\lambda_k)W_{jk}`,
  so :math:`\mathcal A^{-1/2}` is an entry-wise scaling.
* For a family of diagonal matrices every :math:`\hat J` is diagonal and
  :math:`\mathcal T` is the Schur multiplier :math:`W_{jk}\mapsto
  \mathbb E[(1-\eta\hat h_j)(1-\eta\hat h_k)]W_{jk}`; by Cauchy–Schwarz its spectral
  radius is :math:`\max_j\mathbb E[(1-\eta\hat h_j)^2]`, so
  :math:`\eta^* = \min_j 2h_j/\mathbb E[\hat h_j^2]` (closed forms, ``method="diagonal"``).
* For GD (:math:`c_s=0`) this gives :math:`\eta^* = 2/\lambda_1(H)`; without-replacement
  sampling with :math:`B = n` is GD.

Spectra are computed densely on the :math:`r(r+1)/2`-dimensional space of symmetric
matrices (orthonormal ``svec`` basis) when that is small, and by Lanczos (ARPACK
``eigsh``, matrix-free) otherwise.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.optimize as sopt
import scipy.sparse.linalg as spla
from numpy.typing import ArrayLike

from verifythm.dynamics.family import Family
from verifythm.dynamics.moments import NoiseModel, check_learning_rate
from verifythm.dynamics.sampling import Sampling
from verifythm.linalg.psd import Array

#: Above this many symmetric-matrix coordinates, spectra are computed by Lanczos.
DENSE_MAX = 1200
#: Relative accuracy asked of ARPACK for λ_max(ηQ − A) (so ρ − 1 is known to this relative accuracy).
RADIUS_TOL = 1e-9
#: Relative accuracy asked of ARPACK for the generalized eigenvalue 1/η*.
CRITICAL_TOL = 1e-11


@functools.lru_cache(maxsize=8)
def _sym_index(r: int) -> tuple[Array, Array, Array]:
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


def _diagonal_moments(family: Family, sampling: Sampling, c: float | Array) -> tuple[Array, Array]:
    r"""Diagonal family: :math:`h_j` and :math:`q_j = \mathbb E[\hat h_j^2]`.

    :math:`q_j = h_j^2 + c_s(\bar s_j - [s\ne\text{bern}]h_j^2)` with
    :math:`\bar s_j = \frac1n\sum_ih_{ij}^2`; ``c`` may be an array of constants (shape
    ``(k, 1)``), giving ``q`` of shape ``(k, r)``.
    """
    D = family.diagonal
    assert D is not None
    h = D.mean(axis=0)
    sbar = np.mean(D * D, axis=0)
    q = h * h + c * (sbar - (h * h if sampling is not Sampling.BERNOULLI else 0.0))
    return h, q


@dataclass(frozen=True)
class SpectralRadius:
    r""":math:`\rho(\mathcal T_\eta)` with its certificate.

    Attributes
    ----------
    value
        :math:`\rho = 1 + \eta\,\lambda_{\max}(\eta\mathcal Q-\mathcal A)`.
    growth
        :math:`\lambda_{\max}(\eta\mathcal Q - \mathcal A)`, so that
        :math:`\rho - 1 = \eta\cdot\text{growth}` (sign decides stability).
    lower
        A rigorous lower bound up to rounding: the Rayleigh quotient of the returned
        eigenvector (a lower bound for the top eigenvalue of a self-adjoint map).
    eigenvector
        The dominant eigenvector :math:`W` (unit Frobenius norm, oriented PSD), in the
        reduced coordinates of the family.
    psd_defect
        :math:`\max(0,-\lambda_{\min}(W))/\|W\|_F` (0 for an exactly PSD eigenvector).
    method
        ``"dense"``, ``"lanczos"``, ``"diagonal"`` or ``"lobpcg"`` (fallback when Lanczos
        does not converge; then ``value`` is the Rayleigh quotient, a lower bound).
    """

    value: float
    growth: float
    lower: float
    eigenvector: Array
    psd_defect: float
    method: str


def spectral_radius(
    noise: NoiseModel, eta: float, *, method: str = "auto", start: Array | None = None
) -> SpectralRadius:
    r"""The spectral radius :math:`\rho(\mathcal T_\eta)` on :math:`\operatorname{range}H`.

    Parameters
    ----------
    noise
        Family, scheme and batch size (:class:`~verifythm.dynamics.moments.NoiseModel`).
    eta
        Learning rate :math:`\eta > 0`.
    method
        ``"auto"`` (closed form for diagonal families, else dense when the symmetric
        space has at most :data:`DENSE_MAX` coordinates, else Lanczos), ``"dense"`` or
        ``"lanczos"``.
    start
        Optional starting matrix for Lanczos (``r × r``), e.g. the eigenvector of
        :func:`critical_learning_rate`, which is close to the dominant one near
        :math:`\eta^*` and speeds up convergence in clustered spectra.
    """
    e = check_learning_rate(eta)
    fam = noise.family
    r = fam.rank
    if r == 0:
        return SpectralRadius(1.0, 0.0, 1.0, np.zeros((0, 0)), 0.0, "trivial")

    if fam.diagonal is not None and method == "auto":
        # Ĵ diagonal ⇒ T(W)_jk = E[(1−ηĥ_j)(1−ηĥ_k)] W_jk: eigenvalues C_jk, and
        # |C_jk| ≤ (C_jj C_kk)^{1/2} (Cauchy–Schwarz), so ρ = max_j C_jj with eigenvector E_jj.
        h, q = _diagonal_moments(fam, noise.sampling, noise.c)
        growth = e * q - 2.0 * h
        j = int(np.argmax(growth))
        X = np.zeros((r, r))
        X[j, j] = 1.0
        g = float(growth[j])
        return SpectralRadius(1.0 + e * g, g, 1.0 + e * g, X, 0.0, "diagonal")

    def excess(W: Array) -> Array:
        return e * noise.Q(W) - noise.A(W)

    lam = np.maximum(fam.eigenvalues, 0.0)
    precond = lam[:, None] + lam[None, :] + max(float(lam[-1]), 1e-300)  # ≈ A, the stiff part
    g, X, how = _top_eig(excess, r, method=method, tol=RADIUS_TOL, start=start, precond=precond)
    X, defect = _psd_orient(X)
    rq = float(np.sum(X * excess(X)))
    return SpectralRadius(1.0 + e * g, g, 1.0 + e * rq, X, defect, how)


@dataclass(frozen=True)
class CriticalLR:
    r"""The critical learning rate :math:`\eta^*` (mean-square / loss stability threshold).

    Attributes
    ----------
    value
        :math:`\eta^*`; ``math.inf`` when the family is zero.
    eigenvector
        :math:`W^*` (PSD-oriented), the second moment that destabilises first.
    method
        How it was computed (``"dense"``, ``"lanczos"``, ``"bracket"``, ``"closed-form"``).
    gd_threshold
        :math:`2/\lambda_1(H)`, the GD value, for comparison (:math:`\eta^*\le 2/\lambda_1`).
    """

    value: float
    eigenvector: Array
    method: str
    gd_threshold: float


def critical_learning_rate(noise: NoiseModel, *, method: str = "auto", xtol: float = 1e-13) -> CriticalLR:
    r"""The critical learning rate :math:`\eta^* = \sup\{\eta>0:\rho(\mathcal T_\eta)\le1\}`.

    Parameters
    ----------
    noise
        Family, scheme and batch size.
    method
        ``"auto"``/``"dense"``/``"lanczos"`` solve the generalized eigenproblem
        :math:`\mathcal QW = \mu\,\mathcal AW` (:math:`\eta^* = 1/\mu_{\max}`);
        ``"bracket"`` finds the root of :math:`\eta\mapsto\lambda_{\max}(\eta\mathcal Q
        - \mathcal A)` on :math:`(0, 2/\lambda_1]` with Brent's method (cross-check).
    xtol
        Relative tolerance of the bracketed root.

    Examples
    --------
    Two orthogonal rank-one members :math:`H_1 = e_1e_1^T`, :math:`H_2 = e_2e_2^T`: GD is
    stable up to :math:`2/\lambda_1(H) = 4`, SGD with batches of one only up to 2.

    >>> import numpy as np
    >>> from verifythm.dynamics import Family, NoiseModel
    >>> fam = Family.from_hessians(np.stack([np.diag([1.0, 0.0]), np.diag([0.0, 1.0])]))
    >>> crit = critical_learning_rate(NoiseModel.build(fam, 1, "with-replacement"))
    >>> crit.value, crit.gd_threshold, crit.method
    (2.0, 4.0, 'diagonal')

    Identical members make SGD the same as GD, :math:`\eta^* = 2/\lambda_1`:

    >>> same = Family.from_hessians(np.stack([np.diag([2.0, 1.0])] * 3))
    >>> critical_learning_rate(NoiseModel.build(same, 1, "with-replacement")).value
    1.0
    """
    fam = noise.family
    r = fam.rank
    if r == 0:
        return CriticalLR(math.inf, np.zeros((0, 0)), "closed-form", math.inf)
    lam = np.maximum(fam.eigenvalues, 0.0)  # H = diag(lam) in reduced coordinates (decreasing)
    gd = 2.0 / float(lam[0])
    if method == "bracket":

        def f(eta: float) -> float:
            return spectral_radius(noise, eta).growth

        hi = gd
        if f(hi) < 0:  # cannot happen (Q ⪰ HWH); guard against rounding
            hi *= 1 + 1e-9
        root = sopt.brentq(f, gd * 1e-12, hi, xtol=1e-300, rtol=max(xtol, 4 * np.finfo(float).eps))
        X, _ = _psd_orient(spectral_radius(noise, root).eigenvector)
        return CriticalLR(float(root), X, "bracket", gd)
    if noise.sampling is Sampling.GD or noise.c == 0.0:
        W = np.zeros((r, r))
        W[0, 0] = 1.0
        return CriticalLR(gd, W, "closed-form", gd)
    if fam.diagonal is not None and method == "auto":
        h, q = _diagonal_moments(
            fam, noise.sampling, noise.c
        )  # C_jj(η) = 1 − 2ηh_j + η²q_j ≤ 1  ⇔  η ≤ 2h_j/q_j
        ratios = 2.0 * h / q
        j = int(np.argmin(ratios))
        W = np.zeros((r, r))
        W[j, j] = 1.0
        return CriticalLR(float(ratios[j]), W, "diagonal", gd)
    D = 1.0 / np.sqrt(lam[:, None] + lam[None, :])  # A^{-1/2}: entry-wise in H's eigenbasis

    def scaled(X: Array) -> Array:
        return D * noise.Q(D * X)

    mu, X, how = _top_eig(scaled, r, method=method)
    W, _ = _psd_orient(D * X)
    return CriticalLR(1.0 / mu if mu > 0 else math.inf, W, how, gd)


@dataclass(frozen=True)
class StabilityVerdict:
    r"""Mean-square (equivalently loss) stability of linearized SGD at one learning rate.

    ``stable`` is :math:`\rho(\mathcal T_\eta)\le1`, decided as :math:`\eta\le\eta^*` (the
    stable set is an interval; η* is the robustly computed generalized eigenvalue); ``borderline`` flags
    :math:`|\eta/\eta^*-1|` below ``1e-9``, where rounding could flip the verdict.
    """

    eta: float
    spectral_radius: float
    stable: bool
    borderline: bool
    critical_lr: float
    sampling: Sampling
    n: int
    batch_size: int


def stability(noise: NoiseModel, eta: float) -> StabilityVerdict:
    """Spectral radius, verdict and critical learning rate at ``eta``.

    Examples
    --------
    >>> import numpy as np
    >>> from verifythm.dynamics import Family, NoiseModel
    >>> fam = Family.from_hessians(np.stack([np.diag([1.0, 0.0]), np.diag([0.0, 1.0])]))
    >>> v = stability(NoiseModel.build(fam, 1, "with-replacement"), 0.5)
    >>> v.stable, v.spectral_radius, v.critical_lr
    (True, 0.625, 2.0)
    """
    e = check_learning_rate(eta)
    crit = critical_learning_rate(noise)
    rho = spectral_radius(noise, e, start=crit.eigenvector)
    borderline = math.isfinite(crit.value) and abs(e / crit.value - 1.0) < 1e-9
    return StabilityVerdict(
        e,
        rho.value,
        bool(e <= crit.value),
        borderline,
        crit.value,
        noise.sampling,
        noise.family.n,
        noise.batch_size,
    )


def gd_threshold(hessians: ArrayLike | None = None, *, family: Family | None = None) -> float:
    r"""The GD stability threshold :math:`2/\lambda_1(H)` (``inf`` for :math:`H=0`).

    Examples
    --------
    >>> import numpy as np
    >>> gd_threshold(np.stack([np.diag([1.0, 0.0]), np.diag([0.0, 1.0])]))  # H = I/2
    4.0
    """
    fam = family if family is not None else Family.from_hessians(hessians)
    return 2.0 / fam.lambda_max if fam.rank else math.inf


def critical_learning_rates(
    family: Family, batch_sizes: ArrayLike, sampling: Sampling | str, *, method: str = "auto"
) -> Array:
    r"""Critical learning rates :math:`\eta^*(B)` for many batch sizes at once.

    Because the stable set in η is the interval :math:`(0,\eta^*(B)]`, one value per ``B``
    answers a whole (η, B) stability map: ``eta <= eta_star[k]`` is the verdict at every η.
    Diagonal families are vectorised over ``B`` (closed form); other families solve one
    eigenproblem per batch size.

    Parameters
    ----------
    family
        The reduced family.
    batch_sizes
        Integers in ``[1, n]``.
    sampling
        The sampling scheme.
    method
        As for :func:`critical_learning_rate`.

    Examples
    --------
    Without replacement, a batch of every sample is GD (:math:`\eta^* = 2/\lambda_1 = 4`):

    >>> import numpy as np
    >>> from verifythm.dynamics import Family
    >>> fam = Family.from_hessians(np.stack([np.diag([1.0, 0.0]), np.diag([0.0, 1.0])]))
    >>> critical_learning_rates(fam, [1, 2], "without-replacement").tolist()
    [2.0, 4.0]
    """
    from verifythm.dynamics.sampling import noise_constant, parse_sampling

    s = parse_sampling(sampling)
    Bs = [int(b) for b in np.atleast_1d(np.asarray(batch_sizes))]
    if family.diagonal is None or method != "auto" or family.rank == 0 or s is Sampling.GD:
        return np.array(
            [critical_learning_rate(NoiseModel.build(family, b, s), method=method).value for b in Bs]
        )
    c = np.array([float(noise_constant(s, family.n, b)) for b in Bs])[:, None]
    h, q = _diagonal_moments(family, s, c)
    return np.min(2.0 * h / q, axis=1)
