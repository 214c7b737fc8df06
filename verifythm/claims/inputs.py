r"""Declared instance schemas: the engine reads an instance once, so claims stop converting by hand.

An *instance* is a mapping of named numbers and arrays; its values arrive as Python floats,
numpy scalars, lists (from Hypothesis strategies) or arrays (from generators and saved
``.npz`` counterexamples).  A claim that declares ``inputs={"X": array(2), "B": INT, "eta":
REAL}`` receives, in its conclusion, its precise conclusion and its hypotheses, the instance
with those keys converted exactly as a module used to convert them by hand:

==========  =======================================  ============================================
kind        conversion                               replaces
==========  =======================================  ============================================
``REAL``    ``float(v)``                             ``float(inst["eta"])``
``INT``     ``int(v)``                               ``int(inst["B"])``
``array``   ``np.asarray(v, dtype=float)``           ``np.asarray(inst["X"], float)``
==========  =======================================  ============================================

``array(ndim)`` also states the number of axes; a value with other axes is rejected with a
``ValueError`` naming the key (the shape a statement is about is part of its setting).  Keys
the schema does not name, and declared keys absent from an instance, pass through untouched;
the caller's mapping is never modified (saved counterexamples keep what was drawn).

The conversions are the hand-written ones, so declaring a schema changes no verdict: declare
a key only where every use in the claim converted it this way.

Examples
--------
>>> from verifythm.claims.inputs import INT, REAL, array, normalise
>>> inst = normalise({"X": array(2), "B": INT, "eta": REAL}, {"X": [[1, 2]], "B": 3.0, "eta": 1, "tag": "a"})
>>> inst["X"].dtype, inst["B"], inst["eta"], inst["tag"]
(dtype('float64'), 3, 1.0, 'a')
>>> normalise({"X": array(2)}, {"X": [1.0, 2.0]})
Traceback (most recent call last):
...
ValueError: X: expected an array with 2 axes, got shape (2,)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["INT", "REAL", "Input", "array", "normalise", "reads_inputs"]


@dataclass(frozen=True)
class Input:
    """How the engine reads one key of an instance before a claim sees it.

    Parameters
    ----------
    kind
        ``"real"`` (``float``), ``"int"`` (``int``) or ``"array"`` (float64 ndarray).
    ndim
        For arrays, the number of axes the statement is about (``None``: any).
    """

    kind: str
    ndim: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("real", "int", "array"):
            raise ValueError(f"kind: expected 'real', 'int' or 'array', got {self.kind!r}")
        if self.ndim is not None and (self.kind != "array" or self.ndim < 0):
            raise ValueError(f"ndim: only an array input has axes (kind {self.kind!r}, ndim {self.ndim!r})")

    def read(self, name: str, value: Any) -> Any:
        """The value of key ``name`` as the claim sees it."""
        if self.kind == "real":
            return float(value)
        if self.kind == "int":
            return int(value)
        import numpy as np  # here, not at import: `verifythm --help` loads the claim model, never numpy

        out = np.asarray(value, dtype=float)
        if self.ndim is not None and out.ndim != self.ndim:
            raise ValueError(f"{name}: expected an array with {self.ndim} axes, got shape {out.shape}")
        return out


#: A real scalar, read with ``float``.
REAL = Input("real")
#: An integer, read with ``int``.
INT = Input("int")


def array(ndim: int | None = None) -> Input:
    """A float64 array, with ``ndim`` axes when given (``array(2)``: a matrix)."""
    return Input("array", ndim)


def normalise(schema: Mapping[str, Input], instance: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``instance`` with the keys of ``schema`` read as declared."""
    out = dict(instance)
    for name, spec in schema.items():
        if name in out:
            out[name] = spec.read(name, out[name])
    return out


class _Reading:
    """``fn`` applied to the normalised instance (picklable when ``fn`` is)."""

    def __init__(self, schema: Mapping[str, Input], fn: Callable[[Any], Any]) -> None:
        self.schema = dict(schema)
        self.raw = fn
        functools.update_wrapper(self, fn)

    def __call__(self, instance: Mapping[str, Any]) -> Any:
        return self.raw(normalise(self.schema, instance))

    def __eq__(self, other: object) -> bool:
        # a variant re-wraps its callables; equal readings keep claims and hypotheses equal
        return isinstance(other, _Reading) and self.raw == other.raw and self.schema == other.schema

    def __hash__(self) -> int:
        return hash((self.raw, tuple(self.schema.items())))

    def __getattr__(self, name: str) -> Any:
        # the engine reads attributes of a conclusion object (e.g. ``statistical``): pass them on
        if name in ("raw", "schema"):  # not yet set (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.raw, name)


def reads_inputs(schema: Mapping[str, Input], fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn`` applied to the instance normalised by ``schema`` (a wrapper is never wrapped twice)."""
    return _Reading(schema, fn.raw if isinstance(fn, _Reading) else fn)
