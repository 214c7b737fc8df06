r"""Wang & Wu (2023), Theorem 3.2: loss alignment of OLMs — the upper constant is wrong.

Setting
-------
OLM :math:`f(x;\theta)=F(\theta)^Tx`, inputs :math:`x_i\sim\mathcal N(0,S)` i.i.d., realizable targets, loss
alignment :math:`\mu(\theta)=\operatorname{Tr}(\Sigma_1G)/(2\mathcal L\|G\|_F^2)` (Def. 3.1); population
quantities :math:`\bar G`, :math:`\bar{\mathcal L}`, :math:`\nabla\bar{\mathcal L}`, :math:`\bar\Sigma_1` as
in Lemma C.1.

Statement
---------
Under the sample-size condition of Theorem 4.2, w.p. :math:`\ge1-\delta`, for all θ,
:math:`(1-\epsilon)/(1+\epsilon)^2\le\mu(\theta)\le(2+\epsilon)/(1-\epsilon)^2`.

* ``wang2023.thm3_2`` (expected to fail): the statement as printed.
* ``wang2023.thm3_2.population_upper``: what the corrected proof gives in the population,
  :math:`\bar\mu(\theta)\le3` at OLM points, attained by a diagonal linear network.

As proved
---------
Appendix B.1 derives the theorem from Theorem 4.2: :math:`\mu` is a :math:`\lambda_k^2`-weighted average of
the directional alignments :math:`g(\theta;u_k)`, so :math:`\inf_vg\le\mu\le\sup_vg`
(``wang2023.thm3_2.reduction_lower`` / ``_upper`` in ``thm3_2_b1``, exact, hold).

Finding
-------
**Erratum**, with the same root as ``wang2023.lemma_c1`` and counted once with it: the reduction is sound
but inherits the wrong upper constant of Theorem 4.2 (``wang2023.thm4_2``).  The literal statement fails:
for the linear model with :math:`d=1`, :math:`\mu(\theta)=\overline{x^4}/(\overline{x^2})^2\to3` for every
:math:`\theta\ne\theta^*`, above :math:`(2+\epsilon)/(1-\epsilon)^2` for :math:`\epsilon\lesssim0.18`,
whatever the hidden constant.  The population value of μ is not capped at 2 for OLMs either: for a
diagonal linear network at a point where :math:`\nabla F` has rank one and is aligned with :math:`r`, the
population :math:`\bar\mu=1+2\nabla\bar{\mathcal L}^T\bar G\nabla\bar{\mathcal L}/(2\bar{\mathcal
L}\|\bar G\|_F^2)=3`.  What the corrected proof supports is the upper bound
:math:`(3+\epsilon)/(1-\epsilon)^2`.

Evidence
--------
* ``exact`` (``wang2023.thm3_2``): :math:`d=1`, :math:`\epsilon=\delta=0.1`, :math:`n=20000`; fraction of
  :math:`R=20` seeded data sets with :math:`\sup_\theta\mu\le(2+\epsilon)/(1-\epsilon)^2` must be
  :math:`\ge1-\delta`; it is 0 (false-alarm rate :math:`\delta^{20}=10^{-20}`).  The decision is
  statistical: a violation is confirmed by an independent replicate (20 fresh data sets, μ in exact
  rationals; :func:`._precise.witness_fraction_exact`).
* ``exact`` (``population_upper``): population OLM points, every population quantity from one factor
  :math:`S=RR^T` (:func:`._common.olm_population`), and the diagonal network above.  Mixing
  :math:`r^TSr` with a quadrature over the clipped factor gave :math:`\bar\mu=3.0002` for :math:`r` near the
  kernel of a rank-one ``S`` (:math:`r^TSr/(\|S\|\|r\|^2)\approx3\times10^{-12}`), a rounding artefact; the
  consistent computation gives 3 to 1e-15 there (a fixed instance).
* ``symbolic`` (population): :math:`\operatorname{Tr}(\bar\Sigma_1\bar G)=2\bar{\mathcal L}\|\bar G\|_F^2+
  2\nabla\bar{\mathcal L}^T\bar G\nabla\bar{\mathcal L}` with :math:`\bar\Sigma_1` by exact Gaussian moments
  (whitened symbols, :math:`d=p=2`); the cap 3 then follows from Lemma C.2 (symbolic there).
* ``property`` (population): Hypothesis over ``psd_with`` for :math:`S`, bounded :math:`J`, :math:`r`.

References
----------
[wang2023noise, Theorem 3.2; Appendix B.1; Appendix C.1, Lemmas C.1–C.2].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, REAL

from ._common import (
    KEY,
    OLM_INPUTS,
    kurtosis_witness,
    olm_nondegenerate,
    olm_points,
    olm_population,
    random_olm_point,
    witness_checks,
)
from ._precise import statistical, witness_fraction_exact
from ._symbolic import olm_population as olm_population_sym

SOURCE = Source(KEY, "Theorem 3.2", page=4)
REPS = 20


@statistical
def literal(inst: dict[str, Any]) -> Comparison:
    """Fraction of seeded data sets (d = 1) on which sup μ ≤ (2+ε)/(1−ε)², versus 1 − δ."""
    eps, mu = inst["eps"], kurtosis_witness(inst["n"], REPS, inst["seed"])
    ok = float(np.mean(np.maximum(mu, 1.0) <= (2 + eps) / (1 - eps) ** 2))
    return Comparison(ok, 1 - inst["delta"], ">=", "fraction of draws with sup μ ≤ (2+ε)/(1−ε)²", "1 − δ")


def literal_replicate(inst: dict[str, Any]) -> Comparison:
    """:func:`literal` on R independent data sets, μ = mean x⁴/(mean x²)² exactly (the replicate)."""
    ok = witness_fraction_exact(inst["n"], REPS, inst["seed"], inst["eps"])
    return Comparison(
        ok, 1 - Fraction(inst["delta"]), ">=", "fraction of draws with sup μ ≤ (2+ε)/(1−ε)²", "1 − δ"
    )


LITERAL = Claim(
    id="wang2023.thm3_2",
    title="w.h.p. (1−ε)/(1+ε)² ≤ μ(θ) ≤ (2+ε)/(1−ε)² for all θ (OLM; as printed)",
    source=SOURCE,
    statement=(
        r"Under "
        r"$n\gtrsim\max\{(d^2\log^2\frac1\epsilon+\log^2\frac1\delta)/\epsilon,"
        r"(d\log\frac1\epsilon+\log\frac1\delta)/\epsilon^2\}$, "
        r"w.p. $\ge1-\delta$, $\forall\theta$: "
        r"$\frac{1-\epsilon}{(1+\epsilon)^2}\le\mu(\theta)\le\frac{2+\epsilon}{(1-\epsilon)^2}$."
    ),
    hypotheses=(),
    conclusion=literal,
    precise_conclusion=literal_replicate,
    inputs={"n": INT, "seed": INT, "eps": REAL, "delta": REAL},
    checks=witness_checks({"n": 20000, "eps": 0.1, "delta": 0.1, "seed": 7}, REPS),
    kind="probability",
    expected=Expected.fails(
        "same root as `wang2023.lemma_c1`: Theorem 3.2's upper constant (2+ε)/(1−ε)² comes from Theorem 4.2, "
        "whose proof uses the mislabelled Lemma C.1; linear model d = 1: μ = mean x⁴/(mean x²)² → 3 > 2.593 "
        "(ε = 0.1) on 20/20 draws at n = 20000; the proof supports (3+ε)/(1−ε)²",
        "docs/errata/wang2023.thm3_2__exact.md",
        finding="erratum",
    ),
)


def pop_mu(inst: dict[str, Any]) -> Comparison:
    """Population loss alignment of an OLM point (exact quadrature) against 3."""
    P = olm_population(inst["S"], inst["J"], inst["r"])
    mu = float(np.trace(P["S1"] @ P["G"])) / (2 * P["L"] * float((P["G"] * P["G"]).sum()))
    return Comparison(mu, 3.0, "<=", "μ̄(θ)", "3")


def _gen_pop(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d, p, S, J = random_olm_point(rng, i)
        if i % 3 == 0:  # rank-one Jacobian aligned with r: μ̄ = 3 when S = I
            r = rng.standard_normal(d)
            J = np.outer(r, rng.standard_normal(p))
        else:
            r = rng.standard_normal(d)
        out.append({"S": S, "J": J, "r": r})
    return out


_e1 = np.array([1.0, 0.0])
DIAGONAL_NET = {  # F(θ) = α∘α − β∘β at α = β = e₁ (d = 2, p = 4), F(θ*) = −e₁
    "S": np.eye(2),
    "J": np.hstack([2 * np.diag(_e1), -2 * np.diag(_e1)]),
    "r": _e1,
}

# Found by a survey: r near the kernel of a rank-one S (rᵀSr/(‖S‖‖r‖²) ≈ 3e-12); μ̄ read 3.0002 when rᵀSr and
# the quadrature used different factors of S.
NEAR_KERNEL = {
    "S": np.array(
        [
            [0.14446815434493152, 0.552687326880972, 0.3283604827493787],
            [0.552687326880972, 2.114398724617965, 1.2561984908507742],
            [0.3283604827493787, 1.2561984908507742, 0.746327847270568],
        ]
    ),
    "J": np.array(
        [
            [-0.15001382476170666, 1.2038025860201251, -0.26099470287262244],
            [-0.9410763870320564, -0.08282161313904271, -0.5497390891117642],
            [-0.4513856670211047, 0.26649378653901856, 0.7220693416172786],
        ]
    ),
    "r": np.array([233.28401822214127, 465.015384894305, -885.3424345314568]),
}


def population_obligations() -> list[Identity]:
    """μ̄ = 1 + 2∇L̄ᵀḠ∇L̄/(2L̄‖Ḡ‖²_F) (cross-multiplied), Σ̄₁ by exact Gaussian moments (d = p = 2)."""
    P = olm_population_sym()
    G = P["G"]
    lhs = (P["S1"] * G).trace()
    rhs = 2 * P["L"] * (G * G).trace() + 2 * (P["gradL"].T * G * P["gradL"])[0, 0]
    return [Identity(lhs, rhs, "Tr(Σ̄₁Ḡ) = 2L̄‖Ḡ‖²_F + 2∇L̄ᵀḠ∇L̄")]


POP = Claim(
    id="wang2023.thm3_2.population_upper",
    title="population loss alignment of an OLM: μ̄(θ) ≤ 3, attained by a diagonal linear network",
    source=Source(KEY, "Theorem 3.2; App. B.1 and C.1 (proof, corrected)", page=15),
    statement=(
        r"$\bar\mu(\theta)=\operatorname{Tr}(\bar\Sigma_1\bar G)/(2\bar{\mathcal L}\|\bar G\|_F^2)\le3$ "
        r"(by Lemma C.2 along each eigen-direction of $\bar G$)."
    ),
    hypotheses=(Hypothesis("S PSD; S^{1/2}r ≠ 0 and Ḡ ≠ 0", olm_nondegenerate),),
    conclusion=pop_mu,
    inputs=OLM_INPUTS,
    checks=(
        SymbolicCheck("symbolic", population_obligations),
        ExactCheck("exact", _gen_pop, fixed=[DIAGONAL_NET, NEAR_KERNEL]),
        PropertyCheck("property", olm_points(3, 4), max_examples=30),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-10),
)

CLAIMS = [LITERAL, POP]
