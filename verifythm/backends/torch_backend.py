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
  per-sample Hessians of the square loss are :math:`g_ig_i^T` (``docs/guides/torch_backend.md``).

torch is optional; this module is imported only on demand and raises a clear error when
torch is missing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
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


def _inputs(X: Any, dt: Any, dev: Any) -> Any:
    """``X`` as a tensor on ``dev`` in ``dt``, validated (at least one row, all finite)."""
    torch = require_torch()
    Xt = torch.as_tensor(np.asarray(X) if not isinstance(X, torch.Tensor) else X).to(device=dev, dtype=dt)
    if Xt.ndim < 1 or Xt.shape[0] == 0:
        raise ValueError(f"X: expected at least one sample (rows), got shape {tuple(Xt.shape)}")
    if not bool(torch.isfinite(Xt).all()):
        raise ValueError("X: contains NaN or infinite entries")
    return Xt


def _working_copy(model: Any, dt: Any, dev: Any) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    """Names and copies of the trainable parameters in ``dt`` on ``dev``, and the buffers."""
    names = [k for k, p in model.named_parameters() if p.requires_grad]
    if not names:
        raise ValueError("model: has no trainable parameters")
    params = {k: p.detach().to(device=dev, dtype=dt) for k, p in model.named_parameters() if p.requires_grad}
    buffers = {k: b.to(device=dev) for k, b in model.named_buffers()}
    return names, params, buffers


def _batch_call(model: Any, dt: Any, dev: Any) -> Callable[[Any], Any]:
    """Evaluate the model on a batch with its working-precision parameters requiring gradients."""
    from torch.func import functional_call

    _, params, buffers = _working_copy(model, dt, dev)
    params = {k: v.requires_grad_(True) for k, v in params.items()}
    return lambda x: functional_call(model, ({**params}, buffers), (x,))


def _gradient_fn(model: Any, dt: Any, dev: Any) -> Callable[[Any], list[Any]]:
    r"""A function mapping a chunk of inputs ``(c, …)`` to the per-parameter gradient blocks.

    The blocks are the ``torch.func`` outputs reshaped to ``(c, p_k)``, one per trainable
    parameter in ``model.named_parameters()`` order (no copy); concatenated along columns
    they are the rows :math:`g_i^T` of the chunk.
    """
    from torch.func import functional_call, grad, vmap

    names, params, buffers = _working_copy(model, dt, dev)

    def f(p: dict[str, Any], x: Any) -> Any:
        out = functional_call(model, ({**p}, buffers), (x.unsqueeze(0),))
        if out.numel() != 1:
            raise ValueError(f"model: expected one scalar output per sample, got shape {tuple(out.shape)}")
        return out.reshape(())

    g = vmap(grad(f), in_dims=(None, 0))

    def blocks(xc: Any) -> list[Any]:
        grads = g(params, xc)
        return [grads[k].reshape(grads[k].shape[0], -1) for k in names]

    return blocks


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
    dt, dev = _resolve(dtype, device)
    chunk = _check_chunk(chunk_size)
    blocks = _gradient_fn(model, dt, dev)
    Xt = _inputs(X, dt, dev)
    for s in range(0, Xt.shape[0], chunk):
        yield torch.cat(blocks(Xt[s : s + chunk]), dim=1)


#: Column width of the float32 products that are summed in float64.  Measured on an MLP with
#: p ≈ 9·10⁴: float32 products over 2¹⁶ columns were off by up to 1.1e-6 of max|K| (depending
#: on the chunking), over 2¹² columns by ≤ 1.2e-7 (the float32 gradients' own error), at the
#: same speed.
_F32_BLOCK = 1 << 12
#: Rows below which a diagonal block is multiplied in full rather than halved again.
_SYRK_LEAF = 64
#: Default rows per chunk of gradients when ``chunk_size`` is not given.
_DEFAULT_CHUNK = 256


def _group_columns(blocks: list[Any], width: int) -> list[Any]:
    """Concatenate consecutive narrow blocks (fewer than ``width`` columns) into groups of about ``width``.

    Wide blocks are kept as they are (no copy); only the narrow ones (biases, small layers) are
    copied, so that the products below are not dominated by per-call overhead.
    """
    torch = require_torch()
    out: list[Any] = []
    pending: list[Any] = []
    cols = 0
    for b in blocks:
        if b.shape[1] >= width:
            out.append(b)
            continue
        pending.append(b)
        cols += b.shape[1]
        if cols >= width:
            out.append(torch.cat(pending, dim=1))
            pending, cols = [], 0
    if pending:
        out.append(pending[0] if len(pending) == 1 else torch.cat(pending, dim=1))
    return out


def _cross(A: list[Any], B: list[Any], step: int | None) -> Any:
    r""":math:`\sum_k A_kB_k^T` in float64.

    One product per column group when ``step`` is ``None`` (float64 blocks); otherwise the
    float32 products over each ``step`` columns come from one batched product per group (views,
    no copy; a single call, so threads synchronise once rather than once per column block) and
    are summed in float64.
    """
    torch = require_torch()
    acc: Any = None
    for a, b in zip(A, B, strict=True):
        w = a.shape[1]
        nb = 0 if step is None else w // step
        parts = []
        if nb > 0 and step is not None:
            av = a[:, : nb * step].unflatten(1, (nb, step)).transpose(0, 1)  # (nb, c_a, step)
            bv = b[:, : nb * step].unflatten(1, (nb, step)).permute(1, 2, 0)  # (nb, step, c_b)
            parts.append(torch.bmm(av, bv).to(torch.float64).sum(dim=0))
        if nb * (step or 0) < w:
            s = nb * (step or 0)
            parts.append((a[:, s:] @ b[:, s:].T).to(torch.float64))
        for prod in parts:
            acc = prod if acc is None else acc.add_(prod)
    return acc


def _syrk_lower(K: Any, off: int, A: list[Any], step: int | None) -> None:
    r"""Write the lower triangle of :math:`AA^T` into ``K[off:off+c, off:off+c]``.

    Halves the rows recursively: the two diagonal halves recurse and the off-diagonal block is
    one product, so the cost is about half of a full product (the symmetric rank-``p`` update).
    """
    c = A[0].shape[0]
    if c <= _SYRK_LEAF:
        K[off : off + c, off : off + c] = _cross(A, A, step)
        return
    h = c // 2
    top, bottom = [a[:h] for a in A], [a[h:] for a in A]
    _syrk_lower(K, off, top, step)
    _syrk_lower(K, off + h, bottom, step)
    K[off + h : off + c, off : off + h] = _cross(bottom, top, step)


def gram_matrix(
    model: Any,
    X: Any,
    *,
    chunk_size: int | None = None,
    dtype: str | Any = "float64",
    device: str | Any | None = None,
    max_bytes: int = 2 * 1024**3,
    method: str = "auto",
) -> np.ndarray:
    r"""The Gram matrix :math:`K_{ij} = g_i^Tg_j` of per-sample model gradients (numpy float64, ``n × n``).

    A network whose trainable parameters all sit in :class:`torch.nn.Linear` layers (an MLP)
    gets :math:`K` from its layer factors (:mod:`verifythm.backends.torch_factored`:
    :math:`\sum_l(A_lA_l^T+1)\odot(\Delta_l\Delta_l^T)`, checked against exact per-sample
    gradients of a few rows), at :math:`n^2\sum_l(\mathrm{in}_l+\mathrm{out}_l)` cost.  Any
    other network takes the per-sample path described next.

    The gradients :math:`g_i` are computed in chunks of rows (``torch.func``) and reduced at
    once: for chunks :math:`a > b` the block :math:`K_{ab} = G_aG_b^T` is one product (per
    column group), and each diagonal block is a symmetric update that halves its rows
    recursively, so the cost is about :math:`n^2p` multiply–adds (half of a full
    :math:`GG^T`); :math:`K` is accumulated in float64 and mirrored from its lower triangle.
    With ``dtype="float32"`` the products are formed in float32 over at most
    :math:`2^{12}` columns each and summed in float64, so the result keeps the accuracy of the
    float32 gradients (about 1e-7 of :math:`\max|K|`) even when :math:`p \approx 10^6`.

    Parameters
    ----------
    model, X, dtype, device
        As in :func:`per_sample_gradients`.
    chunk_size
        Rows per chunk of gradients; ``None`` (default) chooses up to 256 rows, balanced over
        :math:`n` and within ``max_bytes``.  An explicit value is an upper bound that
        ``max_bytes`` may lower.
    max_bytes
        Budget for the gradients held at once (:math:`\text{rows}\cdot p` times the item
        size; the :math:`n\times n` output is not counted).  When all :math:`n` rows fit they
        are computed once; otherwise a panel of rows is held while the remaining rows are
        streamed past it chunk by chunk, and the next panel recomputes its rows (more time,
        bounded memory).  At least two gradient rows must fit; otherwise ``ValueError``
        names the sizes before anything is computed.  The factored path holds
        :math:`n\sum_l(\mathrm{in}_l+\mathrm{out}_l)` float64 numbers, within the same budget.
    method
        ``"auto"`` (default: factored where it applies, else per-sample), ``"factored"``
        (``ValueError`` naming why when it does not apply) or ``"per_sample"``.
    """
    torch = require_torch()
    dt, dev = _resolve(dtype, device)
    if chunk_size is not None:
        _check_chunk(chunk_size)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"max_bytes: expected a positive integer, got {max_bytes!r}")
    if method not in ("auto", "factored", "per_sample"):
        raise ValueError(f"method: expected 'auto', 'factored' or 'per_sample', got {method!r}")
    p = num_params(model)
    if p == 0:
        raise ValueError("model: has no trainable parameters")
    Xt = _inputs(X, dt, dev)
    n = int(Xt.shape[0])
    blocks_of = _gradient_fn(model, dt, dev)  # per-sample gradients: the path, or the reference
    if method != "per_sample":
        from verifythm.backends.torch_factored import factored_gram

        Kf, why = factored_gram(
            model,
            Xt,
            _batch_call(model, dt, dev),
            lambda x: torch.cat(blocks_of(x), dim=1),
            chunk=chunk_size or 1024,
            max_bytes=max_bytes,
        )
        if Kf is not None:
            return np.asarray(Kf.cpu().numpy(), dtype=np.float64)
        if method == "factored":
            raise ValueError(f"method: 'factored' does not apply: {why}")
    itemsize = torch.empty((), dtype=dt).element_size()
    row_bytes = p * itemsize
    dt_name = str(dt).replace("torch.", "")
    cap = max_bytes // row_bytes  # gradient rows that fit in the budget
    if cap < min(n, 2):
        raise ValueError(
            f"max_bytes: {max_bytes} bytes cannot hold {min(n, 2)} per-sample gradients of "
            f"p = {p} parameters in {dt_name} ({min(n, 2) * row_bytes} bytes); raise max_bytes"
        )
    want = _DEFAULT_CHUNK if chunk_size is None else chunk_size
    fits = n <= cap
    c = min(n, want) if fits else max(1, min(want, cap // 2))
    c = math.ceil(n / math.ceil(n / c))  # balanced chunks
    # rows held at once: everything, or a panel (a multiple of the chunk) beside one streamed chunk
    panel = n if fits else max(c, (cap - c) // c * c)
    step = _F32_BLOCK if dt == torch.float32 else None

    def grads(s: int, e: int) -> list[Any]:
        return _group_columns(blocks_of(Xt[s:e]), _F32_BLOCK)

    K = torch.zeros((n, n), dtype=torch.float64, device=dev)
    for p0 in range(0, n, panel):
        p1 = min(n, p0 + panel)
        held: list[tuple[int, list[Any]]] = []
        for s in range(p0, p1, c):
            e = min(p1, s + c)
            Ga = grads(s, e)
            for sb, Gb in held:
                K[s:e, sb : sb + Gb[0].shape[0]] = _cross(Ga, Gb, step)
            _syrk_lower(K, s, Ga, step)
            held.append((s, Ga))
        for s in range(p1, n, c):  # rows below the panel, streamed past it
            e = min(n, s + c)
            Ga = grads(s, e)
            for sb, Gb in held:
                K[s:e, sb : sb + Gb[0].shape[0]] = _cross(Ga, Gb, step)
            del Ga
        del held
    K = torch.tril(K)
    K += torch.tril(K, diagonal=-1).T
    return np.asarray(K.cpu().numpy(), dtype=np.float64)


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
