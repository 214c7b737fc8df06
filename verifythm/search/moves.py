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

from verifythm.search.layout import Layout, _array, _is_int, square_matrix, square_stack
from verifythm.search.space import _congruence, float_keys

Inst = dict[str, Any]
Move = tuple[str, Inst, str | None]  # description, instance, kind (None: the parent's)

MEMBER_MODES = ("copy", "perturbed copy", "fresh", "rank-one worst direction")
DIMENSION_MODES = ("embed", "extend", "direct sum")


def _kinds() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from verifythm.strategies.families import FAMILY_KINDS, RANK_ONE_KINDS

    return tuple(FAMILY_KINDS), tuple(RANK_ONE_KINDS)


def _lam1(a: np.ndarray) -> float:
    m = a.mean(axis=0) if a.ndim == 3 else a
    try:
        return float(np.linalg.eigvalsh(0.5 * (m + m.T))[-1])
    except np.linalg.LinAlgError:
        return 0.0


def _fresh_family(rng: np.random.Generator, kind: str, n: int, d: int, gradients: bool = False) -> Any:
    from verifythm.strategies.families import random_family

    try:
        return random_family(rng, kind, n, d, gradients=gradients)
    except ValueError:  # a kind that cannot be built at this size (orthogonal with n > d, …)
        return random_family(rng, "gaussian", n, d, gradients=gradients)


def worst_directions(a: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Candidate worst directions of a stack ``(n, d, d)`` or matrix ``(n, d)`` of members."""
    if a.ndim == 3:
        mean = a.mean(axis=0)
        spread = np.einsum("nij,njk->ik", a - mean, a - mean) / max(1, a.shape[0])
    else:
        mean = a.T @ a / max(1, a.shape[0])
        c = a - a.mean(axis=0)
        spread = c.T @ c
    out = []
    try:
        _, u = np.linalg.eigh(0.5 * (mean + mean.T))
        out += [("top eigenvector of the mean", u[:, -1]), ("bottom eigenvector of the mean", u[:, 0])]
        _, v = np.linalg.eigh(0.5 * (spread + spread.T))
        out.append(("top direction of the spread", v[:, -1]))
    except np.linalg.LinAlgError:
        pass
    return out or [("first coordinate", np.eye(a.shape[-1])[0])]


def _new_members(
    a: np.ndarray, k: int, rng: np.random.Generator, mode: str, kind: str
) -> tuple[np.ndarray, str]:
    """``k`` new members for a stack ``(n, d, d)`` or the rows of ``(n, d)``."""
    n, d = a.shape[0], a.shape[1]
    idx = rng.integers(n, size=k) if n else np.zeros(k, int)
    if mode == "copy" and n:
        return a[idx].copy(), "copies"
    if mode == "perturbed copy" and n:
        if a.ndim == 3:
            return _congruence(a[idx], 0.3, rng), "perturbed copies"
        scale = float(np.sqrt(np.mean(a**2))) or 1.0
        return a[idx] + 0.3 * scale * rng.standard_normal((k, d)), "perturbed copies"
    if a.ndim == 3:
        size = float(np.mean(np.trace(a, axis1=1, axis2=2))) if n else 1.0
    else:
        size = float(np.mean(np.sum(a**2, axis=1))) if n else 1.0
    size = size if size > 0 else 1.0
    if mode == "fresh":
        all_kinds, rank_one = _kinds()
        pick = kind if kind in (all_kinds if a.ndim == 3 else rank_one) else "gaussian"
        got = _fresh_family(rng, pick, k, d, gradients=a.ndim == 2)
        if a.ndim == 2:
            g = got[1]
            norm = float(np.mean(np.sum(g**2, axis=1))) or 1.0
            return g * math.sqrt(size / norm), f"fresh {pick} members"
        tr = float(np.mean(np.trace(got, axis1=1, axis2=2))) or 1.0
        return got * (size / tr), f"fresh {pick} members"
    dirs = worst_directions(a) if n else [("e1", np.eye(d)[0])]
    name, u = dirs[int(rng.integers(len(dirs)))]
    if a.ndim == 3:
        return np.repeat((size * np.outer(u, u))[None], k, axis=0), f"rank-one members along the {name}"
    return np.repeat((math.sqrt(size) * u)[None], k, axis=0), f"members along the {name}"


def _extend_axis(a: np.ndarray, axis: int, new: int, rng: np.random.Generator, fill: str) -> np.ndarray:
    old = a.shape[axis]
    if new <= old:
        return np.array(np.take(a, np.arange(new), axis=axis))
    pad_shape = list(a.shape)
    pad_shape[axis] = new - old
    if fill == "zero" or a.dtype.kind != "f":
        extra = (
            np.zeros(pad_shape, a.dtype)
            if fill == "zero" or old == 0
            else np.take(a, rng.integers(old, size=new - old), axis=axis)
        )
    elif fill == "copy" and old:
        extra = np.take(a, rng.integers(old, size=new - old), axis=axis)
        extra = extra + 0.1 * (float(np.sqrt(np.mean(a**2))) or 1.0) * rng.standard_normal(extra.shape)
    else:
        scale = (float(np.sqrt(np.mean(a**2))) if a.size else 1.0) or 1.0
        extra = scale * rng.standard_normal(pad_shape)
    return np.concatenate([a, extra.astype(a.dtype)], axis=axis)


def _direct_sum(a: np.ndarray, out: np.ndarray, new: int) -> np.ndarray:
    r"""Fill the new coordinates of ``out`` (``a`` zero-padded) with ``a``'s top eigen-block.

    The leading block of ``a`` in the eigenbasis of its mean (top eigenvalue first): every member
    becomes :math:`A_i\oplus(V^TA_iV)_{[:k,:k]}`, so the top curvature and its noise are repeated,
    not diluted.
    """
    old = a.shape[-1]
    k = new - old
    mean = a.mean(axis=0) if a.ndim == 3 else a
    w, V = np.linalg.eigh(0.5 * (mean + mean.T))
    V = V[:, np.argsort(w)[::-1]]
    reps = -(-k // old)  # repeat the whole rotated block when k > old
    rot = V.T @ a @ V
    block = np.zeros((*a.shape[:-2], reps * old, reps * old))
    for r in range(reps):
        block[..., r * old : (r + 1) * old, r * old : (r + 1) * old] = rot
    out[..., old:, old:] = block[..., :k, :k]
    return out


def _resize_array(
    a: np.ndarray, axes: list[int], new: int, rng: np.random.Generator, mode: str, kind: str, members: bool
) -> tuple[np.ndarray, str]:
    if all(a.shape[j] >= new for j in axes):
        idx = tuple(slice(0, new) if j in axes else slice(None) for j in range(a.ndim))
        return np.array(a[idx]), "truncated"
    if members and len(axes) == 1 and a.dtype.kind == "f" and (square_stack(a) or a.ndim == 2):
        if axes == [1]:  # members are the columns
            extra, how = _new_members(a.T, new - a.shape[1], rng, mode, kind)
            return np.concatenate([a, extra.T], axis=1), how
        extra, how = _new_members(a, new - a.shape[0], rng, mode, kind)
        return np.concatenate([a, extra], axis=0), how
    square = (square_stack(a) and sorted(axes) == [1, 2]) or (square_matrix(a) and sorted(axes) == [0, 1])
    if square:
        old = a.shape[-1]
        out = np.zeros((*a.shape[:-2], new, new))
        out[..., :old, :old] = a
        if mode == "embed":
            return out, "embedded (zero curvature in the new coordinates)"
        if mode == "direct sum":
            return _direct_sum(a, out, new), "direct sum (the top eigen-block repeated)"
        lam = _lam1(a) or 1.0
        eps = lam * 10.0 ** rng.uniform(-2.0, 0.0)
        if a.ndim == 3:
            fresh = _fresh_family(rng, "wishart", a.shape[0], new)
            fresh = fresh / (_lam1(fresh) or 1.0)
        else:
            from verifythm.strategies.families import random_psd_with

            fresh = random_psd_with(rng, new, rank=int(rng.integers(1, new + 1)), scale=1.0)
        return out + eps * fresh, "extended (a small fresh family over all coordinates)"
    copies = ("copy", "perturbed copy", "direct sum")
    fill = "zero" if mode == "embed" else ("copy" if mode in copies else "gauss")
    for j in axes:
        a = _extend_axis(a, j, new, rng, fill)
    return a, "embedded" if fill == "zero" else "extended"


def rebuild_derived(inst: Inst, layout: Layout) -> Inst:
    """Recompute every derived stack :math:`S_i = g_i g_i^T` from its source matrix."""
    for S, (G, transposed) in layout.derived.items():
        if S in inst and G in inst and np.ndim(inst[G]) == 2:
            rows = np.asarray(inst[G], float)
            rows = rows.T if transposed else rows
            inst[S] = np.einsum("ni,nj->nij", rows, rows)
    return inst


def resize(
    inst: Mapping[str, Any],
    layout: Layout,
    g: int,
    new: int,
    rng: np.random.Generator,
    mode: str,
    kind: str = "gaussian",
) -> tuple[Inst, str]:
    """Set the length of group ``g`` to ``new`` in every array; integers follow their coupling.

    Integers equal to the group become ``new``; integers bounded by it are clipped to the new
    bound (``B <= n``, an index ``< n``).  Derived stacks are rebuilt from their source.
    """
    out: Inst = dict(inst)
    by_key: dict[str, list[int]] = {}
    for k, j in layout.groups[g]:
        a = _array(inst.get(k))
        if a is not None and a.ndim > j and not (k in layout.derived and layout.derived[k][0] in inst):
            by_key.setdefault(k, []).append(j)
    hows = []
    for k, axes in by_key.items():
        members = layout.labels[g] == "n"
        out[k], how = _resize_array(np.asarray(inst[k]), axes, new, rng, mode, kind, members)
        hows.append(how)
    for k, src in layout.equal.items():
        if src == g and k in out:
            out[k] = new
    for k in layout.bounded:
        b = layout.bound(out, k)
        if k in out and _is_int(out[k]) and b is not None and int(out[k]) > b:
            out[k] = max(1, b) if b >= 1 else b
    rebuild_derived(out, layout)
    return out, (hows[0] if hows else "resized")


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
        if k not in inst or not _is_int(inst[k]):
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
        if not _is_int(v) or k in layout.bounded or k in layout.equal:
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
    all_kinds, rank_one = _kinds()
    sources = {G: t for _, (G, t) in layout.derived.items()}
    members_axis: dict[str, int] = {}
    for g, grp in enumerate(layout.groups):
        if layout.labels[g] == "n":
            for k, j in grp:
                a = _array(inst.get(k))
                if a is not None and a.ndim == 2 and a.dtype.kind == "f" and not square_matrix(a):
                    members_axis[k] = j
    for kind in kinds or all_kinds:
        out: Inst = dict(inst)
        touched = False
        for k, v in inst.items():
            a = _array(v)
            if a is None or a.dtype.kind != "f":
                continue
            if square_stack(a) and not (k in layout.derived and layout.derived[k][0] in inst):
                fresh = _fresh_family(rng, kind, a.shape[0], a.shape[1])
                out[k] = fresh * ((_lam1(a) or 1.0) / (_lam1(fresh) or 1.0))
                touched = True
            elif a.ndim == 2 and (k in sources or k in members_axis) and kind in rank_one:
                transposed = sources.get(k, members_axis.get(k) == 1)
                n, d = (a.shape[1], a.shape[0]) if transposed else a.shape
                _, G = _fresh_family(rng, kind, n, d, gradients=True)
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
        lambda: list(kind_moves(inst, layout, rng, (str(rng.choice(_kinds()[0])),))),
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
    all_kinds = _kinds()[0]
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
    fresh = list(kind_moves(out, layout, rng, (str(rng.choice(_kinds()[0])),)))
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
