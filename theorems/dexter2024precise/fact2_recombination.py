r"""Dexter et al. (2024), Appendix A.2, proof of Lemma 4.1 (ii): Fact 2 recombines the inductive step's sums.

Setting
-------
An integer :math:`k\ge1`, a scalar :math:`a` (in the proof :math:`a=(1-\epsilon)^2`) and coefficients
:math:`x_0,\dots,x_k` (the paper's matrices :math:`\mathbf N_r`; the identity is linear in them).

Statement
---------
``dexter2024.fact2.lemma4_1_recombination``: after the second sum of the inductive step is
re-indexed (:math:`r+1\to r`), Pascal's rule (:mod:`.fact2`) combines the two sums into one,

.. math::

   \sum_{r=0}^{k-1}a^{k-r}\binom{k-1}r x_r+\sum_{r=1}^{k}a^{k-r}\binom{k-1}{r-1}x_r
   =\sum_{r=0}^{k}a^{k-r}\binom kr x_r .

Evidence
--------
* ``symbolic``: sympy proves the identity for :math:`k=1,\dots,6` with symbolic :math:`a` and
  :math:`x_r`.
* ``exact``: seeded numbers :math:`k\le8`, :math:`a\in[0,1]`, Gaussian :math:`x_r`.
* ``property``: Hypothesis with :math:`k\le12`, :math:`a=(1-\epsilon)^2\in[0,1]` and bounded
  :math:`x_r` (magnitudes in :math:`[0.1,10]`, so that the comparison resolves).

References
----------
[dexter2024precise, Appendix A.2, proof of Lemma 4.1 (ii)]; the rule: [dexter2024precise, Appendix A,
Fact 2].
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
from verifythm.claims.inputs import INT, REAL
from verifythm.strategies.scalars import reals

from ._common import binom


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
    k, a = inst["k"], inst["a"]
    x = [float(v) for v in inst["x"]]
    first = sum(a ** (k - r) * binom(k - 1, r) * x[r] for r in range(k))
    second = sum(a ** (k - r) * binom(k - 1, r - 1) * x[r] for r in range(1, k + 1))
    combined = sum(a ** (k - r) * binom(k, r) * x[r] for r in range(k + 1))
    scale = sum(a ** (k - r) * binom(k, r) * abs(x[r]) for r in range(k + 1))
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
def _recombinations(draw: Any) -> dict[str, Any]:
    k = draw(st.integers(1, 12))
    # coefficients bounded away from 0, so that the comparison resolves (no all-zero sums)
    mags = draw(st.lists(reals(0.1, 10), min_size=k + 1, max_size=k + 1))
    signs = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=k + 1, max_size=k + 1))
    return {"k": k, "a": draw(st.floats(0.0, 1.0)), "x": [s * m for s, m in zip(signs, mags, strict=True)]}


RECOMBINATION = Claim(
    id="dexter2024.fact2.lemma4_1_recombination",
    title="Lemma 4.1 (ii), inductive step: the two re-indexed sums combine into Σ a^{k−r} C(k, r) x_r",
    source=Source("dexter2024precise", "Appendix A.2, proof of Lemma 4.1 (ii)"),
    statement=r"$\sum_{r=0}^{k-1}a^{k-r}\binom{k-1}r x_r+\sum_{r=1}^{k}a^{k-r}\binom{k-1}{r-1}x_r"
    r"=\sum_{r=0}^{k}a^{k-r}\binom kr x_r$ for every $k\ge1$, scalar $a$ and coefficients $x_r$.",
    hypotheses=(
        Hypothesis(
            "k ≥ 1 and k + 1 coefficients x_0..x_k",
            lambda i: i["k"] >= 1 and len(i["x"]) == i["k"] + 1,
        ),
    ),
    conclusion=recombination,
    checks=(
        SymbolicCheck("symbolic", _symbolic_recombination),
        ExactCheck("exact", _recombination_instances),
        PropertyCheck("property", _recombinations(), max_examples=100),
    ),
    kind="identity",
    inputs={"k": INT, "a": REAL},  # x as drawn: the hypothesis counts its entries
)


CLAIM = RECOMBINATION
