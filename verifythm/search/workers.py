r"""One search worker, and running several on an executor.

A worker, within its budget (seconds, or evaluations for a deterministic run):

1. **seeds**: the claim's own check instances, scored by relative slack, then wide random
   probes from them (:func:`~verifythm.search.moves.probe`: sizes, kind, B and scale redrawn);
2. **leaders**: the best instance of each of the best few structures gets the structured
   families of :mod:`~verifythm.search.space` (diagonal, rank-one, identical, orthogonal,
   nearly coherent, extreme scales, B ∈ {1, n − 1, n}, adversarial directions; the discrete
   setting two moves deep) and the growth moves of :mod:`~verifythm.search.moves` (more
   members, more dimensions, B jointly with n, fresh families of every kind);
3. **portfolio loop**: a parent is drawn niche by niche (:class:`~verifythm.search.niches.Portfolio`),
   then a structured move, a size/scale/kind move, or a (1+1)-evolution-strategy burst with
   step-size adaptation over the continuous parameters.  A burst whose every candidate
   scores exactly as its parent marks the structure *flat* (e.g. B = n on an identity): it
   is no longer a parent, and the search restarts elsewhere with a size or kind move.

Scale moves stay within ``SCALE_DECADES`` decades of the seeds' magnitudes (per key), where
float64 evaluations of the catalogue's formulas still mean something.  Instances grow
geometrically under a size guard: at most 4× the largest instance evaluated
so far and 2²¹ scalars; with a time budget, below the smallest size whose evaluation took
more than its share of the budget; with an evaluation budget (deterministic: no clock is
read), at most 16× the largest seed instance.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from verifythm.claims.model import Claim
from verifythm.search import moves
from verifythm.search.guard import memory_guard
from verifythm.search.layout import Layout
from verifythm.search.scoring import Scored, instance_size, signature
from verifythm.search.space import (
    category_moves,
    float_keys,
    perturb,
    setting_moves,
    structured_moves,
)
from verifythm.search.worker_state import MAX_SCALARS, SCALE_DECADES, SearchState, SizeGuard, WorkerResult

__all__ = [
    "CATEGORY_SEEDS",
    "FIRST_SEEDS",
    "MAX_SCALARS",
    "PROBES",
    "SCALE_DECADES",
    "SizeGuard",
    "WorkerResult",
    "search",
    "setting_class",
]

#: How many of the smallest seeds try every value of the declared categories first.
CATEGORY_SEEDS = 3


_KIND_OF_MOVE = (
    ("diagonal", "commuting"),
    ("coordinate-aligned", "commuting"),
    ("rank one", "rank-one"),
    ("identical", "identical"),
    ("nearly coherent", "nearly_coherent"),
    ("orthogonal", "orthogonal"),
)


def setting_class(inst: Mapping[str, Any]) -> tuple:
    """The discrete setting of ``inst`` up to size.

    Strings as they are, each integer as 1, as equal to an array's length (``B = n``) or neither,
    so that ``B = n`` without replacement is one class whatever ``n`` is.
    """
    dims = {int(d) for v in inst.values() for d in np.shape(v)}
    out: list[tuple[str, str]] = []
    for k in sorted(inst):
        v = inst[k]
        if isinstance(v, str):
            out.append((k, v))
        elif isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            out.append((k, "1" if v == 1 else ("length" if int(v) in dims else "other")))
    return tuple(out)


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
    layout: Layout | None = None,
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
        Stop at the first confirmed violation (hunts) or run the whole budget (tightness).
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
    layout
        The claim's layout (default: learned from ``seeds``).
    """
    layout = layout or Layout.learn([s for _, s in seeds])
    with memory_guard():
        return _Search(
            claim, layout, budget_s, seed, domains or {}, stop_on_violation, frozen, keep, max_evals, seeds
        ).run(seeds, expand_offset)


class _Search(SearchState):
    """A worker's strategy: seeds, structured and growth moves, bursts, the portfolio loop."""

    # -- moves --------------------------------------------------------------------------
    def child(
        self, parent: Scored, desc: str, inst: Mapping[str, Any], kind: str | None = None
    ) -> Scored | None:
        inst = moves.rebuild_derived(dict(inst), self.layout)  # S_i = g_i g_iᵀ stays true
        if not self.allowed(parent.instance, inst):
            return None
        if kind is None:
            kind = next((k for needle, k in _KIND_OF_MOVE if needle in desc), parent.kind)
        return self.evaluate(inst, (*parent.how, desc), kind)

    def expand(self, parent: Scored, full: bool = True) -> list[Scored]:
        """Structured and growth moves of a leader (only the setting unless ``full``).

        Returns the children whose discrete setting (B, the scheme, …) changed.
        """
        setting = {d for d, _ in setting_moves(parent.instance, self.domains)}
        changed: list[Scored] = []
        candidates = (
            structured_moves(parent.instance, self.domains)
            if full
            else setting_moves(parent.instance, self.domains)
        )
        for desc, inst in candidates:
            if self.over():
                return changed
            got = self.child(parent, desc, inst)
            if got is None or desc not in setting:
                continue
            changed.append(got)
            for desc2, inst2 in setting_moves(got.instance, self.domains):
                if self.over():
                    return changed
                got2 = self.child(got, desc2, inst2)
                if got2 is not None:
                    changed.append(got2)
        return changed

    def grow(self, parent: Scored) -> None:
        """The systematic growth moves of a leader (:func:`~verifythm.search.moves.systematic`)."""
        for n_, (desc, inst, kind) in enumerate(
            moves.systematic(parent.instance, self.layout, self.rng, parent.kind)
        ):
            if self.over() or n_ >= 30:
                return
            self.child(parent, desc, inst, kind)

    def restart(self, parent: Scored | None) -> None:
        """Leave a flat or exhausted region: a size, batch, scale or kind move elsewhere."""
        self.portfolio.restarts += 1
        base = parent or self.pool[int(self.rng.integers(len(self.pool)))]
        for _ in range(3):
            mv = moves.propose(
                base.instance, self.layout, self.rng, base.kind, lambda i: self.allowed(base.instance, i)
            )
            if mv is None:
                break
            got = self.child(base, mv[0], mv[1], mv[2])
            if got is not None or self.over():
                return

    def edge(self, parent: Scored) -> None:
        """Push each positive scalar to the edge of the feasible region (a hypothesis boundary).

        Many bounds are tightest where a hypothesis stops holding (η at the edge of
        stability): double (or halve) the scalar until the instance becomes infeasible, then
        bisect on a log scale, a dozen evaluations per key and direction.
        """
        keys = [
            k
            for k in float_keys(parent.instance)
            if k not in self.frozen and np.ndim(parent.instance[k]) == 0 and float(parent.instance[k]) > 0
        ]
        for k in keys:
            x0 = float(parent.instance[k])
            for factor in (2.0, 0.5):
                good, bad = 0.0, None
                for i in range(1, 21):  # expand until infeasible or no longer better
                    if self.over():
                        return
                    got = self.evaluate({**parent.instance, k: x0 * factor**i}, parent.how, parent.kind)
                    if got is None:
                        bad = float(i)
                        break
                    good = float(i)
                if bad is None:
                    continue
                for _ in range(10):
                    if self.over():
                        return
                    mid = 0.5 * (good + bad)
                    got = self.evaluate({**parent.instance, k: x0 * factor**mid}, parent.how, parent.kind)
                    if got is None:
                        bad = mid
                    else:
                        good = mid
                        got.how = (*parent.how, f"{k} to the edge of the feasible region")

    def burst(self, parent: Scored) -> None:
        keys = [k for k in float_keys(parent.instance) if k not in self.frozen]
        derived = {S for S, (G, _) in self.layout.derived.items() if G in parent.instance}
        keys = [k for k in keys if k not in derived]
        if not keys:
            self.restart(parent)
            return
        cur, step, accepted = parent, float(10 ** self.rng.uniform(-3, -0.5)), 0
        flat = 0
        for _ in range(25):
            if self.over():
                break
            sub = [k for k in keys if self.rng.random() < 0.5] or [keys[int(self.rng.integers(len(keys)))]]
            inst = moves.rebuild_derived(perturb(cur.instance, step, self.rng, sub), self.layout)
            cand = self.evaluate(inst, cur.how, cur.kind)
            if cand is not None and abs(cand.score - parent.score) <= 1e-9 * max(1.0, abs(parent.score)):
                flat += 1
            if cand is not None and cand.score >= cur.score:
                cur, step, accepted = cand, step * 1.5, accepted + 1
            else:
                step *= 0.85
        if flat >= 8 and cur.score <= parent.score:
            self.portfolio.flat.add(signature(parent.instance))
            self.restart(parent)
        elif accepted:
            cur.how = (*parent.how, f"optimised ({accepted} accepted steps)")

    # -- the run ------------------------------------------------------------------------
    def run(self, seeds: Sequence[tuple[str, dict]], expand_offset: int) -> WorkerResult:
        # the author's own instances rarely violate: a few of each structure start the search,
        # the rest are evaluated once the moves have had their turn
        first, later = _first_seeds(seeds, FIRST_SEEDS)
        for desc, inst in first:
            if self.over():
                break
            self.evaluate(inst, (desc,), "seed")
        self.trim()
        # every declared category (a freed sampling scheme, …) on the smallest seeds first: a
        # few evaluations at the seeds' own cost, before any move that may be slow
        for parent in sorted(self.pool, key=lambda s: instance_size(s.instance))[:CATEGORY_SEEDS]:
            for desc, inst in category_moves(parent.instance, self.domains):
                if self.over():
                    break
                self.child(parent, desc, inst)
        for _ in range(PROBES if self.pool else 0):  # wide probes beyond the seeds' region
            if self.over():
                break
            base = self.pool[int(self.rng.integers(len(self.pool)))]
            allow = functools.partial(self.allowed, base.instance)
            mv = moves.probe(base.instance, self.layout, self.rng, base.kind, allow)
            if mv is not None:
                self.child(base, mv[0], mv[1], mv[2])
        self.trim()
        leaders: list[Scored] = []
        seen: set[tuple] = set()
        for s in self.pool:  # the best instance of each structure, best structures first
            sig = signature(s.instance)
            if sig not in seen:
                seen.add(sig)
                leaders.append(s)
        start = (3 * expand_offset) % max(1, len(leaders))
        changed: list[Scored] = []
        order = leaders[start:] + leaders[:start]
        for i, parent in enumerate(order[:12]):
            if self.over() or (i >= 1 and self.spent() >= 0.4):
                break  # 40 % of the budget at most: the new settings still need their edge
            changed += self.expand(parent, full=i < 3)
        # a new discrete setting (B, scheme) moves the edge: re-optimise the best few at once
        # the best child per new setting (each B, each scheme; a violation may need one
        # particular pair, e.g. B = n without replacement, pushed to the edge of stability)
        firsts: dict[tuple, Scored] = {}
        for s in sorted(changed, key=lambda s: -s.score):
            if signature(s.instance) not in self.portfolio.flat:
                firsts.setdefault(setting_class(s.instance), s)
        for s in list(firsts.values())[:16]:  # every new setting to its edge, then the best few
            if self.over() or self.spent() >= 0.8:
                break
            self.edge(s)
        for s in list(firsts.values())[:4]:  # firsts is in score order
            if self.over() or self.spent() >= 0.8:
                break
            self.burst(s)
        for parent in order[:3]:  # then beyond the seeds' sizes
            if self.over():
                break
            self.grow(parent)
        for desc, inst in later:
            if self.over():
                break
            self.evaluate(inst, (desc,), "seed")
        self.trim()
        while self.pool and not self.over():
            self.trim()
            chosen = self.portfolio.choose(self.pool, self.rng)
            r = self.rng.random()
            if chosen is None:
                self.restart(None)
            elif r < 0.25:
                options = list(structured_moves(chosen.instance, self.domains))
                if options:
                    desc, inst = options[int(self.rng.integers(len(options)))]
                    self.child(chosen, desc, inst)
            elif r < 0.3:
                self.edge(chosen)
            elif r < 0.42:
                mv = moves.propose(
                    chosen.instance,
                    self.layout,
                    self.rng,
                    chosen.kind,
                    functools.partial(self.allowed, chosen.instance),
                )
                if mv is not None:
                    self.child(chosen, *mv)
            else:
                self.burst(chosen)
        self.trim()
        res = self.res
        res.best = self.pool[: self.keep]
        res.evaluations, res.infeasible, res.timeouts = (
            self.obj.evaluations,
            self.obj.infeasible,
            self.obj.timeouts,
        )
        res.explored = self.portfolio.to_json()
        return res


#: Seeds evaluated before the first moves (spread over the seeds' structures); the rest follow.
FIRST_SEEDS = 12
#: Wide random probes (:func:`~verifythm.search.moves.probe`) per round, after the first seeds.
PROBES = 24


def _first_seeds(
    seeds: Sequence[tuple[str, dict]], k: int
) -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """Up to ``k`` seeds, round-robin over their structures (:func:`signature`), and the rest.

    Carried instances (the best of an earlier round) come first in ``seeds`` and stay first.
    """
    groups: dict[tuple, list[int]] = {}
    for i, (_, inst) in enumerate(seeds):
        try:
            sig = signature(inst)
        except Exception:  # an instance the signature cannot read: its own group
            sig = ("#", i)
        groups.setdefault(sig, []).append(i)
    picked: list[int] = []
    queues = [list(g) for g in groups.values()]
    while len(picked) < k and any(queues):
        for q in queues:
            if q and len(picked) < k:
                picked.append(q.pop(0))
    chosen = set(picked)
    first = [seeds[i] for i in sorted(picked)]
    return first, [sd for i, sd in enumerate(seeds) if i not in chosen]
