r"""Dexter et al. (2024), Lemma 4.1(ii), the project's replacement for Eq. (3): ρ(T_η) ≤ ‖J‖₂² + c·ρ(S).

Setting
-------
As in Lemma 4.1 (:mod:`.lemma4_1`): PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), not all zero,
:math:`J=I-\eta H`, Bernoulli sampling, :math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}`,
:math:`\mathcal S(W)=\sum_iH_iWH_i` and the second-moment operator
:math:`\mathcal T_\eta(W)=JWJ+c\,\mathcal S(W)`.

Statement
---------
``dexter2024.lemma4_1.ii.radius_bound``: :math:`\mathcal T_\eta` is self-adjoint for the trace inner
product, so :math:`\rho(\mathcal T_\eta)\le\|J\|_2^2+c\,\rho(\mathcal S)` (on :math:`\operatorname{range}H`);
under the hypotheses of (ii) the right side is :math:`<(1-\epsilon)^2+\epsilon<1`.  Equality when
:math:`B=n` (:math:`c=0`).  This proves Lemma 4.1 (ii) without Eq. (3), which is false
(:mod:`.lemma4_1_eq3`).

Evidence
--------
* ``exact``: families of every kind (:math:`n\le5`, :math:`d\le3`, a quarter at :math:`B=n`) with
  :math:`\eta\lambda_1(H)\in[0.05,2.5]`; :math:`\rho(\mathcal S)` from a dense symmetric eigenproblem
  and :math:`\rho(\mathcal T_\eta)` from the engine.
* ``symbolic`` (sympy): the closing algebra of (ii),
  :math:`1-((1-\epsilon)^2+\epsilon)=\epsilon(1-\epsilon)>0` and :math:`|1-\eta\lambda_i|<1-\epsilon` on
  :math:`\epsilon/\eta<\lambda_i<(2-\epsilon)/\eta` (with the binomial closing step of Eq. (3)'s
  argument, :math:`k\le4`).

References
----------
[dexter2024precise, Lemma 4.1(ii)] (the project's replacement for Eq. (3)).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source, SymbolicCheck
from verifythm.claims.common import psd_family

from ._common import lambda1, noise_factor, nonzero_families, rho, sandwich_radius
from ._lemma4_1 import symbolic_part_ii


# -- what replaces Eq. (3): a bound on ρ(T) -----------------------------------------------------
def _radius_bound(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B = inst["hessians"], float(inst["eta"]), int(inst["B"])
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
                bool(np.any(np.asarray(i["hessians"]) != 0))
                and 1 <= int(i["B"]) <= np.shape(i["hessians"])[0]
                and float(i["eta"]) > 0
            ),
        ),
    ),
    conclusion=_radius_bound,
    checks=(SymbolicCheck("symbolic", symbolic_part_ii), ExactCheck("exact", _gen_radius)),
)


CLAIM = RADIUS_BOUND
