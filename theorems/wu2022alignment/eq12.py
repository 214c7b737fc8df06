r"""Wu, Wang & Su (2022), Eq. (12): χ_i of a random feature model is a mean of squared kernel values.

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

Evidence
--------
* ``symbolic`` (eq12): symbolic features (n = 2 points, m = 2 features): :math:`g_1^TGg_1=
  \frac1n\sum_j\hat k(x_1,x_j)^2`.
* ``exact`` (eq12): χ from the dense m × m matrix G against the kernel-sum formula, at a drawn index i,
  on seeded ReLU feature models on :math:`\mathbb S^{d-1}` (d ≤ 4, n, m ≤ 16) and Gaussian features.
* ``property`` (eq12): Hypothesis over feature matrices of every kind of the project's vocabulary
  (:func:`~verifythm.strategies.gradient_matrices`, ReLU random features ``wu2022_relu`` included;
  n, m ≤ 12) and the index i.

Weakening: the exact identity fails at once with one side scaled by 1.1.  The limit the paper
draws from Eq. (12) is ``wu2022.eq12.limit`` (module ``eq12_limit``).

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
from verifythm.claims.inputs import INT, array
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import relu_features, sphere

SOURCE = Source(KEY, "Eq. (12)")


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
    P, i = inst["Phi"], inst["i"]
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


CLAIMS = [
    Claim(
        id="wu2022.eq12",
        title="Random features: χ_i = (1/n)Σ_j (g_iᵀg_j)² = (1/n)Σ_j k̂²(x_i, x_j)",
        source=SOURCE,
        statement=(
            r"For $g_i=m^{-1/2}(\varphi(x_i;w_s))_s$: $\chi_i=g_i^TGg_i=\frac1n\sum_j(g_i^Tg_j)^2="
            r"\frac1n\sum_j\hat k^2(x_i,x_j)$."
        ),
        hypotheses=(Hypothesis("n, m ≥ 1, 0 ≤ i < n", lambda t: 0 <= t["i"] < np.shape(t["Phi"])[0]),),
        conclusion=conclusion,
        checks=(
            SymbolicCheck("symbolic", _symbolic),
            ExactCheck("exact", _generate),
            PropertyCheck("property", _strategy(), max_examples=60),
        ),
        tolerance=Tolerance(rtol=1e-10, atol=1e-14),
        kind="identity",
        inputs={"Phi": array(), "i": INT},
    ),
]
