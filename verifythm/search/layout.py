r"""The layout of a claim's instances: which array axes share a size, which integers are coupled.

A hunt moves sizes (more members :math:`n`, more dimensions :math:`d`, the batch size
:math:`B \le n` jointly with :math:`n`) without per-claim code, so it learns the layout from
the claim's own seed instances:

* an *axis node* is ``(key, axis)`` of a numeric array; two nodes share a *group* when their
  lengths agree on every seed holding both (two axes of one key only when they always agree,
  and never the member axis of a stack of square matrices with its matrix axes);
* an integer key *equals* a group when it equals its length on every seed (a scalar ``n``),
  and is *bounded* by a group (or by another integer) when ``value <= length + offset`` on
  every seed, with the offset ``0`` (a batch size) or ``-1`` (an index), preferring the
  bound attained on some seed;
* a stack ``S`` of shape ``(n, d, d)`` is *derived* from a matrix ``G`` when
  :math:`S_i = g_i g_i^T` on every seed (rows, or columns of ``G``): moves act on ``G`` and
  ``S`` is rebuilt;
* each group gets a role label: ``n`` (members: axis 0 of a square stack, or the group
  bounding an integer ``B``), ``d`` (the axes of square matrices), a scalar's own name when
  one equals it, else ``key[axis]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Node = tuple[str, int]


def is_int(v: Any) -> bool:
    """Whether ``v`` is an integer scalar (Python or numpy, 0-d arrays included; not a bool)."""
    return (isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))) or (
        isinstance(v, np.ndarray) and v.ndim == 0 and np.issubdtype(v.dtype, np.integer)
    )


def numeric_array(v: Any) -> np.ndarray | None:
    """``v`` if it is a numeric (bool, integer or float) numpy array with ``ndim >= 1``, else ``None``."""
    if isinstance(v, np.ndarray) and v.ndim >= 1 and v.dtype.kind in "biuf":
        return v
    return None


def square_stack(v: Any) -> bool:
    """Whether ``v`` is an ``(n, d, d)`` float array (a family of square matrices)."""
    a = numeric_array(v)
    return a is not None and a.ndim == 3 and a.shape[1] == a.shape[2] and a.dtype.kind == "f"


def square_matrix(v: Any) -> bool:
    """Whether ``v`` is a ``(d, d)`` float array."""
    a = numeric_array(v)
    return a is not None and a.ndim == 2 and a.shape[0] == a.shape[1] and a.dtype.kind == "f"


def _outer_of(S: np.ndarray, G: np.ndarray) -> bool | None:
    """``False``/``True`` when ``S[i] = g_i g_i^T`` with ``g_i`` the rows/columns of ``G``."""
    n, d = S.shape[0], S.shape[1]
    scale = float(np.max(np.abs(S))) or 1.0
    for transposed, rows in ((False, G), (True, G.T)):
        if rows.shape == (n, d) and np.allclose(
            np.einsum("ni,nj->nij", rows, rows), S, rtol=1e-8, atol=1e-10 * scale
        ):
            return transposed
    return None


@dataclass
class Layout:
    """Groups of axis nodes, coupled integers and derived stacks (see the module docstring)."""

    groups: list[list[Node]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    equal: dict[str, int] = field(default_factory=dict)
    bounded: dict[str, tuple[int | str, int]] = field(default_factory=dict)
    derived: dict[str, tuple[str, bool]] = field(default_factory=dict)
    magnitudes: dict[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def learn(cls, seeds: Sequence[Mapping[str, Any]]) -> Layout:
        """Learn the layout from ``seeds`` (the claim's own instances)."""
        seeds = [s for s in seeds if isinstance(s, Mapping)][:200]
        lengths: dict[Node, list[int | None]] = {}
        for i, inst in enumerate(seeds):
            for k, v in inst.items():
                a = numeric_array(v)
                if a is None:
                    continue
                for j, m in enumerate(a.shape):
                    lengths.setdefault((k, j), [None] * len(seeds))[i] = int(m)
        nodes = sorted(lengths)
        stacks = {k for k, _ in nodes if all(square_stack(s[k]) for s in seeds if k in s)}

        def always_equal(x: Sequence[int | None], y: Sequence[int | None]) -> bool:
            both = [(p, q) for p, q in zip(x, y, strict=True) if p is not None and q is not None]
            return bool(both) and all(p == q for p, q in both)

        parent = {u: u for u in nodes}
        members: dict[Node, set[Node]] = {u: {u} for u in nodes}

        def find(u: Node) -> Node:
            while parent[u] != u:
                parent[u] = parent[parent[u]]
                u = parent[u]
            return u

        def allowed(a: set[Node], b: set[Node]) -> bool:
            for u in a:
                for w in b:
                    if u[0] == w[0] and not always_equal(lengths[u], lengths[w]):
                        return False
                    if u[0] == w[0] and u[0] in stacks and 0 in (u[1], w[1]):
                        return False
            return True

        for x in range(len(nodes)):
            for y in range(x + 1, len(nodes)):
                u, w = nodes[x], nodes[y]
                if not always_equal(lengths[u], lengths[w]):
                    continue
                ru, rw = find(u), find(w)
                if ru != rw and allowed(members[ru], members[rw]):
                    parent[rw] = ru
                    members[ru] |= members.pop(rw)
        out = cls()
        out.groups = [sorted(members[r]) for r in sorted(members)]
        index = {u: g for g, grp in enumerate(out.groups) for u in grp}
        out._couple_integers(seeds, lengths, index)
        out._find_derived(seeds, stacks)
        out._label(seeds, stacks)
        for inst in seeds:  # per float key, the smallest and largest nonzero magnitude
            for k, v in inst.items():
                a = np.asarray(v)
                if a.dtype.kind == "f" and a.size and np.all(np.isfinite(a)):
                    top = float(np.max(np.abs(a)))
                    if top > 0:
                        lo, hi = out.magnitudes.get(k, (top, top))
                        out.magnitudes[k] = (min(lo, top), max(hi, top))
        return out

    def _couple_integers(self, seeds: Sequence[Mapping[str, Any]], lengths: dict, index: dict) -> None:
        ints = sorted({k for s in seeds for k, v in s.items() if is_int(v)})
        for k in ints:
            vals = [int(s[k]) if k in s and is_int(s[k]) else None for s in seeds]
            best: tuple[float, int | str, int] | None = None
            sources: list[tuple[int | str, list[int | None]]] = [
                (g, lengths[grp[0]]) for g, grp in enumerate(self.groups)
            ]
            sources += [(o, [int(s[o]) if o in s and is_int(s[o]) else None for s in seeds]) for o in ints]
            for src, lens in sources:
                if src == k:
                    continue
                pairs = [(v, m) for v, m in zip(vals, lens, strict=True) if v is not None and m is not None]
                if len(pairs) < 1:
                    continue
                if isinstance(src, int) and all(v == m for v, m in pairs) and k not in self.equal:
                    self.equal[k] = src
                    break
                off = max(v - m for v, m in pairs)
                if off not in (0, -1) or all(v == m for v, m in pairs):
                    continue
                attained = sum(v - m == off for v, m in pairs) / len(pairs)
                slack = float(np.mean([m - v for v, m in pairs]))
                key = (attained - 1e-3 * slack, src, off)
                if best is None or key[0] > best[0]:
                    best = key
            if k not in self.equal and best is not None:
                self.bounded[k] = (best[1], best[2])

    def _find_derived(self, seeds: Sequence[Mapping[str, Any]], stacks: set[str]) -> None:
        for S in sorted(stacks):
            for G in sorted({k for s in seeds for k in s if k != S}):
                votes = []
                for s in seeds:
                    if S in s and G in s and numeric_array(s[G]) is not None and np.ndim(s[G]) == 2:
                        votes.append(_outer_of(np.asarray(s[S], float), np.asarray(s[G], float)))
                if votes and all(v is not None for v in votes) and len(set(votes)) == 1:
                    self.derived[S] = (G, bool(votes[0]))
                    break

    def _label(self, seeds: Sequence[Mapping[str, Any]], stacks: set[str]) -> None:
        labels = []
        for g, grp in enumerate(self.groups):
            named = [k for k, src in self.equal.items() if src == g]
            if any(k in stacks and j == 0 for k, j in grp):
                lab = "n"
            elif any(
                b == g and k.lower() in ("b", "batch", "batch_size") for k, (b, _) in self.bounded.items()
            ):
                lab = "n"
            elif any(
                (k in stacks and j > 0) or all(square_matrix(s[k]) for s in seeds if k in s) for k, j in grp
            ):
                lab = "d"
            elif named:
                lab = named[0]
            else:
                lab = f"{grp[0][0]}[{grp[0][1]}]"
            labels.append(lab)
        # a 2-D key with the member axis on one side has its dimension on the other
        for g, grp in enumerate(self.groups):
            if labels[g] != "n":
                continue
            for k, j in grp:
                for h, other in enumerate(self.groups):
                    if labels[h].startswith(f"{k}[") and any(kk == k and jj != j for kk, jj in other):
                        labels[h] = "d"
        self.labels = labels

    # -- queries on an instance ---------------------------------------------------------------
    def length(self, inst: Mapping[str, Any], g: int) -> int | None:
        """The current length of group ``g`` in ``inst`` (its first node present)."""
        for k, j in self.groups[g]:
            a = numeric_array(inst.get(k))
            if a is not None and a.ndim > j:
                return int(a.shape[j])
        return None

    def present(self, inst: Mapping[str, Any]) -> list[int]:
        """Groups with a node in ``inst``."""
        return [g for g in range(len(self.groups)) if self.length(inst, g) is not None]

    def bound(self, inst: Mapping[str, Any], key: str) -> int | None:
        """The upper bound of integer ``key`` in ``inst`` (``None`` when unbounded)."""
        if key not in self.bounded:
            return None
        src, off = self.bounded[key]
        m = self.length(inst, src) if isinstance(src, int) else (int(inst[src]) if src in inst else None)
        return None if m is None else m + off

    def sizes(self, inst: Mapping[str, Any]) -> dict[str, int]:
        """Role label → length in ``inst`` (and integer sizes named ``n``/``d``)."""
        out: dict[str, int] = {}
        for g in self.present(inst):
            m = self.length(inst, g)
            if m is not None:
                out[self.labels[g]] = max(out.get(self.labels[g], 0), m)
        for k in ("n", "d", "p", "m"):
            if k in inst and is_int(inst[k]) and k not in out:
                out[k] = int(inst[k])
        return out
