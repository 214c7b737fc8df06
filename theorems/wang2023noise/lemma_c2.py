r"""Wang & Wu (2023), Lemma C.2: :math:`(\nabla\bar{\mathcal L}^Tv)^2\le2\bar{\mathcal L}\,v^T\bar Gv`.

Setting
-------
As in Lemma C.1: OLM with Jacobian :math:`J\in\mathbb R^{d\times p}`, :math:`r=F(\theta)-F(\theta^*)`,
Gaussian inputs with covariance :math:`S` (PSD), :math:`\bar G=J^TSJ`, :math:`\bar{\mathcal L}=\frac12r^TSr`,
:math:`\nabla\bar{\mathcal L}=J^TSr`.

Statement
---------
For every :math:`v\in\mathbb R^p`, :math:`(\nabla\bar{\mathcal L}^Tv)^2\le2\bar{\mathcal L}\,v^T\bar Gv`
(Cauchy–Schwarz in the :math:`S` inner product).

Evidence
--------
* ``exact``: the quantifier over :math:`v` is decided exactly:
  :math:`\sup_{v:\,v^T\bar Gv>0}(\nabla\bar{\mathcal L}^Tv)^2/v^T\bar
  Gv=\|\Pi_{\operatorname{range}(S^{1/2}J)}S^{1/2}r\|^2`
  (a rank-one generalized eigenproblem; :math:`v^T\bar Gv=0` forces :math:`\nabla\bar{\mathcal
  L}^Tv=0`), compared
  with :math:`2\bar{\mathcal L}=\|S^{1/2}r\|^2`.  Seeded :math:`S` (full rank and singular), :math:`J`,
  :math:`r`;
  equality holds when :math:`r\in\operatorname{range}J` (included: every fourth instance and the fixed ones).
* ``property``: Hypothesis over the same ingredients (steered to small slack).
* ``symbolic`` (the proof's Cauchy–Schwarz step): with :math:`u=S^{1/2}r`, :math:`w=S^{1/2}Jv` symbolic
  (:math:`d=3`, :math:`p=2`), :math:`2\bar{\mathcal L}v^T\bar Gv-(\nabla\bar{\mathcal L}^Tv)^2=
  \sum_{i<j}(u_iw_j-u_jw_i)^2`, a sum of squares (Lagrange's identity), zero iff :math:`w\parallel u`.

References
----------
[wang2023noise, Appendix C, Lemma C.2; Lemma E.6].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.strategies import random_psd
from verifythm.strategies.scalars import reals

from ._common import KEY, OLM_INPUTS, olm_shapes
from ._symbolic import lagrange_defect, olm_population


def _sqrtm(S: np.ndarray) -> np.ndarray:
    lam, V = np.linalg.eigh((S + S.T) / 2)
    return (V * np.sqrt(np.clip(lam, 0, None))) @ V.T


def conclusion(inst: dict[str, Any]) -> Comparison:
    """sup_v (∇L̄ᵀv)²/vᵀḠv (exact) versus 2L̄."""
    R = _sqrtm(inst["S"])
    A, b = R @ inst["J"], R @ inst["r"]
    U, s, _ = np.linalg.svd(A, full_matrices=False)
    U = U[:, s > 1e-10 * max(s.max(initial=0.0), 1e-300)]
    proj = U @ (U.T @ b)
    return Comparison(float(proj @ proj), float(b @ b), "<=", "sup_v (∇L̄ᵀv)²/vᵀḠv", "2L̄")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d, p = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        S = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        J = rng.standard_normal((d, p))
        r = rng.standard_normal(d)
        if i % 4 == 0:
            r = J @ rng.standard_normal(p)  # r ∈ range J: equality
        out.append({"S": S, "J": J, "r": r})
    return out


_FIXED = [{"S": np.eye(2), "J": np.array([[1.0], [0.0]]), "r": np.array([2.0, 0.0])}]
HYP = (olm_shapes(),)


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    d = draw(st.integers(1, 4))
    p = draw(st.integers(1, 4))
    fl = reals(-3, 3)
    B = np.array(draw(st.lists(fl, min_size=d * d, max_size=d * d))).reshape(d, d)
    J = np.array(draw(st.lists(fl, min_size=d * p, max_size=d * p))).reshape(d, p)
    r = np.array(draw(st.lists(fl, min_size=d, max_size=d)))
    return {"S": B @ B.T, "J": J, "r": r}


def obligations() -> list[Identity]:
    """Lemma C.2's Cauchy–Schwarz step as Lagrange's identity (whitened u ∈ R³, K ∈ R^{3×2}, v symbolic)."""
    P = olm_population(3, 2)
    w = P["K"] * P["v"]  # S^{1/2}∇F v
    defect = 2 * P["L"] * (P["v"].T * P["G"] * P["v"])[0, 0] - (P["gradL"].T * P["v"])[0, 0] ** 2
    return [
        Identity(defect, lagrange_defect(P["u"], w), "2L̄·vᵀḠv − (∇L̄ᵀv)² = Σ_{i<j}(u_i w_j − u_j w_i)² ≥ 0")
    ]


CLAIM = Claim(
    id="wang2023.lemma_c2",
    title="(∇L̄(θ)ᵀv)² ≤ 2L̄(θ)·vᵀḠ(θ)v for every v (population OLM)",
    source=Source(KEY, "Appendix C, Lemma C.2", page=20),
    statement=r"For all $v$: $(\nabla\bar{\mathcal L}(\theta)^Tv)^2\le2\bar{\mathcal "
    r"L}(\theta)\,v^T\bar G(\theta)v$.",
    hypotheses=HYP,
    conclusion=conclusion,
    inputs=OLM_INPUTS,
    checks=(
        SymbolicCheck("symbolic", obligations),
        ExactCheck("exact", _generate, fixed=_FIXED),
        PropertyCheck("property", _instances()),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-10),
)
