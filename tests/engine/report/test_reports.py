"""Report files: atomic non-overwriting writes, unique names, pickle-free instances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from verifythm import Claim, Comparison, Hypothesis, Source, Status
from verifythm.evidence.base import CheckResult, Violation
from verifythm.report.counterexample import (
    read_counterexample,
    split_instance,
    write_counterexample,
)
from verifythm.report.io import (
    ReportExistsError,
    atomic_write_bytes,
    atomic_write_text,
    load_instance,
    save_instance,
    unique_path,
)


def test_atomic_write_text_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "report.md"
    assert atomic_write_text(path, "first ✓\n") == path  # parent directories are created
    assert path.read_text("utf-8") == "first ✓\n"
    with pytest.raises(ReportExistsError, match="overwrite"):
        atomic_write_text(path, "second\n")
    assert path.read_text("utf-8") == "first ✓\n"
    assert issubclass(ReportExistsError, FileExistsError)
    atomic_write_text(path, "second\n", overwrite=True)
    assert path.read_text("utf-8") == "second\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["report.md"]  # no temporary left over


def test_atomic_write_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    atomic_write_bytes(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    with pytest.raises(ReportExistsError):
        atomic_write_bytes(path, b"x")
    assert path.read_bytes() == b"\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["blob.bin"]


def test_unique_path_suffixes(tmp_path: Path) -> None:
    sfx = (".md", ".npz")
    assert unique_path(tmp_path, "r", sfx) == tmp_path / "r"
    (tmp_path / "r.md").write_text("x")
    assert unique_path(tmp_path, "r", sfx) == tmp_path / "r-1"
    (tmp_path / "r-1.npz").write_text("x")  # either suffix taken blocks the name
    assert unique_path(tmp_path, "r", sfx) == tmp_path / "r-2"
    (tmp_path / "r-2.md").write_text("x")
    (tmp_path / "r-2.npz").write_text("x")
    assert unique_path(tmp_path, "r", sfx) == tmp_path / "r-3"
    assert unique_path(tmp_path, "other", sfx) == tmp_path / "other"


def test_save_instance_rejects_object_arrays(tmp_path: Path) -> None:
    path = tmp_path / "inst.npz"
    with pytest.raises(TypeError, match=r"arrays\['bad'\]"):
        save_instance(path, {"ok": np.ones(2), "bad": np.array([object(), 1], dtype=object)})
    with pytest.raises(TypeError, match="pickle"):
        save_instance(path, {"ragged": np.array([[1.0], [1.0, 2.0]], dtype=object)})
    assert not path.exists()


def test_save_and_load_instance_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "inst.npz"
    arrays = {
        "H": np.arange(9.0).reshape(3, 3),
        "eta": 0.125,
        "n": np.int64(3),
        "flags": np.array([True, False]),
        "name": np.array("wu2022.lemma_g1"),
        "empty": np.zeros((0, 2)),
    }
    save_instance(path, arrays)
    with np.load(path, allow_pickle=False) as z:  # loadable without pickle
        assert sorted(z.files) == sorted(arrays)
    back = load_instance(path)
    assert sorted(back) == sorted(arrays)
    for k, v in arrays.items():
        np.testing.assert_array_equal(back[k], np.asarray(v))
        assert back[k].dtype == np.asarray(v).dtype
    with pytest.raises(ReportExistsError):
        save_instance(path, arrays)  # instances are never overwritten either


def test_split_instance() -> None:
    inst, meta = split_instance(
        {"x": np.array(1.5), "H": np.eye(2), "__vt_claim": np.array("a.b"), "__vt_kind": np.array("instance")}
    )
    assert inst["x"] == 1.5 and isinstance(inst["x"], float)
    np.testing.assert_array_equal(inst["H"], np.eye(2))
    assert meta == {"claim": "a.b", "kind": "instance"}


# -- counterexample files ----------------------------------------------------------------------------
CLAIM = Claim(
    id="test.report_claim",
    title="x ≤ 1",
    source=Source("wu2022alignment", "Lemma G.1", page=3),
    statement="For $x \\ge 0$, $x \\le 1$.",
    hypotheses=(Hypothesis("x ≥ 0", lambda inst: inst["x"] >= 0),),
    conclusion=lambda inst: Comparison(inst["x"], 1.0, "<=", "x", "1"),
)


def _result(x: float) -> CheckResult:
    cmp = Comparison(x, 1.0, "<=", "x", "1")
    res = CheckResult("exact", "exact", Status.COUNTEREXAMPLE, note="found it")
    res.violation = Violation(
        {"x": x, "v": np.array([x, 2 * x])}, cmp, cmp.describe(), None, "violation seen in float64"
    )
    return res


def test_write_counterexample(tmp_path: Path) -> None:
    files = write_counterexample(CLAIM, _result(2.0), tmp_path, imports=("my.module",))
    assert files.report == tmp_path / "test.report_claim__exact.md"
    assert files.instance == tmp_path / "test.report_claim__exact.npz"
    assert files.reproduce == f"verifythm reproduce {files.instance} --import my.module"
    text = files.report.read_text("utf-8")
    for needle in (
        "# Counterexample to `test.report_claim`",
        "[wu2022alignment, Lemma G.1, p. 3]",
        "## What is claimed",
        "## The instance",
        "## The numbers on each side",
        "## Hypotheses as checked",
        "- x ≥ 0: met",
        "## Reproduce",
        files.reproduce,
        "x = 2 <= 1 = 1",
        "found it",
        "allow_pickle=False",
    ):
        assert needle in text, needle
    inst, meta = read_counterexample(files.instance)
    assert inst["x"] == 2.0
    np.testing.assert_array_equal(inst["v"], [2.0, 4.0])
    assert meta == {"claim": "test.report_claim", "check": "exact", "kind": "instance"}
    js = files.to_json("desc", {"x": 2.0, "big": np.zeros(100)})
    assert js["instance_values"]["x"] == 2.0 and "see .npz" in js["instance_values"]["big"]


def test_counterexample_files_are_never_overwritten(tmp_path: Path) -> None:
    from verifythm.report import manifest

    first = write_counterexample(CLAIM, _result(2.0), tmp_path)
    # the identical counterexample is reused, not piled up
    again = write_counterexample(CLAIM, _result(2.0), tmp_path)
    assert (again.report, again.instance) == (first.report, first.instance)
    assert again.reproduce == first.reproduce
    # a different instance of the same claim and check replaces verifythm's own report (manifest)
    other = write_counterexample(CLAIM, _result(3.0), tmp_path)
    assert other.report == first.report and read_counterexample(other.instance)[0]["x"] == 3.0
    # files the manifest does not list are never overwritten: the next free name is taken
    manifest.save(tmp_path, {})
    kept = first.report.read_bytes()
    third = write_counterexample(CLAIM, _result(4.0), tmp_path)
    assert third.report.name == "test.report_claim__exact-1.md"
    assert first.report.read_bytes() == kept
    assert read_counterexample(third.instance)[0]["x"] == 4.0
    assert len([p for p in tmp_path.iterdir() if not p.name.startswith(".")]) == 4


def test_symbolic_point_report(tmp_path: Path) -> None:
    cmp = Comparison(0.0, 2.0, "==", "lhs", "rhs")
    res = CheckResult("symbolic", "symbolic", Status.COUNTEREXAMPLE, note="n")
    res.violation = Violation(
        {"a": 1.0, "b": -1.0},
        cmp,
        "fails at a=1, b=-1",
        None,
        "exact rational evaluation",
        is_claim_instance=False,
    )
    files = write_counterexample(CLAIM, res, tmp_path)
    text = files.report.read_text("utf-8")
    assert "not a claim instance" in text
    assert read_counterexample(files.instance)[1]["kind"] == "symbolic"


def test_write_counterexample_needs_a_violation(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="violation"):
        write_counterexample(CLAIM, CheckResult("exact", "exact", Status.VERIFIED), tmp_path)
    assert list(tmp_path.iterdir()) == []
