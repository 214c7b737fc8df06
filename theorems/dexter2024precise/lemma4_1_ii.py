r"""Dexter et al. (2024), Lemma 4.1 (ii): a sufficient condition for mean-square convergence.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`,
Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`,
:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}` and the operator
:math:`\mathcal S(W)=\sum_iH_iWH_i` (self-adjoint for the trace inner product, PSD-preserving).

Statement
---------
* (ii) ``dexter2024.lemma4_1.ii``: if, for some :math:`\epsilon\in(0,1)`,
  :math:`\epsilon/\eta<\lambda_i(H)<(2-\epsilon)/\eta` for all :math:`i\in[d]` and
  :math:`c\,\rho(\mathcal S)<\epsilon`, then :math:`\mathbb E\|P_k\|_F^2\to0`, i.e. :math:`H\succ0` and
  :math:`\rho(\mathcal T_\eta)<1`.
* ``dexter2024.lemma4_1.ii.radius_bound`` (the project's replacement for Eq. (3)):
  :math:`\mathcal T_\eta(W)=JWJ+c\,\mathcal S(W)` is self-adjoint for the trace inner product, so
  :math:`\rho(\mathcal T_\eta)\le\|J\|_2^2+c\,\rho(\mathcal S)` (on :math:`\operatorname{range}H`);
  under the hypotheses of (ii) the right side is :math:`<(1-\epsilon)^2+\epsilon<1`.  Equality when
  :math:`B=n` (:math:`c=0`).  This proves (ii) without Eq. (3).

The paper states the conditions on the sum :math:`c^k\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2`; by the sum
identity :math:`\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2=\operatorname{tr}\mathcal S^k(I)`
(:mod:`.lemma4_1_product_sum`) that sum tends to :math:`\infty` iff :math:`c\,\rho(\mathcal S)>1`,
and :math:`\epsilon^{-k}c^k\sum_y\|\cdot\|_F^2\to0` iff :math:`c\,\rho(\mathcal S)<\epsilon`
(:math:`\mathcal S` is diagonalisable with a PSD top eigenvector, and :math:`I\succ0` has a
non-zero component on it), which is how the hypotheses are encoded.  The proof of (ii) goes through
Eq. (3), which is false (:mod:`.lemma4_1_eq3`), while (ii) itself holds.  Part (i) is :mod:`.lemma4_1`.

Evidence
--------
* ``exact``: :math:`\rho(\mathcal S)` from a dense symmetric eigenproblem and
  :math:`\rho(\mathcal T_\eta)` from the engine (:func:`verifythm.dynamics.spectral_radius`).
  Families of every kind (:math:`n\le5`, :math:`d\le3`); (ii) with the largest admissible
  :math:`\epsilon`; ``.ii.radius_bound`` with :math:`\eta\lambda_1(H)\in[0.05,2.5]` (a quarter at
  :math:`B=n`).
* ``symbolic`` (sympy, the proof's algebra): the binomial closing step
  :math:`\sum_r\binom kr\delta^{k-r}\epsilon^r=(\delta+\epsilon)^k` at :math:`\delta=(1-\epsilon)^2`
  (:math:`k\le4`), :math:`1-((1-\epsilon)^2+\epsilon)=\epsilon(1-\epsilon)>0`, and
  :math:`|1-\eta\lambda_i|<1-\epsilon` on :math:`\epsilon/\eta<\lambda_i<(2-\epsilon)/\eta` (the same
  algebra closes ``.ii.radius_bound``).

References
----------
[dexter2024precise, Lemma 4.1 and its proof in Appendix A.2]; the radius bound replaces Eq. (3)
of that proof ([dexter2024precise, Lemma 4.1(ii)]).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source, SymbolicCheck
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import REAL

from ._common import FAMILY_INPUTS, lambda1, noise_factor, nonzero_families, rho, sandwich_radius
from ._lemma4_1 import cond_ii, gen_ii, symbolic_part_ii


def _part_ii(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], inst["eta"], inst["B"])
    return Comparison(r, 1.0, "<=", "ρ(T_η) (E‖P_k‖_F² → 0 iff < 1, H ≻ 0)", "1")


_II_FIXED = [{"hessians": np.ones((2, 1, 1)), "B": 2, "eta": 0.01, "eps": 0.009}]  # ρ = 0.99²

PART_II = Claim(
    id="dexter2024.lemma4_1.ii",
    title="ε/η < λ_i(H) < (2−ε)/η and ε^{-k}c^k Σ_y‖…‖_F² → 0 imply E‖Ĵ_k⋯Ĵ_1‖_F² → 0",
    source=Source("dexter2024precise", "Lemma 4.1"),
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
    inputs=FAMILY_INPUTS | {"eps": REAL},
)


# -- what replaces Eq. (3): a bound on ρ(T) -----------------------------------------------------
def _radius_bound(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B = inst["hessians"], inst["eta"], inst["B"]
    n = Hs.shape[0]
    w = np.linalg.eigvalsh(Hs.mean(axis=0))
    w = w[w > 1e-12 * max(float(w[-1]), 1e-300)]  # range H, where the engine's ρ(T) lives
    J2 = float(np.max((1.0 - eta * w) ** 2))
    bound = J2 + noise_factor(eta, n, B) * sandwich_radius(Hs)
    return Comparison(rho(Hs, eta, B), bound, "<=", "ρ(T_η)", "‖J‖₂² + c·ρ(S) (on range H)")


def _gen_radius(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i, n, Hs in nonzero_families(rng, k):
        lam = lambda1(Hs.mean(axis=0))
        B = n if i % 4 == 0 else int(rng.integers(1, n + 1))
        out.append({"hessians": Hs, "B": B, "eta": float(rng.uniform(0.05, 2.5)) / lam})
    return out


RADIUS_BOUND = Claim(
    id="dexter2024.lemma4_1.ii.radius_bound",
    title="ρ(T_η) ≤ ‖J‖₂² + c·ρ(S): the bound that proves Lemma 4.1(ii) without Eq. (3)",
    source=Source("dexter2024precise", "Lemma 4.1(ii) (project's replacement for Eq. (3))"),
    statement=(
        r"$\mathcal T_\eta(W)=JWJ+c\,\mathcal S(W)$ is self-adjoint for the trace inner product, so "
        r"$\rho(\mathcal T_\eta)\le\|J\|_2^2+c\,\rho(\mathcal S)$ (on $\operatorname{range}H$); under the "
        r"hypotheses of (ii) the right side is $<(1-\epsilon)^2+\epsilon<1$.  Equality when $B=n$ ($c=0$)."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis(
            "H ≠ 0, 1 ≤ B ≤ n, η > 0",
            lambda i: (
                bool(np.any(i["hessians"] != 0)) and 1 <= i["B"] <= i["hessians"].shape[0] and i["eta"] > 0
            ),
        ),
    ),
    conclusion=_radius_bound,
    checks=(SymbolicCheck("symbolic", symbolic_part_ii), ExactCheck("exact", _gen_radius)),
    inputs=FAMILY_INPUTS,
)


CLAIMS = [PART_II, RADIUS_BOUND]
