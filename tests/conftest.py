"""Shared fixtures of the engine test-suite."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from verifythm.strategies import FAMILIES, random_gradients

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _seed_only_draws():  # type: ignore[no-untyped-def]
    """Plain ``@given`` tests draw from their seed alone, like the catalogue's property checks.

    Hypothesis otherwise mixes in constants mined from every local module, so a draw changed
    whenever anyone edited any source file (see :mod:`verifythm.evidence.hypothesis_env`).
    """
    from verifythm.evidence.hypothesis_env import seed_only_draws

    with seed_only_draws():
        yield

TESTS_DIR = Path(__file__).resolve().parent

REPO_ROOT = TESTS_DIR.parent


def deterministic(max_examples: int, *suppress: HealthCheck) -> settings:
    """Reproducible Hypothesis settings: derandomized, no example database, no deadline.

    Test modules import it like ``tests/planted.py`` (``from conftest import deterministic``:
    pytest puts ``tests/`` on ``sys.path``).  ``suppress`` lists health checks to turn off.
    """
    return settings(
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=max_examples,
        suppress_health_check=list(suppress),
    )


def gradient_instances(
    seed: int, k: int, *, max_n: int, max_p: int, residuals: bool = True
) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """``k`` seeded instances ``(Q, e)`` for square-loss quantities.

    ``Q`` has shape ``(p, n)``, ``1 <= n <= max_n``, ``1 <= p <= max_p``, drawn from the gradient
    families in turn (never all zero); ``e`` holds ``n`` standard normal residuals, or is ``None``
    with ``residuals=False`` (then none are drawn).
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


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (holds ``pyproject.toml`` and ``theorems/``)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def planted_path() -> Path:
    """Absolute path of ``tests/planted.py`` (loadable with ``--import``)."""
    return TESTS_DIR / "planted.py"


@pytest.fixture(scope="session")
def python() -> str:
    """The interpreter running the tests (the project's virtualenv)."""
    return sys.executable
