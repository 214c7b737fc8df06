r"""Constant fits: :math:`v \approx C\,s^{a}` on a size sweep, with a confidence interval for :math:`a`.

For a claim hiding a constant (``≲``, "some C"), :func:`fit_power_law` fits the measured values
over sizes on a log-log scale, so that a claimed exponent can be tested and the implied constant
reported.  :class:`~verifythm.evidence.constant.ConstantCheck` fits the trend of its constant
with it; :mod:`verifythm.search.sweep` re-exports both names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class PowerLawFit:
    r"""Least-squares fit of :math:`\log v = \log C + a\log s`.

    Attributes
    ----------
    exponent, constant
        :math:`a` and :math:`C`.
    exponent_interval
        Two-sided ``1 − alpha`` confidence interval of :math:`a` (Student t).
    r2
        Coefficient of determination on the log scale.
    implied_constant
        :math:`\max_k v_k / s_k^{a_0}` for the claimed exponent :math:`a_0` when one is given
        (the smallest constant that makes the claimed bound hold on the sweep).
    """

    exponent: float
    constant: float
    exponent_interval: tuple[float, float]
    r2: float
    n: int
    implied_constant: float | None = None

    def consistent_with(self, exponent: float) -> bool:
        """Whether a claimed exponent lies in the confidence interval."""
        lo, hi = self.exponent_interval
        return lo <= exponent <= hi


def fit_power_law(
    sizes: ArrayLike, values: ArrayLike, *, claimed: float | None = None, alpha: float = 0.01
) -> PowerLawFit:
    """Fit ``values ≈ C · sizes**a`` on a log-log scale.

    Parameters
    ----------
    sizes, values
        Positive sizes (n, d, …) and positive measured values, at least 3 points.
    claimed
        The exponent the paper claims (for :attr:`PowerLawFit.implied_constant`).
    alpha
        Two-sided level of the exponent's confidence interval.

    Examples
    --------
    >>> fit = fit_power_law([1, 2, 4, 8], [3.0, 6.0, 12.0, 24.0], claimed=1.0)
    >>> round(fit.exponent, 6), round(fit.constant, 6), round(fit.implied_constant, 6)
    (1.0, 3.0, 3.0)
    """
    s = np.asarray(sizes, dtype=float)
    v = np.asarray(values, dtype=float)
    if s.shape != v.shape or s.ndim != 1 or s.size < 3:
        raise ValueError("sizes, values: need two 1-D arrays of the same length ≥ 3")
    if not (np.all(s > 0) and np.all(v > 0) and np.all(np.isfinite(v))):
        raise ValueError("sizes, values: must be positive and finite (fitted on a log scale)")
    x, y = np.log(s), np.log(v)
    from scipy import stats  # lazily: scipy.stats costs ~1 s, and the CLI imports search.sweep

    res = stats.linregress(x, y)
    dof = s.size - 2
    if dof > 0 and np.isfinite(res.stderr):
        half = float(stats.t.isf(alpha / 2, dof) * res.stderr)
    else:  # pragma: no cover - linregress always has dof ≥ 1 here
        half = float("inf")
    implied = None if claimed is None else float(np.max(v / s**claimed))
    return PowerLawFit(
        float(res.slope),
        float(np.exp(res.intercept)),
        (float(res.slope - half), float(res.slope + half)),
        float(res.rvalue**2),
        int(s.size),
        implied,
    )
