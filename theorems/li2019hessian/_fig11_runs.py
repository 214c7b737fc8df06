r"""Private helpers of the Fig. 11 modules: the Gauss-10 data, the SGD runs and the separation score.

One experiment per data seed: the training set of :func:`figs1_2.gauss_k` (k = 10, d = 50), its
15 % label corruption and a test set, :data:`RUNS` stacked SGD runs per label setting with the
paper's step counts (Table 2), and per run the Hessian diagonal and the generalisation gap; the
per-run statistics, the separation score, the instances, hypotheses and the claim factory shared by
:mod:`.fig11` (panel (a)), :mod:`.fig11_curvature`, :mod:`.fig11_norm` and :mod:`.fig11_gap`.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source
from verifythm.claims.inputs import INT, REAL
from verifythm.models.classification import SoftmaxRegression
from verifythm.quantities.pacbayes import effective_curvature, weighted_frobenius_norm

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


SCORE_MIN = 0.95

SIGMA2 = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0, 10_000.0)

SOURCE = Source("li2019hessian", "Section 6, Figure 11; Appendix H, Figure 25")


def crossings(run: dict[str, np.ndarray], s2: float) -> np.ndarray:
    r""":math:`\tilde d=|\{j:H_f[j,j]>1/\sigma^2\}|` per run."""
    return np.sum(run["hdiag"] > 1.0 / s2, axis=1).astype(float)


def _stat(inst: dict[str, Any], name: str) -> tuple[np.ndarray, np.ndarray]:
    """The statistic ``name`` of the true-label and of the random-label runs of the instance's experiment."""
    exp, s2 = experiment(inst["seed"]), inst.get("sigma2", 1.0)

    def f(run: dict[str, np.ndarray]) -> np.ndarray:
        if name == "crossings":
            return crossings(run, s2)
        if name == "mean_diag":
            return run["hdiag"].mean(axis=1)
        if name == "curvature":
            return np.array([effective_curvature(h, s2) for h in run["hdiag"]])
        if name == "norm":
            return np.array([weighted_frobenius_norm(t, np.zeros_like(t), s2) for t in run["theta"]])
        if name == "from_init":
            return np.array(
                [
                    weighted_frobenius_norm(t, t0, s2)
                    for t, t0 in zip(run["theta"], run["theta0"], strict=True)
                ]
            )
        return run["gap"]

    return f(exp[0.0]), f(exp[R])


def score(inst: dict[str, Any], name: str) -> float:
    """Fraction of the true-label runs strictly below random-label run ``j`` (ties count 1/2)."""
    clean, noisy = _stat(inst, name)
    v = noisy[inst["run"]]
    return float(np.mean((clean < v) + 0.5 * (clean == v)))


def _comparison(name: str, label: str) -> Any:
    def conclusion(inst: dict[str, Any]) -> Comparison:
        s = min(score(inst, n) for n in name.split("+"))
        return Comparison(s, SCORE_MIN, ">=", f"P(true-label run < random-label run j) for {label}", "0.95")

    conclusion.__doc__ = f"Separation score of {label} against 0.95."
    return conclusion


_REGIME = {"k": K, "d": D, "n": F.N, "B": F.BATCH, "eta": F.ETA, "T_true": STEPS[0.0], "T_random": STEPS[R]}


def _instances(seeds: list[int], with_sigma: bool) -> list[dict[str, Any]]:
    s2s = SIGMA2 if with_sigma else (None,)
    return [
        {"seed": s, "run": j, **({"sigma2": s2} if s2 else {}), **_REGIME}
        for s in seeds
        for s2 in s2s
        for j in range(RUNS)
    ]


def _generator(with_sigma: bool) -> Any:
    def generate(rng: np.random.Generator, count: int) -> list[dict[str, Any]]:
        extra = count // 120  # quick (60): the paper point only; thorough (1000): 8 more experiments
        return _instances([int(s) for s in rng.integers(1, 10_000, size=extra)], with_sigma)

    return generate


def _regime_ok(inst: dict[str, Any]) -> bool:
    return {k: inst.get(k) for k in _REGIME} == _REGIME and 0 <= inst["run"] < RUNS


def _line_cuts_random(inst: dict[str, Any]) -> bool:
    """Every random-label run has a coordinate above 1/σ² (the red line is inside its diagonal)."""
    return bool(np.all(crossings(experiment(inst["seed"])[R], inst["sigma2"]) > 0))


_HYP_REGIME = Hypothesis(
    "the paper's Gauss-10 regime: n = 100, batch 5, η = 0.1, T = 400 (true) / 10 000 (15 % random)",
    _regime_ok,
)

HYP_CUT = Hypothesis("some H_f[j,j] > 1/σ² in every random-label run", _line_cuts_random)


def claim(
    cid: str, title: str, statement: str, name: str, label: str, hyps: tuple[Hypothesis, ...], sigma: bool
) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=(_HYP_REGIME, *hyps),
        conclusion=_comparison(name, label),
        inputs={"seed": INT, "run": INT, "sigma2": REAL},  # the regime's keys are compared as given
        checks=(ExactCheck("exact", _generator(sigma), fixed=_instances([0], sigma)),),
    )


COMMON = (
    r"Gauss-10, softmax regression, SGD ($\eta=0.1$, batch 5 of $n=100$; $T=400$ with true labels, "
    r"10 000 with 15 % random labels), 4 runs per setting on the same data: "
)
