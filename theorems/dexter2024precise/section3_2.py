r"""Dexter et al. (2024), §3.2–3.2.1: remarks after Theorem 1 (squared scaling, comparison with Wu et al.).

Setting
-------
As in Theorem 1 (``dexter2024.thm1``): PSD :math:`H_i`, coherence :math:`\sigma`, Bernoulli
sampling; Theorem 1's condition (b) is :math:`\lambda_1(H)>f(\eta,\sigma,n,B)` with
:math:`f=\frac\sigma\eta(\frac nB-1)^{-1/2}` (§3.3).

Statement
---------
1. (squared scaling) "if :math:`B` is increased proportional to :math:`\eta^2`, the stability will
   not increase": read on the analysis it refers to, :math:`f(t\eta,\sigma,n,t^2B)\le f(\eta,\sigma,n,B)`
   for :math:`t\ge1`, :math:`t^2B<n` (the set of :math:`\lambda_1` proven unstable does not shrink).
2. (§3.2.1) with :math:`\sigma=1`, Theorem 1 "guarantees instability if
   :math:`\lambda_1(H)>\frac1\eta\sqrt{B/n}`".
3. (§3.2.1) that condition is more general than Wu et al.'s
   :math:`\|H\|_F>\frac1\eta\sqrt B` when the stable rank :math:`\|H\|_F^2/\|H\|_2^2` is at most
   :math:`n`: then :math:`\|H\|_F>\sqrt B/\eta` implies :math:`\lambda_1(H)>\sqrt{B/n}/\eta`.
4. (§3.2, before Theorem 1) when every :math:`H_i=e_1e_1^T` and :math:`\sigma=\sqrt n`, condition (b)
   "cannot be met", i.e. it never certifies divergence beyond the GD condition (a).

Findings
--------
* Item 1 (**edge case**): the remark is an informal leading-order statement ("this analysis
  supports squared scaling"), and to leading order in :math:`B/n` it holds: the :math:`B\ll n`
  form :math:`\frac\sigma\eta\sqrt{B/n}` is invariant (``.approx``).  The exact threshold is not:
  :math:`f(t\eta,t^2B)=\sigma/(\eta\sqrt{n/B-t^2})>f(\eta,B)=\sigma/(\eta\sqrt{n/B-1})` for
  :math:`t>1`, a gap that matters only once :math:`t^2B` is comparable with :math:`n` (e.g.
  :math:`n=4`, :math:`B=1`, :math:`t=\sqrt2`: :math:`\sigma/(\eta\sqrt2)` vs
  :math:`\sigma/(\eta\sqrt3)`), the regime the paper leaves aside ("it does not rule out
  further improvement in the important regime where :math:`B\ll n`", §3.3).  The exact
  mean-square threshold need not scale this way either: for orthogonal rank-one members
  :math:`\eta^*=2B` (linear in :math:`B`).
* Item 2 (**edge case**): §3.2.1 writes Theorem 1's condition with :math:`\sigma=1` in its
  :math:`B\ll n` form, :math:`\frac1\eta\sqrt{B/n}` for :math:`\frac1\eta\sqrt{B/(n-B)}`, to compare
  scalings with Wu et al.  To first order in :math:`B/n` the two agree
  (``.leading_order``: the ratio lies in :math:`[1,1+B/n]` for :math:`B\le n/2`).  Read as an exact
  sufficient condition it fails once :math:`B` is comparable with :math:`n`:
  :math:`H_i=e_ie_i^T`, :math:`n=3`, :math:`B=1`, :math:`\eta=1.9` has :math:`\sigma=1` and
  :math:`\lambda_1(H)=1/3>\sqrt{1/3}/1.9\approx0.304`, yet
  :math:`\rho(\mathcal T_\eta)=1-2\eta/n+\eta^2/(nB)\approx0.937<1`: the dynamics converge in mean
  square, hence also :math:`\mathbb E\|\hat J_k\cdots\hat J_1\|_2\to0`; on this family the
  simplified condition suffices exactly when :math:`n\ge4B`.
* Item 3 holds (:math:`\lambda_1^2=\|H\|_F^2/\mathrm{srank}\ge\|H\|_F^2/n`).
* Item 4 (**typo**, same root as ``dexter2024.def2.first_setting``): it inherits the
  :math:`\sqrt n` slip of §3.1: with :math:`\sigma=\sqrt n`, (b) holds at :math:`n=2`, :math:`B=1`,
  :math:`\eta\in(\sqrt2,2)` while (a) fails.  With the family's true coherence :math:`\sigma=n` the
  remark holds, because :math:`n(n/B-1)^{-1/2}\ge2B\ge2`
  (``.first_setting_condition.as_proved``, tight at :math:`n=2`, :math:`B=1`).

Evidence
--------
* ``exact``: closed forms over seeded :math:`(\sigma,n,B,t)` (item 2's leading-order form over seeded
  :math:`(n,B)` with :math:`B\le n/2`, including :math:`B=n/2`); for item 2 the exact engine's
  :math:`\rho(\mathcal T_\eta)` on orthogonal rank-one families (:math:`\sigma=1`) with
  :math:`\eta` 1.001–3 times the simplified threshold; for item 3 seeded PSD matrices (including
  :math:`H=I_n`, where it is tight).
* ``property``: Hypothesis over the parameters (items 1 and 3).
* ``symbolic`` (sympy, symbolic :math:`\eta,\sigma,n,B,t`): item 1 —
  :math:`f(t\eta,\sigma,n,t^2B)^2=\sigma^2/(\eta^2(n/B-t^2))`, then the printed
  :math:`f(\eta,B)^2-f(t\eta,t^2B)^2\ge0` is derived and fails (as expected); ``.approx`` —
  :math:`g(t\eta,t^2B)=g(\eta,B)`; item 2 — :math:`\mathbb E(1-\eta\hat h_j)^2=1-2\eta/n+\eta^2/(nB)` on
  orthogonal rank-one members (Bernoulli masks enumerated), then the printed step
  :math:`\sqrt{B/n}\ge\sqrt{B/(n-B)}` fails (as expected); ``.leading_order`` —
  :math:`1\le n/(n-B)\le(1+B/n)^2` for :math:`B\le n/2` (with :math:`n=2B+a`, positive coefficients);
  item 3 — :math:`\lambda_1^2-B/(n\eta^2)=(Bb+a\eta^2n)/(s\,n\eta^2)\ge0` with
  :math:`\|H\|_F^2=B/\eta^2+a`, :math:`n=s+b`; item 4 — the printed :math:`\sqrt n(n/B-1)^{-1/2}\ge2` fails at
  :math:`n=2,B=1` (as expected), and ``.as_proved`` :math:`n^2-4B(n-B)=(n-2B)^2\ge0`.
* Items 1 and 4 re-check a float64 violation independently (``precise_conclusion``): item 1's two
  thresholds in mpmath at 50 digits, item 4's :math:`\eta\lambda_1(H)` in exact rationals.

References
----------
[dexter2024precise, Section 3.2 (remark after Theorem 1) and Section 3.2.1].
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
    Expected,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd, psd_family
from verifythm.linalg import precise as LP
from verifythm.strategies import random_psd

from ._common import lambda1, rho, sigma_of
from ._symbolic import bernoulli_mean

SRC_SCALING = Source("dexter2024precise", "Section 3.2, remark after Theorem 1 (squared scaling)")
SRC_WU = Source("dexter2024precise", "Section 3.2.1")


def f_threshold(eta: float, sigma: float, n: float, B: float) -> float:
    r"""Theorem 1's threshold :math:`\frac\sigma\eta(\frac nB-1)^{-1/2}`."""
    return sigma / (eta * math.sqrt(n / B - 1.0))


def _symbolic(which: str) -> Any:
    """The algebra behind each remark of §3.2–3.2.1 (see the module docstring, ``symbolic``)."""

    def build() -> list[Any]:
        import sympy as sp

        eta, sg, n, B, t, u, v = sp.symbols("eta sigma n B t u v", positive=True)
        a, b = sp.symbols("a b", nonnegative=True)

        def f(eta_: Any, sigma_: Any, n_: Any, B_: Any) -> Any:
            return sigma_ / (eta_ * sp.sqrt(n_ / B_ - 1))

        if which == "squared_scaling":  # printed: f(tη, t²B) ≤ f(η, B); x = n/B = t² + v, t = 1 + u
            x = sp.Symbol("x", positive=True)
            scaled = sp.simplify(f(t * eta, sg, x * B, t**2 * B) ** 2)
            tt, xx = 1 + u, (1 + u) ** 2 + v
            gap = sg**2 / eta**2 * (1 / (xx - 1) - 1 / (xx - tt**2))
            return [
                Identity(scaled, sg**2 / (eta**2 * (x - t**2)), "f(tη, σ, n, t²B)² = σ²/(η²(n/B − t²))"),
                Nonnegative(sp.factor(gap), "printed: f(η, B)² − f(tη, t²B)² ≥ 0 (t > 1, t²B < n)"),
            ]
        if which == "squared_scaling.approx":
            g = lambda e_, B_: sg / e_ * sp.sqrt(B_ / n)  # noqa: E731
            return [
                Identity(
                    sp.simplify(g(t * eta, t**2 * B)), g(eta, B), "g(tη, t²B) = g(η, B), g = (σ/η)√(B/n)"
                )
            ]
        if which == "simplified_condition":  # orthogonal e_ie_iᵀ (σ = 1); printed: √(B/n) ≥ √(B/(n − B))
            x = sp.Symbol("x")
            m2 = bernoulli_mean(lambda z: (1 - eta * z[0] / B) ** 2, 1, B / n)
            return [
                Identity(
                    sp.expand(m2),
                    sp.expand(1 - 2 * eta / n + eta**2 / (n * B)),
                    "E(1 − ηĥ_j)² = 1 − 2η/n + η²/(nB)",
                ),
                Identity(f(eta, 1, n, B) ** 2, B / (eta**2 * (n - B)), "f(η, 1, n, B)² = B/(η²(n − B))"),
                Nonnegative(
                    sp.factor((B / n - B / (n - B)).subs(n, B + v)), "printed: (1/η)√(B/n) ≥ f(η, 1, n, B)"
                ),
            ]
        if which == "simplified_condition.leading_order":  # x = B/n ∈ (0, 1/2], n = 2B + a
            x = B / (2 * B + a)
            return [
                Nonnegative(sp.factor(1 / (1 - x) - 1), "ratio² − 1 = (B/n)/(1 − B/n) ≥ 0"),
                Nonnegative(
                    sp.factor((1 + x) ** 2 * (1 - x) - 1), "(1 + B/n)² − ratio² ≥ 0 (× (1 − B/n)), B ≤ n/2"
                ),
            ]
        if which == "stable_rank":  # ‖H‖_F² = B/η² + a, n = srank + b
            s_rank = sp.Symbol("s", positive=True)
            F2 = B / eta**2 + a
            lam2 = F2 / s_rank  # λ₁² = ‖H‖_F²/srank
            gap = lam2 - B / ((s_rank + b) * eta**2)
            return [
                Identity(
                    sp.cancel(gap * s_rank * (s_rank + b) * eta**2),
                    sp.expand(B * b + a * eta**2 * (s_rank + b)),
                    "λ₁² − B/(nη²), cleared",
                ),
                Nonnegative(sp.factor(gap), "λ₁(H)² − B/(nη²) ≥ 0 when srank ≤ n and ‖H‖_F² ≥ B/η²"),
            ]
        if which == "first_setting_condition":  # printed σ = √n; (b) at λ₁ = 1 reads η > σ(n/B − 1)^{-1/2}
            return [
                Nonnegative(
                    sp.sqrt(2) / sp.sqrt(sp.Integer(2) / 1 - 1) - 2,
                    "printed: √n(n/B − 1)^{-1/2} ≥ 2 at n = 2, B = 1",
                )
            ]
        # first_setting_condition.as_proved: n(n/B − 1)^{-1/2} ≥ 2B ≥ 2, i.e. n² ≥ 4B(n − B) and B ≥ 1
        return [
            Identity(
                sp.expand(n**2 - 4 * B * (n - B)), sp.expand((n - 2 * B) ** 2), "n² − 4B(n − B) = (n − 2B)²"
            ),
            Nonnegative((n - 2 * B) ** 2, "n²B/(n − B) ≥ 4B² (squared, n > B)"),
            Nonnegative(2 * (1 + b) - 2, "2B ≥ 2 for B = 1 + b ≥ 1"),
        ]

    return build


# -- 1. squared scaling ------------------------------------------------------------------------
def _scaling_ok(inst: dict[str, Any]) -> bool:
    t, n, B = float(inst["t"]), float(inst["n"]), float(inst["B"])
    return t >= 1 and 1 <= B and t * t * B < n and float(inst["eta"]) > 0 and float(inst["sigma"]) >= 1


def _scaling(inst: dict[str, Any]) -> Comparison:
    t, n, B, eta, s = (float(inst[k]) for k in ("t", "n", "B", "eta", "sigma"))
    return Comparison(
        f_threshold(t * eta, s, n, t * t * B),
        f_threshold(eta, s, n, B),
        "<=",
        "f(tη, σ, n, t²B)",
        "f(η, σ, n, B)",
    )


def _scaling_precise(inst: dict[str, Any]) -> Comparison:
    """:func:`_scaling` in mpmath at 50 digits from the exact float inputs (the high-precision re-check)."""
    import mpmath

    with mpmath.workdps(LP.DPS):
        t, n, B, eta, s = (mpmath.mpf(float(inst[k])) for k in ("t", "n", "B", "eta", "sigma"))

        def f(eta_: Any, B_: Any) -> Any:
            return s / (eta_ * mpmath.sqrt(n / B_ - 1))

        return Comparison(
            LP.to_float(f(t * eta, t * t * B)),
            LP.to_float(f(eta, B)),
            "<=",
            "f(tη, σ, n, t²B)",
            "f(η, σ, n, B)",
        )


def _scaling_approx(inst: dict[str, Any]) -> Comparison:
    t, n, B, eta, s = (float(inst[k]) for k in ("t", "n", "B", "eta", "sigma"))
    return Comparison(
        s / (t * eta) * math.sqrt(t * t * B / n), s / eta * math.sqrt(B / n), "==", "g(tη, t²B)", "g(η, B)"
    )


def _scaling_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"t": math.sqrt(2.0), "n": 4.0, "B": 1.0, "eta": 1.0, "sigma": 1.0}]
    for _ in range(k):
        n = int(rng.integers(2, 1000))
        B = int(rng.integers(1, n))
        tmax = math.sqrt((n - 1e-9) / B)
        out.append(
            {
                "t": float(rng.uniform(1.0, tmax)),
                "n": float(n),
                "B": float(B),
                "eta": float(10 ** rng.uniform(-2, 1)),
                "sigma": float(rng.uniform(1, n)),
            }
        )
    return out


_SCALING_HYP = (Hypothesis("t ≥ 1, 1 ≤ B, t²B < n, η > 0, σ ≥ 1", _scaling_ok),)

SQUARED_SCALING = Claim(
    id="dexter2024.sec3_2.squared_scaling",
    title="Theorem 1's threshold does not rise when B grows like η² (as stated)",
    source=SRC_SCALING,
    statement=(
        r"For $t\ge1$ with $t^2B<n$: $f(t\eta,\sigma,n,t^2B)\le f(\eta,\sigma,n,B)$, "
        r"$f=\frac\sigma\eta(\frac nB-1)^{-1/2}$, i.e. scaling $B\propto\eta^2$ does not increase the "
        r"stability certified by Theorem 1."
    ),
    hypotheses=_SCALING_HYP,
    conclusion=_scaling,
    precise_conclusion=_scaling_precise,
    checks=(
        SymbolicCheck("symbolic", _symbolic("squared_scaling")),
        ExactCheck("exact", _scaling_generate),
    ),
    expected=Expected.fails(
        "edge case: the informal squared-scaling remark holds to leading order in B/n, where Theorem 1's "
        "threshold is (σ/η)√(B/n) and invariant (`dexter2024.sec3_2.squared_scaling.approx` holds); the "
        "exact threshold rises once t²B is comparable with n: f(tη, t²B) = σ/(η√(n/B − t²)) > σ/(η√(n/B − "
        "1)) (n = 4, B = 1, t = √2: σ/(√2η) vs σ/(√3η))",
        "docs/errata/dexter2024.sec3_2.squared_scaling__exact.md",
        finding="edge-case",
    ),
)

SQUARED_SCALING_APPROX = Claim(
    id="dexter2024.sec3_2.squared_scaling.approx",
    title="the B ≪ n form (σ/η)√(B/n) of Theorem 1's threshold is invariant under (η, B) → (tη, t²B)",
    source=SRC_SCALING,
    statement=r"$g(\eta,B)=\frac\sigma\eta\sqrt{B/n}$ satisfies $g(t\eta,t^2B)=g(\eta,B)$ for every $t>0$.",
    hypotheses=_SCALING_HYP,
    conclusion=_scaling_approx,
    checks=(
        SymbolicCheck("symbolic", _symbolic("squared_scaling.approx")),
        ExactCheck("exact", _scaling_generate),
        PropertyCheck(
            "property",
            st.fixed_dictionaries(
                {
                    "t": st.floats(1.0, 5.0),
                    "n": st.just(1000.0),
                    "B": st.floats(1.0, 30.0),
                    "eta": st.floats(0.01, 10.0),
                    "sigma": st.floats(1.0, 100.0),
                }
            ),
        ),
    ),
    kind="identity",
)


# -- 2. the simplified condition with σ = 1 ----------------------------------------------------
def _orthogonal(n: int) -> np.ndarray:
    return np.stack([np.diag(np.eye(n)[i]) for i in range(n)])


def _simplified_ok(inst: dict[str, Any]) -> bool:
    Hs = np.asarray(inst["hessians"], float)
    n = Hs.shape[0]
    B, eta = int(inst["B"]), float(inst["eta"])
    if not (1 <= B <= n and eta > 0 and np.any(Hs != 0)):
        return False
    if abs(sigma_of(Hs) - 1.0) > 1e-9:
        return False
    return lambda1(Hs.mean(axis=0)) > math.sqrt(B / n) / eta


def _simplified(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], float(inst["eta"]), int(inst["B"]))
    return Comparison(r, 1.0, ">=", "ρ(T_η) (> 1 iff mean-square divergence)", "1")


def _simplified_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(k):
        n = int(rng.integers(2, 9))
        B = int(rng.integers(1, n))  # B < n: the regime the simplification is meant for
        Hs = _orthogonal(n)
        lam = 1.0 / n
        out.append({"hessians": Hs, "B": B, "eta": float(rng.uniform(1.001, 3.0)) * math.sqrt(B / n) / lam})
    return out


SIMPLIFIED = Claim(
    id="dexter2024.sec3_2_1.simplified_condition",
    title="with σ = 1, λ₁(H) > (1/η)√(B/n) guarantees instability (as stated)",
    source=SRC_WU,
    statement=(
        r"If $\sigma=1$ and $\lambda_1(H)>\frac1\eta\sqrt{B/n}$, Theorem 1 guarantees instability; checked "
        r"here in its weakest form, mean-square divergence $\rho(\mathcal T_\eta)>1$."
    ),
    hypotheses=(psd_family("hessians"), Hypothesis("σ = 1 and λ₁(H) > √(B/n)/η", _simplified_ok)),
    conclusion=_simplified,
    checks=(
        SymbolicCheck("symbolic", _symbolic("simplified_condition")),
        ExactCheck("exact", _simplified_generate, fixed=[{"hessians": _orthogonal(3), "B": 1, "eta": 1.9}]),
    ),
    expected=Expected.fails(
        "edge case: §3.2.1 uses the B ≪ n form √(B/n)/η of Theorem 1's √(B/(n−B))/η (σ = 1), equal to first "
        "order in B/n (`dexter2024.sec3_2_1.simplified_condition.leading_order` holds); read as an exact "
        "sufficient condition it fails at B comparable with n: H_i = e_ie_iᵀ, n = 3, B = 1, η = 1.9 gives "
        "λ₁ = 1/3 > √(1/3)/1.9 ≈ 0.304 but ρ(T) ≈ 0.937 < 1 (mean-square stable)",
        "docs/errata/dexter2024.sec3_2_1.simplified_condition__exact.md",
        finding="edge-case",
    ),
    kind="limit",
)


def _leading_ok(inst: dict[str, Any]) -> bool:
    n, B, eta = float(inst["n"]), float(inst["B"]), float(inst["eta"])
    return 1 <= B and 2 * B <= n and eta > 0


def _leading(inst: dict[str, Any]) -> Comparison:
    n, B, eta = float(inst["n"]), float(inst["B"]), float(inst["eta"])
    simplified = math.sqrt(B / n) / eta
    return Comparison(
        f_threshold(eta, 1.0, n, B) / simplified,
        1.0 + B / n,
        "<=",
        "f(η, 1, n, B) / (√(B/n)/η)",
        "1 + B/n",
    )


def _leading_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"n": 2.0, "B": 1.0, "eta": 1.0}, {"n": 1000.0, "B": 500.0, "eta": 0.3}]
    for _ in range(k):
        n = int(rng.integers(2, 10_000))
        out.append(
            {"n": float(n), "B": float(rng.integers(1, n // 2 + 1)), "eta": float(10 ** rng.uniform(-2, 1))}
        )
    return out


SIMPLIFIED_LEADING = Claim(
    id="dexter2024.sec3_2_1.simplified_condition.leading_order",
    title="with σ = 1, √(B/n)/η is Theorem 1's threshold √(B/(n−B))/η to first order in B/n",
    source=SRC_WU,
    statement=(
        r"The paper's reading of the comparison: with $\sigma=1$ and $1\le B\le n/2$, Theorem 1's threshold "
        r"$f(\eta,1,n,B)=\frac1\eta(\frac nB-1)^{-1/2}$ and the simplified $\frac1\eta\sqrt{B/n}$ satisfy "
        r"$1\le f/\big(\frac1\eta\sqrt{B/n}\big)=(1-B/n)^{-1/2}\le1+B/n$, so they agree to first order "
        r"in $B/n$."
    ),
    hypotheses=(Hypothesis("1 ≤ B ≤ n/2, η > 0", _leading_ok),),
    conclusion=_leading,
    checks=(
        SymbolicCheck("symbolic", _symbolic("simplified_condition.leading_order")),
        ExactCheck("exact", _leading_generate),
        PropertyCheck(
            "property",
            st.integers(2, 10_000).flatmap(
                lambda n: st.fixed_dictionaries(
                    {
                        "n": st.just(float(n)),
                        "B": st.integers(1, n // 2).map(float),
                        "eta": st.floats(0.01, 10.0),
                    }
                )
            ),
        ),
    ),
)


# -- 3. stable rank ≤ n: Wu et al.'s condition implies the simplified one ----------------------
def _srank_ok(inst: dict[str, Any]) -> bool:
    H = np.asarray(inst["H"], float)
    n, B, eta = float(inst["n"]), float(inst["B"]), float(inst["eta"])
    if not (n >= 1 and 1 <= B <= n and eta > 0) or not np.any(H != 0):
        return False
    fro, lam = float(np.linalg.norm(H)), lambda1(H)
    return fro**2 / lam**2 <= n * (1 + 1e-12) and fro > math.sqrt(B) / eta


def _srank(inst: dict[str, Any]) -> Comparison:
    H = np.asarray(inst["H"], float)
    n, B, eta = float(inst["n"]), float(inst["B"]), float(inst["eta"])
    return Comparison(lambda1(H), math.sqrt(B / n) / eta, ">=", "λ₁(H)", "√(B/n)/η")


def _srank_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 7))
        H = np.eye(d) * float(rng.uniform(0.5, 2)) if i % 4 == 0 else random_psd(rng, d)
        lam, fro = lambda1(H), float(np.linalg.norm(H))
        srank = fro**2 / lam**2
        n = math.ceil(srank - 1e-9) + (0 if i % 2 == 0 else int(rng.integers(0, 20)))
        B = int(rng.integers(1, n + 1))
        eta = float(rng.uniform(1.0001, 2.0)) * math.sqrt(B) / fro
        out.append({"H": H, "n": n, "B": B, "eta": eta})
    return out


@st.composite
def _srank_strategy(draw: Any) -> dict[str, Any]:
    d = draw(st.integers(1, 5))
    lam = np.array(draw(st.lists(st.floats(0.01, 10.0), min_size=d, max_size=d)))
    H = np.diag(lam)
    srank = float(np.sum(lam**2) / lam.max() ** 2)
    n = math.ceil(srank - 1e-9) + draw(st.integers(0, 10))
    B = draw(st.integers(1, n))
    return {
        "H": H,
        "n": n,
        "B": B,
        "eta": draw(st.floats(1.0001, 3.0)) * math.sqrt(B) / float(np.linalg.norm(H)),
    }


STABLE_RANK = Claim(
    id="dexter2024.sec3_2_1.stable_rank",
    title="if srank(H) ≤ n, ‖H‖_F > √B/η implies λ₁(H) > √(B/n)/η",
    source=SRC_WU,
    statement=(
        r"If $\|H\|_F^2/\|H\|_2^2\le n$ and $\|H\|_F>\frac1\eta\sqrt B$ (Wu et al.'s condition with "
        r"$\mu_0=1$), then $\lambda_1(H)>\frac1\eta\sqrt{B/n}$ (the simplified condition of Theorem 1)."
    ),
    hypotheses=(psd("H"), Hypothesis("srank(H) ≤ n and ‖H‖_F > √B/η", _srank_ok)),
    conclusion=_srank,
    checks=(
        SymbolicCheck("symbolic", _symbolic("stable_rank")),
        ExactCheck("exact", _srank_generate),
        PropertyCheck("property", _srank_strategy()),
    ),
)

CLAIMS = [SQUARED_SCALING, SQUARED_SCALING_APPROX, SIMPLIFIED, SIMPLIFIED_LEADING, STABLE_RANK]


# -- 4. §3.2: in the first setting condition (b) adds nothing to condition (a) ----------------
def _e1_family(n: int) -> np.ndarray:
    Hs = np.zeros((n, 1, 1))
    Hs[:, 0, 0] = 1.0
    return Hs


def _first_sigma(inst: dict[str, Any], literal: bool) -> float:
    n = int(inst["n"])
    return math.sqrt(n) if literal else sigma_of(_e1_family(n))


def _first_hyp(literal: bool) -> Hypothesis:
    def ok(inst: dict[str, Any]) -> bool:
        n, B, eta = int(inst["n"]), int(inst["B"]), float(inst["eta"])
        if not (1 <= B < n and eta > 0):
            return False
        return 1.0 > f_threshold(eta, _first_sigma(inst, literal), n, B)  # λ₁(H) = 1

    which = "σ = √n (the text's value)" if literal else "σ = coherence of the family (= n)"
    return Hypothesis(f"H_i = e₁e₁ᵀ, B < n, condition (b) with {which}", ok)


def _first_concl(inst: dict[str, Any]) -> Comparison:
    return Comparison(float(inst["eta"]) * 1.0, 2.0, ">=", "η·λ₁(H)", "2 (condition (a))")


def _first_concl_exact(inst: dict[str, Any]) -> Comparison:
    """:func:`_first_concl` in exact rationals: λ₁(H) of the 1 × 1 family is its mean, η read exactly."""
    lam1 = sum((Fraction(float(h)) for h in _e1_family(int(inst["n"]))[:, 0, 0]), Fraction(0))
    lam1 /= int(inst["n"])
    return Comparison(Fraction(float(inst["eta"])) * lam1, 2, ">=", "η·λ₁(H)", "2 (condition (a))")


def _first_generate(literal: bool):
    def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(k):
            n = 2 if i % 5 == 0 else int(rng.integers(2, 31))
            B = 1 if i % 5 == 0 else int(rng.integers(1, n))
            s = math.sqrt(n) if literal else float(n)
            t = 1.0001 if i % 3 == 0 else float(rng.uniform(1.0001, 2.0))
            out.append({"n": n, "B": B, "eta": t * s / math.sqrt(n / B - 1.0)})
        return out

    return generate


def _first_setting_claim(literal: bool, **fields: Any) -> Claim:
    """The first-setting claim with the text's σ = √n (``literal``) or the family's coherence."""
    return Claim(
        **fields,
        source=Source("dexter2024precise", "Section 3.2, paragraph before Theorem 1"),
        hypotheses=(_first_hyp(literal),),
        conclusion=_first_concl,
        precise_conclusion=_first_concl_exact if literal else None,
        checks=(
            SymbolicCheck(
                "symbolic", _symbolic("first_setting_condition" + ("" if literal else ".as_proved"))
            ),
            ExactCheck("exact", _first_generate(literal)),
        ),
    )


FIRST_SETTING_CONDITION = _first_setting_claim(
    True,
    id="dexter2024.sec3_2.first_setting_condition",
    title="H_i = e₁e₁ᵀ, σ = √n: condition (b) of Theorem 1 cannot hold without (a) (as printed)",
    statement=(
        r"When every $H_i=e_1e_1^T$ and $\sigma=\sqrt n$, the second condition of Theorem 1 cannot be met "
        r"(only the GD condition $\lambda_1(H)>2/\eta$ can certify divergence): "
        r"$1>\frac{\sqrt n}\eta(\frac nB-1)^{-1/2}\Rightarrow\eta\ge2$."
    ),
    expected=Expected.fails(
        "same root as `dexter2024.def2.first_setting`: with the printed σ = √n, condition (b) holds at n = "
        "2, B = 1, η ∈ (√2, 2) while λ₁(H) = 1 < 2/η; with the family's true coherence σ = n, (b) does "
        "imply η > 2 (`dexter2024.sec3_2.first_setting_condition.as_proved` holds)",
        "docs/errata/dexter2024.sec3_2.first_setting_condition__exact.md",
        finding="typo",
    ),
)

FIRST_SETTING_CONDITION_AS_PROVED = _first_setting_claim(
    False,
    id="dexter2024.sec3_2.first_setting_condition.as_proved",
    title="H_i = e₁e₁ᵀ (σ = n): condition (b) of Theorem 1 implies condition (a)",
    statement=(
        r"For $H_i=e_1e_1^T$ ($\lambda_1(H)=1$, coherence $\sigma=n$) and $B<n$: "
        r"$1>\frac n\eta(\frac nB-1)^{-1/2}$ implies $\eta\ge2$, since $n(\frac nB-1)^{-1/2}\ge2B\ge2$; "
        r"equality at $n=2$, $B=1$."
    ),
)

CLAIMS += [FIRST_SETTING_CONDITION, FIRST_SETTING_CONDITION_AS_PROVED]
