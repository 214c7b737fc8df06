r"""Private helpers of :mod:`theorems.li2019hessian.fig11`: the Gauss-10 data and the SGD runs.

One experiment per data seed: the training set of :func:`figs1_2.gauss_k` (k = 10, d = 50), its
15 % label corruption and a test set, :data:`RUNS` stacked SGD runs per label setting with the
paper's step counts (Table 2), and per run the Hessian diagonal and the generalisation gap.
"""

from __future__ import annotations

import functools

import numpy as np

from verifythm.models.classification import SoftmaxRegression

from . import figs1_2 as F

K, D = 10, 50
R = 0.15
STEPS = {0.0: F.STEPS, R: 10_000}  # Table 2: 400 (true labels), 10 000 (15 % random labels)
RUNS = 4
N_TEST = 1000
MODEL = SoftmaxRegression(D, K)


def data(seed: int) -> dict[str, np.ndarray]:
    """Training set of :func:`figs1_2.gauss_k` (k = 10, d = 50), its corruption and a test set.

    The test points come from the same centres (the first draw of ``gauss_k``'s stream, checked
    against its training set) and the same feature scaling.
    """
    X, y = F.gauss_k(K, D, seed)
    rng = np.random.default_rng([20190601, K, D, seed])
    centres = rng.uniform(-10.0, 10.0, size=(K, D))
    raw = centres[y] + rng.standard_normal((y.size, D))
    scale = float(np.sqrt(np.mean(raw**2)))
    if not np.allclose(raw / scale, X, rtol=1e-12, atol=0):
        raise RuntimeError("figs1_2.gauss_k changed its stream: the test set would not match")
    rng = np.random.default_rng([20191100, seed])
    counts = np.full(K, round(R * y.size) // K)
    counts[rng.choice(K, size=round(R * y.size) % K, replace=False)] += 1
    noisy = y.copy()
    for c in range(K):
        pick = rng.choice(np.flatnonzero(y == c), size=int(counts[c]), replace=False)
        noisy[pick] = rng.integers(0, K, size=pick.size)
    y_test = np.repeat(np.arange(K), N_TEST // K)
    X_test = (centres[y_test] + rng.standard_normal((y_test.size, D))) / scale
    return {"X": X, "y": y, "y_noisy": noisy, "X_test": X_test, "y_test": y_test}


def sgd_runs(X: np.ndarray, y: np.ndarray, steps: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    r""":data:`RUNS` runs of constant-step SGD at once; initial points and last iterates, ``(RUNS, p)``.

    The step of :func:`figs1_2._run` (:math:`\eta=0.1`, batches of 5 with replacement), with
    :math:`W` stored transposed and the runs stacked; run ``j``'s start depends on ``(seed, j)``
    only, so both label settings start from the same point.
    """
    Y = np.eye(K)[y]
    W0 = np.stack(
        [F.INIT_STD * np.random.default_rng([20190611, seed, j]).standard_normal((K, D)) for j in range(RUNS)]
    )
    W = W0.transpose(0, 2, 1).copy()  # (RUNS, D, K)
    batches = np.random.default_rng([20190612, seed, steps]).integers(
        0, X.shape[0], size=(steps, RUNS, F.BATCH)
    )
    c = F.ETA / F.BATCH
    for b in batches:
        Xb = X[b]  # (RUNS, B, D)
        z = Xb @ W
        z -= z.max(axis=2, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=2, keepdims=True)
        z -= Y[b]
        W -= c * (Xb.transpose(0, 2, 1) @ z)
    return W0.reshape(RUNS, -1), W.transpose(0, 2, 1).reshape(RUNS, -1)


@functools.lru_cache(maxsize=32)
def experiment(seed: int) -> dict[float, dict[str, np.ndarray]]:
    """Per label setting: the runs' start, end, Hessian diagonal, train error and population gap."""
    dat = data(seed)
    out = {}
    for r, labels in ((0.0, dat["y"]), (R, dat["y_noisy"])):
        theta0, theta = sgd_runs(dat["X"], labels, STEPS[r], seed)
        hdiag = np.array([np.diag(MODEL.hessian(t, dat["X"])) for t in theta])
        train = np.array([np.mean(np.argmax(MODEL.probabilities(t, dat["X"]), 1) != labels) for t in theta])
        test = np.array(
            [np.mean(np.argmax(MODEL.probabilities(t, dat["X_test"]), 1) != dat["y_test"]) for t in theta]
        )
        out[r] = {
            "theta0": theta0,
            "theta": theta,
            "hdiag": hdiag,
            "gap": (1 - r) * test + r * (1 - 1 / K) - train,
        }
    return out
