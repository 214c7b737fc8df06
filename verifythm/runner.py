"""Run claims: evaluate every check, aggregate verdicts, write counterexample reports."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifythm import __version__
from verifythm.claims.model import Claim, Status
from verifythm.claims.registry import Registry, catalogue_packages
from verifythm.claims.status import aggregate_status
from verifythm.evidence.base import CheckResult, Context
from verifythm.evidence.numeric import instance_size

# ``X as X``: running the checks of one claim lives in evidence.run (the pool's workers use it)
from verifythm.evidence.run import missing_requirements as missing_requirements
from verifythm.evidence.run import run_check as run_check
from verifythm.evidence.run import run_checks as run_checks
from verifythm.report.counterexample import write_counterexample


@dataclass
class ClaimResult:
    """Verdict of one claim, with its checks and (if any) counterexample files."""

    claim: Claim
    checks: list[CheckResult]
    counterexample: dict[str, Any] | None = None

    @property
    def status(self) -> Status:
        """Aggregated status of the claim."""
        return aggregate_status([c.status for c in self.checks])

    @property
    def as_expected(self) -> bool:
        """Whether the verdict is the one the claim's ``expected`` asks for."""
        return self.claim.expected.satisfied_by(self.status)

    def worst_slack(self) -> float | None:
        """Smallest slack over all checks that recorded one."""
        vals = [c.worst_slack for c in self.checks if c.worst_slack is not None]
        return min(vals) if vals else None

    def worst_ratio(self) -> float | None:
        """Largest tightness ratio (observed / bound) over all checks."""
        vals = [c.worst_ratio for c in self.checks if c.worst_ratio is not None]
        return max(vals) if vals else None

    def to_json(self) -> dict[str, Any]:
        """The ``claims[]`` entry of the JSON report (``docs/guides/getting_started.md``)."""
        return {
            **self.claim.metadata(),
            "status": self.status.value,
            "as_expected": self.as_expected,
            "checks": [r.to_json() for r in self.checks],
            "counterexample": self.counterexample,
        }


def _imports_for(claim: Claim, registry: Registry | None) -> tuple[str, ...]:
    if registry is None:
        return ()
    mod = registry.module_of(claim.id)
    if not mod or (not mod.endswith(".py") and mod.split(".")[0] in catalogue_packages()):
        return ()
    return (mod,)


def record_counterexample(
    claim: Claim,
    res: CheckResult,
    report_dir: str | Path | None,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """The ``counterexample`` object of the report; writes the files when ``report_dir`` is set."""
    viol = res.violation
    if viol is None:
        raise ValueError("res: the check result has no violation")
    if report_dir is not None and viol.instance:
        files = write_counterexample(claim, res, report_dir, imports=_imports_for(claim, registry))
        return files.to_json(viol.description, viol.instance)
    return {
        "report": None,
        "instance": None,
        "instance_values": viol.instance or None,
        "violation": viol.description,
        "reproduce": None,
    }


def run_claim(
    claim: Claim,
    ctx: Context,
    *,
    report_dir: str | Path | None = None,
    registry: Registry | None = None,
    only: Iterable[str] | None = None,
    on_check: Callable[[Claim, CheckResult], None] | None = None,
) -> ClaimResult:
    """Run the checks of ``claim`` (all, or those named in ``only``).

    When a check finds a counterexample and ``report_dir`` is given, a Markdown
    report and the ``.npz`` instance are written there.
    """
    return conclude_claim(claim, run_checks(claim, ctx, only=only, on_check=on_check), report_dir, registry)


def conclude_claim(
    claim: Claim,
    results: list[CheckResult],
    report_dir: str | Path | None = None,
    registry: Registry | None = None,
) -> ClaimResult:
    """The verdict of ``claim`` from its check results; writes the counterexample report if any."""
    out = ClaimResult(claim, results)
    found = [
        (r, r.violation) for r in results if r.status is Status.COUNTEREXAMPLE and r.violation is not None
    ]
    if found:
        # report the smallest claim instance found by any check (symbolic points last)
        best, _ = min(found, key=lambda rv: (not rv[1].is_claim_instance, instance_size(rv[1].instance)))
        out.counterexample = record_counterexample(claim, best, report_dir, registry)
    return out


@dataclass
class RunResult:
    """A whole run: the claim results and the run's metadata."""

    profile: str
    seed: int
    started: str
    duration_s: float = 0.0
    results: list[ClaimResult] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)  # stale reports removed from the report folder

    @property
    def all_as_expected(self) -> bool:
        """Whether every verdict is the expected one."""
        return all(r.as_expected for r in self.results)

    def to_json(self) -> dict[str, Any]:
        """The JSON report document (``docs/guides/getting_started.md``, "The JSON report")."""
        return {
            "verifythm_version": __version__,
            "profile": self.profile,
            "seed": self.seed,
            "started": self.started,
            "duration_s": round(self.duration_s, 3),
            "claims": [r.to_json() for r in self.results],
        }


def run_claims(
    claims: Iterable[Claim],
    ctx: Context,
    *,
    report_dir: str | Path | None = None,
    registry: Registry | None = None,
    on_check: Callable[[Claim, CheckResult], None] | None = None,
    jobs: int = 1,
) -> RunResult:
    """Run many claims and collect a :class:`RunResult` (in the claims' order).

    With ``jobs > 1`` the claims whose module ``registry`` knows run in that many worker
    processes (:mod:`verifythm.pool`); verdicts and numbers are the same as with one job,
    ``on_check`` is called as each claim finishes, and reports are written here.
    """
    claims = list(claims)
    started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    run = RunResult(ctx.profile.name, ctx.profile.seed, started)
    t0 = time.perf_counter()
    if jobs > 1 and len(claims) > 1:
        from verifythm.pool import run_in_workers

        modules = [(registry.module_of(c.id) or None) if registry is not None else None for c in claims]
        done: dict[int, ClaimResult] = {}
        for index, results in run_in_workers(claims, modules, ctx, jobs):
            claim = claims[index]
            if on_check is not None:
                for res in results:
                    on_check(claim, res)
            done[index] = conclude_claim(claim, results, report_dir, registry)
        run.results = [done[i] for i in range(len(claims))]
    else:
        for claim in claims:
            run.results.append(
                run_claim(claim, ctx, report_dir=report_dir, registry=registry, on_check=on_check)
            )
    run.duration_s = time.perf_counter() - t0
    if report_dir is not None and Path(report_dir).is_dir():
        # reports of claims run here that no longer fail are stale (or orphans of an interrupted run)
        from verifythm.report import manifest

        keep = [
            f"{r.claim.id}::{c.name}"
            for r in run.results
            for c in r.checks
            if c.status is Status.COUNTEREXAMPLE and c.violation is not None
        ]
        run.pruned = [str(p) for p in manifest.prune(report_dir, [r.claim.id for r in run.results], keep)]
    return run
