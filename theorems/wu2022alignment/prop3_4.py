r"""Wu, Wang & Su (2022), Proposition 3.4: the flatness bound under μ₁-alignment only.

Setting
-------
As in Theorem 3.3 (``wu2022.thm3_3``): linearized model at a global minimum,
:math:`H=G=QQ^T/n`, linearized SGD with B indices drawn with replacement
(:math:`\mathbb{E}[\xi\xi^T]=\Sigma/B`), linear stability decided exactly
(:math:`\rho(\mathcal T_\eta)\le1`).  The alignment constant is
:math:`\mu_1=\inf_\theta\mu_1(\theta)` (exact), assumed :math:`>0`.

Statement
---------
If :math:`\theta^*` is linearly stable and :math:`\mu_1(\theta)\ge\mu_1` for all θ, then
:math:`\|H(\theta^*)\|_F\le\min\bigl(B/\sqrt{(B-1)\mu_1},\ 2B/\mu_1\bigr)/\eta`, the first
entry read as :math:`+\infty` when :math:`B=1`.  The two branches come from two separate
arguments in Appendix G and are also encoded on their own:

* ``.branch1`` (:math:`B\ge2`): :math:`\|H\|_F\le B/(\eta\sqrt{(B-1)\mu_1})` (Lemma G.1 with
  :math:`a=2\eta`, :math:`b=\eta^2(1-1/B)`);
* ``.branch2`` (every :math:`B\ge1`): :math:`\|H\|_F\le2B/(\mu_1\eta)` (drops the
  :math:`\eta^2(1-1/B)\,\theta^TH^3\theta/\theta^TH\theta\ge0` term, then
  :math:`\|H\|_F^2\le\frac{2B}{\mu_1\eta}\lambda_1\le\frac{2B}{\mu_1\eta}\|H\|_F`).

Typo: the proof's conclusion prints :math:`\|H\|_F^2\le B/(\eta\sqrt{(B-1)\mu_1})`; its
own previous line (:math:`\gamma_0\le1`) gives the unsquared norm, as in the statement.

Evidence
--------
Tightness:
Identical gradients (:math:`g_i=g` for all i) have :math:`\Sigma\equiv0`,
:math:`\mu_1\equiv1` and :math:`\eta^*=2/\lambda_1=2/\|H\|_F`; so :math:`\eta^*\|H\|_F=2`
attains branch 2 at :math:`B=1` and both branches at :math:`B=2` (both equal 2).

* ``exact``: seeded gradient families, n = 2..6, B = 1..n (B ≥ 2 for branch 1), η up to
  :math:`(1-10^{-9})\eta^*`, plus the attaining identical-gradient instances; stability and
  :math:`\mu_1` exact.
* ``property``: Hypothesis over gradient families, B and :math:`\eta/\eta^*`.
* ``symbolic`` (proof of Proposition 3.4, Appendix G): Eq. (24) — the expected next loss over
  :math:`L(\theta)`, by enumerating with-replacement batches (symbolic :math:`g_1,g_2\in\mathbb{R}^2`,
  θ, η, B = 1, 2), equals :math:`1-2\eta q_2/q_1+\eta^2(1-1/B)q_3/q_1+\eta^2\|H\|_F^2\mu_1(\theta)/B`;
  branch 1: Lemma G.1 with :math:`a=2\eta`, :math:`b=\eta^2(1-1/B)` gives :math:`a^2/(4b)=B/(B-1)`, and
  :math:`\gamma_0-1=\frac{\mu_1\eta^2}{B}(\|H\|_F-b_1)(\|H\|_F+b_1)` with
  :math:`b_1=B/(\eta\sqrt{(B-1)\mu_1})` — the unsquared norm (this is what exposes the proof's
  printed :math:`\|H\|_F^2\le b_1`); branch 2: from the stability slack
  :math:`s=2\eta\lambda_1-\mu_1\eta^2\|H\|_F^2/B\ge0` and :math:`d=\|H\|_F-\lambda_1\ge0`,
  :math:`2B/(\mu_1\eta)-\|H\|_F=\frac{B}{\mu_1\eta^2\|H\|_F}s+\frac{2B}{\mu_1\eta\|H\|_F}d\ge0`.

References
----------
[wu2022alignment, Proposition 3.4 and its proof in Appendix G (Eq. (24))].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, REAL, array
from verifythm.evidence.symbolic import Identity, Nonnegative

from . import KEY, _sym3
from ._linear import MU1_POSITIVE, NONZERO, POSITIVE_ETA, STABLE, at_critical, facts, generate, strategy

SOURCE = Source(KEY, "Proposition 3.4")
TOL = Tolerance(rtol=1e-7, atol=1e-12)


def branch1(inst: dict[str, Any]) -> float:
    r""":math:`B/(\eta\sqrt{(B-1)\mu_1})` (:math:`+\infty` at B = 1)."""
    B = inst["B"]
    if B == 1:
        return math.inf
    return B / math.sqrt((B - 1) * facts(inst)["mu1"]) / inst["eta"]


def branch2(inst: dict[str, Any]) -> float:
    r""":math:`2B/(\mu_1\eta)`."""
    return 2.0 * inst["B"] / facts(inst)["mu1"] / inst["eta"]


def _sym_branch1() -> list[Any]:
    """Branch 1 of the proof of Proposition 3.4: Eq. (24), Lemma G.1's constant, and γ₀ ≤ 1 ⇔ the bound."""
    import sympy as sp

    F, mu1, eta, Bm1 = sp.symbols("F mu1 eta Bm1", positive=True)  # Bm1 = B − 1 > 0 (B ≥ 2)
    B = Bm1 + 1
    a, b = 2 * eta, eta**2 * (1 - 1 / B)
    b1 = B / (eta * sp.sqrt(Bm1 * mu1))
    gamma0 = 1 - a**2 / (4 * b) + mu1 * eta**2 * F**2 / B
    return [
        _sym3.eq24(2),
        Identity(a**2 / (4 * b), B / Bm1, "Lemma G.1, a = 2η, b = η²(1 − 1/B): a²/(4b) = B/(B − 1)"),
        Identity(
            gamma0 - 1,
            mu1 * eta**2 / B * (F - b1) * (F + b1),
            "γ₀ − 1 = (μ₁η²/B)(‖H‖_F − b₁)(‖H‖_F + b₁), b₁ = B/(η√((B−1)μ₁)): γ₀ ≤ 1 ⇔ ‖H‖_F ≤ b₁",
        ),
    ]


def _sym_branch2() -> list[Any]:
    """Branch 2 of the proof of Proposition 3.4 (B = 1 allowed): Eq. (24) and the λ₁ argument."""
    import sympy as sp

    F, mu1, eta, B, s, d = sp.symbols("F mu1 eta B s d", positive=True)
    lam1 = F - d
    slack = 2 * eta * lam1 - mu1 * eta**2 * F**2 / B  # stability: 1 − 2ηλ₁ + μ₁η²‖H‖²/B ≤ 1
    combo = B / (mu1 * eta**2 * F) * s + 2 * B / (mu1 * eta * F) * d
    return [
        _sym3.eq24(1),
        Identity(
            (2 * B / (mu1 * eta) - F).subs(s, slack),
            combo.subs(s, slack),
            "2B/(μ₁η) − ‖H‖_F = B/(μ₁η²‖H‖_F)·s + 2B/(μ₁η‖H‖_F)·(‖H‖_F − λ₁)",
        ),
        Nonnegative(combo, "… ≥ 0 when the stability slack s ≥ 0 and ‖H‖_F ≥ λ₁"),
    ]


def _sym_min() -> list[Any]:
    return [*_sym_branch1(), *_sym_branch2()]


def _cmp(rhs: float, label: str) -> Any:
    def conclusion(inst: dict[str, Any]) -> Comparison:
        return Comparison(facts(inst)["fro"], rhs(inst), "<=", "‖H(θ*)‖_F", label)

    return conclusion


IDENT = np.ones((3, 3))
FIXED = [
    at_critical(IDENT, 1),
    at_critical(IDENT, 2),
    at_critical(IDENT, 3),
    at_critical(np.eye(2), 1),
    at_critical(np.eye(2), 2),
    at_critical(np.eye(4), 3),
]
HYPOTHESES = (NONZERO, POSITIVE_ETA, MU1_POSITIVE, STABLE)


def _claim(
    cid: str, title: str, statement: str, rhs: Any, label: str, hyps: tuple[Hypothesis, ...], sym: Any
) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=hyps,
        conclusion=_cmp(rhs, label),
        checks=(
            ExactCheck("exact", generate, fixed=FIXED),
            PropertyCheck("property", strategy(0.05, 1.0 - 1e-9)),
            SymbolicCheck("symbolic", sym),
        ),
        tolerance=TOL,
        inputs={"Q": array(2), "B": INT, "eta": REAL},
    )


MIN = _claim(
    "wu2022.prop3_4",
    "μ₁-alignment: stable minima satisfy ‖H‖_F ≤ min(B/√((B−1)μ₁), 2B/μ₁)/η",
    r"Under the setting of Theorem 3.3 with $\mu_1(\theta)\ge\mu_1>0$ for all θ: if $\theta^*$ "
    r"is linearly stable, $\|H(\theta^*)\|_F\le\min(B/\sqrt{(B-1)\mu_1},\,2B/\mu_1)/\eta$ "
    r"(first entry $+\infty$ at $B=1$).",
    lambda inst: min(branch1(inst), branch2(inst)),
    "min(B/√((B−1)μ₁), 2B/μ₁)/η",
    HYPOTHESES,
    _sym_min,
)
BRANCH1 = _claim(
    "wu2022.prop3_4.branch1",
    "μ₁-alignment, B ≥ 2: stable minima satisfy ‖H‖_F ≤ B/(η√((B−1)μ₁))",
    r"Under the setting of Theorem 3.3 with $B\ge2$ and $\mu_1(\theta)\ge\mu_1>0$: if $\theta^*$ "
    r"is linearly stable, $\|H(\theta^*)\|_F\le B/(\eta\sqrt{(B-1)\mu_1})$.",
    branch1,
    "B/(η√((B−1)μ₁))",
    (*HYPOTHESES, Hypothesis("B ≥ 2", lambda inst: inst["B"] >= 2)),
    _sym_branch1,
)
BRANCH2 = _claim(
    "wu2022.prop3_4.branch2",
    "μ₁-alignment, any B (incl. B = 1): stable minima satisfy ‖H‖_F ≤ 2B/(μ₁η)",
    r"Under the setting of Theorem 3.3 with $\mu_1(\theta)\ge\mu_1>0$ and any $B\ge1$: if "
    r"$\theta^*$ is linearly stable, $\|H(\theta^*)\|_F\le2B/(\mu_1\eta)$.",
    branch2,
    "2B/(μ₁η)",
    HYPOTHESES,
    _sym_branch2,
)

CLAIMS = [MIN, BRANCH1, BRANCH2]
