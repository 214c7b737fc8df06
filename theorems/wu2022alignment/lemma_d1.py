r"""Wu, Wang & Su (2022), Lemma D.1: a fourth-moment identity for Gaussian vectors.

Setting
-------
:math:`z\sim\mathcal N(0,S)` in :math:`\mathbb{R}^d`, :math:`S` symmetric PSD, a fixed
vector :math:`v\in\mathbb{R}^d`.

Statement
---------
:math:`\mathbb{E}_z[(v^Tz)^2zz^T]=2Svv^TS+\|S^{1/2}v\|^2S`.

The proof whitens with :math:`S^{-1/2}`, so it is written for invertible :math:`S`; the
identity holds for every PSD :math:`S` (write :math:`z=S^{1/2}x` with
:math:`x\sim\mathcal N(0,I)` instead), and singular :math:`S` are included in the checks.

Evidence
--------
* ``symbolic``: for :math:`z=Ax`, :math:`A` a symbolic 2×2 and 3×3 matrix
  (:math:`S=AA^T` covers every PSD matrix), :math:`x` standard normal, the expectation is
  taken monomial by monomial with the exact standard-normal moments
  (:math:`\mathbb{E}x^{k}=(k-1)!!` for even k) and equals the right side entrywise.
* ``exact``: tensor Gauss–Hermite quadrature (exact for this degree, independent of
  Isserlis' theorem) against the right side, on seeded PSD :math:`S` of every rank,
  d = 1..4; the Frobenius norm of the difference is compared with 0 relative to
  :math:`\|S\|_F\|S\|\|v\|^2`.
* ``property``: the same over Hypothesis-drawn PSD matrices and vectors.

References
----------
[wu2022alignment, Appendix D, Lemma D.1 and Eq. (11)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck, Tolerance
from verifythm.claims.common import psd
from verifythm.claims.inputs import array
from verifythm.strategies import psd_matrices, random_psd
from verifythm.strategies.scalars import reals

from . import KEY
from ._gauss import gaussian_points


def sides(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    r"""(quadrature :math:`\mathbb{E}[(v^Tz)^2zz^T]`, :math:`2Svv^TS+(v^TSv)S`)."""
    S, v = inst["S"], inst["v"]
    X, w = gaussian_points(S)
    r2 = (X @ v) ** 2
    lhs = (X * (w * r2)[:, None]).T @ X
    Sv = S @ v
    return lhs, 2 * np.outer(Sv, Sv) + float(v @ Sv) * S


def conclusion(inst: dict[str, Any]) -> Comparison:
    """‖E[(vᵀz)²zzᵀ] − (2SvvᵀS + ‖S^{1/2}v‖²S)‖_F versus 0."""
    lhs, rhs = sides(inst)
    S, v = inst["S"], inst["v"]
    scale = float(np.linalg.norm(S)) ** 2 * float(v @ v) + 1e-300
    return Comparison(float(np.linalg.norm(lhs - rhs)), 0.0, "<=", "‖E[(vᵀz)²zzᵀ] − RHS‖_F", "0", scale=scale)


def _std_normal_moment(k: int) -> int:
    return 0 if k % 2 else int(np.prod(np.arange(k - 1, 0, -2))) if k else 1


def _expect(poly: Any) -> Any:
    r""":math:`\mathbb E` of a ``sympy.Poly`` in standard-normal x, monomial by monomial."""
    import sympy as sp

    out = sp.Integer(0)
    for powers, coeff in poly.terms():
        m = 1
        for k in powers:
            m *= _std_normal_moment(int(k))
        out += poly.domain.to_sympy(coeff) * m
    return out


def _symbolic() -> list[Any]:
    import sympy as sp

    out = []
    for d in (2, 3):
        A = sp.Matrix(d, d, sp.symbols(f"a1:{d * d + 1}", real=True))
        v = sp.Matrix(sp.symbols(f"v1:{d + 1}", real=True))
        xs = list(sp.symbols(f"x1:{d + 1}", real=True))
        z = A * sp.Matrix(xs)
        S = A * A.T
        # Polynomials in x with coefficients in Z[A, v]: products without expanding symbolic expressions.
        ring = sp.ZZ[(*A, *v)]
        zp = [sp.Poly(zi, *xs, domain=ring) for zi in z]
        r2 = sp.Poly((v.T * z)[0], *xs, domain=ring) ** 2
        lhs = sp.Matrix([[_expect(r2 * zp[i] * zp[j]) for j in range(d)] for i in range(d)])
        rhs = 2 * S * v * v.T * S + (v.T * S * v)[0] * S
        out.append(Identity(lhs, rhs, f"E[(vᵀz)²zzᵀ] = 2SvvᵀS + ‖S^(1/2)v‖²S, z = Ax, d = {d}"))
    return out


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(k):
        d = int(rng.integers(1, 5))
        S = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        out.append({"S": S, "v": rng.standard_normal(d)})
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    S = draw(psd_matrices(st.integers(1, 4)))
    d = S.shape[0]
    return {"S": S, "v": np.array(draw(st.lists(reals(-3, 3), min_size=d, max_size=d)), dtype=float)}


CLAIM = Claim(
    id="wu2022.lemma_d1",
    title="Gaussian fourth moment: E[(vᵀz)²zzᵀ] = 2SvvᵀS + ‖S^{1/2}v‖²S for z ~ N(0, S)",
    source=Source(KEY, "Lemma D.1"),
    statement=(
        r"If $z\sim\mathcal N(0,S)$ then for every vector $v$, "
        r"$\mathbb{E}_z[(v^Tz)^2zz^T]=2Svv^TS+\|S^{1/2}v\|^2S$."
    ),
    hypotheses=(psd("S"),),
    conclusion=conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=[{"S": np.eye(2), "v": np.array([1.0, 0.0])}]),
        PropertyCheck("property", _strategy(), max_examples=80),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-300),
    inputs={"S": array(2), "v": array(1)},
    kind="identity",
)
