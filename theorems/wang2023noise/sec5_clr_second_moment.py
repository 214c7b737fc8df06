r"""Wang & Wu (2023), Section 5, CLR toy model: one online SGD step escapes the valley in mean square.

Setting
-------
Toy OLM (after Ma et al., 2022) :math:`f(x;w)=w_2x/\sqrt{w_1^2+1}`, :math:`x\sim\mathcal N(0,1)`, target 0,
online setting: :math:`\mathcal L(w)=w_2^2/[2(w_1^2+1)]`.  Online SGD with batch size one uses the sample
gradient :math:`\nabla\ell(w;x)=x^2\nabla\mathcal L(w)` (Eq. (1) with :math:`\xi_t=(x_t^2-1)\nabla\mathcal
L(w_t)`), so with :math:`s=1+w_1^2`

.. math:: w_1\leftarrow w_1\bigl(1+\eta x^2w_2^2/s^2\bigr),\qquad w_2\leftarrow w_2\bigl(1-\eta x^2/s\bigr);

GD is the same with :math:`x^2\equiv1`.

Statement
---------
``wang2023.sec5.sgd_second_moment`` (the mechanism behind Figure 4): one online SGD step has
:math:`\mathbb E[w_2'^2]=w_2^2(1-2a+3a^2)`, :math:`a=\eta/s` (Gaussian moments 1, 3), against GD's
:math:`w_2^2(1-a)^2`: SGD escapes along :math:`e_2` in mean square once :math:`\eta>2s/3`, GD only once
:math:`\eta>2s` (and then only if it stays above :math:`2s` long enough to regrow :math:`w_2` from its
collapsed value: at :math:`\eta_{\max}=3s_0` it does not, at :math:`\eta_{\max}=4s_0` it does).

Evidence
--------
* ``symbolic``: :math:`\mathbb E[w_2'^2]-w_2^2(1-2a+3a^2)=0` with the Gaussian moments
  :math:`\mathbb Ex^{2j}=(2j-1)!!`.
* ``exact``: the expectation by exact Gauss–Hermite quadrature at seeded :math:`(w_1,w_2,\eta)` and at
  the threshold :math:`a=2/3`.
* ``property``: Hypothesis over :math:`(w_1,w_2,\eta)` with :math:`\eta` up to 30 (across the threshold
  :math:`a=2/3` and far beyond).

References
----------
[wang2023noise, Section 5 ("Explaining the implicit bias of cyclical learning rate"), Figure 4].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.claims.common import finite
from verifythm.claims.inputs import REAL
from verifythm.strategies import reals

from ._common import KEY

SOURCE = Source(KEY, "Section 5, CLR toy model; Figure 4", page=8)


def _second_moment_sides(w1: Any, w2: Any, eta: Any, expect: Any) -> tuple[Any, Any]:
    s = 1 + w1**2
    lhs = expect(lambda x: (w2 - eta * x**2 * w2 / s) ** 2)
    a = eta / s
    return lhs, w2**2 * (1 - 2 * a + 3 * a**2)


def second_moment(inst: dict[str, Any]) -> Comparison:
    """E_x[w₂'²] after one online SGD step (exact Gauss–Hermite quadrature) against w₂²(1 − 2a + 3a²)."""
    from ._common import gaussian_expectation

    lhs, rhs = _second_moment_sides(
        inst["w1"],
        inst["w2"],
        inst["eta"],
        lambda f: gaussian_expectation(lambda x: f(float(x[0])), np.eye(1)),
    )
    return Comparison(float(lhs), float(rhs), "==", "E[w₂'²] (SGD step)", "w₂²(1 − 2a + 3a²), a = η/s")


def _second_moment_symbolic() -> list[Any]:
    import sympy as sp

    w1, w2, x = sp.symbols("w1 w2 x", real=True)
    eta = sp.Symbol("eta", positive=True)

    def expect(f: Any) -> Any:
        poly = sp.Poly(sp.expand(f(x)), x)  # E x^(2j) = (2j−1)!!, odd moments vanish
        return sum(c * (sp.factorial2(k - 1) if k % 2 == 0 else 0) for (k,), c in poly.terms())

    lhs, rhs = _second_moment_sides(w1, w2, eta, expect)
    return [Identity(sp.simplify(lhs - rhs), sp.Integer(0), "E[w₂'²] = w₂²(1 − 2a + 3a²)")]


def _step_points(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [
        {
            "w1": float(rng.standard_normal() * 3),
            "w2": float(rng.standard_normal() * 10 ** rng.uniform(-3, 1)),
            "eta": float(10 ** rng.uniform(-2, 1.5)),
        }
        for _ in range(k)
    ]


# around the mean-square threshold a = η/(1 + w₁²) = 2/3 and far beyond it
_STEP_POINTS = st.builds(
    lambda w1, w2, eta: {"w1": w1, "w2": w2, "eta": eta},
    reals(-5.0, 5.0),
    reals(-2.0, 2.0),
    reals(0.01, 30.0),
)

SECOND_MOMENT = Claim(
    id="wang2023.sec5.sgd_second_moment",
    title="CLR toy model, one online SGD step: E[w₂'²] = w₂²(1 − 2a + 3a²), a = η/(1+w₁²) (GD: w₂²(1 − a)²)",
    source=SOURCE,
    statement=r"With $\nabla\ell(w;x)=x^2\nabla\mathcal L(w)$, $x\sim\mathcal N(0,1)$: "
    r"$\mathbb E[w_2'^2]=w_2^2(1-2a+3a^2)$, $a=\eta/(1+w_1^2)$; it exceeds $w_2^2$ iff $a>2/3$.",
    hypotheses=(finite("w1", "w2", "eta"),),
    conclusion=second_moment,
    inputs={"w1": REAL, "w2": REAL, "eta": REAL},
    checks=(
        SymbolicCheck("symbolic", _second_moment_symbolic),
        PropertyCheck("property", _STEP_POINTS, max_examples=60),
        ExactCheck("exact", _step_points, fixed=[{"w1": 1.0, "w2": 0.1, "eta": 4.0 / 3.0}]),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-300),
    kind="identity",
)


CLAIM = SECOND_MOMENT
