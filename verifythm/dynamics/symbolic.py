r"""Symbolic proof obligations for the second-moment operators (sympy, imported lazily).

For a scheme ``s`` and small ``n`` the batch distribution is enumerated exactly
(:func:`~verifythm.dynamics.sampling.batch_distribution`), giving the exact moments
:math:`\mathbb E[\omega_i]` and :math:`\mathbb E[\omega_i\omega_j]` of the batch weights
(:math:`\hat H = \sum_i\omega_iH_i`).  By linearity,

.. math::

   \mathbb E[\hat JW\hat J] = W - \eta\sum_i\mathbb E[\omega_i](H_iW + WH_i)
   + \eta^2\sum_{i,j}\mathbb E[\omega_i\omega_j]\,H_iWH_j .

The :math:`H_i` and :math:`W` are **non-commuting** sympy symbols, so the identity
``E[ĴWĴ] == JWJ + η² c_s N_s(W)`` is checked in the free algebra: it then holds for
matrices of every dimension, not only for one size.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from verifythm.dynamics.sampling import Sampling, batch_distribution, noise_constant, parse_sampling


def batch_moments(
    sampling: Sampling | str, n: int, batch_size: int
) -> tuple[list[Fraction], list[list[Fraction]]]:
    r"""Exact :math:`\mathbb E[\omega_i]` and :math:`\mathbb E[\omega_i\omega_j]` by enumerating batches."""
    dist = batch_distribution(sampling, n, batch_size)
    m1 = [sum((p * w[i] for p, w in dist), Fraction(0)) for i in range(n)]
    m2 = [[sum((p * w[i] * w[j] for p, w in dist), Fraction(0)) for j in range(n)] for i in range(n)]
    return m1, m2


def second_moment_sides(
    sampling: Sampling | str, n: int, batch_size: int, *, general_w: bool = True
) -> tuple[Any, Any]:
    r"""``(E[ĴWĴ], JWJ + η² c_s N_s(W))`` as non-commutative sympy expressions.

    With ``general_w=False``, :math:`W = I` (the form of the base case of
    dexter2024precise, Lemma 4.1: :math:`\mathbb E[\hat J^2]`).
    """
    import sympy as sp

    s = parse_sampling(sampling)
    eta = sp.Symbol("eta", positive=True)
    Hs = sp.symbols(f"H1:{n + 1}", commutative=False)
    W = sp.Symbol("W", commutative=False) if general_w else sp.Integer(1)
    m1, m2 = batch_moments(s, n, batch_size)
    R = sp.Rational
    lhs = W
    for i in range(n):
        lhs += -eta * R(m1[i].numerator, m1[i].denominator) * (Hs[i] * W + W * Hs[i])
    for i in range(n):
        for j in range(n):
            c = m2[i][j]
            if c:
                lhs += eta**2 * R(c.numerator, c.denominator) * Hs[i] * W * Hs[j]
    H = sp.Add(*Hs) / n
    c_s = noise_constant(s, n, batch_size, exact=True)
    assert isinstance(c_s, Fraction)
    c = R(c_s.numerator, c_s.denominator)
    sandwich = sp.Add(*[h * W * h for h in Hs]) / n
    noise = sandwich - (H * W * H if s is not Sampling.BERNOULLI else 0)
    rhs = (1 - eta * H) * W * (1 - eta * H) + eta**2 * c * noise
    return sp.expand(lhs), sp.expand(rhs)
