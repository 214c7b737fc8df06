r"""Wang & Wu (2023), Lemma C.3: isotropic Gaussian covariance estimation (estimated constant).

Setting
-------
:math:`x_1,\dots,x_n\sim\mathcal N(0,I_d)` i.i.d., :math:`\hat S=\frac1n\sum_ix_ix_i^T`.

Statement
---------
For :math:`\epsilon,\delta\in(0,1)`, if :math:`n\gtrsim(d+\log(1/\delta))/\epsilon^2` then w.p.
:math:`\ge1-\delta`, :math:`\sup_{v\in\mathbb S^{d-1}}|\frac1n\sum_i(v^Tx_i)^2-1|\le\epsilon`.

Encoding (hidden constant)
--------------------------
The supremum is exact: :math:`\hat\epsilon=\sup_v|v^T(\hat S-I)v|=\|\hat S-I\|_2=\max_j|\lambda_j(\hat S)-1|`
(``eigvalsh``).  The lemma says :math:`\hat\epsilon\le C\sqrt{(d+\log(1/\delta))/n}` w.p.
:math:`\ge1-\delta` for an absolute :math:`C`, in its regime
:math:`n\gtrsim(d+\log(1/\delta))/\epsilon^2` with :math:`\epsilon<1`.  At δ = 0.1 and
:math:`n=\lceil m(d+\log(1/\delta))\rceil`, :math:`m\in\{16,64\}`, :math:`d\in\{1,2,8,32,64\}`, we take the
empirical :math:`(1-\delta)`-quantile of :math:`\hat\epsilon` over
:math:`R=200` seeded draws and require
:math:`\hat C=q_{1-\delta}(\hat\epsilon)/\sqrt{(d+\log(1/\delta))/n}\le C_{\rm est}=2.3`.

Regime (hypothesis).  :math:`C_{\rm est}` is estimated, so it is only claimed where it was estimated:
:math:`16\le n/(d+\log(1/\delta))\le64` and :math:`d\le64` (the sweep; :math:`m\ge16` means
:math:`\epsilon\approx C/\sqrt m\le0.6<1`).  Outside it the "constant" is not one: a survey moved
:math:`n\to1`, :math:`d\to63` (:math:`\hat\epsilon\approx d`, far from :math:`\epsilon<1`) and read
:math:`\hat C=10`.

Seeds.  With :math:`R=50` the quantile was noisy enough that 40 seeds at :math:`d=32`, :math:`m=17` reached
:math:`\hat C=2.315`; with :math:`R=200` the largest over 15 seeds and every :math:`d\le64`,
:math:`m\in\{16,17\}` is 2.25 (seed spread :math:`\approx0.01`), so ``seed`` stays a free instance key.
A 10 % tighter constant (2.07) fails at :math:`d\ge32` (:math:`\hat C\approx2.2`).

Finding: :math:`\hat C` ranges over 1.2–2.25, growing with :math:`d` towards
:math:`2+1/\sqrt{16}=2.25` at :math:`m=16`, as the Bai–Yin edge :math:`\|\hat S-I\|\approx2\sqrt{d/n}+d/n`
predicts; so the :math:`d` in the sample size is necessary and sufficient with :math:`C\approx2.25` at these
sizes, and no :math:`\log d` factor appears.

Evidence
--------
* ``exact``: the ten sizes above, R = 200 seeded draws each.

References
----------
[wang2023noise, Appendix C, Lemma C.3 (via Lemma E.3)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source

from ._common import KEY

DELTA, REPS, C_EST = 0.1, 200, 2.3
M_MIN, M_MAX, D_MAX = 16, 64, 64  # the sweep's sample-size multiples m = n/(d + log(1/δ)) and largest d


def eps_hat(Z: np.ndarray) -> float:
    """Exact sup over unit v of |mean (vᵀx)² − 1| = ‖Ŝ − I‖₂."""
    return float(np.max(np.abs(np.linalg.eigvalsh(Z.T @ Z / Z.shape[0]) - 1)))


def implied_constant(inst: dict[str, Any]) -> Comparison:
    """(1−δ)-quantile of ε̂ over R seeded draws, divided by √((d + log(1/δ))/n), against C_est."""
    n, d = int(inst["n"]), int(inst["d"])
    rng = np.random.default_rng([int(inst["seed"]), n, d])
    eps = [eps_hat(rng.standard_normal((n, d))) for _ in range(REPS)]
    rate = np.sqrt((d + np.log(1 / DELTA)) / n)
    return Comparison(float(np.quantile(eps, 1 - DELTA)) / rate, C_EST, "<=", "q_{1−δ}(ε̂)/rate", "C_est")


def _multiple(inst: dict[str, Any]) -> float:
    return int(inst["n"]) / (int(inst["d"]) + np.log(1 / DELTA))


def _in_regime(inst: dict[str, Any]) -> bool:
    return int(inst["n"]) >= 1 and 1 <= int(inst["d"]) <= D_MAX and M_MIN <= _multiple(inst) <= M_MAX


REGIME = Hypothesis(
    f"n ≳ (d + log(1/δ))/ε², ε < 1: {M_MIN} ≤ n/(d + log(1/δ)) ≤ {M_MAX} and d ≤ {D_MAX} (the sweep)",
    _in_regime,
)

SWEEP = [
    {"n": int(np.ceil(m * (d + np.log(1 / DELTA)))), "d": d, "seed": 2023}
    for d in (1, 2, 8, 32, 64)
    for m in (M_MIN, M_MAX)
]

CLAIM = Claim(
    id="wang2023.lemma_c3",
    title="w.h.p. sup_v |mean (vᵀx)² − 1| ≤ ε once n ≳ (d + log(1/δ))/ε² (estimated constant)",
    source=Source(KEY, "Lemma C.3"),
    statement=(
        r"If $n\gtrsim(d+\log(1/\delta))/\epsilon^2$ then w.p. $\ge1-\delta$, "
        r"$\sup_{v\in\mathbb S^{d-1}}|\frac1n\sum_i(v^Tx_i)^2-1|\le\epsilon$. "
        r"Encoded: the implied constant stays below $C_{\rm est}=2.3$ over a size sweep."
    ),
    hypotheses=(REGIME,),
    conclusion=implied_constant,
    checks=(ExactCheck("exact", fixed=SWEEP, note=f"R={REPS} seeded draws per size, δ={DELTA}"),),
    kind="constant",
)
