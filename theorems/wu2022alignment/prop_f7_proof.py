r"""Wu, Wang & Su (2022), proof of Proposition F.7 (first part): the contraction step for :math:`k^2`.

Setting
-------
A PSD kernel k on a domain :math:`\mathcal X` with :math:`k(x,x)\le1` (hence :math:`|k|\le1` by
Cauchy–Schwarz), a sample :math:`z_1,\dots,z_n` and the classes
:math:`\Phi_1=\{k(\cdot,x):x\in\mathcal X\}` (Lemma F.8) and :math:`\Phi_2=\{k^2(\cdot,x):x\in\mathcal X\}`.
An instance is a finite domain given by its Gram matrix :math:`K_{\mathcal X}` (PSD, diagonal ≤ 1) and
the indices of the sample points in it (repetitions allowed), as in ``wu2022.lemma_f8``.

Statement
---------
A step of the proof:
In the proof of the first part of Proposition F.7 the authors bound the complexity of the squared
kernel sections by the Ledoux–Talagrand contraction (Lemma F.3), asserting
:math:`\widehat{\mathrm{Rad}}_n(\Phi_2)\le0.5\,\widehat{\mathrm{Rad}}_n(\Phi_1)`, and then
:math:`\le1/\sqrt n` by Lemma F.8.

As proved
---------
Corrected step ``wu2022.prop_f7.proof_step.corrected``:
:math:`\widehat{\mathrm{Rad}}_n(\Phi_2)\le2\,\widehat{\mathrm{Rad}}_n(\Phi_1)` (contraction with the
true Lipschitz constant).  The factor 2 is sharp: n = 1, two unit vectors with inner product
:math:`1-\varepsilon` give :math:`\mathrm{Rad}(\Phi_1)=\varepsilon/2` and
:math:`\mathrm{Rad}(\Phi_2)=(2\varepsilon-\varepsilon^2)/2`, ratio :math:`2-\varepsilon` (a fixed
instance with ε = 0.01).  With Lemma F.8 this yields :math:`\mathrm{Rad}(\Phi_2)\le2/\sqrt n`, enough
for Eq. (14) up to the absolute constant.  (The sharper :math:`\mathrm{Rad}(\Phi_2)\le1/\sqrt n` via
Lemma F.8 on :math:`k^2` also holds but is never close to equality, since :math:`\Phi_2` takes values in
[0, 1] and so :math:`\mathrm{Rad}(\Phi_2)\le1/2`; it is not encoded separately because a 10 %
tightening of it cannot be refuted.)

Finding
-------
**Proof-gap** (``wu2022.prop_f7.proof_step``, an expected failure):
The factor 0.5 is wrong: the map :math:`t\mapsto t^2` on :math:`[-1,1]` is 2-Lipschitz, not
½-Lipschitz, so the contraction gives the factor 2.  Smallest counterexample: n = 1, the linear
kernel on the domain :math:`\{e_1,e_2\}\subset\mathbb R^2` (Gram matrix :math:`I_2`), :math:`z_1=e_1`.
Both classes take the values {1, 0} at :math:`z_1`, so both complexities equal
:math:`\tfrac12(\max-\min)=0.5`, and :math:`0.5\le0.25` fails.  The step fails on most random
instances too.  The conclusion that the proof actually needs survives:
:math:`k^2` is itself a PSD kernel (Schur product) with :math:`k^2(x,x)\le1`, so Lemma F.8 applied to
:math:`k^2` gives :math:`\widehat{\mathrm{Rad}}_n(\Phi_2)\le1/\sqrt n` directly, and Eq. (14) and
Proposition F.7 are unaffected.

Evidence
--------
* ``exact``: both complexities exactly, :math:`\mathbb E_\xi\max_{x}\frac1n\sum_i\xi_if(z_i)` by
  enumeration of all :math:`2^n` sign vectors (n ≤ 12), the sup over the finite class taken row by row
  (:func:`theorems.wu2022alignment._appf.rad_finite`), on seeded domains with linear, Gaussian RBF,
  ReLU arc-cosine and cosine-similarity kernels, plus the fixed instances above.
* ``symbolic`` (on ``.corrected``; the printed step's sibling): :math:`s^2-t^2=(s-t)(s+t)`, and the
  Lipschitz constant of :math:`t\mapsto t^2` on [−1, 1] is 2: :math:`2^2-(s+t)^2\ge0` for
  :math:`s+t=2c`, :math:`c=(1-z)/(1+z)\in(-1,1]`.  The printed ½ would need :math:`\tfrac14-(s+t)^2\ge0`,
  false at s = t = 1: the same obligation with ½ turns the check red.  The contraction step itself
  (Lemma F.3) is ``wu2022.lemma_f3``'s.
* ``property`` (on ``.corrected``): Hypothesis over gradient matrices of every kind of the project's
  vocabulary (:func:`~verifythm.strategies.gradient_matrices`, nearly coherent ones included, where
  the factor 2 is approached), normalised to unit columns: the domain is the columns, the sample a
  drawn multiset of them (n ≤ 8).
* ``.proof_step`` re-checks a float64 violation in exact rationals (``precise_conclusion``): both
  complexities summed in integers over all sign vectors, the Gram entries read exactly.

References
----------
[wu2022alignment, Appendix F, Lemmas F.3 and F.8, proof of Proposition F.7 (first part)].
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import array
from verifythm.evidence.symbolic import Identity, Nonnegative
from verifythm.linalg import precise as LP
from verifythm.strategies import gradient_matrices

from . import KEY
from ._appf import is_psd, rad_finite, random_gram, signs

SOURCE = Source(KEY, "Proposition F.7 (proof, first part)")
TOL = Tolerance(rtol=1e-10, atol=1e-12)


def complexities(inst: dict[str, Any]) -> tuple[float, float]:
    r"""Exact :math:`(\widehat{\mathrm{Rad}}_n(\Phi_1),\widehat{\mathrm{Rad}}_n(\Phi_2))` on a finite domain.

    Returns the pair for the sample ``idx`` in the domain with Gram matrix ``Kd``.
    """
    V = inst["Kd"][:, np.asarray(inst["idx"], int)]  # row x: (k(z_1, x), ..., k(z_n, x))
    return rad_finite(V), rad_finite(V**2)


def _rad_exact(x: np.ndarray, E: int) -> Fraction:
    r"""Exact :math:`\widehat{\mathrm{Rad}}_n` of the class whose values are ``x / 2**E`` (integers ``x``).

    Each :math:`\sum_i\xi_ix_{fi}` over all :math:`2^n` sign vectors and the maxima over the class
    are integers, so the mean (:func:`~theorems.wu2022alignment._appf.rad_finite`) is an exact rational.
    """
    n = x.shape[1]
    xi = np.array(signs(n), dtype=np.int64).astype(object)
    total = sum(max(row) for row in xi.dot(x.T))
    return Fraction(int(total), (2**n * n) << E)


def complexities_exact(inst: dict[str, Any]) -> tuple[Fraction, Fraction]:
    """:func:`complexities` in exact rationals of the float Gram entries (the high-precision re-check)."""
    x, E = LP.dyadic(inst["Kd"][:, np.asarray(inst["idx"], int)])
    return _rad_exact(x, E), _rad_exact(x * x, 2 * E)


def _conclusion(factor: float, label: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        r1, r2 = complexities(inst)
        return Comparison(r2, factor * r1, "<=", "Rad_n(Φ₂)", label)

    return conclusion


def _precise(factor: float, label: str) -> Callable[[dict[str, Any]], Comparison]:
    def precise(inst: dict[str, Any]) -> Comparison:
        r1, r2 = complexities_exact(inst)
        return Comparison(r2, Fraction(factor) * r1, "<=", "Rad_n(Φ₂)", label)

    return precise


def _valid(inst: dict[str, Any]) -> bool:
    Kd, idx = inst["Kd"], np.asarray(inst["idx"])
    return (
        Kd.ndim == 2
        and is_psd(Kd)
        and float(np.max(np.diag(Kd))) <= 1.0 + 1e-12
        and 1 <= idx.size <= 12
        and bool(np.all((0 <= idx) & (idx < Kd.shape[0])))
    )


HYPOTHESES = (Hypothesis("K_𝒳 PSD, diag ≤ 1 (so |k| ≤ 1); 1 ≤ n ≤ 12 sample indices in the domain", _valid),)


def _unit_kernel(rng: np.random.Generator, N: int, kind: int) -> np.ndarray:
    K = random_gram(rng, N, kind)
    if kind == 2:
        return K  # arc-cosine kernel, diagonal 1/2
    dg = np.sqrt(np.clip(np.diag(K), 1e-300, None))
    return K / np.outer(dg, dg)


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        N = int(rng.integers(2, 16))
        n = int(rng.integers(1, 11))
        out.append({"Kd": _unit_kernel(rng, N, i % 3), "idx": rng.integers(0, N, n)})
    return out


#: Smallest counterexample to the literal step: n = 1, linear kernel on {e₁, e₂}, z₁ = e₁.
SMALLEST = {"Kd": np.eye(2), "idx": np.array([0])}
EPS = 0.01
#: Near-equality for the factor 2: two unit vectors with inner product 1 − ε, n = 1.
NEAR_TIGHT = {"Kd": np.array([[1.0, 1.0 - EPS], [1.0 - EPS, 1.0]]), "idx": np.array([0])}

LIPSCHITZ = 2


def _symbolic() -> list[Any]:
    """The contraction constant: t ↦ t² is 2-Lipschitz on [−1, 1] (not ½)."""
    import sympy as sp

    s_, t_ = sp.symbols("s t", real=True)
    z = sp.Symbol("z", nonnegative=True)
    c = (1 - z) / (1 + z)  # every value in (−1, 1]
    return [
        Identity(s_**2 - t_**2, (s_ - t_) * (s_ + t_), "s² − t² = (s − t)(s + t)"),
        Nonnegative(
            sp.factor(LIPSCHITZ**2 - (2 * c) ** 2), "|s + t| ≤ 2 on [−1, 1]: Lipschitz constant 2 suffices"
        ),
    ]


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Q = draw(gradient_matrices(p=st.integers(1, 4), n=st.integers(1, 6)))
    norms = np.linalg.norm(Q, axis=0)
    keep = norms > 1e-6 * max(float(np.max(norms)), 1e-300)
    if not np.any(keep):
        Q, norms, keep = np.eye(1), np.ones(1), np.ones(1, bool)
    U = Q[:, keep] / norms[keep]
    N = U.shape[1]
    idx = np.array(draw(st.lists(st.integers(0, N - 1), min_size=1, max_size=8)), dtype=int)
    return {"Kd": U.T @ U, "idx": idx}


STEP = Claim(
    id="wu2022.prop_f7.proof_step",
    title="Proof of Prop F.7: Rad_n{k²(·, x)} ≤ 0.5·Rad_n{k(·, x)} by contraction (|k| ≤ 1)",
    source=SOURCE,
    statement=(
        r"For a PSD kernel with $\sup|k|\le1$, $\Phi_1=\{k(\cdot,x)\}$ and $\Phi_2=\{k^2(\cdot,x)\}$: "
        r"$\widehat{\mathrm{Rad}}_n(\Phi_2)\le0.5\,\widehat{\mathrm{Rad}}_n(\Phi_1)$."
    ),
    hypotheses=HYPOTHESES,
    conclusion=_conclusion(0.5, "0.5·Rad_n(Φ₁)"),
    precise_conclusion=_precise(0.5, "0.5·Rad_n(Φ₁)"),
    checks=(ExactCheck("exact", _generate, fixed=[SMALLEST], note="E_ξ by enumeration of all 2^n signs"),),
    tolerance=TOL,
    inputs={"Kd": array()},
    expected=Expected.fails(
        "the proof of Prop. F.7 bounds Rad(Φ₂) ≤ 0.5·Rad(Φ₁) by Ledoux-Talagrand, but t ↦ t² on [−1, 1] is "
        "2-Lipschitz, not ½-Lipschitz: n = 1, linear kernel, domain {e₁, e₂}, z₁ = e₁ gives "
        "Rad(Φ₂) = Rad(Φ₁) = 0.5 > 0.25; Rad(Φ₂) ≤ 2·Rad(Φ₁) holds (`wu2022.prop_f7.proof_step.corrected`) "
        "and Lemma F.8 on the PSD kernel k² gives the Rad(Φ₂) ≤ 1/√n the proof needs",
        "docs/errata/wu2022.prop_f7.proof_step__exact.md",
        finding="proof-gap",
    ),
)

CORRECTED = Claim(
    id="wu2022.prop_f7.proof_step.corrected",
    title="Rad_n{k²(·, x)} ≤ 2·Rad_n{k(·, x)} for a PSD kernel with k(x, x) ≤ 1 (2-Lipschitz contraction)",
    source=SOURCE,
    statement=(
        r"For a PSD kernel with $k(x,x)\le1$: $\widehat{\mathrm{Rad}}_n(\{k^2(\cdot,x)\})\le"
        r"2\,\widehat{\mathrm{Rad}}_n(\{k(\cdot,x)\})$ (hence $\le2/\sqrt n$ by Lemma F.8)."
    ),
    hypotheses=HYPOTHESES,
    conclusion=_conclusion(2.0, "2·Rad_n(Φ₁)"),
    checks=(
        ExactCheck(
            "exact",
            _generate,
            fixed=[SMALLEST, NEAR_TIGHT],
            note="E_ξ by enumeration of all 2^n signs; near-equality at ε = 0.01",
        ),
        PropertyCheck("property", _strategy(), max_examples=60),
        SymbolicCheck("symbolic", _symbolic),
    ),
    tolerance=TOL,
    inputs={"Kd": array()},
)

CLAIMS = [STEP, CORRECTED]
