"""wang2023noise metrics: loss/directional alignment, exact extremes, escape ratios."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given
from hypothesis import strategies as st
from support import deterministic

from verifythm.quantities.alignment import alignment_factors, fisher_dense, noise_covariances_dense
from verifythm.quantities.directional import (
    directional_alignment,
    directional_alignment_extremes_theta,
    directional_alignment_extremes_v,
    eigendirection_alignment,
    escape_components,
    escape_ratios,
    escape_spectral_ratio,
    gd_escape_ratio,
    loss_alignment,
    loss_alignment_extremes_theta,
)

SETTINGS = deterministic(30)


def dense_mu(Q, e):
    s1, _, _ = noise_covariances_dense(Q, e)
    G = fisher_dense(Q)
    return np.trace(s1 @ G) / (np.mean(e**2) * np.sum(G * G))


def dense_g(Q, e, v):
    s1, _, _ = noise_covariances_dense(Q, e)
    G = fisher_dense(Q)
    return (v @ s1 @ v) / (np.mean(e**2) * (v @ G @ v))


# ----------------------------------------------------------------------------- point metrics


@SETTINGS
@given(st.integers(1, 6), st.integers(1, 7), st.integers(0, 2**16))
def test_point_metrics_match_dense(p, n, seed):
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((p, n))
    e = rng.standard_normal(n)
    v = rng.standard_normal(p)
    assert loss_alignment(Q, e) == pytest.approx(dense_mu(Q, e), rel=1e-9)
    assert loss_alignment(Q, e) == pytest.approx(alignment_factors(Q, e).mu1, rel=1e-9)
    assert directional_alignment(Q, e, v) == pytest.approx(dense_g(Q, e, v), rel=1e-8)
    # degree-0 homogeneity in e, in Q and in v (the implementation rescales internally)
    assert directional_alignment(1e150 * Q, 1e-150 * e, 1e-100 * v) == pytest.approx(
        directional_alignment(Q, e, v), rel=1e-9
    )


def test_zero_over_zero_convention():
    Q = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    e = np.array([1.0, -1.0, 2.0])
    assert loss_alignment(Q, np.zeros(3)) == 1.0  # global minimum (wang2023noise §3)
    assert loss_alignment(np.zeros((3, 3)), e) == 1.0  # G = 0: also 0/0
    assert directional_alignment(Q, np.zeros(3), [1.0, 0.0, 0.0]) == 1.0
    assert directional_alignment(Q, e, [0.0, 0.0, 1.0]) == 1.0  # vᵀGv = 0 (App. C.1 Case (i))
    assert directional_alignment(Q, e, [0.0, 0.0, 1.0], zero_over_zero=0.5) == 0.5
    with pytest.raises(ValueError, match="e"):
        loss_alignment(Q, np.zeros(3), zero_over_zero=None)
    with pytest.raises(ValueError, match="v"):
        directional_alignment(Q, e, [0.0, 0.0, 1.0], zero_over_zero=None)


def test_eigendirection_alignment_ratio_is_g():
    rng = np.random.default_rng(5)
    Q = rng.standard_normal((6, 4))  # rank 4 < p: only the range of G is returned
    e = rng.standard_normal(4)
    ea = eigendirection_alignment(Q, e)
    G = fisher_dense(Q)
    s1, _, _ = noise_covariances_dense(Q, e)
    np.testing.assert_allclose(ea.lam, np.sort(np.linalg.eigvalsh(G))[::-1][:4], rtol=1e-10)
    for k in range(4):
        u = ea.U[:, k]
        assert ea.alpha[k] == pytest.approx(u @ s1 @ u / np.mean(e**2), rel=1e-9)
        assert ea.ratio[k] == pytest.approx(directional_alignment(Q, e, u), rel=1e-9)
        assert ea.ratio[k] == pytest.approx(ea.alpha[k] / ea.lam[k], rel=1e-9)
    with pytest.raises(ValueError, match="e"):
        eigendirection_alignment(Q, np.zeros(4))


# ----------------------------------------------------------------------------- extremes over v


@SETTINGS
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**16))
def test_extremes_over_v_bound_random_search_and_are_attained(p, n, seed):
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((p, n))
    e = rng.standard_normal(n)
    ex = directional_alignment_extremes_v(Q, e)
    assert ex.inf <= ex.sup
    for value, arg, conv in (
        (ex.inf, ex.arg_inf, ex.inf_by_convention),
        (ex.sup, ex.arg_sup, ex.sup_by_convention),
    ):
        if conv:  # a direction in ker G: g = 0/0 := 1 in exact arithmetic
            assert value == 1.0
            assert np.linalg.norm(Q.T @ arg) <= 1e-12 * np.linalg.norm(Q)
        else:
            assert directional_alignment(Q, e, arg) == pytest.approx(value, rel=1e-8, abs=1e-12)
    vs = rng.standard_normal((400, p))
    vals = np.array([directional_alignment(Q, e, v) for v in vs])
    tol = 1e-9 * max(1.0, abs(ex.sup))
    assert vals.max() <= ex.sup + tol
    assert vals.min() >= ex.inf - tol
    if p > n:  # ker G ≠ 0: the convention value 1 is in the range of g(θ; ·)
        assert ex.inf <= 1.0 <= ex.sup


def test_extremes_over_v_equal_dense_pencil_when_G_invertible():
    rng = np.random.default_rng(7)
    Q = rng.standard_normal((4, 9))
    e = rng.standard_normal(9)
    s1, _, _ = noise_covariances_dense(Q, e)
    w = scipy.linalg.eigh(s1, np.mean(e**2) * fisher_dense(Q), eigvals_only=True)
    ex = directional_alignment_extremes_v(Q, e)
    assert (ex.inf, ex.sup) == pytest.approx((w[0], w[-1]), rel=1e-9)


def test_extremes_over_v_degenerate_cases():
    Q = np.array([[1.0, 2.0], [0.0, 1.0]])
    ex = directional_alignment_extremes_v(Q, np.zeros(2))
    assert (ex.inf, ex.sup) == (1.0, 1.0)
    with pytest.raises(ValueError, match="e"):
        directional_alignment_extremes_v(Q, np.zeros(2), include_convention=False)
    ex0 = directional_alignment_extremes_v(np.zeros((2, 2)), np.ones(2))
    assert (ex0.inf, ex0.sup) == (1.0, 1.0)


# ----------------------------------------------------------------------------- extremes over θ


def g_feature(Phi, y, v, theta):
    return directional_alignment(Phi.T, Phi @ theta - y, v)


def mu_feature(Phi, y, theta):
    return loss_alignment(Phi.T, Phi @ theta - y)


def random_thetas(rng, p, count=300):
    scales = 10.0 ** rng.uniform(-3, 4, size=(count, 1))
    return rng.standard_normal((count, p)) * scales


def check_extremes(ex, f, thetas, p, residual):
    vals = np.array([f(t) for t in thetas])
    tol = 1e-8 * max(1.0, abs(ex.sup), abs(ex.inf))
    assert vals.max() <= ex.sup + tol, (vals.max(), ex.sup)
    assert vals.min() >= ex.inf - tol, (vals.min(), ex.inf)
    for value, arg, attained, conv in (
        (ex.inf, ex.arg_inf, ex.inf_attained, ex.inf_by_convention),
        (ex.sup, ex.arg_sup, ex.sup_attained, ex.sup_by_convention),
    ):
        if conv:  # a global minimum: the ratio is 0/0 := 1 there
            assert value == 1.0 and attained
            assert residual(arg) <= 1e-10
        elif attained:
            assert f(arg) == pytest.approx(value, rel=1e-7, abs=1e-9)
        else:  # a recession direction: approached as R → ∞ from any base point
            base = np.linspace(-1.0, 1.0, p)
            assert f(base + 1e7 * arg / np.linalg.norm(arg)) == pytest.approx(value, rel=1e-6, abs=1e-9)


@st.composite
def feature_problem(draw):
    n = draw(st.integers(1, 7))
    p = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**16))
    realisable = draw(st.booleans())
    rng = np.random.default_rng(seed)
    Phi = rng.standard_normal((n, p))
    if draw(st.booleans()) and p > 1:  # a rank-deficient Φ
        Phi[:, -1] = Phi[:, 0]
    y = Phi @ rng.standard_normal(p) if realisable else rng.standard_normal(n)
    return Phi, y, rng.standard_normal(p), rng


@SETTINGS
@given(feature_problem())
def test_theta_extremes_of_g_bound_random_search(problem):
    Phi, y, v, rng = problem
    ex = directional_alignment_extremes_theta(Phi, y, v)
    res = lambda t: np.linalg.norm(Phi @ t - y) / max(1.0, np.linalg.norm(y))  # noqa: E731
    check_extremes(ex, lambda t: g_feature(Phi, y, v, t), random_thetas(rng, Phi.shape[1]), Phi.shape[1], res)


@SETTINGS
@given(feature_problem())
def test_theta_extremes_of_mu_bound_random_search(problem):
    Phi, y, _, rng = problem
    ex = loss_alignment_extremes_theta(Phi, y)
    res = lambda t: np.linalg.norm(Phi @ t - y) / max(1.0, np.linalg.norm(y))  # noqa: E731
    check_extremes(ex, lambda t: mu_feature(Phi, y, t), random_thetas(rng, Phi.shape[1]), Phi.shape[1], res)


def test_theta_extremes_match_homogenised_pencil():
    """Independent route: the pencil (MᵀDM, MᵀM), M = [Φ, −y] of full column rank, via scipy."""
    rng = np.random.default_rng(11)
    n, p = 12, 3
    Phi = rng.standard_normal((n, p))
    y = rng.standard_normal(n)
    v = rng.standard_normal(p)
    b2 = (Phi @ v) ** 2
    D = np.diag(b2 / b2.mean())
    M = np.column_stack([Phi, -y])
    w = scipy.linalg.eigh(M.T @ D @ M, M.T @ M, eigvals_only=True)
    ex = directional_alignment_extremes_theta(Phi, y, v)
    assert (ex.inf, ex.sup) == pytest.approx((w[0], w[-1]), rel=1e-9)
    # realisable targets: the θ-pencil (ΦᵀDΦ, ΦᵀΦ) in r = θ − w*, plus the convention value 1
    y_real = Phi @ rng.standard_normal(p)
    w_r = scipy.linalg.eigh(Phi.T @ D @ Phi, Phi.T @ Phi, eigvals_only=True)
    ex_r = directional_alignment_extremes_theta(Phi, y_real, v)
    assert ex_r.inf == pytest.approx(min(w_r[0], 1.0), rel=1e-9)
    assert ex_r.sup == pytest.approx(max(w_r[-1], 1.0), rel=1e-9)
    ex_nc = directional_alignment_extremes_theta(Phi, y_real, v, include_convention=False)
    assert (ex_nc.inf, ex_nc.sup) == pytest.approx((w_r[0], w_r[-1]), rel=1e-9)


def test_theta_extreme_not_attained_is_a_supremum():
    """e = θe₁ − e₂ with weights (3, 0, 0): g = 3θ²/(θ² + 1) → 3, never reached."""
    Phi = np.array([[1.0], [0.0], [0.0]])
    y = np.array([0.0, 1.0, 0.0])
    ex = directional_alignment_extremes_theta(Phi, y, [1.0])
    assert ex.sup == pytest.approx(3.0)
    assert not ex.sup_attained
    assert ex.inf == pytest.approx(0.0, abs=1e-12)
    assert ex.inf_attained
    assert g_feature(Phi, y, np.array([1.0]), ex.arg_inf) == pytest.approx(0.0, abs=1e-12)
    assert g_feature(Phi, y, np.array([1.0]), 1e6 * ex.arg_sup) == pytest.approx(3.0, rel=1e-9)


def test_overparameterised_extremes_are_extreme_weights():
    """n ≤ p with Φ of full row rank: every residual is reachable, so the extremes are min/max wᵢ."""
    rng = np.random.default_rng(3)
    Phi = rng.standard_normal((4, 9))
    y = rng.standard_normal(4)
    v = rng.standard_normal(9)
    b2 = (Phi @ v) ** 2
    w = b2 / b2.mean()
    ex = directional_alignment_extremes_theta(Phi, y, v, include_convention=False)
    assert (ex.inf, ex.sup) == pytest.approx((w.min(), w.max()), rel=1e-10)
    ex_c = directional_alignment_extremes_theta(Phi, y, v)
    assert (ex_c.inf, ex_c.sup) == pytest.approx((min(w.min(), 1.0), max(w.max(), 1.0)), rel=1e-10)


def test_theta_extremes_degenerate_direction():
    Phi = np.array([[1.0, 0.0], [2.0, 0.0]])
    ex = directional_alignment_extremes_theta(Phi, [1.0, 0.0], [0.0, 1.0])  # Φv = 0: g ≡ 1
    assert (ex.inf, ex.sup) == (1.0, 1.0)
    with pytest.raises(ValueError, match="v"):
        directional_alignment_extremes_theta(Phi, [1.0, 0.0], [0.0, 1.0], include_convention=False)
    with pytest.raises(ValueError, match="Phi"):
        loss_alignment_extremes_theta(np.zeros((2, 2)), [1.0, 0.0], include_convention=False)


# ----------------------------------------------------------------------------- escape (§5, §6)


def linear_regression(rng, n=400, d=20, lam1=1.0, lam_rest=0.05):
    lam = np.full(d, lam_rest)
    lam[0] = lam1
    X = rng.standard_normal((n, d)) * np.sqrt(lam)
    G = X.T @ X / n
    w, U = np.linalg.eigh(G)
    return X, G, w[::-1], U[:, ::-1]


def test_gd_escape_ratio_is_exact_for_gd():
    rng = np.random.default_rng(0)
    _, G, lam, U = linear_regression(rng)
    eta = 4.0 / (lam[0] + lam[1])
    w = 1e-3 * rng.standard_normal(G.shape[0])
    traj = [w]
    for _ in range(30):
        w = w - eta * G @ w
        traj.append(w)
    traj = np.array(traj)
    D = escape_ratios(traj, lam, U, 1).D
    bound = gd_escape_ratio(lam, U, traj[0], eta, np.arange(31))
    # equal up to the rounding the GD iteration itself injects into the shrinking flat share
    np.testing.assert_allclose(D[:16], bound[:16], rtol=1e-8)
    np.testing.assert_allclose(D, bound, rtol=1e-2)
    assert D[-1] < 1e-6 * D[0]  # GD escapes along the sharpest direction (Prop. 5.3)


def test_sgd_escape_keeps_flat_energy_and_p_dominates_d():
    rng = np.random.default_rng(1)
    X, G, lam, U = linear_regression(rng)
    eta = 1.2 / np.linalg.norm(G)  # the paper's Fig. 3 choice
    runs, T = 40, 25
    traj = np.empty((runs, T + 1, G.shape[0]))
    for r in range(runs):
        w = np.exp(-5) * rng.standard_normal(G.shape[0]) / np.sqrt(G.shape[0])
        traj[r, 0] = w
        for t in range(T):
            x = X[rng.integers(X.shape[0])]
            w = w - eta * x * (x @ w)
            traj[r, t + 1] = w
    er = escape_ratios(traj, lam, U, 1)
    assert np.all(er.X > 0)
    # P_{t,k} ≥ D_{t,k} λ_k/λ_{k+1} (wang2023noise §5), for every k
    for k in range(1, G.shape[0]):
        ek = escape_ratios(traj, lam, U, k)
        assert np.all(ek.P >= ek.D * lam[k - 1] / lam[k] * (1 - 1e-12))
    # SGD keeps a sizeable share of loss energy on flat directions (Thm 5.2), unlike GD
    assert np.median(er.D[-10:]) > 0.1 * escape_spectral_ratio(lam, 1)
    # single run vs averaged: the (R, T, p) form is the mean of per-run energies
    one = escape_ratios(traj[3], lam, U, 1)
    mean_X = np.mean([escape_ratios(traj[r], lam, U, 1).X for r in range(runs)], axis=0)
    np.testing.assert_allclose(er.X, mean_X, rtol=1e-12)
    assert one.X.shape == (T + 1,)


def test_escape_spectral_ratio_and_srk():
    lam = np.array([0.5, 2.0, 1.0, 0.0])
    G2_srk = np.sum(lam**2) / np.max(lam) ** 2
    assert escape_spectral_ratio(lam, 1) == pytest.approx(G2_srk - 1)
    assert escape_spectral_ratio(lam, 4) == 0.0
    assert escape_spectral_ratio(lam, 2) == pytest.approx(0.25 / 5.0)


def test_escape_components():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((5, 5))
    _, U = np.linalg.eigh(A + A.T)
    traj = rng.standard_normal((7, 5))
    star = rng.standard_normal(5)
    p1, r1 = escape_components(traj, U[:, :2], 1, theta_star=star)
    np.testing.assert_allclose(p1, (traj - star) @ U[:, 0])
    p2, r2 = escape_components(traj, U[:, :2], 2, theta_star=star)
    norms2 = np.sum((traj - star) ** 2, axis=1)
    np.testing.assert_allclose(p2**2 + r2**2, norms2, rtol=1e-12)
    np.testing.assert_allclose(p1**2 + r1**2, norms2, rtol=1e-12)
    # tiny flat component stays accurate (projection residual, not a difference of squares)
    t = np.array([U[:, 0] * 1.0 + 1e-12 * U[:, 3]])
    assert escape_components(t, U, 1)[1][0] == pytest.approx(1e-12, rel=1e-3)


def test_escape_ratio_ieee_rules():
    lam = np.array([1.0, 0.5])
    U = np.eye(2)
    er = escape_ratios(np.array([[0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]), lam, U, 1)
    assert np.isinf(er.D[0]) and np.isnan(er.D[1]) and er.D[2] == 0.0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: loss_alignment(np.ones((2, 3)), np.ones(2)), "e"),
        (lambda: loss_alignment(np.ones(3), np.ones(3)), "Q"),
        (lambda: directional_alignment(np.ones((2, 3)), np.ones(3), np.ones(3)), "v"),
        (lambda: directional_alignment(np.ones((2, 3)), [1.0, np.nan, 0.0], np.ones(2)), "e"),
        (lambda: directional_alignment_extremes_theta(np.ones((3, 2)), np.ones(2), np.ones(2)), "y"),
        (lambda: loss_alignment_extremes_theta(np.ones(3), np.ones(3)), "Phi"),
        (lambda: escape_ratios(np.ones((4, 2)), [1.0, 0.5], np.eye(2), 0), "k"),
        (lambda: escape_ratios(np.ones((4, 2)), [1.0, 0.5], np.eye(2), 3), "k"),
        (lambda: escape_ratios(np.ones((4, 3)), [1.0, 0.5], np.eye(2), 1), "trajectory"),
        (lambda: escape_ratios(np.ones((4, 2)), [1.0, -0.5], np.eye(2), 1), "lam"),
        (lambda: escape_ratios(np.ones((4, 2)), [1.0, 0.5], [[1.0, 1.0], [0.0, 1.0]], 1), "U"),
        (lambda: escape_ratios(np.ones((4, 2)), [1.0, 0.5], np.eye(2)[:, :1], 1), "U"),
        (lambda: escape_ratios(np.ones(2), [1.0, 0.5], np.eye(2), 1), "trajectory"),
        (lambda: escape_ratios(np.ones((4, 2)), [1.0, 0.5], np.eye(2), 1, theta_star=[0.0]), "theta_star"),
        (lambda: escape_spectral_ratio([1.0, -1.0], 1), "lam"),
        (lambda: gd_escape_ratio([1.0, 0.5], np.eye(2), [0.0, 1.0], 0.1, [1, 2]), "w0"),
        (lambda: gd_escape_ratio([1.0, 0.5], np.eye(2), [1.0, 1.0], -0.1, [1, 2]), "eta"),
        (lambda: gd_escape_ratio([1.0, 0.5], np.eye(2), [1.0, 1.0], 0.1, [-1]), "t"),
        (lambda: escape_components(np.ones((3, 2)), np.eye(2), 3), "k"),
        (lambda: escape_components(np.ones((3, 2)), 2 * np.eye(2), 1), "U"),
    ],
)
def test_validation_names_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
