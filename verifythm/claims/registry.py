"""The registry: discovers catalogue modules and indexes their claims by id.

Catalogues are Python packages announced through the ``verifythm.catalogues``
entry-point group (the project's own is the top-level ``theorems`` package).  A
catalogue module exposes its claims as a module attribute ``CLAIM`` (one claim)
or ``CLAIMS`` (a sequence).  Modules whose name starts with ``_`` (such as the
template) are skipped.  The engine never imports a theorem module by name; it only
walks the packages it is given.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
import importlib.util
import pkgutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from verifythm.claims.model import Claim

ENTRY_POINT_GROUP = "verifythm.catalogues"


class UnknownClaimError(KeyError):
    """Raised for an id that is not in the registry; lists close matches."""

    def __init__(self, claim_id: str, known: Iterable[str], *, hint: str = "") -> None:
        self.claim_id = claim_id
        self.matches = difflib.get_close_matches(claim_id, list(known), n=5, cutoff=0.5)
        self.hint = hint
        super().__init__(claim_id)

    def __str__(self) -> str:
        if self.hint:
            return f"no claim has the id {self.claim_id!r}; {self.hint}"
        hint = f"; close matches: {', '.join(self.matches)}" if self.matches else ""
        return f"unknown claim id {self.claim_id!r}{hint} (see `verifythm list`)"


def claims_of_module(module: ModuleType) -> list[Claim]:
    """The claims a catalogue module exposes through ``CLAIM`` / ``CLAIMS``."""
    out: list[Claim] = []
    if isinstance(getattr(module, "CLAIM", None), Claim):
        out.append(module.CLAIM)
    for c in getattr(module, "CLAIMS", ()) or ():
        if not isinstance(c, Claim):
            raise TypeError(f"{module.__name__}.CLAIMS: {c!r} is not a Claim")
        if c not in out:
            out.append(c)
    return out


def iter_catalogue_modules(package: str | ModuleType) -> Iterator[ModuleType]:
    """Import and yield every public module of a catalogue package, in sorted order."""
    pkg = importlib.import_module(package) if isinstance(package, str) else package
    yield pkg
    paths = getattr(pkg, "__path__", None)
    if paths is None:
        return
    for info in sorted(pkgutil.walk_packages(paths, pkg.__name__ + "."), key=lambda i: i.name):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        yield importlib.import_module(info.name)


def _names(claim: Claim) -> tuple[str, ...]:
    """Every id a claim answers to: its id, then the ids it was published under."""
    return (claim.id, *claim.aliases)


class Registry:
    """An ordered, id-indexed collection of claims.

    Parameters
    ----------
    claims
        Claims to register.  Ids and aliases (:attr:`Claim.aliases`) must be unique.
    """

    def __init__(self, claims: Iterable[Claim] = ()) -> None:
        self._claims: dict[str, Claim] = {}
        self._modules: dict[str, str] = {}
        self._aliases: dict[str, str] = {}  # an id a claim was published under -> its id now
        for c in claims:
            self.add(c)

    def add(self, claim: Claim, module: str = "") -> None:
        """Register ``claim``; raise ``ValueError`` on an id or alias already taken."""
        for name in (claim.id, *claim.aliases):
            if name in self._claims or name in self._aliases:
                owner = self._aliases.get(name, name)
                where = self._modules.get(owner, "?")
                raise ValueError(f"claim id {name!r} registered twice ({where} and {module})")
        self._claims[claim.id] = claim
        self._modules[claim.id] = module
        self._aliases.update(dict.fromkeys(claim.aliases, claim.id))

    def resolve(self, claim_id: str) -> str:
        """The current id of ``claim_id``: itself, or the claim's id now if it is an alias."""
        return self._aliases.get(claim_id, claim_id)

    def module_of(self, claim_id: str) -> str:
        """Dotted name of the module that defines ``claim_id`` (empty if added directly)."""
        return self._modules.get(self.resolve(claim_id), "")

    def get(self, claim_id: str) -> Claim:
        """Return the claim with this id; raise :class:`UnknownClaimError` otherwise."""
        try:
            return self._claims[self.resolve(claim_id)]
        except KeyError:
            raise UnknownClaimError(claim_id, self._claims) from None

    def select(self, ids: Iterable[str] = (), *, prefix: bool = False) -> list[Claim]:
        """Claims selected by ``ids``; all if empty.

        Each id selects exactly that claim, or, when it contains a glob character (``*``,
        ``?``, ``[``), every claim it matches (``wu2022.lemma_g2*``).  With ``prefix=True``
        an id also selects the claims whose id starts with ``id + '.'`` (``dexter2024``
        selects the whole paper).  Selection is never silent: an id that matches nothing
        raises, and one that only a prefix match would select says how to ask for it.  An
        id, glob or prefix also matches the ids a claim was published under (its aliases).

        Raises
        ------
        UnknownClaimError
            For an id that selects nothing.
        """
        ids = list(ids)
        if not ids:
            return list(self._claims.values())
        out: list[Claim] = []
        for i in ids:
            if any(ch in i for ch in "*?["):
                group = [
                    c for c in self._claims.values() if any(fnmatch.fnmatchcase(k, i) for k in _names(c))
                ]
            else:
                below = [c for c in self._claims.values() if any(k.startswith(i + ".") for k in _names(c))]
                exact = [self._claims[self.resolve(i)]] if self.resolve(i) in self._claims else []
                group = exact + below if prefix else exact
                if not group and below:
                    raise UnknownClaimError(
                        i,
                        self._claims,
                        hint=f"{len(below)} claim(s) start with '{i}.': ask for '{i}*' or pass --prefix",
                    )
            if not group:
                raise UnknownClaimError(i, self._claims)
            out += [c for c in group if c not in out]
        return out

    def __iter__(self) -> Iterator[Claim]:
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._claims or claim_id in self._aliases

    @classmethod
    def from_packages(cls, packages: Iterable[str | ModuleType]) -> Registry:
        """Build a registry by walking catalogue packages."""
        reg = cls()
        for pkg in packages:
            for mod in iter_catalogue_modules(pkg):
                for c in claims_of_module(mod):
                    reg.add(c, mod.__name__)
        return reg


#: The shipped catalogue's installed name (the repository's ``theorems/`` folder, see setup.py).
CORE_CATALOGUE = "verifythm_theorems"


def catalogue_packages() -> list[str]:
    """Names of the catalogue packages announced through entry points (the shipped one first)."""
    from importlib import metadata  # here, not at import: it costs ~35 ms of CLI start-up

    names = [ep.value for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)]
    if not names:  # running from a source tree without installed metadata
        names = [CORE_CATALOGUE if importlib.util.find_spec(CORE_CATALOGUE) else "theorems"]
    return sorted(set(names), key=lambda n: (n not in (CORE_CATALOGUE, "theorems"), n))


_DEFAULT: Registry | None = None


def default_registry() -> Registry:
    """The registry of every installed catalogue (built once, then cached)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Registry.from_packages(catalogue_packages())
    return _DEFAULT


def import_claim_module(spec: str) -> ModuleType:
    """Import a module named by a dotted name or a ``.py`` path (claims outside the catalogue).

    A ``.py`` file inside a package (its folder has an ``__init__.py``) is imported under its
    dotted name with the package root's parent on ``sys.path``, so its relative imports and
    ``import mypkg.helpers`` work; a loose file is imported with its own folder on
    ``sys.path``, so ``import sibling`` works.

    Raises
    ------
    ImportError
        If the module cannot be imported (or the ``.py`` file does not exist).
    """
    import sys

    if not spec.endswith(".py"):
        return importlib.import_module(spec)
    path = Path(spec)
    if not path.is_file():
        raise ImportError(f"no such file {spec}")
    path = path.resolve()
    dotted = _dotted_name(path)
    if dotted is not None:
        # the folder that holds the top package (one level more for a package's __init__.py)
        _on_path(str(path.parents[dotted.count(".") + (path.stem == "__init__")]))
        mod = importlib.import_module(dotted)
        if Path(getattr(mod, "__file__", "") or "").resolve() != path:
            raise ImportError(f"{spec}: importing it as {dotted} found {mod.__file__} instead")
        return mod
    _on_path(str(path.parent))
    name = loaded_module_name(spec)
    if name in sys.modules:
        return sys.modules[name]
    sp = importlib.util.spec_from_file_location(name, path)
    if sp is None or sp.loader is None:
        raise ImportError(f"cannot load {spec}")
    mod = importlib.util.module_from_spec(sp)
    sys.modules[name] = mod
    sp.loader.exec_module(mod)
    return mod


def loaded_module_name(spec: str) -> str:
    """The ``sys.modules`` name :func:`import_claim_module` gives ``spec``."""
    if not spec.endswith(".py"):
        return spec
    path = Path(spec).resolve()
    return _dotted_name(path) or f"_verifythm_extra_{path.stem}"


def _dotted_name(path: Path) -> str | None:
    """``pkg.sub.mod`` for a file inside packages (folders with ``__init__.py``), else ``None``."""
    parts = [path.stem]
    d = path.parent
    while (d / "__init__.py").is_file() and d.parent != d:
        parts.append(d.name)
        d = d.parent
    if len(parts) == 1:
        return None
    if path.stem == "__init__":
        parts = parts[1:]
    return ".".join(reversed(parts))


def _on_path(folder: str) -> None:
    import sys

    if folder not in sys.path:
        sys.path.insert(0, folder)


def registry_with_imports(imports: Iterable[str] = ()) -> Registry:
    """The default registry plus the claims of the modules in ``imports`` (ids not yet known)."""
    base = default_registry()
    imports = list(imports)
    if not imports:
        return base
    reg = Registry()
    for c in base:
        reg.add(c, base.module_of(c.id))
    for spec in imports:
        for c in claims_of_module(import_claim_module(spec)):
            if c.id not in reg:
                # remember the spec as given, so a reproduce command can import it again
                reg.add(c, spec)
    return reg
