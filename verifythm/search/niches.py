r"""Niches of a hunt and the region it explored.

A *niche* is ``(size bucket, kind)``: the sizes of an instance by role (``n``, ``d``, …,
from the :class:`~verifythm.search.layout.Layout`) rounded up to powers of two, and the family
kind (or structure) it descends from.  The search keeps a portfolio of niches so budget is
not spent where nothing can happen:

* a *flat* structure (every perturbation of an instance leaves the score unchanged, e.g.
  :math:`B = n` where the claim is an identity) is marked and no longer chosen as a parent;
* niches are chosen with weights favouring recent improvement and few evaluations.

:class:`Portfolio` also accumulates the explored region: the ranges of every size role, of
the scalars (:math:`B`, :math:`\eta` …) and shapes (:class:`~verifythm.evidence.explored.Region`),
the scales, the kinds, and per niche the evaluations and the best ratio observed / bound.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from verifythm.evidence.explored import Region
from verifythm.search.layout import Layout
from verifythm.search.scoring import Scored


def bucket(m: int) -> str:
    """Power-of-two size bucket: ``1``, ``2``, ``3–4``, ``5–8`` and so on."""
    if m <= 2:
        return str(m)
    hi = 1 << math.ceil(math.log2(m))
    return f"{hi // 2 + 1}–{hi}"


@dataclass
class NicheStats:
    """Bookkeeping of one niche."""

    evaluations: int = 0
    feasible: int = 0
    best_score: float = -math.inf
    best_ratio: float | None = None
    improved_at: int = 0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "evaluations": self.evaluations,
            "feasible": self.feasible,
            "best_relative_slack": None if self.best_score == -math.inf else -self.best_score,
            "best_ratio": self.best_ratio,
        }


class Portfolio:
    """Niches, flat structures and the explored region of one search (see the module docstring)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.niches: dict[tuple[str, str], NicheStats] = {}
        self.region = Region()
        self.sizes: dict[str, list[int]] = {}
        self.kinds: dict[str, int] = {}
        self.flat: set[tuple] = set()
        self.restarts = 0
        self.evaluations = 0

    def key(self, inst: Mapping[str, Any], kind: str) -> tuple[str, str]:
        """The niche of ``inst``: ``("n 5–8, d 3–4", kind)``."""
        sizes = self.layout.sizes(inst)
        label = ", ".join(f"{k} {bucket(v)}" for k, v in sorted(sizes.items())) or "—"
        return label, kind

    def record(self, inst: Mapping[str, Any], kind: str, scored: Scored | None, ratio: float | None) -> None:
        """Count one evaluation of ``inst`` (``scored`` is ``None`` when infeasible)."""
        self.evaluations += 1
        st = self.niches.setdefault(self.key(inst, kind), NicheStats())
        st.evaluations += 1
        if scored is None:
            return
        st.feasible += 1
        self.region.add(inst)
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        for k, v in self.layout.sizes(inst).items():
            lo_hi = self.sizes.setdefault(k, [v, v])
            lo_hi[0], lo_hi[1] = min(lo_hi[0], v), max(lo_hi[1], v)
        if st.best_score == -math.inf or scored.score > st.best_score + 1e-12 * max(1.0, abs(st.best_score)):
            st.best_score, st.improved_at = scored.score, st.evaluations
        if ratio is not None and (st.best_ratio is None or ratio > st.best_ratio):
            st.best_ratio = ratio

    def weight(self, key: tuple[str, str]) -> float:
        """How much a niche deserves the next parent: recent improvement, few evaluations."""
        st = self.niches.get(key)
        if st is None or st.feasible == 0:
            return 0.0
        stale = st.evaluations - st.improved_at
        return (1.0 + 20.0 / (1.0 + stale / 50.0)) / math.sqrt(1.0 + st.evaluations / 200.0)

    def choose(self, pool: Sequence[Scored], rng: np.random.Generator) -> Scored | None:
        """A parent from ``pool`` (sorted best first), never of a flat structure.

        Half the time by rank over the whole pool (exploitation), half the time a niche by
        :meth:`weight`, then one of its best instances (exploration).
        """
        from verifythm.search.scoring import signature

        live = [s for s in pool if signature(s.instance) not in self.flat]
        if not live:
            return None
        if rng.random() < 0.5:
            return live[min(int(rng.exponential(3.0)), len(live) - 1)]
        by_niche: dict[tuple[str, str], list[Scored]] = {}
        for s in live:
            by_niche.setdefault(self.key(s.instance, s.kind), []).append(s)
        keys = sorted(by_niche)
        w = np.array([self.weight(k) + 1e-3 for k in keys])
        k = keys[int(rng.choice(len(keys), p=w / w.sum()))]
        group = sorted(by_niche[k], key=lambda s: -s.score)
        return group[min(int(rng.exponential(1.5)), len(group) - 1)]

    def to_json(self) -> dict[str, Any]:
        """The ``"explored"`` object of a hunt (see :func:`merge_explored`)."""
        met = sum(st.feasible for st in self.niches.values())
        region = self.region.to_json(met=met, unmet=self.evaluations - met, unresolved=0)
        return {
            "evaluations": self.evaluations,
            "feasible": met,
            "sizes": {k: list(v) for k, v in sorted(self.sizes.items())},
            "scalars": region["scalars"],
            "shapes": region["shapes"],
            "values": region.get("values", {}),
            "scale": region["scale"],
            "kinds": dict(sorted(self.kinds.items())),
            "flat_structures": len(self.flat),
            "restarts": self.restarts,
            "niches": [
                {"sizes": k[0], "kind": k[1], **st.to_json()}
                for k, st in sorted(self.niches.items(), key=lambda kv: -kv[1].evaluations)
            ],
        }


def _widen(a: list | None, b: list | None) -> list | None:
    if a is None:
        return None if b is None else list(b)
    if b is None:
        return list(a)
    return [min(a[0], b[0]), max(a[1], b[1])]


def merge_explored(parts: Sequence[Mapping[str, Any] | None]) -> dict[str, Any]:
    """The union of several workers' ``"explored"`` objects (ranges widened, counts added)."""
    out: dict[str, Any] = {
        "evaluations": 0,
        "feasible": 0,
        "sizes": {},
        "scalars": {},
        "shapes": {},
        "values": {},
        "scale": None,
        "kinds": {},
        "flat_structures": 0,
        "restarts": 0,
        "niches": [],
    }
    niches: dict[tuple[str, str], dict[str, Any]] = {}
    for p in parts:
        if not p:
            continue
        for k in ("evaluations", "feasible", "flat_structures", "restarts"):
            out[k] += int(p.get(k, 0))
        for field_ in ("sizes", "scalars"):
            for k, v in p.get(field_, {}).items():
                out[field_][k] = _widen(out[field_].get(k), v)
        for k, sh in p.get("shapes", {}).items():
            cur = out["shapes"].get(k)
            if cur is None or len(cur["max"]) != len(sh["max"]):
                out["shapes"][k] = {"min": list(sh["min"]), "max": list(sh["max"])}
            else:
                cur["min"] = [min(x, y) for x, y in zip(cur["min"], sh["min"], strict=True)]
                cur["max"] = [max(x, y) for x, y in zip(cur["max"], sh["max"], strict=True)]
        for k, vals in p.get("values", {}).items():
            out["values"][k] = sorted(set(out["values"].get(k, [])) | set(vals))
        out["scale"] = _widen(out["scale"], p.get("scale"))
        for k, c in p.get("kinds", {}).items():
            out["kinds"][k] = out["kinds"].get(k, 0) + c
        for n in p.get("niches", []):
            key = (n["sizes"], n["kind"])
            cur = niches.get(key)
            if cur is None:
                niches[key] = dict(n)
                continue
            cur["evaluations"] += n["evaluations"]
            cur["feasible"] += n["feasible"]
            for f, better in (("best_ratio", max), ("best_relative_slack", min)):
                vals = [x for x in (cur.get(f), n.get(f)) if x is not None]
                cur[f] = better(vals) if vals else None
    out["niches"] = sorted(niches.values(), key=lambda n: -n["evaluations"])
    return out


def _fmt(x: float) -> str:
    return f"{int(x)}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:.3g}"


def region_sentence(explored: Mapping[str, Any] | None) -> str:
    """The explored region in words: ``n ≤ 16, d ≤ 8, B ∈ [1, 16], scale 1e-06..1e+06, kinds: …``."""
    if not explored or not explored.get("feasible"):
        return "no instance met the hypotheses"
    parts = []
    sizes = explored.get("sizes", {})
    for k, (lo, hi) in sorted(sizes.items(), key=lambda kv: (kv[0] not in ("n", "d"), kv[0])):
        parts.append(f"{k} ≤ {hi}" if lo == hi or lo <= 1 else f"{k} ∈ [{lo}, {hi}]")
    for k, (lo, hi) in explored.get("scalars", {}).items():
        if k in sizes:
            continue
        parts.append(f"{k} = {_fmt(lo)}" if lo == hi else f"{k} ∈ [{_fmt(lo)}, {_fmt(hi)}]")
    if not sizes:
        for k, sh in explored.get("shapes", {}).items():
            parts.append(f"{k} up to {'×'.join(str(x) for x in sh['max'])}")
    for k, vals in explored.get("values", {}).items():
        parts.append(f"{k} ∈ {{{', '.join(vals)}}}")
    if explored.get("scale"):
        lo, hi = explored["scale"]
        parts.append(f"scale {lo:.3g}..{hi:.3g}")
    kinds = explored.get("kinds") or {}
    if kinds:
        parts.append(f"kinds: {', '.join(sorted(kinds))}")
    return ", ".join(parts)
