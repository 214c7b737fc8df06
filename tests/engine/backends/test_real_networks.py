"""Real-network experiment: digits loader, CNN per-sample gradients, exact decisions, escape rates.

Skipped (not failed) without torch or scikit-learn.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("sklearn")

from verifythm.backends import networks, training  # noqa: E402
from verifythm.backends.torch_backend import gram_matrix, num_params, per_sample_gradients  # noqa: E402
from verifythm.dynamics import at_minimum  # noqa: E402


def test_digits_subset_shape_determinism_and_targets():
    X, y, labels = networks.load_digits_subset(40, seed=3)
    assert X.shape == (40, 64) and y.shape == (40,) and labels.shape == (40,)
    X2, y2, labels2 = networks.load_digits_subset(40, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2) and np.array_equal(labels, labels2)
    X3, _, _ = networks.load_digits_subset(40, seed=4)
    assert not np.array_equal(X, X3)
    assert np.allclose(X.mean(axis=0), 0.0, atol=1e-12)
    assert np.ptp(X, axis=0).max() <= 1.0 + 1e-12  # pixels scaled from [0, 16] to [0, 1] before centring
    assert np.array_equal(y, np.where(labels % 2 == 0, 1.0, -1.0))
    assert set(np.unique(labels)) <= set(range(10)) and len(np.unique(labels)) > 5
    with pytest.raises(ValueError, match="n: expected"):
        networks.load_digits_subset(0)


def test_cnn_per_sample_gradients_match_an_autograd_loop():
    X, _, _ = networks.load_digits_subset(7, seed=0)
    net = networks.digits_cnn(0, channels=(2, 3), hidden=4)
    assert num_params(net) == (2 * 9 + 2) + (3 * 2 * 9 + 3) + (48 * 4 + 4) + 5
    G = torch.cat(list(per_sample_gradients(net, X, chunk_size=3))).numpy()
    assert G.shape == (7, num_params(net))
    for i in range(7):
        net.zero_grad()
        net(torch.tensor(X[i : i + 1])).sum().backward()
        gi = torch.cat([p.grad.reshape(-1) for p in net.parameters()]).numpy()
        assert np.allclose(G[i], gi, rtol=1e-11, atol=1e-13)
    assert np.allclose(gram_matrix(net, X, chunk_size=2), G @ G.T, rtol=1e-11, atol=1e-13)


def test_gauss_newton_polish_reaches_an_exact_minimum():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((6, 3)), rng.standard_normal(6)
    net = networks.tanh_mlp(3, 5, 0)
    start = torch.nn.utils.parameters_to_vector(net.parameters()).detach().clone()
    loss = training.gauss_newton_polish(net, X, y, steps=20)
    assert loss < 1e-20
    moved = torch.nn.utils.parameters_to_vector(net.parameters()).detach() - start
    assert float(moved.norm()) > 1e-3  # it did move (the start is far from interpolating)


def _dense_rho(G: np.ndarray, eta: float, B: int) -> float:
    """ρ of E[Ĵ ⊗ Ĵ] on p × p matrices, enumerating all B-tuples of indices (with replacement)."""
    n, p = G.shape
    T = np.zeros((p * p, p * p))
    for idx in itertools.product(range(n), repeat=B):
        Hb = sum(np.outer(G[i], G[i]) for i in idx) / B
        J = np.eye(p) - eta * Hb
        T += np.kron(J, J)
    return float(np.max(np.abs(np.linalg.eigvals(T / n**B))))


def test_predicted_escape_rate_matches_dense_enumeration():
    rng = np.random.default_rng(1)
    G = rng.standard_normal((3, 3)) * np.array([[1.0], [0.5], [2.0]])
    K = G @ G.T
    B = 2
    from verifythm.dynamics import Family, NoiseModel, critical_learning_rate

    crit = critical_learning_rate(NoiseModel.build(Family.from_gram(K, dim=3), B, "with-replacement")).value
    for f in (1.1, 1.6):
        eta = f * crit
        pred = at_minimum.predicted_rate(K, 3, eta, B)
        assert pred > 1
        assert pred == pytest.approx(_dense_rho(G, eta, B), rel=1e-8)
    # and below η* the dense operator's radius is below 1 (full-rank G: no kernel)
    assert _dense_rho(G, 0.9 * crit, B) < 1


def test_linearized_escape_rate_matches_prediction_within_its_error():
    # gradients with a common component (as a network's output bias gives): above η* and above
    # the GD threshold 2/λ₁, the regime of the GD-found sharp minimum of the experiment
    rng = np.random.default_rng(2)
    G = 0.3 * rng.standard_normal((6, 10))
    G[:, 0] += 1.0
    K = G @ G.T
    from verifythm.dynamics import Family, NoiseModel, critical_learning_rate

    fam = Family.from_gram(K, dim=10)
    crit = critical_learning_rate(NoiseModel.build(fam, 3, "with-replacement")).value
    eta = 1.25 * crit
    assert eta > 2 / fam.eigenvalues[0]
    out = at_minimum.linearized_escape(K, 10, eta, 3, trajectories=4000, steps=25, burn=5, seed=0)
    assert out["exact_rate_rho"] == pytest.approx(_dense_rho(G, eta, 3), rel=1e-8)
    assert 0 < out["ratio_stderr"] < 0.1
    assert abs(out["ratio"] - 1) <= 4 * out["ratio_stderr"]
    # E[L_0] = ½ E[yᵀHy] = ½ tr H with y₀ ~ N(0, I): checks the start, not only the slope
    assert out["exact_mean_loss"][0] == pytest.approx(0.5 * np.trace(K) / 6, rel=1e-12)
    assert out["mean_loss"][0] == pytest.approx(0.5 * np.trace(K) / 6, rel=0.05)
    # the exact E[L_t] (iterates of T) grows at log ρ once the subdominant modes have decayed
    assert out["exact_window_log_rate"] == pytest.approx(out["predicted_log_rate"], rel=0.02)
    assert out["exact_mean_loss"][-1] / out["exact_mean_loss"][-2] == pytest.approx(
        out["exact_rate_rho"], rel=1e-3
    )


def test_growth_rate_recovers_a_known_exponential():
    t = np.arange(11)
    rng = np.random.default_rng(3)
    losses = rng.uniform(0.5, 1.5, size=(40, 1)) * 1.3**t  # each run exactly geometric
    out = at_minimum.growth_rate(losses, (2, 10))
    assert out["log_rate"] == pytest.approx(math.log(1.3), rel=1e-12)
    assert out["log_rate_stderr"] < 1e-12
    noisy = losses * rng.uniform(0.5, 1.5, size=losses.shape)
    assert at_minimum.growth_rate(noisy, (2, 10))["log_rate_stderr"] > 1e-4


def test_decisions_at_a_minimum_agree_with_the_theorem_modules():
    pytest.importorskip("hypothesis")  # the theorem modules import it
    from verifythm_theorems.dexter2024precise.thm1 import condition
    from verifythm_theorems.wu2022alignment._linear import facts

    X, y, _ = networks.load_digits_subset(10, seed=1)
    net = networks.digits_cnn(1, channels=(3, 4), hidden=6)
    assert training.gauss_newton_polish(net, X, y, steps=20) < 1e-20
    G = torch.cat(list(per_sample_gradients(net, X))).numpy()
    B = 3
    v = training.decide_at_minimum(net, X, 0.05, B, "without-replacement")
    f = facts({"Q": G.T, "B": B, "eta": 0.05})
    wu = v["wu2022_thm3_3"]
    assert wu["mu0_inf_theta"] == pytest.approx(f["mu0"], rel=1e-7)
    assert wu["H_frobenius"] == pytest.approx(f["fro"], rel=1e-9)
    assert v["critical_lr_with_replacement"] == pytest.approx(f["crit"], rel=1e-7)
    assert wu["ratio_at_critical"] == pytest.approx(f["crit"] * f["fro"] / math.sqrt(B / f["mu0"]), rel=1e-6)
    assert wu["holds_at_critical"] and wu["ratio_at_critical"] <= 1
    d = v["dexter2024_thm1"]
    Hs = np.einsum("ia,ib->iab", G, G)
    assert condition(Hs, d["eta_condition"] * 1.001, B)
    assert not condition(Hs, d["eta_condition"] * 0.999, B)
    assert d["consistent_with_exact"] == (d["eta_condition"] >= d["eta_star_bernoulli"] * (1 - 1e-9))
