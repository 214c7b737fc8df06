r"""Private helpers of the Eq. (26) modules: mini-batch moments by enumerating every batch.

The batch moments (float or exact rational arithmetic), the closed forms of the second moment for
the three sampling schemes, the instances, hypotheses and the claim factory shared by
:mod:`.eq26`, :mod:`.eq26_mean`, :mod:`.eq26_without_replacement` and :mod:`.eq26_bernoulli`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import exact, matrix_equal
from verifythm.claims.inputs import INT, array
from verifythm.dynamics.sampling import Sampling, batch_distribution
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Eq. (26); Section 3")


def moments(G: Any, scheme: Sampling, m: int, zero: Any) -> tuple[Any, Any]:
    """``(E ĝ, E ĝĝᵀ)`` by enumerating every batch (float or Fraction arithmetic)."""
    n, p = G.shape
    mean = np.full(p, zero, dtype=G.dtype)
    second = np.full((p, p), zero, dtype=G.dtype)
    for prob, w in batch_distribution(scheme, n, m):
        wv = np.array([x if G.dtype == object else float(x) for x in w], dtype=G.dtype)
        pr = prob if G.dtype == object else float(prob)
        g = wv @ G
        mean = mean + pr * g
        second = second + pr * np.outer(g, g)
    return mean, second


def _stats(G: Any) -> tuple[Any, Any, Any]:
    n = G.shape[0]
    mu = G.sum(axis=0) / n
    C = G - mu[None, :]
    return mu, C.T @ C / n, G.T @ G / n


def _formula(kind: str, G: Any, m: int) -> Any:
    n = G.shape[0]
    mu, Sigma, M = _stats(G)
    if kind == "paper":
        c, X = Fraction(1, m), Sigma
    elif kind == "without":
        c, X = (Fraction(0) if n == 1 else Fraction(n - m, m * (n - 1))), Sigma
    else:
        c, X = Fraction(1, m) - Fraction(1, n), M
    if G.dtype != object:
        c = float(c)
    return c * X + np.outer(mu, mu)


def second_moment_claim(
    cid: str, title: str, statement: str, scheme: Sampling, kind: str, expected: Expected | None = None
) -> Claim:
    """The claim ``E[ĝĝᵀ] = formula`` for ``scheme``; ``kind`` (paper, without, bernoulli) picks it."""
    label = {"paper": "Σ/m + μμᵀ", "without": "(n−m)/(m(n−1))·Σ + μμᵀ", "bernoulli": "(1/m − 1/n)·M + μμᵀ"}[
        kind
    ]

    def conclusion(inst: dict[str, Any]) -> Comparison:
        G, m = inst["G"], inst["m"]
        _, E2 = moments(G, scheme, m, 0.0)
        return matrix_equal(E2, _formula(kind, G, m), "E[ĝĝᵀ]", label)

    def precise(inst: dict[str, Any]) -> Comparison:
        G, m = exact(inst["G"]), inst["m"]
        _, E2 = moments(G, scheme, m, Fraction(0))
        return matrix_equal(E2, _formula(kind, G, m), "E[ĝĝᵀ]", label)

    def symbolic() -> list[Any]:
        import sympy as sp

        G = np.array(sp.symbols("g1:7", real=True), dtype=object).reshape(3, 2)
        m = 2
        E2 = sp.zeros(2, 2)
        for prob, w in batch_distribution(scheme, 3, m):
            g = sp.Matrix(
                [
                    sum(sp.Rational(w[i].numerator, w[i].denominator) * G[i, j] for i in range(3))
                    for j in range(2)
                ]
            )
            E2 += sp.Rational(prob.numerator, prob.denominator) * g * g.T
        mu = sp.Matrix([sum(G[i, j] for i in range(3)) / 3 for j in range(2)])
        Sig = sp.zeros(2, 2)
        Mm = sp.zeros(2, 2)
        for i in range(3):
            gi = sp.Matrix(G[i, :])
            Sig += (gi - mu) * (gi - mu).T / 3
            Mm += gi * gi.T / 3
        n = 3
        if kind == "paper":
            rhs = Sig / m + mu * mu.T
        elif kind == "without":
            rhs = sp.Rational(n - m, m * (n - 1)) * Sig + mu * mu.T
        else:
            rhs = (sp.Rational(1, m) - sp.Rational(1, n)) * Mm + mu * mu.T
        return [Identity(E2, rhs, f"E[ĝĝᵀ] = {label} ({scheme.value}, n = 3, m = 2, p = 2)")]

    def to_instance(point: dict[str, Any]) -> dict[str, Any]:
        G = np.array([float(point[f"g{i}"]) for i in range(1, 7)]).reshape(3, 2)
        return {"G": G, "m": 2}

    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=HYPOTHESES,
        inputs=INPUTS,
        conclusion=conclusion,
        precise_conclusion=precise,
        checks=(
            SymbolicCheck("symbolic", symbolic, to_instance=to_instance),
            ExactCheck("exact", generate, fixed=[SMALLEST]),
            PropertyCheck("property", STRATEGY),
        ),
        expected=expected or Expected(),
        kind="identity",
    )


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    """Seeded gradient sets (Gaussian, widely scaled rows, a large common mean) and batch sizes."""
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        m = int(rng.integers(1, min(n, 3) + 1))
        G = rng.standard_normal((n, p))
        if i % 3 == 1:
            G = G * 10.0 ** rng.integers(-2, 3, size=(n, 1))
        elif i % 3 == 2:
            G = G + 3 * rng.standard_normal(p)  # a large common mean
        out.append({"G": G, "m": m})
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 5))
    p = draw(st.integers(1, 3))
    m = draw(st.integers(1, min(n, 3)))
    G = draw(hnp.arrays(float, (n, p), elements=reals(-10, 10)))
    return {"G": G, "m": m}


STRATEGY = _instances()
INPUTS = {"G": array(), "m": INT}  # G's axes are the hypothesis's to check
HYPOTHESES = (
    Hypothesis(
        "G finite (n ≤ 8 rows), 1 ≤ m ≤ n",
        lambda inst: bool(
            np.all(np.isfinite(inst["G"]))
            and np.ndim(inst["G"]) == 2
            and 1 <= np.shape(inst["G"])[0] <= 8
            and 1 <= inst["m"] <= np.shape(inst["G"])[0]
        ),
    ),
)
SMALLEST = {"G": np.array([[1.0], [-1.0]]), "m": 2}
