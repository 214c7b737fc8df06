r"""Shared machinery of the Eq. (2) and Eq. (3) modules: data, checks, claim factory (not collected)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, SymbolicCheck, Tolerance
from verifythm.claims.common import finite
from verifythm.claims.inputs import REAL, array
from verifythm.strategies import gradient_matrices, real_vectors, reals


def _conclusion(sides, lhs_label: str, rhs_label: str, scale: Any = None):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        X, y, theta = inst["X"], inst["y"], inst["theta"]
        a, b = sides(X, y, theta, inst["eta"])
        s = None if scale is None else scale(X, y, theta)
        return Comparison(a, b, "==", lhs_label, rhs_label, scale=s)

    return conclusion


def _symbolic(sides, label: str):
    def build() -> list[Any]:
        import sympy as sp

        X = np.array(sp.symbols("x11 x12 x21 x22", real=True), dtype=object).reshape(2, 2)
        y = np.array(sp.symbols("y1 y2", real=True), dtype=object)
        th = np.array(sp.symbols("t1 t2", real=True), dtype=object)
        eta = sp.Symbol("eta", positive=True)
        a, b = sides(X, y, th, eta)
        return [Identity(sp.expand(a), sp.expand(b), label)]

    return build


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 9)), int(rng.integers(1, 7))
        X = rng.standard_normal((n, d)) * 10 ** rng.uniform(-1, 1, size=d)[None, :]
        if i % 4 == 1 and d > 1:  # low rank
            X = np.outer(X[:, 0], rng.standard_normal(d))
        theta = rng.standard_normal(d)
        y = X @ rng.standard_normal(d) + (rng.standard_normal(n) if i % 3 else 0.0)
        if i % 5 == 0:
            theta = np.linalg.lstsq(X, y, rcond=None)[0]  # a (global) minimum
        lam = float(np.linalg.eigvalsh(X.T @ X / n)[-1]) or 1.0
        out.append({"X": X, "y": y, "theta": theta, "eta": float(10 ** rng.uniform(-2, 0.7) / lam)})
    return out


@st.composite
def _data(draw: Any) -> dict[str, Any]:
    """Inputs as rows of a ``gradient_matrices`` draw (every rank-one kind), θ arbitrary or a minimum."""
    n, d = draw(st.integers(1, 8)), draw(st.integers(1, 6))
    X = draw(gradient_matrices(n=n, p=d)).T
    y = draw(real_vectors(n, -3, 3))
    theta = np.linalg.lstsq(X, y, rcond=None)[0] if draw(st.booleans()) else draw(real_vectors(d, -3, 3))
    lam = float(np.linalg.eigvalsh(X.T @ X / n)[-1]) or 1.0
    return {"X": X, "y": y, "theta": theta, "eta": draw(reals(0.01, 5.0)) / lam}


_FIXED = [
    {"X": np.array([[1.0, 0.0], [0.0, 2.0]]), "y": np.array([1.0, -1.0]), "theta": np.zeros(2), "eta": 0.5}
]
_HYP = (finite("X", "y", "theta", "eta"),)
_TOL = Tolerance(rtol=1e-8, atol=1e-12)


def identity_claim(
    sides: Any, lhs: str, rhs: str, symbolic_label: str, scale: Any = None, **fields: Any
) -> Claim:
    """``lhs == rhs`` for the quantities computed by ``sides``: symbolically and on seeded data."""
    return Claim(
        **fields,
        hypotheses=_HYP,
        conclusion=_conclusion(sides, lhs, rhs, scale),
        inputs={"X": array(), "y": array(), "theta": array(), "eta": REAL},
        checks=(
            SymbolicCheck("symbolic", _symbolic(sides, symbolic_label)),
            ExactCheck("exact", _generate, fixed=_FIXED),
            PropertyCheck("property", _data(), max_examples=40),
        ),
        tolerance=_TOL,
        kind="identity",
    )
