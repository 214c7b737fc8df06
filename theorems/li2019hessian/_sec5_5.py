r"""Private helpers of the §5.5 modules: the preconditioned step in exact arithmetic, instances, evidence.

Exact (rational) moments of an instance, the symbolic obligations, the seeded and Hypothesis
instances, the hypotheses and the claim factory shared by :mod:`.sec5_5` (the ADAM-like form (41))
and :mod:`.sec5_5_in_interval` (the interval (36)).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, ExactCheck, Hypothesis, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.claims.common import exact
from verifythm.claims.inputs import REAL, array
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Section 5.5, Eqs. (40)-(41)")

TOL = Tolerance(rtol=1e-12, atol=1e-300)

INPUTS = {"G": array(), "theta": array(), "L": REAL, "etaL": REAL}  # the batch indices are read as given


def moments(
    inst: dict[str, Any],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Fraction, Fraction]:
    """Exact (object-array) θ, μ, M_jj, mini-batch gradient, η and L of an instance."""
    G = exact(inst["G"])
    n = G.shape[0]
    mu = G.sum(axis=0) / n
    Mdiag = (G * G).sum(axis=0) / n
    idx = [int(i) for i in np.asarray(inst["batch"]).ravel()]
    g = G[idx].sum(axis=0) / len(idx)
    L = Fraction(inst["L"])
    return exact(inst["theta"]), mu, Mdiag, g, Fraction(inst["etaL"]) / L, L


def symbolic() -> list[Any]:
    import sympy as sp

    eta, L = sp.symbols("eta L", positive=True)
    out: list[Any] = []
    for j in (1, 2):
        mu, M, g, th = sp.symbols(f"mu{j} M{j} g{j} theta{j}", positive=True)
        a = eta * mu**2 / M
        u = eta * mu / sp.sqrt(M)
        out += [
            Identity(
                th - a * g, th - eta * (mu / sp.sqrt(M)) ** 2 * g, f"(36) with a = ημ²/M is (41), j = {j}"
            ),
            Identity(
                th - a * g, th - u**2 / eta * g, f"(41) = θ − u²/η·g with u the ADAM step (40), j = {j}"
            ),
            Identity(a / (3 * mu**2 / (2 * L * M)), 2 * eta * L / 3, f"a_j/hi_j = 2ηL/3, j = {j}"),
            Identity((mu**2 / (2 * L * M)) / a, 1 / (2 * eta * L), f"lo_j/a_j = 1/(2ηL), j = {j}"),
        ]
    return out


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 7)), int(rng.integers(1, 5))
        G = rng.standard_normal((n, p)) * 10 ** rng.uniform(-3, 3)
        G[:, :] += rng.standard_normal(p)  # non-zero mean in every coordinate (almost surely)
        m = int(rng.integers(1, n + 1))
        etaL = [0.5 + 1e-9, 1.5 - 1e-9, float(rng.uniform(0.5, 1.5))][i % 3]
        out.append(
            {
                "G": G,
                "theta": rng.standard_normal(p),
                "batch": rng.integers(0, n, size=m),
                "L": float(10 ** rng.uniform(-2, 2)),
                "etaL": etaL,
            }
        )
    return out


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    el = reals(-1e3, 1e3)
    G = draw(hnp.arrays(float, (n, p), elements=el))
    return {
        "G": G,
        "theta": draw(hnp.arrays(float, (p,), elements=el)),
        "batch": np.asarray(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n)), dtype=np.int64),
        "L": draw(st.floats(1e-2, 1e2)),
        "etaL": draw(st.floats(0.5, 1.5, exclude_min=True, exclude_max=True)),
    }


def _valid(i: dict[str, Any]) -> bool:
    G, th = i["G"], i["theta"]
    b = np.asarray(i["batch"]).ravel()
    if not (G.ndim == 2 and th.shape == (G.shape[1],) and b.size >= 1):
        return False
    if not (np.all(np.isfinite(G)) and np.all(np.isfinite(th)) and np.all((b >= 0) & (b < G.shape[0]))):
        return False
    mu = G.mean(axis=0)
    return bool(np.all(np.abs(mu) > 1e-6 * max(float(np.max(np.abs(G))), 1e-300)) and i["L"] > 0)


HYPOTHESES = (
    Hypothesis("gradient set, batch indices valid; every μ_j ≠ 0 (so (36) is non-empty); L > 0", _valid),
    Hypothesis("½ < ηL < 3/2", lambda i: 0.5 < i["etaL"] < 1.5),
)

FIXED = {
    "G": np.array([[1.0, -2.0], [3.0, 0.5]]),
    "theta": np.array([0.25, -1.0]),
    "batch": np.array([1, 1]),
    "L": 1.0,
    "etaL": 1.5 - 1e-12,
}


def claim(cid: str, title: str, statement: str, concl: Any) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=HYPOTHESES,
        conclusion=concl,
        inputs=INPUTS,
        checks=(
            SymbolicCheck("symbolic", symbolic),
            ExactCheck("exact", generate, fixed=[FIXED]),
            PropertyCheck("property", instances(), max_examples=60),
        ),
        tolerance=TOL,
    )
