r"""Dexter et al. (2024), Definition 2 and §3.1: the coherence matrix S, the measure σ and its range.

Setting
-------
PSD :math:`H_1,\dots,H_n\in\mathbb R^{d\times d}`, not all zero.  The coherence matrix is
:math:`S\in\mathbb R^{n\times n}`, :math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F`, and the
coherence measure is :math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)`.

Statement
---------
1. (Definition 2) :math:`S` is the entry-wise square root of the trace Gram matrix:
   :math:`S_{ij}^2=\operatorname{tr}(H_iH_j)`.
2. (§3.1, first setting) if every :math:`H_i=e_1e_1^T` then :math:`S` is the all-ones
   matrix and the text says :math:`\lambda_1(S)=\sqrt n`, hence :math:`\sigma=\sqrt n`.
3. (§3.1, second setting) mutually orthogonal members (:math:`\operatorname{tr}(H_iH_j)=0`,
   :math:`i\ne j`) with :math:`\lambda_1(H_i)=1` give :math:`S=I` and :math:`\sigma=1`.
4. (range) Theorem 2 lets σ range over :math:`[n]` and §5.1 sweeps its construction from σ = 1 to
   σ = n; the project checks :math:`\sigma\ge1` for every family and :math:`\sigma\le n` for rank-one
   families, and records that :math:`\sigma\le n` fails beyond rank one.

Findings
--------
* Item 2 (**typo**): the text after Definition 2 says that for :math:`H_i=e_1e_1^T` the all-ones
  :math:`S` has :math:`\lambda_1(S)=\sqrt n`, hence :math:`\sigma=\sqrt n`.  The all-ones
  :math:`n\times n` matrix has :math:`\lambda_1=n`, so :math:`\sigma=n`; the proof of Theorem 2
  computes exactly this (:math:`\lambda_1(S)=m\sigma` for a :math:`\sigma\times\sigma` block of
  :math:`m`'s).  ``dexter2024.def2.first_setting`` fails at :math:`n=2` (:math:`\lambda_1(S)=2` vs
  :math:`\sqrt2`); ``…first_setting.as_proved`` (σ = n) holds.  §3.2's remark built on σ = √n
  (``dexter2024.sec3_2.first_setting_condition``) shares this root.
* Item 3 (**edge case**): the text calls the second setting "mutually orthogonal" members and
  concludes :math:`S=I`; that needs :math:`S_{ii}=\|H_i\|_F=\lambda_1(H_i)`, i.e. rank one.  The
  members the paper has in mind are rank one — the example it names in §3.2 is
  :math:`H_i=e_ie_i^T`, and the paragraph before singles out the rank-one case — and there the
  statement holds (``…second_setting.rank_one``).  Two orthogonal rank-2 projections give
  :math:`\sigma=\sqrt2` (``…second_setting``, kept as the edge case).
* Item 4 (**scope**, not an error of the paper): the paper never bounds σ by :math:`n` for every
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
  (:math:`n\le6`, :math:`d\le4`), plus the paper's examples and the equality cases
  (identical members, orthogonal rank-one members, :math:`H_i=I_d`).  S is computed
  from matrix square roots for item 1 and through the engine's trace form elsewhere.
* ``property``: Hypothesis over families (:func:`verifythm.strategies.families`; for
  ``…sigma_upper.rank_one`` the rank-one kinds :data:`verifythm.strategies.RANK_ONE_KINDS`), steered
  towards small slack for the inequalities; identical members attain :math:`\sigma=n`.

References
----------
[dexter2024precise, Definition 2 and Section 3.1]; the range is used in Theorem 2 and §5.1.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Expected, Hypothesis, PropertyCheck, Source, Tolerance
from verifythm.claims.common import psd_family
from verifythm.quantities.coherence import coherence_matrix_dense
from verifythm.strategies import RANK_ONE_KINDS, families, family_instance

from ._common import coherence_matrix, lambda1, sigma_of

SOURCE = Source("dexter2024precise", "Definition 2")
SOURCE_31 = Source("dexter2024precise", "Section 3.1, Definition 2 discussion")
TOL = Tolerance(rtol=1e-9, atol=1e-12)

_NONZERO = Hypothesis("not every H_i is zero", lambda inst: bool(np.any(np.asarray(inst["hessians"]) != 0)))


def _family_stream(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 7)), int(rng.integers(1, 5))
        out.append({"hessians": family_instance(rng, i, n, d)})
    return out


_FAMILIES = st.fixed_dictionaries({"hessians": families(n=st.integers(1, 5), d=st.integers(1, 3))})


# -- 1. S_ij² = tr(H_i H_j) ------------------------------------------------------------------
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
    for inst in _family_stream(rng, k):
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
    source=SOURCE,
    statement=(
        r"For PSD $H_i$, $\|H_i^{1/2}H_j^{1/2}\|_F^2=\operatorname{tr}(H_iH_j)$, so $S$ is the entry-wise "
        r"square root of the Gram matrix of $\{H_i\}$ under the trace inner product."
    ),
    hypotheses=(psd_family("hessians"),),
    conclusion=_s_identity,
    checks=(ExactCheck("exact", _with_weights), PropertyCheck("property", _family_and_weights())),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
    kind="identity",
)


# -- 2. the first setting: H_i = e_1 e_1ᵀ for all i ------------------------------------------
def _first_setting_family(inst: dict[str, Any]) -> np.ndarray:
    n, d = int(inst["n"]), int(inst["d"])
    Hs = np.zeros((n, d, d))
    Hs[:, 0, 0] = 1.0
    return Hs


def _first_literal(inst: dict[str, Any]) -> Comparison:
    S = coherence_matrix(_first_setting_family(inst))
    return Comparison(lambda1(S), float(np.sqrt(inst["n"])), "==", "λ₁(S)", "√n")


def _first_as_proved(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(_first_setting_family(inst)), float(inst["n"]), "==", "σ", "n")


_FIRST_FIXED = [{"n": n, "d": d} for n in (2, 1, 3, 4, 5, 8, 12) for d in (1, 2, 3)]
_SIZES = Hypothesis("n ≥ 1 and d ≥ 1 integers", lambda inst: int(inst["n"]) >= 1 and int(inst["d"]) >= 1)

FIRST_SETTING = Claim(
    id="dexter2024.def2.first_setting",
    title="all H_i = e₁e₁ᵀ gives λ₁(S) = √n (as printed)",
    source=SOURCE_31,
    statement=(
        r"If $H_i=e_1e_1^T$ for every $i\in[n]$, then $S$ is the all-ones $n\times n$ matrix and "
        r"$\lambda_1(S)=\sqrt n$; since $\lambda_1(H_i)=1$, $\sigma=\sqrt n$."
    ),
    hypotheses=(_SIZES,),
    conclusion=_first_literal,
    checks=(ExactCheck("exact", fixed=_FIRST_FIXED),),
    expected=Expected.fails(
        "§3.1 prints λ₁(S) = √n for the all-ones S of identical H_i = e₁e₁ᵀ; the all-ones n×n matrix has "
        "λ₁ = n, so σ = n (n = 2: λ₁(S) = 2 vs √2); Theorem 2's proof computes λ₁(S) = mσ, consistent with "
        "n (`dexter2024.def2.first_setting.as_proved` holds)",
        "docs/errata/dexter2024.def2.first_setting__exact.md",
        finding="typo",
    ),
    tolerance=TOL,
    kind="closed_form",
)

FIRST_SETTING_AS_PROVED = Claim(
    id="dexter2024.def2.first_setting.as_proved",
    title="all H_i = e₁e₁ᵀ gives σ = λ₁(S) = n",
    source=SOURCE_31,
    statement=(
        r"If $H_i=e_1e_1^T$ for every $i\in[n]$, then $S=\mathbf 1\mathbf 1^T$, $\lambda_1(S)=n$ and "
        r"$\sigma=n$ (the value the proof of Theorem 2 computes for a block of equal members)."
    ),
    hypotheses=(_SIZES,),
    conclusion=_first_as_proved,
    checks=(
        ExactCheck("exact", fixed=_FIRST_FIXED),
        PropertyCheck(
            "property",
            st.fixed_dictionaries({"n": st.integers(1, 30), "d": st.integers(1, 4)}),
            max_examples=40,
        ),
    ),
    tolerance=TOL,
    kind="closed_form",
)


# -- 3. the second setting: mutually orthogonal members with λ₁(H_i) = 1 ---------------------
def _orthogonal(inst: dict[str, Any]) -> np.ndarray:
    """Members U_i U_iᵀ for disjoint blocks of ``rank`` columns of the orthogonal ``Q``."""
    n, r, Q = int(inst["n"]), int(inst["rank"]), np.asarray(inst["Q"], float)
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
        Q = np.asarray(inst["Q"], float)
        n, r = int(inst["n"]), int(inst["rank"])
        return (
            n >= 1
            and r >= 1
            and Q.shape[0] == Q.shape[1] >= n * r
            and np.allclose(Q.T @ Q, np.eye(Q.shape[0]), atol=1e-10)
            and (r == 1 or not rank_one)
        )

    name = "H_i mutually orthogonal with λ₁(H_i) = 1" + (" and rank one" if rank_one else "")
    return (Hypothesis(name, ok),)


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
    checks=(ExactCheck("exact", _orth_instances((1, 2, 3)), fixed=_ORTH_FIXED),),
    expected=Expected.fails(
        "edge case: S = I needs S_ii = ‖H_i‖_F = λ₁(H_i), i.e. rank-one members, which are the ones §3.1-3.2 "
        "mean (their example is H_i = e_ie_iᵀ; `dexter2024.def2.second_setting.rank_one` holds); beyond rank "
        "one, two orthogonal rank-2 projections (H_1 = diag(1,1,0,0), H_2 = diag(0,0,1,1)) give S = √2·I and "
        "σ = √2",
        "docs/errata/dexter2024.def2.second_setting__exact.md",
        finding="edge-case",
    ),
    tolerance=TOL,
    kind="closed_form",
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
    checks=(ExactCheck("exact", _orth_instances((1,)), fixed=_ORTH_FIXED[1:]),),
    # S_ij = √tr(H_iH_j): a rounding error δ in tr(H_iH_j) ≈ 0 becomes √δ ≈ 1e-8 in S
    tolerance=Tolerance(rtol=1e-6, atol=1e-12),
    kind="closed_form",
)


# -- 4. the range of σ -----------------------------------------------------------------------
def _sigma_lower(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(inst["hessians"]), 1.0, ">=", "σ", "1")


def _sigma_upper(inst: dict[str, Any]) -> Comparison:
    Hs = inst["hessians"]
    return Comparison(sigma_of(Hs), float(Hs.shape[0]), "<=", "σ", "n")


def _max_rank(Hs: np.ndarray) -> int:
    return max(int(np.linalg.matrix_rank(h, tol=1e-9 * max(float(np.abs(h).max()), 1e-300))) for h in Hs)


def _sigma_upper_general(inst: dict[str, Any]) -> Comparison:
    Hs = inst["hessians"]
    return Comparison(
        sigma_of(Hs), float(Hs.shape[0] * np.sqrt(_max_rank(Hs))), "<=", "σ", "n·√(max_i rank H_i)"
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
    hypotheses=(psd_family("hessians"), _NONZERO),
    conclusion=_sigma_lower,
    checks=(
        ExactCheck("exact", _family_stream, fixed=_equality_cases()),
        PropertyCheck("property", _FAMILIES),
    ),
    tolerance=TOL,
)

SIGMA_UPPER = Claim(
    id="dexter2024.def2.sigma_upper",
    title="σ ≤ n for every PSD family (a reading of 'σ ∈ [n]' the paper does not make)",
    source=Source("dexter2024precise", "Theorem 2 ('σ ∈ [n]') and Section 5.1"),
    statement=(
        r"Read beyond the paper: for every PSD family $H_1,\dots,H_n$, not all zero, of any rank, "
        r"$\sigma\le n$ (so that Theorem 2's range $\sigma\in[n]$ would cover every family)."
    ),
    hypotheses=(psd_family("hessians"), _NONZERO),
    conclusion=_sigma_upper,
    checks=(ExactCheck("exact", _family_stream, fixed=_equality_cases()),),
    expected=Expected.fails(
        "scope, not an error: the paper bounds σ by n nowhere ('σ ∈ [n]' in Theorem 2 ranges over the values "
        "its construction realises, `dexter2024.thm2.construction_sigma`); σ ≤ n needs rank-one members "
        "(`dexter2024.def2.sigma_upper.rank_one` holds): H_i = I_d for all i gives σ = n√d (n = d = 2: "
        "2√2 > 2); in general σ ≤ n·√(max_i rank H_i)",
        "docs/errata/dexter2024.def2.sigma_upper__exact.md",
        finding="scope",
    ),
    tolerance=TOL,
)

SIGMA_UPPER_GENERAL = Claim(
    id="dexter2024.def2.sigma_upper.general",
    title="σ ≤ n·√(max_i rank H_i) (σ ≤ n for rank-one members)",
    source=Source("dexter2024precise", "Definition 2 (range of σ; project's corrected bound)"),
    statement=(
        r"For PSD $H_i$, not all zero, with $r=\max_i\operatorname{rank}H_i$: $\sigma\le n\sqrt r$; "
        r"equality for $H_i=I_d$ (all $i$), and $\sigma\le n$ when every $H_i$ has rank one."
    ),
    hypotheses=(psd_family("hessians"), _NONZERO),
    conclusion=_sigma_upper_general,
    checks=(
        ExactCheck("exact", _family_stream, fixed=_equality_cases()),
        PropertyCheck("property", _FAMILIES),
    ),
    tolerance=TOL,
)


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
    return _max_rank(np.asarray(inst["hessians"], float)) <= 1


SIGMA_UPPER_RANK_ONE = Claim(
    id="dexter2024.def2.sigma_upper.rank_one",
    title="σ ≤ n for rank-one members H_i = g_ig_iᵀ (equality for identical members)",
    source=Source("dexter2024precise", "Definition 2 and its discussion (rank-one case); Section 5.1"),
    statement=(
        r"For rank-one PSD $H_i=g_ig_i^T$, not all zero (the case the paper singles out, where "
        r"$S_{ii}=\lambda_1(H_i)$): $\sigma\le n$, with equality when all members are equal; with "
        r"$\sigma\ge1$ this is the range $[1,n]$ that §5.1's construction sweeps."
    ),
    hypotheses=(psd_family("hessians"), _NONZERO, Hypothesis("every H_i has rank ≤ 1", _rank_one)),
    conclusion=_sigma_upper,
    checks=(
        ExactCheck("exact", _rank_one_stream, fixed=_rank_one_equality()),
        PropertyCheck(
            "property",
            st.fixed_dictionaries(
                {"hessians": families(RANK_ONE_KINDS, n=st.integers(1, 6), d=st.integers(1, 3))}
            ),
        ),
    ),
    tolerance=TOL,
)

CLAIMS = [
    S_IDENTITY,
    FIRST_SETTING,
    FIRST_SETTING_AS_PROVED,
    SECOND_SETTING,
    SECOND_SETTING_RANK_ONE,
    SIGMA_LOWER,
    SIGMA_UPPER,
    SIGMA_UPPER_RANK_ONE,
    SIGMA_UPPER_GENERAL,
]
