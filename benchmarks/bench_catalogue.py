"""The quick catalogue with one job and with several, in one run: wall time, CPU time, same verdicts.

``verifythm check`` runs the claims of each catalogue module in one worker process
(:mod:`verifythm.pool`).  This benchmark runs the same selection twice through the command line
(``--jobs 1`` and ``--jobs N``, N = the usable CPUs unless ``--jobs`` says otherwise), reports
the wall and CPU seconds of each, their ratio, the slowest claims of the serial run, and checks
that the two reports decide the same (statuses, instance counts; worst slack and ratio to 1e-9
relative, since a reduction's last bits may depend on memory alignment).

Usage::

    python benchmarks/bench_catalogue.py                       # all claims (about 6 minutes on 2 cores)
    python benchmarks/bench_catalogue.py 'dexter2024.*' --jobs 2
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _run(ids: list[str], jobs: int, work: Path) -> dict[str, Any]:
    out = work / f"jobs{jobs}.json"
    cmd = [sys.executable, "-m", "verifythm", "check", *ids, "--jobs", str(jobs), "--quiet"]
    cmd += ["--json", str(out), "--overwrite", "--report-dir", str(work / f"reports{jobs}")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False).returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"jobs": jobs, "exit": rc, "wall_s": wall, "cpu_s": cpu, "report": json.loads(out.read_text())}


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    return bool(a == b)


def _same_decisions(r1: dict[str, Any], r2: dict[str, Any]) -> list[str]:
    """Claims whose verdicts or numbers differ between the two reports."""
    bad = []
    for c1, c2 in zip(r1["claims"], r2["claims"], strict=True):
        same = c1["id"] == c2["id"] and c1["status"] == c2["status"]
        for k1, k2 in zip(c1["checks"], c2["checks"], strict=True):
            for key in ("status", "instances", "hypotheses_met", "unresolved", "worst_slack", "worst_ratio"):
                same = same and _close(k1[key], k2[key])
        if not same:
            bad.append(c1["id"])
    return bad


def main(argv: list[str] | None = None) -> int:
    """Run the selection with one job and with N, print the table, optionally save JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ids", nargs="*", help="claim ids or globs (default: every claim)")
    ap.add_argument("--jobs", type=int, default=None, help="workers of the parallel run (default: CPUs)")
    ap.add_argument("--json", metavar="FILE", help="save the numbers")
    args = ap.parse_args(argv)
    from verifythm.pool import usable_cpus

    jobs = args.jobs or usable_cpus()
    with tempfile.TemporaryDirectory(prefix="bench_catalogue_") as tmp:
        serial = _run(args.ids, 1, Path(tmp))
        parallel = _run(args.ids, jobs, Path(tmp))
    differ = _same_decisions(serial["report"], parallel["report"])
    slow = sorted(
        ((sum(k["duration_s"] for k in c["checks"]), c["id"]) for c in serial["report"]["claims"]),
        reverse=True,
    )[:10]
    n = len(serial["report"]["claims"])
    print(f"# {n} claims; exit codes {serial['exit']} (1 job), {parallel['exit']} ({jobs} jobs)")
    for r in (serial, parallel):
        print(f"jobs = {r['jobs']}: wall {r['wall_s']:.1f} s, CPU {r['cpu_s']:.1f} s")
    print(f"serial / parallel wall = {serial['wall_s'] / parallel['wall_s']:.2f}")
    print("claims deciding differently: " + (", ".join(differ) if differ else "none"))
    print("slowest claims (1 job): " + ", ".join(f"{cid} {t:.1f} s" for t, cid in slow))
    if args.json:
        keep = (
            {k: v for k, v in serial.items() if k != "report"},
            {k: v for k, v in parallel.items() if k != "report"},
        )
        Path(args.json).write_text(json.dumps({"runs": keep, "differ": differ, "slowest": slow}, indent=2))
    return 1 if differ or serial["exit"] != parallel["exit"] else 0


if __name__ == "__main__":
    sys.exit(main())
