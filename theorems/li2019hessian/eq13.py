r"""Li et al. (2019), Eq. (13): cosines of the principal angles are the singular values of UᵀV.

Setting
-------
Subspaces :math:`\mathcal P,\mathcal Q\subseteq\mathbb R^p` with
:math:`\dim\mathcal P\ge\dim\mathcal Q=q\ge1`, and matrices :math:`U,V` with orthonormal
columns spanning them (e.g. top eigenvectors of :math:`H_f(\theta_t)` and :math:`M_t`).
Eq. (13) defines the principal angles recursively:
:math:`\cos\gamma_i=u_i^Tv_i=\max u^Tv` over unit :math:`u\in\mathcal P` orthogonal to
:math:`u_1,\dots,u_{i-1}` and unit :math:`v\in\mathcal Q` orthogonal to
:math:`v_1,\dots,v_{i-1}`.

Statement
---------
:math:`\cos\gamma_i=\omega_i`, :math:`i=1,\dots,q`, where
:math:`\omega_1\ge\dots\ge\omega_q` are the singular values of :math:`U^TV` (text after
Eq. (13), citing Golub & Van Loan).

Evidence
--------
* ``symbolic``: the step the recursion's implementation rests on — for a symbolic
  :math:`a\times b` block :math:`C` (:math:`2\times2` and :math:`3\times2`) sympy proves
  :math:`\det(\lambda I-S)=\lambda^{a-b}\det(\lambda^2I-C^TC)` for
  :math:`S=\begin{pmatrix}0&C\\C^T&0\end{pmatrix}`, so the eigenvalues of :math:`S` are
  :math:`\pm` the singular values of :math:`C` (and :math:`a-b` zeros): the top one is
  :math:`\max_{\|x\|=\|y\|=1}x^TCy` (Section 4.2, the step from Eq. (13) to "the cosines are the
  singular values of :math:`U^TV`").
* ``exact``: the recursion of Eq. (13) implemented literally — at step :math:`i` the
  maximum of :math:`u^Tv` over the deflated subspaces is the top eigenvalue of the
  symmetric block matrix :math:`\begin{pmatrix}0&C_i\\C_i^T&0\end{pmatrix}`,
  :math:`C_i=U_i^TV_i` for orthonormal bases :math:`U_i,V_i` of the deflated subspaces, whose
  eigenvector gives the maximisers :math:`(u_i,v_i)`; then :math:`u_i,v_i` are projected out —
  against :func:`verifythm.linalg.angles.principal_cosines` (SVD of :math:`U^TV`), on seeded
  pairs: random, nested, orthogonal, identical, nearly aligned, and sharing a few
  directions.  Tolerance :math:`10^{-9}` absolute on cosines.
* ``property``: Hypothesis over spanning sets of random dimensions.

References
----------
[li2019hessian, Section 4.2, Eq. (13)].
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
from verifythm.claims.inputs import array
from verifythm.linalg.angles import principal_cosines
from verifythm.strategies.scalars import reals


def _orth(A: np.ndarray) -> np.ndarray:
    """Orthonormal basis of the column span (SVD, rank by a relative threshold)."""
    if A.size == 0:
        return A.reshape(A.shape[0], 0)
    Uu, s, _ = np.linalg.svd(A, full_matrices=False)
    r = int(np.sum(s > 1e-10 * max(s[0], 1e-300))) if s.size else 0
    return Uu[:, :r]


def recursive_cosines(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Cos γ_1 ≥ … ≥ cos γ_q by the recursive definition (13)."""
    U, V = _orth(A), _orth(B)
    if U.shape[1] < V.shape[1]:
        U, V = V, U
    q = V.shape[1]
    out = []
    for _ in range(q):
        C = U.T @ V
        a, b = C.shape
        S = np.zeros((a + b, a + b))
        S[:a, a:] = C
        S[a:, :a] = C.T
        w, Z = np.linalg.eigh(S)
        top = Z[:, -1]
        u, v = U @ top[:a], V @ top[a:]
        nu, nv = np.linalg.norm(u), np.linalg.norm(v)
        out.append(max(float(w[-1]), 0.0))
        if nu < 1e-12 or nv < 1e-12:  # the remaining overlap is 0: any unit vectors attain it
            u, v = U[:, 0], V[:, 0]
        else:
            u, v = u / nu, v / nv
        U = _orth(U - np.outer(u, u @ U))
        V = _orth(V - np.outer(v, v @ V))
    return np.array(out)


def conclusion(inst: dict[str, Any]) -> Comparison:
    """Largest gap between the recursive cosines and the singular values of UᵀV."""
    A, B = inst["A"], inst["B"]
    rec = recursive_cosines(A, B)
    svd = principal_cosines(A, B)
    return Comparison(float(np.max(np.abs(rec - svd))), 0.0, "==", "max_i |cos γ_i − ω_i|", "0", scale=1.0)


def _symbolic() -> list[Identity]:
    """Eigenvalues of the block matrix used at each step of (13) are ± the singular values of ``C``."""
    import sympy as sp

    lam = sp.Symbol("lambda", real=True)
    out = []
    for a, b in ((2, 2), (3, 2)):
        C = sp.Matrix(a, b, sp.symbols(f"c1:{a * b + 1}", real=True))
        S = sp.zeros(a + b, a + b)
        S[:a, a:] = C
        S[a:, :a] = C.T
        lhs = (lam * sp.eye(a + b) - S).det(method="berkowitz")
        rhs = lam ** (a - b) * (lam**2 * sp.eye(b) - C.T * C).det(method="berkowitz")
        out.append(
            Identity(sp.expand(lhs), sp.expand(rhs), f"det(λI − S) = λ^(a−b) det(λ²I − CᵀC), {a}×{b} C")
        )
    return out


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(2, 8))
        a = int(rng.integers(1, p + 1))
        b = int(rng.integers(1, a + 1))
        A = rng.standard_normal((p, a))
        kind = i % 5
        if kind == 0:
            B = rng.standard_normal((p, b))
        elif kind == 1:  # nested: Q ⊆ P, all cosines 1
            B = A @ rng.standard_normal((a, b))
        elif kind == 2:  # nearly aligned
            B = A[:, :b] + 1e-3 * rng.standard_normal((p, b))
        elif kind == 3:  # orthogonal complement pieces (cosines 0) when room
            Q, _ = np.linalg.qr(rng.standard_normal((p, p)))
            A = Q[:, :a]
            B = Q[:, a : a + b] if a + b <= p else Q[:, p - b :]
        else:  # a few shared directions plus noise
            B = np.hstack([A[:, : max(b - 1, 0)], rng.standard_normal((p, 1))])[:, :b]
        out.append({"A": A, "B": B})
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    p = draw(st.integers(1, 6))
    a = draw(st.integers(1, p))
    b = draw(st.integers(1, a))
    el = reals(-3, 3)
    return {
        "A": draw(hnp.arrays(float, (p, a), elements=el)),
        "B": draw(hnp.arrays(float, (p, b), elements=el)),
    }


def _full_rank(inst: dict[str, Any]) -> bool:
    A, B = inst["A"], inst["B"]
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B)) and A.shape[0] == B.shape[0]):
        return False
    return all(
        X.shape[1] >= 1
        and 1e-50 < float(np.max(np.abs(X))) < 1e50
        and np.linalg.svd(X / np.max(np.abs(X)), compute_uv=False)[-1]
        > 1e-6 * np.linalg.norm(X / np.max(np.abs(X)))
        for X in (A, B)
    )


CLAIM = Claim(
    id="li2019.eq13",
    title="Principal-angle cosines (recursive definition) equal the singular values of UᵀV",
    source=Source("li2019hessian", "Section 4.2, Eq. (13)"),
    statement=(
        r"For orthonormal $U, V$ spanning $\mathcal P$ and $\mathcal Q$ "
        r"($\dim\mathcal P\ge\dim\mathcal Q$), the recursively "
        r"defined $\cos\gamma_i=\max u^Tv$ (Eq. (13)) equal the singular values $\omega_i$ of $U^TV$."
    ),
    hypotheses=(
        Hypothesis("A, B finite, same ambient dimension, well-conditioned full column rank", _full_rank),
    ),
    conclusion=conclusion,
    inputs={"A": array(2), "B": array(2)},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=[{"A": np.eye(2)[:, :1], "B": np.array([[1.0], [1.0]])}]),
        PropertyCheck("property", _instances(), max_examples=100),
    ),
    tolerance=Tolerance(rtol=0.0, atol=1e-9),
    kind="identity",
)
