r"""Shared machinery of the Lemma C.1 modules: Σ̄₁ against its closed forms (not collected)."""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Comparison,
    Hypothesis,
    Identity,
)
from verifythm.linalg.precise import DPS
from verifythm.strategies import random_psd

from ._common import OLM_INPUTS, olm_population, olm_shapes
from ._precise import frobenius_mp, olm_population_mp
from ._symbolic import olm_population as olm_population_sym


def diff_conclusion(coef: float, centred: bool = False):
    """‖Σ̄₁ (− ∇L̄∇L̄ᵀ if centred) − (2L̄Ḡ + coef·∇L̄∇L̄ᵀ)‖_F against 0, relative to ‖Σ̄₁‖_F."""

    def conclusion(inst: dict[str, Any]) -> Comparison:
        P = olm_population(inst["S"], inst["J"], inst["r"])
        lhs = P["S1"] - (np.outer(P["gradL"], P["gradL"]) if centred else 0.0)
        rhs = 2 * P["L"] * P["G"] + coef * np.outer(P["gradL"], P["gradL"])
        return Comparison(
            float(np.linalg.norm(lhs - rhs)),
            0.0,
            "==",
            "‖lhs − rhs‖_F",
            "0",
            scale=float(np.linalg.norm(P["S1"])) + 1e-300,
        )

    return conclusion


def diff_conclusion_mp(coef: int, centred: bool = False):
    """:func:`diff_conclusion` in mpmath at 50 digits, via :func:`._precise.olm_population_mp`."""

    def conclusion(inst: dict[str, Any]) -> Comparison:
        import mpmath

        with mpmath.workdps(DPS):
            P = olm_population_mp(inst["S"], inst["J"], inst["r"])
            gg = np.outer(P["gradL"], P["gradL"])
            lhs = P["S1"] - gg if centred else P["S1"]
            rhs = 2 * P["L"] * P["G"] + coef * gg
            return Comparison(
                frobenius_mp(lhs - rhs),
                0.0,
                "==",
                "‖lhs − rhs‖_F",
                "0",
                scale=frobenius_mp(P["S1"]) + 1e-300,
            )

    return conclusion


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    """Seeded OLM points (S of any rank, d ≤ 3, p ≤ 4), every fourth with a column of J along r."""
    out = []
    for i in range(k):
        d, p = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        S = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        J = rng.standard_normal((d, p))
        r = rng.standard_normal(d)
        if i % 4 == 0:  # ∇F v ∥ r directions present
            J[:, 0] = r
        out.append({"S": S, "J": J, "r": r})
    return out


def obligations(coefficient: int, centred: bool = False) -> Any:
    def build() -> list[Identity]:
        """Lemma C.1, whitened symbolic u ∈ R², K ∈ R^{2×2}: Σ̄₁ by Gaussian moments vs the closed form."""
        P = olm_population_sym()
        lhs = P["S1"] - P["gradL"] * P["gradL"].T if centred else P["S1"]
        rhs = 2 * P["L"] * P["G"] + coefficient * P["gradL"] * P["gradL"].T
        name = "Σ̄₁ − ∇L̄∇L̄ᵀ" if centred else "Σ̄₁"
        return [Identity(lhs, rhs, f"{name} = 2L̄Ḡ + {coefficient}·∇L̄∇L̄ᵀ (E over z by exact moments)")]

    return build


INPUTS = OLM_INPUTS
SMALLEST = {"S": np.eye(1), "J": np.eye(1), "r": np.ones(1)}
HYP = (
    olm_shapes(),
    Hypothesis("Σ̄₁ ≠ 0", lambda i: bool(np.linalg.norm(i["J"].T @ i["S"] @ i["r"]) > 1e-9)),
)
