r"""Hypothesis strategies and seeded numpy generators for model problems (model + data + point θ).

Both :func:`problems` (a Hypothesis strategy) and :func:`random_problem` (a seeded
numpy generator for exact checks) produce a
:class:`~verifythm.models.SquareLossProblem` or
:class:`~verifythm.models.CrossEntropyProblem` through one shared builder, so the
two describe the same distribution of instances.  Under Hypothesis, for a fixed kind
and point, examples shrink towards one sample, input dimension one, depth one, width one
and zero entries; across kinds and points Hypothesis prefers instances with fewer
random choices (e.g. ``"minimum"`` before ``"random"``), not necessarily the first listed.

Model kinds (:data:`MODEL_KINDS`):

* square loss (:data:`SQUARE_KINDS`): ``linear`` (linear regression), ``diagonal``
  (:math:`F = \alpha^2-\beta^2`), ``diagonal_product`` (:math:`F = u\odot v`),
  ``deep_linear`` (depth 1–3 with random hidden widths), ``random_features`` (random
  Gaussian features, activation ReLU/leaky ReLU/tanh/softplus, scale 1 or
  :math:`m^{-1/2}`), ``random_relu`` (wu2022alignment Prop. 2.5: features on
  :math:`\sqrt d\,\mathbb S^{d-1}`, inputs on :math:`\mathbb S^{d-1}`, scale
  :math:`m^{-1/2}`), ``two_layer`` (wang2023noise §3.2, ±1 output weights, leaky ReLU
  or the smooth leaky activation);
* log-loss (:data:`CLASSIFICATION_KINDS`): ``logistic``, ``softmax``.

Every instance has a teacher θ* of the same model.  The point (:data:`POINTS`):

* ``"random"`` — θ drawn independently of θ*; square loss: labels
  :math:`f(x_i;\theta^*)` plus label noise (not realisable in general);
  classification: hard labels sampled from the teacher's probabilities;
* ``"minimum"`` — θ = θ* with realisable labels: square loss :math:`y_i = f(x_i;\theta^*)`
  (every residual is exactly zero, so :math:`H = G`); classification: soft labels equal
  to the teacher's probabilities, so every per-sample gradient is exactly zero;
* ``"near_minimum"`` — the data of ``"minimum"`` and θ = θ* + ε·v with
  :math:`\varepsilon\in[10^{-6}, 10^{-2}]` and a random direction ``v``;
* ``"adversarial"`` — one of three constructions (drawn): ``top`` / ``bottom``: realisable
  data and θ = θ* + t·v with ``v`` the eigenvector of the largest / smallest *positive*
  eigenvalue of the Fisher matrix at θ* (square loss: :math:`G(\theta^*)`; log-loss:
  :math:`H(\theta^*)`), :math:`|t|\in[0.5, 5]` — the loss is concentrated in the sharpest
  or the flattest non-trivial direction; ``outlier``: one sample's loss dominates —
  square loss: θ = θ*, realisable labels except one shifted by 10 to 1000;
  classification: θ = s·θ* (:math:`s\in[3, 30]`, confident predictions) with hard labels
  equal to the predicted class except one sample labelled with its least likely class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.linalg.validate import check_count
from verifythm.models import (
    Classifier,
    CrossEntropyProblem,
    DeepLinearNetwork,
    DiagonalLinearNetwork,
    LinearRegression,
    LogisticRegression,
    Model,
    Problem,
    RandomFeatureModel,
    SoftmaxRegression,
    SquareLossProblem,
    TwoLayerNetwork,
    leaky_relu,
    smooth_leaky,
)
from verifythm.strategies.draws import DrawSource, RngSource, Source

SQUARE_KINDS = (
    "linear",
    "diagonal",
    "diagonal_product",
    "deep_linear",
    "random_features",
    "random_relu",
    "two_layer",
)
"""Model kinds trained with the square loss."""

CLASSIFICATION_KINDS = ("logistic", "softmax")
"""Model kinds trained with the log-loss."""

MODEL_KINDS = SQUARE_KINDS + CLASSIFICATION_KINDS
"""All model kinds accepted by :func:`problems` and :func:`random_problem`."""

POINTS = ("random", "near_minimum", "minimum", "adversarial")
"""Kinds of point θ accepted by :func:`problems` and :func:`random_problem`."""

ADVERSARIAL_MODES = ("top", "bottom", "outlier")
"""Constructions behind ``at="adversarial"`` (see the module docstring)."""

_GROUPS = {"square": SQUARE_KINDS, "classification": CLASSIFICATION_KINDS}


# ---------------------------------------------------------------------- argument validation
def _resolve(value: str | Sequence[str] | None, allowed: tuple[str, ...], name: str) -> tuple[str, ...]:
    groups = _GROUPS if allowed == MODEL_KINDS else {}
    if value is None:
        return allowed
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Sequence) or len(items) == 0:
        raise ValueError(f"{name}: expected a name, a non-empty sequence of names or None, got {value!r}")
    out: list[str] = []
    for item in items:
        if isinstance(item, str) and item in groups:
            out.extend(groups[item])
        elif isinstance(item, str) and item in allowed:
            out.append(item)
        else:
            extra = f" or a group {tuple(groups)}" if groups else ""
            raise ValueError(f"{name}: unknown value {item!r}; choose from {allowed}{extra}")
    return tuple(dict.fromkeys(out))


# ---------------------------------------------------------------------- the shared builder
def _unit_rows(A: Array, radius: float = 1.0) -> Array:
    # divide by the largest entry first so that subnormal rows are normalised accurately
    peak = np.max(np.abs(A), axis=1, keepdims=True)
    A = A / np.where(peak > 0, peak, 1.0)
    norms = np.linalg.norm(A, axis=1, keepdims=True)
    e1 = np.zeros(A.shape[1])
    e1[0] = 1.0
    A = np.where(norms > 0, A / np.where(norms > 0, norms, 1.0), e1[None, :])
    return radius * A


def _size(src: Source, fixed: int | None, lo: int, hi: int) -> int:
    return fixed if fixed is not None else src.integer(lo, hi)


def _build_model(
    src: Source, kind: str, d: int, width: int | None, depth: int | None, num_classes: int | None, hi: int
) -> Model | Classifier:
    if kind == "linear":
        return LinearRegression(d)
    if kind in ("diagonal", "diagonal_product"):
        return DiagonalLinearNetwork(d, "squares" if kind == "diagonal" else "product")
    if kind == "deep_linear":
        L = _size(src, depth, 1, 3)
        hidden = [_size(src, width, 1, hi) for _ in range(L - 1)]
        return DeepLinearNetwork(d, hidden)
    if kind == "random_features":
        m = _size(src, width, 1, 2 * hi)
        act = src.choice(["relu", "tanh", "softplus", "leaky_relu"])
        scale = src.choice([1.0, 1.0 / np.sqrt(m)])
        return RandomFeatureModel(src.normal((m, d)), act, scale)
    if kind == "random_relu":
        m = _size(src, width, 1, 2 * hi)
        return RandomFeatureModel(_unit_rows(src.normal((m, d)), np.sqrt(d)), "relu", 1.0 / np.sqrt(m))
    if kind == "two_layer":
        m = _size(src, width, 1, hi)
        signs = np.where(src.uniforms(m) < 0.5, 1.0, -1.0)
        if src.choice(["leaky", "smooth"]) == "leaky":
            act = leaky_relu(src.uniform(0.05, 0.9))
        else:
            act = smooth_leaky(src.uniform(0.05, 0.9), 1.0)
        return TwoLayerNetwork(d, signs, act)
    if kind == "logistic":
        return LogisticRegression(d)
    return SoftmaxRegression(d, _size(src, num_classes, 2, 3))


def _eigendirection(M: Array, which: str) -> Array:
    w, V = np.linalg.eigh((M + M.T) / 2)
    if which == "top" or w[-1] <= 0:
        return V[:, -1]
    pos = np.flatnonzero(w > 1e-10 * w[-1])
    return V[:, pos[0]]


def _build(
    src: Source,
    kinds: tuple[str, ...],
    ats: tuple[str, ...],
    *,
    n: int | None = None,
    d: int | None = None,
    width: int | None = None,
    depth: int | None = None,
    num_classes: int | None = None,
    max_n: int = 6,
    max_dim: int = 4,
    max_width: int = 3,
) -> Problem:
    kind = src.choice(kinds)
    at = src.choice(ats)
    n_ = _size(src, n, 1, max_n)
    d_ = _size(src, d, 1, max_dim)
    model = _build_model(src, kind, d_, width, depth, num_classes, max_width)
    X = src.normal((n_, d_))
    if kind == "random_relu":
        X = _unit_rows(X)
    p = model.num_params
    theta_star = src.normal((p,))
    if isinstance(model, Model):
        return _square_problem(src, model, X, theta_star, at)
    return _classification_problem(src, model, X, theta_star, at)


_P = TypeVar("_P", bound=Problem)


def _at_point(
    src: Source,
    make: Callable[[Array, Array], _P],
    y_star: Array,
    theta_star: Array,
    at: str,
    noisy_labels: Callable[[], Array],
    outlier: Callable[[], _P],
) -> _P:
    """The point ``at`` shared by both losses; ``make(labels, theta)`` builds the problem.

    ``y_star`` are the realisable labels of the teacher θ*; ``noisy_labels`` draws the labels of
    ``"random"`` and ``outlier`` builds the adversarial ``outlier`` instance.
    """
    if at == "minimum":
        return make(y_star, theta_star)
    if at == "near_minimum":
        eps = src.loguniform(1e-6, 1e-2)
        return make(y_star, theta_star + eps * src.normal(theta_star.shape))
    if at == "random":
        return make(noisy_labels(), src.normal(theta_star.shape))
    mode = src.choice(ADVERSARIAL_MODES)
    if mode == "outlier":
        return outlier()
    F = make(y_star, theta_star).fisher
    t = src.choice([1.0, -1.0]) * src.uniform(0.5, 5.0)
    return make(y_star, theta_star + t * _eigendirection(F, mode))


def _square_problem(src: Source, model: Model, X: Array, theta_star: Array, at: str) -> SquareLossProblem:
    y = model.predict(theta_star, X)

    def make(labels: Array, theta: Array) -> SquareLossProblem:
        return SquareLossProblem(model, X, labels, theta)

    def outlier() -> SquareLossProblem:
        j = src.integer(0, y.size - 1)
        y_out = y.copy()
        y_out[j] += src.choice([1.0, -1.0]) * src.loguniform(10.0, 1000.0)
        return make(y_out, theta_star)

    return _at_point(src, make, y, theta_star, at, lambda: y + src.normal(y.shape), outlier)


def _sample_labels(P: Array, u: Array) -> Array:
    if P.ndim == 1:
        return (u < P).astype(float)
    cdf = np.cumsum(P, axis=1)
    return np.minimum((u[:, None] >= cdf).sum(axis=1), P.shape[1] - 1).astype(float)


def _classification_problem(
    src: Source, model: Classifier, X: Array, theta_star: Array, at: str
) -> CrossEntropyProblem:
    soft = model.probabilities(theta_star, X)

    def make(labels: Array, theta: Array) -> CrossEntropyProblem:
        return CrossEntropyProblem(model, X, labels, theta)

    def outlier() -> CrossEntropyProblem:
        theta = src.uniform(3.0, 30.0) * theta_star
        P = model.probabilities(theta, X)
        if P.ndim == 1:
            y = (P >= 0.5).astype(float)
        else:
            y = P.argmax(axis=1).astype(float)
        j = src.integer(0, X.shape[0] - 1)
        y[j] = (1.0 - y[j]) if P.ndim == 1 else float(P[j].argmin())
        return make(y, theta)

    def noisy_labels() -> Array:
        return _sample_labels(soft, src.uniforms(X.shape[0]))

    return _at_point(src, make, soft, theta_star, at, noisy_labels, outlier)


# ---------------------------------------------------------------------- public API
def problems(
    kind: str | Sequence[str] | None = None,
    at: str | Sequence[str] | None = None,
    *,
    max_n: int = 6,
    max_dim: int = 4,
    max_width: int = 3,
) -> st.SearchStrategy[Problem]:
    r"""Hypothesis strategy for a model with data and a point θ (see the module docstring).

    Parameters
    ----------
    kind
        A model kind from :data:`MODEL_KINDS`, a group (``"square"`` or
        ``"classification"``), a sequence of those, or ``None`` for every kind.
    at
        A point kind from :data:`POINTS`, a sequence of them, or ``None`` for all.
    max_n, max_dim, max_width
        Upper bounds on the number of samples, the input dimension and the hidden width
        (random-feature models use up to ``2 * max_width`` features).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Draws :class:`~verifythm.models.SquareLossProblem` or
        :class:`~verifythm.models.CrossEntropyProblem` instances.

    Raises
    ------
    ValueError
        Immediately, for an unknown kind or point, or bounds that are not integers >= 1.

    Examples
    --------
    >>> from hypothesis import given
    >>> @given(problems("linear", "minimum"))
    ... def test(problem):
    ...     assert problem.loss == 0.0
    >>> test()
    """
    kinds = _resolve(kind, MODEL_KINDS, "kind")
    ats = _resolve(at, POINTS, "at")
    mn, md, mw = (
        check_count(max_n, "max_n"),
        check_count(max_dim, "max_dim"),
        check_count(max_width, "max_width"),
    )

    @st.composite
    def _problems(draw: Any) -> Problem:
        return _build(DrawSource(draw), kinds, ats, max_n=mn, max_dim=md, max_width=mw)

    return _problems()


def random_problem(
    rng: np.random.Generator,
    kind: str = "linear",
    *,
    at: str = "random",
    n: int | None = None,
    d: int | None = None,
    width: int | None = None,
    depth: int | None = None,
    num_classes: int | None = None,
) -> Problem:
    r"""A seeded problem of the given kind at the given kind of point (numpy, no Hypothesis).

    Entries are standard normal; sizes not given are drawn from ``rng`` (``n`` in 1–12,
    ``d`` in 1–6, widths in 1–5, random features in 1–10, depth in 1–3, classes in 2–3).

    Parameters
    ----------
    rng
        The numpy generator (the only source of randomness).
    kind
        One of :data:`MODEL_KINDS`.
    at
        One of :data:`POINTS`.
    n, d
        Number of samples and input dimension.
    width
        Hidden width (``deep_linear``: every hidden layer; ``two_layer``: units) or number
        of features (``random_features``, ``random_relu``); ignored otherwise.
    depth
        Number of layers of ``deep_linear`` (ignored otherwise).
    num_classes
        Number of classes of ``softmax`` (ignored otherwise).

    Raises
    ------
    ValueError
        For an unknown ``kind``/``at``, a non-generator ``rng`` or sizes < 1 (classes < 2).

    Examples
    --------
    >>> import numpy as np
    >>> prob = random_problem(np.random.default_rng(0), "deep_linear", at="minimum", n=4, d=3, depth=2)
    >>> float(abs(prob.residuals).max())
    0.0
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy.random.Generator, got {type(rng).__name__}")
    if not isinstance(kind, str) or kind not in MODEL_KINDS:
        raise ValueError(f"kind: unknown model kind {kind!r}; choose one of {MODEL_KINDS}")
    if not isinstance(at, str) or at not in POINTS:
        raise ValueError(f"at: unknown point kind {at!r}; choose one of {POINTS}")
    sizes = {"n": n, "d": d, "width": width, "depth": depth}
    checked = {k: (None if v is None else check_count(v, k)) for k, v in sizes.items()}
    if num_classes is not None and (check_count(num_classes, "num_classes") < 2):
        raise ValueError(f"num_classes: expected an integer >= 2, got {num_classes!r}")
    return _build(
        RngSource(rng),
        (kind,),
        (at,),
        num_classes=num_classes,
        max_n=12,
        max_dim=6,
        max_width=5,
        **checked,
    )
