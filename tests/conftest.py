"""Shared fixtures of the engine test-suite."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent


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
