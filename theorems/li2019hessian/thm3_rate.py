r"""Li et al. (2019), Theorem 3 (2): the iteration count of adaptive SGD, as printed (false).

Setting
-------
As in ``thm3_convergence.py``: per-sample quadratics
:math:`f(\theta;z_i)=\frac12\theta^TH\theta+b_i^T\theta`, :math:`L\ge\|H\|_2`, mini-batches of
:math:`m` indices drawn with replacement, step sizes at relative position ``pos`` of the interval
(35), :math:`\mathbb E f(\theta_t)` exact by enumerating every sequence of batches.  For quadratics
:math:`\Sigma_t=\operatorname{cov}(b_i)` does not depend on :math:`\theta`, so the assumption
:math:`\operatorname{Tr}\Sigma_t\le\sigma^2` holds with :math:`\sigma^2=\operatorname{Tr}\Sigma`; for
positive definite :math:`H`, :math:`f^*=-\frac12\bar b^TH^{-1}\bar b`.

Statement
---------
(2) If :math:`\operatorname{Tr}\Sigma_t\le\sigma^2`, then after
:math:`T\ge\frac{2L(f(\theta_0)-f^*)(\sigma^2/m+\epsilon)}{\epsilon^2}` iterations
:math:`\min_t\mathbb E\|\nabla f(\theta_t)\|^2\le\epsilon`.  ``li2019.thm3.rate`` encodes it read
generously (:math:`\min` over :math:`t=0,\dots,T`, and :math:`\epsilon` the smallest value the
iteration count allows,
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
* ``symbolic``: the step the printed iteration count needs,
  :math:`\operatorname{Tr}M_t\le\|\mu_t\|^2+\operatorname{Tr}\Sigma_t/m` (so that :math:`\sigma^2`
  enters divided by :math:`m`), for two symbolic gradients and :math:`m=2`: the slack is
  :math:`-(1-\frac1m)\operatorname{Tr}\Sigma_t<0`, and sympy's rational points refute it
  (:math:`\operatorname{Tr}M_t=\|\mu_t\|^2+\operatorname{Tr}\Sigma_t` exactly).
* ``exact``: exact path enumeration (:math:`n\le3`, :math:`m\le2`, :math:`T\le3`, :math:`p\le3`) on
  seeded positive definite quadratics, ``pos`` at :math:`10^{-9}`, :math:`1-10^{-9}` and uniform, plus
  the counterexample.  A float64 violation is re-checked with every path in 50-digit mpmath
  (``precise_conclusion``).

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
    SymbolicCheck,
)
from verifythm.linalg.precise import frac_to_mpf, mpf_array, to_float, to_mp_matrix

from ._quadratic_paths import COMMON, INPUTS, generate_pd, paths
from .thm3_convergence import SOURCE, TOL


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
    id="li2019.thm3.rate",
    aliases=("li2019.theorem3.rate",),
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
        "docs/errata/li2019.thm3.rate__exact.md",
        finding="erratum",
    ),
    tolerance=TOL,
)


CLAIMS = [RATE]
