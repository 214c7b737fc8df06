r"""Wang & Wu (2023), Theorem 3.5: loss alignment of two-layer networks — α²/β² must be α⁴/β⁴.

Setting
-------
:math:`f(x;\theta)=\sum_{k=1}^ma_k\phi(b_k^Tx)`, :math:`a_k\in\{\pm1\}` fixed, :math:`\theta=(b_1;\dots;b_m)`,
:math:`\alpha\le\phi'\le\beta` (Assumption 3.4; here the α-leaky ReLU, :math:`\beta=1`), inputs
:math:`x_i\sim\mathcal N(0,S)` (Assumption 2.1), realizable targets :math:`y_i=f(x_i;\theta^*)` (as in the
proof, App. B.3).

Statement
---------
If :math:`n/\log(n/\delta)\gtrsim1/\epsilon^2` and :math:`d_{\rm eff}\gtrsim\log(n/\delta)/\epsilon^2`, then
w.p. :math:`\ge1-\delta`, for all θ,
:math:`\frac{\alpha^2(1-\epsilon)^2}{\beta^2(1+\epsilon)^2}\le\mu(\theta)\le\frac{\beta^2(1+\epsilon)^2}{\alpha^2(1-\epsilon)^2}`
(``wang2023.thm3_5``, expected to fail).  The proof's ratio step and its correction are
``wang2023.thm3_5.proof_step_*`` and ``wang2023.thm3_5.as_proved_*`` (module ``thm3_5_b3``).

Finding
-------
**Erratum** (the two proof steps of ``thm3_5_b3`` are **proof-gaps** with this root): the proof bounds
:math:`(\nabla f_i^T\nabla f_j)^2` between :math:`(\alpha^2m\,x_i^Tx_j)^2` and :math:`(\beta^2m\,x_i^Tx_j)^2`
— correct — and then writes the ratio as :math:`\alpha^2/\beta^2` instead of :math:`\alpha^4/\beta^4`.  The
literal theorem is false, not only its proof: with :math:`d\gg n` (allowed: the conditions only ask
:math:`d_{\rm eff}\gtrsim\log n`) choose θ so that the samples with :math:`y_i\le0` sit on the α-slope with
non-zero residual and the others are interpolated on the unit slope; then
:math:`\mu(\theta)\approx2\alpha^4/(1+\alpha^4)`, far below :math:`\alpha^2(1-\epsilon)^2/(1+\epsilon)^2` for
small α.  The ratio does not depend on :math:`n, d` once :math:`d/n` is large, so no choice of the hidden
constants rescues the statement.  What the proof supports is the bound with :math:`\alpha^4/\beta^4`
(``wang2023.thm3_5.as_proved_lower``/``_upper``, deterministic form, hold).

Evidence
--------
* ``exact``: :math:`m=1`, α = 0.1, :math:`\epsilon=0.5`, δ = 0.1, :math:`n=64`, :math:`d=4096`
  (:math:`n/\log(n/\delta)=9.9\ge2.5/\epsilon^2`, :math:`d_{\rm eff}=4096\ge158\log(n/\delta)/\epsilon^2`),
  teacher :math:`\theta^*\sim\mathcal N(0,I/d)`; on each of :math:`R=10` seeded data sets the witness θ
  above (minimum-norm solution of :math:`X\theta=z`) has :math:`\mu\approx3.5\cdot10^{-4}` against the bound
  :math:`1.1\cdot10^{-3}`; the fraction of data sets where the bound holds must be :math:`\ge1-\delta`, it
  is 0 (false-alarm rate :math:`\le\delta^{10}=10^{-10}`).  μ from the exact per-sample gradients of
  :class:`~verifythm.models.TwoLayerNetwork` (:func:`~verifythm.quantities.directional.loss_alignment`).

References
----------
[wang2023noise, Theorem 3.5, Assumption 3.4; Appendix B.3].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Comparison, ExactCheck, Expected, Source
from verifythm.claims.inputs import INT, REAL
from verifythm.models import TwoLayerNetwork, leaky_relu
from verifythm.quantities.directional import loss_alignment

from ._common import KEY, binomial_tail

REPS = 10


def literal(inst: dict[str, Any]) -> Comparison:
    """Fraction of seeded Gaussian data sets on which the witness θ satisfies the printed lower bound."""
    n, d, alpha, eps, delta = (inst[k] for k in ("n", "d", "alpha", "eps", "delta"))
    rng = np.random.default_rng([inst["seed"], n, d])
    net = TwoLayerNetwork(d, np.ones(1), leaky_relu(alpha))
    bound = alpha**2 * (1 - eps) ** 2 / (1 + eps) ** 2
    ok = 0
    for _ in range(REPS):
        X = rng.standard_normal((n, d))
        ts = rng.standard_normal(d) / np.sqrt(d)
        y = net.predict(ts, X)
        z = np.where(y <= 0, -1.0 - np.abs(y) / alpha, y)  # α-slope with residual / unit slope, interpolated
        th = np.linalg.lstsq(X, z, rcond=None)[0]
        mu = loss_alignment(net.jacobian(th, X).T, net.predict(th, X) - y)
        ok += bool(bound <= mu <= 1 / bound)
    return Comparison(
        ok / REPS, 1 - delta, ">=", "fraction of draws with the bound at the witness θ", "1 − δ"
    )


LITERAL = Claim(
    id="wang2023.thm3_5",
    title="w.h.p. α²(1−ε)²/(β²(1+ε)²) ≤ μ(θ) ≤ β²(1+ε)²/(α²(1−ε)²) for all θ (two-layer net; as printed)",
    source=Source(KEY, "Theorem 3.5", page=5),
    statement=(
        r"If $n/\log(n/\delta)\gtrsim1/\epsilon^2$ and $d_{\rm eff}\gtrsim\log(n/\delta)/\epsilon^2$, "
        r"w.p. $\ge1-\delta$, "
        r"$\forall\theta$: "
        r"$\frac{\alpha^2(1-\epsilon)^2}{\beta^2(1+\epsilon)^2}\le\mu(\theta)\le\frac{\beta^2(1+\epsilon)^2}{\alpha^2(1-\epsilon)^2}$."
    ),
    hypotheses=(),
    conclusion=literal,
    inputs={"n": INT, "d": INT, "seed": INT, "alpha": REAL, "eps": REAL, "delta": REAL},
    checks=(
        ExactCheck(
            "exact",
            fixed=[{"n": 64, "d": 4096, "alpha": 0.1, "eps": 0.5, "delta": 0.1, "seed": 5}],
            note=f"R={REPS} seeded draws; false-alarm rate ≤ {binomial_tail(REPS, REPS, 0.1):.0e}",
        ),
    ),
    kind="probability",
    expected=Expected.fails(
        "Theorem 3.5's bounds α²(1−ε)²/(β²(1+ε)²) ≤ μ ≤ β²(1+ε)²/(α²(1−ε)²) need α⁴/β⁴: the proof's "
        "(∇f_iᵀ∇f_j)² ∈ [α⁴, β⁴]·m²(x_iᵀx_j)² gives α⁴/β⁴, not α²/β²; with d ≫ n a θ putting the y ≤ 0 "
        "samples on the α-slope gives μ ≈ 2α⁴/(1+α⁴) = 3.5e-4 < 1.1e-3 (α = 0.1, ε = 0.5, n = 64, "
        "d = 4096) on 10/10 draws",
        "docs/errata/wang2023.thm3_5__exact.md",
        finding="erratum",
    ),
)


CLAIM = LITERAL
