r"""Dexter et al. (2024), Theorem 2, proof in Appendix A.2: the construction's σ, λ₁ and exact threshold.

Setting
-------
Parameters :math:`\lambda_1>0`, :math:`n\in\mathbb N`, :math:`B\in[n]` and an integer :math:`\sigma\in[n]`.
The proof's construction (:func:`verifythm.strategies.dexter2024_thm2_family`): :math:`H_i=m\,e_1e_1^T`
for :math:`i\le\sigma`, :math:`H_i=0` otherwise, :math:`m=\lambda_1n/\sigma`, in dimension :math:`d=n`;
Bernoulli sampling (Definition 1).  Theorem 2 itself is :mod:`.thm2`.

Statement
---------
* ``dexter2024.thm2.construction_sigma`` / ``.construction_lambda1``: the construction has coherence
  :math:`\sigma` and :math:`\lambda_1(H)=\lambda_1`;
* ``dexter2024.thm2.threshold_exact``: the proof's chain of equivalences is exact, i.e. the
  critical learning rate of the construction is :math:`\eta^*=2\sigma/(\lambda_1(\sigma+n/B-1))`
  (so the hypothesis of Theorem 2 is necessary as well as sufficient for this family).

Evidence
--------
* ``exact``: seeded parameters :math:`n\le30` (with :math:`n\ge11` often); coherence from
  :mod:`verifythm.quantities.coherence`, and the engine's :math:`\eta^*`
  (:func:`verifythm.dynamics.critical_learning_rate`) compared with the closed form.
* ``property``: Hypothesis over the parameters.

References
----------
[dexter2024precise, Theorem 2, proof in Appendix A.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, PropertyCheck, Source
from verifythm.claims.inputs import REAL
from verifythm.dynamics import critical_learning_rate

from ._common import lambda1, noise, sigma_of
from ._thm2 import ADMISSIBLE, construction, eta_threshold, param_strategy, params

SOURCE_PROOF = Source("dexter2024precise", "Theorem 2, proof in Appendix A.2")


def _without_eta(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [params(rng, i) for i in range(k)]


def _construction_claim(**fields: Any) -> Claim:
    """A closed-form claim about the construction, decided over the parameters without η."""
    return Claim(
        **fields,
        source=SOURCE_PROOF,
        hypotheses=(ADMISSIBLE,),
        checks=(
            ExactCheck("exact", _without_eta),
            PropertyCheck("property", param_strategy(False), max_examples=40),
        ),
        kind="closed_form",
        inputs={"lam1": REAL},
    )


def _sigma(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(construction(inst)), float(inst["sigma"]), "==", "σ(construction)", "σ")


def _lam(inst: dict[str, Any]) -> Comparison:
    Hs = construction(inst)
    return Comparison(lambda1(Hs.mean(axis=0)), inst["lam1"], "==", "λ₁(H)", "λ₁")


def _threshold(inst: dict[str, Any]) -> Comparison:
    nm = noise(construction(inst), int(inst["B"]))
    eta_star = critical_learning_rate(nm).value
    thr = eta_threshold(inst["lam1"], int(inst["n"]), int(inst["B"]), float(inst["sigma"]))
    return Comparison(eta_star, thr, "==", "η* of the construction (engine)", "2σ/(λ₁(σ + n/B − 1))")


CONSTRUCTION_SIGMA = _construction_claim(
    id="dexter2024.thm2.construction_sigma",
    title="the Theorem 2 family has coherence exactly σ",
    statement=(
        r"For $H_i=m\,e_1e_1^T$ ($i\le\sigma$), $H_i=0$ otherwise: $S$ has an all-$m$ leading "
        r"$\sigma\times\sigma$ block and zeros elsewhere, $\lambda_1(S)=m\sigma$, $\max_i\lambda_1(H_i)=m$, "
        r"so the coherence measure equals $\sigma$."
    ),
    conclusion=_sigma,
)

CONSTRUCTION_LAMBDA1 = _construction_claim(
    id="dexter2024.thm2.construction_lambda1",
    title="the Theorem 2 family has λ₁(H) = λ₁",
    statement=r"With $m=\lambda_1n/\sigma$, $H=\frac\sigma n m\,e_1e_1^T$, so $\lambda_1(H)=\lambda_1$.",
    conclusion=_lam,
)

THRESHOLD_EXACT = _construction_claim(
    id="dexter2024.thm2.threshold_exact",
    title="the Theorem 2 family is mean-square stable exactly for η < 2σ/(λ₁(σ + n/B − 1))",
    statement=(
        r"For the construction, $e_1^T\mathbb E[\hat J^2]e_1<1$ iff "
        r"$\lambda_1<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}$: its critical learning rate is "
        r"$\eta^*=2\sigma/(\lambda_1(\sigma+n/B-1))$."
    ),
    conclusion=_threshold,
)

CLAIMS = [CONSTRUCTION_SIGMA, CONSTRUCTION_LAMBDA1, THRESHOLD_EXACT]
