r"""Wu, Wang & Su (2022), Eq. (12), limit: χ_i → χ(x_i) as n = m → ∞, at rate √(log(1/δ)/n).

Setting
-------
Random feature model of Appendix F.2, :math:`f(x;\theta)=m^{-1/2}\sum_j\theta_j\varphi(x;w_j)`, so
:math:`g_i=m^{-1/2}(\varphi(x_i;w_1),\dots,\varphi(x_i;w_m))`, :math:`g_i^Tg_j=\hat k(x_i,x_j)=\frac1m
\sum_s\varphi(x_i;w_s)\varphi(x_j;w_s)`; :math:`\chi_i=g_i^TGg_i` with :math:`G=\frac1n\sum_jg_jg_j^T`
(Definition 2.1), :math:`k(x,x')=\mathbb E_w[\varphi(x;w)\varphi(x';w)]`,
:math:`\chi(x)=\mathbb E_{x'}k^2(x,x')`.

Instances: ReLU features :math:`\varphi(x;w)=\mathrm{ReLU}(w^Tx)`, :math:`w\sim\mathrm{Unif}(\sqrt2\,
\mathbb S^1)`, data from the 4-atom law on the circle of ``_appf`` (angles ``ATOM_ANGLES``, weights
``ATOM_WEIGHTS``; non-uniform, so the fluctuation of :math:`\chi_i` is of first order).  Points on the same
atom share :math:`\chi_i`, so with counts :math:`N_b` and :math:`\hat M_{ab}=\hat k(z_a,z_b)`,
:math:`\chi_a=\sum_b(N_b/n)\hat M_{ab}^2` exactly (cost O(m) per draw), and
:math:`\chi(z_a)=\sum_bp_b\kappa^2(z_a^Tz_b)`; the max runs over the atoms present.

Statement
---------
* ``wu2022.eq12.limit``: :math:`\chi_i\to\mathbb E_x[k^2(x_i,x)]=\chi(x_i)` as n, m → ∞.  Checked in the
  quantitative form the proof of Proposition F.7 derives from it (Eqs. (13)–(14)), which implies the
  limit: with m = n, the (1 − δ)-quantile of :math:`\max_i|\chi_i-\chi(x_i)|` is
  :math:`\le C\sqrt{\log(1/\delta)/n}` with C not growing in n.

The exact identity (12) itself is ``wu2022.eq12`` (module ``eq12``).

Evidence
--------
* ``constant``: :class:`~verifythm.evidence.constant.ConstantCheck`, size n = m, δ = 0.1; one
  draw is the empirical 0.9-quantile over R = 200 data/feature draws divided by
  :math:`\sqrt{\log(1/\delta)/n}`; per size the median of 12 draws; fit at n ∈ {256, 512}, held out at
  2048 (thorough: adds 8192).  Off the check (medians of 12 draws, R = 100): 0.537, 0.559, 0.545,
  0.554, 0.558, 0.567 at n = 128 … 16384 (flat).  Verdict (quick, seed 20221): fitted 0.584,
  held-out 0.577 (ratio 0.988), exponent ∈ [−0.031, 0.060]; seeds 1–8 verified (ratios 0.95–1.03);
  thorough (seed 20222) verified, exponent ∈ [−0.010, 0.010].  With the implied constant multiplied
  by :math:`n^{0.1}` it reports a counterexample (ratio 1.135, exponent ∈ [0.069, 0.159]).

References
----------
[wu2022alignment, Appendix F.2, Eq. (12); proof of Proposition F.7, Eqs. (13)–(14)].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Hypothesis, Source
from verifythm.claims.inputs import INT, REAL
from verifythm.evidence.constant import ConstantCheck

from . import KEY
from ._appf import ATOM_ANGLES, ATOM_WEIGHTS, kappa_angles

SOURCE = Source(KEY, "Eq. (12)")
DELTA = 0.1
REPS = 200

_A = np.array(ATOM_ANGLES)
_P = np.array(ATOM_WEIGHTS)
CHI_POP = (kappa_angles(_A) ** 2) @ _P


def deviation(rng: np.random.Generator, n: int, m: int, reps: int) -> np.ndarray:
    r"""``reps`` draws of :math:`\max_i|\chi_i-\chi(x_i)|` (4-atom data law, ReLU features on the circle)."""
    q = rng.multinomial(n, _P, size=reps) / n
    beta = rng.uniform(0.0, 2.0 * np.pi, (reps, m))
    F = np.sqrt(2.0) * np.maximum(np.cos(_A[None, :, None] - beta[:, None, :]), 0.0)
    M = np.einsum("ras,rbs->rab", F, F) / m
    chi = np.einsum("rab,rb->ra", M**2, q)
    return np.where(q > 0, np.abs(chi - CHI_POP), 0.0).max(axis=1)


def implied(point: dict[str, Any], rng: np.random.Generator) -> float:
    r"""One draw of :math:`q_{1-\delta}(\max_i|\chi_i-\chi(x_i)|)/\sqrt{\log(1/\delta)/n}`."""
    n, m, delta = int(point["n"]), int(point["m"]), float(point["delta"])
    dev = deviation(rng, n, m, REPS)
    return float(np.quantile(dev, 1.0 - delta)) / np.sqrt(np.log(1.0 / delta) / n)


def _pts(*ns: int) -> list[dict[str, Any]]:
    return [{"n": n, "m": n, "delta": DELTA} for n in ns]


CLAIMS = [
    Claim(
        id="wu2022.eq12.limit",
        title="χ_i → E_x k²(x_i, x) as n = m → ∞, at rate √(log(1/δ)/n) (4-atom data, ReLU features)",
        source=SOURCE,
        statement=(
            r"$\chi_i\to\mathbb E_x[k^2(x_i,x)]$ as $n,m\to\infty$. Checked in rate form (implies the "
            r"limit): with m = n, $q_{1-\delta}(\max_i|\chi_i-\chi(x_i)|)\le C\sqrt{\log(1/\delta)/n}$, "
            r"C not growing in n."
        ),
        hypotheses=(
            Hypothesis("m ≥ n ≥ 1", lambda t: t["m"] >= t["n"] >= 1),
            Hypothesis("0 < δ < 1/e", lambda t: 0 < t["delta"] < np.exp(-1)),
        ),
        checks=(
            ConstantCheck(
                "constant",
                implied,
                fit=_pts(256, 512),
                holdout=_pts(2048),
                thorough_holdout=_pts(8192),
                size="n",
                direction="upper",
                statistic="median",
                draws=12,
                note=f"n = m; one draw = empirical {1 - DELTA:g}-quantile over R={REPS} draws "
                "(4-atom ρ, exact χ_a)",
            ),
        ),
        kind="constant",
        inputs={"n": INT, "m": INT, "delta": REAL},
    ),
]
