r"""Wang & Wu (2023), Lemma C.6, Step III of the proof: the net step for fourth-moment products, any data.

Setting
-------
Any data :math:`x_1,\dots,x_n\in\mathbb R^d` and any :math:`w,w_0,v\in\mathbb R^d`, with
:math:`f(u)=\frac1n\sum_i(x_i^Tu)^4`, as in the proof of Lemma C.6.

Statement
---------
``wang2023.lemma_c6.net_step`` (Step III, deterministic):
:math:`|\frac1n\sum_i((w^Tx_i)^2-(w_0^Tx_i)^2)(v^Tx_i)^2|\le f(w-w_0)^{1/4}f(w+w_0)^{1/4}f(v)^{1/2}` (the
factorization :math:`(w^Tx)^2-(w_0^Tx)^2=(w-w_0)^Tx\,x^T(w+w_0)` and Cauchy–Schwarz twice).  The printed
:math:`\le2\rho\sup_u f(u)` follows from :math:`f(u)\le\|u\|^4\sup_{\|u\|=1}f`; the population Step II is the
same chain under :math:`\mathbb E` with :math:`\mathbb E(a^Tx)^4=3\|a\|^4`.  Equality for :math:`n=1`.

Evidence
--------
* ``symbolic``: the factorization for symbolic :math:`x,w,w_0,v\in\mathbb R^2` and the :math:`n=1` equality
  case.
* ``property``: Hypothesis over data matrices from ``gradient_matrices`` (every rank-one kind;
  :math:`n\le10`, :math:`d\le4`) and bounded :math:`w,v`, with :math:`w_0` free or within 0.3 of :math:`w`
  (the net's regime).

Pairing: the symbolic derivations (here, and Isserlis and the constants of Steps I–IV in
``wang2023.lemma_c6``) paired with this property check.

References
----------
[wang2023noise, Appendix C, Lemma C.6, proof, Step III].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, Identity, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.common import finite
from verifythm.claims.inputs import array
from verifythm.strategies import gradient_matrices, real_vectors, reals

from ._common import KEY
from ._symbolic import sym_vector


def net_step(inst: dict[str, Any]) -> Comparison:
    """|mean((wᵀx)² − (w₀ᵀx)²)(vᵀx)²| against f(w − w₀)^¼ f(w + w₀)^¼ f(v)^½ (Step III, any data)."""
    Z, w, w0, v = inst["Z"], inst["w"], inst["w0"], inst["v"]

    def f(u: np.ndarray) -> float:
        return float(np.mean((Z @ u) ** 4))

    lhs = abs(float(np.mean(((Z @ w) ** 2 - (Z @ w0) ** 2) * (Z @ v) ** 2)))
    rhs = (f(w - w0) * f(w + w0)) ** 0.25 * np.sqrt(f(v))
    return Comparison(lhs, float(rhs), "<=", "|mean((wᵀx)² − (w₀ᵀx)²)(vᵀx)²|", "f(w−w₀)^¼ f(w+w₀)^¼ f(v)^½")


def net_step_obligations() -> list[Identity]:
    """Proof of Lemma C.6, Step III: the factorization (x, w, w₀, v ∈ R²) and the n = 1 equality."""
    import sympy as sp

    x, w, w0 = sym_vector("x", 2), sym_vector("w", 2), sym_vector("u", 2)
    s, t, c = sp.symbols("s t c", real=True)  # n = 1: s = xᵀw, t = xᵀw₀, c = xᵀv
    return [
        Identity(
            (x.T * w)[0, 0] ** 2 - (x.T * w0)[0, 0] ** 2,
            (x.T * (w - w0))[0, 0] * (x.T * (w + w0))[0, 0],
            "(wᵀx)² − (w₀ᵀx)² = (w − w₀)ᵀx·xᵀ(w + w₀)",
        ),
        Identity(
            ((s**2 - t**2) * c**2) ** 2,
            sp.sqrt((s - t) ** 4) * sp.sqrt((s + t) ** 4) * c**4,
            "n = 1: lhs² = f(w−w₀)^½ f(w+w₀)^½ f(v) (the bound is attained)",
        ),
    ]


@st.composite
def _net_instances(draw: Any) -> dict[str, Any]:
    """Data from the vocabulary's gradient-matrix kinds (columns are samples), w₀ near or far from w."""
    Z = draw(gradient_matrices(n=st.integers(1, 10), p=st.integers(1, 4))).T
    d = Z.shape[1]
    w, v = draw(real_vectors(d, -2, 2)), draw(real_vectors(d, -2, 2))
    if draw(st.booleans()):  # w₀ in a ρ-ball around w, ρ ≤ 0.3 (the net's regime)
        w0 = w + draw(reals(0, 0.3)) * draw(real_vectors(d, -1, 1))
    else:
        w0 = draw(real_vectors(d, -2, 2))
    return {"Z": Z, "w": w, "w0": w0, "v": v}


NET_STEP = Claim(
    id="wang2023.lemma_c6.net_step",
    title="|mean((wᵀx)² − (w₀ᵀx)²)(vᵀx)²| ≤ f(w−w₀)^¼ f(w+w₀)^¼ f(v)^½, f(u) = mean (x_iᵀu)⁴ (Step III)",
    source=Source(KEY, "Appendix C, proof of Lemma C.6, Step III"),
    statement=(
        r"For any $x_1,\dots,x_n\in\mathbb R^d$ and $w,w_0,v$, with $f(u)=\frac1n\sum_i(x_i^Tu)^4$: "
        r"$|\frac1n\sum_i((w^Tx_i)^2-(w_0^Tx_i)^2)(v^Tx_i)^2|\le f(w-w_0)^{1/4}f(w+w_0)^{1/4}f(v)^{1/2}$ "
        r"(hence $\le2\rho\sup_{u\in\mathbb S^{d-1}}f(u)$ for unit vectors with $\|w-w_0\|\le\rho$)."
    ),
    hypotheses=(finite("Z", "w", "w0", "v"),),
    conclusion=net_step,
    inputs={"Z": array(), "w": array(), "w0": array(), "v": array()},
    checks=(
        SymbolicCheck("symbolic", net_step_obligations),
        PropertyCheck("property", _net_instances(), max_examples=40),
    ),
)


CLAIM = NET_STEP
