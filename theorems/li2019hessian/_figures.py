r"""Figures 1, 2 and 11 of li2019hessian in spirit: Gauss-10, softmax regression, exact Hessians.

Private (not collected).  Run as::

    python -m theorems.li2019hessian._figures --out docs/figures/li2019

It writes

* ``spectra.npz``: for 0 % and 15 % random labels, per run and checkpoint of SGD, the full
  eigen-spectra of :math:`H_f(\theta_t)`, :math:`M_t` and :math:`H_p(\theta_t)=M_t-H_f(\theta_t)`
  (Proposition 1), the cosines of the top-15 principal angles between the top-15 eigenspaces
  of :math:`H_f` and :math:`M_t` (:func:`verifythm.linalg.angles.principal_cosines`), and the loss;
* ``pacbayes.npz``: per run, the effective curvature and the precision-weighted norm of
  Theorem 4 (:mod:`verifythm.quantities.pacbayes`) at the end of training for several prior
  variances, the number of Hessian diagonals above the prior precision, the sorted Hessian
  diagonal, and the 0-1 errors (training labels; clean test labels; test labels carrying the same
  noise, the distribution the bound is about);
* ``summary.json``: the setting, the seeds and the headline numbers;
* ``fig1.png`` (spectra at the first, an intermediate and the last checkpoint), ``fig2.png``
  (principal-angle cosines and top-15 eigenvalues over training), ``fig11.png`` (distributions of
  the Theorem 4 terms and of the generalisation gap), drawn from the npz data.  matplotlib is the
  optional extra ``plots``; without it only the data are written.

Setting (scaled down from Appendix A.1 / Table 2): Gauss-10 from
:func:`sklearn.datasets.make_blobs` (10 isotropic unit-variance Gaussians in :math:`\mathbb R^{50}`,
centres uniform in :math:`[-10,10]^{50}`), :math:`n=100` training points (10 per class), features
rescaled by one global constant to mean square 1; a fraction :math:`r\in\{0,0.15\}` of each
class's labels replaced by labels uniform over the 10 classes.  The model is multinomial
logistic (softmax) regression, :class:`verifythm.models.SoftmaxRegression` (:math:`p=500`), whose
Hessian and per-sample gradients are exact, in place of the paper's 50-10-30-10 ReLU network.
SGD with constant step :math:`\eta=0.1`, batches of 5 drawn with replacement, initial point
:math:`\theta_0\sim\mathcal N(0,\sigma_0^2I)`.  Theorem 4's prior is centred at :math:`\theta_0`;
its variance :math:`\sigma^2` is a free (data-independent) choice, reported for several values.
BLAS runs single-threaded (``threadpoolctl``): the matrices are 500 x 500 and threads only contend
on shared cores.  ``tests/test_figures_li2019.py`` recomputes one point of each data file.
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from verifythm.dynamics.sampling import Sampling
from verifythm.linalg.angles import principal_cosines
from verifythm.models.classification import SoftmaxRegression
from verifythm.quantities.noise import minibatch_second_moment
from verifythm.quantities.pacbayes import effective_curvature, weighted_frobenius_norm
from verifythm.report.figure_driver import FigureRun, figure_parser, run_driver
from verifythm.report.plots import matplotlib_available

SEED = 20190601
N_TRAIN = 100
N_TEST = 1000
DIM = 50
CLASSES = 10
BATCH = 5
ETA = 0.1
INIT_STD = 0.1
TOP = 15
RANDOM_FRACTIONS = (0.0, 0.15)
STEPS = {0.0: 400, 0.15: 4000}  # the paper's Table 2 uses 400 and 10 000 iterations
SPECTRA_RUNS = 10
PACBAYES_RUNS = 80
PRIOR_VARIANCES = (10.0, 100.0, 1000.0)
MAIN_PRIOR_VARIANCE = 100.0

MODEL = SoftmaxRegression(DIM, CLASSES)


def _tag(r: float) -> str:
    return f"r{round(100 * r):02d}"


def checkpoints(steps: int) -> np.ndarray:
    """SGD iterations at which the matrices are recorded: 0, then roughly log-spaced up to ``steps``."""
    return np.unique(np.concatenate([[0], np.round(np.geomspace(1, steps, 11)).astype(int)]))


def gauss_k(r: float, seed: int = SEED) -> dict[str, np.ndarray]:
    """Gauss-10 training and test sets; a fraction ``r`` of each class's training labels randomised.

    Returns ``X``, ``y`` (training labels, possibly corrupted), ``y_clean``, ``X_test``, ``y_test``
    (clean) and ``y_test_noisy`` (each test label resampled with probability ``r``).
    The features (train and test) are divided by one constant so the training mean square is 1.
    """
    from sklearn.datasets import make_blobs

    per = (N_TRAIN + N_TEST) // CLASSES
    X, y = make_blobs(n_samples=[per] * CLASSES, n_features=DIM, random_state=seed, shuffle=False)
    first = np.zeros(len(y), bool)
    for c in range(CLASSES):
        first[np.flatnonzero(y == c)[: N_TRAIN // CLASSES]] = True
    scale = float(np.sqrt(np.mean(X[first] ** 2)))
    Xtr, ytr = X[first] / scale, y[first].astype(int)
    rng = np.random.default_rng([seed, round(1000 * r)])
    # round(r n) labels resampled, spread over the classes as evenly as possible (1.5 per class at r = 0.15)
    total = round(r * N_TRAIN)
    counts = np.full(CLASSES, total // CLASSES)
    counts[rng.choice(CLASSES, size=total % CLASSES, replace=False)] += 1
    noisy = ytr.copy()
    for c in range(CLASSES):
        pick = rng.choice(np.flatnonzero(ytr == c), size=int(counts[c]), replace=False)
        noisy[pick] = rng.integers(0, CLASSES, size=len(pick))
    y_test = y[~first].astype(int)
    redraw = rng.random(y_test.size) < r  # the corrupted problem's test distribution: resampled w.p. r
    return {
        "X": Xtr,
        "y": noisy,
        "y_clean": ytr,
        "X_test": X[~first] / scale,
        "y_test": y_test,
        "y_test_noisy": np.where(redraw, rng.integers(0, CLASSES, size=y_test.size), y_test),
    }


def sgd(
    data: dict[str, np.ndarray], steps: int, run: int, r: float, record: np.ndarray | None = None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Constant-step SGD (batches of :data:`BATCH` with replacement) from a seeded Gaussian start.

    Returns the initial point and the iterates at the iterations in ``record`` (default: the last).
    """
    rng = np.random.default_rng([SEED, round(1000 * r), run])
    theta0 = INIT_STD * rng.standard_normal(MODEL.num_params)
    want = {steps} if record is None else {int(t) for t in record}
    X, y = data["X"], data["y"]
    theta, out = theta0.copy(), []
    for t in range(steps + 1):
        if t in want:
            out.append(theta.copy())
        if t == steps:
            break
        idx = rng.integers(0, X.shape[0], size=BATCH)
        theta -= ETA * MODEL.per_sample_grads(theta, X[idx], y[idx]).mean(axis=0)
    return theta0, out


def matrices(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Exact :math:`(H_f, M, H_p)` at ``theta``.

    :math:`M=\frac1n\sum_i\nabla f_i\nabla f_i^T=\Sigma+\mu\mu^T` (Eq. (7); the one-sample case of
    :func:`~verifythm.quantities.noise.minibatch_second_moment`) and :math:`H_p=M-H_f` (Proposition 1).
    """
    Hf = MODEL.hessian(theta, X)
    M = minibatch_second_moment(MODEL.per_sample_grads(theta, X, y), Sampling.WITH_REPLACEMENT, 1)
    return Hf, M, M - Hf


def spectra_at(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Eigenvalues (decreasing) of H_f, M, H_p and the top-15 principal-angle cosines of (H_f, M).

    :math:`M=G^TG/n` has rank at most ``n``: its eigenpairs come from the SVD of the per-sample
    gradients ``G`` (the remaining eigenvalues are exactly 0).
    """
    Hf, _, Hp = matrices(theta, X, y)
    out = spectra_of(Hf, MODEL.per_sample_grads(theta, X, y), Hp)
    out["loss"] = np.array(float(MODEL.per_sample_losses(theta, X, y).mean()))
    return out


def spectra_of(Hf: np.ndarray, G: np.ndarray, Hp: np.ndarray) -> dict[str, np.ndarray]:
    """Decreasing eigenvalues of ``Hf``, :math:`M=G^TG/n` and ``Hp``; top-15 principal-angle cosines.

    ``G`` holds the n per-sample gradients as rows; the cosines are those of the principal angles
    between the top-15 eigenspaces of ``Hf`` and ``M``.
    """
    import scipy.linalg

    wf, Vf = scipy.linalg.eigh(Hf, driver="evr")
    _, s, Vt = np.linalg.svd(G, full_matrices=False)
    eig_M = np.zeros(Hf.shape[0])
    eig_M[: s.size] = s**2 / G.shape[0]
    return {
        "eig_Hf": wf[::-1],
        "eig_M": eig_M,
        "eig_Hp": np.linalg.eigvalsh(Hp)[::-1],
        "cos": principal_cosines(Vf[:, ::-1][:, :TOP], Vt[:TOP].T),
    }


def spectra(r: float, runs: int = SPECTRA_RUNS) -> dict[str, np.ndarray]:
    """Figures 1-2 data for random-label fraction ``r``: arrays of shape (runs, checkpoints, ...)."""
    data = gauss_k(r)
    ts = checkpoints(STEPS[r])
    rows: list[list[dict[str, np.ndarray]]] = []
    for run in range(runs):
        _, thetas = sgd(data, STEPS[r], run, r, record=ts)
        rows.append([spectra_at(th, data["X"], data["y"]) for th in thetas])
    out = {"iterations": ts}
    for key in rows[0][0]:
        out[key] = np.array([[cell[key] for cell in row] for row in rows])
    return out


def errors(theta: np.ndarray, data: dict[str, np.ndarray]) -> tuple[float, float, float]:
    """0-1 errors: on the (possibly corrupted) training labels, the clean and the corrupted test labels."""
    train = np.argmax(MODEL.probabilities(theta, data["X"]), axis=1) != data["y"]
    pred = np.argmax(MODEL.probabilities(theta, data["X_test"]), axis=1)
    return (
        float(train.mean()),
        float(np.mean(pred != data["y_test"])),
        float(np.mean(pred != data["y_test_noisy"])),
    )


def pacbayes_run(data: dict[str, np.ndarray], r: float, run: int) -> dict[str, Any]:
    """Theorem 4's two terms at the end of one SGD run, for each prior variance in :data:`PRIOR_VARIANCES`."""
    theta0, (theta,) = sgd(data, STEPS[r], run, r)
    hdiag = np.diag(MODEL.hessian(theta, data["X"]))
    return pacbayes_terms(theta, theta0, hdiag, errors(theta, data))


def pacbayes_terms(
    theta: np.ndarray, theta0: np.ndarray, hdiag: np.ndarray, errs: tuple[float, float, float]
) -> dict[str, Any]:
    """The Theorem 4 terms for every prior variance, the Hessian diagonal and the three errors."""
    train, test, test_noisy = errs
    return {
        "effective_curvature": [effective_curvature(hdiag, s2) for s2 in PRIOR_VARIANCES],
        "weighted_norm": [weighted_frobenius_norm(theta, theta0, s2) for s2 in PRIOR_VARIANCES],
        "crossing": [int(np.sum(hdiag > 1.0 / s2)) for s2 in PRIOR_VARIANCES],
        "hdiag_sorted": np.sort(hdiag)[::-1],
        "hdiag_mean": float(hdiag.mean()),
        "hdiag_max": float(hdiag.max()),
        "train_error": train,
        "test_error": test,
        "test_error_noisy": test_noisy,
    }


def pacbayes(r: float, runs: int = PACBAYES_RUNS) -> dict[str, np.ndarray]:
    """Figure 11 data for random-label fraction ``r`` (one entry per run)."""
    data = gauss_k(r)
    rows = [pacbayes_run(data, r, run) for run in range(runs)]
    return {key: np.array([row[key] for row in rows]) for key in rows[0]}


# ----------------------------------------------------------------------------- images


def _draw_fig1(plt: Any, S: Any, setting: str = "softmax regression, Gauss-10, batch 5") -> Any:
    """Figure 1: mean eigen-spectra at the first, an intermediate and the last checkpoint."""
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.2), squeeze=False)
    for row, r in enumerate(RANDOM_FRACTIONS):
        tag, ts = _tag(r), S[f"iterations_{_tag(r)}"]
        picks = (0, len(ts) // 2, len(ts) - 1)
        for col, (key, name) in enumerate((("eig_Hf", "H_f"), ("eig_M", "M_t"), ("eig_Hp", "H_p"))):
            ax = axes[row, col]
            mean = S[f"{key}_{tag}"].mean(axis=0)  # (checkpoints, p), eigenvalues by rank
            for j in picks:
                ax.plot(np.arange(1, mean.shape[1] + 1), mean[j], label=f"t = {int(ts[j])}")
            ax.set_yscale("symlog", linthresh=1e-4)
            ax.set_xscale("log")
            ax.set_title(f"{name}, {round(100 * r)}% random labels", fontsize=10)
            ax.set_xlabel("eigenvalue rank")
            ax.legend(fontsize=8)
    fig.suptitle(f"Figure 1 in spirit: mean eigen-spectra ({setting})", fontsize=11)
    fig.tight_layout()
    return fig


def _band(ax: Any, x: np.ndarray, Y: np.ndarray, label: str | None, colour: Any) -> None:
    """Mean over runs with its 95 % normal-approximation band, clipped to the range of the runs.

    With few runs the normal band can leave the range the quantity can take (a cosine above 1,
    an eigenvalue below 0 on a log axis); the runs' own minimum and maximum bound it instead.
    """
    mean = Y.mean(axis=0)
    half = 1.96 * Y.std(axis=0, ddof=1) / np.sqrt(Y.shape[0])
    lo, hi = np.maximum(mean - half, Y.min(axis=0)), np.minimum(mean + half, Y.max(axis=0))
    ax.plot(x, mean, color=colour, lw=1, label=label)
    ax.fill_between(x, lo, hi, color=colour, alpha=0.2, lw=0)


def _draw_fig2(plt: Any, S: Any, setting: str = "") -> Any:
    """Figure 2: principal-angle cosines and top eigenvalues over training (mean and 95 % band)."""
    cmap = plt.get_cmap("viridis")
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.2), squeeze=False)
    for row, r in enumerate(RANDOM_FRACTIONS):
        tag = _tag(r)
        x = np.maximum(S[f"iterations_{tag}"], 0.5)  # t = 0 drawn at 0.5 on the log axis
        for i in range(TOP):
            colour = cmap(i / (TOP - 1))
            lab = f"{i + 1}" if i in (0, 9, TOP - 1) else None
            _band(axes[row, 0], x, S[f"cos_{tag}"][:, :, i], lab and f"cos γ_{lab}", colour)
            _band(axes[row, 1], x, S[f"eig_Hf_{tag}"][:, :, i], lab and f"λ_{lab}", colour)
            _band(axes[row, 2], x, S[f"eig_M_{tag}"][:, :, i], lab and f"λ_{lab}", colour)
        for ax, name in zip(
            axes[row],
            ("principal-angle cosines (H_f, M_t)", "top eigenvalues of H_f", "top eigenvalues of M_t"),
            strict=True,
        ):
            ax.set_xscale("log")
            ax.set_title(f"{name}, {round(100 * r)}% random", fontsize=10)
            ax.set_xlabel("SGD iteration t")
            ax.legend(fontsize=7)
        axes[row, 1].set_yscale("log")
        axes[row, 2].set_yscale("log")
    fig.suptitle(
        "Figure 2 in spirit: top-15 eigenspaces of H_f and M_t (mean and 95% band over runs)"
        + (f", {setting}" if setting else ""),
        fontsize=11,
    )
    fig.tight_layout()
    return fig


def _draw_fig11(
    plt: Any, P: Any, setting: str = "Gauss-10, batch 5", main: float = MAIN_PRIOR_VARIANCE
) -> Any:
    """Figure 11: distributions of the Theorem 4 terms and of the generalisation gap."""
    variances = [float(v) for v in P["prior_variances"]]
    k = variances.index(main)
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8))
    for r in RANDOM_FRACTIONS:
        v = P[f"hdiag_sorted_{_tag(r)}"].mean(axis=0)
        axes[0].plot(np.arange(1, v.size + 1), v, label=f"{round(100 * r)}% random")
    for s2 in variances:
        axes[0].axhline(1.0 / s2, color="r", lw=0.8, ls="-" if s2 == main else ":")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("rank of H_f[j, j]")
    axes[0].set_title("sorted diag H_f(θ) (mean); red: 1/σ²", fontsize=10)
    panels = (
        ("effective_curvature", f"effective curvature (σ² = {main:g})"),
        ("weighted_norm", f"‖θ − θ₀‖² / σ² (σ² = {main:g})"),
        ("gap", "test − train error (same label noise)"),
    )
    for ax, (key, title) in zip(axes[1:], panels, strict=True):
        values = [
            P[f"test_error_noisy_{_tag(r)}"] - P[f"train_error_{_tag(r)}"]
            if key == "gap"
            else P[f"{key}_{_tag(r)}"][:, k]
            for r in RANDOM_FRACTIONS
        ]
        bins = np.histogram_bin_edges(np.concatenate(values), bins=24)
        for r, v in zip(RANDOM_FRACTIONS, values, strict=True):
            ax.hist(v, bins=bins, alpha=0.6, label=f"{round(100 * r)}% random")
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("runs")
    for ax in axes:
        ax.legend(fontsize=8)
    fig.suptitle(f"Figure 11 in spirit: {int(P['runs'])} SGD runs per label setting ({setting})", fontsize=11)
    fig.tight_layout()
    return fig


DATA = ("spectra.npz", "pacbayes.npz", "summary.json")
IMAGES = ("fig1.png", "fig2.png", "fig11.png")


def render_images(
    run: FigureRun,
    data: tuple[str, ...] = DATA,
    images: tuple[str, ...] = IMAGES,
    settings: tuple[str | None, ...] = (None, None, None),
    main: float = MAIN_PRIOR_VARIANCE,
) -> list[str]:
    """Draw ``images`` (Figures 1, 2, 11) from the npz files ``data[:2]`` in the output directory.

    ``settings`` replaces the default setting line of each figure (``None`` keeps it); the ReLU
    version draws its own files with this code.  Returns the names written; an empty list (and a
    message) when matplotlib is not installed.
    """
    plt = run.pyplot()
    if plt is None:
        return []
    S = np.load(run.path(data[0]))
    P = np.load(run.path(data[1]))
    s1, s2, s11 = ({} if s is None else {"setting": s} for s in settings)
    run.save_figure(_draw_fig1(plt, S, **s1), images[0], dpi=100)
    run.save_figure(_draw_fig2(plt, S, **s2), images[1], dpi=100)
    run.save_figure(_draw_fig11(plt, P, main=main, **s11), images[2], dpi=100)
    return list(images)


# ----------------------------------------------------------------------------- summary and CLI


def _stats(v: np.ndarray) -> dict[str, float]:
    return {
        "mean": float(np.mean(v)),
        "median": float(np.median(v)),
        "min": float(np.min(v)),
        "max": float(np.max(v)),
    }


def _summary(
    S: dict[str, np.ndarray],
    P: dict[str, np.ndarray],
    steps: dict[float, int] = STEPS,
    prior_variances: tuple[float, ...] = PRIOR_VARIANCES,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in RANDOM_FRACTIONS:
        tag = _tag(r)
        ts = S[f"iterations_{tag}"]
        at = {}
        for j in (0, 1, len(ts) // 2, len(ts) - 1):
            mean = lambda key, j=j, tag=tag: S[f"{key}_{tag}"][:, j].mean(axis=0)  # noqa: E731
            at[str(int(ts[j]))] = {
                "loss": float(mean("loss")),
                "cos_top10_min": float(mean("cos")[:10].min()),
                "cos_11_to_15": [round(float(c), 4) for c in mean("cos")[10:]],
                "Hf_top": [float(v) for v in mean("eig_Hf")[:3]],
                "M_top": [float(v) for v in mean("eig_M")[:3]],
                "Hp_top": float(mean("eig_Hp")[0]),
                "Hp_bottom": float(mean("eig_Hp")[-1]),
                "M_top10_over_Hf_top10": float(mean("eig_M")[:10].sum() / mean("eig_Hf")[:10].sum()),
                "Hp_plus_Hf_rel": float(
                    np.linalg.norm(mean("eig_Hp") + mean("eig_Hf")[::-1]) / np.linalg.norm(mean("eig_Hf"))
                ),
            }
        pb = {
            f"sigma2={s2:g}": {
                "effective_curvature": _stats(P[f"effective_curvature_{tag}"][:, k]),
                "weighted_norm": _stats(P[f"weighted_norm_{tag}"][:, k]),
                "crossing": _stats(P[f"crossing_{tag}"][:, k]),
            }
            for k, s2 in enumerate(prior_variances)
        }
        out[tag] = {
            "random_fraction": r,
            "steps": steps[r],
            "spectra_at_iteration": at,
            "pacbayes": pb,
            "hdiag_mean": _stats(P[f"hdiag_mean_{tag}"]),
            "train_error": _stats(P[f"train_error_{tag}"]),
            "test_error": _stats(P[f"test_error_{tag}"]),
            "test_error_noisy": _stats(P[f"test_error_noisy_{tag}"]),
            "gap_clean_test": _stats(P[f"test_error_{tag}"] - P[f"train_error_{tag}"]),
            "gap": _stats(P[f"test_error_noisy_{tag}"] - P[f"train_error_{tag}"]),
        }
    return out


def cli(
    argv: list[str] | None,
    description: str,
    body: Any,
    data: tuple[str, ...],
    images: tuple[str, ...],
) -> int:
    """The command line of both li2019hessian drivers: ``--out``, ``--overwrite``, ``--images-only``.

    ``body(run, args)`` does the work; ``data`` names the two npz files and the summary, ``images``
    the three PNGs (written only with matplotlib).  ``--images-only`` reads the npz files and
    writes only the PNGs.
    """
    shown = images if matplotlib_available(say=False) else ()
    return run_driver(
        figure_parser(description, "docs/figures/li2019", images_only=True),
        argv,
        body,
        outputs=lambda args: shown if args.images_only else data + shown,
        inputs=lambda args: data[:2] if args.images_only else (),
    )


def main(argv: list[str] | None = None) -> int:
    """Write ``spectra.npz``, ``pacbayes.npz``, ``summary.json`` and the PNGs under ``--out``."""
    return cli(argv, __doc__.split("\n\n")[0], _run, DATA, IMAGES)


def _run(run: FigureRun, args: argparse.Namespace) -> int:
    """Redraw the images, or compute everything with single-threaded BLAS (see :func:`main`)."""
    if args.images_only:
        render_images(run)
        return 0
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    with threadpool_limits(1):  # 500 x 500 problems: BLAS threads only contend on shared cores
        return _compute(run)


def _compute(run: FigureRun) -> int:
    """Compute the data, the summary and the images (see :func:`main`)."""
    S: dict[str, np.ndarray] = {}
    P: dict[str, np.ndarray] = {"runs": np.array(PACBAYES_RUNS), "prior_variances": np.array(PRIOR_VARIANCES)}
    for r in RANDOM_FRACTIONS:
        with run.stage(f"spectra r = {r:g}"):
            S.update({f"{k}_{_tag(r)}": v for k, v in spectra(r).items()})
        with run.stage(f"pacbayes r = {r:g}"):
            P.update({f"{k}_{_tag(r)}": v for k, v in pacbayes(r).items()})
    run.write_npz(DATA[0], S)
    run.write_npz(DATA[1], P)
    summary = {
        "paper": "li2019hessian, Figures 1, 2 and 11 (in spirit, scaled down)",
        "seed": SEED,
        "setting": {
            "data": f"Gauss-{CLASSES} (sklearn make_blobs), n = {N_TRAIN} train, {N_TEST} test, d = {DIM}",
            "model": f"SoftmaxRegression({DIM}, {CLASSES}), p = {MODEL.num_params}",
            "sgd": {"eta": ETA, "batch": BATCH, "sampling": "with replacement", "init_std": INIT_STD},
            "steps": {_tag(r): STEPS[r] for r in RANDOM_FRACTIONS},
            "spectra_runs": SPECTRA_RUNS,
            "pacbayes_runs": PACBAYES_RUNS,
            "prior": "N(theta_0, sigma2 I), theta_0 the initial point",
            "prior_variances": list(PRIOR_VARIANCES),
        },
        **_summary(S, P),
        "seconds": round(run.elapsed(), 1),
    }
    run.write_json(DATA[2], summary)
    render_images(run)
    run.log(f"total {run.elapsed():.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
