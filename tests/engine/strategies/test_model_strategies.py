"""Tests of verifythm.strategies.models: the Hypothesis strategy ``problems`` and ``random_problem``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given
from support import examples

from verifythm.models import CrossEntropyProblem, DeepLinearNetwork, SquareLossProblem
from verifythm.strategies.models import (
    CLASSIFICATION_KINDS,
    MODEL_KINDS,
    POINTS,
    SQUARE_KINDS,
    problems,
    random_problem,
)

FAST = examples(40, HealthCheck.too_slow)


def _finite_and_consistent(P) -> None:
    assert P.theta.shape == (P.p,) and P.X.shape[0] == P.n
    for arr in (P.per_sample_losses, P.grad, P.hessian, P.fisher, P.sigma1, P.sigma):
        assert np.all(np.isfinite(arr))
    assert P.hessian.shape == (P.p, P.p)
    np.testing.assert_allclose(P.sigma, P.sigma.T, atol=1e-12 * max(1.0, np.abs(P.sigma).max()))


@pytest.mark.parametrize("at", POINTS)
@pytest.mark.parametrize("kind", MODEL_KINDS)
def test_random_problem_every_kind_and_point(kind: str, at: str) -> None:
    for seed in range(3):
        P = random_problem(np.random.default_rng(seed), kind, at=at)
        assert isinstance(P, SquareLossProblem if kind in SQUARE_KINDS else CrossEntropyProblem)
        _finite_and_consistent(P)
        if at == "minimum":
            assert np.all(P.per_sample_grads == 0.0)
            if isinstance(P, SquareLossProblem):
                assert np.all(P.residuals == 0.0)
                np.testing.assert_array_equal(P.hessian, P.fisher)


@pytest.mark.parametrize("kind", MODEL_KINDS)
def test_random_problem_is_reproducible_and_near_minimum_is_close(kind: str) -> None:
    P1 = random_problem(np.random.default_rng(42), kind, at="random")
    P2 = random_problem(np.random.default_rng(42), kind, at="random")
    np.testing.assert_array_equal(P1.theta, P2.theta)
    np.testing.assert_array_equal(P1.X, P2.X)
    # the same seed shares model, data and teacher across points: compare against the minimum
    Pm = random_problem(np.random.default_rng(5), kind, at="minimum")
    Pn = random_problem(np.random.default_rng(5), kind, at="near_minimum")
    np.testing.assert_array_equal(Pm.X, Pn.X)
    np.testing.assert_array_equal(Pm.y, Pn.y)
    assert 0 < np.abs(Pn.theta - Pm.theta).max() <= 1e-2 * 10  # ε ≤ 1e-2 times a normal entry


@pytest.mark.parametrize("kind", MODEL_KINDS)
def test_adversarial_constructions(kind: str) -> None:
    seen = set()
    for seed in range(12):
        Pm = random_problem(np.random.default_rng(seed), kind, at="minimum")
        Pa = random_problem(np.random.default_rng(seed), kind, at="adversarial")
        np.testing.assert_array_equal(Pm.X, Pa.X)
        delta = Pa.theta - Pm.theta
        if np.any(delta != 0) and np.array_equal(Pa.y, Pm.y):
            # top/bottom: θ - θ* is an eigenvector of the Fisher matrix at θ*
            v = delta / np.linalg.norm(delta)
            Fv = Pm.fisher @ v
            np.testing.assert_allclose(Fv, (v @ Fv) * v, atol=1e-8 * max(1.0, np.abs(Pm.fisher).max()))
            seen.add("eig")
        else:
            # outlier: exactly one sample's label departs from the realisable one
            if isinstance(Pa, SquareLossProblem):
                assert np.count_nonzero(Pa.residuals) == 1
                assert np.abs(Pa.residuals).max() >= 10.0
            else:
                assert np.all(Pa.y.reshape(Pa.n, -1) % 1 == 0)  # hard labels
            seen.add("outlier")
    assert seen == {"eig", "outlier"}


@FAST
@given(problems())
def test_problems_strategy_draws_valid_problems(P) -> None:
    _finite_and_consistent(P)


@FAST
@given(problems(at="minimum"))
def test_problems_at_minimum_have_zero_per_sample_gradients(P) -> None:
    assert np.all(P.per_sample_grads == 0.0)
    assert np.all(P.sigma == 0.0)
    if isinstance(P, SquareLossProblem):
        np.testing.assert_array_equal(P.hessian, P.fisher)


@FAST
@given(problems("classification", ["near_minimum", "adversarial"]))
def test_problems_groups_restrict_kinds(P) -> None:
    assert isinstance(P, CrossEntropyProblem)
    assert type(P.model).__name__ in ("LogisticRegression", "SoftmaxRegression")


@FAST
@given(problems("random_relu", max_n=3, max_dim=3, max_width=2))
def test_random_relu_geometry_and_bounds(P) -> None:
    d = P.X.shape[1]
    assert P.n <= 3 and d <= 3 and P.p <= 4
    np.testing.assert_allclose(np.linalg.norm(P.X, axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(P.model.features, axis=1), np.sqrt(d), rtol=1e-12)
    np.testing.assert_allclose(P.model.scale, P.p**-0.5)


def test_problems_shrink_towards_small_instances() -> None:
    # Hypothesis orders examples by the length of their choice sequence, so shrinking is only
    # monotone in the sizes for a fixed kind and point.
    cfg = examples(200, database=False)
    for kind in ("linear", "two_layer", "softmax"):
        P = find(problems(kind, "random"), lambda P: True, settings=cfg)
        assert P.n == 1 and P.X.shape[1] == 1
        assert np.all(P.X == 0.0) and np.all(P.theta == 0.0)
    Q = find(problems("deep_linear", "near_minimum"), lambda P: P.model.depth >= 2, settings=cfg)
    assert isinstance(Q.model, DeepLinearNetwork)
    assert Q.model.widths == (1, 1, 1) and Q.n == 1


def test_strategy_and_generator_argument_validation() -> None:
    with pytest.raises(ValueError, match="kind"):
        problems("resnet")
    with pytest.raises(ValueError, match="kind"):
        problems([])
    with pytest.raises(ValueError, match="at"):
        problems(at="saddle")
    with pytest.raises(ValueError, match="max_n"):
        problems(max_n=0)
    with pytest.raises(ValueError, match="max_width"):
        problems(max_width=True)  # type: ignore[arg-type]
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="rng"):
        random_problem(0, "linear")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind"):
        random_problem(rng, "square")
    with pytest.raises(ValueError, match="at"):
        random_problem(rng, "linear", at="top")
    with pytest.raises(ValueError, match="n"):
        random_problem(rng, "linear", n=0)
    with pytest.raises(ValueError, match="num_classes"):
        random_problem(rng, "softmax", num_classes=1)


def test_random_problem_respects_sizes() -> None:
    rng = np.random.default_rng(1)
    P = random_problem(rng, "deep_linear", n=7, d=4, width=3, depth=3)
    assert P.n == 7 and P.model.widths == (4, 3, 3, 1)
    S = random_problem(rng, "softmax", n=5, d=2, num_classes=4)
    assert S.p == 8 and S.y.shape == (5, 4)
    T = random_problem(rng, "two_layer", d=3, width=5)
    assert T.p == 15 and set(np.abs(T.model.output_weights)) == {1.0}
    assert set(CLASSIFICATION_KINDS) | set(SQUARE_KINDS) == set(MODEL_KINDS)
