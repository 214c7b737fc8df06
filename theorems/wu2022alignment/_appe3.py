r"""The ReLU arc-cosine kernel of Appendix E.3 of Wu, Wang & Su (2022) and its population spectrum.

Not collected (private).  Shared by ``appe3`` (the closed form), ``appe3_spectrum`` (the spectrum)
and ``_appf.population_spectrum``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from scipy import integrate


def kappa(z: float) -> float:
    r"""The paper's closed form :math:`\kappa(z)=(\sqrt{1-z^2}+(\pi-\arccos z)z)/(2\pi)`."""
    z = float(np.clip(z, -1.0, 1.0))
    return float((np.sqrt(1.0 - z * z) + (np.pi - np.arccos(z)) * z) / (2.0 * np.pi))


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
