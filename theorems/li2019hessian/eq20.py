r"""Li et al. (2019), Eq. (20): logistic regression has :math:`-H_p = H_f - M \succeq 0` on separated data.

Setting
-------
Binary logistic regression (Eq. (19)), :math:`p_\theta(x)=1/(1+e^{-x^T\theta})`,
:math:`\sigma_\theta(x)=p_\theta(x)(1-p_\theta(x))`, labels :math:`y_i\in\{0,1\}`, and the
Table 1 forms of :math:`H_f`, :math:`M_t` and :math:`H_p` (``li2019.table1.logistic``).

Statement
---------
Eq. (20) asserts, near the optimum of separable data where
:math:`\sigma_{\theta_t}(x_i)\gg(p_{\theta_t}(x_i)-y_i)^2`, that
:math:`-H_p(\theta_t)\approx H_f(\theta_t)>M_t\approx0`.  The approximations are
qualitative; the inequality is encoded as the Loewner order under the exact condition
behind it: if :math:`(p_{\theta}(x_i)-y_i)^2\le\sigma_{\theta}(x_i)` for every :math:`i` —
equivalently, every sample is classified correctly, :math:`(2y_i-1)x_i^T\theta\ge0`, since
:math:`\sigma-(1-p)^2=(1-p)(2p-1)` for :math:`y=1` and :math:`\sigma-p^2=p(1-2p)` for
:math:`y=0` — then :math:`H_f-M=-H_p=\frac1n\sum_i(\sigma_i-(p_i-y_i)^2)x_ix_i^T\succeq0`.

Remark: the strict ">" of Eq. (20) cannot hold as a strict Loewner inequality in the
paper's high-dimensional case :math:`n<p`: :math:`H_f` and :math:`M` share the null space
of :math:`X`, so :math:`\lambda_{\min}(H_f-M)=0` exactly; those instances make the encoded
``⪰`` tight.

Evidence
--------
* ``symbolic``: the two label cases of :math:`\sigma-(p-y)^2` factor as above and are
  non-negative on the correctly classified side (parametrised by :math:`t\ge0`).
* ``exact``: :math:`\lambda_{\min}(H_f-M)\ge0` relative to :math:`\|H_f\|_2` on seeded
  separable data sets labelled by the sign of :math:`x_i^T\theta` (both :math:`n<p` and
  :math:`n\ge p`, including points far out along :math:`\theta`).
* ``property``: Hypothesis over data and :math:`\theta`, labels set by the sign.

References
----------
[li2019hessian, Example 2, Eq. (20); Table 1].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, Comparison, Hypothesis, Identity, Nonnegative, Source
from verifythm.claims.common import symbolic_exact_property
from verifythm.strategies.scalars import reals

from .table1 import BINARY_LABELS, INPUTS, table


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``λ_min(H_f − M)`` against 0 on the scale ``‖H_f‖₂``."""
    Hf, M, _ = table("logistic", inst)
    lam = float(np.linalg.eigvalsh(Hf - M)[0])
    return Comparison(lam, 0.0, ">=", "λ_min(H_f − M)", "0", scale=float(np.linalg.eigvalsh(Hf)[-1]))


def _symbolic() -> list[Any]:
    import sympy as sp

    p = sp.Symbol("p", positive=True)
    t = sp.Symbol("t", nonnegative=True)
    sig = p * (1 - p)
    p1 = (1 + 2 * t) / (2 * (1 + t))  # p ∈ [1/2, 1): a correctly classified y = 1
    p0 = 1 / (2 * (1 + t))  # p ∈ (0, 1/2]: a correctly classified y = 0
    return [
        Identity(sig - (p - 1) ** 2, (1 - p) * (2 * p - 1), "σ − (p − 1)² = (1 − p)(2p − 1)"),
        Identity(sig - p**2, p * (1 - 2 * p), "σ − p² = p(1 − 2p)"),
        Nonnegative(sp.factor((sig - (p - 1) ** 2).subs(p, p1)), "y = 1, p ≥ 1/2: σ − (p − 1)² ≥ 0"),
        Nonnegative(sp.factor((sig - p**2).subs(p, p0)), "y = 0, p ≤ 1/2: σ − p² ≥ 0"),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(1, 6))
        n = int(rng.integers(1, 8))
        X = rng.standard_normal((n, p))
        th = rng.standard_normal(p) * (3.0 if i % 3 == 0 else 1.0)
        y = (X @ th > 0).astype(float)
        out.append({"X": X, "y": y, "theta": th})
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    el = reals(-3, 3)
    X = draw(hnp.arrays(float, (n, p), elements=el))
    th = draw(hnp.arrays(float, (p,), elements=el))
    return {"X": X, "y": (X @ th > 0).astype(float), "theta": th}


_HYP = (
    Hypothesis(
        "finite data; every sample classified correctly: (2y_i − 1) x_iᵀθ ≥ 0",
        lambda inst: bool(
            np.all(np.isfinite(inst["X"]))
            and np.all(np.isfinite(inst["theta"]))
            and np.all(
                (2 * np.asarray(inst["y"]) - 1) * (np.asarray(inst["X"]) @ np.asarray(inst["theta"])) >= 0
            )
        ),
    ),
    BINARY_LABELS,
)

CLAIM = Claim(
    id="li2019.eq20",
    title="Logistic regression: H_f ⪰ M (−H_p ⪰ 0) when all samples are classified correctly",
    source=Source("li2019hessian", "Example 2, Eq. (20)"),
    statement=(
        r"If $(p_\theta(x_i)-y_i)^2\le\sigma_\theta(x_i)$ for all $i$ (all samples correctly classified) "
        r"then $-H_p(\theta)=H_f(\theta)-M(\theta)\succeq0$."
    ),
    hypotheses=_HYP,
    conclusion=conclusion,
    inputs=INPUTS,
    checks=symbolic_exact_property(
        _symbolic,
        _generate,
        _instances(),
        fixed=[{"X": np.array([[1.0, 0.0]]), "y": np.array([1.0]), "theta": np.array([2.0, 0.0])}],
        max_examples=80,
    ),
    kind="inequality",
)
