r"""Wu, Wang & Su (2022), Definition 3.1: linear stability is blind to flat directions (measured by the loss).

Setting
-------
Linearized SGD (4) at a global minimum :math:`\theta^*=0`:
:math:`\tilde\theta_{t+1}=(I-\eta\hat H_t)\tilde\theta_t`,
:math:`\hat H_t=\frac1B\sum_{i\in I_t}g_ig_i^T` with B indices drawn uniformly with replacement,
:math:`L(\theta)=\frac12\theta^TH\theta`, :math:`H=\frac1n\sum_ig_ig_i^T`.  Definition 3.1 calls
:math:`\theta^*` linearly stable if some C > 0 gives
:math:`\mathbb E[L(\tilde\theta_t)]\le C\,\mathbb E[L(\tilde\theta_0)]`
for all t ≥ 0.  In the over-parameterized case :math:`\ker H=\{v:g_i^Tv=0\ \forall i\}` is non-trivial (the
flat directions).

Statement
---------
The checkable content behind the remark after the definition.
``wu2022.def3_1.flat``: adding a flat direction to the initial point changes nothing the definition
measures: for every :math:`v\in\ker H` and every t, :math:`\mathbb E[L(\tilde\theta_t)]` from
:math:`\tilde\theta_0+v` equals that from :math:`\tilde\theta_0` (every :math:`\hat H_t` kills v, so the
iterates differ by the constant v, which the loss does not see).  So linear stability — and the constant C
— is a property of the dynamics on :math:`\operatorname{range}H` only; for the linearized dynamics the
flat directions contribute not "little" but exactly nothing to the instability.

Evidence
--------
* ``symbolic``: p = 3, n = 2 symbolic gradients, :math:`v=g_1\times g_2`: :math:`Hv=0`,
  :math:`\hat H_bv=0` for every batch, :math:`(I-\eta\hat H_b)(\theta+v)=(I-\eta\hat H_b)\theta+v` and
  :math:`L(\theta+v)=L(\theta)`.
* ``exact``: :math:`\mathbb E[L(\tilde\theta_t)]=\frac12\operatorname{tr}(HW_t)` with :math:`W_{t+1}=
  \mathbb E[\hat J W_t\hat J^T]` by enumerating all :math:`n^B` index tuples per step (n ≤ 5, B ≤ 3, t ≤ 3),
  on seeded gradient matrices with p > n, large flat components v, η from 0.1 to 1.5 times 2/λ₁
  (stable and unstable).
* ``property``: Hypothesis gradient matrices (p > n), θ₀, v and η.

Weakening by 10 % (the right side × 0.9) gives counterexamples on every instance.

Not checked: that Definition 3.1 is equivalent to :math:`\rho(\mathcal T_\eta)\le1` for the second-moment
operator (the engine's criterion, ``_linear.is_stable``) is not a statement of the paper; C ≥ 1 (t = 0) is
immediate.

References
----------
[wu2022alignment, §3, Eq. (4), Definition 3.1 and the paragraph after it].
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
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import INT, REAL, array
from verifythm.strategies import gradient_matrices, random_gradient_matrix
from verifythm.strategies.scalars import real_vectors, reals

from . import KEY

KINDS = ("gaussian", "anisotropic", "sparse", "scaled", "sphere", "heavy_tailed", "wu2022_relu")


def expected_loss(Q: np.ndarray, B: int, eta: float, theta0: np.ndarray, t: int) -> float:
    r""":math:`\mathbb E[L(\tilde\theta_t)]` by exact enumeration of the batches (with replacement)."""
    p, n = Q.shape
    W = np.outer(theta0, theta0)
    jacs = []
    for idx in itertools.product(range(n), repeat=B):
        Qb = Q[:, list(idx)]
        jacs.append(np.eye(p) - eta * (Qb @ Qb.T) / B)
    for _ in range(t):
        W = sum(J @ W @ J.T for J in jacs) / len(jacs)
    H = Q @ Q.T / n
    return float(np.sum(H * W)) / 2


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\mathbb E[L(\tilde\theta_t)]` from :math:`\theta_0+v` versus from :math:`\theta_0`."""
    Q, th, v, B, eta, t = (inst[k] for k in ("Q", "theta0", "v", "B", "eta", "t"))
    # The moments carry the flat part: E L(θ_t | θ₀+v) is Tr(H E[θ_tθ_tᵀ])/2 with E[θθᵀ] of size
    # ‖θ₀+v‖², so its rounding error scales with λ₁(H)‖θ₀+v‖², not with the (small) result; the
    # tolerance is read against that size (seed 42 drew ‖v‖ = 100, E L = 1.6e-4: gap 5e-12).
    lam1 = float(np.linalg.eigvalsh(Q @ Q.T / Q.shape[1])[-1]) if Q.size else 0.0
    size = 0.5 * lam1 * max(float(th @ th), float((th + v) @ (th + v)))
    return Comparison(
        expected_loss(Q, B, eta, th + v, t),
        expected_loss(Q, B, eta, th, t),
        "==",
        "E L(θ_t | θ₀+v)",
        "E L(θ_t | θ₀)",
        scale=size,
    )


def _flat(inst: dict[str, Any]) -> bool:
    Q, v = inst["Q"], inst["v"]
    return float(np.linalg.norm(Q.T @ v)) <= 1e-12 * max(
        float(np.linalg.norm(Q)) * float(np.linalg.norm(v)), 1e-300
    )


def _sizes(inst: dict[str, Any]) -> bool:
    n = np.shape(inst["Q"])[1]
    return 1 <= inst["B"] <= 3 and n ** inst["B"] <= 125 and 0 <= inst["t"] <= 3 and inst["eta"] > 0


def _null_vector(rng: np.random.Generator, Q: np.ndarray, scale: float) -> np.ndarray:
    U, s, _ = np.linalg.svd(Q, full_matrices=True)
    r = int(np.sum(s > 1e-12 * max(s.max(initial=0.0), 1e-300)))
    N = U[:, r:]
    return scale * (N @ rng.standard_normal(N.shape[1])) if N.shape[1] else np.zeros(Q.shape[0])


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        n = int(rng.integers(1, 6))
        p = n + int(rng.integers(1, 4))
        Q = random_gradient_matrix(rng, KINDS[i % len(KINDS)], p, n)
        if not np.any(Q):
            Q[0, 0] = 1.0
        lam1 = float(np.linalg.eigvalsh(Q @ Q.T / n)[-1])
        B = int(rng.integers(1, min(n, 3) + 1))
        out.append(
            {
                "Q": Q,
                "B": B,
                "eta": float(rng.uniform(0.1, 1.5)) * 2.0 / lam1,
                "theta0": rng.standard_normal(p),
                "v": _null_vector(rng, Q, float(10 ** rng.uniform(-1, 2))),
                "t": int(rng.integers(1, 4)),
            }
        )
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 4))
    Q = draw(gradient_matrices(n=n, p=st.integers(n + 1, n + 3)))
    p = Q.shape[0]
    lam1 = float(np.linalg.eigvalsh(Q @ Q.T / n)[-1])
    U, s, _ = np.linalg.svd(Q, full_matrices=True)
    r = int(np.sum(s > 1e-12 * max(float(s.max(initial=0.0)), 1e-300)))
    coef = draw(real_vectors(p - r, -10, 10))
    return {
        "Q": Q,
        "B": draw(st.integers(1, min(n, 3))),
        "eta": draw(reals(0.1, 1.5)) * 2.0 / max(lam1, 1e-12),
        "theta0": draw(real_vectors(p)),
        "v": U[:, r:] @ coef,
        "t": draw(st.integers(1, 3)),
    }


def _symbolic() -> list[Any]:
    import sympy as sp

    g1, g2 = sp.Matrix(sp.symbols("a1:4", real=True)), sp.Matrix(sp.symbols("b1:4", real=True))
    th = sp.Matrix(sp.symbols("theta1:4", real=True))
    eta = sp.Symbol("eta", real=True)
    v = g1.cross(g2)
    H = (g1 * g1.T + g2 * g2.T) / 2
    batches = [g1 * g1.T, g2 * g2.T, (g1 * g1.T + g2 * g2.T) / 2]  # B = 1 (either index), B = 2
    L = lambda x: (x.T * H * x)[0] / 2  # noqa: E731
    obs = [Identity(H * v, sp.zeros(3, 1), "H(g₁ × g₂) = 0"), Identity(L(th + v), L(th), "L(θ + v) = L(θ)")]
    for Hb in batches:
        J = sp.eye(3) - eta * Hb
        obs.append(Identity(J * (th + v), J * th + v, "Ĵ_b(θ + v) = Ĵ_bθ + v"))
    return obs


CLAIM = Claim(
    id="wu2022.def3_1.flat",
    title="Def. 3.1 is blind to flat directions: E L(θ_t) is unchanged by θ₀ → θ₀ + v, v ∈ ker H",
    source=Source(KEY, "Definition 3.1"),
    statement=(
        r"For linearized SGD (4) and every $v\in\ker H$: $\mathbb E[L(\tilde\theta_t)]$ started from "
        r"$\tilde\theta_0+v$ equals $\mathbb E[L(\tilde\theta_t)]$ started from $\tilde\theta_0$, for all t."
    ),
    hypotheses=(
        Hypothesis("v ∈ ker H (Qᵀv = 0, relative 1e-12)", _flat),
        Hypothesis("η > 0, 1 ≤ B ≤ 3, n^B ≤ 125, t ≤ 3", _sizes),
    ),
    conclusion=conclusion,
    inputs={"Q": array(2), "theta0": array(1), "v": array(1), "B": INT, "eta": REAL, "t": INT},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, note="E over batches by enumeration of all n^B index tuples per step"),
        PropertyCheck("property", _strategy(), max_examples=80),
    ),
    kind="identity",
)
