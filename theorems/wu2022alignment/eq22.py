r"""Wu, Wang & Su (2022), Eq. (22): the steps bounding μ₂ by τ(𝒦) in the proof of Proposition F.7.

Setting
-------
Random feature model of Appendix F.2 at :math:`\theta^*=0` (interpolated labels), :math:`g_i=m^{-1/2}
(\varphi(x_i;w_s))_s`, :math:`\hat K=(\hat k(x_i,x_j)/n)` (the Gram form of the Fisher matrix, same nonzero
spectrum), θ over :math:`\mathbb R^m`.  Population numbers :math:`a=\lambda_1(\mathcal K)`,
:math:`S=\sum_i\lambda_i^2(\mathcal K)` (so :math:`a^2\le S`), and the deviation e (= Cε_n).

Statement
---------
(22) chains
:math:`\mu_2(\theta)=\frac{\lambda_1^2(\hat K)}{\|\hat K\|_F^2}\le\frac{(a+e)^2}{S-e}\le\frac{a^2}S+Ce`.

* ``wu2022.eq22.sup``: the first "=" holds as
  :math:`\sup_\theta\mu_2(\theta)=\lambda_1^2(\hat K)/\|\hat K\|_F^2`
  (attained at the top eigenvector; pointwise only "≤", see Lemma 2.4: the printed "=" is a slip).
* ``wu2022.eq22.chain``: for PSD :math:`\hat K\ne0`, :math:`0\le e<S`, if :math:`\lambda_1(\hat K)\le a+e` and
  :math:`\|\hat K\|_F^2\ge S-e` (Lemmas F.14 and F.15), then
  :math:`\lambda_1^2(\hat K)/\|\hat K\|_F^2\le(a+e)^2/(S-e)`.
* ``wu2022.eq22.last_step`` (the last "≤", made explicit): for :math:`0\le e\le S/2`,
  :math:`\frac{(a+e)^2}{S-e}\le\frac{a^2}S+C(a,S)\,e` with :math:`C(a,S)=1+(4a+2a^2/S)/S`, attained at
  :math:`e=S/2`.  The slope needed as :math:`e\to0` is :math:`2a/S+a^2/S^2`; under
  :math:`\varphi\to c\varphi` (:math:`a\to c^2a`, :math:`S\to c^4S`) it grows like :math:`c^{-2}`, so the
  "C" of (22) cannot be absolute (the scale note of ``wu2022.prop_f7.mu2``).  It also needs e ≤ cS:
  as e → S the middle term blows up.

Evidence
--------
* ``symbolic``:
  :math:`C(a,S)e-\bigl(\frac{(a+e)^2}{S-e}-\frac{a^2}S\bigr)=\frac{s(S+a)^2}{S(s+1)(s+2)}\ge0` with
  :math:`e=\frac S2\frac s{1+s}`, s ≥ 0 (every e ∈ [0, S/2)); for the chain, with
  :math:`\lambda_1=a+e-x`, :math:`\|\hat K\|_F^2=S-e+y` (x, y ≥ 0, F = S − e > 0),
  :math:`(\lambda_1+x)^2/F-\lambda_1^2/(F+y)`, factored, is visibly non-negative.
* ``exact``: ``sup`` — :math:`\sup_\theta\mu_2` from :func:`verifythm.quantities.feature_alignment_extremes`
  against :math:`\hat K` built from :math:`\hat k` (ReLU features on :math:`\mathbb S^{d-1}`, Gaussian
  features; n, m ≤ 12); ``chain`` — seeded PSD matrices with a, S, e placed around
  :math:`\lambda_1,\|\hat K\|_F^2` (tight cases included); ``last_step`` — a, S, e at random, and
  e = S/2 (attaining).
* ``property``: Hypothesis for ``chain`` and ``last_step``.

Weakening by 10 % (right sides × 0.9, C × 0.9) gives counterexamples (attaining instances).

References
----------
[wu2022alignment, Appendix F.2, proof of the second part of Proposition F.7, Eq. (22); Lemmas 2.4,
F.14, F.15].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import REAL, array
from verifythm.quantities import feature_alignment_extremes
from verifythm.strategies import psd_with, random_psd_with
from verifythm.strategies.scalars import reals

from . import KEY
from ._appf import relu_features, sphere

SOURCE = Source(KEY, "Eq. (22)")
INPUTS = {"K": array(2), "a": REAL, "S": REAL, "e": REAL}


def tau(K: np.ndarray) -> float:
    r""":math:`\lambda_1^2(K)/\|K\|_F^2`."""
    return float(np.linalg.eigvalsh(K)[-1] ** 2 / np.sum(K * K))


def khat(P: np.ndarray) -> np.ndarray:
    r"""The matrix :math:`\hat K_{ij}=\hat k(x_i,x_j)/n` from the features."""
    n, m = P.shape
    return np.array([[float(P[i] @ P[j]) / m for j in range(n)] for i in range(n)]) / n


def sup_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\sup_\theta\mu_2(\theta)` (engine) versus :math:`\lambda_1^2(\hat K)/\|\hat K\|_F^2`."""
    P = np.asarray(inst["Phi"], float)
    sup = feature_alignment_extremes(P / np.sqrt(P.shape[1])).mu2_sup.value
    return Comparison(sup, tau(khat(P)), "==", "sup_θ μ₂(θ)", "λ₁²(K̂)/‖K̂‖_F²", scale=1.0)


def chain_conclusion(inst: dict[str, Any]) -> Comparison:
    """τ(K̂) versus (a + e)²/(S − e)."""
    a, S, e = inst["a"], inst["S"], inst["e"]
    return Comparison(tau(inst["K"]), (a + e) ** 2 / (S - e), "<=", "λ₁²(K̂)/‖K̂‖_F²", "(a+e)²/(S−e)")


def C_of(a: float, S: float) -> float:
    """The explicit constant 1 + (4a + 2a²/S)/S of the last step on e ≤ S/2."""
    return 1.0 + (4.0 * a + 2.0 * a * a / S) / S


def last_conclusion(inst: dict[str, Any]) -> Comparison:
    """(a + e)²/(S − e) versus a²/S + C(a, S)·e."""
    a, S, e = inst["a"], inst["S"], inst["e"]
    return Comparison(
        (a + e) ** 2 / (S - e) - a * a / S, C_of(a, S) * e, "<=", "(a+e)²/(S−e) − a²/S", "C(a,S)·e"
    )


def _premises(inst: dict[str, Any]) -> bool:
    K, a, S, e = inst["K"], inst["a"], inst["S"], inst["e"]
    lam = np.linalg.eigvalsh(K)
    ok = lam[0] >= -1e-12 * max(lam[-1], 1e-300) and lam[-1] > 0 and a >= 0 and 0 <= e < S
    return bool(ok and lam[-1] <= (a + e) * (1 + 1e-12) and np.sum(K * K) >= (S - e) * (1 - 1e-12))


def _gen_sup(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        n, m, d = int(rng.integers(1, 13)), int(rng.integers(1, 13)), int(rng.integers(1, 5))
        P = (
            rng.standard_normal((n, m))
            if i % 3 == 2
            else relu_features(sphere(rng, n, d), sphere(rng, m, d, np.sqrt(d)))
        )
        if not np.any(P):
            P[0, 0] = 1.0
        out.append({"Phi": P})
    return out


def _chain_inst(K: np.ndarray, u: float, v: float, frac: float) -> dict[str, Any]:
    """a, S, e with λ₁ = a + e·u-slack and ‖K‖² = S − e + v-slack (u, v ≥ 0; frac = e/S)."""
    lam1, fro2 = float(np.linalg.eigvalsh(K)[-1]), float(np.sum(K * K))
    S = (fro2 - v) / (1.0 - frac) if frac < 1 else fro2
    e = frac * S
    return {"K": K, "a": max(lam1 - e + u, 0.0), "S": S, "e": e}


def _gen_chain(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 9))
        K = random_psd_with(rng, d, rank=int(rng.integers(1, d + 1)))
        fro2 = float(np.sum(K * K))
        tight = i % 3 == 0
        out.append(
            _chain_inst(
                K,
                0.0 if tight else rng.uniform(0, 1),
                0.0 if tight else rng.uniform(0, 0.5 * fro2),
                rng.uniform(0, 0.9),
            )
        )
    return out


def _gen_last(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        S = float(10 ** rng.uniform(-3, 2))
        a = float(np.sqrt(S) * rng.uniform(0, 1))
        out.append({"a": a, "S": S, "e": S / 2 if i % 4 == 0 else float(rng.uniform(0, S / 2))})
    return out


@st.composite
def _strategy_chain(draw: Any) -> dict[str, Any]:
    K = draw(psd_with(st.integers(1, 5), rank=1))
    return _chain_inst(K, draw(reals(0, 1)), draw(reals(0, 0.5)) * float(np.sum(K * K)), draw(reals(0, 0.9)))


@st.composite
def _strategy_last(draw: Any) -> dict[str, Any]:
    S = draw(reals(1e-3, 100))
    return {"a": draw(reals(0, 1)) * float(np.sqrt(S)), "S": S, "e": draw(reals(1e-3, 0.5)) * S}


def _sym_last() -> list[Any]:
    import sympy as sp

    a, S, s = sp.symbols("a S s", positive=True)
    e = S / 2 * s / (1 + s)
    gap = (1 + (4 * a + 2 * a**2 / S) / S) * e - ((a + e) ** 2 / (S - e) - a**2 / S)
    return [Nonnegative(sp.factor(sp.together(gap)), "C(a,S)e − ((a+e)²/(S−e) − a²/S) ≥ 0 on 0 ≤ e < S/2")]


def _sym_chain() -> list[Any]:
    import sympy as sp

    lam, x, y = sp.symbols("lambda x y", nonnegative=True)  # λ₁ = a + e − x, ‖K‖² = S − e + y
    F = sp.Symbol("F", positive=True)  # F = S − e > 0
    gap = (lam + x) ** 2 / F - lam**2 / (F + y)
    return [Nonnegative(sp.factor(sp.together(gap)), "(a+e)²/(S−e) − λ₁²/‖K‖² ≥ 0 under the premises")]


CLAIMS = [
    Claim(
        id="wu2022.eq22.sup",
        title="Random features: sup_θ μ₂(θ) = λ₁²(K̂)/‖K̂‖_F² with K̂ = (k̂(x_i,x_j)/n) (Eq. (22), first step)",
        source=SOURCE,
        statement=(
            r"For the random feature model at $\theta^*=0$: "
            r"$\sup_\theta\mu_2(\theta)=\lambda_1^2(\hat K)/\|\hat K\|_F^2$, $\hat K_{ij}=\hat k(x_i,x_j)/n$ "
            r"(pointwise, $\mu_2(\theta)\le\lambda_1^2(\hat K)/\|\hat K\|_F^2$)."
        ),
        hypotheses=(Hypothesis("some feature value ≠ 0", lambda i: bool(np.any(np.asarray(i["Phi"]) != 0))),),
        conclusion=sup_conclusion,
        checks=(ExactCheck("exact", _gen_sup),),
        tolerance=Tolerance(rtol=1e-8, atol=1e-10),
        kind="identity",
    ),
    Claim(
        id="wu2022.eq22.chain",
        title="If λ₁(K̂) ≤ a + e and ‖K̂‖_F² ≥ S − e > 0, then λ₁²(K̂)/‖K̂‖_F² ≤ (a + e)²/(S − e)",
        source=SOURCE,
        statement=(
            r"For PSD $\hat K\ne0$, $a\ge0$, $0\le e<S$: $\lambda_1(\hat K)\le a+e$ and "
            r"$\|\hat K\|_F^2\ge S-e$ imply "
            r"$\lambda_1^2(\hat K)/\|\hat K\|_F^2\le(a+e)^2/(S-e)$."
        ),
        hypotheses=(Hypothesis("K̂ PSD ≠ 0, 0 ≤ e < S, λ₁(K̂) ≤ a + e, ‖K̂‖_F² ≥ S − e", _premises),),
        conclusion=chain_conclusion,
        inputs=INPUTS,
        checks=(
            SymbolicCheck("symbolic", _sym_chain),
            ExactCheck("exact", _gen_chain),
            PropertyCheck("property", _strategy_chain(), max_examples=80),
        ),
    ),
    Claim(
        id="wu2022.eq22.last_step",
        title="(a + e)²/(S − e) ≤ a²/S + C(a,S)e on 0 ≤ e ≤ S/2, C(a,S) = 1 + (4a + 2a²/S)/S (not absolute)",
        source=SOURCE,
        statement=(
            r"For $a\ge0$, $S>0$, $a^2\le S$ and $0\le e\le S/2$: $(a+e)^2/(S-e)\le a^2/S+C(a,S)e$ with "
            r"$C(a,S)=1+(4a+2a^2/S)/S$, equality at $e=S/2$."
        ),
        hypotheses=(
            Hypothesis(
                "a ≥ 0, S > 0, a² ≤ S, 0 ≤ e ≤ S/2",
                lambda i: (
                    i["a"] >= 0
                    and i["S"] > 0
                    and i["a"] ** 2 <= i["S"] * (1 + 1e-12)
                    and 0 <= i["e"] <= i["S"] / 2
                ),
            ),
        ),
        conclusion=last_conclusion,
        inputs=INPUTS,
        checks=(
            SymbolicCheck("symbolic", _sym_last),
            ExactCheck("exact", _gen_last),
            PropertyCheck("property", _strategy_last()),
        ),
    ),
]
