r"""Wu, Wang & Su (2022), Theorem 3.5: SGD escapes too-sharp minima exponentially fast.

Setting
-------
As in Theorem 3.3 (``wu2022.thm3_3``): linearized model at a global minimum, :math:`H=G`,
linearized SGD with B indices drawn with replacement (:math:`\mathbb{E}[\xi\xi^T]=\Sigma/B`),
:math:`\mu_0=\inf_\theta\mu(\theta)>0` (exact), a deterministic start :math:`\theta_0` with
:math:`L(\theta_0)>0`.  :math:`\mathbb{E}[L(\theta_t)]` is computed exactly by the moment
engine (:func:`verifythm.dynamics.moment_trajectory`; :math:`\mathbb{E}[L]=\frac12
\operatorname{tr}(HW_t)`).

Statement
---------
If :math:`\|H(\theta^*)\|_F>\sqrt{B/\mu_0}/\eta`, then for every :math:`t\ge0`,
:math:`\mathbb{E}[L(\theta_t)]\ge\gamma_0^t\,\mathbb{E}[L(\theta_0)]` with
:math:`\gamma_0=\eta^2\mu_0\|H\|_F^2/B>1`.  Encoded as
:math:`\min_{1\le t\le T}\mathbb{E}[L(\theta_t)]/(\gamma_0^tL(\theta_0))\ge1` with
:math:`T=25` (t = 0 is an identity).  Consequence (``wu2022.thm3_5.rate``): the exact
exponential escape rate, the spectral radius :math:`\rho(\mathcal T_\eta)` of the
second-moment operator, is at least :math:`\gamma_0`.

Evidence
--------
Tightness:
Two orthonormal gradients, B = 1: :math:`\mu\equiv1/2`, :math:`H=I/2`, and at η = 2 the
full-batch factor :math:`r(\theta)=(1-\eta/2)^2` vanishes, so
:math:`\mathbb{E}[L(\theta_{t+1})]=\gamma_0\,\mathbb{E}[L(\theta_t)]` exactly and
:math:`\rho(\mathcal T_\eta)=\gamma_0`: both claims are attained (η just above 2).

* ``exact``: seeded gradient families, n = 2..6, B = 1..n, η from just above
  :math:`\sqrt{B/\mu_0}/\|H\|_F` to 3 times it, random :math:`\theta_0`; exact
  :math:`\mathbb{E}[L(\theta_t)]` for t ≤ 25 and exact :math:`\rho(\mathcal T_\eta)`.
* ``property``: Hypothesis over gradient families, B, the margin above the threshold
  and :math:`\theta_0`.
* ``symbolic`` (proof of Theorem 3.5 "from (9)"): the chain (7) → (9) by enumeration of
  with-replacement batches for symbolic :math:`g_1,g_2\in\mathbb{R}^2`, θ, η, B = 2 (as in
  ``wu2022.thm3_3``), which gives :math:`\mathbb{E}[L(\theta_{t+1})\mid\theta_t]\ge\gamma_0L(\theta_t)`;
  :math:`\gamma_0-1=\frac{\mu_0\eta^2}{B}(\|H\|_F-b)(\|H\|_F+b)`, :math:`b=\sqrt{B/\mu_0}/\eta`, so
  the hypothesis :math:`\|H\|_F>b` is exactly :math:`\gamma_0>1`; and the tightness case (two
  orthonormal gradients, B = 1): :math:`\mathbb{E}[L(\theta^+)]=((1-\eta/2)^2+\eta^2/4)L(\theta)` for
  every η, which is :math:`\gamma_0L(\theta)` at η = 2.

References
----------
[wu2022alignment, Theorem 3.5 and Eq. (9)].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import strategies as st

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
from verifythm.dynamics import moment_operator, moment_trajectory, spectral_radius
from verifythm.evidence.symbolic import Identity
from verifythm.strategies import FAMILIES, gradient_families, random_gradients
from verifythm.strategies.scalars import reals

from . import KEY, _sym3
from ._linear import MU0_POSITIVE, NONZERO, POSITIVE_ETA, facts, noise_model

SOURCE = Source(KEY, "Theorem 3.5")
STEPS = 25


def gamma0(inst: dict[str, Any]) -> float:
    r""":math:`\gamma_0=\eta^2\mu_0\|H\|_F^2/B`."""
    f = facts(inst)
    return float(inst["eta"]) ** 2 * f["mu0"] * f["fro"] ** 2 / int(inst["B"])


def _loss0(inst: dict[str, Any]) -> float:
    z = np.asarray(inst["Q"], float).T @ np.asarray(inst["theta0"], float)
    return 0.5 * float(z @ z) / z.shape[0]


def escape_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\min_{1\le t\le T}\mathbb{E}[L(\theta_t)]/(\gamma_0^tL(\theta_0))` versus 1."""
    Q = np.asarray(inst["Q"], float)
    op = moment_operator(gradients=Q.T, eta=float(inst["eta"]), batch_size=int(inst["B"]))
    traj = moment_trajectory(op, STEPS, z0=Q.T @ np.asarray(inst["theta0"], float))
    loss = np.asarray(traj.expected_loss)
    logs = np.log(loss[1:]) - np.arange(1, STEPS + 1) * math.log(gamma0(inst)) - math.log(loss[0])
    worst = float(np.min(logs))
    return Comparison(
        math.exp(min(worst, 700.0)), 1.0, ">=", "min_t E[L(θ_t)]/(γ₀ᵗ E[L(θ₀)])", "1", scale=1.0
    )


def rate_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\rho(\mathcal T_\eta)` versus :math:`\gamma_0`."""
    rho = spectral_radius(noise_model(inst), float(inst["eta"])).value
    return Comparison(rho, gamma0(inst), ">=", "ρ(T_η)", "γ₀ = η²μ₀‖H‖_F²/B")


def _sharp(inst: dict[str, Any]) -> bool:
    f = facts(inst)
    return f["mu0"] > 0 and f["fro"] > math.sqrt(int(inst["B"]) / f["mu0"]) / float(inst["eta"])


def _start(inst: dict[str, Any]) -> bool:
    L0 = _loss0(inst)
    scale = float(np.max(np.abs(inst["Q"]))) ** 2 * float(np.max(np.abs(inst["theta0"]))) ** 2
    return L0 > 1e-12 * scale


SHARP = Hypothesis("‖H‖_F > √(B/μ₀)/η (i.e. γ₀ > 1)", _sharp)
START = Hypothesis("L(θ₀) > 0", _start)


def _instance(Q: np.ndarray, B: int, u: float, theta0: np.ndarray) -> dict[str, Any]:
    inst: dict[str, Any] = {"Q": np.asarray(Q, float), "B": int(B), "theta0": np.asarray(theta0, float)}
    f = facts(inst)
    threshold = math.sqrt(B / f["mu0"]) / f["fro"] if f["mu0"] > 0 and f["fro"] > 0 else 1.0
    return {**inst, "eta": u * threshold}


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, p = int(rng.integers(2, 7)), int(rng.integers(1, 7))
        Q = random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])
        if not np.any(Q):
            Q[0, 0] = 1.0
        u = [1.0 + 1e-9, rng.uniform(1.0, 1.2), rng.uniform(1.0, 3.0)][i % 3]
        out.append(_instance(Q, int(rng.integers(1, n + 1)), u, rng.standard_normal(p)))
    return out


#: Two orthonormal gradients, B = 1, η just above 2: equality in every step.
FIXED = [
    _instance(np.eye(2), 1, 1.0 + 1e-9, np.array([1.0, 0.0])),
    _instance(np.eye(2), 1, 1.0 + 1e-9, np.array([0.3, -2.0])),
    _instance(np.eye(3), 2, 1.5, np.array([1.0, 1.0, 1.0])),
]


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_families(ns=st.integers(2, 6)))
    p, n = Q.shape
    B = draw(st.integers(1, n))
    u = draw(st.floats(1.0 + 1e-9, 3.0))
    theta0 = np.array(draw(st.lists(reals(-3, 3), min_size=p, max_size=p)), dtype=float)
    if not np.any(Q):
        return {"Q": Q, "B": B, "theta0": theta0, "eta": u}
    return _instance(Q, B, u, theta0)


HYPOTHESES = (NONZERO, POSITIVE_ETA, MU0_POSITIVE, SHARP)


def _symbolic() -> list[Any]:
    """Proof of Theorem 3.5 (Eq. (9) iterated), its threshold γ₀ > 1, and the attaining instance."""
    import sympy as sp

    F, mu0, eta, B = sp.symbols("F mu0 eta B", positive=True)
    obs = [
        *_sym3.eq7_to_9(2),
        _sym3.threshold(
            mu0 * eta**2 / B, F, sp.sqrt(B / mu0) / eta, "γ₀ = μ₀η²‖H‖_F²/B > 1 ⇔ ‖H‖_F > √(B/μ₀)/η"
        ),
    ]
    m, ev, L = _sym3.orthonormal_step(1)
    e = m["eta"]
    gamma0 = e**2 * sp.Rational(1, 2) * sp.Rational(1, 2) / 1  # η²μ₀‖H‖_F²/B with μ₀ = ‖H‖_F² = 1/2
    obs.append(
        Identity(ev, ((1 - e / 2) ** 2 + gamma0) * L, "orthonormal g₁, g₂, B = 1: E[L(θ⁺)] = (r + γ₀)L")
    )
    obs.append(Identity(ev.subs(e, 2), (gamma0 * L).subs(e, 2), "… = γ₀L(θ) exactly at η = 2 (tightness)"))
    return obs


ESCAPE = Claim(
    id="wu2022.thm3_5",
    title="Too-sharp minima: E[L(θ_t)] ≥ γ₀ᵗ E[L(θ₀)] with γ₀ = η²μ₀‖H‖_F²/B > 1",
    source=SOURCE,
    statement=(
        r"Under the setting of Theorem 3.3 (with-replacement batches, $\mu(\theta)\ge\mu_0>0$), if "
        r"$\|H(\theta^*)\|_F>\sqrt{B/\mu_0}/\eta$ then linearized SGD satisfies "
        r"$\mathbb{E}[L(\theta_t)]\ge\gamma_0^t\,\mathbb{E}[L(\theta_0)]$ for all $t\ge0$, "
        r"$\gamma_0=\eta^2\mu_0\|H(\theta^*)\|_F^2/B>1$."
    ),
    hypotheses=(*HYPOTHESES, START),
    conclusion=escape_conclusion,
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-7, atol=1e-9),
)

RATE = Claim(
    id="wu2022.thm3_5.rate",
    title="Too-sharp minima: the exact escape rate ρ(T_η) is at least γ₀",
    source=SOURCE,
    statement=(
        r"Under the hypotheses of Theorem 3.5, the spectral radius of the second-moment "
        r"operator of linearized SGD (the exponential rate of $\mathbb{E}[L(\theta_t)]$) "
        r"satisfies $\rho(\mathcal T_\eta)\ge\gamma_0=\eta^2\mu_0\|H\|_F^2/B>1$."
    ),
    hypotheses=HYPOTHESES,
    conclusion=rate_conclusion,
    checks=(
        ExactCheck("exact", _generate, fixed=FIXED),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=Tolerance(rtol=1e-8, atol=1e-12),
)

CLAIMS = [ESCAPE, RATE]
