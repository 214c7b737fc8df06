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

* ``symbolic`` (sympy, symbolic entries): item 1 — :math:`\|R_iR_j\|_F^2=\operatorname{tr}(R_i^2R_j^2)` for
  symbolic symmetric square roots (:math:`d=2,3`); item 2 — :math:`S=\mathbf 1\mathbf 1^T`,
  :math:`\det(\lambda I-S)=\lambda^{n-1}(\lambda-n)` and :math:`\sigma=n` (:math:`n\le4`), while the printed
  :math:`\lambda_1(S)=\sqrt n` fails at :math:`n=2` (as expected); item 3 — for :math:`H=gg^T`,
  :math:`Hg=\|g\|^2g`, :math:`S_{ii}^2=\|g\|^4`, :math:`\operatorname{tr}H_iH_j=(g_i^Tg_j)^2`, while the
  printed :math:`S_{ii}=\lambda_1(H_i)` fails for a rank-2 projection (as expected); item 4 —
  :math:`\det(S_{11}I-S)=-S_{12}^2\le0` (so :math:`\lambda_1(S)\ge S_{11}`) and
  :math:`\|H\|_F^2=\lambda_1^2+\lambda_2^2` for ``sigma_lower``; Cauchy–Schwarz through Lagrange's
  identity (:math:`\operatorname{tr}(AB)^2\le\operatorname{tr}A^2\operatorname{tr}B^2`,
  :math:`(g^Tf)^2\le\|g\|^2\|f\|^2`)
  for the upper bounds, with :math:`\sigma=n\sqrt d` at :math:`H_i=I_d`, where the scope-limited
  :math:`\sigma\le n` fails (as expected).

References
----------
[dexter2024precise, Definition 2 and Section 3.1]; the range is used in Theorem 2 and §5.1.
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.common import psd_family
from verifythm.quantities.coherence import coherence_matrix_dense
from verifythm.strategies import RANK_ONE_KINDS, families, family_instance

from ._common import coherence_matrix, lambda1, sigma_of
from ._symbolic import sym_matrix

SOURCE = Source("dexter2024precise", "Definition 2")
SOURCE_31 = Source("dexter2024precise", "Section 3.1, Definition 2 discussion")

_NONZERO = Hypothesis("not every H_i is zero", lambda inst: bool(np.any(np.asarray(inst["hessians"]) != 0)))


def _family_stream(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 7)), int(rng.integers(1, 5))
        out.append({"hessians": family_instance(rng, i, n, d)})
    return out


_FAMILIES = st.fixed_dictionaries({"hessians": families(n=st.integers(1, 5), d=st.integers(1, 3))})


# -- symbolic derivations (sympy, symbolic entries at small sizes) ------------------------------
def _coherence_sym(Hs: list[Any]) -> Any:
    """S_ij = sqrt(tr(H_iH_j)) of sympy matrices (Definition 2 through item 1's identity)."""
    import sympy as sp

    n = len(Hs)
    return sp.Matrix(n, n, lambda i, j: sp.sqrt((Hs[i] * Hs[j]).trace()))


def _top(M: Any) -> Any:
    import sympy as sp

    return sp.Max(*M.eigenvals().keys())


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


def _sym_first(literal: bool) -> Any:
    """§3.1, first setting: H_i = e₁e₁ᵀ gives S = 11ᵀ; λ₁(S) = n (the text prints √n)."""

    def build() -> list[Any]:
        import sympy as sp

        lam = sp.Symbol("lambda")
        out: list[Any] = []
        for n in (2, 3, 4):
            Hs = [sp.diag(1, 0)] * n
            S = _coherence_sym(Hs)
            out.append(Identity(S, sp.ones(n, n), f"S = 11ᵀ, n = {n}"))
            if literal:
                out.append(Identity(_top(S), sp.sqrt(n), f"printed: λ₁(S) = √n, n = {n}"))
            else:
                out.append(
                    Identity(
                        (lam * sp.eye(n) - S).det(), lam ** (n - 1) * (lam - n), f"det(λI − 11ᵀ), n = {n}"
                    )
                )
                out.append(Identity(_top(S) / _top(Hs[0]), n, f"σ = λ₁(S)/max λ₁(H_i) = n, n = {n}"))
        return out

    return build


def _sym_second(rank_one: bool) -> Any:
    """§3.1, second setting: orthogonal members give S = I iff S_ii = ‖H_i‖_F equals λ₁(H_i) (rank one)."""

    def build() -> list[Any]:
        import sympy as sp

        if not rank_one:  # two orthogonal rank-2 projections in R⁴: the printed S = I needs ‖P‖_F = λ₁(P)
            P1, P2 = sp.diag(1, 1, 0, 0), sp.diag(0, 0, 1, 1)
            S = _coherence_sym([P1, P2])
            return [
                Identity(S[0, 1], 0, "tr(H₁H₂) = 0: off-diagonal S_12 = 0"),
                Identity(S[0, 0], _top(P1), "printed: S_ii = ‖H_i‖_F = λ₁(H_i) = 1 (rank-2 projection)"),
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


def _lagrange(u: list[Any], v: list[Any]) -> Any:
    return sum((u[p] * v[q] - u[q] * v[p]) ** 2 for p in range(len(u)) for q in range(p + 1, len(u)))


def _sym_sigma(which: str) -> Any:
    """Range of σ (Definition 2): σ ≥ 1; σ ≤ n fails beyond rank one; σ ≤ n√r; σ ≤ n for rank one."""

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
            S = _coherence_sym(Hs)
            out.append(Identity(S, sp.sqrt(2) * sp.ones(2, 2), "S = √d·11ᵀ for H_i = I_d (n = d = 2)"))
            out.append(Nonnegative(2 - _top(S) / _top(Hs[0]), "σ ≤ n at H_i = I₂, n = 2"))
        elif which == "general":
            A, Bm = sym_matrix("A", 2), sym_matrix("B", 2)
            r2 = sp.sqrt(2)
            u, v = [A[0, 0], r2 * A[0, 1], A[1, 1]], [Bm[0, 0], r2 * Bm[0, 1], Bm[1, 1]]
            gap = (A * A).trace() * (Bm * Bm).trace() - (A * Bm).trace() ** 2
            out.append(
                Identity(sp.expand(gap), sp.expand(_lagrange(u, v)), "tr(A²)tr(B²) − tr(AB)² (Lagrange)")
            )
            out.append(Nonnegative(_lagrange(u, v), "S_ij² ≤ ‖H_i‖_F‖H_j‖_F (Cauchy–Schwarz)"))
            l2, dl = sp.symbols("l2 delta", nonnegative=True)  # l₁ = l₂ + δ ≥ l₂ ≥ 0
            out.append(
                Nonnegative(
                    sp.expand(2 * (l2 + dl) ** 2 - ((l2 + dl) ** 2 + l2**2)), "‖H‖_F² ≤ rank·λ₁² (r = 2)"
                )
            )
            S = _coherence_sym([sp.eye(2), sp.eye(2)])
            out.append(Identity(_top(S), 2 * sp.sqrt(2), "equality at H_i = I_d: σ = n√d (n = d = 2)"))
        else:  # rank one: S_ij = |g_iᵀg_j| ≤ ‖g_i‖‖g_j‖ ≤ max λ₁(H_i); λ₁(S) ≤ n·max S_ij
            g = list(sp.symbols("g1:4", real=True))
            f = list(sp.symbols("f1:4", real=True))
            gap = (
                sum(x * x for x in g) * sum(x * x for x in f)
                - sum(a * b for a, b in zip(g, f, strict=True)) ** 2
            )
            out.append(Identity(sp.expand(gap), sp.expand(_lagrange(g, f)), "‖g‖²‖f‖² − (gᵀf)² (Lagrange)"))
            out.append(Nonnegative(_lagrange(g, f), "S_ij ≤ √(λ₁(H_i)λ₁(H_j)) for rank-one members"))
            for n in (2, 3):
                gs = [sp.Matrix([sp.Symbol(f"c{i}", positive=True), 0]) for i in range(n)]
                S = _coherence_sym([x * x.T for x in gs])
                out.append(
                    Identity(
                        _top(S), sum(x[0] ** 2 for x in gs), f"identical directions: λ₁(S) = Σ‖g_i‖², n = {n}"
                    )
                )
        return out

    return build


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
    checks=(
        SymbolicCheck("symbolic", _sym_s_identity),
        ExactCheck("exact", _with_weights),
        PropertyCheck("property", _family_and_weights()),
    ),
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
        SymbolicCheck("symbolic", _sym_sigma("lower")),
        ExactCheck("exact", _family_stream, fixed=_equality_cases()),
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
    hypotheses=(psd_family("hessians"), _NONZERO),
    conclusion=_sigma_upper,
    checks=(
        SymbolicCheck("symbolic", _sym_sigma("upper")),
        ExactCheck("exact", _family_stream, fixed=_equality_cases()),
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
    hypotheses=(psd_family("hessians"), _NONZERO),
    conclusion=_sigma_upper_general,
    checks=(
        SymbolicCheck("symbolic", _sym_sigma("general")),
        ExactCheck("exact", _family_stream, fixed=_equality_cases()),
        PropertyCheck("property", _FAMILIES),
    ),
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
        SymbolicCheck("symbolic", _sym_sigma("rank_one")),
        ExactCheck("exact", _rank_one_stream, fixed=_rank_one_equality()),
        PropertyCheck(
            "property",
            st.fixed_dictionaries(
                {"hessians": families(RANK_ONE_KINDS, n=st.integers(1, 6), d=st.integers(1, 3))}
            ),
        ),
    ),
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
