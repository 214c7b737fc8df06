r"""Private helpers of the Theorem 1 (Eq. (27)) modules: the expected one-step change and its evidence.

:math:`\mathbb E[\Delta_t]` and the ingredients of the bounds by exact batch enumeration, for
quadratic and logistic instances; the seeded and Hypothesis instances, the hypotheses (shapes,
Assumption 1) and the claim factory shared by :mod:`.thm1` and :mod:`.thm1_as_proved`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import (
    Claim,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import INT, REAL, array
from verifythm.dynamics.sampling import Sampling, batch_distribution
from verifythm.strategies.scalars import reals

from ._util import quadratic_expected_change

SOURCE = Source("li2019hessian", "Theorem 1, Eq. (27)")

#: A quadratic instance (H, B) or a logistic one (X, y); θ, η, m, L for both.
INPUTS = dict(H=array(2), B=array(2), X=array(2), y=array(1), theta=array(1), eta=REAL, L=REAL, m=INT)


def _logistic_sides(inst: dict[str, Any]) -> dict[str, float]:
    """The same quantities for binary logistic regression, E Δ by exact batch enumeration."""
    X, y, th, eta, m, L = (inst[k] for k in ("X", "y", "theta", "eta", "m", "L"))
    n = X.shape[0]

    def loss(t: np.ndarray) -> float:
        z = X @ t
        return float(np.mean(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)))

    G = (1 / (1 + np.exp(-(X @ th))) - y)[:, None] * X
    mu = G.mean(axis=0)
    f0 = loss(th)
    E = sum(
        float(prob) * (loss(th - eta * (np.array([float(x) for x in w]) @ G)) - f0)
        for prob, w in batch_distribution(Sampling.WITH_REPLACEMENT, n, m)
    )
    trM = float(np.sum(G * G)) / n
    return {
        "E": E,
        "drift": -eta * float(mu @ mu),
        "q": 0.5 * eta**2 * L,
        "trM": trM,
        "trMm": (trM - float(mu @ mu)) / m + float(mu @ mu),
    }


def sides(inst: dict[str, Any]) -> dict[str, float]:
    """``E Δ`` and the ingredients of the bounds (quadratic or logistic instance)."""
    if "X" in inst:
        return _logistic_sides(inst)
    H, B, th, eta, m, L = (inst[k] for k in ("H", "B", "theta", "eta", "m", "L"))
    E, G, mu = quadratic_expected_change(H, B, th, m, np.full(th.size, eta))
    trM = float(np.sum(G * G)) / G.shape[0]
    trSigma = trM - float(mu @ mu)
    return {
        "E": E,
        "drift": -eta * float(mu @ mu),
        "q": 0.5 * eta**2 * L,
        "trM": trM,
        "trMm": trSigma / m + float(mu @ mu),
    }


def symbolic() -> list[Any]:
    import sympy as sp

    h, th, eta = sp.symbols("h theta eta", real=True)
    b = sp.symbols("b1 b2", real=True)
    g = [h * th + bi for bi in b]
    bbar = sum(b) / 2

    def f(t: Any) -> Any:
        return h * t**2 / 2 + bbar * t

    E = 0
    for prob, w in batch_distribution(Sampling.WITH_REPLACEMENT, 2, 2):
        gh = sum(sp.Rational(wi.numerator, wi.denominator) * gi for wi, gi in zip(w, g, strict=True))
        E += sp.Rational(prob.numerator, prob.denominator) * (f(th - eta * gh) - f(th))
    mu = sum(g) / 2
    Sig = sum((gi - mu) ** 2 for gi in g) / 2
    L, u, S, q, k = sp.symbols("L u S q k", nonnegative=True)
    trM, trMm = S + q, S / (1 + k) + q
    return [
        Identity(
            E, -eta * mu**2 + eta**2 / 2 * h * (Sig / 2 + mu**2), "E Δ = −ημ² + η²h·Tr M^(m)/2 (n = m = 2)"
        ),
        Nonnegative(L * trM - (L - u) * trMm, "upper: L·Tr M ≥ h·Tr M^(m) for h = L − u ≤ L"),
        Nonnegative((-L + u) * trMm + L * trM, "lower: h·Tr M^(m) ≥ −L·Tr M for h = −L + u ≥ −L"),
    ]


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        m = 1 if i % 3 == 0 else int(rng.integers(1, min(n, 3) + 1))
        R = rng.standard_normal((p, p))
        kind = i % 5
        if kind == 0:
            H = 10 ** rng.uniform(-1, 1) * np.eye(p)
        elif kind == 1:
            H = -(10 ** rng.uniform(-1, 1)) * np.eye(p)
        elif kind == 2:
            H = R @ R.T
        else:
            H = (R + R.T) / 2
        Lh = float(np.max(np.abs(np.linalg.eigvalsh(H))))
        L = Lh if i % 2 == 0 else Lh * float(10 ** rng.uniform(0, 1))
        out.append(
            {
                "H": H,
                "B": rng.standard_normal((n, p)),
                "theta": rng.standard_normal(p),
                "eta": float(10 ** rng.uniform(-2, 0.5)) / max(L, 1e-12),
                "m": m,
                "L": L,
            }
        )
    return out


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    m = draw(st.integers(1, min(n, 3)))
    el = reals(-3, 3)
    R = draw(hnp.arrays(float, (p, p), elements=el))
    H = draw(st.sampled_from([(R + R.T) / 2, R @ R.T, np.eye(p), -np.eye(p)]))
    Lh = float(np.max(np.abs(np.linalg.eigvalsh(H))))
    return {
        "H": H,
        "B": draw(hnp.arrays(float, (n, p), elements=el)),
        "theta": draw(hnp.arrays(float, (p,), elements=el)),
        "eta": draw(st.floats(1e-3, 3.0)),
        "m": m,
        "L": Lh * draw(st.sampled_from([1.0, 1.5])),
    }


def shapes(i: dict[str, Any]) -> bool:
    if "X" in i:  # logistic instance
        X = i["X"]
        return bool(
            np.all(np.isfinite(X))
            and X.shape[1] == np.size(i["theta"])
            and 1 <= i["m"] <= X.shape[0] <= 8
            and i["eta"] > 0
        )
    return bool(
        np.allclose(i["H"], np.asarray(i["H"]).T)
        and np.shape(i["B"])[1] == np.shape(i["H"])[0] == np.size(i["theta"])
        and 1 <= i["m"] <= np.shape(i["B"])[0] <= 8
        and i["eta"] > 0
    )


def assumption1(i: dict[str, Any]) -> bool:
    if "X" in i:  # sup_θ ‖H_f(θ)‖₂ = λ_max(XᵀX)/(4n): Assumption 1 holds on every region
        X = i["X"]
        return bool(np.linalg.eigvalsh(X.T @ X)[-1] / (4 * X.shape[0]) <= i["L"] * (1 + 1e-12))
    return bool(float(np.max(np.abs(np.linalg.eigvalsh(i["H"])))) <= i["L"] * (1 + 1e-12))


def generate_logistic(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(k):
        n, p = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        m = int(rng.integers(1, min(n, 3) + 1))
        X = rng.standard_normal((n, p))
        L = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * n)
        out.append(
            {
                "X": X,
                "y": (rng.random(n) < 0.5).astype(float),
                "theta": rng.standard_normal(p),
                "eta": float(10 ** rng.uniform(-1, 1)) / L,
                "m": m,
                "L": L,
            }
        )
    return out


HYPOTHESES = (
    Hypothesis("shapes match, 1 ≤ m ≤ n ≤ 8, η > 0 (H symmetric for quadratics)", shapes),
    Hypothesis("Assumption 1: ‖H_f(θ)‖₂ ≤ L on the region reached (globally here)", assumption1),
)


def claim(cid: str, title: str, statement: str, concl: Any) -> Claim:
    return Claim(
        id=cid,
        aliases=("li2019.theorem1" + cid.removeprefix("li2019.thm1"),),  # its id before the id rule
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=HYPOTHESES,
        conclusion=concl,
        inputs=INPUTS,
        checks=(
            SymbolicCheck("symbolic", symbolic),
            ExactCheck(
                "exact",
                generate,
                fixed=[
                    {
                        "H": np.eye(1),
                        "B": np.array([[1.0], [-1.0]]),
                        "theta": np.array([1.0]),
                        "eta": 0.5,
                        "m": 1,
                        "L": 1.0,
                    }
                ],
            ),
            ExactCheck("exact_logistic", generate_logistic),
            PropertyCheck("property", instances(), max_examples=100),
        ),
    )
