r"""Li et al. (2019), Eq. (26) and Section 3: mean and second moment of the mini-batch gradient.

Setting
-------
Per-sample gradients :math:`g_1,\dots,g_n\in\mathbb R^p` (rows of :math:`G`) at
:math:`\theta_t`, with :math:`\mu_t`, :math:`\Sigma_t` and :math:`M_t` as in Eqs. (4)–(7).
A mini-batch of size :math:`m` gives the stochastic gradient
:math:`\nabla\tilde f(\theta_t)=\sum_iw_ig_i`, with batch weights :math:`w` drawn by a
sampling scheme (:mod:`verifythm.dynamics.sampling`):

* with replacement — :math:`m` i.i.d. uniform indices, :math:`w_i=\#\{i\}/m`; this is the
  paper's scheme ("random samples with replacement", Appendix A.1);
* without replacement — a uniform :math:`m`-subset, :math:`w_i=[i\in S]/m`;
* Bernoulli — each index kept with probability :math:`m/n`, :math:`w_i=[i\text{ kept}]/m`.

Statement
---------
Section 3 states :math:`\mu^{(m)}=\mu` and :math:`\Sigma^{(m)}=\Sigma/m` and Eq. (26) the
second moment :math:`M_t^{(m)}=\mathbb E[\nabla\tilde f\,\nabla\tilde f^T]
=\frac1m\Sigma_t+\mu_t\mu_t^T`.  Encoded claims:

* ``li2019.eq26`` — Eq. (26) literally, for the paper's scheme (with replacement);
* ``li2019.eq26.mean`` — :math:`\mathbb E[\nabla\tilde f]=\mu_t` for all three schemes;
* ``li2019.eq26.without_replacement`` — the correct form without replacement,
  :math:`\frac{n-m}{m(n-1)}\Sigma_t+\mu_t\mu_t^T`;
* ``li2019.eq26.bernoulli`` — the correct form for Bernoulli sampling,
  :math:`(\frac1m-\frac1n)M_t+\mu_t\mu_t^T`;
* ``li2019.eq26.without_replacement.literal`` — Eq. (26) read for sampling without
  replacement.  **False**: the factor :math:`\frac1m` must be :math:`\frac{n-m}{m(n-1)}`.
  Smallest counterexample :math:`n=m=2`, :math:`p=1`, :math:`G=(1,-1)^T`: the full batch
  is deterministic, :math:`\mathbb E[\nabla\tilde f^2]=0`, but :math:`\Sigma/m+\mu^2=1/2`.
  This is a **scope** finding, not an error of the paper: §5.2 assumes the stochastic gradient has
  mean :math:`\mu_t` and covariance :math:`\Sigma_t/m` (Eq. (25)), the with-replacement law, and
  Appendix A.1 says batches are drawn with replacement.  It is recorded so that Eq. (26) is not
  reused for the without-replacement loaders common in practice.

Evidence
--------
* ``symbolic``: exact enumeration of every batch (sympy rationals) for a symbolic
  :math:`3\times 2` gradient matrix and :math:`m=2`.
* ``exact``: exact enumeration of every batch
  (:func:`~verifythm.dynamics.sampling.batch_distribution`) on seeded gradient sets with
  :math:`n\le 5`, :math:`p\le 3`, :math:`m\le\min(n,3)`; the formula side is computed
  independently from :math:`\mu,\Sigma,M`.  Violations are re-checked in exact rationals.
* ``property``: Hypothesis over small gradient sets and batch sizes.

References
----------
[li2019hessian, Section 3 (text after Eq. (8)) and Section 5.2, Eq. (26); Appendix A.1].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import exact, matrix_equal
from verifythm.claims.inputs import INT, array
from verifythm.dynamics.sampling import Sampling, batch_distribution
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Eq. (26); Section 3")
SCHEMES = (Sampling.WITH_REPLACEMENT, Sampling.WITHOUT_REPLACEMENT, Sampling.BERNOULLI)


def _moments(G: Any, scheme: Sampling, m: int, zero: Any) -> tuple[Any, Any]:
    """``(E ĝ, E ĝĝᵀ)`` by enumerating every batch (float or Fraction arithmetic)."""
    n, p = G.shape
    mean = np.full(p, zero, dtype=G.dtype)
    second = np.full((p, p), zero, dtype=G.dtype)
    for prob, w in batch_distribution(scheme, n, m):
        wv = np.array([x if G.dtype == object else float(x) for x in w], dtype=G.dtype)
        pr = prob if G.dtype == object else float(prob)
        g = wv @ G
        mean = mean + pr * g
        second = second + pr * np.outer(g, g)
    return mean, second


def _stats(G: Any) -> tuple[Any, Any, Any]:
    n = G.shape[0]
    mu = G.sum(axis=0) / n
    C = G - mu[None, :]
    return mu, C.T @ C / n, G.T @ G / n


def _formula(kind: str, G: Any, m: int) -> Any:
    n = G.shape[0]
    mu, Sigma, M = _stats(G)
    if kind == "paper":
        c, X = Fraction(1, m), Sigma
    elif kind == "without":
        c, X = (Fraction(0) if n == 1 else Fraction(n - m, m * (n - 1))), Sigma
    else:
        c, X = Fraction(1, m) - Fraction(1, n), M
    if G.dtype != object:
        c = float(c)
    return c * X + np.outer(mu, mu)


def _second_moment_claim(
    cid: str, title: str, statement: str, scheme: Sampling, kind: str, expected: Expected | None = None
) -> Claim:
    label = {"paper": "Σ/m + μμᵀ", "without": "(n−m)/(m(n−1))·Σ + μμᵀ", "bernoulli": "(1/m − 1/n)·M + μμᵀ"}[
        kind
    ]

    def conclusion(inst: dict[str, Any]) -> Comparison:
        G, m = inst["G"], inst["m"]
        _, E2 = _moments(G, scheme, m, 0.0)
        return matrix_equal(E2, _formula(kind, G, m), "E[ĝĝᵀ]", label)

    def precise(inst: dict[str, Any]) -> Comparison:
        G, m = exact(inst["G"]), inst["m"]
        _, E2 = _moments(G, scheme, m, Fraction(0))
        return matrix_equal(E2, _formula(kind, G, m), "E[ĝĝᵀ]", label)

    def symbolic() -> list[Any]:
        import sympy as sp

        G = np.array(sp.symbols("g1:7", real=True), dtype=object).reshape(3, 2)
        m = 2
        E2 = sp.zeros(2, 2)
        for prob, w in batch_distribution(scheme, 3, m):
            g = sp.Matrix(
                [
                    sum(sp.Rational(w[i].numerator, w[i].denominator) * G[i, j] for i in range(3))
                    for j in range(2)
                ]
            )
            E2 += sp.Rational(prob.numerator, prob.denominator) * g * g.T
        mu = sp.Matrix([sum(G[i, j] for i in range(3)) / 3 for j in range(2)])
        Sig = sp.zeros(2, 2)
        Mm = sp.zeros(2, 2)
        for i in range(3):
            gi = sp.Matrix(G[i, :])
            Sig += (gi - mu) * (gi - mu).T / 3
            Mm += gi * gi.T / 3
        n = 3
        if kind == "paper":
            rhs = Sig / m + mu * mu.T
        elif kind == "without":
            rhs = sp.Rational(n - m, m * (n - 1)) * Sig + mu * mu.T
        else:
            rhs = (sp.Rational(1, m) - sp.Rational(1, n)) * Mm + mu * mu.T
        return [Identity(E2, rhs, f"E[ĝĝᵀ] = {label} ({scheme.value}, n = 3, m = 2, p = 2)")]

    def to_instance(point: dict[str, Any]) -> dict[str, Any]:
        G = np.array([float(point[f"g{i}"]) for i in range(1, 7)]).reshape(3, 2)
        return {"G": G, "m": 2}

    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_HYP,
        inputs=INPUTS,
        conclusion=conclusion,
        precise_conclusion=precise,
        checks=(
            SymbolicCheck("symbolic", symbolic, to_instance=to_instance),
            ExactCheck("exact", _generate, fixed=[SMALLEST]),
            PropertyCheck("property", _strategy),
        ),
        expected=expected or Expected(),
        kind="identity",
    )


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        m = int(rng.integers(1, min(n, 3) + 1))
        G = rng.standard_normal((n, p))
        if i % 3 == 1:
            G = G * 10.0 ** rng.integers(-2, 3, size=(n, 1))
        elif i % 3 == 2:
            G = G + 3 * rng.standard_normal(p)  # a large common mean
        out.append({"G": G, "m": m})
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 5))
    p = draw(st.integers(1, 3))
    m = draw(st.integers(1, min(n, 3)))
    G = draw(hnp.arrays(float, (n, p), elements=reals(-10, 10)))
    return {"G": G, "m": m}


_strategy = _instances()
INPUTS = {"G": array(), "m": INT}  # G's axes are the hypothesis's to check
_HYP = (
    Hypothesis(
        "G finite (n ≤ 8 rows), 1 ≤ m ≤ n",
        lambda inst: bool(
            np.all(np.isfinite(inst["G"]))
            and np.ndim(inst["G"]) == 2
            and 1 <= np.shape(inst["G"])[0] <= 8
            and 1 <= inst["m"] <= np.shape(inst["G"])[0]
        ),
    ),
)
SMALLEST = {"G": np.array([[1.0], [-1.0]]), "m": 2}


def _mean_conclusion(inst: dict[str, Any]) -> Comparison:
    G, m = inst["G"], inst["m"]
    mu = G.mean(axis=0)
    worst = max(float(np.linalg.norm(_moments(G, s, m, 0.0)[0] - mu)) for s in SCHEMES)
    return Comparison(worst, 0.0, "==", "max_s ‖E_s[ĝ] − μ‖", "0", scale=float(np.linalg.norm(mu)))


def _mean_symbolic() -> list[Any]:
    import sympy as sp

    g = sp.symbols("g1:4", real=True)
    out = []
    for s in SCHEMES:
        E = sum(
            sp.Rational(pr.numerator, pr.denominator)
            * sum(sp.Rational(wi.numerator, wi.denominator) * gi for wi, gi in zip(w, g, strict=True))
            for pr, w in batch_distribution(s, 3, 2)
        )
        out.append(Identity(E, sum(g) / 3, f"E[ĝ] = μ ({s.value}, n = 3, m = 2)"))
    return out


MEAN = Claim(
    id="li2019.eq26.mean",
    title="The mini-batch gradient is unbiased: μ^(m) = μ (all three schemes)",
    source=Source("li2019hessian", "Section 3 (after Eq. (8))"),
    statement=r"$\mathbb E[\nabla\tilde f(\theta_t)]=\mu^{(m)}(\theta_t)=\mu(\theta_t)$.",
    hypotheses=_HYP,
    inputs=INPUTS,
    conclusion=_mean_conclusion,
    checks=(
        SymbolicCheck("symbolic", _mean_symbolic),
        ExactCheck("exact", _generate, fixed=[{"G": np.array([[1.0], [3.0]]), "m": 1}]),
        PropertyCheck("property", _strategy),
    ),
    kind="identity",
)

LITERAL = _second_moment_claim(
    "li2019.eq26",
    "M^(m) = Σ/m + μμᵀ for mini-batches sampled with replacement (the paper's scheme)",
    r"For $m$ indices drawn i.i.d. uniformly, $\mathbb E[\nabla\tilde f\nabla\tilde f^T]=\frac1m\Sigma_t"
    r"+\mu_t\mu_t^T$ (equivalently $\Sigma^{(m)}=\Sigma/m$).",
    Sampling.WITH_REPLACEMENT,
    "paper",
)

WITHOUT = _second_moment_claim(
    "li2019.eq26.without_replacement",
    "Without replacement the second moment is (n−m)/(m(n−1))·Σ + μμᵀ",
    r"For a uniform $m$-subset, $\mathbb E[\nabla\tilde f\nabla\tilde f^T]=\frac{n-m}{m(n-1)}\Sigma_t"
    r"+\mu_t\mu_t^T$.",
    Sampling.WITHOUT_REPLACEMENT,
    "without",
)

BERNOULLI = _second_moment_claim(
    "li2019.eq26.bernoulli",
    "Bernoulli sampling: the second moment is (1/m − 1/n)·M + μμᵀ",
    r"Keeping each index with probability $m/n$ and dividing by $m$, "
    r"$\mathbb E[\nabla\tilde f\nabla\tilde f^T]=(\frac1m-\frac1n)M_t+\mu_t\mu_t^T$.",
    Sampling.BERNOULLI,
    "bernoulli",
)

WITHOUT_LITERAL = _second_moment_claim(
    "li2019.eq26.without_replacement.literal",
    "Eq. (26) read for sampling without replacement (outside the paper's noise model)",
    r"For a uniform $m$-subset, $\mathbb E[\nabla\tilde f\nabla\tilde f^T]=\frac1m\Sigma_t+\mu_t\mu_t^T$.",
    Sampling.WITHOUT_REPLACEMENT,
    "paper",
    Expected.fails(
        "scope, not an error: the paper's noise model (25) has covariance Σ_t/m, i.e. sampling with "
        "replacement, where Eq. (26) holds (`li2019.eq26`); without replacement the factor 1/m is "
        "(n−m)/(m(n−1)) (n = m = 2, G = (1, −1)ᵀ: E[ĝ²] = 0 but Σ/m + μ² = 1/2)",
        "docs/errata/li2019.eq26.without_replacement.literal__exact.md",
        finding="scope",
    ),
)

CLAIMS = [LITERAL, MEAN, WITHOUT, BERNOULLI, WITHOUT_LITERAL]
