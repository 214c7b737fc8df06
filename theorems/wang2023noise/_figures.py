r"""Data and images of Figures 1, 2a and 3 of wang2023noise, at a small CPU scale.

Private (not collected).  Run as::

    python -m theorems.wang2023noise._figures --out docs/figures/wang2023 --overwrite

(``--overwrite`` replaces the files already there; without it the driver refuses, exit 2,
before any work: :mod:`verifythm.report.figure_driver`).  Writes ``fig1.npz``, ``fig2a.npz``,
``fig3.npz``, ``summary.json`` and (when matplotlib is installed) ``fig1.png``, ``fig2a.png``,
``fig3.png``, drawn by :mod:`._figures_images`.  Every number comes from the engine:

* Figure 1 (§3): loss alignment :math:`\mu(\theta)` (:func:`~verifythm.quantities.directional.loss_alignment`)
  at random θ for a 4-layer linear network (:class:`~verifythm.models.DeepLinearNetwork`) and a
  two-layer ReLU network with both layers trained (first-layer gradients from
  :class:`~verifythm.models.TwoLayerNetwork`, second-layer gradients :math:`\phi(b_k^Tx)`), over
  widths, isotropic and anisotropic Gaussian inputs, :math:`n=\lceil5\log50\rceil=20`, 20 runs.
* Figure 2a (§4): :math:`\alpha_k/\lambda_k=g(\theta;u_k)` along every eigen-direction of
  :math:`G` (:func:`~verifythm.quantities.directional.eigendirection_alignment`, noise covariance
  Σ₁ as in the paper) for linear regression, :math:`d=4000`, :math:`n\in\{d/8,\lceil8\log d\rceil\}`;
  also the ratio for the SGD noise covariance :math:`\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T`
  (``wang2023.def4_1.alpha_ratio``).
* Figure 3 (§5): :math:`D_{t,1}` for batch-one SGD (:math:`\eta=1.2/\|G\|_F`) and GD
  (:math:`\eta=4/(\lambda_1+\lambda_2)`) on linear regression with :math:`w^*=0`, :math:`d=40`,
  :math:`n=800`, inputs :math:`\mathcal N(0,\mathrm{diag}(\lambda)/d)`, :math:`\lambda_1=1`,
  :math:`\lambda_{2..d}` set for population :math:`\mathrm{srk}(G^2)\in\{2,5,10,20\}`, start
  :math:`w_0\sim\mathcal N(0,e^{-10}I/d)` (one draw).  Exact second moments from the moment engine
  (:func:`~verifythm.dynamics.moment_operator`), Monte Carlo trajectories from
  :func:`~verifythm.dynamics.simulate`, GD also against the closed form of Prop. 5.3
  (:func:`~verifythm.quantities.directional.gd_escape_ratio`).
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import numpy as np

from verifythm.dynamics import Family, NoiseModel, moment_operator, moment_trajectory, simulate
from verifythm.models import DeepLinearNetwork, TwoLayerNetwork
from verifythm.quantities.directional import (
    eigendirection_alignment,
    escape_ratios,
    escape_spectral_ratio,
    gd_escape_ratio,
    loss_alignment,
)
from verifythm.report.figure_driver import FigureRun, figure_parser, run_driver
from verifythm.report.plots import matplotlib_available

from ._common import gaussian_data
from ._figures_images import IMAGES, plot
from .thm3_3 import d_eff

SEED = 20231001
# Figure 1
F1_DEFF = 50
F1_N = math.ceil(5 * math.log(F1_DEFF))  # n = 5 log(d_eff) = 19.56 -> 20
F1_ANISO_D = 650  # λ_k = 1/√k, k ≤ D: srk(S) = 50.1 (srk(S²) = H_D ≈ 7.1 cannot reach 50)
F1_RUNS = 20
F1_WIDTHS = {"linear4": (4, 8, 16, 32, 64), "relu2": (8, 32, 128, 512)}
# Figure 2a
F2_D = 4000
F2_NS = (F2_D // 8, math.ceil(8 * math.log(F2_D)))
# Figure 3
F3_D, F3_N, F3_STEPS, F3_TRAJ = 40, 800, 60, 400
F3_SRK = (2.0, 5.0, 10.0, 20.0)
FIG3_KEYS = (
    "lam",
    "D_sgd_exact",
    "D_gd_exact",
    "D_gd_closed_form",
    "D_sgd_mc",
    "D_sgd_mc_median_run",
    "expected_loss_sgd",
)
FIG3_SERIES = ("D_sgd_exact", "D_gd_exact", "D_sgd_mc", "D_sgd_mc_median_run")  # summarised at 4 steps


# ----------------------------------------------------------------------------- Figure 1


def fig1_spectrum(inputs: str) -> np.ndarray:
    """Input covariance diagonal: ``iso`` is I_50, ``aniso`` is 1/√k for k ≤ 650."""
    return np.ones(F1_DEFF) if inputs == "iso" else 1.0 / np.sqrt(np.arange(1, F1_ANISO_D + 1))


def fig1_point(model: str, inputs: str, width: int, run: int) -> float:
    r"""μ(θ) at one random θ: data, targets :math:`y=\langle w^*,x\rangle` and θ from one seed.

    Weights are :math:`\mathcal N(0, 1/\text{fan-in})`; the ReLU network's output weights are Gaussian
    and trained (their gradients :math:`\phi(b_k^Tx)` are appended to the first layer's).
    """
    spec = fig1_spectrum(inputs)
    d = spec.size
    rng = np.random.default_rng(
        [SEED, ("linear4", "relu2").index(model), ("iso", "aniso").index(inputs), width, run]
    )
    X = gaussian_data(rng, F1_N, d, None if inputs == "iso" else spec)
    y = X @ rng.standard_normal(d)
    if model == "linear4":
        net = DeepLinearNetwork.uniform(d, width, 4)
        theta = net.flatten([rng.standard_normal(s) / np.sqrt(s[1]) for s in net.shapes])
        Q, f = net.jacobian(theta, X), net.predict(theta, X)
    else:
        relu_net = TwoLayerNetwork(d, np.ones(width), "relu")
        B = rng.standard_normal((width, d)) / np.sqrt(d)
        a = rng.standard_normal(width) / np.sqrt(width)
        hidden = relu_net.activation.fn(X @ B.T)  # ∂f/∂a_k = φ(b_kᵀx)
        Q = np.hstack([relu_net.jacobian(B.ravel(), X) * np.repeat(a, d)[None, :], hidden])
        f = hidden @ a
    return loss_alignment(Q.T, f - y)


def figure1() -> dict[str, Any]:
    """μ for every (model, inputs, width, run): arrays ``mu_<model>_<inputs>`` of shape (widths, runs)."""
    arrays: dict[str, np.ndarray] = {}
    summary: dict[str, Any] = {}
    for model, widths in F1_WIDTHS.items():
        arrays[f"widths_{model}"] = np.array(widths)
        for inputs in ("iso", "aniso"):
            mu = np.array([[fig1_point(model, inputs, w, r) for r in range(F1_RUNS)] for w in widths])
            arrays[f"mu_{model}_{inputs}"] = mu
            summary[f"{model}_{inputs}"] = {
                "widths": list(widths),
                "mean": [round(float(v), 4) for v in mu.mean(axis=1)],
                "std": [round(float(v), 4) for v in mu.std(axis=1)],
                "min": float(mu.min()),
                "max": float(mu.max()),
            }
    for inputs in ("iso", "aniso"):
        spec = fig1_spectrum(inputs)
        summary[f"input_{inputs}"] = {
            "D": int(spec.size),
            "srk_S": float(spec.sum() / spec.max()),
            "srk_S2": float((spec**2).sum() / (spec**2).max()),
            "d_eff": d_eff(spec),
        }
    return {"arrays": arrays, "summary": summary}


# ----------------------------------------------------------------------------- Figure 2a


def fig2a_panel(d: int, n: int) -> dict[str, np.ndarray]:
    r"""λ_k, α_k and α_k/λ_k (Σ₁ and Σ₀) for linear regression, θ, w* ~ N(0, I_d), x ~ N(0, I_d)."""
    rng = np.random.default_rng([SEED, 2, d, n])
    X = gaussian_data(rng, n, d)
    e = X @ rng.standard_normal(d) - X @ rng.standard_normal(d)  # f(x;θ) − y, y = ⟨w*, x⟩
    ea = eigendirection_alignment(X.T, e)
    gradL = X.T @ e / n
    loss = float(e @ e) / (2 * n)
    ratio0 = ea.ratio - (ea.U.T @ gradL) ** 2 / (2 * loss * ea.lam)  # u_kᵀΣ₀u_k/(2Lλ_k)
    return {"lam": ea.lam, "alpha": ea.alpha, "ratio": ea.ratio, "ratio_sigma0": ratio0}


def figure2a() -> dict[str, Any]:
    """Both panels of Figure 2a (n = d/8 and n = 8 log d)."""
    arrays: dict[str, np.ndarray] = {"d": np.array(F2_D), "n": np.array(F2_NS)}
    summary: dict[str, Any] = {"d": F2_D}
    for n in F2_NS:
        panel = fig2a_panel(F2_D, n)
        arrays.update({f"{k}_n{n}": v for k, v in panel.items()})
        r, r0 = panel["ratio"], panel["ratio_sigma0"]
        summary[f"n{n}"] = {
            "eigendirections": int(r.size),
            "ratio_mean": float(r.mean()),
            "ratio_min": float(r.min()),
            "ratio_max": float(r.max()),
            "ratio_q05_q95": [float(np.quantile(r, 0.05)), float(np.quantile(r, 0.95))],
            "corr_alpha_lambda": float(np.corrcoef(panel["alpha"], panel["lam"])[0, 1]),
            "sigma0_ratio_min": float(r0.min()),
            "sigma0_max_abs_difference": float(np.max(np.abs(r - r0))),
        }
    return {"arrays": arrays, "summary": summary}


# ----------------------------------------------------------------------------- Figure 3


def fig3_data(srk: float, d: int = F3_D, n: int = F3_N) -> tuple[Family, np.ndarray]:
    r"""Rank-one family :math:`H_i=x_ix_i^T` and the reduced start :math:`y_0` for population srk(G²)."""
    rng = np.random.default_rng([SEED, 3, int(10 * srk), d, n])
    lam2 = math.sqrt((srk - 1.0) / (d - 1))  # srk(G²) = 1 + (d−1)λ₂² for diag(1, λ₂, …, λ₂)
    X = gaussian_data(rng, n, d, np.r_[1.0, np.full(d - 1, lam2)] / d)  # population G = diag(λ)/d
    fam = Family.from_gradients(X)
    w0 = rng.standard_normal(d) * math.sqrt(math.exp(-10) / d)
    return fam, fam.reduce_residuals(X @ w0)


def _d_from_moments(W: list[np.ndarray], lam: np.ndarray) -> np.ndarray:
    r""":math:`D_{t,1}` from exact second moments (reduced coordinates: an eigenbasis of G)."""
    diag = np.sqrt(np.array([np.clip(np.diag(Wt), 0.0, None) for Wt in W]))  # √E w²_{t,i}, shape (T, r)
    return escape_ratios(diag, lam, np.eye(lam.size), 1).D


def fig3_setting(
    srk: float, steps: int = F3_STEPS, trajectories: int = F3_TRAJ, d: int = F3_D, n: int = F3_N
) -> dict[str, Any]:
    """Exact D_{t,1} (SGD, GD), Monte Carlo SGD D_{t,1}, GD closed form, for one srk(G²)."""
    fam, y0 = fig3_data(srk, d, n)
    lam = fam.eigenvalues
    eta_sgd = 1.2 / float(np.linalg.norm(lam))
    eta_gd = 4.0 / float(lam[0] + lam[1])
    W0 = np.outer(y0, y0)
    sgd = moment_operator(fam, eta_sgd, 1, "with-replacement")
    gd = moment_operator(fam, eta_gd, sampling="gd")
    D_sgd = _d_from_moments(sgd.iterate(W0, steps), lam)
    D_gd = _d_from_moments(gd.iterate(W0, steps), lam)
    D_gd_closed = gd_escape_ratio(lam, np.eye(lam.size), y0, eta_gd, np.arange(steps + 1))
    # Monte Carlo: chain one-step runs so every iterate is kept
    noise = NoiseModel.build(fam, 1, "with-replacement")
    rng = np.random.default_rng([SEED, 4, int(10 * srk)])
    Y = np.broadcast_to(y0, (trajectories, y0.size))
    traj = [np.array(Y)]
    for _ in range(steps):
        Y = simulate(noise, eta_sgd, 1, Y, trajectories=trajectories, rng=rng).final
        traj.append(Y)
    runs = np.stack(traj, axis=1)  # (R, T + 1, r)
    D_mc = escape_ratios(runs, lam, np.eye(lam.size), 1).D  # ratio of sample means of w²
    D_runs = np.array([escape_ratios(run, lam, np.eye(lam.size), 1).D for run in runs])  # per run
    loss = moment_trajectory(sgd, steps, z0=fam.factors.T @ y0).expected_loss
    return {
        "srk_G2": float(1.0 + escape_spectral_ratio(lam, 1)),
        "lam": lam,
        "eta_sgd": eta_sgd,
        "eta_gd": eta_gd,
        "D_sgd_exact": D_sgd,
        "D_gd_exact": D_gd,
        "D_gd_closed_form": D_gd_closed,
        "D_sgd_mc": D_mc,
        "D_sgd_mc_median_run": np.median(D_runs, axis=0),
        "expected_loss_sgd": loss,
    }


def figure3(steps: int = F3_STEPS, trajectories: int = F3_TRAJ) -> dict[str, Any]:
    """All srk(G²) settings of Figure 3."""
    arrays: dict[str, np.ndarray] = {"t": np.arange(steps + 1), "srk_target": np.array(F3_SRK)}
    summary: dict[str, Any] = {"d": F3_D, "n": F3_N, "steps": steps, "trajectories": trajectories}
    for srk in F3_SRK:
        s = fig3_setting(srk, steps, trajectories)
        tag = f"srk{srk:g}"
        for key in FIG3_KEYS:
            arrays[f"{key}_{tag}"] = s[key]
        rel = np.abs(s["D_sgd_mc"] / s["D_sgd_exact"] - 1.0)
        summary[tag] = {
            "srk_G2_sample": s["srk_G2"],
            "srk_G2_minus_1": s["srk_G2"] - 1.0,
            "eta_sgd": s["eta_sgd"],
            "eta_gd": s["eta_gd"],
            **{f"{k}_at": {str(t): float(s[k][t]) for t in (0, 10, 20, steps)} for k in FIG3_SERIES},
            "mc_vs_exact_rel_diff_t1": float(rel[1]),
            "mc_vs_exact_median_rel_diff": float(np.median(rel[1:])),
            "expected_loss_growth_per_step_sgd": float(
                (s["expected_loss_sgd"][-1] / s["expected_loss_sgd"][0]) ** (1.0 / steps)
            ),
            "gd_exact_vs_closed_form_max_rel_diff": float(
                np.max(np.abs(s["D_gd_exact"] / s["D_gd_closed_form"] - 1.0))
            ),
        }
    return {"arrays": arrays, "summary": summary}


def main(argv: list[str] | None = None) -> int:
    """Write the data, the summary and (with matplotlib) the images under ``--out``."""
    parser = figure_parser(__doc__.split("\n\n")[0], "docs/figures/wang2023")
    images = IMAGES if matplotlib_available(say=False) else ()
    data = ("fig1.npz", "fig2a.npz", "fig3.npz", "summary.json")
    return run_driver(parser, argv, _compute, outputs=lambda args: data + images)


def _compute(run: FigureRun, args: argparse.Namespace) -> int:
    """Compute each figure's data, write it, draw the images, write the summary (see :func:`main`)."""
    results = {}
    for name, fn in (("fig1", figure1), ("fig2a", figure2a), ("fig3", figure3)):
        with run.stage(name):
            results[name] = fn()
        run.write_npz(f"{name}.npz", results[name]["arrays"])
    images = plot(run, *(results[k]["arrays"] for k in ("fig1", "fig2a", "fig3")))
    summary = {
        "paper": "wang2023noise, Figures 1, 2a and 3 (small CPU scale)",
        "seed": SEED,
        "images": images,
        "seconds": {name: round(seconds, 2) for name, seconds in run.stages.items()},
        **{k: v["summary"] for k, v in results.items()},
    }
    run.write_json("summary.json", summary)
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
