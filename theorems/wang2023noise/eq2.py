r"""Wang & Wu (2023), Eq. (2): the one-step SGD loss update, exact for quadratic losses.

Setting
-------
Linear regression :math:`f(x;\theta)=\theta^Tx` on data :math:`X\in\mathbb R^{n\times d}`,
:math:`y\in\mathbb R^n`, so :math:`\mathcal L(\theta)=\frac1{2n}\|X\theta-y\|^2` is quadratic with
constant Hessian :math:`H=G=\frac1nX^TX`.  One SGD step with batch size one and uniform sampling
with replacement, :math:`\theta'=\theta-\eta(\nabla\mathcal L(\theta)+\xi)`,
:math:`\xi=\nabla\ell_i(\theta)-\nabla\mathcal L(\theta)`, so :math:`\mathbb E\xi=0` and
:math:`\mathbb E\xi\xi^T=\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T` (Eq. (7)).

Statement
---------
Eq. (2): :math:`\mathbb E\mathcal L(\theta')=\mathcal Q(\theta)+\frac{\eta^2}2\gamma(\theta)+o(\eta^2)`
with :math:`\mathcal Q=\mathcal L-\eta\|\nabla\mathcal L\|^2+\frac{\eta^2}2\nabla\mathcal
  L^TH\nabla\mathcal L`
and :math:`\gamma=\mathbb E[\xi^TH\xi]=\operatorname{tr}(\Sigma_0H)` (Eq. (3), ``wang2023.eq3``).  For a
quadratic loss the second-order Taylor expansion is exact, so the remainder :math:`o(\eta^2)` is
identically zero: the claim checks the equality with no remainder.

Evidence
--------
* ``symbolic``: both sides for symbolic :math:`X\in\mathbb R^{2\times2}`, :math:`y`, θ, η
  (expectation by enumerating the two indices).
* ``exact``: the enumerated :math:`\frac1n\sum_i\mathcal L(\theta-\eta\nabla\ell_i)` against
  :math:`\mathcal Q+\frac{\eta^2}2\operatorname{tr}(\Sigma_0H)` on seeded Gaussian, anisotropic and
  low-rank data over a wide range of η, including global minima (both sides then equal
  :math:`\mathcal L(\theta^*)\ge0`).
* ``property``: Hypothesis over inputs from ``gradient_matrices`` (every rank-one kind,
  :math:`n\le8`, :math:`d\le6`), targets, θ arbitrary or a least-squares minimum,
  :math:`\eta\lambda_1\in[0.01,5]`.

References
----------
[wang2023noise, Section 1, Eqs. (1)–(2) and (7)].
"""

from __future__ import annotations

from typing import Any

from verifythm import Source

from ._common import KEY, linreg_parts, trace
from ._eqs2_3 import identity_claim


def _sides(X: Any, y: Any, theta: Any, eta: Any) -> tuple[Any, Any]:
    P = linreg_parts(X, y, theta)
    n, H, gL = P["n"], P["G"], P["gradL"]
    post = 0
    for i in range(n):
        th_i = theta - eta * P["grads"][i]
        r = X @ th_i - y
        post = post + (r * r).sum() / (2 * n)
    lhs = post / n
    Qv = P["L"] - eta * (gL * gL).sum() + eta**2 / 2 * (gL @ H @ gL)
    rhs = Qv + eta**2 / 2 * trace(P["S0"] @ H)
    return lhs, rhs


CLAIM = identity_claim(
    _sides,
    "E L(θ')",
    "Q(θ) + η²/2·tr(Σ₀H)",
    "E L(θ') = Q + η²/2 tr(Σ₀H)",
    id="wang2023.eq2",
    title="E L(θ') = Q(θ) + η²/2·γ(θ) exactly for a quadratic loss (batch-one SGD)",
    source=Source(KEY, "Section 1, Eq. (2)", page=1),
    statement=(
        r"For $\theta'=\theta-\eta(\nabla\mathcal L+\xi)$ with batch-one SGD noise ξ, "
        r"$\mathbb E\mathcal L(\theta')=\mathcal L-\eta\|\nabla\mathcal "
        r"L\|^2+\frac{\eta^2}2\nabla\mathcal L^TH"
        r"\nabla\mathcal L+\frac{\eta^2}2\mathbb E[\xi^TH\xi]+o(\eta^2)$; for quadratic $\mathcal L$ the "
        r"remainder is exactly 0."
    ),
)
