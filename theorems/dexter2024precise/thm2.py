r"""Dexter et al. (2024), Theorem 2: near-optimality of Theorem 1's condition, via an explicit family.

Setting
-------
Parameters :math:`\lambda_1>0`, :math:`n\in\mathbb N`, :math:`B\in[n]`, :math:`\eta>0` and an integer
:math:`\sigma\in[n]`.  The proof's construction (:func:`verifythm.strategies.dexter2024_thm2_family`):
:math:`H_i=m\,e_1e_1^T` for :math:`i\le\sigma`, :math:`H_i=0` otherwise, :math:`m=\lambda_1n/\sigma`,
in dimension :math:`d=n`.  Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`.

Statement
---------
If :math:`\lambda_1<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}`, there is a PSD family with
:math:`\lambda_1(H)=\lambda_1` and :math:`\lim_k\mathbb E\|P_k\|_F^2<n`; the proof's family also has
coherence exactly :math:`\sigma`.  Encoded as:

* ``dexter2024.thm2``: for the construction, :math:`\lim_k\mathbb E\|P_k\|_F^2<n`;
* ``dexter2024.thm2.construction_sigma`` / ``.construction_lambda1``: its coherence is
  :math:`\sigma` and :math:`\lambda_1(H)=\lambda_1`;
* ``dexter2024.thm2.threshold_exact``: the proof's chain of equivalences is exact, i.e. the
  critical learning rate of the construction is :math:`\eta^*=2\sigma/(\lambda_1(\sigma+n/B-1))`
  (so the hypothesis of Theorem 2 is necessary as well as sufficient for this family);
* ``dexter2024.thm2.consistent_with_thm1``: Theorem 2's threshold never exceeds Theorem 1's,
  :math:`\frac{2\sigma}{\sigma+n/B-1}\le\sigma(\frac nB-1)^{-1/2}` for :math:`\sigma\ge1`,
  :math:`B<n` (otherwise the two theorems would contradict each other); equality iff
  :math:`\sigma=1` and :math:`n=2B`.

Evidence
--------
* ``exact``: the limit is decided exactly: the construction's :math:`H` has rank one, every
  :math:`\hat J` is the identity on :math:`\ker H` (dimension :math:`n-1`), so
  :math:`\lim_k\mathbb E\|P_k\|_F^2=(n-1)+\lim_k\rho^k` with :math:`\rho=\rho(\mathcal T_\eta)` from
  the engine (:func:`verifythm.dynamics.spectral_radius`); it is :math:`n-1` if :math:`\rho<1` and
  is recorded as :math:`\infty` otherwise.  The engine's :math:`\eta^*`
  (:func:`verifythm.dynamics.critical_learning_rate`) is compared with the closed form.
  A float64 violation is re-checked in exact rationals (``precise_conclusion``): the construction's
  :math:`e_1^T\mathbb E[\hat J^2]e_1=1-\eta\lambda_1(2-\eta\lambda_1(\sigma+n/B-1)/\sigma)` by exact
  Binomial moments.  At tiny :math:`\eta\lambda_1` (e.g. :math:`10^{-18}`) float64 rounds
  :math:`\rho` to 1 and would report :math:`\infty`; the exact value decides.
  Seeded parameters :math:`n\le30` (with :math:`n\ge11` often, so that the limit's margin of
  1 is below 10 % of :math:`n`), :math:`\eta` up to 0.9999 of the threshold.
* ``symbolic`` (consistency): with :math:`u=\sqrt{n/B-1}`,
  :math:`\sigma(\frac nB-1)^{-1/2}-\frac{2\sigma}{\sigma+n/B-1}=
  \frac{\sigma((u-1)^2+\sigma-1)}{u(\sigma+u^2)}\ge0` (proved for :math:`\sigma=1+t`, :math:`t\ge0`).
* ``property``: Hypothesis over the parameters.

References
----------
[dexter2024precise, Theorem 2 and its proof in Appendix A.2; Section 3.3].
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
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import REAL
from verifythm.dynamics import critical_learning_rate
from verifythm.strategies import dexter2024_thm2_family

from ._common import is_int, lambda1, noise, rho, sigma_of

SOURCE = Source("dexter2024precise", "Theorem 2")
SOURCE_PROOF = Source("dexter2024precise", "Theorem 2, proof in Appendix A.2")
#: n, B and σ are read as drawn: the hypothesis checks that they are integers.
INPUTS = {"lam1": REAL, "eta": REAL}


def eta_threshold(lam1: float, n: int, B: int, sigma: float) -> float:
    r""":math:`2\sigma/(\lambda_1(\sigma+n/B-1))`: Theorem 2's hypothesis is :math:`\eta` below this."""
    return 2.0 * sigma / (lam1 * (sigma + n / B - 1.0))


def _construction(inst: dict[str, Any]) -> np.ndarray:
    return dexter2024_thm2_family(int(inst["n"]), int(inst["sigma"]), lam1=inst["lam1"])


def _params_ok(inst: dict[str, Any]) -> bool:
    n, B, s = inst["n"], inst["B"], inst["sigma"]
    return (
        is_int(n)
        and is_int(B)
        and is_int(s)
        and 1 <= int(B) <= int(n)
        and 1 <= int(s) <= int(n)
        and inst["lam1"] > 0
    )


_ADMISSIBLE = Hypothesis("n ∈ ℕ, B ∈ [n], σ ∈ [n], λ₁ > 0", _params_ok)


def _below(inst: dict[str, Any]) -> bool:
    if not _params_ok(inst) or not inst["eta"] > 0:
        return False
    return inst["eta"] < eta_threshold(inst["lam1"], int(inst["n"]), int(inst["B"]), float(inst["sigma"]))


_BELOW = Hypothesis("η > 0 and λ₁ < (2σ/η)(σ + n/B − 1)^{-1}", _below)


def _params(rng: np.random.Generator, i: int) -> dict[str, Any]:
    n = int(rng.integers(11, 31)) if i % 2 == 0 else int(rng.integers(1, 11))
    B = n if i % 7 == 0 else int(rng.integers(1, n + 1))
    sigma = int(rng.integers(1, n + 1))
    return {"n": n, "B": B, "sigma": sigma, "lam1": float(10 ** rng.uniform(-1, 1))}


def _with_eta(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = _params(rng, i)
        t = 0.9999 if i % 3 == 0 else float(rng.uniform(0.2, 0.9999))
        p["eta"] = t * eta_threshold(p["lam1"], p["n"], p["B"], p["sigma"])
        out.append(p)
    return out


def _without_eta(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [_params(rng, i) for i in range(k)]


@st.composite
def _param_strategy(draw: Any, with_eta: bool) -> dict[str, Any]:
    n = draw(st.integers(1, 30))
    p = {
        "n": n,
        "B": draw(st.integers(1, n)),
        "sigma": draw(st.integers(1, n)),
        "lam1": draw(st.floats(0.1, 10.0)),
    }
    if with_eta:
        p["eta"] = draw(st.floats(0.01, 0.9999)) * eta_threshold(p["lam1"], n, p["B"], p["sigma"])
    return p


# -- the limit ----------------------------------------------------------------------------
def _limit(inst: dict[str, Any]) -> Comparison:
    Hs = _construction(inst)
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

THM2 = Claim(
    id="dexter2024.thm2",
    title="below 2σ/(η(σ + n/B − 1)), the proof's family has lim E‖Ĵ_k⋯Ĵ_1‖_F² < n",
    source=SOURCE,
    statement=(
        r"For $\lambda_1>0$, $n$, $B\in[n]$, $\eta>0$, $\sigma\in[n]$ with "
        r"$\lambda_1<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}$, the PSD family "
        r"$H_i=\frac{\lambda_1n}\sigma e_1e_1^T$ ($i\le\sigma$), $H_i=0$ ($i>\sigma$) has "
        r"$\lambda_1(H)=\lambda_1$ and "
        r"$\lim_{k\to\infty}\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2<n$."
    ),
    hypotheses=(_ADMISSIBLE, _BELOW),
    conclusion=_limit,
    precise_conclusion=_limit_precise,
    checks=(
        ExactCheck("exact", _with_eta, fixed=[TINY_ETA_LAMBDA]),
        PropertyCheck("property", _param_strategy(True), max_examples=60),
    ),
    kind="limit",
    inputs=INPUTS,
)


def _construction_claim(**fields: Any) -> Claim:
    """A closed-form claim about the construction, decided over the parameters without η."""
    return Claim(
        **fields,
        hypotheses=(_ADMISSIBLE,),
        checks=(
            ExactCheck("exact", _without_eta),
            PropertyCheck("property", _param_strategy(False), max_examples=40),
        ),
        kind="closed_form",
        inputs={"lam1": REAL},
    )


def _sigma(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(_construction(inst)), float(inst["sigma"]), "==", "σ(construction)", "σ")


def _lam(inst: dict[str, Any]) -> Comparison:
    Hs = _construction(inst)
    return Comparison(lambda1(Hs.mean(axis=0)), inst["lam1"], "==", "λ₁(H)", "λ₁")


CONSTRUCTION_SIGMA = _construction_claim(
    id="dexter2024.thm2.construction_sigma",
    title="the Theorem 2 family has coherence exactly σ",
    source=SOURCE_PROOF,
    statement=(
        r"For $H_i=m\,e_1e_1^T$ ($i\le\sigma$), $H_i=0$ otherwise: $S$ has an all-$m$ leading "
        r"$\sigma\times\sigma$ block and zeros elsewhere, $\lambda_1(S)=m\sigma$, $\max_i\lambda_1(H_i)=m$, "
        r"so the coherence measure equals $\sigma$."
    ),
    conclusion=_sigma,
)

CONSTRUCTION_LAMBDA1 = _construction_claim(
    id="dexter2024.thm2.construction_lambda1",
    title="the Theorem 2 family has λ₁(H) = λ₁",
    source=SOURCE_PROOF,
    statement=r"With $m=\lambda_1n/\sigma$, $H=\frac\sigma n m\,e_1e_1^T$, so $\lambda_1(H)=\lambda_1$.",
    conclusion=_lam,
)


def _threshold(inst: dict[str, Any]) -> Comparison:
    nm = noise(_construction(inst), int(inst["B"]))
    eta_star = critical_learning_rate(nm).value
    thr = eta_threshold(inst["lam1"], int(inst["n"]), int(inst["B"]), float(inst["sigma"]))
    return Comparison(eta_star, thr, "==", "η* of the construction (engine)", "2σ/(λ₁(σ + n/B − 1))")


THRESHOLD_EXACT = _construction_claim(
    id="dexter2024.thm2.threshold_exact",
    title="the Theorem 2 family is mean-square stable exactly for η < 2σ/(λ₁(σ + n/B − 1))",
    source=SOURCE_PROOF,
    statement=(
        r"For the construction, $e_1^T\mathbb E[\hat J^2]e_1<1$ iff "
        r"$\lambda_1<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}$: its critical learning rate is "
        r"$\eta^*=2\sigma/(\lambda_1(\sigma+n/B-1))$."
    ),
    conclusion=_threshold,
)


# -- consistency with Theorem 1 ------------------------------------------------------------
def _consistent(inst: dict[str, Any]) -> Comparison:
    s, q = inst["sigma"], inst["n_over_B"]
    thm2 = 2.0 * s / (s + q - 1.0)
    thm1 = s / math.sqrt(q - 1.0)
    return Comparison(
        thm2, thm1, "<=", "η·(Theorem 2 bound) = 2σ/(σ + n/B − 1)", "η·(Theorem 1 bound) = σ(n/B − 1)^{-1/2}"
    )


def _consistency_symbolic() -> list[Any]:
    import sympy as sp

    t = sp.Symbol("t", nonnegative=True)  # σ = 1 + t
    u = sp.Symbol("u", positive=True)  # u = √(n/B − 1)
    s = 1 + t
    gap = s / u - 2 * s / (s + u**2)  # Theorem 1's bound minus Theorem 2's (times η); n/B − 1 = u²
    closed = (1 + t) * ((u - 1) ** 2 + t) / (u * (1 + t + u**2))
    return [
        Identity(sp.simplify(gap - closed), 0, "σ/u − 2σ/(σ+u²) = σ((u−1)² + σ − 1)/(u(σ+u²))"),
        Nonnegative(closed, "σ((u−1)² + σ − 1)/(u(σ+u²)) ≥ 0 for σ ≥ 1"),
    ]


def _consistency_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"sigma": 1.0, "n_over_B": 2.0}]
    for i in range(k):
        s = 1.0 if i % 4 == 0 else float(1 + 10 ** rng.uniform(-3, 2))
        q = float(1 + 10 ** rng.uniform(-3, 2))
        out.append({"sigma": s, "n_over_B": q})
    return out


CONSISTENT = Claim(
    id="dexter2024.thm2.consistent_with_thm1",
    title="Theorem 2's threshold never exceeds Theorem 1's: 2σ/(σ + n/B − 1) ≤ σ(n/B − 1)^{-1/2}",
    source=Source("dexter2024precise", "Section 3.3 (Theorems 1 and 2 together)"),
    statement=(
        r"For $\sigma\ge1$ and $n/B>1$, $\frac{2\sigma}{\sigma+n/B-1}\le\sigma(\frac nB-1)^{-1/2}$, so no "
        r"$(\lambda_1,\eta)$ satisfies both Theorem 1's divergence condition (b) and Theorem 2's stability "
        r"condition; equality iff $\sigma=1$, $n=2B$."
    ),
    hypotheses=(
        Hypothesis("σ ≥ 1", lambda inst: inst["sigma"] >= 1.0),
        Hypothesis("n/B > 1", lambda inst: inst["n_over_B"] > 1.0),
    ),
    conclusion=_consistent,
    inputs={"sigma": REAL, "n_over_B": REAL},
    checks=(
        SymbolicCheck("symbolic", _consistency_symbolic),
        ExactCheck("exact", _consistency_generate),
        PropertyCheck(
            "property",
            st.fixed_dictionaries({"sigma": st.floats(1.0, 100.0), "n_over_B": st.floats(1.0001, 100.0)}),
        ),
    ),
)

CLAIMS = [THM2, CONSTRUCTION_SIGMA, CONSTRUCTION_LAMBDA1, THRESHOLD_EXACT, CONSISTENT]
