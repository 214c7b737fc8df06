r"""Li et al. (2019), Eq. (56): the Davis–Kahan :math:`\sin\theta` bound for one eigenvector.

Setting
-------
Symmetric :math:`P` (the "true" matrix, :math:`H_f(\theta_t)`) and :math:`Q=P+\Delta` (the
perturbed one, :math:`M_t`; Eqs. (53)–(54)), eigenvalues :math:`\lambda_1\ge\dots\ge\lambda_p`
of :math:`P` with eigenvectors :math:`v_r` and :math:`\tilde\lambda_1\ge\dots\ge\tilde\lambda_p`
of :math:`Q` with eigenvectors :math:`\tilde v_r`; :math:`\theta_r` the angle between
:math:`v_r` and :math:`\tilde v_r`, and :math:`\delta_r=\min_{s\ne r}|\tilde\lambda_s-\lambda_r|`
(Eq. (55)).

Statement
---------
If :math:`\delta_r>0` then :math:`\sin\theta_r\le\|\Delta\|_2/\delta_r` (Eq. (56)).  (It
follows from :math:`\|(Q-\lambda_rI)v_r\|=\|\Delta v_r\|` expanded in the eigenbasis of
:math:`Q`.)  Typo (not a claim): the text calls :math:`\tilde\lambda` the eigenvalues of
"(perturbed matrix, :math:`H_p(\theta_t)`)"; by Eq. (54) they are those of :math:`Q=M_t`
(:math:`H_p` is the perturbation :math:`\Delta`).  The subspace version (57) carries a
factor 2; it is encoded in :mod:`theorems.li2019hessian.eq57` (``li2019.eq57``), where a family
whose eigenvalues cross makes it tight.

Evidence
--------
* ``symbolic``: the proof's three steps, in sympy.  (i) Expanding in the eigenbasis of
  :math:`Q` (a symbolic :math:`2\times2` :math:`Q=R\operatorname{diag}(\tilde\lambda_1,\tilde\lambda_2)R^T`,
  :math:`R` a rotation with rational entries in a symbol :math:`t`, a unit :math:`v` rational in
  :math:`u`): :math:`\|(Q-\lambda I)v\|^2=\sum_s(\tilde\lambda_s-\lambda)^2(\tilde v_s^Tv)^2`.
  (ii) :math:`\sin^2\theta_1=1-(\tilde v_1^Tv)^2=(\tilde v_2^Tv)^2`.  (iii) At :math:`p=3`,
  :math:`r=1`, with :math:`|\tilde\lambda_s-\lambda_r|=\delta_r+e_s` (:math:`e_s\ge0`) for
  :math:`s\ne r`: :math:`\sum_s(\tilde\lambda_s-\lambda_r)^2c_s^2-\delta_r^2\sum_{s\ne r}c_s^2\ge0`,
  i.e. :math:`\|\Delta v_r\|^2\ge\delta_r^2\sin^2\theta_r`; with :math:`\|\Delta v_r\|\le\|\Delta\|_2` this
  is Eq. (56).
* ``exact``: :math:`\sin\theta_r` from the eigenvectors against the bound computed
  independently (:func:`verifythm.linalg.angles.davis_kahan_vector_bound`), on seeded
  pairs: :math:`2\times2` diagonal :math:`P` with a small off-diagonal :math:`\Delta` (where the
  bound is asymptotically attained), random symmetric pairs at several perturbation sizes,
  and :math:`(H_f, M)` pairs of logistic regression problems.
* ``property``: Hypothesis over symmetric pairs and :math:`r`.

References
----------
[li2019hessian, Appendix B.2.2, Eqs. (53)–(56)].
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, array
from verifythm.linalg.angles import davis_kahan_vector_bound
from verifythm.strategies.scalars import reals


def conclusion(inst: dict[str, Any]) -> Comparison:
    """Sin θ_r against ‖Δ‖₂/δ_r."""
    P, Q, r = inst["P"], inst["Q"], inst["r"]
    _, V = np.linalg.eigh(P)
    _, W = np.linalg.eigh(Q)
    v, w = V[:, ::-1][:, r - 1], W[:, ::-1][:, r - 1]
    sin = float(np.linalg.norm(w - v * float(v @ w)))  # = sqrt(1 − (vᵀw)²), accurate for small angles
    return Comparison(sin, davis_kahan_vector_bound(P, Q, r), "<=", "sin θ_r", "‖Δ‖₂/δ_r")


def _simple_gaps(inst: dict[str, Any]) -> bool:
    P, Q, r = inst["P"], inst["Q"], inst["r"]
    if not (P.ndim == 2 and P.shape == Q.shape and P.shape[0] >= 2 and 1 <= r <= P.shape[0]):
        return False
    if not (
        np.all(np.isfinite(P)) and np.all(np.isfinite(Q)) and np.allclose(P, P.T) and np.allclose(Q, Q.T)
    ):
        return False
    lam, lt = np.linalg.eigvalsh(P)[::-1], np.linalg.eigvalsh(Q)[::-1]
    scale = max(float(np.max(np.abs(lam))), float(np.max(np.abs(lt))), 1e-300)
    gap_p = min(abs(lam[r - 1] - lam[s]) for s in range(len(lam)) if s != r - 1)
    gap_q = min(abs(lt[r - 1] - lt[s]) for s in range(len(lt)) if s != r - 1)
    delta = min(abs(lt[s] - lam[r - 1]) for s in range(len(lt)) if s != r - 1)
    big_enough = float(np.linalg.norm(Q - P, 2)) > 1e-9 * scale  # Δ above the rounding of the eigenvectors
    return bool(min(gap_p, gap_q, delta) > 1e-6 * scale and big_enough)


def _sym(A: np.ndarray) -> np.ndarray:
    return (A + A.T) / 2


def _symbolic() -> list[Any]:
    """Proof of Eq. (56): ‖(Q − λ_r I)v_r‖² in the eigenbasis of Q, sin²θ_r, and the gap bound."""
    import sympy as sp

    t, u, lam = sp.symbols("t u lambda", real=True)
    q = sp.symbols("lt1 lt2", real=True)  # eigenvalues λ̃_s of Q
    # cleared of denominators: R = Rn/(1 + t²) (columns ṽ_1, ṽ_2), v_r = vn/(1 + u²) a unit vector
    Rn = sp.Matrix([[1 - t**2, -2 * t], [2 * t, 1 - t**2]])
    vn = sp.Matrix([1 - u**2, 2 * u])
    w = (1 + t**2) ** 2
    Qn = Rn * sp.diag(*q) * Rn.T  # = w Q
    lhs = sum(x**2 for x in (Qn - lam * w * sp.eye(2)) * vn)  # = w² (1 + u²)² ‖(Q − λI)v‖²
    rhs = w * sum((qs - lam) ** 2 * (Rn[:, s].T * vn)[0] ** 2 for s, qs in enumerate(q))
    sin2 = w * (1 + u**2) ** 2 - (Rn[:, 0].T * vn)[0] ** 2  # = w (1 + u²)² (1 − (ṽ₁ᵀv)²)
    d = sp.Symbol("delta", positive=True)
    e2, e3 = sp.symbols("e2 e3", nonnegative=True)
    a, c1, c2, c3 = sp.symbols("a c1 c2 c3", real=True)  # a = λ̃_1 − λ_1, c_s = ṽ_sᵀv_1
    expansion = a**2 * c1**2 + (d + e2) ** 2 * c2**2 + (d + e3) ** 2 * c3**2
    return [
        Identity(sp.expand(lhs), sp.expand(rhs), "‖(Q − λI)v‖² = Σ_s (λ̃_s − λ)² (ṽ_sᵀv)² (p = 2)"),
        Identity(sp.expand(sin2), sp.expand((Rn[:, 1].T * vn)[0] ** 2), "sin²θ₁ = 1 − (ṽ₁ᵀv)² = (ṽ₂ᵀv)²"),
        Nonnegative(expansion - d**2 * (c2**2 + c3**2), "‖Δv_r‖² ≥ δ_r² sin²θ_r (p = 3, r = 1)"),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        kind = i % 3
        if kind == 0:  # the asymptotically tight 2×2 case
            l1, l2 = 1.0 + rng.uniform(0, 2), rng.uniform(-1, 0.5)
            eps = float(10 ** rng.uniform(-6, -2)) * (l1 - l2)
            P = np.diag([l1, l2])
            out.append(
                {"P": P, "Q": P + eps * np.array([[0.0, 1.0], [1.0, 0.0]]), "r": int(rng.integers(1, 3))}
            )
        elif kind == 1:
            p = int(rng.integers(2, 7))
            P = _sym(rng.standard_normal((p, p)))
            Q = P + float(10 ** rng.uniform(-3, 0)) * _sym(rng.standard_normal((p, p)))
            out.append({"P": P, "Q": Q, "r": int(rng.integers(1, p + 1))})
        else:  # H_f and M of a logistic regression problem
            n, p = int(rng.integers(2, 8)), int(rng.integers(2, 5))
            X, th = rng.standard_normal((n, p)), rng.standard_normal(p)
            y = (rng.random(n) < 0.5).astype(float)
            pr = 1 / (1 + np.exp(-(X @ th)))
            Hf = (X.T * (pr * (1 - pr))) @ X / n
            M = (X.T * (pr - y) ** 2) @ X / n
            out.append({"P": Hf, "Q": M, "r": 1})
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    p = draw(st.integers(2, 4))
    el = reals(-3, 3)
    P = _sym(draw(hnp.arrays(float, (p, p), elements=el)))
    D = _sym(draw(hnp.arrays(float, (p, p), elements=el)))
    return {"P": P, "Q": P + draw(st.sampled_from([1e-3, 1e-1, 1.0])) * D, "r": draw(st.integers(1, p))}


CLAIM = Claim(
    id="li2019.eq56",
    title="Davis–Kahan: sin θ_r ≤ ‖Δ‖₂/δ_r for the r-th eigenvectors of P and Q = P + Δ",
    source=Source("li2019hessian", "Appendix B.2.2, Eq. (56)"),
    statement=(
        r"With $\delta_r=\min_{s\ne r}|\tilde\lambda_s-\lambda_r|>0$: "
        r"$\sin\theta_r=\sqrt{1-(v_r^T\tilde v_r)^2}\le\|\Delta\|_2/\delta_r$."
    ),
    hypotheses=(
        Hypothesis(
            "P, Q symmetric p×p (p ≥ 2); λ_r, λ̃_r simple, δ_r > 0 (rel. 1e-6), ‖Δ‖₂ > 1e-9·scale",
            _simple_gaps,
        ),
    ),
    conclusion=conclusion,
    inputs={"P": array(), "Q": array(), "r": INT},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _instances(), max_examples=150),
    ),
    tolerance=Tolerance(rtol=1e-7, atol=1e-12),
)
