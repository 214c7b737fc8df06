"""Repository-wide pytest configuration: the measured slow tests of ``tests/slow_tests.txt``, workers.

Node ids listed there (tests under ``tests/engine`` and ``tests/catalogue``, catalogue checks
under ``theorems/``) are marked ``slow``: the default run (pyproject ``-m 'not slow'``) leaves
them out and ``python -m pytest -m slow`` runs them; CI runs both.  The hook lives at the root so that it
sees the catalogue's items too.

The runs are spread over worker processes (pytest-xdist, ``-n auto`` in pyproject): one per
usable CPU, at most :data:`MAX_WORKERS` (each worker imports the whole catalogue, about 0.6 GB);
``-n 0`` runs everything in one process.  Every check draws from its own fixed seed, so the
verdicts do not depend on which worker runs it.
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


#: Upper bound on ``-n auto``'s workers.
MAX_WORKERS = 8


def pytest_xdist_auto_num_workers(config):  # type: ignore[no-untyped-def]
    """``-n auto``: one worker per CPU this process may use (its affinity mask), at most 8."""
    from verifythm.pool import usable_cpus

    return min(MAX_WORKERS, usable_cpus())
