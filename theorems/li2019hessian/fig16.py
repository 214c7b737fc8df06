r"""Li et al. (2019), Appendix B.2.2 and Figs. 16–17: reading the Davis–Kahan :math:`\sin\theta` plots.

Setting
-------
For unit vectors :math:`u,v` (top eigenvectors of :math:`M_t` and :math:`H_f(\theta_t)`), the
plotted quantity is :math:`\sin\theta(u,v)=\sqrt{1-(u^Tv)^2}` with
:math:`\theta\in[0^\circ,90^\circ]` the (acute) angle between the lines they span.

Statement
---------
The captions of Figs. 16 and 17 (lines 831 and 859 of the rendering) and the text after
Eq. (59) (line 875) read :math:`\sin\theta(u,v)>0.5` as evidence of overlap: "the angle
... stays below 30°".  Encoded:

* ``li2019.fig16.sin_threshold`` — literally, :math:`\sin\theta>1/2\Rightarrow\theta<30^\circ`.
  **False**, and backwards: :math:`\sin` is increasing on :math:`[0^\circ,90^\circ]` and
  :math:`\sin30^\circ=1/2`, so :math:`\sin\theta>1/2` means :math:`\theta>30^\circ` (e.g.
  :math:`\theta=60^\circ`, :math:`\sin\theta\approx0.87`).  Values of :math:`\sin\theta` that
  "stay above 0.5" therefore indicate angles *above* 30°, i.e. weaker alignment than
  claimed; the figures' supporting argument must be re-read with the inequality reversed.
* ``li2019.fig16.sin_threshold.corrected`` — :math:`\sin\theta\le1/2\Rightarrow\theta\le30^\circ`
  on :math:`[0^\circ,90^\circ]` (holds; equality at 30°).

Evidence
--------
* ``exact``: the implication on a grid of angles in :math:`[0^\circ,90^\circ]` including
  :math:`30^\circ` and :math:`60^\circ`; the angle is recomputed from a pair of unit vectors
  :math:`u=(1,0)`, :math:`v=(\cos\theta,\sin\theta)` through :math:`\sqrt{1-(u^Tv)^2}`.
* ``property``: Hypothesis over angles.
* A float64 violation of the literal claim is re-checked on the exact rational angle, its premise
  :math:`\sin\theta>1/2` at 50 digits (``precise_conclusion``).

No symbolic check: the figure's reading of an angle threshold on trained runs; its only algebra (sin θ >
  1/2 ⟺ θ > 30° on [0, 90°]) is the erratum itself, checked exactly.

References
----------
[li2019hessian, Appendix B.2.2 (text after Eq. (59)); captions of Figs. 16 and 17].
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Expected, Hypothesis, PropertyCheck, Source, Tolerance
from verifythm.claims.inputs import REAL
from verifythm.linalg.precise import frac_to_mpf, to_float
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Appendix B.2.2; Figs. 16-17 captions")


def _sin_from_vectors(deg: float) -> float:
    t = np.deg2rad(deg)
    u, v = np.array([1.0, 0.0]), np.array([np.cos(t), np.sin(t)])
    return float(np.sqrt(max(1.0 - float(u @ v) ** 2, 0.0)))


def conclusion(inst: dict[str, Any]) -> Comparison:
    """The angle (degrees) against 30°."""
    return Comparison(inst["angle_deg"], 30.0, "<=", "θ (degrees)", "30°")


def conclusion_exact(inst: dict[str, Any]) -> Comparison:
    r""":func:`conclusion` on the exact rational angle, with the premise sin θ > 1/2 re-checked at 50 digits.

    The comparison itself involves no rounding: float64 enters only through the premise, computed
    from a pair of unit vectors.  Here :math:`\sin\theta` is evaluated in mpmath from the exact
    angle; if the premise fails there, or :math:`|\sin\theta-\frac12|\le10^{-40}` leaves it
    undecided, the instance is not shown to be one of the claim's and the comparison returned is
    unresolved (a NaN side): no evidence either way.
    """
    import mpmath

    angle = Fraction(inst["angle_deg"])
    with mpmath.workdps(50):
        t = mpmath.pi * frac_to_mpf(angle) / 180
        premise = mpmath.sqrt(1 - mpmath.cos(t) ** 2) - mpmath.mpf(1) / 2 > mpmath.mpf(10) ** -40
    return Comparison(to_float(angle) if premise else math.nan, Fraction(30), "<=", "θ (degrees)", "30°")


def _grid(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [{"angle_deg": float(a)} for a in np.concatenate([np.linspace(0, 90, 31), rng.uniform(0, 90, k)])]


_angles = st.fixed_dictionaries({"angle_deg": reals(0.0, 90.0)})
INPUTS = {"angle_deg": REAL}
_RANGE = Hypothesis("0° ≤ θ ≤ 90°", lambda inst: 0.0 <= inst["angle_deg"] <= 90.0)

LITERAL = Claim(
    id="li2019.fig16.sin_threshold",
    title="sin θ(u, v) > 0.5 means the angle stays below 30° (as printed; false)",
    source=SOURCE,
    statement=r"For $\theta\in[0^\circ,90^\circ]$: $\sin\theta>0.5\Rightarrow\theta<30^\circ$.",
    hypotheses=(
        _RANGE,
        Hypothesis("sin θ(u, v) > 0.5", lambda inst: _sin_from_vectors(inst["angle_deg"]) > 0.5),
    ),
    conclusion=conclusion,
    inputs=INPUTS,
    precise_conclusion=conclusion_exact,
    checks=(ExactCheck("exact", _grid, fixed=[{"angle_deg": 60.0}]), PropertyCheck("property", _angles)),
    expected=Expected.fails(
        "App. B.2.2 (after Eq. (59)) and the captions of Figs. 16-17 read sin θ > 0.5 as the angle staying "
        "below 30°; sin is increasing on [0°, 90°] and sin 30° = 1/2, so sin θ > 0.5 means θ > 30° (θ = 60° "
        "has sin θ ≈ 0.87): the plotted values show angles above 30°, weaker alignment than claimed",
        "docs/errata/li2019.fig16.sin_threshold__exact.md",
        finding="erratum",
    ),
    tolerance=Tolerance(rtol=1e-12, atol=1e-9),
)

CORRECTED = Claim(
    id="li2019.fig16.sin_threshold.corrected",
    title="sin θ(u, v) ≤ 0.5 exactly when the angle is at most 30°",
    source=SOURCE,
    statement=r"For $\theta\in[0^\circ,90^\circ]$: $\sin\theta\le0.5\Rightarrow\theta\le30^\circ$.",
    hypotheses=(
        _RANGE,
        Hypothesis("sin θ(u, v) ≤ 0.5", lambda inst: _sin_from_vectors(inst["angle_deg"]) <= 0.5 + 1e-15),
    ),
    conclusion=conclusion,
    inputs=INPUTS,
    checks=(ExactCheck("exact", _grid, fixed=[{"angle_deg": 30.0}]), PropertyCheck("property", _angles)),
    tolerance=Tolerance(rtol=1e-12, atol=1e-9),
)

CLAIMS = [LITERAL, CORRECTED]
