r"""The per-sample Gram matrix of a network of linear layers from its layer factors.

For a linear layer :math:`z = Wa + b` met once in the forward pass, the gradient of the
scalar output :math:`f(x_i)` with respect to :math:`W` is the outer product
:math:`\delta_ia_i^T` of the back-propagated signal :math:`\delta_i=\partial f/\partial z`
and the layer's input :math:`a_i`, and the bias gradient is :math:`\delta_i`.  So the layer's
share of :math:`K_{ij}=g_i^Tg_j` is

.. math:: (a_i^Ta_j + 1)\,(\delta_i^T\delta_j),

and :math:`K=\sum_l (A_lA_l^T + \mathbf 1\mathbf 1^T)\odot(\Delta_l\Delta_l^T)`.  One forward and one
backward pass over the batch give every :math:`A_l` (``n × in``) and :math:`\Delta_l`
(``n × out``), and :math:`K` costs :math:`n^2\sum_l(\mathrm{in}_l+\mathrm{out}_l)` multiply–adds
instead of the :math:`n^2p` of :math:`GG^T` — at :math:`p\approx10^6` that is hundreds of times
less, and no :math:`n\times p` gradient is ever held.  The factors are formed in the requested
precision and multiplied in float64.

It applies when every trainable parameter belongs to a :class:`torch.nn.Linear` (exactly that
class: a subclass may change ``forward``) that the forward pass calls once, on a 2-D input with
one row per sample, and when the samples do not interact (no batch statistics).
:func:`factored_gram` checks the first two conditions while it runs and compares a few entries
with exact per-sample gradients for the third; it returns ``None`` (with the reason) when one
fails, and :func:`verifythm.backends.torch_backend.gram_matrix` then takes the per-sample path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from verifythm.backends import require_torch

#: Rows compared against exact per-sample gradients before the factored result is trusted.
CHECK_ROWS = 3


def linear_layers(model: Any) -> list[tuple[str, Any, bool, bool]] | str:
    """The trainable linear layers ``(name, module, weight trainable, bias trainable)``.

    Returns
    -------
    list or str
        The layers, or the reason the model is not a network of plain linear layers.
    """
    torch = require_torch()
    layers = []
    for name, mod in model.named_modules():
        if isinstance(mod, torch.nn.modules.batchnorm._NormBase) and mod.training:
            return f"{name} ({type(mod).__name__}) uses batch statistics (training mode)"
        own = [p for p in mod.parameters(recurse=False) if p.requires_grad]
        if not own:
            continue
        if type(mod) is not torch.nn.Linear:
            label = name or "the model itself"
            return f"{label} ({type(mod).__name__}) holds trainable parameters and is not a torch.nn.Linear"
        bias = mod.bias is not None and mod.bias.requires_grad
        layers.append((name, mod, bool(mod.weight.requires_grad), bias))
    if not layers:
        return "the model has no trainable parameters"
    return layers


def _chunk_factors(
    model: Any, layers: list[tuple[str, Any, bool, bool]], call: Callable[[Any], Any], xc: Any
) -> list[tuple[Any, Any]] | str:
    """``(A_l, Δ_l)`` of one chunk of rows, or the reason the layer structure does not hold."""
    torch = require_torch()
    seen: dict[str, list[tuple[Any, Any]]] = {name: [] for name, *_ in layers}
    handles = []
    for name, mod, *_ in layers:

        def hook(_m: Any, inp: Any, out: Any, name: str = name) -> None:
            seen[name].append((inp[0], out))

        handles.append(mod.register_forward_hook(hook))
    try:
        out = call(xc)
    finally:
        for h in handles:
            h.remove()
    c = xc.shape[0]
    if out.numel() != c:
        return f"expected one scalar output per sample, got shape {tuple(out.shape)}"
    for name, calls in seen.items():
        if len(calls) != 1:
            return f"layer {name!r} is called {len(calls)} times in one forward pass"
        a = calls[0][0]
        if a.ndim != 2 or a.shape[0] != c:
            return f"layer {name!r} sees an input of shape {tuple(a.shape)}, not one row per sample"
    zs = [seen[name][0][1] for name, *_ in layers]
    deltas = torch.autograd.grad(out.sum(), zs, allow_unused=True)
    return [
        (seen[name][0][0].detach(), torch.zeros_like(z) if d is None else d.detach())
        for (name, *_), z, d in zip(layers, zs, deltas, strict=True)
    ]


def factored_gram(
    model: Any,
    Xt: Any,
    call: Callable[[Any], Any],
    exact_rows: Callable[[Any], Any],
    *,
    chunk: int,
    max_bytes: int,
) -> tuple[Any, str]:
    r"""The float64 Gram matrix from layer factors, or ``(None, reason)`` when it does not apply.

    Parameters
    ----------
    model
        The network (its trainable parameters all in :class:`torch.nn.Linear` layers).
    Xt
        The inputs, a tensor with ``n`` rows in the working precision and device.
    call
        Evaluates the network on a batch with trainable parameters that require gradients
        (a ``functional_call`` on the working-precision copy).
    exact_rows
        Per-sample gradients of a few rows, ``(r, p)`` (the reference the result must match).
    chunk
        Rows per forward pass.
    max_bytes
        Budget for the factors held at once (:math:`n\sum_l(\mathrm{in}_l+\mathrm{out}_l)`
        numbers); beyond it the per-sample path (bounded memory) is the one to use.
    """
    torch = require_torch()
    layers = linear_layers(model)
    if isinstance(layers, str):
        return None, layers
    n = int(Xt.shape[0])
    width = sum(m.in_features + m.out_features for _, m, *_ in layers)
    need = n * width * 8
    if need > max_bytes:
        return None, f"the layer factors need {need} bytes, over max_bytes = {max_bytes}"
    parts: list[list[tuple[Any, Any]]] = []
    with torch.enable_grad():
        for s in range(0, n, chunk):
            got = _chunk_factors(model, layers, call, Xt[s : s + chunk])
            if isinstance(got, str):
                return None, got
            parts.append(got)
    K = torch.zeros((n, n), dtype=torch.float64, device=Xt.device)
    for li, (_, _, w_on, b_on) in enumerate(layers):
        A = torch.cat([p[li][0] for p in parts]).to(torch.float64)
        D = torch.cat([p[li][1] for p in parts]).to(torch.float64)
        share = D @ D.T
        if w_on:
            inner = A @ A.T
            if b_on:
                inner += 1.0
            K += inner * share
        elif b_on:
            K += share
    K = torch.tril(K)  # exactly symmetric, as the per-sample path returns it
    K += torch.tril(K, diagonal=-1).T
    # samples that interact (batch statistics) break the factorisation: compare with exact rows
    r = min(n, CHECK_ROWS)
    G = exact_rows(Xt[:r]).to(torch.float64)
    ref = G @ G.T
    scale = float(ref.abs().max()) or 1.0
    tol = 1e-9 if Xt.dtype == torch.float64 else 1e-4
    if float((K[:r, :r] - ref).abs().max()) > tol * scale:
        return None, "the batch and per-sample gradients differ (do samples interact, e.g. batch norm?)"
    return K, "factored"
