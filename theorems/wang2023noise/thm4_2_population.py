r"""Wang & Wu (2023), Theorem 4.2, App. C.1: the population directional alignment lies in [1, 3].

Setting
-------
OLM :math:`f(x;\theta)=F(\theta)^Tx` with Jacobian :math:`J=\nabla F(\theta)`,
:math:`r=F(\theta)-F(\theta^*)`, Gaussian inputs with covariance :math:`S` (PSD); population quantities
:math:`\bar G=J^TSJ`, :math:`\bar{\mathcal L}=\frac12r^TSr`, :math:`\nabla\bar{\mathcal L}=J^TSr`,
:math:`\bar\Sigma_1` (Lemma C.1), and the population alignment :math:`\bar
g(\theta;v)=v^T\bar\Sigma_1v/(2\bar{\mathcal L}v^T\bar Gv)`.

Statement
---------
What the proof of Theorem 4.2 supports, in the :math:`n\to\infty` limit, with the corrected Lemma C.1
(:math:`\bar\Sigma_1=2\bar{\mathcal L}\bar G+2\nabla\bar{\mathcal L}\nabla\bar{\mathcal L}^T`) and Lemma C.2,
:math:`\bar g=1+(\nabla\bar{\mathcal L}^Tv)^2/(\bar{\mathcal L}v^T\bar Gv)`:

* ``wang2023.thm4_2.population_upper``: :math:`\sup_v\bar g\le3` for every θ;
* ``wang2023.thm4_2.population_lower``: :math:`\inf_v\bar g\ge1` for every θ;

both ends are attained.  The printed theorem (upper constant 2) is ``wang2023.thm4_2``, an erratum.

Evidence
--------
* ``exact``: decided exactly: with :math:`S=RR^T`, :math:`u=R^Tr`, :math:`K=R^TJ` and :math:`w=Kv`,
  :math:`\bar g=w^TMw/(\|u\|^2\|w\|^2)`, :math:`M=\mathbb E_z[(u^Tz)^2zz^T]` by exact Gauss–Hermite
  quadrature, so the extremes are eigenvalues of :math:`M/\|u\|^2` on an orthonormal basis of
  :math:`\operatorname{range}K`.  This replaces the generalized eigenproblem of
  :math:`(\bar\Sigma_1,2\bar{\mathcal L}\bar G)`, whose float64 error grows with the condition number of
  :math:`\bar G`: for nearly coherent columns of :math:`J` it gave :math:`\inf_v\bar g=1-4.5\times10^{-7}`
  (found by ``verifythm tightness``), a rounding artefact.  Instances: seeded PSD :math:`S` (full rank and
  singular), Jacobians :math:`J\in\mathbb R^{d\times p}` (:math:`d\le3`), residual directions :math:`r`, with
  :math:`r\in\operatorname{range}J` (upper bound attained) and :math:`p\ge2` (lower bound attained) included.
* ``symbolic`` (App. C.1 with the corrected Lemma C.1): whitened :math:`u`, :math:`K`, :math:`v` symbolic
  (:math:`d=p=2`), :math:`v^T\bar\Sigma_1v` by exact Gaussian moments;
  :math:`(\bar g-1)\,2\bar{\mathcal L}v^T\bar Gv=2(\nabla\bar{\mathcal L}^Tv)^2` and
  :math:`(3-\bar g)\,2\bar{\mathcal L}v^T\bar Gv=2\sum_{i<j}(u_iw_j-u_jw_i)^2` (:math:`w=Kv`; Lemma C.2 as
  Lagrange's identity): both sums of squares.
* ``property``: Hypothesis over ``psd_with`` for :math:`S`, bounded :math:`J`, :math:`r` (half with
  :math:`r\in\operatorname{range}J`, where the sup is 3).

References
----------
[wang2023noise, Theorem 4.2; Appendix C.1, proof of Theorem 4.2; Lemmas C.1, C.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)

from ._common import KEY, OLM_INPUTS, olm_nondegenerate, olm_points, olm_population, random_olm_point
from ._symbolic import lagrange_defect
from ._symbolic import olm_population as olm_population_sym


def _pop_extremes(inst: dict[str, Any]) -> tuple[float, float]:
    P = olm_population(inst["S"], inst["J"], inst["r"])
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
POP_UPPER = Claim(
    id="wang2023.thm4_2.population_upper",
    title="population alignment: sup_v ḡ(θ; v) ≤ 3 for every θ, attained (corrected Lemma C.1 + C.2)",
    source=Source(KEY, "Theorem 4.2, App. C.1 (proof, corrected)", page=20),
    statement=r"$\bar g(\theta;v)=v^T\bar\Sigma_1v/(2\bar{\mathcal L}v^T\bar Gv)=1+(\nabla\bar{\mathcal "
    r"L}^Tv)^2/(\bar{\mathcal L}v^T\bar Gv)\le3$.",
    hypotheses=_POP_HYP,
    conclusion=pop_upper,
    inputs=OLM_INPUTS,
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
    inputs=OLM_INPUTS,
    checks=(
        SymbolicCheck("symbolic", _pop_obligations("lower")),
        ExactCheck("exact", _generate, fixed=_POP_FIXED),
        PropertyCheck("property", olm_points(3, 4), max_examples=30),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-10),
)


CLAIMS = [POP_UPPER, POP_LOWER]
