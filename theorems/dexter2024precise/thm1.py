r"""Dexter et al. (2024), Theorem 1: a sufficient condition for linearized SGD to diverge.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`H=\frac1n\sum_iH_i`, coherence
:math:`\sigma` (Definition 2), :math:`\eta>0`, :math:`B\in[n]`, and i.i.d. Bernoulli-SGD
Jacobians :math:`\hat J_t = I-\frac\eta B\sum_ix_iH_i`, :math:`x_i\sim\mathrm{Bern}(B/n)`
(Definition 1).  Write :math:`P_k=\hat J_k\cdots\hat J_1`.

Statement
---------
If (a) :math:`\lambda_1(H)>2/\eta` or (b) :math:`\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}`,
then :math:`\lim_k\mathbb E\|P_k\|_2=\infty` (first moment of the spectral norm;
``dexter2024.thm1``).  Condition (a) alone: ``dexter2024.thm1.gd_part``.  What the proof
supports (``dexter2024.thm1.as_proved``): under (a) or (b) the second-moment operator
:math:`\mathcal T_\eta(W)=\mathbb E[\hat JW\hat J]` has :math:`\rho(\mathcal T_\eta)>1`, so
:math:`\mathbb E\|P_k\|_F^2=\operatorname{tr}\mathcal T_\eta^k(I)\to\infty`.

As proved
---------
The proof (Appendix A.2) lower-bounds :math:`\mathbb E\|P_k\|_F^2` through Lemma 4.1(i),
so it proves **mean-square** divergence, :math:`\lim_k\mathbb E\|P_k\|_F^2=\infty`, i.e.
:math:`\rho(\mathcal T_\eta)>1` for the exact second-moment operator; that is
``dexter2024.thm1.as_proved`` (two steps of the proof are :mod:`.thm1_proof`).  It then
passes to :math:`\mathbb E\|P_k\|_2` via
:math:`\|M\|_2^2\le\|M\|_F^2\le d\|M\|_2^2`, which relates the *second* moments
:math:`\mathbb E\|P_k\|_F^2` and :math:`\mathbb E\|P_k\|_2^2`, not the first moment.

Finding
-------
**Erratum**: the literal first-moment conclusion is false under condition (b).  For diagonal
families every :math:`\hat J` is diagonal, so
:math:`\max_j(\mathbb E|\hat\jmath_j|)^k\le\mathbb E\|P_k\|_2\le\sum_j(\mathbb E|\hat\jmath_j|)^k`
with :math:`\hat\jmath_j=1-\eta\hat h_j`; hence :math:`\mathbb E\|P_k\|_2\to\infty` iff
:math:`\max_j\mathbb E|\hat\jmath_j|>1` (and :math:`\to0` if it is :math:`<1`), computed
exactly by enumerating the law of :math:`\hat h_j`.  With :math:`d=1`, :math:`n=50`,
:math:`B=5`, :math:`h=(1,0.04,\dots,0.04)`, :math:`\eta=25`: :math:`\lambda_1(H)=0.0592`,
:math:`\sigma=2.96`, condition (b) holds (:math:`0.0592>0.0395`) and GD is stable
(:math:`0.0592<2/\eta=0.08`), :math:`\mathbb E\hat\jmath^2\approx2.6>1` (mean-square
divergence, as proved) but :math:`\mathbb E|\hat\jmath|\approx0.80<1`, so
:math:`\mathbb E\|P_k\|_2=(\mathbb E|\hat\jmath|)^k\to0`.  Rare large steps (the
large sample is in the batch with probability 1/10) blow up the second moment while the
first moment of the product shrinks.  A seeded Monte Carlo cross-check with
:func:`verifythm.dynamics.simulate_products` (4·10⁵ products, seed 7; not part of the checks)
gives :math:`\mathbb E\|P_k\|_2\approx0.7959\pm0.0023,\ 0.633\pm0.004,\ 0.505\pm0.007` for
:math:`k=1,2,3` against the exact :math:`0.7958,\ 0.6332,\ 0.5039`.
Condition (a) alone does imply the literal conclusion: by Jensen,
:math:`\mathbb E\|P_k\|_2\ge\|\mathbb EP_k\|_2=\|J^k\|_2=\max_j|1-\eta\lambda_j|^k`;
that is ``dexter2024.thm1.gd_part``.

Evidence
--------
* ``dexter2024.thm1`` / ``.gd_part`` (``exact``): seeded diagonal families
  (:math:`n\le8`, :math:`d\le3`, any :math:`B`) with :math:`\eta` drawn above the
  theorem's threshold (factor 1.001–3), plus fixed instances; the decision
  :math:`\max_j\mathbb E|\hat\jmath_j|` vs 1 is exact (no Monte Carlo, no false alarms).
  ``dexter2024.thm1`` re-checks a float64 violation in exact rationals (``precise_conclusion``: the
  Bernoulli law of each :math:`\hat h_j` and :math:`\mathbb E|\hat\jmath_j|` as Fractions of the inputs).
* ``dexter2024.thm1.as_proved`` (``exact`` and ``property``): :math:`\rho(\mathcal T_\eta)`
  from the exact engine (:func:`verifythm.dynamics.spectral_radius`, Bernoulli sampling) on
  families of every kind and Hypothesis-drawn families, with :math:`\eta` just above the
  threshold (factor 1.001–2); includes the tight cases :math:`B=n` (where the threshold is
  :math:`2/\lambda_1=\eta^*`) and orthogonal rank-one members with :math:`n=2B`.
* ``symbolic`` (sympy, the algebra of the proof):

  - ``.as_proved``: the assembly of the constants,
    :math:`c^k\frac1{nd}(\frac{n^k}{d^2\sigma^k})^2\lambda^{2k}=
    \eta^{2k}(\frac n{\sigma^2B}-\frac1{\sigma^2})^k\frac{\lambda^{2k}}{nd^5}`
    (:math:`c=\frac{\eta^2}{nB}-\frac{\eta^2}{n^2}`, :math:`k\le3`), the base of that geometric term equal
    to :math:`(1+t)^2>1` at :math:`\lambda_1=(1+t)\frac\sigma\eta(\frac nB-1)^{-1/2}`,
    and the :math:`\ell_1`–:math:`\ell_2` step :math:`(\sum_y\tau_y)^2\le n\sum_y\tau_y^2` (:math:`n=2,3`);
  - ``.gd_part``: :math:`\mathbb E\hat J=J` by enumerating the Bernoulli masks (:math:`n\le3`, symbolic
    :math:`2\times2` members and :math:`B`), and :math:`|1-\eta\lambda|=1+t` at :math:`\eta\lambda=2+t`
    (Jensen's step);
  - ``dexter2024.thm1`` (the erratum): exact rational enumeration of the counterexample's law
    (:math:`K\sim\mathrm{Bin}(49,1/10)`) proves condition (b) and :math:`\mathbb E\hat\jmath^2>1`, then
    derives the printed first-moment step :math:`\mathbb E|\hat\jmath|\ge1` and fails on it, as expected.

References
----------
[dexter2024precise, Theorem 1 and its proof in Appendix A.2].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import psd_family
from verifythm.strategies import families

from ._common import FAMILY_INPUTS, lambda1, nonzero_families, rho
from ._common import condition as condition  # re-exported: public here before the split
from ._common import threshold as threshold
from ._exact import abs_moment_exact, frac
from ._symbolic import bernoulli_mean, noise_c, sym_matrix
from ._theorem1 import DIAG_INPUTS, diag_generator, first_moment, hyp_diag

SOURCE = Source("dexter2024precise", "Theorem 1")


def _first_moment_exact(inst: dict[str, Any]) -> Comparison:
    r""":func:`._theorem1.first_moment` in exact rationals (the high-precision re-check).

    The law of each :math:`\hat h_j` is enumerated with exact Bernoulli probabilities and
    :math:`\mathbb E|1-\eta\hat h_j|` is summed as a Fraction of the float inputs.
    """
    D, eta, B = inst["diagonals"], frac(inst["eta"]), inst["B"]
    m = max(abs_moment_exact(D[:, j], eta, B) for j in range(D.shape[1]))
    return Comparison(m, 1.0, ">=", "max_j E|1 − ηĥ_j| (growth of E‖P_k‖₂)", "1")


COUNTEREXAMPLE = {"diagonals": np.array([[1.0]] + [[0.04]] * 49), "eta": 25.0, "B": 5}


def _symbolic_literal() -> list[Any]:
    """Theorem 1 as printed, on the counterexample (d = 1): (b) and E ĵ² > 1 hold, E|ĵ| ≥ 1 is false."""
    import sympy as sp

    n, B, eta, small = 50, 5, sp.Integer(25), sp.Rational(1, 25)
    p = sp.Rational(B, n)
    lam = (1 + (n - 1) * small) / n  # λ₁(H), d = 1
    sigma = 1 + (n - 1) * small  # λ₁(S) = Σ h_i for S = √h√hᵀ, max_i λ₁(H_i) = 1
    law = [  # (probability, ĵ) over x₁ ~ Bern(p) and K ~ Bin(n − 1, p)
        (
            p**x1 * (1 - p) ** (1 - x1) * sp.binomial(n - 1, K) * p**K * (1 - p) ** (n - 1 - K),
            1 - eta * (x1 + K * small) / B,
        )
        for x1 in (0, 1)
        for K in range(n)
    ]
    m2 = sum(w * j**2 for w, j in law)
    m1 = sum(w * sp.Abs(j) for w, j in law)
    return [
        Nonnegative(
            lam - sigma / (eta * sp.sqrt(sp.Integer(n) / B - 1)),
            "condition (b): λ₁(H) ≥ (σ/η)(n/B − 1)^{-1/2}",
        ),
        Nonnegative(2 / eta - lam, "GD stable: λ₁(H) ≤ 2/η, so (b) alone is at work"),
        Nonnegative(m2 - 1, "E ĵ² ≥ 1: mean-square divergence, as proved"),
        Nonnegative(m1 - 1, "printed conclusion: E|ĵ| ≥ 1, i.e. E‖P_k‖₂ = (E|ĵ|)^k ↛ 0"),
    ]


LITERAL = Claim(
    id="dexter2024.thm1",
    title="λ₁(H) > 2/η or λ₁(H) > (σ/η)(n/B − 1)^{-1/2} implies E‖Ĵ_k⋯Ĵ_1‖₂ → ∞ (as stated)",
    source=SOURCE,
    statement=(
        r"For i.i.d. Bernoulli-SGD Jacobians $\hat J_t$ of $\{H_i\}$ with coherence $\sigma$: if "
        r"$\lambda_1(H)>2/\eta$ or $\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}$, then "
        r"$\lim_{k\to\infty}\mathbb E\|\hat J_k\cdots\hat J_1\|_2=\infty$."
    ),
    hypotheses=hyp_diag(gd_only=False),
    conclusion=first_moment,
    precise_conclusion=_first_moment_exact,
    checks=(
        SymbolicCheck("symbolic", _symbolic_literal),
        ExactCheck("exact", diag_generator(False), fixed=[COUNTEREXAMPLE]),
    ),
    expected=Expected.fails(
        "Theorem 1 as printed (E‖Ĵ_k⋯Ĵ_1‖₂ → ∞, a first moment) fails under (b), which gives mean-square "
        "divergence only (`dexter2024.thm1.as_proved` holds): d = 1, n = 50, B = 5, h = (1, 0.04×49), η = 25 "
        "meets (b) with GD stable, E ĵ² ≈ 2.6 but E|ĵ| ≈ 0.80 < 1, so E‖Ĵ_k⋯Ĵ_1‖₂ = E|ĵ|^k → 0",
        "docs/errata/dexter2024.thm1__exact.md",
        finding="erratum",
    ),
    kind="limit",
    inputs=DIAG_INPUTS,
)


def _symbolic_gd() -> list[Any]:
    """Condition (a): E Ĵ = J (Bernoulli masks enumerated) and |1 − ηλ| = 1 + t at ηλ = 2 + t."""
    import sympy as sp

    eta, B, t = sp.symbols("eta B t", positive=True)
    out: list[Any] = []
    for n in (1, 2, 3):
        Hs = [sym_matrix(f"H{i + 1}", 2) for i in range(n)]
        H = sum(Hs, sp.zeros(2)) / n

        def J_hat(x: tuple[int, ...], Hs: list[Any] = Hs) -> Any:
            return sp.eye(2) - eta / B * sum((xi * h for xi, h in zip(x, Hs, strict=True)), sp.zeros(2))

        EJ = bernoulli_mean(J_hat, n, B / n)
        out.append(
            Identity(
                EJ.applyfunc(sp.expand), (sp.eye(2) - eta * H).applyfunc(sp.expand), f"E Ĵ = I − ηH, n = {n}"
            )
        )
    out.append(
        Identity(sp.Abs(1 - (2 + t)), 1 + t, "|1 − ηλ| = 1 + t > 1 at ηλ = 2 + t (Jensen: E‖P_k‖₂ ≥ ‖J^k‖₂)")
    )
    return out


GD_PART = Claim(
    id="dexter2024.thm1.gd_part",
    title="λ₁(H) > 2/η implies E‖Ĵ_k⋯Ĵ_1‖₂ → ∞ (condition (a) of Theorem 1, first moment)",
    source=SOURCE,
    statement=(
        r"If $\lambda_1(H)>2/\eta$ then $\lim_k\mathbb E\|\hat J_k\cdots\hat J_1\|_2=\infty$ "
        r"(decided exactly on diagonal families: $\max_j\mathbb E|1-\eta\hat h_j|>1$)."
    ),
    hypotheses=hyp_diag(gd_only=True),
    conclusion=first_moment,
    checks=(SymbolicCheck("symbolic", _symbolic_gd), ExactCheck("exact", diag_generator(True))),
    kind="limit",
    inputs=DIAG_INPUTS,
)


# -- as proved: mean-square divergence, exactly ------------------------------------------------
def _symbolic_as_proved() -> list[Any]:
    """Proof of Theorem 1 (Appendix A.2): the constants' assembly, the divergence base, the ℓ1–ℓ2 step."""
    import sympy as sp

    eta, n, B, sg, lam, d, t = sp.symbols("eta n B sigma lambda d t", positive=True)
    r = sp.Symbol("r", positive=True)  # n = B + r
    out: list[Any] = []
    for k in (1, 2, 3):
        chain = noise_c(eta, n, B) ** k / (n * d) * (n**k / (d**2 * sg**k)) ** 2 * lam ** (2 * k)
        final = eta ** (2 * k) * (n / (sg**2 * B) - 1 / sg**2) ** k / (n * d**5) * lam ** (2 * k)
        out.append(Identity(sp.cancel(chain), sp.cancel(final), f"assembly of the constants, k = {k}"))
    base = (eta**2 * (n / (sg**2 * B) - 1 / sg**2) * lam**2).subs(n, B + r)
    at = (1 + t) * sg / eta / sp.sqrt((B + r) / B - 1)
    out.append(
        Identity(sp.simplify(base.subs(lam, at)), (1 + t) ** 2, "base η²(n/B − 1)λ²/σ² = (1 + t)² above (b)")
    )
    out.append(Nonnegative(sp.expand((1 + t) ** 2 - 1), "(1 + t)² − 1 ≥ 0: the lower bound diverges"))
    for m in (2, 3):
        tau = sp.symbols(f"tau1:{m + 1}", nonnegative=True)
        gap = m * sum(x * x for x in tau) - sum(tau) ** 2
        closed = sum((tau[i] - tau[j]) ** 2 for i in range(m) for j in range(i + 1, m))
        out.append(Identity(sp.expand(gap), sp.expand(closed), f"n Σ τ_y² − (Σ τ_y)² (ℓ1–ℓ2), n = {m}"))
        out.append(Nonnegative(closed, f"(Σ_y tr H_y^k)² ≤ n Σ_y (tr H_y^k)², n = {m}"))
    return out


# -- as proved: mean-square divergence, exactly ------------------------------------------------
def _hyp_general(inst: dict[str, Any]) -> bool:
    Hs, B = inst["hessians"], inst["B"]
    if not 1 <= B <= Hs.shape[0] or not np.any(Hs != 0):
        return False
    return condition(Hs, inst["eta"], B)


def _as_proved(inst: dict[str, Any]) -> Comparison:
    r = rho(inst["hessians"], inst["eta"], inst["B"])
    return Comparison(r, 1.0, ">=", "ρ(T_η) (lim E‖P_k‖_F² = ∞ iff > 1)", "1")


def _instance(Hs: np.ndarray, B: int, t: float) -> dict[str, Any]:
    lam = lambda1(Hs.mean(axis=0))
    if not lam > 0:  # the zero family: σ undefined; the hypotheses reject it
        return {"hessians": Hs, "B": B, "eta": 1.0}
    a, b = threshold(Hs, B)
    return {"hessians": Hs, "B": B, "eta": t * min(a, b) / lam if lam > 0 else 1.0}


def _general_generator(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i, n, Hs in nonzero_families(rng, k):
        B = n if i % 4 == 0 else int(rng.integers(1, n + 1))
        t = 1.001 if i % 3 == 0 else float(rng.uniform(1.001, 2.0))
        out.append(_instance(Hs, B, t))
    return out


def _tight_cases() -> list[dict[str, Any]]:
    out = []
    for n in (2, 4, 6):
        E = np.stack([np.diag(np.eye(n)[i]) for i in range(n)])
        out.append(_instance(E, n // 2, 1.0001))  # orthogonal rank one, n = 2B: threshold = η*
        out.append(_instance(E, n, 1.0001))  # B = n: threshold 2/λ₁ = η*
    return out


@st.composite
def _general_strategy(draw: Any) -> dict[str, Any]:
    Hs = draw(families(n=st.integers(1, 4), d=st.integers(1, 3)))
    n = Hs.shape[0]
    return _instance(Hs, draw(st.integers(1, n)), draw(st.floats(1.001, 2.0)))


AS_PROVED = Claim(
    id="dexter2024.thm1.as_proved",
    title="Theorem 1's condition implies mean-square divergence: ρ(T_η) > 1, lim E‖Ĵ_k⋯Ĵ_1‖_F² = ∞",
    source=Source("dexter2024precise", "Theorem 1, proof in Appendix A.2"),
    statement=(
        r"If $\lambda_1(H)>2/\eta$ or $\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}$, then the "
        r"second-moment operator $\mathcal T_\eta(W)=\mathbb E[\hat JW\hat J]$ has "
        r"$\rho(\mathcal T_\eta)>1$, "
        r"so $\mathbb E\|\hat J_k\cdots\hat J_1\|_F^2=\operatorname{tr}\mathcal T_\eta^k(I)\to\infty$."
    ),
    hypotheses=(
        psd_family("hessians"),
        Hypothesis("Theorem 1's condition holds, not all H_i zero", _hyp_general),
    ),
    conclusion=_as_proved,
    checks=(
        SymbolicCheck("symbolic", _symbolic_as_proved),
        ExactCheck("exact", _general_generator, fixed=_tight_cases()),
        PropertyCheck("property", _general_strategy(), max_examples=60),
    ),
    kind="limit",
    inputs=FAMILY_INPUTS,
)


CLAIMS = [LITERAL, GD_PART, AS_PROVED]
