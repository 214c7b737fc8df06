r"""Wu, Wang & Su (2022), Eq. (12): χ_i of a random feature model is a mean of squared kernel values; limit.

Setting
-------
Random feature model of Appendix F.2, :math:`f(x;\theta)=m^{-1/2}\sum_j\theta_j\varphi(x;w_j)`, so
:math:`g_i=m^{-1/2}(\varphi(x_i;w_1),\dots,\varphi(x_i;w_m))`, :math:`g_i^Tg_j=\hat k(x_i,x_j)=\frac1m
\sum_s\varphi(x_i;w_s)\varphi(x_j;w_s)`; :math:`\chi_i=g_i^TGg_i` with :math:`G=\frac1n\sum_jg_jg_j^T`
(Definition 2.1), :math:`k(x,x')=\mathbb E_w[\varphi(x;w)\varphi(x';w)]`,
:math:`\chi(x)=\mathbb E_{x'}k^2(x,x')`.

Statement
---------
* ``wu2022.eq12``: :math:`\chi_i=\frac1n\sum_j(g_i^Tg_j)^2=\frac1n\sum_j\hat k^2(x_i,x_j)` (exact, any
  data and features).
* ``wu2022.eq12.limit``: :math:`\chi_i\to\mathbb E_x[k^2(x_i,x)]=\chi(x_i)` as n, m → ∞.  Checked in the
  quantitative form the proof of Proposition F.7 derives from it (Eqs. (13)–(14)), which implies the
  limit: with m = n, the (1 − δ)-quantile of :math:`\max_i|\chi_i-\chi(x_i)|` is
  :math:`\le C\sqrt{\log(1/\delta)/n}` with C not growing in n.

Instances (limit): ReLU features :math:`\varphi(x;w)=\mathrm{ReLU}(w^Tx)`, :math:`w\sim\mathrm{Unif}(\sqrt2\,
\mathbb S^1)`, data from the 4-atom law on the circle of ``_appf`` (angles ``ATOM_ANGLES``, weights
``ATOM_WEIGHTS``; non-uniform, so the fluctuation of :math:`\chi_i` is of first order).  Points on the same
atom share :math:`\chi_i`, so with counts :math:`N_b` and :math:`\hat M_{ab}=\hat k(z_a,z_b)`,
:math:`\chi_a=\sum_b(N_b/n)\hat M_{ab}^2` exactly (cost O(m) per draw), and
:math:`\chi(z_a)=\sum_bp_b\kappa^2(z_a^Tz_b)`; the max runs over the atoms present.

Evidence
--------
* ``symbolic`` (eq12): symbolic features (n = 2 points, m = 2 features): :math:`g_1^TGg_1=
  \frac1n\sum_j\hat k(x_1,x_j)^2`.
* ``exact`` (eq12): χ from the dense m × m matrix G against the kernel-sum formula, at a drawn index i,
  on seeded ReLU feature models on :math:`\mathbb S^{d-1}` (d ≤ 4, n, m ≤ 16) and Gaussian features.
* ``property`` (eq12): Hypothesis over feature matrices of every kind of the project's vocabulary
  (:func:`~verifythm.strategies.gradient_matrices`, ReLU random features ``wu2022_relu`` included;
  n, m ≤ 12) and the index i.
* ``constant`` (limit): :class:`~verifythm.evidence.constant.ConstantCheck`, size n = m, δ = 0.1; one
  draw is the empirical 0.9-quantile over R = 200 data/feature draws divided by
  :math:`\sqrt{\log(1/\delta)/n}`; per size the median of 12 draws; fit at n ∈ {256, 512}, held out at
  2048 (thorough: adds 8192).  Off the check (medians of 12 draws, R = 100): 0.537, 0.559, 0.545,
  0.554, 0.558, 0.567 at n = 128 … 16384 (flat).  Verdict (quick, seed 20221): fitted 0.584,
  held-out 0.577 (ratio 0.988), exponent ∈ [−0.031, 0.060]; seeds 1–8 verified (ratios 0.95–1.03);
  thorough (seed 20222) verified, exponent ∈ [−0.010, 0.010].  With the implied constant multiplied
  by :math:`n^{0.1}` it reports a counterexample (ratio 1.135, exponent ∈ [0.069, 0.159]).  The exact
  identity fails at once with one side scaled by 1.1.

References
----------
[wu2022alignment, Appendix F.2, Eq. (12); proof of Proposition F.7, Eqs. (13)–(14)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.evidence.constant import ConstantCheck
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import ATOM_ANGLES, ATOM_WEIGHTS, kappa_angles, relu_features, sphere

SOURCE = Source(KEY, "Eq. (12)")
DELTA = 0.1
REPS = 200


def chi_dense(P: np.ndarray) -> np.ndarray:
    r""":math:`\chi_i=g_i^TGg_i` with :math:`g_i=m^{-1/2}\Phi_{i\cdot}` and the m × m Fisher G."""
    n, m = P.shape
    Q = P.T / np.sqrt(m)
    G = Q @ Q.T / n
    return np.einsum("si,st,ti->i", Q, G, Q)


def chi_kernel(P: np.ndarray) -> np.ndarray:
    r"""The kernel form :math:`\frac1n\sum_j\hat k^2(x_i,x_j)` of :math:`\chi_i`."""
    n, m = P.shape
    khat = np.array([[float(P[i] @ P[j]) / m for j in range(n)] for i in range(n)])
    return np.sum(khat**2, axis=1) / n


def conclusion(inst: dict[str, Any]) -> Comparison:
    """χ_i (Fisher form) versus (1/n)Σ_j k̂²(x_i, x_j) at index i."""
    P, i = np.asarray(inst["Phi"], float), int(inst["i"])
    return Comparison(chi_dense(P)[i], chi_kernel(P)[i], "==", "g_iᵀGg_i", "(1/n)Σ_j k̂²(x_i,x_j)")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for t in range(min(k, 60)):
        n, m, d = int(rng.integers(1, 17)), int(rng.integers(1, 17)), int(rng.integers(1, 5))
        if t % 3 == 2:
            P = rng.standard_normal((n, m))
        else:
            P = relu_features(sphere(rng, n, d), sphere(rng, m, d, np.sqrt(d)))
        out.append({"Phi": P, "i": int(rng.integers(n))})
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Phi = draw(gradient_matrices(n=st.integers(1, 12), p=st.integers(1, 12))).T  # rows: points
    return {"Phi": Phi, "i": draw(st.integers(0, Phi.shape[0] - 1))}


def _symbolic() -> list[Any]:
    import sympy as sp

    Phi = sp.Matrix(2, 2, sp.symbols("phi1:5", real=True))  # rows: points, columns: features
    n = m = 2
    g = [Phi[i, :].T / sp.sqrt(m) for i in range(n)]
    G = sum((gi * gi.T for gi in g), sp.zeros(m)) / n
    khat = [(Phi[0, :] * Phi[j, :].T)[0] / m for j in range(n)]
    return [Identity((g[0].T * G * g[0])[0], sum(x**2 for x in khat) / n, "χ₁ = (1/n)Σ_j k̂²(x₁,x_j)")]


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
        id="wu2022.eq12",
        title="Random features: χ_i = (1/n)Σ_j (g_iᵀg_j)² = (1/n)Σ_j k̂²(x_i, x_j)",
        source=SOURCE,
        statement=(
            r"For $g_i=m^{-1/2}(\varphi(x_i;w_s))_s$: $\chi_i=g_i^TGg_i=\frac1n\sum_j(g_i^Tg_j)^2="
            r"\frac1n\sum_j\hat k^2(x_i,x_j)$."
        ),
        hypotheses=(Hypothesis("n, m ≥ 1, 0 ≤ i < n", lambda t: 0 <= int(t["i"]) < np.shape(t["Phi"])[0]),),
        conclusion=conclusion,
        checks=(
            SymbolicCheck("symbolic", _symbolic),
            ExactCheck("exact", _generate),
            PropertyCheck("property", _strategy(), max_examples=60),
        ),
        tolerance=Tolerance(rtol=1e-10, atol=1e-14),
        kind="identity",
    ),
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
            Hypothesis("m ≥ n ≥ 1", lambda t: int(t["m"]) >= int(t["n"]) >= 1),
            Hypothesis("0 < δ < 1/e", lambda t: 0 < float(t["delta"]) < np.exp(-1)),
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
    ),
]
