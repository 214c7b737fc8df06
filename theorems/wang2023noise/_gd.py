r"""Shared machinery of the Proposition 5.3 modules: GD instances and hypotheses (not collected)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Hypothesis
from verifythm.claims.inputs import INT, REAL, array
from verifythm.strategies import psd_with, real_vectors, reals


def gd_setup(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """λ sorted decreasingly, U, w₀ and η = β/λ₁ of an instance read with :data:`INPUTS`."""
    lam = np.sort(inst["lam"])[::-1]
    return lam, inst["U"], inst["w0"], inst["beta"] / lam[0]


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    """Seeded spectra (some nearly repeated, some singular), rotations, w₀, β ∈ (2, 6], t ≤ 10."""
    out = []
    for i in range(k):
        p = int(rng.integers(2, 7))
        lam = np.sort(rng.uniform(0, 1, size=p))[::-1]
        lam[0] = 1.0
        if i % 3 == 0:
            lam[1] = 1 - 1e-3  # nearly repeated top eigenvalue: ρ → 1
        if i % 5 == 0:
            lam[-1] = 0.0
        U, _ = np.linalg.qr(rng.standard_normal((p, p)))
        beta = float(2 + rng.uniform(1e-3, 4))
        out.append(
            {"lam": lam, "U": U, "w0": rng.standard_normal(p), "beta": beta, "t": int(rng.integers(0, 11))}
        )
    return out


def _ok(inst: dict[str, Any]) -> bool:
    lam, U, w0 = np.sort(inst["lam"])[::-1], inst["U"], inst["w0"]
    return bool(
        inst["beta"] > 2
        and lam[0] > 0
        and np.all(lam >= 0)
        and np.allclose(U.T @ U, np.eye(lam.size))
        and abs(float(U[:, 0] @ w0)) > 1e-12
    )


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    """λ, U from the eigen-decomposition of a ``psd_with`` draw; w₀, β ∈ (2, 6], t ≤ 10."""
    G = draw(psd_with(st.integers(2, 6)))
    lam, U = np.linalg.eigh(G)
    return {
        "lam": lam[::-1].copy(),
        "U": U[:, ::-1].copy(),
        "w0": draw(real_vectors(lam.size, -2, 2)),
        "beta": draw(reals(2.001, 6.0)),
        "t": draw(st.integers(0, 10)),
    }


INPUTS = {"lam": array(1), "U": array(2), "w0": array(1), "beta": REAL, "t": INT}
HYP = (Hypothesis("β > 2, λ ≥ 0, λ₁ > 0, U orthonormal, w_{0,1} ≠ 0", _ok),)
FIXED = [
    {"lam": np.array([1.0, 0.5]), "U": np.eye(2), "w0": np.array([1.0, 1.0]), "beta": 3.0, "t": 4},
    {  # D_{10,1} ≈ 2e-29, under the rounding of the iterates (a survey read ratio 1.25 there)
        "lam": np.array([1.0024341491401858, 0.4821485923085182]),
        "U": np.array(
            [[-0.5371377137613447, -0.8434945621966009], [-0.8434945621966009, 0.5371377137613449]]
        ),
        "w0": np.array([-0.45538257281203337, 0.7511359449743956]),
        "beta": 2.163843059001456,
        "t": 10,
    },
]
