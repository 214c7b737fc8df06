r"""Block-wise passes over large gradient arrays, before the Gram matrix :math:`K` is formed.

The pieces :mod:`verifythm.linalg.gram` (and the ``p × p`` routes of
:mod:`verifythm.dynamics.family` and :mod:`verifythm.quantities.tall`) share: validating a real
array without copying it, :math:`\max|G|` over blocks of a (memory-mapped) array, the exact
power-of-two scale derived from it, the block length, and the memory check of an ``n × n``
Gram matrix.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.memory import require_memory
from verifythm.linalg.psd import Array, pow2_exponent

#: Default number of float64 bytes per block of ``Q`` converted at a time (32 MiB).
DEFAULT_BLOCK_BYTES = 1 << 25


def pow2_scale(m: float) -> float:
    """A power of two ``c`` with ``m/2 < c <= m`` for finite ``m > 0`` (exact division, no overflow).

    Examples
    --------
    >>> pow2_scale(3.0), pow2_scale(1.0), pow2_scale(0.3)
    (2.0, 1.0, 0.25)
    """
    return math.ldexp(1.0, pow2_exponent(m))


def as_real_array(x: object, name: str) -> np.ndarray:
    """``x`` as a real numeric ndarray without copying a float32/float64 array or memmap.

    Booleans become float64; any other non-numeric dtype raises ``ValueError`` naming ``name``.
    """
    a = x if isinstance(x, np.ndarray) else np.asarray(x)
    if a.dtype == object or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        if np.issubdtype(a.dtype, np.bool_):
            return a.astype(np.float64)
        raise ValueError(f"{name}: expected a real numeric array, got dtype {a.dtype}")
    return a


def require_gram_memory(n: int, name: str) -> None:
    r"""Refuse, before allocating, an ``n × n`` Gram matrix (and its eigendecomposition) that cannot fit.

    Six ``n × n`` float64 arrays: :math:`\hat K`, its symmetrised copy, and the eigenvectors and
    workspace of a symmetric eigensolver (:mod:`verifythm.linalg.memory`).
    """
    require_memory(
        6.0 * 8.0 * float(n) ** 2,
        f"the n × n Gram matrix K = GGᵀ and its eigendecomposition (n = {n})",
        name=name,
    )


def max_abs(G: np.ndarray, name: str, block: int = 1 << 22) -> float:
    """``max |G|`` of a 2-d array over blocks of at most ``block`` entries (``G`` may be a memory map).

    Raises
    ------
    ValueError
        Naming ``name`` if ``G`` has NaN or infinite entries.
    """
    n, p = G.shape
    cols = max(1, min(p, block))  # whole rows where they fit: contiguous reads of a C-ordered map
    rows = max(1, min(n, block // cols))
    m = 0.0
    for i in range(0, n, rows):
        for j in range(0, p, cols):
            b = np.abs(np.asarray(G[i : i + rows, j : j + cols], dtype=np.float64))
            if b.size:
                mb = float(np.max(b))
                if not math.isfinite(mb):
                    raise ValueError(f"{name}: contains NaN or infinite entries")
                m = max(m, mb)
    return m


def block_length(n: int, block: int | None, name: str) -> int:
    """Parameters per block for ``n`` samples: ``block`` validated, or about :data:`DEFAULT_BLOCK_BYTES`.

    Raises
    ------
    ValueError
        Naming ``name`` if ``block`` is not a positive integer.
    """
    if block is None:
        return max(1, DEFAULT_BLOCK_BYTES // (8 * max(n, 1)))
    if int(block) != block or block < 1:
        raise ValueError(f"{name}: block length must be a positive integer, got {block!r}")
    return int(block)


class BlockGramSum:
    r"""Running sum :math:`\hat K = \sum_b (Q_b/c)^T(Q_b/c)` of block Gram matrices, one power-of-two scale.

    Each block is converted to float64 and divided by the running scale :math:`c` (a power of
    two, raised, with :math:`\hat K` rescaled exactly, when a block has larger entries), so
    :math:`K = c^2\hat K` neither under- nor overflows.  :meth:`result` returns
    ``(K̂, c, p)``; :mod:`verifythm.linalg.gram` wraps them in a ``Gram``.
    """

    def __init__(self, n: int, name: str) -> None:
        require_gram_memory(n, name)
        self.khat: Array = np.zeros((n, n))
        self.scale = 0.0
        self.p = 0
        self.n = n
        self.name = name

    def add(self, block: ArrayLike, layout: Literal["pn", "np"]) -> None:
        """Add one block, ``(b, n)`` rows of :math:`Q` (``"pn"``) or ``(n, b)`` columns (``"np"``)."""
        b = np.asarray(block, dtype=np.float64)
        if b.ndim != 2:
            raise ValueError(f"{self.name}: expected 2-d blocks, got shape {b.shape}")
        n_axis = 1 if layout == "pn" else 0
        if b.shape[n_axis] != self.n:
            raise ValueError(
                f"{self.name}: block of shape {b.shape} does not have n = {self.n} samples on axis {n_axis}"
            )
        self.p += b.shape[1 - n_axis]
        if b.size == 0:
            return
        m = float(np.max(np.abs(b)))
        if not math.isfinite(m):
            raise ValueError(f"{self.name}: contains NaN or infinite entries")
        if m == 0.0:
            return
        c = pow2_scale(m)
        if self.scale == 0.0:
            self.scale = c
        elif c > self.scale:
            self.khat *= (self.scale / c) ** 2
            self.scale = c
        if self.scale != 1.0:
            if b is block or b.base is not None:
                b = b / self.scale  # b views the caller's data: never modify it
            else:
                b *= 1.0 / self.scale  # a fresh float64 copy (e.g. from float32): scale in place, exactly
        self.khat += b.T @ b if layout == "pn" else b @ b.T

    def result(self) -> tuple[Array, float, int]:
        """``(K̂, c, p)``: the symmetrised sum, its scale (1 if every block was zero), the parameter count."""
        k = (self.khat + self.khat.T) / 2
        return k, self.scale if self.scale > 0 else 1.0, self.p
