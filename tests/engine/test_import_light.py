"""``import verifythm`` is light: no torch, no sympy, no Hypothesis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("torch", "sympy", "hypothesis")


def _run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def test_import_verifythm_does_not_import_heavy_modules(tmp_path: Path) -> None:
    proc = _run(
        "import verifythm, sys; assert 'torch' not in sys.modules; "
        "heavy = [m for m in ('sympy', 'hypothesis', 'torch') if m in sys.modules]; "
        "assert not heavy, heavy; print(verifythm.__version__)",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()


def test_import_verifythm_never_touches_torch_even_when_installed(tmp_path: Path) -> None:
    """A decoy ``torch`` on the path that fails loudly if anything imports it."""
    decoy = tmp_path / "decoy" / "torch"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise RuntimeError('torch was imported')\n")
    path = os.pathsep.join([str(decoy.parent), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    code = (
        "import importlib.util, sys; assert importlib.util.find_spec('torch') is not None; "
        "import verifythm; from verifythm import default_registry, Claim, Comparison; "
        "from verifythm.cli import build_parser; import verifythm.runner; "
        "assert len(default_registry()) > 0; assert 'torch' not in sys.modules"
    )
    proc = _run(code, tmp_path, PYTHONPATH=path)
    assert proc.returncode == 0, proc.stderr


def test_public_api_is_importable() -> None:
    import verifythm

    for name in verifythm.__all__:
        assert hasattr(verifythm, name), name


def test_cli_help_does_not_import_scipy_stats(tmp_path: Path) -> None:
    """``verifythm --help`` builds every subparser; none may pull scipy.stats (about 1 s)."""
    proc = _run(
        "import sys; from verifythm.cli import build_parser; build_parser(); "
        "assert 'scipy.stats' not in sys.modules, 'scipy.stats imported'",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr


def test_cli_help_loads_neither_the_search_nor_scipy(tmp_path: Path) -> None:
    # `verifythm --help` builds the whole parser: it needs the searches' defaults, not the searches
    proc = _run(
        "import sys\nfrom verifythm.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m == 'verifythm.search' or m.startswith('scipy'))\n"
        "assert not bad, bad\n",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr


def test_cli_help_does_not_import_numpy(tmp_path: Path) -> None:
    """``verifythm --help`` needs argparse, not numpy or the evidence engine (start-up ~0.1 s).

    The package's public names load on first use (PEP 562); ``from verifythm import Claim``
    still works and then brings in what it needs.
    """
    proc = _run(
        "import sys\nfrom verifythm.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m == 'numpy' or m.startswith('verifythm.evidence'))\n"
        "assert not bad, bad\n"
        "from verifythm import Claim, PropertyCheck, default_registry\n"
        "assert 'numpy' in sys.modules and Claim.__module__ == 'verifythm.claims.model'\n",
        tmp_path,
    )
    assert proc.returncode == 0, proc.stderr


def test_lazy_public_names_match_all() -> None:
    import verifythm

    assert set(verifythm._LAZY) | {"__version__"} == set(verifythm.__all__)
    assert set(verifythm.__all__) <= set(dir(verifythm))
