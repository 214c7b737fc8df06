r"""Dexter et al. (2024), Definition 2: S_ij² = tr(H_iH_j), and σ = 1 for orthogonal rank-one members.

Setting
-------
PSD :math:`H_1,\dots,H_n\in\mathbb R^{d\times d}`, not all zero.  The coherence matrix is
:math:`S\in\mathbb R^{n\times n}`, :math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F`, and the
coherence measure is :math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)`.

Statement
---------
``dexter2024.def2.s_trace_identity``: :math:`S_{ij}^2=\operatorname{tr}(H_iH_j)`, so :math:`S` is
the entry-wise square root of the Gram matrix of :math:`\{H_i\}` under the trace inner product.
With it, §3.1's second setting (Definition 2 discussion): mutually orthogonal members
(:math:`\operatorname{tr}(H_iH_j)=0`, :math:`i\ne j`) with :math:`\lambda_1(H_i)=1` give :math:`S=I`,
:math:`\lambda_1(S)=1` and :math:`\sigma=1` (``dexter2024.def2.second_setting``); for rank-one members
:math:`H_i=g_ig_i^T` with orthonormal :math:`g_i` (e.g. :math:`H_i=e_ie_i^T`)
(``dexter2024.def2.second_setting.rank_one``).  The first setting is :mod:`.first_setting`; the range
of :math:`\sigma` is :mod:`.def2_sigma`.

Finding
-------
**Edge case** (the second setting): the text calls the second setting "mutually orthogonal" members and
concludes :math:`S=I`; that needs :math:`S_{ii}=\|H_i\|_F=\lambda_1(H_i)`, i.e. rank one.  The
members the paper has in mind are rank one — the example it names in §3.2 is
:math:`H_i=e_ie_i^T`, and the paragraph before singles out the rank-one case — and there the
statement holds (``…second_setting.rank_one``).  Two orthogonal rank-2 projections give
:math:`\sigma=\sqrt2` (``…second_setting``, kept as the edge case).

Evidence
--------
* ``exact``: seeded families of every kind in :data:`verifythm.strategies.FAMILY_KINDS`
  (:math:`n\le6`, :math:`d\le4`) with positive weights :math:`X_{ij}\in[0.5,1.5]`; :math:`S` is
  computed from matrix square roots and compared through :math:`\sum X_{ij}S_{ij}^2` against
  :math:`\sum X_{ij}\operatorname{tr}(H_iH_j)` (relative tolerance :math:`10^{-8}`).  The second
  setting: seeded orthogonal families :math:`U_iU_i^T` (disjoint column blocks of a random
  orthogonal :math:`Q`, rank 1–3, :math:`n\le5`) plus :math:`H_1=\mathrm{diag}(1,1,0,0)`,
  :math:`H_2=\mathrm{diag}(0,0,1,1)` and :math:`H_i=e_ie_i^T`; σ through the engine's trace form.
* ``property``: Hypothesis over families (:func:`verifythm.strategies.families`) and weights
  (the identity).
* ``symbolic`` (sympy, symbolic entries): :math:`\|R_iR_j\|_F^2=\operatorname{tr}(R_i^2R_j^2)` for
  symbolic symmetric square roots (:math:`d=2,3`); the second setting — for :math:`H=gg^T`,
  :math:`Hg=\|g\|^2g`, :math:`S_{ii}^2=\|g\|^4`, :math:`\operatorname{tr}H_iH_j=(g_i^Tg_j)^2`, while the
  printed :math:`S_{ii}=\lambda_1(H_i)` fails for a rank-2 projection (as expected).

References
----------
[dexter2024precise, Definition 2]; the second setting: [dexter2024precise, Section 3.1, Definition 2
discussion].
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
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import INT, array
from verifythm.quantities.coherence import coherence_matrix_dense
from verifythm.strategies import families

from ._common import family_stream, sigma_of
from ._symbolic import coherence_sym, sym_matrix, top_eigenvalue

SOURCE_31 = Source("dexter2024precise", "Section 3.1, Definition 2 discussion")


def _sym_s_identity() -> list[Any]:
    """Definition 2: ‖H_i^{1/2}H_j^{1/2}‖_F² = tr(H_iH_j), symbolic symmetric square roots R (d = 2, 3)."""
    import sympy as sp

    out: list[Any] = []
    for d in (2, 3):
        Ri, Rj = sym_matrix("R", d), sym_matrix("Q", d)
        fro2 = sum(x**2 for x in Ri * Rj)
        out.append(
            Identity(
                sp.expand(fro2), sp.expand((Ri * Ri * Rj * Rj).trace()), f"‖R_iR_j‖_F² = tr(H_iH_j), d = {d}"
            )
        )
    return out


def _s_identity(inst: dict[str, Any]) -> Comparison:
    Hs, X = inst["hessians"], inst["X"]
    S = coherence_matrix_dense(Hs)  # ‖H_i^{1/2} H_j^{1/2}‖_F by matrix square roots
    G = np.einsum("iab,jab->ij", Hs, Hs)  # tr(H_i H_j)
    scale = float(np.sum(np.abs(X) * np.abs(G))) + 1e-300
    return Comparison(
        float(np.sum(X * S * S)), float(np.sum(X * G)), "==", "Σ X_ij S_ij²", "Σ X_ij tr(H_iH_j)", scale=scale
    )


def _with_weights(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for inst in family_stream(rng, k):
        n = inst["hessians"].shape[0]
        inst["X"] = rng.uniform(0.5, 1.5, size=(n, n))
        out.append(inst)
    return out


@st.composite
def _family_and_weights(draw: Any) -> dict[str, Any]:
    Hs = draw(families(n=st.integers(1, 4), d=st.integers(1, 3)))
    n = Hs.shape[0]
    w = draw(st.lists(st.floats(0.5, 1.5), min_size=n * n, max_size=n * n))
    return {"hessians": Hs, "X": np.array(w).reshape(n, n)}


S_IDENTITY = Claim(
    id="dexter2024.def2.s_trace_identity",
    title="S_ij = ‖H_i^{1/2}H_j^{1/2}‖_F satisfies S_ij² = tr(H_iH_j)",
    source=Source("dexter2024precise", "Definition 2"),
    statement=(
        r"For PSD $H_i$, $\|H_i^{1/2}H_j^{1/2}\|_F^2=\operatorname{tr}(H_iH_j)$, so $S$ is the entry-wise "
        r"square root of the Gram matrix of $\{H_i\}$ under the trace inner product."
    ),
    hypotheses=(psd_family("hessians"),),
    conclusion=_s_identity,
    checks=(
        SymbolicCheck("symbolic", _sym_s_identity),
        ExactCheck("exact", _with_weights),
        PropertyCheck("property", _family_and_weights()),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
    kind="identity",
    inputs={"hessians": array(3), "X": array(2)},
)


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


# -- 3. the second setting: mutually orthogonal members with λ₁(H_i) = 1 ---------------------
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


CLAIMS = [S_IDENTITY, SECOND_SETTING, SECOND_SETTING_RANK_ONE]
