"""``verifythm stability`` and ``verifythm quantities`` on .npz families."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from verifythm.cli import main
from verifythm.dynamics import NoiseModel, critical_learning_rate, spectral_radius


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    rc = main(argv, out=out)
    return rc, out.getvalue()


@pytest.fixture
def grad_file(tmp_path):
    rng = np.random.default_rng(0)
    G = rng.standard_normal((12, 30))
    path = tmp_path / "g.npz"
    np.savez(path, gradients=G)
    return path, G


def test_stability_json_matches_engine(grad_file):
    path, G = grad_file
    rc, out = _run(
        ["stability", str(path), "--batch-size", "3", "--sampling", "bernoulli", "--lr", "0.01", "--json"]
    )
    assert rc == 0
    doc = json.loads(out)
    assert set(doc) == {"critical_lr", "spectral_radius", "stable", "sampling", "n", "form", "batch_size"}
    nm = NoiseModel.build(gradients=G, batch_size=3, sampling="bernoulli")
    assert doc["critical_lr"] == pytest.approx(critical_learning_rate(nm).value, rel=1e-9)
    assert doc["spectral_radius"] == pytest.approx(spectral_radius(nm, 0.01).value, rel=1e-9)
    assert doc["stable"] == (0.01 <= doc["critical_lr"])
    assert (doc["sampling"], doc["n"], doc["batch_size"]) == ("bernoulli", 12, 3)


def test_stability_text_and_gd(grad_file, tmp_path):
    path, G = grad_file
    rc, out = _run(["stability", str(path), "--sampling", "gd"])
    assert rc == 0 and "critical learning rate" in out
    lam1 = np.linalg.eigvalsh(G.T @ G / 12)[-1]
    rc, out = _run(["stability", str(path), "--sampling", "gd", "--json"])
    doc = json.loads(out)
    assert doc["critical_lr"] == pytest.approx(2 / lam1, rel=1e-10)
    assert doc["spectral_radius"] is None and doc["stable"] is None
    H = np.einsum("ia,ib->iab", G[:, :4], G[:, :4])
    np.savez(tmp_path / "h.npz", hessians=H)
    rc, out = _run(
        [
            "stability",
            str(tmp_path / "h.npz"),
            "--batch-size",
            "12",
            "--sampling",
            "without-replacement",
            "--lr",
            "1e-4",
            "--json",
        ]
    )
    assert rc == 0 and json.loads(out)["stable"] is True


@pytest.mark.parametrize(
    ("arrays", "argv", "message"),
    [
        (
            {"hessians": np.array([[[1.0, 0.0], [0.0, -1.0]]])},
            ["--batch-size", "1"],
            "positive semi-definite",
        ),
        ({"hessians": np.ones((2, 2, 3))}, ["--batch-size", "1"], "hessians: expected shape"),
        ({"gradients": np.array([[np.nan, 1.0]])}, ["--batch-size", "1"], "NaN"),
        ({"gradients": np.ones((3, 2))}, ["--batch-size", "4"], "--batch-size"),
        ({"gradients": np.ones((3, 2))}, ["--batch-size", "0"], "--batch-size"),
        ({"gradients": np.ones((3, 2))}, ["--batch-size", "1", "--lr", "0"], "--lr"),
        ({"gradients": np.ones((3, 2))}, ["--batch-size", "1", "--lr", "-0.5"], "--lr"),
        ({"gradients": np.ones((3, 2))}, ["--batch-size", "1", "--sampling", "poisson"], "--sampling"),
        ({"gradients": np.ones((3, 2))}, [], "--batch-size: required"),
        (
            {"gradients": np.ones((3, 2)), "hessians": np.ones((3, 2, 2))},
            ["--batch-size", "1"],
            "exactly one",
        ),
        ({"weights": np.ones(3)}, ["--batch-size", "1"], "unexpected arrays"),
    ],
)
def test_stability_bad_input_names_the_argument(tmp_path, capsys, arrays, argv, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    rc, _ = _run(["stability", str(path), *argv])
    assert rc == 2
    assert message in capsys.readouterr().err


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    rc, _ = _run(["stability", str(tmp_path / "nope.npz"), "--batch-size", "1"])
    assert rc == 2 and "no such file" in capsys.readouterr().err


def test_quantities_json_keys_and_values(grad_file):
    path, G = grad_file
    rc, out = _run(["quantities", str(path), "--json"])
    assert rc == 0
    doc = json.loads(out)
    # written out here (not imported from SUMMARY_KEYS) so the test stays an independent reference
    expected = "n dim lambda_max trace frobenius stable_rank coherence mu_inf mu1_inf gamma tau form"
    assert set(doc) == set(expected.split())
    H = G.T @ G / 12
    w = np.linalg.eigvalsh(H)
    assert (doc["n"], doc["dim"]) == (12, 30)
    assert doc["lambda_max"] == pytest.approx(w[-1], rel=1e-10)
    assert doc["trace"] == pytest.approx(np.trace(H), rel=1e-10)
    assert doc["frobenius"] == pytest.approx(np.linalg.norm(H), rel=1e-10)
    assert doc["stable_rank"] == pytest.approx(np.sum(w**2) / w[-1] ** 2, rel=1e-9)
    assert doc["tau"] == pytest.approx(w[-1] ** 2 / np.sum(w**2), rel=1e-9)
    assert doc["mu1_inf"] >= doc["gamma"] - 1e-12


def test_quantities_with_hessians_omits_alignment_with_a_note(tmp_path):
    rng = np.random.default_rng(1)
    A = rng.standard_normal((4, 3, 3))
    np.savez(tmp_path / "h.npz", hessians=A @ A.transpose(0, 2, 1))
    rc, out = _run(["quantities", str(tmp_path / "h.npz"), "--json"])
    doc = json.loads(out)
    assert rc == 0 and doc["mu_inf"] is None and doc["gamma"] is None
    rc, out = _run(["quantities", str(tmp_path / "h.npz")])
    assert rc == 0 and "note:" in out
