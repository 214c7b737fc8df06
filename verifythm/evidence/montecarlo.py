r"""Monte Carlo evidence for claims about expectations that are not second moments.

A claim such as :math:`\mathbb E[X]\le b` (a first moment, a probability, a quantile
proxy) cannot be decided by the exact moment engine.  Here it is decided by a one-sided
**decision rule** at a stated false-alarm rate α:

* for ``E[X] <= b`` the conclusion reports the *lower* confidence bound
  :math:`\underline{m}` of :math:`\mathbb E[X]` against b, so it is violated only when
  :math:`\underline{m}>b`, which happens with probability at most α when the claim holds;
* for ``E[X] >= b`` it reports the *upper* confidence bound against b.

Where the samples are known to lie in a range ``[a, a + R]`` the bound is the empirical
Bernstein bound of Maurer & Pontil (2009, Theorem 4), valid for every sample size:
:math:`|\bar X-\mathbb E X|\le\sqrt{2V\ln(2/\alpha)/m}+7R\ln(2/\alpha)/(3(m-1))` with
probability at least 1 − α (V the unbiased sample variance).  Without a range it falls
back to the normal approximation :math:`\bar X\pm z_{1-\alpha}s/\sqrt m` and says so.

Samples are drawn from a generator seeded by the instance's bytes, so a verdict never
flakes.  A violation is confirmed only by an *independent* replicate with four times as
many samples (the claim's ``precise_conclusion``), which brings the false-alarm rate of a
reported counterexample to at most α² for a fixed instance.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from verifythm.claims.model import Comparison, Instance
from verifythm.evidence.numeric import ExactCheck

#: Default one-sided false-alarm rate of one Monte Carlo decision.
ALPHA = 1e-6

Sampler = Callable[[Instance, np.random.Generator, int], np.ndarray]


@dataclass(frozen=True)
class MeanBounds:
    """Confidence interval of a mean from Monte Carlo samples.

    Attributes
    ----------
    mean, lower, upper
        Sample mean and the one-sided ``1 − alpha`` lower and upper bounds.
    m
        Number of samples.
    alpha
        One-sided false-alarm rate of each bound.
    method
        ``"empirical-bernstein"`` (rigorous, needs a range) or ``"normal"`` (asymptotic).
    """

    mean: float
    lower: float
    upper: float
    m: int
    alpha: float
    method: str


def mean_bounds(samples: np.ndarray, alpha: float = ALPHA, value_range: float | None = None) -> MeanBounds:
    r"""One-sided confidence bounds of :math:`\mathbb E[X]` at level ``1 − alpha`` each.

    Parameters
    ----------
    samples
        One-dimensional array of i.i.d. samples of X (at least 2, finite).
    alpha
        False-alarm rate of each one-sided bound, in (0, 1).
    value_range
        Width R of an interval known to contain every sample (empirical Bernstein);
        ``None`` for the normal approximation.

    Examples
    --------
    >>> b = mean_bounds(np.array([0.0, 1.0] * 500), alpha=1e-3, value_range=1.0)
    >>> b.lower < 0.5 < b.upper, b.method
    (True, 'empirical-bernstein')
    """
    x = np.asarray(samples, dtype=float).ravel()
    if x.size < 2:
        raise ValueError(f"samples: need at least 2 samples, got {x.size}")
    if not np.all(np.isfinite(x)):
        raise ValueError("samples: contain NaN or infinite values")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha: must lie in (0, 1), got {alpha!r}")
    m = x.size
    mean = float(x.mean())
    var = float(x.var(ddof=1))
    if value_range is not None:
        if not value_range >= 0:
            raise ValueError(f"value_range: must be a non-negative width, got {value_range!r}")
        log = math.log(2.0 / alpha)
        half = math.sqrt(2.0 * var * log / m) + 7.0 * value_range * log / (3.0 * (m - 1))
        method = "empirical-bernstein"
    else:
        half = float(stats.norm.isf(alpha)) * math.sqrt(var / m)
        method = "normal"
    return MeanBounds(mean, mean - half, mean + half, m, alpha, method)


def quantile_lcb(samples: np.ndarray, p: float, alpha: float = ALPHA) -> float:
    r"""Lower confidence bound (level 1 − alpha) of the p-quantile of the law of ``samples``.

    Distribution free: the j-th order statistic with the largest j such that
    :math:`P(\mathrm{Bin}(R,p)\le j-1)\le\alpha` (R the number of samples), so
    :math:`P(X_{(j)}>q_p)\le\alpha` for every law.  A claim "P(X > 1) ≤ δ" is therefore
    rejected by ``quantile_lcb(x, 1 − δ) > 1`` at false-alarm rate alpha (the exact binomial
    test); ``-inf`` when R is too small for any order statistic to qualify (see
    :func:`quantile_decidable`; a claim should make that a hypothesis, since a non-finite side
    never counts as holding).

    Examples
    --------
    >>> x = np.arange(1, 1001) / 1000.0
    >>> 0.85 < quantile_lcb(x, 0.9, 1e-6) < 0.9
    True
    """
    x = np.sort(np.asarray(samples, float).ravel())
    if not 0.0 < p < 1.0:
        raise ValueError(f"p: must lie in (0, 1), got {p!r}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha: must lie in (0, 1), got {alpha!r}")
    R = x.size
    j = int(stats.binom.ppf(alpha, R, p))  # smallest j with P(Bin <= j) >= alpha
    while j >= 1 and stats.binom.cdf(j - 1, R, p) > alpha:
        j -= 1
    while j + 1 <= R and stats.binom.cdf(j, R, p) <= alpha:
        j += 1
    return float(x[j - 1]) if j >= 1 else -np.inf


def quantile_decidable(R: int, p: float, alpha: float = ALPHA) -> bool:
    r"""Whether R samples give :func:`quantile_lcb` a finite value: :math:`(1-p)^R\le\alpha`.

    Examples
    --------
    >>> quantile_decidable(20, 0.05, 1e-6), quantile_decidable(300, 0.05, 1e-6)
    (False, True)
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p: must lie in (0, 1), got {p!r}")
    return R >= 1 and R * math.log1p(-p) <= math.log(alpha)


def instance_seed(instance: Instance, salt: str) -> int:
    """A 32-bit seed from the bytes of an instance's values (key order independent)."""
    h = zlib.crc32(salt.encode())
    for k in sorted(instance):
        h = zlib.crc32(k.encode(), h)
        h = zlib.crc32(np.ascontiguousarray(np.asarray(instance[k])).tobytes(), h)
    return h


@dataclass(frozen=True)
class MonteCarloConclusion:
    r"""A claimed relation ``E[X]  relation  bound`` decided by a one-sided confidence bound.

    Calling it on an instance returns a :class:`~verifythm.claims.model.Comparison` whose
    left side is the confidence bound that must cross the claimed bound before a violation
    is declared; :meth:`replicate` is the independent confirmation used as the claim's
    ``precise_conclusion``.

    Parameters
    ----------
    sample
        ``sample(instance, rng, m)`` returns ``m`` i.i.d. samples of X.
    bound
        ``bound(instance)``: the claimed bound b.
    relation
        ``"<="`` (claim ``E[X] <= b``) or ``">="`` (claim ``E[X] >= b``).
    m
        Samples per decision.
    alpha
        One-sided false-alarm rate per decision.
    value_range
        ``value_range(instance)`` returns the width of an interval containing X
        (enables the empirical Bernstein bound), or ``None``.
    lhs_label, rhs_label
        Labels for reports.
    """

    sample: Sampler
    bound: Callable[[Instance], float]
    relation: str
    m: int = 4000
    alpha: float = ALPHA
    value_range: Callable[[Instance], float] | None = None
    lhs_label: str = "E[X]"
    rhs_label: str = "bound"
    statistical: bool = True

    def __post_init__(self) -> None:
        if self.relation not in ("<=", ">="):
            raise ValueError(f"relation: a Monte Carlo conclusion is '<=' or '>=', got {self.relation!r}")
        if self.m < 2:
            raise ValueError(f"m: need at least 2 samples, got {self.m}")

    def bounds(self, instance: Instance, *, salt: str = "mc", m: int | None = None) -> MeanBounds:
        """Confidence bounds of E[X] on ``instance`` from a seeded sample."""
        rng = np.random.default_rng(instance_seed(instance, salt))
        x = self.sample(instance, rng, m or self.m)
        rng_w = None if self.value_range is None else float(self.value_range(instance))
        return mean_bounds(x, self.alpha, rng_w)

    def _compare(self, instance: Instance, salt: str, m: int) -> Comparison:
        b = self.bounds(instance, salt=salt, m=m)
        side = b.lower if self.relation == "<=" else b.upper
        which = "lower" if self.relation == "<=" else "upper"
        label = (
            f"{which} {1 - self.alpha:.7g}-bound of {self.lhs_label} (mean {b.mean:.6g}, m={b.m}, {b.method})"
        )
        return Comparison(side, float(self.bound(instance)), self.relation, label, self.rhs_label)

    def __call__(self, instance: Instance) -> Comparison:
        """The decision on ``instance``: violated only if the confidence bound crosses the bound."""
        return self._compare(instance, "mc", self.m)

    def replicate(self, instance: Instance) -> Comparison:
        """An independent replicate with four times the samples (confirms a violation)."""
        return self._compare(instance, "mc-replicate", 4 * self.m)

    def describe(self) -> str:
        """The decision rule in words (used in check notes)."""
        rule = "lower" if self.relation == "<=" else "upper"
        return (
            f"Monte Carlo decision: violated only if the one-sided {rule} confidence bound of the mean "
            f"({self.m} samples, false-alarm rate {self.alpha:g}) crosses the claimed bound, confirmed by an "
            f"independent replicate with {4 * self.m} samples"
        )


class MonteCarloCheck(ExactCheck):
    """An :class:`~verifythm.evidence.numeric.ExactCheck` whose claim has a Monte Carlo conclusion.

    The instances are generated and judged exactly like an exact check; the method is
    reported as ``monte_carlo`` and the note states the decision rule and its false-alarm rate.
    """

    method = "monte_carlo"

    def _note(self, claim: Any) -> str:
        base = claim.conclusion.describe() if hasattr(claim.conclusion, "describe") else "Monte Carlo"
        return f"{base}; {self.note}" if self.note else base
