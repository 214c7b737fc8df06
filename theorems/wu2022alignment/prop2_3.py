r"""Wu, Wang & Su (2022), Proposition 2.3: SGD noise of over-parameterized linear models, Gaussian inputs.

Setting
-------
An over-parameterized linear model (OLM) :math:`f(x;\theta)=F(\theta)^Tx`,
:math:`F:\mathbb{R}^p\to\mathbb{R}^d` (linear regression :math:`F(\theta)=\theta`; the diagonal
linear network :math:`F=\alpha^{\odot2}-\beta^{\odot2}`; a deep linear network
:math:`W_L\cdots W_1`), inputs :math:`x\sim\mathcal N(0,S)`, online SGD (:math:`n=\infty`,
all quantities are population expectations), labels from a teacher without label noise,
:math:`y=\beta_*^Tx` (the proof's "y = f(x; θ*)"), :math:`u=F(\theta)-\beta_*`.

Statement
---------
:math:`\Sigma(\theta)=\nabla L(\theta)\nabla L(\theta)^T+2L(\theta)G(\theta)`
(``wu2022.prop2_3.sigma``) and :math:`\mu_1(\theta)\ge\mu(\theta)\ge1`
(``.mu_ge_one`` and ``.mu1_ge_mu``), at every θ with :math:`L(\theta)>0`,
:math:`G(\theta)\ne0`.  The proof's intermediate step
:math:`\Sigma_1=2\nabla L\nabla L^T+2LG` is ``.sigma1``.

Evidence
--------
* ``exact``: the population noise covariance is computed **independently of Isserlis'
  theorem** by exact tensor Gauss–Hermite quadrature of :math:`\mathbb{E}_x[(u^Tx)^2
  \nabla F^Txx^T\nabla F]` and :math:`\mathbb{E}_x[(u^Tx)\nabla F^Tx]` (d ≤ 4), and compared
  with the closed forms assembled from the models' population quantities
  (:meth:`~verifythm.models.linear.OverparameterizedLinearModel.population`: L, ∇L, G);
  μ, μ₁ from the quadrature covariances.  Instances: the three OLMs at random θ,
  anisotropic and singular S, random teachers, and residuals u along a weak direction of
  S (where μ approaches 1).
* ``property``: Hypothesis over the model kind, dimensions, S, θ and teacher.
* ``symbolic`` (Appendix D, proof of Proposition 2.3): for a general OLM at a point, a symbolic
  Jacobian :math:`J=\nabla F(\theta)` (2 × 2), residual direction :math:`u=F(\theta)-\beta_*` and
  :math:`x=A\xi` (:math:`S=AA^T` any covariance, ξ standard normal, exact Gaussian moments), sympy derives
  :math:`L=\frac12u^TSu`, :math:`\nabla L=J^TSu`, :math:`G=J^TSJ`, then
  :math:`\Sigma_1=\mathbb{E}[\nabla\ell\nabla\ell^T]=2\nabla L\nabla L^T+2LG` (``.sigma1``) and
  :math:`\Sigma=\nabla L\nabla L^T+2LG` (``.sigma``); for ``.mu_ge_one`` and ``.mu1_ge_mu``:
  :math:`\operatorname{Tr}(\Sigma G)-2L\|G\|_F^2=\operatorname{Tr}(\Sigma_1G)-\operatorname{Tr}(\Sigma G)=
  \nabla L^TG\nabla L=\|A^TJ\nabla L\|^2\ge0`.

Rendering notes:

* Line 46 prints the covariance as :math:`\frac1n\sum_i\nabla L_i\nabla L_i^T-\nabla L(\theta)
  L(\theta)^T`; the second factor is a typo for :math:`\nabla L(\theta)^T` (as
  :math:`\Sigma_2` after Eq. (3) confirms).
* Appendix D writes :math:`H=G+(F(\theta)-F(\theta^*))\nabla^2F(\theta)`, dropping the
  input covariance: the residual term is :math:`\sum_k(Su)_k\nabla^2F_k(\theta)`.  H is not
  used in the proposition.
* The proof gives :math:`\Sigma_1=2LG+2\nabla L\nabla L^T` and hence
  :math:`\Sigma=2LG+\nabla L\nabla L^T` as stated; a version of this lemma printed elsewhere
  (wang2023noise, Lemma C.1) with :math:`\Sigma_1=2LG+\nabla L\nabla L^T` disagrees with
  ``.sigma1``.

References
----------
[wu2022alignment, §2.1 "Over-parameterized linear models", Proposition 2.3; Appendix D].
"""

from __future__ import annotations

from functools import lru_cache
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
from verifythm.claims.inputs import INT, array
from verifythm.evidence.symbolic import Identity
from verifythm.models import DeepLinearNetwork, DiagonalLinearNetwork, LinearRegression
from verifythm.strategies import psd_matrices, random_psd
from verifythm.strategies.scalars import reals

from . import KEY
from ._gauss import gaussian_points

SOURCE = Source(KEY, "Proposition 2.3")
INPUTS = {"d": INT, "width": INT, "depth": INT, "theta": array(1), "S": array(2), "teacher": array(1)}
MODELS = ("linear", "diagonal", "deep")


def _model(inst: dict[str, Any]) -> Any:
    d, kind = int(inst["d"]), str(inst["model"])
    if kind == "linear":
        return LinearRegression(d)
    if kind == "diagonal":
        return DiagonalLinearNetwork(d)
    return DeepLinearNetwork.uniform(d, int(inst["width"]), int(inst["depth"]))


def quadrature(inst: dict[str, Any]) -> dict[str, Any]:
    r"""L, ∇L, G, Σ₁, Σ₂, Σ by exact Gauss–Hermite quadrature over :math:`x\sim\mathcal N(0,S)`."""
    m, th = _model(inst), inst["theta"]
    u = m.effective_weights(th) - inst["teacher"]
    J = m.effective_jacobian(th)  # (d, p): ∇f(x; θ) = Jᵀx
    X, w = gaussian_points(inst["S"])
    r = X @ u  # residual f(x; θ) − y
    g = X @ J  # rows: model gradients
    loss = 0.5 * float(w @ r**2)
    grad = g.T @ (w * r)
    fisher = (g * w[:, None]).T @ g
    sigma1 = (g * (w * r**2)[:, None]).T @ g
    sigma2 = np.outer(grad, grad)
    return {"loss": loss, "grad": grad, "fisher": fisher, "sigma1": sigma1, "sigma2": sigma2}


def _closed(inst: dict[str, Any]) -> Any:
    m = _model(inst)
    return m.population(inst["theta"], inst["S"], inst["teacher"])


def _scale(inst: dict[str, Any]) -> float:
    r"""Input size the rounding error of both covariances scales with, :math:`(\|S\|_F\|u\|\|J\|_F)^2`.

    Σ and the closed form are quartic in x: :math:`\mathbb E[(u^Tx)^2J^Txx^TJ]`.  Their rounding
    error is relative to this input size, not to the (possibly tiny) results: with u nearly in
    the null space of S, :math:`L=\frac12u^TSu\approx10^{-8}` is computed as a cancelling sum of
    terms of size :math:`\|S\|\|u\|^2` (the 4.9e-14 "violation" found by ``verifythm tightness``).
    """
    m, th = _model(inst), inst["theta"]
    u = m.effective_weights(th) - inst["teacher"]
    J = m.effective_jacobian(th)
    size = float(np.linalg.norm(inst["S"])) * float(np.linalg.norm(u)) * float(np.linalg.norm(J))
    return size**2 + 1e-300


def sigma_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|\Sigma-(\nabla L\nabla L^T+2LG)\|_F` versus 0 (Σ by quadrature; L, ∇L, G closed form)."""
    q, pop = quadrature(inst), _closed(inst)
    formula = np.outer(pop.grad, pop.grad) + 2 * pop.loss * pop.fisher
    diff = float(np.linalg.norm(q["sigma1"] - q["sigma2"] - formula))
    return Comparison(diff, 0.0, "<=", "‖Σ − (∇L∇Lᵀ + 2LG)‖_F", "0", scale=_scale(inst))


def sigma1_conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\|\Sigma_1-(2\nabla L\nabla L^T+2LG)\|_F` versus 0."""
    q, pop = quadrature(inst), _closed(inst)
    formula = 2 * np.outer(pop.grad, pop.grad) + 2 * pop.loss * pop.fisher
    diff = float(np.linalg.norm(q["sigma1"] - formula))
    return Comparison(diff, 0.0, "<=", "‖Σ₁ − (2∇L∇Lᵀ + 2LG)‖_F", "0", scale=_scale(inst))


def _factors(inst: dict[str, Any]) -> tuple[float, float]:
    q = quadrature(inst)
    G = q["fisher"]
    den = 2 * q["loss"] * float(np.sum(G * G))
    mu1 = float(np.sum(q["sigma1"] * G)) / den
    mu = float(np.sum((q["sigma1"] - q["sigma2"]) * G)) / den
    return mu1, mu


def mu_conclusion(inst: dict[str, Any]) -> Comparison:
    """μ(θ) versus 1."""
    return Comparison(_factors(inst)[1], 1.0, ">=", "μ(θ)", "1")


def mu1_conclusion(inst: dict[str, Any]) -> Comparison:
    """μ₁(θ) versus μ(θ)."""
    mu1, mu = _factors(inst)
    return Comparison(mu1, mu, ">=", "μ₁(θ)", "μ(θ)")


def _defined(inst: dict[str, Any]) -> bool:
    q = quadrature(inst)
    G = q["fisher"]
    S = inst["S"]
    u_scale = float(np.linalg.norm(S)) * float(np.sum(inst["teacher"] ** 2) + 1.0)
    return q["loss"] > 1e-10 * u_scale and float(np.linalg.norm(G)) > 1e-10 * float(np.linalg.norm(S))


DEFINED = Hypothesis("L(θ) > 0 and G(θ) ≠ 0 (relative 1e-10)", _defined)


def _params(rng: np.random.Generator, kind: str, d: int) -> dict[str, Any]:
    inst: dict[str, Any] = {"model": kind, "d": d}
    if kind == "deep":
        inst["width"], inst["depth"] = int(rng.integers(1, 4)), int(rng.integers(2, 4))
    return inst


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 5))
        inst = _params(rng, MODELS[i % 3], d)
        m = _model(inst)
        theta = rng.standard_normal(m.num_params)
        S = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        if i % 4 == 3 and d >= 2:  # residual along the weakest direction of a badly conditioned S
            lam, V = np.linalg.eigh(S)
            lam[0] = lam[-1] * 1e-3
            S = (V * lam) @ V.T
            teacher = m.effective_weights(theta) - V[:, 0]
        else:
            teacher = rng.standard_normal(d)
        out.append({**inst, "theta": theta, "S": S, "teacher": teacher})
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    S = draw(psd_matrices(st.integers(1, 4)))
    d = S.shape[0]
    kind = draw(st.sampled_from(MODELS))
    inst: dict[str, Any] = {"model": kind, "d": d}
    if kind == "deep":
        inst["width"], inst["depth"] = draw(st.integers(1, 3)), draw(st.integers(2, 3))
    p = _model(inst).num_params
    f = reals(-2, 2)
    inst["theta"] = np.array(draw(st.lists(f, min_size=p, max_size=p)), dtype=float)
    inst["teacher"] = np.array(draw(st.lists(f, min_size=d, max_size=d)), dtype=float)
    inst["S"] = S
    return inst


#: Linear regression, S = diag(1, 10⁻²), residual along the weak axis: μ = 1 + 10⁻⁴/1.0001.
FIXED = [
    {"model": "linear", "d": 2, "theta": np.array([0.0, 1.0]), "S": np.diag([1.0, 1e-2]),
     "teacher": np.zeros(2)},
    {"model": "diagonal", "d": 2, "theta": np.array([1.0, 0.5, 0.2, 0.1]), "S": np.eye(2),
     "teacher": np.array([0.3, -0.2])},
]  # fmt: skip


@lru_cache(maxsize=1)
def _sym_parts() -> dict[str, Any]:
    """L, ∇L, G, Σ₁ of a symbolic OLM point by exact Gaussian moments (d = p = 2)."""
    import sympy as sp

    from ._sym3 import gaussian_expect

    A = sp.Matrix(2, 2, sp.symbols("a1:5", real=True))
    J = sp.Matrix(2, 2, sp.symbols("j1:5", real=True))  # ∇F(θ), d × p
    u = sp.Matrix(sp.symbols("u1:3", real=True))
    xi = list(sp.symbols("xi1:3", real=True))
    x = A * sp.Matrix(xi)
    r = (u.T * x)[0]  # residual f(x; θ) − y
    grad_l = r * (J.T * x)  # ∇ℓ = r ∇F(θ)ᵀx
    E = lambda M: M.applyfunc(lambda e: gaussian_expect(e, xi))  # noqa: E731
    S = A * A.T
    return {
        "L": gaussian_expect(r**2 / 2, xi),
        "gL": E(grad_l),
        "G": E(J.T * x * x.T * J),
        "Sigma1": E(grad_l * grad_l.T),
        "S": S,
        "A": A,
        "J": J,
        "u": u,
    }


def _symbolic(which: str) -> Any:
    def build() -> list[Any]:
        P = _sym_parts()
        L, gL, G, S1 = P["L"], P["gL"], P["G"], P["Sigma1"]
        S, A, J, u = P["S"], P["A"], P["J"], P["u"]
        out = [
            Identity(L, (u.T * S * u)[0] / 2, "L = ½uᵀSu"),
            Identity(gL, J.T * S * u, "∇L = JᵀSu"),
            Identity(G, J.T * S * J, "G = JᵀSJ"),
        ]
        Sigma = S1 - gL * gL.T
        gram = (gL.T * G * gL)[0]
        v = A.T * J * gL
        if which == "sigma1":
            out.append(Identity(S1, 2 * gL * gL.T + 2 * L * G, "Σ₁ = 2∇L∇Lᵀ + 2LG (Isserlis)"))
        elif which == "sigma":
            out.append(Identity(Sigma, gL * gL.T + 2 * L * G, "Σ = Σ₁ − ∇L∇Lᵀ = ∇L∇Lᵀ + 2LG"))
        elif which == "mu_ge_one":
            fro2 = sum(e**2 for e in G)
            out.append(Identity((Sigma * G).trace() - 2 * L * fro2, gram, "Tr(ΣG) − 2L‖G‖_F² = ∇LᵀG∇L"))
            out.append(Identity(gram, (v.T * v)[0], "∇LᵀG∇L = ‖AᵀJ∇L‖² ≥ 0, so μ ≥ 1"))
        else:
            out.append(Identity((S1 * G).trace() - (Sigma * G).trace(), gram, "Tr(Σ₁G) − Tr(ΣG) = ∇LᵀG∇L"))
            out.append(Identity(gram, (v.T * v)[0], "∇LᵀG∇L = ‖AᵀJ∇L‖² ≥ 0, so μ₁ ≥ μ"))
        return out

    return build


def _claim(cid: str, title: str, statement: str, conclusion: Any, kind: str = "inequality") -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=(DEFINED,),
        conclusion=conclusion,
        checks=(
            ExactCheck("exact", _generate, fixed=FIXED),
            PropertyCheck("property", _strategy(), max_examples=60),
            SymbolicCheck("symbolic", _symbolic(cid.rsplit(".", 1)[1])),
        ),
        tolerance=Tolerance(rtol=1e-9, atol=1e-300),
        kind=kind,
        inputs=INPUTS,
    )


SIGMA = _claim(
    "wu2022.prop2_3.sigma",
    "OLMs with Gaussian inputs, online SGD: Σ(θ) = ∇L∇Lᵀ + 2L(θ)G(θ)",
    r"For an OLM $f=F(\theta)^Tx$, $x\sim\mathcal N(0,S)$, $n=\infty$ and noiseless teacher labels, "
    r"$\Sigma(\theta)=\nabla L(\theta)\nabla L(\theta)^T+2L(\theta)G(\theta)$.",
    sigma_conclusion,
    "identity",
)
SIGMA1 = _claim(
    "wu2022.prop2_3.sigma1",
    "OLMs with Gaussian inputs (proof of Prop. 2.3): Σ₁(θ) = 2∇L∇Lᵀ + 2L(θ)G(θ)",
    r"In the setting of Proposition 2.3, "
    r"$\Sigma_1(\theta)=\mathbb{E}_x[\nabla\ell\nabla\ell^T]=2\nabla L\nabla L^T+2L(\theta)G(\theta)$.",
    sigma1_conclusion,
    "identity",
)
MU_GE_ONE = _claim(
    "wu2022.prop2_3.mu_ge_one",
    "OLMs with Gaussian inputs, online SGD: μ(θ) ≥ 1",
    r"In the setting of Proposition 2.3, $\mu(\theta)\ge1$ at every θ with $L(\theta)>0$, $G\ne0$.",
    mu_conclusion,
)
MU1_GE_MU = _claim(
    "wu2022.prop2_3.mu1_ge_mu",
    "OLMs with Gaussian inputs, online SGD: μ₁(θ) ≥ μ(θ)",
    r"In the setting of Proposition 2.3, $\mu_1(\theta)\ge\mu(\theta)$ at every θ with "
    r"$L(\theta)>0$, $G\ne0$.",
    mu1_conclusion,
)

CLAIMS = [SIGMA, SIGMA1, MU_GE_ONE, MU1_GE_MU]
