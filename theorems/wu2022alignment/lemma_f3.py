r"""Wu, Wang & Su (2022), Lemma F.3: the contraction property of the Rademacher complexity.

Setting
-------
Definition F.1: :math:`\widehat{\mathrm{Rad}}_n(\mathcal F)=\mathbb E_\xi\sup_{f\in\mathcal F}\frac1n
\sum_i\xi_if(z_i)` on a fixed sample :math:`z_1,\dots,z_n`, with i.i.d. Rademacher signs ξ and no
absolute value.  The complexity only sees the values on the sample, so an instance is a finite class
given by its value matrix :math:`V\in\mathbb R^{|\mathcal F|\times n}` (row f holds
:math:`(f(z_1),\dots,f(z_n))`), and a map :math:`\phi:\mathbb R\to\mathbb R` given by knots
:math:`t_0<\dots<t_K` and values :math:`y_k`: linear between knots, constant outside
(``numpy.interp``), so its Lipschitz constant is :math:`\max_k|y_{k+1}-y_k|/(t_{k+1}-t_k)`.
Every Lipschitz map agrees on the finitely many values of V with such a map of no larger
constant, so this loses no generality.

Statement
---------
If φ is β-Lipschitz, :math:`\widehat{\mathrm{Rad}}_n(\phi\circ\mathcal F)\le\beta\,
\widehat{\mathrm{Rad}}_n(\mathcal F)`, :math:`\phi\circ\mathcal F=\{\phi\circ f\}`.  No condition
:math:`\phi(0)=0` is needed in this form (without absolute value): a constant shift of φ adds
:math:`c\,\mathbb E\sum_i\xi_i=0`.

Evidence
--------
* ``symbolic``: the equality case, for symbolic values (n = 2, two functions) and affine
  :math:`\phi(t)=\beta t+c`, β > 0: enumerating the four sign vectors,
  :math:`\widehat{\mathrm{Rad}}_2(\phi\circ\mathcal F)=\beta\,\widehat{\mathrm{Rad}}_2(\mathcal F)`.
* ``exact``: both complexities by enumerating all :math:`2^n` signs (n ≤ 10, up to 8 functions) on
  seeded classes (Gaussian, sign-valued, with a constant function) and maps (random piecewise
  linear, |t|, clipping, a sawtooth, affine); β is the maximum slope (sometimes enlarged).  Affine
  φ with slope ±β attains the bound (ratio 1; fixed instances).
* ``property``: Hypothesis over value matrices and knot values, steered to small slack.

Weakening the bound by 10 % (β → 0.9β) gives counterexamples at once (the affine instances).

References
----------
[wu2022alignment, Appendix F.1, Definition F.1 and Lemma F.3 (Ledoux–Talagrand contraction)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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
from verifythm.claims.inputs import REAL, array
from verifythm.strategies.scalars import reals

from . import KEY
from ._appf import rad_finite


def lipschitz(tk: np.ndarray, yk: np.ndarray) -> float:
    """Lipschitz constant of the piecewise-linear map through the knots (constant outside)."""
    tk, yk = np.asarray(tk, float), np.asarray(yk, float)
    if tk.size < 2:
        return 0.0
    return float(np.max(np.abs(np.diff(yk) / np.diff(tk))))


def conclusion(inst: dict[str, Any]) -> Comparison:
    r"""Both sides: the complexity of φ∘F and β times that of F."""
    V, beta = np.atleast_2d(inst["V"]), inst["beta"]
    PV = np.interp(V, inst["tk"], inst["yk"])
    r = rad_finite(V)
    # the sums run over the values of φ∘F: a map with a large offset (φ ≈ 10⁴ on values of F
    # near 0) rounds at that size, although Rad_n does not see the offset
    scale = max(beta * float(np.abs(V).max()), float(np.abs(PV).max()))
    return Comparison(rad_finite(PV), beta * r, "<=", "Rad_n(φ∘F)", "β·Rad_n(F)", scale=scale)


def _valid(inst: dict[str, Any]) -> bool:
    V, tk = np.atleast_2d(inst["V"]), np.asarray(inst["tk"], float)
    return 1 <= V.shape[1] <= 12 and tk.size == np.size(inst["yk"]) and bool(np.all(np.diff(tk) > 0))


def _map(rng: np.random.Generator, kind: int, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """Knots spanning [lo, hi] (padded) of one of five kinds of Lipschitz maps."""
    tk = np.linspace(lo - 1.0, hi + 1.0, int(rng.integers(2, 12)))
    s = rng.uniform(0.2, 3.0)
    if kind == 0:  # random piecewise linear
        return tk, np.cumsum(np.r_[0.0, rng.uniform(-s, s, tk.size - 1) * np.diff(tk)])
    if kind == 1:  # |t - c|
        c = rng.uniform(lo, hi)
        tk = np.unique(np.r_[tk, c])
        return tk, s * np.abs(tk - c)
    if kind == 2:  # clipping
        a, b = np.sort(rng.uniform(lo, hi, 2))
        return tk, s * np.clip(tk, a, b)
    if kind == 3:  # sawtooth
        tk = np.linspace(lo - 1.0, hi + 1.0, 2 * int(rng.integers(2, 8)) + 1)
        return tk, s * (tk[1] - tk[0]) * (np.arange(tk.size) % 2)
    return tk, s * (1.0 if rng.random() < 0.5 else -1.0) * tk + rng.normal()  # affine: equality


def _inst(V: np.ndarray, tk: np.ndarray, yk: np.ndarray, enlarge: float = 1.0) -> dict[str, Any]:
    return {"V": V, "tk": tk, "yk": yk, "beta": lipschitz(tk, yk) * enlarge}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 60)):
        n, nf = int(rng.integers(1, 11)), int(rng.integers(1, 9))
        V = rng.standard_normal((nf, n)) * rng.exponential(2.0)
        if i % 4 == 1:
            V = np.sign(V)
        elif i % 4 == 2:
            V = np.vstack([np.full((1, n), float(rng.normal())), V])
        tk, yk = _map(rng, i % 5, float(V.min()), float(V.max()))
        out.append(_inst(V, tk, yk, 1.0 if i % 3 else float(rng.uniform(1.0, 1.5))))
    return out


_V = np.array([[1.0, -2.0, 0.5], [0.0, 1.0, 1.5], [-1.0, 0.5, -0.5]])
FIXED = [
    _inst(_V, np.array([-3.0, 3.0]), np.array([-6.0, 6.0])),  # φ(t) = 2t: equality
    _inst(_V, np.array([-3.0, 3.0]), np.array([4.0, -2.0])),  # φ(t) = 1 − t: equality
    _inst(np.array([[1.0], [-1.0]]), np.array([-2.0, 0.0, 2.0]), np.array([2.0, 0.0, 2.0])),  # |t|: Rad 0
]


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    V = draw(hnp.arrays(np.float64, (draw(st.integers(1, 4)), n), elements=reals(-5, 5)))
    K = draw(st.integers(2, 6))
    tk = np.linspace(-6.0, 6.0, K)
    yk = np.array(draw(st.lists(reals(-8, 8), min_size=K, max_size=K)))
    return _inst(V, tk, yk)


def _symbolic() -> list[Any]:
    import itertools

    import sympy as sp

    beta = sp.Symbol("beta", positive=True)
    c = sp.Symbol("c", real=True)
    f = sp.symbols("f1:3", real=True)
    g = sp.symbols("g1:3", real=True)

    def rad(rows: list[tuple[Any, Any]]) -> Any:
        # two functions: max(a, b) = (a + b + |a − b|)/2, exact
        tot = 0
        for xi in itertools.product((1, -1), repeat=2):
            a, b = (xi[0] * r[0] + xi[1] * r[1] for r in rows)
            tot += (a + b + sp.Abs(a - b)) / 2
        return tot / 8  # E over 4 sign vectors, 1/n with n = 2

    F = [(f[0], f[1]), (g[0], g[1])]
    phiF = [(beta * a + c, beta * b + c) for a, b in F]
    return [Identity(rad(phiF), beta * rad(F), "affine φ = βt + c: Rad₂(φ∘F) = β·Rad₂(F) (two functions)")]


CLAIM = Claim(
    id="wu2022.lemma_f3",
    title="Contraction: Rad_n(φ∘F) ≤ β·Rad_n(F) for every β-Lipschitz φ: ℝ → ℝ",
    source=Source(KEY, "Lemma F.3"),
    statement=(
        r"If $\phi:\mathbb R\to\mathbb R$ is β-Lipschitz and "
        r"$\phi\circ\mathcal F=\{\phi\circ f:f\in\mathcal F\}$, "
        r"then $\widehat{\mathrm{Rad}}_n(\phi\circ\mathcal F)\le\beta\,\widehat{\mathrm{Rad}}_n(\mathcal F)$ "
        r"(Definition F.1, no absolute value)."
    ),
    hypotheses=(
        Hypothesis("finite class on 1 ≤ n ≤ 12 points; φ piecewise linear (knots increasing)", _valid),
        Hypothesis("φ is β-Lipschitz", lambda i: lipschitz(i["tk"], i["yk"]) <= i["beta"] * (1 + 1e-12)),
    ),
    conclusion=conclusion,
    inputs={"V": array(), "beta": REAL},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=FIXED, note="E_ξ by enumeration of all 2^n signs"),
        PropertyCheck("property", _strategy()),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-12),
)
