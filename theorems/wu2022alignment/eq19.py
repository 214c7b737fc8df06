r"""Wu, Wang & Su (2022), Eq. (19): :math:`\mathbb E[k^2(x,x')]=\sum_s\lambda_s^2(\mathcal K)` (Mercer).

Setting
-------
A symmetric kernel k, a data law ρ, x, x' independent from ρ, and the integral operator
:math:`\mathcal Ku=\mathbb E_{x'\sim\rho}[k(\cdot,x')u(x')]` on :math:`L_2(\rho)` with eigenvalues
:math:`\lambda_s`.  Two kinds of instances:

* discrete ρ on L atoms with weights p and kernel matrix :math:`K_0` on the atoms (PSD or not): the
  nonzero spectrum of :math:`\mathcal K` is that of :math:`A=P^{1/2}K_0P^{1/2}`, and the left side is
  :math:`\sum_{a,b}p_ap_b(K_0)_{ab}^2`;
* the ReLU kernel :math:`k(x,x')=\kappa(x^Tx')` of Appendix E.3 with ρ uniform on :math:`\mathbb S^{d-1}`
  (d ∈ {2, 3, 4, 5, 8, 16}): by Funk–Hecke the eigenvalues are
  :math:`\lambda_\ell=\mathbb E[\kappa(x_1)P_\ell(x_1)]` (:math:`P_\ell` the Gegenbauer polynomial with
  :math:`P_\ell(1)=1`; Chebyshev for d = 2) with multiplicity :math:`N(d,\ell)`, and the left side is
  :math:`\mathbb E\kappa^2(x_1)`.

Statement
---------
``wu2022.eq19``: :math:`\mathbb E[k^2(x,x')]=\sum_s\lambda_s^2` (used for Lemma F.15 and for
:math:`\sum_i\lambda_i^2(\mathcal K)=\mathbb E\kappa^2(x_1)` in E.3).

Evidence
--------
* ``symbolic``: two atoms with weights p, 1 − p and a symbolic kernel matrix:
  :math:`\lambda_1^2+\lambda_2^2=(\operatorname{tr}A)^2-2\det A=\sum_{ab}p_ap_bK_{ab}^2`.  The circle
  (d = 2, uniform ρ) in closed form:
  :math:`\frac1\pi\int_0^\pi\kappa^2(\cos t)\,dt=\frac1{24}+\frac5{16\pi^2}`
  (sympy integral), and with the Fourier coefficients :math:`\lambda_0=2/\pi^2`, :math:`\lambda_1=1/8`,
  :math:`\lambda_k=2/(\pi^2(k^2-1)^2)` for even k ≥ 2 and 0 for odd k ≥ 3 (each of multiplicity 2 for
  k ≥ 1; checked by quadrature in ``exact``), the series :math:`\sum_j(4j^2-1)^{-4}=\frac{5\pi^2}{128}
  +\frac{\pi^4}{768}-\frac12` (partial fractions, proved, with :math:`\sum_j(2j-1)^{-2}=\pi^2/8`,
  :math:`\sum_j(2j-1)^{-4}=\pi^4/96`) gives :math:`\sum_s\lambda_s^2=\frac1{24}+\frac5{16\pi^2}` as well.
* ``exact``: discrete laws (L ≤ 30 atoms: ReLU, RBF, linear, diagonal, rank-one and indefinite
  symmetric kernels; eigenvalues by ``eigvalsh``) and the sphere instances (200-point Gauss–Legendre in the
  angle ψ, where :math:`\kappa(\cos\psi)` is analytic; ℓ < 60, tail < 1e-14), plus the d = 2 Fourier formula.
* ``property``: Hypothesis over weights and symmetric kernel matrices.

Weakening by 10 % (the right side times 0.9) gives counterexamples on every instance.

References
----------
[wu2022alignment, Appendix F.2, proof of Lemma F.15, Eq. (19); Appendix E.3].
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from hypothesis import strategies as st
from scipy.special import comb, eval_chebyt, eval_gegenbauer

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, array
from verifythm.strategies.scalars import reals

from . import KEY
from ._appf import kappa_angles, random_gram

SOURCE = Source(KEY, "Eq. (19)")
SPHERE_DIMS = (2, 3, 4, 5, 8, 16)


@cache
def sphere_sides(d: int, ells: int = 60, nodes: int = 200) -> tuple[float, float]:
    r""":math:`(\mathbb E\kappa^2(x_1),\ \sum_\ell N(d,\ell)\lambda_\ell^2)`, ρ uniform on the sphere."""
    x, w = np.polynomial.legendre.leggauss(nodes)
    psi, w = (x + 1) * np.pi / 2, w * np.pi / 2
    z = np.cos(psi)
    kap = (np.sin(psi) + (np.pi - psi) * z) / (2 * np.pi)
    wt = w * np.sin(psi) ** (d - 2)
    wt = wt / wt.sum()  # the law of x₁ = cos ψ: density ∝ sin^{d−2}ψ
    tot = 0.0
    for ell in range(ells):
        if d == 2:
            P, mult = eval_chebyt(ell, z), 1.0 if ell == 0 else 2.0
        else:
            a = (d - 2) / 2
            P = eval_gegenbauer(ell, a, z) / eval_gegenbauer(ell, a, 1.0)
            mult = 1.0 if ell == 0 else (2 * ell + d - 2) / ell * float(comb(ell + d - 3, ell - 1))
        tot += mult * float(wt @ (kap * P)) ** 2
    return float(wt @ kap**2), tot


def circle_fourier(ells: int = 120) -> float:
    r""":math:`\sum_s\lambda_s^2` on the circle from the closed-form Fourier coefficients."""
    k = np.arange(2, ells)
    lam = np.where(k % 2 == 0, 2.0 / (np.pi**2 * (k**2 - 1.0) ** 2), 0.0)
    return (2 / np.pi**2) ** 2 + 2 * (1 / 8) ** 2 + 2 * float(np.sum(lam**2))


def conclusion(inst: dict[str, Any]) -> Comparison:
    r""":math:`\mathbb E[k^2(x,x')]` versus :math:`\sum_s\lambda_s^2(\mathcal K)`."""
    if "d" in inst:
        lhs, rhs = sphere_sides(inst["d"])
        if inst.get("fourier", 0):
            rhs = circle_fourier()
        return Comparison(lhs, rhs, "==", "E κ²(x₁)", "Σ_ℓ N(d,ℓ)λ_ℓ²")
    K0, p = inst["K0"], inst["p"]
    s = np.sqrt(p)
    lam = np.linalg.eigvalsh(s[:, None] * K0 * s[None, :])
    return Comparison(
        float(p @ (K0**2) @ p),
        float(np.sum(lam**2)),
        "==",
        "E k²(x,x')",
        "Σλ_s²",
        scale=float(np.max(np.abs(K0))) ** 2,
    )


def _valid(inst: dict[str, Any]) -> bool:
    if "d" in inst:  # the closed-form Fourier coefficients are the circle's (d = 2) only
        return inst["d"] in SPHERE_DIMS and (inst.get("fourier", 0) == 0 or inst["d"] == 2)
    K0, p = inst["K0"], inst["p"]
    return (
        K0.shape == (p.size, p.size)
        and bool(np.allclose(K0, K0.T))
        and bool(np.all(p >= 0))
        and abs(p.sum() - 1) < 1e-12
    )


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"d": d} for d in SPHERE_DIMS] + [{"d": 2, "fourier": 1}]
    for i in range(min(k, 40)):
        L = int(rng.integers(1, 31))
        if i % 6 == 5:  # indefinite symmetric kernel (Mercer's identity needs only symmetry)
            K0 = rng.standard_normal((L, L))
            K0 = (K0 + K0.T) / 2
        elif i % 6 == 4:  # ReLU kernel on atoms of the circle
            K0 = kappa_angles(rng.uniform(0, 2 * np.pi, L))
        else:
            K0 = random_gram(rng, L, i % 5)
        out.append({"K0": K0, "p": rng.dirichlet(np.full(L, rng.uniform(0.2, 3.0)))})
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    L = draw(st.integers(1, 6))
    B = np.array(draw(st.lists(reals(-3, 3), min_size=L * L, max_size=L * L))).reshape(L, L)
    w = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=L, max_size=L)))
    return {"K0": (B + B.T) / 2, "p": w / w.sum()}


def _symbolic() -> list[Any]:
    import sympy as sp

    p = sp.Symbol("p", positive=True)
    a, b, c = sp.symbols("a b c", real=True)
    P = sp.diag(sp.sqrt(p), sp.sqrt(1 - p))
    K0 = sp.Matrix([[a, b], [b, c]])
    A = P * K0 * P
    w = (p, 1 - p)
    lhs2 = sum(w[i] * w[j] * K0[i, j] ** 2 for i in range(2) for j in range(2))
    t, x = sp.Symbol("t", real=True), sp.Symbol("x")
    kap = (sp.sin(t) + (sp.pi - t) * sp.cos(t)) / (2 * sp.pi)
    # partial fractions of ((x−1)(x+1))^{-4}: coefficients of (x−1)^{-p} and (x+1)^{-p}, p = 1..4
    cm = (-sp.Rational(5, 32), sp.Rational(5, 32), -sp.Rational(1, 8), sp.Rational(1, 16))
    cp = (sp.Rational(5, 32), sp.Rational(5, 32), sp.Rational(1, 8), sp.Rational(1, 16))
    numer = sum(
        cm[q - 1] * (x - 1) ** (4 - q) * (x + 1) ** 4 + cp[q - 1] * (x + 1) ** (4 - q) * (x - 1) ** 4
        for q in range(1, 5)
    )
    # Σ_j (4j²−1)^{-4} with x = 2j: the odd powers telescope (sums 1), the even ones are λ(2), λ(4) (− 1)
    series = -sp.Rational(5, 32) + sp.Rational(5, 32) * (2 * sp.pi**2 / 8 - 1) - sp.Rational(1, 8)
    series += sp.Rational(1, 16) * (2 * sp.pi**4 / 96 - 1)
    closed = sp.Rational(1, 24) + sp.Rational(5, 16) / sp.pi**2
    return [
        Identity(
            A.trace() ** 2 - 2 * A.det(), lhs2, "two atoms: λ₁² + λ₂² = (tr A)² − 2 det A = Σ p_a p_b K_ab²"
        ),
        Identity(numer, 1, "partial fractions of ((x−1)(x+1))^{-4} (numerator over the common denominator)"),
        Identity(
            sp.integrate(sp.expand(kap**2), (t, 0, sp.pi)) / sp.pi,
            closed,
            "circle: E κ²(x₁) = 1/24 + 5/(16π²)",
        ),
        Identity(
            (2 / sp.pi**2) ** 2 + 2 * sp.Rational(1, 64) + 8 / sp.pi**4 * series,
            closed,
            "circle: Σλ_s² = 1/24 + 5/(16π²)",
        ),
    ]


CLAIM = Claim(
    id="wu2022.eq19",
    title="E_{x,x'}[k²(x,x')] = Σ_s λ_s²(𝒦) (Hilbert–Schmidt norm of the kernel operator)",
    source=SOURCE,
    statement=(
        r"For x, x' i.i.d. from ρ: $\mathbb E[k^2(x,x')]=\sum_s\lambda_s^2(\mathcal K)$, "
        r"$\mathcal K$ on $L_2(\rho)$."
    ),
    hypotheses=(
        Hypothesis(
            "symmetric kernel; ρ a probability law (discrete atoms or uniform sphere; "
            "the Fourier closed form on the circle only)",
            _valid,
        ),
    ),
    conclusion=conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _strategy(), max_examples=80),
    ),
    tolerance=Tolerance(rtol=1e-10, atol=1e-13),
    kind="identity",
    inputs={"d": INT, "fourier": INT, "K0": array(), "p": array()},
)
