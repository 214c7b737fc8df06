"""Results memoised within one process, keyed by the exact bytes of the arrays they come from.

A catalogue module sometimes asks for the same expensive quantity several times in one run:
a hypothesis, the conclusion and its precise re-check of one instance solve the same linear
programme; a corollary re-checks the fixed instances of its theorem.  :class:`ArrayMemo`
returns the first result again for an instance whose entries have the same dtype, shape and
bytes, and forgets the least recently used beyond a bound.  Nothing is kept across processes
or runs, so every run computes its evidence itself.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import numpy as np

T = TypeVar("T")


class ArrayMemo(Generic[T]):
    """An LRU memo keyed by the dtype, shape and bytes of named arrays.

    Parameters
    ----------
    kept
        How many results are kept (the least recently used is dropped first).
    """

    def __init__(self, kept: int) -> None:
        if kept < 1:
            raise ValueError(f"kept: expected a positive integer, got {kept!r}")
        self.kept = kept
        self._store: OrderedDict[tuple[Any, ...], T] = OrderedDict()

    def get(self, entries: Mapping[str, Any], compute: Callable[[], T]) -> T:
        """The result for ``entries``: the memoised one, or ``compute()`` (then kept).

        Callers that hand out mutable results should return a copy.
        """
        key = tuple(
            (k, a.dtype.str, a.shape, a.tobytes()) for k in sorted(entries) for a in [np.asarray(entries[k])]
        )
        if key in self._store:
            self._store.move_to_end(key)
            return self._store[key]
        value = compute()
        self._store[key] = value
        if len(self._store) > self.kept:
            self._store.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._store)
