r"""Li et al. (2019), Corollary 2: the drift algebra for high-dimensional logistic regression.

Setting
-------
Binary logistic regression (Eq. (19)), data :math:`X\in\mathbb R^{n\times p}`, residuals
:math:`e_i=p_{\theta_t}(x_i)-y_i`, :math:`\mu_t=\frac1nX^Te`,
:math:`M_t=\frac1n\sum_ie_i^2x_ix_i^T` (Table 1); constants :math:`L>0` (Assumption 1),
:math:`\alpha>0` and :math:`\beta\ge\max_i\|x_i\|^2`; step :math:`\eta=\frac\alpha{\beta L}`.

Statement
---------
Corollary 2 (Eq. (31)) centres its tail bound at
:math:`-\frac{\alpha^2}{2\beta Ln}\sum_i(y_i-p_{\theta_t}(x_i))^2`; the proof (App. E.2) obtains
it from Theorem 1's upper bound.  Encoded (``li2019.cor2.drift_algebra``): with
:math:`\sigma_{\min}(\frac1nXX^T)\ge\alpha` (the :math:`n\times n` Gram matrix, as the proof
uses),
:math:`-\eta\|\mu_t\|^2+\frac{\eta^2}2L\operatorname{Tr}M_t\le-\frac{\alpha^2}{2\beta Ln}\|e\|^2`;
equality for :math:`n=1`, :math:`\alpha=\beta=\|x_1\|^2`.  Together with
``li2019.thm1.upper`` this gives the mean form of (31).

Remark (not a claim): the statement assumes
:math:`\sigma_{\min}(\frac1n\sum_ix_ix_i^T)\ge\alpha>0` for the :math:`p\times p` matrix, whose
rank is at most :math:`n<p` in the high-dimensional case the corollary is about, so that
hypothesis is never met there; the proof's :math:`\frac1nXX^T` is what makes the
corollary non-vacuous.  The tail part has an unspecified constant and is not encoded.

Evidence
--------
* ``symbolic``: with :math:`\|\mu\|^2=\frac{a}{n}\|e\|^2+u`, :math:`u\ge0`, and
  :math:`\operatorname{Tr}M=\frac bn\|e\|^2-w`, :math:`w\ge0`, the difference of the two sides
  is a non-negative combination.
* ``exact``: on seeded logistic problems with :math:`n\le p` (full row rank), :math:`\alpha`
  at or below :math:`\lambda_{\min}(XX^T/n)`, :math:`\beta` at or above
  :math:`\max_i\|x_i\|^2`, random :math:`L`; single-sample instances are tight.
* ``property``: Hypothesis over the same family.

References
----------
[li2019hessian, Example 2, Corollary 2, Eq. (31); proof in Appendix E.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, Comparison, Hypothesis, Nonnegative, Source, Tolerance
from verifythm.claims.common import symbolic_exact_property
from verifythm.claims.inputs import REAL, array
from verifythm.strategies.scalars import reals


def conclusion(inst: dict[str, Any]) -> Comparison:
    """Theorem 1's upper bound at η = α/(βL) against the centre of (31)."""
    X, y, th, a, b, L = (inst[k] for k in ("X", "y", "theta", "alpha", "beta", "L"))
    n = X.shape[0]
    e = 1 / (1 + np.exp(-(X @ th))) - y
    mu = X.T @ e / n
    trM = float(np.sum((e**2)[:, None] * X * X)) / n
    eta = a / (b * L)
    lhs = -eta * float(mu @ mu) + eta**2 / 2 * L * trM
    return Comparison(
        lhs, -(a**2) / (2 * b * L * n) * float(e @ e), "<=", "−η‖μ‖² + η²L·Tr M/2", "−α²Σ(y−p)²/(2βLn)"
    )


def _symbolic() -> list[Any]:
    import sympy as sp

    a, b, L, n, E, u, w = sp.symbols("alpha beta L n E u w", positive=True)  # E = ‖e‖²
    eta = a / (b * L)
    lhs = -eta * (a * E / n + u) + eta**2 / 2 * L * (b * E / n - w)
    return [Nonnegative(sp.factor(-(a**2) / (2 * b * L * n) * E - lhs), "centre − drift bound ≥ 0")]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(1, 6))
        n = 1 if i % 3 == 0 else int(rng.integers(1, p + 1))
        X = rng.standard_normal((n, p))
        loose = 1.0 if i % 2 == 0 else float(rng.uniform(0.3, 1.0))
        out.append(
            {
                "X": X,
                "y": (rng.random(n) < 0.5).astype(float),
                "theta": rng.standard_normal(p),
                "alpha": float(np.linalg.eigvalsh(X @ X.T / n)[0]) * loose,
                "beta": float(np.max(np.sum(X * X, axis=1))) / loose,
                "L": float(10 ** rng.uniform(-1, 1)),
            }
        )
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    p = draw(st.integers(1, 4))
    n = draw(st.integers(1, p))
    el = reals(-3, 3)
    X = draw(hnp.arrays(float, (n, p), elements=el))
    return {
        "X": X,
        "y": np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)), dtype=float),
        "theta": draw(hnp.arrays(float, (p,), elements=el)),
        "alpha": float(np.linalg.eigvalsh(X @ X.T / n)[0]),
        "beta": float(np.max(np.sum(X * X, axis=1))),
        "L": draw(st.floats(0.1, 10.0)),
    }


def _admissible(i: dict[str, Any]) -> bool:
    X, a, b = i["X"], i["alpha"], i["beta"]
    if not (np.all(np.isfinite(X)) and 1e-50 < float(np.max(np.abs(X))) < 1e50 and X.shape[0] <= X.shape[1]):
        return False
    n = X.shape[0]
    lam = float(np.linalg.eigvalsh(X @ X.T / n)[0])
    return bool(
        i["L"] > 0
        and 1e-8 * float(np.max(np.sum(X * X, axis=1))) < a <= lam * (1 + 1e-12)
        and b >= float(np.max(np.sum(X * X, axis=1))) * (1 - 1e-12)
    )


CLAIM = Claim(
    id="li2019.cor2.drift_algebra",
    aliases=("li2019.corollary2.drift_algebra",),
    title="Logistic regression, η = α/(βL): Theorem 1's drift bound ≤ −α²Σ(y − p)²/(2βLn)",
    source=Source("li2019hessian", "Corollary 2, Eq. (31); Appendix E.2"),
    statement=(
        r"If $\sigma_{\min}(\frac1nXX^T)\ge\alpha>0$, $\max_i\|x_i\|^2\le\beta$ and "
        r"$\eta=\frac\alpha{\beta L}$ then "
        r"$-\eta\|\mu_t\|^2+\frac{\eta^2}2L\operatorname{Tr}M_t\le-\frac{\alpha^2}{2\beta Ln}"
        r"\sum_i(y_i-p_{\theta_t}(x_i))^2$."
    ),
    hypotheses=(Hypothesis("n ≤ p; σ_min(XXᵀ/n) ≥ α > 0; max‖x_i‖² ≤ β; L > 0", _admissible),),
    conclusion=conclusion,
    inputs={"X": array(2), "y": array(1), "theta": array(1), **dict.fromkeys(("alpha", "beta", "L"), REAL)},
    checks=symbolic_exact_property(_symbolic, _generate, _instances(), max_examples=100),
    tolerance=Tolerance(rtol=1e-9, atol=1e-14),
)
