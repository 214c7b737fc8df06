r"""Dexter et al. (2024), Section 3.2.1: with stable rank ≤ n, Wu et al.'s condition implies Theorem 1's.

Setting
-------
A PSD :math:`H\ne0` (the full-batch Hessian), :math:`n\ge1`, :math:`1\le B\le n`, :math:`\eta>0`;
stable rank :math:`\mathrm{srank}(H)=\|H\|_F^2/\|H\|_2^2`.

Statement
---------
``dexter2024.sec3_2_1.stable_rank``: Theorem 1's simplified condition (:mod:`.sec3_2_1`) is
more general than Wu et al.'s :math:`\|H\|_F>\frac1\eta\sqrt B` (with :math:`\mu_0=1`) when the stable
rank is at most :math:`n`: then :math:`\|H\|_F>\sqrt B/\eta` implies
:math:`\lambda_1(H)>\sqrt{B/n}/\eta`.

Finding
-------
It holds (:math:`\lambda_1^2=\|H\|_F^2/\mathrm{srank}\ge\|H\|_F^2/n`).

Evidence
--------
* ``exact``: seeded PSD matrices (:math:`d\le6`, including :math:`H=I_d` up to scale, where it is
  tight) with :math:`n` from :math:`\lceil\mathrm{srank}\rceil` and :math:`\eta` just above Wu et al.'s
  threshold (factor 1.0001–2).
* ``property``: Hypothesis over diagonal :math:`H` and the parameters.
* ``symbolic`` (sympy): :math:`\lambda_1^2-B/(n\eta^2)=(Bb+a\eta^2n)/(s\,n\eta^2)\ge0` with
  :math:`\|H\|_F^2=B/\eta^2+a`, :math:`n=s+b`.

References
----------
[dexter2024precise, Section 3.2.1].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd
from verifythm.claims.inputs import REAL, array
from verifythm.strategies import random_psd

from ._common import lambda1

SRC_WU = Source("dexter2024precise", "Section 3.2.1")


def _symbolic_stable_rank() -> list[Any]:
    """‖H‖_F² = B/η² + a, n = srank + b: λ₁² − B/(nη²) = (Bb + aη²n)/(s n η²) ≥ 0."""
    import sympy as sp

    eta, B = sp.symbols("eta B", positive=True)
    a, b = sp.symbols("a b", nonnegative=True)
    s_rank = sp.Symbol("s", positive=True)
    F2 = B / eta**2 + a
    lam2 = F2 / s_rank  # λ₁² = ‖H‖_F²/srank
    gap = lam2 - B / ((s_rank + b) * eta**2)
    return [
        Identity(
            sp.cancel(gap * s_rank * (s_rank + b) * eta**2),
            sp.expand(B * b + a * eta**2 * (s_rank + b)),
            "λ₁² − B/(nη²), cleared",
        ),
        Nonnegative(sp.factor(gap), "λ₁(H)² − B/(nη²) ≥ 0 when srank ≤ n and ‖H‖_F² ≥ B/η²"),
    ]


# -- 3. stable rank ≤ n: Wu et al.'s condition implies the simplified one ----------------------
def _srank_ok(inst: dict[str, Any]) -> bool:
    H, n, B, eta = inst["H"], inst["n"], inst["B"], inst["eta"]
    if not (n >= 1 and 1 <= B <= n and eta > 0) or not np.any(H != 0):
        return False
    fro, lam = float(np.linalg.norm(H)), lambda1(H)
    return fro**2 / lam**2 <= n * (1 + 1e-12) and fro > math.sqrt(B) / eta


def _srank(inst: dict[str, Any]) -> Comparison:
    H, n, B, eta = inst["H"], inst["n"], inst["B"], inst["eta"]
    return Comparison(lambda1(H), math.sqrt(B / n) / eta, ">=", "λ₁(H)", "√(B/n)/η")


def _srank_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 7))
        H = np.eye(d) * float(rng.uniform(0.5, 2)) if i % 4 == 0 else random_psd(rng, d)
        lam, fro = lambda1(H), float(np.linalg.norm(H))
        srank = fro**2 / lam**2
        n = math.ceil(srank - 1e-9) + (0 if i % 2 == 0 else int(rng.integers(0, 20)))
        B = int(rng.integers(1, n + 1))
        eta = float(rng.uniform(1.0001, 2.0)) * math.sqrt(B) / fro
        out.append({"H": H, "n": n, "B": B, "eta": eta})
    return out


@st.composite
def _srank_strategy(draw: Any) -> dict[str, Any]:
    d = draw(st.integers(1, 5))
    lam = np.array(draw(st.lists(st.floats(0.01, 10.0), min_size=d, max_size=d)))
    H = np.diag(lam)
    srank = float(np.sum(lam**2) / lam.max() ** 2)
    n = math.ceil(srank - 1e-9) + draw(st.integers(0, 10))
    B = draw(st.integers(1, n))
    return {
        "H": H,
        "n": n,
        "B": B,
        "eta": draw(st.floats(1.0001, 3.0)) * math.sqrt(B) / float(np.linalg.norm(H)),
    }


STABLE_RANK = Claim(
    id="dexter2024.sec3_2_1.stable_rank",
    title="if srank(H) ≤ n, ‖H‖_F > √B/η implies λ₁(H) > √(B/n)/η",
    source=SRC_WU,
    statement=(
        r"If $\|H\|_F^2/\|H\|_2^2\le n$ and $\|H\|_F>\frac1\eta\sqrt B$ (Wu et al.'s condition with "
        r"$\mu_0=1$), then $\lambda_1(H)>\frac1\eta\sqrt{B/n}$ (the simplified condition of Theorem 1)."
    ),
    hypotheses=(psd("H"), Hypothesis("srank(H) ≤ n and ‖H‖_F > √B/η", _srank_ok)),
    conclusion=_srank,
    checks=(
        SymbolicCheck("symbolic", _symbolic_stable_rank),
        ExactCheck("exact", _srank_generate),
        PropertyCheck("property", _srank_strategy()),
    ),
    inputs={"H": array(2), "n": REAL, "B": REAL, "eta": REAL},
)

CLAIM = STABLE_RANK
