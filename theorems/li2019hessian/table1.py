r"""Li et al. (2019), Table 1: :math:`H_f`, :math:`M_t`, :math:`H_p` for least squares and logistic models.

Setting
-------
Data :math:`(x_i,y_i)`, :math:`x_i\in\mathbb R^p`, :math:`i=1,\dots,n`, log-loss
:math:`f(\theta;z_i)=-\log p(y_i|x_i,\theta)` and :math:`H_p=\frac1n\sum_i\nabla^2p_i/p_i`
(Proposition 1).  Two models (Table 1, Appendix B.4):

* least squares: :math:`p(y|x,\theta)=\frac1{\sqrt{2\pi}\sigma}e^{-(x^T\theta-y)^2/(2\sigma^2)}`;
* binary logistic regression, :math:`y\in\{0,1\}`:
  :math:`p(y|x,\theta)=(1+e^{-x^T\theta})^{-y}(1+e^{x^T\theta})^{-(1-y)}`, i.e.
  :math:`p_\theta(x)=1/(1+e^{-x^T\theta})` as in Eq. (19), and
  :math:`\sigma_\theta(x)=p_\theta(x)(1-p_\theta(x))`.

Statement
---------
Least squares: :math:`H_f=\frac1{n\sigma^2}X^TX`,
:math:`M_t=\frac1{n\sigma^4}\sum_i(x_i^T\theta_t-y_i)^2x_ix_i^T`,
:math:`H_p=\frac1{n\sigma^4}\sum_i[(x_i^T\theta_t-y_i)^2-\sigma^2]x_ix_i^T`.
Logistic: :math:`H_f=\frac1n\sum_i\sigma_{\theta_t}(x_i)x_ix_i^T`,
:math:`M_t=\frac1n\sum_i(p_{\theta_t}(x_i)-y_i)^2x_ix_i^T`,
:math:`H_p=\frac1n\sum_i[(p_{\theta_t}(x_i)-y_i)^2-\sigma_{\theta_t}(x_i)]x_ix_i^T`.

Typo (not a claim): Appendix B.4.2 (line 963 of the rendering) defines
:math:`p_\theta(x_i)=(1+\exp x_i^T\theta)^{-1}`, the opposite sign to Eq. (19); the loss
written right after it, and Table 1, use :math:`p_\theta(x)=1/(1+e^{-x^T\theta})`, which is
what is encoded.  With the B.4.2 sign the gradient :math:`\frac1n\sum_i(p_\theta-y_i)x_i`
would have the wrong sign.

Evidence
--------
* ``symbolic``: per sample (the :math:`\frac1n\sum_i` is linear), with symbolic
  :math:`x,\theta\in\mathbb R^2`, :math:`y` and :math:`\sigma>0` (least squares), or
  :math:`y\in\{0,1\}` substituted (logistic): the three rows from
  :math:`-\log p`, :math:`\nabla f\nabla f^T` and :math:`\nabla^2p/p` by sympy.
* ``exact``: on seeded data, the three table rows against :math:`H_f`, :math:`M` and
  :math:`H_p` computed from the density alone by Richardson-extrapolated finite
  differences (relative tolerance :math:`10^{-6}`).
* ``property``: Hypothesis over data, labels, :math:`\theta` and :math:`\sigma`.

References
----------
[li2019hessian, Table 1; Examples 1–2; Appendix B.4].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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
from verifythm.claims.inputs import REAL, array
from verifythm.strategies.scalars import reals

from ._util import fd_gradient, fd_hessian

SOURCE = Source("li2019hessian", "Table 1; Appendix B.4")
TOL = Tolerance(rtol=1e-6, atol=1e-9)
#: How the Table 1 claims, and the modules built on :func:`table` and :func:`from_density`, read an instance.
INPUTS = {"X": array(2), "y": array(1), "theta": array(1), "sigma": REAL}


def _log_density(model: str, x: np.ndarray, y: float, sigma: float):
    if model == "ls":
        return lambda t: -((x @ t - y) ** 2) / (2 * sigma**2) - np.log(np.sqrt(2 * np.pi) * sigma)
    return lambda t: -y * np.logaddexp(0.0, -(x @ t)) - (1 - y) * np.logaddexp(0.0, x @ t)


def _steps(model: str, inst: dict[str, Any]) -> np.ndarray:
    """Per-sample finite-difference steps (``step=1``): 10⁻² of the density's length scale."""
    X, y, th = inst["X"], inst["y"], inst["theta"]
    h = 1e-2 / (1.0 + np.linalg.norm(X, axis=1))
    if model == "ls":
        sigma = inst.get("sigma", 1.0)
        h = h * min(sigma, 1.0) / (1.0 + np.abs(X @ th - y) / sigma)
    return h


def from_density(
    model: str, inst: dict[str, Any], step: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(H_f, M, H_p)`` from the per-sample density by finite differences only.

    The step is ``step`` times 10⁻² of the density's length scale along ``x_i``: σ over
    ``(1 + ‖x_i‖)(1 + |x_iᵀθ − y_i|/σ)`` for least squares (the Gaussian's log-density has
    gradient ``x_i r_i/σ²``), ``1/(1 + ‖x_i‖)`` for the logistic model.
    """
    X, y, th, sigma = inst["X"], inst["y"], inst["theta"], inst.get("sigma", 1.0)
    n, p = X.shape
    Hf, M, Hp = np.zeros((p, p)), np.zeros((p, p)), np.zeros((p, p))
    steps = _steps(model, inst)
    for i in range(n):
        logp = _log_density(model, X[i], y[i], sigma)
        # shift by the value at θ so that p/p(θ) is O(1): H_p is invariant to the scale of p
        c = logp(th)

        def dens(t: np.ndarray, logp: Any = logp, c: float = c) -> float:
            return float(np.exp(logp(t) - c))

        h = step * float(steps[i])
        g = -fd_gradient(logp, th, h)
        Hf += -fd_hessian(logp, th, h) / n
        M += np.outer(g, g) / n
        Hp += fd_hessian(dens, th, h) / n
    return Hf, M, Hp


def table(model: str, inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three rows of Table 1 for ``model`` (``"ls"`` or ``"logistic"``)."""
    X, y, th = inst["X"], inst["y"], inst["theta"]
    n = X.shape[0]
    if model == "ls":
        s2 = inst["sigma"] ** 2
        r2 = (X @ th - y) ** 2
        return X.T @ X / (n * s2), (X.T * r2) @ X / (n * s2 * s2), (X.T * (r2 - s2)) @ X / (n * s2 * s2)
    pr = 1.0 / (1.0 + np.exp(-(X @ th)))
    sig = pr * (1 - pr)
    e2 = (pr - y) ** 2
    return (X.T * sig) @ X / n, (X.T * e2) @ X / n, (X.T * (e2 - sig)) @ X / n


def _conclusion(model: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        want = table(model, inst)
        scale = float(np.sqrt(sum(np.linalg.norm(b) ** 2 for b in want)))
        label = "‖(H_f, M, H_p) − Table 1‖_F"
        if not _smallest_step(model, inst) * 0.25 >= 1e4 * np.finfo(float).eps * _theta_size(inst):
            # the step is lost in θ's rounding (or zero): the differences say nothing
            return Comparison(np.nan, 0.0, "==", label, "0", scale=scale)
        got = from_density(model, inst)
        # the differences' own error, estimated from a second step: where the density varies
        # on a shorter scale than the step assumes, the two disagree and nothing is decided
        resolution = 2.0 * _distance(got, from_density(model, inst, step=0.5))
        return Comparison(_distance(got, want), 0.0, "==", label, "0", scale=scale, resolution=resolution)

    return conclusion


def _theta_size(inst: dict[str, Any]) -> float:
    return max(1.0, float(np.max(np.abs(inst["theta"]), initial=0.0)))


def _smallest_step(model: str, inst: dict[str, Any]) -> float:
    """The smallest finite-difference step :func:`from_density` takes (``step=1``)."""
    return float(np.min(_steps(model, inst), initial=np.inf))


def _distance(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> float:
    return float(np.sqrt(sum(np.linalg.norm(u - v) ** 2 for u, v in zip(a, b, strict=True))))


def _symbolic(model: str):
    def build() -> list[Any]:
        import sympy as sp

        x = sp.Matrix(sp.symbols("x1 x2", real=True))
        th = list(sp.symbols("theta1 theta2", real=True))
        t = sp.Matrix(th)
        z = (x.T * t)[0]
        out = []
        if model == "ls":
            y = sp.Symbol("y", real=True)
            s = sp.Symbol("sigma", positive=True)
            dens = sp.exp(-((z - y) ** 2) / (2 * s**2)) / (sp.sqrt(2 * sp.pi) * s)
            cases = [
                (
                    dens,
                    x * x.T / s**2,
                    (z - y) ** 2 * x * x.T / s**4,
                    ((z - y) ** 2 - s**2) * x * x.T / s**4,
                    "least squares",
                )
            ]
        else:
            pz = 1 / (1 + sp.exp(-z))
            cases = []
            for yv in (0, 1):
                dens = (1 + sp.exp(-z)) ** (-yv) * (1 + sp.exp(z)) ** (-(1 - yv))
                sig = pz * (1 - pz)
                cases.append(
                    (
                        dens,
                        sig * x * x.T,
                        (pz - yv) ** 2 * x * x.T,
                        ((pz - yv) ** 2 - sig) * x * x.T,
                        f"logistic, y = {yv}",
                    )
                )
        for dens, hf, m, hp, lab in cases:
            f = -sp.log(dens)
            grad = sp.Matrix([sp.diff(f, v) for v in th])
            out.append(Identity(sp.hessian(f, th), hf, f"H_f row ({lab})"))
            out.append(Identity(grad * grad.T, m, f"M row ({lab})"))
            out.append(Identity(sp.hessian(dens, th) / dens, hp, f"H_p row ({lab})"))
        return out

    return build


def _generate(model: str):
    def gen(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for _ in range(k):
            n, p = int(rng.integers(1, 6)), int(rng.integers(1, 4))
            X = rng.standard_normal((n, p))
            th = rng.standard_normal(p)
            if model == "ls":
                inst = {
                    "X": X,
                    "y": X @ th + rng.standard_normal(n),
                    "theta": th,
                    "sigma": float(10 ** rng.uniform(-0.3, 0.5)),
                }
            else:
                inst = {"X": X, "y": rng.integers(0, 2, size=n).astype(float), "theta": th}
            out.append(inst)
        return out

    return gen


def _strategy(model: str):
    @st.composite
    def draw_inst(draw: Any) -> dict[str, Any]:
        n, p = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        el = reals(-2, 2)
        X = draw(hnp.arrays(float, (n, p), elements=el))
        th = draw(hnp.arrays(float, (p,), elements=el))
        if model == "ls":
            y = draw(hnp.arrays(float, (n,), elements=el))
            return {"X": X, "y": y, "theta": th, "sigma": draw(st.floats(0.5, 3.0))}
        y = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)), dtype=float)
        return {"X": X, "y": y, "theta": th}

    return draw_inst()


_HYP = (
    Hypothesis(
        "X, y, θ finite with matching shapes (σ > 0 for least squares)",
        lambda inst: bool(
            np.all(np.isfinite(inst["X"]))
            and np.all(np.isfinite(inst["theta"]))
            and np.shape(inst["X"])[1] == np.size(inst["theta"])
            and np.size(inst["y"]) == np.shape(inst["X"])[0]
            and inst.get("sigma", 1.0) > 0
        ),
    ),
)


#: The logistic model of Eq. (19) has binary labels (the density is Bernoulli).
BINARY_LABELS = Hypothesis(
    "binary labels y_i ∈ {0, 1}",
    lambda inst: bool(np.all(np.isin(inst["y"], (0.0, 1.0)))),
)


def _claim(model: str, cid: str, title: str, statement: str, fixed: dict[str, Any]) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_HYP if model == "ls" else (*_HYP, BINARY_LABELS),
        conclusion=_conclusion(model),
        inputs=INPUTS,
        checks=(
            SymbolicCheck("symbolic", _symbolic(model)),
            ExactCheck("exact", _generate(model), fixed=[fixed]),
            PropertyCheck("property", _strategy(model), max_examples=60),
        ),
        tolerance=TOL,
        kind="closed_form",
    )


LEAST_SQUARES = _claim(
    "ls",
    "li2019.table1.least_squares",
    "Table 1, least-squares column: H_f, M_t and H_p in closed form",
    r"For the Gaussian model: $H_f=\frac{1}{n\sigma^2}X^TX$, "
    r"$M_t=\frac1{n\sigma^4}\sum_i(x_i^T\theta_t-y_i)^2x_ix_i^T$, "
    r"$H_p=\frac1{n\sigma^4}\sum_i[(x_i^T\theta_t-y_i)^2-\sigma^2]x_ix_i^T$.",
    {
        "X": np.array([[1.0, 0.0], [0.0, 2.0]]),
        "y": np.array([1.0, 0.0]),
        "theta": np.array([0.0, 1.0]),
        "sigma": 1.0,
    },
)

LOGISTIC = _claim(
    "logistic",
    "li2019.table1.logistic",
    "Table 1, logistic-regression column: H_f, M_t and H_p in closed form",
    r"For binary logistic regression: $H_f=\frac1n\sum_i\sigma_{\theta_t}(x_i)x_ix_i^T$, "
    r"$M_t=\frac1n\sum_i(p_{\theta_t}(x_i)-y_i)^2x_ix_i^T$, "
    r"$H_p=\frac1n\sum_i[(p_{\theta_t}(x_i)-y_i)^2-\sigma_{\theta_t}(x_i)]x_ix_i^T$.",
    {"X": np.array([[1.0, 0.0], [0.0, 2.0]]), "y": np.array([1.0, 0.0]), "theta": np.array([0.5, 1.0])},
)

CLAIMS = [LEAST_SQUARES, LOGISTIC]
