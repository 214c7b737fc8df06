r"""Wu, Wang & Su (2022), Lemma G.2: the gradient factor :math:`r(\theta)` lies in [0, 1].

Setting
-------
Linearized model at a minimum: :math:`L(\theta)=\frac12\theta^TH\theta` with
:math:`H` symmetric PSD, :math:`H\ne0`, learning rate η.  For :math:`\theta^TH\theta>0`,

.. math:: r(\theta) = 1 - 2\eta\,\frac{\theta^TH^2\theta}{\theta^TH\theta}
                      + \eta^2\,\frac{\theta^TH^3\theta}{\theta^TH\theta},

the factor by which one full-batch gradient step multiplies the loss (Lemma 3.2).

Statement
---------
(1) :math:`\inf_\theta r(\theta)\ge 0`, shown through the identity
:math:`r(\theta)=\|\eta Hu-u\|^2` with :math:`u=H^{1/2}\theta/\|H^{1/2}\theta\|`.
(2) :math:`\sup_\theta r(\theta)\le 1` if :math:`\eta\le 2/\lambda_1(H)`.

Part (1) has no condition on η and is encoded for every real η.  In part (2) η is
a learning rate, so :math:`\eta>0` is the paper's standing assumption and is encoded
as a hypothesis (for :math:`\eta<0`, :math:`\sup_\theta r=(1-\eta\lambda_1)^2>1`).

Evidence
--------
* ``symbolic``: for a symbolic symmetric :math:`M` (playing :math:`H^{1/2}`) and
  :math:`H=M^2`, :math:`r(\theta)\,\theta^TH\theta = \|(\eta H - I)M\theta\|^2`
  identically; and :math:`1-(1-\eta\lambda)^2 = \eta\lambda(2-\eta\lambda)\ge0` for
  :math:`0\le\eta\lambda\le2`.
* ``exact``: :math:`\inf_\theta r` and :math:`\sup_\theta r` computed exactly as
  :math:`\min/\max_{\lambda_j>0}(1-\eta\lambda_j)^2`; η drawn around :math:`2/\lambda_1`
  including the boundary.
* ``property``: Hypothesis over PSD matrices, η and (for the identity) θ.

References
----------
[wu2022alignment, Lemma G.2, Eq. (23)].
"""

from __future__ import annotations

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
from verifythm.claims.common import nonzero, psd
from verifythm.claims.inputs import REAL, array
from verifythm.linalg.precise import eigvalsh_mp
from verifythm.linalg.psd import psd_sqrt, quad
from verifythm.quantities.rayleigh import ratio, ratio_extremes
from verifythm.strategies import psd_matrices, random_psd
from verifythm.strategies.scalars import reals

from . import KEY

SOURCE = Source(KEY, "Lemma G.2")
INPUTS = {"H": array(2), "eta": REAL, "theta": array(1)}


def r_coeffs(eta: float) -> list[float]:
    """Coefficients of p(λ) = λ − 2ηλ² + η²λ³ so that r(θ) = θᵀp(H)θ / θᵀHθ."""
    return [0.0, 1.0, -2.0 * eta, eta * eta]


def _lam1(inst: dict[str, Any]) -> float:
    return float(np.linalg.eigvalsh(inst["H"])[-1])


def r_scale(H: np.ndarray, eta: float) -> float:
    """Size of the terms of r(θ): (1 + |η|λ₁)², the scale for tolerances and relative slack."""
    return (1.0 + abs(eta) * float(np.linalg.eigvalsh(H)[-1])) ** 2


def _r_extremes_mp(inst: dict[str, Any]) -> tuple[float, float]:
    import mpmath

    eta = mpmath.mpf(inst["eta"])
    lam = eigvalsh_mp(inst["H"])
    top = max(abs(x) for x in lam)
    vals = [(1 - eta * x) ** 2 for x in lam if x > mpmath.mpf(10) ** -40 * top]
    return float(min(vals)), float(max(vals))


# -- part (1) ---------------------------------------------------------------------------
def inf_conclusion(inst: dict[str, Any]) -> Comparison:
    """``inf_θ r(θ)`` (exact) versus 0."""
    lo, _ = ratio_extremes(inst["H"], r_coeffs(inst["eta"]))
    return Comparison(lo, 0.0, ">=", "inf_θ r(θ)", "0", scale=r_scale(inst["H"], inst["eta"]))


def _eta_generate(rng: np.random.Generator, k: int, *, allow_negative: bool) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 7))
        H = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        lam1 = float(np.linalg.eigvalsh(H)[-1])
        c = [1.0, 0.5, rng.uniform(0.0, 1.0), rng.uniform(0.9, 1.0), rng.uniform(1.0, 1.5)][i % 5]
        eta = 2.0 * c / lam1
        if allow_negative and i % 7 == 0:
            eta = -eta
        out.append({"H": H, "eta": eta})
    return out


_eta_strategy = st.floats(min_value=-5.0, max_value=5.0, allow_nan=False)


@st.composite
def _h_eta(draw: Any, *, scaled: bool) -> dict[str, Any]:
    H = draw(psd_matrices())
    lam1 = float(np.linalg.eigvalsh(H)[-1]) if H.size else 1.0
    if scaled and lam1 > 0:
        eta = 2.0 * draw(st.floats(min_value=1e-3, max_value=1.2)) / lam1
    else:
        eta = draw(_eta_strategy)
    return {"H": H, "eta": eta}


def _symbolic_identity() -> list[Any]:
    import sympy as sp

    m11, m12, m22, eta = sp.symbols("m11 m12 m22 eta", real=True)
    t1, t2 = sp.symbols("theta1 theta2", real=True)
    M = sp.Matrix([[m11, m12], [m12, m22]])
    H = M * M
    t = sp.Matrix([t1, t2])
    q = lambda k: (t.T * H**k * t)[0]  # noqa: E731
    r_times_q1 = q(1) - 2 * eta * q(2) + eta**2 * q(3)
    w = (eta * H - sp.eye(2)) * M * t
    return [Identity(r_times_q1, (w.T * w)[0], "r(θ)·θᵀHθ = ‖(ηH − I)H^{1/2}θ‖²")]


def _symbolic_part2() -> list[Any]:
    import sympy as sp

    x = sp.Symbol("x", nonnegative=True)  # x = ηλ_j ∈ [0, 2]; write x = 2y/(1+y)
    y = sp.Symbol("y", nonnegative=True)
    one_minus = sp.simplify((1 - (1 - x) ** 2).subs(x, 2 * y / (1 + y)))
    return [
        Identity(1 - (1 - x) ** 2, x * (2 - x), "1 − (1 − ηλ)² = ηλ(2 − ηλ)"),
        Nonnegative(one_minus, "1 − (1 − ηλ)² ≥ 0 on 0 ≤ ηλ ≤ 2 (ηλ = 2y/(1+y), y ≥ 0)"),
    ]


PART1 = Claim(
    id="wu2022.lemma_g2.part1",
    title="r(θ) ≥ 0 for every θ (any η)",
    source=SOURCE,
    statement=(
        r"For symmetric PSD $H\ne0$ and any real $\eta$, "
        r"$\inf_{\theta:\,\theta^TH\theta>0} r(\theta) \ge 0$ where "
        r"$r(\theta)=1-2\eta\,\theta^TH^2\theta/\theta^TH\theta+\eta^2\,\theta^TH^3\theta/\theta^TH\theta$."
    ),
    hypotheses=(psd("H"), nonzero("H")),
    conclusion=inf_conclusion,
    inputs=INPUTS,
    precise_conclusion=lambda inst: Comparison(
        _r_extremes_mp(inst)[0], 0.0, ">=", scale=r_scale(inst["H"], inst["eta"])
    ),
    checks=(
        ExactCheck("exact", lambda rng, k: _eta_generate(rng, k, allow_negative=True)),
        PropertyCheck("property", _h_eta(scaled=False)),
    ),
)


# -- the identity r(θ) = ‖ηHu − u‖² ------------------------------------------------------
def identity_conclusion(inst: dict[str, Any]) -> Comparison:
    """r(θ) by its definition versus ‖ηHu − u‖² with u = H^{1/2}θ/‖H^{1/2}θ‖."""
    H, eta, theta = inst["H"], inst["eta"], inst["theta"]
    theta = theta / np.max(np.abs(theta))  # both sides are invariant under θ ↦ cθ
    r = ratio(H, theta, r_coeffs(eta))
    u = psd_sqrt(H) @ theta
    u = u / np.linalg.norm(u)
    w = eta * (H @ u) - u
    return Comparison(r, float(w @ w), "==", "r(θ)", "‖ηHu − u‖²", scale=r_scale(H, eta))


@st.composite
def _h_eta_theta(draw: Any) -> dict[str, Any]:
    inst = draw(_h_eta(scaled=False))
    d = inst["H"].shape[0]
    inst["theta"] = np.array(draw(st.lists(reals(-3, 3), min_size=d, max_size=d)))
    return inst


def _identity_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    insts = _eta_generate(rng, k, allow_negative=True)
    for inst in insts:
        inst["theta"] = rng.standard_normal(inst["H"].shape[0])
    return insts


def _theta_in_range(inst: dict[str, Any]) -> bool:
    H, t = inst["H"], inst["theta"]
    return quad(H, t, 1) > 1e-8 * float(np.linalg.norm(H, 2)) * float(t @ t)


IDENTITY = Claim(
    id="wu2022.lemma_g2.identity",
    title="r(θ) = ‖ηHu − u‖² with u = H^{1/2}θ / ‖H^{1/2}θ‖",
    source=Source(KEY, "Lemma G.2 (proof of part 1)"),
    statement=(
        r"For symmetric PSD $H$, real $\eta$ and $\theta$ with $\theta^TH\theta>0$, "
        r"$r(\theta)=\|\eta Hu-u\|^2$ where $u=H^{1/2}\theta/\|H^{1/2}\theta\|$."
    ),
    hypotheses=(psd("H"), Hypothesis("θᵀHθ > 0 (relative 1e-8)", _theta_in_range)),
    conclusion=identity_conclusion,
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", _symbolic_identity),
        ExactCheck("exact", _identity_generate),
        PropertyCheck("property", _h_eta_theta()),
    ),
    tolerance=Tolerance(rtol=1e-7, atol=1e-9),
    kind="identity",
)


# -- part (2) ---------------------------------------------------------------------------
def sup_conclusion(inst: dict[str, Any]) -> Comparison:
    """``sup_θ r(θ)`` (exact) versus 1."""
    _, hi = ratio_extremes(inst["H"], r_coeffs(inst["eta"]))
    return Comparison(hi, 1.0, "<=", "sup_θ r(θ)", "1", scale=r_scale(inst["H"], inst["eta"]))


PART2 = Claim(
    id="wu2022.lemma_g2.part2",
    title="r(θ) ≤ 1 for every θ when 0 < η ≤ 2/λ₁(H)",
    source=SOURCE,
    statement=(
        r"For symmetric PSD $H\ne0$ and a learning rate $0<\eta\le 2/\lambda_1(H)$, "
        r"$\sup_{\theta:\,\theta^TH\theta>0} r(\theta)\le 1$."
    ),
    hypotheses=(
        psd("H"),
        nonzero("H"),
        Hypothesis("η > 0 (learning rate)", lambda inst: inst["eta"] > 0),
        Hypothesis("η ≤ 2/λ₁(H)", lambda inst: inst["eta"] <= 2.0 / _lam1(inst)),
    ),
    conclusion=sup_conclusion,
    inputs=INPUTS,
    precise_conclusion=lambda inst: Comparison(
        _r_extremes_mp(inst)[1], 1.0, "<=", scale=r_scale(inst["H"], inst["eta"])
    ),
    checks=(
        SymbolicCheck("symbolic", _symbolic_part2),
        ExactCheck("exact", lambda rng, k: _eta_generate(rng, k, allow_negative=False)),
        PropertyCheck("property", _h_eta(scaled=True)),
    ),
)

CLAIMS = [PART1, IDENTITY, PART2]
