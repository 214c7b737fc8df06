"""The README: its two commands, its size, its links, and an errata summary that matches the registry.

The README carries the errors of the papers only (findings ``erratum``, ``proof-gap``, ``typo``), one
line per root cause, and links to the generated findings page for every category.
"""

import re

import pytest
from support import REPO_ROOT

from verifythm import default_registry
from verifythm.report.findings import finding_root, roots, summary_counts

ROOT = REPO_ROOT
README = (ROOT / "README.md").read_text("utf-8")


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def _section(text: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, f"README has no section '## {title}'"
    return m.group(1)


@pytest.fixture(scope="module")
def claims():
    return list(default_registry())


def test_ci_runs_the_readme_test_command():
    test_cmd = next(b for b in _bash_blocks(README) if "pytest" in b)
    assert test_cmd in (ROOT / ".ci" / "run").read_text()


def test_readme_main_command_runs_check_with_json():
    assert any("verifythm check" in b and "--json" in b and "pip install" in b for b in _bash_blocks(README))


def test_readme_is_short_and_its_links_resolve():
    assert len(README.encode("utf-8")) <= 8 * 1024
    for target in re.findall(r"\]\(([^)\s]+)\)", README):
        if "://" not in target:
            assert (ROOT / target.split("#")[0]).exists(), target
    assert "](docs/findings.md)" in README


def check_errata_summary(text: str, claims: list) -> None:
    """The README's counts and errata section against ``claims`` (reused by tests with edited claims)."""
    n = summary_counts(claims)
    flat = " ".join(text.split())
    assert f"encodes {len(claims)} claims" in flat
    assert (
        f"{n['total']} are expected to fail: {n['errors']} errata of the papers from {n['roots']} root "
        f"causes (below), {n['edge-case']} edge cases and {n['scope']} scope limits"
    ) in flat
    errata = _section(text, "Errata of the papers")
    assert len([ln for ln in errata.splitlines() if ln.strip()]) <= 25
    listed = set(re.findall(r"`([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)`", errata))
    groups = roots(claims)
    for root, group in groups.items():
        line = next((ln for ln in errata.splitlines() if f"[`{root}`]" in ln), None)
        assert line is not None, f"{root}: no line in the README's errata"
        assert f"[`{root}`]({group[0].expected.report})" in line
        for dep in group[1:]:
            assert f"`{dep.id}`" in line, f"{dep.id}: not listed with its root {root}"
    papers_errors = {c.id for g in groups.values() for c in g}
    not_errors = {c.id for c in claims if c.expected.is_failure and not c.expected.is_erratum}
    assert listed == papers_errors, (listed - papers_errors, papers_errors - listed)
    assert not listed & not_errors
    assert all(finding_root(c) in groups for c in claims if finding_root(c))


def test_readme_errata_are_the_papers_errors_grouped_by_root(claims):
    check_errata_summary(README, claims)


def test_errata_summary_check_catches_a_scope_finding_listed_as_an_erratum(claims):
    from verifythm.claims.model import Expected

    scope = next(c for c in claims if c.expected.finding == "scope")
    promoted = [
        c.variant(expected=Expected.fails(c.expected.erratum, c.expected.report)) if c is scope else c
        for c in claims
    ]
    with pytest.raises(AssertionError):
        check_errata_summary(README, promoted)


def test_slow_list_names_existing_tests():
    """Every node id in ``tests/slow_tests.txt`` names a test that exists (no stale entries)."""
    import subprocess
    import sys

    slow = {
        ln.strip()
        for ln in (ROOT / "tests" / "slow_tests.txt").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-m",
            "slow",
            "tests",
            "theorems",
            "-p",
            "no:cacheprovider",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    ).stdout
    collected = {ln.strip() for ln in out.splitlines() if "::" in ln}
    assert slow <= collected, sorted(slow - collected)[:5]
