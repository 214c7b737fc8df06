r"""Wang & Wu (2023), Lemma C.1: the population noise covariance of an OLM (mislabelled).

Setting
-------
Over-parameterized linear model :math:`f(x;\theta)=F(\theta)^Tx` with Jacobian
:math:`J=\nabla F(\theta)\in\mathbb R^{d\times p}`, realizable targets, :math:`r=F(\theta)-F(\theta^*)`,
Gaussian inputs :math:`x\sim\mathcal N(0,S)`.  Population quantities (Eq. (10)):
:math:`\bar G=J^TSJ`, :math:`\bar{\mathcal L}=\frac12r^TSr`, :math:`\nabla\bar{\mathcal L}=J^TSr`,
:math:`\bar\Sigma_1=\mathbb E[(r^Tx)^2J^Txx^TJ]`.

Statement
---------
Lemma C.1 (quoted from Wu et al. 2022, Prop. 2.3) prints
:math:`\bar\Sigma_1=2\bar{\mathcal L}\bar G+\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T`.

Finding
-------
**Erratum**, the root of the errata of Theorems 3.2, 4.2 and 4.3: by Isserlis' theorem :math:`\mathbb
E[(r^Tx)^2xx^T]=(r^TSr)S+2Srr^TS`, so :math:`\bar\Sigma_1=2\bar{\mathcal L}\bar G+2\nabla\bar{\mathcal
L}\nabla\bar{\mathcal L}^T`; the printed right-hand side is the *centred* covariance
:math:`\bar\Sigma=\bar\Sigma_1-\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T` (which is what Wu et al.
state).  The printed form is therefore a mislabel of :math:`\bar\Sigma` as :math:`\bar\Sigma_1`
(``wang2023.lemma_c1``, expected to fail; smallest counterexample :math:`d=p=1`, :math:`S=J=r=1`:
:math:`\bar\Sigma_1=\mathbb E x^4=3` against :math:`2`).  The proof of Theorem 4.2 uses the mislabelled form
(App. C.1, the two "Lemma C.1" steps), which changes the theorem's upper constant: see ``wang2023.thm4_2``.
``wang2023.lemma_c1.as_proved`` and ``.centred`` (``lemma_c1_as_proved``) encode both correct forms.

Evidence
--------
* ``exact``: :math:`\bar\Sigma_1` by exact Gauss–Hermite quadrature (3 nodes per axis, exact for the
  degree-4 integrand) against the printed closed form, on seeded :math:`S` (full rank, singular), :math:`J`,
  :math:`r` with
  :math:`d\le3`, :math:`p\le4`.  The comparison is :math:`\|\text{lhs}-\text{rhs}\|_F\le0` relative to
  :math:`\|\bar\Sigma_1\|_F`.  A violation is re-checked in mpmath at 50 digits (the same quadrature
  on a high-precision eigen-factor of :math:`S`, :func:`._precise.olm_population_mp`).
* ``symbolic`` (Lemma C.1 via Eq. (10)): in whitened coordinates (:math:`u=S^{1/2}r`, :math:`K=S^{1/2}J`,
  symbolic, :math:`d=p=2`) :math:`\bar\Sigma_1=\mathbb E[(u^Tz)^2K^Tzz^TK]` by exact Gaussian moments
  against the printed form (coefficient 1 on :math:`\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T`): sympy
  cannot close it and the exact rational fallback refutes it, as expected.

References
----------
[wang2023noise, Appendix C, Eq. (10) and Lemma C.1]; [wu2022alignment, Proposition 2.3].
"""

from __future__ import annotations

from verifythm import (
    Claim,
    ExactCheck,
    Expected,
    Source,
    SymbolicCheck,
)

from ._common import KEY
from ._lemma_c1 import HYP, INPUTS, SMALLEST, diff_conclusion, diff_conclusion_mp, generate, obligations

SOURCE = Source(KEY, "Appendix C, Lemma C.1", page=19)


LITERAL = Claim(
    id="wang2023.lemma_c1",
    title="Σ̄₁(θ) = 2L̄Ḡ + ∇L̄∇L̄ᵀ for Gaussian inputs (as printed)",
    source=SOURCE,
    statement=r"$\bar\Sigma_1(\theta)=2\bar{\mathcal L}(\theta)\bar G(\theta)+\nabla\bar{\mathcal "
    r"L}(\theta)\nabla\bar{\mathcal L}(\theta)^T$.",
    hypotheses=HYP,
    inputs=INPUTS,
    conclusion=diff_conclusion(1.0),
    precise_conclusion=diff_conclusion_mp(1),
    checks=(SymbolicCheck("symbolic", obligations(1)), ExactCheck("exact", generate, fixed=[SMALLEST])),
    kind="identity",
    expected=Expected.fails(
        "Lemma C.1 gives the uncentred Σ̄₁ as 2L̄Ḡ + ∇L̄∇L̄ᵀ, which is the centred Σ̄ = Σ̄₁ − ∇L̄∇L̄ᵀ of Wu "
        "et al.'s Prop. 2.3; by Isserlis Σ̄₁ = 2L̄Ḡ + 2∇L̄∇L̄ᵀ (d = p = 1, S = J = r = 1: E x⁴ = 3 vs 2); "
        "the proofs of Theorems 3.2, 4.2 and 4.3 inherit it (`wang2023.lemma_c1.as_proved` holds)",
        "docs/errata/wang2023.lemma_c1__exact.md",
        finding="erratum",
    ),
)

CLAIM = LITERAL
