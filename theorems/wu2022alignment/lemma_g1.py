r"""Wu, Wang & Su (2022), Lemma G.1: a lower bound on a difference of Rayleigh-type ratios.

Setting
-------
:math:`H\in\mathbb{R}^{p\times p}` symmetric positive semi-definite, :math:`H\neq 0`,
and constants :math:`a, b > 0`.  For :math:`\theta` with :math:`\theta^TH\theta>0` let

.. math:: g(a,b,\theta) = -a\,\frac{\theta^TH^2\theta}{\theta^TH\theta}
                         + b\,\frac{\theta^TH^3\theta}{\theta^TH\theta}.

(The rendering prints :math:`\theta_i^T` in the second numerator; the proof shows it is
:math:`\theta^T`.)

Statement
---------
:math:`\inf_\theta g(a,b,\theta) \ge -a^2/(4b)`.

Evidence
--------
* ``symbolic``: with :math:`H=\mathrm{diag}(\lambda_1,\lambda_2,\lambda_3)` (no loss of
  generality by orthogonal invariance), :math:`g\cdot\theta^TH\theta =
  \sum_j(b\lambda_j^2-a\lambda_j)\lambda_j\theta_j^2`, so :math:`g` is a convex
  combination of :math:`\varphi(\lambda_j)=b\lambda_j^2-a\lambda_j`; and
  :math:`\varphi(\lambda)+a^2/(4b)\ge 0` for all real λ (completed square).
* ``exact``: the infimum over θ is computed exactly as
  :math:`\min_{\lambda_j>0}(b\lambda_j^2-a\lambda_j)` (generalized Rayleigh quotient, see
  :mod:`verifythm.quantities.rayleigh`), on random PSD families and on instances with
  an eigenvalue at :math:`a/(2b)` where the bound is attained.
* ``property``: Hypothesis over PSD matrices and :math:`a,b`, steered to small slack.

References
----------
[wu2022alignment, Lemma G.1]; used in the proofs of Lemma 2.4 and Proposition 3.4.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import nonzero, positive, psd
from verifythm.claims.inputs import REAL
from verifythm.linalg.precise import eigvalsh_mp
from verifythm.quantities.rayleigh import ratio_extremes
from verifythm.strategies import psd_matrices, random_psd

from . import KEY


def conclusion(inst: dict[str, Any]) -> Comparison:
    """``inf_θ g(a, b, θ)`` (exact) versus ``-a²/(4b)``."""
    a, b = inst["a"], inst["b"]
    inf_g, _ = ratio_extremes(inst["H"], [0.0, 0.0, -a, b])
    return Comparison(inf_g, -a * a / (4 * b), ">=", "inf_θ g(a,b,θ)", "-a²/(4b)")


def precise(inst: dict[str, Any]) -> Comparison:
    """The same comparison with eigenvalues in 60-digit mpmath."""
    import mpmath

    a, b = mpmath.mpf(inst["a"]), mpmath.mpf(inst["b"])
    lam = eigvalsh_mp(inst["H"])
    top = max(abs(x) for x in lam)
    vals = [b * x * x - a * x for x in lam if x > mpmath.mpf(10) ** -40 * top]
    return Comparison(float(min(vals)), float(-a * a / (4 * b)), ">=")


def _symbolic() -> list[Any]:
    import sympy as sp

    a, b = sp.symbols("a b", positive=True)
    lam = sp.symbols("lambda1:4", nonnegative=True)
    th = sp.symbols("theta1:4", real=True)
    H = sp.diag(*lam)
    t = sp.Matrix(th)
    q = lambda k: (t.T * H**k * t)[0]  # noqa: E731
    g_times_q1 = -a * q(2) + b * q(3)
    lam_real = sp.Symbol("lambda", real=True)
    return [
        Identity(
            g_times_q1,
            sum((b * lj**2 - a * lj) * lj * x**2 for lj, x in zip(lam, th, strict=True)),
            "g·θᵀHθ = Σ_j φ(λ_j) λ_j θ_j²",
        ),
        Nonnegative(b * lam_real**2 - a * lam_real + a**2 / (4 * b), "φ(λ) + a²/(4b) ≥ 0"),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(1, 7))
        H = random_psd(rng, d, rank=int(rng.integers(1, d + 1)))
        b = 10 ** rng.uniform(-2, 2)
        if i % 3 == 0:  # put a/(2b) on an eigenvalue: the bound is attained
            lam = np.linalg.eigvalsh(H)
            a = 2 * b * float(rng.choice(lam[lam > 1e-9 * lam[-1]]))
        else:
            a = 10 ** rng.uniform(-2, 2)
        out.append({"H": H, "a": a, "b": b})
    return out


_pos = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False)
_strategy = st.fixed_dictionaries({"H": psd_matrices(), "a": _pos, "b": _pos})

CLAIM = Claim(
    id="wu2022.lemma_g1",
    title="inf over θ of −a·θᵀH²θ/θᵀHθ + b·θᵀH³θ/θᵀHθ is at least −a²/(4b)",
    source=Source(KEY, "Lemma G.1"),
    statement=(
        r"For symmetric PSD $H \ne 0$ and $a, b > 0$, "
        r"$g(a,b,\theta) = -a\,\theta^TH^2\theta/\theta^TH\theta + b\,\theta^TH^3\theta/\theta^TH\theta$ "
        r"satisfies $\inf_{\theta:\,\theta^TH\theta>0} g(a,b,\theta) \ge -a^2/(4b)$."
    ),
    hypotheses=(psd("H"), nonzero("H"), positive("a"), positive("b")),
    conclusion=conclusion,
    precise_conclusion=precise,
    inputs={"a": REAL, "b": REAL},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=[{"H": np.diag([1.0, 0.0]), "a": 2.0, "b": 1.0}]),
        PropertyCheck("property", _strategy),
    ),
    kind="inequality",
)
