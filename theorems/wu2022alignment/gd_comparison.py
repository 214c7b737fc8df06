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

Tightness
---------
Attained when :math:`H` is a multiple of :math:`I_p` at :math:`\eta=2/\lambda_1`, e.g.
:math:`Q=I_p` (n = p orthonormal gradients): :math:`\eta^*\|H\|_F=2p\cdot p^{-1/2}=2\sqrt p`.
The ratio :math:`\eta\|H\|_F/(2\sqrt p)=\frac{\eta\lambda_1}{2}\cdot\frac{\|H\|_F}{\lambda_1\sqrt p}`
is at most :math:`\sqrt{\operatorname{rank}H/p}`, so over-parameterized minima
(:math:`\operatorname{rank}H\le n\ll p`) sit far below it.

Evidence
--------
* ``exact``: seeded gradient families with p, n = 1..8 and η from :math:`0.05\cdot2/\lambda_1`
  to :math:`2/\lambda_1`, plus :math:`Q=I_p` at :math:`\eta=2/\lambda_1` (ratio 1); GD
  stability from the moment engine.
* ``property``: Hypothesis over gradient families and :math:`\eta\lambda_1/2`.

References
----------
[wu2022alignment, §3.1, the paragraph after Theorem 3.3].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, Tolerance
from verifythm.strategies import FAMILIES, gradient_families, random_gradients

from ._linear import NONZERO, POSITIVE_ETA, facts, is_stable

SOURCE = Source("wu2022alignment", "Section 3.1 (after Theorem 3.3)")


def _gd(Q: np.ndarray, u: float) -> dict[str, Any]:
    inst = {"Q": np.asarray(Q, float), "B": int(np.shape(Q)[1]), "sampling": "gd"}
    return {**inst, "eta": u * facts(inst)["crit"]}


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|H\|_F` versus :math:`2\sqrt p/\eta`."""
    p = np.shape(inst["Q"])[0]
    return Comparison(facts(inst)["fro"], 2.0 * math.sqrt(p) / float(inst["eta"]), "<=", "‖H‖_F", "2√p/η")


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


CLAIM = Claim(
    id="wu2022.gd_comparison",
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
    checks=(
        ExactCheck("exact", _generate, fixed=[_gd(np.eye(p), 1.0) for p in (1, 2, 5)]),
        PropertyCheck("property", _strategy(), max_examples=60),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-12),
)
