r"""Wang & Wu (2023), Lemma E.6 (2): Cauchy–Schwarz in expectation, :math:`|\mathbb E[XY]|\le\|X\|_2\|Y\|_2`.

Setting
-------
Random variables :math:`X,Y` with finite second moments; encoded on finite (weighted) distributions, where
expectations are exact sums.

Statement
---------
``wang2023.lemma_e6.expectation``: :math:`|\mathbb E[XY]|\le\sqrt{\mathbb E[X^2]}\sqrt{\mathbb E[Y^2]}` (the
part of Lemma E.6 that Lemma C.6's proof uses; part (1) is ``wang2023.lemma_e6.s_inner``).

Finding
-------
Holds (standard); equality iff :math:`Y=cX` a.s., which the generators include, so the tightness ratio
reaches 1.

Evidence
--------
* ``exact``: distributions on up to 12 atoms with random probabilities, :math:`Y=cX` cases.
* ``symbolic``: on three atoms with weights :math:`p_i`, :math:`\mathbb E X^2\mathbb EY^2-(\mathbb EXY)^2=
  \sum_{i<j}p_ip_j(x_iy_j-x_jy_i)^2`.
* ``property``: Hypothesis over distributions on up to 8 atoms.

References
----------
[wang2023noise, Appendix E, Lemma E.6].
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
from verifythm.claims.common import finite
from verifythm.claims.inputs import array
from verifythm.strategies import real_vectors, reals

from ._common import KEY
from ._symbolic import sym_vector

SOURCE = Source(KEY, "Lemma E.6")
_TOL = Tolerance(rtol=1e-9, atol=1e-300)


def expectation(inst: dict[str, Any]) -> Comparison:
    """|E[XY]| against √E[X²]·√E[Y²] for a finite distribution with probabilities ``p``."""
    p, X, Y = inst["p"], inst["X"], inst["Y"]
    lhs = abs(float(p @ (X * Y)))
    rhs = float(np.sqrt(p @ X**2) * np.sqrt(p @ Y**2))
    return Comparison(lhs, rhs, "<=", "|E[XY]|", "√E[X²] √E[Y²]")


def _gen_e(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        m = int(rng.integers(1, 13))
        p = rng.dirichlet(np.ones(m))
        X = rng.standard_normal(m) * 10 ** rng.uniform(-2, 2)
        Y = float(rng.normal()) * X if i % 3 == 0 else rng.standard_normal(m) * 10 ** rng.uniform(-2, 2)
        out.append({"p": p, "X": X, "Y": Y})
    return out


def expectation_obligations() -> list[Identity]:
    """(2) three atoms, weights p_i: E[X²]E[Y²] − E[XY]² = Σ_{i<j} p_ip_j(x_iy_j − x_jy_i)²."""
    p, X, Y = sym_vector("p", 3, nonnegative=True), sym_vector("x", 3), sym_vector("y", 3)
    E = lambda f: sum(p[i] * f(i) for i in range(3))  # noqa: E731
    defect = E(lambda i: X[i] ** 2) * E(lambda i: Y[i] ** 2) - E(lambda i: X[i] * Y[i]) ** 2
    rhs = sum(p[i] * p[j] * (X[i] * Y[j] - X[j] * Y[i]) ** 2 for i in range(3) for j in range(i + 1, 3))
    return [Identity(defect, rhs, "E[X²]E[Y²] − E[XY]² = Σ_{i<j} p_ip_j(x_iy_j − x_jy_i)²")]


@st.composite
def _e_instances(draw: Any) -> dict[str, Any]:
    m = draw(st.integers(1, 8))
    w = draw(real_vectors(m, 0.01, 1))
    X = draw(real_vectors(m, -3, 3))
    Y = draw(reals(-2, 2)) * X if draw(st.booleans()) else draw(real_vectors(m, -3, 3))
    return {"p": w / w.sum(), "X": X, "Y": Y}


_PROB = Hypothesis(
    "p ≥ 0, Σp = 1", lambda i: bool(np.all(i["p"] >= 0) and abs(float(np.sum(i["p"])) - 1) < 1e-12)
)
EXPECTATION = Claim(
    id="wang2023.lemma_e6.expectation",
    title="Cauchy–Schwarz for expectations: |E[XY]| ≤ √E[X²]·√E[Y²] (finite distributions)",
    source=SOURCE,
    statement=r"$|\mathbb E[XY]|\le\sqrt{\mathbb E[X^2]}\sqrt{\mathbb E[Y^2]}$.",
    hypotheses=(finite("p", "X", "Y"), _PROB),
    conclusion=expectation,
    inputs={"p": array(), "X": array(), "Y": array()},
    checks=(
        SymbolicCheck("symbolic", expectation_obligations),
        PropertyCheck("property", _e_instances(), max_examples=60),
        ExactCheck(
            "exact",
            _gen_e,
            fixed=[{"p": np.array([0.5, 0.5]), "X": np.array([1.0, -1.0]), "Y": np.array([-3.0, 3.0])}],
        ),
    ),
    tolerance=_TOL,
)


CLAIM = EXPECTATION
