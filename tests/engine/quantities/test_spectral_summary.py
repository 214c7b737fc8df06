"""Sharpness metrics (verifythm.quantities.spectral) and the family summary (verifythm.quantities.summary)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from support import deterministic

from verifythm.linalg.gram import gram_from_gradients
from verifythm.quantities.alignment import alignment_factors, norm_uniformity
from verifythm.quantities.coherence import coherence_measure
from verifythm.quantities.extremes import alignment_extremes
from verifythm.quantities.spectral import (
    check_hessians,
    effective_rank,
    hessian_spectrum,
    stable_rank,
)
from verifythm.quantities.summary import SUMMARY_KEYS, family_summary
from verifythm.strategies.families.legacy import FAMILIES, psd_matrices, random_gradients, random_psd

DET = deterministic(40, HealthCheck.too_slow)
# the documented key order, written independently of SUMMARY_KEYS
EXPECTED_KEYS = "n dim lambda_max trace frobenius stable_rank coherence mu_inf mu1_inf gamma tau".split()


def _grads(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n, p = int(rng.integers(1, 8)), int(rng.integers(1, 9))
    g = random_gradients(rng, p, n, FAMILIES[seed % len(FAMILIES)]).T
    if not np.any(g):
        g[0, 0] = 1.0
    return g


# -- spectral metrics -------------------------------------------------------------------------------------
@DET
@given(st.lists(psd_matrices(dims=st.just(4)), min_size=1, max_size=4))
def test_hessian_spectrum_matches_dense_mean(mats: list[np.ndarray]) -> None:
    H = np.stack(mats)
    Hbar = H.mean(axis=0)
    w = np.linalg.eigvalsh(Hbar)
    s = hessian_spectrum(hessians=H)
    assert (s.n, s.dim) == (len(mats), 4)
    assert s.lambda_max == pytest.approx(w[-1], rel=1e-10, abs=1e-14)
    assert s.trace == pytest.approx(np.trace(Hbar), rel=1e-10, abs=1e-14)
    assert s.frobenius == pytest.approx(np.linalg.norm(Hbar), rel=1e-10, abs=1e-14)
    if w[-1] > 1e-9 * max(np.max(np.abs(H)), 1e-300):
        assert s.stable_rank == pytest.approx(np.sum(w * w) / w[-1] ** 2, rel=1e-8)
        assert s.effective_rank == pytest.approx(np.sum(w) / w[-1], rel=1e-8)
        rank = int(np.sum(w > 1e-12 * w[-1]))
        assert 1 - 1e-12 <= s.stable_rank <= s.effective_rank * (1 + 1e-9)
        assert s.effective_rank <= rank * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_gradient_path_matches_dense_G(seed: int) -> None:
    g = _grads(seed)
    g = g / np.max(np.abs(g))
    n = g.shape[0]
    G = g.T @ g / n  # H = G = (1/n) Σ g_i g_iᵀ for the linearized square loss
    w = np.linalg.eigvalsh(G)
    s = hessian_spectrum(gradients=g)
    assert (s.n, s.dim) == g.shape
    assert s.lambda_max == pytest.approx(w[-1], rel=1e-10)
    assert s.trace == pytest.approx(np.trace(G), rel=1e-12)
    assert s.frobenius == pytest.approx(np.linalg.norm(G), rel=1e-12)
    assert s.stable_rank == pytest.approx(stable_rank(G), rel=1e-9)
    assert s.effective_rank == pytest.approx(effective_rank(G), rel=1e-9)
    assert s.stable_rank == pytest.approx(1 / gram_from_gradients(g).tau, rel=1e-12)  # srank = 1/τ
    H = np.einsum("ip,iq->ipq", g, g)
    s2 = hessian_spectrum(hessians=H)
    assert (s2.lambda_max, s2.trace, s2.frobenius) == pytest.approx((s.lambda_max, s.trace, s.frobenius))


def test_rank_definitions_and_errors() -> None:
    assert stable_rank(np.diag([2.0, 1.0, 1.0])) == pytest.approx(1.5)  # ‖H‖_F²/‖H‖₂²
    assert effective_rank(np.diag([2.0, 1.0, 1.0])) == pytest.approx(2.0)  # Tr H/‖H‖₂
    assert stable_rank(np.eye(5)) == pytest.approx(5.0) == effective_rank(np.eye(5))
    for f in (stable_rank, effective_rank):
        with pytest.raises(ValueError, match=r"^H: .*zero"):
            f(np.zeros((2, 2)))
        with pytest.raises(ValueError, match=r"^H: .*positive semi-definite"):
            f(np.diag([1.0, -1.0]))
    z = hessian_spectrum(hessians=np.zeros((2, 3, 3)))
    assert z.stable_rank is None and z.effective_rank is None and z.lambda_max == 0.0
    with pytest.raises(ValueError, match=r"^hessians/gradients: "):
        hessian_spectrum()
    with pytest.raises(ValueError, match=r"^hessians: .*positive semi-definite"):
        check_hessians(np.stack([np.diag([1.0, -0.5])]))


# -- family summary ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_summary_from_gradients(seed: int) -> None:
    g = _grads(seed)
    s = family_summary(gradients=g)
    d = s.as_dict()
    assert list(d) == EXPECTED_KEYS == list(SUMMARY_KEYS)
    json.dumps(d)  # plain JSON-ready values
    sp = hessian_spectrum(gradients=g)
    ex = alignment_extremes(g.T)
    assert (d["n"], d["dim"]) == g.shape
    assert d["lambda_max"] == pytest.approx(sp.lambda_max)
    assert d["frobenius"] == pytest.approx(sp.frobenius)
    assert d["stable_rank"] == pytest.approx(sp.stable_rank)
    assert d["coherence"] == pytest.approx(coherence_measure(gradients=g))
    assert d["mu_inf"] == pytest.approx(ex.mu_inf.value, abs=1e-12)
    assert d["mu1_inf"] == pytest.approx(ex.mu1_inf.value)
    assert d["gamma"] == pytest.approx(norm_uniformity(g.T).gamma)
    assert d["tau"] == pytest.approx(ex.tau)
    assert all(v is not None for v in d.values())
    assert s.at_point is None


def test_summary_at_point() -> None:
    rng = np.random.default_rng(5)
    g = rng.standard_normal((6, 10))
    th = rng.standard_normal(10)
    s = family_summary(gradients=g, theta=th)
    af = alignment_factors(g.T, g @ th)
    assert s.at_point is not None
    assert s.at_point["mu"] == pytest.approx(af.mu) and s.at_point["mu1"] == pytest.approx(af.mu1)
    assert s.at_point["loss"] == pytest.approx(af.loss)
    assert s.as_dict()["mu_inf"] <= s.at_point["mu"] + 1e-12
    e = rng.standard_normal(6)
    s2 = family_summary(gradients=g, residuals=e)
    assert s2.at_point is not None and s2.at_point["mu2"] == pytest.approx(alignment_factors(g.T, e).mu2)
    s3 = family_summary(gradients=g, residuals=np.zeros(6))
    assert s3.at_point is not None and s3.at_point["mu"] is None
    assert any(note.startswith("at_point:") for note in s3.notes)


def test_summary_from_hessians_sets_none_with_notes() -> None:
    rng = np.random.default_rng(8)
    H = np.stack([random_psd(rng, 4, rank=2) for _ in range(5)])
    s = family_summary(hessians=H)
    d = s.as_dict()
    assert list(d) == EXPECTED_KEYS
    assert (d["n"], d["dim"]) == (5, 4)
    assert d["coherence"] == pytest.approx(coherence_measure(hessians=H))
    assert d["lambda_max"] == pytest.approx(np.linalg.eigvalsh(H.mean(axis=0))[-1])
    for k in ("mu_inf", "mu1_inf", "gamma", "tau"):
        assert d[k] is None
        assert any(k in note for note in s.notes)
    z = family_summary(hessians=np.zeros((2, 3, 3)))
    assert z.as_dict()["stable_rank"] is None and z.as_dict()["coherence"] is None
    assert any(n.startswith("stable_rank:") for n in z.notes)
    assert any(n.startswith("coherence:") for n in z.notes)


def test_summary_zero_gradients_and_rank_note() -> None:
    z = family_summary(gradients=np.zeros((3, 4)))
    d = z.as_dict()
    assert d["n"] == 3 and d["lambda_max"] == 0.0
    for k in ("stable_rank", "coherence", "mu_inf", "mu1_inf", "gamma", "tau"):
        assert d[k] is None and any(k in note for note in z.notes)
    low = family_summary(gradients=np.random.default_rng(1).standard_normal((5, 2)))  # rank K = 2 < n
    assert any("mu1_inf" in note and "subspace" in note for note in low.notes)


def test_summary_float32_memmap(tmp_path: object) -> None:
    rng = np.random.default_rng(2)
    g = rng.standard_normal((4, 500)).astype(np.float32)
    path = str(tmp_path) + "/g.f32"  # type: ignore[operator]
    mm = np.memmap(path, dtype=np.float32, mode="w+", shape=g.shape)
    mm[:] = g
    mm.flush()
    ro = np.memmap(path, dtype=np.float32, mode="r", shape=g.shape)
    a = family_summary(gradients=ro).as_dict()
    b = family_summary(gradients=g.astype(np.float64)).as_dict()
    for k in EXPECTED_KEYS:
        assert a[k] == pytest.approx(b[k], rel=1e-12)


def test_summary_bad_inputs_name_the_argument() -> None:
    g = np.ones((3, 2))
    with pytest.raises(ValueError, match=r"^hessians/gradients: .*neither"):
        family_summary()
    with pytest.raises(ValueError, match=r"^hessians/gradients: .*both"):
        family_summary(hessians=np.ones((1, 1, 1)), gradients=g)
    with pytest.raises(ValueError, match=r"^hessians: matrix 1 is not positive semi-definite"):
        family_summary(hessians=np.stack([np.eye(2), -np.eye(2)]))
    with pytest.raises(ValueError, match=r"^hessians: .*NaN"):
        family_summary(hessians=np.full((2, 2, 2), np.nan))
    with pytest.raises(ValueError, match=r"^hessians: .*shape"):
        family_summary(hessians=np.ones((2, 2, 3)))
    with pytest.raises(ValueError, match=r"^gradients: .*2-d"):
        family_summary(gradients=np.ones(3))
    with pytest.raises(ValueError, match=r"^gradients: .*NaN"):
        family_summary(gradients=np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match=r"^gradients: "):
        family_summary(gradients=np.ones((0, 3)))
    with pytest.raises(ValueError, match=r"^theta: .*length"):
        family_summary(gradients=g, theta=np.ones(3))
    with pytest.raises(ValueError, match=r"^residuals: "):
        family_summary(gradients=g, residuals=np.ones(2))
    with pytest.raises(ValueError, match=r"^theta/residuals: "):
        family_summary(gradients=g, theta=np.ones(2), residuals=np.ones(3))
    with pytest.raises(ValueError, match=r"^theta: .*gradients"):
        family_summary(hessians=np.ones((1, 1, 1)), theta=np.ones(1))
    with pytest.raises(ValueError, match=r"^theta: .*NaN"):
        family_summary(gradients=g, theta=np.array([np.nan, 1.0]))
