r"""Li et al. (2019), Eqs. (14)–(16) and (64): the Fisher identity when labels follow the model.

Setting
-------
A classifier :math:`p(y|x,\theta)` with log-loss :math:`f=-\log p` (softmax regression,
Eq. (10) with linear logits).  Inputs :math:`x_1,\dots,x_n` are fixed; the labels are drawn
from the model itself, :math:`y\sim p(\cdot|x_i,\theta)` — the well-specified situation in
which :math:`\theta` is the true parameter :math:`\theta^*` of Section 4.3.

Statement
---------
Eq. (64): :math:`\mathbb E_y[\nabla^2p/p]=\sum_y\nabla^2p(y|x,\theta)=\nabla^2 1=0`, so by
Eq. (16) the two forms of the Fisher information agree, Eq. (15):
:math:`\mathbb E_y[\nabla f\nabla f^T]=\mathbb E_y[\nabla^2 f]`, i.e.
:math:`\frac1n\sum_i\sum_yp(y|x_i,\theta)\nabla f(\theta;x_i,y)\nabla f(\theta;x_i,y)^T=H_f(\theta)`
(for linear logits :math:`\nabla^2f` does not depend on :math:`y`).  This is the contrast
the paper draws with Proposition 1: with the *observed* labels the residual
:math:`H_p` does not vanish (``li2019.table1.*``, ``li2019.eq18``).

Evidence
--------
* ``symbolic``: binary logistic regression, :math:`p\,(1-p)^2+(1-p)\,p^2=p(1-p)`, times
  :math:`xx^T` (:math:`x\in\mathbb R^2`).
* ``exact``: softmax regression with :math:`k\in\{2,3,4\}` classes on seeded inputs and
  points: the label-averaged second moment from the per-label gradients against the
  analytic Hessian, relative tolerance :math:`10^{-9}`.
* ``property``: Hypothesis over inputs and points.

References
----------
[li2019hessian, Section 4.3, Eqs. (14)–(16); Appendix B.3, Eqs. (60)–(64)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, Comparison, Hypothesis, Identity, Source
from verifythm.claims.common import matrix_equal, symbolic_exact_property
from verifythm.claims.inputs import INT, array
from verifythm.models import SoftmaxRegression
from verifythm.strategies.scalars import reals


def conclusion(inst: dict[str, Any]) -> Comparison:
    """E_y[∇f∇fᵀ] (labels from the model) against H_f."""
    X, th, k = inst["X"], inst["theta"], inst["k"]
    n = X.shape[0]
    model = SoftmaxRegression(X.shape[1], k)
    P = model.probabilities(th, X)
    F = np.zeros((th.size, th.size))
    for c in range(k):
        g = model.per_sample_grads(th, X, np.full(n, float(c)))
        F += (g * P[:, c][:, None]).T @ g / n
    return matrix_equal(F, model.hessian(th, X), "E_y[∇f∇fᵀ]", "H_f")


def _symbolic() -> list[Any]:
    import sympy as sp

    x = sp.Matrix(sp.symbols("x1 x2", real=True))
    t = sp.Matrix(sp.symbols("theta1 theta2", real=True))
    p = 1 / (1 + sp.exp(-(x.T * t)[0]))
    fisher = p * ((p - 1) * x) * ((p - 1) * x).T + (1 - p) * (p * x) * (p * x).T
    return [Identity(fisher, p * (1 - p) * x * x.T, "Σ_y p(y)·∇f∇fᵀ = p(1 − p)xxᵀ = ∇²f (logistic)")]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d, kc = int(rng.integers(1, 7)), int(rng.integers(1, 4)), int(rng.integers(2, 5))
        out.append(
            {
                "X": rng.standard_normal((n, d)),
                "theta": rng.standard_normal(kc * d) * (1 + 2 * (i % 2)),
                "k": kc,
            }
        )
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    n, d, kc = draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(2, 3))
    el = reals(-3, 3)
    return {
        "X": draw(hnp.arrays(float, (n, d), elements=el)),
        "theta": draw(hnp.arrays(float, (kc * d,), elements=el)),
        "k": kc,
    }


CLAIM = Claim(
    id="li2019.eq15",
    title="Labels drawn from the model: E_y[∇f∇fᵀ] = H_f (the population H_p vanishes)",
    source=Source("li2019hessian", "Section 4.3, Eqs. (14)-(16); Appendix B.3, Eq. (64)"),
    statement=(
        r"For $y\sim p(\cdot|x_i,\theta)$: $\mathbb E_y[\nabla^2p/p]=0$ and "
        r"$\frac1n\sum_i\mathbb E_y[\nabla f\nabla f^T]=H_f(\theta)$."
    ),
    hypotheses=(
        Hypothesis(
            "X, θ finite with matching shapes",
            lambda i: bool(
                np.all(np.isfinite(i["X"]))
                and np.all(np.isfinite(i["theta"]))
                and np.size(i["theta"]) == i["k"] * np.shape(i["X"])[1]
            ),
        ),
    ),
    conclusion=conclusion,
    inputs={"X": array(2), "theta": array(1), "k": INT},
    checks=symbolic_exact_property(
        _symbolic,
        _generate,
        _instances(),
        fixed=[{"X": np.array([[1.0]]), "theta": np.array([0.5, -0.5]), "k": 2}],
        max_examples=100,
    ),
    kind="identity",
)
