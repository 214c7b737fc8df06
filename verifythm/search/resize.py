r"""Resizing a claim instance: more (or fewer) members, more dimensions, derived keys rebuilt.

The size half of the hunt's moves (:mod:`verifythm.search.moves`, which re-exports these names):
:func:`resize` changes the length of one group of the instance's
:class:`~verifythm.search.layout.Layout` (members, labelled ``n``: copies, perturbed copies,
fresh members of a family kind or rank-one members along a worst direction; dimensions: embed,
extend or direct sum), and :func:`rebuild_derived` recomputes the keys derived from others
(e.g. :math:`S_i = g_ig_i^T`), so shapes stay consistent.  :mod:`verifythm.search.shrink`
uses both to shrink counterexamples.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from verifythm.search.layout import Layout, is_int, numeric_array, square_matrix, square_stack
from verifythm.search.space import congruence

__all__ = [
    "DIMENSION_MODES",
    "MEMBER_MODES",
    "Inst",
    "family_kinds",
    "fresh_family",
    "rebuild_derived",
    "resize",
    "top_eigenvalue_of_mean",
    "worst_directions",
]

Inst = dict[str, Any]

MEMBER_MODES = ("copy", "perturbed copy", "fresh", "rank-one worst direction")
DIMENSION_MODES = ("embed", "extend", "direct sum")


def family_kinds() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The family kinds of :mod:`verifythm.strategies.families`: all of them, and the rank-one ones."""
    from verifythm.strategies.families import FAMILY_KINDS, RANK_ONE_KINDS

    return tuple(FAMILY_KINDS), tuple(RANK_ONE_KINDS)


def top_eigenvalue_of_mean(a: np.ndarray) -> float:
    """λ₁ of the mean of a stack ``(n, d, d)`` (or of a matrix itself); 0 if the eigensolver fails."""
    m = a.mean(axis=0) if a.ndim == 3 else a
    try:
        return float(np.linalg.eigvalsh(0.5 * (m + m.T))[-1])
    except np.linalg.LinAlgError:
        return 0.0


def fresh_family(rng: np.random.Generator, kind: str, n: int, d: int, gradients: bool = False) -> Any:
    """A random family of ``kind`` (a Gaussian one where ``kind`` cannot be built at this size)."""
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
            return congruence(a[idx], 0.3, rng), "perturbed copies"
        scale = float(np.sqrt(np.mean(a**2))) or 1.0
        return a[idx] + 0.3 * scale * rng.standard_normal((k, d)), "perturbed copies"
    if a.ndim == 3:
        size = float(np.mean(np.trace(a, axis1=1, axis2=2))) if n else 1.0
    else:
        size = float(np.mean(np.sum(a**2, axis=1))) if n else 1.0
    size = size if size > 0 else 1.0
    if mode == "fresh":
        all_kinds, rank_one = family_kinds()
        pick = kind if kind in (all_kinds if a.ndim == 3 else rank_one) else "gaussian"
        got = fresh_family(rng, pick, k, d, gradients=a.ndim == 2)
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
        lam = top_eigenvalue_of_mean(a) or 1.0
        eps = lam * 10.0 ** rng.uniform(-2.0, 0.0)
        if a.ndim == 3:
            fresh = fresh_family(rng, "wishart", a.shape[0], new)
            fresh = fresh / (top_eigenvalue_of_mean(fresh) or 1.0)
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
        a = numeric_array(inst.get(k))
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
        if k in out and is_int(out[k]) and b is not None and int(out[k]) > b:
            out[k] = max(1, b) if b >= 1 else b
    rebuild_derived(out, layout)
    return out, (hows[0] if hows else "resized")
