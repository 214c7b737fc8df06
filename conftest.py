"""Repository-wide pytest configuration: the measured slow tests of ``tests/slow_tests.txt``.

Node ids listed there (engine tests under ``tests/`` and catalogue checks under ``theorems/``)
are marked ``slow``: the default run (pyproject ``-m 'not slow'``) leaves them out and
``python -m pytest -m slow`` runs them; CI runs both.  The hook lives at the root so that it
sees the catalogue's items too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SLOW_TESTS = frozenset(
    line.strip()
    for line in (Path(__file__).resolve().parent / "tests" / "slow_tests.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Mark the measured slow tests ``slow`` (deselected by default, run by ``-m slow``)."""
    for item in items:
        if item.nodeid in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
