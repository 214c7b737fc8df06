r"""Wu, Wang & Su (2022), Eq. (20), for a PSD kernel: the expected squared Frobenius norm is at least Σλ_s².

Setting
-------
Data :math:`x_1,\dots,x_n` i.i.d. from ρ, kernel matrix :math:`K_{ij}=k(x_i,x_j)/n`, operator
:math:`\mathcal K` on :math:`L_2(\rho)` with eigenvalues :math:`\lambda_s` (so :math:`\sum_s\lambda_s^2=
\mathbb E_{x,x'}k^2(x,x')`, Eq. (19), ``wu2022.eq19``).  Instances: discrete ρ on L atoms (weights p,
kernel matrix :math:`K_0` on the atoms), where :math:`\mathbb E\|K\|_F^2` is computed by enumerating all
:math:`L^n` data tuples — independent of the formula — and :math:`\sum_s\lambda_s^2` from the spectrum of
:math:`P^{1/2}K_0P^{1/2}`.

Statement
---------
* ``wu2022.eq20.lower``: for a PSD kernel, :math:`\mathbb E\|K\|_F^2\ge\sum_s\lambda_s^2`, since
  :math:`k^2(x,x')\le k(x,x)k(x',x')` gives
  :math:`\mathbb Ek^2(x,x')\le(\mathbb Ek(x,x))^2\le\mathbb Ek^2(x,x)`.
  Equality iff :math:`k^2(x,x')=k(x,x)k(x',x')` a.s. with :math:`k(x,x)` a.s. constant, e.g. ρ a point
  mass or a constant kernel.  Scope note (not checked): PSD is necessary; for the symmetric indefinite
  :math:`K_0=\begin{pmatrix}0&1\\1&0\end{pmatrix}`, p = (½, ½), n = 2:
  :math:`\mathbb E\|K\|_F^2=1/4<1/2=\sum_s\lambda_s^2`.

The identity (20) itself is ``wu2022.eq20`` (module ``eq20``).

Evidence
--------
* ``symbolic``: two atoms (weights p, 1 − p), symbolic :math:`K_0=R^TR`: the gap
  :math:`\mathbb Ek^2(x,x)-\mathbb Ek^2(x,x')=p(1-p)\bigl((r_1^2-r_2^2)^2+
  2r_2^2r_3^2+r_3^4\bigr)` written as a sum of squares.
* ``exact``: enumeration (L ≤ 4 atoms, n ≤ 5) on seeded PSD kernels (ReLU on the circle, RBF, linear,
  diagonal, rank-one), plus the equality instances (one atom; constant kernel).
* ``property``: Hypothesis over weights, :math:`K_0=B^TB` and n.

Weakening by 10 % (the right side times 1.1) gives counterexamples on the equality instances.

References
----------
[wu2022alignment, Appendix F.2, proof of Lemma F.15, Eq. (20) (with Eq. (19))].
"""

from __future__ import annotations

from typing import Any

import numpy as np

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
    Tolerance,
)

from . import KEY
from ._appf import is_psd
from ._eq20 import FIXED, INPUTS, VALID, _generate, _parts, _strategy, expected_fro2, hs2

SOURCE = Source(KEY, "Eq. (20)")


def lower_conclusion(inst: dict[str, Any]) -> Comparison:
    """E‖K‖_F² (enumerated) versus Σλ²."""
    K0, p, n = _parts(inst)
    return Comparison(
        expected_fro2(K0, p, n), hs2(K0, p), ">=", "E‖K‖_F²", "Σλ_s²", scale=float(np.max(K0**2))
    )


def _sym_lower() -> list[Any]:
    import sympy as sp

    u, v = sp.symbols("u v", positive=True)
    r1, r2, r3 = sp.symbols("r1:4", real=True)
    p = u / (u + v)
    K = sp.Matrix([[r1, r2], [0, r3]]).T * sp.Matrix([[r1, r2], [0, r3]])  # every PSD 2 × 2 kernel matrix
    gap = (
        p * K[0, 0] ** 2
        + (1 - p) * K[1, 1] ** 2
        - (p**2 * K[0, 0] ** 2 + 2 * p * (1 - p) * K[0, 1] ** 2 + (1 - p) ** 2 * K[1, 1] ** 2)
    )
    sos = u * v / (u + v) ** 2 * ((r1**2 - r2**2) ** 2 + 2 * r2**2 * r3**2 + r3**4)
    return [
        Identity(gap, sos, "Ek²(x,x) − Ek²(x,x') = p(1−p)((r₁²−r₂²)² + 2r₂²r₃² + r₃⁴), K₀ = RᵀR"),
        Nonnegative(sos, "the gap is a sum of squares"),
    ]


CLAIMS = [
    Claim(
        id="wu2022.eq20.lower",
        title="For a PSD kernel, E‖K‖_F² ≥ Σ_s λ_s²(𝒦)",
        source=SOURCE,
        statement=(
            r"If k is PSD, $\mathbb E\|K\|_F^2\ge\sum_s\lambda_s^2(\mathcal K)$ "
            r"(as $\mathbb Ek^2(x,x)\ge\mathbb Ek^2(x,x')$)."
        ),
        hypotheses=(VALID, Hypothesis("k PSD (K₀ PSD)", lambda i: is_psd(i["K0"]))),
        conclusion=lower_conclusion,
        checks=(
            SymbolicCheck("symbolic", _sym_lower),
            ExactCheck("exact", lambda rng, k: _generate(rng, k, indefinite=False), fixed=FIXED),
            PropertyCheck("property", _strategy()),
        ),
        tolerance=Tolerance(rtol=1e-10, atol=1e-13),
        inputs=INPUTS,
    ),
]
