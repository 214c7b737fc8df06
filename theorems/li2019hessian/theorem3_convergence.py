r"""Li et al. (2019), Theorem 3 (1)–(2): multi-step behaviour of adaptive / preconditioned SGD.

Setting
-------
Per-sample quadratics :math:`f(\theta;z_i)=\frac12\theta^TH\theta+b_i^T\theta` (:math:`H`
symmetric, Assumption 1 globally with :math:`L\ge\|H\|_2`), mini-batches of :math:`m` indices
drawn with replacement, :math:`T` steps from a fixed :math:`\theta_0`.  At every step the
step size is placed at relative position ``pos`` :math:`\in(0,1)` of the open interval (35)
(:math:`\eta_t=a_t(1+2\,\mathrm{pos})`, :math:`a_t=\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}`) or, for
the preconditioned variant, of every interval (36).  :math:`\mathbb E f(\theta_t)` is computed
**exactly** by enumerating every sequence of batches (grouped by batch composition with
multinomial probabilities) — no Monte Carlo.  For quadratics
:math:`\Sigma_t=\operatorname{cov}(b_i)` does not depend on :math:`\theta`, so the assumption
:math:`\operatorname{Tr}\Sigma_t\le\sigma^2` of (2) holds with :math:`\sigma^2=\operatorname{Tr}\Sigma`;
for positive definite :math:`H`, :math:`f^*=-\frac12\bar b^TH^{-1}\bar b`.

Statement
---------
(1) :math:`f(\theta_t)` converges a.s. (super-martingale); (2) if
:math:`\operatorname{Tr}\Sigma_t\le\sigma^2`, then after
:math:`T\ge\frac{2L(f(\theta_0)-f^*)(\sigma^2/m+\epsilon)}{\epsilon^2}` iterations
:math:`\min_t\mathbb E\|\nabla f(\theta_t)\|^2\le\epsilon`.  Encoded:

* ``li2019.theorem3.convergence.telescoped`` — the quantitative content of (1) and the first
  step of the proof of (2): for every horizon :math:`T`,
  :math:`\mathbb E f(\theta_T)-f(\theta_0)\le
  -\frac3{8L}\sum_{t<T}\mathbb E\big[\|\mu_t\|^4/\operatorname{Tr}M_t\big]`
  under (35) (sharp constant of ``li2019.theorem3.step_size``, tower property), so
  :math:`\mathbb E f(\theta_T)-f^*` is non-increasing in :math:`T`.  Equality for
  :math:`H=LI`, :math:`m=1`, ``pos`` at an end.
* ``li2019.theorem3.convergence.telescoped.preconditioned`` — the same under (36) with
  :math:`\frac3{8L}\sum_j\mathbb E[\mu_{t,j}^4/M_{t,j}]`.
* ``li2019.theorem3.rate`` — (2) as printed (false, see Finding), read generously (:math:`\min` over
  :math:`t=0,\dots,T`, and :math:`\epsilon` the smallest value the iteration count allows,
  :math:`\epsilon_T=\frac{2LD_0+\sqrt{4L^2D_0^2+8TLD_0\sigma^2/m}}{2T}`, :math:`D_0=f(\theta_0)-f^*`).

Finding
-------
**Erratum**: **False** for large batches: the step sizes (35) use the full second moment
:math:`M_t`, not :math:`M_t^{(m)}`, so the per-step decrease does not improve with
:math:`m`, while the printed count divides :math:`\sigma^2` by :math:`m`.  The proof (App. G)
itself reaches :math:`T\ge4L\,\mathbb E[f(\theta_0)-f^*](\sigma^2+\epsilon)/\epsilon^2`, with no
:math:`1/m`.  Counterexample: :math:`p=1`, :math:`H=L=1`, :math:`b=\pm3` (:math:`\sigma^2=9`),
:math:`\theta_0=1`, :math:`m=16`, :math:`T=4`, ``pos`` :math:`=10^{-9}`:
:math:`\min_{t\le4}\mathbb E\mu_t^2=0.699>\epsilon_4=0.520`.  (For :math:`m=1` no violation was
found in the seeded sweep.)

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
  ``rate``: the step the printed iteration count needs, :math:`\operatorname{Tr}M_t\le\|\mu_t\|^2+
  \operatorname{Tr}\Sigma_t/m` (so that :math:`\sigma^2` enters divided by :math:`m`), for two symbolic
  gradients and :math:`m=2`: the slack is :math:`-(1-\frac1m)\operatorname{Tr}\Sigma_t<0`, and sympy's
  rational points refute it (:math:`\operatorname{Tr}M_t=\|\mu_t\|^2+\operatorname{Tr}\Sigma_t` exactly).
* ``exact``: exact path enumeration (:math:`n\le3`, :math:`m\le2`, :math:`T\le3`, :math:`p\le3`) on
  seeded quadratics (:math:`LI`, random PSD, random symmetric for the telescoped claims),
  ``pos`` at :math:`10^{-9}`, :math:`1-10^{-9}` and uniform; plus the fixed cases (the
  equality case; the counterexample for ``rate``).  A float64 violation of ``rate`` is re-checked with
  every path in 50-digit mpmath (``precise_conclusion``).
* ``property``: Hypothesis over the same family (telescoped claims).

The exact path laws, generators and hypotheses are in the private ``_quadratic_paths.py``.

References
----------
[li2019hessian, Theorem 3, Eqs. (35)–(36); proof in Appendix G].
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations_with_replacement
from typing import Any

import numpy as np

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
from verifythm.linalg.precise import frac_to_mpf, mpf_array, to_float, to_mp_matrix

from ._quadratic_paths import COMMON, INPUTS, generate, generate_pd, instances, paths
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
    id="li2019.theorem3.convergence.telescoped",
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
    id="li2019.theorem3.convergence.telescoped.preconditioned",
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


def rate_sides(inst: dict[str, Any]) -> tuple[float, float]:
    """``(min_{t≤T} E‖∇f(θ_t)‖², ε_T)`` for the step size (35)."""
    H, B, L, m, T = (inst[k] for k in ("H", "B", "L", "m", "T"))
    P = paths(inst, False)
    bbar = B.mean(axis=0)
    fstar = -0.5 * float(bbar @ np.linalg.solve(H, bbar))
    D0 = float(P[0]["f"][0]) - fstar
    C = B - bbar
    sigma2 = float(np.sum(C * C)) / B.shape[0]
    eps = (2 * L * D0 + math.sqrt(4 * L * L * D0 * D0 + 8 * T * L * D0 * sigma2 / m)) / (2 * T)
    return min(float(s["p"] @ s["mu2"]) for s in P), eps


def _rate(inst: dict[str, Any]) -> Comparison:
    lhs, eps = rate_sides(inst)
    return Comparison(lhs, eps, "<=", "min_{t≤T} E‖∇f(θ_t)‖²", "ε_T (T = 2L D₀(σ²/m + ε)/ε²)")


def _rate_precise(inst: dict[str, Any]) -> Comparison:
    r""":func:`_rate` at 50 digits: every path of (35) in mpmath, inputs read exactly.

    The step sizes, states and :math:`\|\mu_t\|^2` of every path are mpmath numbers (they are
    rational in the inputs, but their exact size grows quickly with :math:`T`), and so are the
    batch-composition probabilities (exact multinomials rounded once); :math:`f^*`, :math:`D_0`,
    :math:`\sigma^2` and :math:`\epsilon_T` are recomputed at the same precision.  The last step's
    :math:`\mathbb E\|\mu_T\|^2` is taken over the batch compositions in closed form (it is
    quadratic in the batch gradient: first and second moments of :math:`(WB)_kH`), so the
    :math:`K^T` final paths are not formed; the float64 :func:`paths` enumerate them.
    """
    import mpmath

    with mpmath.workdps(50):
        H, B, th0 = (mpf_array(inst[k]) for k in ("H", "B", "theta"))
        L, pos = mpmath.mpf(inst["L"]), mpmath.mpf(inst["pos"])
        m, T = inst["m"], inst["T"]
        n = B.shape[0]
        bbar = B.sum(axis=0) / n
        pb, WB = [], []
        for combo in combinations_with_replacement(range(n), m):
            counts = [combo.count(i) for i in range(n)]
            multinom = math.factorial(m)
            for c in counts:
                multinom //= math.factorial(c)
            pb.append(frac_to_mpf(Fraction(multinom, n**m)))
            WB.append(np.array(counts, dtype=object).dot(B) / m)
        pbv, WBv = np.array(pb, dtype=object), np.array(WB, dtype=object)  # (K,), (K, p)
        th, pr = th0[None, :], np.array([mpmath.mpf(1)], dtype=object)  # states (S, p), probabilities (S,)
        expected_mu2 = []
        for t in range(T + 1):
            Hth = th.dot(H)  # rows θᵀH, as the float64 paths
            mu = Hth + bbar
            q = (mu * mu).sum(axis=1)
            expected_mu2.append(pr.dot(q))
            if t == T:
                break
            trM = sum(((Hth + b) * (Hth + b)).sum(axis=1) for b in B) / n
            step = np.array(
                [
                    qs / (2 * L * tr) * (1 + 2 * pos) if tr > 0 else mpmath.mpf(0)
                    for qs, tr in zip(q, trM, strict=True)
                ],
                dtype=object,
            )
            if t == T - 1:
                # The last step in closed form: with a_s = (θ_s − η_s Hθ_s)H + b̄ and d_k = (W B)_k H,
                # μ_(s,k) = a_s − η_s d_k, so Σ_k p_k ‖μ_(s,k)‖² = (Σ_k p_k)‖a_s‖² − 2η_s a_s·(Σ_k p_k d_k)
                # + η_s² Σ_k p_k ‖d_k‖², exactly: one term per state instead of one per path.
                a = (th - step[:, None] * Hth).dot(H) + bbar
                D = WBv.dot(H)  # (K, p)
                c, e2 = pbv.dot(D), pbv.dot((D * D).sum(axis=1))
                q_next = pbv.sum() * (a * a).sum(axis=1) - 2 * step * a.dot(c) + step * step * e2
                expected_mu2.append(pr.dot(q_next))
                break
            th = (th[:, None, :] - step[:, None, None] * (Hth[:, None, :] + WBv[None, :, :])).reshape(
                -1, th.shape[1]
            )
            pr = (pr[:, None] * pbv[None, :]).ravel()
        Hm = to_mp_matrix(H)
        fstar = -(mpmath.matrix(list(bbar)).T * mpmath.lu_solve(Hm, mpmath.matrix(list(bbar))))[0] / 2
        D0 = th0.dot(H.dot(th0)) / 2 + th0.dot(bbar) - fstar
        sigma2 = sum((b - bbar).dot(b - bbar) for b in B) / n
        eps = (2 * L * D0 + mpmath.sqrt(4 * L * L * D0 * D0 + 8 * T * L * D0 * sigma2 / m)) / (2 * T)
        return Comparison(
            to_float(min(expected_mu2)),
            to_float(eps),
            "<=",
            "min_{t≤T} E‖∇f(θ_t)‖²",
            "ε_T (T = 2L D₀(σ²/m + ε)/ε²)",
        )


def _symbolic_rate() -> list[Any]:
    """The printed count's σ²/m needs Tr M_t ≤ ‖μ_t‖² + Tr Σ_t/m; it is Tr M_t = ‖μ_t‖² + Tr Σ_t."""
    import sympy as sp

    g1, g2 = sp.symbols("g1 g2", real=True)
    m = 2
    mu = (g1 + g2) / 2
    Sig = ((g1 - mu) ** 2 + (g2 - mu) ** 2) / 2
    M = (g1**2 + g2**2) / 2
    return [
        Identity(sp.expand(M), sp.expand(mu**2 + Sig), "Tr M_t = ‖μ_t‖² + Tr Σ_t"),
        Nonnegative(sp.factor(sp.expand(mu**2 + Sig / m - M)), "Tr M_t ≤ ‖μ_t‖² + Tr Σ_t/m (m = 2)"),
    ]


def _pd(i: dict[str, Any]) -> bool:
    return bool(float(np.min(np.linalg.eigvalsh(i["H"]))) > 1e-8 * i["L"])


COUNTEREXAMPLE = {
    "H": np.eye(1),
    "B": np.array([[3.0], [-3.0]]),
    "theta": np.array([1.0]),
    "m": 16,
    "T": 4,
    "L": 1.0,
    "pos": 1e-9,
}


RATE = Claim(
    id="li2019.theorem3.rate",
    title="Theorem 3 (2) as printed: T ≥ 2L(f(θ₀) − f*)(σ²/m + ε)/ε² gives min_t E‖∇f(θ_t)‖² ≤ ε (false)",
    source=SOURCE,
    statement=r"If $\operatorname{Tr}\Sigma_t\le\sigma^2$ then for "
    r"$T\ge\frac{2L(f(\theta_0)-f^*)(\sigma^2/m+\epsilon)}{\epsilon^2}$, "
    r"$\min_{t\le T}\mathbb E\|\nabla f(\theta_t)\|^2\le\epsilon$ (step size (35)).",
    hypotheses=(*COMMON, Hypothesis("H positive definite (f* finite)", _pd)),
    conclusion=_rate,
    inputs=INPUTS,
    precise_conclusion=_rate_precise,
    checks=(
        ExactCheck("exact", generate_pd, fixed=[COUNTEREXAMPLE]),
        SymbolicCheck("symbolic", _symbolic_rate),
    ),
    expected=Expected.fails(
        "Theorem 3 (2) promises min_t E‖∇f‖² ≤ ε after T ≥ 2L(f(θ₀) − f*)(σ²/m + ε)/ε² steps, but the step "
        "sizes (35) use the per-sample M_t of Eq. (7) and do not speed up with m (the proof reaches "
        "4L(σ² + ε)/ε², no 1/m): p = 1, H = L = 1, b = ±3, θ₀ = 1, m = 16, T = 4: min_t E μ_t² = 0.699 > "
        "ε_4 = 0.520",
        "docs/errata/li2019.theorem3.rate__exact.md",
        finding="erratum",
    ),
    tolerance=TOL,
)

CLAIMS = [TELESCOPED, TELESCOPED_PRECOND, RATE]
