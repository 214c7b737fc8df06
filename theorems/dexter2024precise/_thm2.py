r"""Private helpers of the Theorem 2 modules of dexter2024precise (not collected).

* :func:`eta_threshold`: :math:`2\sigma/(\lambda_1(\sigma+n/B-1))`, Theorem 2's bound on :math:`\eta`.
* :func:`construction`: the proof's family (:func:`verifythm.strategies.dexter2024_thm2_family`).
* :data:`ADMISSIBLE`: the parameters' hypothesis (:math:`n\in\mathbb N`, :math:`B,\sigma\in[n]`,
  :math:`\lambda_1>0`), and :func:`params_ok`, its test.
* :func:`params` / :func:`param_strategy`: seeded and Hypothesis-drawn parameters (with or without
  :math:`\eta` below the threshold).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Hypothesis
from verifythm.strategies import dexter2024_thm2_family

from ._common import is_int


def eta_threshold(lam1: float, n: int, B: int, sigma: float) -> float:
    r""":math:`2\sigma/(\lambda_1(\sigma+n/B-1))`: Theorem 2's hypothesis is :math:`\eta` below this."""
    return 2.0 * sigma / (lam1 * (sigma + n / B - 1.0))


def construction(inst: dict[str, Any]) -> np.ndarray:
    return dexter2024_thm2_family(int(inst["n"]), int(inst["sigma"]), lam1=inst["lam1"])


def params_ok(inst: dict[str, Any]) -> bool:
    n, B, s = inst["n"], inst["B"], inst["sigma"]
    return (
        is_int(n)
        and is_int(B)
        and is_int(s)
        and 1 <= int(B) <= int(n)
        and 1 <= int(s) <= int(n)
        and inst["lam1"] > 0
    )


ADMISSIBLE = Hypothesis("n ∈ ℕ, B ∈ [n], σ ∈ [n], λ₁ > 0", params_ok)


def params(rng: np.random.Generator, i: int) -> dict[str, Any]:
    n = int(rng.integers(11, 31)) if i % 2 == 0 else int(rng.integers(1, 11))
    B = n if i % 7 == 0 else int(rng.integers(1, n + 1))
    sigma = int(rng.integers(1, n + 1))
    return {"n": n, "B": B, "sigma": sigma, "lam1": float(10 ** rng.uniform(-1, 1))}


@st.composite
def param_strategy(draw: Any, with_eta: bool) -> dict[str, Any]:
    n = draw(st.integers(1, 30))
    p = {
        "n": n,
        "B": draw(st.integers(1, n)),
        "sigma": draw(st.integers(1, n)),
        "lam1": draw(st.floats(0.1, 10.0)),
    }
    if with_eta:
        p["eta"] = draw(st.floats(0.01, 0.9999)) * eta_threshold(p["lam1"], n, p["B"], p["sigma"])
    return p
