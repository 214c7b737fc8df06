r"""Wang & Wu (2023), Eq. (8): the second moments of linearized batch-one SGD along eigen-directions.

Setting
-------
Linearized SGD at an interpolating minimum: :math:`w=\theta-\theta^*`, :math:`\mathcal L(w)=\frac12w^TGw`,
:math:`w_{t+1}=w_t-\eta(Gw_t+\xi_t)` with the batch-one SGD noise
:math:`\xi_t=g_{i_t}g_{i_t}^Tw_t-Gw_t` (:math:`g_i` the model gradients at θ*, :math:`G=\frac1n\sum_ig_ig_i^T
=\sum_i\lambda_iu_iu_i^T`, :math:`\lambda_1\ge\lambda_2\ge\cdots`), :math:`w_{t,i}=u_i^Tw_t`.

Statement
---------
``wang2023.eq8``, Eq. (8):
:math:`\mathbb E[w_{t+1,i}^2]=(1-\eta\lambda_i)^2\mathbb E[w_{t,i}^2]+\eta^2\mathbb E[(u_i^T\xi_t)^2]`
(the cross term vanishes because :math:`\mathbb E[\xi_t\mid w_t]=0`).

Evidence
--------
* ``exact``: one step from a deterministic :math:`w_t`, expectation by enumerating the
  sampled index, against the right-hand side (worst eigen-index reported); seeded gradient families
  and step sizes.
* ``symbolic`` (Eq. (8)): one step enumerated over the sampled index for symbolic :math:`g_i`
  (:math:`p=2`, :math:`n=3`), :math:`w_t`, η and any direction :math:`u`: :math:`\mathbb E\xi_t=0` and
  :math:`\mathbb E(u^Tw_{t+1})^2=(u^T(I-\eta G)w_t)^2+\eta^2\mathbb E(u^T\xi_t)^2`; along an eigenvector the
  first term is :math:`(1-\eta\lambda_i)^2w_{t,i}^2`.
* ``property``: Hypothesis over ``gradient_matrices`` (every rank-one kind), :math:`w`,
  :math:`\eta\lambda_1\in[0.05,3]`.

The inequality :math:`P_{t,k}\ge D_{t,k}\lambda_k/\lambda_{k+1}` stated after Eq. (8) is
``wang2023.eq8.pd_ratio`` (``eq8_pd_ratio``).

References
----------
[wang2023noise, Section 5, Eq. (8) and the paragraph after it].
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
from verifythm.claims.inputs import REAL, array
from verifythm.strategies import FAMILIES, gradient_matrices, random_gradients, real_vectors, reals

from ._common import KEY
from ._symbolic import mean, sym_matrix, sym_vector

SOURCE = Source(KEY, "Section 5, Eq. (8)", page=7)


def eq8(inst: dict[str, Any]) -> Comparison:
    """One SGD step from a deterministic w: both sides of Eq. (8) at the worst eigen-index."""
    Q, w, eta = inst["Q"], inst["w"], inst["eta"]
    p, n = Q.shape
    G = Q @ Q.T / n
    lam, U = np.linalg.eigh(G)
    worst, pair, scale = -1.0, (0.0, 0.0), 1e-300
    for i in range(p):
        u = U[:, i]
        nxt = [u @ (w - eta * Q[:, j] * (Q[:, j] @ w)) for j in range(n)]
        lhs = float(np.mean(np.square(nxt)))
        xi_u = [u @ (Q[:, j] * (Q[:, j] @ w) - G @ w) for j in range(n)]
        rhs = (1 - eta * lam[i]) ** 2 * float(u @ w) ** 2 + eta**2 * float(np.mean(np.square(xi_u)))
        scale = max(scale, abs(lhs), abs(rhs))
        if abs(lhs - rhs) > worst:
            worst, pair = abs(lhs - rhs), (lhs, rhs)
    return Comparison(
        pair[0], pair[1], "==", "E[w_{t+1,i}²]", "(1−ηλ_i)²w_{t,i}² + η²E[(u_iᵀξ)²]", scale=scale
    )


def _gen_eq8(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 8)), int(rng.integers(1, 7))
        Q = random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])
        lam1 = float(np.linalg.eigvalsh(Q @ Q.T / n)[-1]) or 1.0
        out.append({"Q": Q, "w": rng.standard_normal(p), "eta": float(rng.uniform(0.05, 3.0) / lam1)})
    return out


def eq8_obligations() -> list[Identity]:
    """Eq. (8) by enumerating the sampled index: p = 2, n = 3, symbolic g_i, w, η, direction u.

    For every direction u, E[(uᵀw_{t+1})²] = (uᵀ(I − ηG)w)² + η²E[(uᵀξ)²] (the cross term has E ξ = 0);
    for an eigenvector u_i of G the first term is (1 − ηλ_i)²w_{t,i}² (checked with G = diag(λ) too).
    """
    import sympy as sp

    p, n = 2, 3
    Q, w, u = sym_matrix("q", p, n), sym_vector("w", p), sym_vector("u", p)
    eta = sp.Symbol("eta", positive=True)
    G = Q * Q.T / n
    nxt = [w - eta * Q[:, j] * (Q[:, j].T * w)[0, 0] for j in range(n)]  # batch-one SGD successors
    xi = [Q[:, j] * (Q[:, j].T * w)[0, 0] - G * w for j in range(n)]  # ξ = g_jg_jᵀw − Gw
    lhs = mean([(u.T * x)[0, 0] ** 2 for x in nxt])
    rhs = (u.T * (w - eta * G * w))[0, 0] ** 2 + eta**2 * mean([(u.T * x)[0, 0] ** 2 for x in xi])
    lam = sym_vector("l", p, positive=True)
    e1 = sp.Matrix([1, 0])
    return [
        Identity(mean(xi), sp.zeros(p, 1), "E[ξ_t | w_t] = 0"),
        Identity(lhs, rhs, "E[(uᵀw_{t+1})²] = (uᵀ(I − ηG)w_t)² + η²E[(uᵀξ_t)²]"),
        Identity(
            (e1.T * (w - eta * sp.diag(*lam) * w))[0, 0] ** 2,
            (1 - eta * lam[0]) ** 2 * w[0] ** 2,
            "eigen-direction u_1 of G = diag(λ): (u_1ᵀ(I − ηG)w)² = (1 − ηλ_1)²w_{t,1}²",
        ),
    ]


@st.composite
def _eq8_instances(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(1, 7)), draw(st.integers(1, 6))
    Q = draw(gradient_matrices(n=n, p=p))
    lam1 = float(np.linalg.eigvalsh(Q @ Q.T / n)[-1]) or 1.0
    return {"Q": Q, "w": draw(real_vectors(p, -2, 2)), "eta": draw(reals(0.05, 3.0)) / lam1}


EQ8 = Claim(
    id="wang2023.eq8",
    title="E[w_{t+1,i}²] = (1−ηλ_i)²E[w_{t,i}²] + η²E[(u_iᵀξ_t)²] (linearized batch-one SGD)",
    source=SOURCE,
    statement=r"$\mathbb E[w_{t+1,i}^2]=(1-\eta\lambda_i)^2\mathbb E[w_{t,i}^2]+\eta^2\mathbb "
    r"E[|u_i^T\xi_t|^2]$.",
    hypotheses=(
        Hypothesis(
            "finite inputs", lambda i: bool(np.all(np.isfinite(i["Q"])) and np.all(np.isfinite(i["w"])))
        ),
    ),
    conclusion=eq8,
    inputs={"Q": array(), "w": array(), "eta": REAL},
    checks=(
        SymbolicCheck("symbolic", eq8_obligations),
        PropertyCheck("property", _eq8_instances(), max_examples=40),
        ExactCheck(
            "exact",
            _gen_eq8,
            fixed=[{"Q": np.array([[1.0, 1.0], [0.0, 2.0]]), "w": np.array([1.0, -1.0]), "eta": 0.3}],
        ),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
    kind="identity",
)

CLAIM = EQ8
