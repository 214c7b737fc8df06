r"""Small-scale versions of Figures 1b and 3 of wu2022alignment: data and images.

Private (not collected).  Run as::

    python -m theorems.wu2022alignment._figures --out docs/figures/wu2022 --overwrite

(well under two minutes on two cores; fixed seeds; ``--overwrite`` replaces the files already
there, refused otherwise: :mod:`verifythm.report.figure_driver`).  Writes ``wu2022_figures.json`` (every
number shown), ``fig3b_trajectories.npz`` (the per-step curves of Figure 3b) and, when the
optional extra ``plots`` (matplotlib) is installed, ``fig1b.png``, ``fig3a.png``,
``fig3b.png``.

Setting.  Inputs uniform on :math:`\mathbb S^{d-1}` (:func:`verifythm.models.sample_sphere`),
labels :math:`y=\operatorname{sign}(x_1)`, square loss, θ₀ = 0.  The models are linear in their
parameters — the random-feature model (:class:`verifythm.models.RandomFeatureModel`, ReLU,
features on :math:`\sqrt d\,\mathbb S^{d-1}`) and linear regression
(:class:`verifythm.models.LinearRegression`, Gaussian inputs, :math:`n<d`) — so mini-batch SGD
(B indices drawn with replacement, the paper's :math:`\mathbb E[\xi\xi^T]=\Sigma/B`) is exactly
the linearized SGD of :func:`verifythm.dynamics.simulate`, run in the reduced coordinates of
:meth:`verifythm.dynamics.Family.from_gradients`, where the residuals are :math:`e=M^Ty`.
The Hessian :math:`H=G=\frac1nQQ^T` does not depend on θ for these models, so
:math:`\|H\|_F=\|K\|_F/n` and :math:`\operatorname{Tr}H=\operatorname{Tr}K/n` with
:math:`K=Q^TQ`; the alignment factor μ(θ_t) is :func:`verifythm.quantities.alignment_factors`
of the current residuals, :math:`\mu_0=\inf_\theta\mu` is
:func:`verifythm.quantities.alignment_extremes`, and :math:`\eta^*(B)` is
:func:`verifythm.dynamics.critical_learning_rates`.

* Figure 3a: :math:`\|H\|_F`, :math:`\operatorname{Tr}H` and the bound
  :math:`\sqrt{B/\mu}/\eta` (μ at the SGD solution) versus the number of features m, for the
  feature scales :math:`c=m^{-1/2}` and :math:`c=1` at one fixed (η, B).
* Figure 3b: :math:`\|H\|_F/(\sqrt{B/\mu(\theta_t)}/\eta)` along training for B = 5 and 40.
* Figure 1b: μ of the SGD solution (last iterate) versus over-parameterisation (m/n or d/n).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np

from verifythm.dynamics import Family, NoiseModel, critical_learning_rates, simulate
from verifythm.models import LinearRegression, RandomFeatureModel, SquareLossProblem, sample_sphere
from verifythm.quantities import alignment_extremes, alignment_factors
from verifythm.report.figure_driver import FigureRun, figure_parser, run_driver
from verifythm.report.plots import matplotlib_available

SEED = 20220601
SAMPLING = "with-replacement"
D = 10  # input dimension of the random-feature data
N = 20  # training samples (Figures 1b, 3a)
N3B = 80  # training samples (Figure 3b)
FIG3A_SIZES = (20, 40, 80, 160, 320, 640, 1280)  # m ≥ n: the model interpolates
FIG3A_B = 4
FIG3B = {"m": 320, "batch_sizes": (5, 40), "eta_fraction": 0.9, "steps": 1500}
FIG1B_RATIOS = (2, 4, 8, 16, 32)  # m/n (features) and d/n (linear model)
FIG1B_B, FIG1B_RUNS = 4, 5
TOL = 1e-6  # stop when L(θ_t) < TOL · L(θ_0)
MAX_STEPS, CHUNK = 5000, 50


def labels(X: np.ndarray) -> np.ndarray:
    r"""The targets :math:`y_i = \operatorname{sign}(x_{i1})` (±1)."""
    return np.where(X[:, 0] >= 0, 1.0, -1.0)


def rf_family(rng: np.random.Generator, m: int, n: int, normalized: bool = True) -> tuple[Family, np.ndarray]:
    """Random ReLU-feature model with ``m`` features on ``n`` sphere inputs: its family and labels."""
    X = sample_sphere(rng, n, D)
    model = RandomFeatureModel.relu_sphere(rng, m, D, normalized=normalized)
    return _family(model, X)


def linear_family(rng: np.random.Generator, d: int, n: int) -> tuple[Family, np.ndarray]:
    r"""Linear regression in dimension ``d`` on ``n`` Gaussian inputs :math:`\mathcal N(0, I_d/d)`."""
    X = rng.standard_normal((n, d)) / np.sqrt(d)
    return _family(LinearRegression(d), X)


def _family(model: Any, X: np.ndarray) -> tuple[Family, np.ndarray]:
    y = labels(X)
    prob = SquareLossProblem(model, X, y, np.zeros(model.num_params))
    return Family.from_gradients(prob.jacobian), y


def hessian_norms(fam: Family) -> tuple[float, float]:
    r""":math:`(\|H\|_F, \operatorname{Tr}H)`; in reduced coordinates :math:`H=\mathrm{diag}(\lambda)`."""
    return float(np.linalg.norm(fam.eigenvalues)), float(np.sum(fam.eigenvalues))


def mu(fam: Family, y: np.ndarray) -> float:
    """Alignment factor μ at reduced coordinates ``y`` (residuals :math:`e = M^Ty`)."""
    return alignment_factors(fam.factors, fam.factors.T @ y).mu


def train(
    fam: Family,
    targets: np.ndarray,
    B: int,
    eta: float,
    rng: np.random.Generator,
    *,
    record: bool = False,
    max_steps: int = MAX_STEPS,
) -> dict[str, Any]:
    """SGD from θ₀ = 0 (residuals ``-targets``) until ``L < TOL·L₀`` or ``max_steps``.

    Returns the last reduced point, the steps taken, the final loss ratio and, with ``record``,
    the per-step losses and μ(θ_t).
    """
    noise = NoiseModel.build(fam, B, SAMPLING)
    y = fam.reduce_residuals(-targets)
    loss0 = 0.5 * float(y @ (fam.eigenvalues * y))
    losses, mus, steps = [loss0], [mu(fam, y)] if record else [], 0
    while steps < max_steps and losses[-1] >= TOL * loss0:
        if record:  # one step at a time, to evaluate μ(θ_t) at every step
            res = simulate(noise, eta, 1, y, trajectories=1, rng=rng)
        else:
            res = simulate(noise, eta, CHUNK, y, trajectories=1, rng=rng)
        y, steps = res.final[0], steps + res.losses.shape[1] - 1
        if not np.isfinite(y).all() or res.losses[0, -1] > 1e6 * loss0:
            break
        losses.append(float(res.losses[0, -1]))
        if record:
            mus.append(mu(fam, y))
    return {"y": y, "steps": steps, "loss_ratio": losses[-1] / loss0, "losses": losses, "mus": mus}


def fig3a_eta(scale: str, seed: int = SEED) -> float:
    """Figure 3a's η for one series: half the critical rate of its smallest model, fixed for all sizes."""
    first = rf_family(np.random.default_rng(seed), FIG3A_SIZES[0], N, normalized=(scale == "m^-1/2"))[0]
    return 0.5 * float(critical_learning_rates(first, [FIG3A_B], SAMPLING)[0])


def fig3a_point(scale: str, k: int, eta: float, seed: int = SEED) -> dict[str, Any]:
    """One point of Figure 3a: the ``k``-th size of the series with feature scale ``scale``."""
    m = FIG3A_SIZES[k]
    fam, targets = rf_family(np.random.default_rng(seed + k), m, N, normalized=(scale == "m^-1/2"))
    fro, tr = hessian_norms(fam)
    star = float(critical_learning_rates(fam, [FIG3A_B], SAMPLING)[0])
    row: dict[str, Any] = {
        "m": m,
        "hessian_fro": fro,
        "hessian_trace": tr,
        "eta_star": star,
        "stable": eta <= star,
    }
    mu0 = alignment_extremes(fam.factors).mu_inf.value
    row["bound_mu0"] = float(np.sqrt(FIG3A_B / mu0) / eta)
    if row["stable"]:
        run = train(fam, targets, FIG3A_B, eta, np.random.default_rng(seed + 100 + k))
        mu_end = mu(fam, run["y"])
        row.update(steps=run["steps"], loss_ratio=run["loss_ratio"], mu_solution=mu_end)
        row["bound_mu_solution"] = float(np.sqrt(FIG3A_B / mu_end) / eta)
    return row


def figure3a(seed: int = SEED) -> dict[str, Any]:
    """‖H‖_F, Tr H and the bound at SGD solutions versus m, for the two feature scales."""
    out: dict[str, Any] = {"n": N, "d": D, "B": FIG3A_B, "sizes": list(FIG3A_SIZES)}
    for scale in ("m^-1/2", "1"):
        eta = out[f"eta(scale={scale})"] = fig3a_eta(scale, seed)
        out[f"scale={scale}"] = [fig3a_point(scale, k, eta, seed) for k in range(len(FIG3A_SIZES))]
    return out


def figure3b(seed: int = SEED + 1) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The ratio ‖H‖_F / (√(B/μ(θ_t))/η) along training for two batch sizes, same model and η."""
    fam, targets = rf_family(np.random.default_rng(seed), FIG3B["m"], N3B)
    fro, tr = hessian_norms(fam)
    stars = critical_learning_rates(fam, list(FIG3B["batch_sizes"]), SAMPLING)
    eta = FIG3B["eta_fraction"] * float(np.min(stars))
    mu0 = alignment_extremes(fam.factors).mu_inf.value
    summary: dict[str, Any] = {
        "n": N3B,
        "d": D,
        "m": FIG3B["m"],
        "eta": eta,
        "eta_star": dict(zip(map(str, FIG3B["batch_sizes"]), map(float, stars), strict=True)),
        "hessian_fro": fro,
        "hessian_trace": tr,
        "mu0": mu0,
    }
    arrays: dict[str, np.ndarray] = {}
    for k, B in enumerate(FIG3B["batch_sizes"]):
        rng = np.random.default_rng(seed + 10 + k)
        run = train(fam, targets, B, eta, rng, record=True, max_steps=FIG3B["steps"])
        ratio = eta * fro * np.sqrt(np.asarray(run["mus"]) / B)
        arrays[f"ratio_B{B}"] = ratio
        arrays[f"loss_B{B}"] = np.array(run["losses"])
        arrays[f"mu_B{B}"] = np.array(run["mus"])
        summary[f"B={B}"] = {
            "steps": len(ratio) - 1,
            "final_loss_ratio": run["losses"][-1] / run["losses"][0],
            "ratio_min": float(ratio.min()),
            "ratio_median": float(np.median(ratio)),
            "ratio_max": float(ratio.max()),
            "ratio_with_mu0": float(eta * fro * np.sqrt(mu0 / B)),
        }
    return summary, arrays


def figure1b(seed: int = SEED + 2) -> dict[str, Any]:
    """μ of the SGD solution (last iterate) versus over-parameterisation, FIG1B_RUNS seeds each."""
    builders = {
        "random_features": lambda rng, r: rf_family(rng, r * N, N),
        "linear": lambda rng, r: linear_family(rng, r * N, N),
    }
    out: dict[str, Any] = {"n": N, "d_random_features": D, "B": FIG1B_B, "ratios": list(FIG1B_RATIOS)}
    for name, build in builders.items():
        rows = []
        for i, r in enumerate(FIG1B_RATIOS):
            mus, fracs = [], []
            for run in range(FIG1B_RUNS):
                fam, targets = build(np.random.default_rng([seed, i, run]), r)
                star = float(critical_learning_rates(fam, [FIG1B_B], SAMPLING)[0])
                res = train(fam, targets, FIG1B_B, 0.5 * star, np.random.default_rng([seed, i, run, 1]))
                mus.append(mu(fam, res["y"]))
                fracs.append(res["loss_ratio"])
            rows.append(
                {
                    "ratio": r,
                    "mu": mus,
                    "mu_mean": float(np.mean(mus)),
                    "mu_std": float(np.std(mus)),
                    "max_loss_ratio": float(max(fracs)),
                }
            )
        out[name] = rows
    return out


# ---------------------------------------------------------------------------------------------
# Images (matplotlib optional, imported lazily)


IMAGES = ("fig3a.png", "fig3b.png", "fig1b.png")
DATA = ("wu2022_figures.json", "fig3b_trajectories.npz")


def render_images(run: FigureRun, data: dict[str, Any], arrays: dict[str, np.ndarray]) -> list[str]:
    """Draw ``fig3a.png``, ``fig3b.png``, ``fig1b.png``; none (with a message) without matplotlib."""
    plt = run.pyplot()
    if plt is None:
        return []

    paths = []
    f3a = data["fig3a"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=False)
    for ax, scale in zip(axes, ("m^-1/2", "1"), strict=True):
        rows = f3a[f"scale={scale}"]
        m = [r["m"] for r in rows]
        ax.loglog(m, [r["hessian_fro"] for r in rows], "o-", label="‖H‖_F")
        ax.loglog(m, [r["hessian_trace"] for r in rows], "s-", label="Tr H")
        ok = [r for r in rows if r["stable"]]
        ax.loglog([r["m"] for r in ok], [r["bound_mu_solution"] for r in ok], "k--", label="√(B/μ)/η")
        bad = [r for r in rows if not r["stable"]]
        if bad:
            ax.loglog(
                [r["m"] for r in bad], [r["hessian_fro"] for r in bad], "rx", ms=9, label="SGD unstable"
            )
        ax.set_title(f"feature scale c = {scale}, η = {f3a[f'eta(scale={scale})']:.3g}", fontsize=10)
        ax.set_xlabel("number of features m")
        ax.legend(fontsize=8)
    fig.suptitle(f"Fig. 3a analogue: random ReLU features, n = {f3a['n']}, d = {f3a['d']}, B = {f3a['B']}")
    fig.tight_layout()
    paths.append(run.save_figure(fig, "fig3a.png", dpi=110).name)

    f3b = data["fig3b"]
    fig, ax = plt.subplots(figsize=(6, 3.8))
    for B in FIG3B["batch_sizes"]:
        ax.plot(arrays[f"ratio_B{B}"], label=f"B = {B}")
    ax.axhline(1.0, color="k", ls="--", lw=1)
    ax.set_xlabel("SGD step t")
    ax.set_ylabel("‖H‖_F / (√(B/μ(θ_t))/η)")
    ax.set_title(f"Fig. 3b analogue: random features, n = {f3b['n']}, m = {f3b['m']}, η = {f3b['eta']:.3g}")
    ax.legend()
    fig.tight_layout()
    paths.append(run.save_figure(fig, "fig3b.png", dpi=110).name)

    f1b = data["fig1b"]
    fig, ax = plt.subplots(figsize=(6, 3.8))
    for name, label in (("random_features", "random features (m/n)"), ("linear", "linear model (d/n)")):
        rows = f1b[name]
        ax.errorbar(
            [r["ratio"] for r in rows],
            [r["mu_mean"] for r in rows],
            [r["mu_std"] for r in rows],
            capsize=3,
            marker="o",
            label=label,
        )
    ax.set_xscale("log")
    ax.set_xticks(f1b["ratios"], [str(r) for r in f1b["ratios"]])
    ax.minorticks_off()
    ax.set_xlabel("over-parameterisation (parameters / samples)")
    ax.set_ylabel("μ at the SGD solution")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Fig. 1b analogue: n = {f1b['n']}, B = {f1b['B']}, {FIG1B_RUNS} seeds")
    ax.legend()
    fig.tight_layout()
    paths.append(run.save_figure(fig, "fig1b.png", dpi=110).name)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Write the JSON and npz data and the PNGs under ``--out``."""
    parser = figure_parser(__doc__.split("\n\n")[0], "docs/figures/wu2022")
    images = IMAGES if matplotlib_available(say=False) else ()
    return run_driver(parser, argv, _compute, outputs=lambda args: DATA + images)


def _compute(run: FigureRun, args: argparse.Namespace) -> int:
    """Compute the three figures' data, write them and draw the images (see :func:`main`)."""
    data: dict[str, Any] = {
        "paper": "wu2022alignment, Figures 1b and 3 (small-scale analogues)",
        "seed": SEED,
    }
    with run.stage("figure 3a"):
        data["fig3a"] = figure3a()
    with run.stage("figure 3b"):
        data["fig3b"], arrays = figure3b()
    with run.stage("figure 1b"):
        data["fig1b"] = figure1b()
    run.write_json(DATA[0], data)
    run.write_npz(DATA[1], arrays)
    render_images(run, data, arrays)
    print(json.dumps({k: v for k, v in data["fig3b"].items() if k.startswith("B=")}, indent=1))
    run.log(f"total {run.elapsed():.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
