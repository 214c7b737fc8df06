r"""Tightness of a claim: the supremum of observed / bound, and a map over its parameters.

For an inequality ``lhs <= rhs`` the ratio is ``lhs / rhs`` (``rhs / lhs`` for ``>=``):
1 means the bound is attained, values near 1 that the bound is sharp on the instances
found, values far below 1 that it is loose everywhere the search looked.  The search is
the hunt's (seeds, structured families, optimisation), run for its whole budget and
maximising the ratio.  For claims with scalar parameters (η, B, t, …) the ratio is also
maximised separately on every cell of a parameter grid; each cell is an independent task
on the executor.
"""

from __future__ import annotations

import math
import os
import time
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from verifythm.claims.model import Claim
from verifythm.evidence.base import Context, get_profile, is_statistical
from verifythm.search.hunt import (
    ClaimSpec,
    Objective,
    Scored,
    apply_drop,
    confirm,
    run_workers,
    seed_instances,
)
from verifythm.search.parallel import executor_name
from verifythm.search_options import DEFAULT_TIGHTNESS_BUDGET_S


@dataclass
class TightnessResult:
    """Outcome of :func:`tightness`.

    Attributes
    ----------
    sup_ratio
        Largest ratio observed / bound found (``None`` when the claim's sides never give one).
    best
        The instance attaining it (with its comparison and how it was found).
    checked_ratio
        The ratio at that instance by the claim's high-precision ``precise_conclusion`` (when
        it has one): float64 rounding can inflate ratios of tiny quantities.
    violated
        Whether that instance violates the claim, confirmed in high precision (or by an
        independent Monte Carlo replicate).
    grid_keys, grid_values, grid_ratio
        The parameter map: keys, the values on each axis, and the best ratio per cell
        (``nan`` where no instance met the hypotheses).
    """

    claim: Claim
    budget_s: float
    duration_s: float
    evaluations: int
    seeds: int
    sup_ratio: float | None
    best: Scored | None
    violated: bool
    grid_keys: list[str] = field(default_factory=list)
    grid_values: list[list[Any]] = field(default_factory=list)
    grid_ratio: np.ndarray | None = None
    executor: str = "in-process"
    checked_ratio: float | None = None
    confirmation: str = ""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary."""
        grid = None
        if self.grid_ratio is not None:
            grid = {
                "keys": self.grid_keys,
                "values": [[_plain(v) for v in vals] for vals in self.grid_values],
                "ratio": [None if not math.isfinite(x) else float(x) for x in self.grid_ratio.ravel()],
                "shape": list(self.grid_ratio.shape),
            }
        return {
            **self.claim.metadata(),
            "budget_s": self.budget_s,
            "duration_s": round(self.duration_s, 3),
            "evaluations": self.evaluations,
            "seeds": self.seeds,
            "executor": self.executor,
            "sup_ratio": self.sup_ratio,
            "checked_ratio": self.checked_ratio,
            "attained_by": None if self.best is None else self.best.comparison.describe(),
            "how": [] if self.best is None else list(self.best.how),
            "violated": self.violated,
            "confirmation": self.confirmation,
            "grid": grid,
        }


def _plain(v: Any) -> Any:
    a = np.asarray(v)
    return a.item() if a.ndim == 0 else a.tolist()


def _checked_ratio(claim: Claim, best: Scored | None) -> float | None:
    if best is None or claim.precise_conclusion is None or is_statistical(claim.conclusion):
        return None
    try:
        return claim.precise_conclusion(best.instance).ratio
    except Exception:  # the re-check cannot evaluate this instance: report the float64 ratio only
        return None


def parameter_keys(seeds: Sequence[dict[str, Any]], limit: int = 2) -> list[str]:
    """Scalar keys present in every seed, most varied first (at most ``limit``)."""
    if not seeds:
        return []
    common = set(seeds[0])
    for s in seeds[1:]:
        common &= set(s)
    scalars = []
    for k in sorted(common):
        vals = [np.asarray(s[k]) for s in seeds]
        if all(v.ndim == 0 and np.issubdtype(v.dtype, np.number) for v in vals):
            distinct = len({float(v) for v in vals})
            if distinct > 1:
                scalars.append((distinct, k))
    scalars.sort(key=lambda t: (-t[0], t[1]))
    return [k for _, k in scalars[:limit]]


def grid_values(seeds: Sequence[dict[str, Any]], key: str, size: int) -> list[Any]:
    """Grid values of one parameter spanning the values seen in the seeds."""
    vals = np.array([float(np.asarray(s[key])) for s in seeds if key in s])
    if all(isinstance(s[key], (int, np.integer)) for s in seeds if key in s):
        distinct = sorted({int(v) for v in vals})
        if len(distinct) <= size:
            return distinct
        idx = np.linspace(0, len(distinct) - 1, size).round().astype(int)
        return [distinct[i] for i in sorted(set(idx))]
    lo, hi = float(vals.min()), float(vals.max())
    if lo > 0 and hi / lo > 10:
        return [float(x) for x in np.geomspace(lo, hi, size)]
    return [float(x) for x in np.linspace(lo, hi, size)]


def tightness(
    claim: Claim,
    *,
    budget_s: float = DEFAULT_TIGHTNESS_BUDGET_S,
    grid: Sequence[str] | None = None,
    grid_size: int = 6,
    executor: Executor | None = None,
    workers: int | None = None,
    imports: Sequence[str] = (),
    profile: str = "quick",
    seed: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> TightnessResult:
    """Supremum of the claim's ratio observed / bound, and its map over scalar parameters.

    Parameters
    ----------
    claim
        The claim (an inequality; identities have no ratio).
    budget_s
        Total wall-clock budget: 60 % for the global search, 40 % for the map.
    grid
        Scalar instance keys to map (at most two); default: the most varied scalars of the
        claim's seed instances.  Pass an empty list for no map.
    grid_size
        Values per grid axis.
    executor, workers, imports, profile, seed, progress
        As for :func:`~verifythm.search.hunt.hunt`.
    """
    if not budget_s > 0:
        raise ValueError(f"budget_s: must be positive, got {budget_s!r}")
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    prof = get_profile(profile, seed)
    variant, domains = apply_drop(claim, ())
    seeds = seed_instances(claim, Context(profile=prof))
    n_workers = workers or (os.cpu_count() or 1 if executor is not None else 1)
    spec = ClaimSpec(claim.id, tuple(imports)) if executor is not None else None
    base_seed = prof.seed ^ zlib.crc32(f"{claim.seed_id}::tightness".encode())
    keys = list(grid) if grid is not None else parameter_keys([s for _, s in seeds])
    if len(keys) > 2:
        raise ValueError(f"grid: at most two parameters can be mapped, got {keys}")
    for k in keys:
        if not any(k in s for _, s in seeds):
            raise ValueError(f"grid: {k!r} is not a key of the claim's instances")
    global_budget = budget_s * (0.6 if keys else 1.0)
    say(f"{claim.id}: global search ({global_budget:.1f}s, {len(seeds)} seeds)")
    results = run_workers(
        variant,
        spec,
        domains,
        seeds,
        global_budget,
        base_seed,
        executor=executor,
        workers=n_workers,
        stop_on_violation=False,
    )
    evaluations = sum(r.evaluations for r in results)
    pool = sorted((s for r in results for s in r.best), key=lambda s: -s.score)
    ratios = [r.max_ratio for r in results if r.max_ratio is not None]
    best = max(ratios, key=lambda s: s.ratio or -math.inf) if ratios else (pool[0] if pool else None)
    obj = Objective(variant)
    out = TightnessResult(
        variant,
        budget_s,
        0.0,
        evaluations,
        len(seeds),
        None if best is None else best.ratio,
        best,
        bool(best is not None and obj.violated(best)),
        executor=executor_name(executor),
    )
    if keys:
        axes = [grid_values([s for _, s in seeds if k in s], k, grid_size) for k in keys]
        cells = list(np.ndindex(*[len(a) for a in axes]))
        starts = [s.instance for s in pool[:8]] + [s for _, s in seeds[:: max(1, len(seeds) // 16)]]
        cell_budget = max(0.05, 0.4 * budget_s / max(1, len(cells)) * max(1, n_workers if executor else 1))
        say(f"{claim.id}: map over {keys} ({len(cells)} cells, {cell_budget:.2f}s each)")
        tasks = []
        for cell in cells:
            fixed = {k: axes[j][cell[j]] for j, k in enumerate(keys)}
            cell_seeds = [(f"cell {fixed}", {**s, **fixed}) for s in starts]
            tasks.append((cell_seeds, base_seed + zlib.crc32(repr(cell).encode())))
        if executor is None:
            from verifythm.search.hunt import search

            cell_results = [
                search(variant, cs, cell_budget, sd, domains=domains, stop_on_violation=False, frozen=keys)
                for cs, sd in tasks
            ]
        else:
            # the executor entry point of search.parallel: a module-level function, so it pickles
            from verifythm.search.parallel import search_task

            target = spec if spec is not None else variant
            cell_results = list(
                executor.map(
                    search_task,
                    [(target, dict(domains), cs, cell_budget, sd, False, tuple(keys)) for cs, sd in tasks],
                )
            )
        ratio = np.full([len(a) for a in axes], np.nan)
        for cell, r in zip(cells, cell_results, strict=True):
            out.evaluations += r.evaluations
            if r.max_ratio is not None and r.max_ratio.ratio is not None:
                ratio[cell] = r.max_ratio.ratio
                if out.sup_ratio is None or r.max_ratio.ratio > out.sup_ratio:
                    out.sup_ratio, out.best = r.max_ratio.ratio, r.max_ratio
        out.grid_keys, out.grid_values, out.grid_ratio = keys, axes, ratio
    # a violation counts only once confirmed (high precision / independent replicate)
    confirmed = None
    if out.best is not None and obj.violated(out.best):
        confirmed = confirm(variant, out.best.instance)
    out.violated = confirmed is not None
    out.confirmation = "" if confirmed is None else confirmed.precision_note
    out.checked_ratio = _checked_ratio(variant, out.best)
    out.duration_s = time.perf_counter() - t0
    say(f"{claim.id}: sup ratio {out.sup_ratio} after {out.evaluations} evaluations")
    return out
