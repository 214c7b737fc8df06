r"""Shared machinery of the App. B.3 modules of Theorem 3.5 (two-layer leaky-ReLU networks; not collected).

μ from the exact per-sample gradients of :class:`~verifythm.models.TwoLayerNetwork`, the bounds
:math:`(\alpha/\beta)^{\pm k}\min_ic_i/\max_ic_i` of the proof's ratio step, the data generators and
strategies (random and slope-splitting θ), the hypotheses, and the counterexamples of the printed steps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Comparison, Hypothesis, Identity, Tolerance
from verifythm.claims.inputs import REAL, array
from verifythm.models import TwoLayerNetwork, leaky_relu
from verifythm.quantities.directional import loss_alignment
from verifythm.strategies import GRADIENT_KINDS, gradient_matrices, real_vectors, reals


def _mu(inst: dict[str, Any]) -> float:
    X = inst["X"]
    net = TwoLayerNetwork(X.shape[1], inst["a"], leaky_relu(inst["alpha"]))
    J = net.jacobian(inst["theta"], X)
    e = net.predict(inst["theta"], X) - net.predict(inst["theta_star"], X)
    return loss_alignment(J.T, e)


def _c_ratio(X: np.ndarray) -> float:
    X = X / max(np.abs(X).max(), 1e-300)
    K = X @ X.T
    c = (K * K).sum(axis=1)
    return float(c.min() / c.max())


def bound_conclusion(power: int, side: str):
    """Conclusion μ(θ) ≥ (α/β)^power·min c/max c (``side="lower"``) or μ ≤ its reciprocal (``"upper"``)."""

    def conclusion(inst: dict[str, Any]) -> Comparison:
        a = min(inst["alpha"], 1.0) / max(inst["alpha"], 1.0)  # α/β for the leaky ReLU
        r, mu = _c_ratio(inst["X"]), _mu(inst)
        if side == "lower":
            return Comparison(mu, a**power * r, ">=", "μ(θ)", f"(α/β)^{power}·min c/max c")
        return Comparison(mu, 1 / (a**power * r), "<=", "μ(θ)", f"(β/α)^{power}·max c/min c")

    return conclusion


def _split_theta(rng: np.random.Generator, X: np.ndarray, y_pre: np.ndarray) -> np.ndarray:
    """A θ (m = 1) whose pre-activations put some samples on the α-slope (adversarial for μ)."""
    z = np.where(rng.random(X.shape[0]) < 0.5, -np.abs(y_pre) - 1.0, y_pre)
    return np.linalg.lstsq(X, z, rcond=None)[0]


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    """Seeded instances: identity or Gaussian inputs, widths 1–4, random or slope-splitting θ."""
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 7)), int(rng.integers(1, 9))
        X = np.eye(n, d) if i % 3 == 0 else rng.standard_normal((n, d))
        alpha = float(rng.choice([0.99, 0.9, rng.uniform(0.05, 0.99)]))
        if i % 2 == 0:
            m, a = 1, np.ones(1)
            ts = rng.standard_normal(d)
            th = _split_theta(rng, X, X @ ts)
        else:
            m = int(rng.integers(1, 5))
            a = rng.choice([-1.0, 1.0], size=m)
            ts, th = rng.standard_normal(m * d), rng.standard_normal(m * d)
        out.append({"X": X, "a": a, "alpha": alpha, "theta": th, "theta_star": ts})
    return out


# orthogonal inputs first (equal c_i: where the bounds are tightest), then the other rank-one kinds
_KINDS = ("orthogonal", *(k for k in GRADIENT_KINDS if k != "orthogonal"))


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    """Inputs from ``gradient_matrices`` (all rank-one kinds), α, width m ≤ 3, θ random or slope-splitting."""
    n, d = draw(st.integers(1, 6)), draw(st.integers(1, 8))
    X = draw(gradient_matrices(_KINDS, n=n, p=d)).T
    alpha = draw(reals(0.05, 0.99))
    if not draw(st.booleans()):  # m = 1, θ puts the samples in a drawn mask on the α-slope (_split_theta)
        ts = draw(real_vectors(d, -2, 2))
        y = X @ ts
        mask = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        mask[0] = True  # at least one sample on the α-slope with a residual
        th = np.linalg.lstsq(X, np.where(mask, -np.abs(y) - 1.0, y), rcond=None)[0]
        return {"X": X, "a": np.ones(1), "alpha": alpha, "theta": th, "theta_star": ts}
    m = draw(st.integers(1, 3))
    a = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m)))
    ts, th = draw(real_vectors(m * d, -2, 2)), draw(real_vectors(m * d, -2, 2))
    return {"X": X, "a": a, "alpha": alpha, "theta": th, "theta_star": ts}


def _nondegenerate(inst: dict[str, Any]) -> bool:
    X = inst["X"]
    if not np.all(np.linalg.norm(X, axis=1) > 1e-9):
        return False
    net = TwoLayerNetwork(X.shape[1], inst["a"], leaky_relu(inst["alpha"]))
    e = net.predict(inst["theta"], X) - net.predict(inst["theta_star"], X)
    return bool(np.abs(e).max() > 1e-9)


INPUTS = {"X": array(2), "a": array(1), "alpha": REAL}  # θ, θ* go to the network as drawn
HYP = (
    Hypothesis("0 < α < 1 (leaky ReLU: α ≤ φ' ≤ β = 1)", lambda i: 0 < i["alpha"] < 1),
    Hypothesis("inputs non-zero and L(θ) > 0 (μ not 0/0)", _nondegenerate),
)
TOL = Tolerance(rtol=1e-8, atol=1e-12)

STEP_LOWER_CE = {
    "X": np.eye(2),
    "a": np.ones(1),
    "alpha": 0.1,
    "theta": np.array([-1.0, 1.0]),
    "theta_star": np.array([-2.0, 1.0]),
}
_n = 300
STEP_UPPER_CE = {
    "X": np.eye(_n),
    "a": np.ones(1),
    "alpha": 0.1,
    "theta": np.r_[2.0, -np.ones(_n - 1)],
    "theta_star": np.r_[1.0, -np.ones(_n - 1)],
}


def ratio_obligations(power: int) -> Any:
    def build() -> list[Identity]:
        """App. B.3: ratio of the bounds (α²m xᵢᵀxⱼ)², (β²m xᵢᵀxⱼ)² on (∇f_iᵀ∇f_j)² vs (α/β)^power."""
        import sympy as sp

        a, b, m, s = sp.symbols("alpha beta m s", positive=True)  # s = |xᵢᵀxⱼ| > 0
        low, high = (a**2 * m * s) ** 2, (b**2 * m * s) ** 2
        return [Identity(low / high, (a / b) ** power, f"(α²m xᵢᵀxⱼ)²/(β²m xᵢᵀxⱼ)² = (α/β)^{power}")]

    return build
