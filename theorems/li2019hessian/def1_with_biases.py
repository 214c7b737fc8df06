r"""Li et al. (2019), Definition 1 with biases: scaled by :math:`\alpha_l` they change the network.

Setting
-------
An :math:`L`-layer network with activation :math:`\rho(z)=\max(z,cz)`, :math:`0\le c<1`, and biases,
:math:`\phi(x;\theta)=W_L\rho(W_{L-1}\rho(\cdots\rho(W_1x+b_1)\cdots)+b_{L-1})+b_L`,
:math:`\theta_l=(W_l,b_l)`, and :math:`T_\alpha\theta=(\alpha_l\theta_l)_l` of Definition 1 (Eq. (45)),
:math:`\alpha_l>0`, :math:`\prod_l\alpha_l=1`; the bias-free case is :mod:`.def1`.

Statement
---------
* ``li2019.def1.function_invariance.with_biases`` — :math:`\phi(x;T_\alpha\theta)=\phi(x;\theta)`
  when :math:`\theta_l=(W_l,b_l)` contains the biases, scaled by :math:`\alpha_l` as (45)
  prescribes (see Finding).
* ``li2019.def1.function_invariance.with_biases.corrected`` — with the bias of layer :math:`l`
  scaled by :math:`\alpha_1\cdots\alpha_l` (still a linear map :math:`A\theta` with :math:`A`
  diagonal and positive), the function is unchanged.

Finding
-------
**Scope**: the reading with biases is **false**: the bias of
layer :math:`l` meets the factor :math:`\alpha_1\cdots\alpha_{l-1}` carried by its input, so it must
be scaled by :math:`\alpha_1\cdots\alpha_l`, not :math:`\alpha_l`.  Smallest counterexample:
one input, one hidden unit, :math:`W_1=W_2=1`, :math:`b_1=0`, :math:`b_2=1`, :math:`\alpha=(2,\frac12)`,
:math:`x=0`: :math:`\phi=1` becomes :math:`\frac12`.  This is a **scope** finding, not an error
of the paper: the text before Definition 1 speaks of scaling the *weights*, biases are never
mentioned, and the cited construction (Dinh et al.) is for bias-free networks, where the claim
holds (``li2019.def1.function_invariance``).  It records that the bias-free assumption is
necessary, since the paper's experiments do not say their networks are bias-free.

Evidence
--------
* ``symbolic`` (``.corrected``): positive homogeneity :math:`\rho(az)=a\rho(z)` (:math:`a>0`) on
  both signs of :math:`z`, and the scalar two-layer network with biases.
* ``exact``: seeded networks (depth 1–4, widths 1–5, ReLU and leaky ReLU, :math:`\alpha` spread
  over :math:`[10^{-2},10^2]`), inputs including 0; output difference on the scale of the output.
* ``property``: Hypothesis over the same family.  A float64 violation (``.with_biases``) is
  re-checked in exact rational arithmetic (``precise_conclusion``; ``.corrected`` carries its own).

References
----------
[li2019hessian, Definition 1, Eq. (45); Section 6].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import Comparison, Expected
from verifythm.claims.common import exact, symbolic_exact_property
from verifythm.linalg.precise import to_float

from ._alpha_scale import (
    SMALLEST,
    hypotheses,
    invariance,
    invariance_symbolic,
    layers,
    network_strategy,
    networks,
    numeric,
)
from .def1 import INVARIANCE


def _invariance_exact(bias_rule: str) -> Any:
    """:func:`invariance` in exact rational arithmetic (every float input read exactly)."""

    def forward_exact(
        params: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, leak: Fraction
    ) -> np.ndarray:
        Z = X.T
        for i, (W, b) in enumerate(params):
            Z = W.dot(Z) + b[:, None]
            if i < len(params) - 1:
                Z = np.vectorize(lambda z: z if z >= 0 else leak * z, otypes=[object])(Z)
        return Z.T

    def conclusion(inst: dict[str, Any]) -> Comparison:
        X, leak = exact(inst["X"]), Fraction(inst["leak"])
        alpha = exact(inst["alpha"])
        params = [(exact(W), exact(b)) for W, b in layers(inst)]
        cum = [alpha[: k + 1].prod() for k in range(alpha.size)]
        moved = [
            (a * W, (a if bias_rule == "layer" else c) * b)
            for (W, b), a, c in zip(params, alpha, cum, strict=True)
        ]
        before, after = forward_exact(params, X, leak), forward_exact(moved, X, leak)
        return Comparison(
            to_float(max(abs(d) for d in (after - before).ravel())),
            0.0,
            "==",
            "max_x |φ(x; T_α θ) − φ(x; θ)|",
            "0",
            scale=max(
                to_float(max(abs(z) for z in before.ravel())),
                to_float(max(abs(z) for z in after.ravel())),
                1e-300,
            ),
        )

    return conclusion


WITH_BIASES = INVARIANCE.variant(
    id="li2019.def1.function_invariance.with_biases",
    title="Definition 1 read with biases in θ_l, each scaled by α_l: the function is unchanged (a reading "
    "beyond the paper)",
    statement=r"Read beyond the paper, which scales weights only: for an $L$-layer network whose layer "
    r"parameters $\theta_l=(W_l,b_l)$ include biases, (45) scales $W_l$ and $b_l$ by $\alpha_l$, and "
    r"$\phi(x;T_\alpha\theta)=\phi(x;\theta)$ for every $x$.",
    hypotheses=hypotheses(True),
    precise_conclusion=_invariance_exact("layer"),
    checks=numeric(True, [SMALLEST]),
    expected=Expected.fails(
        "scope, not an error: Definition 1 scales the weights of bias-free networks (as in Dinh et al., whom "
        "it cites), where the function is unchanged (`li2019.def1.function_invariance` holds); biases scaled "
        "by α_l break it (the bias of layer l needs α_1⋯α_l): one hidden unit, W_1 = W_2 = 1, b_1 = 0, "
        "b_2 = 1, α = (2, 1/2), x = 0 gives φ = 1 before and 1/2 after",
        "docs/errata/li2019.def1.function_invariance.with_biases__exact.md",
        finding="scope",
    ),
)

CORRECTED = WITH_BIASES.variant(
    id="li2019.def1.function_invariance.with_biases.corrected",
    title="Definition 1 with biases scaled by α_1⋯α_l: the function is unchanged",
    statement=r"With $W_l\mapsto\alpha_lW_l$ and $b_l\mapsto(\alpha_1\cdots\alpha_l)b_l$, "
    r"$\prod_l\alpha_l=1$: $\phi(x;\theta')=\phi(x;\theta)$ for every $x$.",
    conclusion=invariance("cumulative"),
    precise_conclusion=_invariance_exact("cumulative"),  # not the inherited "layer" re-check
    checks=symbolic_exact_property(
        invariance_symbolic("cumulative"),
        networks(True),
        network_strategy(True),
        fixed=[SMALLEST],
        max_examples=40,
    ),
    expected=INVARIANCE.expected,
)

CLAIMS = [WITH_BIASES, CORRECTED]
