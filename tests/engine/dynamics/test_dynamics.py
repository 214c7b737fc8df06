"""The exact moment engine: operators, reductions, spectral radius, critical learning rate, Monte Carlo.

Statistical comparisons (exact versus Monte Carlo) use a fixed seed per test and a
two-sided 6-standard-error band: under the normal approximation the false-alarm
probability of one comparison is below 2e-9, and with fixed seeds the outcome is
deterministic (no flakes).
"""

from __future__ import annotations

import itertools
import math
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from support import deterministic

from verifythm.dynamics import (
    SCHEMES,
    Family,
    NoiseModel,
    Sampling,
    batch_distribution,
    batch_weights,
    critical_learning_rate,
    critical_learning_rates,
    dexter_protocol,
    moment_operator,
    moment_trajectory,
    noise_constant,
    simulate,
    simulate_products,
    spectral_radius,
    stability,
)
from verifythm.dynamics.moments import enumerated_second_moment
from verifythm.strategies.families.legacy import psd_matrices, random_psd

Z = 6.0  # standard errors allowed in Monte Carlo comparisons (false alarm < 2e-9 each)
DET = deterministic(25, HealthCheck.too_slow)


def _family(rng: np.random.Generator, n: int, d: int, kind: str) -> np.ndarray:
    if kind == "rank_one":
        G = rng.standard_normal((n, d))
        return np.einsum("ia,ib->iab", G, G)
    if kind == "identical":
        H = random_psd(rng, d)
        return np.repeat(H[None], n, axis=0)
    if kind == "orthogonal":
        Hs = np.zeros((n, d, d))
        for i in range(n):
            Hs[i, i % d, i % d] = rng.uniform(0.5, 2.0)
        return Hs
    if kind == "degenerate":  # shared kernel: H has rank < d
        Hs = np.array([random_psd(rng, d - 1) for _ in range(n)])
        out = np.zeros((n, d, d))
        out[:, : d - 1, : d - 1] = Hs
        return out
    return np.array([random_psd(rng, d, rank=int(rng.integers(1, d + 1))) for _ in range(n)])


KINDS = ("general", "rank_one", "identical", "orthogonal", "degenerate")


# -- sampling -----------------------------------------------------------------------------
def test_batch_distribution_moments_match_noise_constant():
    from verifythm.dynamics.symbolic import batch_moments

    for s in SCHEMES:
        for n in range(1, 6):
            for B in range(1, n + 1):
                m1, m2 = batch_moments(s, n, B)
                assert all(x == type(x)(1, n) for x in m1)  # unbiased: E ω_i = 1/n
                c = noise_constant(s, n, B, exact=True)
                # Cov(ω_i, ω_j) = c (δ_ij/n − [s≠bern]/n²) … written as E[ω_iω_j] − 1/n²
                for i in range(n):
                    for j in range(n):
                        cov = m2[i][j] - type(c)(1, n * n)
                        sub = 0 if s is Sampling.BERNOULLI else type(c)(1, n * n)
                        want = c * ((type(c)(1, n) if i == j else 0) - sub)
                        assert cov == want, (s, n, B, i, j)


@pytest.mark.parametrize("scheme", list(Sampling))
def test_batch_weights_are_exact_schemes(scheme):
    rng = np.random.default_rng(1)
    n, B, k = 5, 2, 200_000
    w = batch_weights(rng, scheme, n, B, k)
    assert w.shape == (k, n)
    assert np.allclose(w.mean(axis=0), 1 / n, atol=Z * 0.5 / math.sqrt(k))
    if scheme is Sampling.WITHOUT_REPLACEMENT:
        assert np.all(np.isclose(w.sum(axis=1), 1.0)) and set(np.unique(w)) <= {0.0, 1 / B}
    if scheme is Sampling.WITH_REPLACEMENT:
        assert np.allclose(w.sum(axis=1), 1.0)
    # second moments against the exact enumeration
    from verifythm.dynamics.symbolic import batch_moments

    _, m2 = batch_moments(scheme, n, B)
    emp = w.T @ w / k
    exact = np.array([[float(x) for x in row] for row in m2])
    se = np.sqrt(np.var(w[:, :, None] * w[:, None, :], axis=0) / k) + 1e-12
    assert np.all(np.abs(emp - exact) <= Z * se)


def test_bad_inputs_name_the_argument():
    rng = np.random.default_rng(0)
    Hs = _family(rng, 3, 2, "general")
    with pytest.raises(ValueError, match=r"hessians.*positive semi-definite"):
        Family.from_hessians(np.array([[[1.0, 0], [0, -1.0]]]))
    with pytest.raises(ValueError, match=r"hessians.*shape"):
        Family.from_hessians(np.ones((2, 2, 3)))
    with pytest.raises(ValueError, match=r"hessians.*NaN"):
        Family.from_hessians(np.full((1, 2, 2), np.nan))
    with pytest.raises(ValueError, match=r"hessians.*symmetric"):
        Family.from_hessians(np.array([[[1.0, 2.0], [0.0, 1.0]]]))
    with pytest.raises(ValueError, match=r"gradients.*shape"):
        Family.from_gradients(np.ones(3))
    with pytest.raises(ValueError, match=r"batch_size.*\[1, n\]"):
        NoiseModel.build(hessians=Hs, batch_size=4, sampling="bernoulli")
    with pytest.raises(ValueError, match=r"batch_size.*\[1, n\]"):
        NoiseModel.build(hessians=Hs, batch_size=0, sampling="with-replacement")
    with pytest.raises(ValueError, match=r"eta.*> 0"):
        moment_operator(hessians=Hs, eta=0.0, batch_size=1)
    with pytest.raises(ValueError, match=r"eta.*> 0"):
        moment_operator(hessians=Hs, eta=float("nan"), batch_size=1)
    with pytest.raises(ValueError, match=r"sampling.*unknown"):
        NoiseModel.build(hessians=Hs, batch_size=1, sampling="poisson")
    with pytest.raises(ValueError, match=r"family: give exactly one"):
        NoiseModel.build(batch_size=1)


# -- operator -----------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", list(Sampling))
@pytest.mark.parametrize("kind", KINDS)
def test_operator_matches_batch_enumeration(scheme, kind):
    rng = np.random.default_rng(zlib.crc32(f"{scheme.value}/{kind}".encode()))
    n, d = 4, 3
    Hs = _family(rng, n, d, kind)
    fam = Family.from_hessians(Hs)
    U = fam.basis
    for B in range(1, n + 1):
        eta = float(rng.uniform(0.05, 1.0))
        W = rng.standard_normal((d, d))
        W = W + W.T
        op = moment_operator(fam, eta, B, scheme)
        want = U.T @ enumerated_second_moment(Hs, W, eta, B, scheme) @ U
        assert np.allclose(op(U.T @ W @ U), want, rtol=1e-11, atol=1e-11)


def test_rank_one_reduction_is_exact():
    rng = np.random.default_rng(3)
    n, p = 6, 40
    G = rng.standard_normal((n, p))
    dense = Family.from_hessians(np.einsum("ia,ib->iab", G, G))
    gram = Family.from_gradients(G)
    assert gram.rank == dense.rank == n and gram.dim == p
    assert np.allclose(np.sort(gram.eigenvalues), np.sort(dense.eigenvalues))
    for s in SCHEMES:
        for B in (1, 3, 6):
            a = critical_learning_rate(NoiseModel.build(dense, B, s)).value
            b = critical_learning_rate(NoiseModel.build(gram, B, s)).value
            assert a == pytest.approx(b, rel=1e-10)
            ra = spectral_radius(NoiseModel.build(dense, B, s), 0.9 * a).value
            rb = spectral_radius(NoiseModel.build(gram, B, s), 0.9 * a).value
            assert ra == pytest.approx(rb, rel=1e-11)
    # residual coordinates: z = Qᵀw gives the same expected loss as the dense start
    w0 = G.T @ rng.standard_normal(n)
    opd = moment_operator(dense, 0.01, 2, "without-replacement")
    opg = moment_operator(gram, 0.01, 2, "without-replacement")
    ld = moment_trajectory(opd, 5, w0=w0).expected_loss
    lg = moment_trajectory(opg, 5, z0=G @ w0).expected_loss
    assert np.allclose(ld, lg, rtol=1e-10)


def test_dense_reference_and_spectral_radius_agree():
    rng = np.random.default_rng(4)
    for kind in KINDS:
        Hs = _family(rng, 4, 3, kind)
        for s in SCHEMES:
            nm = NoiseModel.build(hessians=Hs, batch_size=2, sampling=s)
            eta = 0.7 * critical_learning_rate(nm).value if s is not Sampling.GD else 0.5
            op = moment_operator(nm.family, eta, 2, s)
            rho_dense = float(np.max(np.abs(np.linalg.eigvals(op.dense()))))
            r1 = spectral_radius(nm, eta, method="dense")
            assert r1.value == pytest.approx(rho_dense, rel=1e-10)
            assert r1.lower <= r1.value + 1e-12 and r1.psd_defect < 1e-8
            if nm.family.rank >= 3:
                r2 = spectral_radius(nm, eta, method="lanczos")
                assert r2.value == pytest.approx(r1.value, rel=1e-9)


def test_spectral_radius_near_one_keeps_precision():
    # one sample, H = λ: T(w) = (1 − ηλ)² w, so ρ − 1 = η(ηλ² − 2λ) exactly, even for tiny η
    Hs = np.array([[[2.0]]])
    nm = NoiseModel.build(hessians=Hs, batch_size=1, sampling="gd")
    for eta in (1e-9, 1e-6, 0.5, 1.0 - 1e-12):
        r = spectral_radius(nm, eta)
        assert r.growth == pytest.approx(eta * 4 - 4, rel=1e-12)
        assert (r.value - 1) == pytest.approx(eta * (eta * 4 - 4), rel=1e-6)


@pytest.mark.parametrize("scheme", list(Sampling))
def test_critical_lr_generalized_eigen_equals_bracketed_root(scheme):
    rng = np.random.default_rng(5)
    for kind in KINDS:
        Hs = _family(rng, 5, 3, kind)
        for B in (1, 2, 5):
            nm = NoiseModel.build(hessians=Hs, batch_size=B, sampling=scheme)
            a = critical_learning_rate(nm)
            b = critical_learning_rate(nm, method="bracket")
            assert a.value == pytest.approx(b.value, rel=1e-9)
            assert a.value <= a.gd_threshold * (1 + 1e-12)
            assert (
                spectral_radius(nm, a.value * (1 - 1e-6)).value
                < 1
                < spectral_radius(nm, a.value * (1 + 1e-6)).value
            )
            assert np.linalg.eigvalsh(a.eigenvector)[0] >= -1e-8


def test_gd_threshold_is_without_replacement_full_batch():
    rng = np.random.default_rng(6)
    Hs = _family(rng, 6, 4, "general")
    lam1 = np.linalg.eigvalsh(Hs.mean(axis=0))[-1]
    for s in ("gd", "without-replacement", "bernoulli"):
        nm = NoiseModel.build(hessians=Hs, batch_size=6, sampling=s)
        assert critical_learning_rate(nm, method="dense").value == pytest.approx(2 / lam1, rel=1e-10)
    wr = critical_learning_rate(NoiseModel.build(hessians=Hs, batch_size=6, sampling="with-replacement"))
    assert wr.value < 2 / lam1  # with replacement, B = n still samples with noise


def test_degenerate_and_zero_families():
    Hs = np.zeros((3, 2, 2))
    nm = NoiseModel.build(hessians=Hs, batch_size=1, sampling="bernoulli")
    assert nm.family.rank == 0
    assert critical_learning_rate(nm).value == math.inf
    v = stability(nm, 10.0)
    assert v.stable and v.spectral_radius == 1.0
    # a kernel direction shared by all H_i does not produce a spurious eigenvalue 1
    rng = np.random.default_rng(7)
    Hd = _family(rng, 4, 3, "degenerate")
    nm = NoiseModel.build(hessians=Hd, batch_size=2, sampling="with-replacement")
    assert nm.family.rank == 2
    assert spectral_radius(nm, 1e-3).value < 1


@given(st.integers(2, 5), st.integers(1, 3), st.data())
@DET
def test_critical_lr_monotone_in_batch_size(n, d, data):
    Hs = np.array([data.draw(psd_matrices(st.just(d))) for _ in range(n)])
    if np.allclose(Hs.mean(axis=0), 0):
        return
    for s in ("with-replacement", "without-replacement", "bernoulli"):
        vals = [
            critical_learning_rate(NoiseModel.build(hessians=Hs, batch_size=B, sampling=s)).value
            for B in range(1, n + 1)
        ]
        assert all(a <= b * (1 + 1e-9) for a, b in itertools.pairwise(vals))


# -- Monte Carlo versus exact --------------------------------------------------------------
@pytest.mark.parametrize("scheme", list(Sampling))
@pytest.mark.parametrize("kind", KINDS)
def test_exact_and_monte_carlo_agree(scheme, kind):
    rng = np.random.default_rng(zlib.crc32(f"mc/{scheme.value}/{kind}".encode()))
    Hs = _family(rng, 5, 3, kind)
    nm = NoiseModel.build(hessians=Hs, batch_size=2, sampling=scheme)
    eta = 0.8 * min(critical_learning_rate(nm).value, 10.0)
    op = moment_operator(nm.family, eta, 2, scheme)
    w0 = rng.standard_normal(3)
    steps = 6
    ex = moment_trajectory(op, steps, w0=w0)
    sim = simulate(
        nm, eta, steps, nm.family.reduce_vector(w0), trajectories=20_000, rng=np.random.default_rng(11)
    )
    m, se = sim.mean_sq_norm()
    assert np.all(np.abs(m - ex.second_moment_trace) <= Z * se + 1e-10 * ex.second_moment_trace)
    lm = sim.losses.mean(axis=0)
    lse = sim.losses.std(axis=0, ddof=1) / math.sqrt(sim.losses.shape[0])
    assert np.all(np.abs(lm - ex.expected_loss) <= Z * lse + 1e-10 * ex.expected_loss)
    prods = simulate_products(nm, eta, steps, trajectories=5000, rng=np.random.default_rng(12), norm="fro2")
    frozen = nm.family.dim - nm.family.rank
    pm = prods.mean(axis=0) + frozen
    pse = prods.std(axis=0, ddof=1) / math.sqrt(prods.shape[0])
    assert np.all(np.abs(pm - ex.product_fro2) <= Z * pse + 1e-10 * ex.product_fro2)


def test_monte_carlo_detects_a_wrong_operator():
    """The Monte Carlo comparison above can fail: a mis-stated noise constant is caught."""
    rng = np.random.default_rng(13)
    Hs = _family(rng, 5, 3, "orthogonal")
    nm = NoiseModel.build(hessians=Hs, batch_size=2, sampling="without-replacement")
    wrong = NoiseModel.build(hessians=Hs, batch_size=2, sampling="with-replacement")  # c = 1/B instead
    eta = 0.8 * critical_learning_rate(nm).value
    w0 = np.ones(3)
    ex_wrong = moment_trajectory(moment_operator(wrong.family, eta, 2, "with-replacement"), 6, w0=w0)
    sim = simulate(
        nm, eta, 6, nm.family.reduce_vector(w0), trajectories=20_000, rng=np.random.default_rng(11)
    )
    m, se = sim.mean_sq_norm()
    assert np.any(np.abs(m - ex_wrong.second_moment_trace) > Z * se)


def test_product_fro_norm_counts_frozen_directions():
    rng = np.random.default_rng(14)
    Hd = _family(rng, 3, 4, "degenerate")
    op = moment_operator(hessians=Hd, eta=0.1, batch_size=1, sampling="bernoulli")
    tr = moment_trajectory(op, 3)
    assert tr.product_fro2[0] == 4.0 and tr.expected_loss is None


def test_dexter_protocol_on_their_construction():
    """dexter2024precise §5.1: H_i = m e_1e_1ᵀ for i ≤ σ, else m e_{i−σ+1}e_{i−σ+1}ᵀ, m = 2n/σ."""
    n, sigma = 20, 4
    m = 2 * n / sigma
    Hs = np.zeros((n, n - sigma + 1, n - sigma + 1))
    for i in range(n):
        j = 0 if i < sigma else i - sigma + 1
        Hs[i, j, j] = m
    for B, eta, want in ((20, 0.5, "convergent"), (2, 0.8, "divergent")):
        nm = NoiseModel.build(hessians=Hs, batch_size=B, sampling="bernoulli")
        res = dexter_protocol(nm, eta, rng=np.random.default_rng(15))
        assert res.label == want
        assert stability(nm, eta).stable == (want == "convergent")


def test_enumeration_guards_size():
    with pytest.raises(ValueError, match=r"n: batch enumeration"):
        batch_distribution("bernoulli", 9, 2)


@pytest.mark.parametrize("scheme", list(Sampling))
def test_diagonal_fast_path_equals_general_path(scheme):
    rng = np.random.default_rng(zlib.crc32(f"diag/{scheme.value}".encode()))
    n, d = 6, 4
    D = rng.uniform(0, 2, size=(n, d)) * (rng.random((n, d)) < 0.7)
    D[:, -1] = 0.0  # a frozen coordinate
    Hs = D[:, :, None] * np.eye(d)[None]
    nm = NoiseModel.build(hessians=Hs, batch_size=3, sampling=scheme)
    assert nm.family.diagonal is not None and nm.family.rank <= d - 1
    fast = critical_learning_rate(nm)
    slow = critical_learning_rate(nm, method="dense")
    assert fast.value == pytest.approx(slow.value, rel=1e-10)
    assert fast.method in ("diagonal", "closed-form")
    for eta in (0.3 * fast.value, fast.value * (1 + 1e-3), 2 * fast.value):
        a = spectral_radius(nm, eta)
        b = spectral_radius(nm, eta, method="dense")
        assert a.value == pytest.approx(b.value, rel=1e-12, abs=1e-12)
    # the Monte Carlo path uses the diagonal shortcut too: compare with exact moments
    eta = 0.8 * fast.value
    w0 = np.ones(d)
    ex = moment_trajectory(moment_operator(nm.family, eta, 3, scheme), 5, w0=w0)
    sim = simulate(nm, eta, 5, nm.family.reduce_vector(w0), trajectories=20_000, rng=np.random.default_rng(3))
    m, se = sim.mean_sq_norm()
    assert np.all(np.abs(m - ex.second_moment_trace) <= Z * se + 1e-10 * ex.second_moment_trace)


def test_critical_learning_rates_vectorised_matches_one_by_one():
    rng = np.random.default_rng(21)
    D = rng.uniform(0, 2, size=(7, 4))
    fam = Family.from_diagonals(D)
    dense = Family.from_hessians(D[:, :, None] * np.eye(4)[None])
    rot = np.linalg.qr(rng.standard_normal((4, 4)))[0]
    rotated = Family.from_hessians(np.einsum("ab,ibc,dc->iad", rot, D[:, :, None] * np.eye(4)[None], rot))
    for s in SCHEMES:
        Bs = list(range(1, 8))
        fast = critical_learning_rates(fam, Bs, s)
        one = [critical_learning_rate(NoiseModel.build(dense, b, s)).value for b in Bs]
        general = critical_learning_rates(rotated, Bs, s)
        assert np.allclose(fast, one, rtol=1e-12)
        assert np.allclose(fast, general, rtol=1e-9)
    with pytest.raises(ValueError, match=r"diagonals.*positive semi-definite"):
        Family.from_diagonals(-D)


# -- the smaller side: p < n goes through the p × p form (issue 21) ---------------------------
@pytest.mark.parametrize("n,p", [(12, 3), (40, 7), (9, 8)])
def test_p_space_family_equals_the_gram_family(n, p):
    from verifythm.dynamics.scaling import pow2_exponent
    from verifythm.linalg.gram import gram_from_gradients

    rng = np.random.default_rng(n * 100 + p)
    G = rng.standard_normal((n, p)) * rng.uniform(0.1, 3.0, size=(n, 1))
    G[0] = G[1]  # a repeated gradient: rank below min(n, p) is handled alike
    small = Family.from_gradients(G)
    assert small.form == "p×p"
    gram = gram_from_gradients(G)
    big = Family._from_gram_hat(gram.khat, 2 * pow2_exponent(gram.scale), gram.p, "gradients")
    assert big.form == "n×n Gram" and (small.rank, small.n, small.dim) == (big.rank, big.n, big.dim)
    np.testing.assert_allclose(small.eigenvalues, big.eigenvalues, rtol=1e-12)
    for scheme in ("with-replacement", "without-replacement", "bernoulli"):
        a = critical_learning_rates(small, [1, 2, n // 2, n], scheme)
        b = critical_learning_rates(big, [1, 2, n // 2, n], scheme)
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_n_much_larger_than_p_never_forms_the_n_by_n_gram():
    G = np.random.default_rng(5).standard_normal((20_000, 10))
    fam = Family.from_gradients(G)  # an n × n Gram would be 3.2 GB and an O(n³) eigh
    assert fam.form == "p×p" and fam.factors_hat.shape == (10, 20_000)
    eta = critical_learning_rates(fam, [20_000], "without-replacement")[0]
    assert eta == pytest.approx(2 / fam.lambda_max, rel=1e-12)  # B = n is GD


@pytest.mark.parametrize("n,p", [(6, 40), (12, 3), (30, 5), (8, 8)])
def test_rank_one_dual_critical_lr_equals_dense(n, p):
    # the n-dimensional dual (a few n × n eigenproblems) against the dense generalized eigenproblem
    # on Sym(r), including p < n (p×p form), a repeated gradient and a tiny scale
    rng = np.random.default_rng(7 * n + p)
    G = rng.standard_normal((n, p)) * rng.uniform(0.1, 3.0, size=(n, 1))
    G[1] = G[0]
    for scale in (1.0, 2.0**-300):
        fam = Family.from_gradients(scale * G)
        for s in ("with-replacement", "without-replacement", "bernoulli"):
            for B in sorted({1, 2, n // 2, n - 1}):
                nm = NoiseModel.build(fam, B, s)
                if nm.c == 0.0:
                    continue
                dual = critical_learning_rate(nm, method="dual")
                dense = critical_learning_rate(nm, method="dense")
                assert dual.method == "dual"
                assert dual.value == pytest.approx(dense.value, rel=1e-12)
                # W* is the null vector of A − η*Q: the same PSD direction as the dense one
                assert np.linalg.eigvalsh(dual.eigenvector)[0] >= -1e-8
                overlap = abs(float(np.sum(dual.eigenvector * dense.eigenvector)))
                assert overlap == pytest.approx(1.0, abs=1e-6)


def test_rank_one_dual_is_chosen_and_matches_lanczos():
    # r = 60: Sym(r) has 1830 > DENSE_MAX coordinates, so "auto" takes the dual (n ≤ r(r+1)/2)
    rng = np.random.default_rng(11)
    G = rng.standard_normal((60, 300)) * rng.uniform(0.3, 1.5, size=(60, 1))
    fam = Family.from_gradients(G)
    for s, B in (("without-replacement", 5), ("bernoulli", 3), ("with-replacement", 1)):
        nm = NoiseModel.build(fam, B, s)
        auto = critical_learning_rate(nm)
        lanczos = critical_learning_rate(nm, method="lanczos")
        assert auto.method == "dual" and lanczos.method == "lanczos"
        assert auto.value == pytest.approx(lanczos.value, rel=1e-10)
        assert (
            spectral_radius(nm, auto.value * (1 - 1e-7)).value
            < 1
            < spectral_radius(nm, auto.value * (1 + 1e-7)).value
        )


def test_rank_one_dual_rejects_dense_families():
    nm = NoiseModel.build(hessians=_family(np.random.default_rng(1), 4, 3, "general"), batch_size=2)
    with pytest.raises(ValueError, match="rank-one"):
        critical_learning_rate(nm, method="dual")


def test_a_grid_of_calls_reuses_the_solves_and_matches_fresh_ones():
    import importlib

    st = importlib.import_module("verifythm.dynamics.stability")
    rng = np.random.default_rng(11)
    A = rng.standard_normal((6, 4, 2))
    H = np.einsum("nik,njk->nij", A, A)
    fam = Family.from_hessians(H)
    etas = np.linspace(0.05, 1.2, 7) * (2.0 / fam.lambda_max)
    for B in (1, 3, 6):
        for e in etas:
            cached = stability(NoiseModel.build(fam, B, "without-replacement"), float(e))
            st._MEMO.clear()
            fresh = stability(NoiseModel.build(Family.from_hessians(H), B, "without-replacement"), float(e))
            assert cached.stable == fresh.stable
            assert cached.critical_lr == pytest.approx(fresh.critical_lr, rel=1e-12)
            assert cached.spectral_radius == pytest.approx(fresh.spectral_radius, rel=1e-10)
    # the cache hands out copies: a caller editing W* cannot change the next answer
    nm = NoiseModel.build(fam, 2, "with-replacement")
    first = critical_learning_rate(nm)
    first.eigenvector[:] = 0.0
    assert np.any(critical_learning_rate(nm).eigenvector != 0.0)
    # one family's answers never serve another's (the cache is per family object)
    other = Family.from_hessians(2.0 * H)
    assert critical_learning_rate(NoiseModel.build(other, 2, "with-replacement")).value == pytest.approx(
        critical_learning_rate(nm).value / 2.0, rel=1e-12
    )
