r"""Figures 1, 2 and 11 of li2019hessian in spirit, with the paper's 50-10-30-10 ReLU network.

Private (not collected); needs torch (the optional extra ``torch``).  Run as::

    python -m theorems.li2019hessian._figures_relu --out docs/figures/li2019 --overwrite

(``--overwrite`` replaces the ``relu_*`` files already there, ``--images-only`` redraws only the
PNGs: the command line of :func:`._figures_common.cli`.)

It writes, next to the softmax-regression version of :mod:`theorems.li2019hessian._figures`
(same data, same SGD, same file layout, same drawing code; every name prefixed ``relu_``):

* ``relu_spectra.npz``: for 0 % and 15 % random labels, per run and checkpoint of SGD, the full
  eigen-spectra of :math:`H_f(\theta_t)`, :math:`M_t` and :math:`H_p(\theta_t)`, the cosines of the
  top-15 principal angles between the top-15 eigenspaces of :math:`H_f` and :math:`M_t`, the loss,
  and ``prop1``: the relative discrepancy :math:`\max|H_f-(M_t-H_p)|/\max|H_f|` where
  :math:`H_p=\frac1n\sum_i\nabla^2p_i/p_i` is computed independently of :math:`H_f` and :math:`M_t`
  (Proposition 1 says it is 0);
* ``relu_pacbayes.npz``: per run, Theorem 4's effective curvature and precision-weighted norm at
  the end of training for several prior variances, the Hessian diagonal and the 0-1 errors
  (the keys of ``pacbayes.npz``);
* ``relu_summary.json``: the setting, the seeds, the numbers of ``summary.json`` plus ``headline``;
* ``relu_fig1.png``, ``relu_fig2.png``, ``relu_fig11.png`` drawn from the npz files.

Setting: the data, label noise, batch size, step size and checkpoint rule of
:mod:`~theorems.li2019hessian._figures` (Gauss-10, :math:`n=100`, batches of 5 with replacement,
:math:`\eta=0.1`), with the paper's iteration counts (Table 2): 400 for clean labels and 10 000
for 15 % random labels (the softmax version stops the latter at 4000); the model is the fully
connected network 50-10-30-10 with ReLU hidden units and softmax log-loss (:math:`p=1150`, Table 2
of the paper), in float64.  Initial point: weights :math:`\mathcal N(0, 2/\text{fan-in})` (He),
biases 0 (the paper draws :math:`\theta_0\sim\mathcal N(0,I)`, which with unit-scale features
gives logits of order 50); Theorem 4's prior is :math:`\mathcal N(\theta_0,\sigma^2I)`.  Every
matrix is exact (``torch.func``): :math:`H_f` by forward-over-reverse differentiation (the ReLU's
second derivative is taken as 0, the Hessian almost everywhere), :math:`M_t=\frac1n\sum_i\nabla
f_i\nabla f_i^T` from vmapped per-sample gradients, :math:`H_p` as above.  5 runs per label setting for the
spectra (12 checkpoints each) and 40 for the PAC-Bayes terms: about 4 minutes on one core.
``tests/catalogue/test_figures_li2019_relu.py`` recomputes one point of each data file.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from typing import Any

import numpy as np

from verifythm.backends import require_torch
from verifythm.report.figure_driver import EXIT_USAGE, FigureRun

from . import _figures as F
from . import _figures_common as common
from ._util import relu_network_logits, relu_network_size

LAYERS = (F.DIM, 10, 30, F.CLASSES)
NUM_PARAMS = relu_network_size(LAYERS)  # 1150
STEPS = {0.0: 400, 0.15: 10_000}  # the paper's Table 2 (Gauss-10, ReLU net)
SPECTRA_RUNS = 5
PACBAYES_RUNS = 40
PRIOR_VARIANCES = F.PRIOR_VARIANCES
MAIN_PRIOR_VARIANCE = F.MAIN_PRIOR_VARIANCE
SETTING = "ReLU net 50-10-30-10, Gauss-10, batch 5"
NAMES = ("relu_spectra.npz", "relu_pacbayes.npz", "relu_summary.json")
IMAGES = ("relu_fig1.png", "relu_fig2.png", "relu_fig11.png")


def init_std() -> np.ndarray:
    """Per-coordinate standard deviation of the initial point: sqrt(2 / fan-in) for weights, 0 for biases."""
    parts = []
    for a, b in itertools.pairwise(LAYERS):
        parts += [np.full(a * b, np.sqrt(2.0 / a)), np.zeros(b)]
    return np.concatenate(parts)


def logits(theta: Any, X: Any) -> Any:
    """Network outputs for a flat parameter tensor (per layer: weight (out, in) row-major, then bias)."""
    return relu_network_logits(theta, X, LAYERS)


def _loss(theta: Any, X: Any, y: Any) -> Any:
    """Mean softmax log-loss f(θ) = (1/n) Σ −log p_i(θ)."""
    return require_torch().nn.functional.cross_entropy(logits(theta, X), y)


def _one_loss(theta: Any, x: Any, y: Any) -> Any:
    return _loss(theta, x[None], y[None])


def _ratio(theta: Any, X: Any, y: Any, p_ref: Any) -> Any:
    r"""(1/n) Σ p_i(θ)/p_i(θ̄) with p_i(θ̄) held fixed: its Hessian at θ̄ is H_p = (1/n) Σ ∇²p_i/p_i."""
    torch = require_torch()
    return (torch.softmax(logits(theta, X), dim=1).gather(1, y[:, None])[:, 0] / p_ref).mean()


def _tensors(data: dict[str, np.ndarray]) -> tuple[Any, Any]:
    torch = require_torch()
    return torch.from_numpy(np.asarray(data["X"], np.float64)), torch.from_numpy(data["y"])


def sgd(
    data: dict[str, np.ndarray], steps: int, run: int, r: float, record: np.ndarray | None = None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Constant-step SGD on the network (batches of 5 drawn with replacement), seeded per run.

    Returns the initial point and the iterates at the iterations in ``record`` (default: the last).
    """
    torch = require_torch()
    rng = np.random.default_rng([F.SEED, round(1000 * r), run])
    theta0 = init_std() * rng.standard_normal(NUM_PARAMS)
    want = {steps} if record is None else {int(t) for t in record}
    X, y = _tensors(data)
    theta, out = torch.tensor(theta0).requires_grad_(), []
    for t in range(steps + 1):
        if t in want:
            out.append(theta.detach().numpy().copy())
        if t == steps:
            break
        idx = torch.from_numpy(rng.integers(0, X.shape[0], size=F.BATCH))
        (g,) = torch.autograd.grad(_loss(theta, X[idx], y[idx]), theta)
        with torch.no_grad():
            theta -= F.ETA * g
    return theta0, out


def matrices(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    r"""Exact :math:`H_f`, per-sample gradients ``G`` (n x p), :math:`M=G^TG/n` and :math:`H_p` at ``theta``.

    :math:`H_p=\frac1n\sum_i\nabla^2p_i/p_i` is the Hessian of :func:`_ratio`, computed without
    :math:`H_f` or :math:`M`; Proposition 1 states :math:`H_f=M-H_p`.  Both Hessians are symmetrised
    (forward-over-reverse leaves an asymmetry of order 1e-16).
    """
    torch = require_torch()
    from torch.func import grad, hessian, vmap

    th, Xt, yt = torch.from_numpy(theta), torch.from_numpy(X), torch.from_numpy(y)
    Hf = hessian(_loss)(th, Xt, yt).numpy()
    G = vmap(grad(_one_loss), in_dims=(None, 0, 0))(th, Xt, yt).numpy()
    with torch.no_grad():
        p_ref = torch.softmax(logits(th, Xt), dim=1).gather(1, yt[:, None])[:, 0]
    Hp = hessian(_ratio)(th, Xt, yt, p_ref).numpy()
    return {"Hf": (Hf + Hf.T) / 2, "G": G, "M": G.T @ G / X.shape[0], "Hp": (Hp + Hp.T) / 2}


def spectra_at(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Eigenvalues (decreasing) of H_f, M, H_p, top-15 principal-angle cosines of (H_f, M), loss, prop1.

    The eigenpairs of M come from the SVD of the per-sample gradients (rank at most n; the other
    eigenvalues are exactly 0), as in :func:`theorems.li2019hessian._figures.spectra_at`.
    """
    torch = require_torch()
    m = matrices(theta, X, y)
    with torch.no_grad():
        loss = float(_loss(torch.from_numpy(theta), torch.from_numpy(X), torch.from_numpy(y)))
    return {
        **F.spectra_of(m["Hf"], m["G"], m["Hp"]),
        "loss": np.array(loss),
        "prop1": np.array(np.abs(m["Hf"] - (m["M"] - m["Hp"])).max() / np.abs(m["Hf"]).max()),
    }


def spectra(r: float, runs: int = SPECTRA_RUNS, run_log: FigureRun | None = None) -> dict[str, np.ndarray]:
    """Figures 1-2 data for random-label fraction ``r``: arrays of shape (runs, checkpoints, ...).

    With ``run_log``, a progress line after each run.
    """
    data = F.gauss_k(r)
    ts = F.checkpoints(STEPS[r])
    rows: list[list[dict[str, np.ndarray]]] = []
    for run in range(runs):
        _, thetas = sgd(data, STEPS[r], run, r, record=ts)
        rows.append([spectra_at(th, data["X"], data["y"]) for th in thetas])
        if run_log is not None:
            run_log.log(f"  spectra r = {r:g}, run {run + 1}/{runs}")
    out = {"iterations": ts}
    for key in rows[0][0]:
        out[key] = np.array([[cell[key] for cell in row] for row in rows])
    return out


def errors(theta: np.ndarray, data: dict[str, np.ndarray]) -> tuple[float, float, float]:
    """0-1 errors: on the (possibly corrupted) training labels, the clean and the corrupted test labels."""
    torch = require_torch()
    with torch.no_grad():
        train = logits(torch.from_numpy(theta), torch.from_numpy(data["X"])).argmax(dim=1).numpy()
        pred = logits(torch.from_numpy(theta), torch.from_numpy(data["X_test"])).argmax(dim=1).numpy()
    return (
        float(np.mean(train != data["y"])),
        float(np.mean(pred != data["y_test"])),
        float(np.mean(pred != data["y_test_noisy"])),
    )


def pacbayes_run(data: dict[str, np.ndarray], r: float, run: int) -> dict[str, Any]:
    """Theorem 4's two terms at the end of one SGD run, for each prior variance in :data:`PRIOR_VARIANCES`.

    The keys are those of :func:`theorems.li2019hessian._figures.pacbayes_run`.
    """
    torch = require_torch()
    from torch.func import hessian

    theta0, (theta,) = sgd(data, STEPS[r], run, r)
    X, y = _tensors(data)
    hdiag = np.diag(hessian(_loss)(torch.from_numpy(theta), X, y).numpy()).copy()
    return F.pacbayes_terms(theta, theta0, hdiag, errors(theta, data))


def pacbayes(r: float, runs: int = PACBAYES_RUNS, run_log: FigureRun | None = None) -> dict[str, np.ndarray]:
    """Figure 11 data for random-label fraction ``r`` (one entry per run); progress as :func:`spectra`."""
    data = F.gauss_k(r)
    rows = []
    for run in range(runs):
        rows.append(pacbayes_run(data, r, run))
        if run_log is not None and (run + 1) % 10 == 0:
            run_log.log(f"  pacbayes r = {r:g}, run {run + 1}/{runs}")
    return {key: np.array([row[key] for row in rows]) for key in rows[0]}


def headline(S: dict[str, np.ndarray], P: dict[str, np.ndarray]) -> dict[str, Any]:
    """The numbers quoted in the README, per label setting (means over runs unless stated)."""
    out: dict[str, Any] = {}
    k = PRIOR_VARIANCES.index(MAIN_PRIOR_VARIANCE)
    for r in F.RANDOM_FRACTIONS:
        tag = F._tag(r)
        ts = S[f"iterations_{tag}"]
        cos = S[f"cos_{tag}"].mean(axis=0)  # (checkpoints, 15)
        late = ts >= 20
        above = cos >= 0.99
        first = [int(ts[np.argmax(above[:, i])]) if above[:, i].any() else None for i in range(F.TOP)]
        Hf_end, Hp_end = S[f"eig_Hf_{tag}"][:, -1], S[f"eig_Hp_{tag}"][:, -1]  # (runs, p), decreasing
        Hf1, M1 = Hf_end[:, 0], S[f"eig_M_{tag}"][:, -1, 0]
        eig_M_end = S[f"eig_M_{tag}"][:, -1].mean(axis=0)
        out[tag] = {
            "cos_top10_after_t20_mean": float(cos[late, :10].mean()),
            "cos_top10_after_t20_min": float(cos[late, :10].min()),
            "cos_11_to_15_after_t20_mean": float(cos[late, 10:].mean()),
            "first_t_mean_cos_above_0.99": first,
            "cos_top10_min_end": float(cos[-1, :10].min()),
            "M1_over_Hf1_end": common._stats(M1 / Hf1),
            # per run: the spectrum of H_p against that of -H_f (0: H_p's eigenvalues are -H_f's)
            "Hp_plus_Hf_rel_end": common._stats(
                np.linalg.norm(Hp_end + Hf_end[:, ::-1], axis=1) / np.linalg.norm(Hf_end, axis=1)
            ),
            "M_eigs_above_1e-3_top_end": int(np.sum(eig_M_end > 1e-3 * eig_M_end[0])),
            "prop1_max_rel": float(S[f"prop1_{tag}"].max()),
            "effective_curvature_median": float(np.median(P[f"effective_curvature_{tag}"][:, k])),
            "weighted_norm_median": float(np.median(P[f"weighted_norm_{tag}"][:, k])),
            "crossing_median": float(np.median(P[f"crossing_{tag}"][:, k])),
        }
    return out


def _compute(run: FigureRun) -> int:
    """Compute the data, the summary and the images (see :func:`main`)."""
    S: dict[str, np.ndarray] = {}
    P: dict[str, np.ndarray] = {"runs": np.array(PACBAYES_RUNS), "prior_variances": np.array(PRIOR_VARIANCES)}
    for r in F.RANDOM_FRACTIONS:
        with run.stage(f"spectra r = {r:g}"):
            S.update({f"{k}_{F._tag(r)}": v for k, v in spectra(r, run_log=run).items()})
        with run.stage(f"pacbayes r = {r:g}"):
            P.update({f"{k}_{F._tag(r)}": v for k, v in pacbayes(r, run_log=run).items()})
    worst = max(float(S[f"prop1_{F._tag(r)}"].max()) for r in F.RANDOM_FRACTIONS)
    if worst > 1e-10:
        raise RuntimeError(
            f"Proposition 1 fails numerically: max |H_f - (M - H_p)| / max |H_f| = {worst:.3g}"
        )
    run.write_npz(NAMES[0], S)
    run.write_npz(NAMES[1], P)
    summary = {
        "paper": "li2019hessian, Figures 1, 2 and 11 (in spirit, scaled down), ReLU network",
        "seed": F.SEED,
        "setting": {
            "data": f"Gauss-{F.CLASSES} (make_blobs), n = {F.N_TRAIN} train, {F.N_TEST} test, d = {F.DIM}",
            "model": f"ReLU network {'-'.join(map(str, LAYERS))}, softmax log-loss, p = {NUM_PARAMS}",
            "dtype": "float64",
            "init": "weights N(0, 2/fan_in), biases 0",
            "sgd": {"eta": F.ETA, "batch": F.BATCH, "sampling": "with replacement"},
            "steps": {F._tag(r): STEPS[r] for r in F.RANDOM_FRACTIONS},
            "spectra_runs": SPECTRA_RUNS,
            "pacbayes_runs": PACBAYES_RUNS,
            "prior": "N(theta_0, sigma2 I), theta_0 the initial point",
            "prior_variances": list(PRIOR_VARIANCES),
        },
        "headline": headline(S, P),
        **common._summary(S, P, STEPS, PRIOR_VARIANCES),
        "seconds": round(run.elapsed(), 1),
    }
    run.write_json(NAMES[2], summary)
    render_images(run)
    run.log(f"total {run.elapsed():.1f} s")
    return 0


def render_images(run: FigureRun) -> list[str]:
    """Draw the ``relu_fig*.png`` from the npz files in ``--out`` with the softmax version's drawing code."""
    return common.render_images(run, NAMES, IMAGES, (SETTING,) * 3, MAIN_PRIOR_VARIANCE)


def main(argv: list[str] | None = None) -> int:
    """Write the ``relu_*`` data, summary and PNGs under ``--out``."""
    return common.cli(argv, __doc__.split("\n\n")[0], _run, NAMES, IMAGES)


def _run(run: FigureRun, args: argparse.Namespace) -> int:
    """Redraw the images, or compute everything on one thread (see :func:`main`)."""
    if args.images_only:
        render_images(run)
        return 0
    try:
        torch = require_torch()
    except ImportError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    torch.set_num_threads(1)  # 1150 x 1150 problems: threads only contend on shared cores
    with threadpool_limits(1):
        return _compute(run)


if __name__ == "__main__":
    raise SystemExit(main())
