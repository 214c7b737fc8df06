r"""Dexter et al. (2024), Definition 2, Theorem 2 and Section 5.1: the range of the coherence measure σ.

Setting
-------
PSD :math:`H_1,\dots,H_n\in\mathbb R^{d\times d}`, not all zero, coherence matrix
:math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F` and coherence measure
:math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)` (Definition 2, :mod:`.def2`).

Statement
---------
Theorem 2 lets σ range over :math:`[n]` and §5.1 sweeps its construction from σ = 1 to σ = n.
The project checks :math:`\sigma\ge1` for every family (``dexter2024.def2.sigma_lower``) and
:math:`\sigma\le n` for rank-one families (``dexter2024.def2.sigma_upper.rank_one``, in
:mod:`.def2_sigma_rank_one`), records that
:math:`\sigma\le n` fails beyond rank one (``dexter2024.def2.sigma_upper``) and checks the
corrected bound :math:`\sigma\le n\sqrt r`, :math:`r=\max_i\operatorname{rank}H_i`
(``dexter2024.def2.sigma_upper.general``).

Finding
-------
**Scope**, not an error of the paper: the paper never bounds σ by :math:`n` for every
family.  Theorem 2's ":math:`\sigma\in[n]`" quantifies over the values its construction realises
(``dexter2024.thm2.construction_sigma``) and §5.1 says that construction interpolates from
σ = 1 to σ = n.  The bound :math:`\sigma\le n` holds for rank-one members, the case the paper
calls particularly important (``…sigma_upper.rank_one``), and fails once rank one is dropped
(``…sigma_upper``, kept as the scope limit): in general :math:`S_{ii}=\|H_i\|_F`, which exceeds
:math:`\lambda_1(H_i)` beyond rank one, :math:`H_i=I_d` (all :math:`i`) gives
:math:`S=\sqrt d\,\mathbf 1\mathbf 1^T` and :math:`\sigma=n\sqrt d`.  What holds in general is
:math:`1\le\sigma\le n\sqrt{r}` with :math:`r=\max_i\operatorname{rank}H_i`
(:math:`S_{ij}\le\sqrt{\|H_i\|_F\|H_j\|_F}\le\sqrt r\max_i\lambda_1(H_i)` and
:math:`\lambda_1(S)\le n\max_{ij}S_{ij}`), tight at :math:`H_i=I_d` (``…sigma_upper.general``).

Evidence
--------
* ``exact``: seeded families of every kind in :data:`verifythm.strategies.FAMILY_KINDS`
  (:math:`n\le6`, :math:`d\le4`), plus the equality cases (identical members, orthogonal
  rank-one members, :math:`H_i=I_d`).  σ through the engine's trace form.
* ``property``: Hypothesis over families (:func:`verifythm.strategies.families`), steered towards
  small slack for the inequalities.
* ``symbolic`` (sympy, symbolic entries): :math:`\det(S_{11}I-S)=-S_{12}^2\le0` (so
  :math:`\lambda_1(S)\ge S_{11}`) and :math:`\|H\|_F^2=\lambda_1^2+\lambda_2^2` for ``sigma_lower``;
  Cauchy–Schwarz through Lagrange's identity
  (:math:`\operatorname{tr}(AB)^2\le\operatorname{tr}A^2\operatorname{tr}B^2`) for the general
  bound, with :math:`\sigma=n\sqrt d` at
  :math:`H_i=I_d`, where the scope-limited :math:`\sigma\le n` fails (as expected).

References
----------
[dexter2024precise, Definition 2] (σ ≥ 1 and the corrected bound); [dexter2024precise, Theorem 2]
('σ ∈ [n]') and [dexter2024precise, Section 5.1] (the sweep from σ = 1 to σ = n).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import array
from verifythm.strategies import families

from ._common import NONZERO_FAMILY, family_stream, max_rank, sigma_at_most_n, sigma_of
from ._symbolic import coherence_sym, lagrange, sym_matrix, top_eigenvalue

_INPUTS = {"hessians": array(3)}
_FAMILIES = st.fixed_dictionaries({"hessians": families(n=st.integers(1, 5), d=st.integers(1, 3))})


def _sym_sigma(which: str) -> Any:
    """Range of σ (Definition 2): σ ≥ 1; σ ≤ n fails beyond rank one; σ ≤ n√r."""

    def build() -> list[Any]:
        import sympy as sp

        out: list[Any] = []
        if which == "lower":  # λ₁(S) ≥ S_11 ≥ λ₁(H_1): S_11 sits between the eigenvalues; ‖H‖_F² = l₁² + l₂²
            S, H = sym_matrix("S", 2), sym_matrix("H", 2)
            out.append(
                Identity((S[0, 0] * sp.eye(2) - S).det(), -(S[0, 1] ** 2), "det(S_11·I − S) = −S_12² ≤ 0")
            )
            out.append(
                Identity(
                    sp.expand((H * H).trace()),
                    sp.expand(H.trace() ** 2 - 2 * H.det()),
                    "‖H‖_F² = (l₁+l₂)² − 2l₁l₂",
                )
            )
            l2 = sp.Symbol("l2", real=True)
            out.append(Nonnegative(l2**2, "‖H‖_F² − λ₁(H)² = λ₂(H)² ≥ 0"))
        elif which == "upper":  # H_i = I₂, n = 2: S = √2·11ᵀ, σ = 2√2 > n
            Hs = [sp.eye(2), sp.eye(2)]
            S = coherence_sym(Hs)
            out.append(Identity(S, sp.sqrt(2) * sp.ones(2, 2), "S = √d·11ᵀ for H_i = I_d (n = d = 2)"))
            out.append(Nonnegative(2 - top_eigenvalue(S) / top_eigenvalue(Hs[0]), "σ ≤ n at H_i = I₂, n = 2"))
        elif which == "general":
            A, Bm = sym_matrix("A", 2), sym_matrix("B", 2)
            r2 = sp.sqrt(2)
            u, v = [A[0, 0], r2 * A[0, 1], A[1, 1]], [Bm[0, 0], r2 * Bm[0, 1], Bm[1, 1]]
            gap = (A * A).trace() * (Bm * Bm).trace() - (A * Bm).trace() ** 2
            out.append(
                Identity(sp.expand(gap), sp.expand(lagrange(u, v)), "tr(A²)tr(B²) − tr(AB)² (Lagrange)")
            )
            out.append(Nonnegative(lagrange(u, v), "S_ij² ≤ ‖H_i‖_F‖H_j‖_F (Cauchy–Schwarz)"))
            l2, dl = sp.symbols("l2 delta", nonnegative=True)  # l₁ = l₂ + δ ≥ l₂ ≥ 0
            out.append(
                Nonnegative(
                    sp.expand(2 * (l2 + dl) ** 2 - ((l2 + dl) ** 2 + l2**2)), "‖H‖_F² ≤ rank·λ₁² (r = 2)"
                )
            )
            S = coherence_sym([sp.eye(2), sp.eye(2)])
            out.append(
                Identity(top_eigenvalue(S), 2 * sp.sqrt(2), "equality at H_i = I_d: σ = n√d (n = d = 2)")
            )
        return out

    return build


# -- 4. the range of σ -----------------------------------------------------------------------
def _sigma_lower(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(inst["hessians"]), 1.0, ">=", "σ", "1")


def _sigma_upper_general(inst: dict[str, Any]) -> Comparison:
    Hs = inst["hessians"]
    return Comparison(
        sigma_of(Hs), float(Hs.shape[0] * np.sqrt(max_rank(Hs))), "<=", "σ", "n·√(max_i rank H_i)"
    )


def _equality_cases() -> list[dict[str, Any]]:
    out = []
    for n, d in ((2, 2), (3, 1), (1, 3), (4, 3)):
        out.append({"hessians": np.stack([np.eye(d)] * n)})  # σ = n√d
        H = np.zeros((n, d, d))
        H[:, 0, 0] = 1.0
        out.append({"hessians": H})  # σ = n
    for n in (1, 3, 5):
        out.append({"hessians": np.stack([np.diag(np.eye(n)[i]) for i in range(n)])})  # σ = 1
    return out


SIGMA_LOWER = Claim(
    id="dexter2024.def2.sigma_lower",
    title="σ ≥ 1",
    source=Source("dexter2024precise", "Definition 2; Theorem 2 ('σ ∈ [n]') and Section 5.1"),
    statement=r"For PSD $H_i$, not all zero, $\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)\ge1$.",
    hypotheses=(psd_family("hessians"), NONZERO_FAMILY),
    conclusion=_sigma_lower,
    inputs=_INPUTS,
    checks=(
        SymbolicCheck("symbolic", _sym_sigma("lower")),
        ExactCheck("exact", family_stream, fixed=_equality_cases()),
        PropertyCheck("property", _FAMILIES),
    ),
)

SIGMA_UPPER = Claim(
    id="dexter2024.def2.sigma_upper",
    title="σ ≤ n for every PSD family (a reading of 'σ ∈ [n]' the paper does not make)",
    source=Source("dexter2024precise", "Theorem 2 ('σ ∈ [n]') and Section 5.1"),
    statement=(
        r"Read beyond the paper: for every PSD family $H_1,\dots,H_n$, not all zero, of any rank, "
        r"$\sigma\le n$ (so that Theorem 2's range $\sigma\in[n]$ would cover every family)."
    ),
    hypotheses=(psd_family("hessians"), NONZERO_FAMILY),
    conclusion=sigma_at_most_n,
    inputs=_INPUTS,
    checks=(
        SymbolicCheck("symbolic", _sym_sigma("upper")),
        ExactCheck("exact", family_stream, fixed=_equality_cases()),
    ),
    expected=Expected.fails(
        "scope, not an error: the paper bounds σ by n nowhere ('σ ∈ [n]' in Theorem 2 ranges over the values "
        "its construction realises, `dexter2024.thm2.construction_sigma`); σ ≤ n needs rank-one members "
        "(`dexter2024.def2.sigma_upper.rank_one` holds): H_i = I_d for all i gives σ = n√d (n = d = 2: "
        "2√2 > 2); in general σ ≤ n·√(max_i rank H_i)",
        "docs/errata/dexter2024.def2.sigma_upper__exact.md",
        finding="scope",
    ),
)

SIGMA_UPPER_GENERAL = Claim(
    id="dexter2024.def2.sigma_upper.general",
    title="σ ≤ n·√(max_i rank H_i) (σ ≤ n for rank-one members)",
    source=Source("dexter2024precise", "Definition 2 (range of σ; project's corrected bound)"),
    statement=(
        r"For PSD $H_i$, not all zero, with $r=\max_i\operatorname{rank}H_i$: $\sigma\le n\sqrt r$; "
        r"equality for $H_i=I_d$ (all $i$), and $\sigma\le n$ when every $H_i$ has rank one."
    ),
    hypotheses=(psd_family("hessians"), NONZERO_FAMILY),
    conclusion=_sigma_upper_general,
    inputs=_INPUTS,
    checks=(
        SymbolicCheck("symbolic", _sym_sigma("general")),
        ExactCheck("exact", family_stream, fixed=_equality_cases()),
        PropertyCheck("property", _FAMILIES),
    ),
)


CLAIMS = [SIGMA_LOWER, SIGMA_UPPER, SIGMA_UPPER_GENERAL]
