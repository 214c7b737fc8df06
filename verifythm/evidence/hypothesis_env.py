"""Hypothesis draws that depend on the seed alone, not on where verifythm is installed.

Hypothesis (≥ 6.13x) mixes into its draws the literal constants it finds in the source of
every *local* module loaded (any module outside site-packages), and caches them under
``.hypothesis/constants/`` in the working directory.  So the same seed drew different
instances for an editable and a wheel install of verifythm (83 property checks differed), and
``verifythm check`` created a ``.hypothesis/`` folder although the example database is off.
:func:`seed_only_draws` switches that pool off while a property check runs: the draws then
depend only on the seed, the strategy and Hypothesis' own built-in constants.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def seed_only_draws() -> Iterator[None]:
    """Context in which Hypothesis draws no constants from local modules (see the module doc).

    A no-op on Hypothesis versions without the local-constants pool.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis without the module
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    constants = getattr(providers, "Constants", None)
    if original is None or constants is None:  # pragma: no cover - an older Hypothesis
        yield
        return
    # Hypothesis caches, per choice type, the constants it allows; an entry cached outside
    # this context (any earlier draw in the process) still holds local constants, so the
    # context draws with a cache of its own.
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    providers._get_local_constants = lambda: constants()
    if cache is not None:
        providers.CONSTANTS_CACHE = type(cache)(cache.max_size) if hasattr(cache, "max_size") else {}
    try:
        yield
    finally:
        providers._get_local_constants = original
        if cache is not None:
            providers.CONSTANTS_CACHE = cache
