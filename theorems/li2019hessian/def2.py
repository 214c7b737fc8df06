r"""Li et al. (2019), Definition 2 for :math:`T_\alpha`: :math:`T_{1/\alpha}` inverts it, and it is linear.

Setting
-------
An :math:`L`-layer feed-forward network with a rectified activation, parameters
:math:`\theta=(\theta_1,\dots,\theta_L)` (with or without biases), and the α-scale transformation
of Definition 1 (Eq. (45)), :math:`T_\alpha(\theta_1,\dots,\theta_L)=(\alpha_1\theta_1,\dots,
\alpha_L\theta_L)`, :math:`\alpha_l>0`, :math:`\prod_l\alpha_l=1` (:mod:`.def1`).  Section 6 states
that :math:`T_\alpha` is an invertible linear map :math:`T_\alpha(\theta)=A\theta`, :math:`A`
non-singular (Definition 2).

Statement
---------
``li2019.def2.alpha_inverse`` — Definition 2 for :math:`T_\alpha`: :math:`S=T_{\alpha^{-1}}`
(:math:`\alpha^{-1}=(1/\alpha_l)_l`) satisfies (48), :math:`S(T_\alpha\theta)=\theta` and
:math:`T_\alpha(S v)=v`, and :math:`T_\alpha\theta=A\theta` with
:math:`A=\operatorname{diag}(\alpha_lI_{|\theta_l|})` non-singular,
:math:`|\det A|=\prod_l\alpha_l^{|\theta_l|}`.
(Note :math:`\det A\ne1` in general although :math:`\prod_l\alpha_l=1`: :math:`T_\alpha` does not
preserve volume, which is why Lemma 1 / Corollary 3 need the prior transformed too.)

Evidence
--------
* ``exact``: seeded networks (depth 1–4, widths 1–5, :math:`\alpha` spread over
  :math:`[10^{-2},10^2]`); the round trips and :math:`A^{-1}A` against :math:`(\theta,\theta,I)`.
* ``property``: Hypothesis over the same family.

No symbolic check: (for ``li2019.def2.alpha_inverse``) the identities are entrywise cancellations
  :math:`\alpha_l^{-1}\alpha_l=1` with no algebra of their own beyond the positive homogeneity derived
  symbolically for Definition 1 (:mod:`.def1`); they are decided exactly on seeded and drawn networks.

References
----------
[li2019hessian, Definition 2, Eqs. (46)–(48); Definition 1; Section 6].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, Source
from verifythm.claims.common import matrix_equal

from ._alpha_scale import BIAS_FREE, INPUTS, SMALLEST, TOL, hypotheses, layer_sizes, numeric

SOURCE_DEF2 = Source("li2019hessian", "Definition 2, Eqs. (46)-(48); Definition 1")


def _diag(inst: dict[str, Any]) -> np.ndarray:
    """The diagonal of A with T_α θ = A θ (Eq. (45): every parameter of layer l times α_l)."""
    w = [int(v) for v in np.asarray(inst["widths"])]
    return np.repeat(inst["alpha"], layer_sizes(w, bool(inst["bias"])))


def _inverse(inst: dict[str, Any]) -> Comparison:
    theta, a = inst["theta"], _diag(inst)
    A = np.diag(a)
    round_trips = np.stack([(theta * a) / a, (theta / a) * a])  # S(T θ) and T(S θ), S = T_{1/α}
    lhs = np.concatenate([round_trips.ravel(), (np.diag(1.0 / a) @ A).ravel()])
    rhs = np.concatenate([theta, theta, np.eye(a.size).ravel()])
    return matrix_equal(lhs, rhs, "(S∘T_α θ, T_α∘S θ, A⁻¹A)", "(θ, θ, I)")


INVERSE = Claim(
    id="li2019.def2.alpha_inverse",
    title="Definition 2 for T_α: S = T_{1/α} inverts it (48), and T_α θ = Aθ with A non-singular",
    source=SOURCE_DEF2,
    statement=r"$S(T_\alpha\theta)=\theta$, $T_\alpha(S\theta)=\theta$ for $S=T_{\alpha^{-1}}$, and "
    r"$T_\alpha\theta=A\theta$ with $A=\operatorname{diag}(\alpha_lI_{|\theta_l|})$, $A^{-1}A=I$.",
    hypotheses=hypotheses(False)[:2],
    conclusion=_inverse,
    inputs=INPUTS,
    checks=numeric(False, [BIAS_FREE, SMALLEST]),
    tolerance=TOL,
)

CLAIM = INVERSE
