r"""The evidence matrix: which kinds of evidence back each result of the catalogue (issue 23).

The product's promise is that every result pairs a **symbolic derivation** (sympy, or exact
rational evaluation where sympy cannot close it) with a **property-based** check (Hypothesis
over the project's strategy vocabulary, so failures shrink) or, for a statement in
expectation, a **Monte Carlo** decision rule.  A *result* is what a claim id names before its
parts: ``wu2022.thm3_3`` for ``wu2022.thm3_3``, ``wu2022.thm3_3.without_replacement``, … —
the unit a paper states, which may span several modules once a long one is split along its
sub-results (``thm3_3.py``, ``thm3_3_without_replacement.py``; issue 24).  Where a pairing
does not apply, a module of the result says why in its docstring, one line per missing kind,
with a fixed marker at the start of a line::

    No symbolic check: <reason>, which may continue
      on lines indented deeper than the marker
    No property check: <reason>

:func:`evidence_matrix` reads this for every module of the registered catalogues; the page
(``docs/evidence.md``) is generated from it, and ``tests/catalogue/test_evidence_matrix.py``
fails when a result has neither the pairing nor a stated reason.

Usage::

    python -m verifythm.report.evidence --page docs/evidence.md     # (re)write the page
    python -m verifythm.report.evidence --page docs/evidence.md --check   # exit 1 if stale
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Columns of the matrix: a check's ``method`` → the column it counts in.
KINDS = {
    "symbolic": "symbolic",
    "exact": "exact",
    "property": "property",
    "monte_carlo": "monte carlo",
    "constant_fit": "constant",
}
COLUMNS = ("symbolic", "exact", "property", "monte carlo", "constant")
#: The marker a module docstring uses to say why a kind of evidence does not apply.
_REASON = re.compile(r"^\s*(?:[*-]\s+)?No (symbolic|property) check:\s*(.+?)\s*$", re.MULTILINE)


@dataclass
class ResultEvidence:
    """The evidence of one result.

    The check kinds over its claims, the modules that hold them, and the reasons those modules
    state for a missing kind.
    """

    result: str
    claims: list[str] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)
    modules: list[str] = field(default_factory=list)

    @property
    def symbolic(self) -> bool:
        """Whether some claim of the result has a symbolic derivation check."""
        return "symbolic" in self.kinds

    @property
    def randomized(self) -> bool:
        """Whether some claim has a property-based (Hypothesis) or Monte Carlo check."""
        return bool({"property", "monte carlo"} & self.kinds)

    @property
    def paired(self) -> bool:
        """Symbolic derivation and property-based (or Monte Carlo) evidence both present."""
        return self.symbolic and self.randomized

    @property
    def gaps(self) -> list[str]:
        """The kinds of the pairing that are missing and have no stated reason."""
        out = []
        if not self.symbolic and "symbolic" not in self.reasons:
            out.append("symbolic")
        if not self.randomized and "property" not in self.reasons:
            out.append("property")
        return out


def module_reasons(doc: str | None) -> dict[str, str]:
    """The ``No symbolic check:`` / ``No property check:`` reasons stated in a docstring.

    A reason may continue on the following lines when they are indented deeper than the marker.
    """
    out: dict[str, str] = {}
    lines = (doc or "").splitlines()
    for i, line in enumerate(lines):
        m = _REASON.match(line)
        if m is None:
            continue
        indent = len(line) - len(line.lstrip())
        words = [m.group(2)]
        for nxt in lines[i + 1 :]:
            if not nxt.strip() or len(nxt) - len(nxt.lstrip()) <= indent or _REASON.match(nxt):
                break
            words.append(nxt.strip())
        out[m.group(1)] = " ".join(words)
    return out


def result_of(claim_id: str) -> str:
    """The result a claim id names: its first two dotted components.

    >>> result_of("wu2022.thm3_3.without_replacement")
    'wu2022.thm3_3'
    """
    return ".".join(claim_id.split(".")[:2])


def evidence_matrix() -> list[ResultEvidence]:
    """One row per result of the registered catalogues, in result order."""
    import importlib

    from verifythm.claims.registry import default_registry

    reg = default_registry()
    rows: dict[str, ResultEvidence] = {}
    docs: dict[str, dict[str, str]] = {}
    for claim in reg:
        name = reg.module_of(claim.id)
        if not name:
            continue
        key = result_of(claim.id)
        row = rows.setdefault(key, ResultEvidence(key))
        row.claims.append(claim.id)
        row.kinds |= {KINDS.get(k.method, k.method) for k in claim.checks}
        if name not in row.modules:
            row.modules.append(name)
            if name not in docs:
                docs[name] = module_reasons(importlib.import_module(name).__doc__)
            for kind, why in docs[name].items():
                row.reasons.setdefault(kind, why)
    return [rows[k] for k in sorted(rows)]


def summary(rows: Sequence[ResultEvidence]) -> dict[str, int]:
    """Counts: results, paired, symbolic, property-or-Monte-Carlo, with a reason, with a gap."""
    return {
        "results": len(rows),
        "paired": sum(r.paired for r in rows),
        "symbolic": sum(r.symbolic for r in rows),
        "property_or_monte_carlo": sum(r.randomized for r in rows),
        "unpaired_with_reasons": sum((not r.paired) and not r.gaps for r in rows),
        "gaps": sum(bool(r.gaps) for r in rows),
    }


def _cell(row: ResultEvidence, column: str) -> str:
    if column in row.kinds:
        return "yes"
    kind = "symbolic" if column == "symbolic" else "property" if column == "property" else ""
    if kind and kind in row.reasons and not (kind == "property" and row.randomized):
        return "n/a¹"
    return ""


def _short(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def render_page(rows: Sequence[ResultEvidence]) -> str:
    """The Markdown evidence matrix (results × kinds of evidence, with the reasons for gaps)."""
    s = summary(rows)
    pct = 100.0 * s["paired"] / max(1, s["results"])
    lines = [
        "# Evidence matrix",
        "",
        "Which kinds of evidence back each result of the catalogue (a result is what a claim id",
        "names before its parts, e.g. `wu2022.thm3_3`; its claims may live in several modules).",
        "The product pairs a *symbolic* derivation (sympy, or exact rationals where sympy cannot",
        "close it) with a *property*-based check (Hypothesis, shrinking) or, for statements in",
        "expectation, a *Monte Carlo* decision rule. Where a pairing does not apply a module of",
        "the result says why (¹, reasons below).",
        "Generated by `python -m verifythm.report.evidence --page docs/evidence.md`.",
        "",
        f"**{s['results']} results: {s['paired']} paired ({pct:.0f} %), "
        f"{s['unpaired_with_reasons']} with a stated reason, {s['gaps']} with an unexplained gap.** "
        f"Symbolic: {s['symbolic']}; property or Monte Carlo: {s['property_or_monte_carlo']}.",
        "",
        "| result | modules | claims | " + " | ".join(COLUMNS) + " | paired |",
        "|---|---|---:|" + "---|" * len(COLUMNS) + "---|",
    ]
    for r in rows:
        cells = " | ".join(_cell(r, c) for c in COLUMNS)
        paired = "yes" if r.paired else ("gap" if r.gaps else "n/a¹")
        modules = ", ".join(f"`{_short(m)}`" for m in r.modules)
        lines.append(f"| `{r.result}` | {modules} | {len(r.claims)} | {cells} | {paired} |")
    lines += ["", "## Reasons (¹)", ""]
    for r in rows:
        for kind in ("symbolic", "property"):
            have = r.symbolic if kind == "symbolic" else r.randomized
            if not have and kind in r.reasons:
                lines.append(f"- `{r.result}`, no {kind} check: {r.reasons[kind]}")
    gaps = [r for r in rows if r.gaps]
    if gaps:
        lines += ["", "## Unexplained gaps", ""]
        lines += [f"- `{r.result}`: no {' and no '.join(r.gaps)} check, and no reason stated" for r in gaps]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m verifythm.report.evidence --page FILE [--check]``; the exit code."""
    ap = argparse.ArgumentParser(
        prog="python -m verifythm.report.evidence", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--page", metavar="FILE", required=True, help="the Markdown page to write (or check)")
    ap.add_argument("--check", action="store_true", help="exit 1 if the page is not up to date")
    args = ap.parse_args(argv)
    page = Path(args.page)
    text = render_page(evidence_matrix())
    if args.check:
        current = page.read_text("utf-8") if page.is_file() else ""
        if current != text:
            print(
                f"{page}: out of date; run python -m verifythm.report.evidence --page {page}", file=sys.stderr
            )
            return 1
        return 0
    from verifythm.report.io import atomic_write_text

    atomic_write_text(page, text, overwrite=True)
    print(f"updated: {page}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
