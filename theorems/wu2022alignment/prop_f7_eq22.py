r"""Wu, Wang & Su (2022), proof of Proposition F.7 (second part), Eq. (22): from Lemmas F.14–F.15 to μ₂.

Setting
-------
Random feature model of Appendix F.2: :math:`\hat K=G/n` (PSD, nonzero), the operator :math:`\mathcal K` with
:math:`\lambda=\lambda_1(\mathcal K)` and :math:`S=\sum_i\lambda_i^2(\mathcal K)\ge\lambda^2`, a deviation
:math:`\epsilon\ge0` (the ε_n of Proposition F.7), and the events of Lemmas F.14 and F.15,
:math:`\lambda_1(\hat K)\le\lambda+\epsilon` and :math:`\|\hat K\|_F^2\ge S-\epsilon`.  An instance is any
PSD matrix with population numbers placed where the two lemmas allow them.

Statement
---------
Eq. (22) turns Lemmas F.14 and F.15 into part 2: if :math:`\lambda_1(\hat K)\le\lambda+\epsilon` and
:math:`\|\hat K\|_F^2\ge S-\epsilon` (:math:`\lambda=\lambda_1(\mathcal K)`,
:math:`S=\sum_i\lambda_i^2(\mathcal K)\ge\lambda^2`), then
:math:`\tau(\hat K)\le(\lambda+\epsilon)^2/(S-\epsilon)`, and

.. math:: \frac{(\lambda+\epsilon)^2}{S-\epsilon}-\frac{\lambda^2}S
   =\frac{\epsilon(2S\lambda+S\epsilon+\lambda^2)}{S(S-\epsilon)}
   \le\epsilon\,\frac{S^2+4\lambda S+2\lambda^2}{S^2}\qquad(0\le\epsilon\le S/2),

the explicit form of the printed ":math:`\le\lambda^2/S+C\epsilon`".  The step needs :math:`\epsilon<S`
(unstated: the paper's ε_n is small for large n) and its C depends on the kernel's scale through 1/S, as
the scope note of ``wu2022.prop_f7.mu2`` (module ``prop_f7_parts23``) says.  The bound is attained at
:math:`\epsilon=S/2` when both lemmas are tight (e.g. :math:`\hat K=\mathrm{diag}(1/2)`, λ = 1/4, S = 1/2,
ε = 1/4: both sides equal 1).

Evidence
--------
* ``symbolic`` (proof of Proposition F.7, second part, Eq. (22)): sympy derives the identity above and
  :math:`C\epsilon-\text{excess}=t(S+\lambda)^2/(S(1+t)(1+2t))\ge0` with :math:`\epsilon=S/(2(1+t))`,
  :math:`S=\lambda^2+a`; with :math:`3\lambda S` in place of :math:`4\lambda S` (``CROSS22`` = 3) it goes red.
* ``property``: Hypothesis over PSD matrices :math:`\hat K=Q^TQ` of the project's gradient matrices
  (:func:`~verifythm.strategies.gradient_matrices`, rescaled to a drawn :math:`\lambda_1(\hat K)`), with
  population values placed anywhere the lemmas allow: :math:`\epsilon=w\|\hat K\|_F^2/(2-v)`,
  :math:`S=\|\hat K\|_F^2+v\epsilon`, :math:`\lambda=\max(\lambda_1(\hat K)-u\epsilon,0)` for drawn
  u, v, w ∈ [0, 1], half of the draws in the tight corner u = v = w = 1 (equality whenever
  :math:`\lambda_1(\hat K)>\|\hat K\|_F^2`); ``CROSS22`` = 3 is caught.
* ``exact``: seeded instances of the same kind and the equality instance.

References
----------
[wu2022alignment, Appendix F.2, Proposition F.7 (proof of the second part, Eq. (22)); Lemmas F.14–F.15].
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import REAL, array
from verifythm.evidence.symbolic import Identity
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import is_psd, random_gram

#: The coefficient of λS in Eq. (22)'s explicit constant C = (S² + 4λS + 2λ²)/S².
CROSS22 = 4
#: Relative slack for the float test of the step's hypotheses (instances are built on their boundary).
_SLACK = 1e-12


def _eq22_parts(inst: dict[str, Any]) -> tuple[float, float, float, float, float, float]:
    K = inst["K"]
    lam1 = float(np.linalg.eigvalsh((K + K.T) / 2.0)[-1])
    return lam1, float(np.sum(K * K)), inst["lam"], inst["S"], inst["eps"], _SLACK


def eq22(inst: dict[str, Any]) -> Comparison:
    r""":math:`\tau(\hat K)` vs :math:`\lambda^2/S+\epsilon(S^2+4\lambda S+2\lambda^2)/S^2` (Eq. (22))."""
    lam1, fro2, lam, S, eps, _ = _eq22_parts(inst)
    C = (S * S + CROSS22 * lam * S + 2.0 * lam * lam) / (S * S)
    return Comparison(lam1 * lam1 / fro2, lam * lam / S + C * eps, "<=", "τ(K̂)", "λ²/S + Cε")


def _eq22_valid(inst: dict[str, Any]) -> bool:
    K = inst["K"]
    if K.ndim != 2 or K.shape[0] != K.shape[1] or not is_psd(K) or float(np.max(np.abs(K))) <= 1e-8:
        return False
    lam1, fro2, lam, S, eps, tol = _eq22_parts(inst)
    return (
        S > 0
        and lam >= 0
        and lam * lam <= S * (1 + tol)
        and 0 <= eps <= S / 2 * (1 + tol)
        and lam1 <= (lam + eps) * (1 + tol)
        and fro2 >= (S - eps) * (1 - tol)
    )


def _place(K: np.ndarray, u: float, v: float, w: float) -> dict[str, Any]:
    """Population values around K̂ where Lemmas F.14–F.15 allow them (u = v = w = 1: the tight corner)."""
    lam1 = float(np.linalg.eigvalsh(K)[-1])
    fro2 = float(np.sum(K * K))
    eps = w * fro2 / (2.0 - v)
    return {"K": K, "lam": max(lam1 - u * eps, 0.0), "S": fro2 + v * eps, "eps": eps}


def _generate22(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        K = random_gram(rng, int(rng.integers(1, 6)), i % 5)
        K = K * rng.uniform(0.05, 3.0) / max(float(np.linalg.eigvalsh(K)[-1]), 1e-300)
        u, v, w = (1.0, 1.0, 1.0) if i % 4 == 0 else rng.uniform(0.0, 1.0, 3)
        out.append(_place(K, float(u), float(v), float(w)))
    return out


#: Equality: K̂ = diag(1/2), λ = 1/4, S = 1/2, ε = 1/4 (τ(K̂) = 1 = λ²/S + Cε).
SHARP22 = {"K": np.diag([0.5]), "lam": 0.25, "S": 0.5, "eps": 0.25}


@st.composite
def _strategy22(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_matrices(p=st.integers(1, 5), n=st.integers(1, 5)))
    K = Q.T @ Q
    top = float(np.linalg.eigvalsh(K)[-1])
    if top <= 1e-8:
        return {"K": K, "lam": 0.0, "S": 1.0, "eps": 0.0}  # rejected by the hypotheses
    K = K * draw(st.floats(0.05, 3.0)) / top
    if draw(st.booleans()):  # the tight corner: both lemmas attained, ε = S/2
        return _place(K, 1.0, 1.0, 1.0)
    u, v, w = (draw(st.floats(0.0, 1.0)) for _ in range(3))
    return _place(K, u, v, w)


def _symbolic22() -> list[Any]:
    r"""Proof of Proposition F.7, second part, Eq. (22): the excess over τ(𝒦) and its explicit constant."""
    import sympy as sp

    lam = sp.Symbol("lambda", positive=True)
    a, t = sp.symbols("a t", nonnegative=True)
    S = lam**2 + a  # Σλ_i² ≥ λ₁²
    eps = S / (2 * (1 + t))  # 0 < ε ≤ S/2
    excess = (lam + eps) ** 2 / (S - eps) - lam**2 / S
    C = (S**2 + CROSS22 * lam * S + 2 * lam**2) / S**2
    return [
        Identity(
            excess,
            eps * (2 * S * lam + S * eps + lam**2) / (S * (S - eps)),
            "(λ + ε)²/(S − ε) − λ²/S, exactly",
        ),
        Nonnegative(
            sp.factor(sp.cancel(C * eps - excess)), "(λ + ε)²/(S − ε) ≤ λ²/S + Cε, C = (S² + 4λS + 2λ²)/S²"
        ),
    ]


CLAIM = Claim(
    id="wu2022.prop_f7.eq22",
    title="Proof of Prop F.7, Eq. (22): λ₁(K̂) ≤ λ + ε, ‖K̂‖_F² ≥ S − ε ⇒ τ(K̂) ≤ λ²/S + Cε (ε ≤ S/2)",
    source=Source(KEY, "Proposition F.7 (proof, second part, Eq. (22))"),
    statement=(
        r"For every PSD $\hat K\ne0$ and $\lambda\ge0$, $S\ge\lambda^2$, $0\le\epsilon\le S/2$ with "
        r"$\lambda_1(\hat K)\le\lambda+\epsilon$ and $\|\hat K\|_F^2\ge S-\epsilon$: "
        r"$\tau(\hat K)\le\lambda^2/S+\epsilon(S^2+4\lambda S+2\lambda^2)/S^2$."
    ),
    hypotheses=(
        Hypothesis("K̂ PSD nonzero; λ ≥ 0, λ² ≤ S, 0 ≤ ε ≤ S/2; the two lemmas' events", _eq22_valid),
    ),
    conclusion=eq22,
    inputs={"K": array(), "lam": REAL, "S": REAL, "eps": REAL},
    checks=(
        ExactCheck("exact", _generate22, fixed=[SHARP22], note="seeded Gram matrices; the equality instance"),
        PropertyCheck("property", _strategy22(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic22, note="proof of Prop F.7, Eq. (22)"),
    ),
)
