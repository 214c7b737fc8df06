"""Sphinx configuration of the verifythm documentation.

Build (warnings are errors, as in CI)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

At build time this file

* checks that ``docs/references.bib`` (the single source of citations) and the copy the package
  ships (``verifythm/data/references.bib``) are identical;
* runs ``verifythm check --json`` with ``--profile quick`` (about 2 minutes on 2 cores), unless the
  environment variable ``VERIFYTHM_REPORT`` names an existing report file to use instead;
* generates one page per registered claim plus the status overview into ``docs/claims/``
  (git-ignored) with :func:`verifythm.report.docs_pages.write_claim_pages`;
* fails the build if a registered claim has no page.

No network is needed.  Intersphinx (links into the numpy, scipy, sympy, torch and Hypothesis
docs) needs to download inventories, so it is enabled only when ``VERIFYTHM_DOCS_INTERSPHINX=1``
is set; without it, references to those projects render as plain text and the build never
touches the network.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import verifythm  # noqa: E402

# -- project ---------------------------------------------------------------------------------
project = "verifythm"
author = "verifythm developers"
copyright = "verifythm developers"
release = verifythm.__version__
version = release

# -- extensions ------------------------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    # MathJax 3 from a package, copied into _static/mathjax: the maths renders offline (no CDN)
    "sphinx-mathjax-offline",
    "sphinxcontrib.bibtex",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# docs/search holds the survey's raw reports (hundreds of Markdown files linked from its summary);
# they are read in the repository, not rendered.
exclude_patterns = ["_build", "data", "search", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_theme = "alabaster"
html_title = f"verifythm {release}"
html_theme_options = {
    "description": "Executable, citable checks of theorems on SGD stability, noise and Hessians",
    "fixed_sidebar": True,
    "page_width": "1200px",
    "sidebar_width": "260px",
}

# MyST: the guides, the committed counterexample reports and the generated claim pages are
# Markdown; ``$...$`` is math (rendered by MathJax).
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

# numpy-style docstrings
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# autodoc: the public engine; torch is optional and never needed to build the docs.
autodoc_mock_imports = ["torch"]
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}

# citations: one bibliography file, the single source of citations
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# intersphinx only on request (the inventories are downloaded; the CI build has no network).
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "scipy": ("https://docs.scipy.org/doc/scipy", None),
    "sympy": ("https://docs.sympy.org/latest", None),
    "torch": ("https://pytorch.org/docs/stable", None),
    "hypothesis": ("https://hypothesis.readthedocs.io/en/latest", None),
}
if os.environ.get("VERIFYTHM_DOCS_INTERSPHINX") == "1":
    extensions.append("sphinx.ext.intersphinx")


# -- the single bibliography -----------------------------------------------------------------
def _check_bibliography() -> None:
    shipped = resources.files("verifythm").joinpath("data/references.bib").read_text("utf-8")
    source = (DOCS / "references.bib").read_text("utf-8")
    if shipped != source:
        raise RuntimeError(
            "docs/references.bib and verifythm/data/references.bib differ: the package copy must "
            "be the docs file (a link to it in the source tree); do not fork the bibliography"
        )


_check_bibliography()


# -- generated claim pages -------------------------------------------------------------------
def _report_path(tmp: Path) -> Path:
    """The ``check --json`` report: ``$VERIFYTHM_REPORT`` or a fresh quick run."""
    given = os.environ.get("VERIFYTHM_REPORT")
    if given:
        path = Path(given)
        if not path.is_file():
            raise RuntimeError(f"VERIFYTHM_REPORT={given}: no such file")
        return path
    path = tmp / "verifythm-report.json"
    cmd = [
        sys.executable,
        "-m",
        "verifythm",
        "check",
        "--json",
        str(path),
        "--profile",
        "quick",
        "--quiet",
        "--report-dir",
        str(tmp / "reports"),
    ]
    print("verifythm docs: running " + " ".join(cmd[1:]) + " (about 2 minutes on 2 cores)", flush=True)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    # exit 1 only means some verdict is unexpected: the report is still written and shown
    if proc.returncode not in (0, 1) or not path.is_file():
        raise RuntimeError(f"verifythm check failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    return path


def _generate_claim_pages(app: Sphinx) -> None:
    from sphinx.util import logging

    from verifythm import default_registry
    from verifythm.report.docs_pages import write_claim_pages

    log = logging.getLogger("verifythm.docs")
    with tempfile.TemporaryDirectory(prefix="verifythm-docs-") as tmp:
        report = _report_path(Path(tmp))
        res = write_claim_pages(default_registry(), report, DOCS / "claims", docs_root=DOCS)
    why = "a stale VERIFYTHM_REPORT, or the catalogue changed during the build"
    for cid in res.not_in_report:
        log.warning("claim %s is registered but missing from the report (%s)", cid, why)
    for cid in res.not_registered:
        log.warning("claim %s is in the report but not registered (%s)", cid, why)


def _check_every_claim_has_a_page(app: Sphinx, env: BuildEnvironment) -> None:
    from sphinx.errors import ExtensionError

    from verifythm import default_registry
    from verifythm.report.docs_pages import missing_pages

    missing = missing_pages(default_registry(), env.found_docs)
    if missing:
        raise ExtensionError(f"registered claims without a documentation page: {', '.join(missing)}")


def _copy_search_reports(app: Sphinx, exc: Exception | None) -> None:
    """Copy the survey's raw reports (``docs/search``, not rendered) into the site as files.

    The guide links ``search/survey.md`` and ``search/index.md``; every report they link sits
    beside them, so the links work in the built site as in the repository.
    """
    import shutil

    src = Path(app.srcdir) / "search"
    if exc is None and src.is_dir() and app.builder.format == "html":
        shutil.copytree(src, Path(app.outdir) / "search", dirs_exist_ok=True)


def setup(app: Sphinx) -> dict[str, bool]:
    """Generate the claim pages before reading, check their coverage after."""
    app.connect("build-finished", _copy_search_reports)
    app.connect("builder-inited", _generate_claim_pages)
    app.connect("env-check-consistency", _check_every_claim_has_a_page)
    return {"parallel_read_safe": True}
