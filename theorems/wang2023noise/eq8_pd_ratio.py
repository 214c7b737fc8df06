r"""Wang & Wu (2023), Section 5, after Eq. (8): :math:`P_{t,k}\ge D_{t,k}\lambda_k/\lambda_{k+1}`.

Setting
-------
Eigenvalues :math:`\lambda_1\ge\lambda_2\ge\cdots\ge0` of :math:`G=\sum_i\lambda_iu_iu_i^T` and second moments
:math:`m_i=\mathbb E[w_{t,i}^2]\ge0` along the eigen-directions; the escape ratios of §5,
:math:`D_{t,k}=\sum_{i>k}\lambda_im_i/\sum_{i\le k}\lambda_im_i` and
:math:`P_{t,k}=\sum_{i>k}m_i/\sum_{i\le k}m_i`.

Statement
---------
``wang2023.eq8.pd_ratio`` ("it is easy to show"): :math:`P_{t,k}\ge D_{t,k}\,\lambda_k/\lambda_{k+1}`
whenever :math:`\lambda_{k+1}>0`.

Evidence
--------
* ``exact``: :math:`D_{t,k}, P_{t,k}` from :func:`~verifythm.quantities.directional.escape_ratios` on
  random second-moment profiles and all :math:`k`; equality when the mass sits on :math:`u_k` and
  :math:`u_{k+1}` only (included).
* ``symbolic``: :math:`p=4`, :math:`k=2`, ordered spectrum parametrised by positive gaps, positive second
  moments: :math:`(P-D\lambda_k/\lambda_{k+1})\cdot(\text{positive})` is a polynomial with non-negative
  coefficients.
* ``property``: Hypothesis over log-spread spectra and second-moment profiles.

References
----------
[wang2023noise, Section 5, Eq. (8) and the paragraph after it].
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
from verifythm.claims.inputs import INT, array
from verifythm.quantities.directional import escape_ratios
from verifythm.strategies import real_vectors

from ._common import KEY
from ._symbolic import sym_vector


def pd_obligations() -> list[Identity | Nonnegative]:
    """P ≥ D·λ_k/λ_{k+1} for p = 4, k = 2, ordered λ = (a₄+a₃+a₂+a₁, a₄+a₃+a₂, a₄+a₃, a₄), m_i > 0.

    Times the positive S·X·λ₃ (S, X the sharp variance and energy) the difference is a polynomial in
    positive symbols with non-negative coefficients.
    """
    import sympy as sp

    a, m = sym_vector("a", 4, positive=True), sym_vector("m", 4, positive=True)
    lam = [a[3] + a[2] + a[1] + a[0], a[3] + a[2] + a[1], a[3] + a[2], a[3]]
    X = lam[0] * m[0] + lam[1] * m[1]
    Y = lam[2] * m[2] + lam[3] * m[3]
    sharp, flat = m[0] + m[1], m[2] + m[3]
    P, D = flat / sharp, Y / X
    poly = flat * X * lam[2] - Y * sharp * lam[1]
    return [
        Identity(
            (P - D * lam[1] / lam[2]) * sharp * X * lam[2],
            poly,
            "(P − Dλ_k/λ_{k+1})·S·X·λ_{k+1} = F·X·λ_{k+1} − Y·S·λ_k",
        ),
        Nonnegative(sp.expand(poly), "F·X·λ_{k+1} − Y·S·λ_k ≥ 0 (non-negative coefficients)"),
    ]


@st.composite
def _pd_instances(draw: Any) -> dict[str, Any]:
    p = draw(st.integers(2, 8))
    lam = np.sort(10 ** draw(real_vectors(p, -2, 1)))[::-1]
    m = np.abs(draw(real_vectors(p, 0, 3)))
    return {"lam": lam, "m": m, "k": draw(st.integers(1, p - 1))}


def pd_ratio(inst: dict[str, Any]) -> Comparison:
    """P_{t,k} against D_{t,k}·λ_k/λ_{k+1} from a second-moment profile."""
    lam, m, k = inst["lam"], inst["m"], inst["k"]
    order = np.argsort(-lam, kind="stable")
    lam, m = lam[order], m[order]
    R = escape_ratios(np.sqrt(m)[None, :], lam, np.eye(lam.size), k)
    return Comparison(
        float(R.P[0]), float(R.D[0]) * lam[k - 1] / lam[k], ">=", "P_{t,k}", "D_{t,k}·λ_k/λ_{k+1}"
    )


def _gen_pd(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(2, 9))
        lam = np.sort(10 ** rng.uniform(-2, 1, size=p))[::-1]
        kk = int(rng.integers(1, p))
        m = rng.exponential(size=p)
        if i % 3 == 0:  # mass on u_k and u_{k+1} only: equality
            m = np.zeros(p)
            m[kk - 1], m[kk] = rng.exponential(size=2)
        out.append({"lam": lam, "m": m, "k": kk})
    return out


def _pd_ok(inst: dict[str, Any]) -> bool:
    lam, k = np.sort(inst["lam"])[::-1], inst["k"]
    m = inst["m"][np.argsort(-inst["lam"], kind="stable")]
    return bool(
        1 <= k < lam.size and lam[k] > 0 and np.all(m >= 0) and m[:k].sum() > 0 and lam[:k] @ m[:k] > 0
    )


PD = Claim(
    id="wang2023.eq8.pd_ratio",
    title="P_{t,k} ≥ D_{t,k}·λ_k/λ_{k+1}",
    source=Source(KEY, "Section 5, after Eq. (8)", page=7),
    statement=r"$P_{t,k}\ge D_{t,k}\lambda_k/\lambda_{k+1}$ for $\lambda_{k+1}>0$.",
    hypotheses=(Hypothesis("λ sorted with λ_{k+1} > 0, E w² ≥ 0, X_t > 0", _pd_ok),),
    conclusion=pd_ratio,
    inputs={"lam": array(), "m": array(), "k": INT},
    checks=(
        SymbolicCheck("symbolic", pd_obligations),
        PropertyCheck("property", _pd_instances(), max_examples=60),
        ExactCheck(
            "exact", _gen_pd, fixed=[{"lam": np.array([2.0, 1.0]), "m": np.array([1.0, 1.0]), "k": 1}]
        ),
    ),
)


CLAIM = PD
