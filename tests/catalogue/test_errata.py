"""Every committed finding report keeps reproducing, says which reading it refutes, and is classified.

A finding is a claim expected to fail; its category (erratum, proof-gap, typo, edge-case, scope) and,
for a dependent paper error, its root are part of the catalogue; ``docs/findings.md`` and the headers
of the committed reports are generated from them (``python -m verifythm.report.findings --page
docs/findings.md --refresh docs/errata``).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO_ROOT

from verifythm import Claim, Expected, Source, default_registry
from verifythm.report.findings import (
    finding_root,
    findings_page,
    reading_line,
    refresh_report,
    validate_findings,
)

ROOT = REPO_ROOT
REGISTRY = list(default_registry())
ERRATA = [c for c in REGISTRY if c.expected.is_failure]
_ID = re.compile(r"`([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)`")
REGEN = "python -m verifythm.report.findings --page docs/findings.md --refresh docs/errata"


def test_there_are_errata():
    assert ERRATA, "the catalogue documents at least one erratum (wu2022.eq10.sigma)"


def test_every_finding_is_classified_and_roots_are_paper_errors():
    validate_findings(REGISTRY)


@pytest.mark.parametrize("claim", [c for c in ERRATA if not c.expected.is_erratum], ids=lambda c: c.id)
def test_edge_cases_and_scope_limits_name_the_papers_reading(claim):
    """An edge case or scope limit names a claim, expected to hold, that encodes the paper's reading."""
    assert claim.expected.erratum.startswith(("scope, not an error", "edge case")), claim.expected.erratum
    holding = {c.id for c in REGISTRY if not c.expected.is_failure}
    assert set(_ID.findall(claim.expected.erratum)) & holding, claim.id


def test_validate_findings_rejects_a_dangling_or_non_error_root():
    src = Source("wu2022alignment", "Lemma Z.1")
    root = Claim(id="demo.root", title="t", source=src, statement="s", expected=Expected.fails("x"))
    scope = root.variant(id="demo.scope", expected=Expected.fails("x", finding="scope"))
    validate_findings(
        [root, root.variant(id="demo.dep", expected=Expected.fails("same root as `demo.root`: y"))]
    )
    with pytest.raises(ValueError, match=r"demo\.dep"):
        validate_findings(
            [root.variant(id="demo.dep", expected=Expected.fails("same root as `demo.none`: y"))]
        )
    with pytest.raises(ValueError, match=r"demo\.dep"):
        validate_findings(
            [scope, root.variant(id="demo.dep", expected=Expected.fails("same root as `demo.scope`: y"))]
        )
    assert finding_root(root) == "" and reading_line(root.variant(expected=Expected())) == ""


def test_findings_page_is_current():
    page = ROOT / "docs" / "findings.md"
    assert page.is_file(), f"docs/findings.md is missing; run `{REGEN}`"
    assert page.read_text("utf-8") == findings_page(REGISTRY), f"docs/findings.md is stale; run `{REGEN}`"
    for c in ERRATA:
        assert f"`{c.id}`" in page.read_text("utf-8")


@pytest.mark.parametrize("claim", ERRATA, ids=lambda c: c.id)
def test_erratum_report_reproduces(claim):
    report = ROOT / claim.expected.report
    assert report.is_file(), f"{claim.id}: erratum report {report} is missing"
    npz = report.with_suffix(".npz")
    assert npz.is_file()
    text = report.read_text()
    assert claim.id in text and claim.source.locator in text
    # the report says which reading it refutes (its header is generated from the catalogue)
    assert reading_line(claim) in text
    assert not refresh_report(report, claim, dry_run=True), f"{report.name}: stale header; run `{REGEN}`"
    # the reproduce command in the committed report names the committed instance
    assert f"verifythm reproduce {claim.expected.report[:-3]}.npz" in text
    proc = subprocess.run(
        [sys.executable, "-m", "verifythm", "reproduce", str(npz)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "VIOLATED" in proc.stdout


def test_refresh_report_rewrites_only_the_header(tmp_path):
    from verifythm.report.findings import main

    claim = next(c for c in ERRATA if c.id == "wu2022.eq10.sigma")
    report = tmp_path / Path(claim.expected.report).name
    body = (ROOT / claim.expected.report).read_text("utf-8")
    report.write_text(body.replace("Finding: **", "Finding (old): **"), "utf-8")
    assert refresh_report(report, claim, dry_run=True) and "(old)" in report.read_text("utf-8")
    assert refresh_report(report, claim) and not refresh_report(report, claim)
    tail = body[body.index("## How it was found") :]
    assert report.read_text("utf-8").endswith(tail)  # instance, numbers and command kept byte for byte
    with pytest.raises(ValueError, match="path"):
        refresh_report(report, next(c for c in ERRATA if c is not claim))
    page = tmp_path / "findings.md"
    assert main(["--page", str(page), "--check"]) == 1 and not page.exists()
    assert main(["--page", str(page)]) == 0 and main(["--page", str(page), "--check"]) == 0
