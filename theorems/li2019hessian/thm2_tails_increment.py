r"""Li et al. (2019), Theorem 2, proof of Eq. (33): one SGD increment, corrected for index sampling.

Setting
-------
Binary logistic regression (19) with labels :math:`y_i=\pm1`, vanilla SGD (8) from :math:`\theta_0=0`
with :math:`m` indices drawn uniformly **with replacement** per step (the paper's model) and a
constant step :math:`\eta`.  The hypotheses of Theorem 2 hold globally: Assumption 1 with
:math:`L=\lambda_{\max}(X^TX)/(4n)` (a bound on :math:`\|H_f\|_2` on all of :math:`\mathbb R^p`),
:math:`f` is :math:`L_1`-Lipschitz, and :math:`\mu`, :math:`\sigma` are the maxima of
:math:`\|\mu_t\|` and :math:`\|\Sigma_t\|_2` over every state reached before :math:`T`; :math:`K_2` is
(33) with its :math:`m`-dependence.  Here one step matters: sample gradients
:math:`g_1,\dots,g_n` with mean :math:`\mu` and covariance :math:`\Sigma`, every ordered batch of
:math:`m` indices enumerated.

Statement
---------
The first branch of :math:`K_2` in (33) bounds one increment of (8) through the model (73):
:math:`\|\theta_{t+1}-\theta_t\|\le\eta(\mu+\sqrt{\sigma p/m})`.
``li2019.thm2.tails.increment`` asserts the bound that holds for the index sampling of (8):
for every sample set :math:`g_1,\dots,g_n` and batch size :math:`m` (indices drawn with
replacement), :math:`\max_B\|\bar g_B-\mu\|\le\max_i\|g_i-\mu\|\le\sqrt{(n-1)\|\Sigma\|_2}`, sharp.

As proved
---------
The first branch of :math:`K_2` bounds one increment, :math:`|\Delta_t|\le L_1\|\theta_{t+1}-\theta_t\|`,
through the model (73): :math:`\|\theta_{t+1}-\theta_t\|\le\eta(\mu+\|\Sigma^{1/2}g\|/\sqrt m)=
\eta(\mu+\sqrt{\sigma p/m})`.  Under the index sampling of (8) the deviation of a batch mean from
:math:`\mu_t` is at most the largest sample deviation (a mean of m of them), and that one is bounded by
the covariance alone, sharply:

.. math:: \max_B\|\bar g_B-\mu\|^2\le\max_i\|g_i-\mu\|^2\le(n-1)\|\Sigma\|_2 .

(Project :math:`\Sigma` on :math:`v=g_i-\mu`: the other n − 1 deviations sum to −v, so by Cauchy–Schwarz
their squared projections sum to at least :math:`\|v\|^2/(n-1)`, and :math:`v^T\Sigma v/\|v\|^2\ge
\|v\|^2/(n-1)`.)  Equality for one outlier among n identical samples, the family of ``.absolute``:
:math:`\|g_1-\mu\|^2=(1-1/n)^2=(n-1)\sigma`.  So the increment bound that holds for (8) is
:math:`\eta(\mu+\sqrt{(n-1)\sigma})`, :math:`\sqrt{(n-1)m/p}` times the proof's, which is the mechanism of
the finding of
``li2019.thm2.tails.absolute`` (:mod:`~theorems.li2019hessian.thm2_tails`);
:math:`K_2` with :math:`\sqrt{(n-1)\sigma}` in place of :math:`\sqrt{\sigma p/m}` bounds
every increment (not encoded as a tail claim).

Evidence
--------
* ``symbolic`` (proof of Theorem 2, the increment bound in :math:`K_2`, Eq. (33)): sympy derives the
  Cauchy–Schwarz step for n = 3 scalar deviations summing to zero,
  :math:`(n-1)\frac1n\sum_jv_j^2-v_1^2=(v_2-v_3)^2/3\ge0`, and for n = 4 as a sum of squares; and the
  equality :math:`\|g_1-\mu\|^2=(n-1)\sigma` on the outlier family for symbolic n.  With n − 2 in place of
  n − 1 (``OFFSET`` = 2) it goes red.
* ``property``: Hypothesis over sample gradients from :func:`~verifythm.strategies.gradient_matrices`
  (n ≤ 6, p ≤ 4, near-identical and sparse kinds included), batch sizes m ≤ 3, every ordered batch
  enumerated; ``OFFSET`` = 2 is caught.
* ``exact``: seeded Gaussian sample sets and the outlier family (equality).

References
----------
[li2019hessian, Theorem 2, Eqs. (32)–(33); proof in Appendix F, Eq. (73)].
"""

from __future__ import annotations

import itertools
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
    Tolerance,
)
from verifythm.claims.inputs import INT, array
from verifythm.strategies import gradient_matrices

TOL = Tolerance(rtol=1e-9, atol=1e-15)


#: :math:`\max_B\|\bar g_B-\mu\|^2\le(n-\mathrm{OFFSET})\|\Sigma\|_2`: Cauchy–Schwarz gives OFFSET = 1.
OFFSET = 1


def increment(inst: dict[str, Any]) -> Comparison:
    r""":math:`\max_B\|\bar g_B-\mu\|` over all ordered batches vs :math:`\sqrt{(n-1)\|\Sigma\|_2}`.

    ``G``: n × p sample gradients (rows); ``m``: batch size (indices drawn with replacement).
    """
    G, m = inst["G"], inst["m"]
    n = G.shape[0]
    mu = G.mean(axis=0)
    C = G - mu
    sigma = float(np.linalg.eigvalsh(C.T @ C / n)[-1])
    batches = np.array(list(itertools.product(range(n), repeat=m)))
    dev = G[batches].mean(axis=1) - mu
    lhs = float(np.sqrt(np.max(np.sum(dev * dev, axis=1))))
    return Comparison(
        lhs, float(np.sqrt(max(n - OFFSET, 0) * max(sigma, 0.0))), "<=", "max_B ‖ḡ_B − μ‖", "√((n − 1)‖Σ‖₂)"
    )


def _valid_inc(inst: dict[str, Any]) -> bool:
    G, m = np.asarray(inst["G"]), inst["m"]
    return G.ndim == 2 and G.shape[0] >= 1 and G.shape[1] >= 1 and 1 <= m and G.shape[0] ** m <= 512


def _generate_inc(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 30)):
        n, p, m = int(rng.integers(1, 7)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        if i % 3 == 0:  # one outlier among n identical samples: equality
            G = np.tile(rng.standard_normal(p), (n, 1))
            G[0] += rng.standard_normal(p)
        else:
            G = rng.standard_normal((n, p)) * rng.uniform(0.1, 3.0)
        out.append({"G": G, "m": m if n**m <= 512 else 1})
    return out


@st.composite
def _strategy_inc(draw: Any) -> dict[str, Any]:
    G = draw(gradient_matrices(p=st.integers(1, 4), n=st.integers(1, 6))).T  # n × p
    m = draw(st.integers(1, 3))
    return {"G": G, "m": m if G.shape[0] ** m <= 512 else 1}


def _symbolic_inc() -> list[Any]:
    r"""Increment of (8): :math:`\|g_i-\mu\|^2\le(n-1)\sigma` (Cauchy–Schwarz), equality for one outlier."""
    import sympy as sp

    v2, v3, v4 = sp.symbols("v2 v3 v4", real=True)
    n3 = [-(v2 + v3), v2, v3]  # n = 3 deviations from the mean: they sum to zero
    n4 = [-(v2 + v3 + v4), v2, v3, v4]
    n = sp.Symbol("n", positive=True)
    mu = 1 / n  # g_1 = 1, g_2 = … = g_n = 0 (p = 1)
    sig = ((1 - mu) ** 2 + (n - 1) * mu**2) / n
    return [
        Nonnegative(
            sp.factor(sp.expand((3 - OFFSET) * sum(v**2 for v in n3) / 3 - n3[0] ** 2)),
            "n = 3: (n − 1)·(1/n)Σ_j v_j² − v₁² = (v₂ − v₃)²/3 ≥ 0 when Σ_j v_j = 0",
        ),
        Nonnegative(
            sp.expand((4 - OFFSET) * sum(v**2 for v in n4) / 4 - n4[0] ** 2),
            "n = 4: (n − 1)·(1/n)Σ_j v_j² − v₁² ≥ 0 when Σ_j v_j = 0",
        ),
        Identity(
            sp.factor((1 - mu) ** 2), sp.factor((n - OFFSET) * sig), "outlier family: ‖g₁ − μ‖² = (n − 1)σ"
        ),
    ]


INCREMENT = Claim(
    id="li2019.thm2.tails.increment",
    aliases=("li2019.theorem2.tails.increment",),
    title="Increment of (8), corrected step of K₂ (33): max_B ‖ḡ_B − μ‖ ≤ √((n − 1)‖Σ‖₂), sharp",
    source=Source("li2019hessian", "Theorem 2 (proof, Eq. (33); Eq. (73))"),
    statement=r"For every sample set $g_1,\dots,g_n$ and batch size $m$ (indices drawn with replacement): "
    r"$\max_B\|\bar g_B-\mu\|\le\max_i\|g_i-\mu\|\le\sqrt{(n-1)\|\Sigma\|_2}$, so a step of (8) moves θ by "
    r"at most $\eta(\|\mu\|+\sqrt{(n-1)\|\Sigma\|_2})$ (the proof's (73) has $\sqrt{\sigma p/m}$).",
    hypotheses=(Hypothesis("n ≥ 1 samples, m ≥ 1, n^m ≤ 512 batches", _valid_inc),),
    conclusion=increment,
    inputs={"G": array(), "m": INT},
    checks=(
        ExactCheck("exact", _generate_inc, note="seeded Gaussian sets; one outlier among identical samples"),
        PropertyCheck("property", _strategy_inc(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic_inc, note="Cauchy–Schwarz step; the outlier family's equality"),
    ),
    tolerance=TOL,
)

CLAIMS = [INCREMENT]
