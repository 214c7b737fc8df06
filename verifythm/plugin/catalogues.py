r"""Which files the pytest plugin collects as catalogue modules, and under which dotted names.

Catalogue roots are the folders of the installed ``verifythm.catalogues`` packages
(:func:`catalogue_roots`) and the packages or single modules named by the ``verifythm_import``
ini option or ``--verifythm-import`` (:func:`user_roots`); :func:`module_name` maps a file to
its dotted name.  Used by :mod:`verifythm.pytest_plugin` (the ``pytest11`` entry point), which
keeps the roots in ``config.stash`` under :data:`ROOTS_KEY` and :data:`FILES_KEY`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

__all__ = ["FILES_KEY", "ROOTS_KEY", "catalogue_roots", "installed_twin", "module_name", "user_roots"]

#: ``config.stash`` key of the catalogue roots ``[(folder, package), ...]`` of this run.
ROOTS_KEY = pytest.StashKey[list]()
#: ``config.stash`` key of the single modules named by ``verifythm_import`` (path -> dotted name).
FILES_KEY = pytest.StashKey[dict]()


def catalogue_roots() -> list[tuple[Path, str]]:
    """``(folder, package)`` for every folder of every installed ``verifythm.catalogues`` package."""
    import importlib

    from verifythm.claims.registry import catalogue_packages

    roots = []
    for name in catalogue_packages():
        try:
            pkg = importlib.import_module(name)
        except ImportError:
            continue
        for p in getattr(pkg, "__path__", []):
            roots.append((Path(p).resolve(), name))
    return roots


def user_roots(config: pytest.Config) -> tuple[list[tuple[Path, str]], dict[Path, str]]:
    """Package folders and single modules named by ``verifythm_import`` / ``--verifythm-import``.

    Raises
    ------
    pytest.UsageError
        One line naming the entry that cannot be imported.
    """
    import importlib

    from verifythm.claims.registry import import_claim_module

    specs = [*config.getini("verifythm_import"), *config.getoption("verifythm_import")]
    base = Path(str(config.rootpath))
    roots: list[tuple[Path, str]] = []
    files: dict[Path, str] = {}
    for spec in specs:
        path = Path(spec) if Path(spec).is_absolute() else base / spec
        try:
            if path.is_dir():
                path = path / "__init__.py"
            mod = import_claim_module(str(path)) if path.suffix == ".py" else importlib.import_module(spec)
        except Exception as exc:
            raise pytest.UsageError(
                f"verifythm_import: cannot import {spec!r}: {type(exc).__name__}: {exc}"
            ) from None
        if hasattr(mod, "__path__"):
            roots += [(Path(p).resolve(), mod.__name__) for p in mod.__path__]
        elif mod.__file__ is not None:
            files[Path(mod.__file__).resolve()] = mod.__name__
    return roots, files


def module_name(file_path: Path, config: pytest.Config) -> str | None:
    """The dotted module name under which ``file_path`` is a catalogue module, or ``None``.

    Files inside a catalogue package (installed or named by ``verifythm_import``), single modules
    named by ``verifythm_import``, and local twins of installed user packages
    (:func:`installed_twin`); files and folders starting with ``_`` are never collected.  The
    roots are computed once per run and kept in ``config.stash``.
    """
    roots = config.stash.get(ROOTS_KEY, None)
    if roots is None:
        extra, files = user_roots(config)
        roots = catalogue_roots() + extra
        config.stash[ROOTS_KEY] = roots
        config.stash[FILES_KEY] = files
    path = file_path.resolve()
    single = config.stash.get(FILES_KEY, {}).get(path)
    if single is not None:
        return single
    for root, pkg in roots:
        try:
            rel = path.relative_to(root)
        except ValueError:
            continue
        parts = list(rel.with_suffix("").parts)
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        if any(p.startswith("_") for p in parts):
            return None
        return ".".join([pkg, *parts])
    return installed_twin(path, config)


def installed_twin(path: Path, config: pytest.Config) -> str | None:
    """The dotted name of a local file whose user-named package was imported from elsewhere.

    ``verifythm_import = mypkg.claims`` with ``mypkg`` installed (not editable) imports the
    installed copy, while pytest walks the local folder: without this the local files match no
    imported root and pytest collects nothing, silently.  A local file under the rootdir whose
    dotted name lies in a user-named package is collected under that name (its claims come from
    the imported copy), with a warning when the two files differ.
    """
    import importlib.util

    try:
        rel = path.relative_to(Path(str(config.rootpath)).resolve())
    except ValueError:
        return None
    parts = list(rel.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or any(p.startswith("_") for p in parts):
        return None
    name = ".".join(parts)
    specs = [*config.getini("verifythm_import"), *config.getoption("verifythm_import")]
    if not any(name == s or name.startswith(s + ".") for s in specs):
        return None
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return None
    origin = Path(spec.origin).resolve()
    if origin != path and origin.is_file() and origin.read_bytes() != path.read_bytes():
        import warnings

        warnings.warn(
            f"verifythm_import: {name} is collected from the installed copy {origin}, which differs "
            f"from {path}; reinstall the package (or install it editable) to check your local edits",
            pytest.PytestWarning,
            stacklevel=1,
        )
    return name
