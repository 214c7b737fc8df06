r"""Li et al. (2019), §4.1 and §5.2: ":math:`M_t` is positive definite", and what the escape argument needs.

Setting
-------
Per-sample gradients :math:`g_i=\nabla f(\theta_t;z_i)\in\mathbb R^p`, :math:`i\in[n]`, the matrix
:math:`G=(g_1\cdots g_n)^T\in\mathbb R^{n\times p}`, :math:`\mu_t=\frac1n\sum_ig_i` and the second moment
:math:`M_t=\frac1n\sum_ig_ig_i^T=\frac1nG^TG=\Sigma_t+\mu_t\mu_t^T` (Eq. (7)).

Statement
---------
§4.1 says that with :math:`k` classes ":math:`M_t` is a positive definite matrix with an order of
:math:`k` non-trivial eigenvalues"; §5.2 uses it at a stationary point (:math:`\mu_t=0`, some
:math:`g_i\ne0`): :math:`\Delta_t(f)` concentrates around :math:`\frac{\eta_t^2}2L\operatorname{Tr}M_t>0`
"since :math:`M_t` is positive definite", so SGD escapes.  :math:`M_t` has rank at most
:math:`\min(n,p)`, so it is singular whenever :math:`p>n` (the paper's networks: :math:`p\approx10^3`,
:math:`n=100`), and for a softmax output with :math:`k` classes it is singular even when :math:`n\ge p`:
every :math:`g_i` is orthogonal to the directions that add one vector to all :math:`k` class weights
(softmax regression with :math:`d=2`, :math:`k=3`, :math:`p=6`, :math:`n=10`: two zero eigenvalues).
What §5.2 needs is only :math:`\operatorname{Tr}M_t>0`.  Encoded, under the conditions where each
use is valid:

* ``li2019.sec5_2.trace_m_positive`` — for any :math:`n,p`: :math:`M_t\succeq0` and
  :math:`\operatorname{Tr}M_t\ge\lambda_{\max}(M_t)\ge\max_i\|g_i\|^2/n`, so
  :math:`\frac{\eta_t^2}2L\operatorname{Tr}M_t>0` as soon as one :math:`g_i\ne0`, in particular at the
  stationary points of §5.2.  Checked: :math:`\lambda_{\max}(M_t)\ge\max_i\|g_i\|^2/n` (equality when
  the longest gradient is orthogonal to the others).
* ``li2019.sec5_2.m_positive_definite`` — :math:`M_t\succ0` exactly when the :math:`g_i` span
  :math:`\mathbb R^p` (so :math:`n\ge p` is necessary): :math:`\lambda_{\min}(M_t)=\sigma_p(G)^2/n`,
  positive under the spanning hypothesis.

Evidence
--------
* ``symbolic`` (sympy, symbolic gradients): (trace) for :math:`n=3`, :math:`p=2`,
  :math:`v^TM_tv=\frac1n\sum_i(g_i^Tv)^2` (so :math:`M_t\succeq0`) and
  :math:`\operatorname{Tr}M_t=\frac1n\sum_i\|g_i\|^2`; for :math:`n=p=2`,
  :math:`\det M_t=(g_{11}g_{22}-g_{12}g_{21})^2/n^2\ge0` (both eigenvalues :math:`\ge0`, hence
  :math:`\operatorname{Tr}M_t\ge\lambda_{\max}`) and the Rayleigh quotient at :math:`g_1`,
  :math:`g_1^TM_tg_1-\|g_1\|^4/n=(g_1^Tg_2)^2/n\ge0` (hence :math:`\lambda_{\max}\ge\|g_1\|^2/n`,
  with equality when :math:`g_1\perp g_2`).  (PD) for :math:`n=p=2`: :math:`M_t=G^TG/n` and the
  characteristic polynomial of :math:`M_t` is that of :math:`G^TG` with :math:`\lambda` scaled by
  :math:`n`, so :math:`\lambda_{\min}(M_t)=\sigma_2(G)^2/n`; :math:`\det M_t=\det(G)^2/n^2`.
* ``exact`` (trace): logistic regression at its minimiser on non-separable data (Newton's method;
  :math:`\mu_t\approx0` while every :math:`g_i\ne0`), zero-mean Gaussian gradient sets with
  :math:`p>n`, single-outlier sets (tight) and sets with one gradient orthogonal to the rest (tight);
  :math:`n\le12`, :math:`p\le12`.  (PD): Gaussian gradient sets with :math:`n\ge p` and softmax
  regression gradients (these violate the spanning hypothesis and are not counted).
* ``property``: Hypothesis over gradient matrices.
* Weakening: :math:`\lambda_{\max}(M_t)\ge\max_i\|g_i\|^2/n` plus 10 % of its size, and
  :math:`\lambda_{\min}(M_t)=1.1\,\sigma_p(G)^2/n`, are refuted.

References
----------
[li2019hessian, Section 4.1 and Section 5.2 (Section 4.1 after Figure 1, Section 5.2 after Theorem 1),
Eq. (7)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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
)
from verifythm.claims.inputs import array
from verifythm.models import SoftmaxRegression
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Section 4.1 and Section 5.2 (M_t positive definite)")


def second_moment(G: np.ndarray) -> np.ndarray:
    r""":math:`M_t=\frac1nG^TG` from the gradient rows."""
    return G.T @ G / G.shape[0]


def _trace(inst: dict[str, Any]) -> Comparison:
    G = inst["G"]
    lam_max = float(np.linalg.eigvalsh(second_moment(G))[-1])
    longest = float(np.max(np.sum(G * G, axis=1))) / G.shape[0]
    return Comparison(lam_max, longest, ">=", "λ_max(M_t)", "max_i ‖g_i‖²/n")


def _definite(inst: dict[str, Any]) -> Comparison:
    G = inst["G"]
    M = second_moment(G)
    w = np.linalg.eigvalsh(M)
    smin = float(np.linalg.svd(G, compute_uv=False)[-1])
    return Comparison(
        float(w[0]), smin * smin / G.shape[0], "==", "λ_min(M_t)", "σ_p(G)²/n", scale=float(w[-1])
    )


def _finite(inst: dict[str, Any]) -> bool:
    G = inst["G"]
    return G.ndim == 2 and G.shape[0] >= 1 and G.shape[1] >= 1 and bool(np.all(np.isfinite(G)))


def _some_nonzero(inst: dict[str, Any]) -> bool:
    return _finite(inst) and bool(np.any(inst["G"] != 0))


def _spanning(inst: dict[str, Any]) -> bool:
    if not _finite(inst):
        return False
    G = inst["G"]
    if G.shape[0] < G.shape[1]:
        return False
    s = np.linalg.svd(G, compute_uv=False)
    return bool(s[0] > 0 and s[-1] > 1e-6 * s[0])


def logistic_stationary(rng: np.random.Generator, n: int, p: int) -> np.ndarray | None:
    """Per-sample gradients (p_i − y_i)x_i at the logistic-regression minimiser (None if not found)."""
    X = rng.standard_normal((n, p))
    y = (rng.random(n) < 0.5).astype(float)
    th = np.zeros(p)
    for _ in range(50):
        pr = 1 / (1 + np.exp(-(X @ th)))
        g = X.T @ (pr - y) / n
        H = (X.T * (pr * (1 - pr))) @ X / n
        try:
            th = th - np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(th)) or np.linalg.norm(th) > 1e3:
            return None  # separable data: no finite minimiser
    pr = 1 / (1 + np.exp(-(X @ th)))
    if np.linalg.norm(X.T @ (pr - y)) > 1e-10 * n:
        return None
    return (pr - y)[:, None] * X


def _generate_trace(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        kind = i % 4
        n, p = int(rng.integers(1, 13)), int(rng.integers(1, 13))
        if kind == 0:
            G = logistic_stationary(rng, int(rng.integers(4, 13)) * 2, int(rng.integers(1, 4)))
            if G is None:
                continue
        elif kind == 1:  # zero mean (a stationary point of f), typically p > n
            G = rng.standard_normal((n, p + n))
            G -= G.mean(axis=0)
        elif kind == 2:  # one non-zero gradient: tight
            G = np.zeros((n, p))
            G[int(rng.integers(n))] = rng.standard_normal(p)
        else:  # the longest gradient orthogonal to the others: tight
            G = rng.standard_normal((n, p))
            v = rng.standard_normal(p) * 10
            G -= np.outer(G @ v, v) / (v @ v)
            G[0] = v
        out.append({"G": G})
    return out


def _generate_definite(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        if i % 5 == 0:  # softmax regression: never spanning (shift invariance of the class weights)
            d, kc = int(rng.integers(1, 4)), int(rng.integers(2, 4))
            model = SoftmaxRegression(d, kc)
            n = model.num_params + int(rng.integers(0, 5))
            X = rng.standard_normal((n, d))
            y = rng.integers(0, kc, size=n).astype(float)
            out.append({"G": model.per_sample_grads(rng.standard_normal(model.num_params), X, y)})
            continue
        p = int(rng.integers(1, 9))
        n = p + int(rng.integers(0, 6))
        out.append({"G": rng.standard_normal((n, p)) * 10 ** rng.uniform(-2, 2, size=p)})
    return out


def _symbolic_trace() -> list[Any]:
    """§5.2: M_t ⪰ 0, Tr M_t = (1/n)Σ‖g_i‖², Tr M_t ≥ λ_max ≥ ‖g_1‖²/n (symbolic gradients)."""
    import sympy as sp

    v = sp.Matrix(sp.symbols("v1:3", real=True))
    G3 = sp.Matrix(3, 2, sp.symbols("a1:7", real=True))
    M3 = G3.T * G3 / 3
    G = sp.Matrix(2, 2, sp.symbols("g11 g12 g21 g22", real=True))
    M = second_moment(G)
    g1 = G[0, :].T
    n1 = (g1.T * g1)[0]
    return [
        Identity(
            (v.T * M3 * v)[0], sum((G3[i, :] * v)[0] ** 2 for i in range(3)) / 3, "vᵀMv = (1/n)Σ(g_iᵀv)²"
        ),
        Identity(M3.trace(), sum(x**2 for x in G3) / 3, "Tr M_t = (1/n)Σ‖g_i‖² (n = 3, p = 2)"),
        Identity(M.det(), (G[0, 0] * G[1, 1] - G[0, 1] * G[1, 0]) ** 2 / 4, "det M_t = det(G)²/n² ≥ 0"),
        Nonnegative(sp.factor(sp.expand((g1.T * M * g1)[0] - n1**2 / 2)), "g₁ᵀM_tg₁ − ‖g₁‖⁴/n = (g₁ᵀg₂)²/n"),
    ]


def _symbolic_definite() -> list[Any]:
    """λ_min(M_t) = σ_p(G)²/n: the characteristic polynomials of M_t and GᵀG (n = p = 2)."""
    import sympy as sp

    lam = sp.Symbol("lambda", real=True)
    G = sp.Matrix(2, 2, sp.symbols("g11 g12 g21 g22", real=True))
    M = second_moment(G)
    n = 2
    return [
        Identity(sum((G[i, :].T * G[i, :] for i in range(n)), sp.zeros(2)) / n, M, "(1/n)Σ g_ig_iᵀ = GᵀG/n"),
        Identity(
            sp.expand(n**2 * (M - lam * sp.eye(2)).det()),
            sp.expand((G.T * G - n * lam * sp.eye(2)).det()),
            "det(M_t − λI) = det(GᵀG − nλI)/n²: eigenvalues σ_j(G)²/n",
        ),
        Identity(M.det(), G.det() ** 2 / n**2, "det M_t = det(G)²/n²: M_t ≻ 0 iff G spans"),
    ]


@st.composite
def _gradients(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    return {"G": draw(hnp.arrays(float, (n, p), elements=reals(-10, 10)))}


CLAIMS = [
    Claim(
        id="li2019.sec5_2.trace_m_positive",
        title="Tr M_t ≥ λ_max(M_t) ≥ max_i‖g_i‖²/n > 0 once one per-sample gradient is non-zero (any p, n)",
        source=SOURCE,
        statement=(
            r"For any $n,p$: $M_t\succeq0$ and "
            r"$\operatorname{Tr}M_t\ge\lambda_{\max}(M_t)\ge\max_i\|g_i\|^2/n$, so "
            r"$\frac{\eta_t^2}2L\operatorname{Tr}M_t>0$ whenever some $\nabla f(\theta_t;z_i)\ne0$ (as at "
            r"the stationary points of §5.2), without $M_t$ being positive definite."
        ),
        hypotheses=(Hypothesis("finite gradients, at least one non-zero", _some_nonzero),),
        conclusion=_trace,
        inputs={"G": array()},
        checks=(
            SymbolicCheck("symbolic", _symbolic_trace),
            ExactCheck("exact", _generate_trace),
            PropertyCheck("property", _gradients()),
        ),
    ),
    Claim(
        id="li2019.sec5_2.m_positive_definite",
        title="M_t ≻ 0 exactly when the per-sample gradients span ℝ^p: λ_min(M_t) = σ_p(G)²/n",
        source=SOURCE,
        statement=(
            r"$\lambda_{\min}(M_t)=\sigma_p(G)^2/n$, so $M_t$ is positive definite iff $g_1,\dots,g_n$ span "
            r"$\mathbb R^p$ (which needs $n\ge p$); checked under that spanning hypothesis."
        ),
        hypotheses=(Hypothesis("finite gradients spanning ℝ^p (n ≥ p, σ_p(G) > 1e-6·σ_1(G))", _spanning),),
        conclusion=_definite,
        inputs={"G": array()},
        checks=(
            SymbolicCheck("symbolic", _symbolic_definite),
            ExactCheck("exact", _generate_definite),
            PropertyCheck("property", _gradients()),
        ),
        kind="identity",
    ),
]
