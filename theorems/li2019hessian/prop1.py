r"""Li et al. (2019), Proposition 1: for the log-loss, :math:`H_f = M - H_p`.

Setting
-------
A probability model :math:`p(\theta;z_i)>0`, twice differentiable in :math:`\theta`, and the
log-loss :math:`f(\theta;z_i)=-\log p(\theta;z_i)` averaged over :math:`n` samples (Eqs. (3),
(11)).  :math:`H_f=\frac1n\sum_i\nabla^2f(\theta;z_i)` (Eq. (6)),
:math:`M=\frac1n\sum_i\nabla f\nabla f^T` (Eqs. (7), (9)) and
:math:`H_p=\frac1n\sum_i\frac1{p(\theta;z_i)}\nabla^2p(\theta;z_i)`.

Statement
---------
:math:`H_f(\theta_t)=M_t-H_p(\theta_t)` at every :math:`\theta_t` (Eq. (12)); no
assumption on the model beyond positivity and smoothness.

Remark (not a claim): Section 4.1 calls :math:`M_t` "a positive definite matrix"; it is
positive *semi*-definite, a sum of :math:`n` rank-one terms, so of rank at most :math:`n`,
hence singular in the over-parameterised settings of the paper
(:math:`p\approx10^3>n=100`, Table 2).

Evidence
--------
* ``symbolic``: for two samples with *generic* sympy functions
  :math:`p_1(\theta_1,\theta_2), p_2(\theta_1,\theta_2)` the identity
  :math:`\nabla^2(-\log p_i)=\nabla\log p_i\nabla\log p_i^T-\nabla^2p_i/p_i` and its average
  (the proof's chain rule, App. B.1).
* ``exact``: softmax regression (Eq. (10) with linear logits, :math:`k\in\{2,3\}` classes):
  :math:`H_f` from the analytic Hessian, :math:`M` from the analytic per-sample
  gradients, and :math:`H_p` *independently* by central finite differences of
  :math:`\nabla p_i` with Richardson extrapolation (steps :math:`h, h/2` and :math:`h/2, h/4`,
  :math:`h=10^{-3}/(1+\max_i\|x_i\|)`, error :math:`O(h^4)`; the gap of the two extrapolations
  is the comparison's resolution, so unresolved differences at large inputs decide nothing);
  agreement to relative :math:`10^{-6}`, far above the finite-difference error and far below
  any mathematical discrepancy.
* ``property``: Hypothesis over softmax problems (inputs, labels, points).
* ``li2019.prop1.relu_network`` — the same identity for softmax **networks**: one or two
  ReLU hidden layers with biases (the architecture of the paper's experiments, Table 2, scaled
  down), :math:`p` up to about 100.  ``exact`` (needs torch): :math:`H_f` by automatic
  differentiation of the mean log-loss, :math:`M` from per-sample gradients, and :math:`H_p`
  from the Hessians of the probabilities :math:`p_i` themselves (a different graph, not
  :math:`M-H_f`), all in float64; agreement to relative :math:`10^{-10}`.  The ReLU Hessian is
  the almost-everywhere one (the seeded points avoid kinks with probability one).

References
----------
[li2019hessian, Proposition 1, Eq. (12); proof in Appendix B.1].
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Identity, Source, Tolerance
from verifythm.claims.common import matrix_equal, symbolic_exact_property
from verifythm.claims.inputs import INT, array
from verifythm.models import SoftmaxRegression
from verifythm.strategies.scalars import reals

from ._util import relu_network_logits, relu_network_size

_H = 1e-3


def _model(inst: dict[str, Any]) -> SoftmaxRegression:
    return SoftmaxRegression(inst["X"].shape[1], inst["k"])


def _grad_p(model: SoftmaxRegression, theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Rows ∇p(θ; z_i) = −p_i ∇f_i (p_i the probability of the true label)."""
    P = model.probabilities(theta, X)
    Y = model.check_labels(y, X.shape[0])
    p_true = np.sum(P * Y, axis=1)
    return -p_true[:, None] * model.per_sample_grads(theta, X, y)


def residual_by_differences(inst: dict[str, Any]) -> tuple[np.ndarray, float]:
    """H_p = (1/n) Σ ∇²p_i / p_i with ∇²p_i from central differences of ∇p_i, and its error.

    Richardson extrapolation of central differences from steps (h, h/2) and (h/2, h/4); the
    finer one is returned with its Frobenius gap to the coarser one (about 16 times less
    accurate where the steps resolve the model) as the error estimate.  The step is
    ``10⁻³/(1 + max‖x_i‖)``: the logits move by ``x_iᵀΔθ``.
    """
    model = _model(inst)
    X, y, th = inst["X"], inst["y"], inst["theta"]
    n, P = X.shape[0], th.size
    p_true = np.sum(model.probabilities(th, X) * model.check_labels(y, n), axis=1)
    h0 = _H / (1.0 + float(np.max(np.linalg.norm(X, axis=1), initial=0.0)))

    def central(j: int, h: float) -> np.ndarray:
        e = np.zeros(P)
        e[j] = h
        return (_grad_p(model, th + e, X, y) - _grad_p(model, th - e, X, y)) / (2 * h)

    out = []
    for a, b in ((h0, h0 / 2), (h0 / 2, h0 / 4)):  # error O(h⁴) each
        hess = np.zeros((n, P, P))
        for j in range(P):
            hess[:, :, j] = (4 * central(j, b) - central(j, a)) / 3
        hess = (hess + hess.transpose(0, 2, 1)) / 2
        out.append(np.mean(hess / p_true[:, None, None], axis=0))
    if h0 / 4 < 1e4 * np.finfo(float).eps * max(1.0, float(np.max(np.abs(th), initial=0.0))):
        return out[1], np.inf  # the step is lost in θ's rounding: the differences say nothing
    return out[1], float(np.linalg.norm(out[1] - out[0]))


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``H_f`` (analytic) against ``M − H_p`` (H_p by finite differences, its error the resolution)."""
    model = _model(inst)
    X, y, th = inst["X"], inst["y"], inst["theta"]
    Hf = model.hessian(th, X)
    g = model.per_sample_grads(th, X, y)
    M = g.T @ g / X.shape[0]
    Hp, err = residual_by_differences(inst)
    return dataclasses.replace(matrix_equal(Hf, M - Hp, "H_f", "M − H_p"), resolution=err)


def _symbolic() -> list[Any]:
    import sympy as sp

    t1, t2 = sp.symbols("theta1 theta2", real=True)
    th = [t1, t2]
    ps = [sp.Function("p1")(t1, t2), sp.Function("p2")(t1, t2)]
    n = len(ps)
    Hf = sp.zeros(2, 2)
    M = sp.zeros(2, 2)
    Hp = sp.zeros(2, 2)
    for p in ps:
        f = -sp.log(p)
        grad = sp.Matrix([sp.diff(f, t) for t in th])
        Hf += sp.hessian(f, th) / n
        M += grad * grad.T / n
        Hp += sp.hessian(p, th) / (p * n)
    return [Identity(Hf, M - Hp, "H_f = M − H_p for generic p_1, p_2 (n = 2, θ ∈ R²)")]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d, kc = int(rng.integers(1, 7)), int(rng.integers(1, 4)), int(rng.integers(2, 4))
        X = rng.standard_normal((n, d))
        scale = 0.3 if i % 3 == 0 else 1.0
        out.append(
            {
                "X": X,
                "y": rng.integers(0, kc, size=n).astype(float),
                "theta": scale * rng.standard_normal(kc * d),
                "k": kc,
            }
        )
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    n, d, kc = draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(2, 3))
    el = reals(-2, 2)
    X = draw(hnp.arrays(float, (n, d), elements=el))
    y = np.array(draw(st.lists(st.integers(0, kc - 1), min_size=n, max_size=n)), dtype=float)
    theta = draw(hnp.arrays(float, (kc * d,), elements=el))
    return {"X": X, "y": y, "theta": theta, "k": kc}


_HYP = (
    Hypothesis(
        "X, θ finite with matching shapes; labels in 0..k−1",
        lambda inst: bool(
            np.all(np.isfinite(inst["X"]))
            and np.all(np.isfinite(inst["theta"]))
            and np.size(inst["theta"]) == inst["k"] * np.shape(inst["X"])[1]
            and np.all((inst["y"] >= 0) & (inst["y"] < inst["k"]))
        ),
    ),
)

CLAIM = Claim(
    id="li2019.prop1",
    title="Log-loss Hessian decomposition H_f = M − H_p",
    source=Source("li2019hessian", "Proposition 1, Eq. (12)"),
    statement=(
        r"For $f(\theta;z_i)=-\log p(\theta;z_i)$: $H_f(\theta_t)=M_t-H_p(\theta_t)$ with "
        r"$H_p=\frac1n\sum_i\frac{1}{p(\theta_t;z_i)}\nabla^2p(\theta_t;z_i)$."
    ),
    hypotheses=_HYP,
    conclusion=conclusion,
    inputs={"X": array(2), "y": array(1), "theta": array(1), "k": INT},
    checks=symbolic_exact_property(
        _symbolic,
        _generate,
        _instances(),
        fixed=[{"X": np.array([[1.0]]), "y": np.array([0.0]), "theta": np.array([0.5, -0.5]), "k": 2}],
        max_examples=60,
    ),
    tolerance=Tolerance(rtol=1e-6, atol=1e-9),
    kind="identity",
)


@contextmanager
def _one_torch_thread() -> Iterator[None]:
    """Run torch on one intra-op thread inside the block, then restore the previous count.

    The networks are tiny (p ≤ about 100): every operation runs on one thread anyway, and the
    thread pool only adds overhead to each of the many small operations of the function
    transforms (about 6× the CPU time with two threads).  The results are the same floats.
    """
    import torch

    prev = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(prev)


def _network_matrices(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """H_f, M and H_p of a ReLU softmax network by torch autodiff (float64), on one torch thread."""
    with _one_torch_thread():
        return _network_matrices_torch(inst)


def _network_matrices_torch(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_network_matrices`, computed."""
    import torch
    from torch.func import grad, hessian, vmap

    widths = [int(w) for w in np.asarray(inst["widths"])]
    X = torch.as_tensor(inst["X"])
    y = torch.nn.functional.one_hot(torch.as_tensor(np.asarray(inst["y"]).astype(np.int64)), widths[-1]).to(
        torch.float64
    )  # one-hot labels: vmap cannot index by a batched label
    theta = torch.as_tensor(inst["theta"])

    def logits(th: Any, x: Any) -> Any:
        return relu_network_logits(th, x, widths)

    def prob(th: Any, x: Any, label: Any) -> Any:
        return (torch.softmax(logits(th, x), dim=0) * label).sum()

    def loss(th: Any, x: Any, label: Any) -> Any:
        return -(torch.log_softmax(logits(th, x), dim=0) * label).sum()

    Hf = hessian(lambda th: vmap(loss, in_dims=(None, 0, 0))(th, X, y).mean())(theta)
    G = vmap(grad(loss), in_dims=(None, 0, 0))(theta, X, y)
    M = G.T @ G / X.shape[0]
    Hp_i = vmap(hessian(prob), in_dims=(None, 0, 0))(theta, X, y)
    p_i = vmap(prob, in_dims=(None, 0, 0))(theta, X, y)
    Hp = (Hp_i / p_i[:, None, None]).mean(dim=0)
    return Hf.numpy(), M.numpy(), Hp.numpy()


def network_conclusion(inst: dict[str, Any]) -> Comparison:
    """``H_f`` against ``M − H_p`` for a ReLU softmax network (torch autodiff)."""
    Hf, M, Hp = _network_matrices(inst)
    return matrix_equal(Hf, M - Hp, "H_f", "M − H_p")


def _generate_networks(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d, kc, n = int(rng.integers(1, 5)), int(rng.integers(2, 5)), int(rng.integers(1, 7))
        hidden = [int(rng.integers(1, 6)) for _ in range(1 + i % 2)]
        widths = [d, *hidden, kc]
        out.append(
            {
                "widths": np.asarray(widths),
                "theta": rng.standard_normal(relu_network_size(widths)),
                "X": rng.standard_normal((n, d)),
                "y": rng.integers(0, kc, size=n).astype(float),
            }
        )
    return out


NETWORK = Claim(
    id="li2019.prop1.relu_network",
    title="H_f = M − H_p for ReLU softmax networks (autodiff, float64)",
    source=Source("li2019hessian", "Proposition 1, Eq. (12)"),
    statement=(
        r"For a ReLU network with softmax output and the log-loss, $H_f(\theta_t)=M_t-H_p(\theta_t)$, "
        r"$H_p=\frac1n\sum_i\nabla^2p(\theta_t;z_i)/p(\theta_t;z_i)$, at every (non-kink) $\theta_t$."
    ),
    hypotheses=(
        Hypothesis(
            "finite θ, X; θ sized for the widths (weights and biases); labels in 0..k−1",
            lambda inst: bool(
                np.all(np.isfinite(inst["X"]))
                and np.all(np.isfinite(inst["theta"]))
                and np.size(inst["theta"]) == relu_network_size([int(w) for w in np.asarray(inst["widths"])])
                and np.shape(inst["X"])[1] == int(np.asarray(inst["widths"])[0])
                and np.all((np.asarray(inst["y"]) >= 0) & (np.asarray(inst["y"]) < int(inst["widths"][-1])))
            ),
        ),
    ),
    conclusion=network_conclusion,
    inputs={"X": array(), "theta": array()},  # widths and the labels (cast to int64) read as given
    checks=(ExactCheck("exact", _generate_networks, requires=("torch",)),),
    tolerance=Tolerance(rtol=1e-10, atol=1e-13),
    kind="identity",
)

CLAIMS = [CLAIM, NETWORK]
