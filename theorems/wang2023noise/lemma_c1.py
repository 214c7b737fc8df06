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
``wang2023.lemma_c1.as_proved`` encodes both correct forms.

Evidence
--------
* ``exact``: :math:`\bar\Sigma_1` by exact Gauss–Hermite quadrature (3 nodes per axis, exact for the
  degree-4 integrand) against the closed forms, on seeded :math:`S` (full rank, singular), :math:`J`,
  :math:`r`
  with :math:`d\le3`, :math:`p\le4`.  The comparison is :math:`\|\text{lhs}-\text{rhs}\|_F\le0` relative to
  :math:`\|\bar\Sigma_1\|_F`.  A violation is re-checked in mpmath at 50 digits (the same quadrature
  on a high-precision eigen-factor of :math:`S`, :func:`._precise.olm_population_mp`).
* ``symbolic`` (Lemma C.1 via Eq. (10)): in whitened coordinates (:math:`u=S^{1/2}r`, :math:`K=S^{1/2}J`,
  symbolic, :math:`d=p=2`) :math:`\bar\Sigma_1=\mathbb E[(u^Tz)^2K^Tzz^TK]` by exact Gaussian moments
  against each closed form; for the printed form (coefficient 1 on :math:`\nabla\bar{\mathcal L}\nabla
  \bar{\mathcal L}^T`) sympy cannot close it and the exact rational fallback refutes it, as expected.
* ``property`` (the two correct forms): Hypothesis over ``psd_with`` for :math:`S`, bounded :math:`J`,
  :math:`r` (half the draws with :math:`r\in\operatorname{range}J`), :math:`d\le3`, :math:`p\le4`
  (quadrature is exact only there).

References
----------
[wang2023noise, Appendix C, Eq. (10) and Lemma C.1]; [wu2022alignment, Proposition 2.3].
"""

from __future__ import annotations

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
)
from verifythm.linalg.precise import DPS
from verifythm.strategies import random_psd

from ._common import KEY, olm_points, olm_population, olm_shapes
from ._precise import frobenius_mp, olm_population_mp
from ._symbolic import olm_population as olm_population_sym

SOURCE = Source(KEY, "Appendix C, Lemma C.1", page=19)


def _diff(coef: float, centred: bool = False):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        S, J, r = (np.asarray(inst[k], float) for k in ("S", "J", "r"))
        P = olm_population(S, J, r)
        lhs = P["S1"] - (np.outer(P["gradL"], P["gradL"]) if centred else 0.0)
        rhs = 2 * P["L"] * P["G"] + coef * np.outer(P["gradL"], P["gradL"])
        return Comparison(
            float(np.linalg.norm(lhs - rhs)),
            0.0,
            "==",
            "‖lhs − rhs‖_F",
            "0",
            scale=float(np.linalg.norm(P["S1"])) + 1e-300,
        )

    return conclusion


def _diff_mp(coef: int, centred: bool = False):
    """:func:`_diff` in mpmath at 50 digits (:func:`._precise.olm_population_mp`; the precise re-check)."""

    def conclusion(inst: dict[str, Any]) -> Comparison:
        import mpmath

        with mpmath.workdps(DPS):
            P = olm_population_mp(inst["S"], inst["J"], inst["r"])
            gg = np.outer(P["gradL"], P["gradL"])
            lhs = P["S1"] - gg if centred else P["S1"]
            rhs = 2 * P["L"] * P["G"] + coef * gg
            return Comparison(
                frobenius_mp(lhs - rhs),
                0.0,
                "==",
                "‖lhs − rhs‖_F",
                "0",
                scale=frobenius_mp(P["S1"]) + 1e-300,
            )

    return conclusion


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d, p = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        S = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        J = rng.standard_normal((d, p))
        r = rng.standard_normal(d)
        if i % 4 == 0:  # ∇F v ∥ r directions present
            J[:, 0] = r
        out.append({"S": S, "J": J, "r": r})
    return out


def _obligations(coefficient: int, centred: bool = False) -> Any:
    def build() -> list[Identity]:
        """Lemma C.1, whitened symbolic u ∈ R², K ∈ R^{2×2}: Σ̄₁ by Gaussian moments vs the closed form."""
        P = olm_population_sym()
        lhs = P["S1"] - P["gradL"] * P["gradL"].T if centred else P["S1"]
        rhs = 2 * P["L"] * P["G"] + coefficient * P["gradL"] * P["gradL"].T
        name = "Σ̄₁ − ∇L̄∇L̄ᵀ" if centred else "Σ̄₁"
        return [Identity(lhs, rhs, f"{name} = 2L̄Ḡ + {coefficient}·∇L̄∇L̄ᵀ (E over z by exact moments)")]

    return build


SMALLEST = {"S": np.eye(1), "J": np.eye(1), "r": np.ones(1)}
HYP = (
    olm_shapes(),
    Hypothesis("Σ̄₁ ≠ 0", lambda i: bool(np.linalg.norm(np.asarray(i["J"]).T @ i["S"] @ i["r"]) > 1e-9)),
)

LITERAL = Claim(
    id="wang2023.lemma_c1",
    title="Σ̄₁(θ) = 2L̄Ḡ + ∇L̄∇L̄ᵀ for Gaussian inputs (as printed)",
    source=SOURCE,
    statement=r"$\bar\Sigma_1(\theta)=2\bar{\mathcal L}(\theta)\bar G(\theta)+\nabla\bar{\mathcal "
    r"L}(\theta)\nabla\bar{\mathcal L}(\theta)^T$.",
    hypotheses=HYP,
    conclusion=_diff(1.0),
    precise_conclusion=_diff_mp(1),
    checks=(SymbolicCheck("symbolic", _obligations(1)), ExactCheck("exact", _generate, fixed=[SMALLEST])),
    kind="identity",
    expected=Expected.fails(
        "Lemma C.1 gives the uncentred Σ̄₁ as 2L̄Ḡ + ∇L̄∇L̄ᵀ, which is the centred Σ̄ = Σ̄₁ − ∇L̄∇L̄ᵀ of Wu "
        "et al.'s Prop. 2.3; by Isserlis Σ̄₁ = 2L̄Ḡ + 2∇L̄∇L̄ᵀ (d = p = 1, S = J = r = 1: E x⁴ = 3 vs 2); "
        "the proofs of Theorems 3.2, 4.2 and 4.3 inherit it (`wang2023.lemma_c1.as_proved` holds)",
        "docs/errata/wang2023.lemma_c1__exact.md",
        finding="erratum",
    ),
)

AS_PROVED_UNCENTRED = Claim(
    id="wang2023.lemma_c1.as_proved",
    title="Σ̄₁ = 2L̄Ḡ + 2∇L̄∇L̄ᵀ (Isserlis), i.e. Σ̄ = Σ̄₁ − ∇L̄∇L̄ᵀ = 2L̄Ḡ + ∇L̄∇L̄ᵀ",
    source=SOURCE,
    statement=r"$\bar\Sigma_1=2\bar{\mathcal L}\bar G+2\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T$.",
    hypotheses=HYP,
    conclusion=_diff(2.0),
    checks=(
        SymbolicCheck("symbolic", _obligations(2)),
        ExactCheck("exact", _generate, fixed=[SMALLEST]),
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
    conclusion=_diff(1.0, centred=True),
    checks=(
        SymbolicCheck("symbolic", _obligations(1, centred=True)),
        ExactCheck("exact", _generate, fixed=[SMALLEST]),
        PropertyCheck("property", olm_points(3, 4), max_examples=30),
    ),
    kind="identity",
)

CLAIMS = [LITERAL, AS_PROVED_UNCENTRED, AS_PROVED_CENTRED]
