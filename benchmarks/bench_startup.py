"""Start-up of the command line: ``verifythm --help`` against the interpreter and numpy, in one run.

Each command runs ``--repeat`` times in a fresh interpreter (the same ``sys.executable``); the
table gives the best and the median wall time and the ratio of the median to the bare
interpreter's and to ``import numpy`` (the floor of anything that touches an array).  The goal
of issue 21 is ``verifythm --help`` in at most 0.3 s on the 2-core reference machine; the
ratio column says how much of that is ours.

Usage::

    python benchmarks/bench_startup.py              # 7 runs of each command
    python benchmarks/bench_startup.py --repeat 15 --json startup.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import numpy": [sys.executable, "-c", "import numpy"],
    "verifythm --help": [sys.executable, "-m", "verifythm", "--help"],
    "verifythm list": [sys.executable, "-m", "verifythm", "list"],
}


def _time(cmd: list[str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - t0)
    return out


def main(argv: list[str] | None = None) -> int:
    """Time every command, print the table, optionally write JSON; exit status 0."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per command (default 7)")
    ap.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the numbers")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat: must be at least 1")
    rows = {name: _time(cmd, args.repeat) for name, cmd in COMMANDS.items()}
    base = statistics.median(rows["python -c pass"])
    numpy = statistics.median(rows["import numpy"])
    print(f"{'command':<20} {'best':>8} {'median':>8} {'/ python':>9} {'/ numpy':>8}")
    result = {}
    for name, ts in rows.items():
        med = statistics.median(ts)
        result[name] = {
            "best_s": min(ts),
            "median_s": med,
            "per_python": med / base,
            "per_numpy": med / numpy,
        }
        print(f"{name:<20} {min(ts):8.3f} {med:8.3f} {med / base:9.2f} {med / numpy:8.2f}")
    goal = result["verifythm --help"]["median_s"] <= 0.3
    print(f"verifythm --help within 0.3 s: {'yes' if goal else 'no'}")
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
