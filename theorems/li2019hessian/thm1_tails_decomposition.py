r"""Li et al. (2019), Theorem 1, proof of Eqs. (74)–(76): the deterministic split behind the tail bounds.

Setting
-------
Vanilla SGD (8) with :math:`m` indices drawn uniformly from :math:`n` with replacement on per-sample
quadratics with symmetric :math:`H`, :math:`\|H\|_2\le L` (Assumption 1); sample gradients
:math:`g_1,\dots,g_n` with mean :math:`\mu` and covariance :math:`\Sigma`.

Statement
---------
``li2019.thm1.tails.decomposition``: for every sample set, batch and symmetric :math:`H` with
:math:`\|H\|_2\le L`, :math:`\Delta_B-U_+\le X_B+Y_B` and :math:`\Delta_B-U_-\ge X'_B-Y_B` (notation
below), the split that the tail bounds (28)–(29) of :mod:`~theorems.li2019hessian.thm1_tails` rest on.

As proved
---------
The deterministic split behind (74)–(75) and (82)–(83), for every sample set, batch and symmetric H with
:math:`\|H\|_2\le L`.  With the batch mean :math:`\bar g_B=\mu+\xi_B` (m indices drawn with replacement,
:math:`\mathbb E\xi_B=0`, :math:`\mathbb E\|\xi_B\|^2=\operatorname{Tr}\Sigma/m`),
:math:`U_\pm=-\eta\|\mu\|^2\pm\frac{\eta^2L}2\operatorname{Tr}M`, :math:`M=\mu\mu^T+\Sigma/m`:

.. math:: \Delta_B-U_+\le X_B+Y_B,\qquad \Delta_B-U_-\ge X'_B-Y_B,

with :math:`X_B=-\eta(1-\eta L)\mu^T\xi_B` (the :math:`T_2` of (74)), :math:`X'_B=-\eta(1+\eta L)\mu^T\xi_B`
(:math:`T_5`), :math:`Y_B=\frac{\eta^2L}2(\|\xi_B\|^2-\operatorname{Tr}\Sigma/m)` (:math:`T_3-\mathbb ET_3`),
all centred; the gaps are :math:`\frac{\eta^2}2\bar g_B^T(LI\mp H)\bar g_B\ge0`, zero at :math:`H=\pm LI`.
The union bound at s/2 then gives (82)–(83) from tails of :math:`X,Y` (:math:`X',Y`).  Coefficients: the
statement's :math:`\alpha_{t,1}=\eta|1-\eta L|\|\Sigma^{1/2}\mu\|/\sqrt m` matches
:math:`X_B=-\eta(1-\eta L)\mu^T\Sigma^{1/2}g/\sqrt m` in the model (73); the proof's (74) prints
:math:`1-\eta L/\sqrt m` (it drops the :math:`1/\sqrt m` of the first-order term), which agrees at m = 1 only.


Evidence
--------
  :math:`H=LI` and the gaps :math:`\frac{\eta^2}2\sum_ja_j\bar g_j^2\ge0` for :math:`H=LI-\mathrm{diag}(a)`,
  :math:`H=-LI+\mathrm{diag}(a)`; and, enumerating the 4 ordered batches of n = m = 2,
  :math:`\mathbb E\xi=0`, :math:`\mathbb E\|\xi\|^2=\operatorname{Tr}\Sigma/m`.  With :math:`1-\eta L/2` in
  :math:`X` (``T2_COEF`` = ½) it goes red.
* ``property``: Hypothesis over sample gradients from :func:`~verifythm.strategies.gradient_matrices`
  (n ≤ 4, p ≤ 3), batch sizes m ≤ 3 (every ordered batch enumerated), η, L and H = LI, −LI or a drawn
  symmetric matrix scaled to :math:`\|H\|_2\le L`; ``T2_COEF`` = ½ is caught (at H = ±LI).
* ``exact``: seeded instances of the same kind.


References
----------
[li2019hessian, Theorem 1, Eqs. (28)–(29); proof in Appendix D, Eqs. (73)–(76), (78)–(83)].
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import INT, REAL, array
from verifythm.strategies import gradient_matrices

#: :math:`X_B=-\eta(1-\mathrm{T2\_COEF}\cdot\eta L)\mu^T\xi_B`: the coefficient the expansion gives is 1.
T2_COEF = 1.0


def decomposition(inst: dict[str, Any]) -> Comparison:
    r"""The worse of :math:`\Delta_B-U_+\le X_B+Y_B` and :math:`X'_B-Y_B\le\Delta_B-U_-` over all batches.

    ``G``: n × p sample gradients (rows); ``H``: symmetric p × p; ``L`` ≥ ‖H‖₂; ``eta``; ``m``: batch size
    (ordered batches of m indices drawn with replacement, all :math:`n^m` enumerated).
    """
    G, H, eta, L, m = (inst[k] for k in ("G", "H", "eta", "L", "m"))
    n = G.shape[0]
    mu = G.mean(axis=0)
    C = G - mu
    tr_sig = float(np.sum(C * C)) / n
    mm = float(mu @ mu)
    q = eta**2 * L / 2 * (mm + tr_sig / m)
    batches = np.array(list(itertools.product(range(n), repeat=m)))
    gb = G[batches].mean(axis=1)  # batch means ḡ_B
    xi = gb - mu
    D = -eta * (gb @ mu) + eta**2 / 2 * np.einsum("bi,ij,bj->b", gb, H, gb)
    mx = xi @ mu
    Y = eta**2 * L / 2 * (np.sum(xi * xi, axis=1) - tr_sig / m)
    X, Xp = -eta * (1 - T2_COEF * eta * L) * mx, -eta * (1 + eta * L) * mx
    sides = (
        (D - (-eta * mm + q), X + Y, "Δ_B − U₊", "X_B + Y_B"),
        (Xp - Y, D - (-eta * mm - q), "X'_B − Y_B", "Δ_B − U₋"),
    )
    worst = None
    for lhs, rhs, ll, rl in sides:
        rel = (lhs - rhs) / (np.abs(lhs) + np.abs(rhs) + 1e-300)
        b = int(np.argmax(rel))
        if worst is None or rel[b] > worst[0]:
            worst = (float(rel[b]), Comparison(float(lhs[b]), float(rhs[b]), "<=", ll, rl))
    assert worst is not None
    return worst[1]


def _valid_dec(inst: dict[str, Any]) -> bool:
    G, H = inst["G"], inst["H"]
    if G.ndim != 2 or H.shape != (G.shape[1], G.shape[1]) or not np.allclose(H, H.T):
        return False
    n, m = G.shape[0], inst["m"]
    return (
        n >= 1
        and 1 <= m
        and n**m <= 256
        and inst["eta"] > 0
        and float(np.max(np.abs(np.linalg.eigvalsh(H)), initial=0.0)) <= inst["L"] * (1 + 1e-12)
    )


def _hamiltonian(kind: int, L: float, R: np.ndarray) -> np.ndarray:
    """H = LI, −LI, or (R + Rᵀ)/2 scaled to ‖H‖₂ = L (R square)."""
    p = R.shape[0]
    if kind == 0:
        return L * np.eye(p)
    if kind == 1:
        return -L * np.eye(p)
    S = (R + R.T) / 2
    top = float(np.max(np.abs(np.linalg.eigvalsh(S))))
    return S * (L / top) if top > 0 else np.zeros((p, p))


def _generate_dec(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        n, p, m = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
        L = float(rng.uniform(0.1, 3.0))
        H = _hamiltonian(i % 3, L, rng.standard_normal((p, p)))
        out.append(
            {
                "G": rng.standard_normal((n, p)) + rng.normal(),
                "H": H,
                "L": L,
                "eta": rng.uniform(0.05, 2.0),
                "m": m,
            }
        )
    return out


@st.composite
def _strategy_dec(draw: Any) -> dict[str, Any]:
    G = draw(gradient_matrices(p=st.integers(1, 3), n=st.integers(1, 4))).T  # n × p
    p = G.shape[1]
    L = draw(st.floats(0.1, 4.0))
    R = draw(gradient_matrices(p=p, n=p))
    m = draw(st.integers(1, 3))
    return {
        "G": G,
        "H": _hamiltonian(draw(st.integers(0, 2)), L, R),
        "L": L,
        "eta": draw(st.floats(0.01, 3.0)),
        "m": m,
    }


def _symbolic_dec() -> list[Any]:
    r"""Proof of Theorem 1, (74)–(76): Δ − U₊ = X + Y at H = LI, the gaps, and E ξ, E‖ξ‖² by enumeration."""
    import sympy as sp

    eta, L = sp.symbols("eta L", positive=True)
    a1, a2, V = sp.symbols("a1 a2 V", nonnegative=True)  # V = E‖ξ‖² = Tr Σ/m
    mu = sp.Matrix(sp.symbols("mu1:3", real=True))
    xi = sp.Matrix(sp.symbols("xi1:3", real=True))
    g = mu + xi
    mm, mx, xx = (mu.T * mu)[0], (mu.T * xi)[0], (xi.T * xi)[0]
    X = -eta * (1 - T2_COEF * eta * L) * mx
    Xp = -eta * (1 + eta * L) * mx
    Y = eta**2 * L / 2 * (xx - V)
    U_up, U_lo = -eta * mm + eta**2 * L / 2 * (mm + V), -eta * mm - eta**2 * L / 2 * (mm + V)

    def delta(H: Any) -> Any:
        return -eta * (g.T * mu)[0] + eta**2 / 2 * (g.T * H * g)[0]

    H_up = L * sp.eye(2) - sp.diag(a1, a2)  # ‖H‖ ≤ L from above
    H_lo = -L * sp.eye(2) + sp.diag(a1, a2)
    # n = m = 2, p = 1: the 4 ordered batches, with replacement
    g1, g2 = sp.symbols("g1 g2", real=True)
    mu1 = (g1 + g2) / 2
    sig = ((g1 - mu1) ** 2 + (g2 - mu1) ** 2) / 2
    xis = [(x + y) / 2 - mu1 for x in (g1, g2) for y in (g1, g2)]
    return [
        Identity(sp.expand(delta(L * sp.eye(2)) - U_up), sp.expand(X + Y), "Δ − U₊ = X + Y at H = LI (74)"),
        Nonnegative(sp.expand(X + Y - (delta(H_up) - U_up)), "X + Y − (Δ − U₊) = (η²/2) ḡᵀ(LI − H)ḡ ≥ 0"),
        Nonnegative(sp.expand(delta(H_lo) - U_lo - (Xp - Y)), "Δ − U₋ − (X' − Y) = (η²/2) ḡᵀ(LI + H)ḡ ≥ 0"),
        Identity(sp.expand(sum(xis) / 4), 0, "E ξ_B = 0 (n = m = 2, 4 ordered batches)"),
        Identity(sp.expand(sum(x**2 for x in xis) / 4), sp.expand(sig / 2), "E ξ_B² = Σ/m (76)"),
    ]


DECOMPOSITION = Claim(
    id="li2019.thm1.tails.decomposition",
    aliases=("li2019.theorem1.tails.decomposition",),
    title="Proof of Theorem 1, (74)–(75): Δ_B − U₊ ≤ X_B + Y_B and Δ_B − U₋ ≥ X'_B − Y_B (every batch)",
    source=Source("li2019hessian", "Theorem 1 (proof, Eqs. (74)-(76))"),
    statement=r"For per-sample quadratics with symmetric $H$, $\|H\|_2\le L$, every sample set and every "
    r"batch $B$ of $m$ indices: $\Delta_B-U_+\le X_B+Y_B$ and $\Delta_B-U_-\ge X'_B-Y_B$, with "
    r"$X_B=-\eta(1-\eta L)\mu^T\xi_B$, $X'_B=-\eta(1+\eta L)\mu^T\xi_B$, "
    r"$Y_B=\frac{\eta^2L}2(\|\xi_B\|^2-\operatorname{Tr}\Sigma/m)$, $\xi_B=\bar g_B-\mu$.",
    hypotheses=(Hypothesis("H symmetric, ‖H‖₂ ≤ L; η > 0; 1 ≤ n^m ≤ 256 batches", _valid_dec),),
    conclusion=decomposition,
    inputs={"G": array(), "H": array(), "eta": REAL, "L": REAL, "m": INT},
    checks=(
        ExactCheck("exact", _generate_dec, note="seeded gradients; H = LI, −LI, random symmetric"),
        PropertyCheck("property", _strategy_dec(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic_dec, note="proof of Theorem 1, (74)–(76)"),
    ),
)

CLAIMS = [DECOMPOSITION]
