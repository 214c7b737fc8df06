r"""Figures 1, 2 and 11 of li2019hessian in spirit: Gauss-10, softmax regression, exact Hessians.

Private (not collected).  Run as::

    python -m theorems.li2019hessian._figures --out docs/figures/li2019 --overwrite

(``--overwrite`` replaces the files already there; without it the driver refuses, exit 2,
before any work: :mod:`verifythm.report.figure_driver`; ``--images-only`` only redraws the PNGs
from the npz files).  It writes

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
  the Theorem 4 terms and of the generalisation gap), drawn from the npz data by
  :mod:`._figures_common`.  matplotlib is the optional extra ``plots``; without it only the data
  are written.

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
on shared cores.  ``tests/catalogue/test_figures_li2019.py`` recomputes one point of each data file.
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
from verifythm.report.figure_driver import FigureRun

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


DATA = ("spectra.npz", "pacbayes.npz", "summary.json")
IMAGES = ("fig1.png", "fig2.png", "fig11.png")


def main(argv: list[str] | None = None) -> int:
    """Write ``spectra.npz``, ``pacbayes.npz``, ``summary.json`` and the PNGs under ``--out``."""
    from ._figures_common import cli  # that module imports this one: imported here, not at the top

    return cli(argv, __doc__.split("\n\n")[0], _run, DATA, IMAGES)


def _run(run: FigureRun, args: argparse.Namespace) -> int:
    """Redraw the images, or compute everything with single-threaded BLAS (see :func:`main`)."""
    from ._figures_common import render_images

    if args.images_only:
        render_images(run)
        return 0
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    with threadpool_limits(1):  # 500 x 500 problems: BLAS threads only contend on shared cores
        _compute(run)
        render_images(run)
    run.log(f"total {run.elapsed():.1f} s")
    return 0


def _compute(run: FigureRun) -> None:
    """Compute and write the data and the summary (see :func:`main`)."""
    from ._figures_common import _summary

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


if __name__ == "__main__":
    raise SystemExit(main())
