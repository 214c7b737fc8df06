r"""Dexter et al. (2024), Lemma 4.1, proof in Appendix A.2: the sum identity, the bound for (i) and Eq. (3).

Setting
-------
As in Lemma 4.1 (:mod:`.lemma4_1`): PSD :math:`H_1,\dots,H_n` (:math:`d\times d`),
:math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`, Bernoulli sampling (Definition 1),
:math:`P_k=\hat J_k\cdots\hat J_1`, :math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}`, the operator
:math:`\mathcal S(W)=\sum_iH_iWH_i` (a sum, not a mean; self-adjoint for the trace inner product,
PSD-preserving) and :math:`N_r=c^r\mathcal S^r(I)`.

Statement
---------
* ``dexter2024.lemma4_1.product_sum``: :math:`\sum_{y_1..y_k}\|H_{y_k}\cdots H_{y_1}\|_F^2 =
  \operatorname{tr}\mathcal S^k(I)` (the proof's :math:`\operatorname{tr}N_r/c^r`).  Used in both
  conditions of Lemma 4.1: hence :math:`c^k\sum_y\|\cdot\|_F^2\to\infty` iff
  :math:`c\,\rho(\mathcal S)>1`, and :math:`\epsilon^{-k}c^k\sum_y\|\cdot\|_F^2\to0` iff
  :math:`c\,\rho(\mathcal S)<\epsilon`.
* ``dexter2024.lemma4_1.i.as_proved``: for every :math:`k\ge1`,
  :math:`\mathbb E\|P_k\|_F^2\ge\operatorname{tr}J^{2k}+c^k\operatorname{tr}\mathcal S^k(I)` (the trace
  of :math:`\mathbb E[P_k^TP_k]\succeq M_k`), with equality at :math:`k=1` (the base case,
  ``dexter2024.lemma4_1.base_case``).
* ``dexter2024.lemma4_1.eq3``: Eq. (3), under the hypotheses of Lemma 4.1 (ii),
  :math:`\mathbb E[P_k^TP_k]\preceq\sum_{r=0}^k(1-\epsilon)^{2(k-r)}\binom kr N_r` (Loewner order).

As proved
---------
The proof of Lemma 4.1 (i) establishes ``.i.as_proved`` by induction on :math:`k`, dropping PSD
terms at each step; the proof of (ii) rests on Eq. (3).

Finding
-------
**Proof-gap**: Eq. (3) is false in the Loewner order: its inductive step bounds
:math:`JXJ\preceq(1-\epsilon)^2X` for PSD :math:`X`, which needs :math:`J` and :math:`X` to commute.
Counterexample (``k = 2``): :math:`H_i=g_ig_i^T` with :math:`g=(-1.3,0.9),(-2,-1.7),(1.1,-1),(-1.4,0)`,
:math:`B=3`, :math:`\eta=0.6`, :math:`\epsilon=0.62` (all hypotheses of (ii) hold):
:math:`\lambda_{\min}(\text{RHS}-\text{LHS})<0`.  Part (ii) itself still holds — :math:`\mathcal T` is
self-adjoint, so :math:`\rho(\mathcal T)\le\|J\|_2^2+c\rho(\mathcal S)<(1-\epsilon)^2+\epsilon<1` —
and so does the trace of Eq. (3) at :math:`k=2`; ``.ii`` is verified exactly, and the
replacement bound :math:`\rho(\mathcal T)\le\|J\|_2^2+c\rho(\mathcal S)` is
``.ii.radius_bound`` (both in :mod:`.lemma4_1`).

Evidence
--------
* ``exact``: ``.product_sum`` — :math:`\operatorname{tr}\mathcal S^k(I)` by iterating :math:`\mathcal S`
  against enumeration of all :math:`n^k` products (:math:`n\le4`, :math:`k\le4`), families of every
  kind; ``.i.as_proved`` — :math:`\mathbb E\|P_k\|_F^2=\operatorname{tr}\mathcal T^k(I)` from the engine
  (:func:`verifythm.dynamics.moment_trajectory`), families of every kind (:math:`n\le5`,
  :math:`d\le3`), :math:`\eta\lambda_1(H)\in[0.1,2.5]`, :math:`k\le6` (a quarter at :math:`k=1`);
  ``.eq3`` — seeded instances meeting the hypotheses of (ii) (largest admissible
  :math:`\epsilon`, :math:`k\le3`) plus the counterexample.
* ``property``: Hypothesis families for ``.product_sum`` (:math:`n\le3`, :math:`d\le3`, :math:`k\le4`).
* ``symbolic`` (sympy, the proof's algebra): ``.product_sum`` — the identity for symbolic symmetric
  :math:`2\times2` members, :math:`n=2`, :math:`k=2,3`; ``.i.as_proved`` — the recursion
  :math:`JM_{k-1}J+c\sum_iH_iM_{k-1}H_i-M_k=JN_{k-1}J+c\sum_iH_iJ^{2(k-1)}H_i` (the dropped terms,
  each of the form :math:`AXA`, :math:`X\succeq0`), :math:`k\le4`; ``.eq3`` — the inductive step's
  :math:`JXJ\preceq(1-\epsilon)^2X`, derived for :math:`X=\mathbf 1\mathbf 1^T`,
  :math:`J=\mathrm{diag}(0,(1-\epsilon)/(1+s))` (inside the hypotheses), where the determinant of
  :math:`(1-\epsilon)^2X-JXJ` is :math:`-(1-\epsilon)^4/(1+s)^2<0`: it fails, as expected.
* ``.eq3``: a float64 violation is re-checked independently (``precise_conclusion``): both sides of
  Eq. (3) in exact rationals of the inputs, :math:`\lambda_{\min}` of the difference in mpmath (50 digits).

References
----------
[dexter2024precise, Lemma 4.1, proof in Appendix A.2]; Eq. (3): [dexter2024precise, Lemma 4.1, proof
of part (ii), Eq. (3)].
"""

from __future__ import annotations

import math
from fractions import Fraction
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
)
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import INT, REAL, array
from verifythm.dynamics import moment_operator, moment_trajectory
from verifythm.linalg import precise as LP
from verifythm.strategies import families, family_instance

from ._common import enumerated_product_sum, lambda1, noise_factor, sandwich, sandwich_power_trace
from ._exact import eye_exact, frac, noise_factor_exact, sandwich_exact
from ._lemma4_1 import EQ3_COUNTEREXAMPLE, cond_ii, gen_ii
from ._symbolic import sym_matrix

SOURCE_PROOF = Source("dexter2024precise", "Lemma 4.1, proof in Appendix A.2")
INPUTS = {"hessians": array(3), "B": INT, "eta": REAL, "k": INT}


def _symbolic_product_sum() -> list[Any]:
    """Proof of Lemma 4.1, tr N_r / c^r: Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² = tr S^k(I) (n = 2, 2×2, k = 2, 3)."""
    import itertools

    import sympy as sp

    Hs = [sym_matrix(f"H{i + 1}", 2) for i in range(2)]
    out: list[Any] = []
    for k in (2, 3):
        total = 0
        for y in itertools.product(range(2), repeat=k):
            P = sp.eye(2)
            for i in y:
                P = Hs[i] * P
            total += sum(x**2 for x in P)
        W = sp.eye(2)
        for _ in range(k):
            W = sum((h * W * h for h in Hs), sp.zeros(2))
        out.append(Identity(sp.expand(total), sp.expand(W.trace()), f"Σ_y ‖H_y⋯‖_F² = tr S^k(I), k = {k}"))
    return out


# -- the sum over products -----------------------------------------------------------------
def _sum_identity(inst: dict[str, Any]) -> Comparison:
    Hs, k = inst["hessians"], inst["k"]
    return Comparison(
        enumerated_product_sum(Hs, k),
        sandwich_power_trace(Hs, k),
        "==",
        "Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² (enumerated)",
        "tr S^k(I)",
    )


def _sum_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        out.append({"hessians": family_instance(rng, i, n, d), "k": int(rng.integers(1, 5))})
    return out


@st.composite
def _sum_strategy(draw: Any) -> dict[str, Any]:
    return {
        "hessians": draw(families(n=st.integers(1, 3), d=st.integers(1, 3))),
        "k": draw(st.integers(1, 4)),
    }


SUM_IDENTITY = Claim(
    id="dexter2024.lemma4_1.product_sum",
    title="Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² = tr S^k(I) with S(W) = Σ_i H_i W H_i",
    source=SOURCE_PROOF,
    statement=(
        r"$\sum_{y_1,\dots,y_k=1}^n\|H_{y_k}\cdots H_{y_1}\|_F^2=\operatorname{tr}\mathcal S^k(I)$ "
        r"with $\mathcal S(W)=\sum_iH_iWH_i$ (the proof's $\operatorname{tr}N_r/c^r$)."
    ),
    hypotheses=(psd_family("hessians"),),
    conclusion=_sum_identity,
    checks=(
        SymbolicCheck("symbolic", _symbolic_product_sum),
        ExactCheck("exact", _sum_generate),
        PropertyCheck("property", _sum_strategy(), max_examples=60),
    ),
    kind="identity",
    inputs={"hessians": array(3), "k": INT},
)


def _symbolic_recursion() -> list[Any]:
    """Proof of Lemma 4.1 (i): J M_{k−1} J + cΣH_iM_{k−1}H_i − M_k = the dropped A X A terms (k ≤ 4)."""
    import sympy as sp

    J, N = sp.symbols("J N", commutative=False)  # N = N_{k−1} (PSD)
    c = sp.Symbol("c", nonnegative=True)
    out: list[Any] = []
    for n in (1, 2, 3):
        Hs = sp.symbols(f"H1:{n + 1}", commutative=False)
        for k in (2, 3, 4):
            M_prev = J ** (2 * (k - 1)) + N
            M_k = J ** (2 * k) + c * sum(h * N * h for h in Hs)
            step = J * M_prev * J + c * sum(h * M_prev * h for h in Hs)
            dropped = J * N * J + c * sum(h * J ** (2 * (k - 1)) * h for h in Hs)
            out.append(
                Identity(sp.expand(step - M_k), sp.expand(dropped), f"M_k recursion, n = {n}, k = {k}")
            )
    return out


# -- part (i), the proof's bound ------------------------------------------------------------
def _lower_bound(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B, k = inst["hessians"], inst["eta"], inst["B"], inst["k"]
    n, d, _ = Hs.shape
    op = moment_operator(hessians=Hs, eta=eta, batch_size=B, sampling="bernoulli")
    lhs = float(moment_trajectory(op, k).product_fro2[k])
    J = np.eye(d) - eta * Hs.mean(axis=0)
    J2k = np.linalg.matrix_power(J @ J, k)
    rhs = float(np.trace(J2k)) + noise_factor(eta, n, B) ** k * sandwich_power_trace(Hs, k)
    return Comparison(lhs, rhs, ">=", "E‖Ĵ_k⋯Ĵ_1‖_F² (exact)", "tr J^{2k} + c^k Σ_y‖H_{y_k}⋯H_{y_1}‖_F²")


def _gen_lb(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        lam = max(lambda1(Hs.mean(axis=0)), 1e-12)
        out.append(
            {
                "hessians": Hs,
                "B": int(rng.integers(1, n + 1)),
                "eta": float(rng.uniform(0.1, 2.5)) / lam,
                "k": 1 if i % 4 == 0 else int(rng.integers(2, 7)),
            }
        )
    return out


LOWER_BOUND = Claim(
    id="dexter2024.lemma4_1.i.as_proved",
    title="E‖Ĵ_k⋯Ĵ_1‖_F² ≥ tr J^{2k} + c^k Σ_y ‖H_{y_k}⋯H_{y_1}‖_F² for every k",
    source=SOURCE_PROOF,
    statement=(
        r"For every $k\ge1$: $\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2\ge\operatorname{tr}J^{2k}+"
        r"(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2$ (trace of "
        r"$\mathbb E[P_k^TP_k]\succeq M_k$), with equality at $k=1$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis(
            "1 ≤ B ≤ n, η > 0, k ≥ 1",
            lambda i: 1 <= i["B"] <= i["hessians"].shape[0] and i["eta"] > 0 and i["k"] >= 1,
        ),
    ),
    conclusion=_lower_bound,
    checks=(SymbolicCheck("symbolic", _symbolic_recursion), ExactCheck("exact", _gen_lb)),
    inputs=INPUTS,
)


def _symbolic_eq3() -> list[Any]:
    """Eq. (3), inductive step: JXJ ⪯ (1−ε)²X, derived on X = 11ᵀ, J = diag(0, (1−ε)/(1+s)) (false)."""
    import sympy as sp

    t, s = sp.symbols("t s", positive=True)
    q = 1 / (1 + t)  # 1 − ε ∈ (0, 1)
    X = sp.ones(2, 2)
    J = sp.diag(0, q / (1 + s))  # −(1−ε)I ≺ J ≺ (1−ε)I
    D = q**2 * X - J * X * J
    return [
        Nonnegative(sp.factor(D[0, 0]), "(1−ε)²X − JXJ: (1,1) entry ≥ 0"),
        Nonnegative(sp.factor(D[1, 1]), "(1−ε)²X − JXJ: (2,2) entry ≥ 0"),
        Nonnegative(sp.factor(D.det()), "Eq. (3) inductive step JXJ ⪯ (1−ε)²X: det((1−ε)²X − JXJ) ≥ 0"),
    ]


# -- Eq. (3) ---------------------------------------------------------------------------------
def _eq3(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B, eps, k = inst["hessians"], inst["eta"], inst["B"], inst["eps"], inst["k"]
    n, d, _ = Hs.shape
    c = noise_factor(eta, n, B)
    J = np.eye(d) - eta * Hs.mean(axis=0)
    L = np.eye(d)
    for _ in range(k):  # E[P_kᵀP_k] = T^k(I), T(W) = JWJ + c S(W) (base case of Lemma 4.1)
        L = J @ L @ J + c * sandwich(Hs, L)
    N = [np.eye(d)]
    for _ in range(k):
        N.append(c * sandwich(Hs, N[-1]))
    R = sum((1 - eps) ** (2 * (k - r)) * math.comb(k, r) * N[r] for r in range(k + 1))
    gap = float(np.linalg.eigvalsh((R - L + (R - L).T) / 2)[0])
    return Comparison(gap, 0.0, ">=", "λ_min(RHS − E[P_kᵀP_k])", "0", scale=float(np.linalg.norm(R)))


def _eq3_precise(inst: dict[str, Any]) -> Comparison:
    r""":func:`_eq3` re-computed independently of float64 (the high-precision re-check).

    :math:`\mathbb E[P_k^TP_k]=\mathcal T^k(I)` and the right side of Eq. (3) in exact rationals of the
    float inputs, then :math:`\lambda_{\min}` of their symmetrised difference and :math:`\|\text{RHS}\|_F`
    in mpmath at :data:`~verifythm.linalg.precise.DPS` digits.
    """
    import mpmath

    Hs = LP.exact(inst["hessians"])
    eta, eps, B, k = frac(inst["eta"]), frac(inst["eps"]), inst["B"], inst["k"]
    n, d, _ = Hs.shape
    c = noise_factor_exact(eta, n, B)
    identity = eye_exact(d)
    J = identity - eta * sum(Hs, np.full((d, d), Fraction(0), dtype=object)) / n
    L = identity
    for _ in range(k):
        L = J.dot(L).dot(J) + c * sandwich_exact(Hs, L)
    N = [identity]
    for _ in range(k):
        N.append(c * sandwich_exact(Hs, N[-1]))
    R = sum(((1 - eps) ** (2 * (k - r)) * math.comb(k, r) * N[r] for r in range(k + 1)), 0 * identity)
    with mpmath.workdps(LP.DPS):
        gap, _, _ = LP.extreme_eigs_mp(LP.mpf_array(R - L))
        scale = mpmath.sqrt(LP.frac_to_mpf(sum((x * x for x in R.ravel()), Fraction(0))))
        return Comparison(
            LP.to_float(gap), 0.0, ">=", "λ_min(RHS − E[P_kᵀP_k])", "0", scale=LP.to_float(scale)
        )


def _gen_eq3(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [dict(inst, k=int(rng.integers(1, 4))) for inst in gen_ii(rng, k)]


EQ3 = Claim(
    id="dexter2024.lemma4_1.eq3",
    title="Eq. (3): E[Ĵ_k⋯Ĵ_1²⋯Ĵ_k] ⪯ Σ_r (1−ε)^{2(k−r)} C(k,r) N_r (Loewner order)",
    source=Source("dexter2024precise", "Lemma 4.1, proof of part (ii), Eq. (3)"),
    statement=(
        r"Under the hypotheses of Lemma 4.1(ii), for all $k$: "
        r"$\mathbb E[\hat J_k\cdots\hat J_1^2\cdots\hat J_k]\preceq\sum_{r=0}^k(1-\epsilon)^{2(k-r)}"
        r"\binom krN_r$, $N_r=c^r\sum_y H_{y_r}\cdots H_{y_1}^2\cdots H_{y_r}$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis("hypotheses of Lemma 4.1(ii)", cond_ii),
        Hypothesis("k ≥ 1", lambda inst: inst["k"] >= 1),
    ),
    conclusion=_eq3,
    precise_conclusion=_eq3_precise,
    checks=(
        SymbolicCheck("symbolic", _symbolic_eq3),
        ExactCheck("exact", _gen_eq3, fixed=[EQ3_COUNTEREXAMPLE]),
    ),
    expected=Expected.fails(
        "Eq. (3) of the proof of Lemma 4.1(ii) is false in the Loewner order: its inductive step uses "
        "J X J ⪯ (1−ε)² X for PSD X, false unless J and X commute; k = 2, g = (−1.3, 0.9), (−2, −1.7), "
        "(1.1, −1), (−1.4, 0), B = 3, η = 0.6, ε = 0.62 violates it (Lemma 4.1(ii) itself holds: "
        "ρ(T) ≤ ‖J‖² + cρ(S) < 1, `dexter2024.lemma4_1.ii`)",
        "docs/errata/dexter2024.lemma4_1.eq3__exact.md",
        finding="proof-gap",
    ),
    inputs=INPUTS | {"eps": REAL},
)


CLAIMS = [SUM_IDENTITY, LOWER_BOUND, EQ3]
