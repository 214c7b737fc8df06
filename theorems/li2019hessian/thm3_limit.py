r"""Li et al. (2019), Theorem 3 (1): where the adaptive-step SGD loss converges to (as printed: false).

Setting
-------
Binary logistic regression (19) of Example 2: data :math:`x_i\in\mathbb R^p`, labels
:math:`y_i\in\{0,1\}` (signs :math:`s_i=2y_i-1`), margins :math:`m_i(\theta)=s_ix_i^T\theta`,
per-sample loss :math:`f(\theta;z_i)=\log(1+e^{-m_i(\theta)})` (the paper's loss; the ridge
:math:`\frac\lambda2\|\theta\|^2` of :mod:`~theorems.li2019hessian.thm3_limit_coercive` is not
used here).  :math:`f` is convex and :math:`L`-smooth with :math:`L\ge\lambda_{\max}(X^TX)/(4n)`
(Assumption 1, globally).  SGD draws mini-batches of :math:`m` indices with replacement and takes the
step :math:`\eta_t=a_t(1+2\,\mathrm{pos})`, :math:`a_t=\frac{\|\mu_t\|^2}{2L\operatorname{Tr}M_t}`, at
relative position ``pos`` :math:`\in(0,1)` of the open interval (35) (``precond = 1``: the same
position in every coordinate interval (36)), with :math:`\mu_t=\nabla f(\theta_t)` and
:math:`M_t=\frac1n\sum_i\nabla f(\theta_t;z_i)\nabla f(\theta_t;z_i)^T` as in ``thm3.py``.
The model, the SGD simulation and the certificates are in the private ``_logistic.py``.

Statement
---------
(1) Under (35) or (36), :math:`f(\theta_t)` converges almost surely to :math:`f(\theta^*)` for
some stationary point :math:`\theta^*` (:math:`\nabla f(\theta^*)=0`).

``li2019.thm3.limit`` — (1) as printed, through a necessary condition of its conclusion: a
stationary point must exist, so the data may not be strictly separable (separation margin
:math:`\gamma=\max_{\|w\|_\infty=1}\min_im_i(w)\le0`; if :math:`\gamma>0` the separating :math:`w`
gives :math:`\nabla f(\theta)^Tw=-\frac1n\sum_i\sigma(-m_i(\theta))\,m_i(w)<0` for every
:math:`\theta`).

As proved
---------
The proof in App. G only shows that :math:`f(\theta_t)` is a non-negative super-martingale (it
cites (77), the lower bound; the upper bound (76) is the one that gives it), which gives a limit,
not that the limit is a stationary value.  What it supports for a coercive :math:`f` is
``li2019.thm3.limit.coercive`` (:mod:`~theorems.li2019hessian.thm3_limit_coercive`).

Finding
-------
**Erratum**: the statement is **false**.  In the paper's own over-parameterised regime
(:math:`p\ge n`, where Example 2 itself remarks that the data are separable) all hypotheses hold,
yet :math:`f` has no stationary point; :math:`f(\theta_t)\to0=\inf f`, which no :math:`\theta`
attains, while :math:`\|\theta_t\|\to\infty`.  Smallest case :math:`n=p=1`, :math:`x=1`,
:math:`y=1`: :math:`f(\theta)=\log(1+e^{-\theta})`, :math:`L=\frac14`, :math:`\Sigma_t=0`,
:math:`M_t=\mu_t\mu_t^T`, so (35) and (36) both read :math:`\eta\in(2,6)`; with
:math:`\eta=4`, :math:`\theta_0=0`, SGD is deterministic and after 2000 steps
:math:`f(\theta_T)=1.25\cdot10^{-4}`, :math:`\theta_T=8.99`; :math:`\gamma=1>0`.

Evidence
--------
An almost-sure limit is not decidable from finitely many steps; what is checked is the
existence of :math:`\theta^*` (certificate).  The observed approach to the limit is printed in the
report labels, not decided.

* ``exact``: LP (HiGHS) for the separating direction :math:`w`; the margin
  :math:`\gamma` is recomputed from :math:`w` and re-checked in exact rational arithmetic
  (``precise_conclusion``), so a reported :math:`\gamma>0` is a proof that no stationary point
  exists.  Instances: :math:`p\ge n` Gaussian data (separable) and :math:`n\gg p` noisy labels
  (non-separable, the necessary condition holds with :math:`\gamma<0`).  The labels also show
  the simulated limit (32 seeded paths).
* ``property``: Hypothesis over data in both regimes (:math:`p\ge n`, Example 2's, and
  :math:`n>p`), labels, :math:`\theta_0`, :math:`m`, ``pos``, (35)/(36), with :math:`T\le20` for the
  simulated label; separable draws refute the claim and shrink.

No symbolic check: the refutation is an exact certificate (the LP direction re-checked in rational
  arithmetic); the gradient identity behind it is proved symbolically in
  ``li2019.thm3.limit.coercive``.

References
----------
[li2019hessian, Theorem 3 (1), Eqs. (35)–(36); Example 2, Eq. (19); proof in Appendix G].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from verifythm import Claim, Comparison, ExactCheck, Expected, PropertyCheck, Source
from verifythm.claims.inputs import INT, array
from verifythm.evidence.montecarlo import instance_seed
from verifythm.strategies.scalars import reals

from ._logistic import COMMON, exact_margin_of, labelled_data, loss, signed_data, signed_margin, simulate

SOURCE = Source("li2019hessian", "Theorem 3 (1), Eqs. (35)-(36), (19); Appendix G")


# -- the literal statement ------------------------------------------------------------------
def _limit_label(inst: dict[str, Any]) -> str:
    R = 1 if np.asarray(inst["X"]).shape[0] == 1 else 32
    sim = simulate(inst, np.random.default_rng(instance_seed(inst, "limit-label")), R)
    SX, lam = signed_data(inst)
    fT = loss(SX, lam, sim["theta"])
    nT = np.linalg.norm(sim["theta"], axis=1)
    return (
        f"separation margin γ = max_(‖w‖∞=1) min_i s_i x_iᵀw [{R} SGD path(s), T = {inst['T']}: "
        f"f(θ₀) = {float(loss(SX, lam, inst['theta'])):.4g} → mean f(θ_T) = "
        f"{float(fT.mean()):.4g}, mean ‖θ_T‖ = {float(nT.mean()):.4g}; inf f = 0 if γ > 0]"
    )


def _literal(inst: dict[str, Any]) -> Comparison:
    SX, _ = signed_data(inst)
    gamma = signed_margin(SX)[0]
    return Comparison(
        gamma,
        0.0,
        "<=",
        _limit_label(inst),
        "0 (else ∇f(θ)ᵀw < 0 for all θ: no stationary θ* exists)",
        scale=float(np.max(np.abs(SX).sum(axis=1))),
    )


def _literal_exact(inst: dict[str, Any]) -> Comparison:
    SX, _ = signed_data(inst)
    gamma = exact_margin_of(SX, signed_margin(SX)[1])
    return Comparison(
        gamma,
        0.0,
        "<=",
        "γ(w) in exact rational arithmetic",
        "0",
        scale=float(np.max(np.abs(SX).sum(axis=1))),
    )


def _generate_literal(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(max(4, k // 3)):
        if i % 2 == 0:  # Example 2 regime: p ≥ n, separable almost surely
            n = int(rng.integers(1, 5))
            p = int(rng.integers(n, 7))
            X, y = labelled_data(rng, n, p, 0.0)
        else:  # n ≫ p with label noise: a minimiser exists
            X, y = labelled_data(rng, 8, int(rng.integers(1, 3)), 0.3)
        Lb = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * X.shape[0])
        out.append(
            {
                "X": X,
                "y": y,
                "theta": 0.5 * rng.standard_normal(X.shape[1]),
                "m": int(rng.integers(1, 3)),
                "T": 300,
                "L": Lb * (1.0 if i % 4 < 2 else 1.5),
                "pos": [1e-9, float(rng.uniform()), 1 - 1e-9][i % 3],
                "precond": int(i % 4 == 3),
            }
        )
    return out


@st.composite
def _literal_instances(draw: Any) -> dict[str, Any]:
    """Hypothesis: Example 2's regime p ≥ n (separable almost surely) or n > p, with a short horizon."""
    n = draw(st.integers(1, 6))
    p = draw(st.integers(1, 6))
    X = draw(hnp.arrays(float, (n, p), elements=reals(-3, 3)))
    Lb = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * n)
    return {
        "X": X,
        "y": draw(hnp.arrays(int, (n,), elements=st.integers(0, 1))),
        "theta": draw(hnp.arrays(float, (p,), elements=reals(-1, 1))),
        "m": draw(st.integers(1, 2)),
        "T": draw(st.integers(1, 20)),
        "L": Lb * draw(st.sampled_from([1.0, 1.5])),
        "pos": draw(st.floats(1e-9, 1 - 1e-9)),
        "precond": draw(st.integers(0, 1)),
    }


SMALLEST = {
    "X": np.array([[1.0]]),
    "y": np.array([1]),
    "theta": np.array([0.0]),
    "m": 1,
    "T": 2000,
    "L": 0.25,
    "pos": 0.5,
    "precond": 0,
}
EXAMPLE2 = {  # n = 3 < p = 5, stochastic mini-batches (m = 1)
    "X": np.array([[0.5, -1.2, 0.3, 0.8, -0.4], [-0.7, 0.1, 1.1, -0.2, 0.6], [0.9, 0.4, -0.5, 0.3, 1.0]]),
    "y": np.array([1, 0, 1]),
    "theta": np.zeros(5),
    "m": 1,
    "T": 1000,
    "L": 1.0,
    "pos": 0.5,
    "precond": 0,
}

LIMIT = Claim(
    id="li2019.thm3.limit",
    aliases=("li2019.theorem3.limit",),
    title="Theorem 3 (1) as printed: under (35)/(36), f(θ_t) → f(θ*) a.s. with ∇f(θ*) = 0 (false)",
    source=SOURCE,
    statement=r"Under Assumption 1 and the step sizes (35) (or preconditioner (36)), $f(\theta_t)$ "
    r"converges almost surely to $f(\theta^*)$ for a stationary point $\theta^*$, $\nabla f(\theta^*)=0$. "
    r"Checked through the necessary condition that a stationary point exists: for logistic "
    r"regression (19), the separation margin $\gamma=\max_{\|w\|_\infty=1}\min_is_ix_i^Tw\le0$.",
    hypotheses=COMMON,
    conclusion=_literal,
    precise_conclusion=_literal_exact,
    inputs={"theta": array(), "T": INT},  # only these: _logistic's readers serve limit_coercive too
    checks=(
        ExactCheck(
            "exact",
            _generate_literal,
            fixed=[SMALLEST, EXAMPLE2],
            note="LP certificate of separation, re-checked in exact rationals; "
            "labels show the simulated limit",
        ),
        PropertyCheck("property", _literal_instances(), max_examples=8),
    ),
    expected=Expected.fails(
        "Theorem 3 (1) says f(θ_t) converges a.s. to f(θ*) at a stationary point θ*, but logistic regression "
        "(19) on separable data (the paper's own Example 2 regime) has none: n = p = 1, x = y = 1, L = 1/4, "
        "η = 4 ∈ (2, 6): f(θ_t) → 0 = inf f, not attained, θ_t → ∞ (γ = 1 > 0)",
        "docs/errata/li2019.thm3.limit__exact.md",
        finding="erratum",
    ),
    kind="limit",
)

CLAIMS = [LIMIT]
