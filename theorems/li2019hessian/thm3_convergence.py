r"""Li et al. (2019), Theorem 3 (1): the multi-step decrease of adaptive / preconditioned SGD.

Setting
-------
Per-sample quadratics :math:`f(\theta;z_i)=\frac12\theta^TH\theta+b_i^T\theta` (:math:`H`
symmetric, Assumption 1 globally with :math:`L\ge\|H\|_2`), mini-batches of :math:`m` indices
drawn with replacement, :math:`T` steps from a fixed :math:`\theta_0`.  At every step the
step size is placed at relative position ``pos`` :math:`\in(0,1)` of the open interval (35)
(:math:`\eta_t=a_t(1+2\,\mathrm{pos})`, :math:`a_t=\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}`) or, for
the preconditioned variant, of every interval (36).  :math:`\mathbb E f(\theta_t)` is computed
**exactly** by enumerating every sequence of batches (grouped by batch composition with
multinomial probabilities) — no Monte Carlo.

Statement
---------
(1) :math:`f(\theta_t)` converges a.s. (super-martingale).  Encoded:

* ``li2019.thm3.convergence.telescoped`` — the quantitative content of (1) and the first
  step of the proof of (2) (``thm3_rate.py``): for every horizon :math:`T`,
  :math:`\mathbb E f(\theta_T)-f(\theta_0)\le
  -\frac3{8L}\sum_{t<T}\mathbb E\big[\|\mu_t\|^4/\operatorname{Tr}M_t\big]`
  under (35) (sharp constant of ``li2019.thm3.step_size``, tower property), so
  :math:`\mathbb E f(\theta_T)-f^*` is non-increasing in :math:`T`.  Equality for
  :math:`H=LI`, :math:`m=1`, ``pos`` at an end.
* ``li2019.thm3.convergence.telescoped.preconditioned`` — the same under (36) with
  :math:`\frac3{8L}\sum_j\mathbb E[\mu_{t,j}^4/M_{t,j}]`.

Evidence
--------
* ``symbolic`` (App. G, the one-step bound that is telescoped).  (i) By enumerating the two
  batches (:math:`n=2`, :math:`m=1`) for :math:`H=LI` (:math:`p=1`; and :math:`p=2` with a diagonal
  preconditioner :math:`P=\operatorname{diag}(\eta_1,\eta_2)`):
  :math:`\mathbb E[\Delta_t]=-\eta\|\mu_t\|^2+\frac{\eta^2L}2\operatorname{Tr}M_t` (resp.
  :math:`\sum_j(-\eta_j\mu_j^2+\frac{\eta_j^2L}2M_{jj})`), the bound the proof uses, attained at
  :math:`H=LI`.  (ii) At the step :math:`\eta=a_t(1+2\,\mathrm{pos})`, :math:`a_t=\frac{\|\mu_t\|^2}
  {2L\operatorname{Tr}M_t}`, that bound is :math:`\le-\frac3{8L}\|\mu_t\|^4/\operatorname{Tr}M_t` for every
  :math:`\mathrm{pos}\in(0,1)` (the slack is :math:`\mathrm{pos}(1-\mathrm{pos})/2` in units of
  :math:`\|\mu_t\|^4/(L\operatorname{Tr}M_t)`), with equality at the ends; per coordinate under (36).
* ``exact``: exact path enumeration (:math:`n\le3`, :math:`m\le2`, :math:`T\le3`, :math:`p\le3`) on
  seeded quadratics (:math:`LI`, random PSD, random symmetric), ``pos`` at :math:`10^{-9}`,
  :math:`1-10^{-9}` and uniform; plus the equality case.
* ``property``: Hypothesis over the same family.

The exact path laws, generators and hypotheses are in the private ``_quadratic_paths.py``.

References
----------
[li2019hessian, Theorem 3, Eqs. (35)–(36); proof in Appendix G].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)

from ._quadratic_paths import COMMON, INPUTS, generate, instances, paths
from ._quadratic_paths import batch_compositions as batch_compositions  # re-export (public name)

SOURCE = Source("li2019hessian", "Theorem 3 (1)-(2), Eqs. (35)-(36); Appendix G")
TOL = Tolerance(rtol=1e-9, atol=1e-14)


def _telescoped(precond: bool) -> Any:
    def conclusion(inst: dict[str, Any]) -> Comparison:
        P, L = paths(inst, precond), inst["L"]
        lhs = float(P[-1]["p"] @ P[-1]["f"]) - float(P[0]["f"][0])
        rhs = -3 / (8 * L) * sum(float(s["p"] @ s["drift"]) for s in P[:-1])
        label = "Σ_t Σ_j E[μ_tj⁴/M_tjj]" if precond else "Σ_t E[‖μ_t‖⁴/Tr M_t]"
        return Comparison(lhs, rhs, "<=", "E f(θ_T) − f(θ_0)", f"−(3/8L)·{label}")

    return conclusion


def _one_step(precond: bool) -> Any:
    """Symbolic obligations for the one-step bound of App. G under (35), or (36) when ``precond``."""

    def build() -> list[Any]:
        import sympy as sp

        L = sp.Symbol("L", positive=True)
        k = sp.Symbol("k", positive=True)
        pos = 1 / (1 + k)  # every pos in (0, 1)
        p = 2 if precond else 1
        g = sp.Matrix(2, p, sp.symbols(f"g1:{2 * p + 1}", real=True))  # rows: the two per-sample gradients
        eta = (
            sp.symbols(f"eta1:{p + 1}", positive=True) if precond else (sp.Symbol("eta", positive=True),) * p
        )
        th = sp.Matrix(sp.symbols(f"theta1:{p + 1}", real=True))
        b = [g[i, :].T - L * th for i in range(2)]  # f_i = ½Lθᵀθ + b_iᵀθ has gradient g_i at θ

        def f(t: Any) -> Any:
            return (L * (t.T * t)[0] + ((b[0] + b[1]).T * t)[0]) / 2

        mu = (g[0, :] + g[1, :]).T / 2
        M = [(g[0, j] ** 2 + g[1, j] ** 2) / 2 for j in range(p)]
        E = sum(f(th - sp.Matrix([eta[j] * g[i, j] for j in range(p)])) - f(th) for i in range(2)) / 2
        bound = sum(-eta[j] * mu[j] ** 2 + eta[j] ** 2 * L * M[j] / 2 for j in range(p))
        out = [Identity(sp.expand(E), sp.expand(bound), "E[Δ_t] at H = LI, m = 1 (batch enumeration)")]
        m2, tr = sp.symbols("mu2 trM", positive=True)  # one coordinate's μ² and M (or ‖μ‖², Tr M)
        step = (1 + 2 * pos) * m2 / (2 * L * tr)
        val = -step * m2 + step**2 * L * tr / 2
        out.append(
            Nonnegative(sp.factor(-3 * m2**2 / (8 * L * tr) - val), "−η‖μ‖² + η²L Tr M/2 ≤ −3‖μ‖⁴/(8L Tr M)")
        )
        out.append(Identity(sp.limit(val, k, sp.oo), -3 * m2**2 / (8 * L * tr), "equality as pos → 0"))
        return out

    return build


EQUALITY = {
    "H": 2.0 * np.eye(2),
    "B": np.array([[1.0, -0.5], [-2.0, 1.5], [0.5, 0.25]]),
    "theta": np.array([1.0, -1.0]),
    "m": 1,
    "T": 3,
    "L": 2.0,
    "pos": 1e-9,
}


TELESCOPED = Claim(
    id="li2019.thm3.convergence.telescoped",
    aliases=("li2019.theorem3.convergence.telescoped",),
    title="Under (35), E f(θ_T) − f(θ_0) ≤ −(3/8L) Σ_{t<T} E[‖μ_t‖⁴/Tr M_t] (exact, multi-step)",
    source=SOURCE,
    statement=r"Under (35) at every step, $\mathbb E f(\theta_T)-f(\theta_0)\le-\frac3{8L}\sum_{t<T}"
    r"\mathbb E[\|\mu_t\|^4/\operatorname{Tr}M_t]$; "
    r"in particular $\mathbb E f(\theta_T)-f^*$ is non-increasing.",
    hypotheses=COMMON,
    inputs=INPUTS,
    conclusion=_telescoped(False),
    checks=(
        SymbolicCheck("symbolic", _one_step(False)),
        ExactCheck("exact", generate, fixed=[EQUALITY]),
        PropertyCheck("property", instances(), max_examples=40),
    ),
    tolerance=TOL,
)
TELESCOPED_PRECOND = Claim(
    id="li2019.thm3.convergence.telescoped.preconditioned",
    aliases=("li2019.theorem3.convergence.telescoped.preconditioned",),
    title="Under (36), E f(θ_T) − f(θ_0) ≤ −(3/8L) Σ_{t<T} Σ_j E[μ_tj⁴/M_tjj] (exact, multi-step)",
    source=SOURCE,
    statement=r"Under (36) at every step, $\mathbb E f(\theta_T)-f(\theta_0)\le-\frac3{8L}\sum_{t<T}\sum_j"
    r"\mathbb E[\mu_{t,j}^4/M_{t,j}]$.",
    hypotheses=COMMON,
    inputs=INPUTS,
    conclusion=_telescoped(True),
    checks=(
        SymbolicCheck("symbolic", _one_step(True)),
        ExactCheck("exact", generate, fixed=[EQUALITY]),
        PropertyCheck("property", instances(), max_examples=40),
    ),
    tolerance=TOL,
)

CLAIMS = [TELESCOPED, TELESCOPED_PRECOND]
