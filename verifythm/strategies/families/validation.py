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


def _int(x: Any, name: str, lo: int, hi: int | None = None) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise ValueError(f"{name}: expected an integer, got {x!r}")
    v = int(x)
    if v < lo or (hi is not None and v > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(f"{name}: must be {rng}, got {v}")
    return v


def _float(
    x: Any, name: str, lo: float | None = None, hi: float | None = None, *, open_lo: bool = False
) -> float:
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


def _bool(x: Any, name: str) -> bool:
    if not isinstance(x, (bool, np.bool_)):
        raise ValueError(f"{name}: expected a bool, got {x!r}")
    return bool(x)


def _vector(x: Any, name: str, d: int) -> Array:
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


def _check_rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def _check_psd_args(
    d: int, rank: Any, condition: Any, scale: Any, spectrum: Any
) -> tuple[int, int | None, float | None, float | None, Array | None]:
    d = _int(d, "d", 1)
    if spectrum is not None:
        _check_spectrum_alone(rank, condition, scale)
        return d, None, None, None, _vector(spectrum, "spectrum", d)
    return (d, *_check_rank_condition_scale(rank, condition, scale, d), None)


def _check_spectrum_alone(rank: Any, condition: Any, scale: Any) -> None:
    if rank is not None or condition is not None or scale is not None:
        raise ValueError("spectrum: give either spectrum or rank/condition/scale, not both")


def _check_rank_condition_scale(
    rank: Any, condition: Any, scale: Any, d: int | None
) -> tuple[int | None, float | None, float | None]:
    """Validate the given (not ``None``) spectrum controls; ``d = None``: no upper bound on the rank."""
    if rank is not None:
        rank = _int(rank, "rank", 0, d)
    if condition is not None:
        condition = _float(condition, "condition", 1.0)
        if rank is not None and rank <= 1 and condition != 1.0:
            raise ValueError(f"condition: a matrix of rank {rank} has condition number 1, got {condition}")
    if scale is not None:
        scale = _float(scale, "scale", 0.0, open_lo=True)
    return rank, condition, scale
