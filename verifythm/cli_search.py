"""``verifythm hunt`` and ``verifythm tightness``: counterexample search and tightness maps."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from verifythm.claims.model import Claim

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE = 0, 1, 2


class SearchUsageError(Exception):
    """A usage error of the search commands (exit code 2)."""


def _claim_and_registry(args: argparse.Namespace) -> Claim:
    from verifythm.claims.registry import registry_with_imports

    try:
        reg = registry_with_imports(args.imports or [])
    except ImportError as exc:
        raise SearchUsageError(f"--import: {exc}") from None
    return reg.get(args.id)


def _check_common(args: argparse.Namespace) -> None:
    if not args.budget > 0:
        raise SearchUsageError(f"--budget: must be a positive number of seconds, got {args.budget}")
    if args.workers is not None and args.workers < 1:
        raise SearchUsageError(f"--workers: must be a positive integer, got {args.workers}")
    if args.json and Path(args.json).exists() and not args.overwrite:
        raise SearchUsageError(f"--json: {args.json} already exists; pass --overwrite to replace it")


def _progress(args: argparse.Namespace) -> Callable[[str], None]:
    def say(msg: str) -> None:
        if not args.quiet:
            sys.stderr.write(msg + "\n")
            sys.stderr.flush()

    return say


def _write_json(args: argparse.Namespace, doc: dict, out: TextIO) -> None:
    if not args.json:
        return
    from verifythm.report.io import atomic_write_text

    atomic_write_text(
        args.json, json.dumps(doc, indent=2, ensure_ascii=False) + "\n", overwrite=args.overwrite
    )
    out.write(f"JSON written to {args.json}\n")


def _prepare(args: argparse.Namespace) -> tuple[Any, str]:
    """Validate the common options; the claim and the command line for the report."""
    _check_common(args)
    claim = _claim_and_registry(args)
    command = "verifythm " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv[1:] else ""
    return claim, command


def _run(args: argparse.Namespace, fn: Callable[..., Any], claim: Any, **extra: Any) -> Any:
    """Run ``hunt`` or ``tightness`` on the executor the options name."""
    from verifythm.search.parallel import make_executor

    try:
        with make_executor(args.executor, args.workers) as ex:
            return fn(
                claim,
                budget_s=args.budget,
                executor=ex,
                workers=args.workers,
                imports=tuple(args.imports or ()),
                profile=args.profile,
                seed=args.seed,
                progress=_progress(args),
                **extra,
            )
    except ValueError as exc:
        raise SearchUsageError(str(exc)) from None


def cmd_hunt(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm hunt ID``: search hard for a counterexample.

    Exits 1 if one refutes a claim the project expects to hold (with no hypothesis dropped).
    """
    from verifythm.search.hunt import hunt
    from verifythm.search.report import write_hunt_report, write_index

    claim, command = _prepare(args)
    if args.max_evaluations is not None and args.max_evaluations < 1:
        raise SearchUsageError(f"--max-evaluations: must be a positive integer, got {args.max_evaluations}")
    res = _run(args, hunt, claim, drop=args.drop or (), max_evaluations=args.max_evaluations)
    rep = write_hunt_report(res, args.report_dir, imports=tuple(args.imports or ()), command=command)
    write_index(args.report_dir)
    if res.found:
        v = res.violation
        out.write(
            f"COUNTEREXAMPLE to {claim.id}" + (f" without {', '.join(res.drop)}" if res.drop else "") + "\n"
        )
        out.write(f"  {v.comparison.describe()}\n  {v.precision_note}\n")
        out.write(f"  found after {res.found_after_s:.3f}s by: {' → '.join(res.how)}\n")
        out.write(f"  shrunk by: {' → '.join(res.shrink_steps) or 'nothing'}\n")
        _write_small_instance(dict(v.instance), out)
        if res.shrink_note:
            out.write(f"  why not smaller: {res.shrink_note}\n")
        out.write(f"  searched before: {res.region}\n")
    else:
        without = f" without {', '.join(res.drop)}" if res.drop else ""
        out.write(f"no counterexample to {claim.id}{without} for {res.region}\n")
        out.write(f"  ({res.evaluations} evaluations in {res.duration_s:.1f}s)\n")
        if res.max_ratio is not None and res.max_ratio.ratio is not None:
            out.write(f"  largest ratio observed / bound: {res.max_ratio.ratio:.6g}\n")
    out.write(f"report: {rep.markdown}\n")
    if rep.reproduce:
        out.write(f"reproduce: {rep.reproduce}\n")
    _write_json(args, {**res.to_json(), "report": str(rep.markdown), "reproduce": rep.reproduce}, out)
    unexpected = res.found and not res.drop and not claim.expected.is_failure
    return EXIT_UNEXPECTED if unexpected else EXIT_OK


def _write_small_instance(inst: dict[str, Any], out: TextIO) -> None:
    """Print the whole instance when it has at most ``PRINT_WHOLE`` numbers."""
    import numpy as np

    from verifythm.search.report import PRINT_WHOLE

    if sum(np.asarray(v).size for v in inst.values()) > PRINT_WHOLE:
        return
    out.write("  instance:\n")
    for k, v in inst.items():
        a = np.asarray(v)
        text = repr(a.item()) if a.ndim == 0 else np.array2string(a, precision=6, separator=", ")
        out.write(f"    {k} = " + text.replace("\n", "\n      ") + "\n")


def cmd_tightness(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm tightness ID``: supremum of observed / bound and its map over parameters."""
    from verifythm.search.report import write_index, write_tightness_report
    from verifythm.search.tightness import tightness

    claim, command = _prepare(args)
    grid = None if args.grid is None else [g for g in args.grid if g]
    res = _run(args, tightness, claim, grid=grid, grid_size=args.grid_size)
    rep = write_tightness_report(res, args.report_dir, command=command)
    write_index(args.report_dir)
    ratio = "—" if res.sup_ratio is None else f"{res.sup_ratio:.6g}"
    out.write(f"{claim.id}: sup observed / bound = {ratio}" + (" (VIOLATED)" if res.violated else "") + "\n")
    if res.best is not None:
        out.write(f"  attained by: {res.best.comparison.describe()}\n")
    if res.checked_ratio is not None:
        out.write(f"  the same instance by the high-precision re-check: ratio {res.checked_ratio:.6g}\n")
    out.write(f"report: {rep.markdown}\n")
    if rep.png:
        out.write(f"map: {rep.png}\n")
    _write_json(args, {**res.to_json(), "report": str(rep.markdown)}, out)
    return EXIT_OK


def cmd_survey(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm survey``: tightness and assumption necessity of every inequality selected."""
    from verifythm.claims.registry import registry_with_imports
    from verifythm.search.parallel import make_executor
    from verifythm.search.survey import survey

    if not (args.tightness_budget > 0 and args.drop_budget > 0):
        raise SearchUsageError("--tightness-budget, --drop-budget: must be positive numbers of seconds")
    try:
        reg = registry_with_imports(args.imports or [])
    except ImportError as exc:
        raise SearchUsageError(f"--import: {exc}") from None
    claims = reg.select(args.ids)
    t0 = time.perf_counter()
    try:
        with make_executor(args.executor, args.workers) as ex:
            results = survey(
                claims,
                args.out,
                tightness_s=args.tightness_budget,
                drop_s=args.drop_budget,
                executor=ex,
                imports=tuple(args.imports or ()),
                progress=_progress(args),
            )
    except ValueError as exc:
        raise SearchUsageError(str(exc)) from None
    done = [r for r in results if "skipped" not in r]
    out.write(
        f"{len(done)} inequalities surveyed in {time.perf_counter() - t0:.0f}s; summary: "
        f"{Path(args.out) / 'survey.md'}\n"
    )
    bad = [r for r in done if r.get("violated") and r["expected"] == "holds"]
    for r in bad:
        how = "an estimated constant was exceeded" if r.get("kind") == "constant" else r.get("confirmation")
        out.write(
            f"UNEXPECTED: the tightness search violated {r['id']}, which is expected to hold ({how}; "
            f"see {Path(args.out) / r['tightness_report']})\n"
        )
    return EXIT_UNEXPECTED if bad else EXIT_OK


def add_parsers(
    sub: argparse._SubParsersAction, with_imports: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register ``hunt`` and ``tightness`` on the main parser's subcommands."""
    from verifythm.search_options import DEFAULT_BUDGET_S, DEFAULT_TIGHTNESS_BUDGET_S, EXECUTORS

    def common(sp: argparse.ArgumentParser, budget: float, report_dir: str) -> None:
        sp.add_argument("id", metavar="ID", help="claim id")
        sp.add_argument(
            "--budget", type=float, default=budget, metavar="SECONDS", help=f"(default {budget:g})"
        )
        sp.add_argument(
            "--executor",
            default="process",
            metavar="KIND",
            help=f"one of {', '.join(EXECUTORS)} or dask:ADDRESS (default: process)",
        )
        sp.add_argument("--workers", type=int, default=None, help="parallel workers (default: CPU count)")
        sp.add_argument("--profile", default="quick", help="profile whose seed fixes the search")
        sp.add_argument("--seed", type=int, default=None, help="override the profile's seed")
        sp.add_argument("--json", metavar="FILE", help="also write the result as JSON to FILE")
        sp.add_argument("--overwrite", action="store_true", help="allow replacing an existing --json")
        sp.add_argument("--report-dir", default=report_dir, metavar="DIR", help=f"(default {report_dir})")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
        with_imports(sp)

    sp = sub.add_parser("hunt", help="search hard for a counterexample to one claim")
    common(sp, DEFAULT_BUDGET_S, "verifythm-search")
    sp.add_argument(
        "--drop",
        action="append",
        metavar="HYPOTHESIS",
        help="remove a hypothesis (name, unique substring or #k) or free a setting key (sampling): "
        "is it necessary?",
    )
    sp.add_argument(
        "--max-evaluations",
        type=int,
        default=None,
        metavar="N",
        help="deterministic budget: evaluations per worker (the same instances on any machine "
        "and executor; --budget then only caps the time)",
    )
    sp.set_defaults(func=cmd_hunt)

    sp = sub.add_parser("tightness", help="supremum of observed / bound and its map over parameters")
    common(sp, DEFAULT_TIGHTNESS_BUDGET_S, "verifythm-search")
    sp.add_argument(
        "--grid",
        action="append",
        metavar="KEY",
        help="scalar instance key to map (repeat for two; default: the most varied; --grid '' for none)",
    )
    sp.add_argument("--grid-size", type=int, default=6, help="values per grid axis (default 6)")
    sp.set_defaults(func=cmd_tightness)

    sp = sub.add_parser("survey", help="tightness and assumption necessity of every inequality")
    sp.add_argument("ids", nargs="*", metavar="ID", help="claim ids or prefixes (default: all)")
    sp.add_argument("--out", default="verifythm-search/survey", metavar="DIR", help="report directory")
    sp.add_argument("--tightness-budget", type=float, default=2.0, metavar="SECONDS")
    sp.add_argument("--drop-budget", type=float, default=1.5, metavar="SECONDS")
    sp.add_argument("--executor", default="process", metavar="KIND", help="as for hunt (default: process)")
    sp.add_argument("--workers", type=int, default=None, help="parallel workers (default: CPU count)")
    sp.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    with_imports(sp)
    sp.set_defaults(func=cmd_survey)
