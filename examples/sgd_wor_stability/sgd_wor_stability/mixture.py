r"""The second-moment operator of SGD without replacement is a two-point mixture.

Setting
-------
Per-sample Hessians :math:`H_1,\dots,H_n` (symmetric PSD, :math:`n\ge2`), their mean
:math:`H`, a batch size :math:`1\le B\le n`, a uniform ``B``-subset :math:`S` and
:math:`\hat H_S = \frac1B\sum_{i\in S}H_i`.  Linearized SGD moves the second moment
:math:`P = \mathbb E[ww^T]` by :math:`\mathcal T_\eta(P) = \mathbb E_S[(I-\eta\hat H_S)P(I-\eta\hat H_S)]
= P - \eta(HP + PH) + \eta^2\,\mathbb E_S[\hat H_SP\hat H_S]`, so everything rests on the
sandwich :math:`\mathbb E_S[\hat H_SP\hat H_S]`.

Statement (Proposition 1)
-------------------------
For every symmetric :math:`P`,

.. math::

   \mathbb E_S[\hat H_SP\hat H_S] = p\cdot\frac1n\sum_iH_iPH_i + (1-p)\cdot HPH,
   \qquad p = \frac{n-B}{B(n-1)} .

So a step of SGD without replacement has the second moment of a process that takes a
single-sample step (:math:`\hat H = H_i`, :math:`i` uniform) with probability :math:`p` and a
full-batch step (:math:`\hat H = H`) otherwise; :math:`p = 1` at :math:`B = 1` and
:math:`p = 0` at :math:`B = n`.

Derivation.  Expand :math:`\hat H_SP\hat H_S = B^{-2}\sum_{i,j\in S}H_iPH_j`.  A fixed index
lies in :math:`S` with probability :math:`B/n`, a fixed pair :math:`i\ne j` with probability
:math:`B(B-1)/(n(n-1))`.  With :math:`D = \sum_iH_iPH_i` and
:math:`\sum_{i\ne j}H_iPH_j = n^2HPH - D`,

.. math::

   \mathbb E_S[\hat H_SP\hat H_S]
   = \frac{D}{nB} + \frac{B-1}{Bn(n-1)}(n^2HPH - D)
   = \frac{n-B}{B(n-1)}\cdot\frac Dn + \frac{n(B-1)}{B(n-1)}HPH ,

and :math:`1 - p = n(B-1)/(B(n-1))`.

Evidence
--------
* ``symbolic``: for commuting (scalar) members :math:`h_1,\dots,h_n` and :math:`P = 1`, sympy
  enumerates every ``B``-subset for :math:`n = 2..5` and every ``B`` and proves the identity.
* ``exact`` / ``property``: both sides in float64, the left one by enumerating all
  :math:`\binom nB` batches (up to 924 at :math:`n = 12`), on families of every kind with
  :math:`n\le12`, :math:`d\le5` and a random symmetric :math:`P`; a violation is re-checked in
  exact rational arithmetic.
* ``sgdwor.mixture.engine``: the engine's operator :math:`\mathcal T_\eta` for
  ``without-replacement`` equals :math:`p\,\mathcal T_\eta^{(1)} + (1-p)\,\mathcal T_\eta^{GD}`
  (single-sample and full-batch operators), as :math:`r^2\times r^2` matrices.
* ``sgdwor.mixture.one_over_b``: the draft's version with :math:`p = 1/B` (the with-replacement
  weight, forgetting the finite-population factor :math:`(n-B)/(n-1)`) is false; expected failure.

References
----------
[sgdworexample, Proposition 1]; the scheme and the operator as in [dexter2024precise] and
[wu2022alignment].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.dynamics import Family, moment_operator

from ._common import (
    HYPOTHESES,
    exact_gap_comparison,
    gap_comparison,
    instances,
    random_instances,
    wor_probability,
)

_LABEL = "(p·mean H_i P H_i + (1−p)·HPH)"


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``max|E_S[Ĥ_S P Ĥ_S] − mixture| <= 0`` with ``p = (n−B)/(B(n−1))``."""
    n, B = int(inst["n"]), int(inst["B"])
    return gap_comparison(inst["H"], B, inst["P"], float(wor_probability(n, B)), _LABEL)


def precise(inst: dict[str, Any]) -> Comparison:
    """The same comparison in exact rational arithmetic."""
    n, B = int(inst["n"]), int(inst["B"])
    return exact_gap_comparison(inst["H"], B, inst["P"], wor_probability(n, B), _LABEL)


def _symbolic() -> list[Identity]:
    """Scalar members ``h_i``, ``P = 1``: enumerate every ``B``-subset, ``n = 2..5``."""
    from itertools import combinations

    import sympy as sp

    out = []
    for n in range(2, 6):
        h = sp.symbols(f"h1:{n + 1}", nonnegative=True)
        mean_sq = sum(x**2 for x in h) / n
        sq_mean = (sum(h) / n) ** 2
        for B in range(1, n + 1):
            subsets = list(combinations(h, B))
            lhs = sum((sum(S) / B) ** 2 for S in subsets) / len(subsets)
            p = sp.Rational(n - B, B * (n - 1))
            out.append(Identity(lhs, p * mean_sq + (1 - p) * sq_mean, f"n={n}, B={B}"))
    return out


CLAIM = Claim(
    id="sgdwor.mixture",
    title="E_S[Ĥ_S P Ĥ_S] = p·mean H_i P H_i + (1−p)·HPH, p = (n−B)/(B(n−1))",
    source=Source("sgdworexample", "Proposition 1"),
    statement=(
        r"For PSD $H_1,\dots,H_n$ ($n\ge2$), $1\le B\le n$, a uniform $B$-subset $S$ and every "
        r"symmetric $P$: $\mathbb E_S[\hat H_SP\hat H_S] = p\,\frac1n\sum_iH_iPH_i + (1-p)\,HPH$ "
        r"with $p = (n-B)/(B(n-1))$."
    ),
    hypotheses=HYPOTHESES,
    conclusion=conclusion,
    precise_conclusion=precise,
    kind="identity",
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", lambda rng, k: random_instances(rng, k, P=True)),
        PropertyCheck("property", instances(P=True)),
    ),
)


# -- the same statement, read off the engine's operators ----------------------------------------
def engine_conclusion(inst: dict[str, Any]) -> Comparison:
    r"""``max|T_wor − (p·T_single + (1−p)·T_gd)| <= 0`` on the dense :math:`r^2\times r^2` matrices."""
    fam = Family.from_hessians(inst["H"])
    n, B, eta = int(inst["n"]), int(inst["B"]), float(inst["eta"])
    p = float(wor_probability(n, B))
    T_wor = moment_operator(fam, eta, B, "without-replacement").dense()
    T_one = moment_operator(fam, eta, 1, "with-replacement").dense()  # one uniformly drawn sample
    T_gd = moment_operator(fam, eta, sampling="gd").dense()
    gap = float(np.max(np.abs(T_wor - (p * T_one + (1.0 - p) * T_gd))))
    label = "max|T_wor − (p·T_1 + (1−p)·T_gd)|"
    return Comparison(gap, 0.0, "<=", label, "0", scale=float(np.max(np.abs(T_wor))))


def _with_eta(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = random_instances(rng, k)
    for inst in out:  # η around the GD threshold 2/λ₁, where the η² noise term matters
        lam1 = float(np.linalg.eigvalsh(inst["H"].mean(axis=0))[-1])
        inst["eta"] = float(rng.uniform(0.2, 1.5)) * 2.0 / lam1 if lam1 > 0 else 1.0
    return out


ENGINE = Claim(
    id="sgdwor.mixture.engine",
    title="The engine's T_η (without replacement) = p·T_η(single sample) + (1−p)·T_η(GD)",
    source=Source("sgdworexample", "Proposition 1, operator form"),
    statement=(
        r"With $\mathcal T_\eta^{s}(P) = \mathbb E[(I-\eta\hat H)P(I-\eta\hat H)]$ for scheme $s$: "
        r"$\mathcal T_\eta^{\mathrm{wor},B} = p\,\mathcal T_\eta^{(1)} "
        r"+ (1-p)\,\mathcal T_\eta^{\mathrm{GD}}$, "
        r"$p = (n-B)/(B(n-1))$, on the range of $H$."
    ),
    hypotheses=HYPOTHESES,
    conclusion=engine_conclusion,
    kind="identity",
    tolerance=Tolerance(rtol=1e-9, atol=1e-12),
    checks=(ExactCheck("exact", _with_eta),),
)


# -- the draft's slip: the with-replacement weight 1/B ------------------------------------------
_SLIP = "(1/B·mean H_i P H_i + (1−1/B)·HPH)"


def slip_conclusion(inst: dict[str, Any]) -> Comparison:
    """``max|E_S[Ĥ_S P Ĥ_S] − mixture| <= 0`` with the draft's ``p = 1/B``."""
    return gap_comparison(inst["H"], int(inst["B"]), inst["P"], 1.0 / int(inst["B"]), _SLIP)


def slip_precise(inst: dict[str, Any]) -> Comparison:
    """The draft's comparison in exact rational arithmetic."""
    from fractions import Fraction

    B = int(inst["B"])
    return exact_gap_comparison(inst["H"], B, inst["P"], Fraction(1, B), _SLIP)


SLIP = Claim(
    id="sgdwor.mixture.one_over_b",
    title="Draft slip: E_S[Ĥ_S P Ĥ_S] = (1/B)·mean H_i P H_i + (1−1/B)·HPH without replacement",
    source=Source("sgdworexample", "Proposition 1, first draft"),
    statement=(
        r"(False.) For a uniform $B$-subset $S$: "
        r"$\mathbb E_S[\hat H_SP\hat H_S] = \frac1B\,\frac1n\sum_iH_iPH_i "
        r"+ (1-\frac1B)\,HPH$.  This is the with-replacement formula; without replacement the weight "
        r"carries the factor $(n-B)/(n-1)$."
    ),
    hypotheses=HYPOTHESES,
    conclusion=slip_conclusion,
    precise_conclusion=slip_precise,
    kind="identity",
    expected=Expected.fails(
        "p = 1/B is the with-replacement weight; without replacement p = (n−B)/(B(n−1)) "
        "(e.g. n = B = 2: the step is full-batch, p = 0)",
        finding="erratum",
    ),
    checks=(
        ExactCheck("exact", lambda rng, k: random_instances(rng, k, P=True)),
        PropertyCheck("property", instances(P=True)),
    ),
)

CLAIMS = [CLAIM, ENGINE, SLIP]
