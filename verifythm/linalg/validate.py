r"""Scalar argument validators shared by the whole engine (the bottom of its layering).

Every public function of the engine validates its arguments and names the offending one
in a one-line ``ValueError`` (the CLI prints that line and exits with status 2).  The
scalar checks (a positive real, a probability, an integer in a range, a batch size) are
written once, here; modules keep their own wording by passing it in, so every message
reads as it always has: ``"{name}: {requirement}, got {value!r}"``.

This module imports nothing from :mod:`verifythm`, so any module may use it.

Examples
--------
>>> check_positive(0.5, "eta")
0.5
>>> check_probability(1.5, "q")
Traceback (most recent call last):
...
ValueError: q: expected a probability in [0, 1], got 1.5
>>> check_int(0, "k", low=1, expected="expected an integer >= 1")
Traceback (most recent call last):
...
ValueError: k: expected an integer >= 1, got 0
"""

from __future__ import annotations

import math
import numbers


def _as_float(value: object, name: str, expected: str, *, real_only: bool) -> float:
    """``float(value)``, or a ``ValueError`` ``"{name}: {expected}, got {value!r}"``.

    ``real_only`` accepts only real numbers (no bool, no numeric string); otherwise
    anything ``float()`` converts is accepted (``"2"``, ``True``).
    """
    if real_only:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"{name}: {expected}, got {value!r}")
        return float(value)
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {expected}, got {value!r}") from None


def check_positive(
    x: float,
    name: str,
    *,
    expected: str = "expected a positive number",
    invalid: str = "must be a finite number > 0",
    real_only: bool = False,
) -> float:
    """Validate a finite scalar > 0 (e.g. a learning rate η) and return it as ``float``.

    Parameters
    ----------
    x
        The value; anything ``float()`` converts, or only real numbers with ``real_only``.
    name
        Argument name that starts the error message.
    expected
        Message when ``x`` is not a number.
    invalid
        Message when ``x`` is NaN, infinite or ``<= 0``.
    real_only
        Reject bools and non-numbers (strings) instead of converting them.

    Raises
    ------
    ValueError
        ``"{name}: {expected}, got {x!r}"`` or ``"{name}: {invalid}, got {x!r}"``.

    Examples
    --------
    >>> check_positive("2", "eta")
    2.0
    >>> check_positive(0.0, "eta")
    Traceback (most recent call last):
    ...
    ValueError: eta: must be a finite number > 0, got 0.0
    """
    v = _as_float(x, name, expected, real_only=real_only)
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"{name}: {invalid}, got {x!r}")
    return v


def check_nonnegative(x: float, name: str, *, expected: str = "expected a number >= 0") -> float:
    """Validate a number ``>= 0`` (``+inf`` included, NaN not) and return it as ``float``.

    Raises
    ------
    ValueError
        ``"{name}: {expected}, got {x!r}"`` if ``x`` is not a number, NaN or negative.

    Examples
    --------
    >>> check_nonnegative(0, "c"), check_nonnegative(float("inf"), "c")
    (0.0, inf)
    >>> check_nonnegative(-1.0, "c")
    Traceback (most recent call last):
    ...
    ValueError: c: expected a number >= 0, got -1.0
    """
    v = _as_float(x, name, expected, real_only=False)
    if not v >= 0.0:  # NaN fails too
        raise ValueError(f"{name}: {expected}, got {x!r}")
    return v


def check_probability(q: float, name: str, *, open_interval: bool = False) -> float:
    """Validate a probability in ``[0, 1]`` (or in ``(0, 1)`` with ``open_interval``).

    Raises
    ------
    ValueError
        ``"{name}: expected a probability in [0, 1], got {q!r}"`` (``(0, 1)`` when open) if
        ``q`` is not a number, NaN, or outside the interval.

    Examples
    --------
    >>> check_probability(0.0, "q"), check_probability("0.5", "delta", open_interval=True)
    (0.0, 0.5)
    >>> check_probability(0.0, "delta", open_interval=True)
    Traceback (most recent call last):
    ...
    ValueError: delta: expected a probability in (0, 1), got 0.0
    """
    expected = "expected a probability in (0, 1)" if open_interval else "expected a probability in [0, 1]"
    x = _as_float(q, name, expected, real_only=False)
    inside = 0.0 < x < 1.0 if open_interval else 0.0 <= x <= 1.0
    if not inside:  # NaN is outside
        raise ValueError(f"{name}: {expected}, got {q!r}")
    return x


def check_int(
    value: object,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    expected: str = "expected an integer",
) -> int:
    """Validate an integer (not a bool) with ``low <= value <= high`` and return it as ``int``.

    Parameters
    ----------
    value
        Any :class:`numbers.Integral` (``int``, numpy integers); bools are rejected.
    name
        Argument name that starts the error message.
    low, high
        Inclusive bounds (``None``: unbounded).
    expected
        Message when ``value`` is not an integer or out of range:
        ``"{name}: {expected}, got {value!r}"`` (:func:`check_in_range` words the range).

    Examples
    --------
    >>> check_int(3, "k", low=1, high=5)
    3
    >>> check_int(True, "k")
    Traceback (most recent call last):
    ...
    ValueError: k: expected an integer, got True
    >>> check_int(6, "n", low=1, high=5, expected="expected an integer 1 <= n <= 5")
    Traceback (most recent call last):
    ...
    ValueError: n: expected an integer 1 <= n <= 5, got 6
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}: {expected}, got {value!r}")
    v = int(value)
    if (low is not None and not low <= v) or (high is not None and not v <= high):
        raise ValueError(f"{name}: {expected}, got {value!r}")
    return v


def check_count(value: object, name: str, *, minimum: int = 1) -> int:
    """Validate an integer ``>= minimum`` (a count: steps, trajectories, a size cap).

    Examples
    --------
    >>> check_count(0, "steps", minimum=0)
    0
    >>> check_count(0, "trajectories")
    Traceback (most recent call last):
    ...
    ValueError: trajectories: expected an integer >= 1, got 0
    """
    return check_int(value, name, low=minimum, expected=f"expected an integer >= {minimum}")


def check_in_range(value: object, name: str, low: int, high: int) -> int:
    """Validate an integer in ``[low, high]`` (e.g. a subspace dimension ``1 <= k <= p``).

    Examples
    --------
    >>> check_in_range(4, "k", 1, 3)
    Traceback (most recent call last):
    ...
    ValueError: k: must lie in [1, 3], got 4
    """
    v = check_int(value, name)
    if not low <= v <= high:
        raise ValueError(f"{name}: must lie in [{low}, {high}], got {v}")
    return v


def check_batch_size(batch_size: int, n: int, name: str = "batch_size") -> int:
    """Validate ``1 <= batch_size <= n`` (an integer) and return it as ``int``.

    Examples
    --------
    >>> check_batch_size(3, 10)
    3
    >>> check_batch_size(11, 10)
    Traceback (most recent call last):
    ...
    ValueError: batch_size: batch size must lie in [1, n] = [1, 10], got 11
    """
    b = check_int(batch_size, name, expected="expected an integer batch size")
    if not 1 <= b <= n:  # compared as given: an n that is not a number fails here, loudly
        raise ValueError(f"{name}: batch size must lie in [1, n] = [1, {n}], got {b}")
    return b
