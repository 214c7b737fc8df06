r"""Benchmark: torch backend versus numpy for Gram matrices, and a network with ~10⁶ parameters.

Part A — :math:`K = GG^T` of a stored gradient matrix ``G`` (``n × p`` float64) with numpy
(:func:`verifythm.linalg.gram.gram_from_gradients`) and with torch on the CPU
(:func:`verifythm.backends.torch_backend.gram_of_gradients`), in the same run; ratio and
agreement.

Part B — per-sample gradients (``torch.func``) and the Gram matrix of a tanh MLP with about
``--params`` parameters on ``--n`` samples, in float32, then the alignment factors, λ₁, τ, σ
and the exact critical learning rate from :math:`K` alone.  On a GPU (``--device cuda``)
the same command gives the GPU numbers; nothing here requires one.

Part C — per-sample gradients (``torch.func`` through ``Conv2d``) and the Gram matrix of
the small digits CNN of :mod:`verifythm.backends.networks` on ``--digits-n`` images
of scikit-learn's bundled digits (float64), then the exact critical learning rate (skipped
without scikit-learn).

Part D — 32 exact Hessian-vector products of a tanh MLP
(:func:`verifythm.backends.curvature.hessian_operator`): a ``matvec`` loop against the batched
``matmat`` (``vmap`` over the ``jvp``), in the same run.

Part E — the per-sample Gram matrix :math:`K = GG^T` of a float32 tanh MLP
(:func:`verifythm.backends.torch_backend.gram_matrix`, both paths: ``auto``, which for an MLP
takes the layer factors of :mod:`verifythm.backends.torch_factored`, and ``per_sample``:
chunks of rows, the symmetric half of the products, float32 products over 2¹² columns summed
in float64) against a naive loop of
one ``backward()`` per sample into a preallocated ``G`` followed by one float32 ``G @ G.T``,
in the same run, at p ≈ 10⁵ and p ≈ 10⁶ (``--gram-params``) and ``--gram-n`` samples.  Both
are compared with an independent numpy float64 reference: for this MLP the per-sample
gradient of a linear layer with input :math:`a_i` and back-propagated signal
:math:`\delta_i` is :math:`\delta_ia_i^T` (bias :math:`\delta_i`), so its contribution to
:math:`K_{ij}` is :math:`(a_i^Ta_j + 1)(\delta_i^T\delta_j)`; the forward and backward
passes are done by hand in numpy from the float32 weights.  Both torch paths run the
same warm-up first.

torch's intra-op threads are set with ``--threads`` (default 1: the machine this was written
on has 2 cores shared with other jobs); the number used is printed.

Usage::

    python benchmarks/bench_torch.py                     # defaults: n = 1000, p ≈ 10⁶
    python benchmarks/bench_torch.py --quick
    python benchmarks/bench_torch.py --parts E --threads 1   # per-sample Gram vs a backward() loop
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any

import numpy as np


def part_a(n: int, p: int, seed: int) -> dict[str, Any]:
    """Numpy versus torch (CPU) for K = GGᵀ of a stored gradient matrix."""
    from verifythm.backends.torch_backend import gram_of_gradients
    from verifythm.linalg.gram import gram_from_gradients

    G = np.random.default_rng(seed).standard_normal((n, p))
    t0 = time.perf_counter()
    K_np = gram_from_gradients(G).K
    t_np = time.perf_counter() - t0
    t0 = time.perf_counter()
    K_t = gram_of_gradients(G)
    t_t = time.perf_counter() - t0
    return {
        "n": n,
        "p": p,
        "numpy_seconds": t_np,
        "torch_seconds": t_t,
        "numpy_over_torch": t_np / t_t,
        "max_rel_diff": float(np.max(np.abs(K_np - K_t)) / np.max(np.abs(K_np))),
    }


def part_b(n: int, params: int, device: str, seed: int) -> dict[str, Any]:
    """Per-sample gradients and Gram of an MLP with ~``params`` parameters, then the quantities."""
    import torch

    from verifythm.backends.torch_backend import gram_matrix, num_params
    from verifythm.dynamics import Family, NoiseModel, critical_learning_rate
    from verifythm.linalg.gram import gram_from_matrix
    from verifythm.quantities import alignment_factors, coherence

    d = 64
    width = int((-(d + 3) + math.sqrt((d + 3) ** 2 + 4 * params)) / 2)  # d·w + w² + 3w ≈ params
    torch.manual_seed(seed)
    net = torch.nn.Sequential(
        torch.nn.Linear(d, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, 1),
    )
    p = num_params(net)
    X = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    t0 = time.perf_counter()
    K = gram_matrix(net, X, dtype="float32", device=device, max_bytes=6 * 1024**3)
    t_gram = time.perf_counter() - t0
    gram = gram_from_matrix(K, p=p)
    e = np.random.default_rng(seed + 1).standard_normal(n)
    t0 = time.perf_counter()
    af = alignment_factors(gram, e)
    lam1, tau, sigma = gram.fisher_lambda_max, gram.tau, coherence(gram=gram).sigma
    t_q = time.perf_counter() - t0
    t0 = time.perf_counter()
    crit = critical_learning_rate(NoiseModel.build(Family.from_gram(K, dim=p), max(1, n // 10), "bernoulli"))
    t_c = time.perf_counter() - t0
    return {
        "n": n,
        "p": p,
        "device": device,
        "dtype": "float32",
        "gram_seconds": t_gram,
        "quantities_seconds": t_q,
        "critical_lr_seconds": t_c,
        "mu": af.mu,
        "lambda1_G": lam1,
        "tau": tau,
        "sigma": sigma,
        "critical_lr": crit.value,
    }


def part_c(n: int, seed: int) -> dict[str, Any]:
    """Per-sample gradients and Gram of the digits CNN, then η* (B = n/16, without replacement)."""
    from verifythm.backends.networks import digits_cnn, load_digits_subset
    from verifythm.backends.torch_backend import gram_matrix, num_params
    from verifythm.dynamics import Family, NoiseModel, critical_learning_rate

    X, _, _ = load_digits_subset(n, seed)
    net = digits_cnn(seed)
    gram_matrix(net, X[:2])  # warm-up: the first vmap through Conv2d pays a one-off set-up cost
    t0 = time.perf_counter()
    K = gram_matrix(net, X, chunk_size=256)
    t_gram = time.perf_counter() - t0
    t0 = time.perf_counter()
    fam = Family.from_gram(K, dim=num_params(net))
    crit = critical_learning_rate(NoiseModel.build(fam, max(1, n // 16), "without-replacement"))
    t_c = time.perf_counter() - t0
    return {
        "n": n,
        "p": num_params(net),
        "gram_seconds": t_gram,
        "critical_lr_seconds": t_c,
        "critical_lr": crit.value,
    }


def part_d(n: int, width: int, k: int, seed: int) -> dict[str, Any]:
    """Hessian-vector products of a tanh MLP: ``k`` columns by a ``matvec`` loop against ``matmat``."""
    import torch

    from verifythm.backends.curvature import hessian_operator

    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((n, 10)), rng.standard_normal(n)
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(10, width), torch.nn.Tanh(), torch.nn.Linear(width, 1))
    op = hessian_operator(net, X, y)
    V = rng.standard_normal((op.shape[0], k))
    op.matmat(V[:, :2])  # warm-up (vmap tracing)
    t0 = time.perf_counter()
    loop = np.stack([op.matvec(V[:, j]) for j in range(k)], axis=1)
    t_loop = time.perf_counter() - t0
    t0 = time.perf_counter()
    batched = op.matmat(V)
    t_mat = time.perf_counter() - t0
    diff = float(np.max(np.abs(loop - batched)) / max(float(np.max(np.abs(loop))), 1e-300))
    return {
        "p": int(op.shape[0]),
        "k": k,
        "loop_seconds": t_loop,
        "matmat_seconds": t_mat,
        "loop_over_matmat": t_loop / max(t_mat, 1e-9),
        "max_rel_diff": diff,
    }


def _tanh_mlp(d: int, params: int, seed: int) -> Any:
    """A float32 MLP ``d → w → w → 1`` (tanh) with about ``params`` parameters."""
    import torch

    width = int((-(d + 3) + math.sqrt((d + 3) ** 2 + 4 * params)) / 2)  # d·w + w² + 3w ≈ params
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(d, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, 1),
    )


def numpy_mlp_gram(net: Any, X: np.ndarray) -> np.ndarray:
    r"""Independent float64 reference :math:`K = GG^T` for :func:`_tanh_mlp`, by hand in numpy.

    Forward :math:`a^{(0)} = x`, :math:`a^{(l)} = \tanh(W_la^{(l-1)} + b_l)`, output
    :math:`W_3a^{(2)} + b_3`; backward :math:`\delta^{(3)} = 1`,
    :math:`\delta^{(l)} = (W_{l+1}^T\delta^{(l+1)})\odot(1 - (a^{(l)})^2)`; then
    :math:`K = \sum_l (A^{(l-1)}A^{(l-1)T} + 1)\odot(\Delta^{(l)}\Delta^{(l)T})`.
    """
    W = [m.weight.detach().double().numpy() for m in net if hasattr(m, "weight")]
    b = [m.bias.detach().double().numpy() for m in net if hasattr(m, "weight")]
    acts = [np.asarray(X, dtype=np.float64)]
    for Wl, bl in zip(W[:-1], b[:-1], strict=True):
        acts.append(np.tanh(acts[-1] @ Wl.T + bl))
    delta = np.ones((acts[0].shape[0], 1))
    K = np.zeros((acts[0].shape[0],) * 2)
    for layer in range(len(W) - 1, -1, -1):
        a = acts[layer]
        K += (a @ a.T + 1.0) * (delta @ delta.T)
        if layer > 0:
            delta = (delta @ W[layer]) * (1.0 - acts[layer] ** 2)
    return K


def part_e(n: int, params: int, seed: int, repeats: int = 1) -> dict[str, Any]:
    """The project's per-sample Gram against a naive ``backward()`` loop, and both against numpy.

    The two are timed alternately ``repeats`` times and the fastest of each is kept (the
    machine may be shared).
    """
    import torch

    from verifythm.backends.torch_backend import gram_matrix, num_params

    d = 64
    net = _tanh_mlp(d, params, seed)
    p = num_params(net)
    X = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    Xt = torch.from_numpy(X)
    plist = list(net.parameters())

    def naive(rows: int) -> np.ndarray:
        G = torch.empty((rows, p), dtype=torch.float32)
        for i in range(rows):
            for q in plist:
                q.grad = None
            net(Xt[i : i + 1]).sum().backward()
            torch.cat([q.grad.reshape(-1) for q in plist], out=G[i])
        return (G @ G.T).double().numpy()

    naive(2)  # the same warm-ups for all three
    for method in ("per_sample", "auto"):
        gram_matrix(net, X[:2], dtype="float32", method=method)
    t_naive = t_rows = t_proj = math.inf
    for _ in range(max(1, repeats)):
        K_naive = K_rows = K = None  # free the previous round's matrices before timing again
        t0 = time.perf_counter()
        K_naive = naive(n)
        t_naive = min(t_naive, time.perf_counter() - t0)
        t0 = time.perf_counter()
        K_rows = gram_matrix(net, X, dtype="float32", max_bytes=6 * 1024**3, method="per_sample")
        t_rows = min(t_rows, time.perf_counter() - t0)
        t0 = time.perf_counter()
        K = gram_matrix(net, X, dtype="float32", max_bytes=6 * 1024**3)  # auto: the layer factors
        t_proj = min(t_proj, time.perf_counter() - t0)
    t0 = time.perf_counter()
    K_ref = numpy_mlp_gram(net, X)
    t_ref = time.perf_counter() - t0
    scale = float(np.max(np.abs(K_ref)))
    return {
        "n": n,
        "p": p,
        "naive_seconds": t_naive,
        "per_sample_seconds": t_rows,
        "project_seconds": t_proj,
        "naive_over_per_sample": t_naive / t_rows,
        "naive_over_project": t_naive / t_proj,
        "repeats": max(1, repeats),
        "numpy_reference_seconds": t_ref,
        "project_max_rel_err": float(np.max(np.abs(K - K_ref)) / scale),
        "per_sample_max_rel_err": float(np.max(np.abs(K_rows - K_ref)) / scale),
        "naive_max_rel_err": float(np.max(np.abs(K_naive - K_ref)) / scale),
    }


def main(argv: list[str] | None = None) -> int:
    """Run both parts and print (and optionally save) the numbers."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--params", type=int, default=1_000_000)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--digits-n", type=int, default=1024, help="digits images for part C")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--parts", default="ABCDE", help="which parts to run, e.g. 'E' (default ABCDE)")
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1)")
    ap.add_argument("--gram-n", type=int, default=1000, help="samples for part E")
    ap.add_argument("--repeats", type=int, default=2, help="alternating timings per size in part E")
    ap.add_argument(
        "--gram-params", default="100000,1000000", help="comma-separated parameter counts for part E"
    )
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    parts = set(args.parts.upper())
    out: dict[str, Any] = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    print(f"# torch {torch.__version__}, torch.set_num_threads({torch.get_num_threads()})", flush=True)
    na, pa = (200, 20_000) if args.quick else (1000, 100_000)
    if "A" in parts:
        out["part_a"] = a = part_a(na, pa, args.seed)
        print(
            f"## A: K = GGᵀ, n = {na}, p = {pa}: numpy {a['numpy_seconds']:.2f} s, "
            f"torch {a['torch_seconds']:.2f} s "
            f"(numpy/torch = {a['numpy_over_torch']:.2f}), max rel diff {a['max_rel_diff']:.1e}",
            flush=True,
        )
    nb, pb = (100, 50_000) if args.quick else (args.n, args.params)
    if "B" in parts:
        out["part_b"] = b = part_b(nb, pb, args.device, args.seed)
        print(
            f"## B: MLP with p = {b['p']}, n = {nb} on {b['device']}: per-sample gradients + Gram "
            f"{b['gram_seconds']:.1f} s; quantities {b['quantities_seconds']:.2f} s; exact eta* "
            f"{b['critical_lr_seconds']:.1f} s (mu = {b['mu']:.3f}, sigma = {b['sigma']:.2f})",
            flush=True,
        )
    import importlib.util

    if "C" in parts and importlib.util.find_spec("sklearn") is not None:
        out["part_c"] = c = part_c(256 if args.quick else args.digits_n, args.seed)
        print(
            f"## C: digits CNN with p = {c['p']}, n = {c['n']}: per-sample gradients + Gram "
            f"{c['gram_seconds']:.2f} s; exact eta* {c['critical_lr_seconds']:.1f} s",
            flush=True,
        )
    if "D" in parts:
        out["part_d"] = d = part_d(200, 64 if args.quick else 256, 32, args.seed)
        print(
            f"## D: {d['k']} Hessian-vector products, MLP with p = {d['p']}: matvec loop "
            f"{d['loop_seconds']:.3f} s, matmat (vmap) {d['matmat_seconds']:.3f} s "
            f"(loop/matmat = {d['loop_over_matmat']:.1f}), max rel diff {d['max_rel_diff']:.1e}",
            flush=True,
        )
    if "E" in parts:
        ne = 200 if args.quick else args.gram_n
        sizes = [20_000, 100_000] if args.quick else [int(s) for s in args.gram_params.split(",")]
        out["part_e"] = []
        for pe in sizes:
            e = part_e(ne, pe, args.seed, args.repeats)
            out["part_e"].append(e)
            print(
                f"## E: per-sample Gram, MLP with p = {e['p']}, n = {e['n']} (float32): naive backward() "
                f"loop + G@G.T {e['naive_seconds']:.2f} s; gram_matrix per_sample "
                f"{e['per_sample_seconds']:.2f} s (naive/per_sample = {e['naive_over_per_sample']:.2f}), "
                f"auto (layer factors) {e['project_seconds']:.3f} s "
                f"(naive/auto = {e['naive_over_project']:.1f}), best of {e['repeats']}; "
                f"max rel err vs numpy float64: auto {e['project_max_rel_err']:.1e}, "
                f"per_sample {e['per_sample_max_rel_err']:.1e}, naive {e['naive_max_rel_err']:.1e} "
                f"(numpy reference {e['numpy_reference_seconds']:.2f} s)",
                flush=True,
            )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
