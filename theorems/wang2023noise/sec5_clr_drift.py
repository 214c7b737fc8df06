r"""Wang & Wu (2023), Section 5, Figure 4: SGD with a cyclical learning rate ends flatter than GD.

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
``wang2023.sec5.clr_drift`` (Fig. 4, qualitative): SGD+CLR moves towards flatter points of the valley
:math:`S=\{w_2=0\}` (larger :math:`|w_1|`, smaller :math:`\mathrm{tr}\,\nabla^2\mathcal L=1/(1+w_1^2)`, see
``wang2023.sec5.valley_trace``), GD+CLR does not.

Finding
-------
Holds, measured: :math:`|w_1|` is non-decreasing along *both* methods (both factors above are
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
* ``exact``: the decision rule above on three seeded witnesses; the mechanism is
  ``wang2023.sec5.sgd_second_moment``.
* No property check: Figure 4 is one experiment, its setting pinned.

References
----------
[wang2023noise, Section 5 ("Explaining the implicit bias of cyclical learning rate"), Figure 4].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source, Tolerance
from verifythm.claims.inputs import INT, REAL, array

from ._common import KEY

SOURCE = Source(KEY, "Section 5, CLR toy model; Figure 4", page=8)
Z_CRIT = 6.0


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
    R, m, T, w0 = inst["groups"], inst["runs"], inst["T"], inst["w0"]
    etas = clr_schedule(T, inst["period"], inst["eta_min"], inst["eta_max"])
    g1, _ = simulate(w0, etas, np.ones((1, T)))
    s_gd = 1 + g1[0] ** 2
    rng = np.random.default_rng(inst["seed"])
    w1, _ = simulate(w0, etas, rng.standard_normal((R * m, T)) ** 2)
    flatter = (1 + w1**2 > s_gd).reshape(R, m).sum(axis=1)
    z = (flatter - m / 2) / (np.sqrt(m) / 2)
    return Comparison(
        float(np.mean(z >= Z_CRIT)),
        inst["power"],
        ">=",
        "fraction of groups with sign-test z ≥ 6 (SGD s_T > GD s_T)",
        "required power",
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
    w0 = inst["w0"]
    if w0.shape != (2,) or not np.all(np.isfinite(w0)):
        return False
    return bool(
        inst["period"] == 100
        and inst["T"] == 1000
        and inst["eta_min"] == 0.05
        and float(w0[1]) == 0.1
        and float(w0[0]) in (1.0, -2.0)
        and inst["eta_max"] == 3.0 * (1.0 + float(w0[0]) ** 2)
    )


def _decision_rule(inst: dict[str, Any]) -> bool:
    """The decision rule as stated: 10 groups of 100 runs, power 0.95 (z ≥ 6 needs ≥ 80/100 per group)."""
    return inst["groups"] == 10 and inst["runs"] == 100 and inst["power"] == 0.95


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

DRIFT = Claim(
    id="wang2023.sec5.clr_drift",
    title="CLR toy model: SGD+CLR ends flatter than GD+CLR (sign test z ≥ 6 in ≥ 95 % of 10 seeded groups)",
    source=SOURCE,
    statement=r"SGD+CLR moves towards flatter minima along $S$ (larger $w_1^2$, smaller "
    r"$\mathrm{tr}\nabla^2\mathcal L$) while GD+CLR does not (Figure 4).",
    hypotheses=(FIG4_SETTING, DECISION_RULE),
    conclusion=drift_test,
    inputs={
        **dict.fromkeys(("groups", "runs", "T", "period", "seed"), INT),
        **dict.fromkeys(("eta_min", "eta_max", "power"), REAL),
        "w0": array(),
    },
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


CLAIM = DRIFT
