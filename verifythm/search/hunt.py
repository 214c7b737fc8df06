r"""Counterexample hunting: actively maximise a claim's violation within a time budget.

A hunt honours every quantifier of the claim as encoded: the claim's conclusion already
takes the infimum/supremum over θ where the statement says "for all θ"; a first-moment
claim carries a Monte Carlo decision rule (:mod:`verifythm.evidence.montecarlo`); the
sampling scheme is part of the instance and moves only where the claim declares it
quantified (``domains``) or a hunt frees it with ``drop``.

The search, per worker:

1. **Seeds**: the instances of the claim's own checks (fixed instances, seeded
   generators, draws of its Hypothesis strategy), scored by relative slack.
2. **Structured families** of the best seeds, tried systematically (diagonal, rank-one,
   identical, orthogonal, nearly coherent, extreme scales, B ∈ {1, n − 1, n}, fewer
   samples, one dimension, adversarial directions along exact eigenvectors).
3. **Active optimisation**: (1+1)-evolution strategy bursts with step-size adaptation over
   the continuous parameters, from parents chosen by rank among the best instances found.

An instance that violates a hypothesis (or makes the claim raise) is infeasible, never
evidence.  A float64 violation is reported only once :func:`~verifythm.evidence.numeric.judge`
confirms it (mpmath / exact rationals / an independent Monte Carlo replicate), and then it
is shrunk to the smallest, simplest instance that still violates.
"""

from __future__ import annotations

import math
import os
import time
import warnings
import zlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from verifythm.claims.model import Claim, Comparison
from verifythm.evidence.base import Context, get_profile, relative_slack
from verifythm.evidence.numeric import ExactCheck, PrecisionDisagreement, PropertyCheck, judge
from verifythm.search.guard import EvaluationTimeout, memory_guard, time_guard
from verifythm.search.space import (
    complexity,
    float_keys,
    perturb,
    setting_moves,
    shrink_moves,
    structured_moves,
)

#: Default time budget of one hunt, in seconds.
DEFAULT_BUDGET_S = 30.0


# -- claims across processes --------------------------------------------------------------
@dataclass(frozen=True)
class ClaimSpec:
    """How a worker process finds a claim: its id, modules to import, and what is dropped.

    Parameters
    ----------
    id
        The claim id (resolved in the default registry plus ``imports``).
    imports
        Extra modules (dotted names or ``.py`` paths) that define claims outside the catalogue.
    drop
        Hypotheses or setting keys removed for an assumption-necessity hunt.
    """

    id: str
    imports: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()

    def resolve(self) -> tuple[Claim, dict[str, tuple[Any, ...]]]:
        """The claim with the dropped hypotheses removed, and the freed setting domains."""
        from verifythm.claims.registry import registry_with_imports

        claim = registry_with_imports(self.imports).get(self.id)
        return apply_drop(claim, self.drop)


def hypothesis_index(claim: Claim, spec: str) -> int | None:
    """Index of the hypothesis ``spec`` names: exact name, ``#k`` (1-based) or unique substring."""
    names = [h.name for h in claim.hypotheses]
    if spec.startswith("#") and spec[1:].isdigit():
        k = int(spec[1:]) - 1
        return k if 0 <= k < len(names) else None
    if spec in names:
        return names.index(spec)
    hits = [i for i, n in enumerate(names) if spec.lower() in n.lower()]
    if len(hits) > 1:
        raise ValueError(
            f"drop: {spec!r} matches several hypotheses of {claim.id}: {[names[i] for i in hits]}"
        )
    return hits[0] if hits else None


#: Setting keys a hunt may free with ``drop`` and the values they then range over.
SETTING_DOMAINS: dict[str, tuple[str, ...]] = {
    "sampling": ("with-replacement", "without-replacement", "bernoulli"),
}


def apply_drop(claim: Claim, drop: Sequence[str]) -> tuple[Claim, dict[str, tuple[Any, ...]]]:
    """Remove hypotheses (or free setting keys) named in ``drop``.

    Returns the variant claim and the domains of the categorical keys that may move (the
    claim's declared ``domains`` plus freed setting keys).

    Raises
    ------
    ValueError
        If an entry of ``drop`` names neither a hypothesis nor a setting key.
    """
    domains: dict[str, tuple[Any, ...]] = {k: tuple(v) for k, v in claim.domains.items()}
    keep = list(claim.hypotheses)
    dropped: list[int] = []
    names = [h.name for h in claim.hypotheses]
    for spec in drop:
        # a setting key wins over a substring of a hypothesis name ("sampling" is both)
        if spec in SETTING_DOMAINS and spec not in names:
            domains[spec] = SETTING_DOMAINS[spec]
            continue
        idx = hypothesis_index(claim, spec)
        if idx is not None:
            dropped.append(idx)
        else:
            raise ValueError(
                f"drop: {spec!r} is not a hypothesis of {claim.id} "
                f"(hypotheses: {[h.name for h in claim.hypotheses]}) nor a setting key "
                f"({sorted(SETTING_DOMAINS)})"
            )
    if dropped:
        keep = [h for i, h in enumerate(claim.hypotheses) if i not in dropped]
    return claim.variant(hypotheses=tuple(keep)), domains


# -- scoring ------------------------------------------------------------------------------
@dataclass
class Scored:
    """An instance with its comparison and search score (larger = closer to violating)."""

    instance: dict[str, Any]
    comparison: Comparison
    score: float
    how: tuple[str, ...] = ()

    @property
    def ratio(self) -> float | None:
        """Tightness ratio observed / bound, when defined."""
        return self.comparison.ratio


def relative_score(cmp: Comparison, claim: Claim) -> float:
    """Minus :func:`~verifythm.evidence.base.relative_slack`: positive iff violated."""
    s = relative_slack(cmp, claim.tolerance)
    return float(-s) if math.isfinite(s) else math.inf


def resolvable(cmp: Comparison, claim: Claim) -> bool:
    """Whether the sides of ``cmp`` stand above the claim's tolerance (their ratio means something).

    The tolerance says how uncertain the sides are; the ratio is reported as tightness only
    when that uncertainty is below 0.1 % of the sides.  Otherwise (sides of size 1e-29 against
    a rounding floor of 1e-28, say) observed / bound is a ratio of rounding errors.
    """
    size = max(abs(cmp.lhs), abs(cmp.rhs))
    return bool(claim.tolerance.bound(cmp.magnitude) <= 1e-3 * size)


class Objective:
    """Evaluates instances of a claim, counting evaluations and infeasible ones."""

    def __init__(self, claim: Claim, timeout_s: float = 0.0) -> None:
        self.claim = claim
        self.evaluations = 0
        self.infeasible = 0
        self.timeouts = 0
        self.timeout_s = timeout_s

    def __call__(self, inst: Mapping[str, Any], how: tuple[str, ...] = ()) -> Scored | None:
        """Score ``inst``; ``None`` when a hypothesis fails or the claim cannot evaluate it."""
        self.evaluations += 1
        inst = dict(inst)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            # instances far outside the papers' regimes overflow; they are scored, not reported
            warnings.simplefilter("ignore")
            try:
                with time_guard(self.timeout_s):
                    return self._score(inst, how)
            except EvaluationTimeout:
                self.timeouts += 1
                self.infeasible += 1
                return None

    def _score(self, inst: dict[str, Any], how: tuple[str, ...]) -> Scored | None:
        try:
            if any(not np.all(np.isfinite(np.asarray(v, dtype=float))) for v in _numeric(inst)):
                raise ValueError("non-finite")
            if self.claim.failed_hypotheses(inst):
                self.infeasible += 1
                return None
            cmp = self.claim.evaluate(inst)
        except Exception:  # an instance outside the claim's domain: infeasible, not evidence
            self.infeasible += 1
            return None
        score = relative_score(cmp, self.claim)
        if math.isnan(score) or cmp.unresolved(self.claim.tolerance):  # never evidence (DESIGN §3)
            self.infeasible += 1
            return None
        return Scored(inst, cmp, score, how[-6:])

    def violated(self, s: Scored) -> bool:
        """Whether the float64 conclusion is violated beyond the claim's tolerance."""
        cmp = s.comparison
        return not cmp.unresolved(self.claim.tolerance) and not cmp.holds(self.claim.tolerance)


def _numeric(inst: Mapping[str, Any]) -> list[Any]:
    out = []
    for v in inst.values():
        a = np.asarray(v)
        if np.issubdtype(a.dtype, np.number):
            out.append(a)
    return out


# -- seeds ------------------------------------------------------------------------------
def seed_instances(claim: Claim, ctx: Context | None = None, *, limit: int = 400) -> list[tuple[str, dict]]:
    """The instances of the claim's own numeric checks: fixed, generated, and Hypothesis draws."""
    ctx = ctx or Context()
    out: list[tuple[str, dict]] = []
    for check in claim.checks:
        if isinstance(check, ExactCheck):
            out += [(f"{check.name} fixed #{i}", dict(x)) for i, x in enumerate(check.fixed)]
            if check.generate is not None:
                rng = ctx.rng(claim.id, check.name)
                gen = check.generate(rng, min(ctx.profile.exact_instances, limit))
                out += [(f"{check.name} generated #{i}", dict(x)) for i, x in enumerate(gen)]
        elif isinstance(check, PropertyCheck):
            out += [(f"{check.name} draw #{i}", x) for i, x in enumerate(_draws(check, claim, ctx, 60))]
    return out[: 4 * limit]


def _draws(check: PropertyCheck, claim: Claim, ctx: Context, n: int) -> list[dict]:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed

    got: list[dict] = []

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @hseed(ctx.profile.seed ^ zlib.crc32(f"{claim.id}::{check.name}::hunt".encode()))
    @given(check.strategy)
    def collect(inst: dict) -> None:
        got.append(dict(inst))

    try:
        collect()
    except Exception:  # a strategy that cannot draw here contributes no seeds
        pass
    return got


# -- one worker ---------------------------------------------------------------------------
@dataclass
class WorkerResult:
    """What one search worker found."""

    best: list[Scored] = field(default_factory=list)
    violations: list[Scored] = field(default_factory=list)
    evaluations: int = 0
    infeasible: int = 0
    first_violation_s: float | None = None
    max_ratio: Scored | None = None
    unconfirmed: int = 0


def search(
    claim: Claim,
    seeds: Sequence[tuple[str, dict]],
    budget_s: float,
    seed: int,
    *,
    domains: Mapping[str, Sequence[Any]] | None = None,
    stop_on_violation: bool = True,
    frozen: Sequence[str] = (),
    keep: int = 24,
    max_evals: int | None = None,
    expand_offset: int = 0,
) -> WorkerResult:
    """Run one search worker for ``budget_s`` seconds (see the module docstring).

    Parameters
    ----------
    claim
        The claim (hypotheses already dropped where asked).
    seeds
        ``(description, instance)`` starting points.
    budget_s
        Wall-clock budget in seconds.
    seed
        Seed of the worker's random moves.
    domains
        Values the categorical keys may take.
    stop_on_violation
        Stop at the first float64 violation (hunts) or run the whole budget (tightness).
    frozen
        Keys never moved (e.g. the parameters of a tightness map cell).
    keep
        Size of the pool of best instances parents are drawn from.
    max_evals
        Stop after this many evaluations (a deterministic budget: the same instances are
        visited on any machine); ``budget_s`` then only caps the time.
    expand_offset
        Which structures get the systematic expansion (round k of a hunt expands the
        structures ranked 3k to 3k + 2, so successive rounds do not repeat each other).
    """
    with memory_guard():
        return _search(
            claim, seeds, budget_s, seed, domains, stop_on_violation, frozen, keep, max_evals, expand_offset
        )


def _search(
    claim: Claim,
    seeds: Sequence[tuple[str, dict]],
    budget_s: float,
    seed: int,
    domains: Mapping[str, Sequence[Any]] | None,
    stop_on_violation: bool,
    frozen: Sequence[str],
    keep: int,
    max_evals: int | None,
    expand_offset: int,
) -> WorkerResult:
    t0 = time.perf_counter()
    deadline = t0 + budget_s
    rng = np.random.default_rng(seed)
    # one evaluation may take at most a tenth of the budget (at least 2 s)
    obj = Objective(claim, timeout_s=max(2.0, budget_s / 10))
    res = WorkerResult()
    pool: list[Scored] = []

    def over() -> bool:
        if max_evals is not None and obj.evaluations >= max_evals:
            return True
        return time.perf_counter() > deadline

    def consider(s: Scored | None) -> bool:
        if s is None:
            return False
        pool.append(s)
        r = s.ratio if resolvable(s.comparison, claim) else None
        if r is not None and (res.max_ratio is None or r > (res.max_ratio.ratio or -math.inf)):
            res.max_ratio = s
        if obj.violated(s):
            if stop_on_violation and confirm(claim, s.instance) is None:
                # a float64 violation the high-precision re-check refutes: rounding, not a
                # counterexample; it counts as tight (score 0) and the search goes on
                res.unconfirmed += 1
                s.score = min(s.score, 0.0)
                return False
            res.violations.append(s)
            if res.first_violation_s is None:
                res.first_violation_s = time.perf_counter() - t0
            return stop_on_violation
        return False

    def trim() -> None:
        # niches: the best few of every structure (shapes, integers, categories) survive, so a
        # plateau of equally tight instances cannot crowd out a different batch size or scheme
        pool.sort(key=lambda s: -s.score)
        niches: dict[tuple, int] = {}
        kept: list[Scored] = []
        for s in pool:
            sig = signature(s.instance)
            if len(kept) < keep or niches.get(sig, 0) < 3:
                if sig not in niches and len(niches) >= 4 * keep:
                    continue
                niches[sig] = niches.get(sig, 0) + 1
                kept.append(s)
        pool[:] = kept

    def pick() -> Scored:
        if rng.random() < 0.5:
            return pool[min(int(rng.exponential(3.0)), len(pool) - 1)]
        sigs = sorted({signature(s.instance) for s in pool})
        sig = sigs[int(rng.integers(len(sigs)))]
        return next(s for s in pool if signature(s.instance) == sig)

    done = False
    for desc, inst in seeds:
        if over() or done:
            break
        done = consider(obj(inst, (desc,)))
    trim()
    # structured families of the best few, systematically; the discrete setting (batch size,
    # declared categories) two moves deep, since a violation may need both (B = 1 and a scheme)
    leaders: list[Scored] = []
    seen_sigs: set[tuple] = set()
    for s_ in pool:  # the best instance of each structure, best structures first
        sig = signature(s_.instance)
        if sig not in seen_sigs:
            seen_sigs.add(sig)
            leaders.append(s_)
    start = (3 * expand_offset) % max(1, len(leaders))
    for parent in (leaders[start:] + leaders[:start])[:3]:
        if done:
            break
        for desc, inst in structured_moves(parent.instance, domains):
            if done or over():
                break
            if any(k in frozen for k in _changed(parent.instance, inst)):
                continue
            child = obj(inst, (*parent.how, desc))
            done = consider(child)
            if child is None or desc not in {d for d, _ in setting_moves(parent.instance, domains)}:
                continue
            for desc2, inst2 in setting_moves(child.instance, domains):
                if done or over():
                    break
                if not any(k in frozen for k in _changed(child.instance, inst2)):
                    done = consider(obj(inst2, (*child.how, desc2)))
    trim()
    # then alternate random structured moves and ES bursts from rank-chosen parents
    while not done and pool and not over():
        trim()
        parent = pick()
        if rng.random() < 0.3:
            moves = list(structured_moves(parent.instance, domains))
            if moves:
                desc, inst = moves[int(rng.integers(len(moves)))]
                if not any(k in frozen for k in _changed(parent.instance, inst)):
                    done = consider(obj(inst, (*parent.how, desc)))
            continue
        keys = [k for k in float_keys(parent.instance) if k not in frozen]
        if not keys:
            if not any(True for _ in structured_moves(parent.instance, domains)):
                break
            continue
        cur, step, accepted = parent, float(10 ** rng.uniform(-3, -0.5)), 0
        for _ in range(25):
            if over():
                break
            sub = [k for k in keys if rng.random() < 0.5] or [keys[int(rng.integers(len(keys)))]]
            cand = obj(perturb(cur.instance, step, rng, sub), cur.how)
            if cand is not None and cand.score >= cur.score:
                cur, step, accepted = cand, step * 1.5, accepted + 1
                if consider(cand):
                    done = True
                    break
            else:
                step *= 0.85
        if accepted:
            cur.how = (*parent.how, f"optimised ({accepted} accepted steps)")
    trim()
    res.best = pool[:keep]
    res.evaluations, res.infeasible = obj.evaluations, obj.infeasible
    return res


def signature(inst: Mapping[str, Any]) -> tuple:
    """The structure of an instance: array shapes and the values of integers and strings."""
    out = []
    for k in sorted(inst):
        a = np.asarray(inst[k])
        if a.ndim:
            out.append((k, a.shape))
        elif not np.issubdtype(a.dtype, np.floating):
            out.append((k, str(a.item())))
    return tuple(out)


def _changed(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    keys = set(a) | set(b)
    out = []
    for k in keys:
        if k not in a or k not in b:
            out.append(k)
            continue
        x, y = np.asarray(a[k]), np.asarray(b[k])
        if x.shape != y.shape or x.dtype.kind != y.dtype.kind or not np.array_equal(x, y):
            out.append(k)
    return out


def _worker(task: tuple[Any, ...]) -> WorkerResult:
    """Executor entry point: resolve the claim (by spec in other processes) and search."""
    target, domains, seeds, budget, seed, stop, frozen, *rest = task
    max_evals = rest[0] if rest else None
    offset = rest[1] if len(rest) > 1 else 0
    if isinstance(target, ClaimSpec):
        claim, doms = target.resolve()
        domains = {**doms, **domains}
    else:
        claim = target
    return search(
        claim,
        seeds,
        budget,
        seed,
        domains=domains,
        stop_on_violation=stop,
        frozen=frozen,
        max_evals=max_evals,
        expand_offset=offset,
    )


# -- confirmation and shrinking ---------------------------------------------------------
def confirm(claim: Claim, inst: Mapping[str, Any]) -> Any:
    """The confirmed :class:`~verifythm.evidence.base.Violation` on ``inst``, or ``None``."""
    try:
        if claim.failed_hypotheses(dict(inst)):
            return None
        _, viol = judge(claim, dict(inst))
    except PrecisionDisagreement:
        return None
    except Exception:
        return None
    return viol


def shrink(claim: Claim, inst: Mapping[str, Any], budget_s: float) -> tuple[dict, list[str]]:
    """Greedily simplify a confirmed violating instance while it still violates (confirmed)."""
    deadline = time.perf_counter() + budget_s
    cur = dict(inst)
    steps: list[str] = []
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for desc, cand in shrink_moves(cur):
            if time.perf_counter() > deadline:
                break
            if complexity(cand) >= complexity(cur):
                continue
            if confirm(claim, cand) is not None:
                cur, improved = cand, True
                steps.append(desc)
                break
    return cur, steps


# -- the hunt -----------------------------------------------------------------------------
@dataclass
class HuntResult:
    """Outcome of :func:`hunt`.

    ``violation`` is the confirmed, shrunk :class:`~verifythm.evidence.base.Violation` (or
    ``None``); ``how`` the moves that led to it; ``shrink_steps`` the simplifications applied.
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
    found_after_s: float | None = None
    best: Scored | None = None
    max_ratio: Scored | None = None
    executor: str = "in-process"

    @property
    def found(self) -> bool:
        """Whether a confirmed counterexample was found."""
        return self.violation is not None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready summary (the instance itself goes to the ``.npz``)."""
        v = self.violation
        return {
            **self.claim.metadata(),
            "drop": list(self.drop),
            "hypotheses": [h.name for h in self.claim.hypotheses],
            "found": self.found,
            "budget_s": self.budget_s,
            "duration_s": round(self.duration_s, 3),
            "found_after_s": None if self.found_after_s is None else round(self.found_after_s, 3),
            "evaluations": self.evaluations,
            "infeasible": self.infeasible,
            "unconfirmed_float64_violations": self.unconfirmed,
            "seeds": self.seeds,
            "workers": self.workers,
            "executor": self.executor,
            "how": list(self.how),
            "shrink_steps": self.shrink_steps,
            "violation": None
            if v is None
            else {
                "float64": v.comparison.describe() if v.comparison else None,
                "precise": v.precise.describe() if v.precise else None,
                "precision_note": v.precision_note,
            },
            "best_score": None if self.best is None else self.best.score,
            "max_ratio": None if self.max_ratio is None else self.max_ratio.ratio,
        }


def _executor_name(executor: Executor | None) -> str:
    if executor is None:
        return "in-process"
    mod = type(executor).__module__.split(".")[0]
    return f"{mod}.{type(executor).__name__}"


def run_workers(
    claim: Claim,
    spec: ClaimSpec | None,
    domains: Mapping[str, Sequence[Any]],
    seeds: Sequence[tuple[str, dict]],
    budget_s: float,
    seed: int,
    *,
    executor: Executor | None,
    workers: int,
    stop_on_violation: bool,
    frozen: Sequence[str] = (),
    max_evals: int | None = None,
    expand_offset: int = 0,
) -> list[WorkerResult]:
    """Run ``workers`` searches (seeds dealt round-robin) on ``executor`` or in-process."""
    if executor is None or workers <= 1:
        return [
            search(
                claim,
                seeds,
                budget_s,
                seed,
                domains=domains,
                stop_on_violation=stop_on_violation,
                frozen=frozen,
                max_evals=max_evals,
                expand_offset=expand_offset,
            )
        ]
    target: ClaimSpec | Claim = spec if spec is not None else claim
    tasks = [
        (
            target,
            dict(domains),
            list(seeds[w::workers]) or list(seeds[:1]),
            budget_s,
            seed + 7919 * w,
            stop_on_violation,
            tuple(frozen),
            max_evals,
            expand_offset + w,
        )
        for w in range(workers)
    ]
    return list(executor.map(_worker, tasks))


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
    """
    if not budget_s > 0:
        raise ValueError(f"budget_s: must be positive, got {budget_s!r}")
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    prof = get_profile(profile, seed)
    variant, domains = apply_drop(claim, drop)
    seeds = seed_instances(claim, Context(profile=prof))
    say(f"{claim.id}: {len(seeds)} seed instances from its checks")
    n_workers = workers or (os.cpu_count() or 1 if executor is not None else 1)
    spec = ClaimSpec(claim.id, tuple(imports), tuple(drop)) if executor is not None else None
    base_seed = prof.seed ^ zlib.crc32(f"{claim.id}::hunt::{'|'.join(drop)}".encode())
    # rounds, so that parallel workers stop soon after one of them finds a violation; each
    # round starts from the best instances of the last one, then the original seeds
    round_s = max(2.0, budget_s / 5) if max_evaluations is None else budget_s
    round_evals = None if max_evaluations is None else max(1, max_evaluations // 5)
    results: list[WorkerResult] = []
    start = list(seeds)
    elapsed, k = 0.0, 0
    while elapsed < budget_s and (max_evaluations is None or k < 5):
        r_s = min(round_s, budget_s - elapsed)
        t_round = time.perf_counter()
        got = run_workers(
            variant,
            spec,
            domains,
            start,
            r_s,
            base_seed + 104729 * k,
            executor=executor,
            workers=n_workers,
            stop_on_violation=True,
            max_evals=round_evals,
            expand_offset=k * n_workers,
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
        start = [(" → ".join(s.how) or "carried", s.instance) for s in carried] + list(seeds)
        say(
            f"{claim.id}: round {k}, {elapsed:.1f}s, best relative slack {-carried[0].score:.3g}"
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
        executor=_executor_name(executor),
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
        small, steps = shrink(variant, cand.instance, budget_s / 4)
        final = confirm(variant, small) or viol
        out.violation, out.how, out.shrink_steps = final, cand.how, steps
        out.found_after_s = min(times) if times else None
        say(f"{claim.id}: counterexample confirmed ({final.precision_note}); shrunk in {len(steps)} step(s)")
        break
    out.duration_s = time.perf_counter() - t0
    return out
