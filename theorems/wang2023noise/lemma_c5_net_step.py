r"""Wang & Wu (2023), Lemma C.5, Step II of the proof: the net step |f(v) − f(v₀)| for any data.

Setting
-------
Any data :math:`z_1,\dots,z_n\in\mathbb R^d` and any :math:`v,v_0\in\mathbb R^d`, with
:math:`f(u)=\frac1n\sum_i(z_i^Tu)^4`; :math:`P=\sup_{\|v\|=1}f(v)` and :math:`Q` its maximum over a
:math:`\rho`-net, as in the proof of Lemma C.5.

Statement
---------
``wang2023.lemma_c5.net_step`` (Step II, deterministic):
:math:`|f(v)-f(v_0)|\le f(v-v_0)^{1/4}f(v+v_0)^{1/4}(\sqrt{f(v)}+\sqrt{f(v_0)})`, the factorization
:math:`a^4-b^4=(a-b)(a+b)(a^2+b^2)` followed by Cauchy–Schwarz twice.  The printed
:math:`\le2\rho\sqrt P(\sqrt P+\sqrt Q)` follows from :math:`f(u)\le\|u\|^4P` and
:math:`\|v-v_0\|\|v+v_0\|\le2\rho`.  Equality for :math:`n=1`, so the property search is steered to a tight
case.

Evidence
--------
* ``symbolic``: the factorization :math:`(z^Tv)^4-(z^Tv_0)^4=(z^T(v-v_0))(z^T(v+v_0))((z^Tv)^2+(z^Tv_0)^2)`
  for symbolic :math:`z,v,v_0\in\mathbb R^3`, and the :math:`n=1` equality case.
* ``property``: Hypothesis over data matrices from ``gradient_matrices`` (every rank-one kind: Gaussian,
  heavy-tailed, sparse, scaled, …; :math:`n\le10`, :math:`d\le4`) and bounded :math:`v`, with :math:`v_0`
  either free or within 0.3 of :math:`v` (the net's regime).

Pairing: the symbolic derivation (the factorization here, the constants of Steps II–III in
``wang2023.lemma_c5``) paired with this property check.

References
----------
[wang2023noise, Appendix C.1, Lemma C.5, proof, Step II].
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


def _fourth(Z: np.ndarray, u: np.ndarray) -> float:
    """f(u) = (1/n) Σ_i (z_iᵀu)⁴."""
    return float(np.mean((Z @ u) ** 4))


def net_step(inst: dict[str, Any]) -> Comparison:
    """|f(v) − f(v₀)| against f(v − v₀)^{1/4} f(v + v₀)^{1/4} (√f(v) + √f(v₀)) (Step II, any data)."""
    Z, v, v0 = inst["Z"], inst["v"], inst["v0"]
    fv, f0 = _fourth(Z, v), _fourth(Z, v0)
    rhs = (_fourth(Z, v - v0) * _fourth(Z, v + v0)) ** 0.25 * (np.sqrt(fv) + np.sqrt(f0))
    return Comparison(
        abs(fv - f0), float(rhs), "<=", "|f(v) − f(v₀)|", "f(v−v₀)^¼ f(v+v₀)^¼ (√f(v) + √f(v₀))"
    )


def net_step_obligations() -> list[Identity]:
    """Proof of Lemma C.5, Step II: the factorization of a⁴ − b⁴ (z, v, v₀ ∈ R²) and the n = 1 equality."""
    import sympy as sp

    z, v, v0 = sym_vector("z", 2), sym_vector("v", 2), sym_vector("w", 2)
    a, b = (z.T * v)[0, 0], (z.T * v0)[0, 0]
    dm, dp = (z.T * (v - v0))[0, 0], (z.T * (v + v0))[0, 0]
    s, t = sp.symbols("s t", real=True)  # n = 1: s = zᵀv, t = zᵀv₀, so zᵀ(v ∓ v₀) = s ∓ t
    f = {u: u**4 for u in (s, t, s - t, s + t)}  # f(u) for n = 1
    rhs_sq = sp.sqrt(f[s - t]) * sp.sqrt(f[s + t]) * (sp.sqrt(f[s]) + sp.sqrt(f[t])) ** 2
    return [
        Identity(
            a**4 - b**4, dm * dp * (a**2 + b**2), "(zᵀv)⁴ − (zᵀv₀)⁴ = zᵀ(v−v₀)·zᵀ(v+v₀)·((zᵀv)² + (zᵀv₀)²)"
        ),
        Identity(
            (f[s] - f[t]) ** 2,
            rhs_sq,
            "n = 1: |f(v) − f(v₀)|² = f(v−v₀)^½ f(v+v₀)^½ (√f(v) + √f(v₀))² (the bound is attained)",
        ),
    ]


@st.composite
def _net_instances(draw: Any) -> dict[str, Any]:
    """Data from the vocabulary's gradient-matrix kinds (columns are samples) and v, v₀ near or far."""
    Z = draw(gradient_matrices(n=st.integers(1, 10), p=st.integers(1, 4))).T
    d = Z.shape[1]
    v = draw(real_vectors(d, -2, 2))
    if draw(st.booleans()):  # v₀ in a ρ-ball around v, ρ ≤ 0.3 (the net's regime)
        v0 = v + draw(reals(0, 0.3)) * draw(real_vectors(d, -1, 1))
    else:
        v0 = draw(real_vectors(d, -2, 2))
    return {"Z": Z, "v": v, "v0": v0}


NET_STEP = Claim(
    id="wang2023.lemma_c5.net_step",
    title="|f(v) − f(v₀)| ≤ f(v−v₀)^¼ f(v+v₀)^¼ (√f(v) + √f(v₀)), f(u) = mean (z_iᵀu)⁴, any data (Step II)",
    source=Source(KEY, "Appendix C.1, proof of Lemma C.5, Step II", page=20),
    statement=(
        r"For any $z_1,\dots,z_n\in\mathbb R^d$ and $v,v_0$, with $f(u)=\frac1n\sum_i(z_i^Tu)^4$: "
        r"$|f(v)-f(v_0)|\le f(v-v_0)^{1/4}f(v+v_0)^{1/4}(\sqrt{f(v)}+\sqrt{f(v_0)})$ (hence "
        r"$\le2\rho\sqrt P(\sqrt P+\sqrt Q)$ for unit $v,v_0$ with $\|v-v_0\|\le\rho$)."
    ),
    hypotheses=(finite("Z", "v", "v0"),),
    conclusion=net_step,
    inputs={"Z": array(), "v": array(), "v0": array()},
    checks=(
        SymbolicCheck("symbolic", net_step_obligations),
        PropertyCheck("property", _net_instances(), max_examples=60),
    ),
)


CLAIM = NET_STEP
