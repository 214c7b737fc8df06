r"""Wu, Wang & Su (2022), Section 3, before Eq. (8): a minimum stable for SGD satisfies GD's λ₁(H) ≤ 2/η.

Setting
-------
Linearized model (5) at a global minimum, :math:`H=G=\frac1n\sum_ig_ig_i^T` (model gradients :math:`g_i`,
columns of Q), linearized mini-batch SGD (4) with B indices drawn with replacement, learning rate η.
Linear stability (Definition 3.1) is decided exactly by the moment engine (``_linear.is_stable``).

Statement
---------
* ``wu2022.eq8.sgd_stricter`` (the sentence before (8)): GD-stability needs
  :math:`\lambda_1(H)\le2/\eta`; "this also holds for SGD": if θ* is linearly stable for mini-batch
  SGD (Definition 3.1, B indices drawn with replacement, decided exactly by the moment engine,
  ``_linear.is_stable``) then :math:`\lambda_1(H)\le2/\eta`, i.e. the critical learning rate of SGD is
  at most GD's :math:`2/\lambda_1`.  Equality when the noise vanishes (identical gradients).

The bound (8) itself is ``wu2022.eq8`` (module ``eq8``).

Evidence
--------
* ``exact``/``property`` (sgd_stricter): the catalogue's §3 instances (gradient families, B ≤ n,
  η = u·η* with u up to 1 − 1e-9), plus identical gradients at η* (ratio → 1).

Weakening by 10 % (2/η × 0.9) gives counterexamples on the attaining instances.

References
----------
[wu2022alignment, Section 3, the sentence before Eq. (8); Definition 3.1].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, PropertyCheck, Source, Tolerance
from verifythm.claims.inputs import INT, REAL, array

from . import KEY
from ._linear import NONZERO, POSITIVE_ETA, STABLE, at_critical, facts, generate, strategy


def stricter_conclusion(inst: dict[str, Any]) -> Comparison:
    """λ₁(H) versus 2/η."""
    return Comparison(facts(inst)["lam1"], 2.0 / inst["eta"], "<=", "λ₁(H)", "2/η")


_G = np.array([[1.0], [2.0], [-1.0]])
STRICT_FIXED = [at_critical(np.hstack([_G] * n), B) for n, B in ((1, 1), (3, 1), (3, 2))]

CLAIMS = [
    Claim(
        id="wu2022.eq8.sgd_stricter",
        title="A minimum linearly stable for SGD also satisfies GD's condition λ₁(H) ≤ 2/η",
        source=Source(KEY, "Section 3 (before Eq. (8))"),
        statement=(
            r"If $\theta^*$ is linearly stable for mini-batch SGD (4) (B indices with replacement), "
            r"then $\lambda_1(H(\theta^*))\le2/\eta$."
        ),
        hypotheses=(NONZERO, POSITIVE_ETA, STABLE),
        conclusion=stricter_conclusion,
        checks=(
            ExactCheck("exact", lambda rng, k: generate(rng, min(k, 40)), fixed=STRICT_FIXED),
            PropertyCheck("property", strategy(), max_examples=60),
        ),
        tolerance=Tolerance(rtol=1e-8, atol=1e-12),
        inputs={"Q": array(2), "B": INT, "eta": REAL},
    ),
]
