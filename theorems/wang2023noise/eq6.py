r"""Wang & Wu (2023), Eq. (6): square-loss Hessian = :math:`G` + residual term; :math:`H=G` at interpolation.

Setting
-------
Data :math:`\{(x_i,y_i)\}_{i\le n}`, a model :math:`f(\cdot;\theta)` twice differentiable in
:math:`\theta\in\mathbb R^p`, :math:`\ell_i=\frac12(f(x_i;\theta)-y_i)^2`,
:math:`\mathcal L=\frac1n\sum_i\ell_i`, :math:`H=\nabla^2\mathcal L`, empirical Fisher
:math:`G=\frac1n\sum_i\nabla f(x_i;\theta)\nabla f(x_i;\theta)^T` (§2, "Problem Setup").

Statement
---------
1. Eq. (6): :math:`H(\theta)=G(\theta)+\frac1n\sum_i(f(x_i;\theta)-y_i)\nabla^2f(x_i;\theta)` at every θ
   (``wang2023.eq6``); for linear regression the second term vanishes, :math:`H=G=\frac1n\sum_ix_ix_i^T`.
2. At a global minimum θ* that interpolates (every residual zero, :math:`\mathcal L(\theta^*)=0`),
   :math:`H(\theta^*)=G(\theta^*)` (``wang2023.eq6.minima``).  Scope: "global minima" must be read as
   interpolating ones — at a non-interpolating global minimum :math:`H\ne G` in general: :math:`f(x;\theta)=
   \theta^2x`, one sample :math:`(x,y)=(1,-1)`, :math:`\mathcal L=\frac12(\theta^2+1)^2` is minimal at
   :math:`\theta=0` where :math:`G=0` but :math:`H=2`.

Evidence
--------
Encoding: the left side is computed from loss values only: :math:`u^THv` by complex-step differentiation along
:math:`u` (:math:`\partial_u\mathcal L(\theta)=\mathrm{Im}\,\mathcal L(\theta+i\tau u)/\tau`, exact to
rounding, :math:`\tau=10^{-30}`) and a Richardson-extrapolated central difference along :math:`v` (error
:math:`O(h^4)`; extrapolated twice, and the gap of the two is the comparison's resolution, so a step that does
not resolve the loss — inputs ×10³ — leaves the instance unresolved, not a counterexample). The right side
uses the models' own Jacobians and output Hessians (:mod:`verifythm.models`).  Three random unit pairs
:math:`(u,v)` per instance: a nonzero symmetric discrepancy is seen by a random bilinear form with probability
one.  Models: linear regression, diagonal linear networks (:math:`\alpha^2-\beta^2` and :math:`u\odot v`),
deep linear networks (depth 1–3), random tanh features, and the §3.2 two-layer network with tanh activation
(nonzero :math:`\nabla^2f` with cross-layer or block terms); points at random θ with noisy labels, near and at
interpolating minima, and with one residual shifted by 100.

* ``symbolic``: both items for *arbitrary* functions :math:`f_1,f_2` of :math:`\theta\in\mathbb R^3` (sympy
  undefined functions; item 2 substitutes :math:`y_i=f_i(\theta)` after differentiating).
* ``exact``: seeded instances of every model kind above, :math:`n\le12`, :math:`d\le6`, :math:`p\le30`.
* ``property``: Hypothesis over the same kinds (:math:`n\le6`, :math:`d\le4`, width ≤ 3), entries in
  :math:`[-2,2]`.  Weakened by 10 % (right side moved by 10 % of :math:`\|G\|+\|R\|`): counterexample.

References
----------
[wang2023noise, Section 2, Eq. (6) and the sentences after it].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import array
from verifythm.models import (
    DeepLinearNetwork,
    DiagonalLinearNetwork,
    LinearRegression,
    Model,
    RandomFeatureModel,
    TwoLayerNetwork,
)
from verifythm.strategies import reals

from ._common import KEY

SOURCE = Source(KEY, "Section 2, Eq. (6)")
KINDS = ("linear", "diagonal", "diagonal_product", "deep_linear", "two_layer_tanh", "features_tanh")
TAU, PAIRS = 1e-30, 3


def model_of(inst: dict[str, Any]) -> Model:
    """The model named by ``inst["kind"]`` (one of ``KINDS``) with parameters ``inst["aux"]``."""
    kind, d = str(inst["kind"]), np.asarray(inst["X"]).shape[1]
    aux = np.asarray(inst["aux"], float)
    if kind == "linear":
        return LinearRegression(d)
    if kind in ("diagonal", "diagonal_product"):
        return DiagonalLinearNetwork(d, "squares" if kind == "diagonal" else "product")
    if kind == "deep_linear":
        return DeepLinearNetwork(d, [int(w) for w in aux])
    if kind == "two_layer_tanh":
        return TwoLayerNetwork(d, aux, "tanh")
    return RandomFeatureModel(aux.reshape(-1, d), "tanh")


def _bilinear_fd(
    model: Model, X: np.ndarray, y: np.ndarray, theta: np.ndarray, u: Any, v: Any
) -> tuple[float, float]:
    """uᵀ∇²L(θ)v from loss values, and its error estimate.

    Complex step along u, Richardson central difference along v, extrapolated from steps
    (h, h/2) and (h/2, h/4); the finer one is returned and its gap to the coarser one (about
    16 times less accurate where the steps resolve the loss) is the error estimate.  The step
    follows the loss's length scale, shorter for large θ or inputs.
    """

    def dL(t: float) -> float:
        f = model._predict(theta + t * v + 1j * TAU * u, X)
        return float(np.imag(0.5 * np.mean((f - y) ** 2))) / TAU

    size = max(1.0, float(np.abs(theta).max(initial=0.0)))
    h = 1e-3 * size / max(1.0, float(np.abs(X).max(initial=0.0)))
    D = [(dL(s) - dL(-s)) / (2 * s) for s in (h, h / 2, h / 4)]
    coarse, fine = (4 * D[1] - D[0]) / 3, (4 * D[2] - D[1]) / 3
    if h / 4 < 1e4 * np.finfo(float).eps * size:  # the step is lost in θ's rounding
        return fine, np.inf
    return fine, abs(fine - coarse)


def _unit(w: Any) -> np.ndarray:
    w = np.asarray(w, float)
    norm = float(np.linalg.norm(w))
    return w / norm if norm > 0 else w


def _sides(inst: dict[str, Any], with_residual: bool) -> Comparison:
    model = model_of(inst)
    X, y, th = inst["X"], inst["y"], inst["theta"]
    n = X.shape[0]
    J = model.jacobian(th, X)
    e = model.predict(th, X) - y
    G = J.T @ J / n
    R = np.einsum("i,ipq->pq", e / n, model.output_hessians(th, X)) if with_residual else 0 * G
    # the probes are directions: normalised, so the error is on the scale of G + R
    pairs = [(_unit(u), _unit(v)) for u, v in zip(inst["U"], inst["V"], strict=True)]
    err, res = 0.0, 0.0
    for u, v in pairs:
        hv, dv = _bilinear_fd(model, X, y, th, u, v)
        err, res = max(err, abs(hv - float(u @ (G + R) @ v))), max(res, dv)
    scale = float(np.linalg.norm(G, 2) + np.linalg.norm(R, 2))
    rhs = "uᵀ(G + (1/n)Σ e_i∇²f_i)v" if with_residual else "uᵀGv"
    return Comparison(err, 0.0, "==", f"max |uᵀHv − {rhs}|", "0", scale=scale, resolution=res)


def decomposition(inst: dict[str, Any]) -> Comparison:
    """Eq. (6): ∇²L against G + (1/n)Σ e_i∇²f(x_i), on random bilinear forms."""
    return _sides(inst, with_residual=True)


def at_minimum(inst: dict[str, Any]) -> Comparison:
    """∇²L against G at an interpolating point."""
    return _sides(inst, with_residual=False)


def _instance(draw: Any, kind: int, n: int, d: int, width: int, minimum: bool) -> dict[str, Any]:
    """One instance from a source ``draw(shape, lo, hi)`` of uniform arrays (numpy or Hypothesis)."""
    aux = {
        "deep_linear": np.array([1 + width % 3] * (width % 3), float),
        "two_layer_tanh": np.where(draw((width,), -1, 1) >= -0.5, 1.0, -1.0),  # ±1, never 0
        "features_tanh": draw((width * d,), -2, 2),
    }.get(KINDS[kind], np.zeros(0))
    inst = {"kind": KINDS[kind], "aux": aux, "X": draw((n, d), -2, 2), "n": n, "d": d}
    model = model_of(inst)
    p = inst["p"] = model.num_params
    inst["theta"] = draw((p,), -2, 2)
    f = model.predict(inst["theta"], inst["X"])
    inst["y"] = f if minimum else f + draw((n,), -3, 3)
    for key in ("U", "V"):
        W = draw((PAIRS, p), -1, 1) + 1e-3  # never the zero vector
        inst[key] = W / np.linalg.norm(W, axis=1, keepdims=True)
    return inst


def _generator(minimum: bool) -> Any:
    def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        def draw(shape: tuple[int, ...], lo: float, hi: float) -> np.ndarray:
            return rng.uniform(lo, hi, shape) * (1.0 if hi <= 1 else float(rng.choice([0.5, 1.0])))

        out = []
        for i in range(k):
            n, d, w = int(rng.integers(1, 13)), int(rng.integers(1, 7)), int(rng.integers(1, 6))
            inst = _instance(draw, i % len(KINDS), n, d, w, minimum)
            if not minimum and i % 5 == 4:  # one outlier residual of size ~100
                inst["y"][0] += 100.0 * rng.choice([-1.0, 1.0])
            if not minimum and i % 5 == 3:  # near an interpolating minimum
                model = model_of(inst)
                inst["y"] = model.predict(inst["theta"], inst["X"])
                inst["theta"] = inst["theta"] + 1e-3 * rng.standard_normal(inst["theta"].shape)
            out.append(inst)
        return out

    return generate


def _strategy(minimum: bool) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(data: Any) -> dict[str, Any]:
        def draw(shape: tuple[int, ...], lo: float, hi: float) -> np.ndarray:
            size = int(np.prod(shape))
            vals = data(st.lists(reals(lo, hi), min_size=size, max_size=size))
            return np.asarray(vals, float).reshape(shape)

        kind = data(st.integers(0, len(KINDS) - 1))
        n, d, w = data(st.integers(1, 6)), data(st.integers(1, 4)), data(st.integers(1, 3))
        return _instance(draw, kind, n, d, w, minimum)

    return build()


def _symbolic(minimum: bool) -> Any:
    def obligations() -> list[Any]:
        import sympy as sp

        th = sp.symbols("theta1:4")
        ys = sp.symbols("y1:3")
        fs = [sp.Function(f"f{i}")(*th) for i in (1, 2)]
        n = len(fs)
        L = sum((f - y) ** 2 for f, y in zip(fs, ys, strict=True)) / (2 * n)
        H = sp.hessian(L, th)
        G = sp.zeros(3)
        R = sp.zeros(3)
        for f, y in zip(fs, ys, strict=True):
            g = sp.Matrix([sp.diff(f, t) for t in th])
            G += g * g.T / n
            R += (f - y) * sp.hessian(f, th) / n
        if minimum:
            return [Identity(H.subs(dict(zip(ys, fs, strict=True))), G, "H = G where y_i = f_i(θ)")]
        return [Identity(H, G + R, "∇²L = G + (1/n)Σ(f_i − y_i)∇²f_i for arbitrary f_i (n = 2, p = 3)")]

    return obligations


def _finite(inst: dict[str, Any]) -> bool:
    return all(bool(np.all(np.isfinite(inst[k]))) for k in INPUTS)


def _interpolates(inst: dict[str, Any]) -> bool:
    e = model_of(inst).predict(inst["theta"], inst["X"]) - inst["y"]
    return bool(np.all(e == 0))


# model_of keeps its own reading: the generators call it on instances being built
INPUTS = {"X": array(), "y": array(), "theta": array(), "aux": array()}
_TOL = Tolerance(rtol=1e-6, atol=1e-12)
_FIN = Hypothesis("finite data, labels, point; f twice differentiable (smooth models only)", _finite)

DECOMPOSITION = Claim(
    id="wang2023.eq6",
    title="H(θ) = G(θ) + (1/n)Σ_i (f(x_i;θ) − y_i)∇²f(x_i;θ) for the square loss (Eq. (6))",
    source=SOURCE,
    statement=r"$H(\theta)=G(\theta)+\frac1n\sum_{i=1}^n(f(x_i;\theta)-y_i)\nabla^2f(x_i;\theta)$, "
    r"$G=\frac1n\sum_i\nabla f(x_i;\theta)\nabla f(x_i;\theta)^T$.",
    hypotheses=(_FIN,),
    conclusion=decomposition,
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", _symbolic(False)),
        ExactCheck("exact", _generator(False)),
        PropertyCheck("property", _strategy(False), max_examples=40),
    ),
    tolerance=_TOL,
    kind="identity",
)

MINIMA = Claim(
    id="wang2023.eq6.minima",
    title="H(θ*) = G(θ*) at an interpolating minimum (all residuals zero; §2 after Eq. (6))",
    source=SOURCE,
    statement=r"If $f(x_i;\theta^*)=y_i$ for all $i$ ($\mathcal L(\theta^*)=0$), then "
    r"$H(\theta^*)=G(\theta^*)$.",
    hypotheses=(_FIN, Hypothesis("θ interpolates: every residual is exactly 0", _interpolates)),
    conclusion=at_minimum,
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", _symbolic(True)),
        ExactCheck("exact", _generator(True)),
        PropertyCheck("property", _strategy(True), max_examples=40),
    ),
    tolerance=_TOL,
    kind="identity",
)

CLAIMS = [DECOMPOSITION, MINIMA]
