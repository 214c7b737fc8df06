r"""Wang & Wu (2023), Definition E.4: the sub-Weibull tail bound :math:`P(|X|\ge t)\le2e^{-t^\beta/K^\beta}`.

Setting
-------
For :math:`\beta>0`, :math:`\|X\|_{\psi_\beta}=\inf\{C>0:\mathbb E\exp(|X|^\beta/C^\beta)\le2\}`
(Definition E.4).

Statement
---------
``wang2023.def_e4.tail``: :math:`P(|X|\ge t)\le2\exp(-t^\beta/\|X\|_{\psi_\beta}^\beta)` for all :math:`t\ge0`
(Markov's inequality on :math:`\exp(|X|^\beta/C^\beta)`), which is what makes :math:`\beta=1,2` the
sub-exponential / sub-Gaussian classes.

Finding
-------
Holds; the bound is attained (Rademacher, :math:`t=1`: :math:`1\le2e^{-\ln2}=1`).

Evidence
--------
* ``exact``: exact tail probabilities against the bound with the definitional norm
  (:func:`._psi.psi_from_definition`, adaptive quadrature or exact sums) on fixed laws (Gaussian, Exp,
  Weibull, uniform, Rademacher, Bernoulli, sparse) and seeded β, p, t (continuous laws: β ≤ 0.8 of the
  tail exponent), including the attained case; tolerance rtol :math:`10^{-7}`.
* ``property``: Hypothesis over the laws with a free parameter, β at 0.3–0.8 of the law's tail exponent,
  :math:`p\in[0.01,0.9]`, :math:`t\in[0.05,7]`.

References
----------
[wang2023noise, Appendix E, Definition E.4].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source

from ._common import KEY
from ._psi import CYCLE, HYP, INPUTS, TOL, discrete_atoms, law_instance, law_strategy, psi_from_definition

SOURCE = Source(KEY, "Definition E.4")


def _tail_prob(law: int, k: float, p: float, t: float) -> float:
    from scipy import stats

    if law == 0:
        return float(2 * stats.norm.sf(t))
    if law == 1:
        return float(np.exp(-t))
    if law == 2:
        return float(np.exp(-(t**k)))
    if law == 3:
        return float(max(0.0, 1 - t)) if t > 0 else 1.0
    y, w = discrete_atoms(law, p)  # type: ignore[misc]
    return float(w[y >= t].sum())


def tail(inst: dict[str, Any]) -> Comparison:
    """P(|X| ≥ t) against 2 exp(−t^β/‖X‖_ψβ^β)."""
    law, beta, k, p, t = (inst[c] for c in ("law", "beta", "k", "p", "t"))
    K = psi_from_definition(law, beta, k, p)
    return Comparison(
        _tail_prob(law, k, p, t), 2 * np.exp(-((t / K) ** beta)), "<=", "P(|X| ≥ t)", "2exp(−t^β/K^β)"
    )


def _gen_tail(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        law = CYCLE[i % len(CYCLE)]
        kk = float(rng.uniform(0.5, 3.0))
        cap = {0: 2.0, 1: 1.0, 2: kk}.get(law, 3.0)
        beta = float(rng.uniform(0.3, 0.8)) * cap
        t = float(rng.choice([1.0, float(np.exp(rng.uniform(-3, 2)))]))
        out.append(law_instance(law, beta, k=kk, p=float(rng.uniform(0.01, 0.99)), t=t))
    return out


TAIL = Claim(
    id="wang2023.def_e4.tail",
    title="Sub-Weibull tail: P(|X| ≥ t) ≤ 2exp(−t^β/‖X‖_ψβ^β) for all t ≥ 0",
    source=SOURCE,
    statement=(
        r"$P(|X|\ge t)\le2\exp(-t^\beta/\|X\|_{\psi_\beta}^\beta)$ (Markov on $\exp(|X|^\beta/C^\beta)$)."
    ),
    hypotheses=(*HYP, Hypothesis("t ≥ 0", lambda i: i["t"] >= 0)),
    conclusion=tail,
    inputs=INPUTS,
    checks=(
        ExactCheck(
            "exact", _gen_tail, fixed=[law_instance(4, 1.0, t=1.0), law_instance(5, 2.0, p=0.9, t=1.0)]
        ),
        PropertyCheck("property", law_strategy(), max_examples=25),
    ),
    tolerance=TOL,
)

CLAIM = TAIL
