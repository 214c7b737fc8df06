"""The exact Gibbs errors behind ``li2019.thm4.bound`` agree with plain Monte Carlo."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit
from verifythm_theorems.li2019hessian import thm4_bound as T


@pytest.mark.parametrize("d", [1, 2])
def test_test_error_matches_monte_carlo(d: int) -> None:
    rng = np.random.default_rng(10 + d)
    theta_star, theta, var = rng.normal(0, 2, d), rng.normal(0, 2, d), 10 ** rng.uniform(-2, 1, d)
    exact = T.gibbs_test_error(theta, var, theta_star)
    M = 400_000
    x = rng.standard_normal((M, d))
    y = np.where(rng.random(M) < expit(x @ theta_star), 1.0, -1.0)
    draw = theta + rng.standard_normal((M, d)) * np.sqrt(var)  # θ' ~ Q, one per test point
    mc = float(np.mean(y * np.sum(x * draw, axis=1) <= 0))
    assert abs(exact - mc) <= 5 * np.sqrt(exact * (1 - exact) / M)  # 5 standard errors


def test_train_error_matches_monte_carlo() -> None:
    rng = np.random.default_rng(3)
    X, y = T.sample(rng, 7, np.array([1.0, -0.5]))
    theta, var = np.array([0.3, 0.8]), np.array([0.2, 1.5])
    draws = theta + rng.standard_normal((200_000, 2)) * np.sqrt(var)
    mc = float(np.mean((y[None, :] * (draws @ X.T)) <= 0))
    exact = T.train_error(theta, var, X, y)
    assert abs(exact - mc) <= 5 * np.sqrt(0.25 / 200_000)


def test_fit_is_the_ridge_logistic_minimiser() -> None:
    rng = np.random.default_rng(4)
    X, y = T.sample(rng, 30, np.array([2.0, 1.0]))
    th = T.fit(X, y, 0.01)
    grad = -(X.T @ (y * expit(-y * (X @ th)))) / 30 + 0.01 * th
    assert np.max(np.abs(grad)) < 1e-10


def test_wrong_dimension_is_refused() -> None:
    with pytest.raises(ValueError, match="d"):
        T.gibbs_test_error(np.zeros(3), np.ones(3), np.zeros(3))


def test_batched_newton_equals_one_fit_at_a_time():
    rng = np.random.default_rng(4)
    for n, d, ridge in [(5, 1, 1e-4), (20, 2, 1e-2), (100, 2, 1.0), (10, 2, 1e-4)]:
        ts = rng.normal(0, 2, d)
        data = [T.sample(rng, n, ts) for _ in range(25)]
        many = T.fit_many(np.stack([X for X, _ in data]), np.stack([y for _, y in data]), ridge)
        for k, (X, y) in enumerate(data):
            np.testing.assert_allclose(many[k], T.fit(X, y, ridge), rtol=1e-12, atol=1e-12)
