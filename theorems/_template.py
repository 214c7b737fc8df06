r"""<Authors> (<year>), <Locator>: <one-line summary of the result>.

Copy this file to ``theorems/<paperkey>/<result>.py``, named after the claim id's result
component (``wu2022.lemma3_2`` lives in ``lemma3_2.py``), keep the four sections, and
replace every ``<…>``.  The section titles come from a fixed vocabulary, in this order:
Setting, Statement, As proved (optional), Finding (optional), Evidence, References
(``tests/catalogue/test_module_style.py`` checks it).  Files whose name starts with ``_``
are not collected, so this template never runs.

Setting
-------
The objects and standing assumptions, with the paper's symbols:
:math:`H\in\mathbb{R}^{p\times p}` symmetric PSD, learning rate :math:`\eta>0`, …

Statement
---------
The result restated in your own words, literally (same norm, same moment, same
quantifiers, same sampling scheme).  If the proof supports something different,
add a separate ``.as_proved`` claim and say what it establishes in an ``As proved``
section; if the literal statement is false, mark it ``Expected.fails(...)`` with an
erratum, keep the counterexample report and explain it in a ``Finding`` section.

Evidence
--------
* ``symbolic``: which identities / sign conditions sympy proves, at which sizes.
* ``exact``: what is computed exactly on which generated instances (tolerance).
* ``property``: which Hypothesis strategy, and what it is steered towards.

References
----------
[<paperkey>, <Locator>].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.common import nonzero, positive, psd
from verifythm.strategies import psd_with, random_psd_with


def conclusion(inst: dict[str, Any]) -> Comparison:
    """Both sides of the claimed relation on one instance (here: λ₁(H) ≤ Tr H)."""
    H = inst["H"]
    return Comparison(float(np.linalg.eigvalsh(H)[-1]), float(np.trace(H)), "<=", "λ₁(H)", "Tr H")


def _symbolic() -> list[Any]:
    import sympy as sp

    lam = sp.symbols("lambda1:4", nonnegative=True)
    return [Nonnegative(sum(lam) - lam[0], "Tr H − λ₁ = Σ_{j≥2} λ_j ≥ 0")]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    return [{"H": random_psd_with(rng, int(rng.integers(1, 6))), "eta": 1.0} for _ in range(k)]


CLAIM = Claim(
    id="template.example",
    title="<one line>",
    source=Source("<paperkey>", "<Theorem 1>", page=None),
    statement=r"<the statement with $\LaTeX$ symbols>",
    hypotheses=(psd("H"), nonzero("H"), positive("eta")),
    conclusion=conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", st.fixed_dictionaries({"H": psd_with(), "eta": st.just(1.0)})),
    ),
)
