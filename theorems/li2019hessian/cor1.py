r"""Li et al. (2019), Corollary 1: the expected decrease of SGD for high-dimensional least squares.

Setting
-------
Example 1: :math:`f(\theta)=\frac1{2n\sigma^2}\|X\theta-y\|^2` (Eq. (17)), :math:`n\le p`,
:math:`H_f=\frac1{n\sigma^2}X^TX`; constants with :math:`\|H_f\|_2\le L`,
:math:`\sigma_{\min}(\frac1nXX^T)\ge\alpha>0`, :math:`\max_i\|x_i\|^2\le\beta`; step
:math:`\eta=\frac\alpha{\beta L}`; mini-batches of size :math:`m` drawn with replacement.

Statement
---------
Corollary 1 (Eq. (30)) is a one-sided tail bound centred at
:math:`-\frac{\alpha^2}{2\beta Ln}\|X\theta_t-y\|^2` with an unspecified absolute constant; its
proof (App. E.1) establishes the centre as a bound on the conditional mean,
:math:`\mathbb E[\Delta_t(f)|\theta_t]\le-\frac{\alpha^2}{2\beta Ln}\|X\theta_t-y\|^2`.  When
:math:`\Sigma_t=0` (e.g. :math:`n=1`) :math:`\Delta_t` is deterministic and the tail bound
itself reduces to this inequality.  Encoded:

* ``li2019.cor1.drift`` — the mean bound for :math:`\sigma=1` (holds; it follows from
  Theorem 1 since :math:`\|\mu_t\|^2\ge\frac\alpha n\|r\|^2` and
  :math:`\operatorname{Tr}M_t\le\frac\beta n\|r\|^2`; equality for :math:`n=1`);
* ``li2019.cor1.drift.example1`` — the same bound for Example 1's loss with general
  :math:`\sigma`.  **False** for :math:`\sigma>1`: the derivation gives
  :math:`-\frac{\alpha^2}{2\beta Ln\sigma^4}\|r\|^2` (the factors :math:`1/\sigma^2` of
  :math:`\mu_t` and :math:`M_t` are dropped).  Counterexample :math:`n=p=m=1`, :math:`x=1`,
  :math:`y=0`, :math:`\theta=1`, :math:`\sigma=2`, :math:`L=\frac14`, :math:`\alpha=\beta=1`:
  :math:`\eta=4` reaches the minimum, :math:`\Delta=-\frac18`, but the bound claims
  :math:`\le-2`.  With :math:`\sigma>1` the claimed decrease is too optimistic by
  :math:`\sigma^4`, and since :math:`\Sigma_t=0` here the tail bound (30) fails with it.

Remarks (not claims): with :math:`\eta=\alpha/(\beta L)` Theorem 1's
:math:`\alpha_{t,1}=\eta|1-\eta L|\frac1{\sqrt m}\|\Sigma_t^{1/2}\mu_t\|` is
:math:`\frac{\alpha}{\beta L}|1-\frac\alpha\beta|\frac1{\sqrt m}\|\Sigma_t^{1/2}\mu_t\|`, not the printed
:math:`|1-\frac\alpha{2\beta}|\frac1{\sqrt m}\|\Sigma_t^{1/2}\mu_t\|`, and :math:`\alpha_{t,2},\alpha_{t,3}`
should carry :math:`\eta^2L/(2m)=\alpha^2/(2\beta^2Lm)` (as printed); the proof in App. E.1 uses
different assumptions and step size
(:math:`\sigma_{\min}(XX^T/n^2)\ge\alpha`, :math:`x_i^TH_fx_i\le\beta`, :math:`\eta=\frac\alpha{\beta Ln}`)
from the statement; Corollary 2 (logistic regression) assumes
:math:`\sigma_{\min}(\frac1n\sum_ix_ix_i^T)\ge\alpha>0`, a :math:`p\times p` matrix of rank
:math:`\le n<p` in the high-dimensional case it is stated for, so its hypothesis can never
hold there (its proof uses the :math:`n\times n` Gram matrix :math:`XX^T`).

Evidence
--------
* ``symbolic`` (App. E.1, the assembly of the centre).  (i) Exact enumeration of the four batches of
  :math:`m=2` drawn with replacement from :math:`n=2` samples (:math:`p=1`, symbolic
  :math:`x_i,y_i,\theta,\eta,\sigma`): :math:`\mathbb E[\Delta_t]=-\eta\|\mu_t\|^2+\frac{\eta^2}2
  (\mu_t^TH_f\mu_t+\frac1m\operatorname{Tr}(H_f\Sigma_t))` (Theorem 1's mean), and
  :math:`\operatorname{Tr}M_t-\mathbb E\|\hat g\|^2=(1-\frac1m)\operatorname{Tr}\Sigma_t\ge0`.  (ii) With
  :math:`\|\mu_t\|^2\ge\frac\alpha{n\sigma^4}\|r\|^2` and :math:`\operatorname{Tr}M_t\le\frac\beta{n\sigma^4}
  \|r\|^2`, the bound :math:`(-\eta\frac\alpha{n\sigma^4}+\frac{\eta^2L}2\frac\beta{n\sigma^4})\|r\|^2` at
  :math:`\eta=\frac\alpha{\beta L}` is :math:`-\frac{\alpha^2}{2\beta Ln\sigma^4}\|r\|^2` (the
  ``.drift`` claim: :math:`\sigma=1`).  ``.example1``: the step from that centre to the printed
  one, :math:`-\frac{\alpha^2}{2\beta Ln\sigma^4}\le-\frac{\alpha^2}{2\beta Ln}`, i.e.
  :math:`\frac{\alpha^2}{2\beta Ln}(\sigma^{-4}-1)\ge0`, fails at :math:`\sigma=2`; the point is replayed
  as the instance :math:`n=p=m=1`, :math:`x=1`, :math:`y=0`, :math:`\theta=1`,
  :math:`L=\sigma^{-2}`, :math:`\alpha=\beta=1`.
* ``exact``: :math:`\mathbb E[\Delta_t]` by exact enumeration of mini-batches (with
  replacement) on seeded designs with full row rank, :math:`\alpha,\beta,L` at their
  extreme admissible values or loosened, :math:`\sigma` as stated.
* ``property``: Hypothesis over designs, targets, :math:`\theta` and :math:`m`.
* A float64 violation of ``.example1`` is re-checked in exact rational arithmetic
  (``precise_conclusion``: the same drift and bound from the exact values of the inputs).

References
----------
[li2019hessian, Example 1, Eq. (17); Corollary 1, Eq. (30); proof in Appendix E.1].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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
from verifythm.claims.common import exact
from verifythm.claims.inputs import INT, REAL, array
from verifythm.strategies.scalars import reals

from ._util import quadratic_expected_change, quadratic_expected_change_exact

SOURCE = Source("li2019hessian", "Corollary 1, Eq. (30); Appendix E.1")


def conclusion(inst: dict[str, Any]) -> Comparison:
    """Exact E[Δ_t] against −α²‖Xθ − y‖²/(2βLn)."""
    X, y, th, a, b, L = (inst[k] for k in ("X", "y", "theta", "alpha", "beta", "L"))
    s2 = inst["sigma"] ** 2
    n = X.shape[0]
    eta = a / (b * L)
    # f_i = (x_iᵀθ − y_i)²/(2σ²) = ½θᵀ(x_ix_iᵀ/σ²)θ − (y_i/σ²)x_iᵀθ + const: per-sample Hessians differ,
    # so write the empirical loss as one quadratic and its per-sample gradients explicitly.
    H = X.T @ X / (n * s2)
    r = X @ th - y
    G = (r / s2)[:, None] * X
    B = G - th @ H  # rows b_i such that g_i = Hθ + b_i (only the batch means of g_i matter)
    E, _, _ = quadratic_expected_change(H, B, th, inst["m"], np.full(th.size, eta))
    return Comparison(E, -(a**2) / (2 * b * L * n) * float(r @ r), "<=", "E[Δ_t | θ_t]", "−α²‖Xθ−y‖²/(2βLn)")


def conclusion_exact(inst: dict[str, Any]) -> Comparison:
    """:func:`conclusion` in exact rational arithmetic (the float inputs read exactly)."""
    X, y, th = (exact(inst[k]) for k in ("X", "y", "theta"))
    s2 = Fraction(inst["sigma"]) ** 2
    n = X.shape[0]
    a, b, L = (Fraction(inst[k]) for k in ("alpha", "beta", "L"))
    r = X.dot(th) - y
    G = (r / s2)[:, None] * X  # per-sample gradients (x_iᵀθ − y_i)x_i/σ²
    E, _ = quadratic_expected_change_exact(X.T.dot(X) / (n * s2), G, inst["m"], np.full(th.size, a / (b * L)))
    return Comparison(E, -(a**2) / (2 * b * L * n) * r.dot(r), "<=", "E[Δ_t | θ_t]", "−α²‖Xθ−y‖²/(2βLn)")


def _symbolic_mean() -> list[Any]:
    """E[Δ_t] by enumerating the batches (n = 2, m = 2, with replacement, p = 1), and E‖ĝ‖² ≤ Tr M_t."""
    import itertools

    import sympy as sp

    x1, x2, y1, y2, th, eta = sp.symbols("x1 x2 y1 y2 theta eta", real=True)
    s = sp.Symbol("sigma", positive=True)
    n, m = 2, 2
    xs, ys = (x1, x2), (y1, y2)

    def f(t: Any) -> Any:
        return sum((x * t - y) ** 2 for x, y in zip(xs, ys, strict=True)) / (2 * n * s**2)

    g = [(x * th - y) * x / s**2 for x, y in zip(xs, ys, strict=True)]
    H = sum(x**2 for x in xs) / (n * s**2)
    mu = sum(g) / n
    Sig = sum((gi - mu) ** 2 for gi in g) / n
    M = sum(gi**2 for gi in g) / n
    batches = list(itertools.product(range(n), repeat=m))
    E = sum(f(th - eta * sum(g[i] for i in b) / m) - f(th) for b in batches) / len(batches)
    Eg2 = sum((sum(g[i] for i in b) / m) ** 2 for b in batches) / len(batches)
    return [
        Identity(
            sp.expand(E),
            sp.expand(-eta * mu**2 + eta**2 / 2 * (H * mu**2 + H * Sig / m)),
            "E[Δ_t] = −η‖μ‖² + η²/2 (μᵀHμ + Tr(HΣ)/m) by batch enumeration (n = m = 2)",
        ),
        Identity(
            sp.expand(M - Eg2), sp.expand((1 - sp.Rational(1, m)) * Sig), "Tr M_t − E‖ĝ‖² = (1 − 1/m) Tr Σ_t"
        ),
    ]


def _centre(a: Any, b: Any, L: Any, n: Any, s: Any) -> tuple[Any, Any]:
    """(−ηα + η²Lβ/2)/(nσ⁴) at η = α/(βL), and the closed form −α²/(2βLnσ⁴) of App. E.1."""
    eta = a / (b * L)
    return (-eta * a + eta**2 * L * b / 2) / (n * s**4), -(a**2) / (2 * b * L * n * s**4)


def _symbolic_drift() -> list[Any]:
    """The σ = 1 centre: App. E.1's constants assemble to −α²/(2βLn)."""
    import sympy as sp

    a, b, L, n = sp.symbols("alpha beta L n", positive=True)
    got, want = _centre(a, b, L, n, 1)
    return [
        *_symbolic_mean(),
        Identity(sp.simplify(got - want), 0, "η = α/(βL): (−ηα + η²Lβ/2)/n = −α²/(2βLn)"),
    ]


def _symbolic_example1() -> list[Any]:
    """Example 1's σ: the derived centre −α²/(2βLnσ⁴) does not imply the printed −α²/(2βLn)."""
    import sympy as sp

    a, b, L, n, s = sp.symbols("alpha beta L n sigma", positive=True)
    got, want = _centre(a, b, L, n, s)
    printed = -(a**2) / (2 * b * L * n)
    return [
        Identity(sp.simplify(got - want), 0, "η = α/(βL): the centre is −α²/(2βLnσ⁴)"),
        Nonnegative(printed * (1 - s**-4), "the printed centre: −α²/(2βLnσ⁴) ≤ −α²/(2βLn)"),
    ]


def _example1_instance(pt: dict[str, float]) -> dict[str, Any]:
    """The instance n = p = m = 1, x = 1, y = 0, θ = 1, α = β = 1, L = σ⁻² (η = σ² reaches the minimum)."""
    s = pt["sigma"]
    return {**SMALLEST, "sigma": s, "L": 1.0 / s**2}


def _generate_sigma(fixed_sigma: bool):
    def gen(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(k):
            p = int(rng.integers(1, 5))
            n = int(rng.integers(1, p + 1))
            X = rng.standard_normal((n, p))
            sigma = 1.0 if fixed_sigma else float(10 ** rng.uniform(-0.5, 0.5))
            lam = np.linalg.eigvalsh(X @ X.T / n)
            loose = 1.0 if i % 2 == 0 else float(rng.uniform(0.5, 1.0))
            out.append(
                {
                    "X": X,
                    "y": rng.standard_normal(n),
                    "theta": rng.standard_normal(p),
                    "sigma": sigma,
                    "m": int(rng.integers(1, min(n, 3) + 1)),
                    "alpha": float(lam[0]) * loose,
                    "beta": float(np.max(np.sum(X * X, axis=1))) / loose,
                    "L": float(np.linalg.eigvalsh(X.T @ X / (n * sigma**2))[-1]) / loose,
                }
            )
        return out

    return gen


def _strategy(fixed_sigma: bool):
    @st.composite
    def draw_inst(draw: Any) -> dict[str, Any]:
        p = draw(st.integers(1, 3))
        n = draw(st.integers(1, p))
        el = reals(-3, 3)
        X = draw(hnp.arrays(float, (n, p), elements=el))
        sigma = 1.0 if fixed_sigma else draw(st.floats(0.3, 3.0))
        lam = np.linalg.eigvalsh(X @ X.T / n)
        return {
            "X": X,
            "y": draw(hnp.arrays(float, (n,), elements=el)),
            "theta": draw(hnp.arrays(float, (p,), elements=el)),
            "sigma": sigma,
            "m": draw(st.integers(1, min(n, 3))),
            "alpha": float(lam[0]),
            "beta": float(np.max(np.sum(X * X, axis=1))),
            "L": float(np.linalg.eigvalsh(X.T @ X / (n * sigma**2))[-1]),
        }

    return draw_inst()


def _admissible(i: dict[str, Any]) -> bool:
    X, a, b, L = (i[k] for k in ("X", "alpha", "beta", "L"))
    n = X.shape[0]
    s2 = i["sigma"] ** 2
    if not (np.all(np.isfinite(X)) and n <= X.shape[1] and 1 <= i["m"] <= n <= 8 and s2 > 0):
        return False
    if not 1e-50 < float(np.max(np.abs(X))) < 1e50:  # keep α, β, L away from under/overflow
        return False
    lam_min = float(np.linalg.eigvalsh(X @ X.T / n)[0])
    top = float(np.linalg.eigvalsh(X.T @ X / (n * s2))[-1])
    return bool(
        a > 1e-6 * max(top * s2, 1e-300)
        and a <= lam_min * (1 + 1e-12)
        and b >= float(np.max(np.sum(X * X, axis=1))) * (1 - 1e-12)
        and L >= top * (1 - 1e-12)
    )


INPUTS = dict(X=array(2), y=array(1), theta=array(1), m=INT, sigma=REAL, alpha=REAL, beta=REAL, L=REAL)
_HYP = (Hypothesis("n ≤ p; ‖H_f‖₂ ≤ L, σ_min(XXᵀ/n) ≥ α > 0, max‖x_i‖² ≤ β", _admissible),)

SMALLEST = {
    "X": np.array([[1.0]]),
    "y": np.array([0.0]),
    "theta": np.array([1.0]),
    "sigma": 2.0,
    "m": 1,
    "alpha": 1.0,
    "beta": 1.0,
    "L": 0.25,
}

DRIFT = Claim(
    id="li2019.cor1.drift",
    aliases=("li2019.corollary1.drift",),
    title="Least squares with σ = 1 and η = α/(βL): E[Δ_t | θ_t] ≤ −α²‖Xθ_t − y‖²/(2βLn)",
    source=SOURCE,
    statement=(
        r"For $f=\frac1{2n}\|X\theta-y\|^2$, $\|H_f\|\le L$, $\sigma_{\min}(XX^T/n)\ge\alpha$, "
        r"$\max_i\|x_i\|^2\le\beta$ and $\eta=\frac{\alpha}{\beta L}$: "
        r"$\mathbb E[\Delta_t(f)|\theta_t]\le-\frac{\alpha^2}{2\beta Ln}\|X\theta_t-y\|^2$."
    ),
    hypotheses=(*_HYP, Hypothesis("σ = 1", lambda i: i["sigma"] == 1.0)),
    conclusion=conclusion,
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", _symbolic_drift),
        ExactCheck("exact", _generate_sigma(True), fixed=[{**SMALLEST, "sigma": 1.0, "L": 1.0}]),
        PropertyCheck("property", _strategy(True), max_examples=100),
    ),
)

DRIFT_EXAMPLE1 = Claim(
    id="li2019.cor1.drift.example1",
    aliases=("li2019.corollary1.drift.example1",),
    title="The same bound for Example 1's loss (17) with noise level σ (false for σ > 1)",
    source=SOURCE,
    statement=(
        r"For $f=\frac1{2n\sigma^2}\|X\theta-y\|^2$ under the same assumptions and "
        r"$\eta=\frac{\alpha}{\beta L}$: "
        r"$\mathbb E[\Delta_t(f)|\theta_t]\le-\frac{\alpha^2}{2\beta Ln}\|X\theta_t-y\|^2$."
    ),
    hypotheses=_HYP,
    conclusion=conclusion,
    inputs=INPUTS,
    precise_conclusion=conclusion_exact,
    checks=(
        ExactCheck("exact", _generate_sigma(False), fixed=[SMALLEST]),
        PropertyCheck("property", _strategy(False), max_examples=100),
        # last: on a tie in size the exact check's instance is the one reported
        SymbolicCheck("symbolic", _symbolic_example1, to_instance=_example1_instance),
    ),
    expected=Expected.fails(
        "Corollary 1, stated for Example 1's loss (17) with its 1/σ², centres its bound at "
        "−α²‖Xθ−y‖²/(2βLn); the derivation gives −α²‖Xθ−y‖²/(2βLnσ⁴), so the bound fails for σ > 1 (n = p = "
        "m = 1, x = 1, y = 0, θ = 1, σ = 2, L = 1/4, α = β = 1: Δ = −1/8 > −2; `li2019.cor1.drift`, σ "
        "= 1, holds)",
        "docs/errata/li2019.cor1.drift.example1__exact.md",
        finding="erratum",
    ),
)

CLAIMS = [DRIFT, DRIFT_EXAMPLE1]
