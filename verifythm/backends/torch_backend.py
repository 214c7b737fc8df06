r"""torch backend: per-sample gradients and Gram matrices of real networks (CPU or CUDA).

For a network :math:`f(x;\theta)` with scalar output and data :math:`x_1,\dots,x_n`, the
per-sample model gradients :math:`g_i = \nabla_\theta f(x_i;\theta)` are computed with
``torch.func`` (``vmap`` over ``grad`` of a ``functional_call``), in sample chunks of
bounded memory, and reduced at once to the Gram matrix :math:`K = Q^TQ`,
:math:`K_{ij} = g_i^Tg_j`.  Everything in verifythm that needs only :math:`K` then
applies at the network's point θ:

* the papers' quantities in :math:`n\times n` form (:class:`verifythm.linalg.gram.Gram`:
  ‖G‖_F, λ₁, τ, γ, σ, and with residuals the alignment factors, wu2022alignment App. A);
* the exact moment engine in residual space (:meth:`verifythm.dynamics.Family.from_gram`):
  critical learning rate and spectral radius of linearized SGD at a minimum, where the
  per-sample Hessians of the square loss are :math:`g_ig_i^T` (DESIGN §5).

torch is optional; this module is imported only on demand and raises a clear error when
torch is missing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from verifythm.backends import require_torch


def _resolve(dtype: str | Any, device: str | Any | None) -> tuple[Any, Any]:
    torch = require_torch()
    if isinstance(dtype, str):
        if dtype not in ("float32", "float64"):
            raise ValueError(f"dtype: expected 'float32' or 'float64', got {dtype!r}")
        dtype = getattr(torch, dtype)
    dev = torch.device(device if device is not None else "cpu")
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError("device: CUDA was requested but torch.cuda.is_available() is False")
    return dtype, dev


def _check_chunk(chunk_size: int) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size: expected a positive integer, got {chunk_size!r}")
    return chunk_size


def num_params(model: Any) -> int:
    """Number of trainable parameters :math:`p` of a ``torch.nn.Module``."""
    return int(sum(p.numel() for p in model.parameters() if p.requires_grad))


def per_sample_gradients(
    model: Any,
    X: Any,
    *,
    chunk_size: int = 256,
    dtype: str | Any = "float64",
    device: str | Any | None = None,
) -> Iterator[Any]:
    r"""Yield chunks ``(c, p)`` of per-sample model gradients :math:`g_i = \nabla_\theta f(x_i;\theta)`.

    Parameters
    ----------
    model
        A ``torch.nn.Module`` mapping a batch ``(b, …)`` to outputs of shape ``(b,)`` or
        ``(b, 1)`` (scalar output per sample).
    X
        Inputs, an array or tensor with ``n`` rows.
    chunk_size
        Samples per chunk (memory is :math:`O(\text{chunk}\cdot p)`).
    dtype, device
        Precision (``"float32"``/``"float64"``) and device of the computation; the model
        is evaluated on a copy of its parameters in that precision.
    """
    torch = require_torch()
    from torch.func import functional_call, grad, vmap

    dt, dev = _resolve(dtype, device)
    chunk = _check_chunk(chunk_size)
    names = [k for k, p in model.named_parameters() if p.requires_grad]
    if not names:
        raise ValueError("model: has no trainable parameters")
    params = {k: p.detach().to(device=dev, dtype=dt) for k, p in model.named_parameters() if p.requires_grad}
    buffers = {k: b.to(device=dev) for k, b in model.named_buffers()}
    Xt = torch.as_tensor(np.asarray(X) if not isinstance(X, torch.Tensor) else X).to(device=dev, dtype=dt)
    if Xt.ndim < 1 or Xt.shape[0] == 0:
        raise ValueError(f"X: expected at least one sample (rows), got shape {tuple(Xt.shape)}")
    if not bool(torch.isfinite(Xt).all()):
        raise ValueError("X: contains NaN or infinite entries")

    def f(p: dict[str, Any], x: Any) -> Any:
        out = functional_call(model, ({**p}, buffers), (x.unsqueeze(0),))
        if out.numel() != 1:
            raise ValueError(f"model: expected one scalar output per sample, got shape {tuple(out.shape)}")
        return out.reshape(())

    g = vmap(grad(f), in_dims=(None, 0))
    for s in range(0, Xt.shape[0], chunk):
        grads = g(params, Xt[s : s + chunk])
        yield torch.cat([grads[k].reshape(grads[k].shape[0], -1) for k in names], dim=1)


def gram_matrix(
    model: Any,
    X: Any,
    *,
    chunk_size: int = 256,
    dtype: str | Any = "float64",
    device: str | Any | None = None,
    max_bytes: int = 2 * 1024**3,
) -> np.ndarray:
    r"""The Gram matrix :math:`K_{ij} = g_i^Tg_j` of per-sample model gradients (numpy float64, ``n × n``).

    Gradient chunks are kept on ``device`` while their total size stays below
    ``max_bytes``; beyond that, chunks are recomputed pairwise (more time, bounded memory).
    """
    torch = require_torch()
    chunk = _check_chunk(chunk_size)
    dt, dev = _resolve(dtype, device)
    p = num_params(model)
    n = int(np.asarray(X).shape[0]) if not isinstance(X, torch.Tensor) else int(X.shape[0])
    itemsize = torch.empty((), dtype=dt).element_size()
    K = torch.zeros((n, n), dtype=torch.float64, device=dev)
    if n * p * itemsize <= max_bytes:
        blocks = list(per_sample_gradients(model, X, chunk_size=chunk, dtype=dt, device=dev))
        offs = np.cumsum([0] + [b.shape[0] for b in blocks])
        for a, Ga in enumerate(blocks):
            for b in range(a, len(blocks)):
                Kab = (Ga @ blocks[b].T).to(torch.float64)
                K[offs[a] : offs[a + 1], offs[b] : offs[b + 1]] = Kab
                K[offs[b] : offs[b + 1], offs[a] : offs[a + 1]] = Kab.T
    else:
        n_chunks = math.ceil(n / chunk)
        for a in range(n_chunks):
            Xa = X[a * chunk : (a + 1) * chunk]
            Ga = next(per_sample_gradients(model, Xa, chunk_size=chunk, dtype=dt, device=dev))
            for b in range(a, n_chunks):
                Xb = X[b * chunk : (b + 1) * chunk]
                Gb = (
                    Ga
                    if b == a
                    else next(per_sample_gradients(model, Xb, chunk_size=chunk, dtype=dt, device=dev))
                )
                Kab = (Ga @ Gb.T).to(torch.float64)
                K[a * chunk : a * chunk + Ga.shape[0], b * chunk : b * chunk + Gb.shape[0]] = Kab
                K[b * chunk : b * chunk + Gb.shape[0], a * chunk : a * chunk + Ga.shape[0]] = Kab.T
    Kn = K.cpu().numpy()
    return (Kn + Kn.T) / 2


def gram_of_gradients(G: Any, *, block: int = 65536, device: str | Any | None = None) -> np.ndarray:
    r""":math:`K = GG^T` for per-sample gradients ``G`` (n, p) on ``device``, in parameter blocks."""
    torch = require_torch()
    _, dev = _resolve("float64", device)
    Gt = G if isinstance(G, torch.Tensor) else torch.from_numpy(np.ascontiguousarray(G))
    if Gt.ndim != 2 or Gt.shape[0] == 0:
        raise ValueError(f"G: expected a non-empty (n, p) array, got shape {tuple(Gt.shape)}")
    n, p = Gt.shape
    K = torch.zeros((n, n), dtype=torch.float64, device=dev)
    for s in range(0, p, block):
        b = Gt[:, s : s + block].to(device=dev, dtype=torch.float64)
        K += b @ b.T
    Kn = K.cpu().numpy()
    if not np.all(np.isfinite(Kn)):
        raise ValueError("G: contains NaN or infinite entries (or the Gram matrix overflows)")
    return (Kn + Kn.T) / 2


def outputs(
    model: Any, X: Any, *, dtype: str | Any = "float64", device: str | Any | None = None
) -> np.ndarray:
    r"""Model outputs :math:`f(x_i;\theta)` as a numpy vector (for residuals :math:`e = f - y`)."""
    torch = require_torch()
    dt, dev = _resolve(dtype, device)
    Xt = torch.as_tensor(np.asarray(X) if not isinstance(X, torch.Tensor) else X).to(device=dev, dtype=dt)
    from torch.func import functional_call

    params = {k: v.detach().to(device=dev, dtype=dt) for k, v in model.named_parameters()}
    buffers = {k: b.to(device=dev) for k, b in model.named_buffers()}
    with torch.no_grad():  # the caller's model is left untouched (no in-place dtype/device change)
        out = functional_call(model, (params, buffers), (Xt,))
    return out.reshape(-1).cpu().numpy().astype(np.float64)
