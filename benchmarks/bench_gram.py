r"""Benchmark: the Gram-matrix trick versus dense :math:`p\times p` forms (wu2022alignment, Appendix A).

Part 1 times, at sizes where the dense route is affordable, the computation of the
alignment factors :math:`\mu,\mu_1,\mu_2` (:math:`\|G\|_F`, :math:`\|\Sigma\|_F`,
:math:`\operatorname{Tr}(G\Sigma)`, :math:`\operatorname{Tr}(G\Sigma_1)`) and of
:math:`\|H\|_F` (:math:`H = G` for the linearized square loss)

* densely: form :math:`G = QQ^T/n` and :math:`\Sigma_1,\Sigma_2` (:math:`O(p^2n)` time,
  :math:`O(p^2)` memory), then the traces as element-wise sums;
* by the Gram trick: :math:`K = Q^TQ` in parameter blocks, then :math:`n\times n` algebra.

Both are measured in the same run (best of ``--repeat``) and their ratio reported.

Part 2 times the Gram trick alone at ``--n`` × ``--p`` (default 1000 × 10⁶, where
:math:`Q` would take 8 GB in float64): :math:`Q` is never stored — a seeded generator
yields float32 parameter blocks — or, with ``--source memmap``, is first written to a
float32 memmap in ``--tmpdir`` and streamed back.  Generation time is measured apart
from the Gram accumulation.

Usage::

    python benchmarks/bench_gram.py                     # both parts, table on stdout
    python benchmarks/bench_gram.py --skip-large        # part 1 only
    python benchmarks/bench_gram.py --json out.json     # also write the numbers
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any


def _preset_threads(argv: list[str]) -> None:
    """Apply ``--threads N`` to the BLAS thread pools; it must happen before numpy is imported."""
    val = None
    for i, a in enumerate(argv):
        if a.startswith("--threads="):
            val = a.split("=", 1)[1]
        elif a == "--threads" and i + 1 < len(argv):
            val = argv[i + 1]
    if val is not None:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = val


_preset_threads(sys.argv[1:])

import numpy as np  # noqa: E402

from verifythm.linalg.gram import gram_from_blocks, gram_from_Q  # noqa: E402
from verifythm.quantities.alignment import alignment_factors, fisher_tau  # noqa: E402
from verifythm.quantities.coherence import coherence  # noqa: E402
from verifythm.quantities.extremes import alignment_extremes  # noqa: E402


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def dense_quantities(Q: np.ndarray, e: np.ndarray) -> dict[str, float]:
    r"""Alignment factors and :math:`\|H\|_F` from explicit :math:`p\times p` matrices (the O(p²n) route)."""
    n = Q.shape[1]
    G = Q @ Q.T / n
    S = Q * e
    sigma1 = S @ S.T / n
    grad = S.mean(axis=1)
    # Tr(GΣ₂) = ∇Lᵀ G ∇L; Σ = Σ₁ − ∇L∇Lᵀ formed explicitly, as a dense implementation would
    sigma = sigma1 - np.outer(grad, grad)
    loss = float(e @ e) / (2 * n)
    g2 = float(np.sum(G * G))
    tr_gs = float(np.sum(G * sigma))
    tr_gs1 = float(np.sum(G * sigma1))
    return {
        "H_fro": float(np.sqrt(g2)),
        "Sigma_fro": float(np.linalg.norm(sigma)),
        "mu": tr_gs / (2 * loss * g2),
        "mu1": tr_gs1 / (2 * loss * g2),
        "mu2": (tr_gs1 - tr_gs) / (2 * loss * g2),
    }


def gram_quantities(Q: np.ndarray, e: np.ndarray) -> dict[str, float]:
    """The same quantities by the Gram trick (n×n algebra after K = QᵀQ)."""
    g = gram_from_Q(Q)
    af = alignment_factors(g, e)
    return {
        "H_fro": g.fisher_frobenius,
        "Sigma_fro": float(np.sqrt(af.Sigma_fro2)),
        "mu": af.mu,
        "mu1": af.mu1,
        "mu2": af.mu2,
    }


def part1(sizes: list[tuple[int, int]], repeat: int, seed: int) -> list[dict[str, Any]]:
    """Dense versus Gram timings at the given (n, p) sizes."""
    rows = []
    for n, p in sizes:
        rng = np.random.default_rng(seed)
        Q = rng.standard_normal((p, n))
        e = rng.standard_normal(n)
        t_dense, d = _best(lambda Q=Q, e=e: dense_quantities(Q, e), repeat)
        t_gram, g = _best(lambda Q=Q, e=e: gram_quantities(Q, e), repeat)
        err = max(abs(d[k] - g[k]) / max(abs(d[k]), 1e-300) for k in d)
        rows.append(
            {
                "n": n,
                "p": p,
                "dense_s": t_dense,
                "gram_s": t_gram,
                "speedup": t_dense / t_gram,
                "max_rel_diff": err,
                "mu": g["mu"],
            }
        )
    return rows


def _blocks(n: int, p: int, block: int, seed: int, clock: list[float]) -> Iterator[np.ndarray]:
    """Seeded float32 parameter blocks (b, n) of Q; generation time is added to ``clock[0]``."""
    rng = np.random.default_rng(seed)
    for i in range(0, p, block):
        t0 = time.perf_counter()
        b = rng.standard_normal((min(block, p - i), n), dtype=np.float32)
        clock[0] += time.perf_counter() - t0
        yield b


def part2(n: int, p: int, block: int, seed: int, source: str, tmpdir: str) -> dict[str, Any]:
    """Gram-trick timing at a size where Q does not fit in memory as float64."""
    out: dict[str, Any] = {"n": n, "p": p, "block_rows": block, "source": source}
    clock = [0.0]
    if source == "memmap":
        fd, path = tempfile.mkstemp(suffix=".f32", dir=tmpdir)
        os.close(fd)
        try:
            mm = np.memmap(path, dtype=np.float32, mode="w+", shape=(p, n))
            t0 = time.perf_counter()
            for i, b in enumerate(_blocks(n, p, block, seed, clock)):
                mm[i * block : i * block + b.shape[0]] = b
            mm.flush()
            del mm
            out["write_s"] = time.perf_counter() - t0
            ro = np.memmap(path, dtype=np.float32, mode="r", shape=(p, n))
            t0 = time.perf_counter()
            g = gram_from_Q(ro, block_rows=block)
            out["gram_s"] = time.perf_counter() - t0
            out["generate_s"] = clock[0]
            del ro
        finally:
            os.remove(path)
    else:
        t0 = time.perf_counter()
        g = gram_from_blocks(_blocks(n, p, block, seed, clock))
        total = time.perf_counter() - t0
        out["generate_s"] = clock[0]
        out["gram_s"] = total - clock[0]
    e = np.random.default_rng(seed + 1).standard_normal(n)
    t0 = time.perf_counter()
    af = alignment_factors(g, e)
    vals = {"mu": af.mu, "mu1": af.mu1, "mu2": af.mu2, "H_fro": g.fisher_frobenius}
    out["factors_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    vals.update(lambda_max=g.fisher_lambda_max, tau=fisher_tau(g), coherence=coherence(gram=g).sigma)
    out["spectral_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ex = alignment_extremes(g)
    vals.update(mu_inf=ex.mu_inf.value, mu1_inf=ex.mu1_inf.value, gamma=ex.gamma)
    out["extremes_s"] = time.perf_counter() - t0
    out["values"] = vals
    out["gflops_gram"] = n * n * p / out["gram_s"] / 1e9  # syrk: n²p multiply-adds
    try:
        import resource

        out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    except ImportError:  # pragma: no cover - not on POSIX
        out["peak_rss_mib"] = None
    return out


def _parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for item in text.split(","):
        n, p = item.lower().split("x")
        sizes.append((int(n), int(p)))
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table; optionally write JSON."""
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument("--sizes", default="50x1000,100x2000,200x4000,100x6000", help="dense-feasible n×p list")
    ap.add_argument("--repeat", type=int, default=3, help="best-of repeats for part 1")
    ap.add_argument("--n", type=int, default=1000, help="samples for part 2")
    ap.add_argument("--p", type=int, default=1_000_000, help="parameters for part 2")
    ap.add_argument("--block", type=int, default=8192, help="parameter rows per block in part 2")
    ap.add_argument("--source", choices=["generator", "memmap"], default="generator")
    ap.add_argument("--tmpdir", default=tempfile.gettempdir(), help="where --source memmap writes Q")
    ap.add_argument("--skip-large", action="store_true", help="skip part 2")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="write results to this JSON file")
    ap.add_argument(
        "--threads",
        help="BLAS threads (set before numpy loads; fewer threads = steadier timings on a busy box)",
    )
    args = ap.parse_args(argv)

    env = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "loadavg_1min": round(os.getloadavg()[0], 2),
    }
    print(f"# environment: {env}")
    rows = part1(_parse_sizes(args.sizes), args.repeat, args.seed)
    print("\n## Part 1: alignment factors + ‖H‖_F, dense p×p vs Gram trick (best of", args.repeat, "runs)")
    print(f"{'n':>6} {'p':>8} {'dense [s]':>10} {'gram [s]':>10} {'speedup':>9} {'max rel diff':>13}")
    for r in rows:
        print(
            f"{r['n']:>6} {r['p']:>8} {r['dense_s']:>10.4f} {r['gram_s']:>10.4f} "
            f"{r['speedup']:>9.1f} {r['max_rel_diff']:>13.2e}"
        )
    result: dict[str, Any] = {"environment": env, "part1": rows}
    if not args.skip_large:
        big = part2(args.n, args.p, args.block, args.seed, args.source, args.tmpdir)
        result["part2"] = big
        print(f"\n## Part 2: Gram trick at n = {big['n']}, p = {big['p']} ({big['source']}, float32 blocks)")
        if "write_s" in big:
            print(f"write memmap      {big['write_s']:9.2f} s")
        print(f"generate Q blocks {big['generate_s']:9.2f} s (not part of the Gram trick)")
        print(f"K = QᵀQ (blocked) {big['gram_s']:9.2f} s  (n²p/t = {big['gflops_gram']:.1f}e9 per s)")
        print(f"μ, μ₁, μ₂, ‖H‖_F  {big['factors_s']:9.3f} s  (from K)")
        print(f"λ₁, τ, σ          {big['spectral_s']:9.3f} s  (from K)")
        print(f"inf_θ μ, μ₁       {big['extremes_s']:9.3f} s  (from K)")
        if big.get("peak_rss_mib") is not None:
            print(f"peak RSS (whole run, part 1 included) {big['peak_rss_mib']:.0f} MiB")
        print("values:", {k: round(v, 6) for k, v in big["values"].items()})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
