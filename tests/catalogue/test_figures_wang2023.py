"""The committed figure data of wang2023noise (``docs/figures/wang2023``) against a fresh recomputation.

One small point of each figure is recomputed with the generator's own code path
(:mod:`theorems.wang2023noise._figures`), so the data cannot drift silently; the PNGs are checked to
be valid images.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from support import REPO_ROOT
from verifythm_theorems.wang2023noise import _figures as F

OUT = REPO_ROOT / "docs" / "figures" / "wang2023"


def _npz(name: str) -> dict[str, np.ndarray]:
    with np.load(OUT / f"{name}.npz", allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def test_fig1_point_matches() -> None:
    data = _npz("fig1")
    for model, inputs in (("linear4", "iso"), ("relu2", "aniso")):
        widths = list(data[f"widths_{model}"])
        assert widths == list(F.F1_WIDTHS[model])
        w = widths[1]
        mu = F.fig1_point(model, inputs, w, 3)
        assert mu == pytest.approx(float(data[f"mu_{model}_{inputs}"][1, 3]), rel=1e-10)


def test_fig2a_panel_matches() -> None:
    data = _npz("fig2a")
    n = int(data["n"][1])  # the small panel, n = ⌈8 log d⌉
    panel = F.fig2a_panel(int(data["d"]), n)
    for key, value in panel.items():
        np.testing.assert_allclose(value, data[f"{key}_n{n}"], rtol=1e-8, atol=1e-12)


def test_fig3_prefix_matches() -> None:
    data = _npz("fig3")
    srk = float(data["srk_target"][0])
    tag = f"srk{srk:g}"
    steps = 8
    s = F.fig3_setting(srk, steps=steps, trajectories=F.F3_TRAJ)
    for key in F.FIG3_KEYS:
        ref = data[f"{key}_{tag}"]
        ref = ref if key == "lam" else ref[: steps + 1]
        np.testing.assert_allclose(s[key], ref, rtol=1e-7)


def test_summary_consistent() -> None:
    summary = json.loads((OUT / "summary.json").read_text())
    data = _npz("fig3")
    for srk in data["srk_target"]:
        tag = f"srk{srk:g}"
        assert summary["fig3"][tag]["gd_exact_vs_closed_form_max_rel_diff"] < 1e-6
        # SGD keeps a flat-direction share of order srk(G²) − 1; GD's decays
        assert data[f"D_sgd_exact_{tag}"][-1] > 0.5 * summary["fig3"][tag]["srk_G2_minus_1"]
        assert data[f"D_gd_exact_{tag}"][-1] < 1e-2 * data[f"D_gd_exact_{tag}"][0]


@pytest.mark.parametrize("name", ["fig1.png", "fig2a.png", "fig3.png"])
def test_png_valid(name: str) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.image as mpimg

    path = OUT / name
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    assert float(np.ptp(img[..., :3])) > 0.1  # not blank
