r"""Sweeps on any executor: parameter maps, stability phase diagrams and constant fits.

``sweep`` maps a picklable function over points on a
:class:`concurrent.futures.Executor` (``None``: in this process); everything else here is
built on it, so a local process pool or a Dask cluster runs the same code.

* :func:`stability_phase_diagram` — the exact spectral radius :math:`\rho(\mathcal T_\eta)`
  of linearized SGD over a grid of learning rates η and batch sizes B, with the exact
  critical learning rate :math:`\eta^*(B)` per batch size (the boundary of the stable phase).
* :func:`fit_power_law` — for a claim hiding a constant (``≲``, "some C"), fit
  :math:`v \approx C\,s^{a}` on a size sweep, with a confidence interval for the exponent,
  so that a claimed exponent can be tested and the implied constant reported (it lives in
  :mod:`verifythm.evidence.power_law`, where the constant checks use it, and is re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

# ``X as X``: the constant fits live in evidence.power_law (evidence.constant uses them)
from verifythm.evidence.power_law import PowerLawFit as PowerLawFit
from verifythm.evidence.power_law import fit_power_law as fit_power_law

T = TypeVar("T")
R = TypeVar("R")


def sweep(
    fn: Callable[[T], R],
    points: Iterable[T],
    *,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """``[fn(p) for p in points]``, in order, on ``executor`` (``fn`` must be picklable there).

    Examples
    --------
    >>> sweep(abs, [-1, 2, -3])
    [1, 2, 3]
    """
    pts = list(points)
    it = map(fn, pts) if executor is None else executor.map(fn, pts)
    out: list[R] = []
    for k, r in enumerate(it, 1):
        out.append(r)
        if progress is not None:
            progress(k, len(pts))
    return out


# -- stability phase diagram ------------------------------------------------------------------
def _rho_cell(task: tuple[np.ndarray, str, int, str, Sequence[float]]) -> tuple[list[float], float]:
    from verifythm.dynamics import NoiseModel, critical_learning_rate, spectral_radius

    data, kind, B, sampling, etas = task
    noise = NoiseModel.build(
        batch_size=B,
        sampling=sampling,
        hessians=data if kind == "hessians" else None,
        gradients=data if kind == "gradients" else None,
    )
    crit = critical_learning_rate(noise).value
    return [spectral_radius(noise, float(eta)).value for eta in etas], crit


@dataclass(frozen=True)
class PhaseDiagram:
    r"""Exact :math:`\rho(\mathcal T_\eta)` over η × B.

    Attributes
    ----------
    etas, batch_sizes
        The grid.
    rho
        Array of shape ``(len(batch_sizes), len(etas))``.
    critical
        :math:`\eta^*(B)` per batch size: ρ ≤ 1 exactly for η ≤ η*(B).
    sampling
        The sampling scheme.
    """

    etas: np.ndarray
    batch_sizes: np.ndarray
    rho: np.ndarray
    critical: np.ndarray
    sampling: str

    @property
    def stable(self) -> np.ndarray:
        """Boolean mask ρ ≤ 1."""
        return self.rho <= 1.0


def stability_phase_diagram(
    etas: Sequence[float],
    batch_sizes: Sequence[int],
    *,
    hessians: np.ndarray | None = None,
    gradients: np.ndarray | None = None,
    sampling: str = "with-replacement",
    executor: Executor | None = None,
) -> PhaseDiagram:
    r"""Exact spectral radius of linearized SGD over learning rates and batch sizes.

    Parameters
    ----------
    etas
        Learning rates η > 0.
    batch_sizes
        Batch sizes 1 ≤ B ≤ n.
    hessians, gradients
        The family: per-sample Hessians :math:`H_i` (n × d × d) or gradients :math:`g_i`
        (n × p, rank-one :math:`H_i=g_ig_i^T`); exactly one.
    sampling
        Sampling scheme.
    executor
        One task per batch size.

    Raises
    ------
    ValueError
        If neither or both of ``hessians`` and ``gradients`` are given, or η ≤ 0.
    """
    if (hessians is None) == (gradients is None):
        raise ValueError("hessians, gradients: give exactly one of them")
    etas_a = np.asarray(etas, dtype=float)
    if etas_a.ndim != 1 or etas_a.size == 0 or not np.all(etas_a > 0):
        raise ValueError(f"etas: need a non-empty list of positive learning rates, got {etas!r}")
    kind, data = ("hessians", hessians) if hessians is not None else ("gradients", gradients)
    arr = np.asarray(data, dtype=float)
    tasks = [(arr, kind, int(B), sampling, list(etas_a)) for B in batch_sizes]
    got = sweep(_rho_cell, tasks, executor=executor)
    return PhaseDiagram(
        etas_a,
        np.asarray(batch_sizes, dtype=int),
        np.array([g[0] for g in got]),
        np.array([g[1] for g in got]),
        sampling,
    )
