r"""Wang & Wu (2023), Eq. (8) and the inequality :math:`P_{t,k}\ge D_{t,k}\lambda_k/\lambda_{k+1}` (§5).

Setting
-------
Linearized SGD at an interpolating minimum: :math:`w=\theta-\theta^*`, :math:`\mathcal L(w)=\frac12w^TGw`,
:math:`w_{t+1}=w_t-\eta(Gw_t+\xi_t)` with the batch-one SGD noise
:math:`\xi_t=g_{i_t}g_{i_t}^Tw_t-Gw_t` (:math:`g_i` the model gradients at θ*, :math:`G=\frac1n\sum_ig_ig_i^T
=\sum_i\lambda_iu_iu_i^T`, :math:`\lambda_1\ge\lambda_2\ge\cdots`), :math:`w_{t,i}=u_i^Tw_t`.

Statement
---------
1. Eq. (8): :math:`\mathbb E[w_{t+1,i}^2]=(1-\eta\lambda_i)^2\mathbb E[w_{t,i}^2]+\eta^2\mathbb
  E[(u_i^T\xi_t)^2]`
   (the cross term vanishes because :math:`\mathbb E[\xi_t\mid w_t]=0`).
2. "It is easy to show": :math:`P_{t,k}\ge D_{t,k}\,\lambda_k/\lambda_{k+1}` whenever :math:`\lambda_{k+1}>0`.

Evidence
--------
* ``wang2023.eq8`` ``exact``: one step from a deterministic :math:`w_t`, expectation by enumerating the
  sampled index, against the right-hand side (worst eigen-index reported); seeded gradient families
  and step sizes.
* ``wang2023.eq8.pd_ratio`` ``exact``: :math:`D_{t,k}, P_{t,k}` from
  :func:`~verifythm.quantities.directional.escape_ratios` on random second-moment profiles and all
  :math:`k`; equality when the mass sits on :math:`u_k` and :math:`u_{k+1}` only (included).

References
----------
[wang2023noise, Section 5, Eq. (8) and the paragraph after it].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source, Tolerance
from verifythm.quantities.directional import escape_ratios
from verifythm.strategies import FAMILIES, random_gradients

from ._common import KEY

SOURCE = Source(KEY, "Section 5, Eq. (8)", page=7)


def eq8(inst: dict[str, Any]) -> Comparison:
    """One SGD step from a deterministic w: both sides of Eq. (8) at the worst eigen-index."""
    Q, w, eta = np.asarray(inst["Q"], float), np.asarray(inst["w"], float), float(inst["eta"])
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


def pd_ratio(inst: dict[str, Any]) -> Comparison:
    """P_{t,k} against D_{t,k}·λ_k/λ_{k+1} from a second-moment profile."""
    lam, m, k = np.asarray(inst["lam"], float), np.asarray(inst["m"], float), int(inst["k"])
    order = np.argsort(-lam, kind="stable")
    lam, m = lam[order], m[order]
    R = escape_ratios(np.sqrt(m)[None, :], lam, np.eye(lam.size), k)
    return Comparison(
        float(R.P[0]), float(R.D[0]) * lam[k - 1] / lam[k], ">=", "P_{t,k}", "D_{t,k}·λ_k/λ_{k+1}"
    )


def _gen_pd(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(2, 9))
        lam = np.sort(10 ** rng.uniform(-2, 1, size=p))[::-1]
        kk = int(rng.integers(1, p))
        m = rng.exponential(size=p)
        if i % 3 == 0:  # mass on u_k and u_{k+1} only: equality
            m = np.zeros(p)
            m[kk - 1], m[kk] = rng.exponential(size=2)
        out.append({"lam": lam, "m": m, "k": kk})
    return out


def _pd_ok(inst: dict[str, Any]) -> bool:
    lam, m, k = np.sort(np.asarray(inst["lam"], float))[::-1], np.asarray(inst["m"], float), int(inst["k"])
    order = np.argsort(-np.asarray(inst["lam"], float), kind="stable")
    m = m[order]
    return bool(
        1 <= k < lam.size and lam[k] > 0 and np.all(m >= 0) and m[:k].sum() > 0 and lam[:k] @ m[:k] > 0
    )


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
    checks=(
        ExactCheck(
            "exact",
            _gen_eq8,
            fixed=[{"Q": np.array([[1.0, 1.0], [0.0, 2.0]]), "w": np.array([1.0, -1.0]), "eta": 0.3}],
        ),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
    kind="identity",
)

PD = Claim(
    id="wang2023.eq8.pd_ratio",
    title="P_{t,k} ≥ D_{t,k}·λ_k/λ_{k+1}",
    source=Source(KEY, "Section 5, after Eq. (8)", page=7),
    statement=r"$P_{t,k}\ge D_{t,k}\lambda_k/\lambda_{k+1}$ for $\lambda_{k+1}>0$.",
    hypotheses=(Hypothesis("λ sorted with λ_{k+1} > 0, E w² ≥ 0, X_t > 0", _pd_ok),),
    conclusion=pd_ratio,
    checks=(
        ExactCheck(
            "exact", _gen_pd, fixed=[{"lam": np.array([2.0, 1.0]), "m": np.array([1.0, 1.0]), "k": 1}]
        ),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-12),
)

CLAIMS = [EQ8, PD]
