r"""Wu, Wang & Su (2022), Theorem 3.3 read for mini-batches drawn without replacement: the bound fails.

Setting
-------
As in Theorem 3.3 (``wu2022.thm3_3``, module ``thm3_3``), but with B distinct indices drawn **without
replacement**; linear stability is decided exactly by the moment engine for that scheme.

Statement
---------
``wu2022.thm3_3.without_replacement``: if :math:`\theta^*` is linearly stable and
:math:`\mu(\theta)\ge\mu_0>0` for all θ, then :math:`\|H(\theta^*)\|_F\le\sqrt{B/\mu_0}/\eta`.

Finding
-------
**Scope** (sampling scheme):
Without replacement the noise covariance is :math:`\frac{n-B}{B(n-1)}\Sigma` (smaller), the
stable region is larger, and the bound with the batch size B fails:
``wu2022.thm3_3.without_replacement`` is an expected failure (n = 3 orthonormal
gradients, B = 2: :math:`\mu_0=2/3`, :math:`\eta^*=4`,
:math:`\eta^*\|H\|_F=4/\sqrt3>\sqrt3`; the report shows the smallest violating instance
found).  The paper's E[ξξᵀ] = Σ/B fixes the with-replacement reading, so this is a **scope**
finding — the with-replacement assumption is necessary — not an error of the paper.

Evidence
--------
* ``exact``: the seeded gradient families of ``wu2022.thm3_3`` with genuine mini-batches (2 ≤ B < n) at
  their critical learning rate, plus the smallest violating instance (n = 3 orthonormal gradients, B = 2).
* A float64 violation is re-checked in mpmath at 50 digits (``precise_conclusion``):
  :math:`\|H\|_F` and :math:`\mu_0` from the exact Gram matrix, bypassing the float64 cache of the
  shared helpers (η is an input, so :math:`\eta^*` is not needed).

References
----------
[wu2022alignment, Eq. (1), Theorem 3.3].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Expected, Hypothesis
from verifythm.linalg import precise as LP
from verifythm.quantities.extremes import RANGE_RTOL
from verifythm.quantities.precise import gram_exact

from ._linear import MU0_POSITIVE, NONZERO, POSITIVE_ETA, STABLE, at_critical, generate
from .thm3_3 import INPUTS, SOURCE, TOL, conclusion


def facts_precise(inst: dict[str, Any]) -> tuple[Any, Any]:
    r""":math:`(\|H\|_F,\ \mu_0)` in mpmath at 50 digits, independent of the float64 cache of :func:`facts`.

    :math:`K = Q^TQ` is exact (integers over a power of two), and so are
    :math:`D=\operatorname{diag}(\chi)/\bar\chi` and :math:`M_2=K^2/\|K\|_F^2`
    (:mod:`verifythm.quantities.extremes`); :math:`\mu_0` is the least eigenvalue of :math:`D-M_2`
    compressed to :math:`\operatorname{range}K`, whose basis is the eigenvectors of :math:`K` (mpmath)
    above the engine's relative threshold :data:`~verifythm.quantities.extremes.RANGE_RTOL`.
    :math:`\|H\|_F=\|QQ^T\|_F/n=\|K\|_F/n`.  Call inside ``mpmath.workdps``.
    """
    import mpmath

    k, a = gram_exact(inst["Q"].T)  # K = k / 2^a
    n = k.shape[0]
    rows = [sum(int(v) ** 2 for v in k[i]) for i in range(n)]
    total = sum(rows)
    k2 = k.dot(k)
    A = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            A[i, j] = (Fraction(n * rows[i], total) if i == j else 0) - Fraction(int(k2[i, j]), total)
    w, V = LP.eigh_mp(LP.mpf_array(k))  # k: Python ints, not rounded through float64
    top = max(w)
    U = V[:, [i for i, v in enumerate(w) if v > RANGE_RTOL * top]]
    C = U.T.dot(LP.mpf_array(A)).dot(U)
    mu0 = LP.extreme_eigs_mp(C)[0]
    fro = mpmath.sqrt(total) / (mpmath.mpf(2) ** a * n)
    return fro, mu0


def conclusion_precise(inst: dict[str, Any]) -> Comparison:
    """:func:`conclusion` re-computed in mpmath at 50 digits (the high-precision re-check)."""
    import mpmath

    with mpmath.workdps(LP.DPS):
        fro, mu0 = facts_precise(inst)
        rhs = mpmath.sqrt(inst["B"] / mu0) / mpmath.mpf(inst["eta"])
        return Comparison(LP.to_float(fro), LP.to_float(rhs), "<=", "‖H(θ*)‖_F", "√(B/μ₀)/η")


# -- the same bound for without-replacement mini-batches -----------------------------------
def _wor(inst: dict[str, Any]) -> dict[str, Any]:
    return {**inst, "sampling": "without-replacement"}


def _generate_wor(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for inst in generate(rng, k):
        if 2 <= int(inst["B"]) < np.shape(inst["Q"])[1]:  # genuine mini-batches (B = n is GD)
            out.append(at_critical(inst["Q"], int(inst["B"]), sampling="without-replacement"))
    return out


#: n = 3 orthonormal gradients, B = 2 without replacement: c = (n−B)/(B(n−1)) = 1/4.
WOR_SMALLEST = at_critical(np.eye(3), 2, sampling="without-replacement")

CLAIM_WOR = Claim(
    id="wu2022.thm3_3.without_replacement",
    title="Theorem 3.3's bound for mini-batches drawn without replacement",
    source=SOURCE,
    statement=(
        r"Theorem 3.3 read for the common without-replacement mini-batch SGD (B distinct "
        r"indices): if $\theta^*$ is linearly stable and $\mu(\theta)\ge\mu_0>0$, then "
        r"$\|H(\theta^*)\|_F\le\sqrt{B/\mu_0}/\eta$."
    ),
    hypotheses=(
        NONZERO,
        POSITIVE_ETA,
        MU0_POSITIVE,
        Hypothesis(
            "θ* linearly stable: ρ(T_η) ≤ 1 (exact, without-replacement sampling)",
            lambda inst: STABLE.predicate(_wor(inst)),
        ),
    ),
    conclusion=conclusion,
    precise_conclusion=conclusion_precise,
    checks=(ExactCheck("exact", _generate_wor, fixed=[WOR_SMALLEST]),),
    tolerance=TOL,
    inputs=INPUTS,
    expected=Expected.fails(
        "scope, not an error: Theorem 3.3 needs with-replacement batches, the noise E[ξξᵀ] = Σ/B that §1 "
        "fixes, and there it holds (`wu2022.thm3_3`); without replacement the noise is (n−B)/(B(n−1))·Σ and "
        "the bound fails (n = 3 orthonormal g_i, B = 2: η* = 4, η*‖H‖_F = 4/√3 ≈ 2.31 > √(B/μ₀) = √3 ≈ 1.73)",
        "docs/errata/wu2022.thm3_3.without_replacement__exact.md",
        finding="scope",
    ),
)

CLAIMS = [CLAIM_WOR]
