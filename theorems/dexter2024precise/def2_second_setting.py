r"""Dexter et al. (2024), Section 3.1, the second setting: σ = 1 for mutually orthogonal (rank-one) members.

Setting
-------
PSD :math:`H_1,\dots,H_n\in\mathbb R^{d\times d}`, coherence matrix
:math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F` (so :math:`S_{ij}^2=\operatorname{tr}(H_iH_j)`, :mod:`.def2`) and
coherence measure :math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)` (Definition 2).

Statement
---------
§3.1's second setting (Definition 2 discussion): mutually orthogonal members
(:math:`\operatorname{tr}(H_iH_j)=0`, :math:`i\ne j`) with :math:`\lambda_1(H_i)=1` give :math:`S=I`,
:math:`\lambda_1(S)=1` and :math:`\sigma=1` (``dexter2024.def2.second_setting``); for rank-one members
:math:`H_i=g_ig_i^T` with orthonormal :math:`g_i` (e.g. :math:`H_i=e_ie_i^T`)
(``dexter2024.def2.second_setting.rank_one``).

Finding
-------
**Edge case**: the text calls the second setting "mutually orthogonal" members and
concludes :math:`S=I`; that needs :math:`S_{ii}=\|H_i\|_F=\lambda_1(H_i)`, i.e. rank one.  The
members the paper has in mind are rank one — the example it names in §3.2 is
:math:`H_i=e_ie_i^T`, and the paragraph before singles out the rank-one case — and there the
statement holds (``…second_setting.rank_one``).  Two orthogonal rank-2 projections give
:math:`\sigma=\sqrt2` (``…second_setting``, kept as the edge case).

Evidence
--------
* ``exact``: seeded orthogonal families :math:`U_iU_i^T` (disjoint column blocks of a random
  orthogonal :math:`Q`, rank 1–3, :math:`n\le5`) plus :math:`H_1=\mathrm{diag}(1,1,0,0)`,
  :math:`H_2=\mathrm{diag}(0,0,1,1)` and :math:`H_i=e_ie_i^T`; σ through the engine's trace form.
* ``symbolic`` (sympy, symbolic entries): for :math:`H=gg^T`, :math:`Hg=\|g\|^2g`,
  :math:`S_{ii}^2=\|g\|^4`, :math:`\operatorname{tr}H_iH_j=(g_i^Tg_j)^2`, while the printed
  :math:`S_{ii}=\lambda_1(H_i)` fails for a rank-2 projection (as expected).

References
----------
[dexter2024precise, Section 3.1, Definition 2 discussion].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, array

from ._common import sigma_of
from ._symbolic import coherence_sym, top_eigenvalue

SOURCE_31 = Source("dexter2024precise", "Section 3.1, Definition 2 discussion")


def _sym_second(rank_one: bool) -> Any:
    """§3.1, second setting: orthogonal members give S = I iff S_ii = ‖H_i‖_F equals λ₁(H_i) (rank one)."""

    def build() -> list[Any]:
        import sympy as sp

        if not rank_one:  # two orthogonal rank-2 projections in R⁴: the printed S = I needs ‖P‖_F = λ₁(P)
            P1, P2 = sp.diag(1, 1, 0, 0), sp.diag(0, 0, 1, 1)
            S = coherence_sym([P1, P2])
            return [
                Identity(S[0, 1], 0, "tr(H₁H₂) = 0: off-diagonal S_12 = 0"),
                Identity(
                    S[0, 0], top_eigenvalue(P1), "printed: S_ii = ‖H_i‖_F = λ₁(H_i) = 1 (rank-2 projection)"
                ),
            ]
        g = sp.Matrix(sp.symbols("g1:4", real=True))
        f = sp.Matrix(sp.symbols("f1:4", real=True))
        G, F = g * g.T, f * f.T
        gg = (g.T * g)[0, 0]
        return [
            Identity(G * g, gg * g, "H g = (gᵀg) g: λ₁(ggᵀ) = ‖g‖²"),
            Identity(sp.expand((G * G).trace()), sp.expand(gg**2), "S_ii² = tr(H_i²) = ‖g‖⁴ = λ₁(H_i)²"),
            Identity(
                sp.expand((G * F).trace()),
                sp.expand((g.T * f)[0, 0] ** 2),
                "tr(H_iH_j) = (g_iᵀg_j)²: 0 iff g_i ⊥ g_j",
            ),
        ]

    return build


def _orthogonal(inst: dict[str, Any]) -> np.ndarray:
    """Members U_i U_iᵀ for disjoint blocks of ``rank`` columns of the orthogonal ``Q``."""
    n, r, Q = inst["n"], inst["rank"], inst["Q"]
    return np.stack([Q[:, i * r : (i + 1) * r] @ Q[:, i * r : (i + 1) * r].T for i in range(n)])


def _second(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(_orthogonal(inst)), 1.0, "==", "σ", "1")


def _orth_instances(ranks: tuple[int, ...]):
    def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(k):
            n, r = int(rng.integers(1, 6)), ranks[i % len(ranks)]
            d = n * r + int(rng.integers(0, 3))
            Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
            out.append({"n": n, "rank": r, "Q": Q})
        return out

    return generate


def _orth_hyp(rank_one: bool) -> tuple[Hypothesis, ...]:
    def ok(inst: dict[str, Any]) -> bool:
        n, r, Q = inst["n"], inst["rank"], inst["Q"]
        return (
            n >= 1
            and r >= 1
            and Q.shape[0] == Q.shape[1] >= n * r
            and np.allclose(Q.T @ Q, np.eye(Q.shape[0]), atol=1e-10)
            and (r == 1 or not rank_one)
        )

    name = "H_i mutually orthogonal with λ₁(H_i) = 1" + (" and rank one" if rank_one else "")
    return (Hypothesis(name, ok),)


_ORTH_INPUTS = {"n": INT, "rank": INT, "Q": array(2)}
_ORTH_FIXED = [{"n": 2, "rank": 2, "Q": np.eye(4)}, {"n": 3, "rank": 1, "Q": np.eye(3)}]

SECOND_SETTING = Claim(
    id="dexter2024.def2.second_setting",
    title="mutually orthogonal H_i with λ₁(H_i) = 1 give S = I and σ = 1 (as printed)",
    source=SOURCE_31,
    statement=(
        r"If $\operatorname{tr}(H_iH_j)=0$ for $i\ne j$ and $\lambda_1(H_i)=1$ for all $i$, then $S=I$, "
        r"$\lambda_1(S)=1$ and $\sigma=1$."
    ),
    hypotheses=_orth_hyp(rank_one=False),
    conclusion=_second,
    checks=(
        SymbolicCheck("symbolic", _sym_second(False)),
        ExactCheck("exact", _orth_instances((1, 2, 3)), fixed=_ORTH_FIXED),
    ),
    expected=Expected.fails(
        "edge case: S = I needs S_ii = ‖H_i‖_F = λ₁(H_i), i.e. rank-one members, which are the ones §3.1-3.2 "
        "mean (their example is H_i = e_ie_iᵀ; `dexter2024.def2.second_setting.rank_one` holds); beyond rank "
        "one, two orthogonal rank-2 projections (H_1 = diag(1,1,0,0), H_2 = diag(0,0,1,1)) give S = √2·I and "
        "σ = √2",
        "docs/errata/dexter2024.def2.second_setting__exact.md",
        finding="edge-case",
    ),
    kind="closed_form",
    inputs=_ORTH_INPUTS,
)

SECOND_SETTING_RANK_ONE = Claim(
    id="dexter2024.def2.second_setting.rank_one",
    title="mutually orthogonal rank-one H_i with λ₁(H_i) = 1 give σ = 1",
    source=SOURCE_31,
    statement=(
        r"If $H_i=g_ig_i^T$ with orthonormal $g_1,\dots,g_n$ (e.g. $H_i=e_ie_i^T$), then $S=I$ and "
        r"$\sigma=1$."
    ),
    hypotheses=_orth_hyp(rank_one=True),
    conclusion=_second,
    checks=(
        SymbolicCheck("symbolic", _sym_second(True)),
        ExactCheck("exact", _orth_instances((1,)), fixed=_ORTH_FIXED[1:]),
    ),
    # S_ij = √tr(H_iH_j): a rounding error δ in tr(H_iH_j) ≈ 0 becomes √δ ≈ 1e-8 in S
    tolerance=Tolerance(rtol=1e-6, atol=1e-12),
    kind="closed_form",
    inputs=_ORTH_INPUTS,
)


CLAIMS = [SECOND_SETTING, SECOND_SETTING_RANK_ONE]
