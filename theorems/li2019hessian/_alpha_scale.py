r"""Private helpers of the Definitions 1–2 modules: rectified networks and their α-scaling.

Rectified feed-forward networks with a flat parameter vector (layers, sizes, forward pass, the
:math:`\alpha`-scaled parameters), the seeded and Hypothesis instances, the hypotheses, the
numeric evidence and the fixed instances of the Definition 1 and Definition 2 claims of
:mod:`.def1`, :mod:`.def1_with_biases` and :mod:`.def2`, and the function-invariance conclusion and
its symbolic obligations shared by the two Definition 1 modules.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Comparison, ExactCheck, Hypothesis, Identity, PropertyCheck, Tolerance
from verifythm.claims.inputs import REAL, array

TOL = Tolerance(rtol=1e-10, atol=1e-13)
#: How the claims on these networks read an instance (shapes are the hypotheses' to check;
#: ``widths`` and ``bias`` are read as given); :func:`layers`, :func:`scaled` and the hypotheses rely on it.
INPUTS = {**dict.fromkeys(("theta", "alpha", "X"), array()), "leak": REAL}


def layers(inst: dict[str, Any]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Unpack the flat ``theta`` into per-layer (W_l, b_l) for the widths (b_l = 0 without biases)."""
    w = [int(v) for v in np.asarray(inst["widths"])]
    theta, out, k = inst["theta"], [], 0
    for fan_in, fan_out in itertools.pairwise(w):
        W = theta[k : k + fan_in * fan_out].reshape(fan_out, fan_in)
        k += fan_in * fan_out
        if bool(inst["bias"]):
            b = theta[k : k + fan_out]
            k += fan_out
        else:
            b = np.zeros(fan_out)
        out.append((W, b))
    return out


def layer_sizes(widths: list[int], bias: bool) -> list[int]:
    """Number of parameters |θ_l| of each layer."""
    return [a * b + (b if bias else 0) for a, b in itertools.pairwise(widths)]


def n_params(widths: list[int], bias: bool) -> int:
    """Number of parameters of the network with these widths."""
    return sum(layer_sizes(widths, bias))


def forward(params: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, leak: float) -> np.ndarray:
    """φ(x; θ) for the rows of X (no activation after the last layer)."""
    Z = X.T
    for i, (W, b) in enumerate(params):
        Z = W @ Z + b[:, None]
        if i < len(params) - 1:
            Z = np.maximum(Z, leak * Z)
    return Z.T


def scaled(inst: dict[str, Any], bias_rule: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """T_α applied layer by layer; biases scaled by α_l ("layer", Eq. (45)) or α_1⋯α_l ("cumulative")."""
    alpha = inst["alpha"]
    cum = np.cumprod(alpha)
    return [
        (a * W, (a if bias_rule == "layer" else c) * b)
        for (W, b), a, c in zip(layers(inst), alpha, cum, strict=True)
    ]


def networks(bias: bool) -> Any:
    def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(k):
            depth = int(rng.integers(1, 5))
            widths = [int(rng.integers(1, 6)) for _ in range(depth + 1)]
            la = rng.uniform(-2, 2, depth) * np.log(10)
            la -= la.mean()  # Π α_l = 1
            X = rng.standard_normal((int(rng.integers(1, 6)), widths[0]))
            if i % 3 == 0:
                X[0] = 0.0
            out.append(
                {
                    "widths": np.asarray(widths),
                    "theta": rng.standard_normal(n_params(widths, bias)),
                    "bias": bias,
                    "alpha": np.exp(la),
                    "leak": 0.0 if i % 2 == 0 else float(rng.uniform(0, 0.5)),
                    "X": X,
                }
            )
        return out

    return generate


def network_strategy(bias: bool) -> Any:
    @st.composite
    def draw(d: Any) -> dict[str, Any]:
        seed = d(st.integers(0, 2**32 - 1))
        return networks(bias)(np.random.default_rng(seed), 1)[0]

    return draw()


def _valid(i: dict[str, Any]) -> bool:
    w = np.asarray(i["widths"])
    alpha, theta, X = i["alpha"], i["theta"], i["X"]
    return bool(
        w.ndim == 1
        and w.size >= 2
        and np.all(w >= 1)
        and alpha.shape == (w.size - 1,)
        and theta.shape == (n_params([int(v) for v in w], bool(i["bias"])),)
        and X.ndim == 2
        and X.shape[1] == int(w[0])
        and np.all(np.isfinite(theta))
        and np.all(np.isfinite(X))
        and 0.0 <= i["leak"] < 1.0
    )


def hypotheses(bias: bool) -> tuple[Hypothesis, ...]:
    return (
        Hypothesis("a feed-forward network with a rectified activation ρ(z) = max(z, cz), 0 ≤ c < 1", _valid),
        Hypothesis(
            "α_l > 0 and Π_l α_l = 1",
            lambda i: bool(
                np.all(i["alpha"] > 0) and abs(float(np.sum(np.log(i["alpha"])))) <= 1e-12 * len(i["alpha"])
            ),
        ),
        Hypothesis(
            "layers with biases" if bias else "layers without biases", lambda i: bool(i["bias"]) is bias
        ),
    )


def numeric(bias: bool, fixed: list[dict[str, Any]]) -> tuple[ExactCheck, PropertyCheck]:
    """``exact`` (seeded + fixed) and ``property`` evidence, for claims without a symbolic part."""
    return (
        ExactCheck("exact", networks(bias), fixed=fixed),
        PropertyCheck("property", network_strategy(bias), max_examples=40),
    )


SMALLEST = {
    "widths": np.array([1, 1, 1]),
    "theta": np.array([1.0, 0.0, 1.0, 1.0]),  # W_1, b_1, W_2, b_2
    "bias": True,
    "alpha": np.array([2.0, 0.5]),
    "leak": 0.0,
    "X": np.zeros((1, 1)),
}
BIAS_FREE = {**SMALLEST, "theta": np.array([1.0, -1.0]), "bias": False, "X": np.array([[0.5], [-2.0]])}


def invariance(bias_rule: str) -> Any:
    """``max_x |φ(x; T_α θ) − φ(x; θ)|`` against 0, biases moved by ``bias_rule`` (see :func:`scaled`)."""

    def conclusion(inst: dict[str, Any]) -> Comparison:
        X, leak = inst["X"], inst["leak"]
        before = forward(layers(inst), X, leak)
        after = forward(scaled(inst, bias_rule), X, leak)
        return Comparison(
            float(np.max(np.abs(after - before))),
            0.0,
            "==",
            "max_x |φ(x; T_α θ) − φ(x; θ)|",
            "0",
            scale=max(float(np.max(np.abs(before))), float(np.max(np.abs(after))), 1e-300),
        )

    return conclusion


def invariance_symbolic(bias_rule: str | None) -> Any:
    """Obligations: positive homogeneity of ρ, and the scalar two-layer network under α = (α, 1/α).

    ``bias_rule`` None: no biases; "cumulative": b_1 ↦ α b_1, b_2 ↦ α·(1/α) b_2 = b_2.
    """

    def build() -> list[Any]:
        import sympy as sp

        a = sp.Symbol("alpha", positive=True)
        zp, zn = sp.Symbol("z_pos", positive=True), sp.Symbol("z_neg", negative=True)
        c = sp.Symbol("c", nonnegative=True)

        def rho(z: Any) -> Any:  # max(z, cz) for 0 <= c < 1
            return sp.Max(z, 0) + c * sp.Min(z, 0)

        w1, w2, x = sp.symbols("w1 w2 x", positive=True)
        if bias_rule is None:
            b1 = b2 = sp.Integer(0)
        else:
            b1, b2 = sp.symbols("b1 b2", positive=True)
        phi = w2 * rho(w1 * x + b1) + b2
        phi_t = (w2 / a) * rho(a * w1 * x + a * b1) + b2  # cumulative factors α and α·(1/α) = 1
        return [
            Identity(rho(a * zp), a * rho(zp), "ρ(αz) = αρ(z), z > 0"),
            Identity(rho(a * zn), a * rho(zn), "ρ(αz) = αρ(z), z < 0"),
            Identity(phi_t, phi, "two-layer scalar network, α = (α, 1/α), w₁x + b₁ > 0"),
        ]

    return build
