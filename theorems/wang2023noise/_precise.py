r"""High-precision / exact re-checks shared by the wang2023noise modules (not collected: ``_`` prefix).

Two roots need them:

* Lemma C.1 (``wang2023.lemma_c1``): the population quantities of an OLM recomputed in mpmath
  (:func:`olm_population_mp`): a 50-digit eigen-factor :math:`S=RR^T` and the 3-node Gauss–Hermite rule,
  exact for the degree-4 integrand of :math:`\bar\Sigma_1`, with nodes and weights in mpmath.
* Theorems 3.2, 4.2, 4.3, whose literal claims are decided on a seeded witness (``R`` data sets of the
  :math:`d=1` linear model, where :math:`g=\overline{x^4}/(\overline{x^2})^2`).  Such a decision is
  statistical, so a violation is confirmed by an *independent replicate*: ``R`` fresh data sets from a
  separate stream, with each :math:`g` evaluated exactly in rationals (:func:`witness_fraction_exact`).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np

from verifythm.evidence.base import statistical
from verifythm.linalg.precise import dyadic, eigh_mp, mpf_array

__all__ = ["statistical"]  # re-exported for the modules of this package

#: Extra entropy word that separates the replicate's data sets from the witness's (``[seed, n]``).
REPLICATE_STREAM = 0x5EED_2E97


def kurtosis_exact(n: int, reps: int, seed: int, *, replicate: bool = True) -> list[Fraction]:
    r"""Exact :math:`g_j=n\sum_ix_{ji}^4/(\sum_ix_{ji}^2)^2` on ``reps`` data sets of ``n`` standard normals.

    ``replicate=False`` draws the same data sets as :func:`._common.kurtosis_witness` (for tests);
    ``replicate=True`` draws independent ones (stream ``[seed, n, REPLICATE_STREAM]``).  Each row is
    read as integers over a common power of two (:func:`~verifythm.linalg.precise.dyadic`); the power
    cancels in :math:`g`, so :math:`g_j` is an exact rational.
    """
    key = [seed, n, REPLICATE_STREAM] if replicate else [seed, n]
    X = np.random.default_rng(key).standard_normal((reps, n))
    out = []
    for row in X:
        x, _ = dyadic(row)
        sq = [int(v) * int(v) for v in x]
        s2, s4 = sum(sq), sum(q * q for q in sq)
        out.append(Fraction(n * s4, s2 * s2))
    return out


def witness_fraction_exact(n: int, reps: int, seed: int, eps: float, *, replicate: bool = True) -> Fraction:
    r"""Exact fraction of the data sets of :func:`kurtosis_exact` with :math:`\max(g,1)\le b(\epsilon)`.

    :math:`b(\epsilon)=(2+\epsilon)/(1-\epsilon)^2`, the printed upper constant of Theorems 3.2, 4.2, 4.3.

    ε is read exactly (``Fraction(float)``); ``max(g, 1)`` is the supremum over θ ≠ θ* and θ = θ*
    (where the paper's 0/0 := 1 convention gives 1), as in the float64 decision.
    """
    e = Fraction(float(eps))
    bound = (2 + e) / (1 - e) ** 2
    g = kurtosis_exact(n, reps, seed, replicate=replicate)
    return Fraction(sum(max(x, Fraction(1)) <= bound for x in g), reps)


# Probabilists' Gauss–Hermite rule with 3 nodes, normalised to N(0, 1): exact up to degree 5.
def _hermite3() -> tuple[list[Any], list[Any]]:
    import mpmath

    r3 = mpmath.sqrt(3)
    return [-r3, mpmath.mpf(0), r3], [mpmath.mpf(1) / 6, mpmath.mpf(2) / 3, mpmath.mpf(1) / 6]


def olm_population_mp(S: Any, J: Any, r: Any) -> dict[str, np.ndarray | Any]:
    r""":func:`._common.olm_population` at the current mpmath precision (object arrays of ``mpf``).

    :math:`S=RR^T` with :math:`R=V\Lambda_+^{1/2}` from a high-precision eigen-decomposition of the
    (float) ``S`` (negative eigenvalues, at most rounding of the input, clipped to 0), :math:`u=R^Tr`,
    :math:`K=R^TJ`; :math:`\bar G=K^TK`, :math:`\bar{\mathcal L}=\frac12\|u\|^2`,
    :math:`\nabla\bar{\mathcal L}=K^Tu`, :math:`\bar\Sigma_1=K^TMK` with
    :math:`M=\mathbb E_z[(u^Tz)^2zz^T]` by the 3-node rule (exact for this degree-4 integrand).
    """
    import mpmath

    Sm = mpf_array(np.asarray(S, float))
    vals, V = eigh_mp((Sm + Sm.T) / 2)
    root = np.array([mpmath.sqrt(v) if v > 0 else mpmath.mpf(0) for v in vals], dtype=object)
    R = V * root[None, :]
    u = R.T.dot(mpf_array(np.asarray(r, float)))
    K = R.T.dot(mpf_array(np.asarray(J, float)))
    d = u.shape[0]
    z, w = _hermite3()
    M = np.full((d, d), mpmath.mpf(0), dtype=object)
    for idx in product(range(3), repeat=d):
        zz = np.array([z[i] for i in idx], dtype=object)
        weight = mpmath.fprod(w[i] for i in idx)
        M = M + weight * u.dot(zz) ** 2 * np.outer(zz, zz)
    return {"G": K.T.dot(K), "L": u.dot(u) / 2, "gradL": K.T.dot(u), "S1": K.T.dot(M).dot(K)}


def frobenius_mp(A: np.ndarray) -> Any:
    """Frobenius norm of an object array of ``mpf`` (current precision)."""
    import mpmath

    return mpmath.sqrt(mpmath.fsum(x * x for x in A.ravel()))
