"""torch backend parity: per-sample gradients, Gram matrices and the engine agree with numpy.

Skipped (not failed) when torch is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest
from support import REPO_ROOT

torch = pytest.importorskip("torch")

from verifythm.backends import check_backend  # noqa: E402
from verifythm.backends.torch_backend import (  # noqa: E402
    gram_matrix,
    gram_of_gradients,
    num_params,
    outputs,
    per_sample_gradients,
)
from verifythm.dynamics import Family, NoiseModel, critical_learning_rate  # noqa: E402
from verifythm.models import TwoLayerNetwork  # noqa: E402
from verifythm.quantities import alignment_factors  # noqa: E402


class _TwoLayer(torch.nn.Module):
    """f(x) = Σ_k a_k φ(b_kᵀx) with fixed signs a_k and leaky ReLU φ (wang2023noise §3.2)."""

    def __init__(self, B: np.ndarray, a: np.ndarray, slope: float = 0.1):
        super().__init__()
        self.B = torch.nn.Parameter(torch.tensor(B))
        self.register_buffer("a", torch.tensor(a))
        self.slope = slope

    def forward(self, x):
        return torch.nn.functional.leaky_relu(x @ self.B.T, self.slope) @ self.a


def _mlp(d: int, width: int, seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(d, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, 1),
    ).double()


def test_two_layer_network_gradients_match_numpy_model():
    rng = np.random.default_rng(0)
    n, d, m = 9, 4, 5
    X = rng.standard_normal((n, d))
    B = rng.standard_normal((m, d))
    a = np.array([1.0, -1.0, 1.0, 1.0, -1.0])
    net = _TwoLayer(B, a)
    G = torch.cat(list(per_sample_gradients(net, X, chunk_size=4))).numpy()
    ref = TwoLayerNetwork(d, a, activation="leaky_relu").jacobian(B.ravel(), X)
    assert np.allclose(G, ref, rtol=1e-12, atol=1e-12)
    assert np.allclose(outputs(net, X), TwoLayerNetwork(d, a).predict(B.ravel(), X), rtol=1e-12)


def test_per_sample_gradients_match_autograd_loop_and_gram():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((13, 3))
    net = _mlp(3, 6, 0)
    G = torch.cat(list(per_sample_gradients(net, X, chunk_size=5))).numpy()
    assert G.shape == (13, num_params(net))
    for i in (0, 7, 12):
        net.zero_grad()
        net(torch.tensor(X[i : i + 1])).sum().backward()
        gi = torch.cat([p.grad.reshape(-1) for p in net.parameters()]).numpy()
        assert np.allclose(G[i], gi, rtol=1e-12, atol=1e-14)
    K = gram_matrix(net, X, chunk_size=4)
    assert np.allclose(K, G @ G.T, rtol=1e-12, atol=1e-13)
    budget = 5 * num_params(net) * 8  # five float64 gradient rows: panels of 2 rows, rows streamed past
    K_small_memory = gram_matrix(net, X, chunk_size=4, max_bytes=budget)
    assert np.allclose(K_small_memory, K, rtol=1e-12, atol=1e-13)
    K32 = gram_matrix(net, X, chunk_size=4, dtype="float32")
    assert np.allclose(K32, K, rtol=1e-4, atol=1e-5)


def _numpy_mlp_gradients(net: torch.nn.Module, X: np.ndarray) -> np.ndarray:
    """Per-sample gradients of a Linear–Tanh–…–Linear(·, 1) network by hand in numpy float64.

    For a linear layer with input a_i and back-propagated signal δ_i the weight gradient is the
    outer product δ_i a_iᵀ (row-major, as torch flattens it) and the bias gradient is δ_i.
    """
    lin = [m for m in net if isinstance(m, torch.nn.Linear)]
    W = [m.weight.detach().double().numpy() for m in lin]
    acts = [np.asarray(X, dtype=np.float64)]
    for m in lin[:-1]:
        acts.append(
            np.tanh(acts[-1] @ m.weight.detach().double().numpy().T + m.bias.detach().double().numpy())
        )
    delta = np.ones((acts[0].shape[0], 1))
    parts: list[np.ndarray] = []
    for layer in range(len(lin) - 1, -1, -1):
        a = acts[layer]
        parts = [np.einsum("ni,nj->nij", delta, a).reshape(a.shape[0], -1), delta, *parts]
        if layer > 0:
            delta = (delta @ W[layer]) * (1.0 - acts[layer] ** 2)
    return np.concatenate(parts, axis=1)


@pytest.mark.parametrize("method", ["per_sample", "factored"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_gram_matrix_matches_an_independent_numpy_reference_for_any_chunking(dtype, method):
    rng = np.random.default_rng(11)
    X = rng.standard_normal((37, 3)).astype(np.float32).astype(np.float64)  # exact in float32 too
    torch.manual_seed(3)
    net = torch.nn.Sequential(  # p = 91 801: float32 products over many column blocks
        torch.nn.Linear(3, 300),
        torch.nn.Tanh(),
        torch.nn.Linear(300, 300),
        torch.nn.Tanh(),
        torch.nn.Linear(300, 1),
    )
    if dtype == "float64":
        net = net.double()
    G = _numpy_mlp_gradients(net, X)
    p = num_params(net)
    assert G.shape == (37, p)
    K_ref = G @ G.T
    scale = np.max(np.abs(K_ref))
    item = 8 if dtype == "float64" else 4
    tol = 1e-12 if dtype == "float64" else 1e-6
    Ks = [
        gram_matrix(net, X, dtype=dtype, method=method, **kw)
        for kw in (
            {},
            {"chunk_size": 1},
            {"chunk_size": 5},
            {"chunk_size": 36},
            {"chunk_size": 100},
            {"chunk_size": 8, "max_bytes": 20 * p * item},  # panels of 8 rows, 8-row chunks streamed past
        )
    ]
    small = 2 * p * item if method == "per_sample" else 9 * (3 + 300 + 300 + 300 + 300 + 1) * 8
    K9 = gram_matrix(net, X[:9], dtype=dtype, method=method, max_bytes=small)  # smallest budget
    assert np.max(np.abs(K9 - Ks[0][:9, :9])) / scale < tol
    for K in Ks:
        assert K.dtype == np.float64 and K.shape == (37, 37)
        assert np.array_equal(K, K.T)
        assert np.max(np.abs(K - K_ref)) / scale < tol
        assert np.max(np.abs(K - Ks[0])) / scale < tol  # chunk-size independence
    # the comparison can fail: a reference whose hidden weights are 1e-4 (relative) away is rejected
    with torch.no_grad():
        net[2].weight *= 1 + 1e-4
    G_off = _numpy_mlp_gradients(net, X)
    assert np.max(np.abs(Ks[0] - G_off @ G_off.T)) / scale > 10 * tol


def test_gram_matrix_fails_fast_when_two_gradient_rows_do_not_fit():
    net = _mlp(3, 6, 0)
    p = num_params(net)
    with pytest.raises(
        ValueError, match=rf"cannot hold 2 per-sample gradients of p = {p} parameters in float64"
    ):
        gram_matrix(net, np.ones((4, 3)), max_bytes=2 * p * 8 - 1, method="per_sample")
    # one sample: one row
    assert gram_matrix(net, np.ones((1, 3)), max_bytes=p * 8, method="per_sample").shape == (1, 1)
    with pytest.raises(ValueError, match="max_bytes"):
        gram_matrix(net, np.ones((4, 3)), max_bytes=0)
    with pytest.raises(ValueError, match="chunk_size"):
        gram_matrix(net, np.ones((4, 3)), chunk_size=0)


class _Tied(torch.nn.Module):
    """One linear layer applied twice: its gradient is a sum of two outer products."""

    def __init__(self) -> None:
        super().__init__()
        self.inner, self.out = torch.nn.Linear(3, 3), torch.nn.Linear(3, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.tanh(self.inner(torch.tanh(self.inner(x)))))


class _Centred(torch.nn.Module):
    """Samples interact: the hidden layer is centred by the batch mean."""

    def __init__(self) -> None:
        super().__init__()
        self.inner, self.out = torch.nn.Linear(3, 4), torch.nn.Linear(4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.tanh(self.inner(x))
        return self.out(h - 0.5 * h.mean(0, keepdim=True))


def test_factored_gram_applies_to_linear_layers_only_and_says_why_not():
    X = np.random.default_rng(4).standard_normal((11, 3))
    net = _mlp(3, 6, 0)
    net[0].weight.requires_grad_(False)  # frozen parts contribute nothing
    net[-1].bias.requires_grad_(False)
    ref = gram_matrix(net, X, method="per_sample")
    assert np.allclose(gram_matrix(net, X, method="factored"), ref, rtol=1e-12, atol=1e-13)
    assert np.array_equal(gram_matrix(net, X), gram_matrix(net, X, method="factored"))  # auto takes it
    conv = torch.nn.Sequential(torch.nn.Unflatten(1, (1, 3)), torch.nn.Conv1d(1, 2, 2), torch.nn.Flatten())
    conv = torch.nn.Sequential(conv, torch.nn.Linear(4, 1)).double()
    cases = [
        (conv, "Conv1d\\) holds trainable parameters and is not a torch.nn.Linear"),
        (_Tied().double(), "layer 'inner' is called 2 times"),
        (_Centred().double(), "batch and per-sample gradients differ"),
    ]
    for model, why in cases:
        with pytest.raises(ValueError, match=why):
            gram_matrix(model, X, method="factored")
        # auto falls back to the per-sample path, which is exact for any of them
        assert np.array_equal(gram_matrix(model, X), gram_matrix(model, X, method="per_sample"))
    with pytest.raises(ValueError, match="method"):
        gram_matrix(net, X, method="kronecker")
    with pytest.raises(ValueError, match="layer factors need"):
        gram_matrix(net, X, method="factored", max_bytes=100)


def test_engine_and_quantities_agree_across_backends():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((12, 3))
    net = _mlp(3, 5, 1)
    G = torch.cat(list(per_sample_gradients(net, X))).numpy()
    K_torch = gram_matrix(net, X)
    assert np.allclose(gram_of_gradients(G, block=7), G @ G.T, rtol=1e-12, atol=1e-13)
    for s in ("with-replacement", "bernoulli"):
        a = critical_learning_rate(NoiseModel.build(Family.from_gram(K_torch, dim=G.shape[1]), 3, s)).value
        b = critical_learning_rate(NoiseModel.build(gradients=G, batch_size=3, sampling=s)).value
        assert a == pytest.approx(b, rel=1e-9)
    e = outputs(net, X) - rng.standard_normal(12)
    from verifythm.linalg.gram import gram_from_matrix, noise_traces

    nt = noise_traces(gram_from_matrix(K_torch, p=G.shape[1]), e)
    af = alignment_factors(G.T, e)
    assert nt.tr_G_Sigma / (2 * nt.loss * (np.linalg.norm(K_torch) / 12) ** 2) == pytest.approx(
        af.mu, rel=1e-9
    )


def test_bad_inputs_and_backend_names():
    net = _mlp(2, 3, 0)
    with pytest.raises(ValueError, match="chunk_size"):
        next(per_sample_gradients(net, np.ones((2, 2)), chunk_size=0))
    with pytest.raises(ValueError, match="X: contains NaN"):
        next(per_sample_gradients(net, np.array([[np.nan, 1.0]])))
    with pytest.raises(ValueError, match="dtype"):
        gram_matrix(net, np.ones((2, 2)), dtype="float16")
    with pytest.raises(ValueError, match="backend: unknown backend"):
        check_backend("jax")
    two_out = torch.nn.Linear(2, 2).double()
    with pytest.raises(ValueError, match="one scalar output"):
        next(per_sample_gradients(two_out, np.ones((3, 2))))


def test_cli_torch_backend_matches_numpy(tmp_path):
    import io
    import json

    from verifythm.cli import main

    rng = np.random.default_rng(3)
    np.savez(tmp_path / "g.npz", gradients=rng.standard_normal((15, 40)))
    docs = {}
    for backend in ("numpy", "torch"):
        for cmd in (
            ["stability", "--batch-size", "4", "--sampling", "bernoulli", "--lr", "0.01"],
            ["quantities"],
        ):
            out = io.StringIO()
            rc = main([cmd[0], str(tmp_path / "g.npz"), *cmd[1:], "--json", "--backend", backend], out=out)
            assert rc == 0
            docs[(backend, cmd[0])] = json.loads(out.getvalue())
    for cmd in ("stability", "quantities"):
        a, b = docs[("numpy", cmd)], docs[("torch", cmd)]
        assert a.keys() == b.keys()
        for k in a:
            if isinstance(a[k], float):
                assert b[k] == pytest.approx(a[k], rel=1e-9), k
            else:
                assert a[k] == b[k], k


def test_hessian_operator_and_estimators_match_the_dense_hessian():
    from verifythm.backends.curvature import (
        frobenius_estimate,
        hessian_operator,
        hutchinson_trace,
        square_loss_fn,
        top_eigenpairs,
    )

    rng = np.random.default_rng(4)
    X = rng.standard_normal((10, 3))
    y = rng.standard_normal(10)
    net = _mlp(3, 4, 2)
    loss, theta0, p = square_loss_fn(net, X, y)
    H = torch.autograd.functional.hessian(loss, theta0).numpy()
    op = hessian_operator(net, X, y)
    v = rng.standard_normal(p)
    assert np.allclose(op.matvec(v), H @ v, rtol=1e-10, atol=1e-12)
    w, _ = top_eigenpairs(op, k=2)
    assert np.allclose(w, np.linalg.eigvalsh(H)[::-1][:2], rtol=1e-8)
    # the residual term matters away from the minimum: H differs from the Gauss–Newton part
    G = torch.cat(list(per_sample_gradients(net, X))).numpy()
    assert np.linalg.norm(H - G.T @ G / 10) > 1e-3 * np.linalg.norm(H)
    # unbiased estimators within 6 standard errors (false alarm < 2e-9 each, fixed seed)
    tr = hutchinson_trace(op, 400, np.random.default_rng(5))
    fr = frobenius_estimate(op, 400, np.random.default_rng(6))
    assert abs(tr.value - np.trace(H)) <= 6 * tr.stderr
    assert abs(fr.value - np.sum(H * H)) <= 6 * fr.stderr
    with pytest.raises(ValueError, match="samples"):
        hutchinson_trace(op, 1, rng)
    with pytest.raises(ValueError, match="k: expected"):
        top_eigenpairs(op, k=p)


def test_batched_products_and_hutchplusplus():
    from verifythm.backends.curvature import hessian_operator, hutchplusplus_trace, square_loss_fn

    rng = np.random.default_rng(7)
    X = rng.standard_normal((12, 3))
    y = rng.standard_normal(12)
    net = _mlp(3, 5, 2)
    loss, theta0, p = square_loss_fn(net, X, y)
    H = torch.autograd.functional.hessian(loss, theta0).numpy()
    op = hessian_operator(net, X, y, chunk=4)  # several chunks of vmapped products
    V = rng.standard_normal((p, 11))
    np.testing.assert_allclose(op.matmat(V), H @ V, rtol=1e-10, atol=1e-12)
    est = hutchplusplus_trace(op, 3 * p, np.random.default_rng(8))  # the sketch spans H: exact
    assert est.value == pytest.approx(np.trace(H), rel=1e-8, abs=1e-10)
    small = hutchplusplus_trace(op, 12, np.random.default_rng(9))
    assert abs(small.value - np.trace(H)) <= 6 * small.stderr + 1e-9  # false alarm < 2e-9
    with pytest.raises(ValueError, match="chunk"):
        hessian_operator(net, X, y, chunk=0)
    with pytest.raises(ValueError, match="products"):
        hutchplusplus_trace(op, 5, rng)


def test_hessian_products_agree_with_curvlinops():
    pytest.importorskip("curvlinops", reason="the optional extra 'curvature' (curvlinops) is not installed")
    from curvlinops import HessianLinearOperator

    from verifythm.backends.curvature import hessian_operator

    rng = np.random.default_rng(10)
    X = rng.standard_normal((9, 3))
    y = rng.standard_normal(9)
    net = _mlp(3, 4, 2).double()
    Xt, yt = torch.as_tensor(X), torch.as_tensor(y).reshape(-1, 1)

    params = [q for q in net.parameters() if q.requires_grad]
    # MSELoss (mean) is 2L for L = 1/(2n) Σ (f − y)²: its Hessian is twice ours
    theirs = HessianLinearOperator(net, torch.nn.MSELoss(reduction="mean"), params, [(Xt, yt)])
    ours = hessian_operator(net, X, y)
    V = rng.standard_normal((ours.shape[0], 3))
    theirs_V = 0.5 * np.asarray(theirs @ torch.as_tensor(V))
    np.testing.assert_allclose(ours.matmat(V), theirs_V, rtol=1e-8, atol=1e-10)


def test_real_network_experiment_runs_end_to_end(tmp_path):
    import importlib.util

    script = REPO_ROOT / "examples" / "real_networks" / "run.py"
    spec = importlib.util.spec_from_file_location("real_networks_run", script)
    assert spec is not None and spec.loader is not None
    real_networks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real_networks)

    out = tmp_path / "rn.json"
    argv = [
        "--n",
        "12",
        "--d",
        "3",
        "--width",
        "6",
        "--max-epochs",
        "30",
        "--every",
        "10",
        "--runs",
        "2",
        "--steps",
        "5",
        "--burn",
        "1",
        "--gd-steps",
        "300",
        "--trajectories",
        "200",
        "--digits-n",
        "0" if importlib.util.find_spec("sklearn") is None else "16",
        "--digits-epochs",
        "3",
        "--out",
        str(out),
    ]
    assert real_networks.main(argv) == 0
    import json

    doc = json.loads(out.read_text())
    v = doc["exact_stability_at_minimum"]
    assert v["mean_square_stable"] == (v["eta"] <= v["critical_lr"])
    assert doc["escape"]["exact_rate_rho"] > 1  # escape runs above η*
    assert doc["escape"]["gd_minimum_loss"] < 1e-20  # Gauss–Newton polish: an exact minimum
    lin = doc["escape"]["linearized"]
    assert lin["predicted_log_rate"] == pytest.approx(np.log(lin["exact_rate_rho"]))
    for key in doc.get("digits", {}).keys() & {"mlp", "cnn"}:
        d = doc["digits"][key]["exact_stability_at_minimum"]
        assert d["n"] == 16 and d["critical_lr"] > 0
        assert d["wu2022_thm3_3"]["holds_at_critical"]
    assert real_networks.main(argv) == 2  # never overwrites


# -- `verifythm check --backend torch`: the same claim checks, Gram matrices by torch -----------
PARITY_CLAIMS = ["wu2022.lemma2_2", "wu2022.lemma2_4.mu", "wu2022.thm3_3"]


@pytest.mark.parametrize("cid", PARITY_CLAIMS)
def test_claim_checks_agree_on_both_backends(cid, tmp_path, monkeypatch):
    torch = pytest.importorskip("torch")
    from verifythm import Context, default_registry
    from verifythm.backends import torch_backend
    from verifythm.runner import run_claim

    calls = []
    real = torch_backend.gram_of_gradients

    def counting(G, **kw):
        calls.append(torch.is_tensor(G) or G.shape)
        return real(G, **kw)

    monkeypatch.setattr(torch_backend, "gram_of_gradients", counting)
    claim = default_registry().get(cid)
    res_np = run_claim(claim, Context(backend="numpy"), report_dir=tmp_path)
    assert not calls  # the numpy run never touches torch
    res_t = run_claim(claim, Context(backend="torch"), report_dir=tmp_path)
    assert calls, f"{cid}: no Gram matrix went through torch"
    assert res_np.status is res_t.status
    for a, b in zip(res_np.checks, res_t.checks, strict=True):
        assert a.status is b.status and a.hypotheses_met == b.hypotheses_met
        if a.worst_slack is not None:
            assert b.worst_slack == pytest.approx(a.worst_slack, rel=1e-6, abs=1e-9)
