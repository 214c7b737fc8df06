r"""Counterexample hunting: actively maximise a claim's violation within a budget.

A hunt honours every quantifier of the claim as encoded: the claim's conclusion already
takes the infimum/supremum over θ where the statement says "for all θ"; a first-moment
claim carries a Monte Carlo decision rule (:mod:`verifythm.evidence.montecarlo`); the
sampling scheme is part of the instance and moves only where the claim declares it
quantified (``domains``) or a hunt frees it with ``drop``.

The pieces:

* :mod:`~verifythm.search.variants`: dropped hypotheses and freed setting keys
  (:func:`apply_drop`, shared with ``verifythm reproduce``), claims across processes;
* :mod:`~verifythm.search.scoring`: relative-slack scores, feasibility, seed instances;
* :mod:`~verifythm.search.layout` and :mod:`~verifythm.search.moves`: which axes share a
  size, and moves that grow instances (members, dimensions, B with n, scales, kinds);
* :mod:`~verifythm.search.workers` and :mod:`~verifythm.search.niches`: the search loop,
  its portfolio of niches, plateau detection and the explored region;
* :mod:`~verifythm.search.shrink`: confirmation in high precision and shrinking.

An instance that violates a hypothesis (or makes the claim raise) is infeasible, never
evidence.  A float64 violation is reported only once :func:`~verifythm.evidence.numeric.judge`
confirms it (mpmath / exact rationals / an independent Monte Carlo replicate), and then it
is shrunk to the smallest, simplest instance that still violates.  Every result records
the region it searched: "no counterexample" means none *there*.
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

from verifythm.claims.model import Claim
from verifythm.evidence.base import Context, get_profile
from verifythm.search.layout import Layout
from verifythm.search.niches import merge_explored, region_sentence
from verifythm.search.parallel import executor_name, run_workers
from verifythm.search.scoring import Objective, Scored, seed_instances, signature
from verifythm.search.shrink import confirm, shrink
from verifythm.search.variants import SETTING_DOMAINS, ClaimSpec, apply_drop, hypothesis_index
from verifythm.search.workers import WorkerResult, search
from verifythm.search_options import DEFAULT_BUDGET_S

__all__ = [
    "DEFAULT_BUDGET_S",
    "SETTING_DOMAINS",
    "ClaimSpec",
    "HuntResult",
    "Objective",
    "Scored",
    "WorkerResult",
    "apply_drop",
    "confirm",
    "hunt",
    "hypothesis_index",
    "run_workers",
    "search",
    "seed_instances",
    "shrink",
    "signature",
]


@dataclass
class HuntResult:
    """Outcome of :func:`hunt`.

    ``violation`` is the confirmed, shrunk :class:`~verifythm.evidence.base.Violation` (or
    ``None``); ``how`` the moves that led to it; ``shrink_steps`` the simplifications applied
    and ``shrink_note`` why it is not smaller; ``explored`` the region searched (sizes by
    role, scalars, shapes, scales, kinds, and per niche the evaluations and best ratio).
    """

    claim: Claim
    drop: tuple[str, ...]
    budget_s: float
    duration_s: float
    evaluations: int
    infeasible: int
    seeds: int
    workers: int
    unconfirmed: int = 0
    violation: Any = None
    how: tuple[str, ...] = ()
    shrink_steps: list[str] = field(default_factory=list)
    shrink_note: str = ""
    found_after_s: float | None = None
    best: Scored | None = None
    max_ratio: Scored | None = None
    executor: str = "in-process"
    explored: dict[str, Any] | None = None
    max_evaluations: int | None = None
    timeouts: int = 0

    @property
    def found(self) -> bool:
        """Whether a confirmed counterexample was found."""
        return self.violation is not None

    @property
    def region(self) -> str:
        """The explored region in words (``n ≤ 16, d ≤ 8, B ∈ [1, 16], …``)."""
        return region_sentence(self.explored)

    @property
    def verdict(self) -> str:
        """One line: the counterexample, or "no counterexample for <region>"."""
        without = f" without {', '.join(self.drop)}" if self.drop else ""
        if self.found:
            return f"counterexample to {self.claim.id}{without}"
        return f"no counterexample to {self.claim.id}{without} for {self.region}"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary (the instance itself goes to the ``.npz``)."""
        v = self.violation
        return {
            **self.claim.metadata(),
            "drop": list(self.drop),
            "hypotheses": [h.name for h in self.claim.hypotheses],
            "found": self.found,
            "verdict": self.verdict,
            "budget_s": self.budget_s,
            "max_evaluations": self.max_evaluations,
            "duration_s": round(self.duration_s, 3),
            "found_after_s": None if self.found_after_s is None else round(self.found_after_s, 3),
            "evaluations": self.evaluations,
            "infeasible": self.infeasible,
            "timeouts": self.timeouts,
            "unconfirmed_float64_violations": self.unconfirmed,
            "seeds": self.seeds,
            "workers": self.workers,
            "executor": self.executor,
            "how": list(self.how),
            "shrink_steps": self.shrink_steps,
            "shrink_note": self.shrink_note,
            "violation": None
            if v is None
            else {
                "float64": v.comparison.describe() if v.comparison else None,
                "precise": v.precise.describe() if v.precise else None,
                "precision_note": v.precision_note,
            },
            "best_score": None if self.best is None else self.best.score,
            "max_ratio": None if self.max_ratio is None else self.max_ratio.ratio,
            "region": self.region,
            "explored": self.explored,
        }


def hunt(
    claim: Claim,
    *,
    budget_s: float = DEFAULT_BUDGET_S,
    drop: Sequence[str] = (),
    executor: Executor | None = None,
    workers: int | None = None,
    imports: Sequence[str] = (),
    profile: str = "quick",
    seed: int | None = None,
    progress: Callable[[str], None] | None = None,
    max_evaluations: int | None = None,
) -> HuntResult:
    """Search for a counterexample to ``claim`` within ``budget_s`` seconds.

    Parameters
    ----------
    claim
        The claim to attack (its conclusion, hypotheses and check instances are used).
    budget_s
        Wall-clock budget of the search phase (confirmation and shrinking add at most
        a quarter of it).
    drop
        Hypotheses (name, unique substring or ``#k``) or setting keys (``sampling``) to
        remove: an assumption-necessity hunt.
    executor
        A :class:`concurrent.futures.Executor` (process pool, Dask client executor, …) for
        parallel workers; ``None`` searches in this process.  Workers in other processes
        find the claim by id, so it must be in the registry or in ``imports``.
    workers
        Number of parallel workers (default: ``os.cpu_count()`` with an executor, else 1).
    imports
        Modules defining the claim when it is not in the catalogue.
    profile, seed
        Profile whose seed (or the given seed) fixes every random choice.
    progress
        Called with one-line progress messages.
    max_evaluations
        A deterministic budget: evaluations per worker, in five rounds (``budget_s`` then
        only caps the time).  Use it where a result must not depend on the machine's speed.

    Returns
    -------
    HuntResult

    Raises
    ------
    ValueError
        If ``budget_s`` is not positive, ``max_evaluations`` is not a positive integer, or
        ``drop`` names nothing the claim has.
    """
    if not budget_s > 0:
        raise ValueError(f"budget_s: must be positive, got {budget_s!r}")
    if max_evaluations is not None and (not isinstance(max_evaluations, int) or max_evaluations < 1):
        raise ValueError(f"max_evaluations: must be a positive integer, got {max_evaluations!r}")
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    prof = get_profile(profile, seed)
    variant, domains = apply_drop(claim, drop)
    seeds = seed_instances(claim, Context(profile=prof))
    layout = Layout.learn([s for _, s in seeds])
    say(f"{claim.id}: {len(seeds)} seed instances from its checks")
    n_workers = workers or (os.cpu_count() or 1 if executor is not None else 1)
    spec = ClaimSpec(claim.id, tuple(imports), tuple(drop)) if executor is not None else None
    base_seed = prof.seed ^ zlib.crc32(f"{claim.seed_id}::hunt::{'|'.join(drop)}".encode())
    # rounds, so that parallel workers stop soon after one of them finds a violation; each
    # round starts from the best instances of the last one, then the original seeds
    round_s = max(2.0, budget_s / 5) if max_evaluations is None else budget_s
    round_evals = None if max_evaluations is None else max(1, max_evaluations // 5)
    results: list[WorkerResult] = []
    start = list(seeds)
    elapsed, k = 0.0, 0
    while elapsed < budget_s and (max_evaluations is None or k < 5):
        t_round = time.perf_counter()
        got = run_workers(
            variant,
            spec,
            domains,
            start,
            min(round_s, budget_s - elapsed),
            base_seed + 104729 * k,
            executor=executor,
            workers=n_workers,
            stop_on_violation=True,
            max_evals=round_evals,
            expand_offset=k * n_workers,
            layout=layout,
        )
        for r in got:
            if r.first_violation_s is not None:
                r.first_violation_s += elapsed
        results += got
        elapsed += time.perf_counter() - t_round
        k += 1
        if any(r.violations for r in got):
            break
        carried = sorted((s for r in got for s in r.best), key=lambda s: -s.score)
        if not carried and not seeds and not any(r.evaluations for r in got):
            break  # nothing to start from and nothing evaluated: another round would do the same
        start = [(" → ".join(s.how) or "carried", s.instance) for s in carried] + list(seeds)
        region = region_sentence(merge_explored([r.explored for r in results]))
        say(
            f"{claim.id}: round {k}, {elapsed:.1f}s, best relative slack {-carried[0].score:.3g}; {region}"
            if carried
            else f"{claim.id}: round {k}, no feasible instance yet"
        )
    out = HuntResult(
        variant,
        tuple(drop),
        budget_s,
        0.0,
        sum(r.evaluations for r in results),
        sum(r.infeasible for r in results),
        len(seeds),
        n_workers if executor is not None else 1,
        sum(r.unconfirmed for r in results),
        executor=executor_name(executor),
        explored=merge_explored([r.explored for r in results]),
        max_evaluations=max_evaluations,
        timeouts=sum(r.timeouts for r in results),
    )
    best = [s for r in results for s in r.best]
    out.best = max(best, key=lambda s: s.score) if best else None
    ratios = [r.max_ratio for r in results if r.max_ratio is not None]
    out.max_ratio = max(ratios, key=lambda s: s.ratio or -math.inf) if ratios else None
    candidates = sorted((s for r in results for s in r.violations), key=lambda s: -s.score)
    times = [r.first_violation_s for r in results if r.first_violation_s is not None]
    say(f"{claim.id}: {out.evaluations} evaluations, {len(candidates)} float64 violation(s)")
    for cand in candidates[:10]:
        viol = confirm(variant, cand.instance)
        if viol is None:
            continue
        small = shrink(variant, cand.instance, budget_s / 4, layout)
        final = confirm(variant, small.instance) or viol
        out.violation, out.how = final, cand.how
        out.shrink_steps, out.shrink_note = small.steps, small.why_not_smaller
        out.found_after_s = min(times) if times else None
        steps = len(small.steps)
        say(f"{claim.id}: counterexample confirmed ({final.precision_note}); shrunk in {steps} step(s)")
        break
    out.duration_s = time.perf_counter() - t0
    return out
