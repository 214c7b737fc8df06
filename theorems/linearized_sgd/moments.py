r"""Wu et al. (2022), Eq. (4), and Dexter et al. (2024), Definition 1: E[ĴWĴ], one formula per sampling.

Setting
-------
Per-sample Hessians :math:`H_1,\dots,H_n\succeq0` (:math:`d\times d`),
:math:`H=\frac1n\sum_iH_i`, :math:`J = I-\eta H`, learning rate :math:`\eta>0`, batch size
:math:`1\le B\le n`, :math:`\hat J = I-\eta\hat H` with the mini-batch Hessian
:math:`\hat H` of the scheme (with replacement: :math:`B` i.i.d. uniform indices, as in
wu2022alignment Eq. (4); without replacement: a uniform :math:`B`-subset, the SGD of
dexter2024precise §2; Bernoulli: each sample kept independently with probability
:math:`B/n`, dexter2024precise Definition 1; GD: :math:`\hat H = H`).  Write
:math:`\bar S(W) = \frac1n\sum_iH_iWH_i`.

Statement
---------
For every :math:`d\times d` matrix :math:`W`,
:math:`\mathbb E[\hat JW\hat J] = JWJ + \eta^2c_sN_s(W)` with

* with replacement: :math:`c = 1/B`, :math:`N(W) = \bar S(W) - HWH`;
* without replacement: :math:`c = \frac{n-B}{B(n-1)}` (0 if :math:`n=1`), same :math:`N`;
* Bernoulli: :math:`c = \frac1B-\frac1n`, :math:`N(W) = \bar S(W)`;
* GD: :math:`c = 0`.

Evidence
--------
* ``symbolic``: for every :math:`n\le4` and :math:`1\le B\le n` the batch distribution is
  enumerated exactly and both sides are expanded with **non-commuting** symbols
  :math:`H_i, W` (:mod:`verifythm.dynamics.symbolic`); equality in the free algebra proves
  the formula for matrices of every dimension at those :math:`(n, B)`.
* ``exact``: the engine's matrix-free operator (:class:`verifythm.dynamics.MomentOperator`,
  in reduced coordinates, dense and rank-one paths) against a float sum over every batch,
  tested through :math:`\operatorname{tr}(X\,\cdot)` for random symmetric :math:`X, W`.
* ``property``: the same comparison on Hypothesis-drawn families.

References
----------
With replacement: [wu2022alignment, Eq. (4)].  Without replacement: [dexter2024precise,
Section 2].  Bernoulli: [dexter2024precise, Definition 1] (the general-:math:`W` form of the base
case of Lemma 4.1).  GD: [dexter2024precise, Definition 1 with B = n].
"""

from __future__ import annotations

from typing import Any

from verifythm import Claim, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.common import psd_family
from verifythm.dynamics import Sampling
from verifythm.dynamics.symbolic import second_moment_sides

from ._operator import INPUTS, RANK_ONE, RANK_RESOLVED, conclusion_for, generate, instances
from ._operator import reduced_basis as reduced_basis  # re-exported: defined here before the split

MAX_SYMBOLIC_N = 4


def _symbolic_for(scheme: Sampling) -> Any:
    def build() -> list[Any]:
        obligations = []
        for n in range(1, MAX_SYMBOLIC_N + 1):
            for B in range(1, n + 1) if scheme is not Sampling.GD else (n,):
                lhs, rhs = second_moment_sides(scheme, n, B)
                obligations.append(Identity(lhs, rhs, f"n={n}, B={B}: E[ĴWĴ] = JWJ + η²c N(W)"))
        return obligations

    return build


_FORMULAS = {
    Sampling.WITH_REPLACEMENT: (
        r"c = 1/B,\ N(W) = \frac1n\sum_iH_iWH_i - HWH",
        Source("wu2022alignment", "Eq. (4), batch indices i.i.d. uniform"),
    ),
    Sampling.WITHOUT_REPLACEMENT: (
        r"c = \frac{n-B}{B(n-1)},\ N(W) = \frac1n\sum_iH_iWH_i - HWH",
        Source("dexter2024precise", "Section 2, uniform B-subsets"),
    ),
    Sampling.BERNOULLI: (
        r"c = \frac1B-\frac1n,\ N(W) = \frac1n\sum_iH_iWH_i",
        Source("dexter2024precise", "Definition 1; general-W form of the base case of Lemma 4.1"),
    ),
    Sampling.GD: (r"c = 0", Source("dexter2024precise", "Definition 1 with B = n")),
}


def _claim(scheme: Sampling) -> Claim:
    formula, source = _FORMULAS[scheme]
    return Claim(
        id=f"linsgd.moments.{scheme.value.replace('-', '_')}",
        title=f"E[ĴWĴ] = JWJ + η² c N(W) for {scheme.value} sampling",
        source=source,
        statement=(
            rf"For PSD $H_1,\dots,H_n$, $\eta>0$, $1\le B\le n$ and {scheme.value} sampling, every "
            rf"$W$ satisfies $\mathbb E[\hat JW\hat J] = JWJ + \eta^2cN(W)$ with ${formula}$."
        ),
        hypotheses=(psd_family("hessians"), RANK_ONE, RANK_RESOLVED),
        conclusion=conclusion_for(scheme),
        checks=(
            SymbolicCheck("symbolic", _symbolic_for(scheme)),
            ExactCheck("exact", generate),
            PropertyCheck("property", instances()),
        ),
        kind="identity",
        inputs=INPUTS,
    )


CLAIMS = [_claim(s) for s in Sampling]
