r"""Dexter et al. (2024), §3.3: Theorem 1's threshold is within a constant factor of the best possible one.

Setting
-------
PSD families :math:`\{H_i\}_{i\in[n]}` with coherence :math:`\sigma` (Definition 2), batch size
:math:`B\in[n]`, :math:`q=n/B`.  For a family :math:`F`, :math:`\kappa(F)=\eta^*(F)\,\lambda_1(H)` is
the largest scale-free :math:`\eta\lambda_1(H)` at which it is still mean-square stable
(:math:`\eta^*` the critical learning rate of the exact engine,
:func:`verifythm.dynamics.critical_learning_rate`).  The lowest possible value of a sufficient
divergence threshold that sees only :math:`(\eta,\sigma,n,B,\lambda_1)` is
:math:`\kappa^*(\sigma,n,B)/\eta` with :math:`\kappa^*=\sup\{\kappa(F):F\text{ has coherence }\sigma\}`.
Theorem 1's condition, (a) or (b), is :math:`\eta\lambda_1(H)>\tau_1` with
:math:`\tau_1=\min(2,\sigma(q-1)^{-1/2})` (:math:`\tau_1=2` at :math:`q=1`).

Statement
---------
§3.3 says Theorem 1's threshold is within a constant factor of its lowest possible value when
:math:`\sigma` and :math:`n/B` are :math:`O(1)`.  No constant is printed; Theorems 1–2 imply one.
Theorem 2's family (:math:`H_i=\frac{n\lambda_1}\sigma e_1e_1^T` for :math:`i\le\sigma`, else 0;
integer :math:`\sigma\in[n]`) has coherence :math:`\sigma` and :math:`\kappa=2\sigma/(\sigma+q-1)`, so
:math:`\kappa^*\ge\kappa(\text{witness})` and, encoded as ``dexter2024.sec3_3.constant_factor``,

.. math:: \tau_1\le C(q)\,\kappa(\text{witness})\le C(q)\,\kappa^*,\qquad C(q)=1+\tfrac12\sqrt{q-1},

uniformly in :math:`\sigma`; on :math:`n/B\le Q` the factor is at most :math:`1+\frac12\sqrt{Q-1}`
(e.g. 2 for :math:`Q=5`).  :math:`C(q)` is sharp for the two theorems: equality at
:math:`\sigma=2\sqrt{q-1}` (e.g. :math:`n=5`, :math:`B=1`, :math:`\sigma=4`), and it grows like
:math:`\sqrt{n/B}`, the "regime where :math:`B\ll n`" that §3.3 leaves open.  The witness's
:math:`\eta^*` is taken under Bernoulli sampling (the paper's) and, since §5 says the results
carry over, also without replacement, where the witness is more stable (hypergeometric count).

Finding
-------
**Scope** (not encoded as claims):

* §3.3 writes the threshold as :math:`f=\frac\sigma\eta(\frac nB-1)^{-1/2}` alone.  With condition
  (b) alone the factor is :math:`f\eta/\kappa^*\ge f\eta/2=\sigma/(2\sqrt{q-1})`, unbounded as
  :math:`n/B\to1` even for :math:`\sigma=1` (:math:`n=100`, :math:`B=99`: at least 4.97;
  :math:`B=n-1`: at least :math:`\sqrt{n-1}/2`), although :math:`n/B=O(1)`; the claim needs the GD
  condition (a) of Theorem 1 as well (or :math:`n/B` bounded away from 1).
* Sampling **with** replacement is outside the analysis: at :math:`B=n` it is not gradient descent,
  and the bound fails (:math:`n=B=3`, :math:`\sigma=1`: :math:`\kappa=1.2`, ratio 1.67 > C(1) = 1).

Evidence
--------
* ``exact``: seeded :math:`(n,B,\sigma)` with :math:`n\le200`, half of them at
  :math:`\sigma\approx2\sqrt{q-1}` (the worst case), :math:`\lambda_1` over two decades, both
  samplings; :math:`\eta^*` from the engine (closed form for this diagonal family), plus the
  sharp instances :math:`(n,B,\sigma)=(2,1,2),(5,1,4),(10,1,6),(26,1,10),(8,4,2)`.
* ``property``: Hypothesis over :math:`(n,B,\sigma,\lambda_1)` and the sampling.
* ``symbolic``: with :math:`u=\sqrt{q-1}` (Bernoulli sampling),
  :math:`C\kappa-\frac\sigma u=\frac{\sigma(2u-\sigma)}{u(\sigma+u^2)}\ge0` when :math:`\sigma\le2u`
  (then :math:`\tau_1=\sigma/u`) and :math:`C\kappa-2=\frac{u(\sigma-2u)}{\sigma+u^2}\ge0` when
  :math:`\sigma\ge2u` (then :math:`\tau_1=2`); both vanish at :math:`\sigma=2u`.
* Weakening: :math:`C(q)` replaced by :math:`0.9\,C(q)` is refuted by the sharp instances
  (e.g. :math:`(5,1,4)`: :math:`\tau_1=2>1.8`).

References
----------
[dexter2024precise, Section 3.3, Theorems 1 and 2 with the proof of Theorem 2 (Appendix A.2)].
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
from verifythm.claims.inputs import REAL
from verifythm.dynamics import Family, NoiseModel, critical_learning_rate

from ._common import is_int

SOURCE = Source("dexter2024precise", "Section 3.3 (with Theorems 1 and 2)")
SAMPLINGS = ("bernoulli", "without-replacement")


def tau1(sigma: float, n: int, B: int) -> float:
    r"""Theorem 1's threshold on :math:`\eta\lambda_1(H)`: :math:`\min(2,\sigma(n/B-1)^{-1/2})`."""
    q = n / B
    return 2.0 if q <= 1.0 else min(2.0, sigma / math.sqrt(q - 1.0))


def factor(n: int, B: int) -> float:
    r""":math:`C(q)=1+\frac12\sqrt{q-1}`, :math:`q=n/B`."""
    return 1.0 + 0.5 * math.sqrt(max(n / B - 1.0, 0.0))


def witness_kappa(n: int, B: int, sigma: int, lam1: float, sampling: str) -> float:
    r""":math:`\eta^*\lambda_1(H)` of Theorem 2's family (coordinate :math:`e_1` only; the rest is frozen)."""
    D = np.zeros((n, 1))
    D[:sigma, 0] = lam1 * n / sigma
    eta_star = critical_learning_rate(NoiseModel.build(Family.from_diagonals(D), B, sampling)).value
    return eta_star * lam1


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\tau_1` versus :math:`C(q)\,\eta^*\lambda_1` of the witness."""
    n, B, s = int(inst["n"]), int(inst["B"]), int(inst["sigma"])
    kappa = witness_kappa(n, B, s, inst["lam1"], str(inst["sampling"]))
    return Comparison(
        tau1(s, n, B), factor(n, B) * kappa, "<=", "η·(Theorem 1 threshold)", "C(n/B)·η*λ₁ (Theorem 2 family)"
    )


def _ok(inst: dict[str, Any]) -> bool:
    n, B, s = inst["n"], inst["B"], inst["sigma"]
    return (
        is_int(n)
        and is_int(B)
        and is_int(s)
        and 1 <= int(B) <= int(n)
        and 1 <= int(s) <= int(n)
        and inst["lam1"] > 0
        and inst["sampling"] in SAMPLINGS
    )


def _symbolic() -> list[Any]:
    import sympy as sp

    s, u, t = sp.symbols("sigma u t", positive=True)  # u = √(n/B − 1)
    kappa = 2 * s / (s + u**2)  # Theorem 2's family, Bernoulli sampling
    C = 1 + u / 2
    b_gap, a_gap = C * kappa - s / u, C * kappa - 2
    b_closed, a_closed = s * (2 * u - s) / (u * (s + u**2)), u * (s - 2 * u) / (s + u**2)
    return [
        Identity(sp.simplify(b_gap - b_closed), 0, "C·κ − σ/u = σ(2u − σ)/(u(σ + u²))"),
        Identity(sp.simplify(a_gap - a_closed), 0, "C·κ − 2 = u(σ − 2u)/(σ + u²)"),
        # σ ≤ 2u (τ₁ = σ/u): write u = (σ + t)/2; σ ≥ 2u (τ₁ = 2): write σ = 2u + t
        Nonnegative(sp.simplify(b_closed.subs(u, (s + t) / 2)), "C·κ ≥ σ/u when σ ≤ 2u"),
        Nonnegative(sp.simplify(a_closed.subs(s, 2 * u + t)), "C·κ ≥ 2 when σ ≥ 2u"),
    ]


SHARP = [
    {"n": n, "B": B, "sigma": s, "lam1": 1.0, "sampling": "bernoulli"}
    for n, B, s in ((2, 1, 2), (5, 1, 4), (10, 1, 6), (26, 1, 10), (8, 4, 2))
]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        n = int(rng.integers(1, 201))
        B = n if i % 9 == 0 else int(rng.integers(1, n + 1))
        if i % 2 == 0:  # near the worst case σ = 2√(n/B − 1)
            s = int(np.clip(round(2 * math.sqrt(n / B - 1.0)), 1, n))
        else:
            s = int(rng.integers(1, n + 1))
        out.append(
            {
                "n": n,
                "B": B,
                "sigma": s,
                "lam1": float(10 ** rng.uniform(-1, 1)),
                "sampling": SAMPLINGS[i % 4 // 2],
            }
        )
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 60))
    return {
        "n": n,
        "B": draw(st.integers(1, n)),
        "sigma": draw(st.integers(1, n)),
        "lam1": draw(st.floats(0.1, 10.0)),
        "sampling": draw(st.sampled_from(SAMPLINGS)),
    }


CLAIM = Claim(
    id="dexter2024.sec3_3.constant_factor",
    title="Theorem 1's threshold is at most (1 + √(n/B − 1)/2) times the best possible one",
    source=SOURCE,
    statement=(
        r"For integers $1\le\sigma\le n$, $B\in[n]$: $\min(2,\sigma(\frac nB-1)^{-1/2})\le"
        r"(1+\frac12\sqrt{n/B-1})\,\eta^*\lambda_1(H)$ for Theorem 2's family of coherence $\sigma$ "
        r"(Bernoulli sampling or without replacement), hence Theorem 1's threshold is within "
        r"$1+\frac12\sqrt{Q-1}$ of the lowest valid one whenever $n/B\le Q$, uniformly in $\sigma$."
    ),
    hypotheses=(Hypothesis("integers 1 ≤ σ ≤ n, 1 ≤ B ≤ n, λ₁ > 0, Bernoulli or without-replacement", _ok),),
    conclusion=conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=SHARP),
        PropertyCheck("property", _strategy(), max_examples=60),
    ),
    domains={"sampling": SAMPLINGS},
    inputs={"lam1": REAL},  # n, B and σ as drawn: _ok checks that they are integers
)
