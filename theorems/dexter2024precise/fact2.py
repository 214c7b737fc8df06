r"""Dexter et al. (2024), Fact 2: Pascal's rule, and the recombination it licenses in Lemma 4.1.

Setting
-------
Binomial coefficients :math:`\binom ab` for integers, with the usual convention
:math:`\binom ab=0` when :math:`b<0` or :math:`b>a\ge0`.

Statement
---------
For natural numbers :math:`k\le n`: :math:`\binom nk=\binom{n-1}{k-1}+\binom{n-1}k`.

The paper uses it once, in the inductive step of Lemma 4.1 (ii) (Appendix A.2): after the
second sum is re-indexed (:math:`r+1\to r`), the two sums combine into one,

.. math::

   \sum_{r=0}^{k-1}a^{k-r}\binom{k-1}r x_r+\sum_{r=1}^{k}a^{k-r}\binom{k-1}{r-1}x_r
   =\sum_{r=0}^{k}a^{k-r}\binom kr x_r ,\qquad a=(1-\epsilon)^2,

for arbitrary (matrix) coefficients :math:`x_r` (the paper's :math:`\mathbf N_r`).  That
recombination is ``dexter2024.fact2.lemma4_1_recombination``.

Evidence
--------
Encoded domain: :math:`n\ge1` and :math:`0\le k\le n`.  At :math:`n=0` the right side needs
:math:`\binom{-1}{\cdot}`, whose value depends on the convention (0 combinatorially, 1 for
:math:`\binom{-1}0` as a generalised binomial); the paper never uses :math:`n=0`.

* ``symbolic``: sympy proves the rule for symbolic :math:`n, k` (after ``expand_func``), and the
  recombination identity for :math:`k=1,\dots,6` with symbolic :math:`a` and :math:`x_r`.
* ``exact``: exact integer arithmetic (``math.comb``) for every :math:`1\le n\le 50`,
  :math:`0\le k\le n` (all values below :math:`2^{53}`, so the float comparison is exact);
  the recombination on seeded numbers :math:`k\le8`, :math:`a\in[0,1]`, Gaussian :math:`x_r`.
* ``property``: Hypothesis over :math:`1\le n\le1000`, :math:`0\le k\le n` (beyond the exhaustive
  range; exact Python integers, compared as floats within the claim's tolerance), and over the
  recombination with :math:`k\le12`, :math:`a=(1-\epsilon)^2\in[0,1]` and bounded :math:`x_r`.

References
----------
[dexter2024precise, Appendix A, Fact 2]; its use: [dexter2024precise, Appendix A.2, proof of
Lemma 4.1 (ii)].
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.strategies.scalars import reals

SOURCE = Source("dexter2024precise", "Appendix A, Fact 2")


def _comb(a: int, b: int) -> int:
    return math.comb(a, b) if 0 <= b <= a else 0


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\binom nk` versus :math:`\binom{n-1}{k-1}+\binom{n-1}k` (exact integers)."""
    n, k = int(inst["n"]), int(inst["k"])
    return Comparison(
        _comb(n, k), _comb(n - 1, k - 1) + _comb(n - 1, k), "==", "C(n, k)", "C(n−1, k−1) + C(n−1, k)"
    )


def _all_pairs(rng: Any, count: int) -> list[dict[str, Any]]:
    return [{"n": n, "k": k} for n in range(1, 51) for k in range(n + 1)]


def _symbolic_rule() -> list[Any]:
    import sympy as sp

    n, k = sp.symbols("n k", integer=True, positive=True)
    lhs = sp.expand_func(sp.binomial(n, k))
    rhs = sp.expand_func(sp.binomial(n - 1, k - 1) + sp.binomial(n - 1, k))
    return [Identity(sp.gammasimp(lhs), sp.gammasimp(rhs), "C(n,k) = C(n−1,k−1) + C(n−1,k)")]


def _symbolic_recombination() -> list[Any]:
    import sympy as sp

    a = sp.Symbol("a", positive=True)
    out = []
    for k in range(1, 7):
        x = sp.symbols(f"x0:{k + 1}")
        first = sum(a ** (k - r) * sp.binomial(k - 1, r) * x[r] for r in range(k))
        second = sum(a ** (k - r) * sp.binomial(k - 1, r - 1) * x[r] for r in range(1, k + 1))
        combined = sum(a ** (k - r) * sp.binomial(k, r) * x[r] for r in range(k + 1))
        out.append(Identity(sp.expand(first + second), sp.expand(combined), f"recombination, k = {k}"))
    return out


def recombination(inst: dict[str, Any]) -> Comparison:
    """The two re-indexed sums of the inductive step versus the combined sum, on numbers."""
    k, a = int(inst["k"]), float(inst["a"])
    x = [float(v) for v in inst["x"]]
    first = sum(a ** (k - r) * _comb(k - 1, r) * x[r] for r in range(k))
    second = sum(a ** (k - r) * _comb(k - 1, r - 1) * x[r] for r in range(1, k + 1))
    combined = sum(a ** (k - r) * _comb(k, r) * x[r] for r in range(k + 1))
    scale = sum(a ** (k - r) * _comb(k, r) * abs(x[r]) for r in range(k + 1))
    return Comparison(
        first + second, combined, "==", "two re-indexed sums", "Σ a^{k−r} C(k,r) x_r", scale=scale
    )


def _recombination_instances(rng: Any, count: int) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        k = 1 + i % 8
        out.append({"k": k, "a": float(rng.uniform(0.0, 1.0)), "x": rng.standard_normal(k + 1)})
    return out


@st.composite
def _pairs(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 1000))
    return {"n": n, "k": draw(st.integers(0, n))}


@st.composite
def _recombinations(draw: Any) -> dict[str, Any]:
    k = draw(st.integers(1, 12))
    # coefficients bounded away from 0, so that the comparison resolves (no all-zero sums)
    mags = draw(st.lists(reals(0.1, 10), min_size=k + 1, max_size=k + 1))
    signs = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=k + 1, max_size=k + 1))
    return {"k": k, "a": draw(st.floats(0.0, 1.0)), "x": [s * m for s, m in zip(signs, mags, strict=True)]}


DOMAIN = Hypothesis(
    "n ≥ 1, 0 ≤ k ≤ n (integers)", lambda i: int(i["n"]) >= 1 and 0 <= int(i["k"]) <= int(i["n"])
)

CLAIM = Claim(
    id="dexter2024.fact2",
    title="Pascal's rule: C(n, k) = C(n−1, k−1) + C(n−1, k) for 0 ≤ k ≤ n, n ≥ 1",
    source=SOURCE,
    statement=r"For natural numbers $k\le n$ ($n\ge1$): $\binom nk=\binom{n-1}{k-1}+\binom{n-1}k$.",
    hypotheses=(DOMAIN,),
    conclusion=conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic_rule),
        ExactCheck("exact", _all_pairs, fixed=[{"n": 1, "k": 0}, {"n": 1, "k": 1}, {"n": 5, "k": 2}]),
        PropertyCheck("property", _pairs(), max_examples=100),
    ),
    kind="identity",
)

RECOMBINATION = Claim(
    id="dexter2024.fact2.lemma4_1_recombination",
    title="Lemma 4.1 (ii), inductive step: the two re-indexed sums combine into Σ a^{k−r} C(k, r) x_r",
    source=Source("dexter2024precise", "Appendix A.2, proof of Lemma 4.1 (ii)"),
    statement=r"$\sum_{r=0}^{k-1}a^{k-r}\binom{k-1}r x_r+\sum_{r=1}^{k}a^{k-r}\binom{k-1}{r-1}x_r"
    r"=\sum_{r=0}^{k}a^{k-r}\binom kr x_r$ for every $k\ge1$, scalar $a$ and coefficients $x_r$.",
    hypotheses=(
        Hypothesis(
            "k ≥ 1 and k + 1 coefficients x_0..x_k",
            lambda i: int(i["k"]) >= 1 and len(i["x"]) == int(i["k"]) + 1,
        ),
    ),
    conclusion=recombination,
    checks=(
        SymbolicCheck("symbolic", _symbolic_recombination),
        ExactCheck("exact", _recombination_instances),
        PropertyCheck("property", _recombinations(), max_examples=100),
    ),
    kind="identity",
)

CLAIMS = [CLAIM, RECOMBINATION]
