r"""Private helpers shared by the Lemma 4.1 modules of dexter2024precise (not collected).

* :func:`symbolic_part_ii`: the algebra closing the proof of Lemma 4.1 (ii) (also the replacement
  bound's algebra, in :mod:`.lemma4_1`).
* :func:`cond_ii` / :func:`gen_ii`: the hypotheses of Lemma 4.1 (ii) on an instance, and seeded
  instances meeting them (with the largest admissible :math:`\epsilon`).
* :data:`EQ3_COUNTEREXAMPLE`: the instance refuting Eq. (3) (:math:`k=2`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Identity, Nonnegative
from verifythm.strategies import family_instance

from ._common import noise_factor, sandwich_radius


def symbolic_part_ii() -> list[Any]:
    """Proof of Lemma 4.1 (ii): the binomial closing step and the contraction of J."""
    import sympy as sp

    u, v = sp.symbols("u v", positive=True)
    eps = 1 / (1 + u)  # ε ∈ (0, 1)
    e = sp.Symbol("epsilon", positive=True)
    out: list[Any] = []
    for k in (1, 2, 3, 4):
        lhs = sum(sp.binomial(k, r) * (1 - e) ** (2 * (k - r)) * e**r for r in range(k + 1))
        out.append(
            Identity(
                sp.expand(lhs),
                sp.expand(((1 - e) ** 2 + e) ** k),
                f"Σ_r C(k,r)δ^(k−r)ε^r = (δ + ε)^k, k = {k}",
            )
        )
    out.append(Nonnegative(sp.factor(1 - ((1 - eps) ** 2 + eps)), "1 − ((1 − ε)² + ε) = ε(1 − ε) ≥ 0"))
    # ηλ = ε + (2 − 2ε)·w with w = v/(1 + v) ∈ (0, 1): both margins of |1 − ηλ| < 1 − ε
    el = eps + (2 - 2 * eps) * v / (1 + v)
    out.append(Nonnegative(sp.factor((1 - eps) - (1 - el)), "1 − ηλ < 1 − ε on ε/η < λ"))
    out.append(Nonnegative(sp.factor((1 - eps) + (1 - el)), "1 − ηλ > −(1 − ε) on λ < (2 − ε)/η"))
    return out


def cond_ii(inst: dict[str, Any]) -> bool:
    Hs, B, eta, eps = inst["hessians"], inst["B"], inst["eta"], inst["eps"]
    n = Hs.shape[0]
    if not (1 <= B <= n and eta > 0 and 0 < eps < 1):
        return False
    w = np.linalg.eigvalsh(Hs.mean(axis=0))
    if not (eps / eta < w[0] and w[-1] < (2 - eps) / eta):
        return False
    return noise_factor(eta, n, B) * sandwich_radius(Hs) < eps


def gen_ii(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    i = 0
    while len(out) < k and i < 20 * k:
        i += 1
        n, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        w = np.linalg.eigvalsh(Hs.mean(axis=0))
        if not w[0] > 1e-3 * w[-1]:
            continue
        eta = float(rng.uniform(0.3, 1.7)) / w[-1]
        eps = 0.999 * min(eta * w[0], 2 - eta * w[-1])
        if not 0 < eps < 1:
            continue
        feasible = [B for B in range(1, n + 1) if noise_factor(eta, n, B) * sandwich_radius(Hs) < eps]
        out.append({"hessians": Hs, "B": int(rng.choice(feasible)), "eta": eta, "eps": eps})
    return out


_G = np.array([[-1.3, 0.9], [-2.0, -1.7], [1.1, -1.0], [-1.4, 0.0]])
EQ3_COUNTEREXAMPLE = {"hessians": np.einsum("ia,ib->iab", _G, _G), "B": 3, "eta": 0.6, "eps": 0.62, "k": 2}
