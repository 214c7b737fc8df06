r"""The sharpness metrics of a Hessian :math:`H`, and how they are read off its eigenvalues.

:class:`HessianSpectrum` is what :func:`~verifythm.quantities.spectral.hessian_spectrum`
returns; :func:`spectrum_from_eigenvalues` builds it from the eigenvalues of :math:`H`
scaled by a power of two, for both the Gram path of :mod:`verifythm.quantities.spectral` and
the :math:`p\times p` path of :mod:`verifythm.quantities.tall`; :mod:`verifythm.quantities.spectral`
re-exports both names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from verifythm.linalg.psd import Array, pow2_exponent


@dataclass(frozen=True)
class HessianSpectrum:
    r"""Sharpness metrics of :math:`H = \frac1n\sum_i H_i` (dexter2024precise, Definition 1).

    Attributes
    ----------
    n
        Number of samples.
    dim
        Parameter dimension (``d`` or ``p``).
    lambda_max
        :math:`\lambda_1(H) = \|H\|_2`.
    trace
        :math:`\operatorname{Tr}H`.
    frobenius
        :math:`\|H\|_F` (wu2022alignment, Theorem 3.3).
    stable_rank
        :math:`\|H\|_F^2/\|H\|_2^2` (dexter2024precise, §3.2.1); ``None`` if :math:`H=0`.
    effective_rank
        :math:`\mathrm{srk}(H) = \operatorname{Tr}H/\|H\|_2` (wang2023noise); ``None`` if :math:`H=0`.
    """

    n: int
    dim: int
    lambda_max: float
    trace: float
    frobenius: float
    stable_rank: float | None
    effective_rank: float | None


def spectrum_from_eigenvalues(n: int, dim: int, w_hat: Array, exponent: int) -> HessianSpectrum:
    """Metrics of :math:`H` from the eigenvalues of :math:`H/2^{exponent}` (non-negative; zeros may go).

    The ratios (stable and effective rank) come from the normalised eigenvalues alone; the
    absolute quantities are scaled back by the exact power of two, so they are ``inf`` or
    subnormal only when the true value is.
    """
    w_hat = np.clip(np.asarray(w_hat, dtype=np.float64), 0.0, None)
    top = float(w_hat.max()) if w_hat.size else 0.0
    if top > 0:  # renormalise so that the squares below neither under- nor overflow
        j = pow2_exponent(top)
        w_hat, top, exponent = np.ldexp(w_hat, -j), math.ldexp(top, -j), exponent + j
    fro2 = float(np.sum(w_hat * w_hat))
    tr = float(np.sum(w_hat))
    with np.errstate(over="ignore", under="ignore"):
        return HessianSpectrum(
            n=n,
            dim=dim,
            lambda_max=float(np.ldexp(top, exponent)),
            trace=float(np.ldexp(tr, exponent)),
            frobenius=float(np.ldexp(np.sqrt(fro2), exponent)),
            stable_rank=fro2 / top**2 if top > 0 else None,
            effective_rank=tr / top if top > 0 else None,
        )
