r"""Wu, Wang & Su (2022), proof of Proposition 2.5 (Appendix E.3, last step): 1 − τ ≥ min(r, 1)/2.

Setting
-------
A nonzero PSD matrix (the operator :math:`\mathcal K` of Appendix E.3, or :math:`\hat K` of Lemma 2.4) with
eigenvalues :math:`\lambda_1\ge\lambda_2\ge\dots\ge0`, :math:`\tau=\lambda_1^2/\sum_i\lambda_i^2` and
:math:`r=\sum_{i\ge2}\lambda_i^2/\lambda_1^2` (the statement itself is ``wu2022.prop2_5.mu``, module
``prop2_5_mu``).

Statement
---------
The last step of Appendix E.3 turns the population spectrum into the rate: writing
:math:`r=\sum_{i\ge2}\lambda_i^2/\lambda_1^2` (:math:`\sim1/d` for the ReLU kernel),
:math:`\tau=\lambda_1^2/\sum_i\lambda_i^2=1/(1+r)`, and the gap :math:`1-\tau=r/(1+r)` is at least
:math:`\min(r,1)/2` (:math:`r/(1+r)\ge r/2` iff :math:`r\le1`; :math:`\ge1/2` for :math:`r\ge1`), so
:math:`r\ge c/d` gives :math:`1-\tau\ge c/(2d)` once :math:`d\ge c`.  Encoded for every nonzero PSD matrix
(the same algebra holds for :math:`\tau(\hat K)` of Lemma 2.4, :math:`\sup_\theta\mu_2=\tau(G)`).

Evidence
--------
* ``symbolic`` (Appendix E.3, the step from :math:`\lambda_1^2/\sum\lambda_i^2\sim1/(1+1/d)` to
  :math:`1-C/d`): sympy derives :math:`\tau=1/(1+r)` for a symbolic three-point spectrum,
  :math:`1-1/(1+r)-r/2=r(1-r)/(2(1+r))\ge0` on :math:`0<r\le1` and :math:`r/(1+r)\ge1/2` for
  :math:`r\ge1`; with :math:`r/1.5` in place of :math:`r/2` (``HALF`` = 1.5) the check goes red.
* ``property``: Hypothesis over Gram matrices :math:`K=Q^TQ` of the project's gradient matrices
  (:func:`~verifythm.strategies.gradient_matrices`, all kinds, up to 6 × 6), :math:`1-\tau(K)` against
  :math:`\min(r,1)/2`; equality at two equal top eigenvalues and nothing else (r = 1), where the mutation
  ``HALF`` = 1.5 is also caught (at r ∈ (0.5, 1)).
* ``exact``: seeded spectra (Gram matrices of several kinds; two equal eigenvalues).

References
----------
[wu2022alignment, Proposition 2.5 (proof, the last step of Appendix E.3); Lemma 2.4].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import is_psd, random_gram

#: :math:`1-\tau\ge\min(r,1)/\mathrm{HALF}`: the divisor E.3's last step needs (2).
HALF = 2


def tau_gap(inst: dict[str, Any]) -> Comparison:
    r""":math:`1-\tau(K)` vs :math:`\min(r,1)/2`, :math:`r=(\|K\|_F^2-\lambda_1^2)/\lambda_1^2` (K PSD)."""
    K = inst["K"]
    lam = np.linalg.eigvalsh((K + K.T) / 2.0)
    top2, fro2 = float(lam[-1]) ** 2, float(np.sum(lam * lam))
    r = (fro2 - top2) / top2
    return Comparison(1.0 - top2 / fro2, min(r, 1.0) / HALF, ">=", "1 − τ(K)", "min(r, 1)/2")


def _nonzero_psd(inst: dict[str, Any]) -> bool:
    K = inst["K"]
    return K.ndim == 2 and K.shape[0] == K.shape[1] and is_psd(K) and float(np.max(np.abs(K))) > 1e-8


def _generate_tau(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [{"K": random_gram(rng, int(rng.integers(1, 7)), i % 5)} for i in range(min(k, 40))]


#: r = 1 (two equal top eigenvalues, the third zero): 1 − τ = 1/2 = min(r, 1)/2, equality.
TIED = {"K": np.diag([1.0, 1.0, 0.0])}


@st.composite
def _strategy_tau(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_matrices(p=st.integers(1, 6), n=st.integers(1, 6)))
    return {"K": Q.T @ Q}


def _symbolic_tau() -> list[Any]:
    r"""Appendix E.3, last step: :math:`\tau=1/(1+r)` and :math:`1-\tau\ge\min(r,1)/2`."""
    import sympy as sp

    l1, l2, l3 = sp.symbols("lambda1:4", positive=True)
    r_def = (l2**2 + l3**2) / l1**2
    t = sp.Symbol("t", nonnegative=True)
    r_small, r_large = 1 / (1 + t), 1 + t  # r ∈ (0, 1] and r ≥ 1
    return [
        Identity(l1**2 / (l1**2 + l2**2 + l3**2), 1 / (1 + r_def), "τ = λ₁²/Σλ_i² = 1/(1 + r)"),
        Nonnegative(
            sp.factor(sp.cancel(1 - 1 / (1 + r_small) - r_small / HALF)),
            "1 − 1/(1 + r) ≥ r/2 for 0 < r ≤ 1 (E.3: 1/(1 + 1/d) ≤ 1 − C/d)",
        ),
        Nonnegative(
            sp.factor(sp.cancel(1 - 1 / (1 + r_large) - sp.Rational(1, 2))), "1 − 1/(1 + r) ≥ 1/2 for r ≥ 1"
        ),
    ]


CLAIM = Claim(
    id="wu2022.prop2_5.mu.tau_gap",
    title="Appendix E.3, last step: 1 − τ = r/(1 + r) ≥ min(r, 1)/2, r = Σ_(i≥2)λ_i²/λ₁² (every PSD matrix)",
    source=Source(KEY, "Proposition 2.5 (proof, Appendix E.3)"),
    statement=(
        r"For every nonzero PSD matrix with eigenvalues $\lambda_1\ge\lambda_2\ge\dots\ge0$ and "
        r"$r=\sum_{i\ge2}\lambda_i^2/\lambda_1^2$: $1-\tau=1-\lambda_1^2/\sum_i\lambda_i^2\ge\min(r,1)/2$, "
        r"so $r\gtrsim1/d$ gives $1-\tau\gtrsim1/d$."
    ),
    hypotheses=(Hypothesis("K square, PSD, nonzero", _nonzero_psd),),
    conclusion=tau_gap,
    inputs={"K": array()},
    checks=(
        ExactCheck("exact", _generate_tau, fixed=[TIED], note="seeded Gram matrices; r = 1 (equality)"),
        PropertyCheck("property", _strategy_tau(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic_tau, note="Appendix E.3: τ = 1/(1 + r), 1 − τ ≥ min(r, 1)/2"),
    ),
)
