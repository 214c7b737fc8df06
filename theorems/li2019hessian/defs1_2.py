r"""Li et al. (2019), Definitions 1–2: the α-scale transformation keeps the network and is invertible.

Setting
-------
An :math:`L`-layer feed-forward network with a rectified activation :math:`\rho`
(:math:`\rho(z)=\max(z,cz)`, :math:`0\le c<1`: ReLU for :math:`c=0`, leaky ReLU otherwise),
:math:`\phi(x;\theta)=W_L\rho(W_{L-1}\rho(\cdots\rho(W_1x+b_1)\cdots)+b_{L-1})+b_L`, parameters
:math:`\theta=(\theta_1,\dots,\theta_L)`, :math:`\theta_l` the parameters of layer :math:`l`.
Definition 1 (Eq. (45)): for :math:`\alpha_l>0` with :math:`\prod_l\alpha_l=1`,
:math:`T_\alpha(\theta_1,\dots,\theta_L)=(\alpha_1\theta_1,\dots,\alpha_L\theta_L)`.  The text
before it and Section 6 state that :math:`T_\alpha` does not change the function the network
computes, and that it is an invertible linear map :math:`T_\alpha(\theta)=A\theta`, :math:`A`
non-singular (Definition 2).

Statement
---------
* ``li2019.def1.function_invariance`` — for networks without biases,
  :math:`\phi(x;T_\alpha\theta)=\phi(x;\theta)` for every input: :math:`\rho` is positively
  homogeneous, so the factors :math:`\alpha_1,\dots,\alpha_L` pass through the layers and
  multiply to 1.
* ``li2019.def1.function_invariance.with_biases`` — the same when :math:`\theta_l=(W_l,b_l)`
  contains the biases, scaled by :math:`\alpha_l` as (45) prescribes (see Finding).
* ``li2019.def1.function_invariance.with_biases.corrected`` — with the bias of layer :math:`l`
  scaled by :math:`\alpha_1\cdots\alpha_l` (still a linear map :math:`A\theta` with :math:`A`
  diagonal and positive), the function is unchanged.
* ``li2019.def2.alpha_inverse`` — Definition 2 for :math:`T_\alpha`: :math:`S=T_{\alpha^{-1}}`
  (:math:`\alpha^{-1}=(1/\alpha_l)_l`) satisfies (48), :math:`S(T_\alpha\theta)=\theta` and
  :math:`T_\alpha(S v)=v`, and :math:`T_\alpha\theta=A\theta` with
  :math:`A=\operatorname{diag}(\alpha_lI_{|\theta_l|})` non-singular,
  :math:`|\det A|=\prod_l\alpha_l^{|\theta_l|}`.
  (Note :math:`\det A\ne1` in general although :math:`\prod_l\alpha_l=1`: :math:`T_\alpha` does not
  preserve volume, which is why Lemma 1 / Corollary 3 need the prior transformed too.)

Finding
-------
**Scope**: the reading with biases is **false**: the bias of
layer :math:`l` meets the factor :math:`\alpha_1\cdots\alpha_{l-1}` carried by its input, so it must
be scaled by :math:`\alpha_1\cdots\alpha_l`, not :math:`\alpha_l`.  Smallest counterexample:
one input, one hidden unit, :math:`W_1=W_2=1`, :math:`b_1=0`, :math:`b_2=1`, :math:`\alpha=(2,\frac12)`,
:math:`x=0`: :math:`\phi=1` becomes :math:`\frac12`.  This is a **scope** finding, not an error
of the paper: the text before Definition 1 speaks of scaling the *weights*, biases are never
mentioned, and the cited construction (Dinh et al.) is for bias-free networks, where the claim
holds (``li2019.def1.function_invariance``).  It records that the bias-free assumption is
necessary, since the paper's experiments do not say their networks are bias-free.

Evidence
--------
* ``symbolic``: positive homogeneity :math:`\rho(az)=a\rho(z)` (:math:`a>0`) on both signs of
  :math:`z`, and the scalar two-layer network with and without biases.
* ``exact``: seeded networks (depth 1–4, widths 1–5, ReLU and leaky ReLU, :math:`\alpha` spread
  over :math:`[10^{-2},10^2]`), inputs including 0; output difference on the scale of the output.
* ``property``: Hypothesis over the same family.
* A float64 violation (``.with_biases``) is re-checked with the forward passes in exact rational
  arithmetic (``precise_conclusion``; ``.corrected`` carries its own).

No symbolic check: (for ``li2019.def2.alpha_inverse``) the identities are entrywise cancellations
  :math:`\alpha_l^{-1}\alpha_l=1` with no algebra of their own beyond the positive homogeneity derived
  symbolically above for Definition 1; they are decided exactly on seeded and drawn networks.

References
----------
[li2019hessian, Definition 1, Eq. (45); Definition 2, Eqs. (46)–(48); Section 6].
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import Claim, Comparison, Expected, Identity, Source
from verifythm.claims.common import exact, matrix_equal, symbolic_exact_property
from verifythm.linalg.precise import to_float

from ._alpha_scale import (
    BIAS_FREE,
    INPUTS,
    SMALLEST,
    TOL,
    forward,
    hypotheses,
    layer_sizes,
    layers,
    network_strategy,
    networks,
    numeric,
    scaled,
)

SOURCE = Source("li2019hessian", "Definition 1, Eq. (45)")
SOURCE_DEF2 = Source("li2019hessian", "Definition 2, Eqs. (46)-(48); Definition 1")


def _invariance(bias_rule: str) -> Any:
    def conclusion(inst: dict[str, Any]) -> Comparison:
        X, leak = inst["X"], inst["leak"]
        before = forward(layers(inst), X, leak)
        after = forward(scaled(inst, bias_rule), X, leak)
        return Comparison(
            float(np.max(np.abs(after - before))),
            0.0,
            "==",
            "max_x |φ(x; T_α θ) − φ(x; θ)|",
            "0",
            scale=max(float(np.max(np.abs(before))), float(np.max(np.abs(after))), 1e-300),
        )

    return conclusion


def _invariance_exact(bias_rule: str) -> Any:
    """:func:`_invariance` in exact rational arithmetic (every float input read exactly)."""

    def forward_exact(
        params: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray, leak: Fraction
    ) -> np.ndarray:
        Z = X.T
        for i, (W, b) in enumerate(params):
            Z = W.dot(Z) + b[:, None]
            if i < len(params) - 1:
                Z = np.vectorize(lambda z: z if z >= 0 else leak * z, otypes=[object])(Z)
        return Z.T

    def conclusion(inst: dict[str, Any]) -> Comparison:
        X, leak = exact(inst["X"]), Fraction(inst["leak"])
        alpha = exact(inst["alpha"])
        params = [(exact(W), exact(b)) for W, b in layers(inst)]
        cum = [alpha[: k + 1].prod() for k in range(alpha.size)]
        moved = [
            (a * W, (a if bias_rule == "layer" else c) * b)
            for (W, b), a, c in zip(params, alpha, cum, strict=True)
        ]
        before, after = forward_exact(params, X, leak), forward_exact(moved, X, leak)
        return Comparison(
            to_float(max(abs(d) for d in (after - before).ravel())),
            0.0,
            "==",
            "max_x |φ(x; T_α θ) − φ(x; θ)|",
            "0",
            scale=max(
                to_float(max(abs(z) for z in before.ravel())),
                to_float(max(abs(z) for z in after.ravel())),
                1e-300,
            ),
        )

    return conclusion


def _symbolic(bias_rule: str | None) -> Any:
    """Obligations: positive homogeneity of ρ, and the scalar two-layer network under α = (α, 1/α).

    ``bias_rule`` None: no biases; "cumulative": b_1 ↦ α b_1, b_2 ↦ α·(1/α) b_2 = b_2.
    """

    def build() -> list[Any]:
        import sympy as sp

        a = sp.Symbol("alpha", positive=True)
        zp, zn = sp.Symbol("z_pos", positive=True), sp.Symbol("z_neg", negative=True)
        c = sp.Symbol("c", nonnegative=True)

        def rho(z: Any) -> Any:  # max(z, cz) for 0 <= c < 1
            return sp.Max(z, 0) + c * sp.Min(z, 0)

        w1, w2, x = sp.symbols("w1 w2 x", positive=True)
        if bias_rule is None:
            b1 = b2 = sp.Integer(0)
        else:
            b1, b2 = sp.symbols("b1 b2", positive=True)
        phi = w2 * rho(w1 * x + b1) + b2
        phi_t = (w2 / a) * rho(a * w1 * x + a * b1) + b2  # cumulative factors α and α·(1/α) = 1
        return [
            Identity(rho(a * zp), a * rho(zp), "ρ(αz) = αρ(z), z > 0"),
            Identity(rho(a * zn), a * rho(zn), "ρ(αz) = αρ(z), z < 0"),
            Identity(phi_t, phi, "two-layer scalar network, α = (α, 1/α), w₁x + b₁ > 0"),
        ]

    return build


INVARIANCE = Claim(
    id="li2019.def1.function_invariance",
    title="Definition 1: T_α (Π α_l = 1) leaves a bias-free rectified network's function unchanged",
    source=SOURCE,
    statement=r"For an $L$-layer network without biases and a rectified activation, "
    r"$\phi(x;T_\alpha\theta)=\phi(x;\theta)$ for every $x$ whenever $\alpha_l>0$, $\prod_l\alpha_l=1$.",
    hypotheses=hypotheses(False),
    conclusion=_invariance("layer"),
    inputs=INPUTS,
    checks=symbolic_exact_property(
        _symbolic(None), networks(False), network_strategy(False), fixed=[BIAS_FREE], max_examples=40
    ),
    tolerance=TOL,
)
WITH_BIASES = INVARIANCE.variant(
    id="li2019.def1.function_invariance.with_biases",
    title="Definition 1 read with biases in θ_l, each scaled by α_l: the function is unchanged (a reading "
    "beyond the paper)",
    statement=r"Read beyond the paper, which scales weights only: for an $L$-layer network whose layer "
    r"parameters $\theta_l=(W_l,b_l)$ include biases, (45) scales $W_l$ and $b_l$ by $\alpha_l$, and "
    r"$\phi(x;T_\alpha\theta)=\phi(x;\theta)$ for every $x$.",
    hypotheses=hypotheses(True),
    precise_conclusion=_invariance_exact("layer"),
    checks=numeric(True, [SMALLEST]),
    expected=Expected.fails(
        "scope, not an error: Definition 1 scales the weights of bias-free networks (as in Dinh et al., whom "
        "it cites), where the function is unchanged (`li2019.def1.function_invariance` holds); biases scaled "
        "by α_l break it (the bias of layer l needs α_1⋯α_l): one hidden unit, W_1 = W_2 = 1, b_1 = 0, "
        "b_2 = 1, α = (2, 1/2), x = 0 gives φ = 1 before and 1/2 after",
        "docs/errata/li2019.def1.function_invariance.with_biases__exact.md",
        finding="scope",
    ),
)
CORRECTED = WITH_BIASES.variant(
    id="li2019.def1.function_invariance.with_biases.corrected",
    title="Definition 1 with biases scaled by α_1⋯α_l: the function is unchanged",
    statement=r"With $W_l\mapsto\alpha_lW_l$ and $b_l\mapsto(\alpha_1\cdots\alpha_l)b_l$, "
    r"$\prod_l\alpha_l=1$: $\phi(x;\theta')=\phi(x;\theta)$ for every $x$.",
    conclusion=_invariance("cumulative"),
    precise_conclusion=_invariance_exact("cumulative"),  # not the inherited "layer" re-check
    checks=symbolic_exact_property(
        _symbolic("cumulative"), networks(True), network_strategy(True), fixed=[SMALLEST], max_examples=40
    ),
    expected=INVARIANCE.expected,
)


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

CLAIMS = [INVARIANCE, WITH_BIASES, CORRECTED, INVERSE]
