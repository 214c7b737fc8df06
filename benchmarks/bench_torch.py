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
the small digits CNN of :mod:`verifythm.experiments.real_networks` on ``--digits-n`` images
of scikit-learn's bundled digits (float64), then the exact critical learning rate (skipped
without scikit-learn).

Part D — 32 exact Hessian-vector products of a tanh MLP
(:func:`verifythm.backends.curvature.hessian_operator`): a ``matvec`` loop against the batched
``matmat`` (``vmap`` over the ``jvp``), in the same run.

Usage::

    python benchmarks/bench_torch.py                     # defaults: n = 1000, p ≈ 10⁶
    python benchmarks/bench_torch.py --quick
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
    K = gram_matrix(net, X, chunk_size=64, dtype="float32", device=device, max_bytes=6 * 1024**3)
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
    from verifythm.backends.torch_backend import gram_matrix, num_params
    from verifythm.dynamics import Family, NoiseModel, critical_learning_rate
    from verifythm.experiments.real_networks import digits_cnn, load_digits_subset

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
    args = ap.parse_args(argv)
    import torch

    out: dict[str, Any] = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    na, pa = (200, 20_000) if args.quick else (1000, 100_000)
    out["part_a"] = a = part_a(na, pa, args.seed)
    print(
        f"## A: K = GGᵀ, n = {na}, p = {pa}: numpy {a['numpy_seconds']:.2f} s, "
        f"torch {a['torch_seconds']:.2f} s "
        f"(numpy/torch = {a['numpy_over_torch']:.2f}), max rel diff {a['max_rel_diff']:.1e}",
        flush=True,
    )
    nb, pb = (100, 50_000) if args.quick else (args.n, args.params)
    out["part_b"] = b = part_b(nb, pb, args.device, args.seed)
    print(
        f"## B: MLP with p = {b['p']}, n = {nb} on {b['device']}: per-sample gradients + Gram "
        f"{b['gram_seconds']:.1f} s; quantities {b['quantities_seconds']:.2f} s; exact eta* "
        f"{b['critical_lr_seconds']:.1f} s (mu = {b['mu']:.3f}, sigma = {b['sigma']:.2f})",
        flush=True,
    )
    import importlib.util

    if importlib.util.find_spec("sklearn") is not None:
        out["part_c"] = c = part_c(256 if args.quick else args.digits_n, args.seed)
        print(
            f"## C: digits CNN with p = {c['p']}, n = {c['n']}: per-sample gradients + Gram "
            f"{c['gram_seconds']:.2f} s; exact eta* {c['critical_lr_seconds']:.1f} s",
            flush=True,
        )
    out["part_d"] = d = part_d(200, 64 if args.quick else 256, 32, args.seed)
    print(
        f"## D: {d['k']} Hessian-vector products, MLP with p = {d['p']}: matvec loop "
        f"{d['loop_seconds']:.3f} s, matmat (vmap) {d['matmat_seconds']:.3f} s "
        f"(loop/matmat = {d['loop_over_matmat']:.1f}), max rel diff {d['max_rel_diff']:.1e}",
        flush=True,
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
