r"""The Bernoulli relative entropy :math:`kl(q\|p)` and its upper inverse (li2019hessian, §6).

The left side of the PAC-Bayes-kl inequality (li2019hessian, Eq. (105)) compares the
empirical and the true error of the posterior by :math:`kl(\hat\ell\|\ell)`;
:func:`binary_kl_inverse` turns the bound on it into a bound on the true error.
:mod:`verifythm.quantities.pacbayes` assembles the bound and re-exports these functions.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array
from verifythm.linalg.validate import check_nonnegative, check_probability

__all__ = ["binary_kl", "binary_kl_elementwise", "binary_kl_inverse"]


def binary_kl(q: float, p: float) -> float:
    r"""Bernoulli relative entropy :math:`kl(q\|p)` (li2019hessian, §6 before Thm. 4).

    :math:`kl(q\|p) = q\ln\frac qp + (1-q)\ln\frac{1-q}{1-p}`, with :math:`0\ln0 = 0`; ``inf`` when
    :math:`p\in\{0,1\}` and :math:`q\ne p`.  (The paper, with its arguments named :math:`(p, q)`,
    prints the second term as :math:`(1-p)\log(1-p)/(1-q)`, i.e. without the parentheses of
    :math:`(1-p)\log\frac{1-p}{1-q}`; the standard form is used here.)

    Parameters
    ----------
    q, p
        Probabilities in ``[0, 1]`` (empirical and true error in the bound).

    Returns
    -------
    float
        :math:`kl(q\|p)\ge 0`.

    Examples
    --------
    >>> binary_kl(0.5, 0.5)
    0.0
    >>> binary_kl(0.0, 0.5) == math.log(2)
    True
    >>> binary_kl(0.5, 0.0)
    inf
    """
    qq, pp = check_probability(q, "q"), check_probability(p, "p")

    def term(a: float, b: float) -> float:
        if a == 0.0:
            return 0.0
        if b == 0.0:
            return math.inf
        return a * math.log(a / b)

    return term(qq, pp) + term(1.0 - qq, 1.0 - pp)


def binary_kl_elementwise(q: ArrayLike, p: ArrayLike) -> Array:
    r""":func:`binary_kl` entry by entry, for arrays of probabilities of one shape.

    The same conventions: :math:`0\ln0=0`; ``inf`` where :math:`p\in\{0,1\}` and :math:`q\ne p`.

    Raises
    ------
    ValueError
        Unless every entry of both is a probability in ``[0, 1]``.
    """
    qq, pp = np.asarray(q, dtype=float), np.asarray(p, dtype=float)
    if not (np.all((qq >= 0) & (qq <= 1)) and np.all((pp >= 0) & (pp <= 1))):
        raise ValueError("q, p: expected probabilities in [0, 1]")

    def term(a: Array, b: Array) -> Array:
        with np.errstate(divide="ignore", invalid="ignore"):
            t = a * np.log(a / b)
        return np.where(a == 0.0, 0.0, np.where(b == 0.0, np.inf, t))

    return term(qq, pp) + term(1.0 - qq, 1.0 - pp)


def binary_kl_inverse(q: float, c: float) -> float:
    r"""Upper inverse :math:`\sup\{p\in[q,1] : kl(q\|p)\le c\}` (turns Eq. (51) into a risk bound).

    Found by bisection on :math:`[q, 1]`, where :math:`kl(q\|\cdot)` is increasing, down to adjacent
    floats.

    Parameters
    ----------
    q
        Empirical error :math:`\hat\ell\in[0,1]`.
    c
        Right-hand side :math:`c\ge 0` of the kl inequality.

    Returns
    -------
    float
        The largest true error consistent with :math:`kl(q\|p)\le c`.
    """
    qq = check_probability(q, "q")
    cc = check_nonnegative(c, "c")
    if qq == 1.0 or binary_kl(qq, 1.0) <= cc:
        return 1.0
    lo, hi = qq, 1.0  # invariant: kl(q‖lo) ≤ c < kl(q‖hi)
    for _ in range(2000):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:  # adjacent floats: lo is the float supremum
            break
        if binary_kl(qq, mid) <= cc:
            lo = mid
        else:
            hi = mid
    return lo
