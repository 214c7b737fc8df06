r"""The region a check explored: ranges of sizes, scales and shapes over its instances.

A ``verified`` verdict means verified *there*: over the region shown (the ``region`` column of
``docs/guides/getting_started.md``).  :class:`Region` accumulates,
over the instances that met the hypotheses and were resolved, the range of every scalar
instance key (``n``, ``d``, ``B``, ``eta`` …), the per-axis range of every array key's
shape, and the *scale* of the instance (the largest absolute entry over its float
arrays).  :meth:`Region.to_json` is the ``"explored"`` object of a check's JSON entry and
:func:`compact` the short size column of the verdict tables (e.g. ``n≤6 d≤3``).

An instance is *degenerate* when every numeric value in it is zero, or when it has a
sample count ``n = 1``: a check whose hypotheses were met only on degenerate instances has
exercised nothing and is ``vacuous``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

#: Scalar keys shown first in the compact size column, in this order.
SIZE_KEYS = ("n", "d", "p", "m", "k", "r", "B", "T")
#: Categorical values remembered per key before the list is cut.
_MAX_LEVELS = 8


def _scale(arrays: Sequence[np.ndarray]) -> float | None:
    tops = [float(np.max(np.abs(a))) for a in arrays if a.size and np.all(np.isfinite(a))]
    return max(tops) if tops else None


def is_degenerate(instance: Mapping[str, Any]) -> bool:
    """Whether ``instance`` is all zero, or has a single sample (``n == 1``)."""
    numeric = []
    for k, v in instance.items():
        a = np.asarray(v)
        if a.dtype.kind in "biuf":
            numeric.append(a)
            if k == "n" and a.ndim == 0 and int(a) == 1:
                return True
    if not numeric:
        return False
    return all(not np.any(a) for a in numeric)


class Region:
    """Accumulates the explored region of a numeric check (see the module docstring)."""

    def __init__(self) -> None:
        self.scalars: dict[str, list[float]] = {}
        self.levels: dict[str, list[str]] = {}
        self.shapes: dict[str, tuple[list[int], list[int]]] = {}
        self.scale: list[float] | None = None
        self.degenerate = 0
        self.count = 0

    def add(self, instance: Mapping[str, Any]) -> None:
        """Record one resolved instance that met the hypotheses."""
        self.count += 1
        if is_degenerate(instance):
            self.degenerate += 1
        arrays = []
        for key, value in instance.items():
            a = np.asarray(value)
            if a.dtype.kind not in "biuf":
                if a.ndim == 0:
                    lv = self.levels.setdefault(key, [])
                    s = str(value)
                    if s not in lv and len(lv) < _MAX_LEVELS:
                        lv.append(s)
                continue
            if a.ndim and a.dtype.kind == "f":
                arrays.append(a)  # the scale is that of the float data, not of sizes or step sizes
            if a.ndim == 0:
                x = float(a)
                if math.isfinite(x):
                    lo_hi = self.scalars.setdefault(key, [x, x])
                    lo_hi[0], lo_hi[1] = min(lo_hi[0], x), max(lo_hi[1], x)
                continue
            prev = self.shapes.get(key)
            if prev is None or len(prev[0]) != a.ndim:
                self.shapes[key] = (list(a.shape), list(a.shape))
            else:
                self.shapes[key] = (
                    [min(x, y) for x, y in zip(prev[0], a.shape, strict=True)],
                    [max(x, y) for x, y in zip(prev[1], a.shape, strict=True)],
                )
        sc = _scale(arrays)
        if sc is not None and sc > 0:
            self.scale = [sc, sc] if self.scale is None else [min(self.scale[0], sc), max(self.scale[1], sc)]

    @property
    def only_degenerate(self) -> bool:
        """Whether every recorded instance was degenerate (and there was at least one)."""
        return self.count > 0 and self.degenerate == self.count

    def to_json(self, *, met: int, unmet: int, unresolved: int) -> dict[str, Any]:
        """The ``"explored"`` object: ranges per key plus the instance counts."""
        out: dict[str, Any] = {
            "met": met,
            "unmet": unmet,
            "unresolved": unresolved,
            "degenerate": self.degenerate,
        }
        out["scalars"] = {k: _num_range(v) for k, v in sorted(self.scalars.items())}
        out["shapes"] = {k: {"min": lo, "max": hi} for k, (lo, hi) in sorted(self.shapes.items())}
        if self.levels:
            out["values"] = {k: v for k, v in sorted(self.levels.items())}
        out["scale"] = None if self.scale is None else _num_range(self.scale)
        return out


def _num_range(v: Sequence[float]) -> list[float | int]:
    return [int(x) if float(x).is_integer() and abs(x) < 2**53 else float(x) for x in v]


def compact(explored: Mapping[str, Any] | None, width: int = 3) -> str:
    """A short size summary such as ``n≤6 d≤3``, from an ``"explored"`` object.

    Integer size keys (:data:`SIZE_KEYS`) come first; without them, the largest shape seen of
    the array with the most entries, e.g. ``H[≤6×3×3]``.  ``—`` when nothing was explored.

    Examples
    --------
    >>> compact({"scalars": {"n": [2, 6], "d": [1, 3], "eta": [0.1, 0.5]}, "shapes": {}})
    'n≤6 d≤3'
    >>> compact({"scalars": {}, "shapes": {"H": {"min": [2, 3, 3], "max": [6, 3, 3]}}})
    'H[≤6×3×3]'
    """
    if not explored:
        return "—"
    scalars = explored.get("scalars") or {}
    parts = []
    for k in SIZE_KEYS:
        v = scalars.get(k)
        if v is not None and float(v[1]).is_integer():
            parts.append(f"{k}≤{int(v[1])}")
    if not parts:
        shapes = explored.get("shapes") or {}
        if shapes:
            key = max(shapes, key=lambda s: int(np.prod(shapes[s]["max"])))
            parts.append(f"{key}[≤{'×'.join(str(x) for x in shapes[key]['max'])}]")
    return " ".join(parts[:width]) if parts else "—"


def merge(explored: Sequence[Mapping[str, Any] | None]) -> dict[str, Any] | None:
    """The union of several ``"explored"`` objects (ranges widened, counts added).

    Examples
    --------
    >>> a = {"met": 2, "scalars": {"n": [2, 4]}, "shapes": {}}
    >>> b = {"met": 3, "scalars": {"n": [3, 9]}, "shapes": {"H": {"min": [1, 2], "max": [5, 2]}}}
    >>> m = merge([a, None, b])
    >>> m["scalars"]["n"], m["shapes"]["H"]["max"], m["met"]
    ([2, 9], [5, 2], 5)
    """
    parts = [e for e in explored if e]
    if not parts:
        return None
    out: dict[str, Any] = {"scalars": {}, "shapes": {}}
    for e in parts:
        for k in ("met", "unmet", "unresolved", "degenerate"):
            if k in e:
                out[k] = out.get(k, 0) + int(e[k])
        for k, (lo, hi) in (e.get("scalars") or {}).items():
            cur = out["scalars"].get(k)
            out["scalars"][k] = [lo, hi] if cur is None else [min(cur[0], lo), max(cur[1], hi)]
        for k, sh in (e.get("shapes") or {}).items():
            cur = out["shapes"].get(k)
            if cur is None or len(cur["max"]) != len(sh["max"]):
                out["shapes"][k] = {"min": list(sh["min"]), "max": list(sh["max"])}
            else:
                out["shapes"][k] = {
                    "min": [min(x, y) for x, y in zip(cur["min"], sh["min"], strict=True)],
                    "max": [max(x, y) for x, y in zip(cur["max"], sh["max"], strict=True)],
                }
    return out


def describe(explored: Mapping[str, Any] | None, constant: Mapping[str, Any] | None = None) -> str:
    """The explored region in words for a claim page, e.g. ``n ∈ [2, 6], H: (2..6)×3×3, scale 0.1..9``.

    Examples
    --------
    >>> describe({"scalars": {"n": [2, 6]}, "shapes": {"H": {"min": [2, 3, 3], "max": [6, 3, 3]}},
    ...           "scale": [0.1, 9.0]})
    'n ∈ [2, 6]; H: (2..6)×3×3; scale 0.1..9'
    >>> describe(None, {"fit_sizes": [16, 64], "holdout_sizes": [256, 1024]})
    'fit sizes 16, 64; held out 256, 1024'
    """
    parts: list[str] = []
    if constant:
        fit = ", ".join(_size(x) for x in constant.get("fit_sizes", []))
        held = ", ".join(_size(x) for x in constant.get("holdout_sizes", []))
        parts.append(f"fit sizes {fit}; held out {held}")
    if explored:
        for k, (lo, hi) in (explored.get("scalars") or {}).items():
            parts.append(f"{k} = {lo:g}" if lo == hi else f"{k} ∈ [{lo:g}, {hi:g}]")
        for k, sh in (explored.get("shapes") or {}).items():
            dims = [str(a) if a == b else f"({a}..{b})" for a, b in zip(sh["min"], sh["max"], strict=True)]
            parts.append(f"{k}: {'×'.join(dims)}")
        if explored.get("scale"):
            lo, hi = explored["scale"]
            parts.append(f"scale {lo:.3g}..{hi:.3g}")
    return "; ".join(parts) if parts else "—"


def _size(x: Any) -> str:
    return f"{x:g}" if isinstance(x, (int, float)) else str(x)
