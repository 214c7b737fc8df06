r"""Dexter et al. (2024), §5.2 and Figures 1–2: the trends the text reads off the phase diagrams.

Setting
-------
The §5.1 family (``dexter2024.sec5_1.*``): :math:`n=100`, integers :math:`1\le\sigma\le n`,
:math:`B\in[n]`, :math:`m=2n/\sigma`, :math:`H_i=m\,e_1e_1^T` for :math:`i\le\sigma`, else
:math:`m\,e_{i-\sigma+1}e_{i-\sigma+1}^T`, :math:`\lambda_1(H)=2`, Bernoulli sampling.  Figure 1 plots
the plane :math:`(B,\sigma)` at :math:`\eta\in\{0.5,0.8\}`, with two curves (writing :math:`x=n/B-1`):
Theorem 1 (b)'s, :math:`\sigma_1(B)=2\eta\sqrt x` (solid; divergence guaranteed below it), and
Theorem 2's, :math:`\sigma_2(B)=\eta x/(1-\eta)` (dashed; convergence guaranteed above it).  Stability
is read from the exact engine's mean-square threshold :math:`\eta^*(\sigma,B)`
(:func:`verifythm.dynamics.critical_learning_rates`).

Statement
---------
Three trends of §5.2.1 (p. 8), paraphrased; (a) and (c) are encoded:

(a) ``gap_shrinks``: the distance between the two curves, :math:`\sigma_2(B)-\sigma_1(B)`, decreases as
    the batch size grows, over the batch sizes where the solid curve is inside the plotted range
    (:math:`\sigma_1\ge1`).
(b) Not encoded: which curve lies nearer "the actual boundary" at :math:`\eta=0.5` and at
    :math:`\eta=0.8` is read off the experiment's integer grid (finite runs, the boundary at the
    first σ that did not diverge), and the answer depends on how a boundary between integer σ is
    placed; against the engine's mean-square boundary Theorem 2's curve is exact
    (``dexter2024.sec5_1.threshold``), so no reading-free statement about "nearer" is checkable here.
(c) ``small_sigma_unstable``: small coherence is unstable even at large batches: :math:`\sigma=1` is
    mean-square unstable (:math:`\eta>\eta^*`) for every :math:`B<\eta n`, i.e. up to :math:`B=49`
    at :math:`\eta=0.5` and :math:`B=79` at :math:`\eta=0.8` (at :math:`\sigma=1` every coordinate
    is a single-sample one, so the typical threshold is the same, :math:`\eta^*=B/n`).

Evidence
--------
* ``exact`` (both claims): seeded batch sizes spanning each panel's visible range at :math:`n=100`
  and the two plotted :math:`\eta`; :math:`\eta^*` from the engine.
* ``property`` ((a), (c)): Hypothesis over :math:`n`, :math:`\eta\in(0,1)` and :math:`B`
  (:func:`verifythm.strategies.scalars.reals`), beyond the plotted values.

No symbolic check: a figure-level trend read off the exact engine's η* on the §5.1 construction; the
  closed form behind it is Theorem 2's threshold, derived in ``dexter2024.sec5_1``.

References
----------
[dexter2024precise, Section 5.2.1, Figure 1 (p. 8); Section 5.2.2, Figure 2].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source
from verifythm.claims.inputs import REAL
from verifythm.dynamics import critical_learning_rates
from verifythm.strategies.scalars import reals

from ._common import is_int
from ._figures import family, thm1_sigma, thm2_sigma

N = 100
ETAS = (0.5, 0.8)
SOURCE = Source("dexter2024precise", "Section 5.2.1, Figure 1 (p. 8)")
INPUTS = {"eta": REAL}  # n and B as drawn: the hypotheses check that they are integers


# ---------------------------------------------------------------------------------------------
# (a) the gap between the two curves


def gap(n: int, B: int, eta: float) -> float:
    r""":math:`\sigma_2(B)-\sigma_1(B)`: Theorem 2's minus Theorem 1 (b)'s curve, in the (B, σ) plane.

    Written as a difference of the two curves of :mod:`._figures` (not re-derived).
    """
    return float(thm2_sigma(n, B, eta)) - float(thm1_sigma(n, B, eta))


def _gap_ok(inst: dict[str, Any]) -> bool:
    n, B, eta = inst["n"], inst["B"], inst["eta"]
    return (
        is_int(n)
        and is_int(B)
        and 1 <= int(B)
        and int(B) + 1 < int(n)
        and 0 < eta < 1
        and float(thm1_sigma(int(n), int(B) + 1, eta)) >= 1.0
    )


def _gap_concl(inst: dict[str, Any]) -> Comparison:
    n, B, eta = int(inst["n"]), int(inst["B"]), inst["eta"]
    return Comparison(gap(n, B + 1, eta), gap(n, B, eta), "<=", "σ₂(B+1) − σ₁(B+1)", "σ₂(B) − σ₁(B)")


def _gap_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for eta in ETAS:
        last = max(B for B in range(1, N - 1) if float(thm1_sigma(N, B + 1, eta)) >= 1.0)
        Bs = {1, last} | {int(b) for b in rng.integers(1, last + 1, size=k)}
        out += [{"n": N, "eta": eta, "B": B} for B in sorted(Bs)]
    return out


@st.composite
def _gap_strategy(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(4, 400))
    eta = draw(reals(0.02, 0.98))
    return {"n": n, "eta": eta, "B": draw(st.integers(1, n - 2))}


GAP_SHRINKS = Claim(
    id="dexter2024.figs1_2.gap_shrinks",
    title="Figure 1: the band between Theorem 1's and Theorem 2's curves narrows as B grows",
    source=SOURCE,
    statement=(
        r"In the $(B,\sigma)$ plane at $\lambda_1(H)=2$, the vertical distance "
        r"$\sigma_2(B)-\sigma_1(B)=\frac{\eta}{1-\eta}(\frac nB-1)-2\eta\sqrt{\frac nB-1}$ between "
        r"Theorem 2's and Theorem 1 (b)'s curves is non-increasing in $B$ wherever "
        r"$\sigma_1(B+1)\ge1$ (the solid curve is inside the plot), for $\eta=0.5,0.8$ and every "
        r"$\eta\in(0,1)$."
    ),
    hypotheses=(Hypothesis("integers 1 ≤ B < B + 1 < n, 0 < η < 1, σ₁(B + 1) ≥ 1", _gap_ok),),
    conclusion=_gap_concl,
    checks=(
        ExactCheck("exact", _gap_generate),
        PropertyCheck("property", _gap_strategy(), max_examples=60),
    ),
    kind="inequality",
    inputs=INPUTS,
)


# ---------------------------------------------------------------------------------------------
# (c) small coherence is unstable even at large batch sizes


def _small_ok(inst: dict[str, Any]) -> bool:
    n, B, eta = inst["n"], inst["B"], inst["eta"]
    return is_int(n) and is_int(B) and 1 <= int(B) < int(n) and 0 < eta < 1 and int(B) < eta * int(n)


def _small_concl(inst: dict[str, Any]) -> Comparison:
    n, B, eta = int(inst["n"]), int(inst["B"]), inst["eta"]
    eta_star = float(critical_learning_rates(family(n, 1), np.array([B]), "bernoulli")[0])
    return Comparison(eta_star, eta, "<=", "η*(σ = 1, B) (engine)", "η")


def _small_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for eta in ETAS:
        top = math.ceil(eta * N) - 1  # the largest B < ηn
        Bs = {1, N // 2 - 1, top} | {int(b) for b in rng.integers(1, top + 1, size=k)}
        out += [{"n": N, "eta": eta, "B": B} for B in sorted(Bs)]
    return out


@st.composite
def _small_strategy(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(2, 120))
    eta = draw(reals(0.02, 0.98))
    top = max(1, math.ceil(eta * n) - 1)
    return {"n": n, "eta": eta, "B": draw(st.integers(1, min(top, n - 1)))}


SMALL_SIGMA_UNSTABLE = Claim(
    id="dexter2024.figs1_2.small_sigma_unstable",
    title="Figure 1: with σ = 1, SGD is unstable at every batch size B < ηn (up to 79 of 100 at η = 0.8)",
    source=SOURCE,
    statement=(
        r"For the §5.1 family with $\sigma=1$, $\eta^*(1,B)\le\eta$ (mean-square unstable, and with "
        r"equality only on the boundary) for every $B<\eta n$: at $n=100$ up to $B=49$ ($\eta=0.5$) "
        r"and $B=79$ ($\eta=0.8$)."
    ),
    hypotheses=(Hypothesis("integers 1 ≤ B < n, 0 < η < 1, B < ηn", _small_ok),),
    conclusion=_small_concl,
    checks=(
        ExactCheck("exact", _small_generate),
        PropertyCheck("property", _small_strategy(), max_examples=40),
    ),
    kind="inequality",
    inputs=INPUTS,
)

CLAIMS = [GAP_SHRINKS, SMALL_SIGMA_UNSTABLE]
