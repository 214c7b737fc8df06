r"""Wang & Wu (2023), Definition E.4: :math:`\||X|^q\|_{\psi_{\beta/q}}=\|X\|_{\psi_\beta}^q`.

Setting
-------
For :math:`\beta>0`, :math:`\|X\|_{\psi_\beta}=\inf\{C>0:\mathbb E\exp(|X|^\beta/C^\beta)\le2\}`
(Definition E.4), :math:`q>0`.

Statement
---------
``wang2023.def_e4.power``: :math:`\||X|^q\|_{\psi_{\beta/q}}=\|X\|_{\psi_\beta}^q`, how the proofs of
Lemmas C.5–C.6 pass from :math:`\|z^Tv\|_{\psi_2}` to :math:`\|(z^Tv)^4\|_{\psi_{1/2}}`, with the left side
computed independently from the law of :math:`|X|^q`.

Finding
-------
Holds.  A side finding for App. C: the proofs of Lemmas C.5 and C.6 justify
:math:`\|(z^Tv)^4\|_{\psi_{1/2}}<\infty` by ":math:`\mathbb E\exp(((z^Tv)^4)^{1/2})=\mathbb
E\exp((z^Tv)^2)\lesssim1`" (C.6 likewise bounds :math:`\mathbb E e^{|w^Tx||v^Tx|}` through
:math:`\sqrt{\mathbb E e^{(w^Tx)^2}}\sqrt{\mathbb E e^{(v^Tx)^2}}`), but :math:`\mathbb E e^{Z^2}=\infty` for
:math:`Z\sim N(0,1)` (a coefficient below 1/2 is needed).  The conclusion is still right, with the exact
value :math:`\|Z^4\|_{\psi_{1/2}}=\|Z\|_{\psi_2}^4=64/9` (checked here), so only the justification is wrong,
not the constant's finiteness.

Evidence
--------
* ``symbolic``: the substitution :math:`(x^q)^{\beta/q}/C^{\beta/q}=x^\beta/(C^{1/q})^\beta` for positive
  symbols, so :math:`C` is admissible for :math:`|X|^q` iff :math:`C^{1/q}` is for :math:`X`.
* ``exact``: both sides from the definition (:func:`._psi.psi_from_definition`) by adaptive quadrature
  (relative :math:`10^{-10}`) or exact sums, on fixed laws (Gaussian, Exp, Weibull, uniform, Rademacher,
  Bernoulli, sparse) and seeded β, q, p (continuous laws: β ≤ 0.8 of the tail exponent); tolerance rtol
  :math:`10^{-5}` (two independent quadratures of singular densities).
* ``property``: Hypothesis over the laws with a free parameter, β at 0.3–0.8 of the law's tail exponent,
  :math:`q\in[0.5,4]`, :math:`p\in[0.01,0.9]`.

References
----------
[wang2023noise, Appendix E, Definition E.4; Appendix C, proofs of Lemmas C.5–C.6].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance

from ._common import KEY
from ._psi import CYCLE, HYP, INPUTS, law_instance, law_strategy, psi_from_definition

SOURCE = Source(KEY, "Definition E.4")


def power(inst: dict[str, Any]) -> Comparison:
    """‖|X|^q‖_{ψ_{β/q}} (law of |X|^q) against ‖X‖_ψβ^q."""
    law, beta, k, p, q = (inst[c] for c in ("law", "beta", "k", "p", "q"))
    lhs = psi_from_definition(law, beta / q, k, p, q)
    rhs = psi_from_definition(law, beta, k, p) ** q
    return Comparison(lhs, rhs, "==", "‖|X|^q‖_ψ(β/q)", "‖X‖_ψβ^q")


def _gen_power(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        law = CYCLE[i % len(CYCLE)]
        kk = float(rng.uniform(0.5, 3.0))
        cap = {0: 2.0, 1: 1.0, 2: kk}.get(law, 3.0)
        beta = float(rng.uniform(0.3, 0.8)) * cap
        q = float(rng.choice([0.5, 2.0, 4.0, float(rng.uniform(0.5, 4.0))]))
        out.append(law_instance(law, beta, k=kk, p=float(rng.uniform(0.01, 0.9)), q=q))
    return out


def _symbolic() -> list[Any]:
    import sympy as sp

    x, q, b, C = sp.symbols("x q beta C", positive=True)
    lhs = (x**q) ** (b / q) / C ** (b / q)
    rhs = x**b / (C ** (1 / q)) ** b
    return [
        Identity(
            sp.powsimp(sp.expand_power_base(lhs, force=True), force=True),
            sp.powsimp(rhs, force=True),
            "(x^q)^{β/q}/C^{β/q} = x^β/(C^{1/q})^β",
        )
    ]


POWER = Claim(
    id="wang2023.def_e4.power",
    title="‖|X|^q‖_{ψ_{β/q}} = ‖X‖_{ψ_β}^q (e.g. ‖(zᵀv)⁴‖_{ψ_{1/2}} = ‖zᵀv‖_{ψ_2}⁴ = 64/9)",
    source=SOURCE,
    statement=r"$\||X|^q\|_{\psi_{\beta/q}}=\|X\|_{\psi_\beta}^q$ for $q>0$, from Definition E.4.",
    hypotheses=HYP,
    conclusion=power,
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck(
            "exact",
            _gen_power,
            fixed=[law_instance(0, 2.0, q=4.0), law_instance(0, 2.0, q=2.0), law_instance(1, 1.0, q=0.5)],
        ),
        PropertyCheck("property", law_strategy(), max_examples=6),
    ),
    tolerance=Tolerance(rtol=1e-5, atol=1e-12),
    kind="identity",
)

CLAIM = POWER
