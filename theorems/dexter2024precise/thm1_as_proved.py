r"""Dexter et al. (2024), Theorem 1, as proved: its condition implies mean-square divergence, ρ(T_η) > 1.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, coherence :math:`\sigma`
(Definition 2), :math:`\eta>0`, :math:`B\in[n]`, i.i.d. Bernoulli-SGD Jacobians :math:`\hat J_t`
(Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1` and the second-moment operator
:math:`\mathcal T_\eta(W)=\mathbb E[\hat JW\hat J]`.

Statement
---------
``dexter2024.thm1.as_proved``: if (a) :math:`\lambda_1(H)>2/\eta` or (b)
:math:`\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}`, then :math:`\rho(\mathcal T_\eta)>1`, so
:math:`\mathbb E\|P_k\|_F^2=\operatorname{tr}\mathcal T_\eta^k(I)\to\infty`.  This is what the proof
(Appendix A.2, through Lemma 4.1(i)) establishes; the printed first-moment conclusion fails under (b)
(:mod:`.thm1`), and two steps of the proof are :mod:`.thm1_proof`.

Evidence
--------
* ``exact`` and ``property``: :math:`\rho(\mathcal T_\eta)` from the exact engine
  (:func:`verifythm.dynamics.spectral_radius`, Bernoulli sampling) on families of every kind and
  Hypothesis-drawn families, with :math:`\eta` just above the threshold (factor 1.001–2); includes the
  tight cases :math:`B=n` (where the threshold is :math:`2/\lambda_1=\eta^*`) and orthogonal rank-one
  members with :math:`n=2B`.
* ``symbolic`` (sympy, the algebra of the proof): the assembly of the constants,
  :math:`c^k\frac1{nd}(\frac{n^k}{d^2\sigma^k})^2\lambda^{2k}=
  \eta^{2k}(\frac n{\sigma^2B}-\frac1{\sigma^2})^k\frac{\lambda^{2k}}{nd^5}`
  (:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}`, :math:`k\le3`), the base of that geometric term equal
  to :math:`(1+t)^2>1` at :math:`\lambda_1=(1+t)\frac\sigma\eta(\frac nB-1)^{-1/2}`,
  and the :math:`\ell_1`–:math:`\ell_2` step :math:`(\sum_y\tau_y)^2\le n\sum_y\tau_y^2` (:math:`n=2,3`).

References
----------
[dexter2024precise, Theorem 1, proof in Appendix A.2].
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd_family
from verifythm.strategies import families

from ._common import FAMILY_INPUTS, condition, lambda1, nonzero_families, rho, threshold
from ._symbolic import noise_c


def _symbolic_as_proved() -> list[Any]:
    """Proof of Theorem 1 (Appendix A.2): the constants' assembly, the divergence base, the ℓ1–ℓ2 step."""
    import sympy as sp

    eta, n, B, sg, lam, d, t = sp.symbols("eta n B sigma lambda d t", positive=True)
    r = sp.Symbol("r", positive=True)  # n = B + r
    out: list[Any] = []
    for k in (1, 2, 3):
        chain = noise_c(eta, n, B) ** k / (n * d) * (n**k / (d**2 * sg**k)) ** 2 * lam ** (2 * k)
        final = eta ** (2 * k) * (n / (sg**2 * B) - 1 / sg**2) ** k / (n * d**5) * lam ** (2 * k)
        out.append(Identity(sp.cancel(chain), sp.cancel(final), f"assembly of the constants, k = {k}"))
    base = (eta**2 * (n / (sg**2 * B) - 1 / sg**2) * lam**2).subs(n, B + r)
    at = (1 + t) * sg / eta / sp.sqrt((B + r) / B - 1)
    out.append(
        Identity(sp.simplify(base.subs(lam, at)), (1 + t) ** 2, "base η²(n/B − 1)λ²/σ² = (1 + t)² above (b)")
    )
    out.append(Nonnegative(sp.expand((1 + t) ** 2 - 1), "(1 + t)² − 1 ≥ 0: the lower bound diverges"))
    for m in (2, 3):
        tau = sp.symbols(f"tau1:{m + 1}", nonnegative=True)
        gap = m * sum(x * x for x in tau) - sum(tau) ** 2
        closed = sum((tau[i] - tau[j]) ** 2 for i in range(m) for j in range(i + 1, m))
        out.append(Identity(sp.expand(gap), sp.expand(closed), f"n Σ τ_y² − (Σ τ_y)² (ℓ1–ℓ2), n = {m}"))
        out.append(Nonnegative(closed, f"(Σ_y tr H_y^k)² ≤ n Σ_y (tr H_y^k)², n = {m}"))
    return out


def _hyp_general(inst: dict[str, Any]) -> bool:
    Hs, B = inst["hessians"], inst["B"]
    if not 1 <= B <= Hs.shape[0] or not np.any(Hs != 0):
        return False
    return condition(Hs, inst["eta"], B)


def _as_proved(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], inst["eta"], inst["B"])
    return Comparison(r, 1.0, ">=", "ρ(T_η) (lim E‖P_k‖_F² = ∞ iff > 1)", "1")


def _instance(Hs: np.ndarray, B: int, t: float) -> dict[str, Any]:
    lam = lambda1(Hs.mean(axis=0))
    if not lam > 0:  # the zero family: σ undefined; the hypotheses reject it
        return {"hessians": Hs, "B": B, "eta": 1.0}
    a, b = threshold(Hs, B)
    return {"hessians": Hs, "B": B, "eta": t * min(a, b) / lam}


def _general_generator(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i, n, Hs in nonzero_families(rng, k):
        B = n if i % 4 == 0 else int(rng.integers(1, n + 1))
        t = 1.001 if i % 3 == 0 else float(rng.uniform(1.001, 2.0))
        out.append(_instance(Hs, B, t))
    return out


def _tight_cases() -> list[dict[str, Any]]:
    out = []
    for n in (2, 4, 6):
        E = np.stack([np.diag(np.eye(n)[i]) for i in range(n)])
        out.append(_instance(E, n // 2, 1.0001))  # orthogonal rank one, n = 2B: threshold = η*
        out.append(_instance(E, n, 1.0001))  # B = n: threshold 2/λ₁ = η*
    return out


@st.composite
def _general_strategy(draw: Any) -> dict[str, Any]:
    Hs = draw(families(n=st.integers(1, 4), d=st.integers(1, 3)))
    n = Hs.shape[0]
    return _instance(Hs, draw(st.integers(1, n)), draw(st.floats(1.001, 2.0)))


CLAIM = Claim(
    id="dexter2024.thm1.as_proved",
    title="Theorem 1's condition implies mean-square divergence: ρ(T_η) > 1, lim E‖Ĵ_k⋯Ĵ_1‖_F² = ∞",
    source=Source("dexter2024precise", "Theorem 1, proof in Appendix A.2"),
    statement=(
        r"If $\lambda_1(H)>2/\eta$ or $\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}$, then the "
        r"second-moment operator $\mathcal T_\eta(W)=\mathbb E[\hat JW\hat J]$ has "
        r"$\rho(\mathcal T_\eta)>1$, "
        r"so $\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2=\operatorname{tr}\mathcal T_\eta^k(I)\to\infty$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis("Theorem 1's condition holds, not all H_i zero", _hyp_general),
    ),
    conclusion=_as_proved,
    checks=(
        SymbolicCheck("symbolic", _symbolic_as_proved),
        ExactCheck("exact", _general_generator, fixed=_tight_cases()),
        PropertyCheck("property", _general_strategy(), max_examples=60),
    ),
    kind="limit",
    inputs=FAMILY_INPUTS,
)
