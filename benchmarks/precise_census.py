r"""Census of the high-precision re-checks behind the catalogue's expected failures.

For every claim with ``expected.is_failure`` this runs its checks (quick profile) with
:func:`verifythm.runner.run_claim`, takes the counterexample that would be reported (the
smallest claim instance over the checks, as the runner picks it) and classifies its
``precision_note``:

``engine``     the conclusion re-evaluated with the engine's quantities in high precision
               (:func:`verifythm.evidence.numeric.engine_recheck`; new in issue 18);
``claim``      the claim's own ``precise_conclusion`` (mpmath or exact rationals);
``symbolic``   an exact rational point found by a symbolic check;
``replicate``  an independent Monte Carlo replicate (statistical conclusions);
``trend``      the hidden-constant trend test (no pointwise re-check applies);
``none``       "violation seen in float64; the claim has no high-precision re-check".

"Before" counts what the same run would have said without the engine re-check: every
``engine`` row was ``none``.  Usage::

    timeout 900 python benchmarks/precise_census.py [--json census.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from verifythm.claims.model import Status
from verifythm.claims.registry import default_registry
from verifythm.evidence.base import Context
from verifythm.evidence.numeric import confirmation_of, instance_size
from verifythm.runner import run_claim

classify = confirmation_of


def main(argv: list[str] | None = None) -> int:
    """Run the census; print one row per expected failure and the totals."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args(argv)
    rows = []
    for claim in default_registry():
        if not claim.expected.is_failure:
            continue
        t0 = time.perf_counter()
        res = run_claim(claim, Context())
        found = [r for r in res.checks if r.status is Status.COUNTEREXAMPLE and r.violation is not None]
        if found:
            best = min(
                found,
                key=lambda r: (not r.violation.is_claim_instance, instance_size(r.violation.instance)),  # type: ignore[union-attr]
            )
            note = best.violation.precision_note  # type: ignore[union-attr]
            kind, check = classify(note), best.name
        else:
            note, kind, check = f"no counterexample (status {res.status})", "missing", ""
        rows.append(
            {
                "id": claim.id,
                "status": str(res.status),
                "check": check,
                "kind": kind,
                "note": note,
                "seconds": round(time.perf_counter() - t0, 1),
            }
        )
        r = rows[-1]
        print(f"{r['id']:<48} {r['kind']:<9} {r['seconds']:>6}s  {r['note'][:150]}", flush=True)
    kinds = [r["kind"] for r in rows]
    precise = ("engine", "claim", "symbolic", "replicate")
    after = sum(k in precise for k in kinds)
    before = sum(k in precise and k != "engine" for k in kinds)
    print(
        f"\n{len(rows)} expected failures: in high precision or exactly {before} before, {after} now "
        f"(engine {kinds.count('engine')}, claim {kinds.count('claim')}, symbolic {kinds.count('symbolic')}, "
        f"replicate {kinds.count('replicate')}); trend test {kinds.count('trend')}; "
        f"no high-precision re-check {kinds.count('none')}; other {kinds.count('other')}; "
        f"no counterexample {kinds.count('missing')}"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
