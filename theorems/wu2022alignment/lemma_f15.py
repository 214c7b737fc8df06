r"""Wu, Wang & Su (2022), Lemma F.15: a lower bound on the Frobenius norm of the random-feature kernel matrix.

Setting
-------
Data :math:`x_i` i.i.d. from ρ and m random features; :math:`\hat K=G/n` and the operator
:math:`\mathcal K` with eigenvalues :math:`\lambda_i(\mathcal K)`, :math:`\sum_i\lambda_i^2(\mathcal K)=
\mathbb E_{x,x'}k^2(x,x')` (Eq. (19)).  Instances: ReLU features on the circle (d = 2,
:math:`b^2=2`), m = n, and a discrete data law ρ on L = 4 points of the circle with weights
(0.7, 0.1, 0.1, 0.1) (:data:`~theorems.wu2022alignment._appf.ATOM_ANGLES`, ``ATOM_WEIGHTS``; the
lemma allows any ρ).  Then :math:`\|\hat K\|_F` is computed exactly from an L × L matrix
(:func:`~theorems.wu2022alignment._appf.atoms_khat`) at cost O(Lm), which lets the check reach
n = m = 16384 (the n × n route costs :math:`n^2m`), and :math:`\sum_i\lambda_i^2(\mathcal K)` is a
4 × 4 Frobenius norm.

Why neither the uniform law nor small n: under :math:`\mathrm{Unif}(\mathbb S^{d-1})`,
:math:`\chi(x)=\mathbb E_{x'}k^2(x,x')` is constant, the first-order fluctuation of
:math:`\|K\|_F^2` vanishes and the deficit :math:`\sum_i\lambda_i^2-\|\hat K\|_F^2` is
:math:`O(1/n)`, mostly negative (an earlier encoding measured mean deficits −0.041 … −0.0026 at
n = m = 8 … 128 and an implied constant ~0.002–0.006 decaying like :math:`n^{-0.86}`).  For any ρ,
:math:`\|\hat K\|_F^2` is biased upwards by O(1/n + 1/m) (Eq. (20) and the feature variance), so
the implied constant of the :math:`n^{-1/2}` rate rises towards its limit as the bias fades.  The
weights (one heavy atom) make the fluctuations large next to that bias: on six nearly balanced
atoms the constant still rose by 20 % between n = m = 2048 and 32768 (0.016 → 0.019, first-order
Gaussian limit 0.019); here it is flat from n = 64 on (medians of 24 draws of R = 50: 0.090,
0.096, 0.095, 0.094, 0.108 at n = m = 64, 256, 1024, 4096, 16384; limit ≈ 0.108).

Statement
---------
There is an absolute constant C such that for every :math:`\delta\in(0,1/e)`, w.p. at least 1 − δ over
data and features, :math:`\|\hat K\|_F^2\ge\sum_i\lambda_i^2(\mathcal K)-C(b^2\sqrt{\log(1/\delta)/m}+
\sqrt{\log(1/\delta)/n})`.

Evidence
--------
``constant`` (:class:`~verifythm.evidence.constant.ConstantCheck`, direction "upper", size n = m):
one draw of the implied constant is :math:`\hat C=q_{1-\delta}(\sum_i\lambda_i^2-\|\hat K\|_F^2)/
(b^2\sqrt{\log(1/\delta)/m}+\sqrt{\log(1/\delta)/n})`, the empirical 0.9-quantile (δ = 0.1) over
R = 200 fresh draws of data and features; per size the median of 12 draws (the draws differ only
by estimation noise).  C is fitted at n = m ∈ {1024, 2048, 4096} and checked on fresh draws at
n = m = 16384 (4×); the thorough profile adds 65536 (16×).  The fit starts at 1024 because the
O(1/n) bias still moves the constant below that: fitted at {256, 512, 1024} (8 draws), seed
314159 gave fitted 0.104, held-out 0.114 (ratio 1.100, on the margin), inconclusive.  Measured
with the present protocol over 12 seeds (7 … 314159): held-out / fitted ≤ 1.074, the adverse
exponent's upper bound ≤ 0.079 (< 0.1), all verified (≈ 4 s of CPU at the quick seed); with the
implied constant multiplied by :math:`n^{0.1}` the check reports a counterexample.  A draw whose
quantile is ≤ 0 (the bound then holds with any C ≥ 0) would be unresolved, not evidence.

Notes on the proof:
The proof quotes :math:`\|\hat K-K\|_F\le d\sqrt{\log(2/\delta)/m}` "following Lemma F.11"; as there,
the factor should be :math:`b^2` (d is a typo), and it carries :math:`\log(2/\delta)` where the
statement has :math:`\log(1/\delta)` — equivalent for :math:`\delta<1/e` up to the constant C.

The algebra of Eqs. (19)–(20) is derived in ``wu2022.eq19`` and ``wu2022.eq20``.

No property check on ``wu2022.lemma_f15`` itself: a with-probability-1 − δ bound with a hidden constant C;
  decided by the constant fit over fresh draws of data and features (the deterministic step
  ``wu2022.lemma_f15.bounded_difference``, module ``lemma_f15_proof``, carries the property check).

References
----------
[wu2022alignment, Appendix F.2, Lemma F.15, Eqs. (19)–(21)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Hypothesis, Source
from verifythm.claims.inputs import INT, REAL
from verifythm.evidence.constant import ConstantCheck

from . import KEY
from ._appf import atoms_khat, atoms_population, quantile_implied

D = 2
DELTA = 0.1
REPS = 200


def deviation(rng: np.random.Generator, point: dict[str, Any]) -> float:
    r""":math:`\sum_i\lambda_i^2(\mathcal K)-\|\hat K\|_F^2`, one draw of data (on the atoms) and features."""
    A = atoms_khat(rng, int(point["n"]), int(point["m"]))
    return atoms_population()[1] - float(np.sum(A * A))


def rate(point: dict[str, Any]) -> float:
    r""":math:`b^2\sqrt{\log(1/\delta)/m}+\sqrt{\log(1/\delta)/n}`."""
    ld = float(np.log(1.0 / float(point["delta"])))
    return float(D * np.sqrt(ld / int(point["m"])) + np.sqrt(ld / int(point["n"])))


def _pts(*ns: int) -> list[dict[str, Any]]:
    return [{"n": n, "m": n, "delta": DELTA} for n in ns]


CLAIM = Claim(
    id="wu2022.lemma_f15",
    title="‖K̂‖_F² ≥ Σλ_i²(𝒦) − C(b²√(log(1/δ)/m) + √(log(1/δ)/n)) w.p. ≥ 1 − δ (ReLU RFM on the circle)",
    source=Source(KEY, "Lemma F.15"),
    statement=(
        r"For $\delta\in(0,1/e)$, w.p. $\ge1-\delta$, "
        r"$\|\hat K\|_F^2\ge\sum_i\lambda_i^2(\mathcal K)-C(b^2\sqrt{\log(1/\delta)/m}"
        r"+\sqrt{\log(1/\delta)/n})$ with an absolute constant C. Checked: the implied constant at the "
        r"(1 − δ)-quantile of the deficit does not grow along n = m."
    ),
    hypotheses=(
        Hypothesis("0 < δ < 1/e", lambda i: 0 < i["delta"] < np.exp(-1)),
        Hypothesis("n, m ≥ 1", lambda i: i["n"] >= 1 and i["m"] >= 1),
    ),
    checks=(
        ConstantCheck(
            "constant",
            quantile_implied(deviation, rate, REPS),
            fit=_pts(1024, 2048, 4096),
            holdout=_pts(16384),
            thorough_holdout=_pts(65536),
            size="n",
            direction="upper",
            statistic="median",
            draws=12,
            note=f"n = m; one draw = empirical {1 - DELTA:g}-quantile over R={REPS} draws of data "
            "(4-atom ρ on the circle) and features",
        ),
    ),
    kind="constant",
    inputs={"n": INT, "m": INT, "delta": REAL},
)
