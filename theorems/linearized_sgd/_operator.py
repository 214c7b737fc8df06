r"""Private helpers of :mod:`.moments` (not collected).

* :func:`conclusion_for`: :math:`\operatorname{tr}(X\,\mathbb E[\hat JW\hat J])` by batch enumeration
  against :math:`\operatorname{tr}(X\,\mathcal T(W))` of the engine's operator, on range(H)
  (:func:`reduced_basis` gives the ambient basis of the reduced coordinates).
* :func:`generate` / :func:`instances`: seeded and Hypothesis-drawn families with symmetric
  :math:`W, X`, :math:`\eta` and :math:`B` (a third of the seeded ones given by gradients).
* :data:`RANK_ONE` / :data:`RANK_RESOLVED`: the gradients define the Hessians, and no eigenvalue lies in
  the engine's rank-threshold grey zone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Comparison, Hypothesis
from verifythm.claims.inputs import INT, REAL, array
from verifythm.dynamics import Family, Sampling, moment_operator
from verifythm.dynamics.family import RANK_RTOL
from verifythm.dynamics.moments import enumerated_second_moment
from verifythm.strategies import families, family_instance
from verifythm.strategies.scalars import reals

#: What the claims read (gradients of any axes: :data:`RANK_ONE` rejects what is not ``(n, d)``).
INPUTS = {"hessians": array(3), "gradients": array(), "W": array(2), "X": array(2), "eta": REAL, "B": INT}


def reduced_basis(inst: dict[str, Any], fam: Family) -> np.ndarray:
    """Ambient basis of the family's reduced coordinates (``U`` or, for gradients, ``Q Mᵀ Λ⁻¹``)."""
    if fam.factors is None:
        assert fam.basis is not None
        return fam.basis
    M = fam.factors
    return inst["gradients"].T @ M.T / np.sum(M * M, axis=1)


def conclusion_for(scheme: Sampling) -> Any:
    """Conclusion ``tr(X·E[ĴWĴ]) == tr(X·T(W))`` on range(H), for one scheme."""

    def conclusion(inst: dict[str, Any]) -> Comparison:
        Hs, W, X, eta, B = inst["hessians"], inst["W"], inst["X"], inst["eta"], inst["B"]
        if "gradients" in inst:
            fam = Family.from_gradients(inst["gradients"])
        else:
            fam = Family.from_hessians(Hs)
        op = moment_operator(fam, eta, B, scheme)
        U = reduced_basis(inst, fam)
        lhs_mat = U.T @ enumerated_second_moment(Hs, W, eta, B, scheme) @ U
        rhs_mat = op(U.T @ W @ U)
        Xr = U.T @ X @ U
        top = max(float(np.max(np.linalg.norm(Hs, ord=2, axis=(1, 2)))), 0.0)
        scale = float(np.linalg.norm(Xr) * np.linalg.norm(W)) * (1 + eta * top) ** 2
        return Comparison(
            float(np.sum(Xr * lhs_mat)),
            float(np.sum(Xr * rhs_mat)),
            "==",
            "tr(X·E[ĴWĴ])",
            "tr(X·T(W))",
            scale=scale,
        )

    return conclusion


def _sym(rng: np.random.Generator, d: int) -> np.ndarray:
    A = rng.standard_normal((d, d))
    return A + A.T


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n = int(rng.integers(1, 6))
        d = int(rng.integers(1, 5))
        inst: dict[str, Any] = {}
        if i % 3 == 0:  # rank-one family from gradients: the residual-space path
            G = rng.standard_normal((n, d)) * 10 ** rng.uniform(-1, 1, size=(n, 1))
            inst["gradients"] = G
            Hs = np.einsum("ia,ib->iab", G, G)
        else:
            Hs = family_instance(rng, i, n, d)
        inst.update(
            hessians=Hs,
            W=_sym(rng, d),
            X=_sym(rng, d),
            eta=float(10 ** rng.uniform(-2, 0.5)),
            B=int(rng.integers(1, n + 1)),
        )
        out.append(inst)
    return out


@st.composite
def instances(draw: Any) -> dict[str, Any]:
    """A family of any kind in :data:`verifythm.strategies.FAMILY_KINDS` (n ≤ 4), W, X, η, B."""
    Hs = draw(families(n=st.integers(1, 4), d=st.integers(1, 3)))
    n, d, _ = Hs.shape
    entries = reals(-3, 3)
    W = np.array(draw(st.lists(entries, min_size=d * d, max_size=d * d))).reshape(d, d)
    X = np.array(draw(st.lists(entries, min_size=d * d, max_size=d * d))).reshape(d, d)
    return {
        "hessians": Hs,
        "W": W + W.T,
        "X": X + X.T,
        "eta": draw(st.floats(1e-3, 3.0)),
        "B": draw(st.integers(1, n)),
    }


def _consistent(inst: dict[str, Any]) -> bool:
    """Without gradients nothing to check; with them, H_i = g_i g_iᵀ (the family they define)."""
    if "gradients" not in inst:
        return True
    G, Hs = inst["gradients"], inst["hessians"]
    if G.ndim != 2 or Hs.shape != (G.shape[0], G.shape[1], G.shape[1]):
        return False
    outer = np.einsum("ia,ib->iab", G, G)
    return bool(np.allclose(Hs, outer, rtol=1e-12, atol=1e-12 * float(np.max(np.abs(outer), initial=0.0))))


#: The operator is built from the gradients, the enumeration from the Hessians: one family.
RANK_ONE = Hypothesis("gradients, when given, define the Hessians: H_i = g_i g_iᵀ", _consistent)


def _rank_resolved(inst: dict[str, Any]) -> bool:
    """No eigenvalue in the engine's grey zone: above rounding, yet below its rank threshold.

    The engine works on range(H) with directions below ``RANK_RTOL`` (relative) dropped; an
    eigenvalue between rounding (1e-14 relative) and 1e3 times that threshold is neither kept
    faithfully nor zero, and the enumeration over the Hessians keeps it (a family with a
    gradient singular value 1.5e-6 of the largest differed by 5e-8 relative).
    """
    if "gradients" in inst:
        G = inst["gradients"]
        w, m = np.linalg.eigvalsh(G @ G.T), G.shape[0]
    else:
        Hs = inst["hessians"]
        w, m = np.linalg.eigvalsh(Hs.mean(axis=0)), 1
    top = max(float(w[-1]), 0.0) if w.size else 0.0
    grey = (w > 1e-14 * top * m) & (w < 1e3 * RANK_RTOL * top * m)
    return not bool(np.any(grey))


RANK_RESOLVED = Hypothesis(
    "the family's rank is resolved: no eigenvalue in the engine's rank-threshold grey zone", _rank_resolved
)
