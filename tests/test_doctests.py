"""The docstring examples (``Examples`` sections) of the public engine run as doctests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "verifythm",
    "verifythm.linalg.angles",
    "verifythm.linalg.blocks",
    "verifythm.linalg.geneig",
    "verifythm.linalg.gram",
    "verifythm.linalg.memory",
    "verifythm.linalg.psd",
    "verifythm.quantities.alignment",
    "verifythm.quantities.coherence",
    "verifythm.quantities.directional",
    "verifythm.quantities.extremes",
    "verifythm.quantities.noise",
    "verifythm.quantities.pacbayes",
    "verifythm.quantities.rayleigh",
    "verifythm.quantities.spectral",
    "verifythm.quantities.summary",
    "verifythm.dynamics.sampling",
    "verifythm.dynamics.stability",
    "verifythm.dynamics.symeig",
    "verifythm.dynamics.scaling",
    "verifythm.claims.model",
    "verifythm.evidence.constant",
    "verifythm.evidence.explored",
    "verifythm.strategies.scalars",
    "verifythm.report.docs_pages",
    "verifythm.report.markdown",
]

# modules whose docstrings must carry at least one example (so the list cannot go stale silently)
MUST_HAVE_EXAMPLES = {
    "verifythm.linalg.psd",
    "verifythm.quantities.pacbayes",
    "verifythm.dynamics.sampling",
    "verifythm.dynamics.stability",
    "verifythm.dynamics.symeig",
    "verifythm.evidence.explored",
}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(
        module,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=True,
        verbose=False,
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed (see output above)"
    if name in MUST_HAVE_EXAMPLES:
        assert result.attempted > 0, f"{name} has no docstring examples"
