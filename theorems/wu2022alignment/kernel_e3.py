r"""Wu, Wang & Su (2022), Appendix E.3: the ReLU arc-cosine kernel and its spectrum.

Setting
-------
Random ReLU features :math:`\varphi_w(x)=\mathrm{ReLU}(w^Tx)` with :math:`w` uniform on
:math:`\sqrt d\,\mathbb S^{d-1}` and inputs :math:`x\sim\tau_{d-1}=\mathrm{Unif}(\mathbb S^{d-1})`.
Kernel :math:`k(x,x')=\mathbb E_w[\mathrm{ReLU}(w^Tx)\mathrm{ReLU}(w^Tx')]` and integral operator
:math:`\mathcal K f(x)=\mathbb E_{x'\sim\tau_{d-1}}[k(x,x')f(x')]`.

Statement
---------
* (E.3, citing [7]) :math:`k(x,x')=\kappa(x^Tx')` with
  :math:`\kappa(z)=\bigl(\sqrt{1-z^2}+(\pi-\arccos z)z\bigr)/(2\pi)`.
* (E.3) :math:`\lambda_1(\mathcal K)=\mathbb E_{x'}[\kappa(x'_1)]\sim1` and
  :math:`\sum_{i\ge2}\lambda_i^2(\mathcal K)=\mathbb E[\kappa^2(x_1)]-\lambda_1^2\sim1/d`.

Encoded
-------
* ``wu2022.e3.arccos_kernel`` (identity): the expectation, computed by a 2-D quadrature
  independent of the closed form, equals :math:`\kappa(z)`.  Write :math:`x=e_1`,
  :math:`x'=ze_1+\sqrt{1-z^2}e_2`, :math:`w=\sqrt d\,u`; the projection of :math:`u` onto
  :math:`\mathrm{span}(e_1,e_2)` is :math:`s(\cos\phi,\sin\phi)` with φ uniform, independent of
  the radius :math:`s`, whose density is :math:`\propto s(1-s^2)^{(d-4)/2}` (:math:`s=1` for
  d = 2).  Hence the expectation is :math:`d\,\mathbb E[s^2]\cdot\frac1{2\pi}\int
  \mathrm{ReLU}(\cos\phi)\mathrm{ReLU}(\cos(\phi-\vartheta))\,d\phi`, :math:`\vartheta=\arccos z`,
  and both factors are computed by adaptive quadrature.  The angular integral is also checked
  symbolically (sympy).  Finding: the formula is correct as printed (no typo); it holds for
  :math:`w` on :math:`\sqrt d\,\mathbb S^{d-1}` exactly, not just for Gaussian :math:`w`, since
  :math:`d\,\mathbb E[s^2]=2` for every d.
* ``wu2022.e3.lambda1.lower`` / ``.upper``: :math:`1/(2\pi)\le\lambda_1(\mathcal K)\le
  (1+1/d)/(2\pi)`.  The lower bound is Jensen (κ is convex, :math:`\kappa''(z)=1/(2\pi\sqrt{1-z^2})`,
  and :math:`\mathbb E x_1=0`), approached as :math:`d\to\infty`
  (:math:`\lambda_1=\frac1{2\pi}(1+\frac1{2d})+O(d^{-2})`), so it is tight on the sweep.
  That the constant function is the top eigenfunction (the paper's premise) is a hypothesis,
  checked on each instance against the degree-1 eigenvalue :math:`\mathbb E[x_1\kappa(x_1)]=1/(4d)`
  (higher-degree eigenvalues of this kernel are smaller still; not checked here).
* ``wu2022.e3.tail.lower`` / ``.upper``: :math:`\frac1{16}\le d\sum_{i\ge2}\lambda_i^2(\mathcal K)
  \le C_{\rm up}`.  The lower bound is exact: :math:`\kappa(z)=z/4+g(z)/(2\pi)` with g even, so
  :math:`\mathrm{Var}\,\kappa(x_1)\ge\mathrm{Var}(x_1)/16=1/(16d)`; it is attained as
  :math:`d\to\infty`.  :math:`C_{\rm up}` is the estimated implied constant: the maximum of
  :math:`d\sum_{i\ge2}\lambda_i^2` over the sweep d ∈ {2, …, 4096} (0.064563 at d = 3; 0.064531 at
  d = 2; then decreasing to 1/16), rounded up in the 4th digit (0.0646).

* ``wu2022.e3.tau``: the consequence used for :math:`\mu\gtrsim d^{-1}`,
  :math:`\tau(\mathcal K)=\lambda_1^2/\sum_i\lambda_i^2\le1-C/d`.  Encoded as
  :math:`d(1-\tau(\mathcal K))\ge C_\tau=0.88`, the sweep minimum (0.8800 at d = 2) rounded
  down; :math:`d(1-\tau)` increases with d on the sweep towards :math:`\pi^2/4\approx2.467`
  (= (1/16)/(1/(2π))², 2.4654 at d = 4096).

Evidence
--------
Population quantities by 1-D quadrature over the law of :math:`x_1=\cos\psi`, density
:math:`\propto\sin^{d-2}\psi` on [0, π] (``scipy.integrate.quad``), at
d ∈ {2, 3, 4, 5, 8, 16, 64, 256, 1024, 4096}.  The degree-1 eigenvalue comes out as
:math:`1/(4d)` to 1e-12 (the odd part of κ is z/4), well below :math:`\lambda_1\approx1/(2\pi)`.

References
----------
[wu2022alignment, Appendix E.3; Cho & Saul (2009), arc-cosine kernels].
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import numpy as np
from scipy import integrate

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Identity, Source, SymbolicCheck, Tolerance

from . import KEY

D_SWEEP = (2, 3, 4, 5, 8, 16, 64, 256, 1024, 4096)
C_TAIL_UP = 0.0646
C_TAU = 0.88


def kappa(z: float) -> float:
    r"""The paper's closed form :math:`\kappa(z)=(\sqrt{1-z^2}+(\pi-\arccos z)z)/(2\pi)`."""
    z = float(np.clip(z, -1.0, 1.0))
    return float((np.sqrt(1.0 - z * z) + (np.pi - np.arccos(z)) * z) / (2.0 * np.pi))


def _radial_second_moment(d: int) -> float:
    r""":math:`\mathbb E[s^2]` for the radius of the 2-D projection of :math:`u\sim\tau_{d-1}`."""
    if d == 2:
        return 1.0
    a = (d - 4) / 2.0
    opts = {"weight": "alg", "wvar": (0.0, a), "epsabs": 0.0, "epsrel": 1e-13, "limit": 200}
    num = integrate.quad(lambda s: s**3 * (1.0 + s) ** a, 0.0, 1.0, **opts)[0]
    den = integrate.quad(lambda s: s * (1.0 + s) ** a, 0.0, 1.0, **opts)[0]
    return num / den


def relu_expectation(d: int, z: float) -> float:
    r"""The expectation :math:`\mathbb E_w[\mathrm{ReLU}(w^Tx)\mathrm{ReLU}(w^Tx')]` at :math:`x^Tx'=z`."""
    th = float(np.arccos(np.clip(z, -1.0, 1.0)))

    def f(p: float) -> float:
        return max(np.cos(p), 0.0) * max(np.cos(p - th), 0.0)

    pts = sorted({-np.pi / 2, np.pi / 2, th - np.pi / 2, th + np.pi / 2})
    ang = sum(integrate.quad(f, lo, hi, epsabs=0.0, epsrel=1e-13)[0] for lo, hi in itertools.pairwise(pts))
    ang += integrate.quad(f, pts[-1], pts[0] + 2 * np.pi, epsabs=0.0, epsrel=1e-13)[0]
    return d * _radial_second_moment(d) * ang / (2.0 * np.pi)


def kernel_conclusion(inst: dict[str, Any]) -> Comparison:
    r"""Quadrature value of the expectation versus :math:`\kappa(z)`."""
    d, z = int(inst["d"]), float(inst["z"])
    return Comparison(
        relu_expectation(d, z), kappa(z), "==", "E_w[ReLU(wᵀx)ReLU(wᵀx')]", "κ(xᵀx')", scale=0.5
    )


def _kernel_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [
        {"d": int(rng.choice([2, 3, 5, 10, 50])), "z": float(rng.uniform(-1, 1))} for _ in range(min(k, 12))
    ]


_KERNEL_FIXED = [{"d": d, "z": z} for d in (2, 3, 7) for z in (-1.0, -0.5, 0.0, 0.3, 1.0)]


def _kernel_symbolic() -> list[Any]:
    import sympy as sp

    th = sp.symbols("theta", positive=True)
    p = sp.symbols("phi", real=True)
    ang = sp.integrate(sp.cos(p) * sp.cos(p - th), (p, th - sp.pi / 2, sp.pi / 2))
    lhs = sp.simplify(2 * ang / (2 * sp.pi))
    rhs = (sp.sin(th) + (sp.pi - th) * sp.cos(th)) / (2 * sp.pi)
    return [Identity(lhs, rhs, "(1/π)∫_{ϑ−π/2}^{π/2} cosφ cos(φ−ϑ) dφ = κ(cos ϑ), 0 ≤ ϑ ≤ π")]


KERNEL = Claim(
    id="wu2022.e3.arccos_kernel",
    title="E_w[ReLU(wᵀx)ReLU(wᵀx')] = κ(xᵀx') = (√(1−z²) + (π − arccos z)z)/(2π), w ~ Unif(√d·S^{d−1})",
    source=Source(KEY, "Appendix E.3"),
    statement=(
        r"For $w\sim\mathrm{Unif}(\sqrt d\,\mathbb S^{d-1})$ and $x,x'\in\mathbb S^{d-1}$, "
        r"$\mathbb E_w[\mathrm{ReLU}(w^Tx)\mathrm{ReLU}(w^Tx')]=\kappa(x^Tx')$, "
        r"$\kappa(z)=(\sqrt{1-z^2}+(\pi-\arccos z)z)/(2\pi)$."
    ),
    hypotheses=(
        Hypothesis("−1 ≤ z ≤ 1, d ≥ 2", lambda i: -1.0 <= float(i["z"]) <= 1.0 and int(i["d"]) >= 2),
    ),
    conclusion=kernel_conclusion,
    checks=(
        SymbolicCheck("symbolic", _kernel_symbolic),
        ExactCheck("exact", _kernel_generate, fixed=_KERNEL_FIXED, note="radial × angle adaptive quadrature"),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-11),
    kind="identity",
)


@cache
def spectrum_facts(d: int) -> dict[str, float]:
    r"""Population λ₁ = E κ(x₁), the degree-1 eigenvalue and :math:`\sum_{i\ge2}\lambda_i^2`."""

    # x_1 = cos ψ with density ∝ sin^{d-2}ψ on [0, π]; smooth integrand, peak at π/2 of width ~ d^{-1/2}.
    def mean(f: Any) -> float:
        def g(p: float) -> float:
            return f(np.cos(p)) * np.sin(p) ** (d - 2)

        return integrate.quad(g, 0.0, np.pi, points=[np.pi / 2], epsabs=0.0, epsrel=1e-12, limit=400)[0]

    z0 = mean(lambda t: 1.0)
    lam1 = mean(kappa) / z0
    deg1 = mean(lambda t: t * kappa(t)) / z0
    second = mean(lambda t: kappa(t) ** 2) / z0
    return {"lam1": lam1, "deg1": deg1, "tail": second - lam1**2}


def _top_is_constant(inst: dict[str, Any]) -> bool:
    f = spectrum_facts(int(inst["d"]))
    return int(inst["d"]) >= 2 and f["lam1"] > f["deg1"]


_SWEEP = [{"d": d} for d in D_SWEEP]
_HYP = (Hypothesis("d ≥ 2 and the constant is the top eigenfunction (λ_deg0 > λ_deg1)", _top_is_constant),)
_NOTE = "1-D quadrature over the law of x₁, d ∈ " + str(list(D_SWEEP))


def _spec_claim(cid: str, title: str, statement: str, conclusion: Any) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=Source(KEY, "Appendix E.3"),
        statement=statement,
        hypotheses=_HYP,
        conclusion=conclusion,
        checks=(ExactCheck("exact", fixed=_SWEEP, note=_NOTE),),
        tolerance=Tolerance(rtol=1e-9, atol=1e-12),
        kind="constant",
    )


LAMBDA1_LOWER = _spec_claim(
    "wu2022.e3.lambda1.lower",
    "λ₁(𝒦) = E κ(x₁) ≥ 1/(2π) for every d (lower half of λ₁(𝒦) ∼ 1; Jensen, tight as d → ∞)",
    r"$\lambda_1(\mathcal K)\gtrsim1$; encoded with the sharp constant: $\lambda_1(\mathcal K)\ge1/(2\pi)$.",
    lambda i: Comparison(spectrum_facts(int(i["d"]))["lam1"], 1.0 / (2.0 * np.pi), ">=", "λ₁(𝒦)", "1/(2π)"),
)

LAMBDA1_UPPER = _spec_claim(
    "wu2022.e3.lambda1.upper",
    "λ₁(𝒦) ≤ (1 + 1/d)/(2π) for every d (upper half of λ₁(𝒦) ∼ 1)",
    r"$\lambda_1(\mathcal K)\lesssim1$; encoded: $\lambda_1(\mathcal K)\le(1+1/d)/(2\pi)$.",
    lambda i: Comparison(
        spectrum_facts(int(i["d"]))["lam1"],
        (1.0 + 1.0 / int(i["d"])) / (2.0 * np.pi),
        "<=",
        "λ₁(𝒦)",
        "(1+1/d)/(2π)",
    ),
)

TAIL_LOWER = _spec_claim(
    "wu2022.e3.tail.lower",
    "d·Σ_{i≥2} λ_i²(𝒦) ≥ 1/16 for every d (lower half of Σ_{i≥2} λ_i² ∼ 1/d; tight as d → ∞)",
    r"$\sum_{i\ge2}\lambda_i^2(\mathcal K)\gtrsim1/d$; encoded: $d\sum_{i\ge2}\lambda_i^2\ge1/16$.",
    lambda i: Comparison(
        int(i["d"]) * spectrum_facts(int(i["d"]))["tail"], 1.0 / 16.0, ">=", "d·Σλ_i²", "1/16"
    ),
)

TAIL_UPPER = _spec_claim(
    "wu2022.e3.tail.upper",
    f"d·Σ_{{i≥2}} λ_i²(𝒦) ≤ C_up = {C_TAIL_UP} over the d sweep (upper half of ∼ 1/d; estimated constant)",
    r"$\sum_{i\ge2}\lambda_i^2(\mathcal K)\lesssim1/d$; encoded: $d\sum_{i\ge2}\lambda_i^2\le C_{\rm up}$, "
    r"the implied constant estimated on the sweep (attained at d = 3).",
    lambda i: Comparison(
        int(i["d"]) * spectrum_facts(int(i["d"]))["tail"], C_TAIL_UP, "<=", "d·Σλ_i²", "C_up"
    ),
)


def _tau_gap(d: int) -> float:
    f = spectrum_facts(d)
    return d * f["tail"] / (f["lam1"] ** 2 + f["tail"])


TAU = _spec_claim(
    "wu2022.e3.tau",
    f"τ(𝒦) = λ₁²/Σλ_i² ≤ 1 − C/d with C = {C_TAU} over the d sweep (the step to μ ≳ 1/d; estimated constant)",
    r"$\lambda_1^2(\mathcal K)/\sum_i\lambda_i^2(\mathcal K)\le1-C/d$; encoded: "
    r"$d\,(1-\tau(\mathcal K))\ge C_{\tau}$, the implied constant, estimated on the sweep (d = 2).",
    lambda i: Comparison(_tau_gap(int(i["d"])), C_TAU, ">=", "d·(1 − τ(𝒦))", "C_τ"),
)

CLAIMS = [KERNEL, LAMBDA1_LOWER, LAMBDA1_UPPER, TAIL_LOWER, TAIL_UPPER, TAU]
