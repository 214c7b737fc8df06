r"""Exact-rational helpers for the high-precision re-checks of the dexter2024precise claims (not collected).

Every float input is read as the exact rational it represents (:func:`verifythm.linalg.precise.exact`),
so products, sums and the Bernoulli-sampling laws below are exact; square roots and eigenvalues are
left to the callers, in mpmath at :data:`verifythm.linalg.precise.DPS` digits.

* :func:`frac`: a float as a :class:`~fractions.Fraction`.
* :func:`sandwich_exact`: :math:`\mathcal S(W)=\sum_iH_iWH_i` on object arrays of Fractions.
* :func:`noise_factor_exact`: :math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}` of Lemma 4.1.
* :func:`abs_moment_exact`: :math:`\mathbb E|1-\eta\hat h|`, :math:`\hat h=\frac1B\sum_ix_ih_i`,
  :math:`x_i\sim\mathrm{Bern}(B/n)` i.i.d., by exact enumeration of the law of :math:`\hat h`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def frac(x: Any) -> Fraction:
    """The exact rational value of the float ``x``."""
    return Fraction(float(x))


def eye_exact(d: int) -> np.ndarray:
    """The ``d × d`` identity as an object array of Fractions."""
    out = np.full((d, d), Fraction(0), dtype=object)
    for i in range(d):
        out[i, i] = Fraction(1)
    return out


def sandwich_exact(Hs: np.ndarray, W: np.ndarray) -> np.ndarray:
    r""":math:`\sum_iH_iWH_i` for an ``(n, d, d)`` and a ``(d, d)`` object array of Fractions."""
    d = W.shape[0]
    out = np.full((d, d), Fraction(0), dtype=object)
    for H in Hs:
        out = out + H.dot(W).dot(H)
    return out


def noise_factor_exact(eta: Fraction, n: int, B: int) -> Fraction:
    r""":math:`\eta^2/(nB)-\eta^2/n^2` exactly."""
    return eta**2 / (n * B) - eta**2 / n**2


def abs_moment_exact(h: ArrayLike, eta: Fraction, B: int) -> Fraction:
    r"""Exact :math:`\mathbb E|1-\eta\hat h|`, :math:`\hat h=\frac1B\sum_ix_ih_i`, Bernoulli(B/n) :math:`x_i`.

    The law of :math:`\sum_ix_ih_i` is built exactly: equal entries are grouped (a binomial count
    each) and the atoms are merged by value.

    Examples
    --------
    >>> abs_moment_exact([1.0, 1.0], Fraction(3), 1)  # ĥ ∈ {0, 1, 2} w.p. 1/4, 1/2, 1/4: 1/4 + 1 + 5/4
    Fraction(5, 2)
    """
    vals = [frac(v) for v in np.ravel(np.asarray(h, dtype=np.float64))]
    n = len(vals)
    p = Fraction(B, n)
    law: dict[Fraction, Fraction] = {Fraction(0): Fraction(1)}
    for v, c in Counter(vals).items():
        pk = [math.comb(c, j) * p**j * (1 - p) ** (c - j) for j in range(c + 1)]
        new: defaultdict[Fraction, Fraction] = defaultdict(Fraction)
        for s, ps in law.items():
            for j, q in enumerate(pk):
                new[s + j * v] += ps * q
        law = new
    return sum((q * abs(1 - eta * s / B) for s, q in law.items()), Fraction(0))
