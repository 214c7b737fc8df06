r"""Wu, Wang & Su (2022), Eq. (3): the loss-scaled alignment factor μ = αβ, and α = β = μ = 1 under Eq. (2).

Setting
-------
Square loss at a point θ: residuals :math:`e_i`, :math:`L=\frac1{2n}\sum_ie_i^2`, model gradients
:math:`g_i` (columns of Q), :math:`G=\frac1n\sum_ig_ig_i^T`, per-sample gradients
:math:`\nabla L_i=e_ig_i`, noise covariance
:math:`\Sigma=\frac1n\sum_i\nabla L_i\nabla L_i^T-\nabla L\nabla L^T`;
:math:`\alpha=\operatorname{Tr}(G\Sigma)/(\|G\|_F\|\Sigma\|_F)`, :math:`\beta=\|\Sigma\|_F/(2L\|G\|_F)`.

Statement
---------
* ``wu2022.eq3``: :math:`\mu=\alpha\beta=\operatorname{Tr}(\Sigma G)/(2L\|G\|_F^2)` (needs
  :math:`L>0`, :math:`G\ne0`, :math:`\Sigma\ne0`).
* ``wu2022.eq3.decoupled`` (the sentence after (3)): :math:`\alpha=\beta=\mu=1` if the approximation (2)
  holds, i.e. :math:`\Sigma=2LG`.  Exact instances of (2) from real gradients and residuals: pairs of
  samples :math:`(g,\pm g)` with residuals :math:`\pm c` arranged so that :math:`\nabla L=0` and
  :math:`|e_i|=c`; then :math:`\Sigma_1=c^2G=2LG` and :math:`\Sigma_2=0`.
* ``wu2022.eq3.alpha_range``: α is a cosine similarity of two PSD matrices, so :math:`0\le\alpha\le1`
  (encoded as :math:`|2\alpha-1|\le1`; α = 1 exactly under (2)), hence :math:`0\le\mu\le\beta`.

Evidence
--------
* ``symbolic``: symbolic Q (p = 2, n = 2) and residuals: αβ equals the trace form (the norms cancel);
  for a symbolic symmetric G and L > 0, :math:`\Sigma=2LG` gives α = β = μ = 1.
* ``exact``: α and β from dense p × p matrices against μ from the engine's n × n Gram-form
  :func:`verifythm.quantities.alignment.alignment_factors` (a cross-check of two computations), on
  seeded gradient matrices of the catalogue's kinds (p, n ≤ 10) with Gaussian, one-hot and
  heavy-tailed residuals; the decoupled instances as above.
* ``property``: Hypothesis gradient matrices and residuals.

Weakening by 10 % (μ = 0.9αβ; α = β = μ = 1.1; |2α − 1| ≤ 0.9) gives counterexamples.

References
----------
[wu2022alignment, §2, definitions of α, β before Eq. (3), Eq. (3) and the sentence after it].
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
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.quantities.alignment import alignment_factors
from verifythm.strategies import gradient_matrices, random_gradient_matrix
from verifythm.strategies.scalars import real_vectors, reals

from . import KEY

SOURCE = Source(KEY, "Eq. (3)")
TOL = Tolerance(rtol=1e-8, atol=1e-12)
KINDS = ("gaussian", "anisotropic", "identical", "sparse", "scaled", "sphere", "heavy_tailed", "wu2022_relu")
#: The value α, β, μ take under Eq. (2) (a parameter only so that the mutation test can move it).
DECOUPLED_VALUE = 1.0


def dense_factors(Q: np.ndarray, e: np.ndarray) -> tuple[float, float, float]:
    r"""(α, β, trace form of μ) from the dense p × p matrices G and Σ."""
    Q, e = np.asarray(Q, float), np.asarray(e, float)
    n = Q.shape[1]
    G = Q @ Q.T / n
    S = Q * e
    grad = S.mean(axis=1)
    Sigma = S @ S.T / n - np.outer(grad, grad)
    L = float(e @ e) / (2 * n)
    g, s, t = float(np.linalg.norm(G)), float(np.linalg.norm(Sigma)), float(np.sum(G * Sigma))
    return t / (g * s), s / (2 * L * g), t / (2 * L * g * g)


def _sigma_nonzero(inst: dict[str, Any]) -> bool:
    Q, e = np.asarray(inst["Q"], float), np.asarray(inst["e"], float)
    S = Q * e
    C = S - S.mean(axis=1, keepdims=True)  # Σ = CCᵀ/n
    return bool(np.linalg.norm(C) > 1e-6 * max(float(np.linalg.norm(S)), 1e-300))


HYPOTHESES = (
    Hypothesis("L > 0 (some residual ≠ 0)", lambda i: bool(np.any(np.asarray(i["e"]) != 0))),
    Hypothesis("G ≠ 0", lambda i: bool(np.any(np.asarray(i["Q"]) != 0))),
    Hypothesis("Σ ≠ 0 (relative 1e-6)", _sigma_nonzero),
)


def eq3_conclusion(inst: dict[str, Any]) -> Comparison:
    """αβ (dense) versus μ (engine, Gram form)."""
    a, b, _ = dense_factors(inst["Q"], inst["e"])
    return Comparison(
        a * b, alignment_factors(inst["Q"], inst["e"]).mu, "==", "αβ", "Tr(ΣG)/(2L‖G‖_F²)", scale=1.0
    )


def decoupled_conclusion(inst: dict[str, Any]) -> Comparison:
    """max(|α − 1|, |β − 1|, |μ − 1|) versus 0 (engine values)."""
    f = alignment_factors(inst["Q"], inst["e"])
    dev = max(abs(x - DECOUPLED_VALUE) for x in (f.alpha, f.beta, f.mu))
    return Comparison(dev, 0.0, "<=", "max|α−1|,|β−1|,|μ−1|", "0", scale=1.0)


def alpha_conclusion(inst: dict[str, Any]) -> Comparison:
    """|2α − 1| versus 1 (α ∈ [0, 1])."""
    a, _, _ = dense_factors(inst["Q"], inst["e"])
    return Comparison(abs(2 * a - 1), 1.0, "<=", "|2α − 1|", "1")


def _decoupled(Q0: np.ndarray, c: float, s: np.ndarray, d: np.ndarray, perm: np.ndarray) -> dict[str, Any]:
    """Pairs (g, d·g) with residuals (c·s, −c·s·d): ∇L = 0 and |e_i| = c, so Σ = 2LG."""
    Q = np.hstack([Q0, Q0 * d])[:, perm]
    e = c * np.r_[s, -s * d][perm]
    return {"Q": Q, "e": e}


def _is_decoupled(inst: dict[str, Any]) -> bool:
    Q, e = np.asarray(inst["Q"], float), np.asarray(inst["e"], float)
    n = Q.shape[1]
    S = Q * e
    grad = S.mean(axis=1)
    Sigma = S @ S.T / n - np.outer(grad, grad)
    G = Q @ Q.T / n
    two_LG = float(e @ e) / n * G
    return bool(np.linalg.norm(Sigma - two_LG) <= 1e-10 * max(float(np.linalg.norm(two_LG)), 1e-300))


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p, n = int(rng.integers(1, 11)), int(rng.integers(2, 11))
        Q = random_gradient_matrix(rng, KINDS[i % len(KINDS)], p, n)
        if not np.any(Q):
            Q[0, 0] = 1.0
        e = [rng.standard_normal(n), np.eye(n)[int(rng.integers(n))], rng.standard_t(2, n)][i % 3]
        out.append({"Q": Q, "e": e})
    return out


def _gen_decoupled(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p, m = int(rng.integers(1, 9)), int(rng.integers(1, 6))
        Q0 = random_gradient_matrix(rng, KINDS[i % len(KINDS)], p, m)
        if not np.any(Q0):
            Q0[0, 0] = 1.0
        s, d = rng.choice([-1.0, 1.0], m), rng.choice([-1.0, 1.0], m)
        out.append(_decoupled(Q0, float(10 ** rng.uniform(-2, 2)), s, d, rng.permutation(2 * m)))
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_matrices(n=st.integers(2, 6), p=st.integers(1, 6)))
    return {"Q": Q, "e": draw(real_vectors(Q.shape[1]))}


@st.composite
def _strategy_decoupled(draw: Any) -> dict[str, Any]:
    Q0 = draw(gradient_matrices(n=st.integers(1, 4), p=st.integers(1, 5)))
    m = Q0.shape[1]
    signs = st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m).map(np.array)
    perm = draw(st.permutations(list(range(2 * m))))
    return _decoupled(Q0, draw(reals(0.1, 10)), draw(signs), draw(signs), np.array(perm))


def _sym_eq3() -> list[Any]:
    import sympy as sp

    Q = sp.Matrix(2, 2, sp.symbols("q1:5", real=True))
    e = sp.Matrix(sp.symbols("e1:3", real=True))
    G = Q * Q.T / 2
    S = Q * sp.diag(*e)
    grad = S * sp.Matrix([1, 1]) / 2
    Sigma = S * S.T / 2 - grad * grad.T
    L = (e.T * e)[0] / 4
    g, s, t = sp.sqrt(sum(x**2 for x in G)), sp.sqrt(sum(x**2 for x in Sigma)), (G * Sigma).trace()
    return [Identity((t / (g * s)) * (s / (2 * L * g)), t / (2 * L * g**2), "αβ = Tr(ΣG)/(2L‖G‖_F²)")]


def _sym_decoupled() -> list[Any]:
    import sympy as sp

    a, b, c = sp.symbols("a b c", real=True)
    L = sp.Symbol("L", positive=True)
    G = sp.Matrix([[a, b], [b, c]])
    Sigma = 2 * L * G
    g, s, t = sp.sqrt(sum(x**2 for x in G)), sp.sqrt(sum(x**2 for x in Sigma)), (G * Sigma).trace()
    return [
        Identity(t / (g * s), 1, "Σ = 2LG ⇒ α = 1"),
        Identity(s / (2 * L * g), 1, "Σ = 2LG ⇒ β = 1"),
        Identity(t / (2 * L * g**2), 1, "Σ = 2LG ⇒ μ = 1"),
    ]


CLAIMS = [
    Claim(
        id="wu2022.eq3",
        title="μ(θ) = α(θ)β(θ) = Tr(ΣG)/(2L‖G‖_F²)",
        source=SOURCE,
        statement=(
            r"$\mu=\alpha\beta=\operatorname{Tr}(\Sigma G)/(2L\|G\|_F^2)$ whenever $L>0$, $G\ne0$, "
            r"$\Sigma\ne0$."
        ),
        hypotheses=HYPOTHESES,
        conclusion=eq3_conclusion,
        checks=(
            SymbolicCheck("symbolic", _sym_eq3),
            ExactCheck("exact", _generate),
            PropertyCheck("property", _strategy()),
        ),
        tolerance=TOL,
        kind="identity",
    ),
    Claim(
        id="wu2022.eq3.decoupled",
        title="If the approximation (2) holds exactly (Σ = 2LG), then α = β = μ = 1",
        source=Source(KEY, "Eq. (3) (sentence after it)"),
        statement=r"If $\Sigma(\theta)=2L(\theta)G(\theta)$ with $L>0$, $G\ne0$, then $\alpha=\beta=\mu=1$.",
        hypotheses=(*HYPOTHESES[:2], Hypothesis("Σ = 2LG (relative 1e-10)", _is_decoupled)),
        conclusion=decoupled_conclusion,
        checks=(
            SymbolicCheck("symbolic", _sym_decoupled),
            ExactCheck("exact", _gen_decoupled),
            PropertyCheck("property", _strategy_decoupled()),
        ),
        tolerance=TOL,
        kind="identity",
    ),
    Claim(
        id="wu2022.eq3.alpha_range",
        title="The direction alignment α(θ) lies in [0, 1] (so 0 ≤ μ ≤ β)",
        source=SOURCE,
        statement=(
            r"$0\le\alpha=\operatorname{Tr}(G\Sigma)/(\|G\|_F\|\Sigma\|_F)\le1$ for PSD $G$, $\Sigma\ne0$."
        ),
        hypotheses=HYPOTHESES,
        conclusion=alpha_conclusion,
        checks=(
            ExactCheck("exact", _generate, fixed=_gen_decoupled(np.random.default_rng(3), 3)),
            PropertyCheck("property", _strategy()),
        ),
        tolerance=TOL,
    ),
]
