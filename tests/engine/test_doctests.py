"""The docstring examples (``Examples`` sections) of every engine module run as doctests.

The modules are discovered (every module and package under ``verifythm/``), so a new module
is covered without editing a list.  A module that cannot be imported because an optional
dependency (torch, scikit-learn, ...) is not installed is skipped with that reason; where the
dependency is installed it runs like any other.  ``verifythm.__main__`` is left out: importing
it runs the command-line interface.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import verifythm

#: Optional dependencies (pyproject extras): a module that needs one is skipped without it.
OPTIONAL = ("torch", "torchvision", "sklearn", "dask", "distributed", "matplotlib")

#: Modules that are run as ``python -m`` entry points; importing them has side effects.
NOT_IMPORTED = {"verifythm.__main__"}


def engine_modules() -> list[str]:
    """Every module and package of ``verifythm``, found on disk without importing any of them.

    :func:`pkgutil.iter_modules` per package directory, recursively: the same names as
    :func:`pkgutil.walk_packages`, which would import each package to find its children.
    """
    names = ["verifythm"]

    def walk(path: Path, prefix: str) -> None:
        for info in pkgutil.iter_modules([str(path)]):
            name = prefix + info.name
            if name in NOT_IMPORTED:
                continue
            names.append(name)
            if info.ispkg:
                walk(path / info.name, name + ".")

    walk(Path(verifythm.__file__).resolve().parent, "verifythm.")
    return names


MODULES = engine_modules()

# modules whose docstrings must carry at least one example (so that losing them is noticed)
MUST_HAVE_EXAMPLES = {
    "verifythm.linalg.validate",
    "verifythm.quantities.binary_kl",
    "verifythm.linalg.psd",
    "verifythm.quantities.pacbayes",
    "verifythm.dynamics.sampling",
    "verifythm.dynamics.stability",
    "verifythm.dynamics.symeig",
    "verifythm.evidence.explored",
    "verifythm.evidence.montecarlo",
    "verifythm.search.sweep",
    "verifythm.evidence.power_law",
    "verifythm.strategies.models",
}


def _import_or_skip(name: str) -> ModuleType:
    """Import ``name``; skip when it needs an optional dependency that is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing = (exc.name or "").split(".", 1)[0]
        if missing in OPTIONAL and importlib.util.find_spec(missing) is None:
            pytest.skip(f"{name} needs the optional dependency {missing}, which is not installed")
        raise


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = _import_or_skip(name)
    result = doctest.testmod(
        module,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        report=True,
        verbose=False,
    )
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed (see output above)"
    if name in MUST_HAVE_EXAMPLES:
        assert result.attempted > 0, f"{name} has no docstring examples"


def test_discovery_finds_the_engine() -> None:
    """The discovered list covers the sub-packages and every module that must carry examples."""
    assert MUST_HAVE_EXAMPLES <= set(MODULES), sorted(MUST_HAVE_EXAMPLES - set(MODULES))
    for sub in ("backends", "claims", "dynamics", "evidence", "linalg", "quantities", "report", "search"):
        assert f"verifythm.{sub}" in MODULES, sub
    assert len(MODULES) == len(set(MODULES))


def test_a_missing_optional_dependency_skips_and_any_other_import_error_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without torch a module that needs it is skipped, naming torch; other failures still fail."""

    def fail(name: str) -> None:
        raise ImportError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(importlib, "import_module", lambda name: fail("torch"))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(pytest.skip.Exception, match="optional dependency torch"):
        _import_or_skip("verifythm.backends.torch_backend")
    monkeypatch.setattr(importlib, "import_module", lambda name: fail("numpy"))
    with pytest.raises(ImportError):
        _import_or_skip("verifythm.linalg.psd")
