r"""High-precision moment engine computations; the public module is :mod:`verifythm.dynamics.precise`.

:math:`\rho(\mathcal T_\eta)`, :math:`\eta^*` and :math:`\lambda_1(H)` exactly or in mpmath, on the
normalised family and with the rank rule of the float64 engine (the method is described in
:mod:`verifythm.dynamics.precise`, which re-exports every public name here together with
:func:`~verifythm.dynamics.precise.engine_precision`).  The switch points of
:mod:`verifythm.dynamics.precise_hooks` call these functions; neither imports the public module.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from verifythm.dynamics.family import RANK_RTOL, Family
from verifythm.dynamics.moments import NoiseModel, check_learning_rate
from verifythm.dynamics.precise_context import suspended
from verifythm.dynamics.sampling import Sampling, noise_constant
from verifythm.linalg import precise as P

#: Default decimal digits of the high-precision engine.
DPS = P.DPS
#: Largest symmetric-space dimension m = r(r+1)/2 solved densely in mpmath (r ≤ 10).
DENSE_MP_MAX = 60
#: Largest d (Hessians) or n (gradients, Gram) whose reduction is redone in mpmath from the input.
SOURCE_MAX = 24
#: Largest n·p of recorded gradients (larger inputs fall back to the float64 reduced family).
SOURCE_SIZE_MAX = 2_000_000
#: Largest n·r³ of a matrix-free mpmath Rayleigh quotient (the ``refined`` fallback).
REFINE_MAX = 5_000_000


# -- inputs recorded inside the context: the reduction can be redone in high precision ------
_SOURCES: weakref.WeakKeyDictionary[Family, tuple[str, np.ndarray]] = weakref.WeakKeyDictionary()
_CACHE: weakref.WeakKeyDictionary[Family, dict[int, _PFam]] = weakref.WeakKeyDictionary()


def record_source(fam: Family, kind: str, data: Any) -> None:
    """Remember the input a family was built from (``hessians``, ``gram`` or ``gradients``), normalised.

    Stored divided by the family's power of two (``2^k``, or ``2^{k/2}`` for gradients), i.e. in
    the units of :meth:`Family.normalized`; inputs above :data:`SOURCE_SIZE_MAX` are not kept.
    """
    if kind not in ("hessians", "gram", "gradients"):
        raise ValueError(f"kind: expected hessians, gram or gradients, got {kind!r}")
    arr = np.asarray(data)
    if arr.size > SOURCE_SIZE_MAX or fam.diagonal_hat is not None or fam.rank == 0:
        return
    shift = fam.exponent // 2 if kind == "gradients" else fam.exponent
    norm = np.ldexp(np.array(arr, dtype=np.float64), -shift)
    twin, _ = fam.normalized()
    _SOURCES[fam] = _SOURCES[twin] = (kind, norm)


@dataclass(eq=False)
class _PFam:
    """A normalised family in high precision (Fractions for diagonal families, else ``mpf``)."""

    kind: str  # "diagonal", "dense" or "rank-one"
    n: int
    r: int
    origin: str  # "input" (reduced again in mpmath) or "float64 reduction"
    lam1: Any
    lam1_kind: str = "mpmath"
    D: np.ndarray | None = None  # (n, r) float64 diagonal (exact rationals)
    Hs: list[np.ndarray] | None = None  # reduced Ĥ_i (r × r mpf)
    M: np.ndarray | None = None  # rank-one factors (r × n mpf)
    H: np.ndarray | None = None  # mean (r × r mpf)
    parts: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # (𝒜, HWH, mean H_iWH_i)


def _reduce_hessians(S: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, Any]:
    """Reduce normalised Hessians ``(n, d, d)`` to range(H) in mpmath (the engine's rank rule)."""
    n = S.shape[0]
    Hs = [_sym_mp(S[i]) for i in range(n)]
    H = sum(Hs[1:], Hs[0]) / n
    lam, U = P.eigh_mp(H)
    top = max(lam[0], 0)
    keep = [j for j, val in enumerate(lam) if val > RANK_RTOL * top]
    Ur = U[:, keep]
    red = [Ur.T.dot(Hi).dot(Ur) for Hi in Hs]
    return red, sum(red[1:], red[0]) / n, lam[0]


def _sym_mp(A: np.ndarray) -> np.ndarray:
    M = P.mpf_array(A)
    return (M + M.T) / 2


def _rank_one_from_gram(K: np.ndarray) -> tuple[np.ndarray, Any]:
    """Factors :math:`M` with :math:`M^TM = K` on K's range (the engine's rank rule), and λ₁(H)."""
    import mpmath

    n = K.shape[0]
    w, V = P.eigh_mp(K)
    top = max(w[0], 0)
    keep = [j for j, val in enumerate(w) if val > RANK_RTOL * top * max(n, 1)]
    roots = np.array([mpmath.sqrt(w[j]) for j in keep], dtype=object)
    M = roots[:, None] * V[:, keep].T
    return M, w[0] / n


def _pfam(fam: Family, dps: int) -> _PFam:
    """The normalised twin of ``fam`` in high precision (cached per family and precision)."""
    import mpmath

    twin, _ = fam.normalized()
    cache = _CACHE.setdefault(twin, {})
    if dps in cache:
        return cache[dps]
    n, r = twin.n, twin.rank
    if twin.diagonal_hat is not None:
        D = np.array(twin.diagonal_hat, dtype=np.float64)
        h = [m for m, _ in P.column_moments(D, centred=False)]
        pf = _PFam("diagonal", n, r, "input", max(h), "exact", D=D)
    else:
        src = _SOURCES.get(twin)
        with mpmath.workdps(dps):
            if src is not None and src[0] == "hessians" and src[1].shape[1] <= SOURCE_MAX:
                red, H, lam1 = _reduce_hessians(src[1])
                pf = _PFam("dense", n, len(red[0]), "input", lam1, Hs=red, H=H)
            elif src is not None and src[0] in ("gram", "gradients") and n <= SOURCE_MAX:
                K = P.mpf_array(src[1]) if src[0] == "gram" else P.gram_mp(src[1])
                M, lam1 = _rank_one_from_gram((K + K.T) / 2)
                pf = _PFam("rank-one", n, M.shape[0], "input", lam1, M=M, H=M.dot(M.T) / n)
            elif twin.factors_hat is not None:
                M = P.mpf_array(twin.factors_hat)
                H = M.dot(M.T) / n
                pf = _PFam("rank-one", n, r, "float64 reduction", None, M=M, H=H)
            else:
                assert twin.hessians_hat is not None
                Hs = [P.mpf_array(twin.hessians_hat[i]) for i in range(n)]
                pf = _PFam("dense", n, r, "float64 reduction", None, Hs=Hs, H=sum(Hs[1:], Hs[0]) / n)
            assert pf.H is not None  # every branch above sets the mean H
            if pf.lam1 is None and r * (r + 1) // 2 <= 4 * DENSE_MP_MAX:
                pf.lam1 = P.top_eig_mp(pf.H)
            elif pf.lam1 is None:  # the reduced coordinates are H's float64 eigenbasis: e₁ is its top vector
                pf.lam1, pf.lam1_kind = pf.H[0, 0], "refined"
    cache[dps] = pf
    return pf


def _parts(pf: _PFam) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Svec matrices of 𝒜(W) = HW + WH, HWH and the mean of H_iWH_i (mpmath, cached)."""
    import mpmath

    if pf.parts is None:
        H = pf.H
        assert H is not None
        eye = np.array([[mpmath.mpf(int(i == j)) for j in range(pf.r)] for i in range(pf.r)], dtype=object)
        A = 2 * P.sym_operator(H, eye)
        HH = P.sym_operator(H, H)
        if pf.M is not None:
            vs = [P.svec_mp(np.outer(pf.M[:, i], pf.M[:, i])) for i in range(pf.n)]
            total = sum(np.outer(v, v) for v in vs)
        else:
            assert pf.Hs is not None
            total = sum(P.sym_operator(Hi, Hi) for Hi in pf.Hs)
        # sum() of a non-empty sequence of arrays is an array (typeshed allows the start value 0)
        N: np.ndarray = total / pf.n  # type: ignore[assignment]
        pf.parts = (A, HH, N)
    return pf.parts


def _q_matrix(pf: _PFam, sampling: Sampling, c: Fraction) -> np.ndarray:
    r"""Svec matrix of :math:`\mathcal Q = HWH + c_sN_s` for the scheme."""
    _, HH, N = _parts(pf)
    cm = P.frac_to_mpf(c)
    if sampling is Sampling.BERNOULLI:
        return HH + cm * N
    return HH + cm * (N - HH)


def _diag_moments(pf: _PFam, sampling: Sampling, c: Fraction) -> tuple[list[Fraction], list[Fraction]]:
    """Exact h_j and q_j = E[ĥ_j²] of a diagonal family."""
    assert pf.D is not None
    hv = P.column_moments(pf.D, centred=sampling is not Sampling.BERNOULLI)
    return [h for h, _ in hv], [h * h + c * v for h, v in hv]


@dataclass(frozen=True)
class PreciseValue:
    """A high-precision engine value.

    Attributes
    ----------
    value
        A :class:`~fractions.Fraction` (``kind="exact"``) or an mpmath ``mpf``.
    kind
        ``"exact"``, ``"mpmath"`` or ``"refined"`` (float64 eigenvector, mpmath Rayleigh quotient).
    method
        How it was computed, in words.
    """

    value: Any
    kind: str
    method: str

    def __float__(self) -> float:
        return P.to_float(self.value)


def _exact_c(noise: NoiseModel) -> Fraction:
    c = noise_constant(noise.sampling, noise.family.n, noise.batch_size, exact=True)
    assert isinstance(c, Fraction)
    return c


def _origin(pf: _PFam) -> str:
    return "from the input" if pf.origin == "input" else "from the float64 reduced family"


def critical_hat_precise(
    noise: NoiseModel, dps: int = DPS, eigenvector: np.ndarray | None = None
) -> PreciseValue:
    r"""Normalised :math:`\hat\eta^* = \eta^*2^k` in high precision (see the module docstring).

    ``eigenvector`` (the float64 :math:`W^*`, reduced coordinates) is needed only when
    :math:`m` exceeds :data:`DENSE_MP_MAX` (then ``kind="refined"``); without it that case
    raises ``ValueError``.
    """
    import mpmath

    fam = noise.family
    if fam.rank == 0:
        raise ValueError("noise: the zero family has η* = inf; nothing to re-compute")
    pf = _pfam(fam, dps)
    c = _exact_c(noise)
    with mpmath.workdps(dps):
        if pf.kind == "diagonal":
            if noise.sampling is Sampling.GD or c == 0:
                return PreciseValue(2 / pf.lam1, "exact", "2/λ₁ in rationals")
            h, q = _diag_moments(pf, noise.sampling, c)
            return PreciseValue(min(2 * h[j] / q[j] for j in range(pf.r)), "exact", "diagonal closed form")
        gd = 2 / pf.lam1
        if noise.sampling is Sampling.GD or c == 0:
            return PreciseValue(gd, "mpmath", f"2/λ₁ {_origin(pf)}")
        m = pf.r * (pf.r + 1) // 2
        if m <= DENSE_MP_MAX:
            A = _parts(pf)[0]
            mu = P.gen_top_mp(_q_matrix(pf, noise.sampling, c), A)
            return PreciseValue(min(1 / mu, gd), "mpmath", f"dense pencil, m = {m}, {_origin(pf)}")
        W = _refine_input(fam, eigenvector, "eigenvector")
        qw, aw = _apply_mp(fam, noise.sampling, c, W)
        mu = _inner(W, qw) / _inner(W, aw)
        return PreciseValue(min(1 / mu, gd), "refined", f"float64 eigenvector, m = {m}")


def growth_hat_precise(
    noise: NoiseModel, eta_hat: float, dps: int = DPS, eigenvector: np.ndarray | None = None
) -> PreciseValue:
    r""":math:`\hat g = \lambda_{\max}(\hat\eta\hat{\mathcal Q}-\hat{\mathcal A})` in high precision.

    :math:`\rho(\mathcal T_\eta) = 1+\hat\eta\hat g`.  ``eigenvector`` is needed only above
    :data:`DENSE_MP_MAX` (``kind="refined"``: its Rayleigh quotient, a lower bound).
    """
    import mpmath

    fam = noise.family
    pf = _pfam(fam, dps)
    c = _exact_c(noise)
    e = Fraction(float(eta_hat))
    with mpmath.workdps(dps):
        if pf.kind == "diagonal":
            h, q = _diag_moments(pf, noise.sampling, c)
            return PreciseValue(
                max(e * q[j] - 2 * h[j] for j in range(pf.r)), "exact", "diagonal closed form"
            )
        m = pf.r * (pf.r + 1) // 2
        em = P.frac_to_mpf(e)
        if m <= DENSE_MP_MAX:
            A = _parts(pf)[0]
            g = P.top_eig_mp(em * _q_matrix(pf, noise.sampling, c) - A)
            return PreciseValue(g, "mpmath", f"dense, m = {m}, {_origin(pf)}")
        X = _refine_input(fam, eigenvector, "eigenvector")
        qx, ax = _apply_mp(fam, noise.sampling, c, X)
        return PreciseValue(
            (em * _inner(X, qx) - _inner(X, ax)) / _inner(X, X), "refined", f"float64 eigenvector, m = {m}"
        )


def _refine_input(fam: Family, X: np.ndarray | None, name: str) -> np.ndarray:
    """Check that a matrix-free mpmath refinement is affordable and return ``X`` in mpf."""
    twin, _ = fam.normalized()
    if X is None or np.shape(X) != (twin.rank, twin.rank):
        raise ValueError(f"{name}: the refined path needs the float64 eigenvector (r × r)")
    if twin.n * twin.rank**3 > REFINE_MAX:
        raise ValueError(f"{name}: n·r³ = {twin.n * twin.rank**3} exceeds REFINE_MAX = {REFINE_MAX}")
    return P.mpf_array(X)


def _apply_mp(fam: Family, sampling: Sampling, c: Fraction, W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`\hat{\mathcal Q}(W)`, :math:`\hat{\mathcal A}(W)` matrix-free in mpmath (float64 reduction)."""
    twin, _ = fam.normalized()
    n = twin.n
    if twin.factors_hat is not None:
        M = P.mpf_array(twin.factors_hat)
        H = M.dot(M.T) / n
        q = [M[:, i].dot(W).dot(M[:, i]) for i in range(n)]
        S = sum((q[i] * np.outer(M[:, i], M[:, i]) for i in range(n)), 0 * W) / n
    else:
        assert twin.hessians_hat is not None
        Hs = [P.mpf_array(twin.hessians_hat[i]) for i in range(n)]
        H = sum(Hs[1:], Hs[0]) / n
        S = sum((Hi.dot(W).dot(Hi) for Hi in Hs), 0 * W) / n
    HWH = H.dot(W).dot(H)
    cm = P.frac_to_mpf(c)
    Q = HWH + cm * S if sampling is Sampling.BERNOULLI else HWH + cm * (S - HWH)
    return Q, H.dot(W) + W.dot(H)


def _inner(X: np.ndarray, Y: np.ndarray) -> Any:
    return sum((X * Y).ravel())


def lambda_max_hat_precise(fam: Family, dps: int = DPS) -> PreciseValue:
    r""":math:`\hat\lambda_1 = \lambda_1(H)/2^k` of the normalised family, in high precision."""
    if fam.rank == 0:
        return PreciseValue(Fraction(0), "exact", "zero family")
    pf = _pfam(fam, dps)
    if pf.kind == "diagonal":
        return PreciseValue(pf.lam1, "exact", "largest mean diagonal entry")
    return PreciseValue(pf.lam1, pf.lam1_kind, _origin(pf))


def critical_learning_rate_precise(
    noise: NoiseModel, *, dps: int = DPS, eigenvector: np.ndarray | None = None
) -> PreciseValue:
    r"""The critical learning rate :math:`\eta^*` in high precision (absolute units).

    Examples
    --------
    Orthogonal rank-one members, batches of one with replacement: :math:`\eta^* = 2` exactly.

    >>> import numpy as np
    >>> from verifythm.dynamics import Family, NoiseModel
    >>> fam = Family.from_hessians(np.stack([np.diag([1.0, 0.0]), np.diag([0.0, 1.0])]))
    >>> critical_learning_rate_precise(NoiseModel.build(fam, 1, "with-replacement")).value
    Fraction(2, 1)
    """
    k = noise.family.exponent
    if eigenvector is None and noise.family.rank * (noise.family.rank + 1) // 2 > DENSE_MP_MAX:
        from verifythm.dynamics.stability import critical_learning_rate

        with suspended():
            eigenvector = critical_learning_rate(noise).eigenvector
    p = critical_hat_precise(noise, dps, eigenvector)
    return PreciseValue(_ldexp(p.value, -k, dps), p.kind, p.method)


def spectral_radius_precise(
    noise: NoiseModel, eta: float, *, dps: int = DPS, eigenvector: np.ndarray | None = None
) -> PreciseValue:
    r""":math:`\rho(\mathcal T_\eta) = 1 + \hat\eta\hat g` in high precision (:math:`\hat\eta = \eta2^k`)."""
    import mpmath

    e = check_learning_rate(eta)
    fam = noise.family
    if fam.rank == 0:
        return PreciseValue(Fraction(1), "exact", "zero family")
    eh = Fraction(e) * Fraction(2) ** fam.exponent
    if eigenvector is None and fam.rank * (fam.rank + 1) // 2 > DENSE_MP_MAX:
        from verifythm.dynamics.stability import spectral_radius

        with suspended():
            eigenvector = spectral_radius(noise, e).eigenvector
    g = growth_hat_precise(noise, P.to_float(eh), dps, eigenvector)
    with mpmath.workdps(dps):
        rho = 1 + eh * g.value if isinstance(g.value, Fraction) else 1 + P.frac_to_mpf(eh) * g.value
    return PreciseValue(rho, g.kind, g.method)


def lambda_max_precise(fam: Family, *, dps: int = DPS) -> PreciseValue:
    r""":math:`\lambda_1(H)` in high precision (absolute units)."""
    p = lambda_max_hat_precise(fam, dps)
    return PreciseValue(_ldexp(p.value, fam.exponent, dps), p.kind, p.method)


def _ldexp(x: Any, k: int, dps: int) -> Any:
    import mpmath

    if isinstance(x, Fraction):
        return x * Fraction(2) ** k
    with mpmath.workdps(dps):
        return mpmath.ldexp(x, k)
