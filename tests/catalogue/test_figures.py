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
