"""The registry (discovery, selection, close matches) and the command-line interface."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from support import REPO_ROOT

import verifythm
from verifythm import Claim, Registry, Source, UnknownClaimError, default_registry
from verifythm.claims.citations import bibliography, cite, parse_bibtex
from verifythm.claims.registry import catalogue_packages, claims_of_module
from verifythm.cli import main

ROOT = REPO_ROOT

REQUIRED_IDS = [
    "wu2022.lemma_g1",
    "wu2022.lemma_g2.part1",
    "wu2022.lemma_g2.part2",
    "wu2022.lemma_g2.identity",
    "wu2022.lemma3_2",
    "wu2022.eq10.fisher",
    "wu2022.eq10.sigma",
    "wu2022.eq10.sigma.as_proved",
    "wu2022.eq10.cross",
    "wu2022.lemma2_2",
]
CLAIM_KEYS = {"id", "title", "source", "kind", "expected", "status", "checks", "counterexample"}
CHECK_KEYS = {"name", "method", "status", "instances", "hypotheses_met", "worst_slack", "duration_s", "note"}


def _claim(cid: str) -> Claim:
    return Claim(id=cid, title=cid, source=Source("wu2022alignment", "x"), statement="s")


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    rc = main(argv, out=out)
    return rc, out.getvalue()


# -- Registry --------------------------------------------------------------------------------------
def test_registry_select_and_get() -> None:
    ids = ["p.a", "p.a.b", "p.a.c", "p.ab", "q.x"]
    reg = Registry(_claim(i) for i in ids)
    assert len(reg) == 5 and "p.a" in reg and "p.z" not in reg
    assert [c.id for c in reg] == ids
    assert [c.id for c in reg.select()] == ids
    assert [c.id for c in reg.select(["p.a"])] == ["p.a"]  # exactly the claim asked for
    assert [c.id for c in reg.select(["p.a"], prefix=True)] == ["p.a", "p.a.b", "p.a.c"]  # not p.ab
    assert [c.id for c in reg.select(["p"], prefix=True)] == ["p.a", "p.a.b", "p.a.c", "p.ab"]
    assert [c.id for c in reg.select(["p.a*"])] == ["p.a", "p.a.b", "p.a.c", "p.ab"]
    assert [c.id for c in reg.select(["p.a.*"])] == ["p.a.b", "p.a.c"]
    assert [c.id for c in reg.select(["q.x", "p.a.b", "p.a"], prefix=True)] == [
        "q.x",
        "p.a.b",
        "p.a",
        "p.a.c",
    ]
    with pytest.raises(UnknownClaimError, match="ask for 'p\\*' or pass --prefix"):
        reg.select(["p"])  # selecting a whole group is never silent
    assert reg.get("p.ab").id == "p.ab"
    with pytest.raises(UnknownClaimError):
        reg.select(["p.a", "nope.x"])


def test_registry_rejects_duplicate_ids() -> None:
    reg = Registry([_claim("p.a")])
    with pytest.raises(ValueError, match=r"p\.a"):
        reg.add(_claim("p.a"), "mod")


def test_unknown_claim_error_lists_close_matches() -> None:
    reg = default_registry()
    with pytest.raises(UnknownClaimError) as info:
        reg.get("wu2022.lemma_g")
    err = info.value
    assert isinstance(err, KeyError)
    assert err.claim_id == "wu2022.lemma_g"
    assert "wu2022.lemma_g1" in err.matches
    assert "close matches" in str(err) and "wu2022.lemma_g1" in str(err)
    assert "verifythm list" in str(err)
    with pytest.raises(UnknownClaimError) as info:
        reg.select(["zzzzzz.qqqq"])
    assert info.value.matches == [] and "close matches" not in str(info.value)


def test_default_registry_contains_the_catalogue() -> None:
    reg = default_registry()
    assert default_registry() is reg  # cached
    for cid in REQUIRED_IDS:
        assert cid in reg, cid
        assert reg.module_of(cid).startswith("verifythm_theorems.wu2022alignment.")
    assert reg.get("wu2022.eq10.sigma").expected.is_failure
    assert not reg.get("wu2022.eq10.sigma.as_proved").expected.is_failure
    assert "verifythm_theorems" in catalogue_packages()
    assert not any(c.id.startswith("template.") for c in reg)  # _template.py is skipped


def test_every_source_key_is_in_the_bibliography() -> None:
    bib = bibliography()
    for c in default_registry():
        assert c.source.key in bib, c.id
        assert c.source.locator.strip(), c.id
        assert cite(c).startswith(bib[c.source.key])
    assert bib["wu2022alignment"].startswith("@inproceedings{wu2022alignment,")


def test_parse_bibtex() -> None:
    text = "@article{a1,\n title={X},\n}\n\n@book{ b2 ,\n title={Y}}\n"
    bib = parse_bibtex(text)
    assert list(bib) == ["a1", "b2"]
    assert bib["a1"].startswith("@article{a1,") and "X" in bib["a1"] and "Y" not in bib["a1"]


def test_cite_unknown_key() -> None:
    with pytest.raises(KeyError, match=r"source\.key"):
        cite(Claim(id="a.b", title="t", source=Source("nobody1999", "Lemma 1"), statement="s"))


def test_claims_of_module() -> None:
    c1, c2 = _claim("m.one"), _claim("m.two")
    mod = types.ModuleType("fake_catalogue")
    mod.CLAIM = c1  # type: ignore[attr-defined]
    mod.CLAIMS = [c1, c2]  # type: ignore[attr-defined]
    assert claims_of_module(mod) == [c1, c2]  # CLAIM listed again in CLAIMS is not duplicated
    bad = types.ModuleType("bad_catalogue")
    bad.CLAIMS = [c1, "not a claim"]  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="CLAIMS"):
        claims_of_module(bad)
    assert claims_of_module(types.ModuleType("empty")) == []


# -- CLI: list / cite ----------------------------------------------------------------------------------
def test_cli_list_json() -> None:
    rc, out = _run(["list", "--json"])
    assert rc == 0
    doc = json.loads(out)
    ids = [d["id"] for d in doc]
    assert set(REQUIRED_IDS) <= set(ids)
    assert ids == [c.id for c in default_registry()]
    from verifythm.claims.citations import bibliography

    keys = set(bibliography())
    for d in doc:
        assert d["source"]["key"] in keys
        assert d["source"]["locator"]
        assert {"title", "kind", "expected", "checks", "module"} <= set(d)
    g1 = next(d for d in doc if d["id"] == "wu2022.lemma_g1")
    assert g1["source"]["locator"] == "Lemma G.1"
    assert [k["name"] for k in g1["checks"]] == ["symbolic", "exact", "property"]
    sigma = next(d for d in doc if d["id"] == "wu2022.eq10.sigma")
    assert sigma["expected"] == "fails" and sigma["erratum"]


def test_cli_list_text_and_prefix() -> None:
    rc, out = _run(["list", "wu2022.lemma_g2", "--prefix"])
    assert rc == 0
    lines = out.strip().splitlines()
    assert [ln.split()[0] for ln in lines[:-1]] == [
        "wu2022.lemma_g2.part1",
        "wu2022.lemma_g2.identity",
        "wu2022.lemma_g2.part2",
    ]
    assert lines[-1] == "3 claim(s)"
    assert "[wu2022alignment, Lemma G.2]" in out


def test_cli_cite() -> None:
    rc, out = _run(["cite", "wu2022.lemma_g1"])
    assert rc == 0
    assert "@inproceedings{wu2022alignment" in out
    assert "Lemma G.1" in out
    assert "% wu2022.lemma_g1: Lemma G.1 of [wu2022alignment]" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "wu2022.nonexistent", "-q"],
        ["list", "wu2022.lemma_g"],
        ["cite", "nope.nothing"],
    ],
)
def test_cli_unknown_id_is_a_usage_error(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if argv[0] == "check":
        argv = [*argv, "--report-dir", str(tmp_path)]
    rc, _ = _run(argv)
    assert rc == 2
    err = capsys.readouterr().err
    assert "unknown claim id" in err
    if argv[1] == "wu2022.lemma_g":
        assert "wu2022.lemma_g1" in err  # close match offered
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "wu2022.lemma_g1", "--profile", "bogus"],
        ["check", "wu2022.lemma_g1", "--seed", "-3"],
        ["frobnicate"],
        [],
        ["reproduce", "/nonexistent/file.npz"],
    ],
)
def test_cli_usage_errors(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if argv[:1] == ["check"]:
        argv = [*argv, "--report-dir", str(tmp_path), "-q"]
    assert _run(argv)[0] == 2
    assert capsys.readouterr().err


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["--version"])[0] == 0
    assert verifythm.__version__ in capsys.readouterr().out


# -- CLI: check ---------------------------------------------------------------------------------------
def test_cli_check_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report, reports = tmp_path / "run.json", tmp_path / "reports"
    rc, out = _run(["check", "wu2022.lemma_g1", "--json", str(report), "--report-dir", str(reports), "-q"])
    assert rc == 0, out
    assert capsys.readouterr().err == ""  # -q: no progress lines
    assert "wu2022.lemma_g1" in out and "verified" in out and f"report written to {report}" in out
    doc = json.loads(report.read_text("utf-8"))
    assert set(doc) == {"verifythm_version", "profile", "seed", "started", "duration_s", "claims"}
    assert doc["verifythm_version"] == verifythm.__version__
    assert doc["profile"] == "quick" and doc["seed"] == 20221
    assert dt.datetime.fromisoformat(doc["started"]).tzinfo is not None
    assert isinstance(doc["duration_s"], float) and doc["duration_s"] >= 0
    (claim,) = doc["claims"]
    assert CLAIM_KEYS <= set(claim)
    assert claim["id"] == "wu2022.lemma_g1"
    assert claim["source"] == {"key": "wu2022alignment", "locator": "Lemma G.1", "page": None}
    assert claim["kind"] == "inequality" and claim["expected"] == "holds"
    assert claim["status"] == "verified" and claim["counterexample"] is None
    assert [c["name"] for c in claim["checks"]] == ["symbolic", "exact", "property"]
    for chk in claim["checks"]:
        assert CHECK_KEYS <= set(chk)
        assert chk["status"] == "verified"
        assert chk["instances"] >= chk["hypotheses_met"] > 0
        assert chk["duration_s"] >= 0 and isinstance(chk["note"], str)
    assert not reports.exists() or list(reports.iterdir()) == []  # no counterexample, no report

    # a second run to the same file without --overwrite is refused and changes nothing
    before = report.read_bytes()
    rc, _ = _run(["check", "wu2022.lemma_g1", "--json", str(report), "--report-dir", str(reports), "-q"])
    assert rc == 2
    assert "--overwrite" in capsys.readouterr().err
    assert report.read_bytes() == before
    # with --overwrite it is replaced
    rc, _ = _run(
        [
            "check",
            "wu2022.lemma_g1",
            "--json",
            str(report),
            "--report-dir",
            str(reports),
            "-q",
            "--overwrite",
            "--seed",
            "7",
        ]
    )
    assert rc == 0
    assert json.loads(report.read_text("utf-8"))["seed"] == 7
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["run.json"]


def test_cli_check_progress_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _ = _run(["check", "wu2022.lemma_g2.part1", "--report-dir", str(tmp_path)])
    assert rc == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert "wu2022.lemma_g2.part1::exact" in err[0] and "verified" in err[0]
    assert err[1].startswith("[2/2]")


def test_cli_check_expected_failure_is_as_expected(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    report = tmp_path / "sigma.json"
    rc, out = _run(
        [
            "check",
            "wu2022.eq10.sigma",
            "wu2022.eq10.sigma.*",
            "--json",
            str(report),
            "--report-dir",
            str(reports),
            "-q",
        ]
    )
    assert rc == 0, out
    assert "UNEXPECTED" not in out
    doc = json.loads(report.read_text("utf-8"))
    by_id = {c["id"]: c for c in doc["claims"]}
    assert set(by_id) == {"wu2022.eq10.sigma", "wu2022.eq10.sigma.as_proved"}  # glob selection
    sigma = by_id["wu2022.eq10.sigma"]
    assert sigma["status"] == "counterexample" and sigma["expected"] == "fails"
    assert sigma["erratum"]
    ce = sigma["counterexample"]
    assert Path(ce["report"]).is_file() and Path(ce["instance"]).is_file()
    assert ce["reproduce"].startswith("verifythm reproduce ")
    assert "--import" not in ce["reproduce"]  # a catalogue claim needs no --import
    assert by_id["wu2022.eq10.sigma.as_proved"]["status"] == "verified"
    # the saved erratum instance reproduces through the CLI
    rc, out = _run(["reproduce", ce["instance"]])
    assert rc == 1 and "VIOLATED" in out


def test_cli_check_unexpected_counterexample_exits_1(tmp_path: Path, planted_path: Path) -> None:
    rc, out = _run(
        [
            "check",
            "planted.lemma_g2_part2_bound_09",
            "--import",
            str(planted_path),
            "--report-dir",
            str(tmp_path),
            "-q",
        ]
    )
    assert rc == 1
    assert "UNEXPECTED: planted.lemma_g2_part2_bound_09 is counterexample, expected holds" in out
    assert "report: " in out
    assert list(tmp_path.glob("*.md")) and list(tmp_path.glob("*.npz"))


def test_cli_import_errors(tmp_path: Path) -> None:
    assert _run(["list", "--import", str(tmp_path / "missing.py")])[0] == 2
    assert _run(["list", "--import", "no_such_module_xyz"])[0] == 2


def test_cli_reproduce_rejects_foreign_npz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import numpy as np

    path = tmp_path / "plain.npz"
    np.savez(path, x=np.arange(3.0))
    assert _run(["reproduce", str(path)])[0] == 2
    assert "does not name its claim" in capsys.readouterr().err


def test_every_expected_failure_ships_its_instance_as_package_data() -> None:
    from verifythm.report.counterexample import saved_instances

    reg = default_registry()
    failures = [c for c in reg if c.expected.report]
    assert failures
    for c in failures:
        found = saved_instances(c, reg.module_of(c.id))
        # found in the catalogue package (theorems/_errata, the wheel's package data) ...
        assert [p.parent.name for p in found] == ["_errata"], (c.id, found)
        # ... and it is the committed instance next to the report
        assert found[0].resolve() == (ROOT / c.expected.report).with_suffix(".npz").resolve()


def test_cli_reproduce_by_claim_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)  # no checkout in sight: the instance comes with the package
        rc, text = _run(["reproduce", "wu2022.eq10.sigma"])
        assert rc == 1 and "VIOLATED" in text
        assert _run(["reproduce", "wu2022.thm3_3"])[0] == 2  # holds: nothing saved
        assert "ships no saved counterexample" in capsys.readouterr().err
        assert _run(["reproduce", "no.such.claim"])[0] == 2
        assert "no such file or claim id 'no.such.claim'" in capsys.readouterr().err


# -- the catalogue is available from any directory -------------------------------------------------------
def _console_script() -> str:
    script = Path(sys.executable).with_name("verifythm")
    if script.is_file():
        return str(script)
    found = shutil.which("verifythm")
    assert found, "the verifythm console script is not installed"
    return found


def test_console_script_lists_claims_from_any_directory(tmp_path: Path) -> None:
    proc = subprocess.run(
        [_console_script(), "list"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    for cid in REQUIRED_IDS:
        assert cid in proc.stdout
    assert f"{len(default_registry())} claim(s)" in proc.stdout
    proc = subprocess.run(
        [_console_script(), "cite", "wu2022.lemma_g1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "@inproceedings{wu2022alignment" in proc.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written to the working directory


def test_cli_torch_backend_needs_torch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("torch is installed here")
    rc, _ = _run(["check", "wu2022.lemma_g1", "--backend", "torch", "--report-dir", str(tmp_path), "-q"])
    assert rc == 2
    assert "torch" in capsys.readouterr().err


def _verdicts(doc: dict) -> list[tuple]:
    """What a run decided, without its timings or file paths (numbers to 9 digits: a reduction's
    last bits may depend on the memory alignment numpy happens to get in a process)."""

    def rounded(v: object) -> object:
        if isinstance(v, float):
            return float(f"{v:.9g}")
        if isinstance(v, dict):
            return {k: rounded(x) for k, x in sorted(v.items())}
        if isinstance(v, list | tuple):
            return [rounded(x) for x in v]
        return v

    rows = []
    for c in doc["claims"]:
        checks = [{k: v for k, v in ch.items() if k != "duration_s"} for ch in c["checks"]]
        ce = c["counterexample"]
        ce = ce and [ce["violation"], ce["instance_values"]]
        rows.append(rounded([c["id"], c["status"], c["as_expected"], checks, ce]))
    return rows


def test_cli_check_jobs_give_the_same_verdicts(tmp_path: Path, planted_path: Path) -> None:
    """Worker processes change the wall time only: same verdicts, numbers and reports, claim order kept."""
    ids = ["wu2022.eq10.sigma", "wu2022.eq10.sigma.*", "wu2022.lemma_g1", "planted.lemma_g2_part2_bound_09"]
    docs = {}
    for jobs in ("1", "2"):
        out_dir = tmp_path / f"j{jobs}"
        rc, out = _run(
            [
                "check",
                *ids,
                "--import",
                str(planted_path),
                "--jobs",
                jobs,
                "--json",
                str(out_dir / "run.json"),
                "--report-dir",
                str(out_dir / "reports"),
                "-q",
            ]
        )
        assert rc == 1, out  # the planted claim is an unexpected counterexample
        assert "UNEXPECTED: planted.lemma_g2_part2_bound_09" in out
        docs[jobs] = json.loads((out_dir / "run.json").read_text("utf-8"))
        names = sorted(p.name for p in (out_dir / "reports").iterdir())
        assert len([n for n in names if n.endswith(".md")]) == 2  # one report per failing claim
    assert [c["id"] for c in docs["2"]["claims"]] == [c["id"] for c in docs["1"]["claims"]]
    assert _verdicts(docs["2"]) == _verdicts(docs["1"])


def test_cli_check_jobs_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["check", "wu2022.lemma_g1", "--jobs", "0", "--report-dir", str(tmp_path)])[0] == 2
    assert "--jobs" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


_DIES_IN_A_WORKER = '''
import multiprocessing
import os

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Source


def _bounded(inst):
    if multiprocessing.parent_process() is not None:  # a worker: die as a segfault would
        os._exit(3)
    x = float(np.abs(inst["x"]).max())
    return Comparison(x, x + 1.0, "<=")


CLAIM = Claim(
    id="crashy.bounded",
    title="max|x| <= max|x| + 1",
    source=Source("wu2022alignment", "worker crash test"),
    statement="$a \\\\le a + 1$.",
    conclusion=_bounded,
    checks=(ExactCheck("exact", lambda rng, k: [{"x": rng.standard_normal(3)} for _ in range(k)]),),
)
'''


def test_cli_check_jobs_survive_a_worker_that_dies(tmp_path: Path) -> None:
    """A worker that dies mid-run (a crash in compiled code) breaks the pool; its claims, and any
    not yet run, are run in the parent instead of waiting for it forever."""
    mod = tmp_path / "crashy.py"
    mod.write_text(_DIES_IN_A_WORKER)
    rc, out = _run(
        [
            "check",
            "crashy.bounded",
            "wu2022.lemma_g1",
            "--import",
            str(mod),
            "--jobs",
            "2",
            "--report-dir",
            str(tmp_path / "reports"),
            "-q",
        ]
    )
    assert rc == 0, out
    assert "2 claim(s): 2 verified" in out
