r"""Size and structure moves: a hunt grows instances as well as shrinking them.

Moves act on the :class:`~verifythm.search.layout.Layout` learned from the claim's seeds,
so shapes stay consistent and coupled integers stay valid (:math:`B \le n`, indices below
their length):

* **members** (group labelled ``n``): a copy of a member, a perturbed copy (a congruence,
  which keeps it PSD with its rank), a fresh member of a family kind, or a rank-one member
  along the current worst direction (top or bottom eigenvector of the mean, or the top
  direction of the members' spread);
* **dimensions**: *embed* (new coordinates carry zeros), *extend* (plus a small fresh
  family or PSD matrix over all coordinates, so the new directions carry curvature) or
  *direct sum* (the members' top eigen-block repeated in the new coordinates, so a bound
  that counts dimensions meets a flat spectrum rather than a diluted one);
* **batch size jointly with n**: :math:`B` anywhere in :math:`[1, n]`, log-uniformly, also
  while :math:`n` grows;
* **scales**: one value, or every array together (with scalars scaled back by
  :math:`t^{-1}` or :math:`t^{-2}`), by a log-uniform factor in :math:`[10^{-6}, 10^6]`;
* **kinds**: a fresh family of another kind from the one family vocabulary
  (:mod:`verifythm.strategies.families`), rescaled to the current top eigenvalue.

Sizes grow geometrically (``+1``, ``×1.5``, ``×2``); the caller's ``allow`` (the search's
size guard) rejects instances its memory/time budget cannot afford.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from verifythm.search.layout import Layout, is_int, numeric_array, square_matrix, square_stack
from verifythm.search.resize import (
    DIMENSION_MODES,
    MEMBER_MODES,
    Inst,
    family_kinds,
    fresh_family,
    rebuild_derived,
    resize,
    top_eigenvalue_of_mean,
    worst_directions,
)
from verifythm.search.space import float_keys

__all__ = [
    "DIMENSION_MODES",
    "MEMBER_MODES",
    "Inst",
    "Move",
    "batch_moves",
    "integer_moves",
    "kind_moves",
    "member_moves",
    "probe",
    "propose",
    "rebuild_derived",
    "resize",
    "scale_moves",
    "systematic",
    "worst_directions",
]

Move = tuple[str, Inst, str | None]  # description, instance, kind (None: the parent's)


def _grow_targets(m: int) -> list[int]:
    return sorted({m + 1, m + 2, math.ceil(1.5 * m), 2 * m} - {m})


def member_moves(
    inst: Mapping[str, Any], layout: Layout, rng: np.random.Generator, kind: str
) -> Iterator[Move]:
    """Grow each group: more members (every mode) and more dimensions (embed and extend)."""
    for g in layout.present(inst):
        m = layout.length(inst, g)
        if m is None:
            continue
        label = layout.labels[g]
        for new in _grow_targets(m):
            modes = MEMBER_MODES if label == "n" else DIMENSION_MODES
            for mode in modes:
                out, how = resize(inst, layout, g, new, rng, mode, kind)
                yield f"{label}: {m} → {new} ({how})", out, None


def batch_moves(
    inst: Mapping[str, Any], layout: Layout, rng: np.random.Generator, kind: str
) -> Iterator[Move]:
    """Move each bounded integer (``B``) over ``[1, bound]``, also jointly with a larger bound."""
    for k, (src, off) in layout.bounded.items():
        if k not in inst or not is_int(inst[k]):
            continue
        b = layout.bound(inst, k)
        if b is None or b < 1:
            continue
        v = int(inst[k])
        for c in sorted({1, 2, b - 1, b, round(math.exp(rng.uniform(0, math.log(b))))} - {v}):
            if 1 <= c <= b:
                yield f"{k} = {c} (of ≤ {b})", {**inst, k: c}, None
        if not isinstance(src, int):
            continue
        m = layout.length(inst, src)
        if m is None:
            continue
        new = int(rng.choice(_grow_targets(m)))
        grown, how = resize(inst, layout, src, new, rng, str(rng.choice(MEMBER_MODES)), kind)
        nb = new + off
        for c in sorted({v, 1, nb, nb - 1, round(math.exp(rng.uniform(0, math.log(max(nb, 1)))))}):
            if 1 <= c <= nb:
                yield f"{layout.labels[src]}: {m} → {new} ({how}) with {k} = {c}", {**grown, k: c}, None


def integer_moves(inst: Mapping[str, Any], layout: Layout, rng: np.random.Generator) -> Iterator[Move]:
    """Geometric moves of free integer sizes (``n`` as a scalar), coupled integers clipped."""
    for k in sorted(inst):
        v = inst[k]
        if not is_int(v) or k in layout.bounded or k in layout.equal:
            continue
        v = int(v)
        for c in sorted({v + 1, math.ceil(1.5 * v), 2 * v, max(1, v // 2)} - {v}):
            if c >= 1:
                out = {**inst, k: c}
                for kk, (src, off) in layout.bounded.items():
                    if src == k and kk in out and int(out[kk]) > c + off:
                        out[kk] = max(1, c + off)
                yield f"{k}: {v} → {c}", out, None


def scale_moves(inst: Mapping[str, Any], rng: np.random.Generator, spread: float = 6.0) -> Iterator[Move]:
    """Log-uniform scale moves: one key, or every array with scalars scaled back."""
    keys = float_keys(inst)
    arrays = [k for k in keys if np.ndim(inst[k]) >= 1]
    scalars = [k for k in keys if np.ndim(inst[k]) == 0 and float(inst[k]) > 0]
    for k in keys:
        t = 10.0 ** rng.uniform(-spread, spread)
        yield (
            f"{k} × {t:.3g}",
            {**inst, k: np.asarray(inst[k], float) * t if np.ndim(inst[k]) else float(inst[k]) * t},
            None,
        )
    if arrays:
        for p in (0, 1, 2):
            t = 10.0 ** rng.uniform(-spread, spread)
            out = {**inst, **{k: np.asarray(inst[k], float) * t for k in arrays}}
            out.update({k: float(inst[k]) * t**-p for k in scalars})
            yield f"all arrays × {t:.3g}" + (f", scalars × t^-{p}" if p else ""), out, None


def kind_moves(
    inst: Mapping[str, Any], layout: Layout, rng: np.random.Generator, kinds: tuple[str, ...] | None = None
) -> Iterator[Move]:
    """A fresh family of each kind in place of the stacks (or member matrices) of ``inst``."""
    all_kinds, rank_one = family_kinds()
    sources = {G: t for _, (G, t) in layout.derived.items()}
    members_axis: dict[str, int] = {}
    for g, grp in enumerate(layout.groups):
        if layout.labels[g] == "n":
            for k, j in grp:
                a = numeric_array(inst.get(k))
                if a is not None and a.ndim == 2 and a.dtype.kind == "f" and not square_matrix(a):
                    members_axis[k] = j
    for kind in kinds or all_kinds:
        out: Inst = dict(inst)
        touched = False
        for k, v in inst.items():
            a = numeric_array(v)
            if a is None or a.dtype.kind != "f":
                continue
            if square_stack(a) and not (k in layout.derived and layout.derived[k][0] in inst):
                fresh = fresh_family(rng, kind, a.shape[0], a.shape[1])
                out[k] = fresh * ((top_eigenvalue_of_mean(a) or 1.0) / (top_eigenvalue_of_mean(fresh) or 1.0))
                touched = True
            elif a.ndim == 2 and (k in sources or k in members_axis) and kind in rank_one:
                transposed = sources.get(k, members_axis.get(k) == 1)
                n, d = (a.shape[1], a.shape[0]) if transposed else a.shape
                _, G = fresh_family(rng, kind, n, d, gradients=True)
                G = G.T if transposed else G
                old = float(np.linalg.norm(a)) or 1.0
                out[k] = G * (old / (float(np.linalg.norm(G)) or 1.0))
                touched = True
        if touched:
            yield f"a fresh {kind} family", rebuild_derived(out, layout), kind


def propose(
    inst: Mapping[str, Any],
    layout: Layout,
    rng: np.random.Generator,
    kind: str,
    allow: Callable[[Mapping[str, Any]], bool] = lambda _i: True,
) -> Move | None:
    """One random size, batch, scale or kind move of ``inst`` that ``allow`` accepts."""
    makers: list[Callable[[], list[Move]]] = [
        lambda: list(member_moves(inst, layout, rng, kind)),
        lambda: list(batch_moves(inst, layout, rng, kind)),
        lambda: list(integer_moves(inst, layout, rng)),
        lambda: list(scale_moves(inst, rng)),
        lambda: list(kind_moves(inst, layout, rng, (str(rng.choice(family_kinds()[0])),))),
    ]
    for _ in range(4):
        moves = makers[int(rng.integers(len(makers)))]()
        moves = [m for m in moves if allow(m[1])]
        if moves:
            return moves[int(rng.integers(len(moves)))]
    return None


def systematic(
    inst: Mapping[str, Any], layout: Layout, rng: np.random.Generator, kind: str
) -> Iterator[Move]:
    """The growth moves a hunt tries on its leaders, cheapest first.

    The batch size over its range (and once jointly with a larger ``n``), each group doubled
    (perturbed copies, or extended dimensions) and grown by one fresh member, integer sizes,
    and fresh families of three kinds.
    """
    yield from batch_moves(inst, layout, rng, kind)
    for g in layout.present(inst):
        m = layout.length(inst, g)
        if m is None:
            continue
        label = layout.labels[g]
        plan = (
            [(2 * m, "perturbed copy"), (m + 1, "fresh")]
            if label == "n"
            else [(2 * m, "extend"), (m + 1, "embed"), (m + 1, "direct sum")]
        )
        for new, mode in plan:
            out, how = resize(inst, layout, g, new, rng, mode, kind)
            yield f"{label}: {m} → {new} ({how})", out, None
    yield from integer_moves(inst, layout, rng)
    all_kinds = family_kinds()[0]
    picks = tuple(str(k) for k in rng.choice(all_kinds, size=min(3, len(all_kinds)), replace=False))
    yield from kind_moves(inst, layout, rng, picks)


def probe(
    inst: Mapping[str, Any],
    layout: Layout,
    rng: np.random.Generator,
    kind: str,
    allow: Callable[[Mapping[str, Any]], bool] = lambda _i: True,
    growth: float = 4.0,
) -> Move | None:
    """A wide random probe from ``inst``: random sizes, kind, batch size and scale.

    Every size is redrawn log-uniformly in ``[1, growth·size]``, then the stacks become a fresh
    family of a random kind, the batch size a random one and (half the time) the arrays are
    rescaled together.

    The claim's own generators see a narrow region; a few probes spread over sizes, kinds and
    batch sizes find the violations that live in a corner (``n ≥ 8``, ``d ≥ 4``, one ``B``)
    long before local moves walk there.
    """
    out: Inst = dict(inst)
    hows: list[str] = []
    for g in layout.present(inst):
        m = layout.length(out, g)
        if m is None:
            continue
        new = max(1, round(math.exp(rng.uniform(0.0, math.log(max(2.0, growth * m))))))
        if new != m:
            label = layout.labels[g]
            mode = "fresh" if label == "n" else str(rng.choice(DIMENSION_MODES[1:]))
            out, _ = resize(out, layout, g, new, rng, mode, kind)
            hows.append(f"{label} = {new}")
    fresh = list(kind_moves(out, layout, rng, (str(rng.choice(family_kinds()[0])),)))
    if fresh:
        hows.append(fresh[0][0])
        out, kind = fresh[0][1], fresh[0][2] or kind
    batches = [mv for mv in batch_moves(out, layout, rng, kind) if "→" not in mv[0]]
    if batches:
        desc, out, _ = batches[int(rng.integers(len(batches)))]
        hows.append(desc.split(" (")[0])
    scales = [mv for mv in scale_moves(out, rng, spread=3.0) if mv[0].startswith("all arrays")]
    if scales and rng.random() < 0.5:
        desc, out, _ = scales[int(rng.integers(len(scales)))]
        hows.append(desc)
    if not hows or not allow(out):
        return None
    return "probe: " + ", ".join(hows), out, kind
