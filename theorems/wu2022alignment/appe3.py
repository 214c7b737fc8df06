r"""Wu, Wang & Su (2022), Appendix E.3: the ReLU arc-cosine kernel in closed form.

Setting
-------
Random ReLU features :math:`\varphi_w(x)=\mathrm{ReLU}(w^Tx)` with :math:`w` uniform on
:math:`\sqrt d\,\mathbb S^{d-1}` and inputs :math:`x\sim\tau_{d-1}=\mathrm{Unif}(\mathbb S^{d-1})`.
Kernel :math:`k(x,x')=\mathbb E_w[\mathrm{ReLU}(w^Tx)\mathrm{ReLU}(w^Tx')]` and integral operator
:math:`\mathcal K f(x)=\mathbb E_{x'\sim\tau_{d-1}}[k(x,x')f(x')]`.

Statement
---------
``wu2022.appe3.arccos_kernel`` (E.3, citing [7]): :math:`k(x,x')=\kappa(x^Tx')` with
:math:`\kappa(z)=\bigl(\sqrt{1-z^2}+(\pi-\arccos z)z\bigr)/(2\pi)`.  (Its spectrum, the second statement
of E.3, is ``wu2022.appe3.lambda1.*``, ``wu2022.appe3.tail.*`` and ``wu2022.appe3.tau``, module
``e3_spectrum``.)

Evidence
--------
* ``exact`` (identity): the expectation, computed by a 2-D quadrature
  independent of the closed form, equals :math:`\kappa(z)`.  Write :math:`x=e_1`,
  :math:`x'=ze_1+\sqrt{1-z^2}e_2`, :math:`w=\sqrt d\,u`; the projection of :math:`u` onto
  :math:`\mathrm{span}(e_1,e_2)` is :math:`s(\cos\phi,\sin\phi)` with φ uniform, independent of
  the radius :math:`s`, whose density is :math:`\propto s(1-s^2)^{(d-4)/2}` (:math:`s=1` for
  d = 2).  Hence the expectation is :math:`d\,\mathbb E[s^2]\cdot\frac1{2\pi}\int
  \mathrm{ReLU}(\cos\phi)\mathrm{ReLU}(\cos(\phi-\vartheta))\,d\phi`, :math:`\vartheta=\arccos z`,
  and both factors are computed by adaptive quadrature.  Finding: the formula is correct as printed
  (no typo); it holds for
  :math:`w` on :math:`\sqrt d\,\mathbb S^{d-1}` exactly, not just for Gaussian :math:`w`, since
  :math:`d\,\mathbb E[s^2]=2` for every d.
* ``symbolic``: the angular integral,
  :math:`\frac1\pi\int_{\vartheta-\pi/2}^{\pi/2}\cos\phi\cos(\phi-\vartheta)\,d\phi=\kappa(\cos\vartheta)`.
* ``property``: Hypothesis over d ∈ [2, 64] and :math:`z=x^Tx'\in[-1,1]`, quadrature
  against the closed form.

References
----------
[wu2022alignment, Appendix E.3; Cho & Saul (2009), arc-cosine kernels].
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import strategies as st
from scipy import integrate

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
from verifythm.claims.inputs import INT, REAL
from verifythm.strategies.scalars import reals

from . import KEY
from ._appe3 import kappa, spectrum_facts  # noqa: F401  (spectrum_facts: public name of this module before the split)


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
    d, z = inst["d"], inst["z"]
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
    id="wu2022.appe3.arccos_kernel",
    aliases=("wu2022.e3.arccos_kernel",),
    title="E_w[ReLU(wᵀx)ReLU(wᵀx')] = κ(xᵀx') = (√(1−z²) + (π − arccos z)z)/(2π), w ~ Unif(√d·S^{d−1})",
    source=Source(KEY, "Appendix E.3"),
    statement=(
        r"For $w\sim\mathrm{Unif}(\sqrt d\,\mathbb S^{d-1})$ and $x,x'\in\mathbb S^{d-1}$, "
        r"$\mathbb E_w[\mathrm{ReLU}(w^Tx)\mathrm{ReLU}(w^Tx')]=\kappa(x^Tx')$, "
        r"$\kappa(z)=(\sqrt{1-z^2}+(\pi-\arccos z)z)/(2\pi)$."
    ),
    hypotheses=(Hypothesis("−1 ≤ z ≤ 1, d ≥ 2", lambda i: -1.0 <= i["z"] <= 1.0 and i["d"] >= 2),),
    conclusion=kernel_conclusion,
    checks=(
        SymbolicCheck("symbolic", _kernel_symbolic),
        ExactCheck("exact", _kernel_generate, fixed=_KERNEL_FIXED, note="radial × angle adaptive quadrature"),
        PropertyCheck(
            "property",
            st.fixed_dictionaries({"d": st.integers(2, 64), "z": reals(-1.0, 1.0)}),
            max_examples=40,
            note="d and z = xᵀx' drawn, quadrature",
        ),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-11),
    kind="identity",
    inputs={"d": INT, "z": REAL},
)

CLAIMS = [KERNEL]
