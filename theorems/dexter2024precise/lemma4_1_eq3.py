r"""Dexter et al. (2024), Lemma 4.1, proof of part (ii): Eq. (3) is false in the Loewner order.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`,
Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`,
:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}`, the operator :math:`\mathcal S(W)=\sum_iH_iWH_i` (a sum,
not a mean; self-adjoint for the trace inner product, PSD-preserving) and :math:`N_r=c^r\mathcal S^r(I)`.
Lemma 4.1 itself is :mod:`.lemma4_1` and :mod:`.lemma4_1_ii`.

Statement
---------
``dexter2024.lemma4_1.eq3``: Eq. (3), under the hypotheses of Lemma 4.1 (ii),
:math:`\mathbb E[P_k^TP_k]\preceq\sum_{r=0}^k(1-\epsilon)^{2(k-r)}\binom kr N_r` (Loewner order).

As proved
---------
The proof of Lemma 4.1 (ii) rests on Eq. (3).

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
``.ii.radius_bound`` (both in :mod:`.lemma4_1_ii`).

Evidence
--------
* ``exact``: seeded instances meeting the hypotheses of (ii) (largest admissible :math:`\epsilon`,
  :math:`k\le3`) plus the counterexample.  A float64 violation is re-checked independently
  (``precise_conclusion``): both sides of Eq. (3) in exact rationals of the inputs, :math:`\lambda_{\min}`
  of the difference in mpmath (50 digits).
* ``symbolic`` (sympy): the inductive step's :math:`JXJ\preceq(1-\epsilon)^2X`, derived for
  :math:`X=\mathbf 1\mathbf 1^T`, :math:`J=\mathrm{diag}(0,(1-\epsilon)/(1+s))` (inside the hypotheses),
  where the determinant of :math:`(1-\epsilon)^2X-JXJ` is :math:`-(1-\epsilon)^4/(1+s)^2<0`: it fails,
  as expected.

References
----------
[dexter2024precise, Lemma 4.1, proof of part (ii), Eq. (3)].
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Expected, Hypothesis, Nonnegative, Source, SymbolicCheck
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import INT, REAL, array
from verifythm.linalg import precise as LP

from ._common import noise_factor, sandwich
from ._exact import eye_exact, frac, noise_factor_exact, sandwich_exact
from ._lemma4_1 import EQ3_COUNTEREXAMPLE, cond_ii, gen_ii


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


CLAIM = Claim(
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
    inputs={"hessians": array(3), "B": INT, "eta": REAL, "k": INT, "eps": REAL},
)
