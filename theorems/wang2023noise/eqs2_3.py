r"""Wang & Wu (2023), Eqs. (2)–(3): the one-step SGD loss update, exact for quadratic losses.

Setting
-------
Linear regression :math:`f(x;\theta)=\theta^Tx` on data :math:`X\in\mathbb R^{n\times d}`,
:math:`y\in\mathbb R^n`, so :math:`\mathcal L(\theta)=\frac1{2n}\|X\theta-y\|^2` is quadratic with
constant Hessian :math:`H=G=\frac1nX^TX`.  One SGD step with batch size one and uniform sampling
with replacement, :math:`\theta'=\theta-\eta(\nabla\mathcal L(\theta)+\xi)`,
:math:`\xi=\nabla\ell_i(\theta)-\nabla\mathcal L(\theta)`, so :math:`\mathbb E\xi=0` and
:math:`\mathbb E\xi\xi^T=\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T` (Eq. (7)).

Statement
---------
Eq. (2): :math:`\mathbb E\mathcal L(\theta')=\mathcal Q(\theta)+\frac{\eta^2}2\gamma(\theta)+o(\eta^2)`
with :math:`\mathcal Q=\mathcal L-\eta\|\nabla\mathcal L\|^2+\frac{\eta^2}2\nabla\mathcal
  L^TH\nabla\mathcal L`
and :math:`\gamma=\mathbb E[\xi^TH\xi]`; Eq. (3): :math:`\gamma=\operatorname{tr}(\Sigma_0H)`.  For a
quadratic loss the second-order Taylor expansion is exact, so the remainder :math:`o(\eta^2)` is
identically zero: the claim checks the equality with no remainder.

Evidence
--------
* ``symbolic``: both sides for symbolic :math:`X\in\mathbb R^{2\times2}`, :math:`y`, θ, η
  (expectation by enumerating the two indices).
* ``exact``: the enumerated :math:`\frac1n\sum_i\mathcal L(\theta-\eta\nabla\ell_i)` against
  :math:`\mathcal Q+\frac{\eta^2}2\operatorname{tr}(\Sigma_0H)` on seeded Gaussian, anisotropic and
  low-rank data over a wide range of η, including global minima (both sides then equal
  :math:`\mathcal L(\theta^*)\ge0`).
* ``eq3``: the identity :math:`\mathbb E[\xi^TH\xi]=\operatorname{tr}(\Sigma_0H)` separately.
* ``property`` (both): Hypothesis over inputs from ``gradient_matrices`` (every rank-one kind,
  :math:`n\le8`, :math:`d\le6`), targets, θ arbitrary or a least-squares minimum,
  :math:`\eta\lambda_1\in[0.01,5]`.

References
----------
[wang2023noise, Section 1, Eqs. (1)–(3) and (7)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.claims.common import finite
from verifythm.claims.inputs import REAL, array
from verifythm.strategies import gradient_matrices, real_vectors, reals

from ._common import KEY, linreg_parts, trace


def _sides(X: Any, y: Any, theta: Any, eta: Any) -> tuple[Any, Any]:
    P = linreg_parts(X, y, theta)
    n, H, gL = P["n"], P["G"], P["gradL"]
    post = 0
    for i in range(n):
        th_i = theta - eta * P["grads"][i]
        r = X @ th_i - y
        post = post + (r * r).sum() / (2 * n)
    lhs = post / n
    Qv = P["L"] - eta * (gL * gL).sum() + eta**2 / 2 * (gL @ H @ gL)
    rhs = Qv + eta**2 / 2 * trace(P["S0"] @ H)
    return lhs, rhs


def _eq3_sides(X: Any, y: Any, theta: Any, eta: Any) -> tuple[Any, Any]:
    P = linreg_parts(X, y, theta)
    n, H, gL = P["n"], P["G"], P["gradL"]
    lhs = 0
    for i in range(n):
        xi = P["grads"][i] - gL
        lhs = lhs + xi @ H @ xi
    return lhs / n, trace(P["S0"] @ H)


def _eq3_scale(X: Any, y: Any, theta: Any) -> float:
    """The scale of Eq. (3)'s comparison, tr(Σ₁H).

    Both sides are this uncentred moment minus ∇LᵀH∇L, so far from a minimum they cancel and
    their rounding error is relative to it.
    """
    P = linreg_parts(X, y, theta)
    return float(trace(P["S1"] @ P["G"]))


def _conclusion(sides, lhs_label: str, rhs_label: str, scale: Any = None):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        X, y, theta = inst["X"], inst["y"], inst["theta"]
        a, b = sides(X, y, theta, inst["eta"])
        s = None if scale is None else scale(X, y, theta)
        return Comparison(a, b, "==", lhs_label, rhs_label, scale=s)

    return conclusion


def _symbolic(sides, label: str):
    def build() -> list[Any]:
        import sympy as sp

        X = np.array(sp.symbols("x11 x12 x21 x22", real=True), dtype=object).reshape(2, 2)
        y = np.array(sp.symbols("y1 y2", real=True), dtype=object)
        th = np.array(sp.symbols("t1 t2", real=True), dtype=object)
        eta = sp.Symbol("eta", positive=True)
        a, b = sides(X, y, th, eta)
        return [Identity(sp.expand(a), sp.expand(b), label)]

    return build


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 9)), int(rng.integers(1, 7))
        X = rng.standard_normal((n, d)) * 10 ** rng.uniform(-1, 1, size=d)[None, :]
        if i % 4 == 1 and d > 1:  # low rank
            X = np.outer(X[:, 0], rng.standard_normal(d))
        theta = rng.standard_normal(d)
        y = X @ rng.standard_normal(d) + (rng.standard_normal(n) if i % 3 else 0.0)
        if i % 5 == 0:
            theta = np.linalg.lstsq(X, y, rcond=None)[0]  # a (global) minimum
        lam = float(np.linalg.eigvalsh(X.T @ X / n)[-1]) or 1.0
        out.append({"X": X, "y": y, "theta": theta, "eta": float(10 ** rng.uniform(-2, 0.7) / lam)})
    return out


@st.composite
def _data(draw: Any) -> dict[str, Any]:
    """Inputs as rows of a ``gradient_matrices`` draw (every rank-one kind), θ arbitrary or a minimum."""
    n, d = draw(st.integers(1, 8)), draw(st.integers(1, 6))
    X = draw(gradient_matrices(n=n, p=d)).T
    y = draw(real_vectors(n, -3, 3))
    theta = np.linalg.lstsq(X, y, rcond=None)[0] if draw(st.booleans()) else draw(real_vectors(d, -3, 3))
    lam = float(np.linalg.eigvalsh(X.T @ X / n)[-1]) or 1.0
    return {"X": X, "y": y, "theta": theta, "eta": draw(reals(0.01, 5.0)) / lam}


_FIXED = [
    {"X": np.array([[1.0, 0.0], [0.0, 2.0]]), "y": np.array([1.0, -1.0]), "theta": np.zeros(2), "eta": 0.5}
]
_HYP = (finite("X", "y", "theta", "eta"),)
_TOL = Tolerance(rtol=1e-8, atol=1e-12)


def _identity(sides: Any, lhs: str, rhs: str, symbolic_label: str, scale: Any = None, **fields: Any) -> Claim:
    """``lhs == rhs`` for the quantities computed by ``sides``: symbolically and on seeded data."""
    return Claim(
        **fields,
        hypotheses=_HYP,
        conclusion=_conclusion(sides, lhs, rhs, scale),
        inputs={"X": array(), "y": array(), "theta": array(), "eta": REAL},
        checks=(
            SymbolicCheck("symbolic", _symbolic(sides, symbolic_label)),
            ExactCheck("exact", _generate, fixed=_FIXED),
            PropertyCheck("property", _data(), max_examples=40),
        ),
        tolerance=_TOL,
        kind="identity",
    )


EQ2 = _identity(
    _sides,
    "E L(θ')",
    "Q(θ) + η²/2·tr(Σ₀H)",
    "E L(θ') = Q + η²/2 tr(Σ₀H)",
    id="wang2023.eq2",
    title="E L(θ') = Q(θ) + η²/2·γ(θ) exactly for a quadratic loss (batch-one SGD)",
    source=Source(KEY, "Section 1, Eq. (2)", page=1),
    statement=(
        r"For $\theta'=\theta-\eta(\nabla\mathcal L+\xi)$ with batch-one SGD noise ξ, "
        r"$\mathbb E\mathcal L(\theta')=\mathcal L-\eta\|\nabla\mathcal "
        r"L\|^2+\frac{\eta^2}2\nabla\mathcal L^TH"
        r"\nabla\mathcal L+\frac{\eta^2}2\mathbb E[\xi^TH\xi]+o(\eta^2)$; for quadratic $\mathcal L$ the "
        r"remainder is exactly 0."
    ),
)

EQ3 = _identity(
    _eq3_sides,
    "E[ξᵀHξ]",
    "tr(Σ₀H)",
    "E[ξᵀHξ] = tr(Σ₀H)",
    scale=_eq3_scale,
    id="wang2023.eq3",
    title="γ(θ) = E[ξᵀHξ] = tr(Σ(θ)H(θ))",
    source=Source(KEY, "Section 1, Eq. (3)", page=2),
    statement=r"$\gamma(\theta)=\mathbb E[\xi^TH\xi]=\operatorname{tr}(\Sigma H)$ with $\Sigma=\mathbb "
    r"E\xi\xi^T$.",
)

CLAIMS = [EQ2, EQ3]
