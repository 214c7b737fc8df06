"""The pytest plugin: one item per (claim, check), strict xfail for errata, a per-claim table."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import REPO_ROOT

CATALOGUE = REPO_ROOT / "theorems" / "wu2022alignment"


@pytest.fixture(autouse=True)
def _wide_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner runs render for 200 columns, whatever width the outer run's worker was given."""
    monkeypatch.setenv("COLUMNS", "200")


def _run(pytester: pytest.Pytester, *args: str, workers: str = "0") -> pytest.RunResult:
    """An inner pytest run of catalogue files (in one process unless ``workers`` says otherwise)."""
    reports = pytester.path / "reports"
    return pytester.runpytest_subprocess(
        *args, "-p", "no:cacheprovider", "-n", workers, f"--verifythm-report-dir={reports}", timeout=300
    )


def test_items_are_claim_checks(pytester: pytest.Pytester) -> None:
    res = _run(pytester, str(CATALOGUE / "lemma_g1.py"), "--collect-only", "-q")
    assert res.ret == 0, res.stdout.str()
    ids = [ln for ln in res.stdout.lines if "::" in ln]
    assert [i.split(".py::", 1)[1] for i in ids] == [
        "wu2022.lemma_g1[symbolic]",
        "wu2022.lemma_g1[exact]",
        "wu2022.lemma_g1[property]",
    ]
    assert all(i.endswith(".py::" + i.split(".py::", 1)[1]) for i in ids)


def test_printed_node_ids_select_their_items(pytester: pytest.Pytester) -> None:
    """The node id pytest prints can be passed back; the items carry the ``verifythm`` marker."""
    node = f"{CATALOGUE / 'lemma_g1.py'}::wu2022.lemma_g1[exact]"
    res = _run(pytester, node, "--collect-only", "-q")
    assert res.ret == 0, res.stdout.str()
    ids = [ln for ln in res.stdout.lines if "::" in ln]
    assert len(ids) == 1 and ids[0].endswith("lemma_g1.py::wu2022.lemma_g1[exact]")
    marked = _run(pytester, str(CATALOGUE / "lemma_g1.py"), "-m", "verifythm", "--collect-only", "-q")
    assert sum("::" in ln for ln in marked.stdout.lines) == 3


def test_an_old_id_still_selects_a_renamed_claim(pytester: pytest.Pytester) -> None:
    """``-k <id before the rename>`` selects the claim that now has another id (its alias)."""
    path = str(CATALOGUE / "sec3_3.py")
    res = _run(pytester, path, "-k", "wu2022.section3_3.aware", "--collect-only", "-q")
    ids = [ln for ln in res.stdout.lines if "::" in ln]
    assert ids and all("::wu2022.sec3_3.aware[" in i for i in ids), res.stdout.str()


def test_run_prints_per_claim_verdicts(pytester: pytest.Pytester) -> None:
    res = _run(pytester, str(CATALOGUE / "lemma_g1.py"))
    res.assert_outcomes(passed=3)
    out = res.stdout.str()
    assert "verifythm: per-claim verdicts" in out
    res.stdout.fnmatch_lines(
        [
            "claim*source*status*expected*region*worst slack*ratio",
            "wu2022.lemma_g1  wu2022alignment Lemma G.1  verified  holds *",
            "1 claim(s): 1 verified, 0 counterexample, 0 inconclusive, 0 vacuous, 0 error, 0 skipped; "
            "0 unexpected verdict(s)",
            "profile quick, seed 20221; worst slack is relative*",
        ]
    )
    table = out[out.index("per-claim verdicts") :].splitlines()[1:]
    assert (
        max(len(ln) for ln in table[: table.index(next(ln for ln in table if ln.startswith("profile")))])
        <= 120
    )
    assert not (pytester.path / "reports").exists()


def test_erratum_is_a_strict_expected_failure(pytester: pytest.Pytester) -> None:
    res = _run(pytester, str(CATALOGUE / "eq10.py"), "-rx")
    res.assert_outcomes(passed=12, xfailed=3)
    out = res.stdout.str()
    assert out.count("XFAIL") >= 3 and "typo:" in out  # the xfail reason names the finding category
    res.stdout.fnmatch_lines(["*wu2022.eq10.sigma *counterexample*fails*"])
    assert "5 claim(s): 4 verified, 1 counterexample, 0 inconclusive, 0 vacuous, 0 error, 0 skipped; " in out


def test_profile_option_is_validated(pytester: pytest.Pytester) -> None:
    res = _run(pytester, str(CATALOGUE / "lemma_g2.py"), "--verifythm-profile=bogus")
    assert res.ret != 0
    assert "profile" in res.stderr.str() + res.stdout.str()


def test_bad_profile_is_a_usage_error(pytester: pytest.Pytester) -> None:
    res = _run(pytester, str(CATALOGUE / "lemma_g2.py"), "--verifythm-seed=-1")
    assert res.ret == pytest.ExitCode.USAGE_ERROR


def test_header_states_profile_seed_backend_and_catalogues(pytester: pytest.Pytester) -> None:
    res = pytester.runpytest_subprocess(
        str(CATALOGUE / "lemma_g1.py"), "--collect-only", "--verifythm-seed=7", "-p", "no:cacheprovider"
    )
    assert res.ret == 0
    line = next(ln for ln in res.stdout.lines if ln.startswith("verifythm:"))
    assert "profile quick, seed 7, backend numpy" in line and "catalogues: verifythm_theorems" in line


def test_verifythm_json_matches_the_cli_report(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """``--verifythm-json`` writes the document ``verifythm check --json`` writes, for the same claims."""
    import io
    import json

    from verifythm.cli import main

    out = pytester.path / "run.json"
    res = _run(pytester, str(CATALOGUE / "lemma_g1.py"), f"--verifythm-json={out}")
    assert res.ret == 0, res.stdout.str()
    doc = json.loads(out.read_text())
    cli_json, printed = tmp_path / "cli.json", io.StringIO()
    assert main(["check", "wu2022.lemma_g1", "--json", str(cli_json), "-q"], out=printed) == 0
    # the same table: header, row and counts (one renderer, verifythm.report.table)
    cli_table = printed.getvalue().splitlines()[:4]
    assert cli_table[2].startswith("wu2022.lemma_g1 ") and cli_table[3].startswith("1 claim(s): ")
    start = res.stdout.lines.index(cli_table[0])
    assert res.stdout.lines[start : start + 4] == cli_table
    ref = json.loads(cli_json.read_text())
    assert set(doc) == set(ref) and doc["seed"] == ref["seed"] and doc["profile"] == ref["profile"]
    (mine,), (theirs,) = doc["claims"], ref["claims"]
    assert set(mine) == set(theirs) and mine["status"] == theirs["status"] == "verified"
    assert [(c["name"], c["status"], set(c)) for c in mine["checks"]] == [
        (c["name"], c["status"], set(c)) for c in theirs["checks"]
    ]
    again = _run(pytester, str(CATALOGUE / "lemma_g1.py"), f"--verifythm-json={out}")
    assert again.ret == 4 and "--verifythm-json" in again.stderr.str()  # never silently overwritten


def test_xdist_workers_give_the_same_report(pytester: pytest.Pytester) -> None:
    """Under ``-n 2`` the items finish in any order; the JSON document (claims, their checks in the
    claim's order, verdicts) is the one a single process writes."""
    import json

    docs = []
    for workers in ("0", "2"):
        out = pytester.path / f"run{workers}.json"
        res = _run(pytester, str(CATALOGUE / "eq10.py"), f"--verifythm-json={out}", workers=workers)
        res.assert_outcomes(passed=12, xfailed=3)
        docs.append(json.loads(out.read_text()))

    def decided(doc: dict) -> list:
        return [
            (c["id"], c["status"], [(k["name"], k["status"], k["instances"]) for k in c["checks"]])
            for c in doc["claims"]
        ]

    assert decided(docs[1]) == decided(docs[0])
    assert [k["name"] for k in docs[1]["claims"][0]["checks"]] == ["symbolic", "exact", "property"]
