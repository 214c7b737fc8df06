r"""Wang & Wu (2023), Theorem 4.2: uniform directional alignment for OLMs — the upper constant is wrong.

Setting
-------
OLM :math:`f(x;\theta)=F(\theta)^Tx`, inputs :math:`x_i\sim\mathcal N(0,S)` i.i.d., realizable targets,
directional alignment :math:`g(\theta;v)=v^T\Sigma_1v/(2\mathcal Lv^TGv)` (Def. 4.1, 0/0 := 1).

Statement
---------
For :math:`\epsilon,\delta\in(0,1)`, if
  :math:`n\gtrsim\max\{(d^2\log^2(1/\epsilon)+\log^2(1/\delta))/\epsilon,
(d\log(1/\epsilon)+\log(1/\delta))/\epsilon^2\}` then w.p. :math:`\ge1-\delta`, for all :math:`\theta, v`:
:math:`(1-\epsilon)/(1+\epsilon)^2\le g(\theta;v)\le(2+\epsilon)/(1-\epsilon)^2`.

Claims:

* ``wang2023.thm4_2`` (expected to fail): :math:`d=1`, :math:`\epsilon=\delta=0.1` (bound 2.593),
  :math:`n=20000` (:math:`\approx43\times` the printed rate): the fraction of :math:`R=20` seeded data sets on
  which :math:`\sup_{\theta,v}g\le(2+\epsilon)/(1-\epsilon)^2` must be at least :math:`1-\delta`; it is
  0.  If the
  true failure probability were :math:`\le\delta`, 20 failures out of 20 would have probability
  :math:`\delta^{20}=10^{-20}` (the false-alarm rate of this decision).  The decision is statistical: a
  violation is confirmed by an independent replicate (20 fresh data sets, g in exact rationals;
  :func:`._precise.witness_fraction_exact`).
* ``wang2023.thm4_2.population_upper`` / ``.population_lower`` (``thm4_2_population``): what the proof
  supports in the :math:`n\to\infty` limit, :math:`1\le\inf_v\bar g\le\sup_v\bar g\le3`.

Finding
-------
**Erratum**, same root as ``wang2023.lemma_c1``: the proof bounds :math:`g` by its population value
:math:`\bar g=v^T\bar\Sigma_1v/(2\bar{\mathcal L}v^T\bar Gv)` and evaluates it with the mislabelled Lemma C.1
(``wang2023.lemma_c1``).  With the correct :math:`\bar\Sigma_1=2\bar{\mathcal L}\bar G+2\nabla\bar{\mathcal
L}\nabla\bar{\mathcal L}^T` and Lemma C.2, :math:`\bar g=1+(\nabla\bar{\mathcal L}^Tv)^2/(\bar{\mathcal
L}v^T\bar Gv)\in[1,3]`, and the value 3 is attained (take :math:`\nabla F(\theta)v\parallel r(\theta)`).
Since the empirical :math:`g` converges to :math:`\bar g` as :math:`n\to\infty` at fixed :math:`d`, the
printed upper bound :math:`(2+\epsilon)/(1-\epsilon)^2<3` (for :math:`\epsilon\lesssim0.18`) fails with
probability tending to one, *whatever* the hidden constant in ":math:`n\gtrsim`".  Simplest witness: the
linear model with :math:`d=1`, where :math:`g(\theta;v)=\overline{x^4}/(\overline{x^2})^2\to\mathbb Ex^4=3`
for every :math:`\theta\ne\theta^*`, :math:`v\ne0`.  The proof supports the upper bound
:math:`(3+\epsilon)/(1-\epsilon)^2`; the lower bound is unaffected.

Evidence
--------
* ``exact``: the witness described under Statement (fraction of draws with the printed bound).

Not checked: a finite-sample check of the corrected statement with its hidden constant (uniform over θ *and* v
needs a joint non-convex search; the engine decides each quantifier separately).

References
----------
[wang2023noise, Theorem 4.2; Appendix C.1, proof of Theorem 4.2; Lemmas C.1, C.2].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, Expected, Source
from verifythm.claims.inputs import INT, REAL

from ._common import KEY, kurtosis_witness, witness_checks
from ._precise import statistical, witness_fraction_exact

SOURCE = Source(KEY, "Theorem 4.2", page=6)
REPS = 20


def upper_bound(eps: float) -> float:
    """The printed upper constant (2+ε)/(1−ε)²."""
    return (2 + eps) / (1 - eps) ** 2


@statistical
def literal(inst: dict[str, Any]) -> Comparison:
    """Fraction of seeded data sets (d = 1) on which sup g ≤ (2+ε)/(1−ε)², versus 1 − δ."""
    g = kurtosis_witness(inst["n"], REPS, inst["seed"])
    ok = float(np.mean(np.maximum(g, 1.0) <= upper_bound(inst["eps"])))
    return Comparison(ok, 1 - inst["delta"], ">=", "fraction of draws with sup g ≤ (2+ε)/(1−ε)²", "1 − δ")


def literal_replicate(inst: dict[str, Any]) -> Comparison:
    """:func:`literal` on R independent data sets, g = mean x⁴/(mean x²)² exactly (the replicate)."""
    ok = witness_fraction_exact(inst["n"], REPS, inst["seed"], inst["eps"])
    return Comparison(
        ok, 1 - Fraction(inst["delta"]), ">=", "fraction of draws with sup g ≤ (2+ε)/(1−ε)²", "1 − δ"
    )


WITNESS = {"n": 20000, "eps": 0.1, "delta": 0.1, "seed": 42}

LITERAL = Claim(
    id="wang2023.thm4_2",
    title="w.h.p. (1−ε)/(1+ε)² ≤ g(θ;v) ≤ (2+ε)/(1−ε)² for all θ, v (OLM; as printed)",
    source=SOURCE,
    statement=(
        r"If "
        r"$n\gtrsim\max\{(d^2\log^2\frac1\epsilon+\log^2\frac1\delta)/\epsilon,"
        r"(d\log\frac1\epsilon+\log\frac1\delta)/\epsilon^2\}$, "
        r"then w.p. $\ge1-\delta$, $\forall\theta,v$: $\frac{1-\epsilon}{(1+\epsilon)^2}\le "
        r"g(\theta;v)\le\frac{2+\epsilon}{(1-\epsilon)^2}$."
    ),
    hypotheses=(),
    conclusion=literal,
    precise_conclusion=literal_replicate,
    inputs={"n": INT, "seed": INT, "eps": REAL, "delta": REAL},
    checks=witness_checks(WITNESS, REPS),
    kind="probability",
    expected=Expected.fails(
        "same root as `wang2023.lemma_c1`: the proof of Theorem 4.2 uses the mislabelled Lemma C.1; the "
        "population alignment ḡ reaches 3 (∇F v ∥ r), so the upper bound (2+ε)/(1−ε)² must be (3+ε)/(1−ε)²; "
        "linear model d = 1, g = mean x⁴/(mean x²)² → 3 > 2.593 (ε = 0.1) on 20/20 draws at n = 20000",
        "docs/errata/wang2023.thm4_2__exact.md",
        finding="erratum",
    ),
)

CLAIM = LITERAL
