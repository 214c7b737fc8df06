r"""Dexter et al. (2024), Lemma 4.1: sufficient conditions for divergence (i) and convergence (ii).

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`,
Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`,
:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}` and the operator
:math:`\mathcal S(W)=\sum_iH_iWH_i` (self-adjoint for the trace inner product, PSD-preserving).

Statement
---------
* Sum identity (used in both conditions): :math:`\sum_{y_1..y_k}\|H_{y_k}\cdots H_{y_1}\|_F^2 =
  \operatorname{tr}\mathcal S^k(I)`; hence :math:`c^k\sum_y\|\cdot\|_F^2\to\infty` iff
  :math:`c\,\rho(\mathcal S)>1`, and :math:`\epsilon^{-k}c^k\sum_y\|\cdot\|_F^2\to0` iff
  :math:`c\,\rho(\mathcal S)<\epsilon` (:math:`\mathcal S` is diagonalisable with a PSD top
  eigenvector, and :math:`I\succ0` has a non-zero component on it).
* (i) If :math:`\lambda_1(H)>2/\eta` or :math:`c\,\rho(\mathcal S)>1`, then
  :math:`\mathbb E\|P_k\|_F^2\to\infty`, i.e. :math:`\rho(\mathcal T_\eta)>1`.
* (ii) If, for some :math:`\epsilon\in(0,1)`, :math:`\epsilon/\eta<\lambda_i(H)<(2-\epsilon)/\eta` for
  all :math:`i\in[d]` and :math:`c\,\rho(\mathcal S)<\epsilon`, then :math:`\mathbb E\|P_k\|_F^2\to0`,
  i.e. :math:`H\succ0` and :math:`\rho(\mathcal T_\eta)<1`.

Proof steps encoded
-------------------
* ``.i.as_proved``: :math:`\mathbb E\|P_k\|_F^2\ge\operatorname{tr}J^{2k}+c^k\operatorname{tr}\mathcal S^k(I)`
  for every :math:`k` (trace of :math:`\mathbb E[P_k^TP_k]\succeq M_k`); equality at :math:`k=1`
  (the base case, ``dexter2024.lemma4_1.base_case``).
* ``.eq3``: Eq. (3), :math:`\mathbb E[P_k^TP_k]\preceq\sum_{r=0}^k(1-\epsilon)^{2(k-r)}\binom kr N_r`
  (Loewner order) with :math:`N_r=c^r\mathcal S^r(I)`.

Finding (**proof-gap**)
-----------------------
Eq. (3) is false in the Loewner order: its inductive step bounds
:math:`JXJ\preceq(1-\epsilon)^2X` for PSD :math:`X`, which needs :math:`J` and :math:`X` to commute.
Counterexample (``k = 2``): :math:`H_i=g_ig_i^T` with :math:`g=(-1.3,0.9),(-2,-1.7),(1.1,-1),(-1.4,0)`,
:math:`B=3`, :math:`\eta=0.6`, :math:`\epsilon=0.62` (all hypotheses of (ii) hold):
:math:`\lambda_{\min}(\text{RHS}-\text{LHS})<0`.  Part (ii) itself still holds — :math:`\mathcal T` is
self-adjoint, so :math:`\rho(\mathcal T)\le\|J\|_2^2+c\rho(\mathcal S)<(1-\epsilon)^2+\epsilon<1` —
and so does the trace of Eq. (3) at :math:`k=2`; ``.ii`` is verified exactly, and the
replacement bound :math:`\rho(\mathcal T)\le\|J\|_2^2+c\rho(\mathcal S)` is
``.ii.radius_bound``.

Evidence
--------
* ``exact``: :math:`\operatorname{tr}\mathcal S^k(I)` by iterating :math:`\mathcal S` against
  enumeration of all :math:`n^k` products (:math:`n\le4`, :math:`k\le4`); :math:`\rho(\mathcal S)`
  from a dense symmetric eigenproblem; :math:`\rho(\mathcal T_\eta)` and
  :math:`\mathbb E\|P_k\|_F^2=\operatorname{tr}\mathcal T^k(I)` from the engine
  (:func:`verifythm.dynamics.spectral_radius`, :func:`verifythm.dynamics.moment_trajectory`).
  Families of every kind (:math:`n\le5`, :math:`d\le3`); (i) with :math:`\eta` 1.001–2 times
  the condition's threshold (tight at :math:`B=n`, and at orthogonal rank-one members with
  :math:`n=2B` and :math:`\eta\lambda=1`), (ii) with the largest admissible :math:`\epsilon`.
* ``property``: Hypothesis families for the sum identity and for (i).
* ``symbolic`` (sympy, the proof's algebra): ``.product_sum`` —
  :math:`\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2=\operatorname{tr}\mathcal S^k(I)` for symbolic symmetric
  :math:`2\times2` members, :math:`n=2`, :math:`k=2,3`; ``.i`` — the inductive step's expectation
  :math:`\mathbb E[\hat JM\hat J]=JMJ+c\sum_iH_iMH_i` by enumerating the :math:`2^n` Bernoulli masks
  (:math:`n\le3`, non-commuting symbols, symbolic :math:`\eta,B`), :math:`c=\eta^2(n-B)/(n^2B)\ge0`, and
  :math:`|1-\eta\lambda|=1+t` at :math:`\eta\lambda=2+t` (the GD branch); ``.i.as_proved`` — the
  recursion :math:`JM_{k-1}J+c\sum_iH_iM_{k-1}H_i-M_k=JN_{k-1}J+c\sum_iH_iJ^{2(k-1)}H_i` (the dropped
  terms, each of the form :math:`AXA`, :math:`X\succeq0`), :math:`k\le4`; ``.ii`` and
  ``.ii.radius_bound`` — the binomial closing step
  :math:`\sum_r\binom kr\delta^{k-r}\epsilon^r=(\delta+\epsilon)^k` at :math:`\delta=(1-\epsilon)^2`
  (:math:`k\le4`), :math:`1-((1-\epsilon)^2+\epsilon)=\epsilon(1-\epsilon)>0`, and
  :math:`|1-\eta\lambda_i|<1-\epsilon` on :math:`\epsilon/\eta<\lambda_i<(2-\epsilon)/\eta`; ``.eq3`` —
  the inductive step's :math:`JXJ\preceq(1-\epsilon)^2X`, derived for :math:`X=\mathbf 1\mathbf 1^T`,
  :math:`J=\mathrm{diag}(0,(1-\epsilon)/(1+s))` (inside the hypotheses), where the determinant of
  :math:`(1-\epsilon)^2X-JXJ` is :math:`-(1-\epsilon)^4/(1+s)^2<0`: it fails, as expected.
* ``.eq3``: a float64 violation is re-checked independently (``precise_conclusion``): both sides of
  Eq. (3) in exact rationals of the inputs, :math:`\lambda_{\min}` of the difference in mpmath (50 digits).

References
----------
[dexter2024precise, Lemma 4.1 and its proof in Appendix A.2, Eq. (3)].
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
from verifythm.dynamics import moment_operator, moment_trajectory
from verifythm.linalg import precise as LP
from verifythm.strategies import families, family_instance

from ._common import (
    enumerated_product_sum,
    lambda1,
    noise_factor,
    nonzero_families,
    rho,
    sandwich,
    sandwich_power_trace,
    sandwich_radius,
)
from ._exact import eye_exact, frac, noise_factor_exact, sandwich_exact
from ._symbolic import bernoulli_mean, noise_c, sym_matrix

SOURCE = Source("dexter2024precise", "Lemma 4.1")
SOURCE_PROOF = Source("dexter2024precise", "Lemma 4.1, proof in Appendix A.2")


# -- symbolic derivations of the proof's steps ---------------------------------------------------
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


def _symbolic_step_expectation() -> list[Any]:
    """Proof of Lemma 4.1 (i), inductive step: E[ĴMĴ] = JMJ + cΣH_iMH_i (masks enumerated), c ≥ 0."""
    import sympy as sp

    eta, B, t = sp.symbols("eta B t", positive=True)
    r = sp.Symbol("r", nonnegative=True)  # n = B + r
    M = sp.Symbol("M", commutative=False)
    out: list[Any] = []
    for n in (1, 2, 3):
        Hs = sp.symbols(f"H1:{n + 1}", commutative=False)

        def sandwich(x: tuple[int, ...], Hs: Any = Hs) -> Any:
            Hh = sum(xi * h for xi, h in zip(x, Hs, strict=True)) / B
            return (1 - eta * Hh) * M * (1 - eta * Hh)

        lhs = bernoulli_mean(sandwich, n, B / n)
        H = sum(Hs) / n
        rhs = (1 - eta * H) * M * (1 - eta * H) + noise_c(eta, n, B) * sum(h * M * h for h in Hs)
        out.append(Identity(sp.expand(lhs), sp.expand(rhs), f"E[ĴMĴ] = JMJ + cΣH_iMH_i, n = {n}"))
    n = sp.Symbol("n", positive=True)
    out.append(Nonnegative(sp.factor(noise_c(eta, n, B).subs(n, B + r)), "c = η²/(nB) − η²/n² ≥ 0 for B ≤ n"))
    out.append(Identity(sp.Abs(1 - (2 + t)), 1 + t, "GD branch: |1 − ηλ₁| = 1 + t > 1 at ηλ₁ = 2 + t"))
    return out


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


def _symbolic_part_ii() -> list[Any]:
    """Proof of Lemma 4.1 (ii): the binomial closing step and the contraction of J."""
    import sympy as sp

    u, v = sp.symbols("u v", positive=True)
    eps = 1 / (1 + u)  # ε ∈ (0, 1)
    e = sp.Symbol("epsilon", positive=True)
    out: list[Any] = []
    for k in (1, 2, 3, 4):
        lhs = sum(sp.binomial(k, r) * (1 - e) ** (2 * (k - r)) * e**r for r in range(k + 1))
        out.append(
            Identity(
                sp.expand(lhs),
                sp.expand(((1 - e) ** 2 + e) ** k),
                f"Σ_r C(k,r)δ^(k−r)ε^r = (δ + ε)^k, k = {k}",
            )
        )
    out.append(Nonnegative(sp.factor(1 - ((1 - eps) ** 2 + eps)), "1 − ((1 − ε)² + ε) = ε(1 − ε) ≥ 0"))
    # ηλ = ε + (2 − 2ε)·w with w = v/(1 + v) ∈ (0, 1): both margins of |1 − ηλ| < 1 − ε
    el = eps + (2 - 2 * eps) * v / (1 + v)
    out.append(Nonnegative(sp.factor((1 - eps) - (1 - el)), "1 − ηλ < 1 − ε on ε/η < λ"))
    out.append(Nonnegative(sp.factor((1 - eps) + (1 - el)), "1 − ηλ > −(1 − ε) on λ < (2 − ε)/η"))
    return out


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


# -- the sum over products -----------------------------------------------------------------
def _sum_identity(inst: dict[str, Any]) -> Comparison:
    Hs, k = inst["hessians"], int(inst["k"])
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
)


# -- part (i) --------------------------------------------------------------------------------
def _cond_i(inst: dict[str, Any]) -> bool:
    Hs = np.asarray(inst["hessians"], float)
    n = Hs.shape[0]
    B, eta = int(inst["B"]), float(inst["eta"])
    if not (1 <= B <= n and eta > 0 and np.any(Hs != 0)):
        return False
    gd = lambda1(Hs.mean(axis=0)) > 2.0 / eta
    return gd or noise_factor(eta, n, B) * sandwich_radius(Hs) > 1.0


def _part_i(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], float(inst["eta"]), int(inst["B"]))
    return Comparison(r, 1.0, ">=", "ρ(T_η) (E‖P_k‖_F² → ∞ iff > 1)", "1")


def _threshold_i(Hs: np.ndarray, B: int) -> float:
    """Smallest η at which (i)'s condition holds: min(2/λ₁, (ρ(S)(1/(nB) − 1/n²))^{-1/2})."""
    n = Hs.shape[0]
    lam = lambda1(Hs.mean(axis=0))
    a = 2.0 / lam
    q = sandwich_radius(Hs) * (1.0 / (n * B) - 1.0 / n**2)
    return min(a, 1.0 / math.sqrt(q)) if q > 0 else a


def _inst_i(Hs: np.ndarray, B: int, t: float) -> dict[str, Any]:
    if not np.any(Hs != 0):
        return {"hessians": Hs, "B": B, "eta": 1.0}
    return {"hessians": Hs, "B": B, "eta": t * _threshold_i(Hs, B)}


def _gen_i(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        B = n if i % 4 == 0 else int(rng.integers(1, n + 1))
        out.append(_inst_i(Hs, B, 1.001 if i % 3 == 0 else float(rng.uniform(1.001, 2.0))))
    return out


def _tight_i() -> list[dict[str, Any]]:
    out = []
    for n in (2, 4):
        E = np.stack([np.diag(np.eye(n)[i]) for i in range(n)])  # J = 0 at η = n
        out.append(_inst_i(E, n // 2, 1.0001))
        out.append(_inst_i(E, n, 1.0001))
    return out


@st.composite
def _strategy_i(draw: Any) -> dict[str, Any]:
    Hs = draw(families(n=st.integers(1, 4), d=st.integers(1, 3)))
    return _inst_i(Hs, draw(st.integers(1, Hs.shape[0])), draw(st.floats(1.001, 2.0)))


PART_I = Claim(
    id="dexter2024.lemma4_1.i",
    title="λ₁(H) > 2/η or c^k Σ_y‖H_{y_k}⋯H_{y_1}‖_F² → ∞ implies E‖Ĵ_k⋯Ĵ_1‖_F² → ∞",
    source=SOURCE,
    statement=(
        r"If $\lambda_1(H)>2/\eta$ or $\lim_k(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k\sum_{y}\|H_{y_k}\cdots "
        r"H_{y_1}\|_F^2=\infty$, then $\lim_k\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2=\infty$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis("λ₁(H) > 2/η or c·ρ(S) > 1 (⇔ the sum diverges)", _cond_i),
    ),
    conclusion=_part_i,
    checks=(
        SymbolicCheck("symbolic", _symbolic_step_expectation),
        ExactCheck("exact", _gen_i, fixed=_tight_i()),
        PropertyCheck("property", _strategy_i(), max_examples=60),
    ),
    kind="limit",
)


# -- part (i), the proof's bound ------------------------------------------------------------
def _lower_bound(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B, k = inst["hessians"], float(inst["eta"]), int(inst["B"]), int(inst["k"])
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
            lambda i: (
                1 <= int(i["B"]) <= np.shape(i["hessians"])[0] and float(i["eta"]) > 0 and int(i["k"]) >= 1
            ),
        ),
    ),
    conclusion=_lower_bound,
    checks=(SymbolicCheck("symbolic", _symbolic_recursion), ExactCheck("exact", _gen_lb)),
)


# -- part (ii) -------------------------------------------------------------------------------
def _cond_ii(inst: dict[str, Any]) -> bool:
    Hs = np.asarray(inst["hessians"], float)
    n = Hs.shape[0]
    B, eta, eps = int(inst["B"]), float(inst["eta"]), float(inst["eps"])
    if not (1 <= B <= n and eta > 0 and 0 < eps < 1):
        return False
    w = np.linalg.eigvalsh(Hs.mean(axis=0))
    if not (eps / eta < w[0] and w[-1] < (2 - eps) / eta):
        return False
    return noise_factor(eta, n, B) * sandwich_radius(Hs) < eps


def _part_ii(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], float(inst["eta"]), int(inst["B"]))
    return Comparison(r, 1.0, "<=", "ρ(T_η) (E‖P_k‖_F² → 0 iff < 1, H ≻ 0)", "1")


def _gen_ii(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    i = 0
    while len(out) < k and i < 20 * k:
        i += 1
        n, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        w = np.linalg.eigvalsh(Hs.mean(axis=0))
        if not w[0] > 1e-3 * w[-1]:
            continue
        eta = float(rng.uniform(0.3, 1.7)) / w[-1]
        eps = 0.999 * min(eta * w[0], 2 - eta * w[-1])
        if not 0 < eps < 1:
            continue
        feasible = [B for B in range(1, n + 1) if noise_factor(eta, n, B) * sandwich_radius(Hs) < eps]
        out.append({"hessians": Hs, "B": int(rng.choice(feasible)), "eta": eta, "eps": eps})
    return out


_II_FIXED = [{"hessians": np.ones((2, 1, 1)), "B": 2, "eta": 0.01, "eps": 0.009}]  # ρ = 0.99²

PART_II = Claim(
    id="dexter2024.lemma4_1.ii",
    title="ε/η < λ_i(H) < (2−ε)/η and ε^{-k}c^k Σ_y‖…‖_F² → 0 imply E‖Ĵ_k⋯Ĵ_1‖_F² → 0",
    source=SOURCE,
    statement=(
        r"If for some $\epsilon\in(0,1)$, $\epsilon/\eta<\lambda_i(H)<(2-\epsilon)/\eta$ for all "
        r"$i\in[d]$ and $\lim_k\epsilon^{-k}(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k"
        r"\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2=0$, "
        r"then $\lim_k\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2=0$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis("ε/η < λ_i(H) < (2−ε)/η for all i and c·ρ(S) < ε (⇔ the scaled sum → 0)", _cond_ii),
    ),
    conclusion=_part_ii,
    checks=(SymbolicCheck("symbolic", _symbolic_part_ii), ExactCheck("exact", _gen_ii, fixed=_II_FIXED)),
    kind="limit",
)


# -- Eq. (3) ---------------------------------------------------------------------------------
def _eq3(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B, eps, k = (
        inst["hessians"],
        float(inst["eta"]),
        int(inst["B"]),
        float(inst["eps"]),
        int(inst["k"]),
    )
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
    eta, eps, B, k = frac(inst["eta"]), frac(inst["eps"]), int(inst["B"]), int(inst["k"])
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


_G = np.array([[-1.3, 0.9], [-2.0, -1.7], [1.1, -1.0], [-1.4, 0.0]])
EQ3_COUNTEREXAMPLE = {"hessians": np.einsum("ia,ib->iab", _G, _G), "B": 3, "eta": 0.6, "eps": 0.62, "k": 2}


def _gen_eq3(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [dict(inst, k=int(rng.integers(1, 4))) for inst in _gen_ii(rng, k)]


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
        Hypothesis("hypotheses of Lemma 4.1(ii)", _cond_ii),
        Hypothesis("k ≥ 1", lambda inst: int(inst["k"]) >= 1),
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
)

CLAIMS = [SUM_IDENTITY, PART_I, LOWER_BOUND, PART_II, EQ3]


# -- what replaces Eq. (3): a bound on ρ(T) -----------------------------------------------------
def _radius_bound(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B = inst["hessians"], float(inst["eta"]), int(inst["B"])
    n = Hs.shape[0]
    w = np.linalg.eigvalsh(Hs.mean(axis=0))
    w = w[w > 1e-12 * max(float(w[-1]), 1e-300)]  # range H, where the engine's ρ(T) lives
    J2 = float(np.max((1.0 - eta * w) ** 2))
    bound = J2 + noise_factor(eta, n, B) * sandwich_radius(Hs)
    return Comparison(rho(Hs, eta, B), bound, "<=", "ρ(T_η)", "‖J‖₂² + c·ρ(S) (on range H)")


def _gen_radius(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i, n, Hs in nonzero_families(rng, k):
        lam = lambda1(Hs.mean(axis=0))
        B = n if i % 4 == 0 else int(rng.integers(1, n + 1))
        out.append({"hessians": Hs, "B": B, "eta": float(rng.uniform(0.05, 2.5)) / lam})
    return out


RADIUS_BOUND = Claim(
    id="dexter2024.lemma4_1.ii.radius_bound",
    title="ρ(T_η) ≤ ‖J‖₂² + c·ρ(S): the bound that proves Lemma 4.1(ii) without Eq. (3)",
    source=Source("dexter2024precise", "Lemma 4.1(ii) (project's replacement for Eq. (3))"),
    statement=(
        r"$\mathcal T_\eta(W)=JWJ+c\,\mathcal S(W)$ is self-adjoint for the trace inner product, so "
        r"$\rho(\mathcal T_\eta)\le\|J\|_2^2+c\,\rho(\mathcal S)$ (on $\operatorname{range}H$); under the "
        r"hypotheses of (ii) the right side is $<(1-\epsilon)^2+\epsilon<1$.  Equality when $B=n$ ($c=0$)."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis(
            "H ≠ 0, 1 ≤ B ≤ n, η > 0",
            lambda i: (
                bool(np.any(np.asarray(i["hessians"]) != 0))
                and 1 <= int(i["B"]) <= np.shape(i["hessians"])[0]
                and float(i["eta"]) > 0
            ),
        ),
    ),
    conclusion=_radius_bound,
    checks=(SymbolicCheck("symbolic", _symbolic_part_ii), ExactCheck("exact", _gen_radius)),
)

CLAIMS += [RADIUS_BOUND]
