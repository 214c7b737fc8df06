"""Fixtures and hooks of the test-suite; the shared helpers live in ``tests/support.py``.

The Hypothesis profile (``VERIFYTHM_HYPOTHESIS_PROFILE``, see :mod:`support`) is loaded here,
at import, so that it is in place before any test module builds its settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support import REPO_ROOT, TESTS_DIR, load_hypothesis_profile

pytest_plugins = ["pytester"]

load_hypothesis_profile()


@pytest.fixture(autouse=True)
def _seed_only_draws():  # type: ignore[no-untyped-def]
    """Plain ``@given`` tests draw from their seed alone, like the catalogue's property checks.

    Hypothesis otherwise mixes in constants mined from every local module, so a draw changed
    whenever anyone edited any source file (see :mod:`verifythm.evidence.hypothesis_env`).
    """
    from verifythm.evidence.hypothesis_env import seed_only_draws

    with seed_only_draws():
        yield


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
