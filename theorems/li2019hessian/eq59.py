r"""Li et al. (2019), Eqs. (58)–(59): Davis–Kahan for the top eigenspaces of :math:`H_f` and :math:`M_t`.

Setting
-------
Eq. (54): :math:`P=H_f(\theta_t)`, :math:`Q=M_t`, :math:`\Delta=H_p(\theta_t)`, so that
:math:`Q=P+\Delta` is Proposition 1.  Binary logistic regression (Eq. (19), Table 1):
:math:`H_f=\frac1n\sum_i\sigma_ix_ix_i^T`, :math:`M_t=\frac1n\sum_i(p_i-y_i)^2x_ix_i^T`,
:math:`H_p=\frac1n\sum_i((p_i-y_i)^2-\sigma_i)x_ix_i^T`.  :math:`\lambda_1\ge\dots\ge\lambda_p` are the
eigenvalues of :math:`H_f`, :math:`V` its top-:math:`s` eigenvectors and :math:`\tilde V` those of
:math:`M_t`.

Statement
---------
Eq. (58): with :math:`r=1` (:math:`\lambda_0=+\infty`) the gap of (57) is :math:`\lambda_s-\lambda_{s+1}`.
Eq. (59), ``li2019.eq59``: for every :math:`s<p` with :math:`\lambda_s>\lambda_{s+1}` (the paper picks
:math:`s` by a threshold :math:`\alpha` with :math:`\lambda_s\ge\alpha>\lambda_{s+1}`, which is any such
:math:`s`),

.. math:: \|\sin\Theta(\tilde V,V)\|_F\le\frac{2\min(\sqrt s\|H_p(\theta_t)\|_2,\|H_p(\theta_t)\|_F)}
          {\lambda_s-\lambda_{s+1}} .

The right side is computed from :math:`H_p` itself (not from :math:`M_t-H_f`).  The paper's remark
that the computed bounds are "significantly above 1" on its networks is an observation about
Figures 16–17 and is not encoded; the bound can be nearly attained on logistic regression: two
orthogonal inputs with :math:`y=1`, one fitted (:math:`p_1\approx0.68`) and one badly misfitted
(:math:`p_2\approx0.01`), scaled so that :math:`H_p` moves the two eigenvalues towards each other by
the same amount, make the top eigenvectors of :math:`H_f` and :math:`M_t` orthogonal
(:math:`\sin=1`) with the bound at 1.01–1.16.

Evidence
--------
* ``symbolic``: (i) Eq. (57) to (58): with :math:`r=1` and :math:`\lambda_0=+\infty` the gap
  :math:`\min(\lambda_0-\lambda_1,\lambda_s-\lambda_{s+1})` is :math:`\lambda_s-\lambda_{s+1}`.
  (ii) Table 1 read per sample: for :math:`y=1` the coefficient of :math:`x_ix_i^T` in :math:`H_p`
  is :math:`(1-p)^2-p(1-p)=(1-p)(1-2p)`, negative for :math:`p>\frac12` and positive for
  :math:`p<\frac12` (the near-attaining pair's fitted and misfitted samples move the eigenvalues
  towards each other).  (iii) Two orthogonal directions with
  :math:`H_f=\operatorname{diag}(\lambda_2+g,\lambda_2)`, :math:`H_p=\operatorname{diag}(-h,h)` and
  crossing :math:`2h=g+c` (:math:`c>0`): the top eigenvectors are orthogonal (:math:`\sin=1`) and the
  right side of (59), :math:`2h/g`, exceeds 1 by exactly :math:`c/g`.
* ``exact``: seeded logistic problems, :math:`n\le8`, :math:`p\le5`, random labels and points, every
  admissible :math:`s`; plus the near-attaining pair above (randomly rotated and scaled,
  :math:`p_1\in[0.668,0.70]`, :math:`p_2\in[0.005,0.02]`).  Left side :math:`\|(I-VV^T)\tilde V\|_F`.
* ``property``: Hypothesis over data, labels and :math:`\theta`.
* Weakening: the bound at 90 % is refuted by the near-attaining pairs (ratio 0.87–0.99).

References
----------
[li2019hessian, Appendix B.2.2, Eqs. (54), (58)–(59); Table 1; Proposition 1].
"""

from __future__ import annotations

import math
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
from verifythm.claims.inputs import INT
from verifythm.strategies.scalars import reals

from .eq57 import sin_theta
from .table1 import INPUTS, table

SOURCE = Source("li2019hessian", "Appendix B.2.2, Eqs. (58)-(59)")


def bound59(Hf: np.ndarray, Hp: np.ndarray, s: int) -> float:
    r"""Right side of (59): :math:`2\min(\sqrt s\|H_p\|_2,\|H_p\|_F)/(\lambda_s-\lambda_{s+1})`."""
    lam = np.linalg.eigvalsh(Hf)[::-1]
    num = 2.0 * min(math.sqrt(s) * float(np.linalg.norm(Hp, 2)), float(np.linalg.norm(Hp, "fro")))
    return num / float(lam[s - 1] - lam[s])


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``‖sin Θ(top-s of M_t, top-s of H_f)‖_F`` against the right side of Eq. (59)."""
    Hf, M, Hp = table("logistic", inst)
    s = inst["s"]
    return Comparison(sin_theta(Hf, M, 1, s), bound59(Hf, Hp, s), "<=", "‖sin Θ(Ṽ, V)‖_F", "(59)")


def _ok(inst: dict[str, Any]) -> bool:
    X, y, th = inst["X"], inst["y"], inst["theta"]
    if not (X.ndim == 2 and X.shape[1] >= 2 and y.shape == (X.shape[0],) and th.shape == (X.shape[1],)):
        return False
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(th)) and np.all((y == 0) | (y == 1))):
        return False
    s = inst["s"]
    if not 1 <= s < X.shape[1]:
        return False
    Hf, M, _ = table("logistic", inst)
    lam, lt = np.linalg.eigvalsh(Hf)[::-1], np.linalg.eigvalsh(M)[::-1]
    scale = max(float(lam[0]), float(lt[0]), 1e-300)
    return float(lam[s - 1] - lam[s]) > 1e-6 * scale and float(lt[s - 1] - lt[s]) > 1e-6 * scale


def _symbolic() -> list[Any]:
    """Eq. (57) → (58) with r = 1; the sign of H_p's per-sample weight; the crossing pair's bound."""
    import sympy as sp

    l1, ls, ls1, l2 = sp.symbols("lambda1 lambda_s lambda_s1 lambda2", real=True)
    p = sp.Symbol("p", positive=True)
    k, g, c = sp.symbols("k g c", positive=True)
    coef = (1 - p) ** 2 - p * (1 - p)  # (p − y)² − σ(1 − σ) at y = 1
    Hf = sp.diag(l2 + g, l2)
    Hp = sp.diag(-(g + c) / 2, (g + c) / 2)  # h = (g + c)/2: the eigenvalues of M = Hf + Hp cross
    M = Hf + Hp
    norm2 = sp.Max(*[sp.Abs(x) for x in Hp.eigenvals()])
    bound = 2 * norm2 / (Hf[0, 0] - Hf[1, 1])  # (59) with s = 1, p = 2; the left side is sin = 1
    return [
        Identity(sp.Min(sp.oo - l1, ls - ls1), ls - ls1, "Eq. (57) → (58): λ₀ = +∞ leaves λ_s − λ_{s+1}"),
        Identity(
            sp.expand(coef), sp.expand((1 - p) * (1 - 2 * p)), "y = 1: (1 − p)² − p(1 − p) = (1 − p)(1 − 2p)"
        ),
        Nonnegative(sp.factor(-coef.subs(p, (k + 2) / (2 * k + 2))), "fitted sample (½ < p < 1): weight ≤ 0"),
        Nonnegative(sp.factor(coef.subs(p, 1 / (k + 2))), "misfitted sample (0 < p < ½): weight ≥ 0"),
        Nonnegative(sp.expand(M[1, 1] - M[0, 0]), "crossing: the top eigenvector of M_t is e₂, of H_f e₁"),
        Identity(sp.simplify(bound - 1), c / g, "(59) at the crossing pair: bound − sin θ = c/g"),
    ]


def near_attaining(rng: np.random.Generator) -> dict[str, Any]:
    """Two orthogonal inputs, y = 1, p₁ ≈ 0.68 and p₂ ≈ 0.01, scaled so that H_p is ±δ on them."""
    p1, p2 = float(rng.uniform(0.668, 0.70)), float(rng.uniform(0.005, 0.02))
    c1, c2 = (1 - p1) * (1 - 2 * p1), (1 - p2) * (1 - 2 * p2)  # (p − 1)² − σ for y = 1
    a1, a2 = math.sqrt(c2 / abs(c1)), 1.0
    Rot, _ = np.linalg.qr(rng.standard_normal((2, 2)))
    c = float(10 ** rng.uniform(-1, 1))
    X = c * np.diag([a1, a2]) @ Rot.T
    theta = Rot @ np.array([math.log(p1 / (1 - p1)) / a1, math.log(p2 / (1 - p2)) / a2]) / c
    return {"X": X, "y": np.ones(2), "theta": theta, "s": 1}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        if i % 4 == 0:
            out.append(near_attaining(rng))
            continue
        n, p = int(rng.integers(1, 9)), int(rng.integers(2, 6))
        X = rng.standard_normal((n, p)) * float(10 ** rng.uniform(-1, 1))
        out.append(
            {
                "X": X,
                "y": (rng.random(n) < 0.5).astype(float),
                "theta": rng.standard_normal(p) * float(rng.uniform(0.1, 3)),
                "s": int(rng.integers(1, p)),
            }
        )
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    n, p = draw(st.integers(1, 6)), draw(st.integers(2, 4))
    el = reals(-3, 3)
    return {
        "X": draw(hnp.arrays(float, (n, p), elements=el)),
        "y": draw(hnp.arrays(float, (n,), elements=st.sampled_from([0.0, 1.0]))),
        "theta": draw(hnp.arrays(float, (p,), elements=el)),
        "s": draw(st.integers(1, p - 1)),
    }


CLAIM = Claim(
    id="li2019.eq59",
    title="Top-s eigenspaces of H_f and M_t: ‖sin Θ‖_F ≤ 2 min(√s‖H_p‖₂, ‖H_p‖_F)/(λ_s − λ_{s+1})",
    source=SOURCE,
    statement=(
        r"With $P=H_f(\theta_t)$, $Q=M_t$, $\Delta=H_p(\theta_t)$ and $r=1$: for every $s<p$ with "
        r"$\lambda_s>\lambda_{s+1}$ (eigenvalues of $H_f$), $\|\sin\Theta(\tilde V,V)\|_F\le"
        r"2\min(\sqrt s\|H_p\|_2,\|H_p\|_F)/(\lambda_s-\lambda_{s+1})$ (checked on logistic regression)."
    ),
    hypotheses=(Hypothesis("logistic data, labels in {0, 1}; 1 ≤ s < p; H_f and M_t gapped at s", _ok),),
    conclusion=conclusion,
    inputs={**INPUTS, "s": INT},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _instances(), max_examples=120),
    ),
    tolerance=Tolerance(rtol=1e-7, atol=1e-12),
)
