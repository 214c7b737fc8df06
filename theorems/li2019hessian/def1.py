r"""Li et al. (2019), Definition 1: the α-scale transformation leaves a bias-free rectified network unchanged.

Setting
-------
An :math:`L`-layer feed-forward network with a rectified activation :math:`\rho`
(:math:`\rho(z)=\max(z,cz)`, :math:`0\le c<1`: ReLU for :math:`c=0`, leaky ReLU otherwise),
:math:`\phi(x;\theta)=W_L\rho(W_{L-1}\rho(\cdots\rho(W_1x)\cdots))` without biases, parameters
:math:`\theta=(\theta_1,\dots,\theta_L)`, :math:`\theta_l=W_l` the parameters of layer :math:`l`.
Definition 1 (Eq. (45)): for :math:`\alpha_l>0` with :math:`\prod_l\alpha_l=1`,
:math:`T_\alpha(\theta_1,\dots,\theta_L)=(\alpha_1\theta_1,\dots,\alpha_L\theta_L)`.  The text
before it and Section 6 state that :math:`T_\alpha` does not change the function the network
computes.  Networks with biases are :mod:`.def1_with_biases`; the inverse (Definition 2) is
:mod:`.def2`.

Statement
---------
``li2019.def1.function_invariance`` — for networks without biases,
:math:`\phi(x;T_\alpha\theta)=\phi(x;\theta)` for every input: :math:`\rho` is positively
homogeneous, so the factors :math:`\alpha_1,\dots,\alpha_L` pass through the layers and
multiply to 1.

Evidence
--------
* ``symbolic``: positive homogeneity :math:`\rho(az)=a\rho(z)` (:math:`a>0`) on both signs of
  :math:`z`, and the scalar two-layer network without biases.
* ``exact``: seeded networks (depth 1–4, widths 1–5, ReLU and leaky ReLU, :math:`\alpha` spread
  over :math:`[10^{-2},10^2]`), inputs including 0; output difference on the scale of the output.
* ``property``: Hypothesis over the same family.

References
----------
[li2019hessian, Definition 1, Eq. (45); Section 6].
"""

from __future__ import annotations

from verifythm import Claim, Source
from verifythm.claims.common import symbolic_exact_property

from ._alpha_scale import (
    BIAS_FREE,
    INPUTS,
    TOL,
    hypotheses,
    invariance,
    invariance_symbolic,
    network_strategy,
    networks,
)

SOURCE = Source("li2019hessian", "Definition 1, Eq. (45)")

INVARIANCE = Claim(
    id="li2019.def1.function_invariance",
    title="Definition 1: T_α (Π α_l = 1) leaves a bias-free rectified network's function unchanged",
    source=SOURCE,
    statement=r"For an $L$-layer network without biases and a rectified activation, "
    r"$\phi(x;T_\alpha\theta)=\phi(x;\theta)$ for every $x$ whenever $\alpha_l>0$, $\prod_l\alpha_l=1$.",
    hypotheses=hypotheses(False),
    conclusion=invariance("layer"),
    inputs=INPUTS,
    checks=symbolic_exact_property(
        invariance_symbolic(None),
        networks(False),
        network_strategy(False),
        fixed=[BIAS_FREE],
        max_examples=40,
    ),
    tolerance=TOL,
)

CLAIM = INVARIANCE
