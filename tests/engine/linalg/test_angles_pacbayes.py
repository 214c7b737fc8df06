"""li2019hessian: principal angles / eigenspaces / Davis-Kahan, and the PAC-Bayes terms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.integrate
import scipy.linalg
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from support import deterministic

from verifythm.linalg.angles import (
    davis_kahan_bound,
    davis_kahan_vector_bound,
    eigenspace_angles,
    orthonormal_basis,
    pairwise_sin_theta,
    principal_angles,
    principal_cosines,
    sin_theta_distance,
    top_eigenspace,
)
from verifythm.quantities.pacbayes import (
    binary_kl,
    binary_kl_elementwise,
    binary_kl_inverse,
    confidence_term,
    effective_curvature,
    gaussian_kl,
    gaussian_kl_diag,
    pacbayes_bound,
    pacbayes_kl,
    pacbayes_rhs_rows,
    posterior_precision,
    weighted_frobenius_norm,
)

SETTINGS = deterministic(40)


def sym(rng, p):
    A = rng.standard_normal((p, p))
    return (A + A.T) / 2


# ----------------------------------------------------------------------------- principal angles


@SETTINGS
@given(st.integers(1, 8), st.integers(1, 8), st.integers(1, 8), st.integers(0, 2**16))
def test_angles_match_scipy_and_cosines(p, a, b, seed):
    a, b = min(a, p), min(b, p)
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((p, a))
    B = rng.standard_normal((p, b))
    ours = principal_angles(A, B)
    ref = np.sort(scipy.linalg.subspace_angles(A, B))
    np.testing.assert_allclose(ours, ref, atol=1e-12)
    assert np.all(np.diff(ours) >= -1e-15)  # γ₁ ≤ γ₂ ≤ … (Eq. (13) order)
    np.testing.assert_allclose(principal_cosines(A, B), np.cos(ours), atol=1e-12)
    np.testing.assert_allclose(principal_angles(B, A), ours, atol=1e-14)  # symmetric
    R = rng.standard_normal((b, b)) + 3 * np.eye(b)  # a different basis of the same span
    np.testing.assert_allclose(principal_angles(A, B @ R), ours, atol=1e-9)


@SETTINGS
@given(st.integers(2, 6), st.integers(1, 3), st.integers(0, 2**16))
def test_first_cosine_is_the_recursive_maximum(p, q, seed):
    """cos γ₁ = max uᵀv over unit u ∈ P, v ∈ Q (li2019hessian Eq. (13)): random pairs never beat it."""
    q = min(q, p)
    rng = np.random.default_rng(seed)
    U = orthonormal_basis(rng.standard_normal((p, q)))
    V = orthonormal_basis(rng.standard_normal((p, q)))
    c1 = principal_cosines(U, V)[0]
    x = rng.standard_normal((2000, q))
    y = rng.standard_normal((2000, q))
    u = x @ U.T / np.linalg.norm(x, axis=1, keepdims=True)
    v = y @ V.T / np.linalg.norm(y, axis=1, keepdims=True)
    assert np.max(np.sum(u * v, axis=1)) <= c1 + 1e-12
    # the maximiser is attained by the top singular pair of UᵀV
    W, _, Zt = np.linalg.svd(U.T @ V)
    assert (U @ W[:, 0]) @ (V @ Zt[0]) == pytest.approx(c1, abs=1e-12)


@pytest.mark.parametrize("phi", [1e-14, 1e-10, 1e-6, 0.3, 0.9, 1.2, math.pi / 2])
def test_small_and_large_angles_are_accurate(phi):
    p = 6
    E = np.eye(p)
    A = E[:, :2]
    B = np.column_stack([math.cos(phi) * E[:, 0] + math.sin(phi) * E[:, 2], E[:, 1]])
    got = principal_angles(A, B)
    assert got[0] == 0.0 or got[0] < 1e-15
    assert got[1] == pytest.approx(phi, rel=1e-12)
    if phi < 1e-8:  # the cosine alone cannot resolve it: arccos(cos φ) is 0 or wildly off
        assert abs(np.arccos(principal_cosines(A, B)[1]) - phi) > 0.5 * phi


def test_sin_theta_distance_alternative_forms():
    rng = np.random.default_rng(0)
    U = orthonormal_basis(rng.standard_normal((7, 3)))
    V = orthonormal_basis(rng.standard_normal((7, 3)))
    # equal dimensions: ‖sin Θ‖_F = ‖UUᵀ − VVᵀ‖_F/√2
    alt = np.linalg.norm(U @ U.T - V @ V.T) / math.sqrt(2)
    assert sin_theta_distance(U, V) == pytest.approx(alt, rel=1e-12)
    # and also the Frobenius norm of (I − UUᵀ)V
    assert sin_theta_distance(U, V) == pytest.approx(np.linalg.norm(V - U @ (U.T @ V)), rel=1e-12)


def test_pairwise_sin_theta():
    rng = np.random.default_rng(1)
    U = rng.standard_normal((5, 3))
    V = rng.standard_normal((5, 3))
    s = pairwise_sin_theta(U, V)
    c = np.sum(U * V, axis=0) / np.linalg.norm(U, axis=0) / np.linalg.norm(V, axis=0)
    np.testing.assert_allclose(s, np.sqrt(1 - c**2), rtol=1e-12)
    np.testing.assert_allclose(pairwise_sin_theta(U, -2 * V), s, rtol=1e-12)
    for r in range(3):
        assert s[r] == pytest.approx(np.sin(principal_angles(U[:, [r]], V[:, [r]])[0]), rel=1e-12)
    tiny = pairwise_sin_theta(np.array([[1.0], [0.0]]), np.array([[1.0], [1e-13]]))
    assert tiny[0] == pytest.approx(1e-13, rel=1e-10)


def test_top_eigenspace_and_eigenspace_angles():
    rng = np.random.default_rng(2)
    H = sym(rng, 6)
    lam, U = top_eigenspace(H, 3)
    w = np.linalg.eigvalsh(H)[::-1]
    np.testing.assert_allclose(lam, w[:3], rtol=1e-12)
    np.testing.assert_allclose(H @ U, U * lam, atol=1e-12)
    assert np.all(np.diff(lam) <= 0)
    np.testing.assert_allclose(eigenspace_angles(H, 2.0 * H + np.eye(6), 3), 0.0, atol=1e-7)
    # a rotation about the plane (e₁, e₂) tilts the top eigenvector of diag(3, 2, 1) by exactly φ
    phi = 1e-9
    D = np.diag([3.0, 2.0, 1.0])
    c, s = math.cos(phi), math.sin(phi)
    R = np.array([[c, 0.0, -s], [0.0, 1.0, 0.0], [s, 0.0, c]])
    assert eigenspace_angles(D, R @ D @ R.T, 1)[0] == pytest.approx(phi, rel=1e-6)
    assert eigenspace_angles(D, R @ D @ R.T, 2, 1).shape == (1,)
    with pytest.raises(ValueError, match="k"):
        top_eigenspace(-np.eye(3), 1, require_positive=True)


@SETTINGS
@given(st.integers(2, 7), st.integers(0, 2**16), st.floats(1e-4, 1.0))
def test_davis_kahan_bounds_hold(p, seed, eps):
    rng = np.random.default_rng(seed)
    P = sym(rng, p)
    Q = P + eps * sym(rng, p)
    _, Vp = np.linalg.eigh(P)
    _, Vq = np.linalg.eigh(Q)
    Vp, Vq = Vp[:, ::-1], Vq[:, ::-1]
    for r in range(1, p + 1):
        sin_r = pairwise_sin_theta(Vp[:, [r - 1]], Vq[:, [r - 1]])[0]
        assert sin_r <= davis_kahan_vector_bound(P, Q, r) + 1e-10
    for s in range(1, p + 1):
        d = sin_theta_distance(Vp[:, :s], Vq[:, :s])
        assert d <= davis_kahan_bound(P, Q, 1, s) + 1e-10
    r, s = 2, p
    assert sin_theta_distance(Vp[:, r - 1 : s], Vq[:, r - 1 : s]) <= davis_kahan_bound(P, Q, r, s) + 1e-10
    assert davis_kahan_bound(P, Q, 1, p) == 0.0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: principal_angles(np.ones((3, 2)), np.eye(3)[:, :1]), "A"),  # dependent columns
        (lambda: principal_angles(np.eye(3)[:, :1], np.eye(4)[:, :1]), "B"),
        (lambda: principal_angles(np.eye(3), np.zeros((3, 0))), "B"),
        (lambda: principal_angles(np.ones((2, 3)), np.eye(2)), "A"),
        (lambda: principal_angles([[np.nan], [1.0]], np.eye(2)), "A"),
        (lambda: principal_cosines(np.ones(3), np.eye(3)), "A"),
        (lambda: top_eigenspace(np.eye(3), 0), "k"),
        (lambda: top_eigenspace(np.eye(3), 4), "k"),
        (lambda: top_eigenspace([[1.0, 2.0], [0.0, 1.0]], 1), "H"),
        (lambda: eigenspace_angles(np.eye(3), np.eye(2), 1), "H2"),
        (lambda: eigenspace_angles(np.eye(3), np.eye(3), 1, 5), "k2"),
        (lambda: pairwise_sin_theta(np.ones((3, 2)), np.ones((3, 1))), "V"),
        (lambda: pairwise_sin_theta(np.zeros((3, 1)), np.ones((3, 1))), "U"),
        (lambda: davis_kahan_bound(np.eye(3), np.eye(3), 3, 2), "s"),
        (lambda: davis_kahan_bound(np.eye(3), np.eye(2), 1, 2), "Q"),
        (lambda: davis_kahan_vector_bound(np.eye(3), np.eye(3), 0), "r"),
    ],
)
def test_angle_validation_names_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ----------------------------------------------------------------------------- Gaussian KL


def test_gaussian_kl_1d_matches_numerical_integration():
    mq, sq, mp, sp = 0.3, 0.7, -0.5, 1.6
    q = scipy.stats.norm(mq, sq)
    p = scipy.stats.norm(mp, sp)
    integral, _ = scipy.integrate.quad(lambda x: q.pdf(x) * (q.logpdf(x) - p.logpdf(x)), -15, 15)
    assert gaussian_kl([mq], [[sq**2]], [mp], [[sp**2]]) == pytest.approx(integral, rel=1e-9)
    assert gaussian_kl_diag([mq], sq**2, [mp], sp**2) == pytest.approx(integral, rel=1e-9)


def test_gaussian_kl_full_matches_monte_carlo():
    rng = np.random.default_rng(4)
    p = 3
    A = rng.standard_normal((p, p))
    B = rng.standard_normal((p, p))
    cq, cp = A @ A.T + 0.5 * np.eye(p), B @ B.T + 0.5 * np.eye(p)
    mq, mp = rng.standard_normal(p), rng.standard_normal(p)
    x = rng.multivariate_normal(mq, cq, size=200_000)
    samples = scipy.stats.multivariate_normal(mq, cq).logpdf(x) - scipy.stats.multivariate_normal(
        mp, cp
    ).logpdf(x)
    se = samples.std() / math.sqrt(samples.size)
    assert gaussian_kl(mq, cq, mp, cp) == pytest.approx(samples.mean(), abs=5 * se)


@SETTINGS
@given(st.integers(1, 6), st.integers(0, 2**16))
def test_gaussian_kl_diag_equals_full_and_is_nonnegative(p, seed):
    rng = np.random.default_rng(seed)
    mq, mp = rng.standard_normal(p), rng.standard_normal(p)
    vq, vp = np.exp(rng.standard_normal(p)), np.exp(rng.standard_normal(p))
    kd = gaussian_kl_diag(mq, vq, mp, vp)
    assert kd == pytest.approx(gaussian_kl(mq, np.diag(vq), mp, np.diag(vp)), rel=1e-10, abs=1e-12)
    assert kd >= 0.0
    assert gaussian_kl_diag(mq, vq, mq, vq) == 0.0


# ----------------------------------------------------------------------------- PAC-Bayes terms


@st.composite
def pacbayes_case(draw):
    p = draw(st.integers(1, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    theta = rng.standard_normal(p)
    theta0 = rng.standard_normal(p)
    hess = rng.standard_normal(p) * 10.0 ** rng.uniform(-2, 2, p)  # the diagonal may be negative
    sigma2 = np.exp(rng.uniform(-2, 2, p)) if draw(st.booleans()) else float(np.exp(rng.uniform(-2, 2)))
    return theta, theta0, hess, sigma2, rng


@SETTINGS
@given(pacbayes_case())
def test_pacbayes_kl_is_the_gaussian_kl_and_is_bounded_by_the_terms(case):
    theta, theta0, hess, sigma2, _ = case
    nu = posterior_precision(hess, sigma2)
    s2 = np.broadcast_to(sigma2, theta.shape)
    assert np.all(nu >= 1.0 / s2)
    kl = pacbayes_kl(theta, theta0, hess, sigma2)
    assert kl == pytest.approx(gaussian_kl_diag(theta, 1.0 / nu, theta0, s2), rel=1e-10, abs=1e-12)
    assert kl == pytest.approx(
        gaussian_kl(theta, np.diag(1.0 / nu), theta0, np.diag(s2)), rel=1e-9, abs=1e-12
    )
    ec = effective_curvature(hess, sigma2)
    wf = weighted_frobenius_norm(theta, theta0, sigma2)
    assert ec >= 0.0
    assert 2 * kl <= ec + wf + 1e-12 * (1 + ec + wf)  # Eq. (106)
    if np.all(hess * s2 <= 1.0):  # nothing crosses the threshold: equality, posterior = prior shape
        assert 2 * kl == pytest.approx(wf, rel=1e-12, abs=1e-15)
        assert ec == 0.0


@SETTINGS
@given(pacbayes_case())
def test_alpha_scale_invariance_corollary_3(case):
    """θ → Aθ, θ₀ → Aθ₀, σⱼ → αⱼσⱼ, H → A⁻¹HA⁻¹ (diagonal A) leaves KL and both terms unchanged."""
    theta, theta0, hess, sigma2, rng = case
    alpha = np.exp(rng.uniform(-2, 2, theta.shape))
    s2 = np.broadcast_to(sigma2, theta.shape)
    before = pacbayes_bound(theta, theta0, hess, sigma2, 100, 0.05)
    after = pacbayes_bound(alpha * theta, alpha * theta0, hess / alpha**2, alpha**2 * s2, 100, 0.05)
    assert after.kl == pytest.approx(before.kl, rel=1e-9, abs=1e-12)
    assert after.effective_curvature == pytest.approx(before.effective_curvature, rel=1e-9, abs=1e-12)
    assert after.weighted_norm == pytest.approx(before.weighted_norm, rel=1e-9, abs=1e-12)
    assert after.d_tilde == before.d_tilde or np.any(np.isclose(hess * s2, 1.0))
    # a *fixed* isotropic prior is not carried along: then the KL generally changes
    if theta.size > 1 and np.ptp(alpha) > 0.5 and np.any(theta != theta0):
        fixed = pacbayes_kl(alpha * theta, alpha * theta0, hess / alpha**2, s2)
        assert fixed != pytest.approx(before.kl, rel=1e-6)


def test_pacbayes_bound_assembly():
    theta = np.array([1.0, -2.0, 0.5])
    theta0 = np.zeros(3)
    hess = np.array([10.0, 0.1, 4.0])
    t = pacbayes_bound(theta, theta0, hess, 0.5, n=1000, delta=0.05)
    assert t.d_tilde == 2  # 10·0.5 > 1 and 4·0.5 > 1
    assert t.effective_curvature == pytest.approx(math.log(5.0) + math.log(2.0))
    assert t.weighted_norm == pytest.approx((1 + 4 + 0.25) / 0.5)
    assert t.confidence == pytest.approx(math.log(1001 / 0.05) / 1000)
    assert t.rhs == pytest.approx((t.effective_curvature + t.weighted_norm) / 2000 + t.confidence)
    assert t.rhs_exact_kl <= t.rhs + 1e-15
    risk = t.risk_bound(0.1)
    assert risk > 0.1
    assert binary_kl(0.1, risk) == pytest.approx(t.rhs, rel=1e-9)
    assert confidence_term(1000, 0.05) == t.confidence


def test_binary_kl_and_inverse():
    q, p = 0.2, 0.35
    assert binary_kl(q, p) == pytest.approx(q * math.log(q / p) + (1 - q) * math.log((1 - q) / (1 - p)))
    assert binary_kl(q, q) == 0.0
    assert binary_kl(0.0, 0.5) == pytest.approx(math.log(2.0))
    assert binary_kl(0.3, 0.0) == math.inf
    assert binary_kl(0.0, 0.0) == 0.0
    for qq in (0.0, 0.05, 0.5, 0.9):
        for c in (1e-6, 0.01, 0.3, 2.0):
            inv = binary_kl_inverse(qq, c)
            assert qq <= inv <= 1.0
            # the float supremum: kl ≤ c at inv, > c one ulp above (near p = 1, kl is very steep)
            assert binary_kl(qq, inv) <= c
            assert inv == 1.0 or binary_kl(qq, float(np.nextafter(inv, 2.0))) > c
            if inv < 1 - 1e-6:
                assert binary_kl(qq, inv) == pytest.approx(c, rel=1e-9)
            assert binary_kl_inverse(qq, 2 * c) >= inv
    assert binary_kl_inverse(0.0, 1.0) == pytest.approx(1 - math.exp(-1.0), rel=1e-12)
    assert binary_kl_inverse(1.0, 0.1) == 1.0
    assert binary_kl_inverse(0.3, 0.0) == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: posterior_precision([1.0, 2.0], 0.0), "sigma2"),
        (lambda: posterior_precision([1.0, 2.0], [1.0, -1.0]), "sigma2"),
        (lambda: posterior_precision([1.0, 2.0], [1.0, 1.0, 1.0]), "sigma2"),
        (lambda: posterior_precision([1.0, np.nan], 1.0), "hess_diag"),
        (lambda: effective_curvature(np.ones((2, 2)), 1.0), "hess_diag"),
        (lambda: weighted_frobenius_norm([1.0, 2.0], [0.0], 1.0), "theta0"),
        (lambda: pacbayes_kl([1.0], [0.0], [1.0, 2.0], 1.0), "hess_diag"),
        (lambda: pacbayes_bound([1.0], [0.0], [1.0], 1.0, 0, 0.1), "n"),
        (lambda: pacbayes_bound([1.0], [0.0], [1.0], 1.0, 10, 1.0), "delta"),
        (lambda: confidence_term(10, 0.0), "delta"),
        (lambda: gaussian_kl([0.0, 0.0], np.eye(2), [0.0, 0.0], -np.eye(2)), "cov_p"),
        (lambda: gaussian_kl([0.0, 0.0], [[1.0, 2.0], [0.0, 1.0]], [0.0, 0.0], np.eye(2)), "cov_q"),
        (lambda: gaussian_kl([0.0, 0.0], np.eye(3), [0.0, 0.0], np.eye(2)), "cov_q"),
        (lambda: gaussian_kl_diag([0.0], [1.0], [0.0, 1.0], [1.0]), "mu_p"),
        (lambda: gaussian_kl_diag([0.0], [0.0], [0.0], [1.0]), "var_q"),
        (lambda: binary_kl(1.5, 0.5), "q"),
        (lambda: binary_kl(0.5, -0.1), "p"),
        (lambda: binary_kl_inverse(0.5, -1.0), "c"),
        (lambda: pacbayes_bound([1.0], [0.0], [1.0], 1.0, 10, 0.1).risk_bound(2.0), "train_error"),
    ],
)
def test_pacbayes_validation_names_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_row_forms_equal_the_scalar_functions() -> None:
    """binary_kl_elementwise and pacbayes_rhs_rows are binary_kl and pacbayes_bound(...).rhs per entry."""
    rng = np.random.default_rng(7)
    q = np.concatenate([rng.uniform(0, 1, 200), [0.0, 0.0, 1.0, 1.0, 0.3, 0.0, 1.0]])
    p = np.concatenate([rng.uniform(0, 1, 200), [0.0, 0.5, 1.0, 0.5, 0.0, 1.0, 0.0]])
    got = binary_kl_elementwise(q, p)
    want = np.array([binary_kl(a, b) for a, b in zip(q, p, strict=True)])
    assert np.array_equal(np.isinf(got), np.isinf(want))
    fin = np.isfinite(want)
    assert np.allclose(got[fin], want[fin], rtol=1e-13, atol=0)
    with pytest.raises(ValueError, match="probabilities"):
        binary_kl_elementwise([0.5], [1.5])
    for d, s2 in [(1, 0.3), (3, np.array([0.1, 2.0, 5.0]))]:
        thetas, theta0 = rng.normal(0, 3, (50, d)), rng.normal(0, 1, d)
        H = rng.exponential(2.0, (50, d)) * rng.integers(0, 2, (50, d))  # some coordinates below 1/σ²
        rows = pacbayes_rhs_rows(thetas, theta0, H, s2, 40, 0.05)
        want = [pacbayes_bound(t, theta0, h, s2, 40, 0.05).rhs for t, h in zip(thetas, H, strict=True)]
        assert np.allclose(rows, want, rtol=1e-13, atol=0)
    # the comparison can fail: a bound off by one sample is rejected
    assert not np.allclose(pacbayes_rhs_rows(thetas, theta0, H, s2, 41, 0.05), want, rtol=1e-6)
    with pytest.raises(ValueError, match="finite"):
        pacbayes_rhs_rows(np.full((1, 1), np.nan), [0.0], [[1.0]], 1.0, 10, 0.1)
