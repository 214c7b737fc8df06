r"""Wang & Wu (2023), Section 5: the cyclical-learning-rate (CLR) toy model.

Setting
-------
Toy OLM (after Ma et al., 2022) :math:`f(x;w)=w_2x/\sqrt{w_1^2+1}`, :math:`x\sim\mathcal N(0,1)`, target 0,
online setting: :math:`\mathcal L(w)=w_2^2/[2(w_1^2+1)]`.  Online SGD with batch size one uses the sample
gradient :math:`\nabla\ell(w;x)=x^2\nabla\mathcal L(w)` (Eq. (1) with :math:`\xi_t=(x_t^2-1)\nabla\mathcal
L(w_t)`), so with :math:`s=1+w_1^2`

.. math:: w_1\leftarrow w_1\bigl(1+\eta x^2w_2^2/s^2\bigr),\qquad w_2\leftarrow w_2\bigl(1-\eta x^2/s\bigr);

GD is the same with :math:`x^2\equiv1`.  CLR: a triangular schedule of period 100 between
:math:`\eta_{\min}=0.05` and :math:`\eta_{\max}=6=3s_0`, :math:`T=1000` steps, from :math:`w_0=(1,0.1)`
(third witness: :math:`w_0=(-2,0.1)`, :math:`\eta_{\max}=15=3s_0`).

Statement
---------
1. On the valley :math:`S=\{w_2=0\}`, :math:`\mathrm{tr}\,\nabla^2\mathcal L(w)=1/(1+w_1^2)`.
2. (Fig. 4, qualitative) SGD+CLR moves towards flatter points of :math:`S` (larger :math:`|w_1|`), GD+CLR does
   not.

Finding
-------
Item 1 holds (sympy: the Hessian has :math:`\partial^2_{w_2}\mathcal L=1/s` and
:math:`\partial^2_{w_1}\mathcal L=w_2^2(3w_1^2-1)/s^3`, which vanishes on :math:`S`).

Item 2, measured: :math:`|w_1|` is non-decreasing along *both* methods (both factors above are
:math:`\ge1`), so the question is how much.  GD's drift is deterministic and tiny:
:math:`s_T^{\rm GD}=2.00560` (from :math:`s_0=2`), and larger :math:`\eta_{\max}` (8) makes GD itself escape
along :math:`e_2` and then drift (:math:`s_T^{\rm GD}\approx6.8`), which is the paper's "extensively tuned"
caveat.  Under the paper's noise model SGD's drift is real but *heavy-tailed*: over 1000 runs the median
:math:`s_T` is only :math:`2.008`, the mean 13–33 (by seed and start), because typical runs contract
(:math:`\mathbb E\log|1-ax^2|<0` for :math:`a=\eta/s\lesssim2.4`) while the second moment grows for
:math:`a>2/3`; the rare runs that escape move far along :math:`S`.  So the Figure-4 picture is the typical
behaviour only in the sense that SGD ends flatter than GD in almost every run (999/1000 in exploration, seed
0, both starts), by a small margin.

Decision rule (``wang2023.sec5.clr_drift``): :math:`R=10` seeded groups of :math:`m=100` SGD runs; in each
group a one-sided sign test of :math:`H_0:\ \Pr(s_T^{\rm SGD}>s_T^{\rm GD})\le1/2` rejects when the normal
approximation :math:`z=(k-m/2)/(\sqrt m/2)\ge6` (false-alarm rate :math:`\Phi(-6)\approx10^{-9}` per group).
The sign test is used rather than a z-test on the mean because the drift is heavy-tailed.  The claim holds if
at least 95 % of the groups reject (so all 10 must).  The schedule, horizon, start and decision-rule
parameters are the witness's setting (Figure 4 is one experiment; the paper gives no schedule), pinned by
two hypotheses; only the seed is free.  A survey hunt that moved ``period`` to 2 found the sign test
failing; that schedule alternates :math:`\eta_{\min}` and :math:`\eta_{\max}` every step, a different
experiment from Figure 4's slow cycles.

Evidence
--------
* ``symbolic``: item 1 with sympy.
* ``exact`` (item 1): the sympy Hessian trace at seeded points of :math:`S` against :math:`1/(1+w_1^2)`.
* ``exact`` (item 2): the decision rule above on three seeded witnesses.
* ``symbolic`` + ``exact`` (``wang2023.sec5.sgd_second_moment``, the mechanism): one online SGD step has
  :math:`\mathbb E[w_2'^2]=w_2^2(1-2a+3a^2)`, :math:`a=\eta/s` (Gaussian moments 1, 3), against GD's
  :math:`w_2^2(1-a)^2`: SGD escapes along :math:`e_2` in mean square once :math:`\eta>2s/3`, GD only once
  :math:`\eta>2s` (and then only if it stays above :math:`2s` long enough to regrow :math:`w_2` from its
  collapsed value: at :math:`\eta_{\max}=3s_0` it does not, at :math:`\eta_{\max}=4s_0` it does).
* ``property`` (items 1 and the mechanism): Hypothesis over :math:`w_1\in[-20,20]` on the valley, and over
  :math:`(w_1,w_2,\eta)` with :math:`\eta` up to 30 (across the threshold :math:`a=2/3` and far beyond).
* No property check for ``wang2023.sec5.clr_drift``: Figure 4 is one experiment, its setting pinned.

References
----------
[wang2023noise, Section 5 ("Explaining the implicit bias of cyclical learning rate"), Figure 4].
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.strategies import reals

from ._common import KEY, finite

SOURCE = Source(KEY, "Section 5, CLR toy model; Figure 4", page=8)
Z_CRIT = 6.0


@lru_cache(maxsize=1)
def _hessian_trace() -> Any:
    import sympy as sp

    w1, w2 = sp.symbols("w1 w2", real=True)
    L = w2**2 / (2 * (w1**2 + 1))
    tr = sp.diff(L, w1, 2) + sp.diff(L, w2, 2)
    return w1, w2, tr


def _symbolic() -> list[Any]:
    import sympy as sp

    w1, w2, tr = _hessian_trace()
    return [Identity(sp.simplify(tr.subs(w2, 0)), 1 / (1 + w1**2), "tr ∇²L(w1, 0) = 1/(1+w1²)")]


def trace_on_valley(inst: dict[str, Any]) -> Comparison:
    """Hessian trace ∇²L at (w1, 0), from the sympy Hessian, against 1/(1+w1²)."""
    import sympy as sp

    w1, w2, tr = _hessian_trace()
    a = float(inst["w1"])
    lhs = float(sp.lambdify((w1, w2), tr, "math")(a, 0.0))
    return Comparison(lhs, 1 / (1 + a * a), "==", "tr ∇²L(w1, 0)", "1/(1+w1²)")


def _trace_points(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [{"w1": float(rng.standard_normal() * 10 ** rng.uniform(-2, 2))} for _ in range(k)]


def clr_schedule(T: int, period: int, lo: float, hi: float) -> np.ndarray:
    """Triangular cyclical learning rate: ``lo`` → ``hi`` → ``lo`` every ``period`` steps."""
    phase = (np.arange(T) % period) / period
    return lo + (hi - lo) * (1 - np.abs(2 * phase - 1))


def simulate(w0: Any, etas: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Online SGD on the toy model for each row of squared inputs ``x2`` (``(R, T)``; ones give GD)."""
    w1 = np.full(x2.shape[0], float(w0[0]))
    w2 = np.full(x2.shape[0], float(w0[1]))
    for t, eta in enumerate(etas):
        s = 1 + w1**2
        c = eta * x2[:, t]
        w1, w2 = w1 + c * w1 * w2**2 / s**2, w2 - c * w2 / s
    return w1, w2


def drift_test(inst: dict[str, Any]) -> Comparison:
    """Fraction of seeded groups whose sign test (z ≥ 6) finds SGD+CLR ending flatter than GD+CLR."""
    R, m, T = int(inst["groups"]), int(inst["runs"]), int(inst["T"])
    etas = clr_schedule(T, int(inst["period"]), float(inst["eta_min"]), float(inst["eta_max"]))
    w0 = np.asarray(inst["w0"], float)
    g1, _ = simulate(w0, etas, np.ones((1, T)))
    s_gd = 1 + g1[0] ** 2
    rng = np.random.default_rng(int(inst["seed"]))
    w1, _ = simulate(w0, etas, rng.standard_normal((R * m, T)) ** 2)
    flatter = (1 + w1**2 > s_gd).reshape(R, m).sum(axis=1)
    z = (flatter - m / 2) / (np.sqrt(m) / 2)
    return Comparison(
        float(np.mean(z >= Z_CRIT)),
        float(inst["power"]),
        ">=",
        "fraction of groups with sign-test z ≥ 6 (SGD s_T > GD s_T)",
        "required power",
    )


def _second_moment_sides(w1: Any, w2: Any, eta: Any, expect: Any) -> tuple[Any, Any]:
    s = 1 + w1**2
    lhs = expect(lambda x: (w2 - eta * x**2 * w2 / s) ** 2)
    a = eta / s
    return lhs, w2**2 * (1 - 2 * a + 3 * a**2)


def second_moment(inst: dict[str, Any]) -> Comparison:
    """E_x[w₂'²] after one online SGD step (exact Gauss–Hermite quadrature) against w₂²(1 − 2a + 3a²)."""
    from ._common import gaussian_expectation

    lhs, rhs = _second_moment_sides(
        float(inst["w1"]),
        float(inst["w2"]),
        float(inst["eta"]),
        lambda f: gaussian_expectation(lambda x: f(float(x[0])), np.eye(1)),
    )
    return Comparison(float(lhs), float(rhs), "==", "E[w₂'²] (SGD step)", "w₂²(1 − 2a + 3a²), a = η/s")


def _second_moment_symbolic() -> list[Any]:
    import sympy as sp

    w1, w2, x = sp.symbols("w1 w2 x", real=True)
    eta = sp.Symbol("eta", positive=True)

    def expect(f: Any) -> Any:
        poly = sp.Poly(sp.expand(f(x)), x)  # E x^(2j) = (2j−1)!!, odd moments vanish
        return sum(c * (sp.factorial2(k - 1) if k % 2 == 0 else 0) for (k,), c in poly.terms())

    lhs, rhs = _second_moment_sides(w1, w2, eta, expect)
    return [Identity(sp.simplify(lhs - rhs), sp.Integer(0), "E[w₂'²] = w₂²(1 − 2a + 3a²)")]


def _step_points(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [
        {
            "w1": float(rng.standard_normal() * 3),
            "w2": float(rng.standard_normal() * 10 ** rng.uniform(-3, 1)),
            "eta": float(10 ** rng.uniform(-2, 1.5)),
        }
        for _ in range(k)
    ]


_VALLEY_POINTS = st.builds(lambda a: {"w1": a}, reals(-20.0, 20.0))
# around the mean-square threshold a = η/(1 + w₁²) = 2/3 and far beyond it
_STEP_POINTS = st.builds(
    lambda w1, w2, eta: {"w1": w1, "w2": w2, "eta": eta},
    reals(-5.0, 5.0),
    reals(-2.0, 2.0),
    reals(0.01, 30.0),
)

_WITNESS = {
    "w0": np.array([1.0, 0.1]),
    "eta_min": 0.05,
    "eta_max": 6.0,
    "period": 100,
    "T": 1000,
    "groups": 10,
    "runs": 100,
    "power": 0.95,
    "seed": 20231,
}
# Three seeded witnesses: the base point, another seed, and w₀ = (−2, 0.1) with η_max = 3s₀ = 15.
_WITNESSES = [
    _WITNESS,
    {**_WITNESS, "seed": 20232},
    {**_WITNESS, "w0": np.array([-2.0, 0.1]), "eta_max": 15.0, "seed": 20233},
]


def _witness_setting(inst: dict[str, Any]) -> bool:
    """The encoded Figure-4 experiment: schedule, horizon and start are fixed, not quantified."""
    w0 = np.asarray(inst["w0"], float)
    if w0.shape != (2,) or not np.all(np.isfinite(w0)):
        return False
    return bool(
        int(inst["period"]) == 100
        and int(inst["T"]) == 1000
        and float(inst["eta_min"]) == 0.05
        and float(w0[1]) == 0.1
        and float(w0[0]) in (1.0, -2.0)
        and float(inst["eta_max"]) == 3.0 * (1.0 + float(w0[0]) ** 2)
    )


def _decision_rule(inst: dict[str, Any]) -> bool:
    """The decision rule as stated: 10 groups of 100 runs, power 0.95 (z ≥ 6 needs ≥ 80/100 per group)."""
    return int(inst["groups"]) == 10 and int(inst["runs"]) == 100 and float(inst["power"]) == 0.95


# Figure 4 is a single experiment whose parameters the paper does not give; the project's witness
# (period 100, η_min = 0.05, η_max = 3s₀, T = 1000, w₀ ∈ {(1, 0.1), (−2, 0.1)}) is part of the setting,
# not a quantified variable: a hunt may move the seed, not the schedule (with period 2 the schedule
# alternates η_min and η_max every step, a different experiment from Figure 4's slow cycles).
FIG4_SETTING = Hypothesis(
    "Figure-4 witness (fixed): triangular CLR, period 100, η_min = 0.05, η_max = 3(1+w₀₁²), T = 1000, "
    "w₀ ∈ {(1, 0.1), (−2, 0.1)}",
    _witness_setting,
)
DECISION_RULE = Hypothesis("decision rule (fixed): 10 groups × 100 runs, required power 0.95", _decision_rule)

TRACE = Claim(
    id="wang2023.sec5.valley_trace",
    title="CLR toy model L = w₂²/(2(w₁²+1)): tr ∇²L = 1/(1+w₁²) on the valley w₂ = 0",
    source=SOURCE,
    statement=r"For $w\in S=\{w_2=0\}$, $\mathrm{tr}[\nabla^2\mathcal L(w)]=1/(1+w_1^2)$.",
    hypotheses=(finite("w1"),),
    conclusion=trace_on_valley,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        PropertyCheck("property", _VALLEY_POINTS, max_examples=40),
        ExactCheck("exact", _trace_points, fixed=[{"w1": 0.0}, {"w1": 1.0}, {"w1": -3.0}]),
    ),
    tolerance=Tolerance(rtol=1e-12, atol=1e-15),
    kind="identity",
)

DRIFT = Claim(
    id="wang2023.sec5.clr_drift",
    title="CLR toy model: SGD+CLR ends flatter than GD+CLR (sign test z ≥ 6 in ≥ 95 % of 10 seeded groups)",
    source=SOURCE,
    statement=r"SGD+CLR moves towards flatter minima along $S$ (larger $w_1^2$, smaller "
    r"$\mathrm{tr}\nabla^2\mathcal L$) while GD+CLR does not (Figure 4).",
    hypotheses=(FIG4_SETTING, DECISION_RULE),
    conclusion=drift_test,
    checks=(
        ExactCheck(
            "exact",
            fixed=_WITNESSES,
            note="3 witnesses × 10 groups × 100 runs, T = 1000; per-group false-alarm rate Φ(−6) ≈ 1e-9 "
            "(normal approx.)",
        ),
    ),
    tolerance=Tolerance(rtol=0.0, atol=0.0),
    kind="probability",
)

SECOND_MOMENT = Claim(
    id="wang2023.sec5.sgd_second_moment",
    title="CLR toy model, one online SGD step: E[w₂'²] = w₂²(1 − 2a + 3a²), a = η/(1+w₁²) (GD: w₂²(1 − a)²)",
    source=SOURCE,
    statement=r"With $\nabla\ell(w;x)=x^2\nabla\mathcal L(w)$, $x\sim\mathcal N(0,1)$: "
    r"$\mathbb E[w_2'^2]=w_2^2(1-2a+3a^2)$, $a=\eta/(1+w_1^2)$; it exceeds $w_2^2$ iff $a>2/3$.",
    hypotheses=(finite("w1", "w2", "eta"),),
    conclusion=second_moment,
    checks=(
        SymbolicCheck("symbolic", _second_moment_symbolic),
        PropertyCheck("property", _STEP_POINTS, max_examples=60),
        ExactCheck("exact", _step_points, fixed=[{"w1": 1.0, "w2": 0.1, "eta": 4.0 / 3.0}]),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-300),
    kind="identity",
)

CLAIMS = [TRACE, DRIFT, SECOND_MOMENT]
