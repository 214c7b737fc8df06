r"""Wu, Wang & Su (2022), Eq. (8): the noise alone lower-bounds the next expected loss.

Setting
-------
Linearized model :math:`L(\theta)=\frac12\theta^TH\theta`, H symmetric PSD, any learning rate η > 0,
and the general SGD of Lemma 3.2, :math:`\theta_{t+1}=\theta_t-\eta(H\theta_t+\xi_t)` with
:math:`\mathbb E[\xi_t\mid\theta_t]=0`, :math:`\mathbb E[\xi_t\xi_t^T\mid\theta_t]=S(\theta_t)`
(the conditional reading of ``wu2022.lemma3_2``).  An instance is a finite law of
:math:`\theta_t` (atoms :math:`\theta_k`, weights :math:`p_k`) and at each atom a finite zero-mean
law of :math:`\xi_t`.

Statement
---------
* ``wu2022.eq8``: :math:`\mathbb E[L(\theta_{t+1})]=\mathbb E[r(\theta_t)L(\theta_t)+\eta^2v(\theta_t)]
  \ge\eta^2\mathbb E[v(\theta_t)]=\frac12\eta^2\,\mathbb E[\operatorname{Tr}(HS(\theta_t))]`.  The
  printed right end, :math:`0.5\eta^2\operatorname{Tr}(HS(\theta))`, drops the expectation over
  :math:`\theta_t` (a notation slip; it is exact for a deterministic :math:`\theta_t`).  No condition on
  η is needed: :math:`r(\theta)L(\theta)=\frac12\|H^{1/2}(I-\eta H)\theta\|^2\ge0`.  With
  :math:`S=2\sigma^2LC` the bound reads
  :math:`\eta^2\sigma^2\mathbb E[L(\theta_t)\operatorname{Tr}(HC(\theta_t))]`
  (the line after (8); a substitution, proved symbolically).

The sentence before (8), that SGD is stricter than GD, is ``wu2022.eq8.sgd_stricter`` (module
``eq8_sgd_stricter``).

Evidence
--------
* ``symbolic`` (eq8): symbolic 2 × 2 :math:`H=R^TR` (R upper triangular: every PSD H), θ, η and second
  moment S: the expectation of
  :math:`L(\theta-\eta(H\theta+\xi))` from the first two moments of ξ equals
  :math:`\frac12\|R(I-\eta H)\theta\|^2+\frac12\eta^2\operatorname{Tr}(HS)`, whose first term is a sum
  of squares; and the :math:`S=2\sigma^2LC` substitution.
* ``exact`` (eq8): both sides by exact enumeration of the finite laws (d ≤ 6, up to 3 atoms of θ_t and
  4 of ξ_t, η up to 3/λ₁); the bound is attained when :math:`(I-\eta H)\theta_k\in\ker H` at every
  atom (fixed instances: θ an eigenvector, η = 1/λ; θ in ker H).

Weakening by 10 % (rhs × 1.1) gives counterexamples on the attaining instances.

References
----------
[wu2022alignment, Eq. (8) with the sentences before and after it (Section 3); Lemma 3.2].
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
)
from verifythm.claims.common import psd
from verifythm.claims.inputs import REAL, array
from verifythm.evidence.symbolic import expect_quadratic
from verifythm.strategies import psd_with, random_psd_with

from . import KEY
from .lemma3_2 import atom_laws, center_atoms, probabilities, zero_mean

SOURCE = Source(KEY, "Eq. (8)")


def sides(inst: dict[str, Any]) -> tuple[float, float]:
    r"""Both sides of Eq. (8): the next expected loss and the noise term, by enumeration."""
    H, eta, thetas = inst["H"], inst["eta"], inst["thetas"]
    p, w, xi = (np.asarray(inst[k], float) for k in ("p", "w", "xi"))
    lhs = rhs = 0.0
    for k in range(thetas.shape[0]):
        nxt = thetas[k] - eta * (H @ thetas[k]) - eta * xi[k]  # one row per noise atom
        lhs += p[k] * float(w[k] @ np.einsum("md,de,me->m", nxt, H, nxt)) / 2
        S = (xi[k].T * w[k]) @ xi[k]
        rhs += p[k] * eta**2 * float(np.sum(H * S)) / 2
    return lhs, rhs


def eq8_conclusion(inst: dict[str, Any]) -> Comparison:
    """E[L(θ_{t+1})] versus ½η² E[Tr(HS(θ_t))]."""
    lhs, rhs = sides(inst)
    return Comparison(lhs, rhs, ">=", "E[L(θ_{t+1})]", "½η²E[Tr(HS(θ_t))]")


def _laws(inst: dict[str, Any]) -> bool:
    return probabilities(inst) and zero_mean(inst)


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(k):
        d = int(rng.integers(1, 7))
        H = random_psd_with(rng, d, rank=int(rng.integers(1, d + 1)))
        lam1 = float(np.linalg.eigvalsh(H)[-1])
        K, M = int(rng.integers(1, 4)), int(rng.integers(1, 5))
        w = rng.dirichlet(np.ones(M), size=K)
        xi = center_atoms(rng.standard_normal((K, M, d)) * rng.uniform(0.01, 3.0, size=(K, 1, 1)), w)
        thetas = rng.standard_normal((K, d))
        out.append(
            {
                "H": H,
                "eta": rng.uniform(0.01, 3.0) / lam1,
                "thetas": thetas,
                "p": rng.dirichlet(np.ones(K)),
                "w": w,
                "xi": xi,
            }
        )
    return out


def _attaining(H: np.ndarray, eta: float, thetas: np.ndarray) -> dict[str, Any]:
    d = H.shape[0]
    xi = np.array([[np.eye(d)[0], -np.eye(d)[0]], [np.ones(d), -np.ones(d)]])[: len(thetas)]
    K = len(thetas)
    return {
        "H": H,
        "eta": eta,
        "thetas": thetas,
        "p": np.full(K, 1.0 / K),
        "w": np.full((K, 2), 0.5),
        "xi": xi,
    }


FIXED = [
    _attaining(np.diag([2.0, 1.0]), 0.5, np.array([[1.0, 0.0]])),  # (I − ηH)θ = 0
    _attaining(np.diag([4.0, 0.0, 1.0]), 0.25, np.array([[3.0, 0.0, 0.0], [0.0, 2.0, 0.0]])),  # eigvec; ker H
]


def _symbolic() -> list[Any]:
    import sympy as sp

    r1, r2, r3 = sp.symbols("r1:4", real=True)
    R = sp.Matrix([[r1, r2], [0, r3]])  # every PSD 2 × 2 H is RᵀR (Cholesky)
    H = R.T * R
    eta, sig2, L = sp.symbols("eta sigma2 L", real=True)
    th, xi = sp.Matrix(sp.symbols("theta1:3", real=True)), sp.Matrix(sp.symbols("xi1:3", real=True))
    S = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"s{min(i, j)}{max(i, j)}", real=True))
    C = sp.Matrix(2, 2, lambda i, j: sp.Symbol(f"c{min(i, j)}{max(i, j)}", real=True))
    nxt = th - eta * (H * th + xi)
    lhs = expect_quadratic((nxt.T * H * nxt)[0] / 2, list(xi), [0, 0], S)
    u = R * (th - eta * H * th)
    sos = sum(x**2 for x in u) / 2
    return [
        Identity(
            lhs, sos + eta**2 * (H * S).trace() / 2, "E[L(θ_{t+1})] = ½‖R(I − ηH)θ‖² + ½η²Tr(HS), H = RᵀR"
        ),
        Nonnegative(sos, "½‖R(I − ηH)θ‖² ≥ 0"),
        Identity(
            eta**2 * (H * (2 * sig2 * L * C)).trace() / 2, eta**2 * sig2 * L * (H * C).trace(), "S = 2σ²LC"
        ),
    ]


CLAIMS = [
    Claim(
        id="wu2022.eq8",
        title="E[L(θ_{t+1})] ≥ ½η² E[Tr(HS(θ_t))] for any conditionally zero-mean noise (any η)",
        source=SOURCE,
        statement=(
            r"For $\theta_{t+1}=\theta_t-\eta(H\theta_t+\xi_t)$ with $\mathbb E[\xi_t\mid\theta_t]=0$, "
            r"$\mathbb E[\xi_t\xi_t^T\mid\theta_t]=S(\theta_t)$: "
            r"$\mathbb E[L(\theta_{t+1})]\ge\eta^2\mathbb E[v(\theta_t)]"
            r"=\frac12\eta^2\mathbb E[\operatorname{Tr}(HS(\theta_t))]$."
        ),
        hypotheses=(
            psd("H"),
            Hypothesis("η ≥ 0", lambda i: i["eta"] >= 0),
            Hypothesis("finite laws; E[ξ | θ] = 0 at every atom", _laws),
        ),
        conclusion=eq8_conclusion,
        inputs={"H": array(2), "eta": REAL, "thetas": array()},
        checks=(
            SymbolicCheck("symbolic", _symbolic),
            ExactCheck("exact", _generate, fixed=FIXED),
            PropertyCheck("property", atom_laws(psd_with(st.integers(1, 5), rank=1)), max_examples=60),
        ),
    ),
]
