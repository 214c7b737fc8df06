r"""Mini-batch sampling schemes and their noise constants.

Linearized SGD at a minimum uses the mini-batch Hessian :math:`\hat H` of a batch
drawn by one of four schemes (``n`` samples, batch size ``B``):

``with-replacement``
    ``B`` i.i.d. uniform indices, :math:`\hat H = \frac1B\sum_{b} H_{i_b}`.
``without-replacement``
    a uniform ``B``-subset :math:`S`, :math:`\hat H = \frac1B\sum_{i\in S} H_i`.
``bernoulli``
    each sample kept independently with probability :math:`B/n`,
    :math:`\hat H = \frac1B\sum_{i\ \text{kept}} H_i` (dexter2024precise, Appendix A).
``gd``
    full batch, :math:`\hat H = H` (``B`` is ignored and reported as ``n``).

All four are unbiased, :math:`\mathbb E\hat H = H`.  Their second moments differ
only through a constant :math:`c_s` and whether the operator subtracts
:math:`HWH` (the table of ``docs/guides/moment_engine.md``, "Setting"):

.. math::

   \mathbb E[\hat H W\hat H] = HWH + c_s\,N_s(W),\qquad
   N_s(W) = \tfrac1n\textstyle\sum_i H_iWH_i - [s\ne\text{bernoulli}]\,HWH,

with :math:`c = 1/B` (with replacement), :math:`c = (n-B)/(B(n-1))` (without
replacement; :math:`0` when :math:`n = 1`), :math:`c = 1/B - 1/n` (Bernoulli) and
:math:`c = 0` (GD).
"""

from __future__ import annotations

import enum
from fractions import Fraction

from verifythm.linalg.validate import check_batch_size, check_int


class Sampling(str, enum.Enum):
    """A mini-batch sampling scheme (the value is the CLI spelling)."""

    WITH_REPLACEMENT = "with-replacement"
    WITHOUT_REPLACEMENT = "without-replacement"
    BERNOULLI = "bernoulli"
    GD = "gd"

    def __str__(self) -> str:
        return self.value


SCHEMES: tuple[Sampling, ...] = tuple(Sampling)


def parse_sampling(sampling: Sampling | str, name: str = "sampling") -> Sampling:
    """Return the :class:`Sampling` named by ``sampling`` (underscores allowed).

    Raises
    ------
    ValueError
        Naming ``name`` and the valid choices for an unknown scheme.

    Examples
    --------
    >>> parse_sampling("without_replacement")
    <Sampling.WITHOUT_REPLACEMENT: 'without-replacement'>
    >>> str(parse_sampling("full-batch"))
    'gd'
    """
    if isinstance(sampling, Sampling):
        return sampling
    key = str(sampling).strip().lower().replace("_", "-")
    aliases = {"full-batch": "gd", "full": "gd", "replacement": "with-replacement"}
    key = aliases.get(key, key)
    try:
        return Sampling(key)
    except ValueError:
        choices = ", ".join(s.value for s in Sampling)
        raise ValueError(f"{name}: unknown sampling scheme {sampling!r} (choose one of {choices})") from None


def noise_constant(
    sampling: Sampling | str, n: int, batch_size: int, *, exact: bool = False
) -> float | Fraction:
    r"""The constant :math:`c_s` of the noise term for scheme ``s``.

    Parameters
    ----------
    sampling
        The scheme.
    n
        Number of samples.
    batch_size
        ``B`` with ``1 <= B <= n`` (ignored for ``gd``).
    exact
        Return a :class:`fractions.Fraction` instead of a float.

    Examples
    --------
    With ``n = 4`` samples and batches of ``B = 2``: :math:`1/B`, :math:`(n-B)/(B(n-1))`,
    :math:`1/B - 1/n` and 0.

    >>> noise_constant("with-replacement", 4, 2)
    0.5
    >>> noise_constant("without-replacement", 4, 2, exact=True)
    Fraction(1, 3)
    >>> noise_constant("bernoulli", 4, 2, exact=True)
    Fraction(1, 4)
    >>> noise_constant("gd", 4, 2)
    0.0
    """
    s = parse_sampling(sampling)
    check_int(n, "n", low=1, expected="expected a positive integer number of samples")
    if s is Sampling.GD:
        c = Fraction(0)
    else:
        B = check_batch_size(batch_size, n)
        if s is Sampling.WITH_REPLACEMENT:
            c = Fraction(1, B)
        elif s is Sampling.WITHOUT_REPLACEMENT:
            c = Fraction(0) if n == 1 else Fraction(n - B, B * (n - 1))
        else:
            c = Fraction(1, B) - Fraction(1, n)
    return c if exact else float(c)


def subtracts_mean(sampling: Sampling | str) -> bool:
    r"""Whether :math:`N_s(W)` subtracts :math:`HWH` (all schemes but Bernoulli).

    Examples
    --------
    >>> subtracts_mean("bernoulli"), subtracts_mean("with-replacement")
    (False, True)
    """
    return parse_sampling(sampling) is not Sampling.BERNOULLI


def batch_distribution(
    sampling: Sampling | str, n: int, batch_size: int
) -> list[tuple[Fraction, tuple[Fraction, ...]]]:
    r"""Every mini-batch of a scheme with its exact probability, for small ``n``.

    Returns pairs ``(probability, weights)`` with :math:`\hat H = \sum_i w_iH_i`: with
    replacement, all :math:`n^B` ordered index tuples (probability :math:`n^{-B}`);
    without replacement, all :math:`\binom nB` subsets; Bernoulli, all :math:`2^n` keep
    masks with probability :math:`p^{|S|}(1-p)^{n-|S|}`, :math:`p = B/n`; GD, the full
    batch.  The probabilities sum to exactly 1.

    Raises
    ------
    ValueError
        If ``n > 8`` (the enumeration is exponential; it is a reference for proofs).

    Examples
    --------
    The three 2-subsets of 3 samples, each with probability 1/3:

    >>> batches = batch_distribution("without-replacement", 3, 2)
    >>> len(batches), sum(p for p, _ in batches)
    (3, Fraction(1, 1))
    >>> [str(w) for w in batches[0][1]]
    ['1/2', '1/2', '0']
    """
    import itertools

    s = parse_sampling(sampling)
    check_int(n, "n", low=1, high=8, expected="batch enumeration needs an integer 1 <= n <= 8")
    if s is Sampling.GD:
        return [(Fraction(1), tuple(Fraction(1, n) for _ in range(n)))]
    B = check_batch_size(batch_size, n)
    out: list[tuple[Fraction, tuple[Fraction, ...]]] = []
    if s is Sampling.WITH_REPLACEMENT:
        for idx in itertools.product(range(n), repeat=B):
            out.append((Fraction(1, n**B), tuple(Fraction(idx.count(i), B) for i in range(n))))
    elif s is Sampling.WITHOUT_REPLACEMENT:
        subsets = list(itertools.combinations(range(n), B))
        for S in subsets:
            out.append((Fraction(1, len(subsets)), tuple(Fraction(int(i in S), B) for i in range(n))))
    else:
        p = Fraction(B, n)
        for mask in itertools.product((0, 1), repeat=n):
            k = sum(mask)
            out.append((p**k * (1 - p) ** (n - k), tuple(Fraction(m, B) for m in mask)))
    return out
