r"""Wu, Wang & Su (2022), Lemma F.5: Rademacher complexity of the unit ball of a feature space.

Setting
-------
A feature map :math:`\phi:\mathcal X\to H` into a Hilbert space, kernel
:math:`k(x,y)=\langle\phi_x,\phi_y\rangle_H`, sample :math:`x_1,\dots,x_n`, class
:math:`\mathcal H=\{x\mapsto\langle\phi_x,h\rangle_H:\ \|h\|_H\le1\}`.  Then
:math:`\sup_{\|h\|\le1}\sum_i\xi_i\langle\phi_{x_i},h\rangle=\|\sum_i\xi_i\phi_{x_i}\|=\sqrt{\xi^TK\xi}`
with the Gram matrix :math:`K=(k(x_i,x_j))`, so every Gram matrix (any PSD matrix) is an instance.

Statement
---------
* As printed (``wu2022.lemma_f5``): :math:`\widehat{\mathrm{Rad}}_n(\mathcal H)\le\sqrt{\sum_ik(x_i,x_i)/n}`.
* As proved (``wu2022.lemma_f5.as_proved``): the proof ends with
  :math:`n\widehat{\mathrm{Rad}}_n(\mathcal H)\le\sqrt{\sum_ik(x_i,x_i)}`, i.e.
  :math:`\widehat{\mathrm{Rad}}_n(\mathcal H)\le\sqrt{\sum_ik(x_i,x_i)}/n` — smaller than the printed
  bound by the factor :math:`\sqrt n`.  This is the form used later (Lemmas F.8 and F.13 quote
  :math:`\sqrt{\sum_ik(x_i,x_i)}/n`); the printed statement is a typo (a missing square on n) but
  remains true, being weaker.  Both coincide at n = 1.

Evidence
--------
* ``exact``: :math:`\mathbb E_\xi\sqrt{\xi^TK\xi}/n` by enumerating all :math:`2^n` signs (n ≤ 12) on
  seeded Gram matrices (linear, Gaussian RBF, ReLU arc-cosine, diagonal, rank-one kernels).  The
  as-proved bound is attained by diagonal K (orthogonal features); the printed one only at n = 1.
* ``property``: Hypothesis over point clouds with the linear kernel :math:`K=XX^T`.
* ``symbolic`` (proof of Lemma F.5): :math:`\mathbb{E}_\xi[\xi^TK\xi]=\operatorname{tr}K` for a symbolic
  3 × 3 Gram matrix (all 8 signs), Jensen's step as a sum of squares, and (printed form) the ratio of
  the printed to the proved bound, :math:`\sqrt{\operatorname{tr}K/n}\,/\,(\sqrt{\operatorname{tr}K}/n)
  =\sqrt n\ge1`, for symbolic n — the factor the typo loses.

References
----------
[wu2022alignment, Appendix F.1, Lemma F.5 and its proof].
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
from ._appf import is_psd, point_sets, rad_ball, random_gram

SOURCE = Source(KEY, "Lemma F.5")


def literal(inst: dict[str, Any]) -> Comparison:
    r""":math:`\widehat{\mathrm{Rad}}_n(\mathcal H)` versus :math:`\sqrt{\sum_ik(x_i,x_i)/n}`."""
    K = inst["K"]
    n = K.shape[0]
    return Comparison(rad_ball(K), float(np.sqrt(np.trace(K) / n)), "<=", "Rad_n(H)", "√(Σk(x_i,x_i)/n)")


def as_proved(inst: dict[str, Any]) -> Comparison:
    r""":math:`\widehat{\mathrm{Rad}}_n(\mathcal H)` versus :math:`\sqrt{\sum_ik(x_i,x_i)}/n`."""
    K = inst["K"]
    n = K.shape[0]
    return Comparison(rad_ball(K), float(np.sqrt(np.trace(K))) / n, "<=", "Rad_n(H)", "√(Σk(x_i,x_i))/n")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [{"K": random_gram(rng, int(rng.integers(1, 11)), i % 5)} for i in range(min(k, 40))]


FIXED = [
    {"K": np.array([[2.5]])},  # n = 1: both bounds attained
    {"K": np.eye(4)},  # orthonormal features: as-proved bound attained
    {"K": np.diag([0.5, 1.0, 3.0])},
    {"K": np.ones((5, 5))},  # identical features
]

HYP = (
    Hypothesis("K symmetric PSD (a Gram matrix)", lambda i: is_psd(i["K"])),
    Hypothesis("1 ≤ n ≤ 12 (exact enumeration of ξ)", lambda i: 1 <= np.shape(i["K"])[0] <= 12),
)
PROPERTY = point_sets().map(lambda X: {"K": X @ X.T})


def _symbolic() -> list[Any]:
    """Proof of Lemma F.5 (second moment, Jensen) and the printed/proved ratio √n."""
    import sympy as sp

    from ._symf import jensen, rademacher_second_moment

    n, t = sp.symbols("n t", positive=True)
    return [
        rademacher_second_moment(3),
        jensen(4),
        Identity(
            sp.sqrt(t / n) / (sp.sqrt(t) / n), sp.sqrt(n), "√(tr K/n) / (√(tr K)/n) = √n (printed vs proved)"
        ),
    ]


def _claim(cid: str, title: str, statement: str, conclusion: Any) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=HYP,
        conclusion=conclusion,
        checks=(
            ExactCheck("exact", _generate, fixed=FIXED, note="E_ξ by enumeration of all 2^n signs"),
            PropertyCheck("property", PROPERTY),
            SymbolicCheck("symbolic", _symbolic),
        ),
        tolerance=Tolerance(rtol=1e-10, atol=1e-12),
        inputs={"K": array(2)},
    )


CLAIMS = [
    _claim(
        "wu2022.lemma_f5",
        "Rad_n{⟨φ_x, h⟩ : ‖h‖ ≤ 1} ≤ √(Σ_i k(x_i,x_i)/n) (as printed; weaker than the proof by √n)",
        r"For a feature map $\phi$ with kernel $k$, $\mathcal H=\{\langle\phi_x,h\rangle_H:\|h\|_H\le1\}$ "
        r"has $\widehat{\mathrm{Rad}}_n(\mathcal H)\le\sqrt{\sum_{i=1}^nk(x_i,x_i)/n}$.",
        literal,
    ),
    _claim(
        "wu2022.lemma_f5.as_proved",
        "Rad_n{⟨φ_x, h⟩ : ‖h‖ ≤ 1} ≤ √(Σ_i k(x_i,x_i))/n (as proved; attained by orthogonal features)",
        r"$n\,\widehat{\mathrm{Rad}}_n(\mathcal H)\le\sqrt{\sum_{i=1}^nk(x_i,x_i)}$ (Jensen on "
        r"$\mathbb E_\xi\|\sum_i\xi_i\phi_{x_i}\|$).",
        as_proved,
    ),
]
