r"""Wu, Wang & Su (2022), Lemma F.4: Rademacher complexity of unit-norm linear functionals.

Setting
-------
Sample points :math:`x_1,\dots,x_n\in\mathbb R^d` (the data of Definition F.1) and the class
:math:`\mathcal F=\{x\mapsto u^Tx:\ u\in\mathbb S^{d-1}\}`.  The empirical Rademacher complexity is
:math:`\widehat{\mathrm{Rad}}_n(\mathcal F)=\mathbb E_\xi\sup_{u}\frac1n\sum_i\xi_iu^Tx_i
=\frac1n\mathbb E_\xi\|\sum_i\xi_ix_i\|_2`.

Statement
---------
For every sample, :math:`\widehat{\mathrm{Rad}}_n(\mathcal F)` is at most
:math:`\sqrt{\sum_i\|x_i\|^2/n^2}=\frac1n(\sum_i\|x_i\|_2^2)^{1/2}` (Euclidean norms).

Evidence
--------
* ``exact``: the expectation over ξ is computed exactly by enumerating all :math:`2^n` sign
  vectors (n ≤ 12) on seeded point clouds (Gaussian, anisotropic, identical points, orthogonal
  points).  Equality holds when the :math:`x_i` are pairwise orthogonal (then
  :math:`\|\sum\xi_ix_i\|^2=\sum\|x_i\|^2` for every ξ), in particular for n = 1; these are fixed
  instances, so the tightness ratio reaches 1.  For n identical points the ratio is
  :math:`\mathbb E|\sum\xi_i|/\sqrt n\to\sqrt{2/\pi}`.
* ``property``: Hypothesis over point clouds (n ≤ 8, d ≤ 4), steered to small slack.
* ``symbolic`` (proof of Lemma F.4): :math:`\sup_u\frac1n\sum_i\xi_iu^Tx_i=\frac1n\|\sum_i\xi_ix_i\|`
  (Cauchy–Schwarz, attained at the normalised sum), then Jensen; sympy derives
  :math:`\mathbb{E}_\xi\|\sum_i\xi_ix_i\|^2=\sum_i\|x_i\|^2` by enumerating the 8 sign vectors for
  symbolic :math:`x_1,x_2,x_3\in\mathbb{R}^2`, and Jensen's step as a sum of squares (N = 4).

References
----------
[wu2022alignment, Appendix F.1, Definition F.1 and Lemma F.4].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Identity

from . import KEY
from ._appf import point_sets, signs


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\frac1n\mathbb E_\xi\|\sum_i\xi_ix_i\|` (exact) vs :math:`\frac1n(\sum\|x_i\|^2)^{1/2}`."""
    X = inst["X"]
    n = X.shape[0]
    rad = float(np.mean(np.linalg.norm(signs(n) @ X, axis=1))) / n
    return Comparison(rad, float(np.sqrt(np.sum(X * X) / n**2)), "<=", "Rad_n(F)", "√(Σ‖x_i‖²/n²)")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        n, d = int(rng.integers(1, 11)), int(rng.integers(1, 6))
        kind = i % 4
        if kind == 0:
            X = rng.standard_normal((n, d))
        elif kind == 1:
            X = rng.standard_normal((n, d)) * rng.exponential(1.0, d)
        elif kind == 2:
            X = np.tile(rng.standard_normal(d), (n, 1))
        else:
            n = min(n, d)
            Q = np.linalg.qr(rng.standard_normal((d, d)))[0]
            X = Q[:n] * rng.uniform(0.1, 3.0, (n, 1))
        out.append({"X": X})
    return out


FIXED = [
    {"X": np.array([[3.0, -4.0]])},  # n = 1: equality
    {"X": np.eye(3)},  # orthonormal: equality
    {"X": np.diag([1.0, 2.0, 5.0, 0.5])},  # orthogonal: equality
    {"X": np.ones((6, 1))},  # identical points: ratio E|S_6|/√6
    {"X": np.zeros((2, 2))},  # degenerate: 0 ≤ 0
]


def _symbolic() -> list[Any]:
    """Proof of Lemma F.4: the Rademacher second moment for explicit points, and Jensen."""
    import itertools

    import sympy as sp

    from ._symf import jensen

    xs = [sp.Matrix(sp.symbols(f"x{i}_1:3", real=True)) for i in range(1, 4)]
    signs = list(itertools.product((-1, 1), repeat=3))
    ev = 0
    for s in signs:
        v = sum((si * x for si, x in zip(s, xs, strict=True)), sp.zeros(2, 1))
        ev += (v.T * v)[0]
    return [
        Identity(
            ev / len(signs), sum((x.T * x)[0] for x in xs), "E_ξ‖Σ_i ξ_ix_i‖² = Σ_i‖x_i‖² (n = 3, d = 2)"
        ),
        jensen(4),
    ]


CLAIM = Claim(
    id="wu2022.lemma_f4",
    title="Rad_n{x ↦ uᵀx : ‖u‖₂ = 1} ≤ √(Σ‖x_i‖²/n²) (linear class on the unit sphere)",
    source=Source(KEY, "Lemma F.4"),
    statement=(
        r"For $\mathcal F=\{u^Tx:u\in\mathbb S^{d-1}\}$ and any sample $x_1,\dots,x_n$, "
        r"$\widehat{\mathrm{Rad}}_n(\mathcal F)\le\sqrt{\sum_{i=1}^n\|x_i\|^2/n^2}$."
    ),
    hypotheses=(Hypothesis("1 ≤ n ≤ 12 (exact enumeration of ξ)", lambda i: 1 <= np.shape(i["X"])[0] <= 12),),
    conclusion=conclusion,
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED, note="E_ξ by enumeration of all 2^n signs"),
        PropertyCheck("property", point_sets().map(lambda X: {"X": X})),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-12),
    inputs={"X": array(2)},
)
