r"""Dexter et al. (2024), Theorem 1: a sufficient condition for linearized SGD to diverge.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, coherence
:math:`\sigma` (Definition 2), :math:`\eta>0`, :math:`B\in[n]`, and i.i.d. Bernoulli-SGD
Jacobians :math:`\hat J_t = I-\frac\eta B\sum_ix_iH_i`, :math:`x_i\sim\mathrm{Bern}(B/n)`
(Definition 1).  Write :math:`P_k=\hat J_k\cdots\hat J_1`.

Statement
---------
If (a) :math:`\lambda_1(H)>2/\eta` or (b) :math:`\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}`,
then :math:`\lim_k\mathbb E\|P_k\|_2=\infty` (first moment of the spectral norm;
``dexter2024.thm1``).  Condition (a) alone is :mod:`.thm1_gd_part`; what the proof supports (below)
is :mod:`.thm1_as_proved`.

As proved
---------
The proof (Appendix A.2) lower-bounds :math:`\mathbb E\|P_k\|_F^2` through Lemma 4.1(i),
so it proves **mean-square** divergence, :math:`\lim_k\mathbb E\|P_k\|_F^2=\infty`, i.e.
:math:`\rho(\mathcal T_\eta)>1` for :math:`\mathcal T_\eta(W)=\mathbb E[\hat JW\hat J]`; that is
``dexter2024.thm1.as_proved`` (two steps of the proof are :mod:`.thm1_proof`).  It then passes to
:math:`\mathbb E\|P_k\|_2` via :math:`\|M\|_2^2\le\|M\|_F^2\le d\|M\|_2^2`, which relates the *second* moments
:math:`\mathbb E\|P_k\|_F^2` and :math:`\mathbb E\|P_k\|_2^2`, not the first moment.

Finding
-------
**Erratum**: the literal first-moment conclusion is false under condition (b).  For diagonal
families every :math:`\hat J` is diagonal, so
:math:`\max_j(\mathbb E|\hat\jmath_j|)^k\le\mathbb E\|P_k\|_2\le\sum_j(\mathbb E|\hat\jmath_j|)^k`
with :math:`\hat\jmath_j=1-\eta\hat h_j`; hence :math:`\mathbb E\|P_k\|_2\to\infty` iff
:math:`\max_j\mathbb E|\hat\jmath_j|>1` (and :math:`\to0` if it is :math:`<1`), computed
exactly by enumerating the law of :math:`\hat h_j`.  With :math:`d=1`, :math:`n=50`,
:math:`B=5`, :math:`h=(1,0.04,\dots,0.04)`, :math:`\eta=25`: :math:`\lambda_1(H)=0.0592`,
:math:`\sigma=2.96`, condition (b) holds (:math:`0.0592>0.0395`) and GD is stable
(:math:`0.0592<2/\eta=0.08`), :math:`\mathbb E\hat\jmath^2\approx2.6>1` (mean-square
divergence, as proved) but :math:`\mathbb E|\hat\jmath|\approx0.80<1`, so
:math:`\mathbb E\|P_k\|_2=(\mathbb E|\hat\jmath|)^k\to0`.  Rare large steps (the
large sample is in the batch with probability 1/10) blow up the second moment while the
first moment of the product shrinks.  A seeded Monte Carlo cross-check with
:func:`verifythm.dynamics.simulate_products` (4·10⁵ products, seed 7; not part of the checks)
gives :math:`\mathbb E\|P_k\|_2\approx0.7959\pm0.0023,\ 0.633\pm0.004,\ 0.505\pm0.007` for
:math:`k=1,2,3` against the exact :math:`0.7958,\ 0.6332,\ 0.5039`.
Condition (a) alone does imply the literal conclusion: by Jensen,
:math:`\mathbb E\|P_k\|_2\ge\|\mathbb EP_k\|_2=\|J^k\|_2=\max_j|1-\eta\lambda_j|^k`;
that is ``dexter2024.thm1.gd_part``.

Evidence
--------
* ``exact``: seeded diagonal families (:math:`n\le8`, :math:`d\le3`, any :math:`B`) with :math:`\eta`
  drawn above the theorem's threshold (factor 1.001–3), plus the counterexample; the decision
  :math:`\max_j\mathbb E|\hat\jmath_j|` vs 1 is exact (no Monte Carlo, no false alarms).  A float64
  violation is re-checked in exact rationals (``precise_conclusion``: the Bernoulli law of each
  :math:`\hat h_j` and :math:`\mathbb E|\hat\jmath_j|` as Fractions of the inputs).
* ``symbolic`` (sympy, the erratum): exact rational enumeration of the counterexample's law
  (:math:`K\sim\mathrm{Bin}(49,1/10)`) proves condition (b) and :math:`\mathbb E\hat\jmath^2>1`, then
  derives the printed first-moment step :math:`\mathbb E|\hat\jmath|\ge1` and fails on it, as expected.

References
----------
[dexter2024precise, Theorem 1 and its proof in Appendix A.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Expected, Nonnegative, Source, SymbolicCheck

from ._common import condition as condition  # re-exported: public here before the split
from ._exact import abs_moment_exact, frac
from ._thm1 import DIAG_INPUTS, diag_generator, first_moment, hyp_diag


def _first_moment_exact(inst: dict[str, Any]) -> Comparison:
    r""":func:`._thm1.first_moment` in exact rationals (the high-precision re-check).

    The law of each :math:`\hat h_j` is enumerated with exact Bernoulli probabilities and
    :math:`\mathbb E|1-\eta\hat h_j|` is summed as a Fraction of the float inputs.
    """
    D, eta, B = inst["diagonals"], frac(inst["eta"]), inst["B"]
    m = max(abs_moment_exact(D[:, j], eta, B) for j in range(D.shape[1]))
    return Comparison(m, 1.0, ">=", "max_j E|1 − ηĥ_j| (growth of E‖P_k‖₂)", "1")


COUNTEREXAMPLE = {"diagonals": np.array([[1.0]] + [[0.04]] * 49), "eta": 25.0, "B": 5}


def _symbolic_literal() -> list[Any]:
    """Theorem 1 as printed, on the counterexample (d = 1): (b) and E ĵ² > 1 hold, E|ĵ| ≥ 1 is false."""
    import sympy as sp

    n, B, eta, small = 50, 5, sp.Integer(25), sp.Rational(1, 25)
    p = sp.Rational(B, n)
    lam = (1 + (n - 1) * small) / n  # λ₁(H), d = 1
    sigma = 1 + (n - 1) * small  # λ₁(S) = Σ h_i for S = √h√hᵀ, max_i λ₁(H_i) = 1
    law = [  # (probability, ĵ) over x₁ ~ Bern(p) and K ~ Bin(n − 1, p)
        (
            p**x1 * (1 - p) ** (1 - x1) * sp.binomial(n - 1, K) * p**K * (1 - p) ** (n - 1 - K),
            1 - eta * (x1 + K * small) / B,
        )
        for x1 in (0, 1)
        for K in range(n)
    ]
    m2 = sum(w * j**2 for w, j in law)
    m1 = sum(w * sp.Abs(j) for w, j in law)
    return [
        Nonnegative(
            lam - sigma / (eta * sp.sqrt(sp.Integer(n) / B - 1)),
            "condition (b): λ₁(H) ≥ (σ/η)(n/B − 1)^{-1/2}",
        ),
        Nonnegative(2 / eta - lam, "GD stable: λ₁(H) ≤ 2/η, so (b) alone is at work"),
        Nonnegative(m2 - 1, "E ĵ² ≥ 1: mean-square divergence, as proved"),
        Nonnegative(m1 - 1, "printed conclusion: E|ĵ| ≥ 1, i.e. E‖P_k‖₂ = (E|ĵ|)^k ↛ 0"),
    ]


CLAIM = Claim(
    id="dexter2024.thm1",
    title="λ₁(H) > 2/η or λ₁(H) > (σ/η)(n/B − 1)^{-1/2} implies E‖Ĵ_k⋯Ĵ_1‖₂ → ∞ (as stated)",
    source=Source("dexter2024precise", "Theorem 1"),
    statement=(
        r"For i.i.d. Bernoulli-SGD Jacobians $\hat J_t$ of $\{H_i\}$ with coherence $\sigma$: if "
        r"$\lambda_1(H)>2/\eta$ or $\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}$, then "
        r"$\lim_{k\to\infty}\mathbb E\|\hat J_k\cdots\hat J_1\|_2=\infty$."
    ),
    hypotheses=hyp_diag(gd_only=False),
    conclusion=first_moment,
    precise_conclusion=_first_moment_exact,
    checks=(
        SymbolicCheck("symbolic", _symbolic_literal),
        ExactCheck("exact", diag_generator(False), fixed=[COUNTEREXAMPLE]),
    ),
    expected=Expected.fails(
        "Theorem 1 as printed (E‖Ĵ_k⋯Ĵ_1‖₂ → ∞, a first moment) fails under (b), which gives mean-square "
        "divergence only (`dexter2024.thm1.as_proved` holds): d = 1, n = 50, B = 5, h = (1, 0.04×49), η = 25 "
        "meets (b) with GD stable, E ĵ² ≈ 2.6 but E|ĵ| ≈ 0.80 < 1, so E‖Ĵ_k⋯Ĵ_1‖₂ = E|ĵ|^k → 0",
        "docs/errata/dexter2024.thm1__exact.md",
        finding="erratum",
    ),
    kind="limit",
    inputs=DIAG_INPUTS,
)
