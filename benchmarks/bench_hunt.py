r"""Benchmark: the field's real mistakes, planted, caught by ``verifythm hunt`` and by random sampling.

The planted claims are the 22 of ``tests/planted_mistakes`` (slips of SGD-stability and
noise-geometry papers, each hidden from its author's own generators) and the 6 of
``tests/planted_hunt.py``.  For every planted false claim, in one run:

* **hunt**: :func:`verifythm.search.hunt` with a deterministic budget
  (``--evals`` evaluations per worker, capped at ``--budget`` seconds; in this process, or
  ``--workers`` parallel workers): caught or not, time and
  evaluations to the first violation, size of the shrunk counterexample (numbers), its sizes
  (n, d) and whether it was confirmed by a high-precision re-check;
* **baselines**: plain random sampling at the same budget (the same number of evaluations
  and the same time cap), two ways: *vocabulary*, fresh instances of a random sampler of the
  same vocabulary over a wide region (:func:`planted_mistakes.wide_instance`: every family
  kind, ``n ≤ 12``, ``d ≤ 6``, scales ``1e-3 … 1e9``; the claims of ``tests/planted_hunt.py``
  have none), and *own*, fresh draws of the claim's own generators (its checks, run longer);
* for every true twin: a hunt (``--true-evals``) and ``--true-sample`` fresh random instances;
  none may flag it.

The summary gives catch rates, median and worst time and evaluations to catch for the hunt
and each baseline, and their ratios.  Target (issue 18): ≥ 95 % caught within 60 s each,
0 twins flagged, a clear margin over the baseline.  This is a benchmark, not a test
(``tests/catalogue/test_planted_benchmark.py`` runs a quick subset).

Usage::

    python benchmarks/bench_hunt.py                       # full run, table on stdout
    python benchmarks/bench_hunt.py --jobs 2 --json out.json
    python benchmarks/bench_hunt.py --only n_ge_8 d_ge_4  # a subset (substring of the id)
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import planted_hunt as OLD  # noqa: E402
import planted_mistakes as NEW  # noqa: E402

from verifythm import Claim  # noqa: E402
from verifythm.search import hunt  # noqa: E402

Sampler = Callable[[np.random.Generator], dict]
#: The two random-sampling baselines (see the module docstring).
BASELINES = ("vocabulary", "own")


# -- the benchmark's claims ----------------------------------------------------------------
def entries() -> list[dict[str, Any]]:
    """Every planted claim with its twins (ids, picklable)."""
    out = [{"id": p.false.id, "twins": [p.twin.id]} for p in NEW.PAIRS]
    for c in OLD.PLANTED:
        twins = [OLD.TWIN_OF[c.id].id] + ([OLD.SECOND_TRUE.id] if c.id == OLD.FIRST.id else [])
        out.append({"id": c.id, "twins": twins})
    return out


def claim_by_id(cid: str) -> Claim:
    """A planted claim or twin of either module."""
    for c in (*NEW.CLAIMS, *OLD.CLAIMS):
        if c.id == cid:
            return c
    raise ValueError(f"claim id: unknown planted claim {cid!r}")


def sampler_for(cid: str, kind: str) -> Sampler | None:
    """Fresh random instances: ``kind`` ``"vocabulary"`` (wide sampler) or ``"own"`` (own generators)."""
    pid = cid.replace("planted.true.", "planted.")
    if kind == "vocabulary":
        if pid not in NEW.BY_ID:
            return None
        keys = NEW.BY_ID[pid].keys
        return lambda rng: NEW.wide_instance(rng, keys)
    claim = claim_by_id(cid)
    gens = [c.generate for c in claim.checks if getattr(c, "generate", None) is not None]
    if not gens:
        raise ValueError(f"claim id: {cid} has no generator for a baseline")
    return lambda rng: dict(gens[0](rng, 1)[0])


# -- measurements --------------------------------------------------------------------------
def size(inst: dict | None) -> int | None:
    """Number of scalars in an instance."""
    return None if inst is None else int(sum(np.asarray(v).size for v in inst.values()))


def sizes(inst: dict | None) -> str:
    """``n×d`` (members) or ``p×n`` (gradients) of an instance, for the table."""
    if not inst:
        return "—"
    for k in ("H", "G", "Q"):
        if k in inst and np.ndim(inst[k]) == 3:
            n, d, _ = np.shape(inst[k])
            return f"n={n},d={d}"
        if k in inst and np.ndim(inst[k]) == 2:
            a, b = np.shape(inst[k])
            return f"n={b},p={a}" if k != "H" else f"d={a}"
    return "—"


def violated(claim: Claim, inst: dict) -> bool:
    """Whether ``inst`` meets the hypotheses and violates the float64 conclusion (resolved)."""
    try:
        if claim.failed_hypotheses(inst):
            return False
        cmp = claim.evaluate(inst)
    except Exception:  # outside the claim's domain: not evidence
        return False
    return not cmp.unresolved(claim.tolerance) and not cmp.holds(claim.tolerance)


def random_sampling(claim: Claim, sample: Sampler, evals: int, budget_s: float, seed: int) -> dict[str, Any]:
    """Plain random sampling until a violation, ``evals`` draws or ``budget_s`` seconds."""
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    k = 0
    while k < evals and time.perf_counter() - t0 < budget_s:
        try:
            inst = sample(rng)
        except Exception:  # an infeasible draw counts as an evaluation
            k += 1
            continue
        k += 1
        if violated(claim, inst):
            return {"caught": True, "t": time.perf_counter() - t0, "evals": k, "size": size(inst)}
    return {"caught": False, "t": None, "evals": k, "size": None}


def run_entry(entry: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Hunt, baseline and twin checks for one planted claim."""
    warnings.simplefilter("ignore")
    claim = claim_by_id(entry["id"])
    t0 = time.perf_counter()
    if args.workers > 1:  # the hunt's own parallel workers (claims found by id in each process)
        from verifythm.search import make_executor

        imports = ("planted_mistakes", str(ROOT / "tests" / "planted_hunt.py"))
        with make_executor("process", args.workers) as ex:
            res = hunt(
                claim,
                budget_s=args.budget,
                max_evaluations=args.evals,
                seed=args.seed,
                executor=ex,
                workers=args.workers,
                imports=imports,
            )
    else:
        res = hunt(claim, budget_s=args.budget, max_evaluations=args.evals, seed=args.seed)
    wall = time.perf_counter() - t0
    inst = res.violation.instance if res.found else None
    note = res.violation.precision_note if res.found else ""
    base = {}
    for kind in BASELINES:
        sample = sampler_for(entry["id"], kind)
        base[kind] = (
            None if sample is None else random_sampling(claim, sample, args.evals, args.budget, args.seed)
        )
    twins = []
    for tid in entry["twins"]:
        twin = claim_by_id(tid)
        th = hunt(twin, budget_s=args.true_budget, max_evaluations=args.true_evals, seed=args.seed)
        rng = np.random.default_rng(args.seed + 1)
        sample = sampler_for(entry["id"], "vocabulary") or sampler_for(entry["id"], "own")
        flagged_random = 0
        for _ in range(args.true_sample):
            try:
                flagged_random += violated(twin, sample(rng))
            except Exception:
                continue
        twins.append(
            {
                "id": tid,
                "flagged_by_hunt": th.found,
                "hunt_evaluations": th.evaluations,
                "flagged_by_random": flagged_random,
                "violation": None if not th.found else str(th.violation.instance),
            }
        )
    print(
        f"{entry['id']}: hunt {'caught' if res.found else 'MISSED'} ({res.evaluations} evaluations, "
        f"{wall:.1f} s), random "
        + ", ".join(
            f"{k} {'caught' if b['caught'] else 'missed'} ({b['evals']})" for k, b in base.items() if b
        )
        + ", "
        f"twins flagged {sum(t['flagged_by_hunt'] or t['flagged_by_random'] > 0 for t in twins)}",
        file=sys.stderr,
        flush=True,
    )
    return {
        "claim": entry["id"],
        "hunt": {
            "caught": res.found,
            "t": res.found_after_s,
            "evals": res.evaluations,
            "wall_s": round(wall, 3),
            "size": size(inst),
            "sizes": sizes(inst),
            "precise": bool(note) and "no high-precision" not in note,
            "precision_note": note,
            "instance": None if inst is None or size(inst) > 50 else _jsonable(inst),
        },
        "random": base,
        "twins": twins,
    }


def _jsonable(inst: dict) -> dict:
    return {
        k: (np.asarray(v).tolist() if isinstance(v, np.ndarray | np.generic) else v) for k, v in inst.items()
    }


# -- the report -------------------------------------------------------------------------------
def _stats(got: list[dict[str, Any]]) -> dict[str, Any]:
    caught = [g for g in got if g["caught"]]
    times = sorted(g["t"] for g in caught if g["t"] is not None)
    evals = sorted(g["evals"] for g in caught)
    found_sizes = [g["size"] for g in caught if g["size"] is not None]
    return {
        "claims": len(got),
        "caught": len(caught),
        "rate": len(caught) / len(got) if got else math.nan,
        "median_t": statistics.median(times) if times else None,
        "worst_t": (max(times) if times else None) if len(caught) == len(got) else math.inf,
        "median_evals": statistics.median(evals) if evals else None,
        "median_size": statistics.median(found_sizes) if found_sizes else None,
    }


def _fmt(x: Any, spec: str = ".2f") -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    return format(x, spec)


def _cell(g: dict[str, Any] | None) -> str:
    if g is None:
        return f"{'n/a':>8} {'':>5}"
    return f"{_fmt(g['t']) if g['caught'] else 'miss':>8} {g['evals']:>5}"


def _summary(name: str, st: dict[str, Any]) -> str:
    return (
        f"{name:22} caught {st['caught']}/{st['claims']} ({st['rate']:.0%}); "
        f"median time {_fmt(st['median_t'])} s, "
        f"worst {_fmt(st['worst_t'])} s; median evaluations {_fmt(st['median_evals'], '.0f')}; "
        f"median size {_fmt(st['median_size'], '.0f')} numbers"
    )


def _ratio(hunt: dict[str, Any], base: dict[str, Any]) -> dict[str, float | None]:
    def div(a: Any, b: Any) -> float | None:
        return a / b if a is not None and b else None

    return {
        "catch_rate": div(hunt["rate"], base["rate"]) if base["rate"] else math.inf,
        "median_time": div(base["median_t"], hunt["median_t"]),
        "median_evaluations": div(base["median_evals"], hunt["median_evals"]),
    }


def report(rows: list[dict], args: argparse.Namespace, wall: float) -> dict[str, Any]:
    """Print the table and the summary; return the JSON document."""
    head = (
        f"{'planted claim':38} {'hunt t(s)':>9} {'evals':>5} {'size':>4} {'shape':>9} {'hp':>3} | "
        f"{'vocab t':>8} {'evals':>5} | {'own t':>8} {'evals':>5} | twins"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        h = r["hunt"]
        flagged = sum(t["flagged_by_hunt"] or t["flagged_by_random"] > 0 for t in r["twins"])
        print(
            f"{r['claim']:38} {_fmt(h['t']) if h['caught'] else 'MISS':>9} {h['evals']:>5} "
            f"{_fmt(h['size'], 'd'):>4} {h['sizes']:>9} {'yes' if h['precise'] else 'no':>3} | "
            f"{_cell(r['random']['vocabulary'])} | {_cell(r['random']['own'])} | "
            f"{'FLAGGED' if flagged else 'ok'}"
        )
    hs = _stats([r["hunt"] for r in rows])
    with_vocab = [r for r in rows if r["random"]["vocabulary"] is not None]
    vs = _stats([r["random"]["vocabulary"] for r in with_vocab])
    hv = _stats([r["hunt"] for r in with_vocab])
    os_ = _stats([r["random"]["own"] for r in rows])
    twins = [t for r in rows for t in r["twins"]]
    flagged = [t["id"] for t in twins if t["flagged_by_hunt"] or t["flagged_by_random"]]
    within = sum(r["hunt"]["caught"] and (r["hunt"]["t"] or 0) <= 60 for r in rows)
    precise = sum(r["hunt"]["caught"] and r["hunt"]["precise"] for r in rows)
    ratios = {"vocabulary": _ratio(hv, vs), "own": _ratio(hs, os_)}
    print(
        f"\nplanted false claims: {len(rows)}; budget {args.evals} evaluations / {args.budget:g} s each "
        f"(hunt and random sampling alike); hunt workers: {args.workers}\n"
        + _summary("hunt", hs)
        + f"; {within} within 60 s; {precise} confirmed by a high-precision re-check\n"
        + _summary(f"hunt ({len(with_vocab)} with vocab)", hv)
        + "\n"
        + _summary("random: vocabulary", vs)
        + "\n"
        + _summary("random: own generators", os_)
        + "\n"
        + "".join(
            f"hunt vs random ({k}): catch rate ×{_fmt(v['catch_rate'])}, "
            f"median time ÷{_fmt(v['median_time'])}, "
            f"median evaluations ÷{_fmt(v['median_evaluations'])}\n"
            for k, v in ratios.items()
        )
        + f"true twins flagged: {len(flagged)} of {len(twins)} {flagged if flagged else ''}\n"
        f"missed by the hunt: {[r['claim'] for r in rows if not r['hunt']['caught']]}\n"
        f"wall time {wall:.0f} s"
    )
    return {
        "settings": {k: v for k, v in vars(args).items() if k != "json"},
        "hunt": hs,
        "hunt_on_vocabulary_claims": hv,
        "random_vocabulary": vs,
        "random_own": os_,
        "ratios": ratios,
        "twins_flagged": flagged,
        "rows": rows,
        "wall_s": wall,
    }


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--evals", type=int, default=4000, help="evaluations per planted claim (hunt and random)")
    ap.add_argument("--budget", type=float, default=60.0, help="time cap per planted claim, seconds")
    ap.add_argument("--true-evals", type=int, default=1500, help="hunt evaluations per true twin")
    ap.add_argument("--true-budget", type=float, default=30.0, help="time cap per twin hunt, seconds")
    ap.add_argument("--true-sample", type=int, default=200, help="random instances per true twin")
    ap.add_argument("--seed", type=int, default=20221)
    ap.add_argument("--jobs", type=int, default=1, help="planted claims run in parallel processes")
    ap.add_argument("--workers", type=int, default=1, help="parallel workers of each hunt (process pool)")
    ap.add_argument("--only", nargs="*", default=None, help="substrings of the claim ids to run")
    ap.add_argument("--json", default=None, help="also write the numbers here")
    args = ap.parse_args(argv)
    if min(args.evals, args.true_evals, args.jobs, args.workers) < 1 or args.true_sample < 0:
        raise ValueError("--evals, --true-evals, --jobs and --workers must be positive")
    todo = [e for e in entries() if not args.only or any(s in e["id"] for s in args.only)]
    t0 = time.perf_counter()
    if args.jobs == 1:
        rows = [run_entry(e, args) for e in todo]
    else:
        with ProcessPoolExecutor(args.jobs) as ex:
            rows = list(ex.map(run_entry, todo, [args] * len(todo)))
    doc = report(rows, args, time.perf_counter() - t0)
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2, default=str))


if __name__ == "__main__":
    main()
