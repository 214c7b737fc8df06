"""pytest plugin: every claim check in the catalogue is a test item.

Registered through the ``pytest11`` entry point.  Catalogue modules (files inside
a ``verifythm.catalogues`` package, e.g. ``theorems/``) are collected as
:class:`ClaimFile`; each (claim, check) pair is a :class:`ClaimItem` with the id
``<claim id>[<check name>]`` (so the node id pytest prints, ``path.py::wu2022.lemma3_2[exact]``,
can be passed back to select it) and the ``verifythm`` marker.  A claim marked
``expected="fails"`` is a strict expected failure that only a confirmed counterexample
satisfies.  At the end of the run the per-claim table of ``verifythm check`` is printed
(:mod:`verifythm.report.table`).  With ``--verifythm-bib FILE`` (or the ``verifythm_bib`` ini
option) every selected claim's source key must be in that file or in verifythm's own
``references.bib``.  Heavy imports (sympy,
Hypothesis, numpy) happen only when a catalogue file is collected.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from verifythm.plugin.catalogues import FILES_KEY, ROOTS_KEY, catalogue_roots, module_name, user_roots

if TYPE_CHECKING:
    from collections.abc import Iterator

    from _pytest._code.code import TerminalRepr

_RESULTS_KEY = "verifythm_check"


class CounterexampleFound(AssertionError):
    """Raised by an item whose check found a confirmed counterexample."""


class CheckNotVerified(AssertionError):
    """Raised when a check ends vacuous, inconclusive or in error."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``--verifythm-*`` options."""
    group = parser.getgroup("verifythm", "verifythm theorem checks")
    group.addoption(
        "--verifythm-profile", default="quick", help="evidence profile: quick (default) or thorough"
    )
    group.addoption("--verifythm-seed", type=int, default=None, help="override the profile seed")
    group.addoption(
        "--verifythm-backend",
        default="numpy",
        choices=["numpy", "torch"],
        help="backend that computes every Gram matrix of the claim checks",
    )
    group.addoption("--verifythm-device", default=None, help="torch device for --verifythm-backend torch")
    group.addoption(
        "--verifythm-import",
        action="append",
        default=[],
        metavar="MODULE",
        help="also collect the claims of MODULE: a dotted name, a .py file or a package folder "
        "(repeatable; adds to the verifythm_import ini option)",
    )
    group.addoption(
        "--verifythm-json",
        default=None,
        metavar="FILE",
        help="also write the JSON report of `verifythm check --json` (the claims this run checked)",
    )
    group.addoption(
        "--verifythm-overwrite", action="store_true", help="allow --verifythm-json to replace a file"
    )
    group.addoption(
        "--verifythm-bib",
        default=None,
        metavar="FILE",
        help="your own BibTeX file: every collected claim's source key must be in it or in verifythm's "
        "references.bib (overrides the verifythm_bib ini option)",
    )
    parser.addini(
        "verifythm_bib",
        type="string",
        default="",
        help="your own references.bib (relative to the rootdir); see --verifythm-bib",
    )
    parser.addini(
        "verifythm_import",
        type="linelist",
        default=[],
        help="modules, .py files or package folders whose claims pytest collects (your own catalogue)",
    )
    group.addoption(
        "--verifythm-report-dir",
        default="verifythm-report",
        help="where reports of unexpected counterexamples are written",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``verifythm`` marker; validate the ``--verifythm-*`` options up front."""
    from verifythm.evidence.base import get_profile

    config.addinivalue_line(
        "markers", "verifythm: a check of a verifythm claim (one item per claim and check)"
    )
    try:
        get_profile(config.getoption("verifythm_profile"), config.getoption("verifythm_seed"))
    except ValueError as exc:
        raise pytest.UsageError(f"--verifythm-{exc}") from None
    if config.getoption("verifythm_json"):  # before any work: never after the whole run
        from verifythm.report.io import check_writable_file

        try:
            check_writable_file(
                config.getoption("verifythm_json"),
                "--verifythm-json",
                overwrite=config.getoption("verifythm_overwrite"),
            )
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None
        config.stash[_started_key] = (time.time(), time.perf_counter())
    config.stash[_bib_key] = _user_bib(config)  # a bad file stops pytest before collection
    if config.getini("verifythm_import") or config.getoption("verifythm_import"):
        # the user's own catalogue is imported now, so a bad entry is a usage error before collection
        extra, files = user_roots(config)
        config.stash[ROOTS_KEY] = catalogue_roots() + extra
        config.stash[FILES_KEY] = files


def pytest_report_header(config: pytest.Config) -> str:
    """One header line: the profile, seed, backend and catalogues the claim checks use."""
    from verifythm.claims.registry import catalogue_packages
    from verifythm.evidence.base import get_profile

    prof = get_profile(config.getoption("verifythm_profile"), config.getoption("verifythm_seed"))
    own = [*config.getini("verifythm_import"), *config.getoption("verifythm_import")]
    cats = ", ".join([*catalogue_packages(), *own])
    backend = config.getoption("verifythm_backend")
    device = config.getoption("verifythm_device")
    bib = config.stash.get(_bib_key, None)
    return (
        f"verifythm: profile {prof.name}, seed {prof.seed}, backend {backend}"
        + (f" ({device})" if device else "")
        + f", catalogues: {cats}"
        + (f", bibliography: {bib[0]}" if bib else "")
    )


def _user_bib(config: pytest.Config) -> tuple[str, dict[str, str]] | None:
    """The user's BibTeX file (as given) and its entries, or ``None`` when none is given.

    ``--verifythm-bib`` is relative to the current directory and wins over the ``verifythm_bib``
    ini option, which is relative to the rootdir.

    Raises
    ------
    pytest.UsageError
        One line naming the option when the file cannot be read or holds no entry.
    """
    from verifythm.claims.citations import read_bib

    given = config.getoption("verifythm_bib")
    label, base = "--verifythm-bib", Path(str(config.invocation_params.dir))
    if not given:
        given = str(config.getini("verifythm_bib")).strip()
        label, base = "verifythm_bib", Path(str(config.rootpath))
    if not given:
        return None
    path = Path(given) if Path(given).is_absolute() else base / given
    try:
        return given, read_bib(path)
    except ValueError as exc:
        raise pytest.UsageError(f"{label}: {exc}") from None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``verifythm_bib`` / ``--verifythm-bib``: every selected claim must be citable.

    Its source key must be in the given file or in verifythm's own ``references.bib`` (the
    lookup of ``verifythm cite --bib FILE``); one that is in neither stops pytest with one line.
    """
    bib = config.stash.get(_bib_key, None)
    if bib is None:
        return
    from verifythm.claims.citations import bibliography

    known = {**bibliography(), **bib[1]}
    missing: dict[str, str] = {}
    for item in items:
        if isinstance(item, ClaimItem) and item.claim.source.key not in known:
            missing.setdefault(item.claim.source.key, item.claim.id)
    if missing:
        key, cid = next(iter(missing.items()))
        more = f" (and {len(missing) - 1} more unknown key(s))" if len(missing) > 1 else ""
        raise pytest.UsageError(
            f"verifythm_bib: source key {key!r} of claim {cid} is in neither {bib[0]} nor "
            f"verifythm's references.bib{more}"
        )


_started_key = pytest.StashKey[tuple]()
_ctx_key = pytest.StashKey[Any]()
_summary_key = pytest.StashKey[dict]()
_bib_key = pytest.StashKey["tuple[str, dict[str, str]] | None"]()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect catalogue modules (files inside a ``verifythm.catalogues`` package)."""
    if file_path.suffix != ".py" or file_path.name.startswith("test_"):
        return None
    name = module_name(file_path, parent.config)
    if name is None:
        return None
    return ClaimFile.from_parent(parent, path=file_path, module_name=name)


class ClaimFile(pytest.File):
    """A catalogue module: yields one item per (claim, check)."""

    def __init__(self, *, module_name: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.module_name = module_name

    def collect(self) -> Iterator[ClaimItem]:
        """Yield one :class:`ClaimItem` per check of each claim of the module."""
        import importlib

        from verifythm.claims.registry import claims_of_module

        mod = importlib.import_module(self.module_name)
        for claim in claims_of_module(mod):
            for check in claim.checks:
                item = ClaimItem.from_parent(self, name=f"{claim.id}[{check.name}]", claim=claim, check=check)
                item.add_marker(pytest.mark.verifythm)
                item.extra_keyword_matches.update(claim.aliases)  # `-k <old id>` still selects it
                if claim.expected.is_failure:
                    item.add_marker(
                        pytest.mark.xfail(
                            reason=f"{claim.expected.finding or 'erratum'}: {claim.expected.erratum}",
                            strict=True,
                            raises=CounterexampleFound,
                        )
                    )
                yield item


def _context(config: pytest.Config) -> Any:
    ctx = config.stash.get(_ctx_key, None)
    if ctx is None:
        from verifythm.evidence.base import Context, get_profile

        try:
            prof = get_profile(config.getoption("verifythm_profile"), config.getoption("verifythm_seed"))
        except ValueError as exc:
            raise pytest.UsageError(f"--verifythm-{exc}") from None
        ctx = Context(
            profile=prof,
            backend=config.getoption("verifythm_backend"),
            device=config.getoption("verifythm_device"),
        )
        config.stash[_ctx_key] = ctx
    return ctx


class ClaimItem(pytest.Item):
    """One check of one claim."""

    def __init__(self, *, claim: Any, check: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.claim = claim
        self.check = check

    def runtest(self) -> None:
        """Run the check and translate its status into a pytest outcome."""
        from verifythm.claims.model import Status
        from verifythm.runner import record_counterexample, run_check

        ctx = _context(self.config)
        res = run_check(self.claim, self.check, ctx)
        ce: dict[str, Any] | None = None
        if (
            res.status is Status.COUNTEREXAMPLE
            and not self.claim.expected.is_failure
            and res.violation is not None
        ):
            ce = record_counterexample(self.claim, res, self.config.getoption("verifythm_report_dir"))
        self.user_properties.append((_RESULTS_KEY, json.dumps(_check_row(self.claim, res, ce))))
        if res.status is Status.VERIFIED:
            return
        if res.status is Status.SKIPPED:
            pytest.skip(res.note)
        if res.status is Status.COUNTEREXAMPLE:
            msg = f"{self.claim.id} [{self.check.name}]: counterexample — "
            if res.violation is not None:
                msg += res.violation.description
            if ce is not None and ce.get("report"):
                msg += f"\nreport: {ce['report']}\nreproduce: {ce['reproduce']}"
            raise CounterexampleFound(msg)
        msg = f"{self.claim.id} [{self.check.name}]: {res.status.value} — {res.note}"
        if res.traceback and self.config.getoption("tbstyle", "auto") not in ("no", "line"):
            msg += "\n\n" + res.traceback.rstrip()  # the error in the user's code, where it happened
        raise CheckNotVerified(msg)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str | TerminalRepr:
        """Short failure text: the verdict and the counterexample, not a traceback."""
        if isinstance(excinfo.value, (CounterexampleFound, CheckNotVerified)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Location shown by pytest."""
        return self.path, None, f"{self.claim.id}[{self.check.name}]"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect check results (works under xdist: they travel in ``user_properties``)."""
    if report.when != "call" and not (report.when == "setup" and report.skipped):
        return
    for key, value in getattr(report, "user_properties", []):
        if key == _RESULTS_KEY:
            _SUMMARY.setdefault("rows", []).append(json.loads(value))


_SUMMARY: dict[str, Any] = {}


def _check_row(claim: Any, res: Any, ce: dict[str, Any] | None) -> dict[str, Any]:
    """What an item records of its check (JSON-ready; it travels in ``user_properties``)."""
    row = res.to_json()
    names = [c.name for c in claim.checks]
    row.update(
        claim=claim.id,
        source=claim.source.short(),
        expected=claim.expected.outcome,
        metadata=claim.metadata(),
        counterexample=ce,
        # the claim's own order of checks (items finish in any order under xdist)
        order=names.index(res.name) if res.name in names else len(names),
    )
    return dict(row)


def _claim_docs(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``claims[]`` entries of the JSON report (as ``verifythm check --json``), sorted by id.

    One per claim, aggregated over the check rows the items recorded; the verdict table is
    rendered from the same entries (:mod:`verifythm.report.table`).
    """
    from verifythm.claims.model import Expected, Status
    from verifythm.claims.status import aggregate_status

    by_claim: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_claim.setdefault(r["claim"], []).append(r)
    keep = ("claim", "source", "expected", "metadata", "counterexample", "order")
    out = []
    for cid in sorted(by_claim):
        checks = sorted(by_claim[cid], key=lambda c: c.get("order", 0))
        status = aggregate_status([Status(c["status"]) for c in checks])
        out.append(
            {
                **checks[0]["metadata"],
                "status": status.value,
                "as_expected": Expected(checks[0]["expected"]).satisfied_by(status),
                "checks": [{k: v for k, v in c.items() if k not in keep} for c in checks],
                "counterexample": next(
                    (c["counterexample"] for c in checks if c.get("counterexample")), None
                ),
            }
        )
    return out


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write ``--verifythm-json`` (the document of ``verifythm check --json``) atomically."""
    config = session.config
    target = config.getoption("verifythm_json", None)
    rows = _SUMMARY.get("rows", [])
    if not target or not rows or hasattr(config, "workerinput"):  # xdist workers report to the controller
        return
    from verifythm import __version__
    from verifythm.report.io import atomic_write_text

    wall, t0 = config.stash.get(_started_key, (time.time(), time.perf_counter()))
    claims = _claim_docs(rows)
    prof = _context(config).profile
    doc = {
        "verifythm_version": __version__,
        "profile": prof.name,
        "seed": prof.seed,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(wall)),
        "duration_s": round(time.perf_counter() - t0, 3),
        "claims": claims,
    }
    atomic_write_text(
        target,
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
        overwrite=config.getoption("verifythm_overwrite"),
    )


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print the per-claim verdict table (the one ``verifythm check`` prints) and its counts."""
    rows = _SUMMARY.pop("rows", [])
    if not rows:
        return
    from verifythm.report.table import render_table, rows_from_claims, table_width

    tr = terminalreporter
    tr.section("verifythm: per-claim verdicts")
    width = table_width(bool(tr.isatty()), config.get_terminal_writer().fullwidth)
    for line in render_table(rows_from_claims(_claim_docs(rows)), width).splitlines():
        tr.write_line(line)
    prof = _context(config).profile
    tr.write_line(
        f"profile {prof.name}, seed {prof.seed}; worst slack is relative "
        "(slack / max(|lhs|, |rhs|, atol/rtol))"
    )
