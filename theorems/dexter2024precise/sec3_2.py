r"""Dexter et al. (2024), Section 3.2, remark after Theorem 1: squared scaling (B ∝ η²) does not help.

Setting
-------
As in Theorem 1 (``dexter2024.thm1``): PSD :math:`H_i`, coherence :math:`\sigma`, Bernoulli
sampling; Theorem 1's condition (b) is :math:`\lambda_1(H)>f(\eta,\sigma,n,B)` with
:math:`f=\frac\sigma\eta(\frac nB-1)^{-1/2}` (§3.3).

Statement
---------
"If :math:`B` is increased proportional to :math:`\eta^2`, the stability will not increase": read on
the analysis it refers to, :math:`f(t\eta,\sigma,n,t^2B)\le f(\eta,\sigma,n,B)` for :math:`t\ge1`,
:math:`t^2B<n` (the set of :math:`\lambda_1` proven unstable does not shrink;
``dexter2024.sec3_2.squared_scaling``).  Its leading-order form: :math:`g=\frac\sigma\eta\sqrt{B/n}`
satisfies :math:`g(t\eta,t^2B)=g(\eta,B)` (``dexter2024.sec3_2.squared_scaling.approx``).

Finding
-------
**Edge case**: the remark is an informal leading-order statement ("this analysis
supports squared scaling"), and to leading order in :math:`B/n` it holds: the :math:`B\ll n`
form :math:`\frac\sigma\eta\sqrt{B/n}` is invariant (``.approx``).  The exact threshold is not:
:math:`f(t\eta,t^2B)=\sigma/(\eta\sqrt{n/B-t^2})>f(\eta,B)=\sigma/(\eta\sqrt{n/B-1})` for
:math:`t>1`, a gap that matters only once :math:`t^2B` is comparable with :math:`n` (e.g.
:math:`n=4`, :math:`B=1`, :math:`t=\sqrt2`: :math:`\sigma/(\eta\sqrt2)` vs
:math:`\sigma/(\eta\sqrt3)`), the regime the paper leaves aside ("it does not rule out
further improvement in the important regime where :math:`B\ll n`", §3.3).  The exact
mean-square threshold need not scale this way either: for orthogonal rank-one members
:math:`\eta^*=2B` (linear in :math:`B`).

Evidence
--------
* ``exact``: closed forms over seeded :math:`(\sigma,n,B,t)` (:math:`n<1000`), plus
  :math:`n=4`, :math:`B=1`, :math:`t=\sqrt2`.
* ``property``: Hypothesis over the parameters (``.approx``).
* ``symbolic`` (sympy, symbolic :math:`\eta,\sigma,n,B,t`):
  :math:`f(t\eta,\sigma,n,t^2B)^2=\sigma^2/(\eta^2(n/B-t^2))`, then the printed
  :math:`f(\eta,B)^2-f(t\eta,t^2B)^2\ge0` is derived and fails (as expected); ``.approx`` —
  :math:`g(t\eta,t^2B)=g(\eta,B)`.
* ``dexter2024.sec3_2.squared_scaling`` re-checks a float64 violation independently
  (``precise_conclusion``): its two thresholds in mpmath at 50 digits.

References
----------
[dexter2024precise, Section 3.2, remark after Theorem 1 (squared scaling)].
"""

from __future__ import annotations

import math
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
from verifythm.claims.inputs import REAL
from verifythm.linalg import precise as LP

from ._common import f_threshold
from ._symbolic import f_threshold_sym

SRC_SCALING = Source("dexter2024precise", "Section 3.2, remark after Theorem 1 (squared scaling)")
KEYS = ("t", "n", "B", "eta", "sigma")
INPUTS = dict.fromkeys(KEYS, REAL)


def _symbolic_scaling() -> list[Any]:
    """Printed: f(tη, t²B) ≤ f(η, B); derived with x = n/B = t² + v, t = 1 + u (it fails)."""
    import sympy as sp

    eta, sg, B, t, u, v = sp.symbols("eta sigma B t u v", positive=True)
    x = sp.Symbol("x", positive=True)
    scaled = sp.simplify(f_threshold_sym(t * eta, sg, x * B, t**2 * B) ** 2)
    tt, xx = 1 + u, (1 + u) ** 2 + v
    gap = sg**2 / eta**2 * (1 / (xx - 1) - 1 / (xx - tt**2))
    return [
        Identity(scaled, sg**2 / (eta**2 * (x - t**2)), "f(tη, σ, n, t²B)² = σ²/(η²(n/B − t²))"),
        Nonnegative(sp.factor(gap), "printed: f(η, B)² − f(tη, t²B)² ≥ 0 (t > 1, t²B < n)"),
    ]


def _symbolic_scaling_approx() -> list[Any]:
    """The B ≪ n form g = (σ/η)√(B/n) is invariant: g(tη, t²B) = g(η, B)."""
    import sympy as sp

    eta, sg, n, B, t = sp.symbols("eta sigma n B t", positive=True)

    def g(e_: Any, B_: Any) -> Any:
        return sg / e_ * sp.sqrt(B_ / n)

    return [Identity(sp.simplify(g(t * eta, t**2 * B)), g(eta, B), "g(tη, t²B) = g(η, B), g = (σ/η)√(B/n)")]


# -- 1. squared scaling ------------------------------------------------------------------------
def _scaling_ok(inst: dict[str, Any]) -> bool:
    t, n, B, eta, s = (inst[k] for k in KEYS)
    return t >= 1 and 1 <= B and t * t * B < n and eta > 0 and s >= 1


def _scaling(inst: dict[str, Any]) -> Comparison:
    t, n, B, eta, s = (inst[k] for k in KEYS)
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
        t, n, B, eta, s = (mpmath.mpf(inst[k]) for k in KEYS)

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
    t, n, B, eta, s = (inst[k] for k in KEYS)
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
        SymbolicCheck("symbolic", _symbolic_scaling),
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
    inputs=INPUTS,
)

SQUARED_SCALING_APPROX = Claim(
    id="dexter2024.sec3_2.squared_scaling.approx",
    title="the B ≪ n form (σ/η)√(B/n) of Theorem 1's threshold is invariant under (η, B) → (tη, t²B)",
    source=SRC_SCALING,
    statement=r"$g(\eta,B)=\frac\sigma\eta\sqrt{B/n}$ satisfies $g(t\eta,t^2B)=g(\eta,B)$ for every $t>0$.",
    hypotheses=_SCALING_HYP,
    conclusion=_scaling_approx,
    checks=(
        SymbolicCheck("symbolic", _symbolic_scaling_approx),
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
    inputs=INPUTS,
)

CLAIMS = [SQUARED_SCALING, SQUARED_SCALING_APPROX]
