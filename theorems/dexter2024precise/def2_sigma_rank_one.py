r"""Dexter et al. (2024), Definition 2 and its discussion (rank-one case): σ ≤ n for rank-one members.

Setting
-------
Rank-one PSD :math:`H_i=g_ig_i^T\in\mathbb R^{d\times d}`, not all zero, coherence matrix
:math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F` and coherence measure
:math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)` (Definition 2, :mod:`.def2`).

Statement
---------
``dexter2024.def2.sigma_upper.rank_one``: for rank-one members (the case the paper singles out,
where :math:`S_{ii}=\lambda_1(H_i)`), :math:`\sigma\le n`, with equality when all members are equal;
with :math:`\sigma\ge1` this is the range :math:`[1,n]` that §5.1's construction sweeps.  Beyond rank
one the bound fails; that scope limit and the general bound are :mod:`.def2_sigma`.

Evidence
--------
* ``exact``: seeded families of the rank-one kinds :data:`verifythm.strategies.RANK_ONE_KINDS`
  (:math:`n\le8`, :math:`d\le4`), plus identical members (:math:`\sigma=n`) up to :math:`n=12`.
* ``property``: Hypothesis over rank-one families (:math:`n\le6`, :math:`d\le3`), steered towards
  small slack; identical members attain :math:`\sigma=n`.
* ``symbolic`` (sympy): :math:`S_{ij}=|g_i^Tg_j|\le\|g_i\|\|g_j\|\le\max_i\lambda_1(H_i)` through
  Lagrange's identity (:math:`(g^Tf)^2\le\|g\|^2\|f\|^2`), and :math:`\lambda_1(S)=\sum_i\|g_i\|^2` for
  identical directions (:math:`n=2,3`).

References
----------
[dexter2024precise, Definition 2 and its discussion] (the rank-one case); [dexter2024precise,
Section 5.1] (the sweep from σ = 1 to σ = n).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import array
from verifythm.strategies import RANK_ONE_KINDS, families, family_instance

from ._common import NONZERO_FAMILY, max_rank, sigma_at_most_n
from ._symbolic import coherence_sym, lagrange, top_eigenvalue


def _sym_rank_one() -> list[Any]:
    """Rank one: S_ij = |g_iᵀg_j| ≤ ‖g_i‖‖g_j‖ ≤ max λ₁(H_i); λ₁(S) ≤ n·max S_ij."""
    import sympy as sp

    out: list[Any] = []
    g = list(sp.symbols("g1:4", real=True))
    f = list(sp.symbols("f1:4", real=True))
    gap = sum(x * x for x in g) * sum(x * x for x in f) - sum(a * b for a, b in zip(g, f, strict=True)) ** 2
    out.append(Identity(sp.expand(gap), sp.expand(lagrange(g, f)), "‖g‖²‖f‖² − (gᵀf)² (Lagrange)"))
    out.append(Nonnegative(lagrange(g, f), "S_ij ≤ √(λ₁(H_i)λ₁(H_j)) for rank-one members"))
    for n in (2, 3):
        gs = [sp.Matrix([sp.Symbol(f"c{i}", positive=True), 0]) for i in range(n)]
        S = coherence_sym([x * x.T for x in gs])
        out.append(
            Identity(
                top_eigenvalue(S),
                sum(x[0] ** 2 for x in gs),
                f"identical directions: λ₁(S) = Σ‖g_i‖², n = {n}",
            )
        )
    return out


def _rank_one_stream(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 9)), int(rng.integers(1, 5))
        out.append({"hessians": family_instance(rng, i, n, d, kinds=RANK_ONE_KINDS)})
    return out


def _rank_one_equality() -> list[dict[str, Any]]:
    out = []
    for n, d in ((1, 1), (2, 1), (2, 3), (5, 2), (12, 4)):
        g = np.random.default_rng(n * 10 + d).standard_normal(d)
        out.append({"hessians": np.stack([np.outer(g, g)] * n)})  # identical members: σ = n
    return out


def _rank_one(inst: dict[str, Any]) -> bool:
    return max_rank(inst["hessians"]) <= 1


SIGMA_UPPER_RANK_ONE = Claim(
    id="dexter2024.def2.sigma_upper.rank_one",
    title="σ ≤ n for rank-one members H_i = g_ig_iᵀ (equality for identical members)",
    source=Source("dexter2024precise", "Definition 2 and its discussion (rank-one case); Section 5.1"),
    statement=(
        r"For rank-one PSD $H_i=g_ig_i^T$, not all zero (the case the paper singles out, where "
        r"$S_{ii}=\lambda_1(H_i)$): $\sigma\le n$, with equality when all members are equal; with "
        r"$\sigma\ge1$ this is the range $[1,n]$ that §5.1's construction sweeps."
    ),
    hypotheses=(psd_family("hessians"), NONZERO_FAMILY, Hypothesis("every H_i has rank ≤ 1", _rank_one)),
    conclusion=sigma_at_most_n,
    checks=(
        SymbolicCheck("symbolic", _sym_rank_one),
        ExactCheck("exact", _rank_one_stream, fixed=_rank_one_equality()),
        PropertyCheck(
            "property",
            st.fixed_dictionaries(
                {"hessians": families(RANK_ONE_KINDS, n=st.integers(1, 6), d=st.integers(1, 3))}
            ),
        ),
    ),
    inputs={"hessians": array(3)},
)


CLAIM = SIGMA_UPPER_RANK_ONE
