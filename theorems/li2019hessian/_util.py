"""Private helpers shared by the li2019hessian modules (not collected: the name starts with ``_``).

Only what is specific to this paper lives here (finite differences for Table 1, the quadratic
expected change of Theorems 1 and 3, the PAC-Bayes instances of Theorem 4, the ReLU network of
Proposition 1 and the figures); the general helpers (``exact``, ``finite``, ``matrix_equal``,
``symbolic_exact_property``) are in :mod:`verifythm.claims.common`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm.strategies.scalars import reals


def fd_gradient(fun: Any, theta: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """Gradient of a scalar function by Richardson-extrapolated central differences (error O(h⁴))."""
    theta = np.asarray(theta, dtype=float)
    g = np.zeros(theta.size)

    def central(j: int, s: float) -> float:
        e = np.zeros(theta.size)
        e[j] = s
        return (fun(theta + e) - fun(theta - e)) / (2 * s)

    for j in range(theta.size):
        g[j] = (4 * central(j, h / 2) - central(j, h)) / 3
    return g


def fd_hessian(fun: Any, theta: np.ndarray, h: float = 1e-2) -> np.ndarray:
    """Hessian of a scalar function by Richardson-extrapolated second differences (error O(h⁴))."""
    theta = np.asarray(theta, dtype=float)
    P = theta.size

    def second(j: int, k: int, s: float) -> float:
        ej = np.zeros(P)
        ek = np.zeros(P)
        ej[j] = s
        ek[k] = s
        return (fun(theta + ej + ek) - fun(theta + ej - ek) - fun(theta - ej + ek) + fun(theta - ej - ek)) / (
            4 * s * s
        )

    H = np.zeros((P, P))
    for j in range(P):
        for k in range(j, P):
            H[j, k] = H[k, j] = (4 * second(j, k, h / 2) - second(j, k, h)) / 3
    return H


def quadratic_expected_change(
    H: np.ndarray, B: np.ndarray, theta: np.ndarray, m: int, step: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """Exact E[f(θ − P ĝ) − f(θ)] for per-sample quadratics f_i(θ) = ½θᵀHθ + b_iᵀθ.

    ``step`` is the (diagonal) preconditioner ``P`` as a vector (``η·1`` for vanilla SGD);
    ĝ is the mini-batch gradient of ``m`` indices drawn with replacement, enumerated exactly
    with :func:`verifythm.dynamics.sampling.batch_distribution`.  Returns
    ``(E Δ, per-sample gradients G, μ)``.
    """
    from verifythm.dynamics.sampling import Sampling, batch_distribution

    n = B.shape[0]
    G = theta @ H + B  # rows g_i = Hθ + b_i (H symmetric)
    mu = G.mean(axis=0)
    bbar = B.mean(axis=0)

    def f(t: np.ndarray) -> float:
        return 0.5 * float(t @ H @ t) + float(bbar @ t)

    f0 = f(theta)
    E = 0.0
    for prob, w in batch_distribution(Sampling.WITH_REPLACEMENT, n, m):
        g = np.array([float(x) for x in w]) @ G
        E += float(prob) * (f(theta - step * g) - f0)
    return E, G, mu


def quadratic_expected_change_exact(
    H: np.ndarray, G: np.ndarray, m: int, step: np.ndarray
) -> tuple[Fraction, np.ndarray]:
    r"""Exact rational :math:`\mathbb E[f(\theta-P\hat g)-f(\theta)]` for a quadratic loss with Hessian ``H``.

    The high-precision twin of :func:`quadratic_expected_change`: ``H`` (p×p), the per-sample
    gradients ``G`` (n×p) at :math:`\theta` and the diagonal preconditioner ``step`` (p) are
    object arrays of :class:`~fractions.Fraction`.  The loss is quadratic, so with
    :math:`\mu=\frac1n\sum_ig_i=\nabla f(\theta)` the change along a batch gradient
    :math:`\hat g` is :math:`-(P\hat g)^T\mu+\frac12(P\hat g)^TH(P\hat g)`, averaged over every
    batch of ``m`` indices drawn with replacement (exact probabilities).  Returns ``(E Δ, μ)``.
    """
    from verifythm.dynamics.sampling import Sampling, batch_distribution

    n = G.shape[0]
    mu = G.sum(axis=0) / n
    E = Fraction(0)
    for prob, w in batch_distribution(Sampling.WITH_REPLACEMENT, n, m):
        d = step * np.asarray(w, dtype=object).dot(G)  # the move P ĝ
        E += prob * (-d.dot(mu) + d.dot(H.dot(d)) / 2)
    return E, mu


@st.composite
def pacbayes_instances(draw: Any, sigma2_per_coordinate: bool) -> dict[str, Any]:
    """PAC-Bayes bound inputs (θ, θ₀, diag H, σ², n, δ); σ² a vector or one shared scalar."""
    p = draw(st.integers(1, 5))
    el = reals(-5, 5)
    s2 = st.floats(1e-2, 1e2)
    return {
        "theta": draw(hnp.arrays(float, (p,), elements=el)),
        "theta0": draw(hnp.arrays(float, (p,), elements=el)),
        "hdiag": draw(hnp.arrays(float, (p,), elements=reals(-10, 1e3))),
        "sigma2": draw(hnp.arrays(float, (p,), elements=s2) if sigma2_per_coordinate else s2),
        "n": draw(st.integers(1, 10_000)),
        "delta": draw(st.floats(1e-3, 0.5)),
    }


def relu_network_size(widths: Sequence[int]) -> int:
    """Number of parameters (weights and biases) of a fully connected network with these widths."""
    return sum((a + 1) * b for a, b in itertools.pairwise(widths))


def relu_network_logits(theta: Any, X: Any, widths: Sequence[int]) -> Any:
    """Outputs of a fully connected ReLU network (torch tensors; no activation after the last layer).

    ``theta`` is flat: per layer the weight (out, in) row-major, then the bias.  ``X`` is one
    input (in,) or a batch (n, in).
    """
    import torch

    h, o = X, 0
    for k, (a, b) in enumerate(itertools.pairwise(widths)):
        W, c = theta[o : o + a * b].reshape(b, a), theta[o + a * b : o + a * b + b]
        o += a * b + b
        h = h @ W.T + c
        if k < len(widths) - 2:
            h = torch.relu(h)
    return h
