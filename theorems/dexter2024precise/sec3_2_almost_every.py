r"""Dexter et al. (2024), §3.2 (remark after Theorem 1): divergence from almost every start, in mean square.

Setting
-------
Bernoulli-SGD Jacobians :math:`\hat J_t` of Definition 1 for PSD :math:`H_1,\dots,H_n`
(:math:`d\times d`), :math:`w_k=\hat J_k\cdots\hat J_1w_0`, and the exact second-moment operator
:math:`\mathcal T(W)=\mathbb E[\hat JW\hat J]=JWJ+\eta^2(\frac1{nB}-\frac1{n^2})\sum_iH_iWH_i`,
:math:`J=I-\eta H`, so that :math:`\mathbb E[w_kw_k^T]=\mathcal T^k(w_0w_0^T)`.  :math:`\mathcal T` is
self-adjoint for the trace inner product and maps PSD matrices to PSD matrices, so
:math:`\rho=\rho(\mathcal T)` is its largest eigenvalue, with a PSD eigenvector :math:`V\ne0`.

Statement
---------
After Theorem 1 the paper notes that :math:`\mathbb E\|\hat J_k\cdots\hat J_1\|_2=\mathbb E\max_{\|w_0\|=1}
\|w_k\|_2` and concludes that when it diverges the dynamics diverge "from almost every starting point
:math:`w_0`".  The first moment of a norm is not a second-moment quantity, so the literal remark has no
exact form in the moment engine (and its first-moment premise is the part of Theorem 1 found false:
``dexter2024.thm1``).  Its mean-square form, the sense in which Theorem 1 is proved
(``dexter2024.thm1.as_proved``), is exact and is encoded as
``dexter2024.sec3_2.almost_every_start.mean_square``: if :math:`\rho>1` then for every :math:`w_0` outside
the proper subspace :math:`\ker V` (a Lebesgue-null set)

.. math:: \mathbb E\|w_k\|^2=\operatorname{tr}\mathcal T^k(w_0w_0^T)
          \ \ge\ \rho^k\,\frac{w_0^TVw_0}{\lambda_{\max}(V)}\ \xrightarrow[k\to\infty]{}\ \infty .

(Proof: by self-adjointness :math:`\operatorname{tr}\mathcal T^k(w_0w_0^T)=w_0^T\mathcal T^k(I)w_0`, and
:math:`I\succeq V/\lambda_{\max}(V)` with :math:`\mathcal T` PSD-preserving gives
:math:`\mathcal T^k(I)\succeq\rho^kV/\lambda_{\max}(V)`.)  Equality
holds for :math:`d=1`.

Evidence
--------
* ``exact``: seeded families of every kind (:func:`verifythm.strategies.family_instance`),
  :math:`n\le5`, :math:`d\le3`, plus scalar (:math:`d=1`) families where the bound is attained;
  :math:`\eta` 1.05–3 times the engine's critical learning rate (so :math:`\rho>1`); Gaussian
  :math:`w_0` (almost every start).  :math:`\mathcal T` is assembled densely on symmetric matrices
  (independently of the engine), :math:`\rho` and :math:`V` from its top eigenpair, and
  :math:`\operatorname{tr}\mathcal T^k(w_0w_0^T)/(\rho^kw_0^TVw_0/\lambda_{\max}(V))` is checked for
  :math:`k=0,\dots,40`; the engine's :math:`\rho(\mathcal T_\eta)` must agree (hypothesis).
* ``property``: Hypothesis over families (:func:`verifythm.strategies.families`), :math:`B`,
  :math:`\eta/\eta^*\in[1.05,3]` and :math:`w_0`.
* ``symbolic`` (the proof's algebra, symbolic :math:`2\times2` members, :math:`n=2`, symbolic :math:`\eta`,
  :math:`B`): :math:`\mathbb E[\hat JW\hat J]=\mathcal T(W)` by enumerating the Bernoulli masks;
  self-adjointness :math:`\operatorname{tr}(\mathcal T(A)C)=\operatorname{tr}(A\,\mathcal T(C))` for symbolic
  symmetric :math:`A,C` (hence :math:`\operatorname{tr}\mathcal T^k(w_0w_0^T)=w_0^T\mathcal T^k(I)w_0` by
  induction); PSD preservation :math:`\mathcal T(vv^T)=(Jv)(Jv)^T+c\sum_i(H_iv)(H_iv)^T` with
  :math:`c=\eta^2(n-B)/(n^2B)\ge0`; and, at :math:`d=1`,
  :math:`\operatorname{tr}\mathcal T^k(w_0^2)=\rho^kw_0^2` (the equality case, :math:`k\le2`).
* Weakening: the bound multiplied by 1.1 is refuted by the scalar families (ratio exactly 1).

References
----------
[dexter2024precise, Section 3.2, remark after Theorem 1; Definition 1; Lemma 4.1 (base case)].
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, REAL, array
from verifythm.dynamics import critical_learning_rate
from verifythm.strategies import families, family_instance
from verifythm.strategies.scalars import reals

from ._common import noise, noise_factor, rho
from ._symbolic import bernoulli_mean, noise_c, sym_matrix

SOURCE = Source("dexter2024precise", "Section 3.2, remark after Theorem 1")
STEPS = 40


def moment_map(Hs: np.ndarray, eta: float, B: int, W: np.ndarray) -> np.ndarray:
    r""":math:`\mathcal T(W)=JWJ+\eta^2(\frac1{nB}-\frac1{n^2})\sum_iH_iWH_i` (Bernoulli sampling)."""
    n, d, _ = Hs.shape
    J = np.eye(d) - eta * Hs.mean(axis=0)
    return J @ W @ J + noise_factor(eta, n, B) * np.einsum("iab,bc,icd->ad", Hs, W, Hs)


def top_eigenpair(Hs: np.ndarray, eta: float, B: int) -> tuple[float, np.ndarray]:
    r"""Largest eigenvalue of :math:`\mathcal T` on symmetric matrices and its (PSD-oriented) eigenvector."""
    d = Hs.shape[1]
    basis = []
    for a in range(d):
        for b in range(a, d):
            E = np.zeros((d, d))
            E[a, b] = E[b, a] = 1.0 if a == b else 1.0 / math.sqrt(2.0)
            basis.append(E)
    M = np.array([[float(np.sum(Ei * moment_map(Hs, eta, B, Ej))) for Ej in basis] for Ei in basis])
    w, U = np.linalg.eigh((M + M.T) / 2)
    V = sum(c * E for c, E in zip(U[:, -1], basis, strict=True))
    return float(w[-1]), V if np.trace(V) >= 0 else -V


@lru_cache(maxsize=512)
def _facts(
    key: bytes, shape: tuple[int, int, int], eta: float, B: int, w0: bytes
) -> tuple[float, float, float]:
    Hs = np.frombuffer(key, dtype=float).reshape(shape)
    x = np.frombuffer(w0, dtype=float)
    r, V = top_eigenpair(Hs, eta, B)
    vmax, xvx, xx = float(np.linalg.eigvalsh(V)[-1]), float(x @ V @ x), float(x @ x)
    if not (vmax > 0 and xvx > 0 and xx > 0 and r > 0):
        return r, math.nan, 0.0  # w₀ in ker V (or w₀ = 0): outside the claim
    W, worst = np.outer(x, x), math.inf
    bound0 = xvx / vmax
    for _ in range(STEPS + 1):  # W holds T^k(w0 w0ᵀ)/ρ^k
        worst = min(worst, float(np.trace(W)) / bound0)
        W = moment_map(Hs, eta, B, W) / r
    return r, worst, xvx / (vmax * xx)


def facts(inst: dict[str, Any]) -> tuple[float, float, float]:
    """``(ρ, min_k E‖w_k‖²/(ρ^k w₀ᵀVw₀/λ_max(V)), w₀ᵀVw₀/(λ_max(V)‖w₀‖²))``."""
    Hs, w0 = np.ascontiguousarray(inst["hessians"]), np.ascontiguousarray(inst["w0"])
    return _facts(Hs.tobytes(), Hs.shape, inst["eta"], inst["B"], w0.tobytes())


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``min_k tr T^k(w₀w₀ᵀ) / (ρ^k w₀ᵀVw₀/λ_max(V))`` against 1."""
    _, worst, _ = facts(inst)
    return Comparison(worst, 1.0, ">=", "min_{k≤40} E‖w_k‖² / (ρ^k w₀ᵀVw₀/λ_max(V))", "1")


def _symbolic() -> list[Any]:
    """Remark after Theorem 1 (mean-square form): T = E[Ĵ·Ĵ], self-adjoint, PSD-preserving; d = 1 equality."""
    import sympy as sp

    eta, B, n_ = sp.symbols("eta B n", positive=True)
    r = sp.Symbol("r", nonnegative=True)  # n = B + r
    n = 2
    Hs = [sym_matrix(f"H{i + 1}", 2) for i in range(n)]
    H = (Hs[0] + Hs[1]) / n
    J = sp.eye(2) - eta * H
    c = noise_c(eta, n, B)

    def T(W: Any, c: Any = c) -> Any:
        return J * W * J + c * (Hs[0] * W * Hs[0] + Hs[1] * W * Hs[1])

    cs = sp.Symbol("c", nonnegative=True)  # adjointness and PSD preservation hold for every c ≥ 0

    Hn = sp.symbols("H1:3", commutative=False)  # the enumeration, with non-commuting members
    Wn = sp.Symbol("W", commutative=False)

    def sandwich(x: tuple[int, ...]) -> Any:
        Jh = 1 - eta / B * (x[0] * Hn[0] + x[1] * Hn[1])
        return Jh * Wn * Jh

    Jn = 1 - eta * (Hn[0] + Hn[1]) / n
    T_nc = Jn * Wn * Jn + c * (Hn[0] * Wn * Hn[0] + Hn[1] * Wn * Hn[1])

    ex = lambda M: M.applyfunc(sp.expand)  # noqa: E731
    A, C = sym_matrix("A", 2), sym_matrix("C", 2)
    v = sp.Matrix(sp.symbols("v1:3", real=True))
    outer = (J * v) * (J * v).T + cs * sum(((h * v) * (h * v).T for h in Hs), sp.zeros(2))
    out: list[Any] = [
        Identity(
            sp.expand(bernoulli_mean(sandwich, n, B / n)), sp.expand(T_nc), "E[ĴWĴ] = JWJ + cΣH_iWH_i (n = 2)"
        ),
        Identity(
            sp.expand((T(A, cs) * C).trace()), sp.expand((A * T(C, cs)).trace()), "tr(T(A)C) = tr(A T(C))"
        ),
        Identity(ex(T(v * v.T, cs)), ex(outer), "T(vvᵀ) = (Jv)(Jv)ᵀ + cΣ(H_iv)(H_iv)ᵀ"),
        Nonnegative(sp.factor(noise_c(eta, n_, B).subs(n_, B + r)), "c ≥ 0 for B ≤ n: T maps PSD to PSD"),
    ]
    h = sp.symbols("h1:3", nonnegative=True)  # d = 1: T(w²) = E[ĵ²]w², V = 1, ρ = E[ĵ²]
    w0 = sp.Symbol("w0", real=True)
    rho1 = bernoulli_mean(lambda x: (1 - eta / B * (x[0] * h[0] + x[1] * h[1])) ** 2, n, B / n)
    Wk = w0**2
    for k in range(1, 3):
        jbar = 1 - eta * (h[0] + h[1]) / n
        Wk = jbar * Wk * jbar + c * (h[0] * Wk * h[0] + h[1] * Wk * h[1])
        out.append(
            Identity(sp.expand(Wk), sp.expand(rho1**k * w0**2), f"d = 1: tr T^k(w₀²) = ρ^k w₀², k = {k}")
        )
    return out


def _ok(inst: dict[str, Any]) -> bool:
    Hs, B, eta = inst["hessians"], inst["B"], inst["eta"]
    if Hs.ndim != 3 or Hs.shape[1] != Hs.shape[2] or not np.all(np.isfinite(Hs)) or not np.any(Hs != 0):
        return False
    if not (1 <= B <= Hs.shape[0] and eta > 0):
        return False
    if any(
        float(np.linalg.eigvalsh((H + H.T) / 2)[0]) < -1e-12 * max(1.0, float(np.abs(H).max())) for H in Hs
    ):
        return False
    r, _, frac = facts(inst)
    return r > 1.0 + 1e-9 and abs(r - rho(Hs, eta, B)) <= 1e-8 * r and frac > 1e-10


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n = int(rng.integers(1, 6))
        d = 1 if i % 4 == 0 else int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        if not np.any(Hs != 0):
            continue
        B = int(rng.integers(1, n + 1))
        eta_star = critical_learning_rate(noise(Hs, B)).value
        if not math.isfinite(eta_star):
            continue
        out.append(
            {
                "hessians": Hs,
                "B": B,
                "eta": float(rng.uniform(1.05, 3.0)) * eta_star,
                "w0": rng.standard_normal(d),
            }
        )
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Hs = draw(families(n=st.integers(1, 4), d=st.integers(1, 3)))
    n, d = Hs.shape[0], Hs.shape[1]
    B = draw(st.integers(1, n))
    eta_star = critical_learning_rate(noise(Hs, B)).value if np.any(Hs != 0) else math.inf
    eta = draw(st.floats(1.05, 3.0)) * (eta_star if math.isfinite(eta_star) else 1.0)
    return {"hessians": Hs, "B": B, "eta": eta, "w0": draw(arrays(np.float64, (d,), elements=reals(-5, 5)))}


CLAIM = Claim(
    id="dexter2024.sec3_2.almost_every_start.mean_square",
    title="if ρ(T) > 1, E‖w_k‖² ≥ ρ^k w₀ᵀVw₀/λ_max(V) → ∞ for every w₀ off the null set ker V",
    source=SOURCE,
    statement=(
        r"Mean-square form of the remark after Theorem 1: if $\rho=\rho(\mathcal T_\eta)>1$ and "
        r"$V\succeq0$ is its dominant eigenvector, then "
        r"$\mathbb E\|w_k\|^2\ge\rho^k\,w_0^TVw_0/\lambda_{\max}(V)\to\infty$ for every $w_0\notin\ker V$, "
        r"a proper subspace, i.e. from almost every starting point."
    ),
    hypotheses=(
        Hypothesis(
            "PSD family, B ∈ [n], η > 0 with ρ(T) > 1 (engine agrees); w₀ off ker V",
            _ok,
        ),
    ),
    conclusion=conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _strategy(), max_examples=60),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
    kind="limit",
    # hessians of any axes: _ok itself rejects a value that is not an (n, d, d) stack
    inputs={"hessians": array(), "B": INT, "eta": REAL, "w0": array(1)},
)
