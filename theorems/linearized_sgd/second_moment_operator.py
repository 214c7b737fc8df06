r"""Wu et al. (2022), Eq. (4), and Dexter et al. (2024), Definition 1: E[ĴWĴ], one formula per sampling.

Setting
-------
Per-sample Hessians :math:`H_1,\dots,H_n\succeq0` (:math:`d\times d`),
:math:`H=\frac1n\sum_iH_i`, :math:`J = I-\eta H`, learning rate :math:`\eta>0`, batch size
:math:`1\le B\le n`, :math:`\hat J = I-\eta\hat H` with the mini-batch Hessian
:math:`\hat H` of the scheme (with replacement: :math:`B` i.i.d. uniform indices, as in
wu2022alignment Eq. (4); without replacement: a uniform :math:`B`-subset, the SGD of
dexter2024precise §2; Bernoulli: each sample kept independently with probability
:math:`B/n`, dexter2024precise Definition 1; GD: :math:`\hat H = H`).  Write
:math:`\bar S(W) = \frac1n\sum_iH_iWH_i`.

Statement
---------
For every :math:`d\times d` matrix :math:`W`,
:math:`\mathbb E[\hat JW\hat J] = JWJ + \eta^2c_sN_s(W)` with

* with replacement: :math:`c = 1/B`, :math:`N(W) = \bar S(W) - HWH`;
* without replacement: :math:`c = \frac{n-B}{B(n-1)}` (0 if :math:`n=1`), same :math:`N`;
* Bernoulli: :math:`c = \frac1B-\frac1n`, :math:`N(W) = \bar S(W)`;
* GD: :math:`c = 0`.

Evidence
--------
* ``symbolic``: for every :math:`n\le4` and :math:`1\le B\le n` the batch distribution is
  enumerated exactly and both sides are expanded with **non-commuting** symbols
  :math:`H_i, W` (:mod:`verifythm.dynamics.symbolic`); equality in the free algebra proves
  the formula for matrices of every dimension at those :math:`(n, B)`.
* ``exact``: the engine's matrix-free operator (:class:`verifythm.dynamics.MomentOperator`,
  in reduced coordinates, dense and rank-one paths) against a float sum over every batch,
  tested through :math:`\operatorname{tr}(X\,\cdot)` for random symmetric :math:`X, W`.
* ``property``: the same comparison on Hypothesis-drawn families.

References
----------
With replacement: [wu2022alignment, Eq. (4)].  Without replacement: [dexter2024precise,
Section 2].  Bernoulli: [dexter2024precise, Definition 1] (the general-:math:`W` form of the base
case of Lemma 4.1).  GD: [dexter2024precise, Definition 1 with B = n].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd_family
from verifythm.dynamics import Family, Sampling, moment_operator
from verifythm.dynamics.family import RANK_RTOL
from verifythm.dynamics.moments import enumerated_second_moment
from verifythm.dynamics.symbolic import second_moment_sides
from verifythm.strategies import families, family_instance
from verifythm.strategies.scalars import reals

MAX_SYMBOLIC_N = 4


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


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
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
def _instances(draw: Any) -> dict[str, Any]:
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


def _symbolic_for(scheme: Sampling) -> Any:
    def build() -> list[Any]:
        obligations = []
        for n in range(1, MAX_SYMBOLIC_N + 1):
            for B in range(1, n + 1) if scheme is not Sampling.GD else (n,):
                lhs, rhs = second_moment_sides(scheme, n, B)
                obligations.append(Identity(lhs, rhs, f"n={n}, B={B}: E[ĴWĴ] = JWJ + η²c N(W)"))
        return obligations

    return build


_FORMULAS = {
    Sampling.WITH_REPLACEMENT: (
        r"c = 1/B,\ N(W) = \frac1n\sum_iH_iWH_i - HWH",
        Source("wu2022alignment", "Eq. (4), batch indices i.i.d. uniform"),
    ),
    Sampling.WITHOUT_REPLACEMENT: (
        r"c = \frac{n-B}{B(n-1)},\ N(W) = \frac1n\sum_iH_iWH_i - HWH",
        Source("dexter2024precise", "Section 2, uniform B-subsets"),
    ),
    Sampling.BERNOULLI: (
        r"c = \frac1B-\frac1n,\ N(W) = \frac1n\sum_iH_iWH_i",
        Source("dexter2024precise", "Definition 1; general-W form of the base case of Lemma 4.1"),
    ),
    Sampling.GD: (r"c = 0", Source("dexter2024precise", "Definition 1 with B = n")),
}


def _consistent(inst: dict[str, Any]) -> bool:
    """Without gradients nothing to check; with them, H_i = g_i g_iᵀ (the family they define)."""
    if "gradients" not in inst:
        return True
    G, Hs = np.asarray(inst["gradients"], float), np.asarray(inst["hessians"], float)
    if G.ndim != 2 or Hs.shape != (G.shape[0], G.shape[1], G.shape[1]):
        return False
    outer = np.einsum("ia,ib->iab", G, G)
    return bool(np.allclose(Hs, outer, rtol=1e-12, atol=1e-12 * float(np.max(np.abs(outer), initial=0.0))))


#: The operator is built from the gradients, the enumeration from the Hessians: one family.
_RANK_ONE = Hypothesis("gradients, when given, define the Hessians: H_i = g_i g_iᵀ", _consistent)


def _rank_resolved(inst: dict[str, Any]) -> bool:
    """No eigenvalue in the engine's grey zone: above rounding, yet below its rank threshold.

    The engine works on range(H) with directions below ``RANK_RTOL`` (relative) dropped; an
    eigenvalue between rounding (1e-14 relative) and 1e3 times that threshold is neither kept
    faithfully nor zero, and the enumeration over the Hessians keeps it (a family with a
    gradient singular value 1.5e-6 of the largest differed by 5e-8 relative).
    """
    if "gradients" in inst:
        G = np.asarray(inst["gradients"], float)
        w, m = np.linalg.eigvalsh(G @ G.T), G.shape[0]
    else:
        Hs = np.asarray(inst["hessians"], float)
        w, m = np.linalg.eigvalsh(Hs.mean(axis=0)), 1
    top = max(float(w[-1]), 0.0) if w.size else 0.0
    grey = (w > 1e-14 * top * m) & (w < 1e3 * RANK_RTOL * top * m)
    return not bool(np.any(grey))


_RANK = Hypothesis(
    "the family's rank is resolved: no eigenvalue in the engine's rank-threshold grey zone", _rank_resolved
)


def _claim(scheme: Sampling) -> Claim:
    formula, source = _FORMULAS[scheme]
    return Claim(
        id=f"linsgd.moments.{scheme.value.replace('-', '_')}",
        title=f"E[ĴWĴ] = JWJ + η² c N(W) for {scheme.value} sampling",
        source=source,
        statement=(
            rf"For PSD $H_1,\dots,H_n$, $\eta>0$, $1\le B\le n$ and {scheme.value} sampling, every "
            rf"$W$ satisfies $\mathbb E[\hat JW\hat J] = JWJ + \eta^2cN(W)$ with ${formula}$."
        ),
        hypotheses=(psd_family("hessians"), _RANK_ONE, _RANK),
        conclusion=conclusion_for(scheme),
        checks=(
            SymbolicCheck("symbolic", _symbolic_for(scheme)),
            ExactCheck("exact", _generate),
            PropertyCheck("property", _instances()),
        ),
        kind="identity",
    )


CLAIMS = [_claim(s) for s in Sampling]
