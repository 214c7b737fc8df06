r"""Result records of the exact stability engine (:mod:`verifythm.dynamics.stability`).

:class:`SpectralRadius` (:math:`\rho(\mathcal T_\eta)` with its certificate),
:class:`CriticalLR` (the critical learning rate :math:`\eta^*`) and :class:`StabilityVerdict`
(the decision at one learning rate); all three are re-exported by
:mod:`verifythm.dynamics.stability` and :mod:`verifythm.dynamics`.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifythm.dynamics.sampling import Sampling
from verifythm.linalg.psd import Array

__all__ = ["CriticalLR", "SpectralRadius", "StabilityVerdict"]


@dataclass(frozen=True)
class SpectralRadius:
    r""":math:`\rho(\mathcal T_\eta)` with its certificate.

    Attributes
    ----------
    value
        :math:`\rho = 1 + \eta\,\lambda_{\max}(\eta\mathcal Q-\mathcal A)`.
    growth
        :math:`\lambda_{\max}(\eta\mathcal Q - \mathcal A)`, so that
        :math:`\rho - 1 = \eta\cdot\text{growth}` (sign decides stability).
    lower
        A rigorous lower bound up to rounding: the Rayleigh quotient of the returned
        eigenvector (a lower bound for the top eigenvalue of a self-adjoint map).
    eigenvector
        The dominant eigenvector :math:`W` (unit Frobenius norm, oriented PSD), in the
        reduced coordinates of the family.
    psd_defect
        :math:`\max(0,-\lambda_{\min}(W))/\|W\|_F` (0 for an exactly PSD eigenvector).
    method
        ``"dense"``, ``"lanczos"``, ``"diagonal"`` or ``"lobpcg"`` (fallback when Lanczos
        does not converge; then ``value`` is the Rayleigh quotient, a lower bound).
    """

    value: float
    growth: float
    lower: float
    eigenvector: Array
    psd_defect: float
    method: str


@dataclass(frozen=True)
class CriticalLR:
    r"""The critical learning rate :math:`\eta^*` (mean-square / loss stability threshold).

    Attributes
    ----------
    value
        :math:`\eta^*`; ``math.inf`` when the family is zero.
    eigenvector
        :math:`W^*` (PSD-oriented), the second moment that destabilises first.
    method
        How it was computed (``"dense"``, ``"lanczos"``, ``"dual"``, ``"bracket"``, ``"closed-form"``).
    gd_threshold
        :math:`2/\lambda_1(H)`, the GD value, for comparison (:math:`\eta^*\le 2/\lambda_1`).
    """

    value: float
    eigenvector: Array
    method: str
    gd_threshold: float


@dataclass(frozen=True)
class StabilityVerdict:
    r"""Mean-square (equivalently loss) stability of linearized SGD at one learning rate.

    ``stable`` is :math:`\rho(\mathcal T_\eta)\le1`, decided as :math:`\eta\le\eta^*` (the
    stable set is an interval; η* is the robustly computed generalized eigenvalue); ``borderline`` flags
    :math:`|\eta/\eta^*-1|` below ``1e-9``, where rounding could flip the verdict.
    """

    eta: float
    spectral_radius: float
    stable: bool
    borderline: bool
    critical_lr: float
    sampling: Sampling
    n: int
    batch_size: int
