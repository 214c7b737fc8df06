"""A researcher's own claims outside this repository (issue 20): imports, bibliography."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CLAIM_MODULE = """
from verifythm import Claim, Comparison, ExactCheck, Source
{helper_import}

def conclusion(inst):
    return Comparison(double(inst["x"]), 2 * inst["x"] + 1, "<=")

CLAIM = Claim(
    id="mm2024.lemma1",
    title="2x <= 2x + 1",
    source=Source("mm2024own", "Lemma 1"),
    statement="For every x, 2x <= 2x + 1.",
    conclusion=conclusion,
    checks=(ExactCheck("exact", lambda rng, k: [{{"x": float(v)}} for v in rng.standard_normal(k)]),),
)
"""
BIB = "@article{mm2024own,\n  title = {My own bound},\n  author = {Me, M.},\n  year = {2024},\n}\n"


def _verifythm(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The console script, as a user runs it (``python -m`` would put the cwd on ``sys.path``)."""
    script = Path(sys.executable).with_name("verifythm")
    cmd = [str(script)] if script.is_file() else [sys.executable, "-m", "verifythm"]
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def _package(tmp_path: Path) -> Path:
    """``mytheorems/`` (a package) with a helper module and a claim that imports it absolutely."""
    pkg = tmp_path / "mytheorems"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "helpers.py").write_text("def double(x):\n    return 2 * x\n")
    (pkg / "mm2024.py").write_text(
        textwrap.dedent(CLAIM_MODULE.format(helper_import="from mytheorems.helpers import double"))
    )
    return pkg


def test_import_file_inside_a_package_resolves_its_package(tmp_path: Path) -> None:
    _package(tmp_path)
    proc = _verifythm(["check", "--import", "mytheorems/mm2024.py", "mm2024.lemma1", "-q"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "mm2024.lemma1" in proc.stdout and "verified" in proc.stdout


def test_import_loose_file_sees_its_siblings(tmp_path: Path) -> None:
    own = tmp_path / "loose"
    own.mkdir()
    (own / "helpers.py").write_text("def double(x):\n    return 2 * x\n")
    (own / "mine.py").write_text(
        textwrap.dedent(CLAIM_MODULE.format(helper_import="from helpers import double"))
    )
    proc = _verifythm(["check", "--import", str(own / "mine.py"), "mm2024.lemma1", "-q"], tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_cite_uses_own_bibliography_and_names_a_missing_key(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    args = ["cite", "--import", "mytheorems/mm2024.py", "mm2024.lemma1"]
    missing = _verifythm(args, tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "mm2024own" in missing.stderr and "--bib" in missing.stderr
    (tmp_path / "refs.bib").write_text(BIB)
    given = _verifythm([*args, "--bib", "refs.bib"], tmp_path)
    assert given.returncode == 0, given.stderr
    assert "@article{mm2024own" in given.stdout and "% mm2024.lemma1: Lemma 1 of [mm2024own]" in given.stdout
    (pkg / "references.bib").write_text(BIB)  # next to the claims: found without --bib
    found = _verifythm(args, tmp_path)
    assert found.returncode == 0 and "@article{mm2024own" in found.stdout
    bad = _verifythm([*args, "--bib", "nothing.bib"], tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("verifythm: error: --bib:")


def test_an_error_in_a_users_conclusion_keeps_its_traceback() -> None:
    """``check raised ZeroDivisionError`` alone does not say where: the traceback travels along."""
    from verifythm import Claim, Comparison, Context, ExactCheck, Source
    from verifythm.claims.model import Status
    from verifythm.runner import run_check

    def my_broken_bound(inst: dict) -> Comparison:
        return Comparison(1.0 / inst["x"], 1.0, "<=")

    claim = Claim(
        id="mm2024.broken",
        title="t",
        source=Source("mm2024own", "Lemma 2"),
        statement="s",
        conclusion=my_broken_bound,
        checks=(ExactCheck("exact", lambda rng, k: [{"x": 0.0}]),),
    )
    res = run_check(claim, claim.checks[0], Context())
    assert res.status is Status.ERROR and "ZeroDivisionError" in res.note
    assert "my_broken_bound" in res.traceback and "1.0 / inst" in res.traceback


def test_pytest_collects_own_claims_named_in_the_ini(pytester) -> None:  # type: ignore[no-untyped-def]
    """``verifythm_import`` in the project's ini: plain ``pytest`` collects and runs the claims."""
    _package(pytester.path)
    pytester.makeini("[pytest]\nverifythm_import = mytheorems\n")
    res = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--collect-only", "-q", "mytheorems")
    ids = [ln for ln in res.stdout.lines if "::" in ln]
    assert ids == ["mytheorems/mm2024.py::mm2024.lemma1[exact]"], res.stdout.str()
    run = pytester.runpytest_subprocess("-p", "no:cacheprovider", "mytheorems")
    assert run.ret == 0, run.stdout.str()
    run.assert_outcomes(passed=1)


def test_pytest_collects_a_dotted_name_whose_package_is_installed_elsewhere(pytester) -> None:  # type: ignore[no-untyped-def]
    """A non-editable install: ``verifythm_import = mytheorems.mm2024`` imports the installed copy
    while pytest walks the local folder; the local file is collected under that name (it used
    to collect nothing, silently), with a warning once the local copy differs."""
    _package(pytester.path)
    site = pytester.mkdir("site")
    _package(site)  # the "installed" copy, first on sys.path
    pytester.makeini("[pytest]\npythonpath = site\nverifythm_import = mytheorems.mm2024\n")
    res = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "mytheorems")
    assert res.ret == 0, res.stdout.str()
    res.assert_outcomes(passed=1)
    (pytester.path / "mytheorems" / "mm2024.py").write_text(
        (pytester.path / "mytheorems" / "mm2024.py").read_text() + "# a local edit\n"
    )
    res = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "mytheorems")
    assert res.ret == 0 and "collected from the installed copy" in res.stdout.str(), res.stdout.str()


def test_pytest_option_imports_a_loose_file_and_refuses_a_bad_entry(pytester) -> None:  # type: ignore[no-untyped-def]
    own = pytester.path / "loose"
    own.mkdir()
    (own / "helpers.py").write_text("def double(x):\n    return 2 * x\n")
    (own / "mine.py").write_text(
        textwrap.dedent(CLAIM_MODULE.format(helper_import="from helpers import double"))
    )
    res = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--verifythm-import", "loose/mine.py", "loose"
    )
    res.assert_outcomes(passed=1)
    bad = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--verifythm-import", "nothing_here", "loose"
    )
    assert bad.ret == 4 and "verifythm_import: cannot import 'nothing_here'" in bad.stderr.str()


def test_pytest_bibliography_option_checks_every_source_key(pytester, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``verifythm_bib`` (rootdir-relative) or ``--verifythm-bib``: an unknown key is one error line."""
    _package(pytester.path)
    pytester.makeini("[pytest]\nverifythm_import = mytheorems\nverifythm_bib = refs.bib\n")
    sub = pytester.mkdir("elsewhere")
    monkeypatch.chdir(sub)  # the ini's path is relative to the rootdir, not to where pytest runs

    def run(*args: str):  # type: ignore[no-untyped-def]
        res = pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, "../mytheorems")
        text = res.stdout.str() + res.stderr.str()
        assert "Traceback" not in text, text
        return res

    unreadable = run()
    assert unreadable.ret == pytest.ExitCode.USAGE_ERROR
    assert (
        unreadable.stderr.lines[0].startswith("ERROR: verifythm_bib: ")
        and "cannot read it" in unreadable.stderr.str()
    )

    (pytester.path / "refs.bib").write_text(BIB.replace("mm2024own", "someone2020else"))
    unknown = run()
    assert unknown.ret == pytest.ExitCode.USAGE_ERROR
    assert [ln for ln in unknown.stderr.lines if ln.strip()] == [
        "ERROR: verifythm_bib: source key 'mm2024own' of claim mm2024.lemma1 is in neither refs.bib "
        "nor verifythm's references.bib"
    ]

    (sub / "own.bib").write_text(BIB)  # the command line wins over the ini, relative to the current directory
    given = run("--verifythm-bib", "own.bib")
    given.assert_outcomes(passed=1)
    assert any(
        ln.startswith("verifythm:") and ln.endswith("bibliography: own.bib") for ln in given.stdout.lines
    )
    bad = run("--verifythm-bib", "nothing.bib")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR and "ERROR: --verifythm-bib: " in bad.stderr.str()
