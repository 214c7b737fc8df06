r"""Private helpers of the Theorem 2 proof-step modules: Σ_t, the instances and the claim factory.

Shared by :mod:`.thm2` (the step :math:`\|\Sigma_t\|_F\le m\|\Sigma_t\|_2` as printed) and
:mod:`.thm2_corrected` (the valid :math:`\sqrt{\operatorname{rank}\Sigma_t}` form).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import INT, array
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Theorem 2, Eq. (33); Appendix F")


def sigma(inst: dict[str, Any]) -> np.ndarray:
    G = inst["G"]
    C = G - G.mean(axis=0)
    return C.T @ C / G.shape[0]


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(1, 5))
        if i % 3 == 0:  # ±e_j: Σ = I/p·(…), all eigenvalues equal
            G = np.vstack([np.eye(p), -np.eye(p)]) * float(10 ** rng.uniform(-1, 1))
        elif i % 3 == 1:
            G = np.outer(rng.standard_normal(int(rng.integers(2, 7))), rng.standard_normal(p))
        else:
            G = rng.standard_normal((int(rng.integers(2, 9)), p))
        out.append({"G": G, "m": int(rng.integers(1, G.shape[0] + 1))})
    return out


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(2, 6)), draw(st.integers(1, 4))
    G = draw(hnp.arrays(float, (n, p), elements=reals(-5, 5)))
    return {"G": G, "m": draw(st.integers(1, n))}


HYPOTHESES = (
    Hypothesis(
        "G finite, n ≥ 2 rows, 1 ≤ m ≤ n, entries in (1e-50, 1e50)",
        lambda i: bool(
            np.all(np.isfinite(i["G"]))
            and np.shape(i["G"])[0] >= 2
            and 1 <= i["m"] <= np.shape(i["G"])[0]
            and 1e-50 < float(np.max(np.abs(i["G"]))) < 1e50
        ),
    ),
)

SMALLEST = {"G": np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]]), "m": 1}


def proof_step(conclusion: Any, symbolic: SymbolicCheck, **fields: Any) -> Claim:
    """A bound on ‖Σ_t‖_F used in the proof of Theorem 2 (as printed, or corrected)."""
    return Claim(
        **fields,
        source=SOURCE,
        hypotheses=HYPOTHESES,
        conclusion=conclusion,
        inputs={"G": array(2), "m": INT},
        # the symbolic check last: on a tie in size the earlier checks' instance is the one reported
        checks=(
            ExactCheck("exact", generate, fixed=[SMALLEST]),
            PropertyCheck("property", instances()),
            symbolic,
        ),
    )
