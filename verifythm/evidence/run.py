"""Running the checks of one claim: each check's result, a crash an ``error``, never a verdict.

:func:`run_check` runs one check under the context's backend (a missing optional module
skips it, an exception makes it an ``error`` with its traceback); :func:`run_checks` runs a
claim's checks in order.  :mod:`verifythm.runner` (which re-exports the three functions)
turns the results into verdicts and reports; the worker processes of :mod:`verifythm.pool`
call :func:`run_checks` directly.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Iterable

from verifythm.backends import use_backend
from verifythm.claims.model import Claim, Status
from verifythm.evidence.base import Check, CheckResult, Context


def missing_requirements(check: Check) -> list[str]:
    """Optional modules a check needs that are not importable here."""
    return [m for m in check.requires if importlib.util.find_spec(m) is None]


def run_check(claim: Claim, check: Check, ctx: Context) -> CheckResult:
    """Run one check, turning a missing optional module into ``skipped`` and a crash into ``error``."""
    missing = missing_requirements(check)
    if missing:
        return CheckResult(
            check.name,
            check.method,
            Status.SKIPPED,
            note=f"skipped: optional module(s) {', '.join(missing)} not installed",
        )
    t0 = time.perf_counter()
    try:
        with use_backend(ctx.backend, ctx.device):
            return check.run(claim, ctx)
    except Exception as exc:  # the check itself failed: an error, never a verdict
        import traceback

        return CheckResult(
            check.name,
            check.method,
            Status.ERROR,
            duration_s=time.perf_counter() - t0,
            note=f"check raised {type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
        )


def run_checks(
    claim: Claim,
    ctx: Context,
    *,
    only: Iterable[str] | None = None,
    on_check: Callable[[Claim, CheckResult], None] | None = None,
) -> list[CheckResult]:
    """The results of the checks of ``claim`` (all, or those named in ``only``), in its order."""
    names = set(only) if only is not None else None
    results: list[CheckResult] = []
    for check in claim.checks:
        if names is not None and check.name not in names:
            continue
        res = run_check(claim, check, ctx)
        results.append(res)
        if on_check is not None:
            on_check(claim, res)
    return results
