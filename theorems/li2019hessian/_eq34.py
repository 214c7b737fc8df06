r"""Private helpers of the Eq. (34) modules: the positive instances and the claim factory.

Shared by :mod:`.eq34` (Theorem 2 at :math:`s=\sqrt TK_2`) and :mod:`.eq34_brownian` (the Brownian
comparison after (34)): every claim reads :math:`T,K_2,c,\sigma>0`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import REAL

SOURCE = Source("li2019hessian", "Theorem 2, Eq. (34) and the remark after it")
_KEYS = ("T", "K2", "c", "sigma")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"T": T, "K2": 1.0, "c": 1.0, "sigma": 1.0} for T in (1e-3, 1.0, 70.0, 200.0, 1000.0)]
    for _ in range(k):
        out.append(
            {
                "T": float(10 ** rng.uniform(-3, 3)),
                "K2": float(10 ** rng.uniform(-3, 3)),
                "c": float(10 ** rng.uniform(-3, 3)),
                "sigma": float(10 ** rng.uniform(-3, 3)),
            }
        )
    return out


_STRATEGY = st.fixed_dictionaries({k: st.floats(1e-3, 1e3) for k in _KEYS})
_POSITIVE = (
    Hypothesis(
        "T, K₂, c, σ > 0 and finite",
        lambda inst: all(math.isfinite(inst[k]) and inst[k] > 0 for k in _KEYS),
    ),
)


def claim(cid: str, title: str, statement: str, concl: Any, symbolic: Any, kind: str) -> Claim:
    """A claim on the positive instances, with symbolic, seeded exact and Hypothesis evidence."""
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_POSITIVE,
        conclusion=concl,
        inputs=dict.fromkeys(_KEYS, REAL),
        checks=(
            SymbolicCheck("symbolic", symbolic),
            ExactCheck("exact", _generate),
            PropertyCheck("property", _STRATEGY),
        ),
        kind=kind,
    )
