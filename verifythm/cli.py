"""Command-line interface: ``verifythm list|check|cite|reproduce|stability|quantities``.

Exit codes: 0 when every verdict is the expected one, 1 when any is not (or a
counterexample reproduces), 2 for bad input (unknown claim id, bad option or file, an
output that exists or cannot be written: one line naming the argument, before any work
starts), 3 for an internal error (``--verbose`` shows its traceback), 130 when interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from verifythm import __version__
from verifythm.claims.model import Claim, Status
from verifythm.claims.registry import (
    Registry,
    UnknownClaimError,
    claims_of_module,
    default_registry,
    import_claim_module,
)
from verifythm.cli_family import FamilyInputError
from verifythm.cli_family import add_parsers as add_family_parsers
from verifythm.cli_search import SearchUsageError
from verifythm.cli_search import add_parsers as add_search_parsers
from verifythm.interrupts import insistent_interrupts

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """A usage error: printed on stderr, exit code 2."""


def _import_extra(registry: Registry, specs: Sequence[str]) -> None:
    """Import modules (dotted names or ``.py`` paths) and register their claims."""
    for spec in specs:
        try:
            mod = import_claim_module(spec)
        except ImportError as exc:
            raise UsageError(f"--import: cannot import {spec!r}: {exc}") from None
        for c in claims_of_module(mod):
            if c.id not in registry:
                # remember the spec as given, so a reproduce command can import it again
                registry.add(c, spec)


def _registry(args: argparse.Namespace) -> Registry:
    base = default_registry()
    reg = Registry()
    for c in base:
        reg.add(c, base.module_of(c.id))
    _import_extra(reg, getattr(args, "imports", None) or [])
    return reg


# -- list ---------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm list``: the registered claims with their sources."""
    reg = _registry(args)
    claims = reg.select(args.ids, prefix=args.prefix)
    if args.json:
        doc = [
            {
                **c.metadata(),
                "checks": [{"name": k.name, "method": k.method} for k in c.checks],
                "module": reg.module_of(c.id),
            }
            for c in claims
        ]
        json.dump(doc, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    width = max((len(c.id) for c in claims), default=10)
    for c in claims:
        exp = "" if not c.expected.is_failure else "  [expected: fails]"
        checks = ",".join(k.name for k in c.checks)
        out.write(f"{c.id:<{width}}  {c.source.short():<45} {checks}{exp}\n")
    out.write(f"{len(claims)} claim(s)\n")
    return EXIT_OK


# -- check --------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm check``: run claims, print the table, write the JSON report."""
    from verifythm.evidence.base import Context, get_profile
    from verifythm.report.io import ReportExistsError, atomic_write_text
    from verifythm.runner import run_claims

    try:
        profile = get_profile(args.profile, args.seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.backend == "torch" and importlib.util.find_spec("torch") is None:
        raise UsageError("--backend torch: torch is not installed (pip install torch==2.13.0)")
    if args.device is not None and args.backend != "torch":
        raise UsageError("--device: only meaningful with --backend torch")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs: expected a positive number of worker processes, got {args.jobs}")
    reg = _registry(args)
    claims = reg.select(args.ids, prefix=args.prefix)
    # every output is validated (and the report folder created) before any work starts,
    # so a finished run is never lost to an unwritable path
    from verifythm.report.io import check_writable_dir, check_writable_file

    try:
        if args.json:
            check_writable_file(args.json, "--json", overwrite=args.overwrite)
        check_writable_dir(args.report_dir, "--report-dir")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    total = sum(len(c.checks) for c in claims)
    width = max((len(f"{c.id}::{k.name}") for c in claims for k in c.checks), default=0)
    done = [0]
    err = sys.stderr

    def progress(claim: Claim, res: Any) -> None:
        done[0] += 1
        if not args.quiet:
            label = f"{claim.id}::{res.name}"
            err.write(
                f"[{done[0]:>{len(str(total))}}/{total}] {label:<{width}} "
                f"{res.status.value:<15}({res.duration_s:.2f}s)\n"
            )
            err.flush()

    ctx = Context(profile=profile, backend=args.backend, device=args.device)
    if args.jobs is not None:
        jobs = args.jobs
    else:  # one device is not shared between processes; CPUs are
        from verifythm.pool import usable_cpus

        jobs = usable_cpus() if args.backend == "numpy" else 1
    run = run_claims(claims, ctx, report_dir=args.report_dir, registry=reg, on_check=progress, jobs=jobs)
    from verifythm.report.table import table_width

    isatty = bool(getattr(out, "isatty", lambda: False)())
    out.write(summary_table(run.results, table_width(isatty, shutil.get_terminal_size().columns)))
    out.write(
        f"\nprofile {run.profile}, seed {run.seed}, {len(run.results)} claim(s) in {run.duration_s:.1f}s\n"
    )
    if run.pruned:
        out.write(f"removed {len(run.pruned)} stale report file(s) from {args.report_dir}\n")
    if args.json:
        try:
            atomic_write_text(
                args.json,
                json.dumps(run.to_json(), indent=2, ensure_ascii=False) + "\n",
                overwrite=args.overwrite,
            )
        except ReportExistsError as exc:
            raise UsageError(str(exc)) from None
        except OSError as exc:  # the path went bad during the run: keep the run anyway
            import tempfile

            fd, rescue = tempfile.mkstemp(prefix="verifythm-report-", suffix=".json")
            with open(fd, "w", encoding="utf-8") as fh:
                json.dump(run.to_json(), fh, indent=2, ensure_ascii=False)
            raise UsageError(
                f"--json: cannot write {args.json} ({exc.strerror}); the report was saved to {rescue}"
            ) from None
        out.write(f"report written to {args.json}\n")
    bad = [r for r in run.results if not r.as_expected]
    for r in bad:
        out.write(f"UNEXPECTED: {r.claim.id} is {r.status.value}, expected {r.claim.expected.outcome}\n")
        if r.counterexample and r.counterexample.get("report"):
            out.write(f"  report: {r.counterexample['report']}\n")
    return EXIT_UNEXPECTED if bad else EXIT_OK


def summary_table(results: Sequence[Any], width: int | None = None) -> str:
    """Per-claim table (:mod:`verifythm.report.table`, the one the pytest plugin prints too).

    One row per claim: id, source, status, expectation, explored sizes, worst relative slack,
    tightness; then the per-status counts.  ``width`` defaults to 120 columns.
    """
    from verifythm.report.table import render_table, rows_from_claims

    return render_table(rows_from_claims(r.to_json() for r in results), width)


# -- cite ---------------------------------------------------------------------------------
def cmd_cite(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm cite``: BibTeX entry plus locator."""
    from verifythm.claims.citations import cite, module_bib, read_bib

    extra: dict[str, str] = {}
    if args.bib:
        try:
            extra = read_bib(args.bib)
        except ValueError as exc:
            raise UsageError(f"--bib: {exc}") from None
    reg = _registry(args)
    claims = [reg.get(cid) for cid in args.ids]
    for claim in claims:
        own = extra
        if not own:  # a references.bib next to the module that defines the claim
            mod = sys.modules.get(_module_name(reg, claim.id) or "")
            found = module_bib(getattr(mod, "__file__", None))
            own = read_bib(found) if found is not None else {}
        try:
            out.write(cite(claim, own) + "\n")
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    return EXIT_OK


def _module_name(reg: Registry, cid: str) -> str | None:
    """The imported module's name that defines claim ``cid`` (a spec or a ``.py`` path)."""
    from verifythm.claims.registry import loaded_module_name

    spec = reg.module_of(cid)
    return loaded_module_name(spec) if spec else None


# -- reproduce ----------------------------------------------------------------------------
def cmd_reproduce(args: argparse.Namespace, out: TextIO) -> int:
    """``verifythm reproduce``: re-evaluate a saved counterexample; exit 1 if it reproduces."""
    from verifythm.evidence.base import Context, get_profile
    from verifythm.evidence.numeric import judge
    from verifythm.report.counterexample import read_counterexample
    from verifythm.runner import run_check

    if args.instance.endswith(".npz") and not Path(args.instance).is_file():
        raise UsageError(f"instance: no such file {args.instance}")  # before loading the catalogue
    reg = _registry(args)
    path = _instance_path(args.instance, reg)
    try:
        inst, meta = read_counterexample(path)
    except ValueError as exc:
        raise UsageError(f"instance: {exc}") from None
    if "claim" not in meta:
        raise UsageError(f"instance: {path} does not name its claim")
    claim = reg.get(meta["claim"])
    out.write(f"claim {claim.id}: {claim.title}\n{claim.source.short()}\n")
    drop = list(args.drop or [])
    if drop:
        from verifythm.search.hunt import apply_drop

        try:
            claim, _ = apply_drop(claim, drop)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        out.write(f"  dropped: {', '.join(drop)}\n")
    if meta.get("kind") in ("symbolic", "check"):
        # not a claim instance: re-run the check (at the seed it was found with, when recorded)
        name = meta.get("check", "symbolic")
        seed = next((int(inst[k]) for k in ("profile_seed", "seed") if k in inst), None)
        prof = get_profile("quick", seed=seed) if meta["kind"] == "check" else get_profile("quick")
        res = run_check(claim, claim.check(name), Context(profile=prof))
        label = "symbolic check" if meta["kind"] == "symbolic" else f"check {name} (seed {prof.seed})"
        out.write(f"{label}: {res.status.value}: {res.note}\n")
        return EXIT_UNEXPECTED if res.status is Status.COUNTEREXAMPLE else EXIT_OK
    failed = claim.failed_hypotheses(inst)
    for h in claim.hypotheses:
        out.write(f"  hypothesis {h.name}: {'NOT met' if h.name in failed else 'met'}\n")
    if failed:
        out.write("the instance violates a hypothesis: it is not a counterexample\n")
        return EXIT_OK
    cmp, viol = judge(claim, inst)
    out.write(f"  {cmp.describe()}\n")
    if viol is None:
        out.write("conclusion HOLDS on this instance: the counterexample does not reproduce\n")
        return EXIT_OK
    if viol.precise is not None:
        out.write(f"  high precision: {viol.precise.describe()}\n")
    out.write("VIOLATED: the counterexample reproduces\n")
    return EXIT_UNEXPECTED


def _instance_path(spec: str, reg: Registry) -> Path:
    """The ``.npz`` that ``reproduce`` reads: a file, or the saved instance of a claim id."""
    from verifythm.report.counterexample import saved_instances

    path = Path(spec)
    if path.is_file():
        return path
    if spec not in reg:
        raise UsageError(
            f"instance: no such file or claim id {spec!r} "
            "(give a saved .npz or the id of an expected failure)"
        )
    found = saved_instances(reg.get(spec), reg.module_of(spec))
    if not found:
        raise UsageError(f"instance: claim {spec} ships no saved counterexample (only expected failures do)")
    return found[0]


# -- parser -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``verifythm`` command."""
    p = argparse.ArgumentParser(
        prog="verifythm",
        description="Executable, citable checks of theorems on SGD stability, noise and Hessians.",
    )
    p.add_argument("--version", action="version", version=f"verifythm {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="show the traceback of an internal error")
    sub = p.add_subparsers(dest="command", required=True)

    def with_imports(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--import",
            dest="imports",
            action="append",
            metavar="MODULE",
            help="also load claims from MODULE (dotted name or .py path)",
        )

    sp = sub.add_parser("list", help="list the registered claims")
    sp.add_argument("ids", nargs="*", metavar="ID", help="claim ids, or globs such as 'wu2022.lemma_g2*'")
    sp.add_argument("--prefix", action="store_true", help="an ID also selects the claims below it (ID.*)")
    sp.add_argument("--json", action="store_true", help="print JSON")
    with_imports(sp)
    sp.set_defaults(func=cmd_list)

    sp = sub.add_parser("check", help="run the evidence of claims and report verdicts")
    sp.add_argument(
        "ids", nargs="*", metavar="ID", help="claim ids, or globs such as 'dexter2024.*' (default: all)"
    )
    sp.add_argument("--prefix", action="store_true", help="an ID also selects the claims below it (ID.*)")
    sp.add_argument("--profile", default="quick", help="quick (default) or thorough")
    sp.add_argument("--seed", type=int, default=None, help="override the profile's seed")
    sp.add_argument(
        "--backend",
        default="numpy",
        choices=["numpy", "torch"],
        help="compute every Gram matrix of every check with this backend (default numpy)",
    )
    sp.add_argument("--device", default=None, help="torch device for --backend torch (cpu, cuda)")
    sp.add_argument("--json", metavar="FILE", help="write the JSON report to FILE")
    sp.add_argument("--overwrite", action="store_true", help="allow replacing an existing --json")
    sp.add_argument(
        "--report-dir",
        default="verifythm-report",
        metavar="DIR",
        help="directory for counterexample reports (default: verifythm-report)",
    )
    sp.add_argument("-q", "--quiet", action="store_true", help="no per-check progress")
    sp.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: one per usable CPU with the numpy backend, 1 with torch); "
        "verdicts do not depend on it",
    )
    with_imports(sp)
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("cite", help="print the BibTeX entry and locator of claims")
    sp.add_argument("ids", nargs="+", metavar="ID")
    sp.add_argument(
        "--bib",
        metavar="FILE",
        help="your own BibTeX file (default: a references.bib next to the imported claims)",
    )
    with_imports(sp)
    sp.set_defaults(func=cmd_cite)

    sp = sub.add_parser(
        "reproduce", help="re-evaluate a saved counterexample (.npz, or an expected failure's claim id)"
    )
    sp.add_argument(
        "instance",
        metavar="FILE.npz|CLAIM_ID",
        help="a saved counterexample, or the id of an expected failure (its instance ships with verifythm)",
    )
    sp.add_argument(
        "--drop",
        action="append",
        metavar="HYPOTHESIS",
        help="evaluate with this hypothesis removed (assumption-necessity reports)",
    )
    with_imports(sp)
    sp.set_defaults(func=cmd_reproduce)

    add_family_parsers(sub)
    add_search_parsers(sub, with_imports)
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the ``verifythm`` console script; returns the exit code.

    0: every verdict is the expected one; 1: some verdict is not (exactly that); 2: bad input
    (one line naming the argument); 3: an internal error (one line; ``--verbose`` shows the
    traceback); 130: interrupted (SIGINT), finished outputs left intact.
    """
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        with insistent_interrupts():
            return int(args.func(args, out))
    except (UsageError, UnknownClaimError, FamilyInputError, SearchUsageError) as exc:
        sys.stderr.write(f"verifythm: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("verifythm: interrupted; outputs written so far are kept\n")
        return EXIT_INTERRUPTED
    except Exception as exc:
        from verifythm.linalg.memory import InsufficientMemoryError  # here: it would load numpy

        if isinstance(exc, InsufficientMemoryError):  # refused before allocating, naming the size
            sys.stderr.write(f"verifythm: error: {exc}\n")
            return EXIT_USAGE
        if args.verbose:
            import traceback

            traceback.print_exc(file=sys.stderr)
        sys.stderr.write(
            f"verifythm: internal error: {type(exc).__name__}: {exc} "
            "(rerun with --verbose for the traceback)\n"
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
