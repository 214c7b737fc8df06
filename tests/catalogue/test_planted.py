"""The framework catches false claims.

Deliberately false variants of real catalogue claims (``tests/planted.py``) must be
reported as counterexamples, with a small instance, a Markdown report, an ``.npz``
instance that loads without pickle, and a reproduce command that replays the
violation -- while the original (true) claim holds on the very same instance.
"""

from __future__ import annotations

import io
import os
import shlex
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import planted
import pytest
import sympy as sp

from verifythm import (
    Claim,
    Context,
    Identity,
    Nonnegative,
    Registry,
    Source,
    Status,
    SymbolicCheck,
)
from verifythm.cli import main
from verifythm.evidence.numeric import instance_size
from verifythm.report.counterexample import read_counterexample
from verifythm.runner import ClaimResult, run_claim
from verifythm.strategies.families.legacy import random_psd

NUMERIC_IDS = [c.id for c in planted.NUMERIC]


@pytest.fixture(scope="module")
def registry() -> Registry:
    reg = Registry()
    for c in planted.CLAIMS:
        reg.add(c, "planted")
    return reg


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("planted-reports")


@pytest.fixture(scope="module")
def results(registry: Registry, report_dir: Path) -> dict[str, ClaimResult]:
    """Every planted claim run once with the quick profile (deterministic seed)."""
    return {c.id: run_claim(c, Context(), report_dir=report_dir, registry=registry) for c in planted.CLAIMS}


def _claim(cid: str) -> Claim:
    return next(c for c in planted.CLAIMS if c.id == cid)


def _check_result(res: ClaimResult, name: str) -> Any:
    return next(r for r in res.checks if r.name == name)


# -- the planted claims are what they say they are ---------------------------------------------
def test_planted_ids_are_new_and_checks_numeric() -> None:
    catalogue_ids = {planted.G1.id, planted.L22.id, planted.G2_PART2.id, planted.L32.id}
    assert not catalogue_ids & {c.id for c in planted.CLAIMS}
    for c in planted.NUMERIC:
        assert [k.name for k in c.checks] == ["exact", "property"]
        original = planted.ORIGINAL_OF[c.id]
        assert c.hypotheses == original.hypotheses
        assert c.tolerance == original.tolerance
        assert c.source == original.source
        assert c.precise_conclusion is not None


def test_planted_conclusions_differ_only_by_the_planted_factor() -> None:
    rng = np.random.default_rng(7)
    for _ in range(5):
        H = random_psd(rng, 3, rank=2)
        inst = {"H": H, "a": 1.3, "b": 0.7}
        orig, new = planted.G1.evaluate(inst), planted.G1_PLANTED.evaluate(inst)
        assert new.lhs == orig.lhs
        assert new.rhs == pytest.approx(0.9 * orig.rhs, rel=1e-15)
        inst = {"H": H, "eta": 1.0 / float(np.linalg.eigvalsh(H)[-1])}
        assert planted.G2_PLANTED.evaluate(inst).lhs == planted.G2_PART2.evaluate(inst).lhs
        assert planted.G2_PLANTED.evaluate(inst).rhs == 0.9
    # Lemma 3.2: with factor 1 the planted formula is the catalogue's conclusion.
    gen = planted.L32.check("exact").generate
    for inst in gen(np.random.default_rng(3), 10):
        ref = planted.L32.evaluate(inst)
        mine = planted.l32_sides(inst, 1.0)
        assert mine.lhs == pytest.approx(ref.lhs, rel=1e-12, abs=1e-14)
        assert mine.rhs == pytest.approx(ref.rhs, rel=1e-12, abs=1e-14)
        assert planted.l32_sides(inst, 1.0, exact=True).holds(planted.L32.tolerance)


# -- numeric planted claims ----------------------------------------------------------------------
@pytest.mark.parametrize("cid", NUMERIC_IDS)
def test_planted_claim_is_a_counterexample(results: dict[str, ClaimResult], cid: str) -> None:
    res = results[cid]
    assert res.status is Status.COUNTEREXAMPLE
    assert not res.as_expected  # a counterexample to a claim expected to hold
    for r in res.checks:  # both pieces of numeric evidence see the planted error
        assert r.status is Status.COUNTEREXAMPLE, (r.name, r.note)
        assert r.violation is not None and r.violation.is_claim_instance
        assert r.hypotheses_met > 0


@pytest.mark.parametrize("cid", NUMERIC_IDS)
def test_counterexample_files(results: dict[str, ClaimResult], report_dir: Path, cid: str) -> None:
    ce = results[cid].counterexample
    assert ce is not None
    report, npz = Path(ce["report"]), Path(ce["instance"])
    assert report.suffix == ".md" and report.is_file()
    assert npz.suffix == ".npz" and npz.is_file()
    assert report.parent == npz.parent == report_dir
    assert ce["reproduce"].startswith("verifythm reproduce ")
    assert str(npz) in ce["reproduce"]
    assert ce["reproduce"].endswith("--import planted")  # not a catalogue module
    assert ce["violation"]
    with np.load(npz, allow_pickle=False) as z:
        assert str(z["__vt_claim"]) == cid
        assert all(z[k].dtype != object for k in z.files)
    inst, meta = read_counterexample(npz)
    assert meta["claim"] == cid
    assert meta["kind"] == "instance"
    assert meta["check"] in ("exact", "property")
    assert set(inst) == set(ce["instance_values"])


@pytest.mark.parametrize("cid", NUMERIC_IDS)
def test_reported_instance_is_small(results: dict[str, ClaimResult], cid: str) -> None:
    inst, _ = read_counterexample(results[cid].counterexample["instance"])  # type: ignore[index]
    arr = inst["Q"] if "Q" in inst else inst["H"]
    assert max(arr.shape) <= 2
    # the smallest violating instance over all checks is the one reported
    sizes = [instance_size(r.violation.instance) for r in results[cid].checks if r.violation]
    assert instance_size(inst) == min(sizes)


@pytest.mark.parametrize("cid", NUMERIC_IDS)
def test_reported_instance_violates_planted_but_not_original(
    results: dict[str, ClaimResult], cid: str
) -> None:
    claim, original = _claim(cid), planted.ORIGINAL_OF[cid]
    inst, _ = read_counterexample(results[cid].counterexample["instance"])  # type: ignore[index]
    assert claim.failed_hypotheses(inst) == []
    cmp = claim.evaluate(inst)
    assert not cmp.holds(claim.tolerance), cmp.describe()
    assert cmp.slack < 0
    assert not claim.precise_conclusion(inst).holds(claim.tolerance)  # type: ignore[misc]
    ocmp = original.evaluate(inst)
    assert ocmp.holds(original.tolerance), ocmp.describe()
    assert original.precise_conclusion(inst).holds(original.tolerance)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("cid", "size"),
    [
        pytest.param(planted.G1_PLANTED.id, lambda inst: inst["H"].shape[0], id="lemma_g1"),
        pytest.param(planted.G2_PLANTED.id, lambda inst: inst["H"].shape[0], id="lemma_g2_part2"),
        pytest.param(planted.L22_PLANTED.id, lambda inst: inst["Q"].shape[1], id="lemma2_2"),
    ],
)
def test_property_violation_is_shrunk(results: dict[str, ClaimResult], cid: str, size: Any) -> None:
    prop = _check_result(results[cid], "property")
    assert prop.status is Status.COUNTEREXAMPLE
    inst = prop.violation.instance
    assert size(inst) <= 2, f"property counterexample not shrunk: {inst}"


@pytest.mark.parametrize("cid", NUMERIC_IDS)
def test_property_violation_is_genuine(results: dict[str, ClaimResult], cid: str) -> None:
    """The (shrunk) property counterexample violates the planted claim and satisfies the original."""
    prop = _check_result(results[cid], "property")
    assert prop.status is Status.COUNTEREXAMPLE
    assert "shrunk by Hypothesis" in prop.note
    inst = prop.violation.instance
    claim, original = _claim(cid), planted.ORIGINAL_OF[cid]
    assert claim.failed_hypotheses(inst) == []
    assert not claim.evaluate(inst).holds(claim.tolerance)
    assert not claim.precise_conclusion(inst).holds(claim.tolerance)  # type: ignore[misc]
    assert original.evaluate(inst).holds(original.tolerance)
    assert prop.violation.precise is not None


@pytest.mark.parametrize("cid", NUMERIC_IDS)
def test_markdown_report(results: dict[str, ClaimResult], cid: str) -> None:
    claim = _claim(cid)
    ce = results[cid].counterexample
    text = Path(ce["report"]).read_text("utf-8")  # type: ignore[index]
    assert f"# Counterexample to `{cid}`" in text
    assert claim.source.locator in text
    assert claim.source.short() in text
    assert "## Reproduce" in text
    assert ce["reproduce"] in text  # type: ignore[index]
    assert "high precision:" in text  # the violation was confirmed by the re-check
    assert "violation confirmed by the high-precision re-check" in text
    for h in claim.hypotheses:
        assert f"- {h.name}: met" in text


@pytest.mark.parametrize("cid", NUMERIC_IDS)
def test_reproduce_in_process(results: dict[str, ClaimResult], planted_path: Path, cid: str) -> None:
    out = io.StringIO()
    npz = results[cid].counterexample["instance"]  # type: ignore[index]
    rc = main(["reproduce", npz, "--import", str(planted_path)], out=out)
    assert rc == 1, out.getvalue()
    assert "VIOLATED" in out.getvalue()
    assert cid in out.getvalue()


def test_reproduce_subprocess(
    results: dict[str, ClaimResult], planted_path: Path, python: str, tmp_path: Path
) -> None:
    npz = results[planted.G1_PLANTED.id].counterexample["instance"]  # type: ignore[index]
    proc = subprocess.run(
        [python, "-m", "verifythm", "reproduce", npz, "--import", str(planted_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "VIOLATED" in proc.stdout
    assert planted.G1_PLANTED.source.short() in proc.stdout


def test_report_reproduce_command_runs_as_written(
    results: dict[str, ClaimResult], planted_path: Path, python: str, tmp_path: Path
) -> None:
    """The command printed in the report replays the violation (module ``planted`` on the path)."""
    cmd = shlex.split(results[planted.L22_PLANTED.id].counterexample["reproduce"])  # type: ignore[index]
    assert cmd[:2] == ["verifythm", "reproduce"]
    env = dict(os.environ, PYTHONPATH=str(planted_path.parent))
    proc = subprocess.run(
        [python, "-m", "verifythm", *cmd[1:]],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "VIOLATED" in proc.stdout


def test_cli_check_with_imported_file_writes_a_working_reproduce_command(
    planted_path: Path, python: str, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    out = io.StringIO()
    rc = main(
        ["check", planted.G2_PLANTED.id, "--import", str(planted_path), "--report-dir", str(reports), "-q"],
        out=out,
    )
    assert rc == 1  # a counterexample to a claim expected to hold
    assert "UNEXPECTED" in out.getvalue()
    (md,) = reports.glob("*.md")
    cmd_line = next(
        line for line in md.read_text("utf-8").splitlines() if line.startswith("verifythm reproduce")
    )
    cmd = shlex.split(cmd_line)
    proc = subprocess.run(
        [python, "-m", "verifythm", *cmd[1:]],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "VIOLATED" in proc.stdout


def test_rerun_reuses_the_identical_report(
    results: dict[str, ClaimResult], registry: Registry, report_dir: Path
) -> None:
    """The run is deterministic, and an identical counterexample is not written twice."""
    first = results[planted.G2_PLANTED.id].counterexample
    assert first is not None
    before = {p.name: p.read_bytes() for p in report_dir.iterdir()}
    again = run_claim(planted.G2_PLANTED, Context(), report_dir=report_dir, registry=registry)
    assert again.status is Status.COUNTEREXAMPLE
    second = again.counterexample
    assert second is not None
    assert second["report"] == first["report"] and second["instance"] == first["instance"]
    assert second["reproduce"] == first["reproduce"]
    assert {p.name: p.read_bytes() for p in report_dir.iterdir()} == before


def test_no_report_dir_means_no_files(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = run_claim(planted.G2_PLANTED, Context(), registry=registry, only=["exact"])
    assert res.status is Status.COUNTEREXAMPLE
    assert [r.name for r in res.checks] == ["exact"]
    ce = res.counterexample
    assert ce is not None and ce["report"] is None and ce["instance"] is None
    assert ce["instance_values"] and ce["violation"]
    assert list(tmp_path.iterdir()) == []


# -- symbolic planted claims ---------------------------------------------------------------------
def _exact(v: float) -> sp.Rational:
    f = Fraction(v).limit_denominator(1000)
    return sp.Rational(f.numerator, f.denominator)


def test_false_identity_has_an_exact_rational_counterexample(
    results: dict[str, ClaimResult], planted_path: Path
) -> None:
    res = results[planted.SYM_FALSE.id]
    assert res.status is Status.COUNTEREXAMPLE
    chk = _check_result(res, "symbolic")
    assert "FALSE at an exact rational point" in chk.note
    viol = chk.violation
    assert viol is not None and not viol.is_claim_instance
    assert set(viol.instance) == {"a", "b"}
    a, b = sp.symbols("a b", real=True)
    point = {a: _exact(viol.instance["a"]), b: _exact(viol.instance["b"])}
    assert ((a + b) ** 2).subs(point) != (a**2 + b**2).subs(point)
    ce = res.counterexample
    assert ce is not None and Path(ce["report"]).is_file() and Path(ce["instance"]).is_file()
    text = Path(ce["report"]).read_text("utf-8")
    assert "not a claim instance" in text and "## Reproduce" in text
    inst, meta = read_counterexample(ce["instance"])
    assert meta["kind"] == "symbolic" and meta["check"] == "symbolic"
    assert inst == viol.instance
    out = io.StringIO()
    rc = main(["reproduce", ce["instance"], "--import", str(planted_path)], out=out)
    assert rc == 1
    assert "symbolic check: counterexample" in out.getvalue()


def test_true_identity_is_proved(results: dict[str, ClaimResult]) -> None:
    res = results[planted.SYM_TRUE.id]
    assert res.status is Status.VERIFIED
    assert res.counterexample is None
    chk = _check_result(res, "symbolic")
    assert chk.note.count(": proved") == 2
    assert "fallback" not in chk.note
    assert chk.instances == 2


def test_false_nonnegative_has_an_exact_counterexample(results: dict[str, ClaimResult]) -> None:
    res = results[planted.SYM_NONNEG_FALSE.id]
    assert res.status is Status.COUNTEREXAMPLE
    viol = _check_result(res, "symbolic").violation
    assert viol is not None
    x = sp.Symbol("x", real=True)
    assert (x**2 - 2 * x).subs(x, _exact(viol.instance["x"])) < 0
    assert viol.comparison is not None and viol.comparison.lhs < 0


def test_nonnegative_decided_false_by_sympy() -> None:
    x = sp.Symbol("x", real=True)
    claim = Claim(
        id="planted.symbolic_negative",
        title="t",
        source=Source("wu2022alignment", "t"),
        statement="−x² − 1 ≥ 0",
        checks=(SymbolicCheck("symbolic", lambda: [Nonnegative(-(x**2) - 1, "−x²−1 ≥ 0")]),),
    )
    res = run_claim(claim, Context())
    assert res.status is Status.COUNTEREXAMPLE


def test_symbolic_to_instance_gives_a_claim_instance(tmp_path: Path) -> None:
    """A failing symbolic point mapped through ``to_instance`` is re-checked as a claim instance."""
    from verifythm import Comparison

    a, b = sp.symbols("a b", real=True)
    claim = Claim(
        id="planted.symbolic_with_instance",
        title="(a+b)² = a²+b²",
        source=Source("wu2022alignment", "t"),
        statement="(a+b)² = a²+b²",
        conclusion=lambda i: Comparison((i["a"] + i["b"]) ** 2, i["a"] ** 2 + i["b"] ** 2, "=="),
        checks=(
            SymbolicCheck(
                "symbolic",
                lambda: [Identity((a + b) ** 2, a**2 + b**2)],
                to_instance=lambda p: {"a": p["a"], "b": p["b"]},
            ),
        ),
        kind="identity",
    )
    res = run_claim(claim, Context(), report_dir=tmp_path)
    assert res.status is Status.COUNTEREXAMPLE
    viol = res.checks[0].violation
    assert viol is not None and viol.is_claim_instance
    assert "as a claim instance" in viol.description
    inst, meta = read_counterexample(res.counterexample["instance"])  # type: ignore[index]
    assert meta["kind"] == "instance"
    assert not claim.evaluate(inst).holds(claim.tolerance)


def test_true_identity_sympy_cannot_simplify_uses_the_fallback() -> None:
    """Regression: at 4da036a an identity sympy could not close was reported as 'sympy decided it
    is false' (a false counterexample); it must go to the rational fallback and be verified."""
    x, y = sp.symbols("x y", real=True)
    claim = Claim(
        id="planted.symbolic_max_min",
        title="max + min = x + y",
        source=Source("wu2022alignment", "t"),
        statement="max(x,y) + min(x,y) = x + y",
        checks=(
            SymbolicCheck(
                "symbolic", lambda: [Identity(sp.Max(x, y) + sp.Min(x, y), x + y, "max + min = x + y")]
            ),
        ),
        kind="identity",
    )
    res = run_claim(claim, Context())
    assert res.status is Status.VERIFIED, res.checks[0].note
    assert "not a proof" in res.checks[0].note


def test_planted_module_loads_through_the_cli(planted_path: Path) -> None:
    out = io.StringIO()
    assert main(["list", "planted", "--prefix", "--import", str(planted_path)], out=out) == 0
    for c in planted.CLAIMS:
        assert c.id in out.getvalue()
    assert f"{len(planted.CLAIMS)} claim(s)" in out.getvalue()
