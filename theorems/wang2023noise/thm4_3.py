r"""Wang & Wu (2023), Theorem 4.3: directional alignment along fixed directions (linear model).

Setting
-------
Linear model :math:`f(x;\theta)=\theta^Tx`, :math:`x_i\sim\mathcal N(0,S)`, realizable targets, a fixed finite
set :math:`\mathcal V=\{v_1,\dots,v_K\}` of directions.

Statement
---------
For :math:`\epsilon\in(0,1/2)` there are :math:`C_1(\epsilon),C_2(\epsilon)` such that if
:math:`n\gtrsim C_1d\log d`, then w.p. :math:`\ge1-KC_2/n^2-\epsilon^d`, for all θ and :math:`v\in\mathcal V`,
:math:`(1-\epsilon)/(1+\epsilon)^2\le g(\theta;v)\le(2+\epsilon)/(1-\epsilon)^2`.

``wang2023.thm4_3`` (expected to fail) is the statement as printed, on the witness described under
Finding; the corrected last step of the proof is ``wang2023.thm4_3.as_proved`` (``thm4_3_as_proved``).

Finding
-------
**Erratum**, same root as ``wang2023.lemma_c1``: the proof ends "in the same way as" Theorem 4.2, so it
inherits the mislabelled Lemma C.1 and the wrong upper constant (see ``wang2023.thm4_2``).  Witness:
:math:`d=1` (so :math:`d\log d=0` and the size condition is void), :math:`K=1`, :math:`v=1`,
:math:`\epsilon=0.1`: the bound :math:`2.593` must hold with probability at least :math:`1-C_2/n^2-0.1\to0.9`,
but :math:`g(\theta;1)=\overline{x^4}/(\overline{x^2})^2\to3` for every :math:`\theta\ne\theta^*`.  At
:math:`n=20000` all :math:`R=20` seeded data sets violate it (if the failure probability were
:math:`\le0.1+C_2/n^2`, this would have probability about :math:`10^{-20}` for any moderate :math:`C_2`).  The
proof supports :math:`(3+\epsilon)/(1-\epsilon)^2`.  (The proof also misquotes Lemma C.4's probability
:math:`1-C_2/n^{\epsilon}` as :math:`1-C_2/n^2`; noted, not encoded.)

Evidence
--------
* ``exact``: the witness above (fraction of draws satisfying the bound against :math:`1-\epsilon^d`).
  The decision is statistical: a violation is confirmed by an independent replicate (20 fresh data
  sets, g in exact rationals; :func:`._precise.witness_fraction_exact`).
* ``symbolic`` (``wang2023.thm4_3``, the printed step refuted): the numerator's mean by exact Gaussian
  moments, :math:`m=\|a\|^2\|b\|^2+2(a^Tb)^2` (:math:`a,b\in\mathbb R^2` symbolic), then the step "in the
  same way as Theorem 4.2", :math:`m\le2\|a\|^2\|b\|^2`, which the exact rational fallback refutes
  (:math:`a=b`: :math:`m=3\|a\|^4`), as expected.

References
----------
[wang2023noise, Theorem 4.3; Appendix C.2; Lemma C.4].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Expected, Nonnegative, Source, SymbolicCheck
from verifythm.claims.inputs import INT, REAL

from ._common import KEY, binomial_tail, kurtosis_witness
from ._precise import statistical, witness_fraction_exact
from ._symbolic import fourth_moment_identity, fourth_moment_mean

REPS = 20


@statistical
def literal(inst: dict[str, Any]) -> Comparison:
    """Fraction of seeded data sets (d = 1) on which g(θ; 1) ≤ (2+ε)/(1−ε)² for all θ."""
    eps, g = inst["eps"], kurtosis_witness(inst["n"], REPS, inst["seed"])
    ok = float(np.mean(np.maximum(g, 1.0) <= (2 + eps) / (1 - eps) ** 2))
    return Comparison(
        ok, 1 - eps, ">=", "fraction of draws with g(θ; 1) ≤ (2+ε)/(1−ε)² ∀θ", "1 − ε^d (d = 1)"
    )


def literal_replicate(inst: dict[str, Any]) -> Comparison:
    """:func:`literal` on R independent data sets, g in exact rationals (the replicate)."""
    eps = inst["eps"]
    ok = witness_fraction_exact(inst["n"], REPS, inst["seed"], eps)
    return Comparison(
        ok, 1 - Fraction(eps), ">=", "fraction of draws with g(θ; 1) ≤ (2+ε)/(1−ε)² ∀θ", "1 − ε^d (d = 1)"
    )


def printed_obligations() -> list[Any]:
    """Proof of Thm 4.3, last step ("in the same way as Thm 4.2"): m ≤ 2‖a‖²‖b‖², refuted (a = b)."""
    a, b, m = fourth_moment_mean()
    nn = (a.T * a)[0, 0] * (b.T * b)[0, 0]
    return [
        fourth_moment_identity(a, b, m),
        Nonnegative(2 * nn - m, "printed: m ≤ 2‖a‖²‖b‖², i.e. (m + ε)/(1−ε)² ≤ (2+ε)/(1−ε)²"),
    ]


CLAIM = Claim(
    id="wang2023.thm4_3",
    title="w.h.p. (1−ε)/(1+ε)² ≤ g(θ;v) ≤ (2+ε)/(1−ε)² for all θ, v ∈ 𝒱 (linear model; as printed)",
    source=Source(KEY, "Theorem 4.3", page=6),
    statement=(
        r"If $n\gtrsim C_1(\epsilon)d\log d$ then w.p. $\ge1-KC_2/n^2-\epsilon^d$, $\forall\theta$, "
        r"$v\in\mathcal V$: "
        r"$\frac{1-\epsilon}{(1+\epsilon)^2}\le g(\theta;v)\le\frac{2+\epsilon}{(1-\epsilon)^2}$."
    ),
    hypotheses=(),
    conclusion=literal,
    precise_conclusion=literal_replicate,
    inputs={"n": INT, "seed": INT, "eps": REAL},
    checks=(
        ExactCheck(
            "exact",
            fixed=[{"n": 20000, "eps": 0.1, "seed": 11}],
            note=f"R={REPS} seeded draws; false-alarm rate ≈ {binomial_tail(REPS, REPS, 0.1):.0e}",
        ),
        SymbolicCheck("symbolic", printed_obligations, note="the printed last step, m ≤ 2 (refuted)"),
    ),
    kind="probability",
    expected=Expected.fails(
        "same root as `wang2023.lemma_c1`: Theorem 4.3 follows Theorem 4.2's proof and keeps its upper "
        "constant (2+ε)/(1−ε)²; d = 1, v = 1: g = mean x⁴/(mean x²)² → 3 > 2.593 (ε = 0.1) on 20/20 draws at "
        "n = 20000; the proof supports (3+ε)/(1−ε)²",
        "docs/errata/wang2023.thm4_3__exact.md",
        finding="erratum",
    ),
)
