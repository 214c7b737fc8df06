"""The engine's architecture, kept true: no import cycles, no upward imports, no private names
shared between modules, no catalogue imports, no oversized modules.

Every module of ``verifythm/`` is parsed with :mod:`ast` (not imported), and every import
statement counts: module level, inside functions, and under ``if TYPE_CHECKING:`` (a
type-only import still ties the two modules together).  ``from package import name`` is an
import of ``package.name`` when that is a module, else of ``package`` (its ``__init__``).

Layers, lowest first (a module may import its own layer and the layers below; derived from
what the engine does today, issue 24):

====  ============================================================================================
 0    ``linalg`` (arrays, PSD checks, the scalar validators of ``linalg.validate``), ``backends``
      (optional torch: arrays, per-sample gradients, curvature, the small networks of
      ``backends.networks``), ``interrupts``, ``search_options`` — import nothing above
 1    ``dynamics`` — the exact moment engine (families, sampling schemes, operators)
 2    ``quantities`` — the papers' quantities (spectra, alignment, noise, PAC-Bayes); they use
      the sampling constants and power-of-two scaling of ``dynamics``
 3    ``dynamics.precise``, ``dynamics.precise_engine``, ``dynamics.precise_hooks`` — the
      high-precision engine, which re-runs (and patches) both ``dynamics`` and ``quantities``
      (its context state, ``dynamics.precise_context``, imports nothing of it: layer 1);
      ``dynamics.at_minimum`` and ``backends.training`` — the exact decisions at a minimum (η*,
      ρ, wu2022's and dexter2024's bounds) from a Gram matrix, and their application to trained
      torch networks: they combine the exact engine of ``dynamics`` with the quantities of
      ``quantities`` (coherence, alignment), so they sit above both rather than the other way
      round (nothing below uses them)
 4    ``models`` — differentiable models and their problems
 5    ``strategies`` — Hypothesis strategies and seeded generators of instances
 6    ``claims`` — the claim model, reusable hypotheses, the registry
 7    ``evidence`` — the kinds of evidence; a check runs a claim; ``claims.common``, the kit of
      catalogue modules, builds the usual evidence (``symbolic`` + ``exact`` + ``property``) of a
      claim, so it sits with the evidence it builds
 8    ``search``, ``report`` — counterexample hunts, reports
 9    ``runner``, ``pool``, ``cli*``, ``pytest_plugin``, ``__main__`` and the ``verifythm``
      facade (``import verifythm`` re-exports the public API)
====  ============================================================================================

Importing dunder metadata (``from verifythm import __version__``) is allowed from any layer.
The allow-lists below are empty (issue 24 emptied them): an exception added later names its
reason there, and :func:`test_allow_lists_are_not_stale` removes it once it is fixed.
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "verifythm"
MAX_LINES = 450

LAYERS: dict[str, int] = {
    "verifythm.linalg": 0,
    "verifythm.backends": 0,
    "verifythm.interrupts": 0,
    "verifythm.search_options": 0,
    "verifythm.dynamics": 1,
    "verifythm.quantities": 2,
    "verifythm.dynamics.precise": 3,
    "verifythm.dynamics.precise_engine": 3,
    "verifythm.dynamics.precise_hooks": 3,
    "verifythm.dynamics.at_minimum": 3,
    "verifythm.backends.training": 3,
    "verifythm.models": 4,
    "verifythm.strategies": 5,
    "verifythm.claims": 6,
    "verifythm.claims.common": 7,
    "verifythm.evidence": 7,
    "verifythm.search": 8,
    "verifythm.report": 8,
    "verifythm.runner": 9,
    "verifythm.pool": 9,
    "verifythm.cli": 9,
    "verifythm.cli_family": 9,
    "verifythm.cli_search": 9,
    "verifythm.pytest_plugin": 9,
    "verifythm.__main__": 9,
    "verifythm": 9,
}

# (importer, imported): upward imports that exist today
UPWARD_ALLOWED: dict[tuple[str, str], str] = {}

# sets of modules that import each other today
CYCLES_ALLOWED: dict[frozenset[str], str] = {}

# (importer, imported) -> the private names it may take (none: a helper shared between modules is
# public in the lower one, with a docstring)
PRIVATE_ALLOWED: dict[tuple[str, str], frozenset[str]] = {}

# modules over MAX_LINES that may stay so for now (none: every engine module is at most 450 lines)
OVERSIZE_ALLOWED: frozenset[str] = frozenset()

CATALOGUES = ("theorems", "verifythm_theorems")


@dataclass
class Module:
    """One parsed module: its imports of verifythm modules and the private names it takes."""

    name: str
    rel: str  # path relative to the folder holding the package, e.g. "verifythm/cli.py"
    lines: int
    imports: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # target -> names
    private: list[tuple[str, str, int]] = field(default_factory=list)  # (module, name, line)
    catalogue: list[tuple[str, int]] = field(default_factory=list)  # (what, line)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def parse_package(root: Path) -> dict[str, Module]:
    """Parse every module under ``root`` (a package directory) into :class:`Module` records."""
    paths = sorted(root.rglob("*.py"))
    names = {module_name(p, root): p for p in paths}
    mods: dict[str, Module] = {}
    top = root.name
    for name, path in names.items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=str(path))
        mod = Module(name, path.relative_to(root.parent).as_posix(), len(text.splitlines()))
        aliases: dict[str, str] = {}  # local name -> verifythm module it is bound to
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] in CATALOGUES:
                        mod.catalogue.append((a.name, node.lineno))
                    if a.name == top or a.name.startswith(top + "."):
                        mod.imports.setdefault(a.name, set())
                        aliases[a.asname or a.name] = a.name
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_pkg else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] in CATALOGUES:
                    mod.catalogue.append((target, node.lineno))
                if not (target == top or target.startswith(top + ".")):
                    continue
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if sub in names:
                        mod.imports.setdefault(sub, set())
                        aliases[a.asname or a.name] = sub
                        if _private(a.name):
                            mod.private.append((target, a.name, node.lineno))
                    else:
                        mod.imports[target].add(a.name)
                        if _private(a.name) and target != name:
                            mod.private.append((target, a.name, node.lineno))
            elif isinstance(node, ast.Call):
                f = node.func
                fname = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if fname in ("import_module", "__import__") and node.args:
                    arg = node.args[0]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        if arg.value.split(".")[0] in CATALOGUES:
                            mod.catalogue.append((arg.value, node.lineno))
        for node in ast.walk(tree):  # ``module._name`` on an imported verifythm module
            if isinstance(node, ast.Attribute) and _private(node.attr):
                base = ast.unparse(node.value)
                target = aliases.get(base, base if base in names else None)
                if target is not None and target != name:
                    mod.private.append((target, node.attr, node.lineno))
        mods[name] = mod
    return mods


@functools.cache
def engine() -> dict[str, Module]:
    return parse_package(ROOT)


def layer(name: str) -> int:
    best = max((p for p in LAYERS if name == p or name.startswith(p + ".")), key=len, default=None)
    if best is None:
        raise KeyError(f"{name}: no layer declared; add it to LAYERS in tests/test_architecture.py")
    return LAYERS[best]


def find_cycles(mods: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components of the import graph with more than one module, each as one
    closed import path through all of its modules (Tarjan, then a walk inside the component)."""
    graph = {m: sorted(t for t in mods[m].imports if t in mods and t != m) for m in mods}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    comps: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:  # recursive Tarjan: the graph is ~150 modules deep at most
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return comps


def cycle_path(mods: dict[str, Module], comp: list[str]) -> str:
    """``a -> b -> … -> a``: a shortest cycle through the first module of ``comp``."""
    inside = set(comp)
    start = comp[0]
    prev: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(mods[v].imports):
                if w == start:
                    path = [start]
                    while v != start:
                        path.append(v)
                        v = prev[v]
                    return " -> ".join([start, *reversed(path[1:]), start])
                if w in inside and w not in seen:
                    seen.add(w)
                    prev[w] = v
                    nxt.append(w)
        frontier = nxt
    return " <-> ".join(comp)  # pragma: no cover


# -- the rules ---------------------------------------------------------------------------------
def cycle_problems(mods: dict[str, Module]) -> list[str]:
    return [
        f"import cycle: {cycle_path(mods, comp)}"
        for comp in find_cycles(mods)
        if frozenset(comp) not in CYCLES_ALLOWED
    ]


def upward_problems(mods: dict[str, Module]) -> list[str]:
    out = []
    for m, mod in sorted(mods.items()):
        for t, names in sorted(mod.imports.items()):
            if t not in mods or layer(t) <= layer(m) or (m, t) in UPWARD_ALLOWED:
                continue
            if t == "verifythm" and names and all(n.startswith("__") for n in names):
                continue  # package metadata such as __version__
            out.append(f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)})")
    return out


def private_problems(mods: dict[str, Module]) -> list[str]:
    out = []
    for m, mod in sorted(mods.items()):
        for t, name, line in mod.private:
            if name not in PRIVATE_ALLOWED.get((m, t), frozenset()):
                out.append(f"{mod.rel}:{line}: {m} takes the private {t}.{name}")
    return out


def catalogue_problems(mods: dict[str, Module]) -> list[str]:
    return [
        f"{mod.rel}:{line}: {m} imports the catalogue ({what})"
        for m, mod in sorted(mods.items())
        for what, line in mod.catalogue
    ]


def size_problems(mods: dict[str, Module]) -> list[str]:
    out = []
    for mod in mods.values():
        if mod.lines > MAX_LINES and mod.rel not in OVERSIZE_ALLOWED:
            out.append(f"{mod.rel}: {mod.lines} lines (at most {MAX_LINES})")
    return sorted(out)


# -- the tests ---------------------------------------------------------------------------------
def test_every_module_has_a_layer() -> None:
    for name in engine():
        layer(name)


def test_no_import_cycles() -> None:
    problems = cycle_problems(engine())
    assert not problems, "\n".join(problems)


def test_no_upward_imports() -> None:
    problems = upward_problems(engine())
    assert not problems, "\n".join(problems)


def test_no_private_names_across_modules() -> None:
    problems = private_problems(engine())
    assert not problems, "\n".join(problems)


def test_engine_never_imports_the_catalogue() -> None:
    problems = catalogue_problems(engine())
    assert not problems, "\n".join(problems)


def test_modules_are_at_most_450_lines() -> None:
    problems = size_problems(engine())
    assert not problems, "\n".join(problems)


def test_allow_lists_are_not_stale() -> None:
    """Every exception still exists: a fixed one must leave its allow-list."""
    mods = engine()
    cycles = {frozenset(c) for c in find_cycles(mods)}
    stale = [f"cycle {sorted(c)}" for c in CYCLES_ALLOWED if c not in cycles]
    stale += [f"upward {m} -> {t}" for m, t in UPWARD_ALLOWED if m not in mods or t not in mods[m].imports]
    taken = defaultdict(set)
    for m, mod in mods.items():
        for t, name, _ in mod.private:
            taken[m, t].add(name)
    stale += [f"private {k}: {sorted(v - taken[k])}" for k, v in PRIVATE_ALLOWED.items() if v - taken[k]]
    stale += [
        f"oversize {p}"
        for p in OVERSIZE_ALLOWED
        if (ROOT.parent / p).exists()
        and len((ROOT.parent / p).read_text(encoding="utf-8").splitlines()) <= MAX_LINES
    ]
    assert not stale, "allow-list entries that no longer apply:\n" + "\n".join(stale)


# -- the rules can fail -------------------------------------------------------------------------
def _scratch(tmp_path: Path, files: dict[str, str]) -> dict[str, Module]:
    pkg = tmp_path / "verifythm"
    for rel, text in {"__init__.py": "", **files}.items():
        p = pkg / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return parse_package(pkg)


@pytest.mark.parametrize(
    ("files", "check", "expected"),
    [
        (
            {
                "linalg/__init__.py": "",
                "linalg/a.py": "def f():\n    from verifythm.linalg import b\n",
                "linalg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                "    from verifythm.linalg.a import f\n",
            },
            cycle_problems,
            "import cycle: verifythm.linalg.a -> verifythm.linalg.b -> verifythm.linalg.a",
        ),
        (
            {
                "linalg/__init__.py": "",
                "linalg/a.py": "from verifythm.claims.model import Claim\n",
                "claims/__init__.py": "",
                "claims/model.py": "Claim = 1\n",
            },
            upward_problems,
            "verifythm.linalg.a (layer 0) imports verifythm.claims.model (layer 6)",
        ),
        (
            {
                "linalg/__init__.py": "",
                "linalg/a.py": "def _h():\n    pass\n",
                "linalg/b.py": "from verifythm.linalg import a\nx = a._h\n",
            },
            private_problems,
            "verifythm.linalg.b takes the private verifythm.linalg.a._h",
        ),
        (
            {
                "linalg/__init__.py": "",
                "linalg/a.py": "def _h():\n    pass\n",
                "linalg/b.py": "from .a import _h\n",
            },
            private_problems,
            "verifythm.linalg.b takes the private verifythm.linalg.a._h",
        ),
        (
            {
                "linalg/__init__.py": "",
                "linalg/a.py": "import importlib\n"
                "def f():\n    from theorems.wu2022 import x\n    importlib.import_module('theorems.y')\n",
            },
            catalogue_problems,
            "verifythm.linalg.a imports the catalogue (theorems.wu2022)",
        ),
        (
            {"linalg/__init__.py": "", "linalg/a.py": "x = 1\n" * (MAX_LINES + 1)},
            size_problems,
            f"verifythm/linalg/a.py: {MAX_LINES + 1} lines (at most {MAX_LINES})",
        ),
    ],
    ids=["cycle", "upward", "private-attribute", "private-from", "catalogue", "size"],
)
def test_each_rule_can_fail(tmp_path: Path, files: dict[str, str], check, expected: str) -> None:
    problems = check(_scratch(tmp_path, files))
    assert any(expected in p for p in problems), problems
