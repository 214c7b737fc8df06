r"""Wu, Wang & Su (2022), §3.3 "The direction structure": geometry-aware versus isotropic noise.

Setting
-------
Linearized model :math:`L(\theta)=\frac12\theta^TH\theta`, :math:`H\in\mathbb{R}^{p\times p}` PSD
(p = model size), general SGD :math:`\theta_{t+1}=\theta_t-\eta(H\theta_t+\xi_t)` with
:math:`\mathbb{E}[\xi_t\mid\theta_t]=0`, :math:`\mathbb{E}[\xi_t\xi_t^T\mid\theta_t]=S(\theta_t)/B`,
for two (unrealistic) noises of equal total variance:

* geometry-aware: :math:`S_1(\theta)=2L(\theta)H`;
* isotropic: :math:`S_2(\theta)=2\sigma^2L(\theta)I_p`, :math:`\sigma^2=\operatorname{Tr}(H)/p`.

Linear stability (Definition 3.1, :math:`\sup_t\mathbb{E}[L(\theta_t)]<\infty` for every
start) is decided exactly.  In an eigenbasis of H (eigenvalues :math:`\lambda_j>0` on
:math:`\operatorname{range}H`), the diagonal :math:`w_j=\mathbb{E}[(e_j^T\theta_t)^2]` evolves
by :math:`w\mapsto Mw`, :math:`M=\operatorname{diag}((1-\eta\lambda_j)^2)+\frac{\eta^2}{B}
\nu\lambda^T` with :math:`\nu=\lambda` (aware) or :math:`\nu=\sigma^2\mathbf 1`
(isotropic; the flat directions receive noise but never feed back into the loss), and
:math:`\mathbb{E}[L]=\frac12\lambda^Tw`.  M is entrywise positive, so stability is
:math:`\rho(M)\le1` (simple Perron root).

Statement
---------
* ``wu2022.sec3_3.aware``: if :math:`\theta^*` is linearly stable under :math:`S_1`,
  then :math:`\|H\|_F\le\sqrt B/\eta` (independent of p; Theorem 3.3 with μ ≡ 1).
* ``wu2022.sec3_3.isotropic``: if it is linearly stable under :math:`S_2`, then
  :math:`\operatorname{Tr}(H)\le\sqrt{pB}/\eta` (depends on p).
* ``wu2022.sec3_3.equal_variance``: :math:`\operatorname{Tr}S_1(\theta)=\operatorname{Tr}
  S_2(\theta)` for every θ (the fair-comparison choice of :math:`\sigma^2`).

Evidence
--------
Tightness:
Both bounds are attained by :math:`H=\lambda I_p` with :math:`p=B` at :math:`\eta=1/\lambda`
(the full-batch factor vanishes): e.g. p = B = 1, or p = B = 3.

* ``exact``: seeded PSD H (any rank, p ≤ 6), B ≤ 4, η from :math:`0.05\eta^*` to
  :math:`(1-10^{-9})\eta^*` where the critical :math:`\eta^*` (:math:`\rho(M_\eta)=1`) is
  found by bisection, plus the attaining instances; stability from :math:`\rho(M)`.
* ``property``: Hypothesis over H, B and :math:`\eta/\eta^*`.
* ``symbolic`` (the §3.3 chain, "analogous to Theorem 3.3"): for a symbolic 2 × 2 H, θ, η, B and
  noise of covariance :math:`S_k(\theta)/B` (expectation from the first two moments only),
  :math:`\mathbb{E}[L(\theta^+)]=L((I-\eta H)\theta)+\frac{\eta^2}{2B}\operatorname{Tr}(HS_k)` with
  :math:`\frac{\eta^2}{2B}\operatorname{Tr}(HS_1)=\frac{\eta^2}{B}\|H\|_F^2L` and
  :math:`\frac{\eta^2}{2B}\operatorname{Tr}(HS_2)=\frac{\eta^2}{pB}(\operatorname{Tr}H)^2L`; the growth
  factors equal 1 exactly at :math:`\|H\|_F=\sqrt B/\eta` and :math:`\operatorname{Tr}H=\sqrt{pB}/\eta`
  (symbolic p); and :math:`\operatorname{Tr}S_1=\operatorname{Tr}S_2` for p = 2, 3.

References
----------
[wu2022alignment, Section 3.3 "The direction structure"].
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
from verifythm.claims.common import nonzero, psd
from verifythm.claims.inputs import INT, REAL, array
from verifythm.evidence.symbolic import Identity, expect_quadratic
from verifythm.strategies import psd_matrices, random_psd
from verifythm.strategies.scalars import reals

from . import KEY

SOURCE = Source(KEY, "Section 3.3")
INPUTS = {"H": array(2), "B": INT, "eta": REAL, "theta": array(1)}


def _spectrum(H: np.ndarray) -> np.ndarray:
    lam = np.linalg.eigvalsh(np.asarray(H, float))
    return lam[lam > 1e-12 * max(float(lam[-1]), 0.0)]


def diagonal_operator(H: np.ndarray, B: int, eta: float, noise: str) -> np.ndarray:
    r"""The matrix M of the diagonal second-moment dynamics on :math:`\operatorname{range}H`."""
    lam = _spectrum(H)
    p = np.shape(H)[0]
    nu = lam if noise == "aware" else np.full_like(lam, float(np.sum(lam)) / p)
    return np.diag((1 - eta * lam) ** 2) + (eta**2 / B) * np.outer(nu, lam)


def radius(H: np.ndarray, B: int, eta: float, noise: str) -> float:
    r""":math:`\rho(M_\eta)`."""
    return float(np.max(np.abs(np.linalg.eigvals(diagonal_operator(H, B, eta, noise)))))


def critical(H: np.ndarray, B: int, noise: str) -> float:
    r"""The largest η with :math:`\rho(M_\eta)\le1` below :math:`2/\lambda_1` (bisection)."""
    lo, hi = 0.0, 2.0 / float(_spectrum(H)[-1])
    for _ in range(64):
        mid = (lo + hi) / 2
        if radius(H, B, mid, noise) <= 1.0:
            lo = mid
        else:
            hi = mid
    return lo


def _stable(noise: str) -> Hypothesis:
    return Hypothesis(
        f"θ* linearly stable under the {noise} noise: ρ(M_η) ≤ 1 (exact)",
        lambda inst: radius(inst["H"], inst["B"], inst["eta"], noise) <= 1.0,
    )


def aware_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|H\|_F` versus :math:`\sqrt B/\eta`."""
    return Comparison(
        float(np.linalg.norm(inst["H"])),
        math.sqrt(inst["B"]) / inst["eta"],
        "<=",
        "‖H‖_F",
        "√B/η",
    )


def isotropic_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\operatorname{Tr}H` versus :math:`\sqrt{pB}/\eta`."""
    p = inst["H"].shape[0]
    rhs = math.sqrt(p * inst["B"]) / inst["eta"]
    return Comparison(float(np.trace(inst["H"])), rhs, "<=", "Tr H", "√(pB)/η")


def variance_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\operatorname{Tr}S_1(\theta)` versus :math:`\operatorname{Tr}S_2(\theta)`."""
    H, th = inst["H"], inst["theta"]
    p = H.shape[0]
    L = 0.5 * float(th @ H @ th)
    s1 = 2 * L * float(np.trace(H))
    s2 = 2 * (float(np.trace(H)) / p) * L * p
    return Comparison(s1, s2, "==", "Tr S₁(θ)", "Tr S₂(θ)")


def _generator(noise: str) -> Any:
    def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(k):
            p = int(rng.integers(1, 7))
            H = random_psd(rng, p, rank=int(rng.integers(1, p + 1)))
            B = int(rng.integers(1, 5))
            u = [1.0 - 1e-9, rng.uniform(0.9, 1.0), rng.uniform(0.05, 1.0)][i % 3]
            out.append({"H": H, "B": B, "eta": u * critical(H, B, noise), "theta": rng.standard_normal(p)})
        return out

    return generate


def _strategy(noise: str) -> Any:
    @st.composite
    def strategy(draw: Any) -> dict[str, Any]:
        H = draw(psd_matrices(st.integers(1, 5)))
        B = draw(st.integers(1, 4))
        u = draw(st.floats(0.05, 1.0 - 1e-9))
        p = H.shape[0]
        th = np.array(draw(st.lists(reals(-3, 3), min_size=p, max_size=p)), dtype=float)
        return {"H": H, "B": B, "eta": u * critical(H, B, noise), "theta": th}

    return strategy()


def _tight(p: int, lam: float = 2.0) -> dict[str, Any]:
    return {"H": lam * np.eye(p), "B": p, "eta": 1.0 / lam, "theta": np.ones(p)}


FIXED = [_tight(1), _tight(3, 0.5), {"H": np.diag([3.0, 1.0, 0.0]), "B": 2, "eta": 0.2, "theta": np.ones(3)}]
BASE = (
    psd("H"),
    nonzero("H"),
    Hypothesis("η > 0, B ≥ 1", lambda i: i["eta"] > 0 and i["B"] >= 1),
)


def _symbolic(noise: str) -> Any:
    def build() -> list[Any]:
        """The §3.3 chain for one noise: one-step expectation, noise term, threshold."""
        import sympy as sp

        from . import _sym3

        h11, h12, h22 = sp.symbols("h11 h12 h22", real=True)
        eta, B, F, T, P = sp.symbols("eta B F T p", positive=True)
        t1, t2, x1, x2 = sp.symbols("theta1 theta2 xi1 xi2", real=True)
        H = sp.Matrix([[h11, h12], [h12, h22]])
        th, xi = sp.Matrix([t1, t2]), sp.Matrix([x1, x2])
        L = lambda v: (v.T * H * v)[0] / 2  # noqa: E731
        p = 2
        S = 2 * L(th) * H if noise == "aware" else 2 * (H.trace() / p) * L(th) * sp.eye(p)
        ev = expect_quadratic(L(th - eta * (H * th + xi)), [x1, x2], [0, 0], S / B)
        gd = L((sp.eye(2) - eta * H) * th)
        if noise == "aware":
            term = eta**2 / B * sum(x**2 for x in H) * L(th)
            thr = _sym3.threshold(eta**2 / B, F, sp.sqrt(B) / eta, "η²‖H‖_F²/B ≤ 1 ⇔ ‖H‖_F ≤ √B/η")
        else:
            term = eta**2 / (p * B) * H.trace() ** 2 * L(th)
            thr = _sym3.threshold(
                eta**2 / (P * B), T, sp.sqrt(P * B) / eta, "η²(Tr H)²/(pB) ≤ 1 ⇔ Tr H ≤ √(pB)/η"
            )
        return [
            Identity(ev, gd + term, f"E[L(θ⁺)] = L((I − ηH)θ) + η²Tr(HS)/(2B), S = S_{noise}, p = 2"),
            thr,
        ]

    return build


def _sym_variance() -> list[Any]:
    """Tr(2L(θ)H) = Tr(2σ²L(θ)I_p) with σ² = Tr(H)/p, for symbolic H and θ, p = 2, 3."""
    import sympy as sp

    out = []
    for p in (2, 3):
        H = sp.Matrix(p, p, lambda i, j: sp.Symbol(f"h{min(i, j)}{max(i, j)}", real=True))
        th = sp.Matrix(sp.symbols(f"theta1:{p + 1}", real=True))
        L = (th.T * H * th)[0] / 2
        out.append(
            Identity(
                (2 * L * H).trace(), (2 * H.trace() / p * L * sp.eye(p)).trace(), f"Tr S₁ = Tr S₂, p = {p}"
            )
        )
    return out


def _stability_claim(noise: str, conclusion: Any, **fields: Any) -> Claim:
    """Linear stability under the ``noise`` model implies the conclusion (same evidence for both noises)."""
    return Claim(
        **fields,
        source=SOURCE,
        hypotheses=(*BASE, _stable(noise)),
        conclusion=conclusion,
        checks=(
            ExactCheck("exact", _generator(noise), fixed=FIXED),
            PropertyCheck("property", _strategy(noise), max_examples=80),
            SymbolicCheck("symbolic", _symbolic(noise)),
        ),
        tolerance=Tolerance(rtol=1e-8, atol=1e-300),
        inputs=INPUTS,
    )


AWARE = _stability_claim(
    "aware",
    aware_conclusion,
    id="wu2022.sec3_3.aware",
    aliases=("wu2022.section3_3.aware",),
    title="Geometry-aware noise S₁ = 2L(θ)H: stable minima satisfy ‖H‖_F ≤ √B/η (size-independent)",
    statement=(
        r"For the linearized model and SGD noise with $\mathbb{E}[\xi\xi^T\mid\theta]=2L(\theta)H/B$: "
        r"if $\theta^*$ is linearly stable then $\|H\|_F\le\sqrt B/\eta$."
    ),
)
ISOTROPIC = _stability_claim(
    "isotropic",
    isotropic_conclusion,
    id="wu2022.sec3_3.isotropic",
    aliases=("wu2022.section3_3.isotropic",),
    title="Isotropic noise S₂ = 2σ²L(θ)I, σ² = Tr(H)/p: stable minima satisfy Tr H ≤ √(pB)/η",
    statement=(
        r"For the linearized model and SGD noise with $\mathbb{E}[\xi\xi^T\mid\theta]=2\sigma^2L(\theta)"
        r"I_p/B$, $\sigma^2=\operatorname{Tr}(H)/p$: if $\theta^*$ is linearly stable then "
        r"$\operatorname{Tr}H\le\sqrt{pB}/\eta$."
    ),
)
EQUAL_VARIANCE = Claim(
    id="wu2022.sec3_3.equal_variance",
    aliases=("wu2022.section3_3.equal_variance",),
    title="With σ² = Tr(H)/p the two noises have the same total variance, Tr S₁(θ) = Tr S₂(θ)",
    source=SOURCE,
    statement=(
        r"With $\sigma^2=\operatorname{Tr}(H)/p$, $\operatorname{Tr}(2L(\theta)H)="
        r"\operatorname{Tr}(2\sigma^2L(\theta)I_p)$ for every θ."
    ),
    hypotheses=(psd("H"),),
    conclusion=variance_conclusion,
    checks=(
        ExactCheck("exact", _generator("aware"), fixed=FIXED),
        PropertyCheck("property", _strategy("aware"), max_examples=40),
        SymbolicCheck("symbolic", _sym_variance),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-300),
    kind="identity",
    inputs=INPUTS,
)

CLAIMS = [AWARE, ISOTROPIC, EQUAL_VARIANCE]
