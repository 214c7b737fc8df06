r"""Benchmark: the exact moment engine versus the Monte Carlo protocol of dexter2024precise §5.1.

The protocol (their §5.1): run linearized SGD for at most 1000 steps from a random start,
five repetitions; a setting is *divergent* when the norm grows by a factor 1000 in a
majority of repetitions and *not divergent* when it shrinks by 1000 (or never decides).
It is implemented in :func:`verifythm.dynamics.dexter_protocol` (reduced coordinates) and,
for part 1, directly in parameter space.

Part 1 — critical learning rate of a rank-one family (default ``n = 500``, ``p = 20000``,
without-replacement sampling, ``B = 25``): the engine's :math:`\eta^*` (Gram matrix plus
a generalized eigenproblem) versus bisection on η with the protocol as the oracle, down to
a relative bracket width ``--rel-tol``.  The two answer different questions — the
protocol sees typical (almost-sure) growth, the engine mean-square growth — so the
thresholds are reported side by side, not expected to coincide.

Part 2 — a stability phase diagram on Dexter et al.'s own construction (``n = 100``,
:math:`H_i = m e_1e_1^T` for :math:`i\le\sigma`, else :math:`m e_{i-\sigma+1}e_{i-\sigma+1}^T`,
:math:`m = 2n/\sigma`, Bernoulli sampling, η = 0.8) on a 50 × 50 grid of
:math:`(\sigma, B)`: the engine's verdict per cell versus the protocol's label, the
agreement where the protocol is decisive, and the speed ratio.  The family is diagonal,
so the engine uses its exact closed form; the general (non-diagonal) path is timed on a
sample of cells after a random rotation, which leaves every answer unchanged.

Part 3 — the largest ``n`` (rank-one Gaussian family, ``p = 4n``) for which η* is
computed within ``--budget`` seconds (default 60).

Part 4 — ``n ≫ p`` (``p = 10``, ``n`` up to 200 000): η* through the ``p × p`` form
(:math:`C=G^TG`, chosen automatically when :math:`p<n`) against the ``n × n`` Gram route
where that still answers (``n ≤ 4000``), and as a ratio to one GEMM :math:`G^TG`.

Part 5 — η* of a rank-one family (``n = 500`` and ``2000``, ``p = 2·10⁴``, without
replacement, ``B = 25``) as a ratio to the time of one GEMM :math:`K = GG^T` in the same run, with
the number of ``n × n`` steps of the dual method; ``--reference`` adds the Lanczos method on
Sym(r) (operator applications, :math:`|\Delta\eta^*|/\eta^*`).  BLAS threads: ``--threads``.

Part 6 — a 20 × 20 (η, B) grid on a non-diagonal family (rank-3 members, ``d = 20``): the
grid API (:func:`~verifythm.search.sweep.stability_phase_diagram`), one :func:`stability`
call per cell (η* and the dense operators are reused per family, scheme and ``B``), and the
protocol per cell, as speed ratios in one run.

Usage::

    python benchmarks/bench_stability.py                 # all parts, full sizes
    python benchmarks/bench_stability.py --quick         # small sizes (smoke run)
    python benchmarks/bench_stability.py --parts 2 --json out.json
    python benchmarks/bench_stability.py --parts 5 --reference --threads 1
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
from typing import Any

import numpy as np

from verifythm.dynamics import (
    Family,
    NoiseModel,
    batch_weights,
    critical_learning_rate,
    critical_learning_rates,
    dexter_protocol,
    stability,
)
from verifythm.strategies.families import dexter2024_family


def _say(msg: str) -> None:
    print(msg, flush=True)


# -- part 1 ----------------------------------------------------------------------------------
def protocol_label_full_space(
    G: np.ndarray,
    eta: float,
    B: int,
    sampling: str,
    rng: np.random.Generator,
    *,
    reps: int = 5,
    max_steps: int = 1000,
    factor: float = 1000.0,
) -> str:
    """Dexter's protocol in parameter space: ``w ← w − (η/B) Σ_{i∈S} g_i g_iᵀ w`` for ``reps`` runs."""
    n = G.shape[0]
    a = rng.standard_normal((reps, n))
    W = a @ G  # starts in range(Q): the kernel part would never move
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    outcome = np.zeros(reps, dtype=int)
    active = np.ones(reps, dtype=bool)
    for _ in range(max_steps):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        wts = batch_weights(rng, sampling, n, B, idx.size)
        for k, r in enumerate(idx):
            S = np.flatnonzero(wts[k])
            Gs = G[S]
            W[r] -= eta * (wts[k, S] * (Gs @ W[r])) @ Gs
        sq = np.einsum("ka,ka->k", W[idx], W[idx])
        up, down = idx[(sq >= factor**2) | ~np.isfinite(sq)], idx[sq <= factor**-2]
        outcome[up], outcome[down] = 1, -1
        active[up] = active[down] = False
    return "divergent" if np.sum(outcome == 1) > reps / 2 else "not divergent"


def part1(n: int, p: int, B: int, sampling: str, rel_tol: float, seed: int) -> dict[str, Any]:
    """Exact η* versus bisection with the protocol as oracle, on a rank-one family."""
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((n, p)) * rng.uniform(0.3, 1.5, size=(n, 1)) / math.sqrt(p)
    t0 = time.perf_counter()
    fam = Family.from_gradients(G)
    crit = critical_learning_rate(NoiseModel.build(fam, B, sampling))
    t_exact = time.perf_counter() - t0
    _say(
        f"  exact: eta* = {crit.value:.10g} ({crit.method}) in {t_exact:.2f} s; "
        f"GD 2/lambda1 = {crit.gd_threshold:.6g}"
    )
    lo, hi = 0.0, crit.gd_threshold * 1.5
    evals = 0
    t0 = time.perf_counter()
    while protocol_label_full_space(G, hi, B, sampling, rng) != "divergent":
        lo, hi = hi, 2 * hi
        evals += 1
    evals += 1
    while hi - lo > rel_tol * hi:
        mid = (lo + hi) / 2
        evals += 1
        if protocol_label_full_space(G, mid, B, sampling, rng) == "divergent":
            hi = mid
        else:
            lo = mid
        _say(
            f"    bisection: [{lo:.6g}, {hi:.6g}] after {evals} protocol runs, "
            f"{time.perf_counter() - t0:.1f} s"
        )
    t_mc = time.perf_counter() - t0
    est = (lo + hi) / 2
    return {
        "n": n,
        "p": p,
        "batch_size": B,
        "sampling": sampling,
        "exact_critical_lr": crit.value,
        "exact_seconds": t_exact,
        "protocol_critical_lr": est,
        "protocol_bracket": [lo, hi],
        "protocol_rel_width": (hi - lo) / hi,
        "protocol_runs": evals,
        "protocol_seconds": t_mc,
        "speedup": t_mc / t_exact,
        "protocol_over_exact": est / crit.value,
    }


# -- part 2 ----------------------------------------------------------------------------------
def _grid(n: int, k: int) -> list[int]:
    vals = np.unique(np.round(np.linspace(1, n, k)).astype(int))
    return [int(v) for v in vals]


def part2(n: int, k: int, eta: float, seed: int, general_sample: int) -> dict[str, Any]:
    """Phase diagram over (σ, B): exact verdicts versus protocol labels."""
    sigmas, batches = _grid(n, k), _grid(n, k)
    exact = np.zeros((len(sigmas), len(batches)), dtype=bool)
    label = np.empty((len(sigmas), len(batches)), dtype=object)
    t_exact = t_mc = t_cell = 0.0
    mismatch = 0
    rng = np.random.default_rng(seed)
    for a, s in enumerate(sigmas):
        Hs = dexter2024_family(n, s)
        t0 = time.perf_counter()
        # diagonal members: reduce once per σ from the diagonals (O(nd)); the stable set in η is
        # (0, η*(B)], so one vectorised η*(B) per σ row decides every cell of the row
        fam = Family.from_diagonals(np.diagonal(Hs, axis1=1, axis2=2))
        exact[a, :] = eta <= critical_learning_rates(fam, batches, "bernoulli")
        t_exact += time.perf_counter() - t0
        for b, B in enumerate(batches):
            t0 = time.perf_counter()
            nm = NoiseModel.build(fam, B, "bernoulli")
            cellwise = stability(nm, eta)  # the one-cell API: spectral radius, verdict and η*
            t_cell += time.perf_counter() - t0
            mismatch += int(cellwise.stable != exact[a, b])
            t0 = time.perf_counter()
            label[a, b] = dexter_protocol(nm, eta, rng=rng).label
            t_mc += time.perf_counter() - t0
        _say(f"  sigma = {s:3d}: exact {t_exact:7.2f} s, protocol {t_mc:7.2f} s so far")
    decisive = label != "undecided"
    agree = decisive & (exact == (label == "convergent"))
    disagree_cells = [
        {"sigma": sigmas[a], "B": batches[b], "exact_stable": bool(exact[a, b]), "protocol": label[a, b]}
        for a, b in zip(*np.nonzero(decisive & ~agree), strict=True)
    ]
    # the general path on rotated copies (answers unchanged, no diagonal shortcut)
    t_gen, cells, max_diff = 0.0, 0, 0.0
    for _ in range(general_sample):
        s, B = int(rng.choice(sigmas)), int(rng.choice(batches))
        Hs = dexter2024_family(n, s)
        d = Hs.shape[1]
        R, _ = np.linalg.qr(rng.standard_normal((d, d)))
        rot = np.einsum("ab,ibc,dc->iad", R, Hs, R)
        t0 = time.perf_counter()
        v_gen = critical_learning_rate(
            NoiseModel.build(hessians=rot, batch_size=B, sampling="bernoulli")
        ).value
        t_gen += time.perf_counter() - t0
        v_diag = critical_learning_rate(
            NoiseModel.build(hessians=Hs, batch_size=B, sampling="bernoulli")
        ).value
        max_diff = max(max_diff, abs(v_gen / v_diag - 1))
        cells += 1
    return {
        "n": n,
        "eta": eta,
        "grid": [len(sigmas), len(batches)],
        "cells": int(exact.size),
        "exact_seconds": t_exact,
        "protocol_seconds": t_mc,
        "speedup": t_mc / t_exact,
        "cellwise_seconds": t_cell,
        "cellwise_speedup": t_mc / t_cell,
        "cellwise_vs_vectorised_mismatches": mismatch,
        "protocol_decisive": int(decisive.sum()),
        "protocol_undecided": int((~decisive).sum()),
        "agreement_where_decisive": float(agree.sum() / max(decisive.sum(), 1)),
        "disagreements": disagree_cells,
        "exact_stable_cells": int(exact.sum()),
        "general_path_cells": cells,
        "general_path_seconds_per_cell": t_gen / max(cells, 1),
        "general_vs_diagonal_max_rel_diff": max_diff,
        "protocol_seconds_per_cell": t_mc / exact.size,
    }


# -- part 3 ----------------------------------------------------------------------------------
def part3(budget: float, start: int, step: int, seed: int) -> dict[str, Any]:
    """Grow n until η* takes longer than ``budget`` seconds."""
    rng = np.random.default_rng(seed)
    rows = []
    n = start
    best = None
    while True:
        G = rng.standard_normal((n, 4 * n)) / math.sqrt(4 * n)
        t0 = time.perf_counter()
        crit = critical_learning_rate(
            NoiseModel.build(gradients=G, batch_size=max(1, n // 10), sampling="without-replacement")
        )
        dt = time.perf_counter() - t0
        rows.append({"n": n, "p": 4 * n, "seconds": dt, "critical_lr": crit.value, "method": crit.method})
        _say(f"  n = {n:5d}, p = {4 * n}: eta* = {crit.value:.6g} in {dt:.1f} s ({crit.method})")
        if dt > budget:
            break
        best = n
        n += step
    return {"budget_seconds": budget, "largest_n_within_budget": best, "runs": rows}


def part4(sizes: list[int], p: int, seed: int) -> dict[str, Any]:
    """Part 4, n ≫ p: η* through the p × p form against the n × n Gram route and one GEMM GᵀG."""
    from verifythm.dynamics import Family, critical_learning_rates
    from verifythm.dynamics.scaling import pow2_exponent
    from verifythm.linalg.gram import gram_from_gradients

    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        G = rng.standard_normal((n, p))
        t0 = time.perf_counter()
        _ = G.T @ G
        gemm = time.perf_counter() - t0
        t0 = time.perf_counter()
        small = Family.from_gradients(G)
        eta_small = critical_learning_rates(small, [32], "without-replacement")[0]
        t_small = time.perf_counter() - t0
        row: dict[str, Any] = {"n": n, "p": p, "pspace_seconds": t_small, "gemm_seconds": gemm}
        row["pspace_over_gemm"] = t_small / max(gemm, 1e-9)
        if n <= 4000:  # the Gram route is O(n³): only where it still answers
            t0 = time.perf_counter()
            gram = gram_from_gradients(G)
            big = Family._from_gram_hat(gram.khat, 2 * pow2_exponent(gram.scale), gram.p, "gradients")
            eta_big = critical_learning_rates(big, [32], "without-replacement")[0]
            row["gram_seconds"] = time.perf_counter() - t0
            row["gram_over_pspace"] = row["gram_seconds"] / t_small
            row["relative_difference"] = abs(eta_small / eta_big - 1)
        rows.append(row)
        extra = (
            f"; n×n Gram route {row['gram_seconds']:.2f} s ({row['gram_over_pspace']:.0f}x slower), "
            f"|Δη*|/η* = {row['relative_difference']:.1e}"
            if "gram_seconds" in row
            else ""
        )
        ratio = row["pspace_over_gemm"]
        _say(f"  n = {n:6d}, p = {p}: p×p form {t_small:.3f} s ({ratio:.0f}x one GEMM){extra}")
    return {"runs": rows}


def part5(sizes: list[int], p: int, B: int, seed: int, threads: int, reference: bool) -> dict[str, Any]:
    r"""Part 5: η* of a rank-one family (without replacement) as a ratio to one GEMM K = GGᵀ.

    Counts the ``n × n`` eigenproblems of the dual method (and the Cauchy ranks used to form them)
    and, with ``reference``, the Sym(r) operator applications of the Lanczos method and
    :math:`|\Delta\eta^*|/\eta^*` between the two.  BLAS runs on ``threads`` threads throughout.
    """
    from threadpoolctl import threadpool_limits

    import verifythm.dynamics.family as fam_mod
    import verifythm.dynamics.symeig as se

    ranks: list[int] = []
    applications = [0]
    factor, sandwich = se._cauchy_factor, fam_mod.Family.sandwich_mean

    def counted_factor(y: np.ndarray, tol: float) -> np.ndarray:
        L = factor(y, tol)
        ranks.append(L.shape[1])
        return L

    def counted_sandwich(self: Family, W: np.ndarray) -> np.ndarray:
        applications[0] += 1
        return sandwich(self, W)

    rng = np.random.default_rng(seed)
    rows = []
    se._cauchy_factor = counted_factor  # type: ignore[assignment]
    fam_mod.Family.sandwich_mean = counted_sandwich  # type: ignore[method-assign]
    try:
        with threadpool_limits(limits=threads, user_api="blas"):
            for n in sizes:
                G = rng.standard_normal((n, p)) * rng.uniform(0.3, 1.5, size=(n, 1)) / math.sqrt(p)
                gemm = min(_timed(np.matmul, G, G.T)[1] for _ in range(2))
                fam, t_fam = _timed(Family.from_gradients, G)
                nm = NoiseModel.build(fam, B, "without-replacement")
                ranks.clear()
                applications[0] = 0
                crit, t_eta = _timed(critical_learning_rate, nm)
                row: dict[str, Any] = {
                    "n": n,
                    "p": p,
                    "batch_size": B,
                    "threads": threads,
                    "gemm_seconds": gemm,
                    "family_seconds": t_fam,
                    "eta_seconds": t_eta,
                    "eta_over_gemm": t_eta / gemm,
                    "family_and_eta_over_gemm": (t_fam + t_eta) / gemm,
                    "critical_lr": crit.value,
                    "method": crit.method,
                    "dual_steps": len(ranks),
                    "cauchy_ranks": list(ranks),
                    "operator_applications": applications[0],
                }
                msg = (
                    f"  n = {n:5d}: K = GGᵀ {gemm:.3f} s; eta* {t_eta:.2f} s = {t_eta / gemm:.2f}x GEMM "
                    f"({crit.method}, {len(ranks)} n×n steps, Cauchy ranks {ranks}); with the family "
                    f"(K + eigh) {(t_fam + t_eta) / gemm:.2f}x"
                )
                if reference:
                    applications[0] = 0
                    ref, t_ref = _timed(critical_learning_rate, nm, method="lanczos")
                    row.update(
                        lanczos_seconds=t_ref,
                        lanczos_over_gemm=t_ref / gemm,
                        lanczos_applications=applications[0],
                        lanczos_critical_lr=ref.value,
                        relative_difference=abs(crit.value / ref.value - 1),
                    )
                    msg += (
                        f"\n           Lanczos {t_ref:.2f} s = {t_ref / gemm:.1f}x GEMM, "
                        f"{applications[0]} applications; |Δη*|/η* = {row['relative_difference']:.1e}"
                    )
                _say(msg)
                rows.append(row)
    finally:
        se._cauchy_factor = factor  # type: ignore[assignment]
        fam_mod.Family.sandwich_mean = sandwich  # type: ignore[method-assign]
    return {"runs": rows}


def _timed(f: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - t0


# -- part 6 ----------------------------------------------------------------------------------
def part6(n: int, d: int, k: int, seed: int) -> dict[str, Any]:
    """A k × k (η, B) grid on a general (non-diagonal) family: grid API, per-cell API, protocol."""
    import importlib

    from verifythm.search.sweep import stability_phase_diagram

    memo = getattr(importlib.import_module("verifythm.dynamics.stability"), "_MEMO", {})

    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, d, 3))
    H = np.einsum("nik,njk->nij", A, A)  # rank-3 members, r = d: the dense Sym(r) route
    fam = Family.from_hessians(H)
    gd = 2.0 / fam.lambda_max
    etas = np.linspace(0.05, 1.0, k) * gd
    batches = _grid(n, k)
    t0 = time.perf_counter()
    pd = stability_phase_diagram(etas, batches, hessians=H)
    t_grid = time.perf_counter() - t0
    memo.clear()  # the per-cell timing starts cold, as a user's first loop would
    t0 = time.perf_counter()
    cell = np.array(
        [[stability(NoiseModel.build(fam, B, "with-replacement"), e).stable for e in etas] for B in batches]
    )
    t_cell = time.perf_counter() - t0
    t0 = time.perf_counter()
    labels = [
        [dexter_protocol(NoiseModel.build(fam, B, "with-replacement"), e, rng=rng).label for e in etas]
        for B in batches
    ]
    t_mc = time.perf_counter() - t0
    _say(
        f"  {len(batches)} x {k} cells: grid API {t_grid:.2f} s ({t_mc / t_grid:.1f}x faster than the "
        f"protocol), per-cell stability() {t_cell:.2f} s ({t_mc / t_cell:.1f}x), protocol {t_mc:.2f} s"
    )
    return {
        "n": n,
        "d": d,
        "cells": int(cell.size),
        "grid_seconds": t_grid,
        "cellwise_seconds": t_cell,
        "protocol_seconds": t_mc,
        "grid_speedup_vs_protocol": t_mc / t_grid,
        "cellwise_speedup_vs_protocol": t_mc / t_cell,
        "grid_vs_cellwise_mismatches": int(np.sum(pd.stable != cell)),
        "protocol_undecided": int(sum(lab == "undecided" for row in labels for lab in row)),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the selected parts and print (and optionally save) the numbers."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parts", default="1,2,3,4", help="comma-separated parts to run (default 1,2,3,4)")
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument(
        "--rel-tol", type=float, default=1e-3, help="part 1: relative bracket width of the bisection"
    )
    ap.add_argument("--budget", type=float, default=60.0, help="part 3: seconds allowed for eta*")
    ap.add_argument("--json", metavar="FILE", help="write the numbers as JSON")
    ap.add_argument("--threads", type=int, default=1, help="part 5: BLAS threads (set deliberately)")
    ap.add_argument(
        "--reference", action="store_true", help="part 5: also time the Lanczos method and compare η*"
    )
    args = ap.parse_args(argv)
    parts = {int(x) for x in args.parts.split(",") if x}
    out: dict[str, Any] = {
        "machine": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
    }
    if 4 in parts:
        sizes = [1000, 4000] if args.quick else [1000, 4000, 20000, 200000]
        _say("## Part 4: n >> p, rank-one family with p = 10 (the p x p form against the n x n Gram route)")
        out["part4"] = part4(sizes, 10, args.seed)
    if 5 in parts:
        sizes = [200, 500] if args.quick else [500, 2000]
        _say("## Part 5: eta* of a rank-one family, p = 20000, as a ratio to one GEMM K = GGᵀ")
        out["part5"] = part5(sizes, 20000, 25, args.seed, args.threads, args.reference)
    if 6 in parts:
        n, d, k = (12, 6, 6) if args.quick else (40, 20, 20)
        _say(f"## Part 6: a {k} x {k} (eta, B) grid on a non-diagonal family (n = {n}, d = {d})")
        out["part6"] = part6(n, d, k, args.seed)
    if 1 in parts:
        n, p = (60, 2000) if args.quick else (500, 20000)
        _say(f"## Part 1: critical learning rate, rank-one family n = {n}, p = {p}")
        out["part1"] = r = part1(
            n,
            p,
            25 if n >= 100 else 5,
            "without-replacement",
            1e-2 if args.quick else args.rel_tol,
            args.seed,
        )
        _say(
            f"  protocol: eta ~ {r['protocol_critical_lr']:.6g} "
            f"(bracket width {r['protocol_rel_width']:.1e}) "
            f"in {r['protocol_seconds']:.1f} s over {r['protocol_runs']} runs"
        )
        _say(
            f"  speed ratio (protocol / exact) = {r['speedup']:.0f}x; protocol / exact threshold = "
            f"{r['protocol_over_exact']:.4f}"
        )
    if 2 in parts:
        n, k = (20, 8) if args.quick else (100, 50)
        _say(
            f"## Part 2: phase diagram, Dexter construction n = {n}, {k} x {k} grid of (sigma, B), eta = 0.8"
        )
        out["part2"] = r = part2(n, k, 0.8, args.seed, 3 if args.quick else 20)
        _say(
            f"  exact {r['exact_seconds']:.2f} s, protocol {r['protocol_seconds']:.1f} s: "
            f"speed ratio {r['speedup']:.0f}x"
        )
        _say(
            f"  one stability() call per cell instead: {r['cellwise_seconds']:.2f} s "
            f"({r['cellwise_speedup']:.0f}x); mismatches with the vectorised map: "
            f"{r['cellwise_vs_vectorised_mismatches']}"
        )
        _say(
            f"  protocol decisive in {r['protocol_decisive']}/{r['cells']} cells; agreement there "
            f"{100 * r['agreement_where_decisive']:.2f} % ({len(r['disagreements'])} disagreements)"
        )
        _say(
            f"  general (rotated, non-diagonal) path: {r['general_path_seconds_per_cell']:.3f} s per cell "
            f"vs protocol {r['protocol_seconds_per_cell']:.3f} s per cell; max rel diff "
            f"{r['general_vs_diagonal_max_rel_diff']:.1e}"
        )
    if 3 in parts:
        budget = 5.0 if args.quick else args.budget
        _say(f"## Part 3: largest n with eta* within {budget:.0f} s (rank-one, p = 4n)")
        out["part3"] = r = part3(budget, 100 if args.quick else 250, 100 if args.quick else 250, args.seed)
        _say(f"  largest n within budget: {r['largest_n_within_budget']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
