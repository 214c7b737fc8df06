r"""Dexter et al. (2024), Lemma 4.1 (ii): a sufficient condition for mean-square convergence.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`,
Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`,
:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}` and the operator
:math:`\mathcal S(W)=\sum_iH_iWH_i` (self-adjoint for the trace inner product, PSD-preserving).


Statement
---------
``dexter2024.lemma4_1.ii``: if, for some :math:`\epsilon\in(0,1)`,
:math:`\epsilon/\eta<\lambda_i(H)<(2-\epsilon)/\eta` for all :math:`i\in[d]` and
:math:`c\,\rho(\mathcal S)<\epsilon` (the paper's :math:`\epsilon^{-k}c^k\sum_y\|H_{y_k}\cdots
H_{y_1}\|_F^2\to0`, encoded as in :mod:`.lemma4_1`), then :math:`\mathbb E\|P_k\|_F^2\to0`, i.e.
:math:`H\succ0` and :math:`\rho(\mathcal T_\eta)<1`.  The proof of (ii) goes through Eq. (3), which
is false (:mod:`.lemma4_1_eq3`), while (ii) itself holds.

Evidence
--------
* ``exact``: :math:`\rho(\mathcal S)` from a dense symmetric eigenproblem and
  :math:`\rho(\mathcal T_\eta)` from the engine (:func:`verifythm.dynamics.spectral_radius`), on
  families of every kind (:math:`n\le5`, :math:`d\le3`) with the largest admissible
  :math:`\epsilon`, plus a scalar instance with :math:`\rho=0.99^2`.
* ``symbolic`` (sympy, the proof's algebra): the binomial closing step
  :math:`\sum_r\binom kr\delta^{k-r}\epsilon^r=(\delta+\epsilon)^k` at :math:`\delta=(1-\epsilon)^2`
  (:math:`k\le4`), :math:`1-((1-\epsilon)^2+\epsilon)=\epsilon(1-\epsilon)>0`, and
  :math:`|1-\eta\lambda_i|<1-\epsilon` on :math:`\epsilon/\eta<\lambda_i<(2-\epsilon)/\eta`.

References
----------
[dexter2024precise, Lemma 4.1 and its proof in Appendix A.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source, SymbolicCheck
from verifythm.claims.common import psd_family

from ._common import rho
from ._lemma4_1 import cond_ii, gen_ii, symbolic_part_ii

SOURCE = Source("dexter2024precise", "Lemma 4.1")


# -- part (ii) -------------------------------------------------------------------------------


def _part_ii(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], float(inst["eta"]), int(inst["B"]))
    return Comparison(r, 1.0, "<=", "ρ(T_η) (E‖P_k‖_F² → 0 iff < 1, H ≻ 0)", "1")


_II_FIXED = [{"hessians": np.ones((2, 1, 1)), "B": 2, "eta": 0.01, "eps": 0.009}]  # ρ = 0.99²

PART_II = Claim(
    id="dexter2024.lemma4_1.ii",
    title="ε/η < λ_i(H) < (2−ε)/η and ε^{-k}c^k Σ_y‖…‖_F² → 0 imply E‖Ĵ_k⋯Ĵ_1‖_F² → 0",
    source=SOURCE,
    statement=(
        r"If for some $\epsilon\in(0,1)$, $\epsilon/\eta<\lambda_i(H)<(2-\epsilon)/\eta$ for all "
        r"$i\in[d]$ and $\lim_k\epsilon^{-k}(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k"
        r"\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2=0$, "
        r"then $\lim_k\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2=0$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis("ε/η < λ_i(H) < (2−ε)/η for all i and c·ρ(S) < ε (⇔ the scaled sum → 0)", cond_ii),
    ),
    conclusion=_part_ii,
    checks=(SymbolicCheck("symbolic", symbolic_part_ii), ExactCheck("exact", gen_ii, fixed=_II_FIXED)),
    kind="limit",
)


CLAIM = PART_II
