"""Every committed erratum report must keep reproducing (and point at an existing file)."""

import subprocess
import sys
from pathlib import Path

import pytest

from verifythm import default_registry

ROOT = Path(__file__).resolve().parents[1]
ERRATA = [c for c in default_registry() if c.expected.is_failure]


def test_there_are_errata():
    assert ERRATA, "the catalogue documents at least one erratum (wu2022.eq10.sigma)"


@pytest.mark.parametrize("claim", ERRATA, ids=lambda c: c.id)
def test_erratum_report_reproduces(claim):
    report = ROOT / claim.expected.report
    assert report.is_file(), f"{claim.id}: erratum report {report} is missing"
    npz = report.with_suffix(".npz")
    assert npz.is_file()
    text = report.read_text()
    assert claim.id in text and claim.source.locator in text
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
