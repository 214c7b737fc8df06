r"""Li et al. (2019), Figs. 1(a) and 2(a): after SGD on clean Gauss-k, H_p ≈ −H_f and top eigenspaces align.

Setting
-------
Gauss-k data (Section 3, Appendix A.1): :math:`k` isotropic unit-variance Gaussians in
:math:`\mathbb R^d` with centres uniform in :math:`[-10,10]^d`, :math:`n=100` points, :math:`n/k` per
class, true labels (0 % random); the features are divided by one constant so that their mean
square is 1 (as in :mod:`theorems.li2019hessian._figures`).  The model is multinomial logistic
(softmax) regression :math:`p(y|x,\theta)=\operatorname{softmax}(Wx)_y`, :math:`\theta=\mathrm{vec}(W)`,
:math:`p=kd` (:class:`verifythm.models.SoftmaxRegression`, exact Hessian and per-sample gradients),
in place of the paper's 50-10-30-10 ReLU network.  SGD in the paper's regime (Figs. 1-2, Table 2):
constant step :math:`\eta=0.1`, batches of 5 (one twentieth of :math:`n`) drawn with replacement,
400 iterations, :math:`\theta_0\sim\mathcal N(0,0.1^2I)`.  At an iterate :math:`\theta_t`:
:math:`H_f(\theta_t)` the Hessian of the training loss, :math:`M_t=\frac1n\sum_i\nabla f_i\nabla f_i^T`
(Eq. (7)) and :math:`H_p(\theta_t)=M_t-H_f(\theta_t)` (Proposition 1, checked separately by
``li2019.prop1``).  Regime covered: :math:`k\in\{2,5,10\}`, :math:`d\in\{20,50\}` (the paper's point
is :math:`k=10`, :math:`d=50`), :math:`d\ge2k` so that the classes are easy to separate, the
setting in which the paper makes the statement.

Statement
---------
* ``li2019.fig1.hp_near_minus_hf`` - Fig. 1(a) and the text after it (Section 4.1): on an
  easily separated problem :math:`M_t` collapses as SGD converges, so the residual
  :math:`H_p(\theta_t)` approaches :math:`-H_f(\theta_t)`.  Encoded at the last iterate
  :math:`\theta_T`, "approaches" read as agreement to 10 % in Frobenius norm (one order of
  magnitude, the paper's own yardstick in the next paragraph):
  :math:`1-\|H_p(\theta_T)+H_f(\theta_T)\|_F/\|H_f(\theta_T)\|_F\ge0.9`.
* ``li2019.fig2.top_subspaces_aligned`` - Fig. 2(a), its caption and Section 4.2: the cosines
  of the leading principal angles (Eq. (13)) between the top eigenspaces of :math:`H_f(\theta_t)`
  and :math:`M_t` are :math:`\approx1` after a quick transient and stay so.  The paper uses the
  top-15 eigenspaces and reads off :math:`\cos\gamma_1,\dots,\cos\gamma_{10}` for 10 classes; with
  :math:`k` classes this is the top-:math:`(k+5)` eigenspaces and :math:`\cos\gamma_1..\cos\gamma_k`.
  Encoded, ":math:`\approx1`" read as :math:`\cos\gamma_i\ge0.95` (angles below 18°), at a quarter
  of the run and at its end: :math:`\min_{t\in\{T/4,T\}}\min_{i\le k}\cos\gamma_i(t)\ge0.95`.

Both thresholds are fixed before looking at any run; neither is fitted.  Not encoded: the 15 %
random-label panels (b).  For Fig. 1(b) ("the surviving eigenvalues of :math:`M_t` are at least an
order of magnitude below the top ones of :math:`H_f`") this linear model at the paper's 10 000
iterations gives :math:`\lambda_1(M_T)/\lambda_1(H_f)` of 0.07-0.09 at :math:`k=10,d=50` but
0.3-0.9 at :math:`d=20`, and each run costs 0.3 s; see ``docs/figures/li2019/README.md`` for the
network, where the ratio has median 1.01 over 5 runs.

Evidence
--------
* ``exact``: seeded runs over the six :math:`(k,d)` settings plus the paper's point
  (:math:`k=10,d=50`, seed 0).  Each run is trained once and shared by both claims (cached).
* ``property``: Hypothesis over the setting and the seed (few examples: each is a training run).
* Can fail: the same conclusions evaluated at :math:`t=0` instead of the end (before SGD has
  moved) are refuted on every instance (ratio ≈ 2, min cosine ≈ 0.2-0.8); so is a 10 % tighter
  bound (``tests/catalogue/test_mutation.py``).

No symbolic check: figure-level trends at the end of trained SGD runs (H_p ≈ −H_f, aligned top
  subspaces); the identities behind them are derived in ``li2019.eq18`` and ``li2019.table1``.

References
----------
[li2019hessian, Section 4.1 (Figure 1 and the text after it), Section 4.2 (Figure 2, Eq. (13));
Appendix A.1, Table 2].
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source
from verifythm.claims.inputs import INT
from verifythm.linalg.angles import principal_cosines, top_eigenspace
from verifythm.models.classification import SoftmaxRegression

N = 100
BATCH = 5
ETA = 0.1
STEPS = 400
INIT_STD = 0.1
#: (k, d): classes and input dimension; (10, 50) is the paper's Gauss-10.
SETTINGS = ((2, 20), (2, 50), (5, 20), (5, 50), (10, 20), (10, 50))
#: Fig. 1(a): H_p agrees with −H_f to this relative Frobenius error at the end of training.
HP_AGREEMENT = 0.9
#: Fig. 2(a): "cos γ_i ≈ 1" read as cos γ_i at least this (γ_i below 18°).
COS_MIN = 0.95
#: Fig. 2: the top (k + EXTRA)-dimensional eigenspaces are compared (15 for 10 classes).
EXTRA = 5

SOURCE1 = Source("li2019hessian", "Figure 1(a) and Section 4.1")
SOURCE2 = Source("li2019hessian", "Figure 2(a) and Section 4.2")


def gauss_k(k: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-k with true labels: ``n/k`` points per class, features scaled to mean square 1."""
    rng = np.random.default_rng([20190601, k, d, seed])
    centres = rng.uniform(-10.0, 10.0, size=(k, d))
    y = np.repeat(np.arange(k), N // k)
    X = centres[y] + rng.standard_normal((y.size, d))
    return X / np.sqrt(np.mean(X**2)), y


@functools.lru_cache(maxsize=64)
def _run(k: int, d: int, seed: int) -> dict[int, np.ndarray]:
    r"""Constant-step SGD from a seeded start; the iterates at :math:`t=0, T/4, T`.

    The step is :math:`\theta\leftarrow\theta-\eta\frac1B\sum_{i\in\text{batch}}\nabla f_i(\theta)`,
    with the gradient :math:`(\operatorname{softmax}(Wx_i)-e_{y_i})x_i^T` of
    :class:`~verifythm.models.SoftmaxRegression` written out for the batch (the model's own
    per-sample gradients give the same values; the loop is the hot path).
    """
    X, y = gauss_k(k, d, seed)
    Y = np.eye(k)[y]
    rng = np.random.default_rng([20190602, k, d, seed])
    W = INIT_STD * rng.standard_normal((k, d))
    batches = rng.integers(0, X.shape[0], size=(STEPS, BATCH))
    keep = {0, STEPS // 4, STEPS}
    out = {}
    for t in range(STEPS + 1):
        if t in keep:
            out[t] = W.ravel().copy()
        if t == STEPS:
            break
        Xb = X[batches[t]]
        z = Xb @ W.T
        s = np.exp(z - z.max(axis=1, keepdims=True))
        s /= s.sum(axis=1, keepdims=True)
        W = W - ETA * (s - Y[batches[t]]).T @ Xb / BATCH
    return out


def matrices(k: int, d: int, theta: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Exact :math:`(H_f, M_t, H_p)` at ``theta`` on the run's data; :math:`H_p=M_t-H_f` (Prop. 1)."""
    X, y = gauss_k(k, d, seed)
    model = SoftmaxRegression(d, k)
    Hf = model.hessian(theta, X)
    G = model.per_sample_grads(theta, X, y)
    M = G.T @ G / X.shape[0]
    return Hf, M, M - Hf


def _iterate(inst: dict[str, Any], when: str) -> tuple[int, int, int, np.ndarray]:
    k, d, seed = inst["k"], inst["d"], inst["seed"]
    if (inst["n"], inst["B"], inst["T"]) != (N, BATCH, STEPS):
        raise ValueError("only the paper's regime n = 100, B = 5, T = 400 is implemented")
    t = {"start": 0, "quarter": STEPS // 4, "end": STEPS}[when]
    return k, d, seed, _run(k, d, seed)[t]


def hp_agreement(inst: dict[str, Any], when: str = "end") -> float:
    r""":math:`1-\|H_p+H_f\|_F/\|H_f\|_F` at the iterate ``when`` (1: :math:`H_p=-H_f` exactly)."""
    k, d, seed, theta = _iterate(inst, when)
    Hf, _, Hp = matrices(k, d, theta, seed)
    return 1.0 - float(np.linalg.norm(Hp + Hf) / np.linalg.norm(Hf))


def top_cosines(inst: dict[str, Any], when: str) -> np.ndarray:
    r""":math:`\cos\gamma_1\ge\dots` for the top-:math:`(k+5)` eigenspaces of :math:`H_f` and :math:`M_t`."""
    k, d, seed, theta = _iterate(inst, when)
    Hf, M, _ = matrices(k, d, theta, seed)
    q = min(k + EXTRA, k * d)
    _, U = top_eigenspace(Hf, q)
    _, V = top_eigenspace(M, q)
    return principal_cosines(U, V)


def fig1_conclusion(inst: dict[str, Any]) -> Comparison:
    """Fig. 1(a): agreement of H_p with −H_f at the last iterate, against 0.9."""
    return Comparison(hp_agreement(inst), HP_AGREEMENT, ">=", "1 − ‖H_p + H_f‖_F/‖H_f‖_F at T", "0.9")


def fig2_conclusion(inst: dict[str, Any]) -> Comparison:
    """Fig. 2(a): the smallest of cos γ_1..γ_k at T/4 and T, against 0.95."""
    k = inst["k"]
    worst = min(float(top_cosines(inst, when)[:k].min()) for when in ("quarter", "end"))
    return Comparison(worst, COS_MIN, ">=", "min_{t∈{T/4,T}} min_{i≤k} cos γ_i(t)", "0.95")


def _generate(rng: np.random.Generator, count: int) -> list[dict[str, Any]]:
    """One seeded run per setting for every 60 requested instances (each instance is a training run)."""
    reps = max(1, count // 60)
    seeds = rng.integers(1, 10_000, size=(reps, len(SETTINGS)))
    return [
        {"k": k, "d": d, "seed": int(seeds[r, j]), **_REGIME}
        for r in range(reps)
        for j, (k, d) in enumerate(SETTINGS)
    ]


_REGIME = {"n": N, "B": BATCH, "T": STEPS}
_PAPER_POINT = {"k": 10, "d": 50, "seed": 0, **_REGIME}

_instances = st.fixed_dictionaries(
    {
        "k": st.sampled_from((2, 5, 10)),
        "d": st.sampled_from((20, 30)),
        "seed": st.integers(0, 10_000),
        **{key: st.just(v) for key, v in _REGIME.items()},
    }
)

INPUTS = dict.fromkeys(("k", "d", "seed", "n", "B", "T"), INT)
_HYP = (
    Hypothesis(
        "Gauss-k, easily separated: k ∈ {2, …, 10} divides n = 100 and d ≥ 2k",
        lambda inst: 2 <= inst["k"] <= 10 and N % inst["k"] == 0 and inst["d"] >= 2 * inst["k"],
    ),
    Hypothesis(
        "the paper's SGD regime: n = 100, batch B = n/20 = 5, T = 400 iterations",
        lambda inst: (inst["n"], inst["B"], inst["T"]) == (N, BATCH, STEPS),
    ),
)


def _checks() -> tuple[ExactCheck, PropertyCheck]:
    return (
        ExactCheck("exact", _generate, fixed=[_PAPER_POINT]),
        PropertyCheck("property", _instances, max_examples=4),
    )


HP_NEAR_MINUS_HF = Claim(
    id="li2019.fig1.hp_near_minus_hf",
    title="Fig. 1(a): after SGD on clean Gauss-k, H_p(θ_T) agrees with −H_f(θ_T) to 10 % (Frobenius)",
    source=SOURCE1,
    statement=(
        r"SGD ($\eta=0.1$, batch 5 of $n=100$, $T=400$) on clean Gauss-$k$ with softmax regression: "
        r"$\|H_p(\theta_T)+H_f(\theta_T)\|_F\le0.1\,\|H_f(\theta_T)\|_F$, i.e. $H_p\approx-H_f$ because "
        r"$M_T=H_p+H_f$ has collapsed."
    ),
    hypotheses=_HYP,
    inputs=INPUTS,
    conclusion=fig1_conclusion,
    checks=_checks(),
)

TOP_SUBSPACES_ALIGNED = Claim(
    id="li2019.fig2.top_subspaces_aligned",
    title="Fig. 2(a): cos γ_1..γ_k of the top-(k+5) eigenspaces of H_f and M_t are ≈ 1 after a transient",
    source=SOURCE2,
    statement=(
        r"Same runs: at $t=T/4$ and $t=T$ the top-$k$ principal-angle cosines (Eq. (13)) between the "
        r"top-$(k+5)$ eigenspaces of $H_f(\theta_t)$ and $M_t$ are all at least 0.95 ($k=10$: the "
        r"paper's top-10 of top-15)."
    ),
    hypotheses=_HYP,
    inputs=INPUTS,
    conclusion=fig2_conclusion,
    checks=_checks(),
)

CLAIMS = [HP_NEAR_MINUS_HF, TOP_SUBSPACES_ALIGNED]
