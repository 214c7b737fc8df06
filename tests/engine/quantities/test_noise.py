"""Noise covariances: exact batch enumeration, Gram form vs dense, validation."""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import deterministic

from verifythm.dynamics.sampling import SCHEMES, Sampling, noise_constant, subtracts_mean
from verifythm.quantities.alignment import noise_covariances_dense
from verifythm.quantities.noise import (
    covariance_traces,
    minibatch_noise_covariance,
    minibatch_noise_traces,
    minibatch_second_moment,
    noise_covariances,
    noise_hessian_trace,
    noise_quadratic_form,
)

SETTINGS = deterministic(40)


def enumerate_batches(n: int, B: int, scheme: Sampling):
    """Every batch of the scheme as (weight, index multiset as a tuple, divisor B)."""
    if scheme is Sampling.GD:
        yield Fraction(1), tuple(range(n)), n
    elif scheme is Sampling.WITH_REPLACEMENT:
        for idx in itertools.product(range(n), repeat=B):
            yield Fraction(1, n**B), idx, B
    elif scheme is Sampling.WITHOUT_REPLACEMENT:
        for idx in itertools.combinations(range(n), B):
            yield Fraction(1, comb(n, B)), idx, B
    else:
        q = Fraction(B, n)
        for mask in itertools.product((0, 1), repeat=n):
            k = sum(mask)
            idx = tuple(i for i in range(n) if mask[i])
            yield q**k * (1 - q) ** (n - k), idx, B


def enumerated_moments(A: np.ndarray, B: int, scheme: Sampling):
    """Exact mean and covariance of the mini-batch gradient by enumeration (float)."""
    n, p = A.shape
    mean = np.zeros(p)
    second = np.zeros((p, p))
    total = 0.0
    for w, idx, div in enumerate_batches(n, B, scheme):
        g = A[list(idx)].sum(axis=0) / div if idx else np.zeros(p)
        mean += float(w) * g
        second += float(w) * np.outer(g, g)
        total += float(w)
    assert total == pytest.approx(1.0, abs=1e-12)
    return mean, second - np.outer(mean, mean), second


@st.composite
def grads_and_batch(draw):
    n = draw(st.integers(1, 5))
    p = draw(st.integers(1, 3))
    B = draw(st.integers(1, n))
    vals = draw(st.lists(st.integers(-4, 4), min_size=n * p, max_size=n * p))
    return np.array(vals, dtype=float).reshape(n, p), B


@SETTINGS
@given(grads_and_batch(), st.sampled_from(SCHEMES))
def test_enumeration_matches_formula_every_scheme(case, scheme):
    A, B = case
    mean, cov, second = enumerated_moments(A, B, scheme)
    np.testing.assert_allclose(mean, A.mean(axis=0), atol=1e-12)
    C = minibatch_noise_covariance(A, scheme, B)
    scale = max(1.0, float(np.abs(A).max()) ** 2)
    np.testing.assert_allclose(cov, C, atol=1e-11 * scale)
    np.testing.assert_allclose(second, minibatch_second_moment(A, scheme, B), atol=1e-11 * scale)
    # E[ξᵀHξ] and E[(ξᵀv)²] by enumeration against the O(np²)/O(np) forms
    rng = np.random.default_rng(A.shape[0] * 10 + B)
    H = rng.standard_normal((A.shape[1], A.shape[1]))
    H = H + H.T
    v = rng.standard_normal(A.shape[1])
    assert noise_hessian_trace(A, H, scheme, B) == pytest.approx(np.trace(cov @ H), abs=1e-10 * scale)
    assert noise_quadratic_form(A, v, scheme, B) == pytest.approx(v @ cov @ v, abs=1e-10 * scale)
    tr, fro2 = minibatch_noise_traces(A, scheme, B)
    assert tr == pytest.approx(np.trace(cov), abs=1e-10 * scale)
    assert fro2 == pytest.approx(np.sum(cov * cov), abs=1e-10 * scale**2)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_enumeration_exact_rational(scheme):
    """The covariance formula holds exactly in rational arithmetic (n = 4, B = 2)."""
    A = [[Fraction(1), Fraction(-2)], [Fraction(3), Fraction(0)], [Fraction(-1), Fraction(5)], [0, 1]]
    n, p, B = 4, 2, 2
    mean = [sum(Fraction(a[j]) for a in A) / n for j in range(p)]
    cov = [[Fraction(0)] * p for _ in range(p)]
    for w, idx, div in enumerate_batches(n, B, scheme):
        g = [sum((Fraction(A[i][j]) for i in idx), Fraction(0)) / div for j in range(p)]
        for r in range(p):
            for s in range(p):
                cov[r][s] += w * (g[r] - mean[r]) * (g[s] - mean[s])
    c = noise_constant(scheme, n, B, exact=True)
    for r in range(p):
        for s in range(p):
            s1 = sum(Fraction(a[r]) * Fraction(a[s]) for a in A) / n
            expected = c * (s1 - (mean[r] * mean[s] if subtracts_mean(scheme) else 0))
            assert cov[r][s] == expected


def test_with_replacement_is_sigma_over_B_and_li_second_moment():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((6, 4))
    _, _, sigma = noise_covariances(A)
    np.testing.assert_allclose(minibatch_noise_covariance(A, "with-replacement", 3), sigma / 3)
    mu = A.mean(axis=0)
    np.testing.assert_allclose(
        minibatch_second_moment(A, "with-replacement", 3), sigma / 3 + np.outer(mu, mu)
    )
    np.testing.assert_array_equal(minibatch_noise_covariance(A, "gd", 2), np.zeros((4, 4)))


def test_dense_matches_alignment_reference():
    """Σ₁, Σ₂, Σ agree with an explicit per-sample sum (square loss, ∇L_i = e_i g_i)."""
    rng = np.random.default_rng(1)
    Q = rng.standard_normal((5, 7))
    e = rng.standard_normal(7)
    grads = [e[i] * Q[:, i] for i in range(7)]  # ∇L_i = e_i g_i, summed explicitly
    mean = sum(grads) / 7
    s1_ref = sum(np.outer(g, g) for g in grads) / 7
    ref = (s1_ref, np.outer(mean, mean), s1_ref - np.outer(mean, mean))
    ours = noise_covariances((Q * e).T)
    for a, b in zip(noise_covariances_dense(Q, e), ref, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)
    for a, b in zip(ours, ref, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)
    s1, s2, s = ours
    np.testing.assert_allclose(s, s1 - s2, atol=1e-12)
    assert np.linalg.eigvalsh(s).min() > -1e-12


@SETTINGS
@given(st.integers(1, 8), st.sampled_from([1, 3, 40, 300]), st.integers(0, 2**16))
def test_gram_form_matches_dense(n, p, seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, p)) * 10.0 ** rng.integers(-3, 4)
    s1, s2, s = noise_covariances(A)
    t = covariance_traces(A)
    for got, want in [
        (t.tr_sigma1, np.trace(s1)),
        (t.tr_sigma2, np.trace(s2)),
        (t.tr_sigma, np.trace(s)),
        (t.fro2_sigma1, np.sum(s1 * s1)),
        (t.fro2_sigma2, np.sum(s2 * s2)),
        (t.fro2_sigma, np.sum(s * s)),
    ]:
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12 * np.sum(s1 * s1))
    for scheme in SCHEMES:
        C = minibatch_noise_covariance(A, scheme, max(1, n // 2))
        tr, fro2 = minibatch_noise_traces(A, scheme, max(1, n // 2))
        assert tr == pytest.approx(np.trace(C), rel=1e-9, abs=1e-300)
        assert fro2 == pytest.approx(np.sum(C * C), rel=1e-9, abs=1e-300)


def test_plain_sigma_forms():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((5, 3))
    v = rng.standard_normal(3)
    H = np.diag([1.0, 2.0, 3.0])
    _, _, s = noise_covariances(A)
    assert noise_quadratic_form(A, v) == pytest.approx(v @ s @ v)
    assert noise_hessian_trace(A, H) == pytest.approx(np.trace(s @ H))
    assert noise_quadratic_form(A, v, "gd") == 0.0


def test_large_p_never_forms_p_by_p():
    A = np.random.default_rng(3).standard_normal((4, 200_000))
    t = covariance_traces(A)
    assert t.tr_sigma == pytest.approx(t.tr_sigma1 - t.tr_sigma2, rel=1e-10)
    assert t.fro2_sigma2 == pytest.approx(t.tr_sigma2**2)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: noise_covariances([1.0, 2.0]), "grads"),
        (lambda: noise_covariances([[np.nan, 1.0]]), "grads"),
        (lambda: noise_covariances(np.zeros((0, 3))), "grads"),
        (lambda: covariance_traces(np.zeros((3, 0))), "grads"),
        (lambda: minibatch_noise_covariance(np.ones((3, 2)), "bogus", 1), "sampling"),
        (lambda: minibatch_noise_covariance(np.ones((3, 2)), "bernoulli", 4), "batch_size"),
        (lambda: minibatch_noise_covariance(np.ones((3, 2)), "bernoulli", 0), "batch_size"),
        (lambda: noise_quadratic_form(np.ones((3, 2)), [1.0]), "v"),
        (lambda: noise_quadratic_form(np.ones((3, 2)), [1.0, 0.0], "bernoulli"), "batch_size"),
        (lambda: noise_hessian_trace(np.ones((3, 2)), np.eye(3)), "H"),
        (lambda: noise_hessian_trace(np.ones((3, 2)), [[1.0, 2.0], [0.0, 1.0]]), "H"),
    ],
)
def test_validation_names_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
