r"""Wang & Wu (2023), Figure 3: GD's escape ratio vanishes, SGD's grows with srk(G²).

Setting
-------
Linear regression with :math:`w^*=0`, :math:`G=\frac1n\sum_ix_ix_i^T=\sum_k\lambda_ku_ku_k^T`, and the escape
ratio :math:`D_{t,1}=\sum_{i\ge2}\lambda_i\mathbb Ew_{t,i}^2/(\lambda_1\mathbb Ew_{t,1}^2)` (§5).  The
experiment is that of :mod:`._figures` (committed data and images in ``docs/figures/wang2023``), scaled
down from :math:`n=10^5,d=10^3` to :math:`n=800,d=40`: inputs
:math:`\mathcal N(0,\operatorname{diag}(\lambda)/d)`, :math:`\lambda_1=1`, :math:`\lambda_{2..d}` set by the
population :math:`\operatorname{srk}(G^2)`, :math:`w_0\sim\mathcal N(0,e^{-10}I/d)`, :math:`T=30`.

Statement
---------
* ``wang2023.fig3.gd_vanishes`` (Fig. 3, §5): GD at :math:`\eta=4/(\lambda_1+\lambda_2)` drives
  :math:`D_{t,1}` to 0 exponentially: the last step shrinks it by at least
  :math:`\rho^2=\max_{i\ge2}(1-\eta\lambda_i)^2/(1-\eta\lambda_1)^2`, and :math:`\rho<1` whenever
  :math:`\lambda_1>\lambda_2` (as :math:`\eta\lambda_1>2`; ``wang2023.prop5_3.decay``).  Tight: the
  per-step factor tends to :math:`\rho^2` from below.
* ``wang2023.fig3.sgd_grows_with_srk`` (same text): batch-one SGD at :math:`\eta=1.2/\|G\|_F`:
  :math:`D_{T,1}` increases with :math:`\operatorname{srk}(G^2)`: for :math:`2\le s<s'\le20` (the plotted
  range of :mod:`._figures`) built from the same draws, :math:`D_{T,1}(s')\ge D_{T,1}(s)`.

Evidence
--------
* ``exact``: exact second moments from the engine (:func:`~verifythm.dynamics.moment_operator`, with
  replacement, :math:`B=1`; GD) at the scaled-down size (the engine costs :math:`O(n^2)` per step: 3 s per
  setting at :math:`n=2000`), on the plotted srk grid and profile-seeded srk values and draws.
  Deterministic given the draw.

Not checked: the absolute level of SGD's plateau ("remains significantly large"): the paper gives it only
up to Theorem 5.2's hidden constant; the engine gives :math:`D_{T,1}/(\operatorname{srk}(G^2)-1)` between
0.94 and 1.15 over :math:`s\in[2,20]`, so any fixed constant is a convention.

No symbolic check: figure-level trends (:math:`D_{t,1}` against srk) measured on exact-engine runs; the
  algebra behind them is derived in ``wang2023.thm5_2``.
No property check: each instance is one seeded draw of the figure's own experiment, not a quantifier over
  families.

References
----------
[wang2023noise, Section 5, Figure 3 and the text before it (p. 7); Appendix A].
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source
from verifythm.claims.inputs import INT, REAL
from verifythm.dynamics import Family, moment_operator
from verifythm.quantities.directional import escape_ratios

from . import _figures as F
from ._common import KEY

F3_D, F3_N, F3_T = F.F3_D, F.F3_N, 30
SRK_RANGE = (2.0, 20.0)
SOURCE3 = Source(KEY, "Section 5, Figure 3", page=7)


@functools.lru_cache(maxsize=64)
def _fig3_family(srk: float, seed: int) -> tuple[Family, np.ndarray]:
    """Data for population srk(G²) = ``srk``; the draws depend on ``seed`` only (common to every srk)."""
    rng = np.random.default_rng([F.SEED, 5, F3_D, F3_N, seed])
    Z = rng.standard_normal((F3_N, F3_D))
    w0 = rng.standard_normal(F3_D) * math.sqrt(math.exp(-10) / F3_D)
    lam2 = math.sqrt((srk - 1.0) / (F3_D - 1))
    X = Z * np.sqrt(np.r_[1.0, np.full(F3_D - 1, lam2)] / F3_D)[None, :]
    fam = Family.from_gradients(X)
    return fam, fam.reduce_residuals(X @ w0)


def _escape_curve(srk: float, seed: int, scheme: str) -> np.ndarray:
    r""":math:`D_{t,1}`, :math:`t=0..T`, from the engine's exact second moments (eigen-coordinates)."""
    fam, y0 = _fig3_family(srk, seed)
    lam = fam.eigenvalues
    if scheme == "sgd":
        op = moment_operator(fam, 1.2 / float(np.linalg.norm(lam)), 1, "with-replacement")
    else:
        op = moment_operator(fam, 4.0 / float(lam[0] + lam[1]), sampling="gd")
    W = op.iterate(np.outer(y0, y0), F3_T)
    rms = np.sqrt(np.array([np.clip(np.diag(Wt), 0.0, None) for Wt in W]))
    return escape_ratios(rms, lam, np.eye(lam.size), 1).D


sgd_curve = functools.lru_cache(maxsize=64)(lambda srk, seed: _escape_curve(srk, seed, "sgd"))


def gd_last_factor(inst: dict[str, Any]) -> Comparison:
    """GD: D_{T,1}/D_{T−1,1} against ρ² = max_{i≥2}(1−ηλ_i)²/(1−ηλ_1)²."""
    srk, seed = inst["srk"], inst["seed"]
    D = _escape_curve(srk, seed, "gd")
    lam = _fig3_family(srk, seed)[0].eigenvalues
    eta = 4.0 / float(lam[0] + lam[1])
    rho2 = float(np.max((1 - eta * lam[1:]) ** 2) / (1 - eta * lam[0]) ** 2)
    return Comparison(D[-1] / D[-2], rho2, "<=", "D_{T,1}/D_{T−1,1} (GD)", "ρ² < 1")


def sgd_order(inst: dict[str, Any]) -> Comparison:
    """SGD: D_{T,1} at srk(G²) = s' against D_{T,1} at s < s' (same draws)."""
    s, s2, seed = inst["srk"], inst["srk2"], inst["seed"]
    return Comparison(sgd_curve(s2, seed)[-1], sgd_curve(s, seed)[-1], ">=", "D_{T,1}(s')", "D_{T,1}(s)")


def _f3_ok(inst: dict[str, Any]) -> bool:
    lo, hi = SRK_RANGE
    s, s2 = inst["srk"], inst.get("srk2", hi)
    return lo <= s <= hi and s < s2 <= hi and inst["seed"] >= 0


def _f3_gd_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    m = 12 if k > 100 else 3
    return [{"srk": float(s), "seed": int(rng.integers(1, 1_000_000))} for s in rng.uniform(*SRK_RANGE, m)]


def _f3_sgd_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    m = 12 if k > 100 else 1
    out = []
    for _ in range(m):
        s = float(rng.uniform(SRK_RANGE[0], SRK_RANGE[1] / 1.1))
        out.append({"srk": s, "srk2": s * float(rng.uniform(1.02, 1.1)), "seed": int(rng.integers(1, 10**6))})
    return out


_F3_GRID = tuple(F.F3_SRK)
_F3_INPUTS = {"srk": REAL, "srk2": REAL, "seed": INT}
_F3_HYP = (Hypothesis("2 ≤ srk(G²) < srk'(G²) ≤ 20 (the plotted range), n = 800, d = 40", _f3_ok),)

GD_VANISHES = Claim(
    id="wang2023.fig3.gd_vanishes",
    title="Figure 3: for GD, D_{t,1} falls to 0 geometrically, by at least ρ² < 1 per step",
    source=SOURCE3,
    statement=(
        r"Linear regression, $w^*=0$, GD at $\eta=4/(\lambda_1+\lambda_2)$ from $w_0\sim\mathcal N(0,"
        r"e^{-10}I/d)$: $D_{T,1}\le\rho^2D_{T-1,1}$ with "
        r"$\rho=\max_{i\ge2}|1-\eta\lambda_i|/|1-\eta\lambda_1|<1$ ($\lambda_1>\lambda_2$)."
    ),
    hypotheses=_F3_HYP,
    conclusion=gd_last_factor,
    inputs=_F3_INPUTS,
    checks=(ExactCheck("exact", _f3_gd_generate, fixed=[{"srk": s, "seed": 0} for s in _F3_GRID]),),
)

SGD_GROWS_WITH_SRK = Claim(
    id="wang2023.fig3.sgd_grows_with_srk",
    title="Figure 3: SGD's D_{T,1} increases with srk(G²) (same draws, 2 ≤ srk ≤ 20)",
    source=SOURCE3,
    statement=(
        r"Same data, batch-one SGD at $\eta=1.2/\|G\|_F$, exact second moments: for "
        r"$2\le s<s'\le20$, $D_{T,1}(s')\ge D_{T,1}(s)$ at $T=30$."
    ),
    hypotheses=_F3_HYP,
    conclusion=sgd_order,
    inputs=_F3_INPUTS,
    checks=(
        ExactCheck(
            "exact",
            _f3_sgd_generate,
            fixed=[{"srk": a, "srk2": b, "seed": 0} for a, b in itertools.pairwise(_F3_GRID)]
            + [{"srk": 10.0, "srk2": 10.5, "seed": 0}],
        ),
    ),
)

CLAIMS = [GD_VANISHES, SGD_GROWS_WITH_SRK]
