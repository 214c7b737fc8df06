"""The verifythm catalogue: one module per encoded result, grouped by paper.

Each module exposes ``CLAIM`` or ``CLAIMS``; the registry discovers them through
the ``verifythm.catalogues`` entry point.  Modules starting with ``_`` are skipped.

The repository keeps this package in ``theorems/``; it installs as ``verifythm_theorems``
(see ``setup.py``), the name the registry, reports and pickles use.  In a checkout the folder
is also importable as ``theorems`` (pytest collects ``theorems/…/x.py`` under that name): then
``theorems.X`` *is* ``verifythm_theorems.X``, the same module object, so no claim is built
twice.  Without an installed ``verifythm_theorems`` (a bare source tree on ``sys.path``) the
package simply works as ``theorems``.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

#: The name the catalogue is installed under.
INSTALLED_NAME = "verifythm_theorems"
#: The repository folder's name, an alias of :data:`INSTALLED_NAME` in a checkout.
CHECKOUT_NAME = "theorems"


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve ``theorems.X`` to the already importable ``verifythm_theorems.X``."""

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(CHECKOUT_NAME + "."):
            return None
        real = importlib.util.find_spec(INSTALLED_NAME + fullname[len(CHECKOUT_NAME) :])
        if real is None:
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=real.origin)
        spec.submodule_search_locations = real.submodule_search_locations
        spec.has_location = real.has_location
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(INSTALLED_NAME + spec.name[len(CHECKOUT_NAME) :])
        spec.loader_state = module.__spec__  # the import system overwrites it; restored below
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run (the module ran under its installed name); restore its own spec."""
        alias = module.__spec__
        if alias is not None and alias.loader_state is not None:
            module.__spec__ = alias.loader_state

    def get_code(self, fullname: str) -> object:
        """The real module's code (``python -m theorems.x._figures`` runs it as ``__main__``)."""
        real = importlib.util.find_spec(INSTALLED_NAME + fullname[len(CHECKOUT_NAME) :])
        if real is None or real.loader is None:
            raise ImportError(f"no code for {fullname}")
        return real.loader.get_code(real.name)  # type: ignore[attr-defined]


def _installed_here() -> ModuleType | None:
    """``verifythm_theorems`` when it is this very folder (an editable install), else ``None``."""
    try:
        spec = importlib.util.find_spec(INSTALLED_NAME)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or Path(spec.origin).resolve() != Path(__file__).resolve():
        return None
    return importlib.import_module(INSTALLED_NAME)


if __name__ == CHECKOUT_NAME:
    _real = _installed_here()
    if _real is not None:
        if not any(isinstance(f, _Alias) for f in sys.meta_path):
            sys.meta_path.insert(0, _Alias())
        sys.modules[CHECKOUT_NAME] = _real
