r"""Dexter et al. (2024), Section 3.1: Definition 2's two example settings, σ = n (printed √n) and σ = 1.

Setting
-------
PSD :math:`H_1,\dots,H_n\in\mathbb R^{d\times d}`, coherence matrix
:math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F` and coherence measure
:math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)` (Definition 2, :mod:`.definition2`).

Statement
---------
1. (first setting) if every :math:`H_i=e_1e_1^T` then :math:`S` is the all-ones matrix and the
   text says :math:`\lambda_1(S)=\sqrt n`, hence :math:`\sigma=\sqrt n`
   (``dexter2024.def2.first_setting``); as proved, :math:`\sigma=n`
   (``dexter2024.def2.first_setting.as_proved``).
2. (second setting) mutually orthogonal members (:math:`\operatorname{tr}(H_iH_j)=0`,
   :math:`i\ne j`) with :math:`\lambda_1(H_i)=1` give :math:`S=I` and :math:`\sigma=1`
   (``dexter2024.def2.second_setting``); for rank-one members
   (``dexter2024.def2.second_setting.rank_one``).

Finding
-------
* Item 1 (**typo**): the text after Definition 2 says that for :math:`H_i=e_1e_1^T` the all-ones
  :math:`S` has :math:`\lambda_1(S)=\sqrt n`, hence :math:`\sigma=\sqrt n`.  The all-ones
  :math:`n\times n` matrix has :math:`\lambda_1=n`, so :math:`\sigma=n`; the proof of Theorem 2
  computes exactly this (:math:`\lambda_1(S)=m\sigma` for a :math:`\sigma\times\sigma` block of
  :math:`m`'s).  ``dexter2024.def2.first_setting`` fails at :math:`n=2` (:math:`\lambda_1(S)=2` vs
  :math:`\sqrt2`); ``…first_setting.as_proved`` (σ = n) holds.  §3.2's remark built on σ = √n
  (``dexter2024.sec3_2.first_setting_condition``) shares this root.
* Item 2 (**edge case**): the text calls the second setting "mutually orthogonal" members and
  concludes :math:`S=I`; that needs :math:`S_{ii}=\|H_i\|_F=\lambda_1(H_i)`, i.e. rank one.  The
  members the paper has in mind are rank one — the example it names in §3.2 is
  :math:`H_i=e_ie_i^T`, and the paragraph before singles out the rank-one case — and there the
  statement holds (``…second_setting.rank_one``).  Two orthogonal rank-2 projections give
  :math:`\sigma=\sqrt2` (``…second_setting``, kept as the edge case).

Evidence
--------
* ``exact``: the paper's examples at :math:`n\in\{1,2,3,4,5,8,12\}`, :math:`d\le3` (item 1);
  seeded orthogonal families :math:`U_iU_i^T` (disjoint column blocks of a random orthogonal
  :math:`Q`, rank 1–3) plus :math:`H_1=\mathrm{diag}(1,1,0,0)`, :math:`H_2=\mathrm{diag}(0,0,1,1)` and
  :math:`H_i=e_ie_i^T` (item 2).  σ through the engine's trace form.
* ``property``: Hypothesis over :math:`n\le30`, :math:`d\le4` for ``…first_setting.as_proved``.
* ``symbolic`` (sympy, symbolic entries): item 1 — :math:`S=\mathbf 1\mathbf 1^T`,
  :math:`\det(\lambda I-S)=\lambda^{n-1}(\lambda-n)` and :math:`\sigma=n` (:math:`n\le4`), while the
  printed :math:`\lambda_1(S)=\sqrt n` fails at :math:`n=2` (as expected); item 2 — for
  :math:`H=gg^T`, :math:`Hg=\|g\|^2g`, :math:`S_{ii}^2=\|g\|^4`,
  :math:`\operatorname{tr}H_iH_j=(g_i^Tg_j)^2`, while the printed :math:`S_{ii}=\lambda_1(H_i)` fails
  for a rank-2 projection (as expected).

References
----------
[dexter2024precise, Section 3.1, Definition 2 discussion].
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

from ._common import coherence_matrix, lambda1, sigma_of
from ._symbolic import coherence_sym, top_eigenvalue

SOURCE_31 = Source("dexter2024precise", "Section 3.1, Definition 2 discussion")


def _sym_first(literal: bool) -> Any:
    """§3.1, first setting: H_i = e₁e₁ᵀ gives S = 11ᵀ; λ₁(S) = n (the text prints √n)."""

    def build() -> list[Any]:
        import sympy as sp

        lam = sp.Symbol("lambda")
        out: list[Any] = []
        for n in (2, 3, 4):
            Hs = [sp.diag(1, 0)] * n
            S = coherence_sym(Hs)
            out.append(Identity(S, sp.ones(n, n), f"S = 11ᵀ, n = {n}"))
            if literal:
                out.append(Identity(top_eigenvalue(S), sp.sqrt(n), f"printed: λ₁(S) = √n, n = {n}"))
            else:
                out.append(
                    Identity(
                        (lam * sp.eye(n) - S).det(), lam ** (n - 1) * (lam - n), f"det(λI − 11ᵀ), n = {n}"
                    )
                )
                out.append(
                    Identity(
                        top_eigenvalue(S) / top_eigenvalue(Hs[0]), n, f"σ = λ₁(S)/max λ₁(H_i) = n, n = {n}"
                    )
                )
        return out

    return build


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
    checks=(
        SymbolicCheck("symbolic", _sym_first(True)),
        ExactCheck("exact", fixed=_FIRST_FIXED),
    ),
    expected=Expected.fails(
        "§3.1 prints λ₁(S) = √n for the all-ones S of identical H_i = e₁e₁ᵀ; the all-ones n×n matrix has "
        "λ₁ = n, so σ = n (n = 2: λ₁(S) = 2 vs √2); Theorem 2's proof computes λ₁(S) = mσ, consistent with "
        "n (`dexter2024.def2.first_setting.as_proved` holds)",
        "docs/errata/dexter2024.def2.first_setting__exact.md",
        finding="typo",
    ),
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
        SymbolicCheck("symbolic", _sym_first(False)),
        ExactCheck("exact", fixed=_FIRST_FIXED),
        PropertyCheck(
            "property",
            st.fixed_dictionaries({"n": st.integers(1, 30), "d": st.integers(1, 4)}),
            max_examples=40,
        ),
    ),
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
)

CLAIMS = [FIRST_SETTING, FIRST_SETTING_AS_PROVED, SECOND_SETTING, SECOND_SETTING_RANK_ONE]
