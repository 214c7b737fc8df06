r"""Benchmark: catch rate and time-to-catch of ``verifythm hunt`` on the planted claims.

Runs every planted false claim of ``tests/planted_hunt.py`` with the default time budget
(in this process, then on a local process pool of ``--workers`` workers) and every true
twin with ``--true-budget`` seconds, and reports per claim whether it was caught, the time
to the first float64 violation, evaluations, and the size of the shrunk counterexample;
the ratio of in-process to pool time-to-catch is measured in the same run.

Usage::

    python benchmarks/bench_hunt.py                  # table on stdout
    python benchmarks/bench_hunt.py --json out.json  # also write the numbers
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import planted_hunt as P  # noqa: E402

from verifythm.search import DEFAULT_BUDGET_S, hunt, make_executor  # noqa: E402


def _size(inst: dict) -> int:
    return int(sum(np.asarray(v).size for v in inst.values()))


def main() -> None:
    """Run the benchmark and print a table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S)
    ap.add_argument("--true-budget", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    rows = []
    imports = (str(ROOT / "tests" / "planted_hunt.py"),)
    with make_executor("process", args.workers) as ex:
        for c in P.PLANTED:
            t0 = time.perf_counter()
            local = hunt(c, budget_s=args.budget)
            t_local = time.perf_counter() - t0
            t0 = time.perf_counter()
            pool = hunt(c, budget_s=args.budget, executor=ex, workers=args.workers, imports=imports)
            t_pool = time.perf_counter() - t0
            rows.append(
                {
                    "claim": c.id,
                    "planted": True,
                    "caught": local.found,
                    "caught_pool": pool.found,
                    "first_violation_s": local.found_after_s,
                    "total_s": round(t_local, 3),
                    "total_pool_s": round(t_pool, 3),
                    "evaluations": local.evaluations,
                    "shrunk_size": _size(local.violation.instance) if local.found else None,
                }
            )
    for c in P.TRUE:
        res = hunt(c, budget_s=args.true_budget)
        rows.append(
            {
                "claim": c.id,
                "planted": False,
                "caught": res.found,
                "total_s": round(res.duration_s, 3),
                "evaluations": res.evaluations,
            }
        )
    planted = [r for r in rows if r["planted"]]
    rate = sum(r["caught"] for r in planted) / len(planted)
    flagged = sum(r["caught"] for r in rows if not r["planted"])
    head = ("claim", "caught", "t_first(s)", "total(s)", "pool(s)", "evals", "size")
    print(f"{head[0]:36} {head[1]:>6} {head[2]:>10} {head[3]:>9} {head[4]:>8} {head[5]:>7} {head[6]:>5}")
    for r in rows:
        tf = "—" if r.get("first_violation_s") is None else f"{r['first_violation_s']:.3f}"
        pool = "—" if "total_pool_s" not in r else f"{r['total_pool_s']:.2f}"
        size = "—" if r.get("shrunk_size") is None else str(r["shrunk_size"])
        print(
            f"{r['claim']:36} {r['caught']!s:>6} {tf:>10} {r['total_s']:>9.2f} {pool:>8} "
            f"{r['evaluations']:>7} {size:>5}"
        )
    print(
        f"\ncatch rate of planted false claims: {rate:.0%}; true claims flagged: {flagged} of {len(P.TRUE)}"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"rows": rows, "catch_rate": rate, "flagged_true": flagged}, indent=2)
        )


if __name__ == "__main__":
    main()
