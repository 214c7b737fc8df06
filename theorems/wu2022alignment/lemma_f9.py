r"""Wu, Wang & Su (2022), Lemma F.9: uniform deviation of the random-feature kernel.

Setting
-------
Random feature model of Appendix F.2: features :math:`\varphi(x;w)` with
:math:`\sup|\varphi|\le b` (Assumption 1), :math:`w_1,\dots,w_m` i.i.d. from π, the kernel
:math:`k(x,x')=\mathbb E_w[\varphi(x;w)\varphi(x';w)]` and its Monte Carlo estimate
:math:`\hat k(x,x')=\frac1m\sum_s\varphi(x;w_s)\varphi(x';w_s)`.  Instances use the paper's own
model (Proposition 2.5): :math:`\varphi(x;w)=\mathrm{ReLU}(w^Tx)`, :math:`w\sim\mathrm{Unif}(\sqrt d\,
\mathbb S^{d-1})`, :math:`x\in\mathbb S^{d-1}`, so :math:`b^2=d` and :math:`k=\kappa(x^Tx')` in closed form
(Appendix E.3, checked in ``wu2022.appe3.arccos_kernel``).

Statement
---------
For every :math:`\delta\in(0,1)`, with probability at least 1 − δ over the features,
:math:`\sup_{x,x'}|k(x,x')-\hat k(x,x')|\le b^2\sqrt{\log(1/\delta)/m}` — as printed, with no constant.

Finding
-------
**Edge case** (``wu2022.lemma_f9``, an expected failure):
The printed bound vanishes as δ → 1 (:math:`\log(1/\delta)\to0`) while the deviation does not, so
it is false for δ close to 1.  Smallest counterexample: d = 2, m = 1, δ = 0.6.  With one feature,
at :math:`x=x'=w_1/\|w_1\|`, :math:`\hat k(x,x)=\|w_1\|^2=d=2` and :math:`k(x,x)=\kappa(1)=1/2`, so the
supremum is at least 3/2 on every draw, while :math:`b^2\sqrt{\log(1/0.6)/1}=1.4295`: the event
fails with probability 1 > δ.  It also fails at larger m for δ near 1: at d = 2, m = 16, δ = 0.95 (R = 1000
draws) the lower confidence bound of the 0.05-quantile of the supremum is 1.12× the bound, and at
m = 64, δ = 0.9 the 0.1-quantile is ≈ 1.06× the bound (off the check).  For δ ≤ 0.5 the
printed bound held on every m tried (quantile ratio ≤ 0.9), so the failure is the δ → 1 regime.  The proof
(Theorem F.2 with a Rademacher bound
:math:`\lesssim b^2/\sqrt m`) only gives :math:`\lesssim b^2\sqrt{\log(2/\delta)/m}` with an absolute
constant — the printed form drops both the constant and the 2 in :math:`\log(2/\delta)`.
An edge case, not an error of substance: the printed form drops the absolute constant and the 2 of
:math:`\log(2/\delta)` that the proof carries, and fails only for δ near 1 (δ = 0.6 > 1/e, outside
Proposition F.7's :math:`\delta<1/e`); the statement the proof supports holds
(``wu2022.lemma_f9.as_proved``).

Evidence
--------
* ``monte_carlo`` (literal): R seeded feature draws; the supremum over a 64-point grid of
  the circle plus the feature directions (a lower bound of the true supremum, so violations are
  genuine).  Decision: the order-statistic lower confidence bound of the (1 − δ)-quantile of
  :math:`\sup|k-\hat k|/\text{bound}` exceeds 1, i.e. the exact binomial test of
  :math:`P(\text{violation})>\delta` at false-alarm rate :math:`10^{-3}`.  A violation is
  confirmed by the same decision on R fresh draws from an independent stream (the replicate).

No property check: the claim is a quantile statement over random features (probability ≥ 1 − δ), not a
  universally quantified inequality over instances; one draw cannot refute it, so it is decided by the Monte
  Carlo decision rule.

References
----------
[wu2022alignment, Appendix F.2, Assumption 1, Lemma F.9 and its proof; Theorem F.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, Expected, Hypothesis, Source
from verifythm.claims.inputs import INT, REAL
from verifythm.evidence.base import statistical
from verifythm.evidence.montecarlo import MonteCarloCheck

from . import KEY
from ._appf import ALPHA, quantile_decidable, quantile_lcb, single_thread, sup_kernel_deviation

SOURCE = Source(KEY, "Lemma F.9")


def _draws(inst: dict[str, Any], reps: int, stream: tuple[int, ...] = ()) -> np.ndarray:
    d, m = inst["d"], inst["m"]
    rng = np.random.default_rng([inst["seed"], d, m, *stream])
    with single_thread():
        return np.array([sup_kernel_deviation(rng, d, m) for _ in range(reps)])


def _decision(inst: dict[str, Any], stream: tuple[int, ...]) -> Comparison:
    d, m, delta = inst["d"], inst["m"], inst["delta"]
    bound = d * np.sqrt(np.log(1.0 / delta) / m)
    ratio = _draws(inst, inst["R"], stream) / bound
    return Comparison(quantile_lcb(ratio, 1.0 - delta), 1.0, "<=", "LCB q_{1−δ}(sup|k−k̂| / bound)", "1")


@statistical  # a binomial decision: confirmed by a replicate
def literal(inst: dict[str, Any]) -> Comparison:
    r"""LCB of the (1 − δ)-quantile, :math:`\sup|k-\hat k|/(b^2\sqrt{\log(1/\delta)/m})` vs 1."""
    return _decision(inst, ())


def literal_replicate(inst: dict[str, Any]) -> Comparison:
    """The same decision on ``R`` fresh feature draws from an independent random stream."""
    return _decision(inst, (1,))


LITERAL_FIXED = [
    {"d": 2, "m": 1, "delta": 0.6, "seed": 1, "R": 30},  # smallest: sup ≥ 3/2 > 1.4295 on every draw
    {"d": 2, "m": 16, "delta": 0.95, "seed": 1, "R": 1000},
    {"d": 2, "m": 64, "delta": 0.1, "seed": 1, "R": 200},  # holds here
]
#: The schema of both Lemma F.9 claims (``lemma_f9_as_proved`` shares HYPOTHESES, which read it).
INPUTS = {"d": INT, "m": INT, "seed": INT, "R": INT, "delta": REAL}
HYPOTHESES = (
    Hypothesis("0 < δ < 1, m ≥ 1, d ≥ 2", lambda i: 0 < i["delta"] < 1 and i["m"] >= 1 and i["d"] >= 2),
)
#: The literal claim decides by the binomial test of ``quantile_lcb``: it needs enough draws.
_DECIDABLE = Hypothesis(
    "R draws enough for the binomial decision at α: δ^R ≤ α",
    lambda i: 0 < i["delta"] < 1 and quantile_decidable(i["R"], 1.0 - i["delta"]),
)

CLAIMS = [
    Claim(
        id="wu2022.lemma_f9",
        title="sup|k − k̂| ≤ b²√(log(1/δ)/m) w.p. ≥ 1 − δ (as printed, no constant) — false for δ near 1",
        source=SOURCE,
        statement=(
            r"For any $\delta\in(0,1)$, w.p. at least $1-\delta$ over the random features, "
            r"$\sup_{x,x'}|k(x,x')-\hat k(x,x')|\le b^2\sqrt{\log(1/\delta)/m}$."
        ),
        hypotheses=(*HYPOTHESES, _DECIDABLE),
        conclusion=literal,
        precise_conclusion=literal_replicate,
        inputs=INPUTS,
        checks=(
            MonteCarloCheck(
                "monte_carlo", fixed=LITERAL_FIXED, note=f"exact binomial test, false-alarm rate ≤ {ALPHA:g}"
            ),
        ),
        expected=Expected.fails(
            "edge case: Lemma F.9 prints b²√(log(1/δ)/m) without the absolute constant its proof carries "
            "(Theorem F.2 gives C·b²√(log(2/δ)/m), `wu2022.lemma_f9.as_proved`); the constant-free form "
            "fails only for δ near 1, outside Prop. F.7's δ < 1/e: at d = 2, m = 1, δ = 0.6, sup|k − k̂| ≥ "
            "3/2 > 1.4295 on every draw",
            "docs/errata/wu2022.lemma_f9__monte_carlo.md",
            finding="edge-case",
        ),
    ),
]
