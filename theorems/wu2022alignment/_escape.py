r"""Shared instances, hypotheses and algebra of Theorem 3.5 of Wu, Wang & Su (2022) (not collected).

Used by ``thm3_5`` (the escape bound, ``wu2022.thm3_5``) and ``thm3_5_rate`` (``wu2022.thm3_5.rate``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Hypothesis
from verifythm.claims.inputs import INT, REAL, array
from verifythm.evidence.symbolic import Identity
from verifythm.strategies import FAMILIES, gradient_families, random_gradients
from verifythm.strategies.scalars import reals

from . import _sym3
from ._linear import MU0_POSITIVE, NONZERO, POSITIVE_ETA, facts

#: The declared instance schema of the Theorem 3.5 claims (the helpers below read it).
INPUTS = {"Q": array(2), "B": INT, "eta": REAL, "theta0": array(1)}


def gamma0(inst: dict[str, Any]) -> float:
    r""":math:`\gamma_0=\eta^2\mu_0\|H\|_F^2/B`."""
    f = facts(inst)
    return inst["eta"] ** 2 * f["mu0"] * f["fro"] ** 2 / inst["B"]


def _loss0(inst: dict[str, Any]) -> float:
    z = inst["Q"].T @ inst["theta0"]
    return 0.5 * float(z @ z) / z.shape[0]


def _sharp(inst: dict[str, Any]) -> bool:
    f = facts(inst)
    return f["mu0"] > 0 and f["fro"] > math.sqrt(inst["B"] / f["mu0"]) / inst["eta"]


def _start(inst: dict[str, Any]) -> bool:
    L0 = _loss0(inst)
    scale = float(np.max(np.abs(inst["Q"]))) ** 2 * float(np.max(np.abs(inst["theta0"]))) ** 2
    return L0 > 1e-12 * scale


SHARP = Hypothesis("‖H‖_F > √(B/μ₀)/η (i.e. γ₀ > 1)", _sharp)
START = Hypothesis("L(θ₀) > 0", _start)


def _instance(Q: np.ndarray, B: int, u: float, theta0: np.ndarray) -> dict[str, Any]:
    inst: dict[str, Any] = {"Q": np.asarray(Q, float), "B": int(B), "theta0": np.asarray(theta0, float)}
    f = facts(inst)
    threshold = math.sqrt(B / f["mu0"]) / f["fro"] if f["mu0"] > 0 and f["fro"] > 0 else 1.0
    return {**inst, "eta": u * threshold}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(2, 7)), int(rng.integers(1, 7))
        Q = random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])
        if not np.any(Q):
            Q[0, 0] = 1.0
        u = [1.0 + 1e-9, rng.uniform(1.0, 1.2), rng.uniform(1.0, 3.0)][i % 3]
        out.append(_instance(Q, int(rng.integers(1, n + 1)), u, rng.standard_normal(p)))
    return out


#: Two orthonormal gradients, B = 1, η just above 2: equality in every step.
FIXED = [
    _instance(np.eye(2), 1, 1.0 + 1e-9, np.array([1.0, 0.0])),
    _instance(np.eye(2), 1, 1.0 + 1e-9, np.array([0.3, -2.0])),
    _instance(np.eye(3), 2, 1.5, np.array([1.0, 1.0, 1.0])),
]


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_families(ns=st.integers(2, 6)))
    p, n = Q.shape
    B = draw(st.integers(1, n))
    u = draw(st.floats(1.0 + 1e-9, 3.0))
    theta0 = np.array(draw(st.lists(reals(-3, 3), min_size=p, max_size=p)), dtype=float)
    if not np.any(Q):
        return {"Q": Q, "B": B, "theta0": theta0, "eta": u}
    return _instance(Q, B, u, theta0)


HYPOTHESES = (NONZERO, POSITIVE_ETA, MU0_POSITIVE, SHARP)


def _symbolic() -> list[Any]:
    """Proof of Theorem 3.5 (Eq. (9) iterated), its threshold γ₀ > 1, and the attaining instance."""
    import sympy as sp

    F, mu0, eta, B = sp.symbols("F mu0 eta B", positive=True)
    obs = [
        *_sym3.eq7_to_9(2),
        _sym3.threshold(
            mu0 * eta**2 / B, F, sp.sqrt(B / mu0) / eta, "γ₀ = μ₀η²‖H‖_F²/B > 1 ⇔ ‖H‖_F > √(B/μ₀)/η"
        ),
    ]
    m, ev, L = _sym3.orthonormal_step(1)
    e = m["eta"]
    gamma0 = e**2 * sp.Rational(1, 2) * sp.Rational(1, 2) / 1  # η²μ₀‖H‖_F²/B with μ₀ = ‖H‖_F² = 1/2
    obs.append(
        Identity(ev, ((1 - e / 2) ** 2 + gamma0) * L, "orthonormal g₁, g₂, B = 1: E[L(θ⁺)] = (r + γ₀)L")
    )
    obs.append(Identity(ev.subs(e, 2), (gamma0 * L).subs(e, 2), "… = γ₀L(θ) exactly at η = 2 (tightness)"))
    return obs
