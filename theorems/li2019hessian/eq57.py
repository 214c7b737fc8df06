r"""Li et al. (2019), Eq. (57): the subspace Davis–Kahan :math:`\sin\Theta` bound (Yu–Wang–Samworth form).

Setting
-------
Symmetric :math:`P` and :math:`Q=P+\Delta` in :math:`\mathbb R^{p\times p}` (Eq. (53)), eigenvalues
:math:`\lambda_1\ge\dots\ge\lambda_p` of :math:`P` with eigenvectors :math:`v_j`, eigenvectors
:math:`\tilde v_j` of :math:`Q` (eigenvalues decreasing), :math:`1\le r\le s\le p`,
:math:`d=s-r+1`, :math:`V=(v_r\cdots v_s)`, :math:`\tilde V=(\tilde v_r\cdots\tilde v_s)` (the text prints
the last column as :math:`v_s`, an evident slip), :math:`\lambda_0=+\infty`,
:math:`\lambda_{p+1}=-\infty`, and :math:`\|\sin\Theta(\tilde V,V)\|_F` the Frobenius norm of the
sines of the principal angles.

Statement
---------
If :math:`g=\min(\lambda_{r-1}-\lambda_r,\lambda_s-\lambda_{s+1})>0` then
:math:`\|\sin\Theta(\tilde V,V)\|_F\le2\min(\sqrt d\|\Delta\|_2,\|\Delta\|_F)/g` (``li2019.eq57``).
Only the eigengap of :math:`P` enters (that is what the factor 2 pays for); the subspace of
:math:`Q` is taken by index, so the eigenvalues of :math:`Q` may cross those outside the block.
The bound is sharp: :math:`P=\operatorname{diag}(I_d,0)`, :math:`Q=\operatorname{diag}((\frac12-\epsilon)I_d,
(\frac12+\epsilon)I_d)` (:math:`p=2d`, any rotation) has :math:`\|\sin\Theta\|_F=\sqrt d` against the
bound :math:`\sqrt d(1+2\epsilon)`.  (``eq56.py`` had left (57) out for want of a tight family; this
crossing family is one.)

Evidence
--------
* ``symbolic``: the sharpness family above for :math:`d=1,2` (:math:`p=2d`, symbolic
  :math:`0<\epsilon<\frac12`): sympy derives :math:`\|\Delta\|_2=\frac12+\epsilon`,
  :math:`\|\Delta\|_F^2=2d(\frac12+\epsilon)^2\ge d\|\Delta\|_2^2` (so the :math:`\sqrt d\|\Delta\|_2` branch
  is the minimum), :math:`g=1`, :math:`\|\sin\Theta\|_F^2=d` from the eigenvectors, and the bound
  squared minus the left side squared, :math:`d(1+2\epsilon)^2-d\ge0`, with ratio exactly
  :math:`1/(1+2\epsilon)`.
* ``exact``: seeded instances, :math:`p\le8`: the sharp crossing family above (randomly rotated,
  :math:`\epsilon\in[10^{-3},10^{-1}]`, :math:`d\le3`), random symmetric pairs with perturbations
  over three decades and random :math:`r\le s`, and low-rank perturbations (where
  :math:`\|\Delta\|_F<\sqrt d\|\Delta\|_2`, the Frobenius branch).  The left side is
  :math:`\|(I-VV^T)\tilde V\|_F` from ``eigh`` (accurate for small angles), the right side from
  :func:`verifythm.linalg.angles.davis_kahan_bound`.
* ``property``: Hypothesis over symmetric pairs, perturbation sizes and :math:`(r,s)`.
* Weakening: the bound at 90 % is refuted by the crossing family (ratio :math:`1/(1+2\epsilon)`).

References
----------
[li2019hessian, Appendix B.2.2, Eqs. (53)–(57)].
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
from verifythm.linalg.angles import davis_kahan_bound
from verifythm.strategies.scalars import reals

SOURCE = Source("li2019hessian", "Appendix B.2.2, Eq. (57)")


def sin_theta(P: np.ndarray, Q: np.ndarray, r: int, s: int) -> float:
    r""":math:`\|\sin\Theta(\tilde V,V)\|_F=\|(I-VV^T)\tilde V\|_F` for the eigenvectors :math:`r..s`."""
    _, U = np.linalg.eigh(P)
    _, W = np.linalg.eigh(Q)
    V, Vt = U[:, ::-1][:, r - 1 : s], W[:, ::-1][:, r - 1 : s]
    return float(np.linalg.norm(Vt - V @ (V.T @ Vt)))


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``‖sin Θ(Ṽ, V)‖_F`` against the right side of Eq. (57)."""
    P, Q, r, s = inst["P"], inst["Q"], inst["r"], inst["s"]
    return Comparison(sin_theta(P, Q, r, s), davis_kahan_bound(P, Q, r, s), "<=", "‖sin Θ(Ṽ, V)‖_F", "(57)")


def _gaps(lam: np.ndarray, r: int, s: int) -> list[float]:
    out = []
    if r > 1:
        out.append(float(lam[r - 2] - lam[r - 1]))
    if s < lam.size:
        out.append(float(lam[s - 1] - lam[s]))
    return out


def well_posed(inst: dict[str, Any]) -> bool:
    """Symmetric finite P, Q; 1 ≤ r ≤ s ≤ p, (r, s) ≠ (1, p); eigengaps of P and Q at the block edges."""
    P, Q, r, s = inst["P"], inst["Q"], inst["r"], inst["s"]
    if not (P.ndim == 2 and P.shape == Q.shape and P.shape[0] >= 2 and 1 <= r <= s <= P.shape[0]):
        return False
    if (r, s) == (1, P.shape[0]) or not (np.all(np.isfinite(P)) and np.all(np.isfinite(Q))):
        return False
    if not (np.allclose(P, P.T, rtol=0, atol=0) and np.allclose(Q, Q.T, rtol=0, atol=0)):
        return False
    lam, lt = np.linalg.eigvalsh(P)[::-1], np.linalg.eigvalsh(Q)[::-1]
    scale = max(float(np.max(np.abs(lam))), float(np.max(np.abs(lt))), 1e-300)
    # P's gap is the theorem's hypothesis; Q's makes Ṽ well defined (and its eigenvectors stable)
    return min(_gaps(lam, r, s)) > 1e-6 * scale and min(_gaps(lt, r, s)) > 1e-6 * scale


def _rotate(A: np.ndarray, Rot: np.ndarray) -> np.ndarray:
    B = Rot @ A @ Rot.T
    return (B + B.T) / 2


def _sym(A: np.ndarray) -> np.ndarray:
    return (A + A.T) / 2


def _symbolic() -> list[Any]:
    """The crossing family P = diag(I_d, 0), Q = diag((½ − ε)I_d, (½ + ε)I_d): both sides of (57) exactly."""
    import sympy as sp

    eps = sp.Symbol("epsilon", positive=True)
    out: list[Any] = []
    for d in (1, 2):
        P = sp.diag(*([1] * d + [0] * d))
        Q = sp.diag(*([sp.Rational(1, 2) - eps] * d + [sp.Rational(1, 2) + eps] * d))
        D = Q - P
        norm2 = sp.Max(*[sp.Abs(x) for x in D.eigenvals()])
        normF2 = sum(x**2 for x in D)
        lam = sorted(P.eigenvals(), reverse=True)  # 1 (d times), 0: g = min(+∞ − 1, 1 − 0)
        g = sp.Min(sp.oo - lam[0], lam[0] - lam[-1])
        # top-d eigenvectors, by index: P's are e_1..e_d; Q's are e_{d+1}..e_{2d} since ½ + ε > ½ − ε
        V = sp.eye(2 * d)[:, :d]
        order = sorted(range(2 * d), key=lambda i: -Q[i, i].subs(eps, sp.Rational(1, 10)))
        Vt = sp.Matrix.hstack(*[sp.eye(2 * d)[:, i] for i in order[:d]])
        sin2 = sum(x**2 for x in (sp.eye(2 * d) - V * V.T) * Vt)
        bound = 2 * sp.sqrt(d) * norm2 / g
        out += [
            Identity(sp.simplify(norm2), sp.Rational(1, 2) + eps, f"‖Δ‖₂ = ½ + ε (d = {d})"),
            Nonnegative(sp.expand(normF2 - d * norm2**2), f"‖Δ‖_F ≥ √d‖Δ‖₂: the min is √d‖Δ‖₂ (d = {d})"),
            Identity(g, 1, f"eigengap g = 1 (d = {d})"),
            Identity(sin2, d, f"‖sin Θ‖_F² = d (d = {d})"),
            Nonnegative(
                sp.expand(sp.simplify(bound**2 - sin2)), f"(57) holds: bound² − ‖sin Θ‖_F² ≥ 0 (d = {d})"
            ),
            Identity(sp.simplify(sp.sqrt(sin2) / bound), 1 / (1 + 2 * eps), f"ratio 1/(1 + 2ε) (d = {d})"),
        ]
    return out


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        kind = i % 3
        if kind == 0:  # the sharp crossing family
            d = int(rng.integers(1, 4))
            p = 2 * d + int(rng.integers(0, 3))
            eps = float(10 ** rng.uniform(-3, -1))
            lam_p = np.r_[np.ones(d), np.zeros(p - d)]
            lam_q = np.r_[np.full(d, 0.5 - eps), np.full(d, 0.5 + eps), np.zeros(p - 2 * d)]
            Rot, _ = np.linalg.qr(rng.standard_normal((p, p)))
            c = float(10 ** rng.uniform(-2, 2))
            out.append(
                {"P": c * _rotate(np.diag(lam_p), Rot), "Q": c * _rotate(np.diag(lam_q), Rot), "r": 1, "s": d}
            )
            continue
        p = int(rng.integers(2, 9))
        P = _sym(rng.standard_normal((p, p)))
        if kind == 1:
            D = _sym(rng.standard_normal((p, p)))
        else:  # low rank: ‖Δ‖_F < √d‖Δ‖₂ once d ≥ 2
            u = rng.standard_normal(p)
            D = np.outer(u, u) * rng.choice([-1.0, 1.0])
        Q = P + float(10 ** rng.uniform(-3, 0)) * D / np.linalg.norm(D, 2)
        r = int(rng.integers(1, p + 1))
        s = int(rng.integers(r, p + 1))
        out.append({"P": P, "Q": _sym(Q), "r": r, "s": s})
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    p = draw(st.integers(2, 5))
    el = reals(-3, 3)
    P = _sym(draw(hnp.arrays(float, (p, p), elements=el)))
    D = _sym(draw(hnp.arrays(float, (p, p), elements=el)))
    r = draw(st.integers(1, p))
    return {
        "P": P,
        "Q": _sym(P + draw(st.sampled_from([1e-3, 1e-1, 1.0])) * D),
        "r": r,
        "s": draw(st.integers(r, p)),
    }


CLAIM = Claim(
    id="li2019.eq57",
    title="Davis–Kahan for subspaces: ‖sin Θ(Ṽ, V)‖_F ≤ 2 min(√d‖Δ‖₂, ‖Δ‖_F)/eigengap of P",
    source=SOURCE,
    statement=(
        r"For symmetric $P$, $Q=P+\Delta$, $1\le r\le s\le p$, $d=s-r+1$ and "
        r"$g=\min(\lambda_{r-1}-\lambda_r,\lambda_s-\lambda_{s+1})>0$ ($\lambda_0=+\infty$, "
        r"$\lambda_{p+1}=-\infty$): "
        r"$\|\sin\Theta(\tilde V,V)\|_F\le2\min(\sqrt d\|\Delta\|_2,\|\Delta\|_F)/g$."
    ),
    hypotheses=(
        Hypothesis(
            "P, Q symmetric p×p; 1 ≤ r ≤ s ≤ p, not the whole space; block edges gapped in P and Q",
            well_posed,
        ),
    ),
    conclusion=conclusion,
    inputs={"P": array(), "Q": array(), "r": INT, "s": INT},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _instances(), max_examples=150),
    ),
    tolerance=Tolerance(rtol=1e-7, atol=1e-12),
)
