r"""Dexter et al. (2024), Theorem 2: near-optimality of Theorem 1's condition, via an explicit family.

Setting
-------
Parameters :math:`\lambda_1>0`, :math:`n\in\mathbb N`, :math:`B\in[n]`, :math:`\eta>0` and an integer
:math:`\sigma\in[n]`.  The proof's construction (:func:`verifythm.strategies.dexter2024_thm2_family`):
:math:`H_i=m\,e_1e_1^T` for :math:`i\le\sigma`, :math:`H_i=0` otherwise, :math:`m=\lambda_1n/\sigma`,
in dimension :math:`d=n`.  Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`.

Statement
---------
``dexter2024.thm2``: if :math:`\lambda_1<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}`, there is a PSD
family with :math:`\lambda_1(H)=\lambda_1` and :math:`\lim_k\mathbb E\|P_k\|_F^2<n`; encoded for the
construction.  That the construction has coherence :math:`\sigma` and :math:`\lambda_1(H)=\lambda_1`, and
that its critical learning rate is exactly Theorem 2's bound, is :mod:`.thm2_construction`; that
Theorem 2's threshold never exceeds Theorem 1's is :mod:`.thm2_consistent_with_thm1`.

Evidence
--------
* ``exact``: the limit is decided exactly: the construction's :math:`H` has rank one, every
  :math:`\hat J` is the identity on :math:`\ker H` (dimension :math:`n-1`), so
  :math:`\lim_k\mathbb E\|P_k\|_F^2=(n-1)+\lim_k\rho^k` with :math:`\rho=\rho(\mathcal T_\eta)` from
  the engine (:func:`verifythm.dynamics.spectral_radius`); it is :math:`n-1` if :math:`\rho<1` and
  is recorded as :math:`\infty` otherwise.
  A float64 violation is re-checked in exact rationals (``precise_conclusion``): the construction's
  :math:`e_1^T\mathbb E[\hat J^2]e_1=1-\eta\lambda_1(2-\eta\lambda_1(\sigma+n/B-1)/\sigma)` by exact
  Binomial moments.  At tiny :math:`\eta\lambda_1` (e.g. :math:`10^{-18}`) float64 rounds
  :math:`\rho` to 1 and would report :math:`\infty`; the exact value decides.
  Seeded parameters :math:`n\le30` (with :math:`n\ge11` often, so that the limit's margin of
  1 is below 10 % of :math:`n`), :math:`\eta` up to 0.9999 of the threshold.
* ``property``: Hypothesis over the parameters.

References
----------
[dexter2024precise, Theorem 2 and its proof in Appendix A.2].
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source
from verifythm.claims.inputs import REAL

from ._common import rho
from ._thm2 import ADMISSIBLE, construction, eta_threshold, param_strategy, params, params_ok


def _below(inst: dict[str, Any]) -> bool:
    if not params_ok(inst) or not inst["eta"] > 0:
        return False
    return inst["eta"] < eta_threshold(inst["lam1"], int(inst["n"]), int(inst["B"]), float(inst["sigma"]))


_BELOW = Hypothesis("η > 0 and λ₁ < (2σ/η)(σ + n/B − 1)^{-1}", _below)


def _with_eta(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = params(rng, i)
        t = 0.9999 if i % 3 == 0 else float(rng.uniform(0.2, 0.9999))
        p["eta"] = t * eta_threshold(p["lam1"], p["n"], p["B"], p["sigma"])
        out.append(p)
    return out


def _limit(inst: dict[str, Any]) -> Comparison:
    Hs = construction(inst)
    n = int(inst["n"])
    r = rho(Hs, inst["eta"], int(inst["B"]))
    frozen = n - 1  # rank H = 1: the other n − 1 directions are never moved
    lim = frozen + (0.0 if r < 1.0 else math.inf)
    return Comparison(lim, float(n), "<=", "lim_k E‖Ĵ_k⋯Ĵ_1‖_F² (exact)", "n")


def _e1_moment_exact(inst: dict[str, Any]) -> Fraction:
    r""":math:`e_1^T\mathbb E[\hat J^2]e_1` of the construction, in exact rationals.

    Bernoulli sampling: :math:`\hat H=\frac mB Z\,e_1e_1^T`, :math:`Z\sim\mathrm{Bin}(\sigma,B/n)`, so
    :math:`\mathbb E(1-\eta mZ/B)^2=1-2\eta m\,\mathbb EZ/B+\eta^2m^2\,\mathbb EZ^2/B^2` with
    :math:`\mathbb EZ=\sigma p`, :math:`\mathbb EZ^2=\sigma p(1-p)+\sigma^2p^2`, :math:`p=B/n`.  The float
    inputs are converted exactly, so the sign of :math:`1-\rho` is decided without rounding even when
    :math:`\eta\lambda_1` is far below float64's resolution of 1.
    """
    n, B, s = int(inst["n"]), int(inst["B"]), int(inst["sigma"])
    eta, lam1 = Fraction(inst["eta"]), Fraction(inst["lam1"])
    p = Fraction(B, n)
    m = lam1 * n / s
    ez, ez2 = s * p, s * p * (1 - p) + s * s * p * p
    return 1 - 2 * eta * m * ez / B + eta * eta * m * m * ez2 / (B * B)


def _limit_precise(inst: dict[str, Any]) -> Comparison:
    """Re-check of :func:`_limit` with the construction's e₁ moment in exact rationals."""
    n = int(inst["n"])
    lim = (n - 1) + (0.0 if _e1_moment_exact(inst) < 1 else math.inf)
    return Comparison(lim, float(n), "<=", "lim_k E‖Ĵ_k⋯Ĵ_1‖_F² (exact rationals)", "n")


# Found by a survey: ηλ₁ ≈ 1e-18, so float64 rounds ρ to exactly 1 (the exact 1 − ρ is 1.9e-18).
TINY_ETA_LAMBDA = {"n": 27, "B": 5, "sigma": 10, "lam1": 1.1023451376963823e-11, "eta": 8.733042659822905e-08}

CLAIM = Claim(
    id="dexter2024.thm2",
    title="below 2σ/(η(σ + n/B − 1)), the proof's family has lim E‖Ĵ_k⋯Ĵ_1‖_F² < n",
    source=Source("dexter2024precise", "Theorem 2"),
    statement=(
        r"For $\lambda_1>0$, $n$, $B\in[n]$, $\eta>0$, $\sigma\in[n]$ with "
        r"$\lambda_1<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}$, the PSD family "
        r"$H_i=\frac{\lambda_1n}\sigma e_1e_1^T$ ($i\le\sigma$), $H_i=0$ ($i>\sigma$) has "
        r"$\lambda_1(H)=\lambda_1$ and "
        r"$\lim_{k\to\infty}\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2<n$."
    ),
    hypotheses=(ADMISSIBLE, _BELOW),
    conclusion=_limit,
    precise_conclusion=_limit_precise,
    checks=(
        ExactCheck("exact", _with_eta, fixed=[TINY_ETA_LAMBDA]),
        PropertyCheck("property", param_strategy(True), max_examples=60),
    ),
    kind="limit",
    #: n, B and σ are read as drawn: the hypothesis checks that they are integers.
    inputs={"lam1": REAL, "eta": REAL},
)
