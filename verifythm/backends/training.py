r"""Training and measuring small torch networks with the project's own SGD (square loss, scalar outputs).

* :func:`sgd_epoch`, :func:`sgd_step`, :func:`train`: mini-batch SGD without replacement on
  :math:`L(\theta)=\frac1{2n}\sum_i(f(x_i;\theta)-y_i)^2`, measuring along the way;
* :func:`gauss_newton_polish`: minimum-norm Gauss–Newton steps to an exact interpolating minimum;
* :func:`measure`: the papers' quantities at the current point (alignment factors, γ, τ,
  λ₁(G), Tr G, ‖G‖_F, σ, and the exact Hessian's λ₁ and trace from Hessian-vector products);
* :func:`decide_at_minimum`: the exact stability decisions of
  :func:`verifythm.dynamics.at_minimum.decide_from_gram` for the network's Gram matrix;
* :func:`sgd_escape`: real SGD from perturbed minima above η*, its loss growth against ρ(T).

Progress lines of :func:`train` go to stderr.  torch is imported on demand.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any

import numpy as np

from verifythm.backends import require_torch

__all__ = [
    "decide_at_minimum",
    "gauss_newton_polish",
    "measure",
    "sgd_epoch",
    "sgd_escape",
    "sgd_step",
    "square_loss",
    "train",
]


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def square_loss(net: Any, X: Any, y: Any) -> float:
    r"""The square loss :math:`\frac1{2n}\sum_i(f(x_i;\theta)-y_i)^2` of ``net`` on tensors ``X``, ``y``."""
    torch = require_torch()
    with torch.no_grad():
        return float(0.5 * torch.mean((net(X).reshape(-1) - y) ** 2))


def sgd_step(net: Any, X: Any, y: Any, eta: float) -> None:
    r"""One gradient step :math:`\theta\leftarrow\theta-\eta\nabla L` on the batch tensors ``X``, ``y``."""
    torch = require_torch()
    net.zero_grad()
    (0.5 * torch.mean((net(X).reshape(-1) - y) ** 2)).backward()
    with torch.no_grad():
        for p in net.parameters():
            p -= eta * p.grad


def sgd_epoch(net: Any, X: Any, y: Any, eta: float, B: int, gen: Any) -> None:
    """One epoch of mini-batch SGD without replacement on the square loss (½ mean of squares)."""
    torch = require_torch()
    n = X.shape[0]
    perm = torch.randperm(n, generator=gen)
    for s in range(0, n - B + 1, B):
        idx = perm[s : s + B]
        sgd_step(net, X[idx], y[idx], eta)


def gauss_newton_polish(
    net: Any, X: np.ndarray, y: np.ndarray, *, steps: int = 6, tol: float = 1e-28
) -> float:
    r"""Move to a nearby exact interpolating minimum: minimum-norm Gauss–Newton steps.

    :math:`\theta\leftarrow\theta-Q(Q^TQ)^+e` with :math:`Q=[g_1\cdots g_n]` and residuals
    :math:`e=f(X;\theta)-y` (quadratic convergence when :math:`K=Q^TQ` is non-singular;
    the step is the smallest parameter change that zeroes the linearized residuals, so
    the minimum stays next to the one found by training).  Returns the final loss.
    """
    torch = require_torch()
    from verifythm.backends.torch_backend import outputs, per_sample_gradients

    for _ in range(steps):
        e = outputs(net, X) - y
        if float(e @ e) / (2 * len(e)) < tol:
            break
        G = torch.cat(list(per_sample_gradients(net, X))).numpy()
        c = np.linalg.lstsq(G @ G.T, e, rcond=None)[0]
        delta = torch.as_tensor(-(G.T @ c))
        with torch.no_grad():
            vec = torch.nn.utils.parameters_to_vector(net.parameters())
            torch.nn.utils.vector_to_parameters(vec + delta.to(vec.dtype), net.parameters())
    e = outputs(net, X) - y
    return float(e @ e) / (2 * len(e))


def train(
    net: Any,
    X: np.ndarray,
    y: np.ndarray,
    *,
    lr: float,
    batch_size: int,
    target_loss: float,
    max_epochs: int,
    every: int,
    seed: int,
    label: str = "",
) -> tuple[list[dict[str, Any]], int, float]:
    """Train with :func:`sgd_epoch` until the loss is below ``target_loss``; measure every ``every`` epochs.

    Returns ``(history, epochs, seconds)``; the exact Hessian's λ₁ and trace are measured
    every fourth row.
    """
    torch = require_torch()
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y)
    gen = torch.Generator().manual_seed(seed)
    history: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    epoch = 0
    while True:
        if epoch % every == 0:
            row = {"epoch": epoch, **measure(net, X, y, hessian=epoch % (4 * every) == 0)}
            history.append(row)
            _log(
                f"{label} epoch {epoch:5d}: loss {row['loss']:.3e}, mu {row.get('mu', float('nan')):.3f}, "
                f"lambda1(G) {row['lambda1_G']:.3f}"
            )
        if square_loss(net, Xt, yt) < target_loss or epoch >= max_epochs:
            break
        sgd_epoch(net, Xt, yt, lr, batch_size, gen)
        epoch += 1
    return history, epoch, time.perf_counter() - t0


def measure(
    net: Any, X: np.ndarray, y: np.ndarray, *, hessian: bool = True, K: np.ndarray | None = None
) -> dict[str, Any]:
    """The papers' quantities at the network's current point (``K``: its Gram matrix, if known)."""
    from verifythm.backends.curvature import hessian_operator, hutchinson_trace, top_eigenpairs
    from verifythm.backends.torch_backend import gram_matrix, num_params, outputs
    from verifythm.linalg.gram import gram_from_matrix
    from verifythm.quantities import alignment_factors, coherence

    n = X.shape[0]
    K = gram_matrix(net, X) if K is None else K
    p = num_params(net)
    gram = gram_from_matrix(K, p=p)
    e = outputs(net, X) - y
    out: dict[str, Any] = {
        "loss": float(e @ e / (2 * n)),
        "lambda1_G": gram.fisher_lambda_max,
        "trace_G": gram.fisher_trace,
        "frobenius_G": gram.fisher_frobenius,
        "gamma": gram.gamma,
        "tau": gram.tau,
        "coherence_sigma": coherence(gram=gram).sigma,
    }
    if np.any(e):
        af = alignment_factors(gram, e)
        out.update(mu=af.mu, mu1=af.mu1, mu2=af.mu2, alpha=af.alpha, beta=af.beta)
    if hessian:
        Xn = np.asarray(X)
        op = hessian_operator(net, Xn, y)
        w, _ = top_eigenpairs(op, k=1, tol=1e-8)
        tr = hutchinson_trace(op, 30, np.random.default_rng(0))
        out.update(lambda1_H=float(w[0]), trace_H_estimate=tr.value, trace_H_stderr=tr.stderr)
    return out


def decide_at_minimum(
    net: Any,
    X: np.ndarray,
    eta: float,
    B: int,
    sampling: str,
    *,
    K: np.ndarray | None = None,
    radius_max_rank: int = 128,
) -> dict[str, Any]:
    r"""Exact stability of linearized SGD at the current point (treated as a minimum, :math:`H=G`).

    * ``critical_lr``, ``spectral_radius``, ``mean_square_stable``: for the training scheme
      (``spectral_radius`` is ``None`` when rank K > ``radius_max_rank``).
    * ``wu2022_thm3_3``: with :math:`\eta^*_{\rm wr}` of B indices drawn with replacement
      (the theorem's noise), the bound at the training η (vacuous, ``holds_if_stable``
      true, if η > η*) and at the worst stable learning rate η = η*_wr, where
      ``ratio_at_critical`` :math:`=\eta^*\|H\|_F/\sqrt{B/\mu_0}\le1` is the theorem.
    * ``dexter2024_thm1``: the condition holds for every η above
      :math:`\eta_D=\min(2,\sigma(n/B-1)^{-1/2})/\lambda_1`; as proved (mean-square
      divergence under Bernoulli batches) it is consistent iff
      :math:`\eta_D\ge\eta^*_{\rm bern}`.

    The decisions are those of :func:`verifythm.dynamics.at_minimum.decide_from_gram` for the
    Gram matrix ``K`` of the network's per-sample gradients on ``X`` (computed if not given).
    """
    from verifythm.backends.torch_backend import gram_matrix, num_params
    from verifythm.dynamics.at_minimum import decide_from_gram

    K = gram_matrix(net, X) if K is None else K
    return decide_from_gram(K, num_params(net), eta, B, sampling, radius_max_rank=radius_max_rank)


def sgd_escape(
    net: Any,
    X: Any,
    y: Any,
    eta: float,
    B: int,
    *,
    runs: int,
    steps: int,
    eps: float,
    seed: int,
    K: np.ndarray | None = None,
    burn: int = 2,
    cap: float = 1e-6,
) -> dict[str, Any]:
    """Real SGD (B indices with replacement) from perturbed minima at ``eta``; mean loss growth versus ρ(T).

    Each run starts at θ* + ε·N(0, I_p).  The log-rate is fitted from step ``burn`` until
    the mean loss first exceeds ``cap`` (beyond, the network's nonlinearity saturates the
    growth), with a jackknife standard error over runs.
    """
    torch = require_torch()
    from verifythm.backends.torch_backend import gram_matrix, num_params
    from verifythm.dynamics.at_minimum import growth_rate, predicted_rate

    Xt = torch.as_tensor(X)
    yt = torch.as_tensor(y)
    p = num_params(net)
    rho = predicted_rate(gram_matrix(net, np.asarray(X)) if K is None else K, p, eta, B)
    base = [q.detach().clone() for q in net.parameters()]
    gen = torch.Generator().manual_seed(seed)
    n = Xt.shape[0]
    logs = np.zeros((runs, steps + 1))
    for r in range(runs):
        with torch.no_grad():
            for q, b in zip(net.parameters(), base, strict=True):
                q.copy_(b + eps * torch.randn(b.shape, generator=gen, dtype=b.dtype))
        logs[r, 0] = square_loss(net, Xt, yt)
        for t in range(1, steps + 1):
            idx = torch.randint(0, n, (B,), generator=gen)  # with replacement, as the engine's scheme
            sgd_step(net, Xt[idx], yt[idx], eta)
            logs[r, t] = square_loss(net, Xt, yt)
    with torch.no_grad():
        for q, b in zip(net.parameters(), base, strict=True):
            q.copy_(b)
    mean = logs.mean(axis=0)
    over = np.flatnonzero(mean > cap)
    end = max(int(over[0]) - 1 if over.size else steps, burn + 2)
    fit = growth_rate(logs, (burn, end))
    return {
        "eta": eta,
        "batch_size": B,
        "exact_rate_rho": rho,
        "measured_rate": float(np.exp(fit["log_rate"])),
        "predicted_log_rate": math.log(rho),
        "measured_log_rate": fit["log_rate"],
        "measured_log_rate_stderr": fit["log_rate_stderr"],
        "ratio": fit["log_rate"] / math.log(rho),
        "ratio_stderr": fit["log_rate_stderr"] / math.log(rho),
        "fit_window_steps": [burn, end],
        "mean_loss": mean.tolist(),
        "runs": runs,
        "perturbation": eps,
    }
