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
``eigsh``, matrix-free) otherwise (:mod:`verifythm.dynamics.symeig`).  For rank-one families
with :math:`n\le r(r+1)/2`, :math:`\eta^*` comes from the equivalent ``n × n`` nonlinear
eigenproblem (``method="dual"``), whose few steps do not grow in number with ``n``.

**Scale.**  Everything is computed on the normalised family :math:`\hat H_i = H_i/2^k`
(:meth:`~verifythm.dynamics.family.Family.normalized`) at :math:`\hat\eta = \eta2^k`, which
is exact (:mod:`verifythm.dynamics.scaling`): results are the same for :math:`(tH, \eta/t)`
at every representable :math:`t`, bit for bit when :math:`t` is a power of two.  Guarantees:
:math:`\rho\ge0` and never NaN (``inf`` when it exceeds float64); :math:`\eta^*\le2/\lambda_1`,
``inf`` only when :math:`2/\lambda_1` itself exceeds float64 or :math:`H = 0`.
"""

from __future__ import annotations

import dataclasses
import math
import weakref
from typing import Any

import numpy as np
import scipy.optimize as sopt
from numpy.typing import ArrayLike

from verifythm.dynamics.family import Family
from verifythm.dynamics.moments import NoiseModel, check_learning_rate
from verifythm.dynamics.sampling import Sampling
from verifythm.dynamics.scaling import (
    ETA_HAT_CAP,
    diagonal_moments,
    ldexp,
    ldexp_array,
    ldexp_signed,
    mul_ldexp,
    radius_value,
    scaled_rate,
)
from verifythm.dynamics.stability_results import CriticalLR, SpectralRadius, StabilityVerdict
from verifythm.dynamics.symeig import (
    CRITICAL_TOL,
    DENSE_MAX,
    dense_top,
    operator_matrix,
    psd_orient,
    rank_one_critical,
    smat,
    svec,
    top_eig,
    uses_dense,
)
from verifythm.linalg.psd import Array

__all__ = [
    "CRITICAL_TOL",
    "DENSE_MAX",
    "RADIUS_TOL",
    "CriticalLR",
    "SpectralRadius",
    "StabilityVerdict",
    "critical_learning_rate",
    "critical_learning_rates",
    "gd_threshold",
    "smat",
    "spectral_radius",
    "stability",
    "svec",
]

#: Relative accuracy asked of ARPACK for λ_max(ηQ − A) (so ρ − 1 is known to this relative accuracy).
RADIUS_TOL = 1e-9

#: Per family (weakly held, by identity): η* and the dense 𝒬, 𝒜 per (scheme, B, …), so a grid
#: of calls on one family (:func:`stability` per cell, a phase diagram over η) solves each
#: eigenproblem once.
_MEMO: weakref.WeakKeyDictionary[Family, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()


def _memo(noise: NoiseModel) -> dict[tuple[Any, ...], Any]:
    """The cache of ``noise``'s family (keys start with the scheme and ``B``)."""
    return _MEMO.setdefault(noise.family, {})


def _dense_q(noise: NoiseModel) -> Array:
    """𝒬 of a normalised ``noise`` as an svec matrix, built once per (family, scheme, B).

    Shared by η* and ρ; only the last (scheme, B) of a family is kept (11 MB at the dense limit).
    """
    key = (noise.sampling, noise.batch_size, "dense Q")
    memo = _memo(noise)
    if key not in memo:
        for old in [k for k in memo if k[-1] == "dense Q"]:
            del memo[old]
        memo[key] = operator_matrix(noise.Q, noise.family.rank)
    return memo[key]


def _entrywise(M: Array) -> Array:
    """The svec diagonal of ``X ↦ M ∘ X`` (an entry-wise map, e.g. 𝒜 in H's eigenbasis)."""
    return svec(M) / svec(np.ones_like(M))


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
    if noise.family.rank == 0:
        return SpectralRadius(1.0, 0.0, 1.0, np.zeros((0, 0)), 0.0, "trivial")
    # ρ(T_η(H)) = ρ(T_{η̂}(Ĥ)) with Ĥ = H/2^k, η̂ = η·2^k: solved where nothing under/overflows
    nz, k = noise.normalized()
    eh = scaled_rate(e, k)
    capped = min(eh, ETA_HAT_CAP)  # beyond it ρ overflows anyway; the eigenvector is 𝒬's
    g, rq, X, defect, how = _radius_hat(nz, capped, method=method, start=start)
    if eh > ETA_HAT_CAP:  # growth = λ_max(ηQ − A) ≈ (η̂/cap)·ĝ·2^k, ĝ computed at the cap
        growth = mul_ldexp(g, e, 2 * k - 600)
    else:
        growth = ldexp_signed(g, k)  # λ_max(ηQ − A) = 2^k·λ_max(η̂Q̂ − Â)
    return SpectralRadius(radius_value(eh, g), growth, radius_value(eh, rq), X, defect, how)


def _radius_hat(
    noise: NoiseModel, e: float, *, method: str = "auto", start: Array | None = None
) -> tuple[float, float, Array, float, str]:
    r""":math:`\hat g = \lambda_{\max}(e\hat{\mathcal Q} - \hat{\mathcal A})` on a normalised ``noise``.

    Returns :math:`\hat g`, the Rayleigh quotient of the eigenvector, the eigenvector, its
    PSD defect and the method; :math:`e = \hat\eta\ge0` is the normalised learning rate.
    """
    fam = noise.family
    r = fam.rank
    if fam.diagonal_hat is not None and method == "auto":
        # Ĵ diagonal ⇒ T(W)_jk = E[(1−ηĥ_j)(1−ηĥ_k)] W_jk: eigenvalues C_jk, and
        # |C_jk| ≤ (C_jj C_kk)^{1/2} (Cauchy–Schwarz), so ρ = max_j C_jj with eigenvector E_jj.
        h, q = diagonal_moments(fam.diagonal_hat, noise.sampling is Sampling.BERNOULLI, noise.c)
        growth = e * q - 2.0 * h
        j = int(np.argmax(growth))
        X = np.zeros((r, r))
        X[j, j] = 1.0
        g = float(growth[j])
        return g, g, X, 0.0, "diagonal"

    def excess(W: Array) -> Array:
        return e * noise.Q(W) - noise.A(W)

    if uses_dense(r, method):
        # e𝒬 − 𝒜 from the cached 𝒬 (each η is one eigh); 𝒜 is entry-wise in H's eigenbasis
        h = fam.eigenvalues
        M = e * _dense_q(noise)
        M[np.diag_indices_from(M)] -= _entrywise(h[:, None] + h[None, :])
        g, X, how = dense_top(M, r)
        X, defect = psd_orient(X)
        return g, float(np.sum(X * excess(X))), X, defect, how
    lam = np.maximum(fam.eigenvalues, 0.0)
    precond = lam[:, None] + lam[None, :] + max(float(lam[-1]), 1e-300)  # ≈ A, the stiff part
    g, X, how = top_eig(excess, r, method=method, tol=RADIUS_TOL, start=start, precond=precond)
    X, defect = psd_orient(X)
    rq = float(np.sum(X * excess(X)))
    return g, rq, X, defect, how


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
        ``"dual"`` (rank-one families; ``"auto"`` picks it when :math:`n\le r(r+1)/2` and that
        space is too large for the dense method) solves the equivalent ``n × n`` nonlinear
        eigenproblem (:func:`~verifythm.dynamics.symeig.rank_one_critical`): a handful of
        ``n × n`` eigenproblems instead of hundreds of Lanczos steps on Sym(r).
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
    return _critical(noise, method=method, xtol=xtol)[0]


def _critical(noise: NoiseModel, *, method: str = "auto", xtol: float = 1e-13) -> tuple[CriticalLR, float]:
    r""":func:`critical_learning_rate` and :math:`\hat\eta^* = \eta^*2^k` (normalised, never overflows)."""
    if noise.family.rank == 0:
        return CriticalLR(math.inf, np.zeros((0, 0)), "closed-form", math.inf), math.inf
    key = (noise.sampling, noise.batch_size, "critical", method, xtol)
    memo = _memo(noise)
    if key in memo:  # the same family, scheme and B: solved already (a grid of calls)
        crit, value = memo[key]
        return dataclasses.replace(crit, eigenvector=crit.eigenvector.copy()), value
    # η*(H) = η*(Ĥ)/2^k: solved on the normalised twin (λ̂₁ ∈ [1, 4)), where Q̂ cannot underflow
    nz, k = noise.normalized()
    value, W, how, gd = _critical_hat(nz, method, xtol)
    value = min(value, gd)  # η* ≤ 2/λ₁ exactly (⟨E₁₁, Q E₁₁⟩ ≥ λ₁²); clamp rounding
    # back to absolute units: inf only when the true value exceeds float64 (then so does 2/λ₁)
    crit = CriticalLR(ldexp(value, -k), W, how, ldexp(gd, -k))
    memo[key] = (crit, value)
    return dataclasses.replace(crit, eigenvector=W.copy()), value


def _critical_hat(noise: NoiseModel, method: str, xtol: float) -> tuple[float, Array, str, float]:
    """η̂*, W*, method and 2/λ̂₁ for a normalised ``noise`` of rank ≥ 1."""
    fam = noise.family
    r = fam.rank
    lam = np.maximum(fam.eigenvalues, 0.0)  # H = diag(lam) in reduced coordinates (decreasing)
    gd = 2.0 / float(lam[0])
    if method == "bracket":

        def f(eta: float) -> float:
            return _radius_hat(noise, eta)[0]

        hi = gd
        if f(hi) < 0:  # cannot happen (Q ⪰ HWH); guard against rounding
            hi *= 1 + 1e-9
        root = sopt.brentq(f, gd * 1e-12, hi, xtol=1e-300, rtol=max(xtol, 4 * np.finfo(float).eps))
        X, _ = psd_orient(_radius_hat(noise, root)[2])
        return float(root), X, "bracket", gd
    if noise.sampling is Sampling.GD or noise.c == 0.0:
        W = np.zeros((r, r))
        W[0, 0] = 1.0
        return gd, W, "closed-form", gd
    if fam.diagonal_hat is not None and method == "auto":
        # C_jj(η) = 1 − 2ηh_j + η²q_j ≤ 1  ⇔  η ≤ 2h_j/q_j  (q_j ≥ h_j² > 0 after normalisation)
        h, q = diagonal_moments(fam.diagonal_hat, noise.sampling is Sampling.BERNOULLI, noise.c)
        ratios = 2.0 * h / q
        j = int(np.argmin(ratios))
        W = np.zeros((r, r))
        W[j, j] = 1.0
        return float(ratios[j]), W, "diagonal", gd
    m = r * (r + 1) // 2
    if method == "dual" or (
        method == "auto" and fam.factors_hat is not None and fam.n <= m and m > DENSE_MAX
    ):
        if fam.factors_hat is None:
            raise ValueError("method: 'dual' needs a rank-one (gradient) family")
        # Q = aHWH + (c/n)ΦΦ*: an n × n nonlinear eigenproblem instead of Lanczos on Sym(r)
        a = 1.0 if noise.sampling is Sampling.BERNOULLI else 1.0 - noise.c
        value, Wd, _, converged = rank_one_critical(fam.factors_hat, lam, a, noise.c)
        if converged or method == "dual":
            W, _ = psd_orient(Wd)
            return value, W, "dual", gd
    D = 1.0 / np.sqrt(lam[:, None] + lam[None, :])  # A^{-1/2}: entry-wise in H's eigenbasis

    if method in ("auto", "dense") and uses_dense(r, method):
        d = _entrywise(D)  # 𝒜^{-1/2}𝒬𝒜^{-1/2} from the 𝒬 that ρ uses too
        mu, X, how = dense_top(d[:, None] * _dense_q(noise) * d[None, :], r)
    else:

        def scaled(X: Array) -> Array:
            return D * noise.Q(D * X)

        mu, X, how = top_eig(scaled, r, method=method)
    W, _ = psd_orient(D * X)
    return (1.0 / mu if mu > 0 else math.inf), W, how, gd


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
    crit, crit_hat = _critical(noise)
    rho = spectral_radius(noise, e, start=crit.eigenvector)
    # compare in normalised units, where neither side has over- or underflowed
    eh = scaled_rate(e, noise.normalized()[1])
    borderline = math.isfinite(crit_hat) and math.isfinite(eh) and abs(eh / crit_hat - 1.0) < 1e-9
    return StabilityVerdict(
        e,
        rho.value,
        bool(eh <= crit_hat),
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
    if family is not None:
        fam = family
    elif hessians is not None:
        fam = Family.from_hessians(hessians)
    else:
        raise ValueError("hessians: give the Hessians (n, d, d) or family")
    twin, k = fam.normalized()
    return ldexp(2.0 / twin.lambda_max, -k) if fam.rank else math.inf  # exact, inf beyond float64


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
    twin, k = family.normalized()
    assert twin.diagonal_hat is not None
    h, q = diagonal_moments(twin.diagonal_hat, s is Sampling.BERNOULLI, c)
    eta_hat = np.minimum(np.min(2.0 * h / q, axis=1), 2.0 / float(twin.eigenvalues[0]))  # ≤ 2/λ₁
    return ldexp_array(eta_hat, -k)
