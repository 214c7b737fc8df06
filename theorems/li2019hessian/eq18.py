r"""Li et al. (2019), Eq. (18): at an interpolating least-squares solution, :math:`H_p=-H_f` and :math:`M=0`.

Setting
-------
Example 1 (Gaussian least squares, Eq. (17)) in the high-dimensional case :math:`n<p`,
design :math:`X\in\mathbb R^{n\times p}`, noise level :math:`\sigma>0`, and a solution
:math:`\hat\theta` with :math:`X\hat\theta=Y` (it exists when :math:`X` has full row rank).

Statement
---------
:math:`H_p(\hat\theta)=-\frac1{n\sigma^2}X^TX` and :math:`M(\hat\theta)=0`, hence
:math:`H_f(\hat\theta)=-H_p(\hat\theta)` and :math:`H_f(\hat\theta)\ne M(\hat\theta)` whenever
:math:`X\ne0`.

Evidence
--------
* ``symbolic``: the Table 1 rows at zero residual (per sample, :math:`x,\theta\in\mathbb R^2`).
* ``exact``: on seeded full-row-rank designs with :math:`n<p`, an interpolating
  :math:`\hat\theta` (minimum-norm solution plus a random null-space component);
  :math:`M` and :math:`H_p` computed from the Gaussian density by finite differences
  (:func:`theorems.li2019hessian.table1.from_density`), compared with
  :math:`(-X^TX/(n\sigma^2), 0)` relative to :math:`\|X^TX\|_F/(n\sigma^2)`; twice the change
  when the step is halved is the comparison's resolution (a gap within it decides nothing).
* ``property``: Hypothesis over designs, :math:`\hat\theta` and :math:`\sigma`, with
  :math:`Y:=X\hat\theta`.

References
----------
[li2019hessian, Example 1, Eq. (18); Appendix B.4.1, Eq. (67)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, Comparison, Hypothesis, Identity, Source, Tolerance
from verifythm.claims.common import symbolic_exact_property
from verifythm.strategies.scalars import reals

from .table1 import INPUTS, from_density


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``(M, H_p)`` at θ̂ (from the density) against ``(0, −XᵀX/(nσ²))``."""
    X = inst["X"]
    target = -X.T @ X / (X.shape[0] * inst["sigma"] ** 2)
    _, M, Hp = from_density("ls", inst)
    diff = float(np.hypot(np.linalg.norm(Hp - target), np.linalg.norm(M)))
    # the finite differences' own error, estimated by halving the step (as in Table 1): a gap
    # within it decides nothing (Comparison.unresolved); hunts at σ ≫ ‖X‖ reach that floor
    _, M2, Hp2 = from_density("ls", inst, step=0.5)
    res = 2.0 * float(np.hypot(np.linalg.norm(Hp - Hp2), np.linalg.norm(M - M2)))
    return Comparison(
        diff, 0.0, "==", "‖(M, H_p + XᵀX/(nσ²))‖_F", "0", scale=float(np.linalg.norm(target)), resolution=res
    )


def _symbolic() -> list[Any]:
    import sympy as sp

    x = sp.Matrix(sp.symbols("x1 x2", real=True))
    th = list(sp.symbols("theta1 theta2", real=True))
    s = sp.Symbol("sigma", positive=True)
    z = (x.T * sp.Matrix(th))[0]
    y = sp.Symbol("y", real=True)
    dens = sp.exp(-((z - y) ** 2) / (2 * s**2)) / (sp.sqrt(2 * sp.pi) * s)
    f = -sp.log(dens)
    grad = sp.Matrix([sp.diff(f, v) for v in th])
    at = {y: z}  # zero residual
    Hp = (sp.hessian(dens, th) / dens).subs(at)
    return [
        Identity(Hp, -x * x.T / s**2, "H_p = −xxᵀ/σ² at zero residual"),
        Identity((grad * grad.T).subs(at), sp.zeros(2, 2), "∇f∇fᵀ = 0 at zero residual"),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(k):
        p = int(rng.integers(2, 6))
        n = int(rng.integers(1, p))
        X = rng.standard_normal((n, p))
        pinv = np.linalg.pinv(X)
        th = pinv @ rng.standard_normal(n) + (np.eye(p) - pinv @ X) @ rng.standard_normal(p)
        out.append({"X": X, "y": X @ th, "theta": th, "sigma": float(10 ** rng.uniform(-0.3, 0.5))})
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    p = draw(st.integers(2, 4))
    n = draw(st.integers(1, p - 1))
    el = reals(-2, 2)
    X = draw(hnp.arrays(float, (n, p), elements=el))
    th = draw(hnp.arrays(float, (p,), elements=el))
    return {"X": X, "y": X @ th, "theta": th, "sigma": draw(st.floats(0.5, 3.0))}


_HYP = (
    Hypothesis(
        "n < p, σ > 0 and Xθ̂ = Y (interpolation)",
        lambda inst: bool(
            np.all(np.isfinite(inst["X"]))
            and np.shape(inst["X"])[0] < np.shape(inst["X"])[1]
            and inst["sigma"] > 0
            and np.allclose(np.asarray(inst["X"]) @ np.asarray(inst["theta"]), inst["y"], rtol=0, atol=1e-12)
        ),
    ),
)

CLAIM = Claim(
    id="li2019.eq18",
    title="Interpolating least squares: H_p(θ̂) = −XᵀX/(nσ²) and M(θ̂) = 0",
    source=Source("li2019hessian", "Example 1, Eq. (18)"),
    statement=(
        r"If $n<p$ and $X\hat\theta=Y$ then $H_p(\hat\theta)=-\frac1{n\sigma^2}X^TX$ and $M(\hat\theta)=0$, "
        r"so $H_f(\hat\theta)=-H_p(\hat\theta)\ne M(\hat\theta)$."
    ),
    hypotheses=_HYP,
    conclusion=conclusion,
    inputs=INPUTS,
    checks=symbolic_exact_property(
        _symbolic,
        _generate,
        _instances(),
        fixed=[
            {
                "X": np.array([[1.0, 1.0]]),
                "y": np.array([1.0]),
                "theta": np.array([1.0, 0.0]),
                "sigma": 1.0,
            }
        ],
        max_examples=60,
    ),
    tolerance=Tolerance(rtol=1e-6, atol=1e-9),
    kind="closed_form",
)
