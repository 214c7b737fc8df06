"""Coherence matrix S and measure σ (dexter2024precise, Definition 2): trace form vs square-root form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from support import deterministic

from verifythm.linalg.gram import gram_from_gradients
from verifythm.quantities.coherence import coherence, coherence_matrix_dense, coherence_measure
from verifythm.strategies.families.legacy import FAMILIES, psd_matrices, random_gradients, random_psd

DET = deterministic(40, HealthCheck.too_slow)


def _family(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(1, 7)), int(rng.integers(1, 6))
    return np.stack([random_psd(rng, d, rank=int(rng.integers(0, d + 1))) for _ in range(n)])


def _sigma_reference(H: np.ndarray) -> float:
    S = coherence_matrix_dense(H)
    return float(np.linalg.eigvalsh(S)[-1] / max(np.linalg.eigvalsh(h)[-1] for h in H))


@pytest.mark.parametrize("seed", range(16))
def test_trace_form_matches_square_root_definition(seed: int) -> None:
    H = _family(seed)
    if not np.any(np.abs(H) > 1e-12):
        H[0] = np.eye(H.shape[1])
    c = coherence(hessians=H)
    S_ref = coherence_matrix_dense(H)
    # explicit square roots of rank-deficient H_i are accurate only to about √ε·‖H‖
    np.testing.assert_allclose(c.S, S_ref, atol=1e-6 * np.max(S_ref))
    assert c.sigma == pytest.approx(_sigma_reference(H), rel=1e-6)
    assert c.max_lambda1 == pytest.approx(max(np.linalg.eigvalsh(h)[-1] for h in H), rel=1e-12)
    assert c.lambda1_S == pytest.approx(np.linalg.eigvalsh(c.S)[-1], rel=1e-12)
    assert c.sigma >= 1.0 - 1e-12  # λ₁(S) ≥ S_ii = ‖H_i‖_F ≥ λ₁(H_i)


@DET
@given(st.lists(psd_matrices(dims=st.just(3)), min_size=1, max_size=5))
def test_trace_form_property(mats: list[np.ndarray]) -> None:
    H = np.stack(mats)
    sig = coherence_measure(hessians=H)
    S = coherence(hessians=H).S
    # S_ij² = tr(H_i H_j) by definition
    T = np.einsum("iab,jba->ij", H, H)
    np.testing.assert_allclose(S * S, T, rtol=1e-9, atol=1e-12 * np.max(np.abs(T)))
    assert sig >= 1.0 - 1e-12
    n = H.shape[0]
    ranks = [np.sum(np.linalg.eigvalsh(h) > 1e-9 * max(np.max(np.abs(h)), 1e-300)) for h in H]
    assert sig <= n * np.sqrt(max(ranks)) * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_gradient_path_equals_rank_one_hessians(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    n, p = int(rng.integers(1, 8)), int(rng.integers(1, 7))
    grads = random_gradients(rng, p, n, FAMILIES[seed % len(FAMILIES)]).T  # (n, p)
    if not np.any(grads):
        grads[0, 0] = 1.0
    grads = grads / np.max(np.abs(grads))
    H = np.einsum("ip,iq->ipq", grads, grads)
    a, b = coherence(gradients=grads), coherence(hessians=H)
    # √tr(H_iH_j) turns an O(ε) rounding error of a vanishing trace into O(√ε): the gradient
    # path (|K_ij|) has no such loss, so compare with an absolute √ε-level tolerance
    np.testing.assert_allclose(a.S, b.S, rtol=1e-9, atol=1e-7 * np.max(a.S))
    assert a.sigma == pytest.approx(b.sigma, rel=1e-7)
    assert a.sigma == pytest.approx(coherence(gram=gram_from_gradients(grads)).sigma, rel=1e-14)
    assert 1.0 - 1e-12 <= a.sigma <= n * (1 + 1e-12)  # rank-one family: σ ∈ [1, n]


def test_extreme_cases_of_the_definition() -> None:
    n = 6
    e1 = np.zeros((n, 4))
    e1[:, 0] = 1.0
    assert coherence(gradients=e1).sigma == pytest.approx(n)  # identical H_i = e₁e₁ᵀ: S = 𝟙𝟙ᵀ
    assert coherence(gradients=np.eye(n)).sigma == pytest.approx(1.0)  # orthogonal H_i: S = I
    # the construction in the proof of Theorem 2: k copies of m·e₁e₁ᵀ, the rest zero → σ = k
    for k in (1, 3, 6):
        H = np.zeros((n, 2, 2))
        H[:k, 0, 0] = 7.5
        assert coherence_measure(hessians=H) == pytest.approx(k)


@pytest.mark.parametrize("seed", range(4))
def test_scale_and_permutation_invariance(seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    H = _family(seed + 40)
    if not np.any(np.abs(H) > 1e-12):
        H[0] = np.eye(H.shape[1])
    s = coherence_measure(hessians=H)
    perm = rng.permutation(H.shape[0])
    assert coherence_measure(hessians=H[perm]) == pytest.approx(s, rel=1e-10)
    for c in (1e-150, 3.0, 1e150):
        assert coherence_measure(hessians=c * H) == pytest.approx(s, rel=1e-10)
    V, _ = np.linalg.qr(rng.standard_normal((H.shape[1], H.shape[1])))
    rotated = np.einsum("ab,ibc,dc->iad", V, H, V)  # a common rotation leaves tr(H_iH_j) unchanged
    assert coherence_measure(hessians=rotated) == pytest.approx(s, rel=1e-8)


def test_bad_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^hessians: matrix 1 .*positive semi-definite"):
        coherence(hessians=np.stack([np.eye(2), np.diag([1.0, -1.0])]))
    with pytest.raises(ValueError, match=r"^hessians: matrix 0 .*symmetric"):
        coherence(hessians=np.array([[[1.0, 2.0], [0.0, 1.0]]]))
    with pytest.raises(ValueError, match=r"^hessians: .*shape"):
        coherence(hessians=np.ones((2, 2, 3)))
    with pytest.raises(ValueError, match=r"^hessians: .*3-d"):
        coherence(hessians=np.eye(2))
    with pytest.raises(ValueError, match=r"^hessians: .*NaN"):
        coherence(hessians=np.full((1, 2, 2), np.nan))
    with pytest.raises(ValueError, match=r"^hessians: .*zero"):
        coherence(hessians=np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"^gradients: .*zero"):
        coherence(gradients=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"^gradients: .*NaN"):
        coherence(gradients=np.array([[1.0, np.inf]]))
    with pytest.raises(ValueError, match=r"^hessians/gradients: "):
        coherence()
    with pytest.raises(ValueError, match=r"^hessians/gradients: "):
        coherence(hessians=np.ones((1, 1, 1)), gradients=np.ones((1, 1)))
