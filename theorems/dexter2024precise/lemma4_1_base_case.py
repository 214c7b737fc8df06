r"""Dexter et al. (2024), proof of Lemma 4.1, base case: the second moment of one Bernoulli-SGD Jacobian.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H = \frac1n\sum_iH_i`, :math:`\eta>0`,
:math:`B\in[n]`, and :math:`\hat J = I-\frac\eta B\sum_i x_iH_i` with
:math:`x_i\sim\mathrm{Bern}(B/n)` independent (Definition 1).

Statement
---------
:math:`\mathbb E[\hat J^2] = I - 2\eta H + \eta^2H^2 +
\left(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}\right)\sum_{i=1}^nH_i^2`
(the paper proves it from :math:`\mathbb E[x_ix_j] = B^2/n^2` for :math:`i\ne j` and
:math:`B/n` for :math:`i=j`).

Evidence
--------
* ``symbolic``: all :math:`2^n` keep-masks enumerated with their exact probabilities for
  every :math:`n\le4`, :math:`B\le n`; both sides expanded with non-commuting
  :math:`H_i`, so the identity holds for every dimension :math:`d` at those sizes.
* ``exact``: a float sum over the :math:`2^n` masks against the right-hand side,
  through :math:`\operatorname{tr}(X\,\cdot)` for a random symmetric :math:`X`, with
  :math:`n\le6`.
* ``property``: the same on Hypothesis-drawn families.

This is the :math:`W = I` case of the general operator identity
``linsgd.moments.bernoulli``.

References
----------
[dexter2024precise, Appendix A.2, proof of Lemma 4.1 (base case)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Claim, Comparison, ExactCheck, Identity, PropertyCheck, Source, SymbolicCheck
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import array
from verifythm.dynamics import Sampling
from verifythm.dynamics.moments import enumerated_second_moment
from verifythm.dynamics.symbolic import second_moment_sides
from verifythm.strategies import families, family_instance
from verifythm.strategies.scalars import reals

from ._common import FAMILY_INPUTS


def right_side(Hs: np.ndarray, eta: float, B: int) -> np.ndarray:
    r""":math:`I - 2\eta H + \eta^2H^2 + (\eta^2/(nB) - \eta^2/n^2)\sum_iH_i^2`."""
    n, d, _ = Hs.shape
    H = Hs.mean(axis=0)
    return (
        np.eye(d)
        - 2 * eta * H
        + eta**2 * H @ H
        + (eta**2 / (n * B) - eta**2 / n**2) * np.einsum("iab,ibc->ac", Hs, Hs)
    )


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``tr(X·E[Ĵ²])`` (mask enumeration) versus ``tr(X·RHS)``."""
    Hs, X, eta, B = inst["hessians"], inst["X"], inst["eta"], inst["B"]
    d = Hs.shape[1]
    lhs = enumerated_second_moment(Hs, np.eye(d), eta, B, Sampling.BERNOULLI)
    rhs = right_side(Hs, eta, B)
    top = float(np.max(np.linalg.norm(Hs, ord=2, axis=(1, 2))))
    scale = float(np.linalg.norm(X)) * np.sqrt(d) * (1 + eta * top * Hs.shape[0] / B) ** 2
    return Comparison(
        float(np.sum(X * lhs)), float(np.sum(X * rhs)), "==", "tr(X·E[Ĵ²])", "tr(X·RHS)", scale=scale
    )


def _symbolic() -> list[Any]:
    out = []
    for n in range(1, 5):
        for B in range(1, n + 1):
            lhs, rhs = second_moment_sides(Sampling.BERNOULLI, n, B, general_w=False)
            out.append(Identity(lhs, rhs, f"n={n}, B={B}"))
    return out


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n, d = int(rng.integers(1, 7)), int(rng.integers(1, 5))
        Hs = family_instance(rng, i, n, d)
        X = rng.standard_normal((d, d))
        out.append(
            {
                "hessians": Hs,
                "X": X + X.T,
                "eta": float(10 ** rng.uniform(-2, 0.5)),
                "B": int(rng.integers(1, n + 1)),
            }
        )
    return out


@st.composite
def _instances(draw: Any) -> dict[str, Any]:
    """A family of any kind in :data:`verifythm.strategies.FAMILY_KINDS` (n ≤ 5), X, η, B."""
    Hs = draw(families(n=st.integers(1, 5), d=st.integers(1, 3)))
    n, d, _ = Hs.shape
    x = draw(st.lists(reals(-3, 3), min_size=d * d, max_size=d * d))
    X = np.array(x).reshape(d, d)
    return {"hessians": Hs, "X": X + X.T, "eta": draw(st.floats(1e-3, 3.0)), "B": draw(st.integers(1, n))}


CLAIM = Claim(
    id="dexter2024.lemma4_1.base_case",
    title="E[Ĵ²] = I − 2ηH + η²H² + (η²/(nB) − η²/n²) Σ H_i² under Bernoulli sampling",
    source=Source("dexter2024precise", "Appendix A.2, proof of Lemma 4.1, base case"),
    statement=(
        r"With $x_i\sim\mathrm{Bern}(B/n)$ independent and $\hat J = I-\frac\eta B\sum_ix_iH_i$: "
        r"$\mathbb E[\hat J^2] = I-2\eta H+\eta^2H^2+(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})\sum_iH_i^2$."
    ),
    hypotheses=(psd_family("hessians"),),
    conclusion=conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _instances()),
    ),
    kind="identity",
    inputs=FAMILY_INPUTS | {"X": array(2)},
)
