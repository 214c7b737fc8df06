r"""Wang & Wu (2023), Theorem 3.3, App. B.2 Eq. (9): min c/max c ≤ μ(θ) ≤ max c/min c on any data.

Setting
-------
Linear regression :math:`f(x;\theta)=\theta^Tx` on *any* data :math:`X\in\mathbb R^{n\times d}` (no input
zero) and targets :math:`y`, residuals :math:`e=X\theta-y`, :math:`c_i=\frac1n\sum_j(x_i^Tx_j)^2`.  By the
Gram form of Definition 3.1 (``wang2023.def3_1.gram_form``),
:math:`\mu(\theta)=\sum_ie_i^2c_i/(\sum_ie_i^2\,\bar c)`, a Rayleigh quotient of
:math:`\operatorname{diag}(c/\bar c)` over the residuals, so :math:`\inf_\theta\mu` and :math:`\sup_\theta\mu`
are extreme eigenvalues (exact).

Statement
---------
The deterministic step of the proof of Theorem 3.3 (its Eq. (9)):

* ``wang2023.thm3_3.deterministic_lower``: :math:`\min_ic_i/\max_ic_i\le\inf_\theta\mu`;
* ``wang2023.thm3_3.deterministic_upper``: :math:`\sup_\theta\mu\le\max_ic_i/\min_ic_i`.

Both are tight when all :math:`c_i` agree (orthogonal equal-norm inputs, :math:`n=1`).  The probabilistic
statement is ``wang2023.thm3_3``.

Evidence
--------
* ``exact``: exact :math:`\inf_\theta\mu`, :math:`\sup_\theta\mu` from
  :func:`~verifythm.quantities.directional.loss_alignment_extremes_theta` on seeded Gaussian/anisotropic/
  heavy-tailed data and arbitrary targets, plus equality cases.
* ``symbolic`` (Eq. (9)): the Gram form of μ (symbolic :math:`Q\in\mathbb R^{2\times3}`, :math:`e`, as in
  ``wang2023.def3_1``), then for :math:`n=2`, :math:`c_1=a\le c_2=a+b` and weights :math:`w_i=e_i^2`
  (positive symbols) :math:`\mu-c_1/c_2\ge0` and :math:`c_2/c_1-\mu\ge0` by sign.
* ``property``: Hypothesis over inputs from ``gradient_matrices`` (every rank-one kind, :math:`n,d\le8`) and
  arbitrary or realizable targets.

References
----------
[wang2023noise, Theorem 3.3; Appendix B.2, Eq. (9)].
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.common import finite
from verifythm.claims.inputs import array
from verifythm.quantities.directional import loss_alignment_extremes_theta
from verifythm.strategies import gradient_matrices, real_vectors

from ._common import KEY, gram_c
from .def3_1 import gram_form_obligations

SOURCE = Source(KEY, "Theorem 3.3; App. B.2 Eq. (9)", page=4)


def lower(inst: dict[str, Any]) -> Comparison:
    """Exact inf_θ μ versus min c / max c."""
    c = gram_c(inst["X"])
    ex = loss_alignment_extremes_theta(inst["X"], inst["y"])
    return Comparison(ex.inf, float(c.min() / c.max()), ">=", "inf_θ μ(θ)", "min c_i / max c_i")


def upper(inst: dict[str, Any]) -> Comparison:
    """Exact sup_θ μ versus max c / min c."""
    c = gram_c(inst["X"])
    ex = loss_alignment_extremes_theta(inst["X"], inst["y"])
    return Comparison(ex.sup, float(c.max() / c.min()), "<=", "sup_θ μ(θ)", "max c_i / min c_i")


def _gen_data(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 10)), int(rng.integers(1, 10))
        X = rng.standard_normal((n, d))
        if i % 3 == 1:
            X *= 10 ** rng.uniform(-1, 1, size=d)[None, :]
        if i % 3 == 2:
            X = rng.standard_t(2.5, size=(n, d))
        y = X @ rng.standard_normal(d) if i % 2 else rng.standard_normal(n)
        out.append({"X": X, "y": y})
    return out


_EQUAL = [
    {"X": np.eye(2), "y": np.array([1.0, -2.0])},
    {"X": np.array([[3.0, -1.0, 2.0]]), "y": np.array([0.5])},
    {"X": np.array([[1.0, 1.0], [1.0, -1.0]]), "y": np.array([1.0, 0.0])},
]


def _sandwich(side: str) -> Any:
    def build() -> list[Any]:
        """Eq. (9): the Gram form of μ (p = 2, n = 3), then the sandwich for n = 2 with c₁ = a ≤ c₂ = a + b.

        With weights w_i = e_i² ≥ 0, μ = Σw_ic_i/(Σw_i · c̄); μ − c₁/c₂ and c₂/c₁ − μ are non-negative
        (the first since Σw_ic_i ≥ c₁Σw_i and c̄ ≤ c₂).
        """
        import sympy as sp

        a, b, w1, w2 = sp.symbols("a b w1 w2", positive=True)
        c1, c2 = a, a + b
        mu = (w1 * c1 + w2 * c2) / ((w1 + w2) * (c1 + c2) / 2)
        ob = (
            Nonnegative(sp.factor(mu - c1 / c2), "μ − min c/max c ≥ 0")
            if side == "lower"
            else Nonnegative(sp.factor(c2 / c1 - mu), "max c/min c − μ ≥ 0")
        )
        return [*gram_form_obligations(), ob]

    return build


@st.composite
def _data(draw: Any) -> dict[str, Any]:
    """Inputs as rows of a ``gradient_matrices`` draw (every rank-one kind), arbitrary or realizable y."""
    n, d = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    X = draw(gradient_matrices(n=n, p=d)).T
    y = X @ draw(real_vectors(d, -2, 2)) if draw(st.booleans()) else draw(real_vectors(n, -2, 2))
    return {"X": X, "y": y}


_HYP = (
    finite("X", "y"),
    Hypothesis("no input is zero (c_i > 0)", lambda i: bool(np.all(gram_c(i["X"]) > 0))),
)

DET_LOWER = Claim(
    id="wang2023.thm3_3.deterministic_lower",
    title="inf_θ μ(θ) ≥ min_i c_i / max_i c_i for linear regression on any data (proof of Thm 3.3)",
    source=SOURCE,
    statement=r"For any $X$, $y$: $\inf_\theta\mu(\theta)\ge\min_ic_i/\max_ic_i$, "
    r"$c_i=\frac1n\sum_j(x_i^Tx_j)^2$.",
    hypotheses=_HYP,
    conclusion=lower,
    inputs={"X": array()},
    checks=(
        SymbolicCheck("symbolic", _sandwich("lower")),
        ExactCheck("exact", _gen_data, fixed=_EQUAL),
        PropertyCheck("property", _data(), max_examples=40),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
)

DET_UPPER = Claim(
    id="wang2023.thm3_3.deterministic_upper",
    title="sup_θ μ(θ) ≤ max_i c_i / min_i c_i for linear regression on any data (proof of Thm 3.3)",
    source=SOURCE,
    statement=r"For any $X$, $y$: $\sup_\theta\mu(\theta)\le\max_ic_i/\min_ic_i$.",
    hypotheses=_HYP,
    conclusion=upper,
    inputs={"X": array()},
    checks=(
        SymbolicCheck("symbolic", _sandwich("upper")),
        ExactCheck("exact", _gen_data, fixed=_EQUAL),
        PropertyCheck("property", _data(), max_examples=40),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
)

CLAIMS = [DET_LOWER, DET_UPPER]
