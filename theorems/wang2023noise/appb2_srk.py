r"""Wang & Wu (2023), App. B.2 (proof of Thm 3.3): :math:`\mathrm{Tr}^2(S)/\|S\|_F^2\ge\mathrm{srk}(S)`.

Setting
-------
:math:`S\in\mathbb R^{d\times d}` symmetric PSD, :math:`S\ne0`, eigenvalues
:math:`\lambda_1\ge\dots\ge\lambda_d\ge0`.  The paper's effective rank (Notation, §2) is
:math:`\mathrm{srk}(S)=\mathrm{tr}(S)/\|S\|` with the spectral norm :math:`\|S\|=\lambda_1` (not the
stable rank :math:`\|S\|_F^2/\|S\|_2^2`).

Statement
---------
Since :math:`\mathrm{Tr}(S)\|S\|_2=\lambda_1\sum_i\lambda_i\ge\sum_i\lambda_i^2=\|S\|_F^2`, the two
Hanson–Wright exponents compare as
:math:`\mathrm{Tr}^2(S)/\|S\|_F^2\ge\mathrm{Tr}(S)/\|S\|_2=\mathrm{srk}(S)`.
The proof applies the same step to :math:`S^2` in Step III (any PSD matrix qualifies).  The printed
intermediate ends in ":math:`=\|S\|_F`"; :math:`\sum_i\lambda_i^2` is :math:`\|S\|_F^2` (**typo**; the
conclusion uses the square).  Equality holds iff all positive eigenvalues are equal
(:math:`S` a multiple of an orthogonal projection).

Evidence
--------
* ``symbolic``: :math:`\mathrm{Tr}(S)\lambda_1-\|S\|_F^2=\sum_i\lambda_i(\lambda_1-\lambda_i)\ge0` for ordered
  spectra written through non-negative gaps (:math:`d=3,4`); dividing by
  :math:`\lambda_1\|S\|_F^2/\mathrm{Tr}(S)>0` gives the claim.
* ``exact``: eigenvalues of seeded PSD matrices (``random_psd_with``, :math:`d\le40`, all ranks, condition
  numbers up to :math:`10^6`) and multiples of projections (the equality case).
* ``property``: Hypothesis over ``psd_with`` (dimension ≤ 8, any rank and condition), steered to small slack.
  Weakened by 10 % (right side times 1.1): counterexample at the first projection (equality case).

References
----------
[wang2023noise, Notation (§2); Appendix B.2, proof of Theorem 3.3, Step I].
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import array
from verifythm.strategies import psd_with, random_psd_with

from ._common import KEY


def sides(S: Any) -> tuple[float, float]:
    """``(Tr²S/‖S‖_F², Tr S/‖S‖₂)`` from the eigenvalues of a PSD ``S`` (tiny negative ones clipped)."""
    lam = np.clip(np.linalg.eigvalsh((np.asarray(S, float) + np.asarray(S, float).T) / 2), 0.0, None)
    lam = lam / lam[-1]  # scale-free: srk and Tr²/‖·‖_F² are invariant under S ↦ cS
    tr = float(lam.sum())
    return tr * tr / float(lam @ lam), tr


def conclusion(inst: dict[str, Any]) -> Comparison:
    """Tr²(S)/‖S‖_F² against srk(S) = Tr(S)/‖S‖₂."""
    lhs, rhs = sides(inst["S"])
    return Comparison(lhs, rhs, ">=", "Tr²(S)/‖S‖_F²", "srk(S) = Tr(S)/‖S‖₂")


def _psd_nonzero(inst: dict[str, Any]) -> bool:
    S = inst["S"]
    if S.ndim != 2 or S.shape[0] != S.shape[1] or not np.all(np.isfinite(S)) or not np.allclose(S, S.T):
        return False
    lam = np.linalg.eigvalsh((S + S.T) / 2)
    return bool(lam[-1] > 0 and lam[0] >= -1e-10 * lam[-1])


def _symbolic() -> list[Any]:
    import sympy as sp

    out = []
    for d in (3, 4):
        gaps = sp.symbols(f"g0:{d}", nonnegative=True)  # λ_d = g0, λ_{d−1} = g0 + g1, …
        lam = [sum(gaps[: j + 1]) for j in range(d)][::-1]  # λ_1 ≥ … ≥ λ_d ≥ 0
        expr = sp.expand(sum(lam) * lam[0] - sum(x**2 for x in lam))
        out.append(Nonnegative(expr, f"Tr(S)λ₁ − ‖S‖_F² ≥ 0 (d = {d}, ordered spectrum)"))
    return out


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 41))
        if i % 4 == 0:  # c·(orthogonal projection of rank r): equality
            r = int(rng.integers(1, d + 1))
            V = np.linalg.qr(rng.standard_normal((d, d)))[0][:, :r]
            out.append({"S": float(np.exp(rng.uniform(-3, 3))) * (V @ V.T)})
            continue
        rank = int(rng.integers(1, d + 1))
        cond = 1.0 if rank == 1 else float(10 ** rng.uniform(0, 6))
        out.append({"S": random_psd_with(rng, d, rank=rank, condition=cond)})
    return out


CLAIM = Claim(
    id="wang2023.appb2.srk_bound",
    title="Tr²(S)/‖S‖_F² ≥ srk(S) = Tr(S)/‖S‖₂ for PSD S ≠ 0 (App. B.2, Step I)",
    source=Source(KEY, "Appendix B.2 (proof of Theorem 3.3, Step I)"),
    statement=r"For PSD $S\ne0$: $\mathrm{Tr}(S)\|S\|_2\ge\|S\|_F^2$, hence "
    r"$\mathrm{Tr}^2(S)/\|S\|_F^2\ge\mathrm{Tr}(S)/\|S\|_2=\mathrm{srk}(S)$.",
    hypotheses=(Hypothesis("S symmetric PSD, S ≠ 0", _psd_nonzero),),
    conclusion=conclusion,
    inputs={"S": array()},  # sides() keeps reading S itself (a matrix argument, not an instance)
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=[{"S": np.eye(3)}, {"S": np.diag([2.0, 1.0, 0.0])}]),
        PropertyCheck("property", st.fixed_dictionaries({"S": psd_with(st.integers(1, 8))}), max_examples=80),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-12),
)
