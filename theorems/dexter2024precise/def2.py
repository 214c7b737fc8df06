r"""Dexter et al. (2024), Definition 2: the coherence matrix satisfies S_ij² = tr(H_iH_j).

Setting
-------
PSD :math:`H_1,\dots,H_n\in\mathbb R^{d\times d}`, not all zero.  The coherence matrix is
:math:`S\in\mathbb R^{n\times n}`, :math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F`, and the
coherence measure is :math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)`.

Statement
---------
``dexter2024.def2.s_trace_identity``: :math:`S_{ij}^2=\operatorname{tr}(H_iH_j)`, so :math:`S` is
the entry-wise square root of the Gram matrix of :math:`\{H_i\}` under the trace inner product.
§3.1's two settings are :mod:`.def2_first_setting` and :mod:`.def2_second_setting`; the range of
:math:`\sigma` is :mod:`.def2_sigma` and :mod:`.def2_sigma_rank_one`.

Evidence
--------
* ``exact``: seeded families of every kind in :data:`verifythm.strategies.FAMILY_KINDS`
  (:math:`n\le6`, :math:`d\le4`) with positive weights :math:`X_{ij}\in[0.5,1.5]`; :math:`S` is
  computed from matrix square roots and compared through :math:`\sum X_{ij}S_{ij}^2` against
  :math:`\sum X_{ij}\operatorname{tr}(H_iH_j)` (relative tolerance :math:`10^{-8}`).
* ``property``: Hypothesis over families (:func:`verifythm.strategies.families`) and weights.
* ``symbolic`` (sympy, symbolic entries): :math:`\|R_iR_j\|_F^2=\operatorname{tr}(R_i^2R_j^2)` for
  symbolic symmetric square roots (:math:`d=2,3`).

References
----------
[dexter2024precise, Definition 2].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import array
from verifythm.quantities.coherence import coherence_matrix_dense
from verifythm.strategies import families

from ._common import family_stream
from ._symbolic import sym_matrix


def _sym_s_identity() -> list[Any]:
    """Definition 2: ‖H_i^{1/2}H_j^{1/2}‖_F² = tr(H_iH_j), symbolic symmetric square roots R (d = 2, 3)."""
    import sympy as sp

    out: list[Any] = []
    for d in (2, 3):
        Ri, Rj = sym_matrix("R", d), sym_matrix("Q", d)
        fro2 = sum(x**2 for x in Ri * Rj)
        out.append(
            Identity(
                sp.expand(fro2), sp.expand((Ri * Ri * Rj * Rj).trace()), f"‖R_iR_j‖_F² = tr(H_iH_j), d = {d}"
            )
        )
    return out


def _s_identity(inst: dict[str, Any]) -> Comparison:
    Hs, X = inst["hessians"], inst["X"]
    S = coherence_matrix_dense(Hs)  # ‖H_i^{1/2} H_j^{1/2}‖_F by matrix square roots
    G = np.einsum("iab,jab->ij", Hs, Hs)  # tr(H_i H_j)
    scale = float(np.sum(np.abs(X) * np.abs(G))) + 1e-300
    return Comparison(
        float(np.sum(X * S * S)), float(np.sum(X * G)), "==", "Σ X_ij S_ij²", "Σ X_ij tr(H_iH_j)", scale=scale
    )


def _with_weights(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for inst in family_stream(rng, k):
        n = inst["hessians"].shape[0]
        inst["X"] = rng.uniform(0.5, 1.5, size=(n, n))
        out.append(inst)
    return out


@st.composite
def _family_and_weights(draw: Any) -> dict[str, Any]:
    Hs = draw(families(n=st.integers(1, 4), d=st.integers(1, 3)))
    n = Hs.shape[0]
    w = draw(st.lists(st.floats(0.5, 1.5), min_size=n * n, max_size=n * n))
    return {"hessians": Hs, "X": np.array(w).reshape(n, n)}


CLAIM = Claim(
    id="dexter2024.def2.s_trace_identity",
    title="S_ij = ‖H_i^{1/2}H_j^{1/2}‖_F satisfies S_ij² = tr(H_iH_j)",
    source=Source("dexter2024precise", "Definition 2"),
    statement=(
        r"For PSD $H_i$, $\|H_i^{1/2}H_j^{1/2}\|_F^2=\operatorname{tr}(H_iH_j)$, so $S$ is the entry-wise "
        r"square root of the Gram matrix of $\{H_i\}$ under the trace inner product."
    ),
    hypotheses=(psd_family("hessians"),),
    conclusion=_s_identity,
    checks=(
        SymbolicCheck("symbolic", _sym_s_identity),
        ExactCheck("exact", _with_weights),
        PropertyCheck("property", _family_and_weights()),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
    kind="identity",
    inputs={"hessians": array(3), "X": array(2)},
)
