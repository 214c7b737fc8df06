r"""Dexter et al. (2024), Lemma 4.1 (i): a sufficient condition for mean-square divergence.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, :math:`J=I-\eta H`,
Bernoulli sampling (Definition 1), :math:`P_k=\hat J_k\cdots\hat J_1`,
:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}` and the operator
:math:`\mathcal S(W)=\sum_iH_iWH_i` (self-adjoint for the trace inner product, PSD-preserving).

Statement
---------
(i) ``dexter2024.lemma4_1.i``: if :math:`\lambda_1(H)>2/\eta` or :math:`c\,\rho(\mathcal S)>1`, then
:math:`\mathbb E\|P_k\|_F^2\to\infty`, i.e. :math:`\rho(\mathcal T_\eta)>1`.  Part (ii) is
:mod:`.lemma4_1_ii`.

The paper states the conditions on the sum :math:`c^k\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2`; by the sum
identity :math:`\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2=\operatorname{tr}\mathcal S^k(I)`
(:mod:`.lemma4_1_product_sum`) that sum tends to :math:`\infty` iff :math:`c\,\rho(\mathcal S)>1`,
and :math:`\epsilon^{-k}c^k\sum_y\|\cdot\|_F^2\to0` iff :math:`c\,\rho(\mathcal S)<\epsilon`
(:math:`\mathcal S` is diagonalisable with a PSD top eigenvector, and :math:`I\succ0` has a
non-zero component on it), which is how the hypotheses are encoded.  The proof's bound for (i) is
:mod:`.lemma4_1_i_as_proved`.

Evidence
--------
* ``exact``: :math:`\rho(\mathcal S)` from a dense symmetric eigenproblem and
  :math:`\rho(\mathcal T_\eta)` from the engine (:func:`verifythm.dynamics.spectral_radius`).
  Families of every kind (:math:`n\le5`, :math:`d\le3`) with :math:`\eta` 1.001–2 times the
  condition's threshold (tight at :math:`B=n`, and at orthogonal rank-one members with
  :math:`n=2B` and :math:`\eta\lambda=1`).
* ``property``: Hypothesis families.
* ``symbolic`` (sympy, the proof's algebra): the inductive step's expectation
  :math:`\mathbb E[\hat JM\hat J]=JMJ+c\sum_iH_iMH_i` by enumerating the :math:`2^n` Bernoulli masks
  (:math:`n\le3`, non-commuting symbols, symbolic :math:`\eta,B`), :math:`c=\eta^2(n-B)/(n^2B)\ge0`,
  and :math:`|1-\eta\lambda|=1+t` at :math:`\eta\lambda=2+t` (the GD branch).

References
----------
[dexter2024precise, Lemma 4.1 and its proof in Appendix A.2].
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
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd_family
from verifythm.strategies import families, family_instance

from ._common import FAMILY_INPUTS, lambda1, noise_factor, rho, sandwich_radius
from ._symbolic import bernoulli_mean, noise_c

SOURCE = Source("dexter2024precise", "Lemma 4.1")


def _symbolic_step_expectation() -> list[Any]:
    """Proof of Lemma 4.1 (i), inductive step: E[ĴMĴ] = JMJ + cΣH_iMH_i (masks enumerated), c ≥ 0."""
    import sympy as sp

    eta, B, t = sp.symbols("eta B t", positive=True)
    r = sp.Symbol("r", nonnegative=True)  # n = B + r
    M = sp.Symbol("M", commutative=False)
    out: list[Any] = []
    for n in (1, 2, 3):
        Hs = sp.symbols(f"H1:{n + 1}", commutative=False)

        def sandwich(x: tuple[int, ...], Hs: Any = Hs) -> Any:
            Hh = sum(xi * h for xi, h in zip(x, Hs, strict=True)) / B
            return (1 - eta * Hh) * M * (1 - eta * Hh)

        lhs = bernoulli_mean(sandwich, n, B / n)
        H = sum(Hs) / n
        rhs = (1 - eta * H) * M * (1 - eta * H) + noise_c(eta, n, B) * sum(h * M * h for h in Hs)
        out.append(Identity(sp.expand(lhs), sp.expand(rhs), f"E[ĴMĴ] = JMJ + cΣH_iMH_i, n = {n}"))
    n = sp.Symbol("n", positive=True)
    out.append(Nonnegative(sp.factor(noise_c(eta, n, B).subs(n, B + r)), "c = η²/(nB) − η²/n² ≥ 0 for B ≤ n"))
    out.append(Identity(sp.Abs(1 - (2 + t)), 1 + t, "GD branch: |1 − ηλ₁| = 1 + t > 1 at ηλ₁ = 2 + t"))
    return out


def _cond_i(inst: dict[str, Any]) -> bool:
    Hs, B, eta = inst["hessians"], inst["B"], inst["eta"]
    n = Hs.shape[0]
    if not (1 <= B <= n and eta > 0 and np.any(Hs != 0)):
        return False
    gd = lambda1(Hs.mean(axis=0)) > 2.0 / eta
    return gd or noise_factor(eta, n, B) * sandwich_radius(Hs) > 1.0


def _part_i(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], inst["eta"], inst["B"])
    return Comparison(r, 1.0, ">=", "ρ(T_η) (E‖P_k‖_F² → ∞ iff > 1)", "1")


def _threshold_i(Hs: np.ndarray, B: int) -> float:
    """Smallest η at which (i)'s condition holds: min(2/λ₁, (ρ(S)(1/(nB) − 1/n²))^{-1/2})."""
    n = Hs.shape[0]
    lam = lambda1(Hs.mean(axis=0))
    a = 2.0 / lam
    q = sandwich_radius(Hs) * (1.0 / (n * B) - 1.0 / n**2)
    return min(a, 1.0 / math.sqrt(q)) if q > 0 else a


def _inst_i(Hs: np.ndarray, B: int, t: float) -> dict[str, Any]:
    if not np.any(Hs != 0):
        return {"hessians": Hs, "B": B, "eta": 1.0}
    return {"hessians": Hs, "B": B, "eta": t * _threshold_i(Hs, B)}


def _gen_i(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        B = n if i % 4 == 0 else int(rng.integers(1, n + 1))
        out.append(_inst_i(Hs, B, 1.001 if i % 3 == 0 else float(rng.uniform(1.001, 2.0))))
    return out


def _tight_i() -> list[dict[str, Any]]:
    out = []
    for n in (2, 4):
        E = np.stack([np.diag(np.eye(n)[i]) for i in range(n)])  # J = 0 at η = n
        out.append(_inst_i(E, n // 2, 1.0001))
        out.append(_inst_i(E, n, 1.0001))
    return out


@st.composite
def _strategy_i(draw: Any) -> dict[str, Any]:
    Hs = draw(families(n=st.integers(1, 4), d=st.integers(1, 3)))
    return _inst_i(Hs, draw(st.integers(1, Hs.shape[0])), draw(st.floats(1.001, 2.0)))


CLAIM = Claim(
    id="dexter2024.lemma4_1.i",
    title="λ₁(H) > 2/η or c^k Σ_y‖H_{y_k}⋯H_{y_1}‖_F² → ∞ implies E‖Ĵ_k⋯Ĵ_1‖_F² → ∞",
    source=SOURCE,
    statement=(
        r"If $\lambda_1(H)>2/\eta$ or $\lim_k(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k\sum_{y}\|H_{y_k}\cdots "
        r"H_{y_1}\|_F^2=\infty$, then $\lim_k\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2=\infty$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis("λ₁(H) > 2/η or c·ρ(S) > 1 (⇔ the sum diverges)", _cond_i),
    ),
    conclusion=_part_i,
    checks=(
        SymbolicCheck("symbolic", _symbolic_step_expectation),
        ExactCheck("exact", _gen_i, fixed=_tight_i()),
        PropertyCheck("property", _strategy_i(), max_examples=60),
    ),
    kind="limit",
    inputs=FAMILY_INPUTS,
)
