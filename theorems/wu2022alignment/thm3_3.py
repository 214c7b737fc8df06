r"""Wu, Wang & Su (2022), Theorem 3.3: linear stability bounds the Hessian's Frobenius norm.

Setting
-------
Linearized model (5) at a global minimum :math:`\theta^*=0` of the square loss, model
gradients :math:`g_i` (columns of :math:`Q\in\mathbb{R}^{p\times n}`),
:math:`H=G=\frac1n\sum_ig_ig_i^T`, linearized mini-batch SGD (4) with learning rate η and
batch size B.  The theorem uses SGD noise with :math:`\mathbb{E}[\xi_t\xi_t^T\mid\theta_t]
=\Sigma(\theta_t)/B` (Eq. (1)), which is exactly the noise of B indices drawn **with
replacement**; that is the scheme encoded.  Linear stability (Definition 3.1:
:math:`\mathbb{E}[L(\theta_t)]\le C\,\mathbb{E}[L(\theta_0)]` for all t) is decided exactly
by the moment engine, :math:`\rho(\mathcal T_\eta)\le1` on :math:`\operatorname{range}H`.
The alignment constant is the best one, :math:`\mu_0=\inf_\theta\mu(\theta)`, computed
exactly (:func:`verifythm.quantities.alignment_extremes`); :math:`\mu_0>0` is needed for
the bound to be finite.

Statement
---------
If :math:`\theta^*` is linearly stable and :math:`\mu(\theta)\ge\mu_0>0` for all θ, then
:math:`\|H(\theta^*)\|_F\le\sqrt{B/\mu_0}/\eta`.

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
Tightness:
The bound is attained: two orthonormal gradients (n = 2, B = 1) have :math:`\mu\equiv1/2`,
:math:`H=I/2` and :math:`\eta^*=2`, so :math:`\eta^*\|H\|_F=\sqrt2=\sqrt{B/\mu_0}`; the
exact check reports ratio 1 there (and ratios above 0.99 on random anisotropic and
widely scaled families at :math:`\eta=\eta^*`).  For n orthonormal gradients and B = 1 the
ratio is :math:`2\sqrt{n-1}/n`.

* ``exact``: seeded gradient families (all of :data:`verifythm.strategies.FAMILIES`),
  n = 2..6, B = 1..n, η from :math:`0.05\eta^*` up to :math:`(1-10^{-9})\eta^*` (the
  worst case, since :math:`\eta\|H\|_F` grows with η), plus the attaining instance;
  stability and :math:`\mu_0` exact.
* ``property``: Hypothesis over gradient families, B and :math:`\eta/\eta^*`, steered to
  small slack.
* ``symbolic`` (proof of Theorem 3.3, Eqs. (7) to (9)): for symbolic gradients
  :math:`g_1,g_2\in\mathbb{R}^2`, θ, η and B = 1, 2, the expected next loss by enumerating all
  with-replacement batches equals :math:`L((I-\eta H)\theta)+\frac{\eta^2}{2B}\operatorname{Tr}(H\Sigma)`
  (so :math:`\mathbb{E}[\xi\xi^T]=\Sigma/B` is derived, not assumed); the full-batch part is a sum of
  squares (Eq. (8)); the noise part is :math:`\eta^2\|H\|_F^2\mu(\theta)L(\theta)/B` (Eq. (9)); and
  :math:`\gamma_0-1=\frac{\mu_0\eta^2}{B}(\|H\|_F-b)(\|H\|_F+b)` with :math:`b=\sqrt{B/\mu_0}/\eta`,
  so the bound is exactly where :math:`\gamma_0=1`.  The without-replacement sibling has no symbolic
  check: the enumeration above is what fails there (``wu2022.eq1.noise_covariance.without_replacement``).
* ``.without_replacement`` re-checks a float64 violation in mpmath at 50 digits (``precise_conclusion``):
  :math:`\|H\|_F` and :math:`\mu_0` from the exact Gram matrix, bypassing the float64 cache of the
  shared helpers (η is an input, so :math:`\eta^*` is not needed).

References
----------
[wu2022alignment, Eq. (1), Definition 3.1, Theorem 3.3 and Eq. (9)].
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.linalg import precise as LP
from verifythm.quantities.extremes import RANGE_RTOL
from verifythm.quantities.precise import gram_exact

from . import KEY, _sym3
from ._linear import MU0_POSITIVE, NONZERO, POSITIVE_ETA, STABLE, at_critical, facts, generate, strategy

SOURCE = Source(KEY, "Theorem 3.3")
TOL = Tolerance(rtol=1e-7, atol=1e-12)


def bound(inst: dict[str, Any]) -> float:
    r""":math:`\sqrt{B/\mu_0}/\eta` with :math:`\mu_0=\inf_\theta\mu(\theta)`."""
    return math.sqrt(int(inst["B"]) / facts(inst)["mu0"]) / float(inst["eta"])


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|H\|_F` versus :math:`\sqrt{B/\mu_0}/\eta`."""
    return Comparison(facts(inst)["fro"], bound(inst), "<=", "‖H(θ*)‖_F", "√(B/μ₀)/η")


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

    k, a = gram_exact(np.asarray(inst["Q"], float).T)  # K = k / 2^a
    n = k.shape[0]
    rows = [sum(int(v) ** 2 for v in k[i]) for i in range(n)]
    total = sum(rows)
    k2 = k.dot(k)
    A = np.empty((n, n), dtype=object)
    for i in range(n):
        for j in range(n):
            A[i, j] = (Fraction(n * rows[i], total) if i == j else 0) - Fraction(int(k2[i, j]), total)
    w, V = LP.eigh_mp(_mpf_int(k))
    top = max(w)
    U = V[:, [i for i, v in enumerate(w) if v > RANGE_RTOL * top]]
    C = U.T.dot(LP.mpf_array(A)).dot(U)
    mu0 = LP.extreme_eigs_mp(C)[0]
    fro = mpmath.sqrt(total) / (mpmath.mpf(2) ** a * n)
    return fro, mu0


def _mpf_int(k: np.ndarray) -> np.ndarray:
    """An integer object array as ``mpf`` (exact: no rounding through float64)."""
    import mpmath

    out = np.empty(k.shape, dtype=object)
    for idx, v in np.ndenumerate(k):
        out[idx] = mpmath.mpf(int(v))
    return out


def conclusion_precise(inst: dict[str, Any]) -> Comparison:
    """:func:`conclusion` re-computed in mpmath at 50 digits (the high-precision re-check)."""
    import mpmath

    with mpmath.workdps(LP.DPS):
        fro, mu0 = facts_precise(inst)
        rhs = mpmath.sqrt(int(inst["B"]) / mu0) / mpmath.mpf(float(inst["eta"]))
        return Comparison(LP.to_float(fro), LP.to_float(rhs), "<=", "‖H(θ*)‖_F", "√(B/μ₀)/η")


def _symbolic() -> list[Any]:
    """Proof of Theorem 3.3, Eqs. (7) to (9), and the threshold γ₀ = μ₀η²‖H‖_F²/B ≤ 1 ⇔ the bound."""
    import sympy as sp

    obs = [*_sym3.eq7_to_9(1), *_sym3.eq7_to_9(2)]
    F, mu0, eta, B = sp.symbols("F mu0 eta B", positive=True)
    obs.append(
        _sym3.threshold(mu0 * eta**2 / B, F, sp.sqrt(B / mu0) / eta, "Eq. (9): γ₀ ≤ 1 ⇔ ‖H‖_F ≤ √(B/μ₀)/η")
    )
    return obs


#: Two orthonormal gradients, B = 1, η just below η* = 2: the bound is attained.
TIGHT = at_critical(np.eye(2), 1)
FIXED = [TIGHT, at_critical(np.eye(3), 1), at_critical(np.eye(2), 2), at_critical(np.diag([1.0, 3.0]), 1)]

CLAIM_LITERAL = Claim(
    id="wu2022.thm3_3",
    title="Linearly stable minima of SGD satisfy ‖H‖_F ≤ √(B/μ₀)/η (with-replacement batches)",
    source=SOURCE,
    statement=(
        r"For the linearized model at a global minimum $\theta^*$, linearized SGD with "
        r"$\mathbb{E}[\xi\xi^T]=\Sigma/B$ (B indices with replacement): if $\theta^*$ is "
        r"linearly stable and $\mu(\theta)\ge\mu_0>0$ for all θ, then "
        r"$\|H(\theta^*)\|_F\le\sqrt{B/\mu_0}/\eta$."
    ),
    hypotheses=(NONZERO, POSITIVE_ETA, MU0_POSITIVE, STABLE),
    conclusion=conclusion,
    checks=(
        ExactCheck("exact", generate, fixed=FIXED),
        PropertyCheck("property", strategy(0.05, 1.0 - 1e-9)),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=TOL,
)


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
    expected=Expected.fails(
        "scope, not an error: Theorem 3.3 needs with-replacement batches, the noise E[ξξᵀ] = Σ/B that §1 "
        "fixes, and there it holds (`wu2022.thm3_3`); without replacement the noise is (n−B)/(B(n−1))·Σ and "
        "the bound fails (n = 3 orthonormal g_i, B = 2: η* = 4, η*‖H‖_F = 4/√3 ≈ 2.31 > √(B/μ₀) = √3 ≈ 1.73)",
        "docs/errata/wu2022.thm3_3.without_replacement__exact.md",
        finding="scope",
    ),
)

CLAIMS = [CLAIM_LITERAL, CLAIM_WOR]
