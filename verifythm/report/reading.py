"""Which reading of a paper a counterexample refutes: the finding line of every report.

:func:`reading_line` is printed under the erratum of every counterexample report
(:func:`~verifythm.report.counterexample.claim_header`) and of every claim page;
:mod:`verifythm.report.findings` groups the findings by the root that :func:`finding_root` reads,
and re-exports both.
"""

from __future__ import annotations

import re

from verifythm.claims.model import FINDINGS, Claim

ROOT_PREFIX = "same root as "
"""How a dependent finding's erratum line starts: ``same root as `<id>`:``."""
ROOT_PATTERN = re.compile(r"^same root as `([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)`")
"""Matches :data:`ROOT_PREFIX` and the root's claim id (group 1) at the start of an erratum line."""

_REFUTES = {
    "erratum": "the counterexample refutes the statement as printed, in the reading stated above",
    "proof-gap": (
        "the counterexample refutes a step of the proof, in the reading stated above; "
        "the result itself may still hold"
    ),
    "typo": (
        "the counterexample refutes the statement as printed, in the reading stated above; "
        "the slip has the evident fix the erratum gives"
    ),
    "edge-case": (
        "this is an edge case, not an error of the paper: the counterexample refutes the reading stated "
        "above only where the authors plainly did not mean it"
    ),
    "scope": (
        "this is a scope limit, not an error of the paper: the reading stated above drops a standing "
        "assumption of the paper, and the counterexample shows that assumption is necessary"
    ),
}


def finding_root(claim: Claim) -> str:
    """The id a dependent finding names as its root (``""`` when the finding is its own root)."""
    m = ROOT_PATTERN.match(claim.expected.erratum) if claim.expected.is_failure else None
    return m.group(1) if m else ""


def reading_line(claim: Claim) -> str:
    """The report line saying which reading a counterexample refutes (``""`` for a claim expected to hold).

    Parameters
    ----------
    claim
        Any claim; only expected failures get a line.
    """
    exp = claim.expected
    if not exp.is_failure:
        return ""
    if exp.finding not in FINDINGS:
        raise ValueError(f"claim: {claim.id} has no finding category (expected one of {FINDINGS})")
    line = f"Finding: **{exp.finding}** — {_REFUTES[exp.finding]}."
    root = finding_root(claim)
    if root:
        line += f" Root cause: `{root}` (this finding follows from it and is counted with it)."
    return line
