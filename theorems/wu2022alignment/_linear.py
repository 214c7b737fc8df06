r"""Shared helpers for the §3 modules (linearized model at a global minimum, square loss).

Not collected (leading underscore).  An instance is ``{"Q": (p, n) model gradients at θ*,
"B": batch size, "eta": learning rate}``; :math:`H = G = QQ^T/n`, SGD samples B indices
with replacement (the scheme for which :math:`\mathbb{E}[\xi\xi^T]=\Sigma/B`, Eq. (1)),
and linear stability (Definition 3.1) is decided exactly by the moment engine:
:math:`\rho(\mathcal T_\eta)\le1` on :math:`\operatorname{range}H`.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Hypothesis
from verifythm.dynamics import NoiseModel, critical_learning_rate, spectral_radius
from verifythm.quantities import alignment_extremes
from verifythm.strategies import FAMILIES, gradient_families, random_gradients

#: Relative margin below which an alignment constant counts as zero (bound vacuous).
MU_FLOOR = 1e-8


def _key(inst: dict[str, Any]) -> tuple[bytes, tuple[int, ...], int, str]:
    Q = np.ascontiguousarray(np.asarray(inst["Q"], dtype=float))
    return Q.tobytes(), Q.shape, int(inst["B"]), str(inst.get("sampling", "with-replacement"))


@lru_cache(maxsize=4096)
def _cached(key: tuple[bytes, tuple[int, ...], int, str]) -> dict[str, float]:
    raw, shape, B, sampling = key
    Q = np.frombuffer(raw, dtype=float).reshape(shape)
    n = shape[1]
    try:
        ex = alignment_extremes(Q)
    except ValueError:  # G = 0 in floating point: no alignment constants, no bound
        return {"mu0": 0.0, "mu1": 0.0, "fro": 0.0, "lam1": 0.0, "trace": 0.0, "crit": math.inf}
    noise = NoiseModel.build(gradients=Q.T, batch_size=B, sampling=sampling)
    crit = critical_learning_rate(noise).value
    H = Q @ Q.T / n
    lam = np.linalg.eigvalsh(H)
    return {
        "mu0": ex.mu_inf.value,
        "mu1": ex.mu1_inf.value,
        "fro": float(np.linalg.norm(H)),
        "lam1": float(lam[-1]),
        "trace": float(np.trace(H)),
        "crit": crit,
    }


def facts(inst: dict[str, Any]) -> dict[str, float]:
    r"""μ₀ = inf_θ μ, μ₁ = inf_θ μ₁, ‖H‖_F, λ₁(H), Tr H and the critical learning rate η*."""
    return _cached(_key(inst))


def noise_model(inst: dict[str, Any]) -> NoiseModel:
    """The moment-engine noise model of the instance (with replacement unless stated)."""
    return NoiseModel.build(
        gradients=np.asarray(inst["Q"], float).T,
        batch_size=int(inst["B"]),
        sampling=str(inst.get("sampling", "with-replacement")),
    )


def is_stable(inst: dict[str, Any]) -> bool:
    r"""Linear stability (Definition 3.1), exactly: :math:`\rho(\mathcal T_\eta)\le1`."""
    if not _nonzero(inst) or facts(inst)["fro"] == 0.0:
        return False
    return bool(spectral_radius(noise_model(inst), float(inst["eta"])).growth <= 0.0)


def _nonzero(inst: dict[str, Any]) -> bool:
    Q = np.asarray(inst["Q"], float)
    return bool(np.any(Q != 0)) and Q.shape[1] >= 1 and 1 <= int(inst["B"]) <= Q.shape[1]


NONZERO = Hypothesis("H ≠ 0 and 1 ≤ B ≤ n", _nonzero)
POSITIVE_ETA = Hypothesis("η > 0", lambda inst: float(inst["eta"]) > 0)
STABLE = Hypothesis("θ* linearly stable: ρ(T_η) ≤ 1 (exact, with-replacement sampling)", is_stable)
MU0_POSITIVE = Hypothesis(
    f"μ₀ = inf_θ μ(θ) > {MU_FLOOR:g} (μ-alignment)", lambda inst: facts(inst)["mu0"] > MU_FLOOR
)
MU1_POSITIVE = Hypothesis(
    f"μ₁ = inf_θ μ₁(θ) > {MU_FLOOR:g} (μ₁-alignment)", lambda inst: facts(inst)["mu1"] > MU_FLOOR
)


def generate(rng: np.random.Generator, k: int, *, unstable: bool = False) -> list[dict[str, Any]]:
    r"""Seeded instances; η is a fraction of η* (stable) or, with ``unstable``, above it."""
    out: list[dict[str, Any]] = []
    for i in range(k):
        n = int(rng.integers(2, 7))
        p = int(rng.integers(1, 7))
        Q = random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])
        if not np.any(Q):
            Q[0, 0] = 1.0
        B = int(rng.integers(1, n + 1))
        crit = facts({"Q": Q, "B": B})["crit"]
        if unstable:
            u = [1.0 + 1e-6, rng.uniform(1.0, 1.5), rng.uniform(1.5, 4.0)][i % 3]
        else:
            u = [1.0 - 1e-9, rng.uniform(0.9, 1.0), rng.uniform(0.05, 1.0)][i % 3]
        out.append({"Q": Q, "B": B, "eta": u * crit})
    return out


def at_critical(Q: np.ndarray, B: int, u: float = 1.0 - 1e-9, **extra: Any) -> dict[str, Any]:
    """The instance ``(Q, B)`` at learning rate ``u·η*``."""
    Q = np.asarray(Q, dtype=float)
    inst = {"Q": Q, "B": int(B), **extra}
    return {**inst, "eta": u * facts(inst)["crit"]}


@st.composite
def strategy(draw: Any, lo: float = 0.05, hi: float = 1.0) -> dict[str, Any]:
    r"""Hypothesis instances: any gradient family, any B, η = u·η* with u ∈ [lo, hi]."""
    Q = draw(gradient_families(ns=st.integers(1, 6)))
    n = Q.shape[1]
    B = draw(st.integers(1, n))
    u = draw(st.floats(lo, hi))
    if not np.any(Q):
        return {"Q": Q, "B": B, "eta": u}
    crit = facts({"Q": Q, "B": B})["crit"]
    eta = u * crit if math.isfinite(crit) else u
    return {"Q": Q, "B": B, "eta": eta}
