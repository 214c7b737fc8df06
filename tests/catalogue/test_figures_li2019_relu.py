"""The committed ReLU-network li2019hessian figure data (docs/figures/li2019/relu_*) match the code path."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("sklearn")

from support import REPO_ROOT
from verifythm_theorems.li2019hessian import _figures as F
from verifythm_theorems.li2019hessian import _figures_relu as R

# torch.func's first forward-mode call scripts decompositions with the deprecated torch.jit.script
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
OUT = REPO_ROOT / "docs" / "figures" / "li2019"
RTOL, ATOL = 1e-7, 1e-10


@pytest.fixture(scope="module")
def spectra() -> dict[str, np.ndarray]:
    return dict(np.load(OUT / "relu_spectra.npz"))


@pytest.fixture(scope="module")
def pacbayes() -> dict[str, np.ndarray]:
    return dict(np.load(OUT / "relu_pacbayes.npz"))


@pytest.fixture(scope="module")
def summary() -> dict:
    return json.loads((OUT / "relu_summary.json").read_text())


def test_network_shape_and_init() -> None:
    assert R.NUM_PARAMS == 1150  # Table 2 of the paper
    std = R.init_std()
    assert std.shape == (1150,) and np.count_nonzero(std == 0) == 10 + 30 + 10  # the biases
    theta0, (theta,) = R.sgd(F.gauss_k(0.0), 0, 3, 0.0)
    np.testing.assert_array_equal(theta0, theta)


def test_spectra_point_recomputed(spectra: dict[str, np.ndarray]) -> None:
    """Run 0, clean labels, the checkpoint t = 20: spectra, cosines, loss; Proposition 1 on the matrices."""
    r, run = 0.0, 0
    tag = F._tag(r)
    ts = spectra[f"iterations_{tag}"]
    np.testing.assert_array_equal(ts, F.checkpoints(R.STEPS[r]))
    j = int(np.flatnonzero(ts == 20)[0])
    data = F.gauss_k(r)
    _, (theta,) = R.sgd(data, int(ts[j]), run, r)  # same seed stream, stopped at t = 20
    got = R.spectra_at(theta, data["X"], data["y"])
    assert set(got) == {k.removesuffix(f"_{tag}") for k in spectra if k.endswith(tag)} - {"iterations"}
    for key, value in got.items():
        if key == "prop1":  # a rounding-error residual: compare its size only
            assert value < 1e-12 and spectra[f"prop1_{tag}"][run, j] < 1e-12
            continue
        np.testing.assert_allclose(value, spectra[f"{key}_{tag}"][run, j], rtol=RTOL, atol=ATOL, err_msg=key)
    # Proposition 1 with H_p = (1/n) sum_i Hess(p_i) / p_i computed on its own
    m = R.matrices(theta, data["X"], data["y"])
    np.testing.assert_allclose(m["Hf"], m["M"] - m["Hp"], atol=1e-13)
    np.testing.assert_allclose(m["M"], m["G"].T @ m["G"] / F.N_TRAIN, atol=1e-15)


def test_hessian_against_finite_differences() -> None:
    """H_f from forward-over-reverse matches central differences of the gradient (away from ReLU kinks)."""
    import torch

    data = F.gauss_k(0.15)
    _, (theta,) = R.sgd(data, 12, 1, 0.15)
    X, y = torch.from_numpy(data["X"]), torch.from_numpy(data["y"])
    Hf = R.matrices(theta, data["X"], data["y"])["Hf"]
    rng = np.random.default_rng(0)
    v = rng.standard_normal(R.NUM_PARAMS)

    def g(th: np.ndarray) -> np.ndarray:
        t = torch.from_numpy(th).requires_grad_()
        return torch.autograd.grad(R._loss(t, X, y), t)[0].numpy()

    h = 1e-6
    fd = (g(theta + h * v) - g(theta - h * v)) / (2 * h)
    np.testing.assert_allclose(Hf @ v, fd, rtol=1e-5, atol=1e-7 * np.abs(fd).max())


def test_pacbayes_point_recomputed(pacbayes: dict[str, np.ndarray]) -> None:
    """Run 0, clean labels: the Theorem 4 terms, crossings and errors at the end of training."""
    r, run = 0.0, 0
    tag = F._tag(r)
    np.testing.assert_array_equal(pacbayes["prior_variances"], R.PRIOR_VARIANCES)
    assert int(pacbayes["runs"]) == R.PACBAYES_RUNS == pacbayes[f"train_error_{tag}"].size
    got = R.pacbayes_run(F.gauss_k(r), r, run)
    for key, value in got.items():
        np.testing.assert_allclose(value, pacbayes[f"{key}_{tag}"][run], rtol=RTOL, atol=ATOL, err_msg=key)


def test_headline_facts(
    spectra: dict[str, np.ndarray], pacbayes: dict[str, np.ndarray], summary: dict
) -> None:
    """What the README states, read off the committed data."""
    assert summary["headline"] == R.headline(spectra, pacbayes)
    k = R.PRIOR_VARIANCES.index(R.MAIN_PRIOR_VARIANCE)
    h0, h15 = summary["headline"]["r00"], summary["headline"]["r15"]
    for h in (h0, h15):
        assert h["prop1_max_rel"] < 1e-12  # Proposition 1 holds at every checkpoint
    # clean labels: the top-10 eigenspaces of H_f and M_t align (the 15th direction does not)
    assert h0["cos_top10_after_t20_mean"] >= 0.95 and h0["cos_top10_min_end"] >= 0.97
    assert float(spectra["cos_r00"][:, -1, -1].mean()) < 0.2
    # the paper's iteration counts (Table 2): 400 with clean labels, 10 000 with random labels
    assert R.STEPS == {0.0: 400, 0.15: 10_000} and summary["setting"]["steps"] == {"r00": 400, "r15": 10_000}
    assert int(spectra["iterations_r15"][-1]) == 10_000
    # random labels: slower alignment; in the mean gamma_1..gamma_8 reach 0.99, gamma_9 and gamma_10 do not,
    # because of one run; three runs of five end with all ten cosines >= 0.99
    first = h15["first_t_mean_cos_above_0.99"]
    assert h15["cos_top10_min_end"] < 0.9 and first[7] is not None and first[8] is None
    assert float(spectra["cos_r15"].mean(axis=0)[-2, :10].min()) > 0.97  # t = 3981
    assert int(np.sum(spectra["cos_r15"][:, -1, :10].min(axis=1) >= 0.99)) == 3
    # clean labels: H_p is spectrally -H_f at the end (to 1.1 %)
    assert h0["Hp_plus_Hf_rel_end"]["max"] < 0.02
    # at the end, M_t's top eigenvalue is far below H_f's with clean labels, not so with random labels
    # (median ratio about 1), except in the single random-label run that fits every label
    assert h0["M1_over_Hf1_end"]["max"] < 0.1 < h15["M1_over_Hf1_end"]["median"]
    ratio15 = spectra["eig_M_r15"][:, -1, 0] / spectra["eig_Hf_r15"][:, -1, 0]
    low = np.flatnonzero(ratio15 < 0.1)
    assert low.size == 1 and spectra["loss_r15"][low[0], -1] < 1e-3
    assert pacbayes["train_error_r15"][low[0]] == 0  # PAC-Bayes run j ends where spectra run j ends
    assert h15["M_eigs_above_1e-3_top_end"] <= 10  # a handful of non-trivial eigenvalues
    # Theorem 4's terms and the gap are larger with random labels (medians and means over runs) ...
    for key in ("effective_curvature", "weighted_norm", "crossing"):
        clean, noisy = pacbayes[f"{key}_r00"][:, k], pacbayes[f"{key}_r15"][:, k]
        assert np.median(noisy) > np.median(clean) and noisy.mean() > clean.mean(), key
    gap = {t: pacbayes[f"test_error_noisy_{t}"] - pacbayes[f"train_error_{t}"] for t in ("r00", "r15")}
    assert np.all(gap["r00"] == 0) and 0.1 < gap["r15"].mean() < 0.15
    # ... the weighted norm by a factor about 12, the effective curvature only slightly (median < 1.5x at
    # sigma2 = 100 and 1000), and at sigma2 = 10 the curvature terms are smaller in the mean
    wn = pacbayes["weighted_norm_r15"][:, k], pacbayes["weighted_norm_r00"][:, k]
    assert 10 < np.median(wn[0]) / np.median(wn[1]) < 14 and 10 < wn[0].mean() / wn[1].mean() < 14
    ec0, ec15 = (np.median(pacbayes[f"effective_curvature_{t}"], axis=0) for t in ("r00", "r15"))
    assert np.all(ec0[1:] < ec15[1:]) and np.all(ec15[1:] < 1.5 * ec0[1:])  # sigma2 = 100, 1000
    for key in ("effective_curvature", "crossing"):
        assert pacbayes[f"{key}_r15"][:, 0].mean() < pacbayes[f"{key}_r00"][:, 0].mean(), key
    # the mean Hessian diagonal is about the same in both settings
    assert 0.9 < pacbayes["hdiag_mean_r15"].mean() / pacbayes["hdiag_mean_r00"].mean() < 1.1
    # summary and npz agree
    got = summary["r15"]["pacbayes"][f"sigma2={R.MAIN_PRIOR_VARIANCE:g}"]["weighted_norm"]["mean"]
    assert got == pytest.approx(float(pacbayes["weighted_norm_r15"][:, k].mean()), rel=1e-12)


def test_images_drawn() -> None:
    """The three PNGs exist at the size the drawing code sets (inches x 100 dpi) and are not blank."""
    mpl_image = pytest.importorskip("matplotlib.image")
    for name, shape in zip(R.IMAGES, [(720, 1300), (720, 1300), (380, 1600)], strict=True):
        img = mpl_image.imread(OUT / name)
        assert img.shape[:2] == shape, name
        assert float(img[..., :3].std()) > 0.05, name
