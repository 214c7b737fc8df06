r"""Li et al. (2019), Theorem 2 (proof, Appendix F): a Frobenius-norm step behind the constant :math:`K_2`.

Setting
-------
Sample gradients :math:`g_1,\dots,g_n\in\mathbb R^p` at :math:`\theta_t` with centred covariance
:math:`\Sigma_t` (Eq. (5)), mini-batch size :math:`m`.

Statement
---------
To reach the constant :math:`K_2` of Eq. (33), the proof of Theorem 2 bounds
:math:`\alpha_{t,2}=\frac{\eta_t^2L}{2m}\|\Sigma_t\|_F` using
":math:`\|\Sigma_t\|_F\le m\|\Sigma_t\|_2`".  Encoded: ``li2019.thm2.proof_step`` —
:math:`\|\Sigma_t\|_F\le m\|\Sigma_t\|_2` as printed.
**False** (a **proof-gap**: the step, not Theorem 2's statement, is refuted): the batch size
has nothing to do with the rank of :math:`\Sigma_t`; e.g.
:math:`n=4`, :math:`p=2`, :math:`g=(\pm1,0),(0,\pm1)`, :math:`m=1`: :math:`\Sigma_t=\frac12I`,
:math:`\|\Sigma_t\|_F=\frac{\sqrt2}2>\frac12=m\|\Sigma_t\|_2` (Hypothesis shrinks it to
:math:`n=3`, :math:`g=e_1,e_2,0`, :math:`m=1`: :math:`0.351>0.333`; that is the committed report).
Consequently the term
:math:`\frac{(m+1)\eta^2L\sigma}{2m}` of :math:`K_2` is not justified as written; with the
correct inequality (``li2019.thm2.proof_step.corrected``, :mod:`.thm2_corrected`) it
becomes :math:`\frac{(\sqrt r+1)\eta^2L\sigma}{2m}`, :math:`r=\operatorname{rank}\Sigma_t\le\min(p,n-1)`.

Theorem 2 itself (Eqs. (32)–(34)) involves an unspecified absolute constant :math:`c` and is
not encoded here; its constant fit is ``li2019.thm2.tails.constant_fit`` (``thm2_tails.py``).

Evidence
--------
* ``symbolic``: the printed step at :math:`m=1` for :math:`\Sigma=\operatorname{diag}(b+c,b)`
  (:math:`b,c>0`), :math:`m^2\|\Sigma\|_2^2-\|\Sigma\|_F^2=-b^2`, which sympy decides negative; the
  failing point is replayed as the gradient set :math:`(\pm\sqrt{2(b+c)},0),(0,\pm\sqrt{2b})`
  (:math:`n=4`, :math:`m=1`), whose :math:`\Sigma_t` is that diagonal.
* ``exact``: seeded gradient sets (Gaussian; "isotropic" sets :math:`\pm e_j` for which all
  eigenvalues of :math:`\Sigma_t` are equal; rank-one sets), :math:`m` from 1 to :math:`n`.
* ``property``: Hypothesis over gradient sets.
* A float64 violation is re-checked with :math:`\Sigma_t` in exact rationals and its
  norms in 50-digit mpmath (``precise_conclusion``).

References
----------
[li2019hessian, Theorem 2, Eq. (33); proof in Appendix F].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import Comparison, Expected, Nonnegative, SymbolicCheck
from verifythm.claims.common import exact
from verifythm.linalg.precise import extreme_eigs_mp, frac_to_mpf, mpf_array, to_float

from ._thm2 import proof_step, sigma


def _printed(inst: dict[str, Any]) -> Comparison:
    S = sigma(inst)
    two = float(np.linalg.eigvalsh(S)[-1])
    return Comparison(float(np.linalg.norm(S)), inst["m"] * two, "<=", "‖Σ_t‖_F", "m‖Σ_t‖₂")


def _printed_precise(inst: dict[str, Any]) -> Comparison:
    """:func:`_printed` with Σ_t exact (rationals) and its norms at 50 digits (mpmath)."""
    import mpmath

    G = exact(inst["G"])
    C = G - G.sum(axis=0) / G.shape[0]
    S = C.T.dot(C) / G.shape[0]
    with mpmath.workdps(50):
        _, two, _ = extreme_eigs_mp(mpf_array(S))
        fro = mpmath.sqrt(frac_to_mpf(sum((x * x for x in S.ravel()), Fraction(0))))
        return Comparison(to_float(fro), to_float(inst["m"] * two), "<=", "‖Σ_t‖_F", "m‖Σ_t‖₂")


def _symbolic_printed() -> list[Any]:
    """App. F as printed, m = 1: m²‖Σ‖₂² − ‖Σ‖_F² for Σ = diag(b + c, b) (it is −b² < 0)."""
    import sympy as sp

    b, c = sp.symbols("b c", positive=True)
    m = 1
    S = sp.diag(b + c, b)
    two = sp.Max(*S.eigenvals())
    return [Nonnegative(sp.expand(m**2 * two**2 - sum(x**2 for x in S)), "‖Σ_t‖_F² ≤ m²‖Σ_t‖₂² (m = 1)")]


def _printed_instance(pt: dict[str, float]) -> dict[str, Any]:
    """Gradients (±√(2a), 0), (0, ±√(2b)): zero mean, Σ_t = diag(a, b) with a = b + c; m = 1.

    ``c`` cancels from the obligation (it is −b²), so a point may omit it: then ``c = 1``.
    """
    a, b = np.sqrt(2 * (pt["b"] + pt.get("c", 1.0))), np.sqrt(2 * pt["b"])
    return {"G": np.array([[a, 0.0], [-a, 0.0], [0.0, b], [0.0, -b]]), "m": 1}


PRINTED = proof_step(
    _printed,
    SymbolicCheck("symbolic", _symbolic_printed, to_instance=_printed_instance),
    precise_conclusion=_printed_precise,
    id="li2019.thm2.proof_step",
    aliases=("li2019.theorem2.proof_step",),
    title="‖Σ_t‖_F ≤ m‖Σ_t‖₂ (as printed in the proof of Theorem 2; false)",
    statement=r"$\|\Sigma_t\|_F\le m\|\Sigma_t\|_2$ for the sample-gradient covariance and batch size $m$.",
    expected=Expected.fails(
        "the proof of Theorem 2 (App. F) bounds ‖Σ_t‖_F ≤ m‖Σ_t‖₂, which has nothing to do with m; the valid "
        "bound is √rank(Σ_t)·‖Σ_t‖₂ (g = (±1,0), (0,±1), m = 1: ‖Σ‖_F = √2/2 > 1/2), so the (m+1)/(2m) term "
        "of K_2 in Eq. (33) is not justified as written",
        "docs/errata/li2019.thm2.proof_step__property.md",
        finding="proof-gap",
    ),
)

CLAIM = PRINTED
