r"""Dexter et al. (2024), Section 3.2.1: Theorem 1 with σ = 1 in its simplified form √(B/n)/η.

Setting
-------
As in Theorem 1 (``dexter2024.thm1``): PSD :math:`H_i`, coherence :math:`\sigma`, Bernoulli
sampling; Theorem 1's condition (b) is :math:`\lambda_1(H)>f(\eta,\sigma,n,B)` with
:math:`f=\frac\sigma\eta(\frac nB-1)^{-1/2}` (§3.3).

Statement
---------
With :math:`\sigma=1`, Theorem 1 "guarantees instability if :math:`\lambda_1(H)>\frac1\eta\sqrt{B/n}`"
(``dexter2024.sec3_2_1.simplified_condition``; checked in its weakest form, mean-square
divergence :math:`\rho(\mathcal T_\eta)>1`).  The paper's reading of the comparison, to first order in
:math:`B/n`, is :mod:`.sec3_2_1_leading_order`; the comparison with Wu et al.'s condition through the
stable rank is :mod:`.sec3_2_1_stable_rank`.

Finding
-------
**Edge case**: §3.2.1 writes Theorem 1's condition with :math:`\sigma=1` in its
:math:`B\ll n` form, :math:`\frac1\eta\sqrt{B/n}` for :math:`\frac1\eta\sqrt{B/(n-B)}`, to compare
scalings with Wu et al.  To first order in :math:`B/n` the two agree
(``.leading_order``: the ratio lies in :math:`[1,1+B/n]` for :math:`B\le n/2`).  Read as an exact
sufficient condition it fails once :math:`B` is comparable with :math:`n`:
:math:`H_i=e_ie_i^T`, :math:`n=3`, :math:`B=1`, :math:`\eta=1.9` has :math:`\sigma=1` and
:math:`\lambda_1(H)=1/3>\sqrt{1/3}/1.9\approx0.304`, yet
:math:`\rho(\mathcal T_\eta)=1-2\eta/n+\eta^2/(nB)\approx0.937<1`: the dynamics converge in mean
square, hence also :math:`\mathbb E\|\hat J_k\cdots\hat J_1\|_2\to0`; on this family the
simplified condition suffices exactly when :math:`n\ge4B`.

Evidence
--------
* ``exact``: the exact engine's :math:`\rho(\mathcal T_\eta)` on orthogonal rank-one families
  (:math:`\sigma=1`, :math:`n\le8`, :math:`B<n`) with :math:`\eta` 1.001–3 times the simplified
  threshold, plus the instance above.
* ``symbolic`` (sympy, symbolic :math:`\eta,n,B`): :math:`\mathbb E(1-\eta\hat h_j)^2=1-2\eta/n+\eta^2/(nB)`
  on orthogonal rank-one members (Bernoulli masks enumerated), then the printed step
  :math:`\sqrt{B/n}\ge\sqrt{B/(n-B)}` fails (as expected).

References
----------
[dexter2024precise, Section 3.2.1].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    Nonnegative,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd_family

from ._common import FAMILY_INPUTS, lambda1, rho, sigma_of
from ._symbolic import bernoulli_mean, f_threshold_sym


def _symbolic_simplified() -> list[Any]:
    """Orthogonal e_ie_iᵀ (σ = 1): E(1 − ηĥ_j)², then the printed √(B/n) ≥ √(B/(n − B)) (it fails)."""
    import sympy as sp

    eta, n, B, v = sp.symbols("eta n B v", positive=True)
    m2 = bernoulli_mean(lambda z: (1 - eta * z[0] / B) ** 2, 1, B / n)
    return [
        Identity(
            sp.expand(m2),
            sp.expand(1 - 2 * eta / n + eta**2 / (n * B)),
            "E(1 − ηĥ_j)² = 1 − 2η/n + η²/(nB)",
        ),
        Identity(
            f_threshold_sym(eta, 1, n, B) ** 2, B / (eta**2 * (n - B)), "f(η, 1, n, B)² = B/(η²(n − B))"
        ),
        Nonnegative(sp.factor((B / n - B / (n - B)).subs(n, B + v)), "printed: (1/η)√(B/n) ≥ f(η, 1, n, B)"),
    ]


def _orthogonal(n: int) -> np.ndarray:
    return np.stack([np.diag(np.eye(n)[i]) for i in range(n)])


def _simplified_ok(inst: dict[str, Any]) -> bool:
    Hs, B, eta = inst["hessians"], inst["B"], inst["eta"]
    n = Hs.shape[0]
    if not (1 <= B <= n and eta > 0 and np.any(Hs != 0)):
        return False
    if abs(sigma_of(Hs) - 1.0) > 1e-9:
        return False
    return lambda1(Hs.mean(axis=0)) > math.sqrt(B / n) / eta


def _simplified(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], inst["eta"], inst["B"])
    return Comparison(r, 1.0, ">=", "ρ(T_η) (> 1 iff mean-square divergence)", "1")


def _simplified_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(k):
        n = int(rng.integers(2, 9))
        B = int(rng.integers(1, n))  # B < n: the regime the simplification is meant for
        Hs = _orthogonal(n)
        lam = 1.0 / n
        out.append({"hessians": Hs, "B": B, "eta": float(rng.uniform(1.001, 3.0)) * math.sqrt(B / n) / lam})
    return out


CLAIM = Claim(
    id="dexter2024.sec3_2_1.simplified_condition",
    title="with σ = 1, λ₁(H) > (1/η)√(B/n) guarantees instability (as stated)",
    source=Source("dexter2024precise", "Section 3.2.1"),
    statement=(
        r"If $\sigma=1$ and $\lambda_1(H)>\frac1\eta\sqrt{B/n}$, Theorem 1 guarantees instability; checked "
        r"here in its weakest form, mean-square divergence $\rho(\mathcal T_\eta)>1$."
    ),
    hypotheses=(psd_family("hessians"), Hypothesis("σ = 1 and λ₁(H) > √(B/n)/η", _simplified_ok)),
    conclusion=_simplified,
    checks=(
        SymbolicCheck("symbolic", _symbolic_simplified),
        ExactCheck("exact", _simplified_generate, fixed=[{"hessians": _orthogonal(3), "B": 1, "eta": 1.9}]),
    ),
    expected=Expected.fails(
        "edge case: §3.2.1 uses the B ≪ n form √(B/n)/η of Theorem 1's √(B/(n−B))/η (σ = 1), equal to first "
        "order in B/n (`dexter2024.sec3_2_1.simplified_condition.leading_order` holds); read as an exact "
        "sufficient condition it fails at B comparable with n: H_i = e_ie_iᵀ, n = 3, B = 1, η = 1.9 gives "
        "λ₁ = 1/3 > √(1/3)/1.9 ≈ 0.304 but ρ(T) ≈ 0.937 < 1 (mean-square stable)",
        "docs/errata/dexter2024.sec3_2_1.simplified_condition__exact.md",
        finding="edge-case",
    ),
    kind="limit",
    inputs=FAMILY_INPUTS,
)
