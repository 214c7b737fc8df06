r"""The papers' named quantities in high precision: coherence σ, alignment factors μ, μ₁, μ₂, α, β.

* **Alignment factors** (wu2022alignment, Eq. (3)) are rational functions of the model gradients
  :math:`Q` and residuals :math:`e`: from :math:`K = Q^TQ`,
  :math:`\|G\|_F^2 = \|K\|_F^2/n^2`, :math:`\mathcal L = \|e\|^2/(2n)`,
  :math:`\operatorname{Tr}(G\Sigma) = \|P\operatorname{diag}(e)K\|_F^2/n^2`,
  :math:`\operatorname{Tr}(G\Sigma_1) = \frac1n\sum_ie_i^2\chi_i`,
  :math:`\operatorname{Tr}(G\Sigma_2) = \|Ke\|^2/n^3` and
  :math:`\|\Sigma\|_F = \|P\operatorname{diag}(e)K\operatorname{diag}(e)P\|_F/n`
  (:mod:`verifythm.linalg.gram`), so :func:`alignment_factors_exact` returns :math:`\mu,\mu_1,\mu_2`
  as exact :class:`~fractions.Fraction` s of the float inputs and :math:`\alpha,\beta` (square
  roots) in mpmath.
* **Coherence** (dexter2024precise, Definition 2): :math:`S_{ij} = \sqrt{\operatorname{tr}(H_iH_j)}`
  with the traces to the working precision, :math:`\lambda_1(S)` and :math:`\lambda_1(H_i)` by
  mpmath eigenvalues (:func:`coherence_precise`).

The helpers :func:`gram_hat_precise` and :func:`noise_traces_exact` are what the float64
functions switch to inside :func:`verifythm.dynamics.precise.engine_precision`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg import precise as P
from verifythm.linalg.gram import Gram, NoiseTraces
from verifythm.linalg.psd import as_finite

#: Largest n·n·p for an exact (Fraction) Gram matrix in :func:`alignment_factors_exact`.
EXACT_GRAM_MAX = 200_000
#: Largest n for exact (Fraction) noise traces.
EXACT_TRACES_MAX = 300


def gram_exact(rows: ArrayLike) -> tuple[np.ndarray, int]:
    r"""Exact :math:`K = XX^T` of the rows of a float array: integers ``k`` and ``a``, :math:`K = k/2^a`."""
    x, E = P.dyadic(rows)
    return x.dot(x.T), 2 * E


def gram_hat_precise(rows: ArrayLike, scale: float, dps: int = P.DPS) -> np.ndarray:
    r""":math:`\hat K = K/c^2` of the rows ``(n, p)``, correctly rounded to float64 (``c`` a power of two)."""
    import mpmath

    X = np.asarray(rows, dtype=np.float64) / float(scale)  # exact: c is a power of two
    with mpmath.workdps(dps):
        K = P.gram_mp(X)
        return np.array([[P.to_float(v) for v in row] for row in K], dtype=np.float64)


@dataclass(frozen=True)
class ExactTraces:
    r"""The noise traces of wu2022alignment, Appendix A, as exact rationals (see the module docstring)."""

    n: int
    loss: Fraction
    G_fro2: Fraction
    tr_G_Sigma: Fraction
    tr_G_Sigma1: Fraction
    tr_G_Sigma2: Fraction
    Sigma_fro2: Fraction
    Sigma1_fro2: Fraction


def _frac(num: int, den: int, shift: int) -> Fraction:
    """``num / (den · 2**shift)`` exactly (``shift`` may be negative)."""
    return Fraction(num << max(-shift, 0), den << max(shift, 0))


def traces_exact(k: np.ndarray, a: int, eps: np.ndarray, b: int) -> ExactTraces:
    r"""Exact traces from :math:`K = k/2^a` and :math:`e = \varepsilon/2^b` (integer object arrays).

    Every trace is a polynomial in the entries, so it is summed in integers and divided once:
    with :math:`c_j = \sum_l\varepsilon_lk_{lj}`, :math:`P\operatorname{diag}(e)K` has entries
    :math:`(n\varepsilon_ik_{ij}-c_j)/(n2^{a+b})`, and with
    :math:`\alpha_{ij} = \varepsilon_ik_{ij}\varepsilon_j`
    (row sums :math:`r_i`, column sums :math:`s_j`, total :math:`T`) the double centring
    :math:`PAP` has entries :math:`(n^2\alpha_{ij}-ns_j-nr_i+T)/(n^22^{a+2b})`.
    """
    n = k.shape[0]
    e2 = eps * eps
    col = eps.dot(k)  # c_j = Σ_l ε_l k_lj
    pdk = n * eps[:, None] * k - col[None, :]
    alpha = eps[:, None] * k * eps[None, :]
    r, s_, T = alpha.sum(axis=1), alpha.sum(axis=0), int(alpha.sum())
    pap = n * n * alpha - n * s_[None, :] - n * r[:, None] + T
    ke = k.dot(eps)
    return ExactTraces(
        n=n,
        loss=_frac(int(e2.sum()), 2 * n, 2 * b),
        G_fro2=_frac(int((k * k).sum()), n * n, 2 * a),
        tr_G_Sigma=_frac(int((pdk * pdk).sum()), n**4, 2 * (a + b)),
        tr_G_Sigma1=_frac(int(e2.dot((k * k).sum(axis=1))), n * n, 2 * (a + b)),
        tr_G_Sigma2=_frac(int(ke.dot(ke)), n**3, 2 * (a + b)),
        Sigma_fro2=_frac(int((pap * pap).sum()), n**6, 2 * (a + 2 * b)),
        Sigma1_fro2=_frac(int((alpha * alpha).sum()), n * n, 2 * (a + 2 * b)),
    )


def noise_traces_exact(gram: Gram, residuals: ArrayLike, dps: int = P.DPS) -> NoiseTraces:
    r""":func:`verifythm.linalg.gram.noise_traces`, exactly from the floats :math:`\hat K` and :math:`e`.

    Raises
    ------
    ValueError
        Naming ``e`` on a wrong length or NaN/inf, or when :math:`n` exceeds :data:`EXACT_TRACES_MAX`.
    """
    import mpmath

    e = as_finite(residuals, "e", ndim=1)
    if e.shape[0] != gram.n:
        raise ValueError(f"e: expected {gram.n} residuals (one per sample), got {e.shape[0]}")
    if gram.n > EXACT_TRACES_MAX:
        raise ValueError(f"e: n = {gram.n} exceeds EXACT_TRACES_MAX = {EXACT_TRACES_MAX}")
    k, a = P.dyadic(gram.khat)
    eps, b = P.dyadic(e)
    _, ex = math.frexp(float(gram.scale))  # c = 2^(ex-1): K = k̂·c² = k/2^(a − 2(ex − 1))
    t = traces_exact(k, a - 2 * (ex - 1), eps, b)
    with mpmath.workdps(dps):
        return NoiseTraces(
            loss=P.to_float(t.loss),
            Sigma_frobenius=P.to_float(mpmath.sqrt(P.frac_to_mpf(t.Sigma_fro2))),
            Sigma1_frobenius=P.to_float(mpmath.sqrt(P.frac_to_mpf(t.Sigma1_fro2))),
            tr_G_Sigma=P.to_float(t.tr_G_Sigma),
            tr_G_Sigma1=P.to_float(t.tr_G_Sigma1),
            tr_G_Sigma2=P.to_float(t.tr_G_Sigma2),
        )


@dataclass(frozen=True)
class ExactAlignment:
    r"""Alignment factors (wu2022alignment, Eq. (3)): :math:`\mu,\mu_1,\mu_2` exact, α, β mpmath."""

    traces: ExactTraces
    mu: Fraction
    mu1: Fraction
    mu2: Fraction
    alpha: Any
    beta: Any


def alignment_factors_exact(Q: ArrayLike, e: ArrayLike, *, dps: int = P.DPS) -> ExactAlignment:
    r"""Exact :math:`\mu,\mu_1,\mu_2` (α, β to ``dps`` digits) of gradients ``Q`` (p, n), residuals ``e``.

    Raises
    ------
    ValueError
        Naming ``Q`` or ``e`` on malformed input, at :math:`\mathcal L = 0` or :math:`G = 0`, or
        when :math:`n^2p` exceeds :data:`EXACT_GRAM_MAX`.

    Examples
    --------
    >>> f = alignment_factors_exact([[1.0, 0.0], [0.0, 2.0]], [1.0, 1.0])
    >>> f.mu1, f.mu, f.mu + f.mu2 == f.mu1
    (Fraction(1, 1), Fraction(1, 2), True)
    """
    import mpmath

    Qa = as_finite(Q, "Q", ndim=2)
    ea = as_finite(e, "e", ndim=1)
    p, n = Qa.shape
    if n == 0 or ea.shape[0] != n:
        raise ValueError(f"e: expected {n} residuals (one per column of Q), got {ea.shape[0]}")
    if n * n * p > EXACT_GRAM_MAX:
        raise ValueError(f"Q: n²p = {n * n * p} exceeds EXACT_GRAM_MAX = {EXACT_GRAM_MAX}")
    k, a = gram_exact(Qa.T)
    eps, b = P.dyadic(ea)
    t = traces_exact(k, a, eps, b)
    if t.loss == 0:
        raise ValueError("e: L(θ) = 0 (a global minimum); the alignment factors are undefined")
    if t.G_fro2 == 0:
        raise ValueError("Q: G = 0 (all model gradients vanish); alignment factors undefined")
    den = 2 * t.loss * t.G_fro2
    with mpmath.workdps(dps):
        g, s = P.frac_to_mpf(t.G_fro2), P.frac_to_mpf(t.Sigma_fro2)
        alpha = P.frac_to_mpf(t.tr_G_Sigma) / mpmath.sqrt(g * s) if s > 0 else mpmath.nan
        beta = mpmath.sqrt(s * g) / P.frac_to_mpf(den)
    return ExactAlignment(t, t.tr_G_Sigma / den, t.tr_G_Sigma1 / den, t.tr_G_Sigma2 / den, alpha, beta)


@dataclass(frozen=True)
class PreciseCoherence:
    r"""Coherence (dexter2024precise, Def. 2) in mpmath: :math:`\lambda_1(S)`, max λ₁(H_i), σ."""

    lambda1_S: Any
    max_lambda1: Any
    sigma: Any


def slice_tops_precise(hessians: ArrayLike, dps: int = P.DPS) -> tuple[list[Any], str]:
    r""":math:`\lambda_1(H_i)` of each symmetric slice ``(n, d, d)`` in mpmath, and the kind.

    The kind is that of :func:`~verifythm.linalg.precise.extreme_eigs_mp` (``refined`` if any slice was).
    """
    import mpmath

    H = np.asarray(hessians, dtype=np.float64)
    with mpmath.workdps(dps):
        res = [P.extreme_eigs_mp(_sym(H[i])) for i in range(H.shape[0])]  # _sym: float if symmetric
    return [r[1] for r in res], "refined" if any(r[2] == "refined" for r in res) else "mpmath"


def top_eigenvalue_precise(M: ArrayLike, dps: int = P.DPS) -> tuple[Any, str]:
    r""":math:`\lambda_1` of a symmetric float matrix in mpmath, and the kind."""
    import mpmath

    with mpmath.workdps(dps):
        _, top, kind = P.extreme_eigs_mp(_sym(np.asarray(M, dtype=np.float64)))  # float if symmetric
    return top, kind


def _sym(A: np.ndarray) -> np.ndarray:
    """``A`` itself when exactly symmetric (floats), else its symmetric part in ``mpf`` (exact)."""
    if np.array_equal(A, A.T):
        return A
    M = P.mpf_array(A)
    return (M + M.T) / 2


def coherence_precise(
    *, hessians: ArrayLike | None = None, gradients: ArrayLike | None = None, dps: int = P.DPS
) -> PreciseCoherence:
    r"""σ = λ₁(S)/max_i λ₁(H_i) with :math:`S_{ij} = \sqrt{\operatorname{tr}(H_iH_j)}` in mpmath.

    Exactly one of ``hessians`` ``(n, d, d)`` or ``gradients`` ``(n, p)`` (:math:`H_i = g_ig_i^T`,
    :math:`S = |K|`, :math:`\lambda_1(H_i) = K_{ii}`).

    Raises
    ------
    ValueError
        Naming the argument if both or neither are given, or if every :math:`H_i` is zero.

    Examples
    --------
    >>> import numpy as np
    >>> float(coherence_precise(gradients=np.ones((4, 1))).sigma)
    4.0
    """
    import mpmath

    if (hessians is None) == (gradients is None):
        raise ValueError("hessians/gradients: give exactly one of hessians or gradients")
    with mpmath.workdps(dps):
        if hessians is not None:
            H = as_finite(hessians, "hessians", ndim=3)
            sym = (H + np.swapaxes(H, 1, 2)) / 2
            T = P.gram_mp(sym.reshape(H.shape[0], -1))  # tr(H_iH_j) = ⟨H_i, H_j⟩_F
            S = np.vectorize(lambda x: mpmath.sqrt(max(x, 0)), otypes=[object])(T)
            tops = slice_tops_precise(H, dps)[0]
        else:
            assert gradients is not None  # exactly one was given (checked above)
            G = as_finite(gradients, "gradients", ndim=2)
            K = P.gram_mp(G)
            S = np.vectorize(abs, otypes=[object])(K)
            tops = [K[i, i] for i in range(K.shape[0])]
        top = max(tops)
        if top == 0:
            name = "hessians" if hessians is not None else "gradients"
            raise ValueError(f"{name}: all H_i are zero; the coherence σ is undefined (0/0)")
        lam = P.extreme_eigs_mp(S)[1]
        return PreciseCoherence(lam, top, lam / top)
