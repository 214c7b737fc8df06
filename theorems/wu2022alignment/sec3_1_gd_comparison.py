r"""Wu, Wang & Su (2022), §3.1 after Theorem 3.3: the flatness bound that GD's stability gives.

Setting
-------
Linearized model (5) at a global minimum, :math:`H=G=\frac1n\sum_ig_ig_i^T\in\mathbb{R}^{p\times p}`
(p = model size), full-batch GD :math:`\theta_{t+1}=\theta_t-\eta H\theta_t`.  Linear
stability of GD (Definition 3.1 with no noise) is decided exactly by the moment engine
(sampling ``gd``: :math:`\rho(\mathcal T_\eta)\le1`, equivalently :math:`\lambda_1(H)\le2/\eta`).

Statement
---------
If :math:`\theta^*` is linearly stable for GD, then :math:`\lambda_1(H)\le2/\eta` and hence
:math:`\|H(\theta^*)\|_F\le2\sqrt p/\eta`, a bound that grows with the model size
(contrast: Theorem 3.3 gives :math:`\sqrt{B/\mu_0}/\eta` for SGD).

Evidence
--------
Tightness: attained when :math:`H` is a multiple of :math:`I_p` at :math:`\eta=2/\lambda_1`, e.g.
:math:`Q=I_p` (n = p orthonormal gradients): :math:`\eta^*\|H\|_F=2p\cdot p^{-1/2}=2\sqrt p`.
The ratio :math:`\eta\|H\|_F/(2\sqrt p)=\frac{\eta\lambda_1}{2}\cdot\frac{\|H\|_F}{\lambda_1\sqrt p}`
is at most :math:`\sqrt{\operatorname{rank}H/p}`, so over-parameterized minima
(:math:`\operatorname{rank}H\le n\ll p`) sit far below it.

* ``exact``: seeded gradient families with p, n = 1..8 and η from :math:`0.05\cdot2/\lambda_1`
  to :math:`2/\lambda_1`, plus :math:`Q=I_p` at :math:`\eta=2/\lambda_1` (ratio 1); GD
  stability from the moment engine.
* ``property``: Hypothesis over gradient families and :math:`\eta\lambda_1/2`.
* ``symbolic`` (the argument after Theorem 3.3): one GD step multiplies the eigencomponent j of
  the loss by :math:`(1-\eta\lambda_j)^2`, and :math:`1-(1-\eta\lambda)^2=\eta\lambda(2-\eta\lambda)`, so
  stability is :math:`\lambda_1\le2/\eta`; then for p = 3 with :math:`\lambda_1=2/(\eta(1+u))`,
  :math:`\lambda_j=\lambda_1/(1+v_j)` (u, v ≥ 0: every admissible spectrum),
  :math:`4p/\eta^2-\sum_j\lambda_j^2\ge0`; and the equality case
  :math:`H=\lambda I_p`, :math:`\eta=2/\lambda`: :math:`\eta\|H\|_F=2\sqrt p` for symbolic p.

References
----------
[wu2022alignment, Section 3.1, the paragraph after Theorem 3.3].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import INT, REAL, array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.strategies import FAMILIES, gradient_families, random_gradients

from . import KEY
from ._linear import NONZERO, POSITIVE_ETA, facts, is_stable

SOURCE = Source(KEY, "Section 3.1 (after Theorem 3.3)")


def _gd(Q: np.ndarray, u: float) -> dict[str, Any]:
    inst = {"Q": np.asarray(Q, float), "B": int(np.shape(Q)[1]), "sampling": "gd"}
    return {**inst, "eta": u * facts(inst)["crit"]}


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|H\|_F` versus :math:`2\sqrt p/\eta`."""
    p = inst["Q"].shape[0]
    return Comparison(facts(inst)["fro"], 2.0 * math.sqrt(p) / inst["eta"], "<=", "‖H‖_F", "2√p/η")


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p, n = int(rng.integers(1, 9)), int(rng.integers(1, 9))
        Q = random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])
        if not np.any(Q):
            Q[0, 0] = 1.0
        out.append(_gd(Q, [1.0, rng.uniform(0.9, 1.0), rng.uniform(0.05, 1.0)][i % 3]))
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_families())
    u = draw(st.floats(0.05, 1.0))
    if not np.any(Q):
        return {"Q": Q, "B": Q.shape[1], "sampling": "gd", "eta": u}
    return _gd(Q, u)


def _symbolic() -> list[Any]:
    """GD stability ⇔ λ₁ ≤ 2/η, then ‖H‖_F² ≤ pλ₁² ≤ 4p/η², and the equality case H = λI_p."""
    import sympy as sp

    eta, lam, p = sp.symbols("eta lambda p", positive=True)
    u, v2, v3 = sp.symbols("u v2 v3", nonnegative=True)
    th = sp.symbols("theta1:4", real=True)
    ls = sp.symbols("l1:4", nonnegative=True)
    H = sp.diag(*ls)
    t = sp.Matrix(th)
    J = sp.eye(3) - eta * H
    step = ((J * t).T * H * (J * t))[0] / 2
    lam1 = 2 / (eta * (1 + u))
    spectrum = [lam1, lam1 / (1 + v2), lam1 / (1 + v3)]
    return [
        Identity(
            step,
            sum(li * (1 - eta * li) ** 2 * x**2 for li, x in zip(ls, th, strict=True)) / 2,
            "L((I − ηH)θ), H diagonal",
        ),
        Identity(1 - (1 - eta * lam) ** 2, eta * lam * (2 - eta * lam), "1 − (1 − ηλ)² = ηλ(2 − ηλ)"),
        Nonnegative(
            sp.together(4 * 3 / eta**2 - sum(x**2 for x in spectrum)),
            "p = 3: 4p/η² − Σλ_j² ≥ 0 when λ_j ≤ λ₁ ≤ 2/η",
        ),
        Identity(sp.sqrt(p * lam**2) * 2 / lam, 2 * sp.sqrt(p), "H = λI_p, η = 2/λ: η‖H‖_F = 2√p (equality)"),
    ]


CLAIM = Claim(
    id="wu2022.sec3_1.gd_comparison",
    aliases=("wu2022.gd_comparison",),
    title="GD-stable minima satisfy only ‖H‖_F ≤ 2√p/η (size-dependent)",
    source=SOURCE,
    statement=(
        r"For the linearized model at a global minimum and full-batch GD with learning rate "
        r"$\eta$: if $\theta^*$ is linearly stable then $\lambda_1(H)\le2/\eta$, hence "
        r"$\|H(\theta^*)\|_F\le2\sqrt p/\eta$ with $p$ the number of parameters."
    ),
    hypotheses=(
        NONZERO,
        POSITIVE_ETA,
        Hypothesis("θ* linearly stable for GD: ρ(T_η) ≤ 1 (exact)", is_stable),
    ),
    conclusion=conclusion,
    inputs={"Q": array(2), "B": INT, "eta": REAL},
    checks=(
        ExactCheck("exact", _generate, fixed=[_gd(np.eye(p), 1.0) for p in (1, 2, 5)]),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic),
    ),
)
