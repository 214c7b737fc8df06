r"""Wu, Wang & Su (2022), Eq. (15): the random-feature kernel's mean-square error is at most :math:`b^4/m`.

Setting
-------
Appendix F.2: features :math:`w_1,\dots,w_m` i.i.d. from π, :math:`\hat k(x,x')=\frac1m\sum_s
\varphi(x;w_s)\varphi(x';w_s)`, :math:`k(x,x')=\mathbb E_w[\varphi(x;w)\varphi(x';w)]`, and
:math:`|\varphi|\le b` (Assumption 1).  For fixed x, x' only the law of the pair
:math:`(\varphi(x;w),\varphi(x';w))` matters; an instance is a discrete π on J atoms with values
:math:`a_j=\varphi(x;w_j)`, :math:`a'_j=\varphi(x';w_j)`, weights :math:`\pi_j`, the number of features m
and b
(π is arbitrary in the paper, so discrete laws are instances, e.g. the empirical law of sampled
ReLU features).

Statement
---------
* ``wu2022.eq15``: :math:`\mathbb E_w|\hat k(x,x')-k(x,x')|^2\le\mathbb E_w[\varphi^2(x;w)\varphi^2(x';w)]/m`
  (the first inequality; the gap is :math:`k(x,x')^2/m`, so equality iff :math:`k(x,x')=0`).
* ``wu2022.eq15.b4``: :math:`\mathbb E_w|\hat k(x,x')-k(x,x')|^2\le b^4/m` (the chain's end, used in Lemmas
  F.11 and F.15); equality iff :math:`\varphi(x;w)\varphi(x';w)=\pm b^2` with mean 0.

Evidence
--------
* ``symbolic``: J = 2 atoms with weight p and products :math:`u_j=a_ja'_j`, m = 2: the expectation by
  enumerating the four feature pairs equals :math:`(\mathbb E u^2-(\mathbb Eu)^2)/m`, and the gap to the
  middle term is :math:`(\mathbb Eu)^2/m\ge0`; for ``b4`` also :math:`b^4-\mathbb E[u^2]\ge0` when
  :math:`|u_j|\le b^2` (written :math:`u_j=b^2(1-s_j)/(1+s_j)`, :math:`s_j\ge0`).
* ``exact``: :math:`\mathbb E_w|\hat k-k|^2` by enumerating all :math:`J^m` feature tuples (J ≤ 4, m ≤ 5;
  independent of the variance formula) on seeded atoms (Gaussian values, ±b values, sampled ReLU features
  at two points of :math:`\mathbb S^{d-1}`), plus the equality instances.
* ``property``: Hypothesis over atom values and weights, steered to small slack.

Weakening by 10 % (middle term or :math:`b^4/m` times 0.9) gives counterexamples on the equality instances.

References
----------
[wu2022alignment, Appendix F.2, Assumption 1 and Eq. (15)].
"""

from __future__ import annotations

import itertools
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
    Tolerance,
)
from verifythm.claims.inputs import INT, REAL, array
from verifythm.strategies.scalars import reals

from . import KEY
from ._appf import relu_features, sphere

SOURCE = Source(KEY, "Eq. (15)")


def mse(inst: dict[str, Any]) -> float:
    r""":math:`\mathbb E_w|\hat k-k|^2` by enumerating all :math:`J^m` tuples of feature atoms."""
    u, pi, m = inst["a"] * inst["a2"], inst["pi"], inst["m"]
    k = float(pi @ u)
    tot = 0.0
    for idx in itertools.product(range(u.size), repeat=m):
        ix = np.array(idx)
        tot += float(np.prod(pi[ix])) * (float(u[ix].mean()) - k) ** 2
    return tot


def middle_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\mathbb E|\hat k-k|^2` versus :math:`\mathbb E[\varphi^2\varphi'^2]/m`."""
    u = inst["a"] * inst["a2"]
    rhs = float(inst["pi"] @ (u * u)) / inst["m"]
    return Comparison(mse(inst), rhs, "<=", "E|k̂ − k|²", "E[φ²φ'²]/m")


def b4_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\mathbb E|\hat k-k|^2` versus :math:`b^4/m`."""
    return Comparison(mse(inst), inst["b"] ** 4 / inst["m"], "<=", "E|k̂ − k|²", "b⁴/m")


def _valid(inst: dict[str, Any]) -> bool:
    pi = inst["pi"]
    ok = bool(np.all(pi >= 0)) and abs(float(pi.sum()) - 1) < 1e-12 and 1 <= inst["m"] <= 6
    return ok and np.size(inst["a"]) == np.size(inst["a2"]) == pi.size <= 5


def _bounded(inst: dict[str, Any]) -> bool:
    top = max(float(np.max(np.abs(inst["a"]))), float(np.max(np.abs(inst["a2"]))))
    return top <= inst["b"] * (1 + 1e-12)


HYPOTHESES = (
    Hypothesis("π a probability vector on J ≤ 5 atoms; 1 ≤ m ≤ 6", _valid),
    Hypothesis("|φ| ≤ b on the atoms (Assumption 1)", _bounded),
)


def _inst(a: np.ndarray, a2: np.ndarray, pi: np.ndarray, m: int, b: float | None = None) -> dict[str, Any]:
    top = max(float(np.max(np.abs(a))), float(np.max(np.abs(a2))))
    return {"a": a, "a2": a2, "pi": pi, "m": int(m), "b": top if b is None else b}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        J, m = int(rng.integers(1, 5)), int(rng.integers(1, 6 if i % 2 else 4))
        pi = rng.dirichlet(np.ones(J))
        if i % 3 == 0:
            a, a2 = rng.standard_normal(J), rng.standard_normal(J)
        elif i % 3 == 1:
            b = rng.uniform(0.5, 2.0)
            a, a2 = b * rng.choice([-1.0, 1.0], J), b * rng.choice([-1.0, 1.0], J)
        else:  # empirical law of J sampled ReLU features at two points of the sphere
            d = int(rng.integers(2, 5))
            P = relu_features(sphere(rng, 2, d), sphere(rng, J, d, np.sqrt(d)))
            a, a2 = P[0], P[1]
        inst = _inst(a, a2, pi, m)
        if i % 4 == 0:  # a loose bound b
            inst["b"] += rng.uniform(0.0, 0.5)
        out.append(inst)
    return out


_EQ = np.array([1.0, -1.0])
FIXED = [
    _inst(2 * _EQ, np.array([2.0, 2.0]), np.array([0.5, 0.5]), m)  # φφ' = ±b², mean 0: both equalities
    for m in (1, 2, 5)
] + [_inst(np.array([1.0, 2.0, 0.5]), np.array([-2.0, 1.0, 0.0]), np.array([0.5, 0.25, 0.25]), 3)]  # k = 0


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    J = draw(st.integers(1, 4))
    vals = st.lists(reals(-3, 3), min_size=J, max_size=J).map(np.array)
    w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=J, max_size=J)))
    return _inst(draw(vals), draw(vals), w / w.sum(), draw(st.integers(1, 4)))


def _symbolic() -> list[Any]:
    import sympy as sp

    p = sp.Symbol("p", positive=True)
    u = sp.symbols("u1:3", real=True)
    pi, m = (p, 1 - p), 2
    k = pi[0] * u[0] + pi[1] * u[1]
    lhs = sum(pi[i] * pi[j] * ((u[i] + u[j]) / m - k) ** 2 for i in range(2) for j in range(2))
    second = pi[0] * u[0] ** 2 + pi[1] * u[1] ** 2
    return [
        Identity(lhs, (second - k**2) / m, "E|k̂ − k|² = Var(φφ')/m (m = 2, two atoms)"),
        Nonnegative(k**2 / m, "E[φ²φ'²]/m − E|k̂ − k|² = k²/m ≥ 0"),
    ]


def _symbolic_b4() -> list[Any]:
    import sympy as sp

    p, q, b = sp.symbols("p q b", positive=True)
    s = sp.symbols("s1:3", nonnegative=True)
    u = [b**2 * (1 - x) / (1 + x) for x in s]  # every u ∈ (−b², b²]
    gap = sp.factor(sp.together(b**4 - (p * u[0] ** 2 + q * u[1] ** 2) / (p + q)))
    return [*_symbolic(), Nonnegative(gap, "b⁴ − E[φ²φ'²] ≥ 0 when |φφ'| ≤ b²")]


def _claim(cid: str, title: str, statement: str, conclusion: Any, sym: Any = _symbolic) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=HYPOTHESES,
        conclusion=conclusion,
        checks=(
            SymbolicCheck("symbolic", sym),
            ExactCheck("exact", _generate, fixed=FIXED, note="E_w by enumeration of all J^m feature tuples"),
            PropertyCheck("property", _strategy()),
        ),
        tolerance=Tolerance(rtol=1e-10, atol=1e-13),
        inputs={"a": array(1), "a2": array(1), "pi": array(1), "m": INT, "b": REAL},
    )


CLAIMS = [
    _claim(
        "wu2022.eq15",
        "E_w|k̂(x,x') − k(x,x')|² ≤ E_w[φ²(x;w)φ²(x';w)]/m for m i.i.d. random features",
        r"$\mathbb E_w|\hat k(x,x')-k(x,x')|^2\le\mathbb E_w[\varphi^2(x;w)\varphi^2(x';w)]/m$.",
        middle_conclusion,
    ),
    _claim(
        "wu2022.eq15.b4",
        "E_w|k̂(x,x') − k(x,x')|² ≤ b⁴/m when |φ| ≤ b (Assumption 1)",
        r"If $|\varphi|\le b$ then $\mathbb E_w|\hat k(x,x')-k(x,x')|^2\le b^4/m$.",
        b4_conclusion,
        _symbolic_b4,
    ),
]
