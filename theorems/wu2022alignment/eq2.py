r"""Wu, Wang & Su (2022), Eq. (2): the heuristic :math:`\Sigma(\theta)\approx2L(\theta)G(\theta)`, measured.

Setting
-------
Linear model :math:`f(x;\theta)=\theta^Tx` with Gaussian inputs :math:`x\sim\mathcal N(0,S)`, the
interpolable target :math:`\theta^*=0` (residual :math:`e=x^T\theta`), in the population limit
:math:`n\to\infty`: :math:`L=\frac12\theta^TS\theta`, :math:`\nabla L=S\theta`, :math:`G=H=S`,
:math:`\Sigma=\mathbb E[(x^T\theta)^2xx^T]-\nabla L\nabla L^T`.

Statement
---------
Eq. (2) is a heuristic: :math:`\Sigma\approx2LG`, via (i) dropping :math:`\nabla L\nabla L^T` and
(ii) decoupling :math:`L_i` from :math:`g_ig_i^T`.  The paper says it "cannot be true in general".

``wu2022.eq2.relative_error`` encodes how good the approximation is, as a sharp measured bound: for
every θ ≠ 0,

.. math:: \frac{\|\Sigma-2LG\|_F}{\|2LG\|_F}=\frac{\theta^TS^2\theta}{\theta^TS\theta\,\|S\|_F}
          \le\frac{\lambda_1(S)}{\|S\|_F}=\sqrt{\tau(S)},

with equality at a top eigenvector of S.  (By Isserlis, :math:`\Sigma-2LG=S\theta\theta^TS` is
rank one: step (i) errs by :math:`-\nabla L\nabla L^T` and step (ii) by
:math:`+2\nabla L\nabla L^T`.)  Hence Eq. (2) holds, in relative Frobenius norm, to within
:math:`1/\sqrt d` for isotropic data (S = I) — i.e. it becomes accurate only as the data
dimension grows — and it **fails** (relative error → 1, e.g. exactly 1 for rank-one S) when S is
dominated by one direction (:math:`\tau(S)\to1`).

Evidence
--------
* ``exact``: Σ by exact Gauss–Hermite tensor quadrature (``_gauss.gaussian_points``; exact for
  these degree-4 moments), and L, ∇L, G = S from the same quadrature points (so that all refer to
  the covariance actually integrated; ``scale`` = the input size the rounding error scales
  with); random S (ranks 1..d, d ≤ 4) and θ, plus the
  equality cases (θ a top eigenvector; S = I; rank-one S where the error is 100 %).
* ``property``: Hypothesis over PSD S of the project's vocabulary (:func:`~verifythm.strategies.psd_with`,
  d ≤ 4, any rank and condition number) and θ, half of the draws steered to the equality case
  (θ a top eigenvector of S plus a drawn perturbation).
* ``symbolic`` (the derivation above): for :math:`x=A\xi` (:math:`S=AA^T`, A a symbolic 2 × 2
  matrix, exact Gaussian moments) and symbolic θ, :math:`\Sigma-2LG=S\theta\theta^TS` (step (i) errs by
  :math:`-\nabla L\nabla L^T`, step (ii) by :math:`+2\nabla L\nabla L^T`);
  :math:`\|S\theta\theta^TS\|_F^2=(\theta^TS^2\theta)^2`; and in an eigenbasis of S
  (:math:`l_2=l_1/(1+u)`) :math:`\lambda_1\theta^TS\theta-\theta^TS^2\theta\ge0`, the ratio bound.

Not checked: the finite-n version (n samples, sample G and L): for n < d, G is rank-deficient
and the error is larger; only the population limit is checked here.

References
----------
[wu2022alignment, Eq. (2); Proposition 2.3 (``wu2022.prop2_3``) gives Σ = 2LG + ∇L∇Lᵀ here].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.strategies import psd_with, random_psd
from verifythm.strategies.scalars import reals

from . import KEY
from ._gauss import gaussian_points


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|\Sigma-2LG\|_F` versus :math:`\sqrt{\tau(S)}\,\|2LG\|_F`.

    Every quantity is computed from the covariance the quadrature actually integrates,
    :math:`S_q=AA^T` (``_gauss`` clips rounding-level negative eigenvalues of S to 0), so that
    Σ and L, ∇L, G refer to the same Gaussian: with S itself, a float S whose null directions
    carry eigenvalues of ±1e-15 and a huge θ in them (‖θ‖ ~ 1e6) put an error of
    :math:`\theta^T(S-S_q)\theta` into L alone (a 0.3 % "violation" found by ``verifythm tightness``).
    ``scale`` is :math:`\|\theta\|\,\sqrt{2L}\,\|S\|_F^{3/2}` (≥ both sides), the size the
    rounding error scales with: :math:`r=X\theta` errs by :math:`\epsilon\|X\|\|\theta\|`, not
    :math:`\epsilon|r|`, when θ is large in the null space of S.
    """
    S, theta = inst["S"], inst["theta"]
    X, w = gaussian_points(S)
    Sq = (X.T * w) @ X  # = A Aᵀ, exactly the covariance of the quadrature points
    r = X @ theta
    gL = (X.T * w) @ r  # = S_q θ
    L = 0.5 * float(w @ r**2)
    twoLG = 2.0 * L * Sq
    sigma = (X.T * (w * r**2)) @ X - np.outer(gL, gL)
    err = float(np.linalg.norm(sigma - twoLG))
    lam1 = float(np.linalg.eigvalsh((Sq + Sq.T) / 2)[-1])
    sqrt_tau = lam1 / float(np.linalg.norm(Sq))
    scale = float(np.linalg.norm(theta)) * np.sqrt(2.0 * L) * float(np.linalg.norm(S)) ** 1.5
    return Comparison(
        err, sqrt_tau * float(np.linalg.norm(twoLG)), "<=", "‖Σ − 2LG‖_F", "√τ(S)·‖2LG‖_F", scale=scale
    )


def _loss_positive(inst: dict[str, Any]) -> bool:
    S, theta = inst["S"], inst["theta"]
    return float(theta @ S @ theta) > 1e-12 * float(np.linalg.norm(S)) * float(theta @ theta)


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 5))
        S = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        theta = rng.standard_normal(d)
        if i % 3 == 0:  # equality case: a top eigenvector
            theta = np.linalg.eigh(S)[1][:, -1] * float(rng.uniform(0.5, 2.0))
        out.append({"S": S, "theta": theta})
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    S = draw(psd_with(st.integers(1, 4)))
    d = S.shape[0]
    theta = np.array(draw(st.lists(reals(-3, 3), min_size=d, max_size=d)), dtype=float)
    if draw(st.booleans()):  # towards equality: a top eigenvector of S, slightly perturbed
        theta = np.linalg.eigh(S)[1][:, -1] + draw(st.sampled_from([0.0, 1e-3, 1e-1])) * theta
    return {"S": S, "theta": theta}


def _symbolic() -> list[Any]:
    """Σ − 2LG = SθθᵀS (Isserlis), its Frobenius norm, and θᵀS²θ ≤ λ₁θᵀSθ."""
    import sympy as sp

    from ._sym3 import gaussian_expect

    A = sp.Matrix(2, 2, sp.symbols("a1:5", real=True))
    th = sp.Matrix(sp.symbols("theta1:3", real=True))
    xi = list(sp.symbols("xi1:3", real=True))
    x = A * sp.Matrix(xi)
    S = A * A.T
    r = (x.T * th)[0]
    gL = S * th
    sigma = (r**2 * x * x.T).applyfunc(lambda e: gaussian_expect(e, xi)) - gL * gL.T
    L = (th.T * S * th)[0] / 2
    v = S * th
    l1, u = sp.symbols("l1 u", positive=True)
    t1, t2 = th
    lam = [l1, l1 / (1 + u)]
    q1 = lam[0] * t1**2 + lam[1] * t2**2
    q2 = lam[0] ** 2 * t1**2 + lam[1] ** 2 * t2**2
    return [
        Identity(sigma - 2 * L * S, v * v.T, "Σ − 2LG = SθθᵀS (G = S, Gaussian x = Aξ)"),
        Identity(sum(e**2 for e in v * v.T), (v.T * v)[0] ** 2, "‖SθθᵀS‖_F² = (θᵀS²θ)²"),
        Nonnegative(sp.factor(l1 * q1 - q2), "eigenbasis of S: λ₁θᵀSθ − θᵀS²θ ≥ 0"),
    ]


_FIXED = [
    {"S": np.eye(4), "theta": np.array([1.0, 0.0, 0.0, 0.0])},  # isotropic: error exactly 1/√d = 1/2
    {"S": np.eye(3), "theta": np.array([0.3, -1.0, 2.0])},
    {"S": np.outer([1.0, 2.0, 0.5], [1.0, 2.0, 0.5]), "theta": np.array([1.0, 0.0, 1.0])},  # rank one: 100 %
    {"S": np.diag([10.0, 1.0, 0.1]), "theta": np.array([1.0, 1.0, 1.0])},
]

CLAIM = Claim(
    id="wu2022.eq2.relative_error",
    title="Eq. (2) measured: ‖Σ − 2LG‖_F ≤ (λ₁(S)/‖S‖_F)·‖2LG‖_F (linear model, Gaussian data, population)",
    source=Source(KEY, "Eq. (2)"),
    statement=(
        r"Heuristic (2): $\Sigma(\theta)\approx2L(\theta)G(\theta)$. Encoded for $f=\theta^Tx$, "
        r"$x\sim\mathcal N(0,S)$, $\theta^*=0$, $n\to\infty$: "
        r"$\|\Sigma-2LG\|_F\le(\lambda_1(S)/\|S\|_F)\,\|2LG\|_F$ for all θ, with equality at a top "
        r"eigenvector; so the relative error is $1/\sqrt d$ for $S=I$ and 1 for rank-one $S$."
    ),
    hypotheses=(Hypothesis("L(θ) > 0", _loss_positive),),
    conclusion=conclusion,
    inputs={"S": array(2), "theta": array(1)},
    checks=(
        ExactCheck("exact", _generate, fixed=_FIXED, note="exact Gauss–Hermite quadrature, d ≤ 4"),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic),
    ),
)
