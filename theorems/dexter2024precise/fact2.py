r"""Dexter et al. (2024), Fact 2: Pascal's rule.

Setting
-------
Binomial coefficients :math:`\binom ab` for integers, with the usual convention
:math:`\binom ab=0` when :math:`b<0` or :math:`b>a\ge0`.

Statement
---------
``dexter2024.fact2``: for natural numbers :math:`k\le n`:
:math:`\binom nk=\binom{n-1}{k-1}+\binom{n-1}k`.  The paper uses it once, in the inductive step of
Lemma 4.1 (ii); that use is :mod:`.fact2_recombination`.

Evidence
--------
Encoded domain: :math:`n\ge1` and :math:`0\le k\le n`.  At :math:`n=0` the right side needs
:math:`\binom{-1}{\cdot}`, whose value depends on the convention (0 combinatorially, 1 for
:math:`\binom{-1}0` as a generalised binomial); the paper never uses :math:`n=0`.

* ``symbolic``: sympy proves the rule for symbolic :math:`n, k` (after ``expand_func``).
* ``exact``: exact integer arithmetic (``math.comb``) for every :math:`1\le n\le 50`,
  :math:`0\le k\le n` (all values below :math:`2^{53}`, so the float comparison is exact).
* ``property``: Hypothesis over :math:`1\le n\le1000`, :math:`0\le k\le n` (beyond the exhaustive
  range; exact Python integers, compared as floats within the claim's tolerance).

References
----------
[dexter2024precise, Appendix A, Fact 2].
"""

from __future__ import annotations

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
from verifythm.claims.inputs import INT

from ._common import binom
from .fact2_recombination import RECOMBINATION as RECOMBINATION  # re-exported: defined here before the split
from .fact2_recombination import recombination as recombination

SOURCE = Source("dexter2024precise", "Appendix A, Fact 2")


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\binom nk` versus :math:`\binom{n-1}{k-1}+\binom{n-1}k` (exact integers)."""
    n, k = inst["n"], inst["k"]
    return Comparison(
        binom(n, k), binom(n - 1, k - 1) + binom(n - 1, k), "==", "C(n, k)", "C(n−1, k−1) + C(n−1, k)"
    )


def _all_pairs(rng: Any, count: int) -> list[dict[str, Any]]:
    return [{"n": n, "k": k} for n in range(1, 51) for k in range(n + 1)]


def _symbolic_rule() -> list[Any]:
    import sympy as sp

    n, k = sp.symbols("n k", integer=True, positive=True)
    lhs = sp.expand_func(sp.binomial(n, k))
    rhs = sp.expand_func(sp.binomial(n - 1, k - 1) + sp.binomial(n - 1, k))
    return [Identity(sp.gammasimp(lhs), sp.gammasimp(rhs), "C(n,k) = C(n−1,k−1) + C(n−1,k)")]


@st.composite
def _pairs(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 1000))
    return {"n": n, "k": draw(st.integers(0, n))}


DOMAIN = Hypothesis("n ≥ 1, 0 ≤ k ≤ n (integers)", lambda i: i["n"] >= 1 and 0 <= i["k"] <= i["n"])

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
    inputs={"n": INT, "k": INT},
)
