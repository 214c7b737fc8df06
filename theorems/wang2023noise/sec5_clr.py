r"""Wang & Wu (2023), Section 5, CLR toy model: the Hessian trace on the valley is 1/(1+w₁²).

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
``wang2023.sec5.valley_trace``: on the valley :math:`S=\{w_2=0\}`,
:math:`\mathrm{tr}\,\nabla^2\mathcal L(w)=1/(1+w_1^2)`, so larger :math:`|w_1|` is flatter (the reading of
Figure 4; SGD's drift along :math:`S` is ``wang2023.sec5.clr_drift``).

Finding
-------
Holds (sympy: the Hessian has :math:`\partial^2_{w_2}\mathcal L=1/s` and
:math:`\partial^2_{w_1}\mathcal L=w_2^2(3w_1^2-1)/s^3`, which vanishes on :math:`S`).

Evidence
--------
* ``symbolic``: the trace with sympy.
* ``exact``: the sympy Hessian trace at seeded points of :math:`S` against :math:`1/(1+w_1^2)`.
* ``property``: Hypothesis over :math:`w_1\in[-20,20]` on the valley.

References
----------
[wang2023noise, Section 5 ("Explaining the implicit bias of cyclical learning rate"), Figure 4].
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.claims.common import finite
from verifythm.claims.inputs import REAL
from verifythm.strategies import reals

from ._common import KEY

SOURCE = Source(KEY, "Section 5, CLR toy model; Figure 4", page=8)


@lru_cache(maxsize=1)
def _hessian_trace() -> Any:
    import sympy as sp

    w1, w2 = sp.symbols("w1 w2", real=True)
    L = w2**2 / (2 * (w1**2 + 1))
    tr = sp.diff(L, w1, 2) + sp.diff(L, w2, 2)
    return w1, w2, tr


def _symbolic() -> list[Any]:
    import sympy as sp

    w1, w2, tr = _hessian_trace()
    return [Identity(sp.simplify(tr.subs(w2, 0)), 1 / (1 + w1**2), "tr ∇²L(w1, 0) = 1/(1+w1²)")]


def trace_on_valley(inst: dict[str, Any]) -> Comparison:
    """Hessian trace ∇²L at (w1, 0), from the sympy Hessian, against 1/(1+w1²)."""
    import sympy as sp

    w1, w2, tr = _hessian_trace()
    a = inst["w1"]
    lhs = float(sp.lambdify((w1, w2), tr, "math")(a, 0.0))
    return Comparison(lhs, 1 / (1 + a * a), "==", "tr ∇²L(w1, 0)", "1/(1+w1²)")


def _trace_points(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [{"w1": float(rng.standard_normal() * 10 ** rng.uniform(-2, 2))} for _ in range(k)]


_VALLEY_POINTS = st.builds(lambda a: {"w1": a}, reals(-20.0, 20.0))

TRACE = Claim(
    id="wang2023.sec5.valley_trace",
    title="CLR toy model L = w₂²/(2(w₁²+1)): tr ∇²L = 1/(1+w₁²) on the valley w₂ = 0",
    source=SOURCE,
    statement=r"For $w\in S=\{w_2=0\}$, $\mathrm{tr}[\nabla^2\mathcal L(w)]=1/(1+w_1^2)$.",
    hypotheses=(finite("w1"),),
    conclusion=trace_on_valley,
    inputs={"w1": REAL},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        PropertyCheck("property", _VALLEY_POINTS, max_examples=40),
        ExactCheck("exact", _trace_points, fixed=[{"w1": 0.0}, {"w1": 1.0}, {"w1": -3.0}]),
    ),
    tolerance=Tolerance(rtol=1e-12, atol=1e-15),
    kind="identity",
)

CLAIM = TRACE
