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
* ``wang2023.thm4_2.population_upper`` / ``.population_lower`` (what the proof supports, in the
  :math:`n\to\infty` limit): for every θ, :math:`1\le\inf_v\bar g\le\sup_v\bar g\le3`, decided exactly
  (with :math:`S=RR^T`, :math:`u=R^Tr`, :math:`K=R^TJ` and :math:`w=Kv`,
  :math:`\bar g=w^TMw/(\|u\|^2\|w\|^2)`, :math:`M=\mathbb E_z[(u^Tz)^2zz^T]` by exact Gauss–Hermite
  quadrature, so the extremes are eigenvalues of :math:`M/\|u\|^2` on an orthonormal basis of
  :math:`\operatorname{range}K`); both ends are attained.  This replaces the generalized eigenproblem of
  :math:`(\bar\Sigma_1,2\bar{\mathcal L}\bar G)`, whose float64 error grows with the condition number of
  :math:`\bar G`: for nearly coherent columns of :math:`J` it gave :math:`\inf_v\bar g=1-4.5\times10^{-7}`
  (found by ``verifythm tightness``), a rounding artefact.

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
* ``exact`` as described; population instances: seeded PSD :math:`S` (full rank and singular),
  Jacobians :math:`J\in\mathbb R^{d\times p}` (:math:`d\le3`), residual directions :math:`r`, with
  :math:`r\in\operatorname{range}J` (upper bound attained) and :math:`p\ge2` (lower bound attained) included.
* ``symbolic`` (population claims; App. C.1 with the corrected Lemma C.1): whitened :math:`u`, :math:`K`,
  :math:`v` symbolic (:math:`d=p=2`), :math:`v^T\bar\Sigma_1v` by exact Gaussian moments;
  :math:`(\bar g-1)\,2\bar{\mathcal L}v^T\bar Gv=2(\nabla\bar{\mathcal L}^Tv)^2` and
  :math:`(3-\bar g)\,2\bar{\mathcal L}v^T\bar Gv=2\sum_{i<j}(u_iw_j-u_jw_i)^2` (:math:`w=Kv`; Lemma C.2 as
  Lagrange's identity): both sums of squares.  The printed claim's constant 2 comes from the printed
  Lemma C.1, refuted symbolically on ``wang2023.lemma_c1``.
* ``property`` (population claims): Hypothesis over ``psd_with`` for :math:`S`, bounded :math:`J`, :math:`r`
  (half with :math:`r\in\operatorname{range}J`, where the sup is 3).

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

from ._common import (
    KEY,
    kurtosis_witness,
    olm_nondegenerate,
    olm_points,
    olm_population,
    random_olm_point,
    witness_checks,
)
from ._precise import statistical, witness_fraction_exact
from ._symbolic import lagrange_defect
from ._symbolic import olm_population as olm_population_sym

SOURCE = Source(KEY, "Theorem 4.2", page=6)
REPS = 20


def upper_bound(eps: float) -> float:
    """The printed upper constant (2+ε)/(1−ε)²."""
    return (2 + eps) / (1 - eps) ** 2


@statistical
def literal(inst: dict[str, Any]) -> Comparison:
    """Fraction of seeded data sets (d = 1) on which sup g ≤ (2+ε)/(1−ε)², versus 1 − δ."""
    eps, delta = float(inst["eps"]), float(inst["delta"])
    g = kurtosis_witness(int(inst["n"]), REPS, int(inst["seed"]))
    ok = float(np.mean(np.maximum(g, 1.0) <= upper_bound(eps)))
    return Comparison(ok, 1 - delta, ">=", "fraction of draws with sup g ≤ (2+ε)/(1−ε)²", "1 − δ")


def literal_replicate(inst: dict[str, Any]) -> Comparison:
    """:func:`literal` on R independent data sets, g = mean x⁴/(mean x²)² exactly (the replicate)."""
    ok = witness_fraction_exact(int(inst["n"]), REPS, int(inst["seed"]), float(inst["eps"]))
    delta = Fraction(float(inst["delta"]))
    return Comparison(ok, 1 - delta, ">=", "fraction of draws with sup g ≤ (2+ε)/(1−ε)²", "1 − δ")


def _pop_extremes(inst: dict[str, Any]) -> tuple[float, float]:
    S, J, r = (np.asarray(inst[k], float) for k in ("S", "J", "r"))
    P = olm_population(S, J, r)
    # v ↦ w = Kv (S = RRᵀ, K = RᵀJ): vᵀḠv = ‖w‖² and vᵀΣ̄₁v = wᵀMw, so ḡ is the Rayleigh quotient of
    # M/‖u‖² on the range of K.  An orthonormal basis of that range avoids the generalized eigenproblem
    # (Σ̄₁, 2L̄Ḡ), whose rounding error grows with the condition number of Ḡ (inf ḡ = 1 − 4.5e-7 for
    # nearly coherent columns of J).  Same numerical range as before: singular values with σ² > 1e-9 σ₁².
    Uk, sv, _ = np.linalg.svd(P["K"], full_matrices=False)
    Q = Uk[:, sv**2 > 1e-9 * sv.max() ** 2]
    vals = np.linalg.eigvalsh(Q.T @ P["M"] @ Q) / (2 * P["L"])
    return float(vals[0]), float(vals[-1])


def pop_upper(inst: dict[str, Any]) -> Comparison:
    """Exact sup over v of the population alignment ḡ against 3."""
    return Comparison(_pop_extremes(inst)[1], 3.0, "<=", "sup_v ḡ(θ; v)", "3")


def pop_lower(inst: dict[str, Any]) -> Comparison:
    """Exact inf over v of the population alignment ḡ against 1."""
    return Comparison(_pop_extremes(inst)[0], 1.0, ">=", "inf_v ḡ(θ; v)", "1")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d, p, S, J = random_olm_point(rng, i)
        r = rng.standard_normal(d)
        if i % 3 == 0:
            r = J @ rng.standard_normal(p)
        out.append({"S": S, "J": J, "r": r})
    return out


_POP_FIXED = [
    {"S": np.eye(1), "J": np.eye(1), "r": np.ones(1)},  # ḡ = 3
    {"S": np.eye(2), "J": np.eye(2), "r": np.array([1.0, 0.0])},  # ḡ ∈ {1, 3}
    {  # nearly coherent columns of J (found by a survey: the generalized eigenproblem gave 1 − 4.5e-7)
        "S": np.array(
            [[0.5499904337930527, -0.062055346022059914], [-0.062055346022059914, 0.40026391412208223]]
        ),
        "J": np.array(
            [[-0.9365750668297831, -0.9360361852084367], [-0.41302808591099077, -0.41271146248880963]]
        ),
        "r": np.array([-0.5662462101881869, -0.10305646944047793]),
    },
]


def _pop_obligations(side: str) -> Any:
    def build() -> list[Identity]:
        """App. C.1 (corrected): ḡ − 1 and 3 − ḡ, times 2L̄·vᵀḠv, as sums of squares (d = p = 2)."""
        P = olm_population_sym()
        v = P["v"]
        vGv = (v.T * P["G"] * v)[0, 0]
        num = (v.T * P["S1"] * v)[0, 0]  # vᵀΣ̄₁v, Σ̄₁ by Gaussian moments; ḡ = num/(2L̄·vᵀḠv)
        gv2 = (P["gradL"].T * v)[0, 0] ** 2
        if side == "lower":  # ḡ − 1 = (∇L̄ᵀv)²/(L̄ vᵀḠv)
            return [Identity(num - 2 * P["L"] * vGv, 2 * gv2, "(ḡ − 1)·2L̄vᵀḠv = 2(∇L̄ᵀv)² ≥ 0")]
        defect = lagrange_defect(P["u"], P["K"] * v)  # Lemma C.2: 2L̄vᵀḠv − (∇L̄ᵀv)² ≥ 0
        return [
            Identity(num, 2 * P["L"] * vGv + 2 * gv2, "vᵀΣ̄₁v = 2L̄vᵀḠv + 2(∇L̄ᵀv)² (corrected Lemma C.1)"),
            Identity(
                3 * 2 * P["L"] * vGv - num, 2 * defect, "(3 − ḡ)·2L̄vᵀḠv = 2Σ_{i<j}(u_iw_j − u_jw_i)² ≥ 0"
            ),
        ]

    return build


_POP_HYP = (Hypothesis("S PSD; S^{1/2}r ≠ 0 and Ḡ ≠ 0 (ḡ not 0/0)", olm_nondegenerate),)
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

POP_UPPER = Claim(
    id="wang2023.thm4_2.population_upper",
    title="population alignment: sup_v ḡ(θ; v) ≤ 3 for every θ, attained (corrected Lemma C.1 + C.2)",
    source=Source(KEY, "Theorem 4.2, App. C.1 (proof, corrected)", page=20),
    statement=r"$\bar g(\theta;v)=v^T\bar\Sigma_1v/(2\bar{\mathcal L}v^T\bar Gv)=1+(\nabla\bar{\mathcal "
    r"L}^Tv)^2/(\bar{\mathcal L}v^T\bar Gv)\le3$.",
    hypotheses=_POP_HYP,
    conclusion=pop_upper,
    checks=(
        SymbolicCheck("symbolic", _pop_obligations("upper")),
        ExactCheck("exact", _generate, fixed=_POP_FIXED),
        PropertyCheck("property", olm_points(3, 4), max_examples=30),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-10),
)

POP_LOWER = Claim(
    id="wang2023.thm4_2.population_lower",
    title="population alignment: inf_v ḡ(θ; v) ≥ 1 for every θ, attained",
    source=Source(KEY, "Theorem 4.2, App. C.1 (proof)", page=20),
    statement=r"$\bar g(\theta;v)\ge1$ for all θ, v with $v^T\bar Gv>0$.",
    hypotheses=_POP_HYP,
    conclusion=pop_lower,
    checks=(
        SymbolicCheck("symbolic", _pop_obligations("lower")),
        ExactCheck("exact", _generate, fixed=_POP_FIXED),
        PropertyCheck("property", olm_points(3, 4), max_examples=30),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-10),
)

CLAIMS = [LITERAL, POP_UPPER, POP_LOWER]
