r"""Wang & Wu (2023), Lemma C.1 as proved: Σ̄₁ = 2L̄Ḡ + 2∇L̄∇L̄ᵀ, i.e. the centred Σ̄ = 2L̄Ḡ + ∇L̄∇L̄ᵀ.

Setting
-------
Over-parameterized linear model :math:`f(x;\theta)=F(\theta)^Tx` with Jacobian
:math:`J=\nabla F(\theta)\in\mathbb R^{d\times p}`, realizable targets, :math:`r=F(\theta)-F(\theta^*)`,
Gaussian inputs :math:`x\sim\mathcal N(0,S)`.  Population quantities (Eq. (10)):
:math:`\bar G=J^TSJ`, :math:`\bar{\mathcal L}=\frac12r^TSr`, :math:`\nabla\bar{\mathcal L}=J^TSr`,
:math:`\bar\Sigma_1=\mathbb E[(r^Tx)^2J^Txx^TJ]`.

Statement
---------
The correct forms of Lemma C.1 (whose printed form is the erratum ``wang2023.lemma_c1``): by Isserlis'
theorem :math:`\mathbb E[(r^Tx)^2xx^T]=(r^TSr)S+2Srr^TS`, so

* ``wang2023.lemma_c1.as_proved``: :math:`\bar\Sigma_1=2\bar{\mathcal L}\bar G+2\nabla\bar{\mathcal
  L}\nabla\bar{\mathcal L}^T`;
* ``wang2023.lemma_c1.centred``: :math:`\bar\Sigma=\bar\Sigma_1-\nabla\bar{\mathcal L}\nabla\bar{\mathcal
  L}^T=2\bar{\mathcal L}\bar G+\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T` (the form Wu et al. state).

Evidence
--------
* ``exact``: :math:`\bar\Sigma_1` by exact Gauss–Hermite quadrature (3 nodes per axis, exact for the
  degree-4 integrand) against the closed forms, on seeded :math:`S` (full rank, singular), :math:`J`,
  :math:`r` with :math:`d\le3`, :math:`p\le4`.  The comparison is :math:`\|\text{lhs}-\text{rhs}\|_F\le0`
  relative to :math:`\|\bar\Sigma_1\|_F`.
* ``symbolic`` (Lemma C.1 via Eq. (10)): in whitened coordinates (:math:`u=S^{1/2}r`, :math:`K=S^{1/2}J`,
  symbolic, :math:`d=p=2`) :math:`\bar\Sigma_1=\mathbb E[(u^Tz)^2K^Tzz^TK]` by exact Gaussian moments
  against each closed form.
* ``property``: Hypothesis over ``psd_with`` for :math:`S`, bounded :math:`J`, :math:`r` (half the draws
  with :math:`r\in\operatorname{range}J`), :math:`d\le3`, :math:`p\le4` (quadrature is exact only there).

References
----------
[wang2023noise, Appendix C, Eq. (10) and Lemma C.1]; [wu2022alignment, Proposition 2.3].
"""

from __future__ import annotations

from verifythm import (
    Claim,
    ExactCheck,
    PropertyCheck,
    Source,
    SymbolicCheck,
)

from ._common import KEY, olm_points
from ._lemma_c1 import HYP, INPUTS, SMALLEST, diff_conclusion, generate, obligations

SOURCE = Source(KEY, "Appendix C, Lemma C.1", page=19)


AS_PROVED_UNCENTRED = Claim(
    id="wang2023.lemma_c1.as_proved",
    title="Σ̄₁ = 2L̄Ḡ + 2∇L̄∇L̄ᵀ (Isserlis), i.e. Σ̄ = Σ̄₁ − ∇L̄∇L̄ᵀ = 2L̄Ḡ + ∇L̄∇L̄ᵀ",
    source=SOURCE,
    statement=r"$\bar\Sigma_1=2\bar{\mathcal L}\bar G+2\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T$.",
    hypotheses=HYP,
    inputs=INPUTS,
    conclusion=diff_conclusion(2.0),
    checks=(
        SymbolicCheck("symbolic", obligations(2)),
        ExactCheck("exact", generate, fixed=[SMALLEST]),
        PropertyCheck("property", olm_points(3, 4), max_examples=30),
    ),
    kind="identity",
)

AS_PROVED_CENTRED = Claim(
    id="wang2023.lemma_c1.centred",
    title="Σ̄ = Σ̄₁ − ∇L̄∇L̄ᵀ = 2L̄Ḡ + ∇L̄∇L̄ᵀ (the form Wu et al. state)",
    source=SOURCE,
    statement=r"$\bar\Sigma_1-\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T=2\bar{\mathcal L}\bar "
    r"G+\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T$.",
    hypotheses=HYP,
    inputs=INPUTS,
    conclusion=diff_conclusion(1.0, centred=True),
    checks=(
        SymbolicCheck("symbolic", obligations(1, centred=True)),
        ExactCheck("exact", generate, fixed=[SMALLEST]),
        PropertyCheck("property", olm_points(3, 4), max_examples=30),
    ),
    kind="identity",
)

CLAIMS = [AS_PROVED_UNCENTRED, AS_PROVED_CENTRED]
