"""Tests of verifythm.models: exact derivatives vs central finite differences, population forms vs
Monte Carlo, Hessian = Fisher at interpolation, and input validation.

Finite-difference tolerances: central differences with step h = 1e-5 have truncation error
O(h^2 * |f'''|) and round-off O(eps * |f| / h) ~ 1e-11 here, so analytic and numerical
derivatives must agree to rtol 1e-6 (atol 1e-7 times the largest entry).  Monte-Carlo
checks use a fixed seed and N = 200 000 (linear) / 100 000 (OLMs) samples; their relative
Frobenius tolerance 5% is several times the Monte-Carlo standard error of fourth moments.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from verifythm.linalg.psd import check_psd
from verifythm.models import (
    CrossEntropyProblem,
    DeepLinearNetwork,
    DiagonalLinearNetwork,
    LinearRegression,
    LogisticRegression,
    Model,
    RandomFeatureModel,
    SoftmaxRegression,
    SquareLossProblem,
    TwoLayerNetwork,
    get_activation,
    leaky_relu,
    relu_kernel,
    sample_sphere,
    smooth_leaky,
)
from verifythm.quantities.alignment import noise_covariances_dense

H = 1e-5
RTOL = 1e-6
ATOL = 1e-7


def fd(fun: Callable[[np.ndarray], np.ndarray], theta: np.ndarray, h: float = H) -> np.ndarray:
    """Central-difference derivative of ``fun`` (any output shape) along each θ coordinate (last axis)."""
    cols = []
    for k in range(theta.size):
        e = np.zeros_like(theta)
        e[k] = h
        cols.append((np.asarray(fun(theta + e)) - np.asarray(fun(theta - e))) / (2 * h))
    return np.stack(cols, axis=-1)


def close(actual: np.ndarray, expected: np.ndarray, rtol: float = RTOL, atol: float = ATOL) -> None:
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol * scale)


def _models() -> dict[str, Model]:
    rng = np.random.default_rng(7)
    return {
        "linear": LinearRegression(3),
        "diagonal_squares": DiagonalLinearNetwork(3),
        "diagonal_product": DiagonalLinearNetwork(3, "product"),
        "deep_linear_1": DeepLinearNetwork(3),
        "deep_linear_2": DeepLinearNetwork(3, (4,)),
        "deep_linear_4": DeepLinearNetwork(3, (2, 3, 2)),
        "rf_relu": RandomFeatureModel(rng.standard_normal((6, 3)), "relu"),
        "rf_tanh": RandomFeatureModel(rng.standard_normal((6, 3)), "tanh", scale=6**-0.5),
        "rf_relu_sphere": RandomFeatureModel.relu_sphere(rng, 8, 3),
        "two_layer_leaky": TwoLayerNetwork(3, [1.0, -1.0, 1.0], leaky_relu(0.2)),
        "two_layer_smooth": TwoLayerNetwork(3, [1.0, -1.0, -1.0, 1.0], smooth_leaky(0.3, 1.0)),
        "two_layer_tanh": TwoLayerNetwork(3, [1.0, -1.0], "tanh", scale=0.5),
    }


MODELS = _models()
NONLINEAR_IN_THETA = {
    "diagonal_squares",
    "diagonal_product",
    "deep_linear_2",
    "deep_linear_4",
    "two_layer_smooth",
    "two_layer_tanh",
}


def _problem(name: str, seed: int = 0, n: int = 5) -> SquareLossProblem:
    model = MODELS[name]
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, model.input_dim))
    theta = rng.standard_normal(model.num_params)
    y = rng.standard_normal(n)
    if isinstance(model, TwoLayerNetwork) and not model.activation.smooth:
        # keep pre-activations away from the kink so that finite differences are valid
        pre = X @ theta.reshape(model.width, -1).T
        assert np.min(np.abs(pre)) > 1e-3
    return SquareLossProblem(model, X, y, theta)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_jacobian_matches_finite_differences(name: str) -> None:
    P = _problem(name)
    close(P.jacobian, fd(lambda t: P.model.predict(t, P.X), P.theta))
    assert P.jacobian.shape == (P.n, P.p)
    np.testing.assert_array_equal(P.Q, P.jacobian.T)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_loss_gradients_match_finite_differences(name: str) -> None:
    P = _problem(name)
    close(P.grad, fd(lambda t: P.at(t).loss, P.theta))
    close(P.per_sample_grads, fd(lambda t: P.at(t).per_sample_losses, P.theta))
    close(P.per_sample_grads.mean(axis=0), P.grad, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_exact_hessian_matches_finite_differences(name: str) -> None:
    P = _problem(name)
    fd_hess = fd(lambda t: P.at(t).grad, P.theta)
    close(P.hessian, fd_hess)
    close(P.hessian, P.fisher + P.residual_hessian, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(P.hessian, P.hessian.T)
    # the residual (second-order) term is really exercised where the model is non-linear in θ
    resid = np.abs(P.residual_hessian).max()
    if name in NONLINEAR_IN_THETA:
        assert resid > 1e-3 * np.abs(P.fisher).max()
    else:
        assert resid == 0.0


@pytest.mark.parametrize("name", sorted(MODELS))
def test_per_sample_and_output_hessians(name: str) -> None:
    P = _problem(name)
    psh = P.per_sample_hessians
    assert psh.shape == (P.n, P.p, P.p)
    close(psh, fd(lambda t: P.at(t).per_sample_grads, P.theta))
    close(psh.mean(axis=0), P.hessian, rtol=1e-10, atol=1e-12)
    outh = P.model.output_hessians(P.theta, P.X)
    close(outh, fd(lambda t: P.model.jacobian(t, P.X), P.theta))
    w = np.linspace(-1.0, 2.0, P.n)
    close(
        P.model.weighted_output_hessian(P.theta, P.X, w),
        np.einsum("i,ipq->pq", w, outh),
        rtol=1e-10,
        atol=1e-12,
    )
    close(P.model.output_hessian(P.theta, P.X[0]), outh[0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_hessian_equals_fisher_at_interpolation(name: str) -> None:
    P = _problem(name)
    Pi = SquareLossProblem(P.model, P.X, P.model.predict(P.theta, P.X), P.theta)
    assert np.all(Pi.residuals == 0.0)
    assert Pi.loss == 0.0
    np.testing.assert_array_equal(Pi.hessian, Pi.fisher)
    np.testing.assert_array_equal(Pi.sigma, np.zeros((Pi.p, Pi.p)))
    check_psd(Pi.hessian)


@pytest.mark.parametrize("name", ["linear", "deep_linear_4", "two_layer_smooth"])
def test_noise_covariances_and_fisher_match_alignment_module(name: str) -> None:
    P = _problem(name)
    s1, s2, s = noise_covariances_dense(P.Q, P.residuals)
    close(P.sigma1, s1, rtol=1e-12, atol=1e-14)
    close(P.sigma2, s2, rtol=1e-12, atol=1e-14)
    close(P.sigma, s, rtol=1e-10, atol=1e-13)
    assert P.noise_covariances() == (P.sigma1, P.sigma2, P.sigma)
    close(P.fisher, P.Q @ P.Q.T / P.n, rtol=1e-12, atol=1e-14)
    f = P.alignment()
    assert np.isclose(f.loss, P.loss, rtol=1e-12)


def test_linear_regression_hessian_is_constant_gram() -> None:
    P = _problem("linear")
    G = P.X.T @ P.X / P.n
    close(P.hessian, G, rtol=1e-12, atol=1e-14)
    close(P.at(P.theta * 3 + 1).hessian, G, rtol=1e-12, atol=1e-14)


def test_olm_effective_weights() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(3), rng.standard_normal(3)
    np.testing.assert_allclose(MODELS["diagonal_squares"].effective_weights(np.r_[a, b]), a**2 - b**2)
    np.testing.assert_allclose(MODELS["diagonal_product"].effective_weights(np.r_[a, b]), a * b)
    net = MODELS["deep_linear_4"]
    assert isinstance(net, DeepLinearNetwork)
    theta = rng.standard_normal(net.num_params)
    Ws = net.layers(theta)
    assert [W.shape for W in Ws] == [(2, 3), (3, 2), (2, 3), (1, 2)]
    np.testing.assert_allclose(net.effective_weights(theta), (Ws[3] @ Ws[2] @ Ws[1] @ Ws[0])[0])
    np.testing.assert_array_equal(net.flatten(Ws), theta)
    close(net.effective_jacobian(theta), fd(net.effective_weights, theta))
    assert net.depth == 4 and DeepLinearNetwork.uniform(3, 5, 3).widths == (3, 5, 5, 1)


# ---------------------------------------------------------------------- population forms
def _mc_problem(
    model: Model, theta: np.ndarray, S: np.ndarray, teacher: np.ndarray, noise_var: float, N: int
):
    rng = np.random.default_rng(2024)
    X = rng.multivariate_normal(np.zeros(S.shape[0]), S, size=N)
    y = X @ teacher + np.sqrt(noise_var) * rng.standard_normal(N)
    return SquareLossProblem(model, X, y, theta)


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def _spd(rng: np.random.Generator, d: int) -> np.ndarray:
    A = rng.standard_normal((d, d))
    return A @ A.T / d + 0.3 * np.eye(d)


@pytest.mark.parametrize("noise_var", [0.0, 0.5])
def test_linear_regression_population_vs_monte_carlo(noise_var: float) -> None:
    rng = np.random.default_rng(11)
    d = 3
    S = _spd(rng, d)
    theta_star, theta = rng.standard_normal(d), rng.standard_normal(d)
    model = LinearRegression(d)
    pop = model.population(theta, S, theta_star, noise_var)
    # closed forms: G = H = S, Σ = 2L S + ∇L∇Lᵀ (Isserlis: E[(xᵀδ)² xxᵀ] = (δᵀSδ)S + 2Sδδᵀ S)
    delta = theta - theta_star
    np.testing.assert_allclose(pop.fisher, S, rtol=1e-12)
    np.testing.assert_allclose(pop.hessian, S, rtol=1e-12)
    assert np.isclose(pop.loss, 0.5 * (delta @ S @ delta + noise_var))
    wick = (delta @ S @ delta + noise_var) * S + 2 * np.outer(S @ delta, S @ delta)
    np.testing.assert_allclose(pop.sigma1, wick, rtol=1e-12)
    np.testing.assert_allclose(pop.sigma, 2 * pop.loss * S + np.outer(S @ delta, S @ delta), rtol=1e-12)
    mc = _mc_problem(model, theta, S, theta_star, noise_var, 200_000)
    assert abs(mc.loss - pop.loss) / pop.loss < 0.05
    assert _rel(mc.grad, pop.grad) < 0.05
    assert _rel(mc.fisher, pop.fisher) < 0.05
    assert _rel(mc.sigma1, pop.sigma1) < 0.05
    assert _rel(mc.sigma, pop.sigma) < 0.05


@pytest.mark.parametrize("name", ["diagonal_squares", "diagonal_product", "deep_linear_2"])
def test_olm_population_vs_monte_carlo(name: str) -> None:
    model = MODELS[name]
    rng = np.random.default_rng(12)
    d = model.input_dim
    S = _spd(rng, d)
    teacher = model.effective_weights(rng.standard_normal(model.num_params))
    theta = rng.standard_normal(model.num_params)
    pop = model.population(theta, S, teacher, 0.1)
    # wu2022alignment Prop. 2.3: Σ = ∇L∇Lᵀ + 2L G in the online setting
    np.testing.assert_allclose(
        pop.sigma, np.outer(pop.grad, pop.grad) + 2 * pop.loss * pop.fisher, rtol=1e-12
    )
    mc = _mc_problem(model, theta, S, teacher, 0.1, 100_000)
    assert abs(mc.loss - pop.loss) / pop.loss < 0.05
    assert _rel(mc.grad, pop.grad) < 0.05
    assert _rel(mc.fisher, pop.fisher) < 0.05
    assert _rel(mc.hessian, pop.hessian) < 0.05
    assert _rel(mc.sigma1, pop.sigma1) < 0.05
    # the exact population Hessian differs from G away from the teacher (residual term present)
    assert _rel(pop.hessian, pop.fisher) > 0.05


def test_relu_kernel_matches_random_features() -> None:
    rng = np.random.default_rng(5)
    d, m = 4, 200_000
    X = sample_sphere(rng, 5, d)
    model = RandomFeatureModel.relu_sphere(rng, m, d)  # scale m^{-1/2}: Gram -> kernel
    J = model.jacobian(np.zeros(m), X)
    K = relu_kernel(X, X)
    # Monte-Carlo error of an average of m bounded terms: ~ d / sqrt(m) ≈ 1e-2 relative; tolerance 2%
    assert _rel(J @ J.T, K) < 0.02
    np.testing.assert_allclose(np.diag(K), 0.5 * np.ones(5), rtol=1e-12)  # κ(1) = 1/2
    W = rng.standard_normal((m, d))  # Gaussian features give the same kernel (homogeneity)
    F = np.maximum(X @ W.T, 0.0)
    assert _rel(F @ F.T / m, K) < 0.02


def test_random_relu_population_fisher_sphere() -> None:
    rng = np.random.default_rng(6)
    model = RandomFeatureModel.relu_sphere(rng, 5, 3)
    Xs = sample_sphere(rng, 200_000, 3)
    np.testing.assert_allclose(np.linalg.norm(Xs, axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(model.features, axis=1), np.sqrt(3), rtol=1e-12)
    J = model.jacobian(np.zeros(5), Xs)
    assert _rel(J.T @ J / Xs.shape[0], model.population_fisher_sphere()) < 0.02
    with pytest.raises(ValueError, match="activation"):
        RandomFeatureModel(model.features, "tanh").population_fisher_sphere()


# ---------------------------------------------------------------------- classification
def _clf_problem(model, seed: int = 0, n: int = 6, soft: bool = False) -> CrossEntropyProblem:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, model.input_dim))
    theta = rng.standard_normal(model.num_params)
    if isinstance(model, LogisticRegression):
        y = rng.random(n) if soft else (rng.random(n) < 0.5).astype(float)
    else:
        y = (
            rng.dirichlet(np.ones(model.num_classes), size=n)
            if soft
            else rng.integers(0, model.num_classes, n)
        )
    return CrossEntropyProblem(model, X, y, theta)


CLASSIFIERS = {
    "logistic": LogisticRegression(3),
    "softmax2": SoftmaxRegression(3, 2),
    "softmax4": SoftmaxRegression(2, 4),
}


@pytest.mark.parametrize("soft", [False, True])
@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_cross_entropy_derivatives_match_finite_differences(name: str, soft: bool) -> None:
    P = _clf_problem(CLASSIFIERS[name], soft=soft)
    close(P.per_sample_grads, fd(lambda t: P.at(t).per_sample_losses, P.theta))
    close(P.grad, fd(lambda t: P.at(t).loss, P.theta))
    close(P.hessian, fd(lambda t: P.at(t).grad, P.theta))
    close(P.per_sample_hessians, fd(lambda t: P.at(t).per_sample_grads, P.theta))
    close(P.per_sample_hessians.mean(axis=0), P.hessian, rtol=1e-10, atol=1e-13)
    assert P.fisher is P.hessian
    check_psd(P.hessian)
    close(P.residual_term, P.second_moment - P.hessian, rtol=1e-12, atol=1e-14)


def test_logistic_matches_li2019_table1() -> None:
    P = _clf_problem(LogisticRegression(3), n=8)
    p = 1.0 / (1.0 + np.exp(-P.X @ P.theta))
    sig = p * (1 - p)
    close(P.hessian, (P.X * sig[:, None]).T @ P.X / P.n, rtol=1e-12, atol=1e-14)
    close(P.second_moment, (P.X * ((p - P.y) ** 2)[:, None]).T @ P.X / P.n, rtol=1e-12, atol=1e-14)
    close(P.residual_term, (P.X * ((p - P.y) ** 2 - sig)[:, None]).T @ P.X / P.n, rtol=1e-10, atol=1e-14)


def test_softmax_with_two_classes_equals_logistic() -> None:
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((7, 3)), (rng.random(7) < 0.5).astype(float)
    w0, w1 = rng.standard_normal(3), rng.standard_normal(3)
    Ps = CrossEntropyProblem(SoftmaxRegression(3, 2), X, y, np.r_[w0, w1])
    Pl = CrossEntropyProblem(LogisticRegression(3), X, y, w1 - w0)
    np.testing.assert_allclose(Ps.per_sample_losses, Pl.per_sample_losses, rtol=1e-12)
    np.testing.assert_allclose(Ps.probabilities[:, 1], Pl.probabilities, rtol=1e-12)


def test_cross_entropy_soft_labels_at_model_probabilities_interpolate() -> None:
    for model in CLASSIFIERS.values():
        P = _clf_problem(model)
        Pm = CrossEntropyProblem(model, P.X, P.probabilities, P.theta)
        assert np.all(Pm.per_sample_grads == 0.0)
        np.testing.assert_array_equal(Pm.second_moment, 0.0)
        np.testing.assert_array_equal(Pm.residual_term, -Pm.hessian)  # li2019hessian Eq. (20) regime


def test_cross_entropy_is_numerically_stable_for_large_logits() -> None:
    for model in CLASSIFIERS.values():
        P = _clf_problem(model)
        Pb = P.at(1e4 * P.theta)
        assert np.all(np.isfinite(Pb.per_sample_losses)) and np.all(np.isfinite(Pb.hessian))
        assert np.all(Pb.per_sample_losses >= 0)


# ---------------------------------------------------------------------- activations and features
@pytest.mark.parametrize("name", ["identity", "tanh", "softplus", "smooth_leaky", "relu", "leaky_relu"])
def test_activation_derivatives(name: str) -> None:
    act = get_activation(name)
    z = np.array([-2.3, -0.7, 0.4, 1.9])
    close(act.d1(z), np.diag(fd(lambda t: act.fn(t), z)))
    close(act.d2(z), np.diag(fd(lambda t: act.d1(t), z)))
    if act.slope_bounds is not None:
        lo, hi = act.slope_bounds
        zz = np.linspace(-30, 30, 1001)
        assert np.all(act.d1(zz) >= lo - 1e-15) and np.all(act.d1(zz) <= hi + 1e-15)


def test_leaky_relu_matches_wang2023_definition() -> None:
    z = np.linspace(-3, 3, 13)
    for alpha in (0.1, 0.5, 2.0):
        act = leaky_relu(alpha)
        np.testing.assert_array_equal(act.fn(z), np.maximum(alpha * z, z))
        assert act.slope_bounds == (min(alpha, 1.0), max(alpha, 1.0))


def test_two_layer_jacobian_block_structure() -> None:
    P = _problem("two_layer_leaky")
    model = P.model
    assert isinstance(model, TwoLayerNetwork)
    B = model.hidden_weights(P.theta)
    slopes = model.activation.d1(P.X @ B.T)
    expected = (model.output_weights * slopes)[:, :, None] * P.X[:, None, :]
    np.testing.assert_allclose(P.jacobian, expected.reshape(P.n, -1), rtol=1e-14)
    np.testing.assert_array_equal(P.residual_hessian, 0.0)  # φ'' = 0 a.e. for leaky ReLU
    assert TwoLayerNetwork.balanced(2, 3).output_weights.tolist() == [1.0, 1.0, -1.0]


def test_problem_arrays_are_read_only_and_at_revalidates() -> None:
    P = _problem("deep_linear_2")
    for arr in (P.X, P.y, P.theta, P.hessian, P.grad, P.jacobian, P.sigma):
        with pytest.raises(ValueError):
            arr[..., 0] = 1.0
    with pytest.raises(ValueError, match="theta"):
        P.at(np.zeros(P.p + 1))


# ---------------------------------------------------------------------- bad inputs
def test_bad_inputs_raise_value_errors_naming_the_argument() -> None:
    lin = LinearRegression(2)
    X, y, th = np.ones((3, 2)), np.zeros(3), np.zeros(2)
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: LinearRegression(0), "input_dim"),
        (lambda: LinearRegression(True), "input_dim"),
        (lambda: lin.predict(th, np.ones((3, 3))), "X"),
        (lambda: lin.predict(th, np.ones(2)), "X"),
        (lambda: lin.predict(th, np.ones((0, 2))), "X"),
        (lambda: lin.predict(np.array([np.nan, 0.0]), X), "theta"),
        (lambda: lin.jacobian(np.zeros(3), X), "theta"),
        (lambda: lin.output_hessian(th, np.ones(3)), "x"),
        (lambda: lin.weighted_output_hessian(th, X, np.ones(2)), "weights"),
        (lambda: SquareLossProblem(lin, X, np.zeros(4), th), "y"),
        (lambda: SquareLossProblem(lin, X, np.array([0.0, np.inf, 0.0]), th), "y"),
        (lambda: SquareLossProblem("linear", X, y, th), "model"),  # type: ignore[arg-type]
        (lambda: SquareLossProblem(LogisticRegression(2), X, y, th), "model"),  # type: ignore[arg-type]
        (lambda: CrossEntropyProblem(lin, X, y, th), "model"),  # type: ignore[arg-type]
        (lambda: DiagonalLinearNetwork(2, "cubes"), "parametrization"),
        (lambda: DeepLinearNetwork.uniform(2, 3, 0), "depth"),
        (lambda: DeepLinearNetwork(2, (3, 0)), r"hidden_widths\[1\]"),
        (lambda: DeepLinearNetwork(2, 3), "hidden_widths"),  # type: ignore[arg-type]
        (lambda: DeepLinearNetwork(2, (3,)).flatten([np.ones((3, 2))]), "layers"),
        (lambda: DeepLinearNetwork(2, (3,)).flatten([np.ones((3, 2)), np.ones((2, 3))]), r"layers\[1\]"),
        (lambda: RandomFeatureModel(np.ones((0, 2))), "features"),
        (lambda: RandomFeatureModel(np.ones((2, 2)), "swish"), "activation"),
        (lambda: RandomFeatureModel(np.ones((2, 2)), scale=0.0), "scale"),
        (lambda: RandomFeatureModel(np.ones((2, 2)), scale="big"), "scale"),  # type: ignore[arg-type]
        (lambda: TwoLayerNetwork(2, [1.0, 0.5]), "output_weights"),
        (lambda: TwoLayerNetwork(2, []), "output_weights"),
        (lambda: leaky_relu(0.0), "alpha"),
        (lambda: smooth_leaky(0.8, 0.5), "alpha"),
        (lambda: get_activation(3), "activation"),  # type: ignore[arg-type]
        (lambda: sample_sphere(np.random.default_rng(0), 0, 2), "n"),
        (lambda: sample_sphere(np.random.default_rng(0), 2, 2, radius=-1.0), "radius"),
        (lambda: relu_kernel(np.ones((2, 2)), np.ones((2, 3))), "X2"),
        (lambda: lin.population(th, -np.eye(2), th), "S"),
        (lambda: lin.population(th, np.eye(3), th), "S"),
        (lambda: lin.population(th, np.eye(2), np.zeros(3)), "teacher"),
        (lambda: lin.population(th, np.eye(2), th, noise_var=-1.0), "noise_var"),
        (lambda: SoftmaxRegression(2, 1), "num_classes"),
        (lambda: CrossEntropyProblem(LogisticRegression(2), X, np.array([0.0, 2.0, 1.0]), th), "y"),
        (lambda: CrossEntropyProblem(SoftmaxRegression(2, 3), X, np.array([0, 3, 1]), np.zeros(6)), "y"),
        (lambda: CrossEntropyProblem(SoftmaxRegression(2, 3), X, np.array([0, 1.5, 1]), np.zeros(6)), "y"),
        (lambda: CrossEntropyProblem(SoftmaxRegression(2, 3), X, np.full((3, 3), 0.5), np.zeros(6)), "y"),
        (lambda: CrossEntropyProblem(SoftmaxRegression(2, 3), X, np.full((3, 2), 0.5), np.zeros(6)), "y"),
        (lambda: CrossEntropyProblem(SoftmaxRegression(2, 3), X, np.zeros(2), np.zeros(6)), "y"),
    ]
    for call, name in cases:
        with pytest.raises(ValueError, match=name):
            call()
