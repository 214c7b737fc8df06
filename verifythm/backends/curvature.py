r"""Curvature of a torch model's loss beyond Gauss–Newton: Hessian-vector products and estimators.

Away from a minimum the loss Hessian is :math:`H = G + \frac1n\sum_ie_i\nabla^2f(x_i;\theta)`
(wu2022alignment §2), not the Gram/Gauss–Newton part alone.  This module exposes the exact
:math:`H` matrix-free:

* :func:`hessian_operator` — a ``scipy.sparse.linalg.LinearOperator`` whose ``matvec`` is the
  exact Hessian-vector product (``torch.func``: forward-over-reverse, ``jvp`` of ``grad``),
  in float64;
* :func:`top_eigenpairs` — the top eigenpairs through Lanczos (ARPACK ``eigsh``);
* :func:`hutchinson_trace` and :func:`frobenius_estimate` — unbiased Rademacher estimators
  of :math:`\operatorname{Tr}H` and :math:`\|H\|_F^2` with their standard errors
  (:math:`\operatorname{Var}[v^THv] = 2(\|H\|_F^2-\sum_iH_{ii}^2)` for Rademacher ``v``).

* :func:`hutchplusplus_trace` — Hutch++ (Meyer, Musco, Musco & Woodruff, 2021): a sketch of
  the top range is traced exactly and Hutchinson runs on the deflated rest, so the error falls
  like :math:`1/m` instead of :math:`1/\sqrt m` in the number of products for a decaying spectrum.

Products are batched: the operator's ``matmat`` maps many vectors at once with ``vmap`` over the
``jvp`` (in chunks of ``chunk`` columns), which is what the estimators and Lanczos use.

curvlinops (``curvlinops-for-pytorch``, the optional extra ``curvature``) offers the same
operators; it installs next to the pinned CPU build with a constraints file pinning
``torch==2.13.0`` (``pip install -c constraints.txt curvlinops-for-pytorch``: the resolver then
takes a torchvision built for that torch), and ``tests/test_torch_backend.py`` cross-checks this
module's products against its ``HessianLinearOperator`` where it is installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from verifythm.backends import require_torch


def _flat_params(model: Any, dtype: Any, device: Any) -> tuple[list[str], list[Any], Any]:
    torch = require_torch()
    names = [k for k, p in model.named_parameters() if p.requires_grad]
    if not names:
        raise ValueError("model: has no trainable parameters")
    shapes = [p.shape for k, p in model.named_parameters() if p.requires_grad]
    flat = torch.cat([p.detach().reshape(-1) for k, p in model.named_parameters() if p.requires_grad])
    return names, shapes, flat.to(device=device, dtype=dtype)


def square_loss_fn(model: Any, X: Any, y: Any, *, device: str | None = None) -> tuple[Any, Any, int]:
    r"""The square loss :math:`L(\theta) = \frac1{2n}\sum_i(f(x_i;\theta)-y_i)^2` as a function of flat θ.

    Returns ``(loss, theta0, p)``: a callable on a flat float64 parameter tensor, the
    current parameters, and their number.
    """
    torch = require_torch()
    from torch.func import functional_call

    dev = torch.device(device or "cpu")
    names, shapes, theta0 = _flat_params(model, torch.float64, dev)
    Xt = torch.as_tensor(np.asarray(X), dtype=torch.float64, device=dev)
    yt = torch.as_tensor(np.asarray(y), dtype=torch.float64, device=dev).reshape(-1)
    if Xt.shape[0] != yt.shape[0] or Xt.shape[0] == 0:
        raise ValueError(f"y: expected {Xt.shape[0]} targets (one per row of X), got {yt.shape[0]}")
    buffers = {k: b.to(device=dev) for k, b in model.named_buffers()}
    sizes = [int(np.prod(s)) for s in shapes]

    def loss(theta: Any) -> Any:
        parts = torch.split(theta, sizes)
        params = {k: v.reshape(s) for k, v, s in zip(names, parts, shapes, strict=True)}
        out = functional_call(model, (params, buffers), (Xt,)).reshape(-1)
        return 0.5 * torch.mean((out - yt) ** 2)

    return loss, theta0, int(theta0.numel())


def hessian_operator(model: Any, X: Any, y: Any, *, device: str | None = None, chunk: int = 64) -> Any:
    r"""The exact loss Hessian :math:`\nabla^2L(\theta)` (square loss) as a ``LinearOperator``.

    ``matvec`` is one forward-over-reverse product; ``matmat`` maps the columns of a
    ``(p, k)`` block with ``vmap`` over the product, ``chunk`` columns at a time.
    """
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk: expected a positive integer, got {chunk!r}")
    torch = require_torch()
    import scipy.sparse.linalg as spla
    from torch.func import grad, jvp, vmap

    loss, theta0, p = square_loss_fn(model, X, y, device=device)
    g = grad(loss)

    def hvp(vt: Any) -> Any:
        return jvp(g, (theta0,), (vt,))[1]  # (grad, Hv): the product only

    batched = vmap(hvp)

    def matvec(v: np.ndarray) -> np.ndarray:
        vt = torch.as_tensor(np.ravel(v), dtype=torch.float64, device=theta0.device)
        return hvp(vt).detach().cpu().numpy()

    def matmat(V: np.ndarray) -> np.ndarray:
        V = np.asarray(V, dtype=np.float64).reshape(p, -1)
        out = np.empty_like(V)
        for j in range(0, V.shape[1], chunk):  # vmap over columns, a chunk at a time (memory)
            vt = torch.as_tensor(np.ascontiguousarray(V[:, j : j + chunk].T), device=theta0.device)
            out[:, j : j + chunk] = batched(vt).detach().cpu().numpy().T
        return out

    return spla.LinearOperator(
        (p, p), matvec=matvec, rmatvec=matvec, matmat=matmat, rmatmat=matmat, dtype=np.float64
    )


def top_eigenpairs(op: Any, k: int = 1, *, tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Largest ``k`` eigenvalues (decreasing) and eigenvectors of a symmetric ``LinearOperator``."""
    import scipy.sparse.linalg as spla

    p = op.shape[0]
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k < p:
        raise ValueError(f"k: expected an integer in [1, {p - 1}], got {k!r}")
    w, V = spla.eigsh(op, k=k, which="LA", tol=tol)
    order = np.argsort(w)[::-1]
    return w[order], V[:, order]


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate with its standard error and number of probe vectors."""

    value: float
    stderr: float
    samples: int


def _probes(op: Any, samples: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise ValueError(f"samples: expected an integer >= 2, got {samples!r}")
    V = rng.choice([-1.0, 1.0], size=(samples, op.shape[0]))
    HV = np.asarray(op.matmat(V.T)).T  # one batched pass over all probes
    return V, HV


def hutchinson_trace(op: Any, samples: int, rng: np.random.Generator) -> Estimate:
    r"""Hutchinson's estimate of :math:`\operatorname{Tr}H` from Rademacher probes (unbiased)."""
    V, HV = _probes(op, samples, rng)
    vals = np.einsum("kp,kp->k", V, HV)
    return Estimate(float(vals.mean()), float(vals.std(ddof=1) / np.sqrt(samples)), samples)


def frobenius_estimate(op: Any, samples: int, rng: np.random.Generator) -> Estimate:
    r"""Unbiased estimate of :math:`\|H\|_F^2 = \mathbb E\|Hv\|^2` for Rademacher probes ``v``."""
    _, HV = _probes(op, samples, rng)
    vals = np.einsum("kp,kp->k", HV, HV)
    return Estimate(float(vals.mean()), float(vals.std(ddof=1) / np.sqrt(samples)), samples)


def hutchplusplus_trace(op: Any, products: int, rng: np.random.Generator) -> Estimate:
    r"""Hutch++ estimate of :math:`\operatorname{Tr}H` with ``products`` matrix-vector products.

    A third of the budget sketches the range (:math:`Q=\operatorname{orth}(HS)`), whose part
    :math:`\operatorname{Tr}(Q^THQ)` is exact; Hutchinson with the remaining probes, projected
    off :math:`Q`, estimates the rest (unbiased).  ``stderr`` is that of the Hutchinson part.
    """
    if isinstance(products, bool) or not isinstance(products, int) or products < 6:
        raise ValueError(f"products: expected an integer >= 6, got {products!r}")
    p = op.shape[0]
    k = products // 3
    m = products - 2 * k
    S = rng.choice([-1.0, 1.0], size=(p, k))
    Q, _ = np.linalg.qr(np.asarray(op.matmat(S)))
    head = float(np.trace(Q.T @ np.asarray(op.matmat(Q))))
    G = rng.choice([-1.0, 1.0], size=(p, m))
    G = G - Q @ (Q.T @ G)
    vals = np.einsum("pk,pk->k", G, np.asarray(op.matmat(G)))
    return Estimate(head + float(vals.mean()), float(vals.std(ddof=1) / np.sqrt(m)), products)
