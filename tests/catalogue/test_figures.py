"""The committed figure data stay reproducible, and the images are valid PNG files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import REPO_ROOT

ROOT = REPO_ROOT
DEXTER = ROOT / "docs" / "figures" / "dexter2024"
WU = ROOT / "docs" / "figures" / "wu2022"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _is_png(path: Path) -> bool:
    head = path.read_bytes()[:24]
    return head[:8] == PNG_MAGIC and head[12:16] == b"IHDR"


def test_wu2022_fig3a_point_matches_committed_json() -> None:
    """One point of Figure 3a (c = 1, m = 40: exact η*, μ₀ and an SGD run) recomputed as committed."""
    from verifythm_theorems.wu2022alignment import _figures as wu

    data = json.loads((WU / "wu2022_figures.json").read_text())["fig3a"]
    eta = wu.fig3a_eta("1")
    assert eta == pytest.approx(data["eta(scale=1)"], rel=1e-9)
    row = wu.fig3a_point("1", 1, eta)
    committed = data["scale=1"][1]
    assert row.keys() == committed.keys()
    for key, value in committed.items():
        assert row[key] == pytest.approx(value, rel=1e-6, abs=1e-12), key


def test_wu2022_images_exist() -> None:
    for name in ("fig1b.png", "fig3a.png", "fig3b.png"):
        assert _is_png(WU / name), name


def test_dexter2024_pngs_are_valid() -> None:
    for name in ("fig1.png", "fig2.png"):
        assert _is_png(DEXTER / name), name


def test_dexter2024_images_only_regenerates(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from verifythm_theorems.dexter2024precise import _figures as dexter

    for name in ("fig1.npz", "fig2.npz"):
        shutil.copy(DEXTER / name, tmp_path / name)
    assert dexter.main(["--out", str(tmp_path), "--images-only"]) == 0
    for name in ("fig1.png", "fig2.png"):
        assert _is_png(tmp_path / name), name


# every driver: (module under verifythm_theorems, one file of its full run)
DRIVERS = [
    ("wu2022alignment._figures", "wu2022_figures.json"),
    ("dexter2024precise._figures", "summary.json"),
    ("li2019hessian._figures", "summary.json"),
    ("li2019hessian._figures_relu", "relu_summary.json"),
    ("wang2023noise._figures", "summary.json"),
]


@pytest.mark.parametrize(("name", "output"), DRIVERS)
def test_driver_refuses_before_any_work(
    name: str, output: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 and one line on stderr for an unwritable --out or a file it would overwrite."""
    import importlib

    if name.endswith("_relu"):
        pytest.importorskip("torch")
    main = importlib.import_module(f"verifythm_theorems.{name}").main
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "error: --out: cannot write into" in err[0]
    (tmp_path / output).write_text("kept\n")
    assert main(["--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{output} already exists; pass --overwrite" in err[0]
    assert (tmp_path / output).read_text() == "kept\n"


def test_dexter2024_images_only_needs_its_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from verifythm_theorems.dexter2024precise import _figures as dexter

    assert dexter.main(["--out", str(tmp_path), "--images-only"]) == 2
    assert "fig1.npz does not exist" in capsys.readouterr().err
