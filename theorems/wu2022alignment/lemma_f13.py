r"""Wu, Wang & Su (2022), Lemma F.13: the top eigenvalue of the kernel matrix versus that of the operator.

Setting
-------
Data :math:`x_i` i.i.d. from ρ, :math:`K=(k(x_i,x_j)/n)`, the integral operator :math:`\mathcal K` on
:math:`L_2(\rho)`.  Instances: the ReLU kernel :math:`k=\kappa(x^Tx')` of Proposition 2.5 with
:math:`\rho=\mathrm{Unif}(\mathbb S^1)` (d = 2); :math:`\lambda_1(\mathcal K)=\mathbb E\kappa(x_1)` by
quadrature (``wu2022.e3``).

Statement
---------
There is an absolute constant C such that for every :math:`\delta\in(0,1/e)`, w.p. at least 1 − δ over
the data, :math:`\lambda_1(K)\le\lambda_1(\mathcal K)+C\sqrt{\log(2/\delta)/n}`.

Encoded (``wu2022.lemma_f13``, an estimated-constant claim)
-----------------------------------------------------------
With δ = 0.1 and R = 200 seeded data sets per n, the implied constant
:math:`\hat C(n)=q_{0.9}(\lambda_1(K)-\lambda_1(\mathcal K))/\sqrt{\log(2/\delta)/n}` is
0.172, 0.147, 0.128, 0.090, 0.073 at n = 8, 16, 32, 64, 128; encoded as :math:`\hat C(n)\le C_{\rm est}=0.18`
(sweep maximum, at
the smallest n, rounded up; 10 % less fails).  The log-log fit of the quantile has exponent −0.82 (fitted
constant 0.61 in :math:`q\approx c\,n^{a}`):
the deviation decays faster than the claimed :math:`n^{-1/2}` on this sweep (the upward bias of
:math:`\lambda_1(K)` is the diagonal :math:`k(x,x)/n=\kappa(1)/n`, of order 1/n, and the fluctuation
term has a small constant), so the bound holds with a decreasing implied constant; a rate slower
than :math:`n^{-1/2}` would have made :math:`\hat C` grow.

Scope of the estimate.  The regime C_est was estimated on is encoded as hypotheses: δ = 0.1,
m = 0 (no features) and 8 ≤ n ≤ 128; the draws come from the fixed seed 2022 inside the claim
(``seed`` is no longer an instance key), so C_est is the implied constant of these draws, not a
confidence bound valid for every draw.  In the range, fresh values of n stay below C_est
(n = 9…24: 0.126–0.163).  Outside it the constant is a different number: ``verifythm tightness``
found :math:`\hat C=0.24` at n = 2 (seed 1), where the :math:`n^{-1/2}` rate is not yet visible.

References
----------
[wu2022alignment, Appendix F.2, Lemmas F.12, F.13; Appendix E.3].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._appf import constant_claim, kernel_matrices, population_spectrum, sweep_regime, top_eig

D = 2
C_EST = 0.18
REPS = 200
SWEEP = [{"n": n, "m": 0, "delta": 0.1} for n in (8, 16, 32, 64, 128)]
REGIME = sweep_regime(SWEEP, sizes=("n",), fixed=("m", "delta"))


def deviation(rng: np.random.Generator, inst: dict[str, Any]) -> float:
    r""":math:`\lambda_1(K)-\lambda_1(\mathcal K)` for one data set."""
    return top_eig(kernel_matrices(rng, int(inst["n"]), 0, D)[0]) - population_spectrum(D)[0]


def rate(inst: dict[str, Any]) -> float:
    r""":math:`\sqrt{\log(2/\delta)/n}`."""
    return float(np.sqrt(np.log(2.0 / float(inst["delta"])) / int(inst["n"])))


CLAIM = constant_claim(
    "wu2022.lemma_f13",
    f"λ₁(K) ≤ λ₁(𝒦) + C√(log(2/δ)/n) w.p. ≥ 1 − δ over the data (ReLU kernel, d = 2; C_est = {C_EST})",
    "Lemma F.13",
    r"For $\delta\in(0,1/e)$, w.p. $\ge1-\delta$ over the data, $\lambda_1(K)\le\lambda_1(\mathcal K)+"
    r"C\sqrt{\log(2/\delta)/n}$. Encoded: "
    r"$q_{1-\delta}(\lambda_1(K)-\lambda_1(\mathcal K))/\sqrt{\log(2/\delta)/n}"
    r"\le C_{\rm est}$ for n ∈ {8, 16, 32, 64, 128}, d = 2, δ = 0.1.",
    deviation,
    rate,
    SWEEP,
    C_EST,
    REPS,
    regime=REGIME,
)
