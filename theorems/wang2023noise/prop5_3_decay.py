r"""Wang & Wu (2023), Proposition 5.3 (2): GD's escape ratio :math:`D_{t,1}` vanishes exponentially.

Setting
-------
GD on :math:`\mathcal L(w)=\frac12w^TGw`, :math:`G=\sum_i\lambda_iu_iu_i^T`
(:math:`\lambda_1\ge\lambda_2\ge\dots\ge0`), :math:`w_{t+1}=(I-\eta G)w_t`, learning rate
:math:`\eta=\beta/\lambda_1` with :math:`\beta>2`, :math:`w_{t,i}=u_i^Tw_t`,
:math:`D_{t,1}=\sum_{i\ge2}\lambda_iw_{t,i}^2/(\lambda_1w_{t,1}^2)`.

Statement
---------
``wang2023.prop5_3.decay``: if :math:`w_{0,1}\ne0` and :math:`\lambda_1>\lambda_2`, :math:`D_{t,1}\to0`
exponentially fast.  By item 1 (``wang2023.prop5_3``) this needs :math:`|1-\eta\lambda_i|<|1-\eta\lambda_1|`
for every :math:`i\ge2` with :math:`w_{0,i}\ne0`; the claim checks the contraction factor
:math:`\rho=\max_{i\ge2}|1-\eta\lambda_i|/|1-\eta\lambda_1|<1` (then :math:`D_{t,1}\le D_{0,1}\rho^{2t}`).

Finding
-------
Holds as stated, tight as :math:`\lambda_2\to\lambda_1`: the contraction is *implied* by :math:`\beta>2` and
:math:`\lambda_i<\lambda_1`: with :math:`x=\beta\lambda_i/\lambda_1\in[0,\beta)`, :math:`1-x\le1<\beta-1` and
:math:`x-1<\beta-1`.

Evidence
--------
* ``exact``: ρ on seeded spectra and rotations, β ∈ (2, 6], including :math:`\lambda_2=\lambda_1(1-10^{-3})`.
* ``symbolic``: with :math:`\beta=2+b`, :math:`\eta\lambda_i=\beta a/(a+r)` (positive symbols),
  :math:`(\beta-1)\mp(1-\eta\lambda_i)\ge0`, the sign conditions behind :math:`\rho<1`.
* ``property``: Hypothesis over :math:`(\lambda,U)` from ``psd_with`` draws, :math:`w_0`, β ∈ (2, 6].

References
----------
[wang2023noise, Proposition 5.3; Appendix D.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np

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

from ._common import KEY
from ._gd import FIXED, HYP, INPUTS, gd_setup, generate, instances

SOURCE = Source(KEY, "Proposition 5.3; App. D.2", page=8)


def decay(inst: dict[str, Any]) -> Comparison:
    """The contraction factor ρ of D_{t,1} against 1."""
    lam, U, w0, eta = gd_setup(inst)
    c = U.T @ w0
    idx = [i for i in range(1, lam.size) if abs(c[i]) > 0]
    rho = max((abs(1 - eta * lam[i]) for i in idx), default=0.0) / abs(1 - eta * lam[0])
    return Comparison(rho, 1.0, "<=", "ρ = max_{i≥2} |1−ηλ_i|/|1−ηλ_1|", "1")


def decay_obligations() -> list[Nonnegative]:
    """App. D.2 / item 2: with β = 2 + b, x = ηλ_i = β·a/(a + r) ∈ [0, β): |1 − x| ≤ β − 1 = |1 − ηλ₁|."""
    import sympy as sp

    b, a, r = sp.symbols("b a r", positive=True)
    beta = 2 + b
    x = beta * a / (a + r)  # λ_i/λ₁ = a/(a + r) < 1
    return [
        Nonnegative(sp.factor((beta - 1) - (1 - x)), "(β − 1) − (1 − ηλ_i) ≥ 0"),
        Nonnegative(sp.factor((beta - 1) - (x - 1)), "(β − 1) − (ηλ_i − 1) ≥ 0"),
    ]


_STRICT = Hypothesis(
    "λ₁ > λ₂",
    lambda i: bool(np.sort(i["lam"])[::-1][0] > np.sort(i["lam"])[::-1][1]),
)

DECAY = Claim(
    id="wang2023.prop5_3.decay",
    title="β > 2 and λ₁ > λ₂ give max_{i≥2} |1−ηλ_i| < |1−ηλ₁|, so D_{t,1} → 0 exponentially",
    source=SOURCE,
    statement=r"If $w_{0,1}\ne0$ and $\lambda_1>\lambda_2$ then $D_{t,1}\to0$ exponentially fast "
    r"(contraction factor $\rho<1$).",
    hypotheses=(*HYP, _STRICT),
    conclusion=decay,
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", decay_obligations),
        ExactCheck("exact", generate, fixed=FIXED),
        PropertyCheck("property", instances(), max_examples=40),
    ),
    tolerance=Tolerance(rtol=0.0, atol=0.0),
)

CLAIM = DECAY
