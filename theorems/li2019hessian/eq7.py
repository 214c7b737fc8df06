r"""Li et al. (2019), Eqs. (4)–(7): the second moment of the sample gradients is Σ + μμᵀ.

Setting
-------
Per-sample gradients :math:`g_i=\nabla f(\theta;z_i)\in\mathbb R^p`, :math:`i=1,\dots,n`,
stacked as the rows of :math:`G\in\mathbb R^{n\times p}`.  The paper defines the mean
gradient :math:`\mu=\frac1n\sum_ig_i` (Eq. (4)), the centred covariance
:math:`\Sigma=\frac1n\sum_i(g_i-\mu)(g_i-\mu)^T` (Eq. (5), normalised by :math:`n`, not
:math:`n-1`) and the uncentred second moment :math:`M=\frac1n\sum_ig_ig_i^T` (Eq. (7)).

Statement
---------
Eq. (7), second equality: :math:`M=\Sigma+\mu\mu^T` for every finite set of gradients.
(The first equalities of Eqs. (4) and (6), :math:`\mu=\nabla f` and :math:`H_f=\nabla^2 f`,
are linearity of differentiation and need no check.)

Evidence
--------
* ``symbolic``: the identity for a symbolic :math:`3\times 2` matrix :math:`G`.
* ``exact``: both sides on seeded gradient sets (Gaussian, rank-one, identical rows,
  widely scaled rows), compared in Frobenius norm relative to :math:`\|M\|_F`, with an
  exact-rational re-check.
* ``property``: Hypothesis over gradient families.

References
----------
[li2019hessian, Section 3, Eqs. (4)–(7)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.common import exact, finite, matrix_equal
from verifythm.claims.inputs import array
from verifythm.strategies import gradient_families


def _sides(G: Any) -> tuple[Any, Any]:
    n = G.shape[0]
    mu = G.sum(axis=0) / n
    C = G - mu[None, :]
    Sigma = C.T @ C / n
    M = G.T @ G / n
    return M, Sigma + np.outer(mu, mu)


def conclusion(inst: dict[str, Any]) -> Any:
    """``M`` (Eq. (7), definition) against ``Σ + μμᵀ``."""
    M, R = _sides(inst["G"])
    return matrix_equal(M, R, "M", "Σ + μμᵀ")


def precise(inst: dict[str, Any]) -> Any:
    """The same comparison in exact rationals."""
    M, R = _sides(exact(inst["G"]))
    return matrix_equal(M, R, "M", "Σ + μμᵀ")


def _symbolic() -> list[Any]:
    import sympy as sp

    G = sp.Matrix(3, 2, sp.symbols("g1:7", real=True))
    n = 3
    mu = sp.Matrix([sum(G[i, j] for i in range(n)) / n for j in range(2)])
    Sigma = sp.zeros(2, 2)
    M = sp.zeros(2, 2)
    for i in range(n):
        gi = G[i, :].T
        Sigma += (gi - mu) * (gi - mu).T / n
        M += gi * gi.T / n
    return [Identity(M, Sigma + mu * mu.T, "M = Σ + μμᵀ (n = 3, p = 2)")]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 9)), int(rng.integers(1, 6))
        G = rng.standard_normal((n, p))
        if i % 4 == 1:
            G = np.outer(rng.standard_normal(n), rng.standard_normal(p))
        elif i % 4 == 2:
            G = np.repeat(G[:1], n, axis=0)
        elif i % 4 == 3:
            G = G * 10.0 ** rng.integers(-3, 4, size=(n, 1))
        out.append({"G": G})
    return out


CLAIM = Claim(
    id="li2019.eq7",
    title="Second moment of the sample gradients: M = Σ + μμᵀ",
    source=Source("li2019hessian", "Section 3, Eqs. (4)-(7)"),
    statement=(
        r"With $\mu=\frac1n\sum_ig_i$, $\Sigma=\frac1n\sum_i(g_i-\mu)(g_i-\mu)^T$ and "
        r"$M=\frac1n\sum_ig_ig_i^T$: $M=\Sigma+\mu\mu^T$."
    ),
    hypotheses=(finite("G"),),
    inputs={"G": array(2)},
    conclusion=conclusion,
    precise_conclusion=precise,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=[{"G": np.array([[1.0], [-1.0]])}]),
        PropertyCheck("property", st.fixed_dictionaries({"G": gradient_families().map(lambda Q: Q.T)})),
    ),
    kind="identity",
)
