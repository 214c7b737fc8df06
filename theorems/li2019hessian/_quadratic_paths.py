r"""Private helpers of the Theorem 3 multi-step module: exact SGD path laws on per-sample quadratics.

Used by :mod:`theorems.li2019hessian.thm3_convergence` (the telescoped drift and the
iteration count of (2)): batch compositions with multinomial probabilities, the exact law
of :math:`\theta_t` under the step sizes (35)/(36), the instance generators and the common
hypotheses.  :func:`batch_compositions` is also used by the simulation of ``_logistic.py``.
"""

from __future__ import annotations

import math
from itertools import combinations_with_replacement
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Hypothesis
from verifythm.claims.inputs import INT, REAL, array
from verifythm.strategies.scalars import reals


def batch_compositions(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Batch compositions of ``m`` draws with replacement from ``n``: probabilities and weights (K×n)."""
    probs, weights = [], []
    for combo in combinations_with_replacement(range(n), m):
        counts = np.bincount(np.asarray(combo, dtype=int), minlength=n)
        multinom = math.factorial(m)
        for c in counts:
            multinom //= math.factorial(int(c))
        probs.append(multinom / n**m)
        weights.append(counts / m)
    return np.asarray(probs), np.asarray(weights)


def paths(inst: dict[str, Any], precond: bool) -> list[dict[str, Any]]:
    """Exact law of θ_t, t = 0..T: per step the probabilities, the states and the drift terms."""
    H, B, L, pos, m, T = (inst[k] for k in ("H", "B", "L", "pos", "m", "T"))
    pb, W = batch_compositions(B.shape[0], m)
    bbar = B.mean(axis=0)
    th = inst["theta"][None, :]
    pr = np.ones(1)
    out = []
    for t in range(T + 1):
        mu = th @ H + bbar  # (S, p)
        G = (th @ H)[:, None, :] + B[None, :, :]  # (S, n, p)
        Md = np.mean(G * G, axis=1)  # (S, p)
        f = 0.5 * np.einsum("sp,pq,sq->s", th, H, th) + th @ bbar
        trM = Md.sum(axis=1)
        if precond:
            drift = np.sum(np.divide(mu**4, Md, out=np.zeros_like(Md), where=Md > 0), axis=1)
            lo = np.divide(mu**2, 2 * L * Md, out=np.zeros_like(Md), where=Md > 0)
        else:
            q = np.sum(mu * mu, axis=1)
            drift = np.divide(q * q, trM, out=np.zeros_like(q), where=trM > 0)
            lo = np.repeat(
                np.divide(q, 2 * L * trM, out=np.zeros_like(q), where=trM > 0)[:, None], mu.shape[1], 1
            )
        out.append({"p": pr, "f": f, "mu2": np.sum(mu * mu, axis=1), "drift": drift})
        if t == T:
            break
        step = lo * (1 + 2 * pos)  # (S, p)
        ghat = (th @ H)[:, None, :] + (W @ B)[None, :, :]  # (S, K, p)
        th = (th[:, None, :] - step[:, None, :] * ghat).reshape(-1, th.shape[1])
        pr = (pr[:, None] * pb[None, :]).ravel()
    return out


def generate(rng: np.random.Generator, k: int, pd: bool = False) -> list[dict[str, Any]]:
    r"""Seeded quadratics (:math:`LI`, random PSD and, unless ``pd``, random symmetric :math:`H`)."""
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        R = rng.standard_normal((p, p))
        kinds = [10 ** rng.uniform(-1, 1) * np.eye(p), R @ R.T + 0.1 * np.eye(p)]
        if not pd:
            kinds.append((R + R.T) / 2)
        H = kinds[i % len(kinds)]
        Lh = float(np.max(np.abs(np.linalg.eigvalsh(H))))
        out.append(
            {
                "H": H,
                "B": rng.standard_normal((n, p)) * 10 ** rng.uniform(-1, 1),
                "theta": rng.standard_normal(p) * 10 ** rng.uniform(-1, 1),
                "m": 1 if i % 2 == 0 else int(rng.integers(1, 3)),
                "T": int(rng.integers(1, 4)),
                "L": Lh if i % 4 else 1.5 * Lh,
                "pos": [1e-9, 1 - 1e-9, float(rng.uniform(0, 1))][(i // 2) % 3],
            }
        )
    return out


def generate_pd(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    r"""Seeded quadratics with positive definite :math:`H` (for :math:`f^*`)."""
    return generate(rng, k, pd=True)


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    r"""Hypothesis: small quadratics with :math:`H=I`, :math:`RR^T` or :math:`(R+R^T)/2`, L = ‖H‖₂."""
    n, p = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    el = reals(-3, 3)
    R = draw(hnp.arrays(float, (p, p), elements=el))
    H = draw(st.sampled_from([np.eye(p), R @ R.T, (R + R.T) / 2]))
    return {
        "H": H,
        "B": draw(hnp.arrays(float, (n, p), elements=el)),
        "theta": draw(hnp.arrays(float, (p,), elements=el)),
        "m": draw(st.integers(1, 2)),
        "T": draw(st.integers(1, 3)),
        "L": float(np.max(np.abs(np.linalg.eigvalsh(H)))),
        "pos": draw(st.floats(1e-9, 1 - 1e-9)),
    }


def _shapes(i: dict[str, Any]) -> bool:
    H, B, th, m, T = (i[k] for k in ("H", "B", "theta", "m", "T"))
    if not (H.ndim == 2 and np.allclose(H, H.T) and B.ndim == 2 and B.shape[1] == H.shape[0] == th.size):
        return False
    if not (1 <= m <= 16 and 1 <= T <= 4 and B.shape[0] <= 3 and 0 < i["pos"] < 1):
        return False
    if math.comb(B.shape[0] + m - 1, m) ** T > 10**5:
        return False  # number of enumerated batch-composition paths
    scale = float(np.max(np.abs(np.concatenate([B.ravel(), th, H.ravel()])))) if B.size else 0.0
    return bool(1e-30 < scale < 1e30 and i["L"] > 0)


def _assumption1(i: dict[str, Any]) -> bool:
    return bool(float(np.max(np.abs(np.linalg.eigvalsh(i["H"])))) <= i["L"] * (1 + 1e-12))


#: How the claims on these paths read an instance (:func:`paths` and the hypotheses rely on it;
#: the hypotheses check the axes).
INPUTS = {**dict.fromkeys(("H", "B", "theta"), array()), "m": INT, "T": INT, "L": REAL, "pos": REAL}
COMMON = (
    Hypothesis(
        "H symmetric, n ≤ 3, 1 ≤ m ≤ 16, 1 ≤ T ≤ 4, ≤ 1e5 batch paths, pos ∈ (0, 1), sizes in (1e-30, 1e30)",
        _shapes,
    ),
    Hypothesis("Assumption 1: ‖H‖₂ ≤ L", _assumption1),
)
