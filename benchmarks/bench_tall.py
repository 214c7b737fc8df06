r"""Benchmark: ``family_summary`` of gradients with n ≫ p, the ``p × p`` route against the ``n × n`` one.

For Gaussian gradients ``(n, p)`` with ``p = 10`` (default), in one run per size:

* the ``p × p`` route (:mod:`verifythm.quantities.tall`, chosen automatically when ``p < n``):
  total time of the reduction, spectrum, infima, γ, τ and σ, with σ (Lanczos on :math:`|K|`,
  :math:`O(n^2p)` per product) apart, and the ratio to one GEMM :math:`G^TG`;
* the ``n × n`` Gram route (what every family took before), only where it still answers
  (``n ≤ --gram-max``): its time and the largest relative difference over the reported values.

Usage::

    python benchmarks/bench_tall.py                         # n = 1000, 4000, 20000, 50000
    python benchmarks/bench_tall.py --sizes 2000,8000 --p 20 --json tall.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

KEYS = ("lambda_max", "trace", "frobenius", "stable_rank", "coherence", "mu_inf", "mu1_inf", "gamma", "tau")


def _gram_route(G: np.ndarray) -> dict[str, float]:
    """The values of ``family_summary`` through the n × n Gram matrix (the route for n ≤ p)."""
    from verifythm.linalg.gram import gram_from_gradients
    from verifythm.quantities.coherence import coherence
    from verifythm.quantities.extremes import alignment_extremes
    from verifythm.quantities.spectral import hessian_spectrum

    gram = gram_from_gradients(G)
    spec = hessian_spectrum(gram=gram)
    ext = alignment_extremes(gram)
    return {
        "lambda_max": spec.lambda_max,
        "trace": spec.trace,
        "frobenius": spec.frobenius,
        "stable_rank": float(spec.stable_rank or 0.0),
        "coherence": coherence(gram=gram).sigma,
        "mu_inf": ext.mu_inf.value,
        "mu1_inf": ext.mu1_inf.value,
        "gamma": gram.gamma,
        "tau": gram.tau,
    }


def run(sizes: list[int], p: int, gram_max: int, seed: int) -> list[dict[str, Any]]:
    """Time both routes at each size; see the module docstring."""
    from verifythm.quantities.summary import family_summary
    from verifythm.quantities.tall import tall_gradients

    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        G = rng.standard_normal((n, p))
        t0 = time.perf_counter()
        _ = G.T @ G
        gemm = time.perf_counter() - t0
        t0 = time.perf_counter()
        tall = tall_gradients(G)
        tall.spectrum(), tall.infima(), tall.gamma, tall.tau
        t_rest = time.perf_counter() - t0
        t0 = time.perf_counter()
        tall.coherence()
        sigma = time.perf_counter() - t0
        total = t_rest + sigma
        row: dict[str, Any] = {"n": n, "p": p, "pspace_seconds": total, "sigma_seconds": sigma}
        row["gemm_seconds"] = gemm
        row["pspace_over_gemm"] = total / max(gemm, 1e-9)
        ratio = row["pspace_over_gemm"]
        line = f"  n = {n:6d}, p = {p}: p×p route {total:.3f} s (σ {sigma:.3f} s; {ratio:.0f}x one GEMM)"
        if n <= gram_max:
            t0 = time.perf_counter()
            ref = _gram_route(G)
            row["gram_seconds"] = time.perf_counter() - t0
            got = family_summary(gradients=G).as_dict()
            row["max_relative_difference"] = max(abs(got[k] / ref[k] - 1) for k in KEYS if ref[k])
            line += (
                f"; n×n route {row['gram_seconds']:.2f} s ({row['gram_seconds'] / total:.0f}x slower), "
                f"max |Δ|/value = {row['max_relative_difference']:.1e}"
            )
        print(line, flush=True)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run, print the table and optionally write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,4000,20000,50000", help="comma-separated n")
    ap.add_argument("--p", type=int, default=10, help="parameters (default 10)")
    ap.add_argument("--gram-max", type=int, default=4000, help="largest n for the n × n route")
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, default=None, metavar="FILE")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    if not sizes or min(sizes) <= args.p:
        ap.error("--sizes: every n must exceed --p")
    print(f"## family_summary of gradients (n, p = {args.p}), BLAS threads = {args.threads}")
    with threadpool_limits(args.threads):
        rows = run(sizes, args.p, args.gram_max, args.seed)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
