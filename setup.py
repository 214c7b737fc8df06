"""Package layout that pyproject.toml cannot express: the catalogue's install name.

The repository keeps the catalogue in ``theorems/``; it installs (wheel and editable) as
``verifythm_theorems``, so nothing generic lands at the top of site-packages.  Everything else
is declared in ``pyproject.toml``.
"""

from setuptools import find_packages, setup

CATALOGUE = "verifythm_theorems"

setup(
    packages=find_packages(include=["verifythm", "verifythm.*"])
    + [CATALOGUE + p[len("theorems") :] for p in find_packages(include=["theorems", "theorems.*"])],
    package_dir={CATALOGUE: "theorems"},
)
