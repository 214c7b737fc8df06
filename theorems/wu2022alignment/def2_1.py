r"""Wu, Wang & Su (2022), Definition 2.1: the norm uniformity γ(θ) is well defined, in [0, 1], invariant.

Setting
-------
Model gradients :math:`g_i=\nabla f(x_i;\theta)\in\mathbb R^p` (columns of :math:`Q`), Fisher
:math:`G=\frac1n\sum_ig_ig_i^T`, :math:`\chi_i=\|g_i\|_G^2=g_i^TGg_i`,
:math:`\bar\chi=\frac1n\sum_i\chi_i` and :math:`\gamma=\min_i\chi_i/\bar\chi` (Definition 2.1).
Every gradient matrix is an instance (γ depends on θ only through Q).

Statement
---------
The checkable content of the definition:

* ``wu2022.def2_1.range``: γ is well defined whenever :math:`G\ne0`, because
  :math:`\bar\chi=\|G\|_F^2` (the identity used in the proof of Lemma 2.2), and :math:`\gamma\le1`, with
  equality iff all :math:`\chi_i` are equal (e.g. orthonormal or identical gradients).
* ``wu2022.def2_1.positive``: :math:`\chi_i=\frac1n\sum_j(g_i^Tg_j)^2\ge\|g_i\|^4/n`, hence
  :math:`\gamma\ge\min_i\|g_i\|^4/(n\|G\|_F^2)`: γ ≥ 0 always and γ > 0 as soon as no model gradient
  vanishes (equality for mutually orthogonal gradients).
* ``wu2022.def2_1.invariance``: γ is unchanged when every gradient is mapped by :math:`g_i\mapsto cUg_i`
  (c ≠ 0, U orthogonal): it measures the *uniformity* of the norms, not their scale or orientation.

Evidence
--------
* ``symbolic`` (p = 2, n = 3, symbolic Q): :math:`\bar\chi=\|G\|_F^2`;
  :math:`n\chi_1-\|g_1\|^4=\sum_{j\ne1}(g_1^Tg_j)^2\ge0`; :math:`\chi_i(cUQ)=c^4(a^2+b^2)^2\chi_i(Q)` for
  :math:`U=\begin{pmatrix}a&-b\\b&a\end{pmatrix}` (a rotation when :math:`a^2+b^2=1`).
* ``exact``: γ from the dense p × p matrix G on seeded gradient matrices of the catalogue's kinds
  (p, n ≤ 12), plus equality instances (orthonormal, identical, orthogonal with unequal norms).
* ``property``: Hypothesis gradient matrices (and c, an orthogonal U from a QR factor).

Weakening by 10 % (γ ≤ 0.9; the lower bound times 1.1) gives counterexamples on the equality instances.

References
----------
[wu2022alignment, Definition 2.1 and the proof of Lemma 2.2].
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
from verifythm.strategies import gradient_matrices, random_gradient_matrix
from verifythm.strategies.scalars import reals

from . import KEY

SOURCE = Source(KEY, "Definition 2.1")
KINDS = ("gaussian", "anisotropic", "identical", "orthogonal", "sparse", "scaled", "sphere", "heavy_tailed")


def chi(Q: np.ndarray) -> np.ndarray:
    r""":math:`\chi_i=g_i^TGg_i` from the dense Fisher :math:`G=QQ^T/n`."""
    Q = np.asarray(Q, float)
    G = Q @ Q.T / Q.shape[1]
    return np.einsum("pi,pq,qi->i", Q, G, Q)


def gamma(Q: np.ndarray) -> float:
    r""":math:`\gamma=\min_i\chi_i/\bar\chi`."""
    c = chi(Q)
    return float(c.min() / c.mean())


def _nonzero(inst: dict[str, Any]) -> bool:
    return bool(np.any(np.asarray(inst["Q"]) != 0))


NONZERO = Hypothesis("G ≠ 0 (some model gradient is non-zero)", _nonzero)


def range_conclusion(inst: dict[str, Any]) -> Comparison:
    """γ versus 1."""
    return Comparison(gamma(inst["Q"]), 1.0, "<=", "γ", "1")


def positive_conclusion(inst: dict[str, Any]) -> Comparison:
    r"""γ versus :math:`\min_i\|g_i\|^4/(n\|G\|_F^2)`."""
    Q = np.asarray(inst["Q"], float)
    n = Q.shape[1]
    G = Q @ Q.T / n
    low = float(np.min(np.sum(Q * Q, axis=0)) ** 2 / (n * np.sum(G * G)))
    return Comparison(gamma(Q), low, ">=", "γ", "min‖g_i‖⁴/(n‖G‖_F²)", scale=1.0)


def invariance_conclusion(inst: dict[str, Any]) -> Comparison:
    """γ(cUQ) versus γ(Q)."""
    Q = np.asarray(inst["Q"], float)
    return Comparison(
        gamma(inst["c"] * np.asarray(inst["U"]) @ Q), gamma(Q), "==", "γ(cUQ)", "γ(Q)", scale=1.0
    )


def _orth(rng: np.random.Generator, p: int) -> np.ndarray:
    U, R = np.linalg.qr(rng.standard_normal((p, p)))
    return U * np.sign(np.diag(R))


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p, n = int(rng.integers(1, 13)), int(rng.integers(1, 13))
        kind = KINDS[i % len(KINDS)]
        Q = random_gradient_matrix(rng, kind if kind != "orthogonal" or n <= p else "gaussian", p, n)
        if not np.any(Q):
            Q[0, 0] = 1.0
        out.append(
            {"Q": Q, "c": float(rng.choice([-1.0, 1.0]) * 10 ** rng.uniform(-3, 3)), "U": _orth(rng, p)}
        )
    return out


def _fixed() -> list[dict[str, Any]]:
    qs = [np.eye(3), np.ones((2, 4)), np.diag([1.0, 2.0, 3.0]), np.c_[np.eye(4)[:, :3], np.zeros(4)]]
    return [{"Q": Q, "c": 2.0, "U": np.eye(Q.shape[0])[::-1]} for Q in qs]


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_matrices(n=st.integers(1, 6), p=st.integers(1, 6)))
    p = Q.shape[0]
    A = np.array(draw(st.lists(reals(-2, 2), min_size=p * p, max_size=p * p))).reshape(p, p) + 3 * np.eye(p)
    return {"Q": Q, "c": draw(reals(0.01, 100)), "U": np.linalg.qr(A)[0]}


def _sym_Q() -> Any:
    import sympy as sp

    return sp.Matrix(2, 3, sp.symbols("q1:7", real=True))


def _chi_sym(Q: Any) -> list[Any]:
    G = Q * Q.T / Q.shape[1]
    return [(Q[:, i].T * G * Q[:, i])[0] for i in range(Q.shape[1])]


def _sym_range() -> list[Any]:
    Q = _sym_Q()
    G = Q * Q.T / 3
    return [Identity(sum(_chi_sym(Q)) / 3, sum(x**2 for x in G), "χ̄ = ‖G‖_F² (> 0 iff G ≠ 0)")]


def _sym_positive() -> list[Any]:
    Q = _sym_Q()
    g = [Q[:, i] for i in range(3)]
    gap = 3 * _chi_sym(Q)[0] - (g[0].T * g[0])[0] ** 2
    cross = sum(((g[0].T * g[j])[0]) ** 2 for j in (1, 2))
    return [
        Identity(gap, cross, "nχ₁ − ‖g₁‖⁴ = Σ_{j≠1}(g₁ᵀg_j)²"),
        Nonnegative(cross, "Σ_{j≠1}(g₁ᵀg_j)² ≥ 0"),
    ]


def _sym_invariance() -> list[Any]:
    import sympy as sp

    a, b, c = sp.symbols("a b c", real=True)
    U = sp.Matrix([[a, -b], [b, a]])  # UᵀU = (a² + b²)I: a rotation when a² + b² = 1
    Q = _sym_Q()
    lhs, rhs = sp.Matrix(_chi_sym(c * U * Q)), c**4 * (a**2 + b**2) ** 2 * sp.Matrix(_chi_sym(Q))
    return [Identity(lhs, rhs, "χ_i(cUQ) = c⁴(a² + b²)²χ_i(Q), = c⁴χ_i(Q) for a rotation")]


def _claim(suffix: str, title: str, statement: str, conclusion: Any, sym: Any, **kw: Any) -> Claim:
    return Claim(
        id=f"wu2022.def2_1.{suffix}",
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=(NONZERO, *kw.pop("hypotheses", ())),
        conclusion=conclusion,
        checks=(
            SymbolicCheck("symbolic", sym),
            ExactCheck("exact", _generate, fixed=_fixed()),
            PropertyCheck("property", _strategy(), max_examples=80),
        ),
        **kw,
    )


CLAIMS = [
    _claim(
        "range",
        "Norm uniformity: χ̄ = ‖G‖_F² > 0 makes γ well defined, and γ ≤ 1",
        r"If $G\ne0$ then $\bar\chi=\|G\|_F^2>0$, so $\gamma=\min_i\chi_i/\bar\chi$ is well defined, and "
        r"$\gamma\le1$ (equality iff all $\chi_i$ are equal).",
        range_conclusion,
        _sym_range,
    ),
    _claim(
        "positive",
        "Norm uniformity: γ ≥ min_i‖g_i‖⁴/(n‖G‖_F²), so γ > 0 when no model gradient vanishes",
        r"$\chi_i\ge\|g_i\|^4/n$, hence $\gamma\ge\min_i\|g_i\|^4/(n\|G\|_F^2)\ge0$, with equality for "
        r"mutually orthogonal gradients.",
        positive_conclusion,
        _sym_positive,
    ),
    _claim(
        "invariance",
        "Norm uniformity is invariant under g_i ↦ cUg_i (c ≠ 0, U orthogonal)",
        r"$\gamma(cUQ)=\gamma(Q)$ for every $c\ne0$ and orthogonal $U$.",
        invariance_conclusion,
        _sym_invariance,
        hypotheses=(
            Hypothesis(
                "c ≠ 0, U orthogonal",
                lambda i: i["c"] != 0 and np.allclose(i["U"].T @ i["U"], np.eye(len(i["U"]))),
            ),
        ),
        kind="identity",
    ),
]
