r"""The moment engine in high precision: :math:`\rho(\mathcal T_\eta)`, :math:`\eta^*`, :math:`\lambda_1(H)`.

The float64 engine (:mod:`verifythm.dynamics.stability`) decides stability from
:math:`\mathcal T_\eta = \mathcal I - \eta\mathcal A + \eta^2\mathcal Q`; this module computes the
same quantities again, on the same normalised family :math:`\hat H_i = H_i/2^k` and with the
same rank rule, but

* **exactly** (:class:`fractions.Fraction`) for diagonal families, where
  :math:`\hat\eta^* = \min_j 2h_j/q_j` and :math:`\rho = \max_j(1-2\hat\eta h_j+\hat\eta^2q_j)` are
  closed forms in the entries (every float is a rational) and for GD, :math:`2/\lambda_1`;
* in **mpmath** (``dps`` digits, default 50) otherwise: the matrices of :math:`\mathcal A` and
  :math:`\mathcal Q` on the :math:`m = r(r+1)/2` coordinates of :math:`\mathrm{Sym}(r)`
  (:func:`~verifythm.linalg.precise.sym_operator`) are built in mpmath,
  :math:`\hat g = \lambda_{\max}(\hat\eta\mathcal Q-\mathcal A)` and
  :math:`1/\hat\eta^* = \lambda_{\max}(\mathcal Q,\mathcal A)` (the symmetric-definite pencil)
  are solved there, while :math:`m\le` :data:`DENSE_MP_MAX`.  When the family was built inside
  :func:`engine_precision` from Hessians, gradients or a Gram matrix small enough
  (:data:`SOURCE_MAX`), the reduction to :math:`\operatorname{range}H` is redone in mpmath from
  that input; otherwise it starts from the float64 reduced family;
* above :data:`DENSE_MP_MAX`: the float64 eigenvector is kept and its Rayleigh quotient is
  evaluated in mpmath (``kind="refined"``, a one-sided bound whose error is quadratic in
  the eigenvector's), and said so.

:func:`engine_precision` is a context manager under which the public engine functions
(:func:`~verifythm.dynamics.critical_learning_rate`, ``critical_learning_rates``,
``spectral_radius``, ``stability``, ``gd_threshold``, :attr:`Family.lambda_max
<verifythm.dynamics.Family.lambda_max>`, :func:`~verifythm.quantities.coherence`,
:func:`~verifythm.quantities.alignment_factors` and what builds on them) return these
values rounded to float; the :class:`PrecisionLog` it yields records which quantities
actually switched, so :func:`verifythm.evidence.numeric.judge` can tell a claim built on
the engine that its violation was re-checked in high precision.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

# ``X as X``: the state of the context lives in precise_context, the computations in precise_engine
# (the hooks use both without importing this module, which installs them)
from verifythm.dynamics.precise_context import PrecisionLog as PrecisionLog
from verifythm.dynamics.precise_context import active as active
from verifythm.dynamics.precise_context import precision_log
from verifythm.dynamics.precise_context import suspended as suspended
from verifythm.dynamics.precise_engine import DENSE_MP_MAX as DENSE_MP_MAX
from verifythm.dynamics.precise_engine import DPS as DPS
from verifythm.dynamics.precise_engine import REFINE_MAX as REFINE_MAX
from verifythm.dynamics.precise_engine import SOURCE_MAX as SOURCE_MAX
from verifythm.dynamics.precise_engine import SOURCE_SIZE_MAX as SOURCE_SIZE_MAX
from verifythm.dynamics.precise_engine import PreciseValue as PreciseValue
from verifythm.dynamics.precise_engine import critical_hat_precise as critical_hat_precise
from verifythm.dynamics.precise_engine import critical_learning_rate_precise as critical_learning_rate_precise
from verifythm.dynamics.precise_engine import growth_hat_precise as growth_hat_precise
from verifythm.dynamics.precise_engine import lambda_max_hat_precise as lambda_max_hat_precise
from verifythm.dynamics.precise_engine import lambda_max_precise as lambda_max_precise
from verifythm.dynamics.precise_engine import record_source as record_source
from verifythm.dynamics.precise_engine import spectral_radius_precise as spectral_radius_precise

__all__ = [
    "DENSE_MP_MAX",
    "DPS",
    "PreciseValue",
    "PrecisionLog",
    "active",
    "critical_hat_precise",
    "critical_learning_rate_precise",
    "engine_precision",
    "growth_hat_precise",
    "lambda_max_hat_precise",
    "lambda_max_precise",
    "record_source",
    "spectral_radius_precise",
    "suspended",
]


@contextmanager
def engine_precision(dps: int = DPS) -> Iterator[PrecisionLog]:
    """Make the engine's public functions return high-precision values (rounded to float).

    Examples
    --------
    >>> import numpy as np
    >>> from verifythm.dynamics import Family, NoiseModel, critical_learning_rate
    >>> fam = Family.from_hessians(np.stack([np.diag([1.0, 0.0]), np.diag([0.0, 1.0])]))
    >>> with engine_precision() as log:
    ...     eta = critical_learning_rate(NoiseModel.build(fam, 1, "with-replacement")).value
    >>> eta, log.summary()
    (2.0, 'η* exactly (rationals)')
    """
    if isinstance(dps, bool) or not isinstance(dps, int) or dps < 20:
        raise ValueError(f"dps: expected an integer number of digits >= 20, got {dps!r}")
    from verifythm.dynamics import precise_hooks

    precise_hooks.install()
    with precision_log(dps) as log:
        yield log
