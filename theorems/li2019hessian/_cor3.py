r"""Private helpers of :mod:`theorems.li2019hessian.cor3`: the two-layer ReLU network and its KL.

The exact (a.e.) Hessian of the square loss, the parts of an instance before and after the
:math:`\alpha`-scaling, the Assumption 2 KL (float, exact-rational Hessian diagonal, mpmath,
sympy term), the generators and the hypotheses.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Hypothesis
from verifythm.linalg.precise import frac_to_mpf
from verifythm.quantities.pacbayes import gaussian_kl_diag
from verifythm.strategies.scalars import reals


def network_hessian(X: np.ndarray, y: np.ndarray, W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Exact a.e. Hessian of (1/2n) Σ (vᵀ relu(W x_i) − y_i)² in θ = (vec W row-major, v)."""
    n, d = X.shape
    h = W.shape[0]
    P = h * d + h
    H = np.zeros((P, P))
    for i in range(n):
        pre = W @ X[i]
        mask = (pre > 0).astype(float)
        act = pre * mask
        r = float(v @ act - y[i])
        J = np.concatenate([np.outer(v * mask, X[i]).ravel(), act])
        K = np.zeros((P, P))
        for a in range(h):
            for b in range(d):
                K[a * d + b, h * d + a] = K[h * d + a, a * d + b] = mask[a] * X[i, b]
        H += np.outer(J, J) + r * K
    return H / n


def parts(inst: dict[str, Any]) -> dict[str, Any]:
    """θ, α, the Hessians before and after T_α, σ² and θ₀ of an instance read with ``cor3.INPUTS``."""
    X, y, W, v, a1, a2 = (inst[k] for k in ("X", "y", "W", "v", "alpha1", "alpha2"))
    alpha = np.concatenate([np.full(W.size, a1), np.full(v.size, a2)])
    theta = np.concatenate([W.ravel(), v])
    return {
        "theta": theta,
        "alpha": alpha,
        "H": network_hessian(X, y, W, v),
        "H_scaled": network_hessian(X, y, a1 * W, a2 * v),
        "sigma2": inst["sigma2"],
        "theta0": inst["theta0"],
    }


def kl(theta: np.ndarray, hdiag: np.ndarray, theta0: np.ndarray, sigma2: np.ndarray) -> float:
    nu = np.maximum(hdiag, 1.0 / sigma2)
    return gaussian_kl_diag(theta, 1.0 / nu, theta0, sigma2)


def hdiag_exact(X: np.ndarray, y: np.ndarray, W: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Exact rational diagonal of :func:`network_hessian` (object arrays of Fractions in, out).

    The residual term couples a weight of W only with an entry of v, so it has no diagonal:
    the diagonal is the mean over samples of the squared Jacobian J_i = (v ∘ 1[Wx_i > 0] ⊗ x_i, relu(Wx_i)).
    """
    n = X.shape[0]
    out = np.zeros(W.size + v.size, dtype=object)
    for i in range(n):
        pre = W.dot(X[i])
        act = np.array([z if z > 0 else Fraction(0) for z in pre], dtype=object)
        gate = np.array([vj if z > 0 else Fraction(0) for vj, z in zip(v, pre, strict=True)], dtype=object)
        J = np.concatenate([np.outer(gate, X[i]).ravel(), act])
        out = out + J * J
    return out / n


def kl_mp(theta: np.ndarray, hdiag: np.ndarray, theta0: np.ndarray, sigma2: np.ndarray) -> Any:
    """:func:`_kl` on exact rationals: every term exact but the logarithm (mpmath, current precision)."""
    import mpmath

    total = mpmath.mpf(0)
    for t, h, t0, s2 in zip(theta, hdiag, theta0, sigma2, strict=True):
        ratio = 1 / (max(h, 1 / s2) * s2)  # var_q/var_p = 1/(ν_j σ_j²)
        rest = ratio - 1 + (t0 - t) ** 2 / s2
        total += frac_to_mpf(rest) - mpmath.log(frac_to_mpf(ratio))
    return total / 2


def kl_term(th: Any, nu: Any, th0: Any, s2: Any) -> Any:
    """One coordinate of KL(N(θ, ν⁻¹) ‖ N(θ₀, σ²)) (Eq. (103), diagonal), in sympy."""
    import sympy as sp

    th, nu, th0, s2 = (sp.sympify(z) for z in (th, nu, th0, s2))
    r = 1 / (nu * s2)
    return (r - 1 - sp.log(r) + (th0 - th) ** 2 / s2) / 2


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d, h, n = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 6))
        p = h * d + h
        a1 = float(10 ** rng.uniform(-1, 1))
        X = rng.standard_normal((n, d))
        W, v = rng.standard_normal((h, d)), rng.standard_normal(h)
        iso = i % 2 == 0  # Section 6: isotropic prior centred at 0
        out.append(
            {
                "X": X,
                "y": rng.standard_normal(n),
                "W": W,
                "v": v,
                "alpha1": a1,
                "alpha2": 1.0 / a1,
                "sigma2": np.full(p, float(10 ** rng.uniform(-1, 1))) if iso else 10 ** rng.uniform(-1, 1, p),
                "theta0": np.zeros(p) if iso else rng.standard_normal(p),
            }
        )
    return out


@st.composite
def instances(draw: Any, steer: bool = True) -> dict[str, Any]:
    d, h, n = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 3))
    p = h * d + h
    el = reals(-2, 2)
    # X and W away from 0 (either sign), so that pre-activations are rarely at the ReLU kink
    away = st.tuples(st.sampled_from([-1.0, 1.0]), reals(0.1, 2)).map(lambda t: t[0] * t[1]) if steer else el
    a1 = draw(st.floats(0.1, 10.0))
    return {
        "X": draw(hnp.arrays(float, (n, d), elements=away)),
        "y": draw(hnp.arrays(float, (n,), elements=el)),
        "W": draw(hnp.arrays(float, (h, d), elements=away)),
        "v": draw(hnp.arrays(float, (h,), elements=el)),
        "alpha1": a1,
        "alpha2": 1.0 / a1,
        "sigma2": draw(hnp.arrays(float, (p,), elements=st.floats(0.1, 10.0))),
        "theta0": draw(hnp.arrays(float, (p,), elements=el)),
    }


SMALLEST = {
    "X": np.array([[1.0]]),
    "y": np.array([1.0]),
    "W": np.array([[1.0]]),
    "v": np.array([1.0]),
    "alpha1": 2.0,
    "alpha2": 0.5,
    "sigma2": np.array([1.0, 1.0]),
    "theta0": np.array([0.0, 0.0]),
}

HYPOTHESES = (
    Hypothesis(
        "α₁, α₂ > 0 with α₁α₂ = 1 (Definition 1)",
        lambda i: bool(i["alpha1"] > 0 and i["alpha2"] > 0 and abs(i["alpha1"] * i["alpha2"] - 1) < 1e-12),
    ),
    Hypothesis(
        "σ_j² > 0; shapes match",
        lambda i: bool(
            np.all(np.asarray(i["sigma2"]) > 0)
            and np.size(i["sigma2"]) == np.size(i["W"]) + np.size(i["v"]) == np.size(i["theta0"])
        ),
    ),
    Hypothesis(
        "no pre-activation exactly at the ReLU kink",
        lambda i: bool(np.all(np.abs(np.asarray(i["X"]) @ np.asarray(i["W"]).T) > 1e-9)),
    ),
)
