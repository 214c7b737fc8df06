"""The papers' quantities: Gram forms against dense references, invariances, exact extremes, validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from support import deterministic, gradient_instances

from verifythm.linalg.psd import (
    as_finite,
    check_positive,
    check_psd,
    check_symmetric,
    is_psd,
    psd_sqrt,
    quad,
    range_eigh,
)
from verifythm.quantities.alignment import (
    alignment_factors,
    centering,
    fisher_dense,
    noise_covariances_dense,
    norm_uniformity,
)
from verifythm.quantities.rayleigh import ratio, ratio_extremes
from verifythm.strategies.families.legacy import random_psd

RTOL = 1e-10
DETERMINISTIC = deterministic(40, HealthCheck.too_slow)


def _instances(seed: int, k: int) -> list[tuple[np.ndarray, np.ndarray | None]]:
    return gradient_instances(seed, k, max_n=8, max_p=8)


def _dense(Q: np.ndarray, e: np.ndarray) -> dict[str, float]:
    n = Q.shape[1]
    G = fisher_dense(Q)
    s1, s2, s = noise_covariances_dense(Q, e)
    loss = float(e @ e) / (2 * n)
    G2 = float(np.sum(G * G))
    return {
        "loss": loss,
        "G_fro2": G2,
        "Sigma_fro2": float(np.sum(s * s)),
        "tr_G_Sigma": float(np.trace(G @ s)),
        "tr_G_Sigma1": float(np.trace(G @ s1)),
        "tr_G_Sigma2": float(np.trace(G @ s2)),
        "mu": float(np.trace(s @ G)) / (2 * loss * G2),
        "mu1": float(np.trace(s1 @ G)) / (2 * loss * G2),
        "mu2": float(np.trace(s2 @ G)) / (2 * loss * G2),
        # sizes of the terms each quantity is computed from (for absolute tolerances)
        "_sigma_scale": float(np.sum(s1 * s1) + np.sum(s2 * s2)),
        "_tr_scale": float(np.trace(G @ s1) + np.trace(G @ s2)),
    }


# -- Gram form versus dense p×p references ------------------------------------------------------------
@pytest.mark.parametrize(("Q", "e"), _instances(11, 36))
def test_alignment_factors_match_dense_reference(Q: np.ndarray, e: np.ndarray) -> None:
    af, ref = alignment_factors(Q, e), _dense(Q, e)
    assert af.loss == pytest.approx(ref["loss"], rel=RTOL)
    assert af.G_fro2 == pytest.approx(ref["G_fro2"], rel=RTOL)
    assert af.Sigma_fro2 == pytest.approx(ref["Sigma_fro2"], rel=RTOL, abs=RTOL * ref["_sigma_scale"])
    for k in ("tr_G_Sigma", "tr_G_Sigma1", "tr_G_Sigma2"):
        assert getattr(af, k) == pytest.approx(ref[k], rel=RTOL, abs=RTOL * ref["_tr_scale"]), k
    mu_scale = ref["mu1"] + ref["mu2"]
    for k in ("mu", "mu1", "mu2"):
        assert getattr(af, k) == pytest.approx(ref[k], rel=RTOL, abs=RTOL * mu_scale), k
    assert af.mu == pytest.approx(af.mu1 - af.mu2, rel=RTOL, abs=RTOL * mu_scale)
    assert af.mu >= -RTOL * mu_scale and af.mu1 >= 0 and af.mu2 >= 0
    if ref["Sigma_fro2"] > 1e-8 * ref["_sigma_scale"]:
        s = np.sqrt(ref["Sigma_fro2"])
        g = np.sqrt(ref["G_fro2"])
        assert af.alpha == pytest.approx(ref["tr_G_Sigma"] / (g * s), rel=1e-8, abs=1e-8)
        assert af.beta == pytest.approx(s / (2 * ref["loss"] * g), rel=1e-8)


def test_alignment_factors_doc_example() -> None:
    af = alignment_factors(np.eye(2), np.ones(2))
    assert af.mu1 == pytest.approx(1.0)
    assert af.mu2 == pytest.approx(0.5)  # ∇L = (1/2, 1/2)
    assert af.loss == pytest.approx(0.5)


def test_dense_references_agree_with_definitions() -> None:
    rng = np.random.default_rng(0)
    Q, e = rng.standard_normal((4, 3)), rng.standard_normal(3)
    n = Q.shape[1]
    G = sum(np.outer(Q[:, i], Q[:, i]) for i in range(n)) / n
    np.testing.assert_allclose(fisher_dense(Q), G, rtol=1e-13)
    grads = [e[i] * Q[:, i] for i in range(n)]
    s1 = sum(np.outer(g, g) for g in grads) / n
    gbar = sum(grads) / n
    s1d, s2d, sd = noise_covariances_dense(Q, e)
    np.testing.assert_allclose(s1d, s1, rtol=1e-13)
    np.testing.assert_allclose(s2d, np.outer(gbar, gbar), rtol=1e-13)
    np.testing.assert_allclose(sd, s1 - np.outer(gbar, gbar), rtol=1e-12, atol=1e-14)
    P = centering(n)
    np.testing.assert_allclose(P @ P, P, atol=1e-15)
    np.testing.assert_allclose(P @ np.ones(n), 0.0, atol=1e-15)


# -- invariances ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("cQ", [1e-150, 0.37, -2.0, 3.0, 1e150])
@pytest.mark.parametrize("ce", [1e-200, -0.5, 7.0, 1e200])
def test_factors_are_scale_invariant(cQ: float, ce: float) -> None:
    for Q, e in _instances(5, 6):
        ref = alignment_factors(Q, e)
        af = alignment_factors(cQ * Q, ce * e)
        scale = ref.mu1 + ref.mu2
        for k in ("mu", "mu1", "mu2"):
            assert np.isfinite(getattr(af, k))
            assert getattr(af, k) == pytest.approx(getattr(ref, k), rel=1e-12, abs=1e-12 * scale), k
        with np.errstate(over="ignore"):  # χ_i itself (not γ) overflows for |Q| ~ 1e150
            gamma = norm_uniformity(cQ * Q).gamma
        assert gamma == pytest.approx(norm_uniformity(Q).gamma, rel=1e-12)


@DETERMINISTIC
@given(st.integers(1, 7), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_mu1_and_gamma_are_permutation_invariant(n: int, p: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((p, n)) * 10.0 ** rng.uniform(-2, 2, size=n)
    e = rng.standard_normal(n)
    perm = rng.permutation(n)
    a, b = alignment_factors(Q, e), alignment_factors(Q[:, perm], e[perm])
    scale = a.mu1 + a.mu2
    for k in ("mu", "mu1", "mu2"):
        assert getattr(b, k) == pytest.approx(getattr(a, k), rel=1e-11, abs=1e-11 * scale)
    ga, gb = norm_uniformity(Q), norm_uniformity(Q[:, perm])
    assert gb.gamma == pytest.approx(ga.gamma, rel=1e-12)
    np.testing.assert_allclose(gb.chi, ga.chi[perm], rtol=1e-12)
    # Lemma 2.2 on the way: μ₁ ≥ γ
    assert a.mu1 >= ga.gamma * (1 - 1e-12)


# -- norm uniformity -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("Q", "e"), _instances(23, 12))
def test_norm_uniformity_matches_definition(Q: np.ndarray, e: np.ndarray) -> None:
    G = fisher_dense(Q)
    chi = np.array([Q[:, i] @ G @ Q[:, i] for i in range(Q.shape[1])])
    nu = norm_uniformity(Q)
    scale = float(np.max(np.abs(chi)))
    np.testing.assert_allclose(nu.chi, chi, rtol=1e-10, atol=1e-12 * scale)
    assert nu.chi_bar == pytest.approx(float(np.sum(G * G)), rel=1e-10)  # χ̄ = ‖G‖_F²
    assert nu.gamma == pytest.approx(chi.min() / chi.mean(), rel=1e-10, abs=1e-12)
    assert 0 <= nu.gamma <= 1 + 1e-12


def test_norm_uniformity_special_families() -> None:
    rng = np.random.default_rng(1)
    Q = np.repeat(rng.standard_normal((3, 1)), 4, axis=1)  # identical gradients: γ = 1
    assert norm_uniformity(Q).gamma == pytest.approx(1.0, rel=1e-14)
    norms = np.array([1.0, 2.0, 3.0])
    Q = np.diag(norms)  # orthogonal gradients: χ_i = ‖g_i‖⁴ / n
    nu = norm_uniformity(Q)
    np.testing.assert_allclose(nu.chi, norms**4 / 3, rtol=1e-14)
    assert nu.gamma == pytest.approx(1.0 / np.mean(norms**4), rel=1e-14)
    Q = np.array([[1.0, 0.0]])  # one zero gradient: γ = 0
    assert norm_uniformity(Q).gamma == 0.0


# -- ratios of quadratic forms and their exact extremes ---------------------------------------------------
COEFFS = [[0.0, 0.0, 1.0], [0.0, 1.0, -2.0, 1.0], [0.0, 0.0, -1.3, 0.7], [0.0, 2.0]]


@pytest.mark.parametrize("coeffs", COEFFS)
@pytest.mark.parametrize("seed", range(6))
def test_ratio_extremes_bound_a_dense_random_search(coeffs: list[float], seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = int(rng.integers(1, 6))
    H = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
    lo, hi = ratio_extremes(H, coeffs)
    thetas = rng.standard_normal((400, d)) * 10.0 ** rng.uniform(-3, 3, size=(400, 1))
    pH = sum(c * np.linalg.matrix_power(H, k) for k, c in enumerate(coeffs))
    size = max(abs(lo), abs(hi), 1e-300)
    for t in thetas:
        r = ratio(H, t, coeffs)
        assert r == pytest.approx(float(t @ pH @ t) / float(t @ H @ t), rel=1e-7, abs=1e-9 * size)
        assert lo - 1e-9 * size <= r <= hi + 1e-9 * size
    # attained at eigenvectors of the positive eigenvalues
    lam, V = range_eigh(H)
    vals = np.array([ratio(H, V[:, j], coeffs) for j in range(lam.size)])
    np.testing.assert_allclose(
        vals, np.polynomial.polynomial.polyval(lam, coeffs) / lam, rtol=1e-8, atol=1e-10 * size
    )
    assert vals.min() == pytest.approx(lo, rel=1e-8, abs=1e-10 * size)
    assert vals.max() == pytest.approx(hi, rel=1e-8, abs=1e-10 * size)


def test_ratio_extremes_doc_example_and_null_space() -> None:
    assert ratio_extremes(np.diag([1.0, 2.0]), [0.0, 0.0, 1.0]) == (1.0, 2.0)
    # the null space of H is excluded: λ = 0 does not enter p(λ)/λ
    assert ratio_extremes(np.diag([0.0, 3.0]), [0.0, 0.0, 1.0]) == (3.0, 3.0)
    # r(θ) of Lemma G.2 with η = 1/λ₁ on diag(1, 4): values (1 − λ/4)²
    lo, hi = ratio_extremes(np.diag([1.0, 4.0]), [0.0, 1.0, -0.5, 1 / 16])
    assert (lo, hi) == (pytest.approx(0.0, abs=1e-15), pytest.approx(9 / 16))


def test_ratio_is_scale_free_in_theta() -> None:
    H = np.diag([1.0, 2.0])
    t = np.array([1.0, 1.0])
    r = ratio(H, t, [0.0, 0.0, 1.0])
    assert r == pytest.approx(5 / 3)
    for c in (1e-200, 1e200, -3.0):
        assert ratio(H, c * t, [0.0, 0.0, 1.0]) == pytest.approx(r, rel=1e-14)


# -- input validation names the argument ------------------------------------------------------------------
def test_nan_in_Q_names_Q() -> None:
    Q = np.ones((2, 3))
    Q[1, 1] = np.nan
    for f in (lambda: alignment_factors(Q, np.ones(3)), lambda: norm_uniformity(Q), lambda: fisher_dense(Q)):
        with pytest.raises(ValueError, match=r"^Q: "):
            f()


def test_bad_e_names_e() -> None:
    Q = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"^e: ") as info:
        alignment_factors(Q, np.ones(4))
    assert "3" in str(info.value) and "4" in str(info.value)
    with pytest.raises(ValueError, match=r"^e: "):
        alignment_factors(Q, np.array([1.0, np.inf, 0.0]))
    with pytest.raises(ValueError, match=r"^e: "):
        noise_covariances_dense(Q, np.ones((3, 1)))


def test_degenerate_inputs_name_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^Q: "):
        alignment_factors(np.ones(3), np.ones(3))  # not 2-d
    with pytest.raises(ValueError, match=r"^Q: "):
        alignment_factors(np.ones((2, 0)), np.ones(0))
    with pytest.raises(ValueError, match=r"^e: "):
        _ = alignment_factors(np.ones((2, 2)), np.zeros(2)).mu  # L = 0
    with pytest.raises(ValueError, match=r"^Q: "):
        _ = alignment_factors(np.zeros((2, 2)), np.ones(2)).mu1  # G = 0
    with pytest.raises(ValueError, match=r"^Q: "):
        norm_uniformity(np.zeros((2, 2)))


def test_non_psd_H_names_H() -> None:
    bad = np.diag([1.0, -1.0])
    with pytest.raises(ValueError, match=r"^H: .*positive semi-definite"):
        ratio_extremes(bad, [0.0, 1.0])
    with pytest.raises(ValueError, match=r"^H: "):
        ratio(bad, np.ones(2), [0.0, 1.0])
    with pytest.raises(ValueError, match=r"^H: .*symmetric"):
        check_psd(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"^H: .*square"):
        check_psd(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^H: .*NaN"):
        check_psd(np.array([[np.nan]]))
    with pytest.raises(ValueError, match=r"^H: "):
        ratio_extremes(np.zeros((2, 2)), [0.0, 1.0])  # no θ with θᵀHθ > 0
    with pytest.raises(ValueError, match=r"^Hess: "):
        check_psd(bad, "Hess")


def test_ratio_argument_errors() -> None:
    H = np.diag([1.0, 0.0])
    with pytest.raises(ValueError, match=r"^theta: "):
        ratio(H, np.ones(3), [0.0, 1.0])
    with pytest.raises(ValueError, match=r"^theta: "):
        ratio(H, np.array([0.0, 1.0]), [0.0, 1.0])  # θ in the null space
    with pytest.raises(ValueError, match=r"^coeffs: "):
        ratio(H, np.ones(2), [1.0, 1.0])
    with pytest.raises(ValueError, match=r"^coeffs: "):
        ratio_extremes(H, [])


def test_check_positive_names_the_argument() -> None:
    for bad in (0, -1.0, float("nan"), float("inf"), "abc", None):
        with pytest.raises(ValueError, match=r"^eta: "):
            check_positive(bad, "eta")  # type: ignore[arg-type]
    assert check_positive(0.5, "eta") == 0.5
    assert check_positive("2", "eta") == 2.0


def test_psd_helpers() -> None:
    rng = np.random.default_rng(4)
    H = random_psd(rng, 4, rank=2)
    assert is_psd(H) and not is_psd(-H - np.eye(4)) and not is_psd(np.array([[np.nan]]))
    R = psd_sqrt(H)
    np.testing.assert_allclose(R @ R, H, atol=1e-12 * np.abs(H).max())
    np.testing.assert_allclose(R, R.T)
    t = rng.standard_normal(4)
    for k in range(5):
        assert quad(H, t, k) == pytest.approx(float(t @ np.linalg.matrix_power(H, k) @ t), rel=1e-10)
    lam, V = range_eigh(H)
    assert lam.size == 2 and np.all(lam > 0)
    np.testing.assert_allclose(V.T @ V, np.eye(2), atol=1e-12)
    asym = np.array([[1.0, 1.0 + 1e-14], [1.0, 1.0]])
    np.testing.assert_array_equal(check_symmetric(asym), check_symmetric(asym).T)
    with pytest.raises(ValueError, match=r"^x: expected a 1-d array"):
        as_finite(np.ones((2, 2)), "x", ndim=1)
