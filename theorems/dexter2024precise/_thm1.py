r"""Private helpers of the Theorem 1 first-moment claims of dexter2024precise (not collected).

On diagonal families every :math:`\hat J` is diagonal, so :math:`\mathbb E\|P_k\|_2\to\infty` iff
:math:`\max_j\mathbb E|1-\eta\hat h_j|>1`; these helpers decide it exactly.

* :func:`hyp_diag`: diagonal PSD members meeting Theorem 1's condition ((a) alone if ``gd_only``).
* :func:`first_moment`: the conclusion :math:`\max_j\mathbb E|1-\eta\hat h_j|\ge1`.
* :func:`diag_generator`: seeded diagonal families with :math:`\eta` above the threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Comparison, Hypothesis
from verifythm.claims.inputs import INT, REAL, array

from ._common import condition, diag_stack, diagonal_abs_moments, lambda1, threshold

#: The diagonal claims' inputs (any axes: :func:`hyp_diag` rejects what is not ``(n, d)``).
DIAG_INPUTS = {"diagonals": array(), "eta": REAL, "B": INT}


def hyp_diag(gd_only: bool) -> tuple[Hypothesis, ...]:
    def ok(inst: dict[str, Any]) -> bool:
        D, B = inst["diagonals"], inst["B"]
        n = D.shape[0]
        if D.ndim != 2 or np.any(D < 0) or not np.any(D > 0) or not 1 <= B <= n:
            return False
        return condition(diag_stack(D), inst["eta"], B, gd_only=gd_only)

    name = "H_i diagonal PSD and λ₁(H) > 2/η" + ("" if gd_only else " or λ₁(H) > (σ/η)(n/B − 1)^{-1/2}")
    return (Hypothesis(name, ok),)


def first_moment(inst: dict[str, Any]) -> Comparison:
    m = diagonal_abs_moments(inst["diagonals"], inst["eta"], inst["B"])
    return Comparison(float(np.max(m)), 1.0, ">=", "max_j E|1 − ηĥ_j| (growth of E‖P_k‖₂)", "1")


def diag_generator(gd_only: bool):
    def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(k):
            n, d = int(rng.integers(1, 9)), int(rng.integers(1, 4))
            D = rng.random((n, d)) ** 2 * (rng.random((n, d)) < 0.7)
            D[0, 0] = max(D[0, 0], 0.1)
            B = n if i % 4 == 0 else int(rng.integers(1, n + 1))
            Hs = diag_stack(D)
            lam = lambda1(Hs.mean(axis=0))
            a, b = threshold(Hs, B)
            base = a if gd_only else min(a, b)
            t = 1.001 if i % 5 == 0 else float(rng.uniform(1.001, 3.0))
            out.append({"diagonals": D, "eta": t * base / lam, "B": B})
        return out

    return generate
