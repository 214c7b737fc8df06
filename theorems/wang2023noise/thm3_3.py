r"""Wang & Wu (2023), Theorem 3.3: loss alignment of linear models, uniformly over θ.

Setting
-------
Linear regression :math:`f(x;\theta)=\theta^Tx`, inputs :math:`x_i\sim\mathcal N(0,S)` i.i.d.
(Assumption 2.1), :math:`d_{\rm eff}=\min\{\operatorname{srk}(S),\operatorname{srk}(S^2)\}`, realizable
targets :math:`y_i=\langle w^*,x_i\rangle` (as in Figure 1).  With :math:`c_i=\frac1n\sum_j(x_i^Tx_j)^2`,
:math:`\mu(\theta)=\sum_ie_i^2c_i/(\sum_ie_i^2\,\bar c)` (``wang2023.def3_1.gram_form``), a Rayleigh quotient
of :math:`\operatorname{diag}(c/\bar c)` over the residuals :math:`e=X\theta-y`, so
:math:`\inf_\theta\mu` and :math:`\sup_\theta\mu` are extreme eigenvalues (exact).

Statement
---------
For :math:`\epsilon,\delta\in(0,1)`, if :math:`n/\log(n/\delta)\gtrsim1/\epsilon^2` and
:math:`d_{\rm eff}\gtrsim\log(n/\delta)/\epsilon^2`, then with probability at least :math:`1-\delta`, for all
θ, :math:`(1-\epsilon)^2/(1+\epsilon)^2\le\mu(\theta)\le(1+\epsilon)^2/(1-\epsilon)^2`.

Claims
------
* ``wang2023.thm3_3.deterministic_lower`` / ``_upper`` (the proof's Eq. (9), for *any* data):
  :math:`\min_ic_i/\max_ic_i\le\inf_\theta\mu` and :math:`\sup_\theta\mu\le\max_ic_i/\min_ic_i`.
  Tight when all :math:`c_i` agree (orthogonal equal-norm inputs, :math:`n=1`).
* ``wang2023.thm3_3`` (the probabilistic statement, hidden constants).  Solving the two-sided bound
  for ε gives the smallest ε that works on a data set,
  :math:`\hat\epsilon=\max\{(1-\sqrt{\inf\mu})/(1+\sqrt{\inf\mu}),(\sqrt{\sup\mu}-1)/(\sqrt{\sup\mu}+1)\}`.
  The theorem says that, w.p. :math:`\ge1-\delta`,
  :math:`\hat\epsilon\le C\max\{\sqrt{\log(n/\delta)/n},\sqrt{\log(n/\delta)/d_{\rm eff}}\}` for an absolute
  :math:`C`.  At each size of a sweep (isotropic :math:`S=I_d` and Figure 1's anisotropic
  :math:`S=\operatorname{diag}(k^{-1/2})`; regimes :math:`n<d`, :math:`n=d`, :math:`n>d`; :math:`n` from 16
  to 512, :math:`d` from 32 to 512) we draw :math:`R=20` data sets with a fixed seed, take the empirical
  :math:`(1-\delta)`-quantile, :math:`\delta=0.1`, of the implied constant
  :math:`\hat C=\hat\epsilon/\max\{\cdot\}`, and require :math:`\hat C\le C_{\rm est}=0.8`.

  Decision rule and its limits: :math:`C_{\rm est}` was estimated on this very sweep (largest observed
  quantile 0.76, at the *smallest* proportional size :math:`n=d=32`), so the check is a consistency
  check that *one* constant explains every size; what makes it evidence is that the observed constants
  are flat along each family while :math:`n, d` grow 8–16× (observed at seed 2023: :math:`n<d` 0.44,
  0.43; :math:`n=d` 0.76, 0.69, 0.69; :math:`n>d` 0.23, 0.20; anisotropic 0.21, 0.16, 0.28, 0.21).  A
  missing factor such as :math:`\sqrt n` or :math:`\log d` would raise the largest sizes above 0.8 and
  turn it red.  Seeds are fixed, so the verdict is deterministic; the quantile of 20 draws is itself
  noisy (±15 % between seeds), which is why no tighter per-family constant is asserted.  Note also that
  small :math:`n` is easy, not hard: :math:`n=1` gives :math:`\mu\equiv1`, so "the smallest :math:`n`
  that works" is 1 and the :math:`n`-condition only matters in the proportional regime.

Evidence
--------
* ``exact`` (deterministic claims): exact :math:`\inf_\theta\mu`, :math:`\sup_\theta\mu` from
  :func:`~verifythm.quantities.directional.loss_alignment_extremes_theta` on seeded Gaussian/anisotropic/
  heavy-tailed data and arbitrary targets, plus equality cases.
* ``exact`` (``wang2023.thm3_3``): the sweep above, exact extremes per draw.

References
----------
[wang2023noise, Theorem 3.3; Appendix B.2, Eq. (9) and Steps I–III].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source, Tolerance
from verifythm.quantities.directional import loss_alignment_extremes_theta

from ._common import KEY, finite

SOURCE = Source(KEY, "Theorem 3.3; App. B.2 Eq. (9)", page=4)
DELTA, REPS, C_EST = 0.1, 20, 0.8


def _c(X: np.ndarray) -> np.ndarray:
    X = X / max(np.abs(X).max(), 1e-300)
    K = X @ X.T
    return (K * K).sum(axis=1) / X.shape[0]


def lower(inst: dict[str, Any]) -> Comparison:
    """Exact inf_θ μ versus min c / max c."""
    c = _c(np.asarray(inst["X"], float))
    ex = loss_alignment_extremes_theta(inst["X"], inst["y"])
    return Comparison(ex.inf, float(c.min() / c.max()), ">=", "inf_θ μ(θ)", "min c_i / max c_i")


def upper(inst: dict[str, Any]) -> Comparison:
    """Exact sup_θ μ versus max c / min c."""
    c = _c(np.asarray(inst["X"], float))
    ex = loss_alignment_extremes_theta(inst["X"], inst["y"])
    return Comparison(ex.sup, float(c.max() / c.min()), "<=", "sup_θ μ(θ)", "max c_i / min c_i")


def _gen_data(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 10)), int(rng.integers(1, 10))
        X = rng.standard_normal((n, d))
        if i % 3 == 1:
            X *= 10 ** rng.uniform(-1, 1, size=d)[None, :]
        if i % 3 == 2:
            X = rng.standard_t(2.5, size=(n, d))
        y = X @ rng.standard_normal(d) if i % 2 else rng.standard_normal(n)
        out.append({"X": X, "y": y})
    return out


_EQUAL = [
    {"X": np.eye(2), "y": np.array([1.0, -2.0])},
    {"X": np.array([[3.0, -1.0, 2.0]]), "y": np.array([0.5])},
    {"X": np.array([[1.0, 1.0], [1.0, -1.0]]), "y": np.array([1.0, 0.0])},
]
_HYP = (
    finite("X", "y"),
    Hypothesis("no input is zero (c_i > 0)", lambda i: bool(np.all(_c(np.asarray(i["X"], float)) > 0))),
)

DET_LOWER = Claim(
    id="wang2023.thm3_3.deterministic_lower",
    title="inf_θ μ(θ) ≥ min_i c_i / max_i c_i for linear regression on any data (proof of Thm 3.3)",
    source=SOURCE,
    statement=r"For any $X$, $y$: $\inf_\theta\mu(\theta)\ge\min_ic_i/\max_ic_i$, "
    r"$c_i=\frac1n\sum_j(x_i^Tx_j)^2$.",
    hypotheses=_HYP,
    conclusion=lower,
    checks=(ExactCheck("exact", _gen_data, fixed=_EQUAL),),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
)

DET_UPPER = Claim(
    id="wang2023.thm3_3.deterministic_upper",
    title="sup_θ μ(θ) ≤ max_i c_i / min_i c_i for linear regression on any data (proof of Thm 3.3)",
    source=SOURCE,
    statement=r"For any $X$, $y$: $\sup_\theta\mu(\theta)\le\max_ic_i/\min_ic_i$.",
    hypotheses=_HYP,
    conclusion=upper,
    checks=(ExactCheck("exact", _gen_data, fixed=_EQUAL),),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
)


# ----------------------------------------------------------------------------- the w.h.p. statement


def _mu_extremes_realizable(X: np.ndarray) -> tuple[float, float]:
    """Exact inf/sup of μ over θ for realizable targets (e ranges over range X)."""
    c = _c(X)
    w = c / c.mean()
    n, d = X.shape
    if n <= d:  # Gaussian X has full row rank a.s.: e ranges over all of R^n
        return float(w.min()), float(w.max())
    Qm, _ = np.linalg.qr(X)
    ev = np.linalg.eigvalsh((Qm.T * w) @ Qm)
    return float(ev[0]), float(ev[-1])


def eps_hat(lo: float, hi: float) -> float:
    """The smallest ε with (1−ε)²/(1+ε)² ≤ lo and hi ≤ (1+ε)²/(1−ε)²."""
    a, b = np.sqrt(lo), np.sqrt(hi)
    return float(max((1 - a) / (1 + a), (b - 1) / (b + 1)))


def _spectrum(d: int, aniso: bool) -> np.ndarray:
    return 1.0 / np.sqrt(np.arange(1, d + 1)) if aniso else np.ones(d)


def d_eff(spec: np.ndarray) -> float:
    """Effective input dimension min{srk(S), srk(S²)} of a diagonal covariance."""
    return float(min(spec.sum() / spec.max(), (spec**2).sum() / (spec**2).max()))


def implied_constant(inst: dict[str, Any]) -> Comparison:
    """(1−δ)-quantile over R seeded draws of ε̂ / max(√(log(n/δ)/n), √(log(n/δ)/d_eff)) versus C_est."""
    n, d, aniso = int(inst["n"]), int(inst["d"]), bool(inst["aniso"])
    spec = _spectrum(d, aniso)
    rng = np.random.default_rng([int(inst["seed"]), n, d, int(aniso)])
    rate = max(np.sqrt(np.log(n / DELTA) / n), np.sqrt(np.log(n / DELTA) / d_eff(spec)))
    eps = [
        eps_hat(*_mu_extremes_realizable(rng.standard_normal((n, d)) * np.sqrt(spec))) for _ in range(REPS)
    ]
    q = float(np.quantile(eps, 1 - DELTA))
    return Comparison(q / rate, C_EST, "<=", "q_{1−δ}(ε̂)/rate", "C_est")


SWEEP = [
    {"n": n, "d": d, "aniso": a, "seed": 2023}
    for a, sizes in (
        (False, [(16, 64), (64, 256), (32, 32), (128, 128), (256, 256), (128, 32), (512, 128)]),
        (True, [(16, 64), (128, 512), (32, 32), (256, 256)]),
    )
    for n, d in sizes
]

THM = Claim(
    id="wang2023.thm3_3",
    title="w.h.p. (1−ε)²/(1+ε)² ≤ μ(θ) ≤ (1+ε)²/(1−ε)² for all θ (linear model; estimated constant)",
    source=Source(KEY, "Theorem 3.3", page=4),
    statement=(
        r"If $n/\log(n/\delta)\gtrsim1/\epsilon^2$ and $d_{\rm eff}\gtrsim\log(n/\delta)/\epsilon^2$ "
        r"then w.p. "
        r"$\ge1-\delta$, $\forall\theta$: "
        r"$(1-\epsilon)^2/(1+\epsilon)^2\le\mu(\theta)\le(1+\epsilon)^2/(1-\epsilon)^2$. "
        r"Encoded: the implied constant $\hat C$ stays below $C_{\rm est}=0.8$ over a size sweep."
    ),
    hypotheses=(),
    conclusion=implied_constant,
    checks=(ExactCheck("exact", fixed=SWEEP, note=f"R={REPS} seeded draws per size, δ={DELTA}"),),
    kind="constant",
)

CLAIMS = [DET_LOWER, DET_UPPER, THM]
