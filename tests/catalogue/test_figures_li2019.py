"""The committed li2019hessian figure data (docs/figures/li2019) match the generator's code path."""

from __future__ import annotations

import json

import numpy as np
import pytest
from support import REPO_ROOT
from verifythm_theorems.li2019hessian import _figures as F

OUT = REPO_ROOT / "docs" / "figures" / "li2019"
RTOL, ATOL = 1e-7, 1e-10


@pytest.fixture(scope="module")
def spectra() -> dict[str, np.ndarray]:
    return dict(np.load(OUT / "spectra.npz"))


@pytest.fixture(scope="module")
def pacbayes() -> dict[str, np.ndarray]:
    return dict(np.load(OUT / "pacbayes.npz"))


def test_spectra_point_recomputed(spectra: dict[str, np.ndarray]) -> None:
    """Run 0, clean labels, the checkpoint t = 20: spectra and principal-angle cosines."""
    r, run = 0.0, 0
    tag = F._tag(r)
    ts = spectra[f"iterations_{tag}"]
    np.testing.assert_array_equal(ts, F.checkpoints(F.STEPS[r]))
    j = int(np.flatnonzero(ts == 20)[0])
    data = F.gauss_k(r)
    _, (theta,) = F.sgd(data, int(ts[j]), run, r)  # same seed stream, stopped at t = 20
    got = F.spectra_at(theta, data["X"], data["y"])
    for key, value in got.items():
        np.testing.assert_allclose(value, spectra[f"{key}_{tag}"][run, j], rtol=RTOL, atol=ATOL, err_msg=key)
    # Proposition 1 on the recomputed matrices: H_f = M - H_p
    Hf, M, Hp = F.matrices(theta, data["X"], data["y"])
    np.testing.assert_allclose(Hf, M - Hp, atol=1e-12)


def test_pacbayes_point_recomputed(pacbayes: dict[str, np.ndarray]) -> None:
    """Run 0, clean labels: the Theorem 4 terms, crossings and errors at the end of training."""
    r, run = 0.0, 0
    tag = F._tag(r)
    np.testing.assert_array_equal(pacbayes["prior_variances"], F.PRIOR_VARIANCES)
    got = F.pacbayes_run(F.gauss_k(r), r, run)
    for key, value in got.items():
        np.testing.assert_allclose(value, pacbayes[f"{key}_{tag}"][run], rtol=RTOL, atol=ATOL, err_msg=key)


def test_label_corruption_and_summary(pacbayes: dict[str, np.ndarray]) -> None:
    """The 15 % setting changes labels within classes only; the summary agrees with the npz data."""
    clean, noisy = F.gauss_k(0.0), F.gauss_k(0.15)
    np.testing.assert_array_equal(clean["X"], noisy["X"])
    assert np.array_equal(clean["y"], clean["y_clean"])
    changed = noisy["y"] != noisy["y_clean"]
    assert 10 <= int(changed.sum()) <= round(0.15 * F.N_TRAIN)  # 15 resampled, some keep their label
    assert np.bincount(noisy["y_clean"][changed], minlength=F.CLASSES).max() <= 2
    summary = json.loads((OUT / "summary.json").read_text())
    for r in F.RANDOM_FRACTIONS:
        tag = F._tag(r)
        k = F.PRIOR_VARIANCES.index(F.MAIN_PRIOR_VARIANCE)
        want = float(np.mean(pacbayes[f"effective_curvature_{tag}"][:, k]))
        got = summary[tag]["pacbayes"][f"sigma2={F.MAIN_PRIOR_VARIANCE:g}"]["effective_curvature"]["mean"]
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name", ["fig1.png", "fig2.png", "fig11.png"])
def test_png_valid(name: str) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.image

    path = OUT / name
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = matplotlib.image.imread(path)
    assert img.ndim == 3 and img.shape[0] > 200 and img.shape[1] > 600
    assert float(np.ptp(img[..., :3])) > 0.5  # not blank
