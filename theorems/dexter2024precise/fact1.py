r"""Dexter et al. (2024), Fact 1: :math:`\|x\|_2\le\|x\|_1\le\sqrt d\,\|x\|_2` for :math:`x\in\mathbb R^d`.

Setting
-------
A real vector :math:`x\in\mathbb R^d`, :math:`d\ge1`, with :math:`\|x\|_1=\sum_j|x_j|` and
:math:`\|x\|_2=(\sum_jx_j^2)^{1/2}`.

Statement
---------
:math:`\|x\|_2\le\|x\|_1\le\sqrt d\,\|x\|_2` for every :math:`x\in\mathbb R^d`.  Encoded as two
claims, ``dexter2024.fact1.lower`` (equality iff at most one entry is non-zero) and
``dexter2024.fact1.upper`` (equality iff all :math:`|x_j|` are equal).  The paper applies the
fact to singular values (Lemma A.1, ``dexter2024.lemma_a1.*``) and to the vector
:math:`(\operatorname{tr}H_y^k)_{y\in[n]}` in the proof of Theorem 1.

Evidence
--------
* ``symbolic``: with :math:`a_j=|x_j|\ge0`, sympy proves
  :math:`\|x\|_1^2-\|x\|_2^2=2\sum_{i<j}a_ia_j\ge0` and
  :math:`d\|x\|_2^2-\|x\|_1^2=\sum_{i<j}(a_i-a_j)^2\ge0` for :math:`d=2,3,4`.
* ``exact``: seeded vectors with :math:`d\le64` (Gaussian, sparse, equal-magnitude with random
  signs, entries spread over eight decades), plus the equality cases.
* ``property``: Hypothesis over vectors with :math:`d\le12` and bounded entries.
* Weakening: either bound multiplied by 0.9 (:math:`\|x\|_1\ge\|x\|_2/0.9`, or
  :math:`\|x\|_1\le0.9\sqrt d\|x\|_2`) is refuted by the equality cases (e.g. :math:`x=e_1`,
  :math:`x=(1,-1,1)`).

References
----------
[dexter2024precise, Appendix A.1, Fact 1].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

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
from verifythm.claims.inputs import array
from verifythm.strategies.scalars import reals

SOURCE = Source("dexter2024precise", "Appendix A.1, Fact 1")


def _norms(x: np.ndarray) -> tuple[float, float]:
    return float(np.sum(np.abs(x))), float(np.linalg.norm(x))


def lower(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|x\|_2` versus :math:`\|x\|_1`."""
    l1, l2 = _norms(inst["x"])
    return Comparison(l2, l1, "<=", "‖x‖₂", "‖x‖₁")


def upper(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|x\|_1` versus :math:`\sqrt d\,\|x\|_2`."""
    x = inst["x"]
    l1, l2 = _norms(x)
    return Comparison(l1, math.sqrt(x.size) * l2, "<=", "‖x‖₁", "√d‖x‖₂")


def _symbolic(which: str) -> Any:
    def build() -> list[Any]:
        import sympy as sp

        out: list[Any] = []
        for d in (2, 3, 4):
            a = sp.symbols(f"a1:{d + 1}", nonnegative=True)  # a_j = |x_j|
            l1sq, l2sq = sum(a) ** 2, sum(t * t for t in a)
            pairs = [(a[i], a[j]) for i in range(d) for j in range(i + 1, d)]
            if which == "lower":
                gap, closed = l1sq - l2sq, 2 * sum(u * v for u, v in pairs)
                text = "‖x‖₁² − ‖x‖₂² = 2Σ_{i<j}|x_i||x_j|"
            else:
                gap, closed = d * l2sq - l1sq, sum((u - v) ** 2 for u, v in pairs)
                text = "d‖x‖₂² − ‖x‖₁² = Σ_{i<j}(|x_i| − |x_j|)²"
            out.append(Identity(sp.expand(gap - closed), 0, f"{text} (d = {d})"))
            out.append(Nonnegative(closed, f"{text} ≥ 0 (d = {d})"))
        return out

    return build


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 65))
        kind = i % 4
        if kind == 0:
            x = rng.standard_normal(d)
        elif kind == 1:  # sparse: near the lower equality case
            x = np.zeros(d)
            idx = rng.choice(d, size=int(rng.integers(1, min(d, 3) + 1)), replace=False)
            x[idx] = rng.standard_normal(idx.size)
        elif kind == 2:  # equal magnitudes: the upper equality case
            x = float(rng.uniform(0.1, 10)) * rng.choice([-1.0, 1.0], size=d)
        else:
            x = rng.choice([-1.0, 1.0], size=d) * 10 ** rng.uniform(-4, 4, d)
        out.append({"x": x})
    return out


_FIXED = [
    {"x": np.array([1.0])},
    {"x": np.array([0.0, 0.0, 3.0])},
    {"x": np.array([1.0, -1.0, 1.0])},
    {"x": np.full(64, -0.5)},
]
_VECTOR = Hypothesis(
    "x a finite non-empty real vector",
    lambda inst: np.ndim(inst["x"]) == 1 and np.size(inst["x"]) >= 1 and bool(np.all(np.isfinite(inst["x"]))),
)


@st.composite
def _vectors(draw: Any) -> dict[str, Any]:
    d = draw(st.integers(1, 12))
    return {"x": draw(arrays(np.float64, (d,), elements=reals(-100, 100)))}


def _claim(which: str, title: str, statement: str, concl: Any) -> Claim:
    return Claim(
        id=f"dexter2024.fact1.{which}",
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=(_VECTOR,),
        conclusion=concl,
        checks=(
            SymbolicCheck("symbolic", _symbolic(which)),
            ExactCheck("exact", _generate, fixed=_FIXED),
            PropertyCheck("property", _vectors()),
        ),
        inputs={"x": array()},  # any axes: _VECTOR itself rejects what is not a vector
    )


CLAIMS = [
    _claim(
        "lower",
        "‖x‖₂ ≤ ‖x‖₁",
        r"For every $x\in\mathbb R^d$, $\|x\|_2\le\|x\|_1$ (equality iff at most one $x_j\ne0$).",
        lower,
    ),
    _claim(
        "upper",
        "‖x‖₁ ≤ √d ‖x‖₂",
        r"For every $x\in\mathbb R^d$, $\|x\|_1\le\sqrt d\,\|x\|_2$ (equality iff all $|x_j|$ are equal).",
        upper,
    ),
]
