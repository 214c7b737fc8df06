r"""Wu, Wang & Su (2022), Eq. (20): the expected squared Frobenius norm of the kernel matrix.

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
* ``wu2022.eq20``: :math:`\mathbb E\|K\|_F^2=\frac1n\mathbb E k^2(x,x)+\frac{n-1}n\mathbb E k^2(x,x')=
  \sum_s\lambda_s^2+\frac{\mathbb E_xk^2(x,x)-\mathbb E_{x,x'}k^2(x,x')}n` (any symmetric k).

The lower bound :math:`\mathbb E\|K\|_F^2\ge\sum_s\lambda_s^2` for a PSD kernel is ``wu2022.eq20.lower``
(module ``eq20_lower``).

Evidence
--------
* ``symbolic``: two atoms (weights p, 1 − p), n = 2, symbolic kernel matrix: the enumeration of the four
  data pairs equals the right side of (20) (with
  :math:`\lambda_1^2+\lambda_2^2=(\operatorname{tr}A)^2-2\det A`).
* ``exact``: enumeration (L ≤ 4 atoms, n ≤ 5) on seeded kernels (ReLU on the circle, RBF, linear,
  diagonal, rank-one, indefinite), plus the equality instances of the lower bound (one atom; constant kernel).
* ``property``: Hypothesis over weights, symmetric :math:`K_0=(B+B^T)/2` and n.

Weakening by 10 % (the right side times 0.9) gives counterexamples.

References
----------
[wu2022alignment, Appendix F.2, proof of Lemma F.15, Eq. (20) (with Eq. (19))].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance

from . import KEY
from ._eq20 import FIXED, INPUTS, VALID, _generate, _parts, _strategy, expected_fro2, hs2

SOURCE = Source(KEY, "Eq. (20)")


def identity_conclusion(inst: dict[str, Any]) -> Comparison:
    """E‖K‖_F² (enumerated) versus Σλ² + (E k²(x,x) − E k²(x,x'))/n."""
    K0, p, n = _parts(inst)
    rhs = hs2(K0, p) + (float(p @ np.diag(K0) ** 2) - float(p @ K0**2 @ p)) / n
    return Comparison(
        expected_fro2(K0, p, n),
        rhs,
        "==",
        "E‖K‖_F²",
        "Σλ² + (Ek²(x,x) − Ek²(x,x'))/n",
        scale=float(np.max(K0**2)),
    )


def _sym_identity() -> list[Any]:
    import sympy as sp

    p = sp.Symbol("p", positive=True)
    a, b, c = sp.symbols("a b c", real=True)
    K0 = sp.Matrix([[a, b], [b, c]])
    w, n = (p, 1 - p), 2
    enum = sum(
        w[i] * w[j] * (K0[i, i] ** 2 + 2 * K0[i, j] ** 2 + K0[j, j] ** 2) / n**2
        for i in range(2)
        for j in range(2)
    )
    P = sp.diag(sp.sqrt(p), sp.sqrt(1 - p))
    A = P * K0 * P
    diag = w[0] * a**2 + w[1] * c**2
    cross = sum(w[i] * w[j] * K0[i, j] ** 2 for i in range(2) for j in range(2))
    return [
        Identity(
            enum,
            A.trace() ** 2 - 2 * A.det() + (diag - cross) / n,
            "E‖K‖_F² = Σλ² + (Ek²(x,x) − Ek²(x,x'))/n",
        )
    ]


CLAIMS = [
    Claim(
        id="wu2022.eq20",
        title="E‖K‖_F² = Σ_s λ_s² + (E k²(x,x) − E k²(x,x'))/n for the kernel matrix K = (k(x_i,x_j)/n)",
        source=SOURCE,
        statement=(
            r"For $x_i$ i.i.d. from ρ and $K_{ij}=k(x_i,x_j)/n$: $\mathbb E\|K\|_F^2=\sum_s\lambda_s^2+"
            r"(\mathbb E_xk^2(x,x)-\mathbb E_{x,x'}k^2(x,x'))/n$."
        ),
        hypotheses=(VALID,),
        conclusion=identity_conclusion,
        checks=(
            SymbolicCheck("symbolic", _sym_identity),
            ExactCheck("exact", _generate, fixed=FIXED, note="E over data by enumeration of all L^n tuples"),
            PropertyCheck("property", _strategy(psd=False)),
        ),
        tolerance=Tolerance(rtol=1e-10, atol=1e-13),
        inputs=INPUTS,
        kind="identity",
    ),
]
