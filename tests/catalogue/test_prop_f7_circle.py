"""The O(n log n) χ_i of ``wu2022.prop2_5.mu1.as_proved`` equals the Gram-matrix computation."""

from __future__ import annotations

import numpy as np
import pytest
from verifythm_theorems.wu2022alignment._appf import relu_features
from verifythm_theorems.wu2022alignment._circle import TWO_PI, chi_circle, eps_proof


def _gram_chi(alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    a = np.sort(np.mod(alpha, TWO_PI))
    P = relu_features(np.c_[np.cos(a), np.sin(a)], np.sqrt(2.0) * np.c_[np.cos(beta), np.sin(beta)])
    K = P @ P.T
    return np.sum(K * K, axis=1)


@pytest.mark.parametrize(("n", "m"), [(1, 3), (2, 2), (3, 50), (17, 17), (64, 200), (257, 257), (1000, 1000)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_gram(n: int, m: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    alpha, beta = rng.uniform(-10, 10, n), rng.uniform(0, TWO_PI, m)
    fast, ref = chi_circle(alpha, beta), _gram_chi(alpha, beta)
    assert np.allclose(fast, ref, rtol=1e-10, atol=1e-10 * max(1.0, float(ref.max())))


def test_clustered_features_and_wraparound() -> None:
    # features bunched near 0 = 2π and data straddling the cut exercise the ±2π copies
    rng = np.random.default_rng(3)
    alpha = np.r_[rng.uniform(-0.3, 0.3, 40), rng.uniform(3.0, 3.3, 10)]
    beta = np.r_[rng.normal(0.0, 0.2, 80), rng.normal(np.pi, 0.1, 5)]
    assert np.allclose(chi_circle(alpha, beta), _gram_chi(alpha, beta), rtol=1e-10)


def test_eps_proof_is_one_minus_gamma() -> None:
    rng = np.random.default_rng(4)
    e = eps_proof(rng, 300, 300, 2)
    assert 0.0 < e < 1.0


@pytest.mark.parametrize(
    ("alpha", "beta", "name"),
    [
        (np.zeros((2, 2)), np.zeros(3), "alpha"),
        (np.zeros(2), np.array([]), "beta"),
        (np.zeros(2), [np.nan], "beta"),
    ],
)
def test_bad_input(alpha, beta, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        chi_circle(alpha, beta)
