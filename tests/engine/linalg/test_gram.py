"""Gram-matrix trick (verifythm.linalg.gram): n×n forms against dense p×p references, blocking, scaling."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from support import deterministic, gradient_instances

from verifythm.linalg.gram import (
    Gram,
    gram_from_blocks,
    gram_from_gradients,
    gram_from_matrix,
    gram_from_Q,
    noise_traces,
)
from verifythm.quantities.alignment import (
    alignment_bounds,
    alignment_factors,
    fisher_dense,
    fisher_tau,
    noise_covariances_dense,
    norm_uniformity,
)
from verifythm.quantities.coherence import coherence_matrix_dense
from verifythm.strategies.families.legacy import gradients_and_residuals

DET = deterministic(60, HealthCheck.too_slow)
RTOL = 1e-10


def _dense(Q: np.ndarray, e: np.ndarray) -> dict[str, float]:
    """All quantities from explicit p×p matrices (the definitions, wu2022alignment §2)."""
    n = Q.shape[1]
    G = fisher_dense(Q)
    s1, s2, s = noise_covariances_dense(Q, e)
    w = np.linalg.eigvalsh(G)
    chi = np.array([Q[:, i] @ G @ Q[:, i] for i in range(n)])
    return {
        "G_fro": float(np.linalg.norm(G)),
        "G_tr": float(np.trace(G)),
        "G_lam": float(w[-1]),
        "tau": float(w[-1] ** 2 / np.sum(w * w)),
        "gamma": float(chi.min() / chi.mean()),
        "chi": chi,
        "loss": float(e @ e) / (2 * n),
        "Sigma_fro": float(np.linalg.norm(s)),
        "Sigma1_fro": float(np.linalg.norm(s1)),
        "tr_G_Sigma": float(np.trace(G @ s)),
        "tr_G_Sigma1": float(np.trace(G @ s1)),
        "tr_G_Sigma2": float(np.trace(G @ s2)),
        "scale_tr": float(np.trace(G @ s1) + np.trace(G @ s2)),
        "scale_fro": float(np.linalg.norm(s1) + np.linalg.norm(s2)),
    }


def _check_against_dense(Q: np.ndarray, e: np.ndarray, g: Gram) -> None:
    ref = _dense(Q, e)
    top = ref["G_lam"]
    assert g.fisher_frobenius == pytest.approx(ref["G_fro"], rel=RTOL)
    assert g.fisher_trace == pytest.approx(ref["G_tr"], rel=RTOL)
    assert g.fisher_lambda_max == pytest.approx(top, rel=1e-9, abs=1e-12 * top)
    assert g.tau == pytest.approx(ref["tau"], rel=1e-9)
    assert g.gamma == pytest.approx(ref["gamma"], rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(g.chi, ref["chi"], rtol=1e-9, atol=1e-12 * np.max(ref["chi"]))
    nt = noise_traces(g, e)
    assert nt.loss == pytest.approx(ref["loss"], rel=RTOL)
    tol_tr = 1e-10 * ref["scale_tr"] + 1e-300
    tol_fro = 1e-10 * ref["scale_fro"] + 1e-300
    assert nt.tr_G_Sigma == pytest.approx(ref["tr_G_Sigma"], abs=tol_tr)
    assert nt.tr_G_Sigma1 == pytest.approx(ref["tr_G_Sigma1"], abs=tol_tr)
    assert nt.tr_G_Sigma2 == pytest.approx(ref["tr_G_Sigma2"], abs=tol_tr)
    assert nt.Sigma_frobenius == pytest.approx(ref["Sigma_fro"], abs=tol_fro)
    assert nt.Sigma1_frobenius == pytest.approx(ref["Sigma1_fro"], abs=tol_fro)


# -- n×n forms equal the dense p×p definitions ---------------------------------------------------------
@pytest.mark.parametrize(("Q", "e"), gradient_instances(7, 30, max_n=9, max_p=11))
def test_gram_quantities_match_dense(Q: np.ndarray, e: np.ndarray) -> None:
    _check_against_dense(Q, e, gram_from_Q(Q, block_rows=3))


@DET
@given(gradients_and_residuals())
def test_gram_quantities_match_dense_property(inst: dict[str, np.ndarray]) -> None:
    Q, e = inst["Q"], inst["e"]
    if not np.any(Q):
        Q = Q.copy()
        Q[0, 0] = 1.0
    Q = Q / np.max(np.abs(Q))  # the dense p×p reference under/overflows at extreme scales
    if np.any(e):
        e = e / np.max(np.abs(e))  # ‖Σ₁‖_F of the reference squares entries ~e²: underflow below 1e-154
    _check_against_dense(Q, e, gram_from_gradients(Q.T, block_cols=2))


@pytest.mark.parametrize(("Q", "e"), gradient_instances(8, 12, max_n=9, max_p=11))
def test_gram_coherence_matches_square_root_definition(Q: np.ndarray, e: np.ndarray) -> None:
    H = np.einsum("pi,qi->ipq", Q, Q)  # H_i = g_i g_iᵀ
    S = coherence_matrix_dense(H)
    sigma = np.linalg.eigvalsh(S)[-1] / max(np.linalg.eigvalsh(h)[-1] for h in H)
    g = gram_from_Q(Q)
    # square roots of rank-deficient H_i carry O(√ε·‖H‖) noise in the null space: that is the
    # reference's error (and why the trace form is used), hence the absolute tolerance
    np.testing.assert_allclose(np.abs(g.K), S, rtol=1e-7, atol=1e-6 * np.max(S))
    assert g.coherence == pytest.approx(sigma, rel=1e-7)


def test_alignment_entry_points_accept_a_gram() -> None:
    rng = np.random.default_rng(3)
    Q, e = rng.standard_normal((20, 6)), rng.standard_normal(6)
    g = gram_from_Q(Q)
    a, b = alignment_factors(Q, e), alignment_factors(g, e)
    assert (a.mu, a.mu1, a.mu2, a.alpha, a.beta) == pytest.approx((b.mu, b.mu1, b.mu2, b.alpha, b.beta))
    assert norm_uniformity(g).gamma == pytest.approx(norm_uniformity(Q).gamma)
    assert fisher_tau(g) == pytest.approx(_dense(Q, e)["tau"], rel=1e-10)
    bd = alignment_bounds(Q)
    assert bd.mu1_lower == bd.gamma and bd.mu2_upper == bd.tau
    assert bd.mu_lower == pytest.approx(bd.gamma - bd.tau)


# -- blocking, layouts, dtypes, memmaps ----------------------------------------------------------------
@pytest.mark.parametrize("block", [1, 2, 5, 64, None])
def test_block_size_does_not_change_K(block: int | None) -> None:
    rng = np.random.default_rng(5)
    Q = rng.standard_normal((37, 9))
    K = Q.T @ Q
    np.testing.assert_allclose(gram_from_Q(Q, block_rows=block).K, K, rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(gram_from_gradients(Q.T, block_cols=block).K, K, rtol=1e-13, atol=1e-12)
    blocks = (Q[i : i + 4] for i in range(0, 37, 4))
    np.testing.assert_allclose(gram_from_blocks(blocks).K, K, rtol=1e-13, atol=1e-12)
    blocks_np = (Q.T[:, i : i + 4] for i in range(0, 37, 4))
    gb = gram_from_blocks(blocks_np, layout="np")
    np.testing.assert_allclose(gb.K, K, rtol=1e-13, atol=1e-12)
    assert gb.p == 37 and gb.n == 9


def test_float32_and_memmap_inputs(tmp_path: object) -> None:
    rng = np.random.default_rng(6)
    Q32 = rng.standard_normal((300, 7)).astype(np.float32)
    ref = Q32.astype(np.float64).T @ Q32.astype(np.float64)  # float32 entries are exact in float64
    path = str(tmp_path) + "/q.f32"  # type: ignore[operator]
    mm = np.memmap(path, dtype=np.float32, mode="w+", shape=Q32.shape)
    mm[:] = Q32
    mm.flush()
    ro = np.memmap(path, dtype=np.float32, mode="r", shape=Q32.shape)
    for g in (gram_from_Q(Q32, block_rows=17), gram_from_Q(ro, block_rows=64), gram_from_gradients(ro.T)):
        np.testing.assert_allclose(g.K, ref, rtol=1e-13, atol=1e-11)
        assert g.p == 300
    assert gram_from_Q(np.ones((3, 2), dtype=np.int64)).K.tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_gram_from_matrix_round_trip() -> None:
    rng = np.random.default_rng(9)
    Q = rng.standard_normal((15, 5)) * 1e-3
    g1, g2 = gram_from_Q(Q), gram_from_matrix(Q.T @ Q, p=15)
    np.testing.assert_allclose(g2.K, g1.K, rtol=1e-14)
    assert g2.tau == pytest.approx(g1.tau, rel=1e-12)
    assert g2.coherence == pytest.approx(g1.coherence, rel=1e-12)
    assert np.max(np.abs(g2.khat)) >= 1.0 and np.max(np.abs(g2.khat)) < 4.0


# -- scaling: no under/overflow in the scale-free quantities -------------------------------------------
@deterministic(25)
@given(st.integers(-320, 300), st.integers(0, 10**6))
def test_scale_free_quantities_survive_extreme_scales(k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((8, 5))
    base = gram_from_Q(Q)
    scaled = gram_from_Q(Q * 2.0**k)
    assert scaled.tau == pytest.approx(base.tau, rel=1e-12)
    assert scaled.gamma == pytest.approx(base.gamma, rel=1e-12)
    assert scaled.coherence == pytest.approx(base.coherence, rel=1e-12)
    np.testing.assert_array_equal(scaled.khat, base.khat)  # power-of-two scaling is exact


def test_running_scale_mixes_tiny_and_huge_blocks() -> None:
    rng = np.random.default_rng(12)
    Q = rng.standard_normal((40, 6))
    Q[:10] *= 1e-150  # first blocks tiny: the running scale must grow without losing them
    Q[30:] *= 1e100
    g = gram_from_Q(Q, block_rows=10)
    ref = Q.T @ Q
    np.testing.assert_allclose(g.K, ref, rtol=1e-12)
    tiny = gram_from_Q(Q[:10], block_rows=3)
    np.testing.assert_allclose(tiny.K, Q[:10].T @ Q[:10], rtol=1e-12)


def test_zero_gradients() -> None:
    g = gram_from_Q(np.zeros((4, 3)))
    assert g.is_zero and g.fisher_frobenius == 0.0 and g.fisher_lambda_max == 0.0
    for attr in ("tau", "gamma", "coherence"):
        with pytest.raises(ValueError, match=r"^Q: "):
            getattr(g, attr)


# -- input validation ---------------------------------------------------------------------------------
def test_bad_inputs_name_the_argument() -> None:
    bad = np.ones((5, 3))
    bad[4, 1] = np.nan
    with pytest.raises(ValueError, match=r"^Q: .*NaN"):
        gram_from_Q(bad, block_rows=2)
    with pytest.raises(ValueError, match=r"^gradients: .*NaN"):
        gram_from_gradients(bad.T)
    with pytest.raises(ValueError, match=r"^Q: .*2-d"):
        gram_from_Q(np.ones(3))
    with pytest.raises(ValueError, match=r"^Q: .*sample"):
        gram_from_Q(np.ones((3, 0)))
    with pytest.raises(ValueError, match=r"^gradients: .*sample"):
        gram_from_gradients(np.ones((0, 3)))
    with pytest.raises(ValueError, match=r"^Q: .*real"):
        gram_from_Q(np.ones((2, 2), dtype=complex))
    with pytest.raises(ValueError, match=r"^block_rows: "):
        gram_from_Q(np.ones((2, 2)), block_rows=0)
    with pytest.raises(ValueError, match=r"^blocks: no blocks"):
        gram_from_blocks([])
    with pytest.raises(ValueError, match=r"^blocks: .*n = 2"):
        gram_from_blocks([np.ones((3, 2)), np.ones((3, 3))])
    with pytest.raises(ValueError, match=r"^layout: "):
        gram_from_blocks([np.ones((3, 2))], layout="xy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^K: .*positive semi-definite"):
        gram_from_matrix(np.diag([1.0, -1.0]))
    g = gram_from_Q(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^e: .*3"):
        noise_traces(g, np.ones(4))
    with pytest.raises(ValueError, match=r"^e: .*NaN"):
        g.noise(np.array([1.0, np.inf, 0.0]))


def test_inputs_are_never_modified() -> None:
    rng = np.random.default_rng(13)
    for Q in (rng.standard_normal((50, 4)) * 8, (rng.standard_normal((50, 4)) * 8).astype(np.float32)):
        before = Q.copy()
        gram_from_Q(Q, block_rows=7)
        gram_from_gradients(Q.T, block_cols=7)
        gram_from_blocks(Q[i : i + 7] for i in range(0, 50, 7))
        np.testing.assert_array_equal(Q, before)
