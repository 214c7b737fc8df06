"""Argument validation shared by the generators and strategies: ``ValueError`` names the argument.

Checks of plain values (integers, finite floats, booleans, non-negative vectors, a numpy
generator) and of the spectrum controls of a PSD matrix (``rank``, ``condition``, ``scale``
or an explicit ``spectrum``).  The per-kind parameter rules live with the kinds
(:mod:`verifythm.strategies.families.kinds`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm.linalg.psd import Array


def int_arg(x: Any, name: str, lo: int, hi: int | None = None) -> int:
    """``x`` as an ``int`` in ``[lo, hi]`` (no upper bound if ``hi`` is ``None``; ``bool`` rejected)."""
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise ValueError(f"{name}: expected an integer, got {x!r}")
    v = int(x)
    if v < lo or (hi is not None and v > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(f"{name}: must be {rng}, got {v}")
    return v


def float_arg(
    x: Any, name: str, lo: float | None = None, hi: float | None = None, *, open_lo: bool = False
) -> float:
    """``x`` as a finite ``float`` in ``[lo, hi]`` (``(lo, hi]`` with ``open_lo``; ``bool`` rejected)."""
    if isinstance(x, bool):
        raise ValueError(f"{name}: expected a number, got {x!r}")
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, got {x!r}") from None
    if not np.isfinite(v):
        raise ValueError(f"{name}: must be finite, got {x!r}")
    if lo is not None and (v < lo or (open_lo and v == lo)):
        raise ValueError(f"{name}: must be {'>' if open_lo else '>='} {lo}, got {v}")
    if hi is not None and v > hi:
        raise ValueError(f"{name}: must be <= {hi}, got {v}")
    return v


def bool_arg(x: Any, name: str) -> bool:
    """``x`` if it is a Python or numpy ``bool``, as ``bool``."""
    if not isinstance(x, (bool, np.bool_)):
        raise ValueError(f"{name}: expected a bool, got {x!r}")
    return bool(x)


def nonneg_vector(x: Any, name: str, d: int) -> Array:
    """A copy of ``x`` as a finite, non-negative float64 vector of shape ``(d,)``."""
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a numeric vector, got {x!r}") from None
    if a.shape != (d,):
        raise ValueError(f"{name}: expected shape ({d},), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    if np.any(a < 0):
        raise ValueError(f"{name}: entries must be >= 0")
    return a.copy()


def check_rng(rng: Any) -> np.random.Generator:
    """``rng`` if it is a :class:`numpy.random.Generator`."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def check_psd_args(
    d: int, rank: Any, condition: Any, scale: Any, spectrum: Any
) -> tuple[int, int | None, float | None, float | None, Array | None]:
    """Validate the size and spectrum controls of a PSD matrix: ``(d, rank, condition, scale, spectrum)``."""
    d = int_arg(d, "d", 1)
    if spectrum is not None:
        check_spectrum_alone(rank, condition, scale)
        return d, None, None, None, nonneg_vector(spectrum, "spectrum", d)
    return (d, *check_rank_condition_scale(rank, condition, scale, d), None)


def check_spectrum_alone(rank: Any, condition: Any, scale: Any) -> None:
    """Raise ``ValueError`` (``spectrum``) if ``rank``, ``condition`` or ``scale`` is given with it."""
    if rank is not None or condition is not None or scale is not None:
        raise ValueError("spectrum: give either spectrum or rank/condition/scale, not both")


def check_rank_condition_scale(
    rank: Any, condition: Any, scale: Any, d: int | None
) -> tuple[int | None, float | None, float | None]:
    """Validate the given (not ``None``) spectrum controls; ``d = None``: no upper bound on the rank."""
    if rank is not None:
        rank = int_arg(rank, "rank", 0, d)
    if condition is not None:
        condition = float_arg(condition, "condition", 1.0)
        if rank is not None and rank <= 1 and condition != 1.0:
            raise ValueError(f"condition: a matrix of rank {rank} has condition number 1, got {condition}")
    if scale is not None:
        scale = float_arg(scale, "scale", 0.0, open_lo=True)
    return rank, condition, scale
