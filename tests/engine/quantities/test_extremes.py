"""Exact extremes over θ: the generalized eigenproblem and inf/sup of μ, μ₁, μ₂ (wu2022alignment §2)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from support import deterministic, gradient_instances

from verifythm.linalg.geneig import quadratic_ratio, rayleigh_extremes
from verifythm.linalg.gram import gram_from_Q
from verifythm.quantities.alignment import alignment_factors, fisher_dense, noise_covariances_dense
from verifythm.quantities.extremes import (
    AlignmentExtremes,
    alignment_extremes,
    alignment_matrices,
    feature_alignment_extremes,
)
from verifythm.quantities.rayleigh import ratio, ratio_argextremes, ratio_extremes
from verifythm.strategies.families.legacy import gradient_families, random_psd

DET = deterministic(40, HealthCheck.too_slow)
TOL = 1e-9
FACTORS = ("mu", "mu1", "mu2")


# -- generalized symmetric eigenproblem -------------------------------------------------------------------
def _sym(rng: np.random.Generator, d: int) -> np.ndarray:
    A = rng.standard_normal((d, d))
    return (A + A.T) / 2


@pytest.mark.parametrize("seed", range(6))
def test_rayleigh_extremes_match_scipy_for_definite_B(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = int(rng.integers(1, 7))
    A, B = _sym(rng, d), random_psd(rng, d, cond=50.0)
    w = scipy.linalg.eigh(A, B, eigvals_only=True)
    r = rayleigh_extremes(A, B)
    assert r.rank == d and r.exact_over_all_x
    assert r.inf == pytest.approx(w[0], rel=1e-9, abs=1e-12)
    assert r.sup == pytest.approx(w[-1], rel=1e-9, abs=1e-12)
    assert quadratic_ratio(A, B, r.x_inf) == pytest.approx(r.inf, rel=1e-9, abs=1e-12)
    assert quadratic_ratio(A, B, r.x_sup) == pytest.approx(r.sup, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_rayleigh_extremes_singular_B_bound_a_random_search(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    d = int(rng.integers(2, 7))
    rank = int(rng.integers(1, d))
    B = random_psd(rng, d, rank=rank)
    A = _sym(rng, d)
    r = rayleigh_extremes(A, B)
    assert r.rank == rank
    _, V = np.linalg.eigh(B)
    R = V[:, -rank:]  # orthonormal basis of range(B)
    xs = R @ rng.standard_normal((rank, 4000))
    vals = np.einsum("ik,ij,jk->k", xs, A, xs) / np.einsum("ik,ij,jk->k", xs, B, xs)
    scale = np.max(np.abs(vals))
    assert vals.min() >= r.inf - TOL * scale
    assert vals.max() <= r.sup + TOL * scale
    for x, v in ((r.x_inf, r.inf), (r.x_sup, r.sup)):
        assert np.linalg.norm(x - R @ (R.T @ x)) < 1e-8  # the optimiser lies in range(B)
        assert quadratic_ratio(A, B, x) == pytest.approx(v, rel=1e-8, abs=1e-10 * scale)


def test_rayleigh_extremes_null_space_flag_and_basis() -> None:
    A = np.diag([1.0, 3.0, 5.0])
    r = rayleigh_extremes(A, np.diag([1.0, 1.0, 0.0]))
    assert (r.inf, r.sup, r.rank, r.exact_over_all_x) == (1.0, 3.0, 2, False)
    r2 = rayleigh_extremes(np.diag([1.0, 3.0, 0.0]), np.diag([1.0, 1.0, 0.0]))
    assert r2.exact_over_all_x  # A vanishes on null(B): the restriction loses nothing
    rb = rayleigh_extremes(A, None, basis=np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]))
    assert rb.rank == 1 and rb.inf == pytest.approx(3.0) and rb.sup == pytest.approx(3.0)
    rb2 = rayleigh_extremes(A, None, basis=np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]]))
    assert (rb2.inf, rb2.sup) == pytest.approx((3.0, 5.0))


def test_rayleigh_extremes_errors_name_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^A: .*symmetric"):
        rayleigh_extremes(np.array([[1.0, 2.0], [0.0, 1.0]]), np.eye(2))
    with pytest.raises(ValueError, match=r"^B: .*positive semi-definite"):
        rayleigh_extremes(np.eye(2), np.diag([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"^B: .*zero"):
        rayleigh_extremes(np.eye(2), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"^B: .*shape"):
        rayleigh_extremes(np.eye(2), np.eye(3))
    with pytest.raises(ValueError, match=r"^basis: "):
        rayleigh_extremes(np.eye(2), None, basis=np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"^basis: "):
        rayleigh_extremes(np.eye(2), None, basis=np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"^x: "):
        quadratic_ratio(np.eye(2), np.diag([1.0, 0.0]), np.array([0.0, 1.0]))


@pytest.mark.parametrize("seed", range(4))
def test_ratio_argextremes_attain_ratio_extremes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    H = random_psd(rng, 5, rank=3)
    coeffs = [0.0, 1.0, -0.7, 0.2]
    lo, hi = ratio_extremes(H, coeffs)
    t_lo, t_hi = ratio_argextremes(H, coeffs)
    assert ratio(H, t_lo, coeffs) == pytest.approx(lo, rel=1e-9, abs=1e-12)
    assert ratio(H, t_hi, coeffs) == pytest.approx(hi, rel=1e-9, abs=1e-12)


# -- inf/sup over θ of the alignment factors ----------------------------------------------------------------
def _dense_factors(Q: np.ndarray, e: np.ndarray) -> dict[str, float]:
    """μ, μ₁, μ₂ from the p×p definitions (wu2022alignment Eq. (3))."""
    n = Q.shape[1]
    G = fisher_dense(Q)
    s1, s2, s = noise_covariances_dense(Q, e)
    den = float(e @ e) / n * float(np.sum(G * G))
    return {
        "mu": float(np.trace(s @ G)) / den,
        "mu1": float(np.trace(s1 @ G)) / den,
        "mu2": float(np.trace(s2 @ G)) / den,
    }


def _check_extremes(Q: np.ndarray, ex: AlignmentExtremes, rng: np.random.Generator, k: int = 1500) -> None:
    p, n = Q.shape
    # 1. the returned θ attains every extreme (p×p definitions, not the code under test)
    for f in FACTORS:
        for side in ("inf", "sup"):
            E = getattr(ex, f"{f}_{side}")
            assert E.attained
            e = Q.T @ E.theta
            np.testing.assert_allclose(e, E.residuals, atol=1e-8 * max(1.0, float(np.max(np.abs(e)))))
            assert _dense_factors(Q, e)[f] == pytest.approx(E.value, rel=1e-7, abs=1e-9)
    # 2. a dense random search over θ never beats them
    thetas = rng.standard_normal((p, k)) * rng.uniform(0.0, 2.0, size=p)[:, None]
    for j in range(k):
        e = Q.T @ thetas[:, j]
        if not np.any(e):
            continue
        af = alignment_factors(Q, e)
        for f in FACTORS:
            v = getattr(af, f)
            assert v >= getattr(ex, f"{f}_inf").value - TOL, (f, v)
            assert v <= getattr(ex, f"{f}_sup").value + TOL, (f, v)
    # 3. Lemma 2.4 of wu2022alignment, and μ ≥ 0 (Σ is PSD)
    assert ex.mu1_inf.value >= ex.gamma - TOL
    assert ex.mu2_sup.value == pytest.approx(ex.tau, rel=1e-9)  # the τ(G) bound is attained
    assert ex.mu_inf.value >= ex.gamma - ex.tau - TOL
    assert ex.mu_inf.value >= -TOL
    if ex.rank == n:  # every residual vector is reachable: the γ bound is attained too
        assert ex.mu1_inf.value == pytest.approx(ex.gamma, rel=1e-9)


@pytest.mark.parametrize("Q", [Q for Q, _ in gradient_instances(21, 18, max_n=7, max_p=9, residuals=False)])
def test_alignment_extremes_exact_attained_and_unbeaten(Q: np.ndarray) -> None:
    _check_extremes(Q, alignment_extremes(Q), np.random.default_rng(Q.size))


@DET
@given(gradient_families(), st.integers(0, 2**31))
def test_alignment_extremes_property(Q: np.ndarray, seed: int) -> None:
    if not np.any(Q):
        return
    Q = Q / np.max(np.abs(Q))
    _check_extremes(Q, alignment_extremes(Q), np.random.default_rng(seed), k=150)


def test_extremes_from_gram_and_theta_star() -> None:
    rng = np.random.default_rng(31)
    Q = rng.standard_normal((12, 5)) * 1e-120  # tiny gradients: scale handled by the Gram
    ex_g = alignment_extremes(gram_from_Q(Q))
    ts = rng.standard_normal(12)
    ex_q = alignment_extremes(Q, theta_star=ts)
    for f in ("mu_inf", "mu1_sup", "mu2_sup"):
        Eg, Eq = getattr(ex_g, f), getattr(ex_q, f)
        assert Eg.theta is None and Eg.value == pytest.approx(Eq.value, rel=1e-12)
        np.testing.assert_allclose(Q @ Eg.coef + ts, Eq.theta, rtol=1e-9)
        np.testing.assert_allclose(Q.T @ (Eq.theta - ts), Eq.residuals, atol=1e-12)


def test_alignment_matrices_reproduce_factors() -> None:
    rng = np.random.default_rng(41)
    Q, e = rng.standard_normal((9, 6)), rng.standard_normal(6)
    D, M2 = alignment_matrices(gram_from_Q(Q))
    af = alignment_factors(Q, e)
    assert float(e @ D @ e) / float(e @ e) == pytest.approx(af.mu1, rel=1e-12)
    assert float(e @ M2 @ e) / float(e @ e) == pytest.approx(af.mu2, rel=1e-12)


def test_rank_deficient_K_restricts_residuals() -> None:
    # p < n: e = Qᵀθ cannot reach the minimiser of χ_i over all of R^n, so inf μ₁ > γ
    rng = np.random.default_rng(3)
    Q = rng.standard_normal((2, 6)) * np.array([0.2, 1, 1, 1, 1, 3.0])
    ex = alignment_extremes(Q)
    assert ex.rank == 2
    assert ex.mu1_inf.value > ex.gamma + 1e-3
    _check_extremes(Q, ex, rng)


def test_extremes_special_families() -> None:
    ex = alignment_extremes(np.eye(4))  # orthonormal: G = I/4, all χ_i equal
    for f in ("mu1_inf", "mu1_sup"):
        assert getattr(ex, f).value == pytest.approx(1.0)
    assert ex.mu2_sup.value == pytest.approx(0.25) and ex.tau == pytest.approx(0.25)
    same = alignment_extremes(np.ones((3, 5)))  # identical gradients: Σ = 0 on range(K)
    assert same.mu_inf.value == pytest.approx(0.0, abs=1e-12)
    assert same.mu_sup.value == pytest.approx(0.0, abs=1e-12)
    assert same.rank == 1


# -- feature models -------------------------------------------------------------------------------------
def _feature_search(Phi: np.ndarray, y: np.ndarray, ex: AlignmentExtremes, rng: np.random.Generator) -> None:
    m = Phi.shape[1]
    Q = Phi.T
    for _ in range(1500):
        th = rng.standard_normal(m) * 10 ** rng.uniform(-2, 2)
        e = Phi @ th - y
        if not np.any(e):
            continue
        af = alignment_factors(Q, e)
        for f in FACTORS:
            v = getattr(af, f)
            assert getattr(ex, f"{f}_inf").value - TOL <= v <= getattr(ex, f"{f}_sup").value + TOL


@pytest.mark.parametrize("seed", range(4))
def test_feature_model_interpolating(seed: int) -> None:
    rng = np.random.default_rng(50 + seed)
    n, m = 5, 8
    Phi = rng.standard_normal((n, m))
    y = Phi @ rng.standard_normal(m)  # interpolable labels
    ex = feature_alignment_extremes(Phi, y)
    ref = alignment_extremes(Phi.T)
    for f in FACTORS:
        for side in ("inf", "sup"):
            E = getattr(ex, f"{f}_{side}")
            assert E.value == pytest.approx(getattr(ref, f"{f}_{side}").value, rel=1e-10)
            e = Phi @ E.theta - y
            assert _dense_factors(Phi.T, e)[f] == pytest.approx(E.value, rel=1e-7, abs=1e-9)
    _feature_search(Phi, y, ex, rng)


@pytest.mark.parametrize("seed", range(4))
def test_feature_model_non_interpolating(seed: int) -> None:
    rng = np.random.default_rng(60 + seed)
    n, m = 6, 3  # y ∉ range(Φ): L > 0 everywhere and e sweeps an affine set
    Phi = rng.standard_normal((n, m))
    y = rng.standard_normal(n)
    ex = feature_alignment_extremes(Phi, y)
    assert ex.rank == m + 1
    _feature_search(Phi, y, ex, rng)
    for f in FACTORS:
        for side in ("inf", "sup"):
            E = getattr(ex, f"{f}_{side}")
            if E.attained:
                assert _dense_factors(Phi.T, Phi @ E.theta - y)[f] == pytest.approx(E.value, abs=1e-8)
            else:  # approached along θ = t·direction, t → ∞
                far = _dense_factors(Phi.T, Phi @ (1e8 * E.theta) - y)[f]
                assert far == pytest.approx(E.value, abs=1e-6)


def test_feature_model_non_attained_extreme() -> None:
    # Φ = e₁ column, y = e₂: e = (θ, −1, 0); μ₂ peaks only as θ → ∞ when K's top direction is e₁
    Phi = np.array([[1.0], [0.0], [0.0]])
    y = np.array([0.0, 1.0, 0.0])
    ex = feature_alignment_extremes(Phi, y)
    flags = {f: getattr(ex, f).attained for f in ("mu1_sup", "mu2_sup", "mu_inf", "mu2_inf")}
    assert not all(flags.values())
    assert ex.mu2_sup.value == pytest.approx(1.0)


def test_extremes_errors_name_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^Q: .*zero"):
        alignment_extremes(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"^Q: "):
        alignment_extremes(np.ones(3))
    with pytest.raises(ValueError, match=r"^theta_star: "):
        alignment_extremes(np.ones((3, 2)), theta_star=np.ones(2))
    with pytest.raises(ValueError, match=r"^theta_star: "):
        alignment_extremes(gram_from_Q(np.ones((3, 2))), theta_star=np.ones(3))
    with pytest.raises(ValueError, match=r"^features: "):
        feature_alignment_extremes(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"^features: .*NaN"):
        feature_alignment_extremes(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match=r"^labels: "):
        feature_alignment_extremes(np.ones((3, 2)), np.ones(2))


def test_feature_extremes_with_tiny_features_do_not_overflow() -> None:
    # θ* = Φ⁺y would be ~1e309 here (overflows): the extremes live in residual space and must not need it
    Phi = np.array([[1e-309, 0.0], [0.0, 2e-309]])
    y = np.array([1.0, -1.0])
    ex = feature_alignment_extremes(Phi, y)
    ref = feature_alignment_extremes(np.array([[1.0, 0.0], [0.0, 2.0]]), y)
    assert ex.mu1_inf.value == pytest.approx(ref.mu1_inf.value, rel=1e-12)
    assert ex.mu2_sup.value == pytest.approx(ref.mu2_sup.value, rel=1e-12)
