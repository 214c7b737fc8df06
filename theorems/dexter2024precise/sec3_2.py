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
``dexter2024.sec3_2.squared_scaling``).  Its leading-order form is
:mod:`.sec3_2_squared_scaling_approx`.

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
  :math:`n=4`, :math:`B=1`, :math:`t=\sqrt2`.  A float64 violation is re-checked independently
  (``precise_conclusion``): the two thresholds in mpmath at 50 digits.
* ``symbolic`` (sympy, symbolic :math:`\eta,\sigma,n,B,t`):
  :math:`f(t\eta,\sigma,n,t^2B)^2=\sigma^2/(\eta^2(n/B-t^2))`, then the printed
  :math:`f(\eta,B)^2-f(t\eta,t^2B)^2\ge0` is derived and fails (as expected).

References
----------
[dexter2024precise, Section 3.2, remark after Theorem 1 (squared scaling)].
"""

from __future__ import annotations

from typing import Any

from verifythm import Claim, Comparison, ExactCheck, Expected, Identity, Nonnegative, Source, SymbolicCheck
from verifythm.linalg import precise as LP

from ._common import f_threshold
from ._sec3_2 import INPUTS, KEYS, SCALING_HYP, scaling_generate
from ._symbolic import f_threshold_sym

SOURCE = Source("dexter2024precise", "Section 3.2, remark after Theorem 1 (squared scaling)")


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


CLAIM = Claim(
    id="dexter2024.sec3_2.squared_scaling",
    title="Theorem 1's threshold does not rise when B grows like η² (as stated)",
    source=SOURCE,
    statement=(
        r"For $t\ge1$ with $t^2B<n$: $f(t\eta,\sigma,n,t^2B)\le f(\eta,\sigma,n,B)$, "
        r"$f=\frac\sigma\eta(\frac nB-1)^{-1/2}$, i.e. scaling $B\propto\eta^2$ does not increase the "
        r"stability certified by Theorem 1."
    ),
    hypotheses=SCALING_HYP,
    conclusion=_scaling,
    precise_conclusion=_scaling_precise,
    checks=(
        SymbolicCheck("symbolic", _symbolic_scaling),
        ExactCheck("exact", scaling_generate),
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
