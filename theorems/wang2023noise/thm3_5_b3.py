r"""Wang & Wu (2023), Theorem 3.5, App. B.3: the ratio step of the proof, as printed and corrected.

Setting
-------
As in ``wang2023.thm3_5``: :math:`f(x;\theta)=\sum_{k=1}^ma_k\phi(b_k^Tx)`, :math:`a_k\in\{\pm1\}` fixed,
:math:`\alpha\le\phi'\le\beta` (Assumption 3.4; here the α-leaky ReLU, :math:`\beta=1`), realizable targets
:math:`y_i=f(x_i;\theta^*)`, loss alignment :math:`\mu(\theta)` (Def. 3.1), and
:math:`c_i=\frac1n\sum_j(x_i^Tx_j)^2`; here for *any* data and θ (deterministic form).

Statement
---------
The proof (App. B.3) bounds :math:`(\nabla f_i^T\nabla f_j)^2` between :math:`(\alpha^2m\,x_i^Tx_j)^2` and
:math:`(\beta^2m\,x_i^Tx_j)^2` and concludes, as printed:

* ``wang2023.thm3_5.proof_step_lower``: :math:`\mu(\theta)\ge(\alpha^2/\beta^2)\min_ic_i/\max_ic_i`;
* ``wang2023.thm3_5.proof_step_upper``: :math:`\mu\le(\beta^2/\alpha^2)\max_ic_i/\min_ic_i`.

As proved
---------
The ratio of the two bounds is :math:`\alpha^4/\beta^4`, so the proof supports
``wang2023.thm3_5.as_proved_lower``/``_upper``: the same with :math:`\alpha^4/\beta^4` (any data, any θ).

Finding
-------
**Proof-gap** (both printed steps, expected to fail; same root as the erratum ``wang2023.thm3_5``): the
proof writes the ratio of :math:`(\alpha^2m\,x_i^Tx_j)^2` to :math:`(\beta^2m\,x_i^Tx_j)^2` as
:math:`\alpha^2/\beta^2`.  The lower step fails at :math:`x_1=e_1,x_2=e_2`, :math:`m=1`, α = 0.1,
:math:`b=(-1,1)`, :math:`b^*=(-2,1)`: :math:`\mu\approx2.0\cdot10^{-4}<10^{-2}`; the upper step at
:math:`X=I_{300}`, :math:`m=1`, α = 0.1, teacher pre-activations :math:`(1,-1,\dots,-1)`, student
:math:`(2,-1,\dots,-1)`: :math:`\mu\approx291>100`.

Evidence
--------
* ``exact``: μ from the exact per-sample gradients of :class:`~verifythm.models.TwoLayerNetwork`
  (:func:`~verifythm.quantities.directional.loss_alignment`) at the counterexamples above; for the
  as-proved bounds, seeded data (Gaussian, orthogonal), widths 1–4, α ∈ [0.05, 0.99], random and
  adversarial (slope-splitting) θ, with near-tight instances (α → 1, orthonormal inputs).
* ``symbolic`` (the ratio step): for positive symbols α, β, m, :math:`s=|x_i^Tx_j|`, the ratio of the two
  bounds on :math:`(\nabla f_i^T\nabla f_j)^2` is :math:`(\alpha/\beta)^4` (``as_proved_*``); the printed
  :math:`\alpha^2/\beta^2` is refuted by exact rational evaluation (``proof_step_*``, as expected).
* ``property`` (``as_proved_*``): Hypothesis over inputs from ``gradient_matrices`` (every rank-one kind),
  α ∈ [0.05, 0.99], widths 1–3 with random θ, or width 1 with a drawn set of samples pushed onto the
  α-slope (the adversarial θ).

References
----------
[wang2023noise, Theorem 3.5, Assumption 3.4; Appendix B.3].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.models import TwoLayerNetwork, leaky_relu
from verifythm.quantities.directional import loss_alignment
from verifythm.strategies import GRADIENT_KINDS, gradient_matrices, real_vectors, reals

from ._common import KEY

SOURCE = Source(KEY, "Theorem 3.5; App. B.3", page=5)


def _mu(inst: dict[str, Any]) -> float:
    X = np.asarray(inst["X"], float)
    net = TwoLayerNetwork(X.shape[1], np.asarray(inst["a"], float), leaky_relu(float(inst["alpha"])))
    J = net.jacobian(inst["theta"], X)
    e = net.predict(inst["theta"], X) - net.predict(inst["theta_star"], X)
    return loss_alignment(J.T, e)


def _c_ratio(X: np.ndarray) -> float:
    X = X / max(np.abs(X).max(), 1e-300)
    K = X @ X.T
    c = (K * K).sum(axis=1)
    return float(c.min() / c.max())


def _bound(power: int, side: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        a = min(float(inst["alpha"]), 1.0) / max(float(inst["alpha"]), 1.0)  # α/β for the leaky ReLU
        r = _c_ratio(np.asarray(inst["X"], float))
        mu = _mu(inst)
        if side == "lower":
            return Comparison(mu, a**power * r, ">=", "μ(θ)", f"(α/β)^{power}·min c/max c")
        return Comparison(mu, 1 / (a**power * r), "<=", "μ(θ)", f"(β/α)^{power}·max c/min c")

    return conclusion


def _split_theta(rng: np.random.Generator, X: np.ndarray, y_pre: np.ndarray) -> np.ndarray:
    """A θ (m = 1) whose pre-activations put some samples on the α-slope (adversarial for μ)."""
    z = np.where(rng.random(X.shape[0]) < 0.5, -np.abs(y_pre) - 1.0, y_pre)
    return np.linalg.lstsq(X, z, rcond=None)[0]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 7)), int(rng.integers(1, 9))
        X = np.eye(n, d) if i % 3 == 0 else rng.standard_normal((n, d))
        alpha = float(rng.choice([0.99, 0.9, rng.uniform(0.05, 0.99)]))
        if i % 2 == 0:
            m, a = 1, np.ones(1)
            ts = rng.standard_normal(d)
            th = _split_theta(rng, X, X @ ts)
        else:
            m = int(rng.integers(1, 5))
            a = rng.choice([-1.0, 1.0], size=m)
            ts, th = rng.standard_normal(m * d), rng.standard_normal(m * d)
        out.append({"X": X, "a": a, "alpha": alpha, "theta": th, "theta_star": ts})
    return out


# orthogonal inputs first (equal c_i: where the bounds are tightest), then the other rank-one kinds
_KINDS = ("orthogonal", *(k for k in GRADIENT_KINDS if k != "orthogonal"))


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    """Inputs from ``gradient_matrices`` (all rank-one kinds), α, width m ≤ 3, θ random or slope-splitting."""
    n, d = draw(st.integers(1, 6)), draw(st.integers(1, 8))
    X = draw(gradient_matrices(_KINDS, n=n, p=d)).T
    alpha = draw(reals(0.05, 0.99))
    if not draw(st.booleans()):  # m = 1, θ puts the samples in a drawn mask on the α-slope (_split_theta)
        ts = draw(real_vectors(d, -2, 2))
        y = X @ ts
        mask = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        mask[0] = True  # at least one sample on the α-slope with a residual
        th = np.linalg.lstsq(X, np.where(mask, -np.abs(y) - 1.0, y), rcond=None)[0]
        return {"X": X, "a": np.ones(1), "alpha": alpha, "theta": th, "theta_star": ts}
    m = draw(st.integers(1, 3))
    a = np.array(draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m)))
    ts, th = draw(real_vectors(m * d, -2, 2)), draw(real_vectors(m * d, -2, 2))
    return {"X": X, "a": a, "alpha": alpha, "theta": th, "theta_star": ts}


def _nondegenerate(inst: dict[str, Any]) -> bool:
    X = np.asarray(inst["X"], float)
    if not np.all(np.linalg.norm(X, axis=1) > 1e-9):
        return False
    net = TwoLayerNetwork(X.shape[1], np.asarray(inst["a"], float), leaky_relu(float(inst["alpha"])))
    e = net.predict(inst["theta"], X) - net.predict(inst["theta_star"], X)
    return bool(np.abs(e).max() > 1e-9)


_HYP = (
    Hypothesis("0 < α < 1 (leaky ReLU: α ≤ φ' ≤ β = 1)", lambda i: 0 < float(i["alpha"]) < 1),
    Hypothesis("inputs non-zero and L(θ) > 0 (μ not 0/0)", _nondegenerate),
)
_TOL = Tolerance(rtol=1e-8, atol=1e-12)

STEP_LOWER_CE = {
    "X": np.eye(2),
    "a": np.ones(1),
    "alpha": 0.1,
    "theta": np.array([-1.0, 1.0]),
    "theta_star": np.array([-2.0, 1.0]),
}
_n = 300
STEP_UPPER_CE = {
    "X": np.eye(_n),
    "a": np.ones(1),
    "alpha": 0.1,
    "theta": np.r_[2.0, -np.ones(_n - 1)],
    "theta_star": np.r_[1.0, -np.ones(_n - 1)],
}


def _ratio_obligations(power: int) -> Any:
    def build() -> list[Identity]:
        """App. B.3: ratio of the bounds (α²m xᵢᵀxⱼ)², (β²m xᵢᵀxⱼ)² on (∇f_iᵀ∇f_j)² vs (α/β)^power."""
        import sympy as sp

        a, b, m, s = sp.symbols("alpha beta m s", positive=True)  # s = |xᵢᵀxⱼ| > 0
        low, high = (a**2 * m * s) ** 2, (b**2 * m * s) ** 2
        return [Identity(low / high, (a / b) ** power, f"(α²m xᵢᵀxⱼ)²/(β²m xᵢᵀxⱼ)² = (α/β)^{power}")]

    return build


STEP_LOWER = Claim(
    id="wang2023.thm3_5.proof_step_lower",
    title="μ(θ) ≥ (α²/β²)·min c_i/max c_i (App. B.3, as printed)",
    source=SOURCE,
    statement=r"$\mu(\theta)\ge\frac{\alpha^2}{\beta^2}\min_ic_i/\max_ic_i$, "
    r"$c_i=\frac1n\sum_j(x_i^Tx_j)^2$.",
    hypotheses=_HYP,
    conclusion=_bound(2, "lower"),
    checks=(
        SymbolicCheck("symbolic", _ratio_obligations(2)),
        ExactCheck("exact", _generate, fixed=[STEP_LOWER_CE]),
    ),
    tolerance=_TOL,
    expected=Expected.fails(
        "same root as `wang2023.thm3_5`: App. B.3 takes the ratio of (α²m xᵢᵀxⱼ)² to (β²m xᵢᵀxⱼ)² as α²/β²; "
        "it is α⁴/β⁴: x₁ = e₁, x₂ = e₂, m = 1, α = 0.1, b = (−1, 1), b* = (−2, 1): μ ≈ 2.0e-4 < α² = 1e-2",
        "docs/errata/wang2023.thm3_5.proof_step_lower__exact.md",
        finding="proof-gap",
    ),
)

STEP_UPPER = Claim(
    id="wang2023.thm3_5.proof_step_upper",
    title="μ(θ) ≤ (β²/α²)·max c_i/min c_i (App. B.3, as printed)",
    source=SOURCE,
    statement=r"$\mu(\theta)\le\frac{\beta^2}{\alpha^2}\max_ic_i/\min_ic_i$.",
    hypotheses=_HYP,
    conclusion=_bound(2, "upper"),
    checks=(SymbolicCheck("symbolic", _ratio_obligations(2)), ExactCheck("exact", fixed=[STEP_UPPER_CE])),
    tolerance=_TOL,
    expected=Expected.fails(
        "same root as `wang2023.thm3_5`: the upper step of App. B.3 needs β⁴/α⁴, not β²/α²: X = I₃₀₀, m = 1, "
        "α = 0.1, teacher pre-activations (1, −1, …), student (2, −1, …): μ ≈ 291 > β²/α² = 100",
        "docs/errata/wang2023.thm3_5.proof_step_upper__exact.md",
        finding="proof-gap",
    ),
)

AS_PROVED_LOWER = Claim(
    id="wang2023.thm3_5.as_proved_lower",
    title="μ(θ) ≥ (α⁴/β⁴)·min c_i/max c_i for any data and θ (corrected B.3)",
    source=SOURCE,
    statement=r"$\mu(\theta)\ge\frac{\alpha^4}{\beta^4}\min_ic_i/\max_ic_i$.",
    hypotheses=_HYP,
    conclusion=_bound(4, "lower"),
    checks=(
        SymbolicCheck("symbolic", _ratio_obligations(4)),
        ExactCheck("exact", _generate, fixed=[STEP_LOWER_CE, {**STEP_LOWER_CE, "alpha": 0.99}]),
        PropertyCheck("property", _instances(), max_examples=40),
    ),
    tolerance=_TOL,
)

AS_PROVED_UPPER = Claim(
    id="wang2023.thm3_5.as_proved_upper",
    title="μ(θ) ≤ (β⁴/α⁴)·max c_i/min c_i for any data and θ (corrected B.3)",
    source=SOURCE,
    statement=r"$\mu(\theta)\le\frac{\beta^4}{\alpha^4}\max_ic_i/\min_ic_i$.",
    hypotheses=_HYP,
    conclusion=_bound(4, "upper"),
    checks=(
        SymbolicCheck("symbolic", _ratio_obligations(4)),
        PropertyCheck("property", _instances(), max_examples=40),
        ExactCheck(
            "exact",
            _generate,
            fixed=[
                STEP_UPPER_CE,
                {
                    "X": np.eye(2),
                    "a": np.ones(1),
                    "alpha": 0.99,
                    "theta": np.array([2.0, -1.0]),
                    "theta_star": np.array([1.0, -1.0]),
                },
            ],
        ),
    ),
    tolerance=_TOL,
)

CLAIMS = [STEP_LOWER, STEP_UPPER, AS_PROVED_LOWER, AS_PROVED_UPPER]
