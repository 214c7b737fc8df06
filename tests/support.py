"""Helpers shared by the test modules: paths, Hypothesis settings profiles, seeded instances.

Test modules import it as ``support`` (``from support import deterministic``): pyproject's
``[tool.pytest.ini_options] pythonpath = ["tests"]`` puts ``tests/`` on ``sys.path`` before
collection, in the main process and in every pytest-xdist worker, whatever the import mode.
``tests/`` is deliberately not a package: the planted-claim modules next to this one
(``planted``, ``planted_hunt``, ``planted_mistakes``) are imported under their bare names,
and those names are part of the reproduce commands the engine prints for their claims.

Hypothesis profiles
-------------------
:func:`load_hypothesis_profile` (called once, by ``tests/conftest.py``, before any test module
is imported) registers the profiles below and loads the one named by the environment variable
``VERIFYTHM_HYPOTHESIS_PROFILE``:

``verifythm`` (default)
    Hypothesis's own defaults, unchanged: what every ``@given`` test ran with before the
    profiles existed.
``verifythm-ci``
    Derandomized and without an example database: the tests that do not pin their draws with
    :func:`deterministic` draw the same examples on every run and write no ``.hypothesis/``.
``verifythm-debug``
    Verbose output and the reproduction blob of each failure.

They are registered before Hypothesis's pytest plugin reads its options, so
``--hypothesis-profile=NAME`` selects them too (and ``--hypothesis-verbosity`` still applies).
The profile is the parent of every test's settings: :func:`deterministic` and :func:`examples`
only add what a test pins (example count, deadline, health checks), so each test keeps its
example count and deadline under every profile.  The engine's own property checks pass an
explicit seed (``@seed``, which wins over ``derandomize``) and their own settings
(:mod:`verifythm.evidence.numeric`), so no profile changes a claim's draws or verdict.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, Verbosity, settings

from verifythm.strategies.families.legacy import FAMILIES, random_gradients

TESTS_DIR = Path(__file__).resolve().parent
"""The ``tests/`` directory (holds ``data/``, ``planted.py``, ``slow_tests.txt``)."""

REPO_ROOT = TESTS_DIR.parent
"""The repository root (holds ``pyproject.toml``, ``docs/`` and ``theorems/``)."""

DATA_DIR = TESTS_DIR / "data"
"""Reference data of the tests (``strategy_draws.json``)."""

PROFILE_ENV = "VERIFYTHM_HYPOTHESIS_PROFILE"
"""The environment variable that selects the Hypothesis profile of a test run."""

DEFAULT_PROFILE = "verifythm"
"""The profile loaded when :data:`PROFILE_ENV` is unset: Hypothesis's defaults."""

PROFILES = ("verifythm", "verifythm-ci", "verifythm-debug")
"""The registered profile names."""


def register_hypothesis_profiles() -> None:
    """Register the test-suite's Hypothesis profiles (see the module docstring)."""
    base = settings.get_profile("default")
    settings.register_profile("verifythm", base)
    settings.register_profile("verifythm-ci", base, derandomize=True, database=None)
    settings.register_profile("verifythm-debug", base, verbosity=Verbosity.verbose, print_blob=True)


def load_hypothesis_profile() -> str:
    """Register the profiles and load the one named by :data:`PROFILE_ENV`; return its name.

    Raises
    ------
    ValueError
        If the variable names no registered profile.
    """
    register_hypothesis_profiles()
    name = os.environ.get(PROFILE_ENV, "") or DEFAULT_PROFILE
    if name not in PROFILES:
        raise ValueError(f"{PROFILE_ENV}={name!r}: choose one of {', '.join(PROFILES)}")
    settings.load_profile(name)
    return name


def deterministic(max_examples: int, *suppress: HealthCheck) -> settings:
    """Reproducible settings on top of the loaded profile: derandomized, no database, no deadline.

    ``max_examples`` examples; ``suppress`` lists health checks to turn off.  Derandomized
    draws are seeded by the test function's source, so they stay put when its file moves.
    """
    return settings(
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=max_examples,
        suppress_health_check=list(suppress),
    )


def examples(max_examples: int, *suppress: HealthCheck, database: bool = True) -> settings:
    """Settings of the loaded profile with ``max_examples`` examples and no deadline.

    Unlike :func:`deterministic` the draws follow the profile (random under the default one);
    ``database=False`` keeps no example database.  ``suppress`` lists health checks to turn off.
    """
    if database:
        return settings(max_examples=max_examples, deadline=None, suppress_health_check=list(suppress))
    return settings(
        max_examples=max_examples, database=None, deadline=None, suppress_health_check=list(suppress)
    )


def gradient_instances(
    seed: int, k: int, *, max_n: int, max_p: int, residuals: bool = True
) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """``k`` seeded instances ``(Q, e)`` for square-loss quantities.

    ``Q`` has shape ``(p, n)``, ``1 <= n <= max_n``, ``1 <= p <= max_p``, drawn from the old
    gradient kinds in turn (:mod:`verifythm.strategies.families.legacy`, the generators behind
    the deprecated ``random_gradients``: same draws, no warning), never all zero; ``e`` holds
    ``n`` standard normal residuals, or is ``None`` with ``residuals=False`` (then none are drawn).
    """
    rng = np.random.default_rng(seed)
    out: list[tuple[np.ndarray, np.ndarray | None]] = []
    for i in range(k):
        n, p = int(rng.integers(1, max_n + 1)), int(rng.integers(1, max_p + 1))
        Q = random_gradients(rng, p, n, FAMILIES[i % len(FAMILIES)])
        if not np.any(Q):
            Q[0, 0] = 1.0
        out.append((Q, rng.standard_normal(n) if residuals else None))
    return out
