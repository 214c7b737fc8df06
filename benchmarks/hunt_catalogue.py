r"""Hunt every catalogue claim that is expected to hold: the hunt must flag none of them.

A hunt reports a counterexample only after confirming it (float64 violation beyond the
tolerance, resolved, re-checked in high precision where the engine or the claim can).  A
hunt that flags a claim the catalogue verifies is either a finding (the catalogue's own
checks missed it) or a false alarm of the hunt (rounding, an unresolved comparison, a
moved instance outside the claim's hypotheses): both must be looked at.  This script runs
:func:`verifythm.search.hunt.hunt` on each claim whose expected outcome is "holds" and
which has a numeric conclusion and seed instances, one claim per process (``--jobs`` at a
time), and prints per claim whether it was flagged, the evaluations, the largest observed
ratio and the explored region.  Exit status 1 if any claim was flagged.

Usage::

    python benchmarks/hunt_catalogue.py                      # 3 s per claim, 2 at a time
    python benchmarks/hunt_catalogue.py --budget 10 --jobs 2 --json hunts.json
    python benchmarks/hunt_catalogue.py --claims 'wu2022.*'
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np


def hunt_one(cid: str, budget_s: float, seed: int | None) -> dict[str, Any]:
    """Hunt one registered claim; a JSON-ready row."""
    from verifythm.claims.registry import default_registry
    from verifythm.search.hunt import hunt

    claim = default_registry().get(cid)
    t0 = time.perf_counter()
    try:
        res = hunt(claim, budget_s=budget_s, seed=seed)
    except Exception as exc:  # a claim the hunt cannot attack (no numeric conclusion, no seeds)
        return {"id": cid, "skipped": f"{type(exc).__name__}: {exc}"}
    row: dict[str, Any] = {
        "id": cid,
        "flagged": res.found,
        "evaluations": res.evaluations,
        "infeasible": res.infeasible,
        "timeouts": res.timeouts,
        "unconfirmed_float64_violations": res.unconfirmed,
        "max_ratio": None if res.max_ratio is None else res.max_ratio.ratio,
        "region": res.region,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    if res.found and res.violation is not None:
        v = res.violation
        row["violation"] = v.comparison.describe() if v.comparison else None
        row["precision_note"] = v.precision_note
        row["instance"] = {k: np.asarray(a).tolist() for k, a in v.instance.items()}  # for triage
    return row


def huntable(pattern: list[str] | None) -> list[str]:
    """Ids of the claims expected to hold with a numeric conclusion, optionally filtered."""
    from verifythm.claims.registry import default_registry

    ids = []
    for claim in default_registry():
        if claim.expected.is_failure or claim.conclusion is None:
            continue
        if pattern and not any(fnmatch.fnmatchcase(claim.id, p) for p in pattern):
            continue
        ids.append(claim.id)
    return ids


def main(argv: list[str] | None = None) -> int:
    """Run the hunts; print a row per claim and the totals."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--budget", type=float, default=3.0, help="seconds per hunt (default 3)")
    ap.add_argument("--jobs", type=int, default=2, help="claims hunted at a time (default 2)")
    ap.add_argument("--seed", type=int, default=None, help="override the quick profile's seed")
    ap.add_argument("--claims", nargs="*", help="glob patterns of claim ids (default: all)")
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args(argv)
    if not args.budget > 0 or args.jobs < 1:
        print("hunt_catalogue: --budget must be positive and --jobs at least 1", file=sys.stderr)
        return 2
    ids = huntable(args.claims)
    t0 = time.perf_counter()
    rows: list[dict[str, Any]] = []
    with ProcessPoolExecutor(args.jobs) as ex:
        futures = [ex.submit(hunt_one, cid, args.budget, args.seed) for cid in ids]
        for k, fut in enumerate(futures, 1):
            row = fut.result()
            rows.append(row)
            if "skipped" in row:
                print(f"[{k}/{len(ids)}] {row['id']}: skipped ({row['skipped']})", flush=True)
                continue
            mark = "FLAGGED" if row["flagged"] else "ok"
            ratio = "—" if row["max_ratio"] is None else f"{row['max_ratio']:.4g}"
            print(
                f"[{k}/{len(ids)}] {row['id']}: {mark}, {row['evaluations']} evaluations, "
                f"max ratio {ratio}, {row['region']}",
                flush=True,
            )
            if row["flagged"]:
                print(f"    {row.get('violation')}\n    {row.get('precision_note')}", flush=True)
    hunted = [r for r in rows if "skipped" not in r]
    flagged = [r["id"] for r in hunted if r["flagged"]]
    print(
        f"\n{len(hunted)} claims hunted ({len(rows) - len(hunted)} skipped), {len(flagged)} flagged, "
        f"{sum(r['evaluations'] for r in hunted)} evaluations in {time.perf_counter() - t0:.0f} s"
        + (f": {', '.join(flagged)}" if flagged else "")
    )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"budget_s": args.budget, "seed": args.seed, "rows": rows}, fh, indent=1)
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
