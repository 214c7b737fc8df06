r"""Shared machinery of the Definition 4.1 modules: quantities, instances, claim factory (not collected)."""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.claims.inputs import array
from verifythm.strategies import gradients_and_residuals

from ._common import KEY, gradient_shapes, gradients_nondegenerate, random_gradient_matrices, scaled_gradients
from ._symbolic import mean, sym_matrix, sym_vector


def parts(inst: dict[str, Any]) -> dict[str, Any]:
    """G, Σ₁, Σ₀, ∇L, L and the non-null eigenpairs of G from (rescaled) gradients Q and residuals e."""
    Q, e = scaled_gradients(inst)
    n = Q.shape[1]
    G = Q @ Q.T / n
    S1 = (Q * (e * e)) @ Q.T / n
    gL = Q @ e / n
    L = float(e @ e) / (2 * n)
    lam, U = np.linalg.eigh(G)
    keep = lam > 1e-9 * max(lam[-1], 1e-300)
    return {
        "G": G,
        "S1": S1,
        "S0": S1 - np.outer(gL, gL),
        "gL": gL,
        "L": L,
        "lam": lam[keep],
        "U": U[:, keep],
    }


def _nondegenerate(inst: dict[str, Any]) -> bool:  # reads its own: STRATEGY filters raw draws with it
    Q, e = scaled_gradients(inst)
    return gradients_nondegenerate(inst) and bool(np.linalg.norm(Q @ e) > 1e-6)


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    """Seeded gradient families with Gaussian residuals and directions."""
    out = []
    for _, n, Q in random_gradient_matrices(rng, k):
        e = rng.standard_normal(n)
        out.append({"Q": Q, "e": e, "v": rng.standard_normal(Q.shape[0])})
    return out


def symbolic_parts() -> dict[str, Any]:
    """Symbolic p = 2, n = 3 gradients, residuals, direction v and the enumerated batch-one noise ξ_i."""
    import sympy as sp

    p, n = 2, 3
    Q, e, v = sym_matrix("q", p, n), sym_vector("e", n), sym_vector("v", p)
    grads = [e[i] * Q[:, i] for i in range(n)]  # ∇ℓ_i = e_i g_i
    gL = mean(grads)
    t = sp.Symbol("t", real=True)
    u = sp.Matrix([1 - t**2, 2 * t]) / (1 + t**2)  # a rational unit vector
    return {
        "Q": Q,
        "v": v,
        "u": u,
        "G": Q * Q.T / n,
        "S1": mean([gr * gr.T for gr in grads]),
        "gL": gL,
        "L": sum(x**2 for x in e) / (2 * n),
        "xi": [gr - gL for gr in grads],
    }


INPUTS = {"Q": array(), "e": array(), "v": array()}
HYP = (
    gradient_shapes(),
    Hypothesis("L(θ) > 0, G ≠ 0 and ∇L ≠ 0", _nondegenerate),
)
SMALLEST = {"Q": np.array([[1.0]]), "e": np.array([1.0]), "v": np.array([1.0])}
SOURCE = Source(KEY, "Section 4, Definition 4.1 and Figure 2", page=6)
TOL = Tolerance(rtol=1e-7, atol=1e-12)
STRATEGY = (
    gradients_and_residuals().filter(_nondegenerate).map(lambda i: {**i, "v": np.ones(i["Q"].shape[0])})
)


def identity_claim(conclusion: Any, symbolic: Any, **fields: Any) -> Claim:
    """An identity of Definition 4.1, decided on seeded and Hypothesis-drawn gradient sets."""
    return Claim(
        **fields,
        source=SOURCE,
        hypotheses=HYP,
        conclusion=conclusion,
        inputs=INPUTS,
        checks=(
            SymbolicCheck("symbolic", symbolic),
            ExactCheck("exact", generate, fixed=[SMALLEST]),
            PropertyCheck("property", STRATEGY),
        ),
        tolerance=TOL,
        kind="identity",
    )
